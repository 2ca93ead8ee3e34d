"""layers.lately: the events and exercises of the look-back window, newest first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from geo.catalog import load_frame
from layers import REGISTRY, ViewOptions, load_frames
from layers.lately import lately
from tests.conftest import SOURCE, box, make_feature, write_geojson
from tests.layers.test_select import by_id

D = dt.date
ZONE = box(70.0, 39.0, 70.4, 39.2)


@pytest.fixture
def frames(tmp_path: Path) -> dict:
    second = {**SOURCE, "title": "Second", "publisher": "Other", "date": "2024-03-02"}
    events = write_geojson(
        tmp_path / "events.geojson",
        make_feature(
            "events.geojson",
            id="ev-clash",
            valid_from="2024-03-01",
            valid_to="2024-03-02",
            fatalities=3,
            confidence="reported",
            sources=[{**SOURCE, "title": "First <b>report</b>", "date": "2024-03-01"}, second],
        ),
        make_feature("events.geojson", id="ev-meeting", kind="meeting", valid_from="2024-02-10"),
        make_feature("events.geojson", id="ev-too-old", valid_from="2023-10-01"),
        make_feature("events.geojson", id="ev-future", valid_from="2024-03-20"),
    )
    exercises = write_geojson(
        tmp_path / "exercises.geojson",
        make_feature(
            "exercises.geojson",
            id="ex-long",
            valid_from="2024-01-15",
            valid_to="2024-03-10",
            geometry=ZONE,
            sources=[{**SOURCE, "date": None}],
        ),
    )
    return {
        "events": load_frame(events)[0],
        "exercises": load_frame(exercises)[0],
        "deployments": load_frame(write_geojson(tmp_path / "deployments.geojson"))[0],
    }


def test_window_newest_first_with_its_fields(frames: dict) -> None:
    rows = lately(frames, as_of=D(2024, 3, 15), window_days=60)
    assert [r.id for r in rows] == ["ev-clash", "ev-meeting", "ex-long"]
    clash, meeting, exercise = rows
    assert (clash.date, clash.kind, clash.place) == (D(2024, 3, 1), "clash", "Feature ev-clash")
    assert (clash.fatalities, clash.confidence, clash.days_ago) == (3, "reported", 14)
    assert (clash.source_title, clash.source_publisher, clash.source_date) == (
        "First <b>report</b>",  # raw data text: the page shows it as plain text
        "Test Publisher",
        "2024-03-01",
    )
    assert clash.source == "Test Publisher: First <b>report</b> (2024-03-01)"
    assert (clash.lon, clash.lat) == (70.5, 39.5)
    assert meeting.kind == "meeting" and meeting.fatalities is None
    assert exercise.kind == "exercise" and exercise.layer == "exercises"
    assert exercise.source == "Test Publisher: Test source (n.d.)"
    assert shape(ZONE).contains(Point(exercise.lon, exercise.lat))
    assert exercise.as_record()["date"] == "2024-01-15"


def test_window_edges(frames: dict) -> None:
    assert [r.id for r in lately(frames, as_of=D(2024, 3, 15), window_days=20)] == [
        "ev-clash",
        "ex-long",
    ]
    assert lately(frames, as_of=D(2023, 1, 1), window_days=90) == []
    assert "ev-future" in {r.id for r in lately(frames, as_of=D(2024, 3, 20), window_days=1)}
    assert lately({}, as_of=D(2024, 3, 15)) == []


@pytest.mark.parametrize("day", [D(2021, 10, 20), D(2022, 9, 20), D(2025, 3, 31)])
def test_shipped_data_lists_what_the_map_draws(day: dt.date) -> None:
    frames, _problems = load_frames()
    view = ViewOptions(window_days=90)
    rows = lately(frames, as_of=day, window_days=view.window_days)
    drawn = set()
    for layer in ("events", "exercises"):
        drawn |= set(by_id(REGISTRY[layer].build(frames[layer], as_of=day, view=view)))
    assert {r.id for r in rows} == drawn
    assert rows, "each of these days has events in the 90 days before it"
    dates = [r.date for r in rows]
    assert dates == sorted(dates, reverse=True)
