"""layers.progress_chart: the headline compares like with like; the count of stale features."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.catalog import DATA_DIR, load_features, load_milestones
from geo.freshness import FreshnessRow, freshness
from geo.progress import segments_from_features, stats
from layers.progress_chart import headline, progress_chart, stale_line


def _figures(day: dt.date) -> dict:
    segments = segments_from_features(load_features(DATA_DIR / "borders.geojson"))
    return stats(segments, load_milestones(), day, border="KGZ-TJK")


def test_headline_on_2022_09_20_sets_the_described_figure_beside_the_computed_one() -> None:
    """Issue 12: the GKNB's legal 519 of 972 km (18 Sep 2022) is not the comparison figure."""
    figures = _figures(dt.date(2022, 9, 20))
    reported = figures["reported"]
    assert reported["measure"] == "described"
    assert reported["date"] == "2022-04-01"
    text = headline(figures)
    assert "km described" in text
    assert "519.0 of 972.0" not in text
    computed = figures["km_by_status"]["delimited"] / figures["total_km"]
    assert abs(100 * computed - 100 * reported["delimited_km"] / reported["total_km"]) <= 5.0


def test_headline_after_the_treaty_ignores_fencing_and_legal_lengths() -> None:
    figures = _figures(dt.date(2026, 11, 30))
    assert figures["reported"]["measure"] == "described"
    assert "1,008.1" not in headline(figures)


def test_chart_diamonds_are_the_computed_measure_only() -> None:
    segments = segments_from_features(load_features(DATA_DIR / "borders.geojson"))
    milestones = load_milestones()
    chart = progress_chart(segments, milestones, border="KGZ-TJK", end=dt.date(2026, 11, 30))
    diamonds = chart.layer[1].data
    assert isinstance(diamonds, pd.DataFrame)
    described = [
        m
        for m in milestones
        if m["border"] == "KGZ-TJK" and m["reported"] and m["measure"] == "described"
    ]
    assert len(diamonds) == len(described)
    assert 107 not in set(diamonds["km"])


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
