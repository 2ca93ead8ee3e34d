"""Delimitation progress as a chart and a headline: computed km by status over time, with the
reported milestone figures on the same axes and the seed article's 2021-pace projection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final, cast

import altair as alt
import pandas as pd

from geo.freshness import STALE_AFTER_DAYS
from geo.progress import COMPUTED_MEASURE, Segment, projected_finish, series
from geo.schema import STATUSES
from geo.timeline import as_date
from layers._html import safe_markdown
from layers.styles import STATUS_STYLE

SEED_PACE_KM_PER_MONTH: Final = 8.0
"""The seed article's 'current rate of around 8 km a month' (Caspian Post, late October 2021)."""
SEED_START: Final = dt.date(2021, 10, 5)
SEED_DONE_KM: Final = 519.0
SEED_TOTAL_KM: Final = 984.0
"""The seed's 'as of early October, 519 km … of the 984 km total'."""
ACTUAL_FINISH: Final = dt.date(2024, 12, 4)
"""All sections described (Kyrgyz and Tajik government statements, 4 Dec 2024; see milestones)."""


def headline(figures: Mapping[str, Any]) -> str:
    """'X of Y km delimited (Z %) on <date>' plus the latest reported figure, as safe markdown.

    The reported figure is one of the same measure as the computed one (``geo.progress.stats``
    picks it); its measure is named so a legal or fenced length is never mistaken for it.
    """
    total = figures["total_km"]
    done = figures["km_by_status"]["delimited"]
    share = 100 * done / total if total else 0.0
    text = (
        f"**{done:,.0f} of {total:,.0f} km delimited ({share:.0f} %) on {figures['date']}** "
        f"— {safe_markdown(figures['border'])}, computed from the drawn segments"
    )
    reported = figures.get("reported")
    if reported:
        text += (
            f"  \nReported on {safe_markdown(reported['date'])}: "
            f"{reported['delimited_km']:,.1f} of {reported['total_km']:,.1f} km "
            f"{safe_markdown(reported.get('measure', COMPUTED_MEASURE))} "
            f"({safe_markdown(reported['source'])})"
        )
    return text


def stale_line(rows: Sequence[Any]) -> str:
    """The headline's freshness count, from ``geo.freshness.freshness`` rows (``.stale``):
    e.g. '3 of 45 features unconfirmed for over a year'; safe markdown (our text and numbers)."""
    if not rows:
        return ""
    stale = sum(1 for row in rows if row.stale)
    return (
        f"{stale} of {len(rows)} lasting features unconfirmed for over a year "
        f"(no source dated in the {STALE_AFTER_DAYS} days before the date; drawn faded)"
    )


def seed_projection() -> dt.date:
    """When the seed's 2021 pace would have finished the 984 km."""
    return projected_finish(
        start=SEED_START,
        done_km=SEED_DONE_KM,
        total_km=SEED_TOTAL_KM,
        km_per_month=SEED_PACE_KM_PER_MONTH,
    )


def progress_frame(
    segments: Sequence[Segment], *, border: str, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Long table: date, status, km (computed)."""
    rows = [
        {"date": row["date"], "status": status, "km": row["km_by_status"][status]}
        for row in series(segments, border=border, start=start, end=end)
        for status in STATUSES
    ]
    return pd.DataFrame(rows)


def progress_chart(
    segments: Sequence[Segment],
    milestones: Sequence[Mapping[str, Any]],
    *,
    border: str,
    end: dt.date,
    start: dt.date = dt.date(2021, 1, 1),
) -> alt.LayerChart:
    """Step lines of computed km per status, reported points, and the seed's projection."""
    computed = progress_frame(segments, border=border, start=start, end=end)
    colors = alt.Scale(domain=list(STATUSES), range=[STATUS_STYLE[s].color for s in STATUSES])
    dashes = alt.Scale(
        domain=list(STATUSES),
        range=[list(STATUS_STYLE[s].dash or (1, 0)) for s in STATUSES],
    )
    lines = (
        alt.Chart(computed)
        .mark_line(interpolate="step-after", strokeWidth=2.5)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("km:Q", title="km (computed from the map's segments)"),
            color=alt.Color("status:N", scale=colors, title="Computed, by status"),
            strokeDash=alt.StrokeDash("status:N", scale=dashes, legend=None),
            tooltip=["date:T", "status:N", alt.Tooltip("km:Q", format=",.1f")],
        )
    )
    reported = pd.DataFrame(
        [
            {
                "date": m["date"],
                "km": m["reported"]["delimited_km"],
                "of_km": m["reported"]["total_km"],
                "what": str(m["title"])[:120],
            }
            for m in milestones
            if m["border"] == border
            and m.get("reported")
            and m.get("measure") == COMPUTED_MEASURE
            and start <= as_date(m["date"]) <= end
        ],
        columns=["date", "km", "of_km", "what"],
    )
    points = (
        alt.Chart(reported)
        .mark_point(shape="diamond", size=90, filled=True, color="#111827")
        .encode(
            x="date:T",
            y="km:Q",
            tooltip=["date:T", "what:N", "km:Q", alt.Tooltip("of_km:Q", title="of total km")],
        )
    )
    finish = seed_projection()
    projection = pd.DataFrame(
        [
            {"date": SEED_START.isoformat(), "km": SEED_DONE_KM},
            {"date": finish.isoformat(), "km": SEED_TOTAL_KM},
        ]
    )
    pace = (
        alt.Chart(projection)
        .mark_line(strokeDash=[2, 3], color="#6b7280")
        .encode(x="date:T", y="km:Q", tooltip=["date:T", "km:Q"])
    )
    chart = alt.layer(lines, points, pace).properties(
        height=320,
        title=(
            f"Diamonds: reported {COMPUTED_MEASURE} km (the computed measure). Grey dots: the 2021 pace of ~8 km/month "
            f"would have finished around {finish:%B %Y}; all sections were described on "
            f"{ACTUAL_FINISH:%d %B %Y}."
        ),
    )
    # altair types layer(...).properties() as LayerChart | FacetChart; layering charts gives a layer.
    return cast(alt.LayerChart, chart)
