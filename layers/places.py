"""Gazetteer of towns, villages and sites, with their alternative spellings."""

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

LAYER_ID: Final = "places"


def select(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> gpd.GeoDataFrame:
    """Places that exist on ``as_of``."""
    return lasting(frame, as_of=as_of)


def look(row: Mapping[str, Any]) -> Look:
    """How one selected row is drawn: style, CSS classes, opacity (map and sheet alike)."""
    return Look(LAYER_STYLE[LAYER_ID], f"fa-layer-{LAYER_ID} fa-kind-{row['kind']}")


def _popup(row: Mapping[str, Any]) -> str:
    return popup_html(
        row,
        rows=[
            ("Kind", row["kind"]),
            ("Country", row["country"]),
            ("Also written", ", ".join(row.get("alt_names") or [])),
        ],
    )


def build(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> folium.FeatureGroup:
    """The gazetteer layer."""
    features, styles = to_features(select(frame, as_of=as_of, view=view), look=look, popup=_popup)
    return geojson_group(features, styles, layer_id=LAYER_ID, name="Places")
