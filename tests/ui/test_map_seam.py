"""The streamlit-folium seam: cached groups equal fresh ones, the page gets one layer manager that
streamlit-folium emits unchanged, the cache stays bounded, a run that sends the map new groups
gives the browser a head start, and an unsupported streamlit-folium version fails loudly."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import folium
import pytest
import streamlit_folium
from streamlit.testing.v1 import AppTest

from geo.catalog import DATA_DIR
from layers import REGISTRY, ViewOptions, load_frames
from layers.assets import localize
from layers.base import RemoteGeoJson
from layers.layer_manager import (
    RECENT_KEPT,
    LayerManager,
    PendingGroup,
    StaticScripts,
    render_group,
)
from layers.mapview import base_map, dynamic_groups, pending_groups
from layers.tools import search_index
from ui.map_seam import (
    INSTALLED_VERSION,
    ScriptCache,
    UnsupportedComponentError,
    check_version,
    kept_built,
    layer_manager,
    needs_head_start,
    recalls_only,
)

DAY = dt.date(2021, 10, 15)


@pytest.fixture(scope="module")
def frames():
    return load_frames(DATA_DIR)[0]


VIEW: dict[str, Any] = {
    "visible": ("borders", "enclaves", "events", "base"),
    "view": ViewOptions(),
    "selected": "enclave-vorukh",
    "cache_tag": "tag",
}
"""The view every test here draws (dates vary)."""


def groups(frames, *, day: dt.date = DAY) -> list[folium.FeatureGroup]:
    """Freshly built groups (new folium objects, new random ids) for the same view."""
    return dynamic_groups(frames, as_of=day, **VIEW)


def overlay(name: str) -> folium.FeatureGroup:
    """A group without a cache key, like an uploaded overlay (its name is the user's)."""
    group = folium.FeatureGroup(name=name)
    folium.CircleMarker((39.9, 70.6), radius=3).add_to(group)
    return group


def test_a_cached_group_equals_a_freshly_rendered_one(frames) -> None:
    cache = ScriptCache()
    first = layer_manager(groups(frames), cache=cache, scripts=None).entries
    # three layers, the labels of two (countries of base, enclave names) and the basemap switch
    assert len(cache) == len(first) == 6
    cached = layer_manager(groups(frames), cache=cache, scripts=None).entries
    fresh = LayerManager(groups(frames)).entries
    assert cached == fresh == first
    assert all(a is b for a, b in zip(cached, first, strict=True))  # taken from the cache
    assert "fa-layer-borders" in "".join(g.script for g in fresh)
    assert fresh[-1].id == "basemap switch"
    assert "enclave-vorukh" in fresh[-1].script  # the permalink's feature is opened


def test_a_changed_view_changes_only_the_groups_it_touches(frames) -> None:
    cache = ScriptCache()
    before = layer_manager(groups(frames), cache=cache, scripts=None).digests()
    after = layer_manager(groups(frames, day=dt.date(2025, 6, 1)), cache=cache, scripts=None)
    fresh = [
        render_group(g, ident=i)
        for i, g in zip(after.digests(), groups(frames, day=dt.date(2025, 6, 1)), strict=True)
    ]
    assert list(after.entries) == fresh
    assert before["Border segments"] != after.digests()["Border segments"]
    assert before["basemap switch"] == after.digests()["basemap switch"]


def test_groups_without_a_cache_key_are_rendered_every_time_under_their_own_id(frames) -> None:
    cache = ScriptCache()
    manager = layer_manager(
        [("overlay", overlay("Border segments")), *groups(frames)], cache=cache, scripts=None
    )
    assert list(manager.digests())[:2] == ["overlay", "Enclaves"]  # a user's name never collides
    assert "circle_marker" in manager.entries[0].script
    assert len(cache) == 6  # the overlay is not kept


def test_streamlit_folium_emits_the_manager_with_every_group(frames) -> None:
    """End to end through streamlit-folium's own group rendering (read, never replaced)."""
    manager = layer_manager(groups(frames), cache=ScriptCache(), scripts=None)
    fmap = folium.Map(tiles=None)
    fmap.get_root().render()
    streamlit_folium.generate_leaflet_string(fmap)  # names the map "map_div", as st_folium
    emitted = streamlit_folium._get_feature_group_string(manager, map=fmap, idx=0)
    for entry in manager.entries:
        assert entry.digest in emitted
        assert entry.script.strip().splitlines()[0] in emitted


def _frame_args(fmap: folium.Map, *, figure_render: bool) -> tuple[str, str, str]:
    """What st_folium sends of the static frame (html, header, script), with or without the
    figure render it does first when ``render=True``."""
    if figure_render:
        fmap.get_root().render()
    fmap.render()
    return (
        streamlit_folium._get_html(fmap),
        streamlit_folium._get_header(fmap),
        streamlit_folium._get_map_string(fmap),
    )


def test_the_frame_is_the_same_without_streamlit_folium_s_figure_render(frames) -> None:
    """``show_map`` passes ``render=False`` (the map is rendered once, not twice): the page's
    frame, with every tool, the labels engine and the legend, must come out the same."""

    def page_frame() -> folium.Map:
        served_base = RemoteGeoJson("/app/static/generated/base.geojson", {}, minimap=True)
        return localize(
            base_map(
                frames["base"],
                base_element=served_base,
                search=search_index(frames),
                defer_tools=True,
            )
        )

    assert _frame_args(page_frame(), figure_render=False) == _frame_args(
        page_frame(), figure_render=True
    )


def test_served_scripts_replace_inline_scripts(frames, tmp_path: Path) -> None:
    files = StaticScripts(tmp_path, url_prefix="/app/static/generated/layers")
    manager = layer_manager(groups(frames), cache=ScriptCache(), scripts=files)
    fmap = folium.Map(tiles=None)
    manager.add_to(fmap)
    rendered = manager._template.module.script(manager)
    for entry in manager.entries:
        assert manager.urls[entry.id] == f"/app/static/generated/layers/layer-{entry.digest}.js"
        assert (tmp_path / f"layer-{entry.digest}.js").read_text().find(entry.script) > 0
    assert "fa-layer-borders" not in rendered  # the page carries ids, digests and URLs only


def test_the_cache_is_bounded_least_recently_used_first(frames) -> None:
    cache = ScriptCache(max_entries=2)
    a, b, c = LayerManager(groups(frames)[:3]).entries
    cache["a"] = a
    cache["b"] = b
    assert cache.get("a") is a  # a hit: a is now the newest
    cache["c"] = c  # evicts b
    assert len(cache) == 2
    assert cache.get("b") is None
    assert sorted(str(k) for k in cache) == ["a", "c"]


def test_the_installed_streamlit_folium_is_supported() -> None:
    check_version(INSTALLED_VERSION)


@pytest.mark.parametrize("version", ["0.28.0", "0.26.1", "1.0.0", "garbage"])
def test_an_unsupported_streamlit_folium_fails_loudly(version: str) -> None:
    with pytest.raises(UnsupportedComponentError, match=f"streamlit-folium {version} is installed"):
        check_version(version)


def test_the_page_builds_a_group_only_for_a_key_it_has_not_seen(frames) -> None:
    """``pending_groups`` (the page's path) renders what ``dynamic_groups`` renders, and a second
    run with the same view builds nothing: every group comes from the cache."""
    cache = ScriptCache()
    built: list[str] = []

    def plain(day: dt.date = DAY) -> list[PendingGroup]:
        return pending_groups(frames, as_of=day, **VIEW)

    def counted(p: PendingGroup) -> PendingGroup:
        def build() -> folium.FeatureGroup:
            built.append(p.id)
            return p.build()

        return PendingGroup(p.id, p.key, build)

    def pending(day: dt.date = DAY) -> list[PendingGroup]:
        return [counted(p) for p in plain(day)]

    first = layer_manager(pending(), cache=cache, scripts=None).entries
    built_alike = [
        render_group(g, ident=p.id) for p, g in zip(plain(), groups(frames), strict=True)
    ]
    assert list(first) == built_alike
    assert len(built) == len(first)
    built.clear()
    assert layer_manager(pending(), cache=cache, scripts=None).entries == first
    assert built == []
    layer_manager(pending(dt.date(2025, 6, 1)), cache=cache, scripts=None)
    assert "borders" in built and "labels-base" not in built  # countries hold on both dates


def test_a_new_date_showing_the_rows_of_a_date_drawn_before_builds_nothing_for_them(
    frames,
) -> None:
    """A layer whose rows on the new date are those of a date already drawn (equal
    ``LayerSpec.drawn_key``) takes that date's rendered group; the others are built; every group
    is what drawing the new date from scratch gives."""
    cache = ScriptCache()
    built: list[str] = []

    def counted(p: PendingGroup) -> PendingGroup:
        def build() -> folium.FeatureGroup:
            built.append(p.id)
            return p.build()

        return replace(p, build=build)

    before, after = dt.date(2026, 11, 19), dt.date(2026, 11, 20)
    layer_manager(
        [counted(p) for p in pending_groups(frames, as_of=before, **VIEW)],
        cache=cache,
        scripts=None,
    )
    built.clear()
    pending = pending_groups(frames, as_of=after, **VIEW)
    entries = layer_manager([counted(p) for p in pending], cache=cache, scripts=None).entries
    same = {
        layer_id
        for layer_id, spec in REGISTRY.items()
        if layer_id in {p.id for p in pending}
        and spec.drawn_key(frames[layer_id], as_of=before, view=ViewOptions())
        == spec.drawn_key(frames[layer_id], as_of=after, view=ViewOptions())
    }
    assert {"borders", "enclaves"} <= same, "the two days draw these layers alike"
    assert not same & set(built)
    fresh = layer_manager(pending_groups(frames, as_of=after, **VIEW), scripts=None).entries
    assert entries == fresh


def test_only_a_group_the_browser_lacks_asks_for_a_head_start() -> None:
    drawn = {"borders": "a1", "crossings": "b1"}
    assert needs_head_start(drawn, None)  # a session's first map
    assert not needs_head_start(drawn, dict(drawn))  # a pan's or a click's report
    assert not needs_head_start({"borders": "a1"}, drawn)  # a switch took a layer away
    assert needs_head_start({**drawn, "crossings": "b2"}, drawn)  # another date
    assert needs_head_start({**drawn, "enclaves": "c1"}, drawn)  # a layer switched on


def _seam_page() -> None:
    """A page drawing one map through the seam: marker groups named by ``drawn`` and ``spare`` in
    the session (an app's test page: imports inside, as ``AppTest.from_function`` runs the body
    alone)."""
    import folium
    import streamlit as st

    from ui.map_seam import show_map

    def marker(name: str) -> folium.FeatureGroup:
        group = folium.FeatureGroup(name=name)
        radius = st.session_state.get("radius", 3)  # another radius: another digest, same id
        folium.CircleMarker((39.9, 70.6), radius=radius, tooltip=name).add_to(group)
        return group

    show_map(
        folium.Map(tiles=None),
        [marker(name) for name in st.session_state.get("drawn", ["one"])],
        key="seam_map",
        height=300,
        returned_objects=("center",),
        spares=[marker(name) for name in st.session_state.get("spare", [])],
        head_start_s=st.session_state["head_start_s"],
        recall_head_start_s=st.session_state.get("recall_head_start_s", 0.0),
        first_head_start_s=st.session_state["first_head_start_s"],
        as_of=st.session_state.get("as_of"),
        date_head_start_s=st.session_state.get("date_head_start_s", 0.0),
    )


def test_a_run_pauses_after_the_map_only_when_it_sends_a_new_group() -> None:
    """The pause is real wall time in the run (it gives a browser its head start), longer for a
    session's first map; only a run that sends the map a group it was not sent before (drawn or
    spare) pays it."""
    pause, first = 1.5, 3.0
    page = AppTest.from_function(_seam_page, default_timeout=60)
    page.session_state["head_start_s"] = pause
    page.session_state["first_head_start_s"] = first
    page.session_state["spare"] = ["two"]

    def run_s() -> float:
        start = time.perf_counter()
        page.run()
        assert not page.exception, page.exception
        return time.perf_counter() - start

    assert run_s() >= first  # the session's first map
    assert run_s() < pause  # the same group again: the browser has it
    page.session_state["drawn"], page.session_state["spare"] = ["one", "two"], []
    assert run_s() < pause  # a layer switched on whose spare the browser has
    page.session_state["drawn"] = ["one", "three"]
    assert pause <= run_s() < first  # a group the browser was never sent


def test_a_run_back_to_groups_the_frame_keeps_built_pauses_less() -> None:
    """A date the user comes back to: the frame recalls its groups (``RECENT_KEPT`` per id)."""
    recall, pause, first = 0.5, 1.2, 2.0
    page = AppTest.from_function(_seam_page, default_timeout=60)
    page.session_state["head_start_s"] = pause
    page.session_state["recall_head_start_s"] = recall
    page.session_state["first_head_start_s"] = first

    def run_s(radius: int) -> float:
        page.session_state["radius"] = radius
        start = time.perf_counter()
        page.run()
        assert not page.exception, page.exception
        return time.perf_counter() - start

    assert run_s(3) >= first
    assert pause <= run_s(4) < first  # new digests for the same group
    assert recall <= run_s(3) < pause  # back: the frame keeps the radius-3 group built
    for radius in range(5, 5 + RECENT_KEPT + 1):  # the drawn group and RECENT_KEPT replaced
        assert pause <= run_s(radius) < first
    assert pause <= run_s(3) < first  # pushed out of the frame's recent groups


def test_a_run_that_only_moves_the_map_s_date_pauses_briefly() -> None:
    """A nearby date that changes no group: the frame takes the new date before the page's other
    elements arrive; a date that changes a group pauses for the group, not for both."""
    date_pause, pause, first = 0.8, 1.6, 2.3
    page = AppTest.from_function(_seam_page, default_timeout=60)
    page.session_state["head_start_s"] = pause
    page.session_state["date_head_start_s"] = date_pause
    page.session_state["first_head_start_s"] = first

    def run_s(day: int, *, radius: int = 3) -> float:
        page.session_state["as_of"] = dt.date(2026, 11, day)
        page.session_state["radius"] = radius
        start = time.perf_counter()
        page.run()
        assert not page.exception, page.exception
        return time.perf_counter() - start

    assert run_s(20) >= first
    assert run_s(20) < date_pause  # same date, same groups: a pan's or a click's report
    assert date_pause <= run_s(19) < pause  # a day back, no group changed
    assert pause <= run_s(18, radius=4) < first  # a changed group: its pause alone


def test_the_frame_keeps_the_drawn_group_and_the_last_ones_it_replaced() -> None:
    built: dict[str, tuple[str, ...]] = {}
    for digest in ("a", "b", "c", "a", "d"):
        built = kept_built(built, {"borders": digest, "rivers": "r"})
    assert built == {"borders": ("d", "a", "c")[: RECENT_KEPT + 1], "rivers": ("r",)}
    assert recalls_only({"borders": "c", "rivers": "r"}, {"borders": "d", "rivers": "r"}, built)
    assert not recalls_only({"borders": "b", "rivers": "r"}, {"borders": "d"}, built)
    # a layer switched on anew is a group the frame never built
    assert not recalls_only({"borders": "d", "places": "p"}, {"borders": "d"}, built)
