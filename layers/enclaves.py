"""Enclaves and exclaves of the Fergana valley, with sovereign, host and population."""

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

LAYER_ID: Final = "enclaves"


def select(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> gpd.GeoDataFrame:
    """Enclaves that exist on ``as_of``."""
    return lasting(frame, as_of=as_of)


def look(row: Mapping[str, Any]) -> Look:
    """How one selected row is drawn: style, CSS classes, opacity (map and sheet alike)."""
    return Look(LAYER_STYLE[LAYER_ID], f"fa-layer-{LAYER_ID}", row["_opacity"])


def _popup(row: Mapping[str, Any]) -> str:
    population = row.get("population")
    pop_text = (
        f"{population:,} ({row.get('population_year') or 'year not given'})"
        if population is not None
        else "not published"
    )
    return popup_html(
        row,
        rows=[
            ("Belongs to", row["sovereign"]),
            ("Surrounded by", row["host"]),
            ("Population", pop_text),
            ("Area", f"{row['area_km2']:.1f} km² (computed from the drawn outline)"),
        ],
    )


def build(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> folium.FeatureGroup:
    """The enclave layer on ``as_of``."""
    features, styles = to_features(select(frame, as_of=as_of, view=view), look=look, popup=_popup)
    return geojson_group(features, styles, layer_id=LAYER_ID, name="Enclaves")
