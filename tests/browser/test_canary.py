"""XSS canary: hostile text in features is shown literally and never runs, in a real browser.

The canary app draws an event and two analyst overlays whose names, notes, descriptions,
sources and property keys carry ``<img src=x onerror=…>``, ``</script>``, backticks, ``${…}``,
``{{ 7*7 }}``, ``{% … %}`` and ``{{{``. Every payload tries to set ``window.__xss``. The test
hovers and clicks each feature, waits for the network to go idle (so a broken ``<img>`` would
have fired ``onerror``), and checks that the tooltips and popups show the payloads as text,
that ``window.__xss`` is still undefined in the map frame and on the page, and, as a control,
that the same check does see a payload that really is injected.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import FrameLocator, Locator, Page, expect

from .conftest import GuardedPage, map_frame, wait_for_app

APP_FILE = Path(__file__).parent / "apps" / "canary_app.py"

IMG = '<img src=x onerror="window.__xss=1">'

# (marker selector, index, literal tooltip, literals every popup must show)
FEATURES = (
    (
        "path.fa-layer-events",
        0,
        f"{IMG} {{{{ 7*7 }}}}",
        (
            "</script><script>window.__xss=2</script> `${window.__xss=3}` "
            "{% if 1 %}jinja{% endif %} {{{",
            "${window.__xss=4} {{ config }} {{{ 7*7 }}}",
            f"{IMG} title",
            "{{ 7*7 }} publisher",
        ),
    ),
    (
        "path.fa-layer-overlay",
        0,
        f"{IMG} {{{{ 7*7 }}}}",
        (IMG, "${window.__xss=6}", '"{{{"', "`tick`"),
    ),
    (
        "path.fa-layer-overlay",
        1,
        '<img src=x onerror="window.__xss=7"> {{ 7*7 }}',
        ("<script>window.__xss=8</script> ${window.__xss=9} {% raw %} {{{", "<b>key"),
    ),
)


def _xss(frame: FrameLocator, page: Page) -> tuple[object, object]:
    in_frame = frame.locator("body").evaluate("() => window.__xss")
    on_page = page.evaluate("() => window.__xss")
    return in_frame, on_page


def _hover_until_tooltip(page: Page, marker: Locator, tooltip: Locator, name: str) -> None:
    """Hover like a user; on a loaded machine the first hover can land before Leaflet listens."""
    for _attempt in range(3):
        marker.hover(force=True)
        try:
            expect(tooltip).to_have_text(name, timeout=5_000)
        except AssertionError:
            page.mouse.move(0, 0)  # leave, then come back
        else:
            return
    marker.hover(force=True)
    expect(tooltip).to_have_text(name)


@pytest.fixture
def canary(guarded_page: GuardedPage, app_server: str) -> tuple[GuardedPage, FrameLocator]:
    page = guarded_page.page
    page.goto(app_server)
    wait_for_app(page)
    frame = map_frame(page)
    expect(frame.locator("path.fa-layer-events")).to_have_count(1, timeout=20_000)
    expect(frame.locator("path.fa-layer-overlay")).to_have_count(2)
    page.wait_for_load_state("networkidle")  # the component settles before we hover
    return guarded_page, frame


def test_hostile_text_shows_literally_and_never_runs(
    canary: tuple[GuardedPage, FrameLocator],
) -> None:
    guarded, frame = canary
    page = guarded.page
    tooltip = frame.locator(".leaflet-tooltip")
    popup = frame.locator(".leaflet-popup-content")
    for selector, index, name, literals in FEATURES:
        # the previous popup panned the map to fit; put every marker back in plain view
        frame.locator("body").evaluate(
            "() => window.map.setView([39.75, 70.6], 9, {animate: false})"
        )
        marker = frame.locator(selector).nth(index)
        _hover_until_tooltip(page, marker, tooltip, name)
        marker.click(force=True)
        expect(popup).to_contain_text(name)
        for literal in literals:
            expect(popup).to_contain_text(literal)
        assert "49" not in popup.inner_text(), "{{ 7*7 }} was evaluated"
        page.wait_for_load_state("networkidle")
        assert _xss(frame, page) == (None, None), f"a payload ran ({name})"
        frame.locator(".leaflet-popup-close-button").click()
        expect(popup).to_have_count(0)
    assert frame.locator(".leaflet-popup-content img, .leaflet-tooltip img").count() == 0
    assert not [u for u in guarded.requests if u.rstrip("/").endswith("/x")], "an <img> was made"
    assert guarded.external == [], guarded.external
    assert guarded.errors == [], guarded.errors


def test_the_canary_would_see_a_real_injection(canary: tuple[GuardedPage, FrameLocator]) -> None:
    """Control: an unescaped payload in the same frame does set ``window.__xss``."""
    guarded, frame = canary
    frame.locator("body").evaluate(
        "(body) => body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.__xss=99\">')"
    )
    frame.locator("body").evaluate(
        "() => new Promise((done) => { const t = () => window.__xss ? done() : setTimeout(t, 20); t(); })"
    )
    assert _xss(frame, guarded.page)[0] == 99
