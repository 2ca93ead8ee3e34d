"""layers.layer_manager: deterministic group scripts keyed by content, served or inline."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import folium
import pytest

from layers.layer_manager import (
    MAP_VAR,
    LayerManager,
    StaticScripts,
    SwitchEffects,
    render_group,
)


def line_group(name: str, lat: float) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=name, control=False)
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": name},
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[69.0, lat], [70.0, lat + 0.5]],
                    },
                }
            ],
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"]),
    ).add_to(group)
    return group


def test_same_content_gives_the_same_script_and_digest() -> None:
    one = render_group(line_group("A", 38.0), ident="A")
    two = render_group(line_group("A", 38.0), ident="A")
    assert one == two
    assert f".addTo({MAP_VAR})" in one.script
    assert "map_" not in one.script  # the scratch map's name never reaches the browser


def test_changed_content_gives_another_digest() -> None:
    assert (
        render_group(line_group("A", 38.0), ident="A").digest
        != render_group(line_group("A", 38.5), ident="A").digest
    )


def test_a_group_rendered_before_is_rendered_cleanly() -> None:
    group = line_group("A", 38.0)
    first = render_group(group, ident="A")
    assert render_group(group, ident="A") == first  # no stale "addTo" lines from the first pass


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="share the id 'A'"):
        LayerManager([line_group("A", 38.0), line_group("A", 39.0)])


def test_a_spare_may_not_share_an_id_with_a_drawn_group() -> None:
    with pytest.raises(ValueError, match="share the id 'A'"):
        LayerManager([line_group("A", 38.0)], spares=[line_group("A", 39.0)])


def test_spares_reach_the_browser_apart_from_the_wanted_groups(tmp_path: Path) -> None:
    """A spare is rendered and served like a drawn group but listed apart: the browser fetches
    it and builds it only when a switch turns its layer on."""
    fmap = folium.Map(tiles=None)
    scripts = StaticScripts(tmp_path, url_prefix="/s")
    manager = LayerManager([line_group("A", 38.0)], spares=[line_group("B", 37.0)], scripts=scripts)
    manager.add_to(fmap)
    html = fmap.get_root().render()
    (spare,) = manager.spares
    assert list(manager.digests()) == ["A"]  # what the map wants
    want, spares = html.split("var spare = [", 1)
    assert spare.digest not in want
    assert f'{{id: "B", digest: "{spare.digest}", url: "/s/layer-{spare.digest}.js"}}' in spares
    assert (tmp_path / f"layer-{spare.digest}.js").is_file()


def test_cache_skips_rendering_a_known_key() -> None:
    cache: dict = {}
    group = line_group("A", 38.0)
    group.fa_cache_key = ("data", "A", "2024-01-01")
    first = LayerManager([group], cache=cache).entries[0]
    other = line_group("A", 40.0)  # different content, same key: the key is trusted
    other.fa_cache_key = ("data", "A", "2024-01-01")
    assert LayerManager([other], cache=cache).entries[0] is first


def test_the_page_script_carries_every_group_inline() -> None:
    fmap = folium.Map(tiles=None)
    manager = LayerManager([line_group("A", 38.0), ("second", line_group("B", 37.0))])
    manager.add_to(fmap)
    html = fmap.get_root().render()
    assert list(manager.digests()) == ["A", "second"]
    for entry in manager.entries:
        assert f'digest: "{entry.digest}", first: false, build: function ({MAP_VAR})' in html
    assert f"}})({fmap.get_name()}, {manager.get_name()});" in html
    # the anchor that carries late-built groups' clicks to streamlit-folium is on the map
    assert f"L.featureGroup().addTo({fmap.get_name()});" in html


def test_hide_names_only_groups_on_the_page_and_reaches_the_browser_as_json() -> None:
    fmap = folium.Map(tiles=None)
    manager = LayerManager(
        [line_group("A", 38.0), line_group("B", 37.0)],
        hide={"B": ["x-2", "x-1", "x-2"], "gone": ["x-3"]},
    )
    manager.add_to(fmap)
    html = fmap.get_root().render()
    assert manager.hide == {"B": ["x-1", "x-2"]}
    assert 'lm.hide = {"B": ["x-1", "x-2"]};' in html
    plain = folium.Map(tiles=None)
    LayerManager([line_group("A", 38.0)]).add_to(plain)
    assert "lm.hide = {};" in plain.get_root().render()


def test_switch_effects_reach_the_browser_as_json_and_none_means_null() -> None:
    effects = SwitchEffects(
        groups={"sw-a": ("A", "labels-A")},
        classes={"sw-x": ("x-1",)},
        class_groups=("B",),
        order=("A", "B", "labels-A"),
        era="e1",
    )
    fmap = folium.Map(tiles=None)
    LayerManager([line_group("A", 38.0), line_group("B", 37.0)], switches=effects).add_to(fmap)
    html = fmap.get_root().render()
    found = re.search(r"var fx = (.*?);\n", html)
    assert found is not None
    assert json.loads(found.group(1)) == {
        "groups": {"sw-a": ["A", "labels-A"]},
        "classes": {"sw-x": ["x-1"]},
        "classGroups": ["B"],
        "order": ["A", "B", "labels-A"],
        "era": "e1",
    }
    plain = folium.Map(tiles=None)
    LayerManager([line_group("A", 38.0)]).add_to(plain)
    assert "var fx = null;" in plain.get_root().render()


def test_served_scripts_are_written_once_and_referenced(tmp_path: Path) -> None:
    scripts = StaticScripts(tmp_path / "layers", url_prefix="/app/static/generated/layers/")
    manager = LayerManager([line_group("A", 38.0)], scripts=scripts)
    entry = manager.entries[0]
    url = manager.urls["A"]
    assert url == f"/app/static/generated/layers/layer-{entry.digest}.js"
    body = (tmp_path / "layers" / f"layer-{entry.digest}.js").read_text(encoding="utf-8")
    assert body.startswith(f'window.__faDefine("{entry.digest}", function ({MAP_VAR})')
    assert entry.script in body
    fmap = folium.Map(tiles=None)
    manager.add_to(fmap)
    html = fmap.get_root().render()
    assert f'url: "{url}"' in html and entry.script not in html


def test_unwritable_folder_falls_back_to_inline(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    manager = LayerManager([line_group("A", 38.0)], scripts=StaticScripts(blocker, url_prefix="/x"))
    assert manager.urls["A"] is None


def test_the_folder_is_bounded(tmp_path: Path) -> None:
    scripts = StaticScripts(tmp_path, url_prefix="/x", keep=2)
    for lat in (36.0, 37.0, 38.0):
        LayerManager([line_group("A", lat)], scripts=scripts)
    newest = LayerManager([line_group("A", 39.0)], scripts=scripts).entries[0]
    files = sorted(p.name for p in tmp_path.glob("layer-*.js"))
    assert len(files) == 2 and f"layer-{newest.digest}.js" in files


def test_files_left_from_before_go_first(tmp_path: Path) -> None:
    old = [tmp_path / f"layer-old{n}.js" for n in range(2)]
    for n, path in enumerate(old):
        path.write_text("", encoding="utf-8")
        os.utime(path, (1_000_000 + n, 1_000_000 + n))
    scripts = StaticScripts(tmp_path, url_prefix="/x", keep=3)
    for lat in (36.0, 37.0):
        LayerManager([line_group("A", lat)], scripts=scripts)
    files = sorted(p.name for p in tmp_path.glob("layer-*.js"))
    assert len(files) == 3 and "layer-old0.js" not in files and "layer-old1.js" in files
