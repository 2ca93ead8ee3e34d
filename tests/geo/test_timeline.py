"""geo.timeline: what holds on a date (edge days), the look-back window, changes between dates."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.timeline import (
    LOOKBACK_DAYS_DEFAULT,
    age_in_window,
    as_date,
    changes_between,
    entry_on,
    fade,
    holds_on,
    km_by_status_pair,
    status_on,
)
from tests.conftest import history, make_feature

D = dt.date
ONE = dt.timedelta(days=1)


def test_as_date_accepts_text_dates_and_none() -> None:
    assert as_date("2021-04-28") == D(2021, 4, 28)
    assert as_date(D(2021, 4, 28)) == D(2021, 4, 28)
    assert as_date(None) is None


# --- lasting features: valid_from <= D < valid_to ---------------------------------------------


def test_feature_holds_from_its_first_day_not_the_day_before() -> None:
    props = {"valid_from": "2021-04-28", "valid_to": None}
    assert holds_on(props, D(2021, 4, 28))
    assert not holds_on(props, D(2021, 4, 27))


def test_valid_to_is_exclusive() -> None:
    props = {"valid_from": None, "valid_to": "2022-09-16"}
    assert holds_on(props, D(2022, 9, 15))
    assert not holds_on(props, D(2022, 9, 16))
    assert not holds_on(props, D(2022, 9, 17))


def test_null_bounds_are_open() -> None:
    props = {"valid_from": None, "valid_to": None}
    assert holds_on(props, D(1900, 1, 1))
    assert holds_on(props, D(2100, 12, 31))
    assert holds_on({}, D(2021, 1, 1))


def test_one_day_feature() -> None:
    props = {"valid_from": "2021-04-28", "valid_to": "2021-04-29"}
    assert [holds_on(props, D(2021, 4, d)) for d in (27, 28, 29)] == [False, True, False]


def test_date_objects_work_as_bounds() -> None:
    props = {"valid_from": D(2021, 1, 1), "valid_to": D(2021, 2, 1)}
    assert holds_on(props, D(2021, 1, 31))
    assert not holds_on(props, D(2021, 2, 1))


# --- status on a date ---------------------------------------------------------------------------

HISTORY = history(
    ("2021-01-01", "disputed"), ("2021-10-05", "delimited"), ("2022-09-14", "disputed")
)


def test_status_starting_on_a_day_applies_that_day_not_the_day_before() -> None:
    assert status_on(HISTORY, D(2021, 10, 5)) == "delimited"
    assert status_on(HISTORY, D(2021, 10, 4)) == "disputed"


def test_status_is_the_last_entry_started() -> None:
    assert status_on(HISTORY, D(2022, 9, 13)) == "delimited"
    assert status_on(HISTORY, D(2022, 9, 14)) == "disputed"
    assert status_on(HISTORY, D(2030, 1, 1)) == "disputed"


def test_no_status_before_the_history_starts() -> None:
    assert status_on(HISTORY, D(2020, 12, 31)) is None
    assert entry_on(HISTORY, D(2020, 12, 31)) is None
    assert status_on([], D(2021, 1, 1)) is None


def test_entry_on_returns_the_entry_with_its_sources() -> None:
    entry = entry_on(HISTORY, D(2022, 1, 1))
    assert entry is HISTORY[1]


# --- episodic features: look-back window (D - window, D] -----------------------------------


def test_event_on_the_day_has_age_zero() -> None:
    assert age_in_window({"valid_from": "2021-09-17"}, D(2021, 9, 17)) == 0


def test_future_event_is_not_shown() -> None:
    assert age_in_window({"valid_from": "2021-09-18"}, D(2021, 9, 17)) is None


def test_window_edges_for_a_one_day_event() -> None:
    event = {"valid_from": "2021-01-01", "valid_to": None}
    window = 10
    # Shown while (day - event) < window: the last day shown is event + window - 1.
    assert age_in_window(event, D(2021, 1, 10), window_days=window) == 9
    assert age_in_window(event, D(2021, 1, 11), window_days=window) is None


def test_default_window_is_ninety_days() -> None:
    event = {"valid_from": "2021-01-01"}
    assert LOOKBACK_DAYS_DEFAULT == 90
    assert age_in_window(event, D(2021, 1, 1) + 89 * ONE) == 89
    assert age_in_window(event, D(2021, 1, 1) + 90 * ONE) is None


def test_multi_day_exercise_ages_from_its_last_day() -> None:
    # valid_to exclusive: the exercise runs 1-9 October; its last day is the 9th.
    exercise = {"valid_from": "2021-10-01", "valid_to": "2021-10-10"}
    assert age_in_window(exercise, D(2021, 9, 30)) is None
    assert age_in_window(exercise, D(2021, 10, 1)) == 0
    assert age_in_window(exercise, D(2021, 10, 9)) == 0
    assert age_in_window(exercise, D(2021, 10, 10)) == 1
    assert age_in_window(exercise, D(2021, 10, 15)) == 6
    assert age_in_window(exercise, D(2021, 10, 15), window_days=6) is None
    assert age_in_window(exercise, D(2021, 10, 15), window_days=7) == 6


def test_episodic_feature_without_start_is_not_shown() -> None:
    assert age_in_window({"valid_from": None, "valid_to": None}, D(2021, 1, 1)) is None


def test_fade_goes_from_opaque_to_a_quarter() -> None:
    assert fade(0, window_days=90) == 1.0
    assert fade(45, window_days=90) == pytest.approx(0.625)
    assert fade(90, window_days=90) == pytest.approx(0.25)
    assert fade(500, window_days=90) == pytest.approx(0.25)
    assert fade(10, window_days=90) > fade(20, window_days=90)


# --- changes between two dates ---------------------------------------------------------------


@pytest.fixture
def segments() -> list[dict]:
    return [
        make_feature(
            "borders.geojson",
            id="seg-status",
            name="Status changes",
            status_history=history(("2021-01-01", "disputed"), ("2021-10-05", "delimited")),
        ),
        make_feature(
            "borders.geojson",
            id="seg-new",
            name="Appears",
            valid_from="2021-06-01",
            status_history=history(("2021-06-01", "undetermined")),
        ),
        make_feature(
            "borders.geojson",
            id="seg-old",
            name="Ends",
            valid_to="2021-08-01",
            status_history=history(("2021-01-01", "disputed")),
        ),
        make_feature(
            "borders.geojson",
            id="seg-same",
            name="Unchanged",
            status_history=history(("2021-01-01", "delimited")),
        ),
    ]


def test_changes_between_two_dates(segments: list[dict]) -> None:
    changes = changes_between("borders", segments, D(2021, 3, 1), D(2021, 12, 1))
    got = {(c.feature_id, c.kind, c.before, c.after) for c in changes}
    assert got == {
        ("seg-status", "status", "disputed", "delimited"),
        ("seg-new", "appeared", None, None),
        ("seg-old", "ended", None, None),
    }
    assert all(c.layer == "borders" for c in changes)
    status = next(c for c in changes if c.kind == "status")
    assert status.name == "Status changes"
    assert status.source is not None and "Test Publisher" in status.source


def test_changes_on_the_edge_days(segments: list[dict]) -> None:
    # The day before the new status, the new segment and the end, nothing has changed yet.
    assert changes_between("borders", segments, D(2021, 6, 1), D(2021, 7, 31)) == []
    ids = {
        c.feature_id for c in changes_between("borders", segments, D(2021, 5, 31), D(2021, 6, 1))
    }
    assert ids == {"seg-new"}
    ids = {
        c.feature_id for c in changes_between("borders", segments, D(2021, 7, 31), D(2021, 8, 1))
    }
    assert ids == {"seg-old"}
    changes = changes_between("borders", segments, D(2021, 10, 4), D(2021, 10, 5))
    assert [(c.feature_id, c.kind) for c in changes] == [("seg-status", "status")]


def test_changes_backwards_swap_before_and_after(segments: list[dict]) -> None:
    changes = changes_between("borders", segments, D(2021, 12, 1), D(2021, 3, 1))
    got = {(c.feature_id, c.kind, c.before, c.after) for c in changes}
    assert got == {
        ("seg-status", "status", "delimited", "disputed"),
        ("seg-new", "ended", None, None),
        ("seg-old", "appeared", None, None),
    }


def test_same_date_has_no_changes(segments: list[dict]) -> None:
    assert changes_between("borders", segments, D(2021, 10, 5), D(2021, 10, 5)) == []


def test_layers_without_status_report_only_appear_and_end() -> None:
    places = [make_feature("places.geojson", id="pl", valid_from="2021-05-01")]
    changes = changes_between("places", places, D(2021, 4, 1), D(2021, 6, 1))
    assert [(c.layer, c.feature_id, c.kind) for c in changes] == [("places", "pl", "appeared")]


def test_km_by_status_pair_sums_segments_per_pair() -> None:
    a = make_feature(
        "borders.geojson",
        status_history=history(("2021-01-01", "disputed"), ("2022-01-01", "delimited")),
    )["properties"]
    b = make_feature(
        "borders.geojson",
        status_history=history(("2021-01-01", "disputed"), ("2022-03-01", "delimited")),
    )["properties"]
    c = make_feature(
        "borders.geojson",
        valid_to="2022-02-01",
        status_history=history(("2021-01-01", "undetermined")),
    )["properties"]
    same = make_feature("borders.geojson", status_history=history(("2021-01-01", "delimited")))[
        "properties"
    ]
    measured = [(a, 1.5), (b, 2.25), (c, 4.0), (same, 100.0)]
    got = km_by_status_pair(measured, dt.date(2021, 6, 1), dt.date(2022, 6, 1))
    assert got == {"disputed->delimited": 3.75, "undetermined->absent": 4.0}
    assert list(got) == sorted(got)
    assert km_by_status_pair(measured, dt.date(2022, 6, 1), dt.date(2022, 6, 1)) == {}
    assert km_by_status_pair(measured, dt.date(2020, 6, 1), dt.date(2021, 6, 1)) == {
        "absent->disputed": 3.75,
        "absent->undetermined": 4.0,
        "absent->delimited": 100.0,
    }
