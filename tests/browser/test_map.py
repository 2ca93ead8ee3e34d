"""The real page in headless chromium: every layer draws, nothing leaves localhost, toggles and
date changes repaint without reloading the map frame or losing the user's view."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Frame, Page, expect

from tests.browser.conftest import MAP_IFRAME, GuardedPage, map_frame, wait_for_app

LAYER_PATHS = {
    "base": ".fa-layer-base",
    "borders": ".fa-layer-borders",
    "enclaves": ".fa-layer-enclaves",
    "deployments": ".fa-layer-deployments",
    "crossings": ".fa-layer-crossings",
    "events": ".fa-layer-events",
    "exercises": ".fa-layer-exercises",
}


def leaflet_frame(page: Page) -> Frame:
    """The map iframe as a Frame, to read the Leaflet map object (``window.map``)."""
    for frame in page.frames:
        if "streamlit_folium" in frame.url:
            return frame
    raise AssertionError("the map iframe is not on the page")


def map_view(page: Page) -> dict[str, Any]:
    return leaflet_frame(page).evaluate(
        "() => ({lat: window.map.getCenter().lat, lng: window.map.getCenter().lng,"
        " zoom: window.map.getZoom()})"
    )


def open_app(guarded: GuardedPage, url: str) -> Page:
    page = guarded.page
    page.goto(url)
    wait_for_app(page)
    expect(map_frame(page).locator(".fa-layer-borders").first).to_be_attached(timeout=30_000)
    return page


def mark_frame(page: Page) -> None:
    """Put a marker in the iframe's window: it survives repaints, not a reload or remount."""
    leaflet_frame(page).evaluate("() => { window.__fa_marker = 'kept'; }")


def frame_marker(page: Page) -> str | None:
    return leaflet_frame(page).evaluate("() => window.__fa_marker || null")


def pan_by_drag(page: Page) -> dict[str, Any]:
    """Drag the map like a user does, so the view differs from the initial one; the view, once
    the map has come to rest and the page has written it to its URL (the map reports a move a
    quarter second after it ends, then the map region reruns)."""
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 180, y - 90, steps=8)
    page.mouse.up()
    page.wait_for_function(
        """([frame]) => {
            const map = document.querySelector(frame)?.contentWindow?.map;
            const lat = new URL(location.href).searchParams.get("lat");
            return !!map && lat === map.getCenter().lat.toFixed(5);
        }""",
        arg=[MAP_IFRAME],
        timeout=20_000,
    )
    wait_for_app(page)
    return map_view(page)


def test_every_layer_renders_offline_without_errors(guarded_page, app_server):
    page = open_app(guarded_page, f"{app_server}/?date=2021-10-15&layers=" + ",".join(LAYER_PATHS))
    frame = map_frame(page)
    for layer, selector in LAYER_PATHS.items():
        expect(frame.locator(selector).first, f"no rendered feature for {layer}").to_be_attached()
    expect(frame.locator("[data-testid='fa-legend']")).to_be_visible()
    expect(frame.locator(".leaflet-control-scale")).to_be_visible()
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("OpenStreetMap")
    assert guarded_page.external == []
    assert guarded_page.errors == []


def test_unchecking_disputed_removes_exactly_the_disputed_segments(guarded_page, app_server):
    page = open_app(guarded_page, f"{app_server}/?date=2021-10-15")
    frame = map_frame(page)
    disputed = frame.locator(".fa-layer-borders.fa-status-disputed")
    others = frame.locator(".fa-layer-borders:not(.fa-status-disputed)")
    expect(disputed.first).to_be_attached()
    n_disputed, n_others = disputed.count(), others.count()
    assert n_disputed > 0 and n_others > 0

    before = pan_by_drag(page)
    mark_frame(page)

    page.get_by_text("Disputed", exact=True).click()
    expect(disputed).to_have_count(0, timeout=20_000)
    wait_for_app(page)
    expect(others).to_have_count(n_others)
    after = map_view(page)
    assert frame_marker(page) == "kept", "the map frame was reloaded"
    assert after["zoom"] == before["zoom"]
    assert after["lat"] == pytest.approx(before["lat"], abs=1e-6)
    assert after["lng"] == pytest.approx(before["lng"], abs=1e-6)
    assert guarded_page.external == []


def test_a_new_map_frame_opens_at_the_users_view(guarded_page, app_server):
    """Streamlit may make the map a new frame (a page run and a map-region run that cross, see
    ui/map_region.py); a reload of the frame makes one on purpose."""
    page = open_app(guarded_page, f"{app_server}/?date=2021-10-15")
    moved = pan_by_drag(page)
    mark_frame(page)

    leaflet_frame(page).evaluate("() => { setTimeout(() => location.reload(), 0); }")
    leaflet_frame(page).wait_for_function("() => !window.__fa_marker && window.map", timeout=30_000)
    expect(map_frame(page).locator(".fa-layer-borders").first).to_be_attached(timeout=30_000)
    page.wait_for_timeout(500)  # the fitted first view would come a tick after the frame opens
    again = map_view(page)
    assert again["zoom"] == moved["zoom"]
    assert again["lat"] == pytest.approx(moved["lat"], abs=1e-6)
    assert again["lng"] == pytest.approx(moved["lng"], abs=1e-6)
    wait_for_app(page)
    assert guarded_page.errors == []


def test_moving_the_date_to_2025_drops_the_disputed_segments_without_reload(
    guarded_page, app_server
):
    page = open_app(guarded_page, f"{app_server}/?date=2021-10-15")
    frame = map_frame(page)
    disputed = frame.locator(".fa-layer-borders.fa-status-disputed")
    expect(disputed.first).to_be_attached()
    mark_frame(page)
    before = map_view(page)

    page.get_by_role("spinbutton", name="year, Exact date").click()
    page.keyboard.type("20250601")
    page.get_by_text("Layers", exact=True).click()  # the date commits when the field loses focus
    expect(disputed).to_have_count(0, timeout=20_000)
    expect(frame.locator(".fa-layer-borders.fa-status-delimited").first).to_be_attached()
    assert frame_marker(page) == "kept", "the map frame was reloaded"
    assert map_view(page) == before
