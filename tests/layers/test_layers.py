"""Every layer module: what it selects on a date, and the CSS classes its drawn paths carry.

Frames are built the way the app builds them (``geo.catalog.load_frame`` of a small file written
by the test), then each module's ``build`` is inspected: the GeoJSON it hands to Leaflet and the
style (``className``) its style function gives every feature.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pytest

from geo.catalog import concat_frames, load_frame
from layers import DYNAMIC_LAYERS, LAYER_IDS, REGISTRY, ViewOptions
from layers.styles import STATUS_STYLE
from tests.conftest import (
    box,
    history,
    make_feature,
    meridian,
    meridian_arc_m,
    three_segments,
    write_geojson,
)

D = dt.date
DESIGN_LAYER_IDS = {
    "rivers",
    "settlements",
    "borders",
    "enclaves",
    "deployments",
    "exercises",
    "events",
    "crossings",
    "places",
    "base",
}


def frame_of(tmp_path: Path, file_name: str, *features: dict[str, Any]) -> gpd.GeoDataFrame:
    path = write_geojson(tmp_path / file_name, *features)
    frame, report = load_frame(path)
    assert report.ok, report.lines()
    return frame


def drawn(group: folium.FeatureGroup) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(feature, Leaflet style) for every feature of every GeoJSON layer in ``group``."""
    out = []
    for child in group._children.values():
        if isinstance(child, folium.GeoJson):
            for feature in child.data["features"]:
                out.append((feature, child.style_function(feature)))
    return out


def classes_by_id(group: folium.FeatureGroup) -> dict[str, list[set[str]]]:
    found: dict[str, list[set[str]]] = {}
    for feature, style in drawn(group):
        found.setdefault(feature["properties"]["id"], []).append(set(style["className"].split()))
    return found


# --- registry -------------------------------------------------------------------------------


def test_registry_ids_are_the_documented_layer_ids() -> None:
    assert set(LAYER_IDS) == DESIGN_LAYER_IDS
    assert len(LAYER_IDS) == len(DESIGN_LAYER_IDS)
    assert set(DYNAMIC_LAYERS) == DESIGN_LAYER_IDS - {"base"}


@pytest.mark.parametrize("layer_id", sorted(DESIGN_LAYER_IDS))
def test_each_registry_row_points_at_its_module(layer_id: str) -> None:
    spec = REGISTRY[layer_id]
    assert spec.id == layer_id
    assert layer_id == spec.module.LAYER_ID
    assert callable(spec.module.build) and callable(spec.module.select)
    assert spec.files and all(f.endswith(".geojson") for f in spec.files)


# --- borders --------------------------------------------------------------------------------


@pytest.fixture
def borders(tmp_path: Path) -> gpd.GeoDataFrame:
    return frame_of(
        tmp_path,
        "borders.geojson",
        *three_segments(ids=("seg-del", "seg-dis", "seg-und"), delimited_from="2021-10-05"),
        make_feature(
            "borders.geojson",
            id="seg-late",
            geometry=meridian(40.2, 40.4),
            status_history=history(("2022-01-01", "disputed")),
        ),
    )


def test_border_paths_carry_layer_and_status_classes(borders: gpd.GeoDataFrame) -> None:
    group = REGISTRY["borders"].build(borders, as_of=D(2021, 10, 4), view=ViewOptions())
    found = classes_by_id(group)
    assert set(found) == {"seg-del", "seg-dis", "seg-und"}
    expected = {"seg-del": "delimited", "seg-dis": "disputed", "seg-und": "undetermined"}
    for fid, status in expected.items():
        line = [c for c in found[fid] if "fa-casing" not in c]
        assert line == [{"fa-layer-borders", f"fa-status-{status}"}]
        # One white casing under each segment: decoration, never counted as a status path, but
        # marked with its line's status so that hiding the status takes both off the map.
        casing = [c for c in found[fid] if "fa-casing" in c]
        assert len(casing) == 1
        assert not any(c.startswith("fa-status-") for c in casing[0])
        assert f"fa-casing-status-{status}" in casing[0]


def test_border_style_follows_the_status_table(borders: gpd.GeoDataFrame) -> None:
    group = REGISTRY["borders"].build(borders, as_of=D(2021, 10, 4), view=ViewOptions())
    for feature, style in drawn(group):
        if "fa-casing" in style["className"]:
            assert style["color"] == "#ffffff"
            continue
        status = next(c[len("fa-status-") :] for c in style["className"].split() if "status" in c)
        assert style["color"] == STATUS_STYLE[status].color
        assert style.get("dashArray") == STATUS_STYLE[status].dash_array()
        assert feature["geometry"]["type"] == "LineString"


def test_status_on_the_change_day(borders: gpd.GeoDataFrame) -> None:
    day_before = classes_by_id(
        REGISTRY["borders"].build(borders, as_of=D(2021, 10, 4), view=ViewOptions())
    )
    on_day = classes_by_id(
        REGISTRY["borders"].build(borders, as_of=D(2021, 10, 5), view=ViewOptions())
    )
    assert {"fa-layer-borders", "fa-status-disputed"} in day_before["seg-dis"]
    assert {"fa-layer-borders", "fa-status-delimited"} in on_day["seg-dis"]


def test_borders_outside_their_validity_or_history_are_not_drawn(
    borders: gpd.GeoDataFrame,
) -> None:
    late = classes_by_id(
        REGISTRY["borders"].build(borders, as_of=D(2023, 1, 1), view=ViewOptions())
    )
    assert set(late) == {"seg-del", "seg-dis", "seg-late"}  # seg-und ended (valid_to exclusive)
    early = classes_by_id(
        REGISTRY["borders"].build(borders, as_of=D(2021, 12, 31), view=ViewOptions())
    )
    assert "seg-late" not in early  # its history starts on 2022-01-01


@pytest.mark.parametrize(
    "shown",
    [frozenset(), frozenset({"delimited"}), frozenset({"disputed", "undetermined"})],
    ids=lambda s: "+".join(sorted(s)) or "none",
)
def test_hidden_statuses_are_not_drawn(borders: gpd.GeoDataFrame, shown: frozenset[str]) -> None:
    group = REGISTRY["borders"].build(
        borders, as_of=D(2021, 10, 4), view=ViewOptions(statuses=shown)
    )
    statuses = {
        c[len("fa-status-") :]
        for _f, style in drawn(group)
        for c in style["className"].split()
        if c.startswith("fa-status-")
    }
    assert statuses == set(shown)
    expected_ids = {"seg-del": "delimited", "seg-dis": "disputed", "seg-und": "undetermined"}
    ids = {f["properties"]["id"] for f, _s in drawn(group)}
    assert ids == {fid for fid, status in expected_ids.items() if status in shown}


def test_border_select_matches_build(borders: gpd.GeoDataFrame) -> None:
    view = ViewOptions(statuses=frozenset({"disputed"}))
    rows = REGISTRY["borders"].select(borders, as_of=D(2021, 10, 4), view=view)
    assert list(rows["id"]) == ["seg-dis"]
    assert list(rows["_status"]) == ["disputed"]


def test_border_popup_quotes_the_measured_length(borders: gpd.GeoDataFrame) -> None:
    group = REGISTRY["borders"].build(borders, as_of=D(2021, 10, 4), view=ViewOptions())
    popup = next(
        f
        for f, s in drawn(group)
        if f["properties"]["id"] == "seg-del" and "fa-casing" not in s["className"]
    )["properties"]["popup"]
    assert f"{meridian_arc_m(39.0, 39.5) / 1000:.1f} km" in popup
    assert "Delimited since 2021-01-01" in popup


def test_features_carry_only_display_safe_properties(borders: gpd.GeoDataFrame) -> None:
    group = REGISTRY["borders"].build(borders, as_of=D(2021, 10, 4), view=ViewOptions())
    for feature, style in drawn(group):
        if "fa-casing" in style["className"]:
            # the white casing carries shape and style key only: no text at all
            assert set(feature["properties"]) == {"id", "_k"}
        else:
            assert set(feature["properties"]) == {"id", "name", "popup", "_k"}


def test_no_rows_gives_an_empty_group(borders: gpd.GeoDataFrame) -> None:
    group = REGISTRY["borders"].build(borders, as_of=D(2020, 12, 31), view=ViewOptions())
    assert isinstance(group, folium.FeatureGroup)
    assert drawn(group) == []


# --- the other layers -------------------------------------------------------------------------

LASTING = {
    "enclaves": "enclaves.geojson",
    "deployments": "deployments.geojson",
    "crossings": "crossings.geojson",
    "places": "places.geojson",
}


@pytest.mark.parametrize("layer_id", sorted(LASTING))
def test_lasting_layers_draw_valid_features_with_the_layer_class(
    tmp_path: Path, layer_id: str
) -> None:
    file_name = LASTING[layer_id]
    frame = frame_of(
        tmp_path,
        file_name,
        make_feature(file_name, id="now", valid_from="2021-04-28"),
        make_feature(file_name, id="gone", valid_to="2021-04-28"),
    )
    spec = REGISTRY[layer_id]
    on_day = classes_by_id(spec.build(frame, as_of=D(2021, 4, 28), view=ViewOptions()))
    day_before = classes_by_id(spec.build(frame, as_of=D(2021, 4, 27), view=ViewOptions()))
    assert set(on_day) == {"now"}
    assert set(day_before) == {"gone"}
    for classes in on_day["now"]:
        assert f"fa-layer-{layer_id}" in classes
        assert not any(c.startswith("fa-status-") for c in classes)


def test_crossings_are_classed_by_their_status_on_the_date(tmp_path: Path) -> None:
    frame = frame_of(
        tmp_path,
        "crossings.geojson",
        make_feature(
            "crossings.geojson",
            id="cr",
            status_history=[
                {
                    "from": "2021-01-01",
                    "status": "open",
                    "sources": [
                        {"title": "t", "publisher": "p", "date": "2021-05-21", "url": None}
                    ],
                },
                {
                    "from": "2021-04-29",
                    "status": "closed",
                    "sources": [
                        {"title": "Closure", "publisher": "q", "date": "2021-05-21", "url": None}
                    ],
                },
            ],
        ),
    )
    spec = REGISTRY["crossings"]
    before = drawn(spec.build(frame, as_of=D(2021, 4, 28), view=ViewOptions()))
    after = drawn(spec.build(frame, as_of=D(2021, 4, 29), view=ViewOptions()))
    assert "fa-crossing-open" in before[0][1]["className"]
    assert "fa-crossing-closed" in after[0][1]["className"]
    assert "Closure" in after[0][0]["properties"]["popup"]
    assert "Closure" not in before[0][0]["properties"]["popup"]


@pytest.mark.parametrize("layer_id", ["events", "exercises"])
def test_episodic_layers_show_the_window_and_fade_with_age(tmp_path: Path, layer_id: str) -> None:
    file_name = f"{layer_id}.geojson"
    point = {"type": "Point", "coordinates": [70.5, 39.5]}
    frame = frame_of(
        tmp_path,
        file_name,
        make_feature(file_name, id="today", geometry=point, valid_from="2021-10-15", valid_to=None),
        make_feature(file_name, id="older", geometry=point, valid_from="2021-09-15", valid_to=None),
        make_feature(
            file_name, id="too-old", geometry=point, valid_from="2021-07-17", valid_to=None
        ),
        make_feature(
            file_name, id="future", geometry=point, valid_from="2021-10-16", valid_to=None
        ),
    )
    group = REGISTRY[layer_id].build(frame, as_of=D(2021, 10, 15), view=ViewOptions())
    styles = {f["properties"]["id"]: s for f, s in drawn(group)}
    # 2021-07-17 is 90 days before 2021-10-15: outside the default 90-day window.
    assert set(styles) == {"today", "older"}
    assert all(f"fa-layer-{layer_id}" in s["className"].split() for s in styles.values())
    assert styles["today"]["opacity"] > styles["older"]["opacity"]
    wider = REGISTRY[layer_id].build(frame, as_of=D(2021, 10, 15), view=ViewOptions(window_days=91))
    assert {f["properties"]["id"] for f, _s in drawn(wider)} == {"today", "older", "too-old"}


def test_exercise_polygons_are_drawn(tmp_path: Path) -> None:
    frame = frame_of(
        tmp_path,
        "exercises.geojson",
        make_feature("exercises.geojson", id="ex", valid_from="2021-10-01", valid_to="2021-10-10"),
    )
    ((feature, style),) = drawn(
        REGISTRY["exercises"].build(frame, as_of=D(2021, 10, 9), view=ViewOptions())
    )
    assert feature["geometry"]["type"] == "Polygon"
    assert style["className"] == "fa-layer-exercises"


def test_base_layer_draws_countries_and_context_lines_not_focus_borders(tmp_path: Path) -> None:
    countries = frame_of(
        tmp_path / "a",
        "countries.geojson",
        make_feature("countries.geojson", id="tjk", iso3="TJK", geometry=box(69, 39, 70, 41)),
        make_feature("countries.geojson", id="kgz", iso3="KGZ", geometry=box(70, 39, 71, 41)),
    )
    lines = frame_of(
        tmp_path / "b",
        "border_lines.geojson",
        make_feature(
            "border_lines.geojson", id="kgz-uzb", border="KGZ-UZB", geometry=meridian(40, 41, 71)
        ),
        make_feature(
            "border_lines.geojson", id="kgz-tjk", border="KGZ-TJK", geometry=meridian(39, 41)
        ),
    )
    frame = concat_frames([countries, lines])
    found = classes_by_id(REGISTRY["base"].build(frame, as_of=D(2021, 1, 1), view=ViewOptions()))
    assert set(found) == {"tjk", "kgz", "kgz-uzb"}
    assert found["tjk"] == [{"fa-layer-base", "fa-base-country"}]
    assert found["kgz-uzb"] == [{"fa-layer-base", "fa-base-line"}]


@pytest.mark.parametrize("layer_id", sorted(DESIGN_LAYER_IDS - {"borders"}))
def test_every_layer_draws_only_with_its_own_layer_class(
    fixture_data_dir: Path, layer_id: str
) -> None:
    spec = REGISTRY[layer_id]
    frame = concat_frames([load_frame(fixture_data_dir / f)[0] for f in spec.files])
    group = spec.build(frame, as_of=D(2021, 10, 15), view=ViewOptions())
    styles = [s for _f, s in drawn(group)]
    assert styles, f"the fixture should draw something for {layer_id}"
    for style in styles:
        layer_classes = {c for c in style["className"].split() if c.startswith("fa-layer-")}
        assert layer_classes == {f"fa-layer-{layer_id}"}
