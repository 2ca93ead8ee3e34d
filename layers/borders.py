"""Border segments, drawn by their status on the chosen date (dash first, colour second)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

import folium
import geopandas as gpd

from geo.timeline import entry_on, holds_on
from layers._draw import Look, ViewOptions, geojson_group, records, to_features
from layers._html import popup_html
from layers._select import with_freshness
from layers.styles import STATUS_STYLE, status_class

LAYER_ID: Final = "borders"


def select(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> gpd.GeoDataFrame:
    """Segments valid on ``as_of`` whose status that day is one the user shows."""
    statuses, since, entries = [], [], []
    keep = []
    for props in records(frame):
        entry = entry_on(props["status_history"], as_of) if holds_on(props, as_of) else None
        status = None if entry is None else entry["status"]
        keep.append(status is not None and status in view.statuses)
        statuses.append(status)
        since.append(None if entry is None else str(entry["from"]))
        entries.append(entry)
    out = frame.assign(_status=statuses, _since=since, _entry=entries)
    return with_freshness(out[keep], as_of=as_of, layer=LAYER_ID, view=view)


def look(row: Mapping[str, Any]) -> Look:
    """How one selected row is drawn: style, CSS classes, opacity (map and sheet alike)."""
    status = row["_status"]
    return Look(STATUS_STYLE[status], f"fa-layer-{LAYER_ID} {status_class(status)}")


def _popup(row: Mapping[str, Any]) -> str:
    entry = row["_entry"] or {}
    rows = [
        ("Border", row["border"]),
        ("Status", f"{STATUS_STYLE[row['_status']].label} since {row['_since']}"),
        ("Length", f"{row['length_km']:.1f} km (geodesic, as drawn)"),
        ("From", row.get("from_place")),
        ("To", row.get("to_place")),
    ]
    return popup_html(
        row, rows=rows, source_sections=[("Status sources", entry.get("sources") or [])]
    )


def build(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> folium.FeatureGroup:
    """The border-segment layer as it stood on ``as_of``."""
    features, styles = to_features(select(frame, as_of=as_of, view=view), look=look, popup=_popup)
    return geojson_group(features, styles, layer_id=LAYER_ID, name="Border segments", casing=True)
