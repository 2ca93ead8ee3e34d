"""geo.progress: computed km by status on a date, next to the latest reported figure.

Expected kilometres come from the WGS 84 meridian arc (tests/conftest.py ``meridian_arc_m``),
computed independently of pyproj: the fixture segments run along the meridian 70° E.
"""

from __future__ import annotations

import datetime as dt

import pytest

from geo.progress import (
    COMPUTED_MEASURE,
    Segment,
    change_dates,
    km_by_status,
    latest_reported,
    projected_finish,
    segments_from_features,
    series,
    stats,
)
from tests.conftest import (
    history,
    make_feature,
    meridian,
    meridian_arc_m,
    milestone,
    three_segments,
)

D = dt.date


def km(lat0: float, lat1: float) -> float:
    return meridian_arc_m(lat0, lat1) / 1000


@pytest.fixture
def segments() -> list[Segment]:
    return segments_from_features(FEATURES)


FEATURES = [
    *three_segments(ids=("a", "b", "c"), delimited_from="2021-10-05"),
    make_feature(
        "borders.geojson",
        id="other-border",
        border="AFG-TJK",
        geometry=meridian(37.0, 38.0),
        status_history=history(("2021-01-01", "delimited")),
    ),
]


def test_segments_are_measured_once_as_meridian_arcs(segments: list[Segment]) -> None:
    assert [s.props["id"] for s in segments] == ["a", "b", "c", "other-border"]
    assert segments[0].km == pytest.approx(km(39.0, 39.5), rel=1e-6)
    assert segments[3].km == pytest.approx(km(37.0, 38.0), rel=1e-6)


def test_km_by_status_before_the_change(segments: list[Segment]) -> None:
    got = km_by_status(segments, D(2021, 10, 4), border="KGZ-TJK")
    assert got["km_by_status"]["delimited"] == pytest.approx(km(39.0, 39.5), abs=0.01)
    assert got["km_by_status"]["disputed"] == pytest.approx(km(39.5, 40.0), abs=0.01)
    assert got["km_by_status"]["undetermined"] == pytest.approx(km(40.0, 40.2), abs=0.01)
    assert got["total_km"] == pytest.approx(km(39.0, 40.2), abs=0.01)


def test_km_by_status_on_the_day_of_the_change(segments: list[Segment]) -> None:
    got = km_by_status(segments, D(2021, 10, 5), border="KGZ-TJK")
    assert got["km_by_status"] == pytest.approx(
        {"delimited": km(39.0, 40.0), "disputed": 0.0, "undetermined": km(40.0, 40.2)}, abs=0.01
    )


def test_segments_not_valid_on_the_date_are_not_counted(segments: list[Segment]) -> None:
    before = km_by_status(segments, D(2021, 2, 28), border="KGZ-TJK")
    after = km_by_status(segments, D(2023, 1, 1), border="KGZ-TJK")
    last_day = km_by_status(segments, D(2022, 12, 31), border="KGZ-TJK")
    for got in (before, after):
        assert got["total_km"] == pytest.approx(km(39.0, 40.0), abs=0.01)
        assert got["km_by_status"]["undetermined"] == 0.0
    assert last_day["km_by_status"]["undetermined"] == pytest.approx(km(40.0, 40.2), abs=0.01)


def test_only_the_asked_border_counts(segments: list[Segment]) -> None:
    got = km_by_status(segments, D(2021, 6, 1), border="AFG-TJK")
    assert got == {
        "total_km": pytest.approx(km(37.0, 38.0), abs=0.01),
        "km_by_status": {
            "delimited": pytest.approx(km(37.0, 38.0), abs=0.01),
            "disputed": 0.0,
            "undetermined": 0.0,
        },
    }


def test_unknown_border_is_zero(segments: list[Segment]) -> None:
    got = km_by_status(segments, D(2021, 6, 1), border="CHN-TJK")
    assert got["total_km"] == 0.0
    assert set(got["km_by_status"]) == {"delimited", "disputed", "undetermined"}


MILESTONES = [
    milestone("2021-05-01", 400.0, 984.0),
    milestone("2021-10-05", 519.0, 984.0),
    milestone("2021-11-01", 100.0, 1344.0, border="AFG-TJK"),
    {**milestone("2022-01-01", 0, 1), "reported": None},
]


def test_latest_reported_on_and_before_the_day() -> None:
    assert latest_reported(MILESTONES, D(2021, 4, 30), border="KGZ-TJK") is None
    assert latest_reported(MILESTONES, D(2021, 10, 4), border="KGZ-TJK")["delimited_km"] == 400.0
    on_day = latest_reported(MILESTONES, D(2021, 10, 5), border="KGZ-TJK")
    assert on_day["delimited_km"] == 519.0
    assert on_day["total_km"] == 984.0
    assert on_day["date"] == "2021-10-05"
    assert "Test Publisher" in on_day["source"]


def test_latest_reported_compares_like_with_like() -> None:
    """A later legal or fenced figure never replaces the described one beside the computed share."""
    mixed = [
        *MILESTONES,
        milestone("2021-10-06", 519.9, 1006.84, measure="legal"),
        milestone("2021-10-07", 62.0, 1008.14, measure="demarcated"),
    ]
    got = latest_reported(mixed, D(2021, 12, 1), border="KGZ-TJK")
    assert (got["date"], got["measure"]) == ("2021-10-05", "described")
    legal = latest_reported(mixed, D(2021, 12, 1), border="KGZ-TJK", measure="legal")
    assert (legal["date"], legal["delimited_km"]) == ("2021-10-06", 519.9)
    assert latest_reported(mixed, D(2021, 12, 1), border="KGZ-TJK", measure="agreed") is None


def test_stats_reports_only_the_computed_measure(segments: list[Segment]) -> None:
    mixed = [*MILESTONES, milestone("2021-10-10", 62.0, 1008.14, measure="demarcated")]
    got = stats(segments, mixed, D(2021, 10, 15), border="KGZ-TJK")
    assert got["reported"]["date"] == "2021-10-05"
    assert got["reported"]["measure"] == COMPUTED_MEASURE == "described"


def test_milestone_without_figure_is_skipped() -> None:
    assert latest_reported(MILESTONES, D(2022, 6, 1), border="KGZ-TJK")["date"] == "2021-10-05"


def test_stats_shape(segments: list[Segment]) -> None:
    got = stats(segments, MILESTONES, D(2021, 10, 15), border="KGZ-TJK")
    assert set(got) == {"date", "border", "total_km", "km_by_status", "reported"}
    assert got["date"] == "2021-10-15"
    assert got["border"] == "KGZ-TJK"
    assert got["reported"]["delimited_km"] == 519.0
    assert got["total_km"] == pytest.approx(km(39.0, 40.2), abs=0.01)


def test_change_dates_lists_status_and_validity_days(segments: list[Segment]) -> None:
    assert change_dates(segments, border="KGZ-TJK") == [
        D(2021, 1, 1),
        D(2021, 3, 1),
        D(2021, 10, 5),
        D(2023, 1, 1),
    ]


def test_series_samples_each_change_and_the_day_before(segments: list[Segment]) -> None:
    points = series(segments, border="KGZ-TJK", start=D(2021, 6, 1), end=D(2021, 12, 31))
    assert [p["date"] for p in points] == ["2021-06-01", "2021-10-04", "2021-10-05", "2021-12-31"]
    before, on = points[1], points[2]
    assert before["km_by_status"]["disputed"] == pytest.approx(km(39.5, 40.0), abs=0.01)
    assert on["km_by_status"]["disputed"] == 0.0
    assert on["km_by_status"]["delimited"] == pytest.approx(km(39.0, 40.0), abs=0.01)


def test_projected_finish_at_a_constant_pace() -> None:
    # 984 - 519 = 465 km left at 465 km a month: one month, i.e. 365.2425 / 12 = 30.4 days.
    assert projected_finish(start=D(2021, 10, 5), done_km=519, total_km=984, km_per_month=465) == D(
        2021, 11, 4
    )
    assert projected_finish(start=D(2021, 1, 1), done_km=10, total_km=5, km_per_month=1) == D(
        2021, 1, 1
    )
    with pytest.raises(ValueError, match="positive"):
        projected_finish(start=D(2021, 1, 1), done_km=0, total_km=5, km_per_month=0)
