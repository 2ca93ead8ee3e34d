"""A popup's "Last confirmed" age is counted in the browser from the map's date
(``layers.mapview.PopupAges``), so a date move that changes no feature rebuilds no group, yet the
age in an open popup follows the date.

The feature and its confirmation come from ``geo.freshness`` on the shipped data; the expected
age is computed here, not typed in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Frame

from geo.catalog import DATA_DIR
from geo.freshness import FreshnessRow, freshness
from tests.browser.conftest import GuardedPage
from tests.browser.test_map import frame_marker, leaflet_frame, mark_frame, open_app
from tests.browser.test_map_region import settle, type_date

DAY = dt.date(2026, 11, 19)
NEXT_DAY = DAY + dt.timedelta(days=1)

_OPEN_POPUP = """(id) => {
  let hit = null;
  window.map.eachLayer(function (layer) {
    if (!hit && layer.feature && layer.feature.properties.id === id && layer._path &&
        (layer._path.getAttribute('class') || '').indexOf('fa-layer-borders') >= 0) { hit = layer; }
  });
  if (!hit) { return false; }
  hit.fire('click', {latlng: hit.getCenter()}, true);
  return true;
}"""
_AGE = """() => {
  const span = document.querySelector('.leaflet-popup .fa-age');
  return span ? span.textContent : null;
}"""
_LAYERS = """() => {
  const lm = window.__faLayers, stamps = {};
  for (const id of Object.keys(lm.live)) { stamps[id] = L.stamp(lm.live[id].layer); }
  return {builds: lm.builds, stamps: stamps};
}"""


def confirmed_border(day: dt.date) -> FreshnessRow:
    """A border segment in force on ``day`` and on the next day, confirmed by then."""
    later = {row.id for row in freshness(DATA_DIR, as_of=day + dt.timedelta(days=1))}
    rows = [
        row
        for row in freshness(DATA_DIR, as_of=day)
        if row.layer == "borders" and row.last_confirmed is not None and row.id in later
    ]
    assert rows, f"no confirmed border segment on {day}"
    return rows[-1]


def age_text(day: dt.date, confirmed: dt.date) -> str:
    days = (day - confirmed).days
    return f" ({days} day{'' if days == 1 else 's'} before the as-of date)"


def wait_for_age(frame: Frame, text: str) -> None:
    frame.wait_for_function(f"() => ({_AGE})() === {text!r}", timeout=20_000)


def test_a_popup_counts_its_confirmation_age_to_the_date_and_follows_a_date_move(
    guarded_page: GuardedPage, app_server: str
) -> None:
    row = confirmed_border(DAY)
    assert row.last_confirmed is not None
    page = open_app(guarded_page, f"{app_server}/?date={DAY.isoformat()}")
    settle(page)
    frame = leaflet_frame(page)
    assert frame.evaluate(_OPEN_POPUP, row.id), f"{row.id} is not drawn"
    wait_for_age(frame, age_text(DAY, row.last_confirmed))
    settle(page)  # the click's report reruns the map region
    mark_frame(page)
    before: dict[str, Any] = frame.evaluate(_LAYERS)

    type_date(page, NEXT_DAY.isoformat())
    settle(page)
    # the popup left open counts to the new date; no group was rebuilt or replaced
    wait_for_age(frame, age_text(NEXT_DAY, row.last_confirmed))
    after: dict[str, Any] = frame.evaluate(_LAYERS)
    assert after == before
    assert frame_marker(page) == "kept"

    # a popup opened after the move counts to the new date too
    frame.evaluate("() => window.map.closePopup()")
    assert frame.evaluate(_AGE) is None
    assert frame.evaluate(_OPEN_POPUP, row.id)
    wait_for_age(frame, age_text(NEXT_DAY, row.last_confirmed))
    assert not guarded_page.errors and not guarded_page.external
