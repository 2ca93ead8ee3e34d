"""The map renders fully with no network: vendored assets only, plugins present, no errors."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from playwright.sync_api import expect

from .conftest import GuardedPage, map_frame, wait_for_app

APPS = Path(__file__).parent / "apps"
APP_FILE = APPS / "offline_map.py"

PLUGIN_CONTROLS = {
    "measure": ".leaflet-control-measure",
    "minimap": ".leaflet-control-minimap",
    "fullscreen": ".leaflet-control-zoom-fullscreen",
    "search": ".leaflet-control-search",
}


def _demo_map() -> ModuleType:
    spec = importlib.util.spec_from_file_location("demo_map", APPS / "demo_map.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _assert_clean(guarded: GuardedPage) -> None:
    assert guarded.external == [], f"requests left the origin: {guarded.external}"
    assert guarded.errors == [], f"browser errors: {guarded.errors}"


def test_map_renders_offline_with_plugins(guarded_page: GuardedPage, app_server: str) -> None:
    page = guarded_page.page
    page.goto(app_server)
    wait_for_app(page)
    frame = map_frame(page)
    paths = frame.locator(".leaflet-overlay-pane path.fa-layer-borders.fa-status-disputed")
    expect(paths).to_have_count(1, timeout=20_000)
    for name, selector in PLUGIN_CONTROLS.items():
        expect(frame.locator(selector), f"{name} control").to_have_count(1)
    # the minimap draws its blank data: tile, so it makes no request either
    expect(frame.locator(".leaflet-control-minimap img.leaflet-tile").first).to_be_attached()
    vendored = [u for u in guarded_page.requests if "/app/static/vendor/" in u]
    assert any(u.endswith("/leaflet/leaflet.js") for u in vendored), guarded_page.requests
    assert not any("jquery" in u for u in guarded_page.requests), "jQuery loaded but not needed"
    _assert_clean(guarded_page)


def test_tooltip_works(guarded_page: GuardedPage, app_server: str) -> None:
    page = guarded_page.page
    page.goto(app_server)
    wait_for_app(page)
    frame = map_frame(page)
    path = frame.locator("path.fa-layer-borders")
    expect(path).to_have_count(1, timeout=20_000)
    path.hover()  # once the path is stable and would get the pointer, as a user's would
    expect(frame.locator(".leaflet-tooltip")).to_contain_text("Demo border segment")
    _assert_clean(guarded_page)


def test_popup_loads_vendored_jquery(guarded_page: GuardedPage, app_server: str) -> None:
    page = guarded_page.page
    page.goto(f"{app_server}/?popup=1")
    wait_for_app(page)
    frame = map_frame(page)
    marker = frame.locator("path.fa-layer-events")
    expect(marker).to_have_count(1, timeout=20_000)
    marker.click()  # once the marker is stable and would get the pointer, as a user's would
    expect(frame.locator(".leaflet-popup-content")).to_have_text("popup-body")
    assert any(u.endswith("/app/static/vendor/jquery/jquery.min.js") for u in guarded_page.requests)
    _assert_clean(guarded_page)


def test_inline_html_export_opens_from_file(guarded_page: GuardedPage, tmp_path: Path) -> None:
    from layers.assets import inline_html

    out = tmp_path / "export.html"
    out.write_text(inline_html(_demo_map().build_map(with_popup=True)), encoding="utf-8")
    page = guarded_page.page
    page.goto(out.as_uri())
    expect(page.locator("path.fa-layer-borders")).to_have_count(1, timeout=20_000)
    for name, selector in PLUGIN_CONTROLS.items():
        expect(page.locator(selector), f"{name} control").to_have_count(1)
    page.locator("path.fa-layer-events").click(force=True)
    expect(page.locator(".leaflet-popup-content")).to_have_text("popup-body")
    assert guarded_page.requests == [out.as_uri()], guarded_page.requests
    _assert_clean(guarded_page)
