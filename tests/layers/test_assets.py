"""layers.assets: every map asset is served by the app, unknown ones are refused, export inlines."""

from __future__ import annotations

import importlib.util
import io
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import branca.colormap
import folium
import folium.plugins
import pytest
from PIL import Image

from layers.assets import (
    DEFAULT_BASE_URL,
    VENDOR_DIR,
    AssetError,
    UnvendoredAssetError,
    blank_tile_layer,
    inline_html,
    localize,
    vendored_paths,
)

REPO = Path(__file__).resolve().parents[2]
LINE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "segment"},
            "geometry": {"type": "LineString", "coordinates": [[69.0, 38.0], [71.0, 39.0]]},
        }
    ],
}
# What makes a browser fetch something: src/href attributes, CSS url(), tile templates.
_LOADS = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']([^"']+)["'])"""
    r"""|(?:url\(\s*["']?([^"')]+))"""
    r"""|(?:L\.tileLayer\(\s*["']([^"']+))"""
)


def _refs(html: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in _LOADS.finditer(html)]


def _full_map(*, popup: bool = False) -> folium.Map:
    fmap = folium.Map(location=[38.5, 70.0], zoom_start=7, tiles=None)
    gj = folium.GeoJson(
        LINE,
        tooltip=folium.GeoJsonTooltip(fields=["name"]),
        popup=folium.GeoJsonPopup(fields=["name"]),
    ).add_to(fmap)
    group = folium.FeatureGroup(name="points").add_to(fmap)
    folium.CircleMarker([38.5, 70.0], radius=5).add_to(group)
    folium.LayerControl().add_to(fmap)
    folium.plugins.MeasureControl().add_to(fmap)
    folium.plugins.MiniMap(tile_layer=blank_tile_layer()).add_to(fmap)
    folium.plugins.Fullscreen().add_to(fmap)
    folium.plugins.Search(layer=gj, search_label="name").add_to(fmap)
    if popup:
        folium.CircleMarker([38.0, 69.0], radius=5, popup=folium.Popup("hi")).add_to(fmap)
    return fmap


def _assets(element: folium.Element) -> list[tuple[str, str]]:
    pairs = list(getattr(element, "default_js", [])) + list(getattr(element, "default_css", []))
    for child in element._children.values():
        pairs += _assets(child)
    return pairs


def test_localized_map_loads_nothing_remote() -> None:
    html = localize(_full_map()).get_root().render()
    refs = _refs(html)
    assert refs, "expected script/link references"
    remote = [r for r in refs if re.match(r"(?i)^(https?:)?//", r)]
    assert remote == []
    assert not re.search(r"""(?:src|href)=["']https?://""", html)


def test_every_referenced_vendored_file_exists() -> None:
    fmap = localize(_full_map(popup=True))
    local = [r for r in _refs(fmap.get_root().render()) if r.startswith(DEFAULT_BASE_URL + "/")]
    assert len(local) >= 11  # leaflet, jquery and the vendored plugins, js + css
    for ref in local:
        assert (VENDOR_DIR / ref.removeprefix(DEFAULT_BASE_URL + "/")).is_file(), ref
    for name, path in vendored_paths().items():
        assert path.is_file(), name


def test_unused_defaults_are_dropped() -> None:
    html = localize(_full_map()).get_root().render()
    for dropped in ("jquery", "bootstrap", "awesome-markers", "fontawesome", "glyphicons"):
        assert dropped not in html.lower(), dropped


def test_popup_keeps_vendored_jquery_after_leaflet() -> None:
    fmap = localize(_full_map(popup=True))
    names = [name for name, _ in fmap.default_js]
    assert names[:2] == ["leaflet", "jquery"]
    assert dict(fmap.default_js)["jquery"] == f"{DEFAULT_BASE_URL}/jquery/jquery.min.js"


def test_popup_added_after_first_localize_brings_jquery_back() -> None:
    fmap = localize(_full_map())
    assert "jquery" not in dict(fmap.default_js)
    folium.CircleMarker([38.0, 69.0], popup=folium.Popup("late")).add_to(fmap)
    localize(fmap)
    assert [n for n, _ in fmap.default_js][:2] == ["leaflet", "jquery"]


def test_localize_is_idempotent_and_rebases() -> None:
    fmap = localize(_full_map(popup=True))
    first = _assets(fmap)
    assert localize(fmap) is fmap
    assert _assets(fmap) == first
    localize(fmap, base_url="/atlas/app/static/vendor/")
    assert all(url.startswith("/atlas/app/static/vendor/") for _, url in _assets(fmap))


def test_folium_classes_are_not_mutated() -> None:
    before = list(folium.Map.default_js), list(folium.plugins.MiniMap.default_css)
    localize(_full_map(popup=True))
    assert (list(folium.Map.default_js), list(folium.plugins.MiniMap.default_css)) == before


def test_map_rendered_before_localize_has_no_cdn_leftovers() -> None:
    fmap = _full_map()
    assert "https://" in fmap.get_root().render()  # folium's own CDN links
    html = localize(fmap).get_root().render()
    assert not [r for r in _refs(html) if r.startswith(("http:", "https:", "//"))]


@pytest.mark.parametrize(
    ("plugin", "name"),
    [(folium.plugins.Draw, "Draw"), (folium.plugins.MousePosition, "MousePosition")],
)
def test_unvendored_plugin_is_refused(plugin: type, name: str) -> None:
    fmap = folium.Map(tiles=None)
    plugin().add_to(fmap)
    with pytest.raises(UnvendoredAssetError, match=name):
        localize(fmap)


def test_upstream_version_change_is_refused() -> None:
    class NewerMap(folium.Map):
        default_js: ClassVar = [  # type: ignore[misc]  # pins a newer asset on the class, as folium does
            ("leaflet", "https://example.invalid/npm/leaflet@1.9.9/dist/leaflet.js")
        ]

    with pytest.raises(UnvendoredAssetError, match="leaflet"):
        localize(NewerMap(tiles=None))


@pytest.mark.parametrize(
    ("add", "message"),
    [
        (lambda m: folium.Marker([0, 0], icon=folium.Icon()).add_to(m), "folium.Icon"),
        (lambda m: branca.colormap.LinearColormap(["red", "blue"]).add_to(m), "colormap"),
    ],
)
def test_elements_needing_unserved_assets_are_refused(add, message: str) -> None:
    fmap = folium.Map(tiles=None)
    add(fmap)
    with pytest.raises(AssetError, match=message):
        localize(fmap)


def test_also_adds_feature_group_plugin_assets_to_the_map() -> None:
    fmap = folium.Map(tiles=None)
    extra = folium.FeatureGroup(name="dynamic")
    folium.CircleMarker([0, 0], popup=folium.Popup("x")).add_to(extra)
    folium.plugins.Fullscreen().add_to(extra)
    localize(fmap, also=[extra])
    js = dict(fmap.default_js)
    assert "jquery" in js
    assert js["Control.Fullscreen.js"].endswith("/leaflet.fullscreen/Control.FullScreen.js")


def test_inline_html_is_self_contained() -> None:
    html = inline_html(_full_map(popup=True))
    assert not re.search(r"""\bsrc=["']https?:""", html)
    assert not re.search(r"""<link\b[^>]*href=["']https?:""", html)
    # the only absolute href left is Leaflet's own attribution link, inside leaflet.js
    assert set(re.findall(r"""href=["'](https?:[^"']*)""", html)) <= {"https://leafletjs.com"}
    assert DEFAULT_BASE_URL not in html
    assert not re.search(r"<link\b[^>]*\bhref=", html)
    assert html.count("data:image/png;base64,") >= 5  # CSS images and default marker icons
    assert "jQuery" in html and "L.Control.MiniMap" in html


def test_inline_html_leaves_the_map_lists_alone() -> None:
    fmap = localize(_full_map(), base_url="/atlas/app/static/vendor")
    before = _assets(fmap)
    inline_html(fmap)
    assert _assets(fmap) == before


def test_blank_tile_layer_is_a_one_colour_png() -> None:
    layer = blank_tile_layer(color="#102030")
    assert layer.tiles.startswith("data:image/png;base64,")
    png = Image.open(io.BytesIO(__import__("base64").b64decode(layer.tiles.split(",", 1)[1])))
    assert png.size == (1, 1)
    assert png.convert("RGB").getpixel((0, 0)) == (0x10, 0x20, 0x30)
    with pytest.raises(ValueError, match="rrggbb"):
        blank_tile_layer(color="red")


def _vendor_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vendor_assets", REPO / "tools/vendor_assets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def test_vendored_files_match_manifest() -> None:
    assert _vendor_tool().check() == []


def test_vendored_css_references_resolve() -> None:
    tool = _vendor_tool()
    for css in VENDOR_DIR.rglob("*.css"):
        tool._check_css_refs(css)


def test_assets_module_does_not_import_streamlit() -> None:
    code = "import sys, layers.assets; sys.exit('streamlit' in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
