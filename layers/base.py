"""The vector basemap: OpenStreetMap country polygons and their shared edges, drawn offline.

It lives in the static part of the map (never re-sent on a toggle); switching it off hides it with
a class on the map container instead of rebuilding the map, so the view is never lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import folium
import geopandas as gpd
from folium.elements import JSCSSMixin
from jinja2 import Template

from layers._draw import POPUP_OPTIONS, Look, ViewOptions, geojson_group, to_features
from layers._element import PlainParts
from layers._html import popup_html
from layers._select import lasting
from layers.assets import DEFAULT_BASE_URL as VENDOR_URL
from layers.assets import loader_once, publish_once
from layers.styles import LAYER_STYLE

LAYER_ID: Final = "base"
FOCUS: Final = frozenset({"AFG-TJK", "KGZ-TJK"})
"""Borders the borders layer draws with status; the basemap draws the others as context."""


def select(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> gpd.GeoDataFrame:
    """Countries and context lines (the focus borders are drawn by the borders layer)."""
    rows = lasting(frame, as_of=as_of)
    if "border" in rows.columns:
        rows = rows[[b is None or b not in FOCUS for b in rows["border"]]]
    return rows


def look(row: Mapping[str, Any]) -> Look:
    """How one selected row is drawn: style, CSS classes, opacity (map and sheet alike)."""
    if row.get("border"):
        return Look(LAYER_STYLE["base-line"], f"fa-layer-{LAYER_ID} fa-base-line")
    key = "base-tjk" if row.get("iso3") == "TJK" else "base-country"
    return Look(LAYER_STYLE[key], f"fa-layer-{LAYER_ID} fa-base-country")


def _popup(row: Mapping[str, Any]) -> str:
    rows: list[tuple[str, object]] = []
    if row.get("border"):
        rows.append(("Border", row["border"]))
        rows.append(("Length in view data", f"{row['length_km']:.0f} km (geodesic)"))
    return popup_html(row, rows=rows)


def build(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> folium.FeatureGroup:
    """Country polygons then context lines, as one group."""
    features, styles = to_features(select(frame, as_of=as_of, view=view), look=look, popup=_popup)
    return geojson_group(features, styles, layer_id=LAYER_ID, name="Basemap")


class RemoteGeoJson(JSCSSMixin, PlainParts):
    """Draw a GeoJSON file the app serves itself (fetched once, cached by the browser), and an
    overview mini-map of the same vector basemap (offline: no tiles needed), whose files load
    once the basemap is drawn. The lines are drawn first and the areas (most of the vertices)
    after the next paint, so the country lines show without waiting for the fills.

    streamlit-folium re-sends the whole map script on every rerun, so the basemap goes in a
    content-addressed static file instead of the script: a toggle then costs kilobytes, not
    the basemap again. Features carry only escaped ``name``/``popup`` text and a style key.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.loader }}
        (function () {
          var map = {{ this._parent.get_name() }};
          var styles = {{ this.styles|tojson }};
          fetch({{ this.url|tojson }}, {credentials: "same-origin"})
            .then(function (response) { return response.json(); })
            .then(function (data) {
              function draw(features) {
                var layer = L.geoJSON({type: "FeatureCollection", features: features}, {
                  style: function (f) { return styles[f.properties._k]; },
                  onEachFeature: function (f, l) {
                    if (f.properties.popup) { l.bindPopup(f.properties.popup, {{ this.popup_options|tojson }}); }
                    if (f.properties.name) { l.bindTooltip(f.properties.name, {sticky: true}); }
                  }
                }).addTo(map);
                layer.bringToBack();
              }
              function area(f) { return /Polygon/.test(f.geometry && f.geometry.type); }
              // the country lines first (a few thousand vertices), the country areas (most of the
              // file's vertices) under them once the browser has painted the lines
              draw(data.features.filter(function (f) { return !area(f); }));
              requestAnimationFrame(function () { setTimeout(function () {
                draw(data.features.filter(area));
                {% if this.minimap %}
                window.faLoad({{ this.minimap_js|tojson }}, {{ this.minimap_css|tojson }}).then(function () {
                  var overview = L.geoJSON(data, {
                    style: function (f) { return styles[f.properties._k]; }, interactive: false
                  });
                  new L.Control.MiniMap(overview, {
                    toggleDisplay: true, position: "bottomleft", zoomLevelOffset: -4
                  }).addTo(map);
                }).catch(function (err) { console.error("mini-map: " + err); });
                {% endif %}
              }, 0); });
            });
        })();
        {% endmacro %}
        """
    )

    @property
    def loads_files(self) -> bool:
        """Whether its script calls ``faLoad`` (for the mini-map; ``layers.assets.loader_once``)."""
        return self.minimap

    def __init__(
        self, url: str, styles: dict[str, dict[str, object]], *, minimap: bool = True
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "RemoteGeoJson"
        self.url = url
        self.styles = styles
        self.popup_options = POPUP_OPTIONS
        self.minimap = minimap
        # the overview map's files load after the basemap is drawn (``faLoad``), not with the
        # frame: streamlit-folium loads the frame's files one after another before the map
        # script runs, so each one listed there delays the first paint (bench/README.md)
        self.loader = ""
        self.minimap_js = [f"{VENDOR_URL}/leaflet-minimap/Control.MiniMap.min.js"]
        self.minimap_css = [f"{VENDOR_URL}/leaflet-minimap/Control.MiniMap.min.css"]

    def render(self, **kwargs: Any) -> Any:
        """Render with the file loader when this is the map's first element that needs it."""
        self.loader = loader_once(self)
        return super().render(**kwargs)  # type: ignore[no-untyped-call]  # branca: MacroElement.render is unannotated


def publish(
    frame: gpd.GeoDataFrame, *, as_of: dt.date, static_dir: Path, url_prefix: str
) -> tuple[str, dict[str, dict[str, object]]] | None:
    """Write the basemap once as ``<static_dir>/base-<sha>.geojson``; its URL and style table.

    Returns None when the folder cannot be written (a read-only install): the caller then draws
    the basemap inline instead. Pass the result to ``RemoteGeoJson``.
    """
    features, styles = to_features(
        select(frame, as_of=as_of, view=ViewOptions()), look=look, popup=_popup
    )
    body = json.dumps(
        {"type": "FeatureCollection", "features": features}, separators=(",", ":"), sort_keys=True
    ).encode("utf-8")
    name = f"base-{hashlib.sha256(body).hexdigest()[:16]}.geojson"
    url = publish_once(body, name=name, static_dir=static_dir, url_prefix=url_prefix)
    return (url, styles) if url else None
