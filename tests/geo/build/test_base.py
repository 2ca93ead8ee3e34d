"""The base build: byte-identical rebuilds, plausible lengths, edges that really are shared.

Runs the real build on the pinned OpenStreetMap package (cached in ``build/``; fetched with
``npm pack`` when absent), so it takes ~40 s.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point, shape

from geo.build.base import (
    EDGE_TOLERANCE_DEG,
    PACKAGE_DATE,
    PACKAGE_SHA1,
    PackageChecksumError,
    build_base,
    cli_build_base,
    ensure_package,
    verify_package,
)
from geo.measure import geodesic_length_m

REPO = Path(__file__).resolve().parents[3]
COMMITTED = REPO / "data" / "base"
OUTPUTS = ("countries.geojson", "border_lines.geojson", "PROVENANCE.md")
#: One metre expressed in degrees, generously (a degree is at least ~85 km in this region).
ONE_M_DEG = 1.0 / 85_000


@pytest.fixture(scope="module")
def package() -> Path:
    return ensure_package(REPO / "build")


@pytest.fixture(scope="module")
def builds(package: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first, second = tmp_path_factory.mktemp("base1"), tmp_path_factory.mktemp("base2")
    build_base(package_tgz=package, out_dir=first)
    build_base(package_tgz=package, out_dir=second)
    return first, second


def _features(folder: Path, name: str) -> list[dict]:
    return json.loads((folder / name).read_text(encoding="utf-8"))["features"]


def _lines(folder: Path) -> dict[str, dict]:
    return {f["properties"]["border"]: f for f in _features(folder, "border_lines.geojson")}


def test_rebuild_is_byte_identical(builds: tuple[Path, Path]) -> None:
    first, second = builds
    for name in OUTPUTS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_committed_base_matches_a_fresh_build(builds: tuple[Path, Path]) -> None:
    for name in OUTPUTS:
        assert (COMMITTED / name).read_bytes() == (builds[0] / name).read_bytes(), (
            f"data/base/{name} is stale: run `python -m geo build-base`"
        )


def test_committed_base_stays_small() -> None:
    total = sum((COMMITTED / name).stat().st_size for name in OUTPUTS)
    assert total < 6_000_000


def test_checksum_mismatch_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "osm_borders-maritime_10m-1.1.0.tgz"
    fake.write_bytes(b"not the package")
    with pytest.raises(PackageChecksumError, match=PACKAGE_SHA1):
        verify_package(fake)


def test_tajik_border_lengths(builds: tuple[Path, Path]) -> None:
    lines = _lines(builds[0])
    kgz = geodesic_length_m(shape(lines["KGZ-TJK"]["geometry"])) / 1000
    afg = geodesic_length_m(shape(lines["AFG-TJK"]["geometry"])) / 1000
    assert 900 < kgz < 1000
    assert 1300 < afg < 1400


def test_expected_borders_present(builds: tuple[Path, Path]) -> None:
    wanted = {
        "AFG-TJK", "KGZ-TJK", "TJK-UZB", "KGZ-UZB", "CHN-TJK", "CHN-KGZ", "KAZ-KGZ",
        "AFG-UZB", "AFG-TKM", "TKM-UZB", "KAZ-UZB", "AFG-PAK", "AFG-CHN", "CHN-PAK",
    }  # fmt: skip
    assert wanted <= set(_lines(builds[0]))


def test_afghan_line_is_one_piece_and_kyrgyz_line_keeps_exclave_rings(
    builds: tuple[Path, Path],
) -> None:
    lines = _lines(builds[0])
    afg = shape(lines["AFG-TJK"]["geometry"])
    assert afg.geom_type == "LineString"
    kgz = shape(lines["KGZ-TJK"]["geometry"])
    assert kgz.geom_type == "MultiLineString"
    rings = [p for p in kgz.geoms if p.is_closed]
    assert len(rings) == 2
    vorukh, lolazor = Point(70.579, 39.853), Point(69.546, 40.07)
    areas = [shapely.Polygon(r.coords) for r in rings]
    assert any(a.contains(vorukh) for a in areas)
    assert any(a.contains(lolazor) for a in areas)


def test_shared_edges_lie_on_both_boundaries(builds: tuple[Path, Path]) -> None:
    countries = {
        f["properties"]["iso3"]: shape(f["geometry"])
        for f in _features(builds[0], "countries.geojson")
    }
    for border, feature in _lines(builds[0]).items():
        line = shape(feature["geometry"])
        first, second = border.split("-")
        # Exactly on the first country's boundary (within 1 m) ...
        off = line.difference(countries[first].boundary.buffer(ONE_M_DEG))
        assert geodesic_length_m(off) < 1.0, border
        # ... and on the second's within the build tolerance (the package simplifies each
        # country separately, so neighbours' edges differ by up to ~20 m).
        near = countries[second].boundary.buffer(EDGE_TOLERANCE_DEG + ONE_M_DEG)
        assert geodesic_length_m(line.difference(near)) < 1.0, border


def test_feature_properties_and_precision(builds: tuple[Path, Path]) -> None:
    for name in ("countries.geojson", "border_lines.geojson"):
        text = (builds[0] / name).read_text(encoding="utf-8")
        assert not re.search(r"\d\.\d{7,}", text), f"{name} has more than 6 decimals"
        for feature in json.loads(text)["features"]:
            props = feature["properties"]
            assert props["id"].startswith("base-")
            assert props["valid_from"] is None and props["valid_to"] is None
            assert props["confidence"] == "assessed"
            assert props["sources"][0]["date"] == PACKAGE_DATE
            assert "OpenStreetMap" in props["sources"][0]["publisher"]
    ids = [f["properties"]["id"] for f in _features(builds[0], "countries.geojson")]
    assert "base-tjk" in ids and ids == sorted(ids)
    assert _lines(builds[0])["AFG-TJK"]["properties"]["id"] == "base-line-afg-tjk"


def test_countries_are_valid_and_inside_the_region(builds: tuple[Path, Path]) -> None:
    for feature in _features(builds[0], "countries.geojson"):
        geom = shape(feature["geometry"])
        assert geom.is_valid, feature["properties"]["id"]
        minx, miny, maxx, maxy = geom.bounds
        assert minx >= 60 and maxx <= 80 and miny >= 34 and maxy <= 43


def test_build_base_refuses_a_tarball_not_pinned_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.tgz"
    other.write_bytes(b"not the pinned package")
    out = tmp_path / "out"
    assert cli_build_base(["--package", str(other), "--out", str(out)]) == 1
    printed = capsys.readouterr().out.strip()
    assert printed.startswith(f"{other}: sha1 is ") and "@osm_borders/maritime_10m@1.1.0" in printed
    assert "\n" not in printed and not out.exists()
