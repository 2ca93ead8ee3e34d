"""Military exercise zones within the look-back window, fainter with age."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

import folium
import geopandas as gpd

from layers._draw import Look, ViewOptions, geojson_group, to_features
from layers._html import popup_html
from layers._select import episodic
from layers.styles import LAYER_STYLE

LAYER_ID: Final = "exercises"


def select(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> gpd.GeoDataFrame:
    """Exercises overlapping the look-back window ending on ``as_of``."""
    return episodic(frame, as_of=as_of, view=view)


def look(row: Mapping[str, Any]) -> Look:
    """How one selected row is drawn: style, CSS classes, opacity (map and sheet alike)."""
    return Look(LAYER_STYLE[LAYER_ID], f"fa-layer-{LAYER_ID}", row["_opacity"])


def _popup(row: Mapping[str, Any]) -> str:
    return popup_html(
        row,
        rows=[
            ("Exercise", row["exercise"]),
            ("Organizer", row.get("organizer") or "none named"),
            ("Participants", ", ".join(row.get("participants") or []) or "not published"),
            ("Days ago", row["_age"]),
        ],
    )


def build(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> folium.FeatureGroup:
    """The exercise layer for the window ending on ``as_of``."""
    features, styles = to_features(select(frame, as_of=as_of, view=view), look=look, popup=_popup)
    return geojson_group(features, styles, layer_id=LAYER_ID, name="Exercises")
