"""Border crossings and bridges, by their open / restricted / closed status on the date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

import folium
import geopandas as gpd

from geo.timeline import entry_on
from layers._draw import Look, ViewOptions, geojson_group, records, to_features
from layers._html import popup_html
from layers._select import with_freshness, with_status
from layers.styles import CROSSING_STYLE

LAYER_ID: Final = "crossings"


def select(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> gpd.GeoDataFrame:
    """Crossings that exist on ``as_of``, with their status that day and its history entry
    (``_entry``, for the popup's status sources)."""
    rows = with_status(frame, as_of=as_of)
    rows = rows.assign(_entry=[entry_on(p["status_history"], as_of) for p in records(rows)])
    return with_freshness(rows, as_of=as_of, layer=LAYER_ID, view=view)


def look(row: Mapping[str, Any]) -> Look:
    """How one selected row is drawn: style, CSS classes, opacity (map and sheet alike)."""
    status = row["_status"]
    return Look(CROSSING_STYLE[status], f"fa-layer-{LAYER_ID} fa-crossing-{status}")


def _popup(row: Mapping[str, Any]) -> str:
    return popup_html(
        row,
        rows=[("Border", row["border"]), ("Status", CROSSING_STYLE[row["_status"]].label)],
        source_sections=[("Status sources", _entry_sources(row))],
    )


def _entry_sources(row: Mapping[str, Any]) -> list[Any]:
    entry = row["_entry"]
    return list(entry["sources"]) if entry else []


def build(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> folium.FeatureGroup:
    """The crossing layer on ``as_of``."""
    features, styles = to_features(select(frame, as_of=as_of, view=view), look=look, popup=_popup)
    return geojson_group(features, styles, layer_id=LAYER_ID, name="Crossings")
