"""layers.download: the current view as one GeoJSON file, matching what the map draws."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import folium
import geopandas as gpd
import pytest

from geo.catalog import concat_frames, load_frame
from geo.io import read_json_bytes
from geo.validate import validate_bytes
from layers import DYNAMIC_LAYERS, REGISTRY
from layers._draw import ViewOptions
from layers.download import file_name, view_geojson
from layers.styles import ATTRIBUTION, DISCLAIMER
from tests.conftest import build_data_dir

DAY = dt.date(2021, 10, 5)


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> dict[str, gpd.GeoDataFrame]:
    root = build_data_dir(tmp_path_factory.mktemp("download") / "data")
    return {
        layer_id: concat_frames([load_frame(root / name)[0] for name in spec.files])
        for layer_id, spec in REGISTRY.items()
    }


def _download(frames: dict, **kwargs: object) -> dict:
    options = {"as_of": DAY, "layers": DYNAMIC_LAYERS, "view": ViewOptions(), **kwargs}
    return json.loads(view_geojson(frames, **options))  # type: ignore[arg-type]  # the test passes options as a loose dict


def _ids(doc: dict) -> set[str]:
    return {f["properties"]["id"] for f in doc["features"]}


def _drawn_ids(frames: dict, layer_id: str, as_of: dt.date, view: ViewOptions) -> set[str]:
    group = REGISTRY[layer_id].build(frames[layer_id], as_of=as_of, view=view)
    return {
        feature["id"]
        for child in group._children.values()
        if isinstance(child, folium.GeoJson)
        for feature in child.data["features"]
    }


def test_everything_visible_on_the_date_with_sources_and_provenance(frames: dict) -> None:
    doc = _download(frames)
    assert _ids(doc) == {
        "seg-a",
        "seg-b",
        "seg-c",
        "encl-1",
        "dep-1",
        "ex-1",
        "ev-1",
        "cr-1",
        "pl-1",
        "river-1",
        "settlement-1",
    }
    assert doc["as_of"] == "2021-10-05" and doc["lookback_days"] == 90
    assert (doc["attribution"], doc["disclaimer"]) == (ATTRIBUTION, DISCLAIMER)
    for feature in doc["features"]:
        props = feature["properties"]
        assert props["layer"] in DYNAMIC_LAYERS
        assert props["sources"] and props["sources"][0]["publisher"] == "Test Publisher"
        assert not any(key.startswith("_") for key in props)


def test_matches_what_each_layer_draws(frames: dict) -> None:
    for day in (dt.date(2021, 2, 1), DAY, dt.date(2023, 6, 1)):
        doc = _download(frames, as_of=day)
        for layer_id in DYNAMIC_LAYERS:
            exported = {
                f["properties"]["id"]
                for f in doc["features"]
                if f["properties"]["layer"] == layer_id
            }
            assert exported == _drawn_ids(frames, layer_id, day, ViewOptions()), (day, layer_id)


def test_status_on_the_date_and_geodesic_length(frames: dict) -> None:
    borders = {
        f["properties"]["id"]: f["properties"]
        for f in _download(frames, as_of=dt.date(2022, 7, 1))["features"]
        if f["properties"]["layer"] == "borders"
    }
    assert borders["seg-b"]["status_on_date"] == "delimited"  # disputed until 2022-06-01
    assert borders["seg-b"]["status_history"][0]["status"] == "disputed"
    assert borders["seg-a"]["length_km"] == pytest.approx(55.5, abs=0.1)  # 0.5° of latitude


def test_status_filter_layers_and_base_are_respected(frames: dict) -> None:
    doc = _download(frames, view=ViewOptions(statuses=frozenset({"delimited"})))
    assert {"seg-b", "seg-c"}.isdisjoint(_ids(doc)) and "seg-a" in _ids(doc)
    doc = _download(frames, layers=["events", "base"])
    assert _ids(doc) == {"ev-1"} and doc["layers"] == ["events"]
    assert _download(frames, layers=[])["features"] == []


def test_output_is_strict_rfc7946_json(frames: dict) -> None:
    raw = view_geojson(frames, as_of=DAY, layers=DYNAMIC_LAYERS, view=ViewOptions())
    read_json_bytes(raw, name="download.geojson")  # no NaN, no duplicate keys
    report = validate_bytes(raw, name="download.geojson")  # overlay schema: structure + region
    assert report.ok, report.lines()
    assert report.total == 11  # 9 atlas features, one river, one settlement


def test_file_name() -> None:
    assert file_name(DAY) == "frontier-atlas-2021-10-05.geojson"
    assert Path(file_name(DAY)).suffix == ".geojson"
