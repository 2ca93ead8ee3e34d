"""Presenting a story in a real browser: the map moves to each step's box and the caption shows.

A two-step story file is uploaded through the page's uploader; "Present from step 1" and then the
Right arrow key (the Next button's shortcut) step through it. The Leaflet map's own center and
zoom are read from the frame: they must reach each step's fitted view (``ui.state.fit_bbox``)
without the map frame being remounted, and the URL must carry ``story_step``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import map_frame, wait_for_app
from tests.browser.test_map import leaflet_frame, map_view
from ui.state import fit_bbox

STEPS = [
    {
        "title": "Isfara valley",
        "caption": "First caption: the Isfara valley in April 2021.",
        "date": "2021-04-30",
        "bbox": [70.35, 39.75, 70.85, 40.15],
        "layers": ["base", "borders", "events"],
    },
    {
        "title": "The Panj at Khorog",
        "caption": "Second caption: the Panj near Khorog.",
        "date": "2022-05-20",
        "bbox": [71.2, 37.2, 71.9, 37.7],
        "layers": ["base", "borders", "crossings"],
    },
]


def _reaches(page: Page, bbox: Any, *, timeout_ms: float = 60_000) -> dict[str, Any]:
    """Wait until the map shows ``bbox``'s fitted view; that view."""
    (lat, lon), zoom = fit_bbox(bbox)
    leaflet_frame(page).wait_for_function(
        "([lat, lon, zoom]) => { const c = window.map.getCenter();"
        " return window.map.getZoom() === zoom && Math.abs(c.lat - lat) < 0.01"
        " && Math.abs(c.lng - lon) < 0.01; }",
        arg=[lat, lon, zoom],
        timeout=timeout_ms,
    )
    return map_view(page)


def test_presenting_a_story_moves_the_map_and_shows_the_captions(
    guarded_page, app_server, tmp_path: Path
) -> None:
    story = tmp_path / "two-steps.json"
    story.write_text(json.dumps({"version": 1, "title": "Two views", "steps": STEPS}))
    page = guarded_page.page
    page.goto(app_server)
    wait_for_app(page, timeout_ms=180_000)  # a generous ceiling for a busy machine, not a timing
    expect(map_frame(page).locator("#map_div")).to_be_attached(timeout=60_000)
    leaflet_frame(page).wait_for_function("() => !!window.map", timeout=60_000)
    leaflet_frame(page).evaluate("() => { window.fa_mounted = true; }")  # gone if remounted
    page.wait_for_timeout(400)  # the map's first view report reruns the page: let it finish
    wait_for_app(page, timeout_ms=180_000)
    start = map_view(page)

    page.get_by_text("Briefing story (0 steps)").click()
    page.get_by_test_id("stMainBlockContainer").locator("input[type='file']").set_input_files(story)
    present = page.get_by_role("button", name="Present from step 1")
    expect(present).to_be_visible(timeout=120_000)
    present.click()

    caption = page.get_by_test_id("stAlertContentInfo")  # the presented step's caption
    expect(caption).to_have_text(STEPS[0]["caption"], timeout=120_000)
    first = _reaches(page, STEPS[0]["bbox"])
    assert first != start
    page.wait_for_function("() => location.search.includes('story_step=1')", timeout=30_000)
    # the map reports the step's view, which reruns the map region. A key pressed while such a
    # rerun runs was lost in about 1 run of this test in 14 (the server answered the press with
    # a map-region run only; a second press worked), so the press waits until the page is idle
    page.wait_for_timeout(400)
    wait_for_app(page, timeout_ms=180_000)

    page.get_by_text("Step 1 of 2").click()  # focus on the page, not on the map frame
    page.keyboard.press("ArrowRight")  # the Next button's shortcut
    expect(caption).to_have_text(STEPS[1]["caption"], timeout=120_000)
    second = _reaches(page, STEPS[1]["bbox"])
    assert second != first
    page.wait_for_function("() => location.search.includes('story_step=2')", timeout=30_000)
    assert leaflet_frame(page).evaluate("() => window.fa_mounted === true")  # moved, not remounted
    assert guarded_page.external == []
