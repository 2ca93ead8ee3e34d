"""Stale lasting features look different in a real browser.

The date is chosen inside the test from ``geo.freshness`` on the shipped data (the first candidate
day on which some lasting layer draws both stale and fresh features), so the check holds whatever
sources the data gains: on that day exactly the features geo.freshness calls stale carry the class
``fa-stale`` on their SVG path, and their computed stroke is fainter than their fresh neighbours'.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import expect

from geo.catalog import DATA_DIR
from geo.freshness import LASTING_LAYERS, FreshnessRow, freshness
from layers.styles import STALE_STYLE
from tests.browser.conftest import map_frame, wait_for_app
from tests.browser.test_map import leaflet_frame

CANDIDATE_DAYS = (dt.date(2021, 6, 1), dt.date(2022, 9, 20), dt.date(2026, 11, 30))

DRAWN_PATHS = """
() => {
  const out = [];
  window.map.eachLayer(function (layer) {
    if (!layer.feature || !layer._path) return;
    const cls = layer._path.getAttribute("class") || "";
    if (cls.indexOf("fa-layer-") < 0) return;  // skip the white casing under borders
    const cs = getComputedStyle(layer._path);
    out.push({id: layer.feature.properties.id, cls: cls.split(/\\s+/),
              stroke: parseFloat(cs.strokeOpacity), dash: cs.strokeDasharray});
  });
  return out;
}
"""


def pick_day() -> tuple[dt.date, list[FreshnessRow]]:
    """The first candidate day with a lasting layer drawing both stale and fresh features."""
    for day in CANDIDATE_DAYS:
        rows = freshness(DATA_DIR, as_of=day)
        for layer in LASTING_LAYERS:
            kinds = {r.stale for r in rows if r.layer == layer}
            if kinds == {True, False}:
                return day, rows
    raise AssertionError(f"no candidate day mixes stale and fresh features: {CANDIDATE_DAYS}")


def test_stale_features_carry_fa_stale_and_are_drawn_fainter(guarded_page, app_server) -> None:
    day, rows = pick_day()
    layers = ",".join(sorted(LASTING_LAYERS))
    page = guarded_page.page
    page.goto(f"{app_server}/?date={day.isoformat()}&layers={layers}")
    wait_for_app(page, timeout_ms=180_000)  # a generous ceiling for a busy machine, not a timing
    frame = map_frame(page)
    expect(frame.locator(".fa-stale").first).to_be_attached(timeout=60_000)
    expect(frame.locator("[data-testid='fa-legend']")).to_contain_text(STALE_STYLE.label)

    every: list[dict[str, Any]] = leaflet_frame(page).evaluate(DRAWN_PATHS)
    layer_of = {
        p["id"]: next(c[len("fa-layer-") :] for c in p["cls"] if c.startswith("fa-layer-"))
        for p in every
    }
    paths = [p for p in every if layer_of[p["id"]] in LASTING_LAYERS]  # not the basemap
    drawn_stale = {(layer_of[p["id"]], p["id"]) for p in paths if "fa-stale" in p["cls"]}
    drawn_fresh = {(layer_of[p["id"]], p["id"]) for p in paths if "fa-stale" not in p["cls"]}
    assert drawn_stale == {(r.layer, r.id) for r in rows if r.stale}
    assert drawn_fresh == {(r.layer, r.id) for r in rows if not r.stale}

    compared = 0
    for layer in LASTING_LAYERS:
        stale = [p for p in paths if layer_of[p["id"]] == layer and "fa-stale" in p["cls"]]
        fresh = [p for p in paths if layer_of[p["id"]] == layer and "fa-stale" not in p["cls"]]
        if stale and fresh:
            assert max(p["stroke"] for p in stale) < min(p["stroke"] for p in fresh), layer
            compared += 1
    assert compared, "some layer draws stale and fresh features side by side"
    assert guarded_page.external == []
    assert guarded_page.errors == []
