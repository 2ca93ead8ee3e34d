"""An analyst's uploaded file drawn over the map, as one more dynamic layer.

Upload properties are arbitrary and untrusted (keys as well as values), so none of them is used
for styling, ids or class names: every feature gets a generated id, the one ``overlay`` style and
the ``fa-layer-overlay`` class, and its properties are listed in the popup as escaped text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import folium
import geopandas as gpd
from shapely.geometry import shape

from geo.measure import geodesic_area_m2, geodesic_length_m
from layers._draw import Look, geojson_group, to_features
from layers._html import safe_text
from layers.mapview import LegendRow
from layers.styles import LAYER_STYLE

LAYER_ID: Final = "overlay"
NAME_KEYS: Final = ("name", "title", "label", "Name", "NAME")
"""Properties tried, in order, for a feature's tooltip."""

MAX_ROWS: Final = 40
"""Most properties listed in one popup."""


def _as_rows(data: gpd.GeoDataFrame | Sequence[Mapping[str, Any]]) -> list[tuple[dict, Any]]:
    """(properties, shapely geometry) pairs from a frame or a list of GeoJSON features."""
    if isinstance(data, gpd.GeoDataFrame):
        geometry = data.geometry.name
        return [
            ({k: v for k, v in row.items() if k != geometry}, row[geometry])
            for row in data.to_dict("records")
        ]
    return [(dict(f.get("properties") or {}), shape(f["geometry"])) for f in data]


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _value_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _popup(row: Mapping[str, Any]) -> str:
    """Every property as an escaped table row, plus geodesic length or area."""
    props: dict[str, Any] = row["_props"]
    shown = [(k, v) for k, v in props.items() if not _blank(v)]
    cells = [
        f"<tr><th>{safe_text(key, limit=80)}</th><td>{safe_text(_value_text(value))}</td></tr>"
        for key, value in shown[:MAX_ROWS]
    ]
    if len(shown) > MAX_ROWS:
        cells.append(f"<tr><td colspan='2'>… {len(shown) - MAX_ROWS} more properties</td></tr>")
    cells.extend(
        f"<tr><th>{label}</th><td>{safe_text(value)}</td></tr>" for label, value in row["_measure"]
    )
    title = safe_text(row.get("name"))
    return f"<div class='fa-popup'><b>{title}</b><table>{''.join(cells)}</table></div>"


def _measure(geom: Any) -> list[tuple[str, str]]:
    if geom.geom_type.endswith("Polygon"):
        return [("Area (geodesic)", f"{geodesic_area_m2(geom) / 1e6:,.2f} km²")]
    if geom.geom_type.endswith("LineString"):
        return [("Length (geodesic)", f"{geodesic_length_m(geom) / 1000:,.2f} km")]
    return []


def look(_row: Mapping[str, Any]) -> Look:
    """How one selected row is drawn: style, CSS classes, opacity (map and sheet alike)."""
    return Look(LAYER_STYLE[LAYER_ID], f"fa-layer-{LAYER_ID}")


def _display_name(props: Mapping[str, Any], index: int) -> str:
    for key in NAME_KEYS:
        value = props.get(key)
        if not _blank(value):
            return _value_text(value)
    return f"Feature {index + 1}"


def build(
    data: gpd.GeoDataFrame | Sequence[Mapping[str, Any]], *, name: str
) -> folium.FeatureGroup:
    """The overlay as a FeatureGroup named ``name`` (the file name; escaped on the map)."""
    rows = _as_rows(data)
    frame = gpd.GeoDataFrame(
        {
            "id": [f"{LAYER_ID}-{i}" for i in range(len(rows))],
            "name": [_display_name(props, i) for i, (props, _g) in enumerate(rows)],
            "_props": [props for props, _g in rows],
            "_measure": [_measure(g) for _p, g in rows],
        },
        geometry=[g for _p, g in rows],
        crs="OGC:CRS84",
    )
    features, styles = to_features(frame, look=look, popup=_popup)
    group = geojson_group(features, styles, layer_id=LAYER_ID, name=name)
    group.add_child(LegendRow(f"{LAYER_STYLE[LAYER_ID].label}: {name}", LAYER_STYLE[LAYER_ID]))
    return group
