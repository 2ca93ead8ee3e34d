"""``layers.layer_manager`` in a real page: a toggle rebuilds only the group that changed.

The control case (``?plain=1``, groups handed to streamlit-folium as a list) shows the same probe
does see streamlit-folium rebuilding every group, so the managed checks cannot pass by accident.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Frame, Page

from tests.browser.conftest import MAP_IFRAME, GuardedPage, wait_for_app

APP_FILE = Path(__file__).parent / "apps" / "layer_manager_app.py"

# Every path gets a mark; a path that survives a rerun keeps it (a rebuilt group has none).
_SNAPSHOT = """() => {
  const out = {};
  for (const name of ['a', 'b', 'c']) {
    const paths = [...document.querySelectorAll('path.lm-' + name)];
    out[name] = paths.map(p => p.dataset.lmSeen || null);
  }
  const lm = window.__faLayers;
  out.stamps = {};
  if (lm) { for (const id of Object.keys(lm.live)) { out.stamps[id] = L.stamp(lm.live[id].layer); } }
  out.builds = lm ? lm.builds : null;
  out.lastBuilt = lm ? lm.lastBuilt : null;
  out.marker = window.__lm_marker || null;
  out.view = [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()];
  return out;
}"""
_MARK = """(tag) => {
  document.querySelectorAll('path').forEach(p => { p.dataset.lmSeen = tag; });
  window.__lm_marker = 'kept';
}"""


def leaflet_frame(page: Page) -> Frame:
    for frame in page.frames:
        if "streamlit_folium" in frame.url:
            return frame
    raise AssertionError("the map iframe is not on the page")


def open_page(guarded: GuardedPage, url: str) -> Frame:
    page = guarded.page
    page.goto(url)
    wait_for_app(page)
    page.wait_for_selector(MAP_IFRAME, timeout=30_000)
    frame = leaflet_frame(page)
    frame.wait_for_selector("path.lm-a", state="attached", timeout=30_000)
    frame.wait_for_selector("path.lm-c", state="attached", timeout=30_000)
    wait_for_app(page)
    page.wait_for_timeout(500)  # the first view report's rerun
    wait_for_app(page)
    return frame


def click(page: Page, label: str) -> None:
    page.get_by_text(label, exact=True).click()
    page.wait_for_timeout(300)
    wait_for_app(page)


def snapshot(frame: Frame) -> dict[str, Any]:
    return frame.evaluate(_SNAPSHOT)


def test_toggle_rebuilds_only_the_changed_group(guarded_page: GuardedPage, app_server: str) -> None:
    page = guarded_page.page
    frame = open_page(guarded_page, app_server)
    before = snapshot(frame)
    assert set(before["stamps"]) == {"a", "b", "c"}
    frame.evaluate(_MARK, "t0")

    click(page, "Show C")  # remove C
    frame.wait_for_selector("path.lm-c", state="detached", timeout=15_000)
    after_off = snapshot(frame)
    assert after_off["marker"] == "kept", "the map frame was reloaded"
    assert after_off["view"] == before["view"]
    assert after_off["stamps"] == {"a": before["stamps"]["a"], "b": before["stamps"]["b"]}
    assert after_off["a"] == ["t0"] and after_off["b"] == ["t0"], "A or B was redrawn"
    assert after_off["builds"] == before["builds"] and after_off["lastBuilt"] == []

    click(page, "Show C")  # add C back: only C is built
    frame.wait_for_selector("path.lm-c", state="attached", timeout=15_000)
    after_on = snapshot(frame)
    assert after_on["marker"] == "kept"
    assert after_on["lastBuilt"] == ["c"] and after_on["builds"] == before["builds"] + 1
    assert after_on["stamps"]["a"] == before["stamps"]["a"]
    assert after_on["stamps"]["b"] == before["stamps"]["b"]
    assert after_on["a"] == ["t0"] and after_on["b"] == ["t0"]
    assert after_on["c"] == [None]

    frame.evaluate(_MARK, "t1")
    click(page, "Move B")  # B's content changes: only B is rebuilt, and it stays under C
    page.wait_for_function(
        "() => { const f = document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]');"
        " const p = f && f.contentDocument.querySelector('path.lm-b');"
        " return !!p && !p.dataset.lmSeen; }",
        timeout=15_000,
    )
    moved = snapshot(frame)
    assert moved["marker"] == "kept"
    assert moved["lastBuilt"] == ["b"]
    assert moved["stamps"]["a"] == before["stamps"]["a"]
    assert moved["stamps"]["c"] == after_on["stamps"]["c"]
    assert moved["a"] == ["t1"] and moved["c"] == ["t1"] and moved["b"] == [None]
    order = frame.evaluate(
        "() => [...document.querySelectorAll('path')].map(p => p.getAttribute('class'))"
        ".filter(c => c && c.includes('lm-')).map(c => c.match(/lm-(\\w)/)[1])"
    )
    assert order == ["a", "b", "c"], "the rebuilt group must keep its place in the stack"
    assert not guarded_page.errors and not guarded_page.external


@pytest.mark.parametrize("app_server", [APP_FILE], indirect=True)
@pytest.mark.parametrize("served", ["0", "1"])
def test_the_group_named_first_is_built_first_and_drawn_in_its_place(
    guarded_page: GuardedPage, app_server: str, served: str
) -> None:
    """``first=("c",)``: C is built before A and B (Leaflet numbers layers as they are added to
    the map; A and B follow as their scripts arrive), yet still drawn on top of them; without
    it the groups are built bottom to top (the control, with inline scripts: arrival order
    cannot reorder them)."""
    frame = open_page(guarded_page, f"{app_server}/?static={served}&first=c")
    stamps = snapshot(frame)["stamps"]
    assert stamps["c"] < min(stamps["a"], stamps["b"])
    order = frame.evaluate(
        "() => [...document.querySelectorAll('path')].map(p => p.getAttribute('class'))"
        ".filter(c => c && c.includes('lm-')).map(c => c.match(/lm-(\\w)/)[1])"
    )
    assert order == ["a", "b", "c"]
    plain = open_page(guarded_page, f"{app_server}/?static=0")
    stamps = snapshot(plain)["stamps"]
    assert stamps["a"] < stamps["b"] < stamps["c"]
    assert not guarded_page.errors and not guarded_page.external


@pytest.mark.parametrize("app_server", [APP_FILE], indirect=True)
def test_control_plain_streamlit_folium_rebuilds_every_group(
    guarded_page: GuardedPage, app_server: str
) -> None:
    page = guarded_page.page
    frame = open_page(guarded_page, app_server + "/?plain=1")
    frame.evaluate(_MARK, "t0")
    click(page, "Show C")
    frame.wait_for_selector("path.lm-c", state="detached", timeout=15_000)
    after = snapshot(frame)
    assert after["marker"] == "kept"  # streamlit-folium keeps the frame too...
    assert after["a"] == [None] and after["b"] == [None]  # ...but redraws A and B
    assert not guarded_page.errors


@pytest.mark.parametrize("app_server", [APP_FILE], indirect=True)
def test_served_scripts_are_fetched_only_for_new_content(
    guarded_page: GuardedPage, app_server: str
) -> None:
    page = guarded_page.page
    frame = open_page(guarded_page, app_server + "/?static=1")

    def fetched() -> list[str]:
        return [u for u in guarded_page.requests if "/generated/layers/layer-" in u]

    assert len(fetched()) == 3  # a, b, c at first load
    before = snapshot(frame)
    frame.evaluate(_MARK, "t0")
    click(page, "Show C")
    frame.wait_for_selector("path.lm-c", state="detached", timeout=15_000)
    click(page, "Show C")  # C again: its script is known, nothing is fetched
    frame.wait_for_selector("path.lm-c", state="attached", timeout=15_000)
    again = snapshot(frame)
    assert len(fetched()) == 3
    assert again["lastBuilt"] == ["c"] and again["marker"] == "kept"
    assert again["stamps"]["a"] == before["stamps"]["a"] and again["a"] == ["t0"]
    click(page, "Move B")  # new content: one new file, only B rebuilt
    frame.wait_for_function(
        "() => { const p = document.querySelector('path.lm-b'); return !!p && !p.dataset.lmSeen; }",
        timeout=15_000,
    )
    moved = snapshot(frame)
    assert len(fetched()) == 4
    assert moved["lastBuilt"] == ["b"] and moved["a"] == ["t0"] and moved["c"] == [None]
    assert not guarded_page.errors and not guarded_page.external


_CLASSES = (
    "() => [...document.querySelectorAll('path')].map(p => p.getAttribute('class') || '')"
    ".filter(c => c.includes('lm-')).map(c => c.split(' ').filter(k => k.startsWith('lm-'))"
    ".join(' '))"
)


@pytest.mark.parametrize("app_server", [APP_FILE], indirect=True)
@pytest.mark.parametrize("served", ["0", "1"])
def test_a_hidden_class_takes_features_off_without_a_rebuild_and_puts_them_back_in_place(
    guarded_page: GuardedPage, app_server: str, served: str
) -> None:
    """``hide={"b": ["lm-x"]}``: B's ``lm-x`` line leaves the map and comes back in its place
    (under B's other line and under C), and no group is built either way."""
    page = guarded_page.page
    frame = open_page(guarded_page, f"{app_server}/?split=1&static={served}")
    assert frame.evaluate(_CLASSES) == ["lm-a", "lm-b lm-x", "lm-b", "lm-c"]
    before = snapshot(frame)
    frame.evaluate(_MARK, "t0")

    click(page, "Hide X")
    frame.wait_for_selector("path.lm-x", state="detached", timeout=15_000)
    hidden = snapshot(frame)
    assert hidden["marker"] == "kept", "the map frame was reloaded"
    assert hidden["lastBuilt"] == [] and hidden["builds"] == before["builds"]
    assert hidden["stamps"] == before["stamps"]
    assert hidden["a"] == ["t0"] and hidden["b"] == ["t0"] and hidden["c"] == ["t0"]
    assert frame.evaluate(_CLASSES) == ["lm-a", "lm-b", "lm-c"]

    click(page, "Hide X")
    frame.wait_for_selector("path.lm-x", state="attached", timeout=15_000)
    shown = snapshot(frame)
    assert shown["lastBuilt"] == [] and shown["builds"] == before["builds"]
    assert shown["stamps"] == before["stamps"] and shown["marker"] == "kept"
    # Leaflet draws a feature put back as a new path; B's other line was never redrawn
    assert shown["b"] == [None, "t0"] and shown["a"] == ["t0"] and shown["c"] == ["t0"]
    assert frame.evaluate(_CLASSES) == ["lm-a", "lm-b lm-x", "lm-b", "lm-c"]

    click(page, "Hide X")  # hidden again, then B rebuilt: the new B is drawn without it
    frame.wait_for_selector("path.lm-x", state="detached", timeout=15_000)
    click(page, "Move B")
    frame.wait_for_function(
        "() => { const p = document.querySelector('path.lm-b'); return !!p && !p.dataset.lmSeen; }",
        timeout=15_000,
    )
    assert snapshot(frame)["lastBuilt"] == ["b"]
    assert frame.evaluate(_CLASSES) == ["lm-a", "lm-b", "lm-c"]
    assert not guarded_page.errors and not guarded_page.external


@pytest.mark.parametrize("app_server", [APP_FILE], indirect=True)
@pytest.mark.parametrize("served", ["0", "1"])
def test_a_group_wanted_again_comes_back_without_a_build_and_with_its_hidden_features(
    guarded_page: GuardedPage, app_server: str, served: str
) -> None:
    """Move B, then move it back: the first B (same digest) returns as it was, nothing is built
    or fetched; a class hidden while it was away is off it when it returns, and a class shown
    again while it was away is back on it."""
    page = guarded_page.page
    frame = open_page(guarded_page, f"{app_server}/?split=1&static={served}&kept=0")

    def fetched() -> int:
        return len([u for u in guarded_page.requests if "/generated/layers/layer-" in u])

    first = snapshot(frame)
    frame.evaluate(_MARK, "t0")
    click(page, "Hide X")  # the first B loses its x line...
    frame.wait_for_selector("path.lm-x", state="detached", timeout=15_000)
    click(page, "Move B")
    frame.wait_for_function(
        "(s) => window.__faLayers && L.stamp(window.__faLayers.live.b.layer) !== s",
        arg=first["stamps"]["b"],
        timeout=15_000,
    )
    assert snapshot(frame)["lastBuilt"] == ["b"]
    click(page, "Hide X")  # ...and the x line is shown again while the moved B is drawn
    frame.wait_for_selector("path.lm-x", state="attached", timeout=15_000)
    moved, files = snapshot(frame), fetched()

    click(page, "Move B")  # back: the first B, with its x line put back
    frame.wait_for_function(
        "(s) => window.__faLayers && L.stamp(window.__faLayers.live.b.layer) === s",
        arg=first["stamps"]["b"],
        timeout=15_000,
    )
    back = snapshot(frame)
    assert back["lastBuilt"] == [] and back["builds"] == moved["builds"]
    assert back["marker"] == "kept" and fetched() == files
    assert frame.evaluate(_CLASSES) == ["lm-a", "lm-b lm-x", "lm-b", "lm-c"]
    # with none kept (kept=0), the moved B's build function and text are let go
    held = frame.evaluate(
        "() => Object.keys(window.__faLayers.defs).concat(Object.keys(window.__faLayers.texts))"
    )
    drawn = frame.evaluate("() => Object.values(window.__faLayers.live).map(g => g.digest)")
    assert set(held) <= set(drawn), held
    assert back["stamps"]["a"] == first["stamps"]["a"]
    assert back["stamps"]["c"] == first["stamps"]["c"]
    assert not guarded_page.errors and not guarded_page.external
