"""``ui.map_region`` in the browser: a switch reruns only the map region, the date reruns the page.

Streamlit tells the browser how each run ended (``ForwardMsg.script_finished``): a fragment's own
run ends ``FINISHED_FRAGMENT_RUN_SUCCESSFULLY``, a whole-page run ``FINISHED_SUCCESSFULLY``. The
test reads those messages off the page's WebSocket, and checks what the user sees: the map and
the link follow a switch, the panels under the map stay, and the map frame is never reloaded.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, WebSocket, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.conftest import GuardedPage, map_frame, wait_for_app
from tests.browser.test_map import frame_marker, mark_frame, open_app, pan_by_drag

FRAGMENT_RUN = ForwardMsg.ScriptFinishedStatus.Name(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
PAGE_RUN = ForwardMsg.ScriptFinishedStatus.Name(ForwardMsg.FINISHED_SUCCESSFULLY)


def run_endings(page: Page) -> Callable[[], list[str]]:
    """Start recording how the server's script runs end; returns a function that takes (and
    clears) the endings recorded so far. Call before the page opens its WebSocket."""
    endings: list[str] = []

    def on_websocket(ws: WebSocket) -> None:
        def received(payload: str | bytes) -> None:
            if isinstance(payload, bytes):
                msg = ForwardMsg.FromString(payload)
                if msg.WhichOneof("type") == "script_finished":
                    endings.append(ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished))

        ws.on("framereceived", received)

    page.on("websocket", on_websocket)

    def take() -> list[str]:
        taken = list(endings)
        endings.clear()
        return taken

    return take


def type_date(page: Page, day: str) -> None:
    """Type ``day`` (YYYY-MM-DD) into the exact-date field and wait for the lists under the map to
    follow it (the date commits when the field loses focus)."""
    page.get_by_role("spinbutton", name="year, Exact date").click()
    page.keyboard.type(day.replace("-", ""))
    page.get_by_text("Layers", exact=True).click()
    expect(
        page.get_by_text(f"Events and exercises in the 90 days up to {day}", exact=False)
    ).to_be_visible(timeout=20_000)


def settle(page: Page) -> None:
    page.wait_for_timeout(700)  # a run the map's report starts
    wait_for_app(page)


def test_a_switch_reruns_only_the_map_region_and_the_date_reruns_the_page(
    guarded_page: GuardedPage, app_server: str
) -> None:
    page = guarded_page.page
    endings = run_endings(page)
    open_app(guarded_page, f"{app_server}/?date=2021-10-15")
    settle(page)
    lately = page.get_by_text("Events and exercises in the 90 days up to 2021-10-15", exact=False)
    expect(lately).to_be_visible()
    link = page.locator("[data-testid=stSidebar] code")
    expect(link).to_contain_text("crossings")
    crossings = map_frame(page).locator(".fa-layer-crossings")
    expect(crossings.first).to_be_attached()
    assert PAGE_RUN in endings()  # the first runs draw the whole page
    mark_frame(page)

    page.get_by_text("Crossings", exact=True).click()  # a switch reruns the page
    expect(crossings).to_have_count(0, timeout=20_000)
    settle(page)
    assert PAGE_RUN in endings(), "a switch reruns the whole page"
    expect(link).not_to_contain_text("crossings")
    assert frame_marker(page) == "kept", "the map frame was reloaded"

    before = link.inner_text()
    pan_by_drag(page)  # the map's own report reruns the map region only
    expect(link).not_to_have_text(before, timeout=20_000)  # the link is part of the region
    settle(page)
    assert set(endings()) == {FRAGMENT_RUN}, "a pan must rerun the map region only"
    expect(lately).to_be_visible()  # the panels under the map stay as they were
    assert frame_marker(page) == "kept", "the map frame was reloaded"

    type_date(page, "2022-06-01")
    settle(page)
    assert PAGE_RUN in endings(), "a date move must rerun the whole page"
    assert frame_marker(page) == "kept", "the map frame was reloaded"
    assert guarded_page.errors == []
    assert guarded_page.external == []
