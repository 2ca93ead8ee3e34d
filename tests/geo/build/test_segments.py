"""The segment cutter on the real KGZ-TJK line: shared endpoints, full cover, named errors."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from shapely.geometry import shape

from geo.build.segments import (
    BreakPointTooFarError,
    SegmentGapError,
    SegmentOverlapError,
    SegmentSpecError,
    UnknownBorderError,
    build_borders,
    cut_segments,
    read_lines,
    read_spec,
)
from geo.errors import GeoDataError
from geo.measure import geodesic_length_m

REPO = Path(__file__).resolve().parents[3]
LINES_PATH = REPO / "data" / "base" / "border_lines.geojson"
SPEC_PATH = REPO / "tests" / "data" / "segments" / "kgz_tjk.spec.json"
SPEC = "kgz_tjk.spec.json"


@pytest.fixture(scope="module")
def lines() -> dict:
    return read_lines(LINES_PATH)


@pytest.fixture
def spec() -> list[dict]:
    return copy.deepcopy(read_spec(SPEC_PATH))


def _by_id(features: list[dict]) -> dict[str, dict]:
    return {f["properties"]["id"]: f for f in features}


def _seg(spec: list[dict], seg_id: str) -> dict:
    return next(s for s in spec if s["id"] == seg_id)


def test_neighbours_share_endpoints_exactly(lines: dict, spec: list[dict]) -> None:
    feats = _by_id(cut_segments(lines, spec, spec_name=SPEC))
    pairs = [
        ("test-kgz-tjk-west", "test-kgz-tjk-middle"),
        ("test-kgz-tjk-middle", "test-kgz-tjk-east"),
        ("test-kgz-tjk-lolazor-north", "test-kgz-tjk-lolazor-south"),
        ("test-kgz-tjk-lolazor-south", "test-kgz-tjk-lolazor-north"),
    ]
    for before, after in pairs:
        end = feats[before]["geometry"]["coordinates"][-1]
        start = feats[after]["geometry"]["coordinates"][0]
        assert end == start, (before, after)


def test_total_length_is_preserved(lines: dict, spec: list[dict]) -> None:
    feats = cut_segments(lines, spec, spec_name=SPEC)
    total = sum(geodesic_length_m(shape(f["geometry"])) for f in feats)
    assert abs(total - geodesic_length_m(lines["KGZ-TJK"])) < 1.0


def test_same_point_on_a_ring_takes_the_whole_exclave(lines: dict, spec: list[dict]) -> None:
    vorukh = shape(
        _by_id(cut_segments(lines, spec, spec_name=SPEC))["test-kgz-tjk-vorukh"]["geometry"]
    )
    assert vorukh.is_closed
    assert 27_000 < geodesic_length_m(vorukh) < 28_500


def test_properties_drop_from_and_to(lines: dict, spec: list[dict]) -> None:
    props = _by_id(cut_segments(lines, spec, spec_name=SPEC))["test-kgz-tjk-middle"]["properties"]
    assert "from" not in props and "to" not in props
    assert props["from_place"] == "Test point B"
    assert props["to_place"] == "Test point C"
    assert [e["status"] for e in props["status_history"]] == ["disputed", "delimited"]


def test_build_is_deterministic_and_six_decimals(tmp_path: Path) -> None:
    one, two = tmp_path / "a" / "borders.geojson", tmp_path / "b" / "borders.geojson"
    build_borders(spec_path=SPEC_PATH, lines_path=LINES_PATH, out_path=one)
    build_borders(spec_path=SPEC_PATH, lines_path=LINES_PATH, out_path=two)
    assert one.read_bytes() == two.read_bytes()
    text = one.read_text(encoding="utf-8")
    assert not re.search(r"\d\.\d{7,}", text)
    assert len(json.loads(text)["features"]) == 6


def test_built_file_passes_the_validator(tmp_path: Path) -> None:
    from geo.validate import validate_path

    out = tmp_path / "borders.geojson"
    build_borders(spec_path=SPEC_PATH, lines_path=LINES_PATH, out_path=out)
    report = validate_path(out)
    assert not report.problems, [str(p) for p in report.problems]


def test_gap_names_the_segment(lines: dict, spec: list[dict]) -> None:
    spec = [s for s in spec if s["id"] != "test-kgz-tjk-middle"]
    with pytest.raises(SegmentGapError) as info:
        cut_segments(lines, spec, spec_name=SPEC)
    err = info.value
    assert err.file == SPEC and err.feature == "test-kgz-tjk-east" and err.field
    assert "test-kgz-tjk-east" in str(err) and SPEC in str(err)


def test_missing_exclave_is_a_gap(lines: dict, spec: list[dict]) -> None:
    spec = [s for s in spec if s["id"] != "test-kgz-tjk-vorukh"]
    with pytest.raises(SegmentGapError, match="no segment covers"):
        cut_segments(lines, spec, spec_name=SPEC)


def test_overlap_names_the_segment(lines: dict, spec: list[dict]) -> None:
    # The middle segment now starts back at the Isfara tripoint, over the west segment.
    _seg(spec, "test-kgz-tjk-middle")["from"] = dict(_seg(spec, "test-kgz-tjk-west")["from"])
    with pytest.raises(SegmentOverlapError) as info:
        cut_segments(lines, spec, spec_name=SPEC)
    assert info.value.feature in {"test-kgz-tjk-west", "test-kgz-tjk-middle"}
    assert info.value.feature in str(info.value)


def test_far_break_point_names_segment_and_field(lines: dict, spec: list[dict]) -> None:
    east = _seg(spec, "test-kgz-tjk-east")
    east["to"] = {"name": "Somewhere in the Alay valley", "lon": 73.3, "lat": 39.6}
    with pytest.raises(BreakPointTooFarError) as info:
        cut_segments(lines, spec, spec_name=SPEC)
    err = info.value
    assert (err.feature, err.field) == ("test-kgz-tjk-east", "to")
    assert "km from the KGZ-TJK line" in str(err)


def test_unknown_border(lines: dict, spec: list[dict]) -> None:
    _seg(spec, "test-kgz-tjk-west")["border"] = "KGZ-XXX"
    with pytest.raises(UnknownBorderError) as info:
        cut_segments(lines, spec, spec_name=SPEC)
    assert (info.value.feature, info.value.field) == ("test-kgz-tjk-west", "border")


def test_same_break_point_at_two_positions_is_refused(lines: dict, spec: list[dict]) -> None:
    _seg(spec, "test-kgz-tjk-middle")["from"]["lon"] += 0.001
    with pytest.raises(SegmentSpecError) as info:
        cut_segments(lines, spec, spec_name=SPEC)
    assert (info.value.feature, info.value.field) == ("test-kgz-tjk-middle", "from")


def test_errors_are_geodata_errors(lines: dict, spec: list[dict]) -> None:
    del _seg(spec, "test-kgz-tjk-west")["from"]["lat"]
    with pytest.raises(GeoDataError, match=r"from\.lat"):
        cut_segments(lines, spec, spec_name=SPEC)


def test_spec_with_duplicate_keys_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "borders.spec.json"
    bad.write_text('{"segments": [], "segments": []}', encoding="utf-8")
    with pytest.raises(SegmentSpecError, match="twice"):
        read_spec(bad)
