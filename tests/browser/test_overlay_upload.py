"""An analyst uploads a file in the real page: valid features draw and join the legend, a broken
one is named in one sentence and not drawn, and the shipped data stays untouched."""

from __future__ import annotations

import hashlib
import json

from playwright.sync_api import expect

from geo.catalog import DATA_DIR
from tests.browser.conftest import map_frame, wait_for_app

OVERLAY = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Analyst patrol route"},
            "geometry": {"type": "LineString", "coordinates": [[70.5, 39.9], [70.7, 40.0]]},
        },
        {
            "type": "Feature",
            "properties": {"name": "Swapped point"},
            "geometry": {"type": "Point", "coordinates": [39.9, 70.5]},
        },
    ],
}


def _digests() -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(DATA_DIR.rglob("*.*"))
    }


def test_an_uploaded_overlay_is_validated_drawn_and_listed(guarded_page, app_server, tmp_path):
    before = _digests()
    upload = tmp_path / "patrols.geojson"
    upload.write_text(json.dumps(OVERLAY), encoding="utf-8")
    page = guarded_page.page
    page.goto(f"{app_server}/?date=2021-10-15")
    wait_for_app(page)
    expect(map_frame(page).locator(".fa-layer-borders").first).to_be_attached(timeout=30_000)

    page.get_by_test_id("stSidebarUserContent").locator(
        "[data-testid='stFileUploader'] input[type='file']"
    ).set_input_files(str(upload))
    frame = map_frame(page)
    expect(frame.locator(".fa-layer-overlay")).to_have_count(1, timeout=30_000)
    expect(frame.locator(".fa-legend-extra")).to_contain_text("patrols.geojson")
    alert = page.locator("[data-testid='stSidebar'] [data-testid='stAlert']").first
    expect(alert).to_contain_text("swapped")
    expect(alert).to_contain_text("#1")
    assert guarded_page.external == []
    assert _digests() == before, "the app must never modify the shipped data"
