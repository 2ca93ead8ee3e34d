"""geo.validate: valid files pass and come back normalised; representative errors are reported.

The exhaustive bad-input suite lives in tests/geo/test_bad_inputs.py; this file covers the valid
paths, the normalisations, and one or two errors of each stage (structure, geometry, schema,
domain, cross-file), checking that each problem names file, feature and field.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from geo.errors import DomainError, GeometryError, SchemaError, StructureError
from geo.schema import LAYER_SCHEMAS, OVERLAY_SCHEMA
from geo.validate import (
    check_border_coverage,
    data_files,
    validate_bytes,
    validate_document,
    validate_folder,
    validate_milestones,
    validate_path,
)
from tests.conftest import box, collection, make_feature, meridian, milestone, write_geojson


def _bytes(*features: dict[str, Any]) -> bytes:
    return json.dumps(collection(*features)).encode()


@pytest.mark.parametrize("file_name", sorted(LAYER_SCHEMAS))
def test_valid_file_of_every_layer_passes(file_name: str) -> None:
    feature = make_feature(file_name)
    report = validate_bytes(_bytes(feature), name=file_name)
    assert report.ok, report.lines()
    assert report.layer == LAYER_SCHEMAS[file_name].layer
    assert report.total == 1
    assert [f["properties"] for f in report.features] == [feature["properties"]]
    assert report.features[0]["geometry"]["type"] == feature["geometry"]["type"]


def test_valid_features_come_back_as_geojson_with_the_same_coordinates() -> None:
    line = meridian(39.0, 39.5)
    report = validate_bytes(
        _bytes(make_feature("borders.geojson", geometry=line)), name="borders.geojson"
    )
    geometry = report.features[0]["geometry"]
    assert geometry["type"] == "LineString"
    assert [list(p) for p in geometry["coordinates"]] == line["coordinates"]
    assert report.notices == []


def test_altitude_is_dropped_with_a_notice() -> None:
    feature = make_feature(
        "events.geojson", id="ev-z", geometry={"type": "Point", "coordinates": [70.5, 39.5, 812.0]}
    )
    report = validate_bytes(_bytes(feature), name="events.geojson")
    assert report.ok
    assert list(report.features[0]["geometry"]["coordinates"]) == [70.5, 39.5]
    assert any("'ev-z'" in n and "altitude dropped" in n for n in report.notices)


def _signed_area(ring: list[list[float]]) -> float:
    """Shoelace formula: positive for a counter-clockwise ring (lon = x, lat = y)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2.0


def test_clockwise_ring_is_reoriented_counter_clockwise() -> None:
    ccw = box(70.0, 39.0, 70.1, 39.1)["coordinates"][0]
    cw = list(reversed(ccw))
    assert _signed_area(cw) < 0
    feature = make_feature(
        "enclaves.geojson", id="enc-cw", geometry={"type": "Polygon", "coordinates": [cw]}
    )
    report = validate_bytes(_bytes(feature), name="enclaves.geojson")
    assert report.ok
    ring = [list(p) for p in report.features[0]["geometry"]["coordinates"][0]]
    assert _signed_area(ring) > 0
    assert any("re-oriented" in n for n in report.notices)


def test_coordinates_are_rounded_to_six_decimals() -> None:
    feature = make_feature(
        "places.geojson",
        id="pl-r",
        geometry={"type": "Point", "coordinates": [70.12345678, 39.9876543]},
    )
    report = validate_bytes(_bytes(feature), name="places.geojson")
    lon, lat = report.features[0]["geometry"]["coordinates"]
    assert lon == pytest.approx(70.123457, abs=1e-9)
    assert lat == pytest.approx(39.987654, abs=1e-9)
    assert any("rounded to 6 decimals" in n for n in report.notices)


def test_bad_feature_is_left_out_and_others_kept() -> None:
    good = make_feature("places.geojson", id="good")
    bad = make_feature("places.geojson", id="bad", kind="metropolis")
    report = validate_bytes(_bytes(good, bad), name="places.geojson")
    assert not report.ok
    assert [f["properties"]["id"] for f in report.features] == ["good"]
    assert report.total == 2
    (problem,) = report.problems
    assert isinstance(problem, SchemaError)
    assert (problem.file, problem.feature, problem.field) == ("places.geojson", "'bad'", "kind")
    assert report.lines() == [problem.sentence()]
    assert report.lines()[0].startswith("places.geojson, feature 'bad', field kind:")


def test_missing_property_names_the_field() -> None:
    feature = make_feature("borders.geojson", id="seg-x")
    del feature["properties"]["border"]
    report = validate_bytes(_bytes(feature), name="borders.geojson")
    assert [(p.feature, p.field) for p in report.problems] == [("'seg-x'", "border")]
    assert "required" in report.lines()[0]


def test_nested_status_field_is_named_with_its_path() -> None:
    feature = make_feature("borders.geojson", id="seg-y")
    feature["properties"]["status_history"][0]["status"] = "agreed"
    report = validate_bytes(_bytes(feature), name="borders.geojson")
    assert [p.field for p in report.problems] == ["status_history[0].status"]
    assert "'agreed'" in report.lines()[0]


def test_wrong_geometry_type_for_layer() -> None:
    feature = make_feature(
        "borders.geojson", id="seg-pt", geometry={"type": "Point", "coordinates": [70.0, 39.0]}
    )
    report = validate_bytes(_bytes(feature), name="borders.geojson")
    (problem,) = report.problems
    assert isinstance(problem, GeometryError)
    assert (problem.feature, problem.field) == ("'seg-pt'", "geometry")


def test_self_intersecting_polygon_is_rejected() -> None:
    bowtie = [[70.0, 39.0], [70.1, 39.1], [70.1, 39.0], [70.0, 39.1], [70.0, 39.0]]
    feature = make_feature(
        "enclaves.geojson", geometry={"type": "Polygon", "coordinates": [bowtie]}
    )
    report = validate_bytes(_bytes(feature), name="enclaves.geojson")
    assert [type(p) for p in report.problems] == [GeometryError]
    assert "invalid geometry" in report.lines()[0]


def test_unclosed_ring_is_a_structure_error() -> None:
    ring = [*box(70.0, 39.0, 70.1, 39.1)["coordinates"][0][:-1], [70.0, 39.05]]
    feature = make_feature("enclaves.geojson", geometry={"type": "Polygon", "coordinates": [ring]})
    report = validate_bytes(_bytes(feature), name="enclaves.geojson")
    assert [type(p) for p in report.problems] == [StructureError]
    assert "not closed" in report.lines()[0]


def test_swapped_coordinates_get_a_hint() -> None:
    feature = make_feature(
        "places.geojson", geometry={"type": "Point", "coordinates": [39.5, 70.5]}
    )
    report = validate_bytes(_bytes(feature), name="places.geojson")
    assert [type(p) for p in report.problems] == [DomainError]
    assert "swapped" in report.lines()[0]


def test_crs_member_is_rejected() -> None:
    doc = collection(make_feature("places.geojson"))
    doc["crs"] = {"type": "name", "properties": {"name": "EPSG:3857"}}
    report = validate_document(doc, file="places.geojson", schema=LAYER_SCHEMAS["places.geojson"])
    assert [p.field for p in report.problems] == ["crs"]
    assert report.features == []


def test_duplicate_id_in_one_file() -> None:
    a = make_feature("places.geojson", id="dup")
    b = make_feature("places.geojson", id="dup")
    report = validate_bytes(_bytes(a, b), name="places.geojson")
    assert [type(p) for p in report.problems] == [DomainError]
    assert report.problems[0].field == "id"
    assert [f["properties"]["id"] for f in report.features] == ["dup"]


def test_read_errors_become_problems_not_exceptions() -> None:
    report = validate_bytes(b'{"type": "FeatureCollection", "type": "x"}', name="places.geojson")
    assert not report.ok
    assert report.features == []
    assert report.lines()[0].startswith("places.geojson:")


def test_unknown_name_uses_the_permissive_overlay_schema() -> None:
    feature = {
        "type": "Feature",
        "properties": {"anything": 1},
        "geometry": {"type": "Point", "coordinates": [70.5, 39.5]},
    }
    report = validate_bytes(_bytes(feature), name="my-upload.geojson")
    assert report.ok
    assert report.layer == OVERLAY_SCHEMA.layer


def test_validate_path_picks_the_schema_from_the_file_name(tmp_path: Path) -> None:
    # An events feature in a file named places.geojson must be judged as a place.
    path = write_geojson(
        tmp_path / "sub" / "places.geojson", make_feature("events.geojson", id="ev")
    )
    report = validate_path(path)
    assert report.layer == "places"
    assert {p.field for p in report.problems} >= {"kind", "country", "description"}


def test_validate_path_labels_files_relative_to_data(fixture_data_dir: Path) -> None:
    report = validate_path(fixture_data_dir / "base" / "countries.geojson")
    assert report.ok
    assert report.file == "data/base/countries.geojson"


def test_validate_path_rejects_names_no_layer_uses(tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "notes.geojson", make_feature("places.geojson"))
    report = validate_path(path)
    assert not report.ok
    assert "no layer uses this file name" in report.lines()[0]


def test_milestones_valid_and_unsorted(tmp_path: Path) -> None:
    path = tmp_path / "milestones.json"
    path.write_text(
        json.dumps([milestone("2021-05-01", 400, 984), milestone("2021-10-05", 519, 984)])
    )
    assert validate_milestones(path).ok
    path.write_text(
        json.dumps([milestone("2021-10-05", 519, 984), milestone("2021-05-01", 400, 984)])
    )
    report = validate_milestones(path)
    assert any("sorted by date" in line for line in report.lines())


def test_fixture_folder_is_valid(fixture_data_dir: Path) -> None:
    folder = validate_folder(fixture_data_dir)
    assert folder.ok, folder.lines()
    names = sorted(p.name for p in data_files(fixture_data_dir))
    assert names == sorted(
        [
            "borders.geojson",
            "enclaves.geojson",
            "deployments.geojson",
            "exercises.geojson",
            "events.geojson",
            "crossings.geojson",
            "places.geojson",
            "countries.geojson",
            "border_lines.geojson",
            "settlements.geojson",
            "waters.geojson",
            "milestones.json",
        ]
    )


def test_empty_folder_is_a_problem(tmp_path: Path) -> None:
    folder = validate_folder(tmp_path)
    assert not folder.ok
    assert "no data files found" in folder.lines()[0]


def test_id_used_in_two_files_is_a_cross_file_problem(fixture_data_dir: Path) -> None:
    write_geojson(fixture_data_dir / "places.geojson", make_feature("places.geojson", id="seg-a"))
    folder = validate_folder(fixture_data_dir)
    assert not folder.ok
    assert len(folder.cross) == 1
    assert "'seg-a'" in folder.cross[0].sentence()
    assert folder.cross[0].field == "id"


def test_enclave_outside_its_host(fixture_data_dir: Path) -> None:
    # 69.2..69.3 E lies in TJK, not in the host KGZ (70..71 E).
    write_geojson(
        fixture_data_dir / "enclaves.geojson",
        make_feature("enclaves.geojson", id="lost", geometry=box(69.2, 39.2, 69.3, 39.3)),
    )
    folder = validate_folder(fixture_data_dir)
    assert [(p.feature, p.field) for p in folder.cross] == [("'lost'", "geometry")]
    assert "within its host KGZ" in folder.cross[0].sentence()


def _segments(*spans: tuple[float, float]) -> list[dict[str, Any]]:
    return [make_feature("borders.geojson", geometry=meridian(a, b)) for a, b in spans]


def _line(a: float, b: float) -> list[dict[str, Any]]:
    return [make_feature("border_lines.geojson", border="KGZ-TJK", geometry=meridian(a, b))]


def test_border_coverage_accepts_segments_that_add_up() -> None:
    assert (
        check_border_coverage(_segments((39.0, 39.4), (39.4, 40.0)), _line(39.0, 40.0), file="b")
        == []
    )


def test_border_coverage_reports_a_gap() -> None:
    problems = check_border_coverage(
        _segments((39.0, 39.4), (39.5, 40.0)), _line(39.0, 40.0), file="b"
    )
    assert any("gap or overlap" in p.sentence() for p in problems)


def test_border_coverage_reports_pieces_that_do_not_meet() -> None:
    # Same total length as the line but two disjoint pieces.
    problems = check_border_coverage(
        _segments((39.0, 39.5), (39.6, 40.1)), _line(39.0, 40.0), file="b"
    )
    assert any("do not meet end to end" in p.sentence() for p in problems)


def test_border_without_base_line() -> None:
    problems = check_border_coverage(_segments((39.0, 40.0)), [], file="b")
    assert [p.field for p in problems] == ["border"]
