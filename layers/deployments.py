"""Troop deployments, bases and border posts, as they stood on the chosen date."""

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

LAYER_ID: Final = "deployments"


def select(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> gpd.GeoDataFrame:
    """Deployments in place on ``as_of``."""
    return lasting(frame, as_of=as_of)


def look(row: Mapping[str, Any]) -> Look:
    """How one selected row is drawn: style, CSS classes, opacity (map and sheet alike)."""
    area = row["geometry"].geom_type.endswith("Polygon")
    style = LAYER_STYLE["deployments-area" if area else LAYER_ID]
    return Look(style, f"fa-layer-{LAYER_ID} fa-kind-{row['kind']}")


def _popup(row: Mapping[str, Any]) -> str:
    strength = row.get("strength")
    return popup_html(
        row,
        rows=[
            ("Actor", row["actor"]),
            ("Country", row["country"]),
            ("Kind", row["kind"]),
            ("Strength", f"{strength:,}" if strength is not None else "not published"),
            ("Strength note", row.get("strength_note")),
        ],
    )


def build(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> folium.FeatureGroup:
    """The deployment layer on ``as_of``."""
    features, styles = to_features(select(frame, as_of=as_of, view=view), look=look, popup=_popup)
    return geojson_group(features, styles, layer_id=LAYER_ID, name="Deployments")
