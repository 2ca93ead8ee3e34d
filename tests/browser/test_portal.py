"""Permalinks, embed mode and the offline map tools, in headless chromium."""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlparse

import mgrs
import pytest
from playwright.sync_api import Page, expect

from geo.measure import distance_m
from layers.mapview import LEGEND_FOLD_BELOW_PX
from tests.browser.conftest import GuardedPage, map_frame, wait_for_app
from tests.browser.test_map import leaflet_frame, map_view, pan_by_drag


def metres_per_pixel(lat: float, zoom: int) -> float:
    """Ground size of one screen pixel (Web Mercator) at ``lat`` and ``zoom``."""
    return 156_543.034 * math.cos(math.radians(lat)) / 2**zoom


def open_map(guarded: GuardedPage, url: str) -> Page:
    page = guarded.page
    page.goto(url)
    wait_for_app(page)
    expect(map_frame(page).locator(".leaflet-overlay-pane path").first).to_be_attached(
        timeout=30_000
    )
    return page


def test_a_permalink_reproduces_view_date_layers_and_statuses(guarded_page, app_server):
    url = (
        f"{app_server}/?date=2021-10-15&lat=40.05&lon=70.75&z=10"
        "&layers=base,borders,enclaves&status=delimited,undetermined"
    )
    page = open_map(guarded_page, url)
    view = map_view(page)
    assert view["zoom"] == 10
    # Leaflet keeps the view on whole screen pixels: the centre is within one pixel of the link's
    assert distance_m(view["lng"], view["lat"], 70.75, 40.05) < metres_per_pixel(40.05, 10)
    frame = map_frame(page)
    expect(frame.locator(".fa-layer-enclaves").first).to_be_attached()
    assert frame.locator(".fa-layer-deployments").count() == 0
    assert frame.locator(".fa-status-disputed").count() == 0
    assert frame.locator(".fa-status-undetermined").count() > 0
    assert guarded_page.external == []


def test_the_url_follows_the_user_and_reopens_the_same_view(guarded_page, app_server, browser):
    page = open_map(guarded_page, f"{app_server}/?date=2022-09-16&z=8")
    moved = pan_by_drag(page)  # back once the page has written the view to its URL
    link = page.url
    query = parse_qs(urlparse(link).query)
    assert query["date"] == ["2022-09-16"] and query["z"] == [str(moved["zoom"])]

    context = browser.new_context(service_workers="block")
    try:
        other = context.new_page()
        other.goto(link)
        wait_for_app(other)
        expect(map_frame(other).locator(".fa-layer-borders").first).to_be_attached(timeout=30_000)
        again = map_view(other)
    finally:
        context.close()
    assert again["zoom"] == moved["zoom"]
    # five decimals in the URL (~1 m), then Leaflet's whole-pixel view: within one pixel
    tolerance = metres_per_pixel(moved["lat"], moved["zoom"]) + 2
    assert distance_m(again["lng"], again["lat"], moved["lng"], moved["lat"]) < tolerance


def test_malformed_url_values_give_notices_and_a_working_map(guarded_page, app_server):
    page = open_map(guarded_page, f"{app_server}/?date=2021-02-30&z=abc&layers=borders,nope")
    alerts = page.locator("[data-testid='stAlert']")
    expect(alerts).to_have_count(3)
    expect(alerts.nth(0)).to_contain_text("date")
    expect(map_frame(page).locator(".fa-layer-borders").first).to_be_attached()


def test_embed_mode_shows_only_the_map_filling_the_viewport(guarded_page, app_server):
    page = guarded_page.page
    page.set_viewport_size({"width": 1100, "height": 700})
    open_map(guarded_page, f"{app_server}/?embed=true&mode=embed&date=2021-10-15")
    assert page.locator("[data-testid='stSidebar']").count() == 0
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    assert box is not None
    assert box["width"] >= 1100 * 0.97 and box["height"] >= 700 * 0.97
    size = leaflet_frame(page).evaluate("() => [window.map.getSize().x, window.map.getSize().y]")
    assert size[0] >= 1100 * 0.97 and size[1] >= 700 * 0.97
    expect(map_frame(page).locator("[data-testid='fa-legend']")).to_be_visible()
    assert guarded_page.external == []


def test_map_tools_work_offline(guarded_page, app_server):
    page = open_map(guarded_page, f"{app_server}/?date=2021-10-15")
    frame = map_frame(page)
    for control in (
        ".leaflet-control-measure",
        ".leaflet-control-minimap",
        ".leaflet-control-search",
        ".leaflet-control-zoom-fullscreen",
    ):
        expect(frame.locator(control), control).to_be_attached()

    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    readout = frame.locator("[data-testid='fa-coords']")
    expect(readout).to_contain_text("MGRS 4")  # zones 41-43 cover the region
    text = readout.inner_text()
    lat, lon = (float(v) for v in text.split("|")[0].split(","))
    shown = text.split("MGRS")[1].strip().replace(" ", "")
    expected = mgrs.MGRS().toMGRS(lat, lon, MGRSPrecision=5)
    # same 100 km square; easting and northing agree to a metre (the JS and C libraries round
    # the last digit differently)
    assert shown[:5] == expected[:5]
    assert abs(int(shown[5:10]) - int(expected[5:10])) <= 1
    assert abs(int(shown[10:]) - int(expected[10:])) <= 1

    frame.locator(".leaflet-control-search .search-button").click()
    frame.locator(".leaflet-control-search input").press_sequentially("Voru", delay=50)
    tip = frame.locator(".search-tip").first
    expect(tip).to_contain_text("Vorukh")
    assert guarded_page.external == []
    assert guarded_page.errors == []


@pytest.mark.parametrize("feature", ["enclave-vorukh"])
def test_feature_in_the_url_opens_its_popup(guarded_page, app_server, feature):
    page = open_map(guarded_page, f"{app_server}/?date=2021-10-15&feature={feature}")
    expect(map_frame(page).locator(".leaflet-popup-content")).to_contain_text("Vorukh")


def test_clicking_a_feature_puts_its_id_in_the_link(guarded_page, app_server):
    """The id comes from the clicked feature's GeoJSON properties, not from its popup text."""
    # centred on a point inside the Vorukh enclave: a click in the middle of the map hits it
    url = f"{app_server}/?date=2021-10-15&lat=39.85323&lon=70.57892&z=11&layers=base,enclaves"
    page = open_map(guarded_page, url)
    frame = map_frame(page)
    expect(frame.locator("path.fa-layer-enclaves").first).to_be_attached()
    box = frame.locator(".leaflet-container:not(.leaflet-control-minimap)").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("Vorukh")
    page.wait_for_function(
        "() => new URL(location.href).searchParams.get('feature') === 'enclave-vorukh'",
        timeout=20_000,
    )


def test_an_unreachable_online_basemap_leaves_the_vector_basemap(guarded_page, app_server):
    page = open_map(guarded_page, f"{app_server}/?date=2021-10-15")
    frame = map_frame(page)
    expect(frame.locator(".fa-layer-base").first).to_be_attached(timeout=30_000)
    assert guarded_page.external == []  # nothing online until asked for
    frame.locator(".leaflet-control-layers").hover()
    frame.get_by_text("OpenStreetMap (online)").click()
    # the tile requests leave for another host and are refused (the network is unplugged) ...
    page.wait_for_timeout(2_000)
    assert guarded_page.external, "switching on an online basemap should request its tiles"
    assert all("tile.openstreetmap.org" in url for url in guarded_page.external)
    # ... and the offline vector basemap and the borders still draw
    expect(frame.locator(".fa-layer-base").first).to_be_visible()
    expect(frame.locator(".fa-layer-borders").first).to_be_visible()
    page_errors = [e for e in guarded_page.errors if e.startswith("pageerror")]
    assert page_errors == []


def test_the_legend_folds_away_and_the_disclaimer_stays(guarded_page, app_server):
    page = open_map(guarded_page, f"{app_server}/?date=2021-10-15&lat=39.2&lon=70.6&z=7")
    frame = map_frame(page)
    rows = frame.locator("[data-testid='fa-legend'] .fa-row")
    width = frame.locator("#map_div").evaluate("(m) => m.clientWidth")
    # a map narrower than LEGEND_FOLD_BELOW_PX starts with the legend folded (issue 11)
    if width < LEGEND_FOLD_BELOW_PX:
        expect(rows.first).to_be_hidden()
        frame.locator("[data-testid='fa-legend'] h4").click()
    expect(rows.first).to_be_visible()
    frame.locator("[data-testid='fa-legend'] h4").click()
    expect(rows.first).to_be_hidden()
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("not authoritative")
    frame.locator("[data-testid='fa-legend'] h4").click()
    expect(rows.first).to_be_visible()


def test_search_finds_names_with_apostrophes_and_shows_them_as_written(guarded_page, app_server):
    """Issue 14: the index held escaped text, so ``Qal'ai`` did not match and results read
    ``Qal&#x27;ai``; typing the entity's digits must not match anything either."""
    page = guarded_page.page
    page.goto(f"{app_server}/?date=2021-10-15")
    wait_for_app(page, timeout_ms=120_000)  # a cold server on a busy machine
    frame = map_frame(page)
    frame.locator(".leaflet-control-search .search-button").click(timeout=60_000)
    box = frame.locator(".leaflet-control-search input")
    box.press_sequentially("x27", delay=50)
    page.wait_for_timeout(1_500)  # leaflet-search looks up after 400 ms of no typing
    assert frame.locator(".search-tip").count() == 0
    box.fill("")
    box.press_sequentially("Qal'ai", delay=50)
    tip = frame.locator(".search-tip").first
    expect(tip).to_contain_text("Qal'ai Khumb")
    assert "&#" not in tip.inner_text()
    tip.click()
    expect(box).to_have_value(re.compile(r"^Qal'ai Khumb"))
    assert guarded_page.external == []
    assert guarded_page.errors == []
