"""The bad-input suite: one file per defect under tests/data/<category>/, one expectation each.

Two entry points, picked by the file's name as in the app:

- a file named like a layer file (``.../point_in_borders/borders.geojson``; the folder names the
  defect) goes through ``geo.validate.validate_path``, which picks the schema from the name;
- any other file (``read/broken_json.geojson``, ``.kml``, ``.csv``) goes through the upload path,
  ``geo.overlay.read_overlay``, with the OVERLAY schema.

Each defect must come back as exactly one problem of the expected ``GeoDataError`` subclass whose
one sentence names the file, the feature (id or index) and the field where there is one. Files
that are accepted with a documented normalisation are in ``NORMALISED``; resource abuse that
must not be committed (megabytes, millions of vertices) is generated in the tests below.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from shapely.geometry import shape

from geo.catalog import DATA_DIR, load_features
from geo.errors import (
    DomainError,
    GeoDataError,
    GeometryError,
    ReadError,
    SchemaError,
    StructureError,
)
from geo.io import MAX_BYTES_DEFAULT, MAX_DEPTH, format_mb, read_json_bytes, read_json_path
from geo.measure import WGS84
from geo.overlay import (
    MAX_CSV_COLUMNS,
    MAX_FEATURES,
    MAX_JSON_NUMBERS,
    MAX_JSON_OBJECTS,
    MAX_POSITIONS,
    MAX_XML_ELEMENTS,
    read_overlay,
)
from geo.schema import schema_for
from geo.validate import ValidationReport, check_enclaves, validate_bytes, validate_path

DATA = Path(__file__).resolve().parents[1] / "data"
CATEGORIES = ("read", "structure", "geometry", "properties", "domain", "hostile", "resource")


def check(path: Path) -> ValidationReport:
    """Validate ``path`` the way the app would: by layer name, else as an upload."""
    if schema_for(path.name):
        return validate_path(path)
    return read_overlay(path.read_bytes(), filename=path.name)


@dataclass(frozen=True)
class Bad:
    """One defect file and what the validator must say about it."""

    path: str
    error: type[GeoDataError]
    says: str
    feature: str | None = None
    field: str | None = None
    drawn: int = 0  # features that still pass (other rows of the same file)


BAD: tuple[Bad, ...] = (
    # read: bytes that are not acceptable JSON / XML / CSV
    Bad("read/broken_json.geojson", ReadError, "broken JSON at line 3, column 1"),
    Bad("read/empty_file.geojson", ReadError, "the file is empty"),
    Bad("read/not_utf8.geojson", ReadError, "not UTF-8 text (byte 89 is invalid)"),
    Bad("read/duplicate_keys.geojson", ReadError, "the key 'status' appears twice"),
    Bad("read/nan_coordinate.geojson", ReadError, "NaN is not a JSON number"),
    Bad("read/infinity_coordinate.geojson", ReadError, "-Infinity is not a JSON number"),
    Bad("read/broken_xml.kml", ReadError, "broken XML at line 2"),
    Bad("read/entity_expansion.kml", ReadError, "declares a DTD or entities"),
    Bad("read/external_entity.kml", ReadError, "declares a DTD or entities"),
    Bad("read/not_kml.kml", ReadError, "not a KML document (its root element is <svg>)"),
    Bad("read/empty.csv", ReadError, "the file is empty"),
    Bad("read/no_lon_lat_columns.csv", ReadError, "no longitude/latitude columns"),
    Bad(
        "read/bad_number.csv",
        StructureError,
        "'east' is not a number",
        feature="row 3",
        field="lon",
        drawn=1,
    ),
    Bad("read/nan_in_csv.csv", StructureError, "'nan' is not a finite number", "row 2", "lon"),
    Bad(
        "read/number_over_4300_digits.geojson",
        ReadError,
        "a number is written with 4,400 characters (at most 400 are accepted)",
    ),
    Bad("read/huge_float_coordinate.geojson", ReadError, "the number 1e999 is too large"),
    Bad("read/unknown_xml_encoding.kml", ReadError, "names a text encoding Python does not know"),
    Bad(
        "read/nan_inf_coordinates.kml",
        StructureError,
        "the coordinates are not finite numbers",
        "placemark 1",
        "coordinates",
    ),
    Bad(
        "read/nan_latitude.kml",
        StructureError,
        "the coordinates are not finite numbers",
        "placemark 1",
        "coordinates",
    ),
    Bad("read/network_link_only.kml", ReadError, "only links to other files (NetworkLink)"),
    Bad("read/header_only.csv", ReadError, "the CSV has a header but no data rows"),
    # structure: JSON that is not the GeoJSON we accept (checked before shapely sees it)
    Bad(
        "structure/top_level_array.geojson", StructureError, "must hold a GeoJSON FeatureCollection"
    ),
    Bad(
        "structure/wrong_case_collection_type.geojson",
        StructureError,
        "found 'featurecollection' (types are case-sensitive)",
    ),
    Bad("structure/no_features.geojson", StructureError, "'features' member is missing"),
    Bad(
        "structure/feature_without_properties.geojson",
        StructureError,
        "has no 'properties' member",
        "#0",
    ),
    Bad("structure/properties_not_object.geojson", StructureError, "must be an object", "#0"),
    Bad(
        "structure/bare_geometry_in_features.geojson",
        StructureError,
        "expected a 'Feature', found 'Point'",
        "#0",
    ),
    Bad(
        "structure/wrong_case_geometry_type.geojson",
        StructureError,
        "unknown geometry type 'polygon' (types are case-sensitive: write 'Polygon')",
        "#0",
        "geometry",
    ),
    Bad(
        "structure/unknown_geometry_type.geojson",
        StructureError,
        "unknown geometry type 'Circle'",
        "#0",
        "geometry",
    ),
    Bad(
        "structure/geometry_collection.geojson",
        StructureError,
        "a GeometryCollection is not supported",
        "#0",
        "geometry",
    ),
    Bad(
        "structure/no_coordinates.geojson",
        StructureError,
        "has no 'coordinates' member",
        "#0",
        "geometry",
    ),
    Bad(
        "structure/legacy_crs_member.geojson",
        StructureError,
        "a 'crs' member is not allowed",
        field="crs",
    ),
    Bad(
        "structure/wrong_nesting_depth.geojson",
        StructureError,
        "nested too shallowly for a Polygon",
        "#0",
        "geometry",
    ),
    Bad(
        "structure/four_d_position.geojson",
        StructureError,
        "a position has 4 numbers",
        "#0",
        "geometry",
    ),
    Bad(
        "structure/one_number_position.geojson",
        StructureError,
        "a position has 1 number;",
        "#0",
        "geometry",
    ),
    Bad(
        "structure/string_coordinates.geojson",
        StructureError,
        "something that is not a number",
        "#0",
        "geometry",
    ),
    Bad(
        "structure/one_position_line.geojson",
        StructureError,
        "a line needs at least 2 positions",
        "#0",
        "geometry",
    ),
    Bad(
        "structure/unclosed_ring.geojson",
        StructureError,
        "ring is not closed",
        "#0",
        "geometry",
    ),
    Bad(
        "structure/too_short_ring.geojson",
        StructureError,
        "ring has 3 positions; at least 4",
        "#0",
        "geometry",
    ),
    # geometry: parsed fine, but empty, invalid, misplaced or of a type the layer refuses
    Bad("geometry/null_geometry.geojson", GeometryError, "the geometry is null", "#0", "geometry"),
    Bad("geometry/empty_polygon.geojson", GeometryError, "the geometry is empty", "#0", "geometry"),
    Bad("geometry/empty_point.geojson", GeometryError, "the geometry is empty", "#0", "geometry"),
    Bad(
        "geometry/bow_tie_polygon.geojson",
        GeometryError,
        "invalid geometry: Self-intersection[70.6 39.9]",
        "#0",
        "geometry",
    ),
    Bad(
        "geometry/swapped_lat_lon.geojson",
        DomainError,
        "(latitude and longitude look swapped)",
        "#0",
        "geometry",
    ),
    Bad(
        "geometry/outside_region.geojson",
        DomainError,
        "position [69.17, 33.53] lies outside the map region",
        "#0",
        "geometry",
    ),
    Bad(
        "geometry/metre_coordinates.geojson",
        DomainError,
        "not longitude/latitude in degrees (metre coordinates or a legacy CRS?)",
        "#0",
        "geometry",
    ),
    Bad(
        "geometry/point_in_borders/borders.geojson",
        GeometryError,
        "a Point is not allowed in the borders layer",
        "'seg-test-1'",
        "geometry",
    ),
    Bad(
        "geometry/polygon_in_events/events.geojson",
        GeometryError,
        "a Polygon is not allowed in the events layer",
        "'ev-test-1'",
        "geometry",
    ),
    Bad(
        "geometry/self_overlapping_border/borders.geojson",
        GeometryError,
        "the line crosses or retraces itself",
        "'seg-test-1'",
        "geometry",
    ),
    # properties: the data model (pydantic) refuses a value
    Bad(
        "properties/status_capitalised/borders.geojson",
        SchemaError,
        "found 'Disputed'",
        "'seg-test-1'",
        "status_history[0].status",
    ),
    Bad(
        "properties/status_empty/borders.geojson",
        SchemaError,
        "found ''",
        "'seg-test-1'",
        "status_history[0].status",
    ),
    Bad(
        "properties/status_missing/borders.geojson",
        SchemaError,
        "is required but missing",
        "'seg-test-1'",
        "status_history[0].status",
    ),
    Bad(
        "properties/status_history_unsorted/borders.geojson",
        SchemaError,
        "entries must be sorted by 'from'",
        "'seg-test-1'",
        "status_history",
    ),
    Bad("properties/missing_id/events.geojson", SchemaError, "is required but missing", "#0", "id"),
    Bad(
        "properties/id_not_slug/events.geojson",
        SchemaError,
        "should match pattern",
        "'Clash at Kok-Tash!'",
        "id",
    ),
    Bad("properties/id_not_string/events.geojson", SchemaError, "valid string", "#0", "id"),
    Bad(
        "properties/date_not_in_calendar/events.geojson",
        SchemaError,
        "'2021-02-30' is not a real calendar date",
        "'ev-test-1'",
        "valid_from",
    ),
    Bad(
        "properties/date_in_words/events.geojson",
        SchemaError,
        "must be a date written YYYY-MM-DD",
        "'ev-test-1'",
        "valid_from",
    ),
    Bad(
        "properties/valid_to_before_valid_from/events.geojson",
        SchemaError,
        "valid_to must be after valid_from",
        "'ev-test-1'",
    ),
    Bad(
        "properties/missing_sources/events.geojson",
        SchemaError,
        "is required but missing",
        "'ev-test-1'",
        "sources",
    ),
    Bad(
        "properties/empty_sources/events.geojson",
        SchemaError,
        "at least 1 item",
        "'ev-test-1'",
        "sources",
    ),
    Bad(
        "properties/source_url_not_http/events.geojson",
        SchemaError,
        "must be an http(s) address or null",
        "'ev-test-1'",
        "sources[0].url",
    ),
    Bad(
        "properties/unknown_property/events.geojson",
        SchemaError,
        "is not a property of this layer (typo?)",
        "'ev-test-1'",
        "confidance",
    ),
    Bad(
        "properties/unknown_kind/events.geojson",
        SchemaError,
        "found 'skirmish'",
        "'ev-test-1'",
        "kind",
    ),
    Bad(
        "properties/negative_fatalities/events.geojson",
        SchemaError,
        "greater than or equal to 0",
        "'ev-test-1'",
        "fatalities",
    ),
    # domain: well formed, wrong for this map
    Bad(
        "domain/duplicate_ids/events.geojson",
        DomainError,
        "id 'ev-twice' is used twice in this file (also feature #0)",
        "'ev-twice'",
        "id",
        drawn=1,
    ),
    # resource: the small committed one; the big ones are generated below
    Bad("resource/deep_nesting.geojson", ReadError, f"JSON nested deeper than {MAX_DEPTH} levels"),
)

NORMALISED = (
    "read/bom.geojson",
    "read/kml_without_namespace.kml",
    "geometry/wrong_winding.geojson",
    "geometry/three_d_positions.geojson",
    "geometry/self_crossing_line.geojson",
)
CROSS_FILE = (
    "domain/enclave_outside_host/enclaves.geojson",
    "domain/enclave_unknown_host/enclaves.geojson",
)
HOSTILE = (
    "hostile/hostile_text/events.geojson",
    "hostile/hostile_text.geojson",
    "hostile/hostile_text.kml",
    "hostile/hostile_text.csv",
)


def test_every_defect_file_has_an_expectation() -> None:
    on_disk = {
        str(p.relative_to(DATA))
        for category in CATEGORIES
        for p in (DATA / category).rglob("*")
        if p.is_file()
    }
    listed = {case.path for case in BAD} | set(NORMALISED) | set(CROSS_FILE) | set(HOSTILE)
    assert on_disk == listed
    for category in CATEGORIES:
        assert any((DATA / category).iterdir()), f"{category}/ is empty"


@pytest.mark.parametrize("case", BAD, ids=lambda case: case.path)
def test_defect_gives_one_clear_sentence(case: Bad) -> None:
    path = DATA / case.path
    report = check(path)
    assert len(report.problems) == 1, report.lines()
    problem = report.problems[0]
    sentence = problem.sentence()
    assert type(problem) is case.error, sentence
    assert case.says in sentence
    assert path.name in sentence, "the sentence must name the file"
    if case.feature:
        assert f"feature {case.feature}" in sentence
    if case.field:
        assert f"field {case.field}:" in sentence
    assert "\n" not in sentence and "Traceback" not in sentence
    assert len(report.features) == case.drawn, "a feature with a problem must not be drawn"


# --- documented normalisations ----------------------------------------------------------------


def test_bom_is_dropped() -> None:
    raw = (DATA / "read/bom.geojson").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with_bom = check(DATA / "read/bom.geojson")
    assert with_bom.ok and with_bom.notices == []
    without = read_overlay(raw[3:], filename="bom.geojson")
    assert with_bom.features == without.features != []


def test_kml_without_namespace_is_read_as_kml_2_2() -> None:
    report = check(DATA / "read/kml_without_namespace.kml")
    assert report.ok, report.lines()
    assert [f["properties"]["name"] for f in report.features] == ["post"]
    assert list(report.features[0]["geometry"]["coordinates"]) == [70.6, 39.9]


def test_an_empty_collection_says_so() -> None:
    report = read_overlay(b'{"type":"FeatureCollection","features":[]}', filename="none.geojson")
    assert report.lines() == ["none.geojson: the file has no features to draw"]


def test_wrong_winding_is_reoriented_to_positive_geodesic_area() -> None:
    path = DATA / "geometry/wrong_winding.geojson"
    raw_geometry = json.loads(path.read_text(encoding="utf-8"))["features"][0]["geometry"]
    signed_before, _ = WGS84.geometry_area_perimeter(shape(raw_geometry))
    assert signed_before < 0, "the fixture must be clockwise"
    report = check(path)
    assert report.ok
    assert any("rings re-oriented" in notice for notice in report.notices)
    signed_after, _ = WGS84.geometry_area_perimeter(shape(report.features[0]["geometry"]))
    assert signed_after == pytest.approx(-signed_before)


def test_altitude_is_dropped_with_a_notice() -> None:
    report = check(DATA / "geometry/three_d_positions.geojson")
    assert report.ok
    assert report.notices == ["three_d_positions.geojson, feature #0: altitude dropped (2-D map)"]
    coords = report.features[0]["geometry"]["coordinates"]
    assert [len(position) for position in coords] == [2, 2]


def test_self_crossing_line_is_fine_outside_border_layers() -> None:
    """A patrol route may cross itself; only border lines must be simple (see the borders case)."""
    report = check(DATA / "geometry/self_crossing_line.geojson")
    assert report.ok and len(report.features) == 1


# --- cross-file checks against the real basemap -------------------------------------------------


@pytest.fixture(scope="module")
def base_countries() -> list[dict]:
    return load_features(DATA_DIR / "base" / "countries.geojson")


def test_enclave_outside_its_host_is_caught_with_the_real_basemap(base_countries: list) -> None:
    report = check(DATA / "domain/enclave_outside_host/enclaves.geojson")
    assert report.ok, "the file alone is valid: only the cross-file check can see this"
    problems = check_enclaves(report.features, base_countries, file=report.file)
    assert [p.sentence() for p in problems] == [
        "data/domain/enclave_outside_host/enclaves.geojson, feature 'enc-in-tajikistan', "
        "field geometry: the enclave does not lie within its host KGZ"
    ]
    assert isinstance(problems[0], DomainError)


def test_enclave_with_unknown_host_is_caught(base_countries: list) -> None:
    report = check(DATA / "domain/enclave_unknown_host/enclaves.geojson")
    problems = check_enclaves(report.features, base_countries, file=report.file)
    assert len(problems) == 1
    assert "field host: host 'XKX' is not a base-map country" in problems[0].sentence()


def test_enclave_inside_its_host_passes(base_countries: list) -> None:
    """The counter-check: the same file's geometry moved into Kyrgyzstan (Vorukh) passes."""
    report = check(DATA / "domain/enclave_unknown_host/enclaves.geojson")
    feature = report.features[0]
    feature["properties"] = {**feature["properties"], "host": "KGZ"}
    assert check_enclaves([feature], base_countries, file=report.file) == []


# --- hostile text is data: accepted verbatim, escaped only at display ---------------------------


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_is_kept_verbatim(name: str) -> None:
    report = check(DATA / name)
    assert report.ok, report.lines()
    text = json.dumps([f["properties"] for f in report.features], ensure_ascii=False)
    assert "<img src=x onerror=" in text
    assert "{{ 7*7 }}" in text


# --- resource abuse, generated (nothing this big is committed) ----------------------------------


def _points(count: int) -> bytes:
    feature = (
        '{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[70.6,39.9]}}'
    )
    return (
        '{"type":"FeatureCollection","features":[' + ",".join([feature] * count) + "]}"
    ).encode()


def _line(positions: int) -> bytes:
    coords = ",".join(["[70.1,39.1]", "[70.2,39.2]"] * (positions // 2))
    return (
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
        f'"geometry":{{"type":"LineString","coordinates":[{coords}]}}}}]}}'
    ).encode()


def test_oversized_upload_is_refused_before_parsing() -> None:
    raw = b'{"type":"FeatureCollection","features":[],"pad":"' + b"x" * (11 * 2**20) + b'"}'
    for report in (
        read_overlay(raw, filename="big.geojson"),
        validate_bytes(raw, name="big.geojson"),
    ):
        assert [type(p) for p in report.problems] == [ReadError]
        assert (
            "big.geojson: the file is 11.0 MB, larger than the 10.0 MB limit" in report.lines()[0]
        )


def test_oversized_kml_and_csv_are_refused() -> None:
    for name in ("big.kml", "big.csv"):
        report = read_overlay(b" " * (2**20 + 1), filename=name, max_bytes=2**20)
        assert "larger than the 1.0 MB limit" in report.lines()[0]


def test_oversized_shipped_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.geojson"
    path.write_bytes(_points(1) + b" " * 2048)
    with pytest.raises(ReadError, match="larger than"):
        read_json_path(path, max_bytes=1024)


def test_millions_of_vertices_hit_the_size_cap() -> None:
    raw = _line(2_000_000)
    report = read_overlay(raw, filename="vertices.geojson")
    assert "larger than the 10.0 MB limit" in report.lines()[0]


def test_a_million_vertices_stop_the_parse_at_the_number_cap() -> None:
    raw = _line(1_000_000)
    report = read_overlay(raw, filename="vertices.geojson", max_bytes=len(raw))
    assert report.lines() == [
        f"vertices.geojson: the file has more than {MAX_JSON_NUMBERS:,} numbers, more than an "
        "overlay may hold (simplify it first)"
    ]
    assert report.features == []


def test_vertices_under_the_number_cap_hit_the_vertex_cap() -> None:
    raw = _line(300_000)
    report = read_overlay(raw, filename="vertices.geojson", max_bytes=len(raw))
    assert report.lines() == [
        "vertices.geojson: the file has 300,000 coordinate positions; an overlay may have at "
        f"most {MAX_POSITIONS:,} (simplify it first)"
    ]


def test_vertex_cap_boundary() -> None:
    assert read_overlay(_line(MAX_POSITIONS), filename="at_cap.geojson").ok
    over = read_overlay(_line(MAX_POSITIONS + 2), filename="over_cap.geojson")
    assert "coordinate positions" in over.lines()[0]


def test_too_many_features_are_refused() -> None:
    report = read_overlay(_points(MAX_FEATURES + 1), filename="points.geojson")
    assert f"an overlay may have at most {MAX_FEATURES:,}" in report.lines()[0]
    rows = "lon,lat\n" + "70.6,39.9\n" * (MAX_FEATURES + 1)
    report = read_overlay(rows.encode(), filename="points.csv")
    assert f"more than {MAX_FEATURES:,} rows" in report.lines()[0]


def test_millions_of_empty_objects_stop_the_parse_at_the_object_cap() -> None:
    raw = b'{"type":"FeatureCollection","features":[' + b",".join([b"{}"] * 3_000_000) + b"]}"
    report = read_overlay(raw, filename="objects.geojson")
    assert report.lines() == [
        f"objects.geojson: the file has more than {MAX_JSON_OBJECTS:,} JSON objects, more than "
        "an overlay may hold"
    ]


def _kml(body: str) -> bytes:
    return f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>'.encode()


def test_too_many_placemarks_are_counted_before_the_xml_is_parsed() -> None:
    placemark = "<Placemark><Point><coordinates>70.6,39.9</coordinates></Point></Placemark>"
    report = read_overlay(_kml(placemark * (MAX_FEATURES + 1)), filename="many.kml")
    assert report.lines() == [
        f"many.kml: the KML has {MAX_FEATURES + 1:,} placemarks; an overlay may have at most "
        f"{MAX_FEATURES:,}"
    ]


def test_too_many_kml_positions_are_counted_before_the_xml_is_parsed() -> None:
    coords = " ".join(["70.1,39.1", "70.2,39.2"] * 300_000)
    line = f"<Placemark><LineString><coordinates>{coords}</coordinates></LineString></Placemark>"
    report = read_overlay(_kml(line), filename="line.kml")
    assert "coordinate positions; an overlay may have at most" in report.lines()[0]
    assert len(report.problems) == 1


def test_too_many_xml_tags_are_counted_before_the_xml_is_parsed() -> None:
    report = read_overlay(_kml("<a/>" * (MAX_XML_ELEMENTS + 1)), filename="tags.kml")
    assert "tags; an overlay may have at most" in report.lines()[0]


def test_too_many_csv_columns_are_refused() -> None:
    header = ",".join(["lon", "lat", *(f"c{i}" for i in range(MAX_CSV_COLUMNS))])
    report = read_overlay(f"{header}\n70.6,39.9\n".encode(), filename="wide.csv")
    assert f"an overlay may have at most {MAX_CSV_COLUMNS}" in report.lines()[0]


def test_uploader_and_reader_say_the_same_megabytes() -> None:
    """Streamlit's uploader shows server.maxUploadSize=10 as 10 MB of 2**20 bytes."""
    assert format_mb(10 * 2**20) == "10.0 MB"
    assert MAX_BYTES_DEFAULT == 10 * 2**20


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deep_nesting_is_refused(depth: int) -> None:
    raw = b'{"type":"FeatureCollection","features":[],"x":' + b"[" * depth + b"]" * depth + b"}"
    report = read_overlay(raw, filename="deep.geojson")
    assert report.lines() == [f"deep.geojson: JSON nested deeper than {MAX_DEPTH} levels"]


def test_deep_kml_nesting_is_refused() -> None:
    body = "<Folder>" * 100 + "</Folder>" * 100
    raw = f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>'
    report = read_overlay(raw.encode(), filename="deep.kml")
    assert report.lines() == [f"deep.kml: XML nested deeper than {MAX_DEPTH} levels"]


# --- a path or URL handed to the loader is refused, never opened ---------------------------------

PATHS = (
    "http://127.0.0.1:9/borders.geojson",
    "https://example.org/borders.geojson",
    "/etc/passwd",
    "../data/borders.geojson",
    "/vsicurl/http://127.0.0.1:9/x.geojson",
    "zip://data.zip!borders.geojson",
    "file:///etc/passwd",
)


@pytest.mark.parametrize("target", PATHS)
def test_path_or_url_string_is_refused(target: str) -> None:
    with pytest.raises(ReadError, match="not a path or URL string"):
        read_json_bytes(target, name="upload.geojson")  # type: ignore[arg-type]  # the wrong type on purpose: it must be refused
    for report in (
        read_overlay(target, filename="upload.geojson"),  # type: ignore[arg-type]  # the wrong type on purpose: it must be refused
        read_overlay(target, filename="upload.kml"),  # type: ignore[arg-type]  # the wrong type on purpose: it must be refused
        validate_bytes(target, name="upload.geojson"),  # type: ignore[arg-type]  # the wrong type on purpose: it must be refused
    ):
        assert [type(p) for p in report.problems] == [ReadError]
        assert "not a path or URL string" in report.lines()[0]


def test_an_existing_readable_path_is_still_not_opened(tmp_path: Path) -> None:
    """If the loader opened paths, this valid file would load; it must be refused instead."""
    path = tmp_path / "valid.geojson"
    path.write_bytes(_points(1))
    assert read_overlay(path.read_bytes(), filename=path.name).ok
    refused = read_overlay(str(path), filename=path.name)  # type: ignore[arg-type]  # the wrong type on purpose: it must be refused
    assert refused.features == [] and "not a path or URL string" in refused.lines()[0]


def test_unknown_extension_is_refused() -> None:
    report = read_overlay(_points(1), filename="borders.shp")
    assert report.lines() == ["borders.shp: only .geojson, .json, .kml, .csv files can be overlaid"]
