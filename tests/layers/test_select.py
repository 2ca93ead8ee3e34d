"""layers._select.with_freshness and what the layers draw for stale features.

Every layer's ``select`` marks rows with their last confirmation on the date; lasting layers mark
stale rows, which ``build`` draws with the class ``fa-stale`` in a faded style, and which
``ViewOptions(show_stale=False)`` leaves out. The drawn set is checked against geo.freshness.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pytest

from geo.catalog import load_frame
from geo.freshness import LASTING_LAYERS, freshness
from layers import REGISTRY, ViewOptions, load_frames
from layers.styles import STALE_STYLE, STATUS_STYLE
from tests.conftest import SOURCE, history, make_feature, write_geojson
from tests.layers.test_layers import drawn

D = dt.date
CONFIRMED = D.fromisoformat(SOURCE["date"])  # every conftest source is dated 2021-05-01
FRESH_DAY = CONFIRMED + dt.timedelta(days=365)
STALE_DAY = CONFIRMED + dt.timedelta(days=366)


def frame_of(tmp_path: Path, file_name: str, *features: dict[str, Any]) -> gpd.GeoDataFrame:
    frame, report = load_frame(write_geojson(tmp_path / file_name, *features))
    assert report.ok, report.lines()
    return frame


def by_id(group: folium.FeatureGroup) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    return {feature["id"]: (feature, style) for feature, style in drawn(group)}


@pytest.fixture
def deployments(tmp_path: Path) -> gpd.GeoDataFrame:
    newer = {**SOURCE, "date": "2022-04-01"}
    return frame_of(
        tmp_path,
        "deployments.geojson",
        make_feature("deployments.geojson", id="dep-old"),
        make_feature("deployments.geojson", id="dep-new", sources=[dict(SOURCE), newer]),
    )


def test_select_marks_confirmation_and_staleness_at_the_365_day_edge(
    deployments: gpd.GeoDataFrame,
) -> None:
    for day, stale in ((FRESH_DAY, False), (STALE_DAY, True)):
        rows = REGISTRY["deployments"].select(deployments, as_of=day, view=ViewOptions())
        got = {r["id"]: r for r in rows.to_dict("records")}
        assert got["dep-old"]["_confirmed"] == "2021-05-01"
        assert "_confirmed_days" not in got["dep-old"]  # the age is counted in the browser
        assert bool(got["dep-old"]["_stale"]) is stale
        assert got["dep-new"]["_confirmed"] == "2022-04-01"
        assert not got["dep-new"]["_stale"]


def test_stale_rows_are_drawn_with_fa_stale_and_faded(deployments: gpd.GeoDataFrame) -> None:
    group = REGISTRY["deployments"].build(deployments, as_of=STALE_DAY, view=ViewOptions())
    features = by_id(group)
    (old, old_style), (_new, new_style) = features["dep-old"], features["dep-new"]
    assert "fa-stale" in old_style["className"].split()
    assert "fa-stale" not in new_style["className"].split()
    assert old_style["opacity"] < new_style["opacity"]
    assert old_style["fillOpacity"] < new_style["fillOpacity"]
    assert old_style.get("dashArray") and not new_style.get("dashArray")
    assert "Last confirmed" in old["properties"]["popup"]
    # the age on the as-of date is filled in by the browser (tests/browser/test_popup_ages.py)
    assert (
        "2021-05-01<span class='fa-age' data-day='2021-05-01'></span>" in old["properties"]["popup"]
    )
    assert "not confirmed for over a year" in old["properties"]["popup"]
    assert "not confirmed for over a year" not in features["dep-new"][0]["properties"]["popup"]


def test_show_stale_off_leaves_the_stale_rows_out(deployments: gpd.GeoDataFrame) -> None:
    hidden = ViewOptions(show_stale=False)
    group = REGISTRY["deployments"].build(deployments, as_of=STALE_DAY, view=hidden)
    assert set(by_id(group)) == {"dep-new"}
    group = REGISTRY["deployments"].build(deployments, as_of=FRESH_DAY, view=hidden)
    assert set(by_id(group)) == {"dep-old", "dep-new"}


def test_stale_border_keeps_its_status_dash(tmp_path: Path) -> None:
    frame = frame_of(
        tmp_path,
        "borders.geojson",
        make_feature(
            "borders.geojson", id="seg", status_history=history(("2021-01-01", "disputed"))
        ),
    )
    fresh = by_id(REGISTRY["borders"].build(frame, as_of=FRESH_DAY, view=ViewOptions()))["seg"][1]
    stale = by_id(REGISTRY["borders"].build(frame, as_of=STALE_DAY, view=ViewOptions()))["seg"][1]
    assert "fa-stale" in stale["className"].split() and "fa-status-disputed" in stale["className"]
    assert stale["dashArray"] == fresh["dashArray"] == STATUS_STYLE["disputed"].dash_array()
    assert stale["opacity"] == pytest.approx(fresh["opacity"] * STALE_STYLE.opacity)


def test_events_and_places_are_never_stale_but_say_when_confirmed(tmp_path: Path) -> None:
    events = frame_of(
        tmp_path,
        "events.geojson",
        make_feature("events.geojson", id="ev", valid_from="2024-01-01", valid_to="2024-01-02"),
    )
    group = REGISTRY["events"].build(
        events, as_of=D(2024, 1, 5), view=ViewOptions(show_stale=False)
    )
    feature, style = by_id(group)["ev"]
    assert "fa-stale" not in style["className"]
    assert re.search(
        r"Last confirmed</th><td>2021-05-01<span class='fa-age' data-day='2021-05-01'>",
        feature["properties"]["popup"],
    )
    places = frame_of(tmp_path, "places.geojson", make_feature("places.geojson", id="pl"))
    rows = REGISTRY["places"].select(places, as_of=D(2030, 1, 1), view=ViewOptions())
    assert not rows["_stale"].any() and len(rows) == 1


def test_undated_sources_give_no_date_and_a_stale_lasting_feature(tmp_path: Path) -> None:
    frame = frame_of(
        tmp_path,
        "enclaves.geojson",
        make_feature("enclaves.geojson", id="encl", sources=[{**SOURCE, "date": None}]),
    )
    feature, style = by_id(
        REGISTRY["enclaves"].build(frame, as_of=D(2021, 1, 1), view=ViewOptions())
    )["encl"]
    assert "fa-stale" in style["className"]
    assert "no dated source by the as-of date" in feature["properties"]["popup"]


@pytest.mark.parametrize("day", [D(2021, 10, 15), D(2024, 12, 4), D(2026, 11, 30)])
def test_shipped_data_draws_exactly_the_stale_features_geo_freshness_lists(day: dt.date) -> None:
    frames, problems = load_frames()
    assert problems == []
    stale = {(r.layer, r.id) for r in freshness(frames, as_of=day) if r.stale}
    drawn_stale, hidden = set(), set()
    for layer in LASTING_LAYERS:
        shown = by_id(REGISTRY[layer].build(frames[layer], as_of=day, view=ViewOptions()))
        drawn_stale |= {
            (layer, fid) for fid, (_f, style) in shown.items() if "fa-stale" in style["className"]
        }
        kept = by_id(
            REGISTRY[layer].build(frames[layer], as_of=day, view=ViewOptions(show_stale=False))
        )
        hidden |= {(layer, fid) for fid in set(shown) - set(kept)}
    assert drawn_stale == stale
    assert hidden == stale
