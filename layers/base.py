"""The vector basemap: OpenStreetMap country polygons and their shared edges, drawn offline.

It lives in the static part of the map (never re-sent on a toggle); switching it off hides it with
a class on the map container instead of rebuilding the map, so the view is never lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

import folium
import geopandas as gpd

from layers._draw import Look, ViewOptions, geojson_group, to_features
from layers._html import popup_html
from layers._select import lasting
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


def _look(row: Mapping[str, Any]) -> Look:
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
    features, styles = to_features(select(frame, as_of=as_of, view=view), look=_look, popup=_popup)
    return geojson_group(features, styles, layer_id=LAYER_ID, name="Basemap")
