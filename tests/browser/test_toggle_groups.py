"""The real page: a layer toggle re-evaluates only the changed group (none, when the browser kept
the group the switch hid), and the frame is never reloaded.

``ui.map_seam`` hands streamlit-folium one ``layers.layer_manager.LayerManager``; this reads its
browser state (``window.__faLayers``) and the Leaflet ids (``L.stamp``) of every group before and
after the ``Crossings`` checkbox goes off and on again, and marks every SVG path so a redrawn
group shows up as unmarked paths (the probe of tests/browser/test_layer_manager.py).
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Frame, Page

from tests.browser.conftest import MAP_IFRAME, GuardedPage, wait_for_app

LAYERS = "base,borders,enclaves,deployments,exercises,events,crossings,places"
TOGGLED = "crossings"
"""The group id (the layer id) of the toggled layer; its labels are the group ``labels-<id>``."""
CHECKBOX = "Crossings"
"""The toggled layer's sidebar checkbox."""
REBUILT = {TOGGLED, f"labels-{TOGGLED}"}
OFF_LAYER, OFF_CHECKBOX = "settlements", "Settlements (GeoNames)"
"""A labelled layer the test's link leaves off."""

_SNAPSHOT = """() => {
  const lm = window.__faLayers;
  const out = {stamps: {}, builds: lm ? lm.builds : null, lastBuilt: lm ? lm.lastBuilt : null};
  if (lm) { for (const id of Object.keys(lm.live)) { out.stamps[id] = L.stamp(lm.live[id].layer); } }
  const paths = [...document.querySelectorAll('.leaflet-overlay-pane path')];
  out.crossings = paths.filter(p => p.classList.contains('fa-layer-crossings')).length;
  out.unmarked = paths.filter(p => !p.classList.contains('fa-layer-crossings')
    && p.dataset.faSeen !== 'yes').length;
  out.marker = window.__faProbe || null;
  out.view = [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()];
  return out;
}"""
_MARK = """() => {
  document.querySelectorAll('.leaflet-overlay-pane path').forEach(p => { p.dataset.faSeen = 'yes'; });
  window.__faProbe = 'kept';
}"""


def map_frame(page: Page) -> Frame:
    for frame in page.frames:
        if "streamlit_folium" in frame.url:
            return frame
    raise AssertionError("the map iframe is not on the page")


def settle(page: Page) -> None:
    page.wait_for_timeout(400)
    wait_for_app(page, timeout_ms=60_000)


def test_a_layer_toggle_rebuilds_only_that_group(
    guarded_page: GuardedPage, app_server: str
) -> None:
    page = guarded_page.page
    page.goto(f"{app_server}/?layers={LAYERS}")
    wait_for_app(page, timeout_ms=180_000)  # a cold server's first run reads every file
    page.wait_for_selector(MAP_IFRAME, timeout=60_000)
    frame = map_frame(page)
    frame.wait_for_selector("path.fa-layer-crossings", state="attached", timeout=60_000)
    settle(page)  # the first view report's rerun
    settle(page)

    before: dict[str, Any] = frame.evaluate(_SNAPSHOT)
    assert TOGGLED in before["stamps"] and len(before["stamps"]) >= 4
    assert before["crossings"] > 0
    frame.evaluate(_MARK)

    assert set(before["stamps"]) >= REBUILT and "labels-places" in before["stamps"]
    page.get_by_text(CHECKBOX, exact=True).click()  # off: only the crossings and their names go
    frame.wait_for_selector("path.fa-layer-crossings", state="detached", timeout=30_000)
    settle(page)
    off: dict[str, Any] = frame.evaluate(_SNAPSHOT)
    assert off["marker"] == "kept", "the map frame was reloaded"
    assert off["view"] == before["view"]
    # every other group, the other layers' labels included, must survive
    others = {k: v for k, v in before["stamps"].items() if k not in REBUILT}
    assert off["stamps"] == others, "another group was rebuilt"
    assert off["unmarked"] == 0, "another group's paths were redrawn"
    assert off["lastBuilt"] == []

    page.get_by_text(CHECKBOX, exact=True).click()  # on again: the parked groups come back
    frame.wait_for_selector("path.fa-layer-crossings", state="attached", timeout=30_000)
    settle(page)
    on: dict[str, Any] = frame.evaluate(_SNAPSHOT)
    assert on["marker"] == "kept", "the map frame was reloaded"
    assert on["view"] == before["view"]
    assert on["lastBuilt"] == [] and on["builds"] == before["builds"], "a group was built"
    assert on["stamps"] == before["stamps"], "a group was replaced"
    assert on["unmarked"] == 0 and on["crossings"] == before["crossings"]

    # a layer the page started without has nothing parked: it alone (and its labels) is built
    page.get_by_text(OFF_CHECKBOX, exact=True).click()
    frame.wait_for_function(
        "(id) => window.__faLayers.live[id] !== undefined", arg=OFF_LAYER, timeout=30_000
    )
    settle(page)
    added: dict[str, Any] = frame.evaluate(_SNAPSHOT)
    assert set(added["lastBuilt"]) == {OFF_LAYER, f"labels-{OFF_LAYER}"}
    assert {k: v for k, v in added["stamps"].items() if k in before["stamps"]} == before["stamps"]
    assert added["marker"] == "kept" and added["view"] == before["view"]
    assert not guarded_page.errors and not guarded_page.external
