"""geo.overlay: analysts' GeoJSON, KML and CSV uploads become checked features.

The one-file-per-defect cases (broken XML, entity bombs, caps, paths) are in test_bad_inputs.py;
this file covers what each reader produces from good input and how it names bad features.
"""

from __future__ import annotations

import json

import pytest

from geo.errors import DomainError, GeoDataError, GeometryError, StructureError
from geo.overlay import OverlayResult, read_overlay
from tests.conftest import POINT, SQUARE, collection

KML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _feature(geometry: object, **props: object) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _kml(body: str, ns: str = "http://www.opengis.net/kml/2.2") -> bytes:
    return f'{KML_HEAD}<kml xmlns="{ns}"><Document>{body}</Document></kml>'.encode()


# --- GeoJSON ------------------------------------------------------------------------------------


def test_geojson_good_features_are_drawn_and_bad_ones_reported() -> None:
    doc = collection(
        _feature(POINT, name="Checkpoint", strength=40),
        _feature({"type": "Point", "coordinates": [38.5, 70.5]}, name="Swapped"),
        _feature(SQUARE, name="Zone"),
    )
    result = read_overlay(json.dumps(doc).encode(), filename="patrols.geojson")
    assert isinstance(result, OverlayResult)
    assert result.format == "geojson" and result.layer == "overlay" and result.total == 3
    assert [f["properties"]["name"] for f in result.features] == ["Checkpoint", "Zone"]
    assert result.features[0]["properties"]["strength"] == 40
    assert len(result.problems) == 1 and isinstance(result.problems[0], DomainError)
    assert result.lines()[0].startswith("patrols.geojson, feature #1, field geometry:")


@pytest.mark.parametrize("filename", ["view.json", "VIEW.GEOJSON", "a/b/c/view.geojson"])
def test_geojson_extensions_and_folders(filename: str) -> None:
    result = read_overlay(json.dumps(collection(_feature(POINT))).encode(), filename=filename)
    assert result.ok and len(result.features) == 1
    assert result.file == filename.rsplit("/", 1)[-1]


def test_file_name_in_messages_is_bare_and_printable() -> None:
    result = read_overlay(b"{", filename="C:\\Users\\me\\bad\x00\x1b[31m.geojson")
    assert result.file == "bad[31m.geojson"
    assert result.lines()[0].startswith("bad[31m.geojson: broken JSON")


def test_any_properties_are_allowed_in_an_overlay() -> None:
    doc = collection(_feature(POINT, **{"Any Key": [1, {"x": None}], "id": 7}))
    result = read_overlay(json.dumps(doc).encode(), filename="free.geojson")
    assert result.ok
    assert result.features[0]["properties"] == {"Any Key": [1, {"x": None}], "id": 7}


# --- KML ----------------------------------------------------------------------------------------


def test_kml_placemarks_become_features_with_their_properties() -> None:
    raw = _kml(
        """
        <Folder><name>Posts</name>
          <Placemark id="pm-1"><name>Post 1</name><description>on the ridge</description>
            <ExtendedData>
              <Data name="unit"><value>3rd company</value></Data>
              <SchemaData schemaUrl="#s"><SimpleData name="men">40</SimpleData></SchemaData>
            </ExtendedData>
            <Point><coordinates>70.6,39.9,1650</coordinates></Point>
          </Placemark>
          <Placemark><name>Road</name>
            <LineString><coordinates>70.5,39.8 70.6,39.85 70.7,39.9</coordinates></LineString>
          </Placemark>
          <Placemark><name>Zone</name><Polygon><outerBoundaryIs><LinearRing>
            <coordinates>70.5,39.8 70.5,39.9 70.6,39.9 70.6,39.8 70.5,39.8</coordinates>
          </LinearRing></outerBoundaryIs></Polygon></Placemark>
          <Placemark><name>Pair</name><MultiGeometry>
            <Point><coordinates>70.6,39.9</coordinates></Point>
            <Point><coordinates>70.7,39.9</coordinates></Point>
          </MultiGeometry></Placemark>
        </Folder>"""
    )
    result = read_overlay(raw, filename="posts.kml")
    assert result.ok, result.lines()
    assert result.format == "kml"
    by_name = {f["properties"]["name"]: f for f in result.features}
    assert by_name["Post 1"]["properties"] == {
        "kml_id": "pm-1",
        "name": "Post 1",
        "description": "on the ridge",
        "unit": "3rd company",
        "men": "40",
    }
    assert list(by_name["Post 1"]["geometry"]["coordinates"]) == [70.6, 39.9]
    assert [by_name[n]["geometry"]["type"] for n in ("Road", "Zone", "Pair")] == [
        "LineString",
        "Polygon",
        "MultiPoint",
    ]
    assert "posts.kml, feature #0: altitude dropped (2-D map)" in result.notices
    assert any("rings re-oriented" in n for n in result.notices), "KML rings are clockwise here"


@pytest.mark.parametrize(
    "ns", ["http://earth.google.com/kml/2.1", "http://earth.google.com/kml/2.2"]
)
def test_older_kml_namespaces_are_read(ns: str) -> None:
    raw = _kml(
        "<Placemark><name>Old</name><Point><coordinates>70.6,39.9</coordinates></Point></Placemark>",
        ns,
    )
    result = read_overlay(raw, filename="old.kml")
    assert result.ok and [f["properties"]["name"] for f in result.features] == ["Old"]


def test_kml_problems_name_the_placemark() -> None:
    raw = _kml(
        "<Placemark><name>fine</name><Point><coordinates>70.6,39.9</coordinates></Point></Placemark>"
        "<Placemark><name>no geometry</name></Placemark>"
        "<Placemark><name>mixed</name><MultiGeometry>"
        "<Point><coordinates>70.6,39.9</coordinates></Point>"
        "<LineString><coordinates>70.6,39.9 70.7,39.9</coordinates></LineString>"
        "</MultiGeometry></Placemark>"
        "<Placemark><name>far</name><Point><coordinates>2.35,48.85</coordinates></Point></Placemark>"
    )
    result = read_overlay(raw, filename="mixed.kml")
    assert [f["properties"]["name"] for f in result.features] == ["fine"]
    assert [type(p) for p in result.problems] == [GeometryError, StructureError, DomainError]
    assert result.lines()[0] == "mixed.kml, feature #1, field geometry: the geometry is null"
    assert "feature #2, field geometry: a GeometryCollection is not supported" in result.lines()[1]
    assert "feature #3" in result.lines()[2] and "outside the map region" in result.lines()[2]


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_rows_become_points_with_their_other_columns() -> None:
    raw = "\ufeffName;Longitude;Latitude;Note\nKhujand;69.62;40.28;\nIsfara;70.63;40.12;market\n"
    result = read_overlay(raw.encode("utf-8"), filename="towns.csv")
    assert result.ok and result.format == "csv"
    assert [f["properties"] for f in result.features] == [
        {"Name": "Khujand"},
        {"Name": "Isfara", "Note": "market"},
    ]
    assert [list(f["geometry"]["coordinates"]) for f in result.features] == [
        [69.62, 40.28],
        [70.63, 40.12],
    ]


def test_csv_problems_name_the_line() -> None:
    raw = (
        "name,lon,lat\nok,70.6,39.9\nswapped,39.9,70.6\nwords,east,39.9\nextra,70.6,39.9,surplus\n"
    )
    result = read_overlay(raw.encode(), filename="rows.csv")
    assert len(result.features) == 1 and result.total == 4
    assert result.lines() == [
        "rows.csv, feature row 4, field lon: 'east' is not a number",
        "rows.csv, feature row 5: the row has more values than the header has columns",
        "rows.csv, feature row 3, field geometry: position [39.9, 70.6] lies outside the map "
        "region lon 60.0..80.0, lat 34.0..43.0 (latitude and longitude look swapped)",
    ]


def test_csv_not_utf8_is_a_read_error() -> None:
    result = read_overlay("name,lon,lat\nXoçand,69.6,40.3\n".encode("latin-1"), filename="t.csv")
    assert result.lines() == ["t.csv: the file is not UTF-8 text (byte 15 is invalid)"]


def test_csv_broken_quoting_is_a_read_error() -> None:
    raw = b'name,lon,lat\n"open quote,70.6,39.9\n' + b"x" * 200_000
    result = read_overlay(raw, filename="q.csv")
    assert len(result.problems) == 1 and "broken CSV" in result.lines()[0]


# --- never raises -------------------------------------------------------------------------------

GARBAGE = (
    b"",
    b"\x00\xff" * 64,
    b"<kml",
    b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
    b"<Placemark><Point><coordinates>a,b</coordinates></Point></Placemark></Document></kml>",
    b'{"type":"FeatureCollection","features":[null, 1, "x", {"type":"Feature"}]}',
    b"lon,lat\n,\n",
)


@pytest.mark.parametrize("raw", GARBAGE)
@pytest.mark.parametrize("ext", [".geojson", ".kml", ".csv"])
def test_garbage_never_raises_and_draws_nothing(raw: bytes, ext: str) -> None:
    result = read_overlay(raw, filename=f"garbage{ext}")
    assert result.features == []
    assert result.problems and all(isinstance(p, GeoDataError) for p in result.problems)
