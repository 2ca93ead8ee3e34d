"""layers._draw: rows read once, and GeoJSON parts kept as the text folium renders."""

from __future__ import annotations

import math
from typing import Any

import folium
import geopandas as gpd
from branca.element import Figure
from shapely.geometry import LineString, Point

from layers._draw import DataGeoJson, FeatureText, geojson_group, records


def _collection(name: str) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "a",
                "properties": {"id": "a", "name": name, "popup": f"<b>{name}</b>", "_k": "k"},
                "geometry": {"type": "LineString", "coordinates": [[69.0, 38.0], [70.0, 38.5]]},
            }
        ],
    }


def _page(layer: folium.GeoJson) -> str:
    fmap = folium.Map(tiles=None)
    Figure().add_child(fmap)
    fmap._id, layer._id = "fixedmap", "fixedlayer"  # the same variable names in both pages
    layer.add_to(fmap)
    return str(fmap.get_root().render())


def test_a_geojson_layer_renders_as_foliums_does() -> None:
    ours = DataGeoJson(_collection("Vorukh"), control=False)
    theirs = folium.GeoJson(_collection("Vorukh"), control=False)
    page = _page(ours)
    assert "Vorukh" in page
    assert page == _page(theirs)


def test_data_text_is_never_read_as_a_template() -> None:
    # branca compiles each rendered part as a Jinja template; DataGeoJson keeps it as text
    page = _page(DataGeoJson(_collection("{{ 7 * 7 }} {% if 1 %}x{% endif %}"), control=False))
    assert "{{ 7 * 7 }} {% if 1 %}x{% endif %}" in page
    assert "49" not in page


def test_each_feature_gets_its_name_and_popup() -> None:
    group = geojson_group(
        _collection("Vorukh")["features"],
        {"k": {"color": "#000"}},
        layer_id="enclaves",
        name="Enclaves",
    )
    fmap = folium.Map(tiles=None)
    group.add_to(fmap)
    page = str(fmap.get_root().render())
    (layer,) = [c for c in group._children.values() if isinstance(c, DataGeoJson)]
    assert any(isinstance(c, FeatureText) for c in layer._children.values())
    assert f"{layer.get_name()}.bindTooltip(function (layer)" in page
    assert f"{layer.get_name()}.bindPopup(function (layer)" in page


def test_records_match_pandas_rows() -> None:
    frame = gpd.GeoDataFrame(
        {
            "id": ["a", "b", "c"],
            "count": [1, 2, 3],
            "share": [0.5, math.nan, 1.5],
            "note": ["x", None, "z"],
            "sources": [[{"url": "u"}], [], None],
            "flag": [True, False, True],
        },
        geometry=[Point(69, 38), LineString([(69, 38), (70, 39)]), None],
        crs="OGC:CRS84",
    )
    ours, theirs = records(frame), frame.to_dict("records")
    assert [list(r) for r in ours] == [list(r) for r in theirs]
    for mine, pandas_row in zip(ours, theirs, strict=True):
        for key, value in pandas_row.items():
            got = mine[key]
            assert type(got) is type(value), key
            if isinstance(value, float) and math.isnan(value):
                assert math.isnan(got)
            else:
                assert got == value or (got is None and value is None), key
