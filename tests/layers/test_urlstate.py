"""layers.urlstate: URL <-> view. Round trips, and one notice per malformed value with defaults."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.schema import STATUSES
from layers import LAYER_IDS, REGISTRY
from layers.mapview import DEFAULT_CENTER, DEFAULT_ZOOM, MAX_ZOOM, MIN_ZOOM
from layers.urlstate import (
    FIRST_DAY,
    WINDOW_MAX_DAYS,
    WINDOW_MIN_DAYS,
    MapReport,
    ViewState,
    default_layers,
    parse_query,
    permalink,
    read_map_report,
    to_query,
)

TODAY = dt.date(2025, 6, 30)


def test_no_parameters_give_the_defaults() -> None:
    state, notices = parse_query({}, today=TODAY)
    assert notices == []
    assert state == ViewState(date=TODAY)
    assert state.layers == default_layers()
    assert state.statuses == STATUSES
    assert (state.lat, state.lon, state.zoom) == (*DEFAULT_CENTER, DEFAULT_ZOOM)
    assert state.feature is None and state.compare is None and not state.embed


def test_default_layers_are_the_registry_rows_switched_on() -> None:
    assert default_layers() == tuple(i for i in LAYER_IDS if REGISTRY[i].default_on)
    assert "places" not in default_layers()


FULL = ViewState(
    date=dt.date(2021, 10, 15),
    layers=("borders", "events", "places"),
    statuses=("delimited", "undetermined"),
    lat=40.05123,
    lon=70.81234,
    zoom=11,
    feature="seg-vorukh-2",
    compare=dt.date(2021, 4, 28),
    embed=True,
    window_days=30,
)


@pytest.mark.parametrize(
    "state",
    [
        FULL,
        ViewState(date=TODAY),
        ViewState(date=FIRST_DAY, layers=(), statuses=()),
        ViewState(date=TODAY, layers=LAYER_IDS, zoom=MIN_ZOOM),
        ViewState(date=TODAY, zoom=MAX_ZOOM, lat=30.0, lon=85.0),
    ],
    ids=["full", "defaults", "nothing-shown", "all-layers", "edges"],
)
def test_parse_query_round_trips_to_query(state: ViewState) -> None:
    query = to_query(state)
    assert all(isinstance(v, str) for v in query.values())
    parsed, notices = parse_query(query, today=TODAY)
    assert notices == []
    assert parsed == state


def test_to_query_carries_the_documented_keys() -> None:
    query = to_query(FULL)
    assert query == {
        "date": "2021-10-15",
        "layers": "borders,events,places",
        "status": "delimited,undetermined",
        "lat": "40.05123",
        "lon": "70.81234",
        "z": "11",
        "window": "30",
        "feature": "seg-vorukh-2",
        "compare": "2021-04-28",
        "mode": "embed",
    }


def test_list_values_use_the_last_one() -> None:
    state, notices = parse_query({"date": ["2021-01-05", "2021-10-15"]}, today=TODAY)
    assert notices == []
    assert state.date == dt.date(2021, 10, 15)


def test_layer_order_in_the_url_does_not_matter() -> None:
    state, _ = parse_query({"layers": "places, borders,borders"}, today=TODAY)
    assert state.layers == ("borders", "places")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("date", "2021-02-30"),
        ("date", "yesterday"),
        ("date", "2020-12-31"),  # before the map's first day
        ("date", "2025-07-01"),  # after today
        ("compare", "15/10/2021"),
        ("layers", "borders,unicorns"),
        ("status", "agreed"),
        ("lat", "999"),
        ("lat", "nan"),
        ("lon", "-inf"),
        ("z", "abc"),
        ("z", "99"),
        ("window", "0"),
        ("window", "3"),
        ("window", "1000"),
        ("window", "1e400"),
        ("window", "30.5"),
        ("feature", "<script>alert(1)</script>"),
        ("feature", "a b"),
        ("mode", "print"),
    ],
)
def test_malformed_value_gives_one_notice_and_the_default(key: str, value: str) -> None:
    state, notices = parse_query({key: value}, today=TODAY)
    assert state == ViewState(date=TODAY)
    assert len(notices) == 1
    assert repr(key) in notices[0]
    assert "default" in notices[0]


def test_several_malformed_values_give_one_notice_each() -> None:
    params = {
        "date": "2021-13-01",
        "layers": "nope",
        "lat": "999",
        "z": "abc",
        "feature": "<script>",
        "lon": "71.5",
    }
    state, notices = parse_query(params, today=TODAY)
    assert len(notices) == 5
    for key in ("date", "layers", "lat", "z", "feature"):
        assert sum(repr(key) in n for n in notices) == 1, key
    assert state == ViewState(date=TODAY, lon=71.5)


def test_unknown_parameter_is_named_and_ignored() -> None:
    state, notices = parse_query({"colour": "red"}, today=TODAY)
    assert state == ViewState(date=TODAY)
    assert len(notices) == 1
    assert "'colour'" in notices[0]


def test_streamlit_embed_parameters_are_not_reported() -> None:
    _, notices = parse_query(
        {"embed": "true", "embed_options": "light_theme", "mode": "embed"}, today=TODAY
    )
    assert notices == []


def test_very_long_value_is_cut_in_the_notice() -> None:
    _, notices = parse_query({"feature": "x" * 10_000 + "<"}, today=TODAY)
    assert len(notices) == 1
    assert len(notices[0]) < 300


def test_feature_ids_are_lower_cased() -> None:
    state, notices = parse_query({"feature": "SEG-1"}, today=TODAY)
    assert notices == []
    assert state.feature == "seg-1"


def test_permalink_replaces_the_page_query() -> None:
    link = permalink("http://localhost:8501/?date=2020-01-01#x", {"date": "2021-10-15", "z": "7"})
    assert link == "http://localhost:8501/?date=2021-10-15&z=7"
    assert permalink(None, {"z": "7"}) == "/?z=7"


def test_permalink_encodes_values() -> None:
    link = permalink("http://h/", {"layers": "borders,events"})
    assert link == "http://h/?layers=borders%2Cevents"


# --- what the map frame reports back ----------------------------------------------------------


def test_map_report_reads_view_box_and_clicked_feature():
    returned = {
        "center": {"lat": 40.05, "lng": 70.75},
        "zoom": 10,
        "bounds": {
            "_southWest": {"lat": 39.8, "lng": 70.2},
            "_northEast": {"lat": 40.3, "lng": 71.3},
        },
        "last_object_clicked": {"lat": 39.87, "lng": 70.58},
        "last_active_drawing": {
            "type": "Feature",
            "properties": {"id": "enclave-vorukh", "name": "Vorukh", "_k": "x"},
            "geometry": {"type": "Point", "coordinates": [70.58, 39.87]},
        },
    }
    assert read_map_report(returned) == MapReport(
        view=(40.05, 70.75, 10), bbox=(70.2, 39.8, 71.3, 40.3), feature="enclave-vorukh"
    )


def test_map_report_takes_the_feature_from_its_properties_not_its_popup_text():
    clicked = {"lat": 39.87, "lng": 70.58}
    popup_only = {"last_object_clicked": clicked, "last_object_clicked_popup": "Id\tseg-1"}
    assert read_map_report(popup_only).feature is None
    no_click = {"last_active_drawing": {"properties": {"id": "seg-1"}}}
    assert read_map_report(no_click).feature is None


def test_map_report_ignores_malformed_or_hostile_values():
    assert read_map_report(None) == MapReport()
    report = read_map_report(
        {
            "center": {"lat": "north", "lng": 70},
            "zoom": 9,
            "bounds": None,
            "last_object_clicked": {"lat": 39.87, "lng": 70.58},
            "last_active_drawing": {"properties": {"id": "<img src=x onerror=alert(1)>"}},
        }
    )
    assert report == MapReport()
    for drawing in (None, "seg-1", {"properties": None}, {"properties": {"id": 7}}):
        returned = {"last_object_clicked": {"lat": 1, "lng": 2}, "last_active_drawing": drawing}
        assert read_map_report(returned).feature is None


def test_the_window_range_is_the_sliders() -> None:
    """A permalink must never carry a look-back the page's slider cannot show (it crashed)."""
    assert (WINDOW_MIN_DAYS, WINDOW_MAX_DAYS) == (7, 730)
    for days in (WINDOW_MIN_DAYS, WINDOW_MAX_DAYS):
        state, notices = parse_query({"window": str(days)}, today=TODAY)
        assert (state.window_days, notices) == (days, [])
    for days in (WINDOW_MIN_DAYS - 1, WINDOW_MAX_DAYS + 1):
        state, notices = parse_query({"window": str(days)}, today=TODAY)
        assert state.window_days == ViewState().window_days and len(notices) == 1


def test_three_hundred_unknown_parameters_give_one_notice() -> None:
    params = {f"p{i}": "1" for i in range(300)}
    _, notices = parse_query(params, today=TODAY)
    assert notices == [
        "URL parameters 'p0', 'p1', 'p2', 'p3', 'p4' and 295 more are not known and were ignored."
    ]


def test_notices_carry_no_escape_sequences() -> None:
    _, notices = parse_query({"feature": "Qal'ai\\x"}, today=TODAY)
    assert notices[0].startswith("URL parameter 'feature' = 'Qal'ai\\x' was ignored")
    _, notices = parse_query({"la\x00yers": "1", "z": "1\x07"}, today=TODAY)
    assert "\\x" not in " ".join(notices) and "\x00" not in " ".join(notices)
