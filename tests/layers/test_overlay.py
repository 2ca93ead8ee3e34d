"""layers.overlay: an upload drawn as one dynamic group with its own style, ids and escaped text."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
from shapely.geometry import shape

from geo.measure import geodesic_area_m2
from geo.overlay import read_overlay
from layers import overlay
from layers.styles import LAYER_STYLE
from tests.conftest import POINT, SQUARE, collection, meridian

REPO = Path(__file__).resolve().parents[2]


def _upload(*features: dict[str, Any], filename: str = "mine.geojson") -> list[dict[str, Any]]:
    result = read_overlay(json.dumps(collection(*features)).encode(), filename=filename)
    assert result.ok, result.lines()
    return result.features


def _feature(geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _drawn(group: folium.FeatureGroup) -> tuple[list[dict[str, Any]], folium.GeoJson]:
    layers = [c for c in group._children.values() if isinstance(c, folium.GeoJson)]
    assert len(layers) == 1
    return layers[0].data["features"], layers[0]


def test_build_draws_every_feature_in_the_overlay_style() -> None:
    features = _upload(
        _feature(POINT, name="Post"),
        _feature(meridian(39.0, 39.5), name="Track"),
        _feature(SQUARE, name="Zone"),
    )
    group = overlay.build(features, name="mine.geojson")
    assert isinstance(group, folium.FeatureGroup)
    drawn, layer = _drawn(group)
    assert [f["properties"]["name"] for f in drawn] == ["Post", "Track", "Zone"]
    style = layer.style_function(drawn[0])
    ours = LAYER_STYLE["overlay"]
    assert style["className"] == "fa-layer-overlay"
    assert (style["color"], style["fillColor"]) == (ours.color, ours.fill)
    assert style["dashArray"] == ours.dash_array()


def test_ids_are_generated_never_taken_from_the_upload() -> None:
    features = _upload(_feature(POINT, id="<b>x</b>"), _feature(POINT, id="fa-layer-borders"))
    drawn, _ = _drawn(overlay.build(features, name="ids.geojson"))
    assert [f["id"] for f in drawn] == ["overlay-0", "overlay-1"]
    assert [f["properties"]["id"] for f in drawn] == ["overlay-0", "overlay-1"]


def test_tooltip_name_falls_back_to_title_then_a_number() -> None:
    features = _upload(_feature(POINT, title="By title"), _feature(POINT, other=1))
    drawn, _ = _drawn(overlay.build(features, name="names.geojson"))
    assert [f["properties"]["name"] for f in drawn] == ["By title", "Feature 2"]


def test_popup_lists_properties_and_the_geodesic_measure() -> None:
    features = _upload(_feature(SQUARE, name="Zone", strength=40, tags=["a", "b"], empty=None))
    drawn, _ = _drawn(overlay.build(features, name="zone.geojson"))
    popup = drawn[0]["properties"]["popup"]
    assert "<th>strength</th><td>40</td>" in popup
    assert "<th>tags</th><td>[&quot;a&quot;, &quot;b&quot;]</td>" in popup
    assert "empty" not in popup
    km2 = geodesic_area_m2(shape(SQUARE)) / 1e6
    assert f"<th>Area (geodesic)</th><td>{km2:,.2f} km²</td>" in popup


def test_hostile_keys_values_and_group_name_are_escaped() -> None:
    hostile = '<img src=x onerror="window.__xss=1"> A{{ 7*7 }}Z ${x} `t`'
    features = _upload(_feature(POINT, name=hostile, **{hostile: hostile}))
    group = overlay.build(features, name=hostile)
    drawn, _ = _drawn(group)
    text = json.dumps(drawn[0]["properties"]) + group.layer_name
    for raw in ("<img", "{{", "${", "`"):
        assert raw not in text
    assert "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt; A&#123;&#123; 7*7" in text
    fmap = folium.Map(tiles=None)
    group.add_to(fmap)
    assert "A49Z" not in fmap.get_root().render()


def test_a_frame_is_accepted_as_well_as_features() -> None:
    features = _upload(_feature(POINT, name="A"), _feature(SQUARE, name="B"))
    frame = gpd.GeoDataFrame.from_features(features, crs="OGC:CRS84")
    drawn, _ = _drawn(overlay.build(frame, name="frame.geojson"))
    assert [f["properties"]["name"] for f in drawn] == ["A", "B"]
    assert "<th>name</th><td>B</td>" in drawn[1]["properties"]["popup"]


def test_an_empty_overlay_is_an_empty_group() -> None:
    group = overlay.build([], name="empty.geojson")
    assert not [c for c in group._children.values() if isinstance(c, folium.GeoJson)]


# --- issue 14: bounded popups, one render per content, a cap on the script ----------------------


def _brace_features(count: int, *, columns: int = 40, cell: int = 240) -> list[dict[str, Any]]:
    """The hostile CSV of issue 14: many columns whose cells are runs of ``{``."""
    props = {f"c{i}": "{" * cell for i in range(columns)}
    return [_feature(POINT, **props) for _ in range(count)]


def test_popups_are_bounded_after_escaping() -> None:
    features, _ = _drawn(overlay.build(_brace_features(3), name="braces.csv"))
    popup = features[0]["properties"]["popup"]
    assert popup.count("<tr>") == overlay.MAX_ROWS + 1  # 12 properties and "… more"
    cells = popup.split("<td>")[1:]
    assert all(len(c.split("</td>")[0]) <= overlay.MAX_VALUE_CHARS for c in cells)
    assert "&#123;" in popup and "{" not in popup
    assert len(popup) < 4_000


def test_the_same_content_is_prepared_once() -> None:
    features = _upload(_feature(POINT, name="Post"))
    first = overlay.prepare(features, name="once.geojson", digest="d-once")
    again = overlay.prepare(features, name="once.geojson", digest="d-once")
    assert first is again and first.group is not None
    assert first.group.fa_cache_key == ("overlay", "d-once", "once.geojson")
    assert 0 < first.script_bytes < overlay.MAX_SCRIPT_BYTES
    other = overlay.prepare(features, name="once.geojson", digest="d-other")
    assert other is not first


def test_the_prepared_cache_is_bounded() -> None:
    features = _upload(_feature(POINT, name="Post"))
    keep = overlay.prepare(features, name="lru.geojson", digest="d-lru-0")
    for i in range(1, overlay.CACHE_ENTRIES + 1):
        overlay.prepare(features, name="lru.geojson", digest=f"d-lru-{i}")
    assert overlay.prepare(features, name="lru.geojson", digest="d-lru-0") is not keep


def test_an_overlay_whose_script_would_be_too_big_is_refused_with_one_sentence() -> None:
    prepared = overlay.prepare(_brace_features(10_000), name="braces.csv", digest="d-big")
    assert prepared.group is None
    assert prepared.script_bytes > overlay.MAX_SCRIPT_BYTES
    assert prepared.problem is not None and "\n" not in prepared.problem
    assert prepared.problem.startswith("braces.csv: drawing this overlay would send")
    assert "more than the 12.0 MB limit" in prepared.problem


def test_the_cheap_estimate_never_exceeds_the_rendered_size() -> None:
    """The estimate refuses without rendering, so it must be a lower bound (or it refuses fits)."""
    features = _upload(
        _feature(SQUARE, name="Zone <A> & 'B'", note="{" * 300),
        _feature(meridian(39.5, 40.0), name="Route"),
        _feature(POINT, name="Post", **{f"k{i}": "v" * 50 for i in range(20)}),
    )
    group = overlay.build(features, name="estimate.geojson")
    assert 0 < overlay._text_size(group) <= overlay.script_size(group)


def test_the_script_cap_leaves_the_map_message_under_streamlits_limit() -> None:
    """Over ``server.maxMessageSize`` Streamlit replaces the map with its MessageSizeError text
    (shown even with error details off); the overlay cap keeps the whole map far below it."""
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    limit = config["server"]["maxMessageSize"] * 10**6  # Streamlit counts this limit in 1e6 bytes
    assert limit > 2 * overlay.MAX_SCRIPT_BYTES
