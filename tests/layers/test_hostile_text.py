"""Hostile text end to end on the server: every layer and an overlay, rendered both ways.

Frames for every dynamic layer are written with hostile names, notes, sources and layer-specific
text, validated and loaded the way the app loads them, drawn by ``layers.mapview`` and rendered
(1) by folium/branca's full page render, which runs property text through Jinja a second time,
and (2) by streamlit-folium's ``generate_leaflet_string``, the single-pass path the page uses for
dynamic groups. Neither may evaluate ``{{ 7*7 }}``, crash on ``{{{``, or carry raw markup.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import folium
import geopandas as gpd
import pytest
from streamlit_folium import generate_leaflet_string

from geo.catalog import load_frame
from geo.overlay import read_overlay
from layers import DYNAMIC_LAYERS, overlay
from layers._draw import ViewOptions
from layers.mapview import base_map, dynamic_groups
from tests.conftest import POINT, collection, history, make_feature, write_geojson

AS_OF = dt.date(2021, 10, 5)

MARK = "A{{ 7*7 }}Z"  # evaluated, it would read A49Z
PAYLOADS = (
    f'<img src=x onerror="window.__xss=1"> {MARK}',
    "</script><script>window.__xss=2</script>",
    "`${window.__xss=3}`",
    "{% if 1 %}jinja{% endif %}",
    "{{{",
)
TEXT = " ".join(PAYLOADS)
SOURCE = {"title": TEXT, "publisher": TEXT, "date": None, "url": "https://example.org/?" + TEXT}

LAYER_TEXT: dict[str, dict[str, object]] = {
    "borders.geojson": {"from_place": TEXT, "to_place": TEXT},
    "enclaves.geojson": {},
    "deployments.geojson": {"actor": TEXT, "strength_note": TEXT},
    "exercises.geojson": {
        "exercise": TEXT,
        "organizer": TEXT,
        "valid_from": "2021-10-01",
        "valid_to": "2021-10-10",
    },
    "events.geojson": {"description": TEXT, "valid_from": "2021-09-20"},
    "crossings.geojson": {},
    "places.geojson": {"alt_names": [TEXT]},
    "settlements.geojson": {"alt_names": [TEXT]},
    "waters.geojson": {"alt_names": [TEXT]},
}
LAYER_OF_FILE = {"waters": "rivers"}
"""Files whose layer id is not their name."""


@pytest.fixture(scope="module")
def hostile_frames(tmp_path_factory: pytest.TempPathFactory) -> dict[str, gpd.GeoDataFrame]:
    root = tmp_path_factory.mktemp("hostile")
    frames = {}
    for file_name, extra in LAYER_TEXT.items():
        props: dict[str, Any] = {"name": TEXT, "notes": TEXT, "sources": [SOURCE], **extra}
        if file_name == "borders.geojson":
            props["status_history"] = [
                {**entry, "sources": [SOURCE]} for entry in history(("2021-01-01", "disputed"))
            ]
        path = write_geojson(root / file_name, make_feature(file_name, **props))
        frame, report = load_frame(path)
        assert report.ok and len(frame) == 1, report.lines()
        stem = file_name.removesuffix(".geojson")
        frames[LAYER_OF_FILE.get(stem, stem)] = frame
    return frames


@pytest.fixture(scope="module")
def groups(hostile_frames: dict[str, gpd.GeoDataFrame]) -> list[folium.FeatureGroup]:
    props = {"name": TEXT, TEXT: TEXT, "nested": {"k": [TEXT]}}
    raw = json.dumps(collection({"type": "Feature", "properties": props, "geometry": POINT}))
    upload = read_overlay(raw.encode(), filename=f"{MARK}.geojson")
    assert upload.ok
    return dynamic_groups(
        hostile_frames,
        visible=DYNAMIC_LAYERS,
        as_of=AS_OF,
        view=ViewOptions(),
        extra=[overlay.build(upload.features, name=upload.file)],
    )


def _assert_inert(rendered: str) -> None:
    assert "A49Z" not in rendered, "{{ 7*7 }} was evaluated by Jinja"
    if "fa-layer-" in rendered:  # the text is there, shown as entities
        assert "A&#123;&#123; 7*7 &#125;&#125;Z" in rendered.replace("\\u0026", "&")
    lowered = rendered.lower()
    assert "<img src=x" not in lowered
    assert "<script>window.__xss" not in lowered
    assert "${window.__xss" not in rendered
    assert "`${" not in rendered
    assert "{% if 1 %}" not in rendered and "{{{" not in rendered
    assert "<b>key" not in rendered


def test_every_layer_and_the_overlay_draw_something(groups: list[folium.FeatureGroup]) -> None:
    fmap = base_map(None)
    for group in groups:
        group.add_to(fmap)
    rendered = fmap.get_root().render()
    for layer_id in (*DYNAMIC_LAYERS, "overlay"):
        assert f"fa-layer-{layer_id}" in rendered, f"{layer_id} drew nothing: the check is vacuous"


def test_full_page_render_is_inert(groups: list[folium.FeatureGroup]) -> None:
    fmap = base_map(None)
    for group in groups:
        group.add_to(fmap)
    _assert_inert(fmap.get_root().render())  # a TemplateSyntaxError from {{{ would raise here


def test_streamlit_folium_single_pass_is_inert(groups: list[folium.FeatureGroup]) -> None:
    fmap = base_map(None)
    fmap.render()
    drawn = 0
    for group in groups:
        group.add_to(fmap)
        leaflet = generate_leaflet_string(group)
        _assert_inert(leaflet)
        drawn += "fa-layer-" in leaflet
    assert drawn == len(DYNAMIC_LAYERS) + 1
