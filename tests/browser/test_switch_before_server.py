"""A layer or status switch repaints the map before the server answers, and the answer then
rebuilds nothing; so does a layer switched back on after the date moved (its spare group).

``ui.controls.switch_effects`` tells the map frame's layer manager what each sidebar switch does
(``layers.layer_manager.SwitchEffects``). The test holds back every message the server sends
after the click (Playwright routes the page's WebSocket), so the map can only change by what the
browser does on its own: the switched features must go (and come back) while the server's
answer is held. Then the answer is let through: the manager applies it (a new evaluation), builds
no group, and the features stay as the switch says. The frame is never reloaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import Frame, Page, WebSocketRoute, expect

from geo.schema import STATUSES
from layers import REGISTRY
from tests.browser.conftest import GuardedPage
from tests.browser.test_map import frame_marker, mark_frame, open_app
from tests.browser.test_map_region import settle, type_date
from tests.browser.test_toggle_groups import map_frame

DISPUTED_DAY = "2021-10-15"
"""A day with disputed segments in the shipped data (today has none)."""

_STATE = """() => {
  const lm = window.__faLayers;
  const paths = [...document.querySelectorAll('.leaflet-overlay-pane path')];
  const stamps = {};
  for (const id of Object.keys(lm.live)) { stamps[id] = L.stamp(lm.live[id].layer); }
  return {gen: lm.gen, builds: lm.builds, flips: lm.flips, stamps: stamps,
          parked: Object.keys(lm.parked).sort(),
          spare: Object.keys(lm.spare)
            .filter(id => lm.texts[lm.spare[id].digest] || lm.defs[lm.spare[id].digest]).sort(),
          crossings: paths.filter(p => p.classList.contains('fa-layer-crossings')).length,
          disputed: document.querySelectorAll('.fa-status-disputed').length,
          casings: document.querySelectorAll('.fa-casing-status-disputed').length};
}"""


_TICKED = """() => Object.fromEntries(
  [...document.querySelectorAll('[class*="st-key-fa_layer_"], [class*="st-key-fa_status_"]')]
    .map(el => [el.className.match(/st-key-(fa_\\w+)/)[1],
                el.querySelector('input[type=checkbox]').checked]))"""
"""Each layer and status switch's key -> whether the page shows it ticked."""


class HeldServer:
    """Routes the page's Streamlit WebSocket: while ``held``, what the server sends is kept
    back; ``release`` sends it on, in order."""

    def __init__(self, page: Page) -> None:
        self.held = False
        self.kept: list[str | bytes] = []
        self.client: WebSocketRoute | None = None
        page.route_web_socket("**/_stcore/stream", self._route)

    def _route(self, ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        self.client = ws
        ws.on_message(server.send)

        def from_server(message: str | bytes) -> None:
            if self.held:
                self.kept.append(message)
            else:
                ws.send(message)

        server.on_message(from_server)

    @contextmanager
    def holding(self) -> Iterator[None]:
        self.held = True
        try:
            yield
        finally:
            self.release()

    def release(self) -> None:
        self.held = False
        assert self.client is not None
        kept, self.kept = self.kept, []
        for message in kept:
            self.client.send(message)


def state(frame: Frame) -> dict[str, Any]:
    result: dict[str, Any] = frame.evaluate(_STATE)
    return result


def open_settled(guarded: GuardedPage, url: str) -> Page:
    """Open the app, wait for the run the map's first view report starts, and check that the
    switches show what the map draws: every layer but ``places`` (off by default) and every
    status ticked. (A rerun asked for from the map region's fragment once let the browser forget
    them: under load they came back unticked while their layers were drawn.)"""
    page = open_app(guarded, url)
    expect(page.get_by_text("Boundaries shown are not authoritative")).to_be_visible(timeout=60_000)
    settle(page)
    ticked: dict[str, bool] = page.evaluate(_TICKED)
    assert len(ticked) == len(REGISTRY) + len(STATUSES)
    assert {key for key, on in ticked.items() if not on} == {"fa_layer_places"}, ticked
    return page


def switch(page: Page, frame: Frame, server: HeldServer, label: str, *, until: str) -> None:
    """Click ``label``'s checkbox with the server's answer held; ``until`` (a JS expression on
    the snapshot ``s``) must come true before the answer is let through, and the manager must
    not have applied anything from the server meanwhile."""
    before = state(frame)
    with server.holding():
        page.get_by_text(label, exact=True).click()
        frame.wait_for_function(
            f"() => {{ const s = ({_STATE})(); return {until}; }}", timeout=5_000
        )
        assert state(frame)["gen"] == before["gen"], "the server's answer was applied: not held"
    frame.wait_for_function("(g) => window.__faLayers.gen > g", arg=before["gen"], timeout=30_000)
    settle(page)


def test_a_layer_switch_repaints_before_the_server_answers_and_the_answer_builds_nothing(
    guarded_page: GuardedPage, app_server: str
) -> None:
    page = guarded_page.page
    server = HeldServer(page)
    open_settled(guarded_page, app_server)
    frame = map_frame(page)
    mark_frame(page)
    start = state(frame)
    assert start["crossings"] > 0 and "crossings" in start["stamps"]

    switch(page, frame, server, "Crossings", until="s.crossings === 0")
    off = state(frame)
    assert off["crossings"] == 0 and off["builds"] == start["builds"]
    assert off["parked"] == ["crossings", "labels-crossings"]

    switch(page, frame, server, "Crossings", until=f"s.crossings === {start['crossings']}")
    on = state(frame)
    assert on["builds"] == start["builds"], "the answer rebuilt a group the switch put back"
    assert on["stamps"] == start["stamps"], "a group was replaced"
    assert on["parked"] == [] and on["crossings"] == start["crossings"]
    assert frame_marker(page) == "kept"
    assert not guarded_page.errors and not guarded_page.external


def test_a_status_switch_repaints_before_the_server_answers_and_the_answer_builds_nothing(
    guarded_page: GuardedPage, app_server: str
) -> None:
    page = guarded_page.page
    server = HeldServer(page)
    open_settled(guarded_page, f"{app_server}/?date={DISPUTED_DAY}")
    frame = map_frame(page)
    mark_frame(page)
    start = state(frame)
    assert start["disputed"] > 0 and start["casings"] > 0

    switch(page, frame, server, "Disputed", until="s.disputed === 0 && s.casings === 0")
    assert state(frame)["builds"] == start["builds"]
    assert state(frame)["disputed"] == 0

    switch(
        page,
        frame,
        server,
        "Disputed",
        until=f"s.disputed === {start['disputed']} && s.casings === {start['casings']}",
    )
    back = state(frame)
    assert back["builds"] == start["builds"] and back["stamps"] == start["stamps"]
    assert frame_marker(page) == "kept"
    assert not guarded_page.errors and not guarded_page.external


def test_a_layer_switched_on_after_a_date_move_draws_before_the_server_answers(
    guarded_page: GuardedPage, app_server: str
) -> None:
    """A date move drops what a switch parked (it belongs to the old date); the layers switched
    off come with the new date's map as spare groups, fetched and not built, so switching one on
    draws it at once; the answer then builds nothing."""
    page = guarded_page.page
    server = HeldServer(page)
    open_settled(guarded_page, f"{app_server}/?date={DISPUTED_DAY}")
    frame = map_frame(page)
    mark_frame(page)
    switch(page, frame, server, "Crossings", until="s.crossings === 0")
    assert state(frame)["parked"] == ["crossings", "labels-crossings"]

    type_date(page, "2022-06-01")
    frame.wait_for_function(
        f"() => ({_STATE})().spare.length === 2", timeout=20_000
    )  # both fetched
    moved = state(frame)
    assert moved["parked"] == [] and moved["crossings"] == 0
    assert moved["spare"] == ["crossings", "labels-crossings"]

    switch(page, frame, server, "Crossings", until="s.crossings > 0")
    on = state(frame)
    assert on["builds"] == moved["builds"] + 2, "the switch built the two spare groups"
    assert on["stamps"]["crossings"] not in moved["stamps"].values()
    assert on["spare"] == [] and on["crossings"] > 0
    assert frame_marker(page) == "kept"
    assert not guarded_page.errors and not guarded_page.external
