"""layers.progress_chart.stale_line: the headline's count of stale lasting features."""

from __future__ import annotations

import datetime as dt

from geo.catalog import DATA_DIR
from geo.freshness import FreshnessRow, freshness
from layers.progress_chart import stale_line


def row(fid: str, stale: bool) -> FreshnessRow:
    return FreshnessRow(fid, "deployments", None if stale else dt.date(2026, 1, 1), None, stale)


def test_stale_line_counts_the_stale_rows() -> None:
    rows = [row("a", True), row("b", False), row("c", True), row("d", True)]
    assert stale_line(rows).startswith("3 of 4 lasting features unconfirmed for over a year")
    assert stale_line([row("a", False)]).startswith("0 of 1 lasting features unconfirmed")
    assert stale_line([]) == ""


def test_stale_line_on_shipped_data_matches_geo_freshness() -> None:
    rows = freshness(DATA_DIR, as_of=dt.date(2026, 11, 30))
    stale = [r for r in rows if r.stale]
    assert stale_line(rows).startswith(f"{len(stale)} of {len(rows)} lasting features")
