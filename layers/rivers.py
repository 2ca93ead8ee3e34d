"""Rivers and lakes from GSHHG/WDBII, drawn under the borders (the Panj *is* most of the
Tajik–Afghan border, so it is drawn wider than the border's casing and shows on both sides)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

import folium
import geopandas as gpd

from layers._draw import Look, ViewOptions, geojson_group, to_features
from layers._html import safe_text
from layers._select import lasting
from layers.styles import LAYER_STYLE

LAYER_ID: Final = "rivers"
CLASSES: Final = ("major", "river", "minor", "lake")


def select(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> gpd.GeoDataFrame:
    """Every river and lake (no dates in GSHHG)."""
    return lasting(frame, as_of=as_of)


def look(row: Mapping[str, Any]) -> Look:
    """Width by WDBII class; a border river (Panj, Amu Darya) wider than the border's casing."""
    cls = row.get("class") if row.get("class") in CLASSES else "minor"
    key = f"{LAYER_ID}-{cls}"
    classes = f"fa-layer-{LAYER_ID} fa-water-{cls}"
    if row.get("border_river") and cls != "lake":
        key, classes = f"{LAYER_ID}-border", f"{classes} fa-border-river"
    return Look(LAYER_STYLE[key], classes)


_look = look


def popup(row: Mapping[str, Any]) -> str:
    """Name (or 'unnamed'), kind and where the line and its name come from."""
    sources = "; ".join(
        f"{safe_text(s.get('publisher'))}, {safe_text(s.get('title'))}"
        for s in row.get("sources") or []
    )
    return (
        f"<div class='fa-popup'><b>{safe_text(row.get('name'))}</b><table>"
        f"<tr><th>Kind</th><td>{safe_text(row.get('kind'))}</td></tr>"
        f"<tr><th>Sources</th><td>{sources}</td></tr></table></div>"
    )


def build(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> folium.FeatureGroup:
    """Lakes and river lines, non-interactive under the borders except for their popups."""
    features, styles = to_features(select(frame, as_of=as_of, view=view), look=look, popup=popup)
    return geojson_group(features, styles, layer_id=LAYER_ID, name="Rivers and lakes")
