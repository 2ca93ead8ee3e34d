"""layers.mapview: the static frame, the dynamic groups, and hostile data rendered inert.

The security test writes every text field of every layer with hostile strings (HTML, closing
script tags, JS template-literal breakers, Jinja expressions and statements), loads them the way
the app does, renders ``base_map`` + ``dynamic_groups`` to the final HTML and checks that nothing
arrives raw and nothing was evaluated.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pytest

from geo.catalog import concat_frames, load_frame
from geo.schema import STATUSES
from layers import DYNAMIC_LAYERS, REGISTRY, ViewOptions
from layers.labels import LABELLED
from layers.mapview import (
    DEFAULT_CENTER,
    DEFAULT_ZOOM,
    ONLINE_BASEMAPS,
    base_map,
    drawing_era,
    dynamic_groups,
    group_order,
    hidden_classes,
    layer_group_ids,
    legend_entries,
    pending_groups,
    switched_off,
)
from layers.styles import ATTRIBUTION, DISCLAIMER, STATUS_STYLE
from layers.tools import search_index
from tests.conftest import build_data_dir, history, make_feature, meridian, write_geojson

D = dt.date
AS_OF = D(2021, 10, 15)

# Markers Q1..Q8 around each attack, so checks on the rendered page are unambiguous.
HOSTILE = (
    "Q1<img src=x onerror=alert(1)>Q2</script><script>alert(3)</script>Q3`Q4${alert(2)}"
    "Q5{{ 7*7 }}Q6{% if 1 %}IFTRUE{% endif %}Q7{{{Q8"
)


def frames_from(root: Path) -> dict[str, gpd.GeoDataFrame]:
    """Every registry layer's frame from a data folder, as the app loads them."""
    frames = {}
    for layer_id, spec in REGISTRY.items():
        parts = []
        for name in spec.files:
            frame, report = load_frame(root / name)
            assert report.ok, report.lines()
            parts.append(frame)
        frames[layer_id] = concat_frames(parts)
    return frames


@pytest.fixture
def frames(fixture_data_dir: Path) -> dict[str, gpd.GeoDataFrame]:
    return frames_from(fixture_data_dir)


# --- the static frame --------------------------------------------------------------------------


def test_base_map_starts_offline_at_the_requested_view(frames: dict[str, Any]) -> None:
    fmap = base_map(frames["base"], center=(40.1, 70.9), zoom=9)
    assert fmap.location == [40.1, 70.9]
    tiles = [c for c in fmap._children.values() if isinstance(c, folium.TileLayer)]
    # Only the optional online basemaps, all switched off: nothing is fetched until asked.
    assert sorted(t.tiles for t in tiles) == sorted(url for _n, url, _a in ONLINE_BASEMAPS)
    assert all(t.show is False for t in tiles)
    html = fmap.get_root().render()
    assert "fa-layer-base" in html


def test_base_map_defaults() -> None:
    fmap = base_map(None)
    assert fmap.location == list(DEFAULT_CENTER)
    assert fmap.options["zoom"] == DEFAULT_ZOOM


def test_only_the_live_page_keeps_the_view_in_the_page_around_the_frame() -> None:
    """A standalone export must not write into a page that embeds it; the live page's map does
    (tests/browser/test_map.py reopens a frame at the kept view)."""
    assert "__faMapView" in base_map(None, keep_view=True).get_root().render()
    assert "__faMapView" not in base_map(None).get_root().render()


def test_legend_attribution_and_disclaimer_are_on_the_map() -> None:
    html = base_map(None).get_root().render()
    for label, _style in legend_entries():
        assert label in js_unescape(html)
    assert DISCLAIMER in html
    assert "OpenStreetMap contributors" in html
    assert ATTRIBUTION in js_unescape(html)


def test_compact_legend_in_embed_mode_keeps_statuses() -> None:
    html = base_map(None, compact_legend=True).get_root().render()
    assert "fa-compact" in html
    for status in STATUSES:
        assert STATUS_STYLE[status].label in html


# --- the dynamic groups --------------------------------------------------------------------


def _group_names(groups: list[folium.FeatureGroup]) -> list[str]:
    return [g.layer_name for g in groups]


def test_one_group_per_visible_layer_plus_labels_and_the_switch(frames: dict[str, Any]) -> None:
    groups = dynamic_groups(frames, visible=DYNAMIC_LAYERS, as_of=AS_OF, view=ViewOptions())
    labelled = [f"labels-{i}" for i in LABELLED if i in DYNAMIC_LAYERS]
    assert len(groups) == len(DYNAMIC_LAYERS) + len(labelled) + 1
    assert _group_names(groups)[-len(labelled) - 1 :] == [*labelled, "basemap switch"]


def test_hidden_layers_are_not_built(frames: dict[str, Any]) -> None:
    groups = dynamic_groups(frames, visible=["events"], as_of=AS_OF, view=ViewOptions())
    fmap = base_map(None)
    for g in groups:
        g.add_to(fmap)
    html = fmap.get_root().render()
    assert "fa-layer-events" in html
    for other in set(DYNAMIC_LAYERS) - {"events"}:
        assert f"fa-layer-{other}" not in html


@pytest.mark.parametrize(("visible", "hidden"), [(["base", "borders"], False), (["borders"], True)])
def test_basemap_switch_uses_a_class_not_a_rebuild(
    frames: dict[str, Any], visible: list[str], hidden: bool
) -> None:
    fmap = base_map(frames["base"])
    for g in dynamic_groups(frames, visible=visible, as_of=AS_OF, view=ViewOptions()):
        g.add_to(fmap)
    html = fmap.get_root().render()
    assert re.search(r'toggle\(\s*"fa-hide-base",\s*' + ("true" if hidden else "false"), html)
    assert "fa-layer-base" in html  # the basemap itself stays in the static frame


def test_rendered_paths_carry_the_css_classes(frames: dict[str, Any]) -> None:
    fmap = base_map(frames["base"])
    for g in dynamic_groups(frames, visible=DYNAMIC_LAYERS, as_of=AS_OF, view=ViewOptions()):
        g.add_to(fmap)
    html = fmap.get_root().render()
    for layer_id in REGISTRY:
        assert f"fa-layer-{layer_id}" in html, layer_id
    # Fixture on 2021-10-15: seg-a delimited, seg-b disputed, seg-c undetermined.
    for status in STATUSES:
        assert f"fa-layer-borders fa-status-{status}" in html


def test_every_status_draws_all_statuses_under_one_key_and_hides_the_unchosen(
    frames: dict[str, Any],
) -> None:
    """The live page draws every border status and hides the unchosen ones in the browser, so a
    status switch gives the borders group the same key (nothing is rebuilt); files draw only
    the chosen statuses."""
    chosen = ViewOptions(statuses=frozenset({"delimited"}))

    def borders(view: ViewOptions, *, every_status: bool) -> Any:
        pending = pending_groups(
            frames,
            visible=["borders"],
            as_of=AS_OF,
            view=view,
            cache_tag="t",
            every_status=every_status,
        )
        return next(p for p in pending if p.id == "borders")

    live, live_all = borders(chosen, every_status=True), borders(ViewOptions(), every_status=True)
    assert live.key == live_all.key
    drawn = str(classes_in(live.materialize()))
    for status in STATUSES:
        assert f"fa-status-{status}" in drawn
    filed = str(classes_in(borders(chosen, every_status=False).materialize()))
    assert "fa-status-delimited" in filed and "fa-status-disputed" not in filed
    assert borders(chosen, every_status=False).key != live.key

    hidden = hidden_classes(chosen, visible=["borders", "events"])
    assert hidden == {
        "borders": (
            "fa-status-disputed",
            "fa-casing-status-disputed",
            "fa-status-undetermined",
            "fa-casing-status-undetermined",
        )
    }
    assert hidden_classes(chosen, visible=["events"]) == {}
    assert hidden_classes(ViewOptions(), visible=["borders"]) == {}


def test_group_order_is_the_order_pending_groups_draws_every_layer_in(
    frames: dict[str, Any],
) -> None:
    """A switch puts a parked group back at its place in ``group_order``: it must be the order
    of the groups the page draws with every layer on (the basemap switch aside)."""
    drawn = pending_groups(frames, visible=list(REGISTRY), as_of=AS_OF, view=ViewOptions())
    assert [p.id for p in drawn if p.id != "basemap switch"] == [
        i for i in group_order() if i.removeprefix("labels-") in frames
    ]
    assert layer_group_ids("crossings") == ("crossings", "labels-crossings")
    assert layer_group_ids("base") == ("labels-base",)  # the basemap itself is static
    assert layer_group_ids("events") == ("events",)


def test_the_layers_switched_off_are_those_last_sent_and_not_visible_now() -> None:
    sent = ["borders", "crossings", "labels-crossings", "labels-base", "basemap switch", "overlay"]
    assert switched_off(sent, visible=["borders"]) == {"crossings"}
    assert switched_off(sent, visible=["borders", "crossings"]) == frozenset()
    assert switched_off([], visible=[]) == frozenset()  # a session's first map: nothing drawn yet


def test_spare_groups_are_the_layers_groups_without_the_basemap_switch(
    frames: dict[str, Any],
) -> None:
    """The page's spare groups (layers switched off) are drawn as the layers would be, but the
    basemap switch belongs to the drawn groups only."""
    spares = pending_groups(
        frames, visible=["crossings"], as_of=AS_OF, view=ViewOptions(), basemap_switch=False
    )
    assert [p.id for p in spares] == ["crossings", "labels-crossings"]
    drawn = pending_groups(frames, visible=["crossings"], as_of=AS_OF, view=ViewOptions())
    assert [p.id for p in drawn] == ["crossings", "labels-crossings", "basemap switch"]


def test_the_drawing_era_follows_what_groups_are_drawn_from_but_not_the_switches() -> None:
    era = drawing_era(cache_tag="t", as_of=AS_OF, view=ViewOptions())
    assert era == drawing_era(
        cache_tag="t", as_of=AS_OF, view=ViewOptions(statuses=frozenset({"delimited"}))
    )
    others = {
        drawing_era(cache_tag="u", as_of=AS_OF, view=ViewOptions()),
        drawing_era(cache_tag="t", as_of=AS_OF + dt.timedelta(days=1), view=ViewOptions()),
        drawing_era(cache_tag="t", as_of=AS_OF, view=ViewOptions(window_days=7)),
        drawing_era(cache_tag="t", as_of=AS_OF, view=ViewOptions(show_stale=False)),
    }
    assert era not in others and len(others) == 4


def classes_in(group: folium.FeatureGroup) -> list[str]:
    """Every feature's ``className`` in a built group (its GeoJSON children's styles)."""
    out = []
    for child in group._children.values():
        style = getattr(child, "style_function", None)
        for feature in getattr(child, "data", {}).get("features", []):
            out.append(str(style(feature).get("className", "")) if style else "")
    return out


def test_selected_feature_is_json_encoded(frames: dict[str, Any]) -> None:
    fmap = base_map(None)
    groups = dynamic_groups(
        frames, visible=["borders"], as_of=AS_OF, view=ViewOptions(), selected="seg-b"
    )
    for g in groups:
        g.add_to(fmap)
    assert 'var wanted = "seg-b";' in fmap.get_root().render()


# --- hostile data ----------------------------------------------------------------------------

_TEXT_FIELDS: dict[str, dict[str, Any]] = {
    "borders.geojson": {"from_place": HOSTILE, "to_place": HOSTILE},
    "enclaves.geojson": {},
    "deployments.geojson": {"actor": HOSTILE, "strength_note": HOSTILE},
    "exercises.geojson": {
        "exercise": HOSTILE,
        "organizer": HOSTILE,
        "valid_from": "2021-10-01",
        "valid_to": "2021-10-10",
    },
    "events.geojson": {"description": HOSTILE, "valid_from": "2021-10-01"},
    "crossings.geojson": {},
    "places.geojson": {"alt_names": [HOSTILE]},
    "countries.geojson": {},
    "border_lines.geojson": {},
    "settlements.geojson": {"alt_names": [HOSTILE]},
    "waters.geojson": {"alt_names": [HOSTILE]},
}


def _hostile_sources() -> list[dict[str, Any]]:
    return [
        {
            "title": HOSTILE,
            "publisher": HOSTILE,
            "date": None,
            "url": "https://example.org/" + HOSTILE.replace(" ", ""),
        }
    ]


def hostile_data_dir(root: Path) -> Path:
    build_data_dir(root)
    for layer_id, spec in REGISTRY.items():
        for name in spec.files:
            file_name = Path(name).name
            extra = dict(_TEXT_FIELDS[file_name])
            if file_name == "borders.geojson":
                extra["geometry"] = meridian(39.0, 39.5)
                extra["status_history"] = [
                    {**history(("2021-01-01", "disputed"))[0], "sources": _hostile_sources()}
                ]
            if file_name == "crossings.geojson":
                extra["status_history"] = [
                    {**history(("2021-01-01", "open"))[0], "sources": _hostile_sources()}
                ]
            if file_name == "border_lines.geojson":
                extra["border"] = "KGZ-UZB"
            feature = make_feature(
                file_name,
                id=f"evil-{layer_id}-{file_name.split('.')[0].replace('_', '-')}",
                name=HOSTILE,
                notes=HOSTILE,
                sources=_hostile_sources(),
                **extra,
            )
            write_geojson(root / name, feature)
    return root


def js_unescape(html: str) -> str:
    """Undo JSON ``\\uXXXX`` escapes: what the browser's JavaScript sees in the embedded data."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), html)


def assert_inert(html: str) -> None:
    html = js_unescape(html)
    assert "<img src=x" not in html
    assert "Q2</script>" not in html
    assert "<script>alert(3)" not in html
    assert "Q3`Q4" not in html
    assert "${alert(2)}" not in html
    assert "{{ 7*7 }}" not in html
    assert not re.search(r"Q5\s*49\s*Q6", html), "a Jinja expression was evaluated"
    assert "{% if" not in html
    assert "Q6IFTRUEQ7" not in html, "a Jinja statement was evaluated"
    assert "{{{" not in html


def test_assert_inert_catches_raw_text() -> None:
    with pytest.raises(AssertionError):
        assert_inert(f"<div>{HOSTILE}</div>")
    with pytest.raises(AssertionError):
        assert_inert("Q5 49 Q6")
    # tojson hides "<" as \\u003c in the page source, but JavaScript decodes it before innerHTML.
    with pytest.raises(AssertionError):
        assert_inert(HOSTILE.replace("<", "\\u003c").replace(">", "\\u003e"))


def test_hostile_text_is_rendered_inert(tmp_path: Path) -> None:
    frames = frames_from(hostile_data_dir(tmp_path / "data"))
    fmap = base_map(
        frames["base"],
        search=search_index(frames, layers=("places", "enclaves", "crossings", "deployments")),
    )
    groups = dynamic_groups(frames, visible=list(REGISTRY), as_of=AS_OF, view=ViewOptions())
    for g in groups:
        g.add_to(fmap)
    html = js_unescape(fmap.get_root().render())
    assert_inert(html)
    # The hostile features were drawn (escaped), so the checks above were not vacuous.
    for layer_id in REGISTRY:
        assert f"evil-{layer_id}-" in html, layer_id
    assert html.count("Q1&lt;img src=x onerror=alert(1)&gt;Q2") >= len(REGISTRY) * 2
    assert "Q5&#123;&#123; 7*7 &#125;&#125;Q6" in html
