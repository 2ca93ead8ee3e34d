"""Delimitation progress: computed km by status on a date, next to the reported figures.

Kilometres come from the segment geometry (geodesic), never from typed-in numbers; the reported
figures from ``milestones.json`` are shown beside them, so a reader sees both when they differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from shapely.geometry import shape

from geo.measure import geodesic_length_m
from geo.schema import STATUSES
from geo.timeline import as_date, holds_on, status_on


def segment_km(feature: Mapping[str, Any]) -> float:
    """Geodesic length of one segment in kilometres."""
    return geodesic_length_m(shape(feature["geometry"])) / 1000.0


def km_by_status(
    segments: Sequence[Mapping[str, Any]], day: dt.date, *, border: str
) -> dict[str, Any]:
    """Total km of ``border`` and km per status on ``day`` (segments valid that day only)."""
    totals = dict.fromkeys(STATUSES, 0.0)
    total = 0.0
    for feature in segments:
        props = feature["properties"]
        if props["border"] != border or not holds_on(props, day):
            continue
        km = segment_km(feature)
        total += km
        status = status_on(props["status_history"], day)
        if status in totals:
            totals[status] += km
    return {
        "total_km": round(total, 2),
        "km_by_status": {k: round(v, 2) for k, v in totals.items()},
    }


def latest_reported(
    milestones: Sequence[Mapping[str, Any]], day: dt.date, *, border: str
) -> dict[str, Any] | None:
    """The latest milestone with a figure for ``border`` on or before ``day``."""
    best = None
    for item in milestones:
        if item["border"] != border or not item.get("reported"):
            continue
        if as_date(item["date"]) <= day and (best is None or item["date"] >= best["date"]):
            best = item
    if best is None:
        return None
    src = best["sources"][0]
    return {
        "date": best["date"],
        "title": best["title"],
        "delimited_km": best["reported"]["delimited_km"],
        "total_km": best["reported"]["total_km"],
        "source": f"{src['publisher']}: {src['title']} ({src.get('date') or 'n.d.'})",
    }


def stats(
    segments: Sequence[Mapping[str, Any]],
    milestones: Sequence[Mapping[str, Any]],
    day: dt.date,
    *,
    border: str,
) -> dict[str, Any]:
    """The JSON figure `python -m geo stats` prints and the page shows."""
    computed = km_by_status(segments, day, border=border)
    return {
        "date": day.isoformat(),
        "border": border,
        **computed,
        "reported": latest_reported(milestones, day, border=border),
    }
