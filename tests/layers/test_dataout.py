"""GeoPackage and KML round-trips: read back, the same feature ids and statuses as the GeoJSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyogrio
import pytest
from fastkml import containers, features, kml

from geo.errors import ParamError
from layers import DYNAMIC_LAYERS, load_frames
from layers._draw import ViewOptions
from layers.dataout import kml_color, view_gpkg, view_kml
from layers.download import view_geojson
from layers.styles import LAYER_STYLE, STATUS_STYLE

DATES = (dt.date(2021, 4, 30), dt.date(2022, 9, 17), dt.date(2025, 6, 1))
HOSTILE = "<script>alert(1)</script> {{7*7}} & ]]>"


@pytest.fixture(scope="module")
def frames() -> dict:
    return load_frames()[0]


def _expected(frames: dict, day: dt.date, view: ViewOptions) -> dict[str, tuple[str, str | None]]:
    """Feature id -> (layer, status on the date) from the GeoJSON download."""
    data = json.loads(view_geojson(frames, as_of=day, layers=DYNAMIC_LAYERS, view=view))
    return {
        f["properties"]["id"]: (f["properties"]["layer"], f["properties"].get("status_on_date"))
        for f in data["features"]
    }


def _kml_placemarks(raw: bytes) -> tuple[containers.Document, dict[str, list]]:
    root = kml.KML.from_string(raw)  # type: ignore[arg-type]  # fastkml parses bytes too (ElementTree.fromstring); its annotation says str
    (document,) = root.features
    assert isinstance(document, containers.Document)
    out: dict[str, list] = {}
    for folder in document.features:
        assert isinstance(folder, containers.Folder)
        out[folder.id] = [p for p in folder.features if isinstance(p, features.Placemark)]
    return document, out


@pytest.mark.parametrize("day", DATES)
def test_gpkg_round_trips_ids_and_statuses(frames: dict, day: dt.date, tmp_path: Path) -> None:
    view = ViewOptions()
    expected = _expected(frames, day, view)
    path = tmp_path / "view.gpkg"
    path.write_bytes(view_gpkg(frames, as_of=day, layers=DYNAMIC_LAYERS, view=view))
    got = {}
    layer_names = [name for name, _ in pyogrio.list_layers(path)]
    assert set(layer_names) == {layer for layer, _ in expected.values()}  # one table per layer
    for name in layer_names:
        table = pyogrio.read_dataframe(path, layer=name)
        assert table.crs.to_epsg() == 4326
        assert (table["as_of"] == day.isoformat()).all()
        assert table["sources"].map(lambda s: isinstance(s, str) and len(s) > 0).all()
        for _, row in table.iterrows():
            status = row.get("status_on_date")
            got[row["id"]] = (row["layer"], None if status is None or status != status else status)
    assert got == expected


@pytest.mark.parametrize("day", DATES)
def test_kml_round_trips_ids_and_statuses(frames: dict, day: dt.date) -> None:
    view = ViewOptions(statuses=frozenset({"disputed", "delimited"}))
    expected = _expected(frames, day, view)
    document, folders = _kml_placemarks(
        view_kml(frames, as_of=day, layers=DYNAMIC_LAYERS, view=view)
    )
    assert document.name == f"Frontier Atlas as of {day.isoformat()}"
    got = {}
    for folder_id, placemarks in folders.items():
        for placemark in placemarks:
            values = {d.name: d.value for d in placemark.extended_data.elements}
            assert folder_id == f"layer-{values['layer']}"  # one folder per layer
            got[values["id"]] = (values["layer"], values.get("status_on_date"))
            assert "Confidence:" in placemark.description and "Sources:" in placemark.description
    assert got == expected


def test_kml_styles_follow_the_map(frames: dict) -> None:
    day = dt.date(2021, 10, 15)
    raw = view_kml(frames, as_of=day, layers=("borders", "enclaves"), view=ViewOptions())
    text = raw.decode("utf-8")
    disputed = STATUS_STYLE["disputed"]
    assert disputed.color is not None
    assert f"<color>{kml_color(disputed.color, disputed.opacity)}</color>" in text
    assert 'id="fa-disputed-dashed"' in text if disputed.dash else 'id="fa-disputed"' in text
    enclave = LAYER_STYLE["enclaves"]
    assert enclave.fill is not None
    assert f"<color>{kml_color(enclave.fill, enclave.fill_opacity)}</color>" in text
    assert kml_color("#102030", 1.0) == "ff302010"


def test_kml_balloons_escape_data_text(frames: dict) -> None:
    places = frames["places"].copy()
    places.loc[places.index[0], "name"] = HOSTILE
    src = [{"title": HOSTILE, "publisher": "P <b>", "date": None, "url": "javascript:alert(1)"}]
    places.at[places.index[0], "sources"] = src
    raw = view_kml(
        {**frames, "places": places},
        as_of=dt.date(2021, 10, 15),
        layers=("places",),
        view=ViewOptions(),
    )
    _, folders = _kml_placemarks(raw)
    (mark,) = [p for p in folders["layer-places"] if p.name == HOSTILE]
    balloon = mark.description
    assert "<script>" not in balloon and "&lt;script&gt;" in balloon
    assert "{{" not in balloon and "javascript:" not in balloon
    assert b"<script>" not in raw  # the XML holds it escaped twice over


def test_gpkg_with_nothing_to_export_is_one_sentence(frames: dict) -> None:
    with pytest.raises(ParamError, match="nothing to export"):
        view_gpkg(
            frames,
            as_of=dt.date(2021, 1, 1),
            layers=("events",),
            view=ViewOptions(window_days=1),
            bbox=(60.0, 34.0, 60.1, 34.1),
        )


def test_bbox_keeps_only_features_in_the_box(frames: dict, tmp_path: Path) -> None:
    day, box = dt.date(2022, 9, 17), (70.3, 39.7, 71.0, 40.2)
    path = tmp_path / "v.gpkg"
    path.write_bytes(
        view_gpkg(frames, as_of=day, layers=DYNAMIC_LAYERS, view=ViewOptions(), bbox=box)
    )
    everything = _expected(frames, day, ViewOptions())
    inside = set()
    for name, _ in pyogrio.list_layers(path):
        inside |= set(pyogrio.read_dataframe(path, layer=name)["id"])
    assert inside and inside < set(everything)
    assert "place-kok-tash" in inside and "kgz-tjk-02-isfara-surkh" in inside
