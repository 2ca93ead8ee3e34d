"""Delimitation progress: computed km by status on a date, next to the reported figures.

Kilometres come from the segment geometry (geodesic), never from typed-in numbers; the reported
figures from ``milestones.json`` are shown beside them, so a reader sees both when they differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from shapely.geometry import shape

from geo.measure import geodesic_length_m
from geo.schema import STATUSES, Measure
from geo.timeline import as_date, holds_on, status_on

COMPUTED_MEASURE: Final[Measure] = "described"
"""What the computed ``delimited`` km count: the line the commissions have described (data/README.md).
Only milestones of this measure are compared with it; legal, agreed and demarcated figures are not."""


@dataclass(frozen=True)
class Segment:
    """A border segment's properties with its geodesic length, measured once."""

    props: Mapping[str, Any]
    km: float


def segments_from_features(features: Iterable[Mapping[str, Any]]) -> list[Segment]:
    """Measure each GeoJSON segment feature once (geodesic km)."""
    return [
        Segment(f["properties"], geodesic_length_m(shape(f["geometry"])) / 1000.0) for f in features
    ]


def segments_from_frame(frame: Any) -> list[Segment]:
    """Segments from a frame whose ``length_km`` column was measured on load (geo.catalog)."""
    return [Segment(row, float(row["length_km"])) for row in frame.to_dict("records")]


def km_by_status(segments: Sequence[Segment], day: dt.date, *, border: str) -> dict[str, Any]:
    """Total km of ``border`` and km per status on ``day`` (segments valid that day only)."""
    totals = dict.fromkeys(STATUSES, 0.0)
    total = 0.0
    for seg in segments:
        if seg.props["border"] != border or not holds_on(seg.props, day):
            continue
        total += seg.km
        status = status_on(seg.props["status_history"], day)
        if status in totals:
            totals[status] += seg.km
    return {
        "total_km": round(total, 2),
        "km_by_status": {k: round(v, 2) for k, v in totals.items()},
    }


def latest_reported(
    milestones: Sequence[Mapping[str, Any]],
    day: dt.date,
    *,
    border: str,
    measure: Measure = COMPUTED_MEASURE,
) -> dict[str, Any] | None:
    """The latest milestone with a figure of ``measure`` for ``border`` on or before ``day``.

    Comparing like with like: a legal or demarcated length is never set beside the described share.
    """
    best = None
    for item in milestones:
        if item["border"] != border or not item.get("reported"):
            continue
        if item.get("measure") != measure:
            continue
        if as_date(item["date"]) <= day and (best is None or item["date"] >= best["date"]):
            best = item
    if best is None:
        return None
    src = best["sources"][0]
    return {
        "date": best["date"],
        "title": best["title"],
        "measure": best["measure"],
        "delimited_km": best["reported"]["delimited_km"],
        "total_km": best["reported"]["total_km"],
        "source": f"{src['publisher']}: {src['title']} ({src.get('date') or 'n.d.'})",
    }


def stats(
    segments: Sequence[Segment],
    milestones: Sequence[Mapping[str, Any]],
    day: dt.date,
    *,
    border: str,
) -> dict[str, Any]:
    """The JSON figure `python -m geo stats` prints and the page shows.

    ``reported`` is the latest milestone of the computed figure's measure (``COMPUTED_MEASURE``).
    """
    return {
        "date": day.isoformat(),
        "border": border,
        **km_by_status(segments, day, border=border),
        "reported": latest_reported(milestones, day, border=border),
    }


def change_dates(segments: Sequence[Segment], *, border: str) -> list[dt.date]:
    """Every day on which some segment of ``border`` changes status or validity."""
    days: set[dt.date] = set()
    for seg in segments:
        if seg.props["border"] != border:
            continue
        days.update(as_date(e["from"]) for e in seg.props["status_history"])
        for bound in (seg.props.get("valid_from"), seg.props.get("valid_to")):
            if bound:
                days.add(as_date(bound))
    return sorted(days)


def series(
    segments: Sequence[Segment], *, border: str, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """km by status on ``start``, on every change day, the day before each, and on ``end``.

    Sampling the day before each change gives a step chart that shows the jumps exactly.
    """
    days = {start, end}
    for day in change_dates(segments, border=border):
        if start < day <= end:
            days.update({day, day - dt.timedelta(days=1)})
    return [
        {"date": day.isoformat(), **km_by_status(segments, day, border=border)}
        for day in sorted(days)
    ]


def projected_finish(
    *, start: dt.date, done_km: float, total_km: float, km_per_month: float
) -> dt.date:
    """When the work would end at a constant pace (e.g. the seed's ~8 km a month from 519 of 984)."""
    if km_per_month <= 0:
        raise ValueError("the pace must be positive")
    months = max(total_km - done_km, 0.0) / km_per_month
    return start + dt.timedelta(days=round(months * 365.2425 / 12))
