"""The streamlit-folium seam: cached group scripts equal fresh ones, pass through unchanged, the
cache stays bounded, and an unsupported streamlit-folium version fails loudly."""

from __future__ import annotations

import datetime as dt

import folium
import pytest
import streamlit_folium

from geo.catalog import DATA_DIR
from layers import ViewOptions, load_frames
from layers.mapview import dynamic_groups
from ui.map_seam import (
    INSTALLED_VERSION,
    PrerenderedGroup,
    ScriptCache,
    UnsupportedComponentError,
    check_version,
    prerendered,
    render_group_script,
    script_for,
)

DAY = dt.date(2021, 10, 15)


@pytest.fixture(scope="module")
def frames():
    return load_frames(DATA_DIR)[0]


def groups(frames, *, day: dt.date = DAY) -> list[folium.FeatureGroup]:
    """Freshly built groups (new folium objects, new random ids) for the same view."""
    return dynamic_groups(
        frames,
        visible=("borders", "enclaves", "events", "base"),
        as_of=day,
        view=ViewOptions(),
        selected="enclave-vorukh",
        cache_tag="tag",
    )


def test_a_cached_script_equals_a_freshly_rendered_one(frames) -> None:
    cache = ScriptCache()
    first = [script_for(g, idx=i, cache=cache) for i, g in enumerate(groups(frames))]
    assert len(cache) == len(first)
    cached = [script_for(g, idx=i, cache=cache) for i, g in enumerate(groups(frames))]
    fresh = [render_group_script(g, idx=i) for i, g in enumerate(groups(frames))]
    assert cached == fresh == first
    assert "fa-layer-borders" in "".join(fresh)
    assert all(f"feature_group_feature_group_{i}" in s for i, s in enumerate(fresh))


def test_a_changed_view_renders_a_new_script(frames) -> None:
    cache = ScriptCache()
    before = [script_for(g, idx=i, cache=cache) for i, g in enumerate(groups(frames))]
    later = groups(frames, day=dt.date(2025, 6, 1))
    after = [script_for(g, idx=i, cache=cache) for i, g in enumerate(later)]
    assert after == [
        render_group_script(g, idx=i) for i, g in enumerate(groups(frames, day=dt.date(2025, 6, 1)))
    ]
    assert before[0] != after[0]


def test_a_prerendered_group_reaches_streamlit_folium_unchanged(frames) -> None:
    """streamlit-folium renders each group with ``generate_leaflet_string``: ours is a no-op."""
    for idx, group in enumerate(prerendered(groups(frames), cache=ScriptCache())):
        assert isinstance(group, PrerenderedGroup)
        scratch = folium.Map(tiles=None)
        group._id = f"feature_group_{idx}"
        group.add_to(scratch)
        group.render()
        emitted = streamlit_folium.generate_leaflet_string(group, base_id=f"feature_group_{idx}")
        assert emitted == group.script


def test_groups_without_a_cache_key_are_rendered_every_time() -> None:
    cache = ScriptCache()
    group = folium.FeatureGroup(name="overlay")
    folium.CircleMarker((39.9, 70.6), radius=3).add_to(group)
    script = script_for(group, idx=0, cache=cache)
    assert "circle_marker" in script
    assert len(cache) == 0


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    cache = ScriptCache(max_entries=2)
    renders: list[str] = []

    def render(text: str):
        def go() -> str:
            renders.append(text)
            return text

        return go

    cache.get_or_render("a", render("a"))
    cache.get_or_render("b", render("b"))
    assert cache.get_or_render("a", render("a-again")) == "a"  # a hit: a is now the newest
    cache.get_or_render("c", render("c"))  # evicts b
    assert len(cache) == 2
    assert cache.get_or_render("b", render("b2")) == "b2"
    assert renders == ["a", "b", "c", "b2"]


def test_the_installed_streamlit_folium_is_supported() -> None:
    check_version(INSTALLED_VERSION)


@pytest.mark.parametrize("version", ["0.28.0", "0.26.1", "1.0.0", "garbage"])
def test_an_unsupported_streamlit_folium_fails_loudly(version: str) -> None:
    with pytest.raises(UnsupportedComponentError, match=f"streamlit-folium {version} is installed"):
        check_version(version)


def test_streamlit_folium_emits_the_same_script_for_a_prerendered_group(frames) -> None:
    """End to end against streamlit-folium's own group rendering (read, never replaced)."""
    render_private = streamlit_folium._get_feature_group_string

    def page_map() -> folium.Map:
        fmap = folium.Map(tiles=None)
        fmap.get_root().render()
        streamlit_folium.generate_leaflet_string(fmap)  # names the map "map_div", as st_folium
        return fmap

    real = [render_private(g, map=page_map(), idx=i) for i, g in enumerate(groups(frames))]
    ours = [
        render_private(g, map=page_map(), idx=i)
        for i, g in enumerate(prerendered(groups(frames), cache=ScriptCache()))
    ]
    assert ours == real
