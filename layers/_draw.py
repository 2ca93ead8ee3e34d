"""Shared drawing mechanics: a filtered frame -> one folium FeatureGroup of GeoJSON.

Every layer module selects what holds on the date and says how each row looks (a style key and an
opacity); this module turns that into a GeoJSON layer whose paths carry the ``fa-layer-<id>`` and
``fa-status-<status>`` classes, whose tooltip is the escaped name and whose popup is the escaped
popup HTML. Only display-safe strings and a style key reach the browser.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import folium
import geopandas as gpd
from jinja2 import Template
from shapely.geometry import mapping

from geo.schema import STATUSES
from geo.timeline import LOOKBACK_DAYS_DEFAULT
from layers._element import PlainGroup, PlainParts
from layers._html import safe_text
from layers.styles import (
    CASING,
    STATUS_CLASS_PREFIX,
    LineStyle,
    casing_class,
    leaflet_style,
    stale_style,
)

POINT_RADIUS: Final = 6
POPUP_PAN_PADDING: Final = [64, 120]
"""Popups pan clear of the corner controls (layer switch and Labels switch top right, zoom and
search top left, legend, mini-map), never under them: 120 px clears the two stacked top-right
controls."""
POPUP_MAX_WIDTH: Final = 380
POPUP_MAX_HEIGHT: Final = 340
"""Long source lists scroll inside the popup instead of running off the map."""
POPUP_OPTIONS: Final = {
    "maxWidth": POPUP_MAX_WIDTH,
    "maxHeight": POPUP_MAX_HEIGHT,
    "autoPanPadding": POPUP_PAN_PADDING,
}
"""Leaflet's options for every feature popup (``FeatureText``, the served basemap)."""


class DataGeoJson(folium.GeoJson, PlainParts):
    """``folium.GeoJson`` whose rendered script (its data inline) is not compiled again."""


class FeatureText(PlainParts):
    """Binds each feature's ``name`` as its tooltip and its ``popup`` as its popup, both already
    display-safe (``layers._html``); add it to a ``DataGeoJson``.

    folium's ``GeoJsonTooltip`` and ``GeoJsonPopup`` do the same through a table around the
    text, but compile two templates every time they are rendered (a tenth of drawing a dated
    layer for a new date); this one's template is compiled once.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindTooltip(function (layer) {
          return layer.feature.properties.name;
        }, {sticky: false});
        {{ this._parent.get_name() }}.bindPopup(function (layer) {
          return layer.feature.properties.popup;
        }, {{ this.popup_options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "FeatureText"
        self.popup_options = POPUP_OPTIONS


@dataclass(frozen=True)
class ViewOptions:
    """What the user chose besides the date: visible statuses, the look-back window, and
    whether stale lasting features (geo.freshness) are drawn."""

    statuses: frozenset[str] = field(default_factory=lambda: frozenset(STATUSES))
    window_days: int = LOOKBACK_DAYS_DEFAULT
    show_stale: bool = True


@dataclass(frozen=True)
class Look:
    """How one selected row is drawn."""

    style: LineStyle
    classes: str
    opacity: float = 1.0


def records(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts, column name -> value, as ``frame.to_dict("records")``
    gives them, several times faster (pandas builds each row through its indexers; this converts
    the frame to Python objects in one step): drawing a layer for a date, or finding which rows
    a date shows, reads its rows several times."""
    columns = list(frame.columns)
    return [dict(zip(columns, row, strict=True)) for row in frame.to_numpy(dtype=object).tolist()]


def freshness_look(how: Look, row: Mapping[str, Any]) -> Look:
    """``how`` as drawn for this row: stale rows (``_stale``, see layers._select.with_freshness)
    get the class ``fa-stale`` and the faded style of ``layers.styles.stale_style``."""
    if not row.get("_stale"):
        return how
    return Look(stale_style(how.style), f"{how.classes} fa-stale", how.opacity)


def to_features(
    frame: gpd.GeoDataFrame,
    *,
    look: Callable[[Mapping[str, Any]], Look],
    popup: Callable[[Mapping[str, Any]], str],
) -> tuple[list[dict[str, Any]], dict[str, dict[str, object]]]:
    """GeoJSON features holding only display-safe text, and the style table keyed by ``_k``."""
    features: list[dict[str, Any]] = []
    styles: dict[str, dict[str, object]] = {}
    for row in records(frame):
        geom = row["geometry"]
        how = freshness_look(look(row), row)
        key = f"{how.classes}|{how.opacity}"
        styles.setdefault(
            key, leaflet_style(how.style, class_name=how.classes, opacity=how.opacity)
        )
        features.append(
            {
                "type": "Feature",
                "id": row["id"],
                "properties": {
                    "id": row["id"],
                    "name": safe_text(row.get("name")),
                    "popup": popup(row),
                    "_k": key,
                },
                "geometry": mapping(geom),
            }
        )
    return features, styles


def geojson_group(
    features: list[dict[str, Any]],
    styles: dict[str, dict[str, object]],
    *,
    layer_id: str,
    name: str,
    casing: bool = False,
) -> folium.FeatureGroup:
    """A FeatureGroup drawing ``features`` (points as circle markers), with popups and tooltips."""
    group = PlainGroup(name=safe_text(name), control=False, show=True)
    if not features:
        return group
    collection = {"type": "FeatureCollection", "features": features}
    if casing:
        casing_style = {
            "color": CASING.color,
            "opacity": CASING.opacity,
            "fill": False,
            "interactive": False,
        }
        widths = {k: float(v["weight"]) + CASING.weight for k, v in styles.items()}  # type: ignore[arg-type]  # style values are typed object; a weight is a number
        # the casing is marked with its line's status: a hidden status takes both off the map
        casing_classes = {
            k: " ".join(
                [f"fa-casing fa-casing-{layer_id}"]
                + [
                    casing_class(c)
                    for c in str(v.get("className", "")).split()
                    if c.startswith(STATUS_CLASS_PREFIX)
                ]
            )
            for k, v in styles.items()
        }
        bare = {  # the casing needs only shape and style key, not names and popups
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": f["id"],
                    "properties": {"id": f["id"], "_k": f["properties"]["_k"]},
                    "geometry": f["geometry"],
                }
                for f in features
            ],
        }
        DataGeoJson(
            bare,
            style_function=lambda f: {
                **casing_style,
                "weight": widths[f["properties"]["_k"]],
                "className": casing_classes[f["properties"]["_k"]],
            },
            control=False,
            smooth_factor=1.0,
        ).add_to(group)
    layer = DataGeoJson(
        collection,
        style_function=lambda f: styles[f["properties"]["_k"]],
        marker=folium.CircleMarker(radius=POINT_RADIUS),
        control=False,
        smooth_factor=1.0,
    )
    layer.add_child(FeatureText())
    layer.add_to(group)
    return group
