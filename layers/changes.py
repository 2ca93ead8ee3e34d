"""The compare mode: a halo under every segment or feature that changed between two dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Final

import folium
import geopandas as gpd
import pandas as pd

from geo.timeline import Change, changes_between
from layers._draw import Look, geojson_group, records, to_features
from layers._element import PlainGroup
from layers._html import safe_text
from layers.styles import CHANGE_STYLE

LAYER_ID: Final = "changes"


def look(row: Mapping[str, Any]) -> Look:
    """How one selected row is drawn: style, CSS classes, opacity (map and sheet alike)."""
    return Look(CHANGE_STYLE, f"fa-change fa-change-{row['_change']}")


def _popup(row: Mapping[str, Any]) -> str:
    return f"<div class='fa-popup'><b>{safe_text(row['_describe'])}</b></div>"


def describe(change: Change) -> str:
    """One line in words, for the halo's popup and the table."""
    if change.kind == "status":
        return f"{change.name}: {change.before or 'no status'} → {change.after or 'no status'}"
    return f"{change.name}: {change.kind}"


def compute(
    frames: Mapping[str, gpd.GeoDataFrame], *, before: dt.date, after: dt.date
) -> list[Change]:
    """Every change between ``before`` and ``after`` across the drawn layers."""
    out: list[Change] = []
    for layer_id, frame in frames.items():
        if layer_id in {"base", LAYER_ID}:
            continue
        records = [{"properties": r} for r in frame.drop(columns="geometry").to_dict("records")]
        out += changes_between(layer_id, records, before, after)
    return out


def build(frames: Mapping[str, gpd.GeoDataFrame], changes: Iterable[Change]) -> folium.FeatureGroup:
    """Halos under the changed features (drawn below the layers, not interactive)."""
    parts = []
    for change in changes:
        frame = frames.get(change.layer)
        if frame is None:
            continue
        rows = frame[frame["id"] == change.feature_id]
        parts.append(rows.assign(_change=change.kind, _describe=describe(change)))
    if not parts:
        return PlainGroup(name="changes", control=False)
    rows = gpd.GeoDataFrame([r for part in parts for r in records(part)], crs="OGC:CRS84")
    features, styles = to_features(rows, look=look, popup=_popup)
    return geojson_group(features, styles, layer_id=LAYER_ID, name="Changes")


def table(changes: Iterable[Change], frames: Mapping[str, gpd.GeoDataFrame]) -> pd.DataFrame:
    """The changes as rows: layer, feature, from, to, km (segments), source of the newer status."""
    rows = []
    for change in changes:
        km = None
        if change.layer == "borders":
            match = frames["borders"][frames["borders"]["id"] == change.feature_id]
            km = round(float(match["length_km"].iloc[0]), 1) if len(match) else None
        rows.append(
            {
                "layer": change.layer,
                "feature": change.name,
                "change": change.kind,
                "from": change.before or "",
                "to": change.after or "",
                "km": km,
                "source": change.source or "",
            }
        )
    return pd.DataFrame(rows, columns=["layer", "feature", "change", "from", "to", "km", "source"])
