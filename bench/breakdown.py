"""Where a layer toggle's and a date move's time goes, app beside the bare page's toggle
(``make bench`` extra ``breakdown``).

For each page, after a warm-up, the ``Crossings`` checkbox is clicked ``runs`` times (for the
app's date move: the date slider goes to its first day and back; for its move to a new date:
one day back from today, each time) while Chromium traces the
renderer. Per toggle it records, in ms from the click: the browser's first
websocket message (the rerun request: what precedes it is the click itself and the frontend), the
first websocket message from the server (the rerun has started), the map's message (the largest frame: the
``st_folium`` element), the last message before the repaint, and the repaint itself (the probe of
``bench.harness.interact``, on Python's clock like the rest; ``repaint in the page`` is the
page's own figure, from the input event). The trace gives the renderer main thread's busy time by kind: React
(Streamlit's page: ``react-dom`` and Streamlit's own bundle), the map frame (streamlit-folium's
bundle, Leaflet, our layer scripts), style/layout/paint, and the rest. Medians are reported.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from playwright.sync_api import sync_playwright

from bench.harness import (
    APP_BORDER_PATHS,
    BARE_BORDER_PATHS,
    BENCH_DIR,
    JS_CHANGED,
    JS_DATE_DRAWN,
    JS_MARK_COUNT,
    click_checkbox,
    js_arm,
    launch,
    load,
    move_date,
    open_session,
    read_probes,
    repo_path,
    servers,
    settle,
    start_app,
)
from layers import REGISTRY

LABEL: Final = "Crossings"
CATEGORIES: Final = ("devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute")
RENDERING: Final = frozenset(
    {"Layout", "UpdateLayoutTree", "Paint", "PrePaint", "Layerize", "Commit", "UpdateLayer"}
)
SCRIPT_EVENTS: Final = frozenset({"FunctionCall", "EvaluateScript", "v8.compile", "TimerFire"})


def _map_frames(events: list[dict[str, Any]]) -> set[str]:
    """Ids of the map's iframe (streamlit-folium's component) as the trace names its frames."""
    ids = set()
    for event in events:
        data = event.get("args", {}).get("data", {})
        for frame in data.get("frames", []) if isinstance(data, dict) else []:
            if "streamlit_folium" in str(frame.get("url", "")):
                ids.add(str(frame.get("frame")))
        named = event.get("name") in ("CommitLoad", "FrameCommittedInBrowser")
        if named and "streamlit_folium" in str(data.get("url", "")) and data.get("frame"):
            ids.add(str(data["frame"]))
    return ids


def _kind(event: dict[str, Any], map_frames: set[str]) -> str | None:
    """The bucket of one top-level trace event on the renderer's main thread."""
    name = event["name"]
    if name in RENDERING:
        return "style, layout, paint"
    if name in SCRIPT_EVENTS:
        data = event.get("args", {}).get("data", {})
        if str(data.get("frame")) in map_frames or "streamlit_folium" in str(data.get("url")):
            return "map frame script"
        return "page script (Streamlit, React)"
    return None


def _busy(trace: Path) -> dict[str, float]:
    """Main-thread ms by kind (and all tasks) over a trace file."""
    events = json.loads(trace.read_text(encoding="utf-8"))
    events = events["traceEvents"] if isinstance(events, dict) else events
    main = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e.get("args", {}).get("name") == "CrRendererMain"
    }
    map_frames = _map_frames(events)
    out: dict[str, float] = {}
    for event in events:
        if (event.get("pid"), event.get("tid")) not in main or event.get("ph") != "X":
            continue
        ms = float(event.get("dur") or 0) / 1000
        if event["name"] == "RunTask":
            out["all tasks"] = out.get("all tasks", 0.0) + ms
        kind = _kind(event, map_frames)
        if kind:
            out[kind] = out.get(kind, 0.0) + ms
    return out


def _act(page: Any, action: str, n: int) -> None:
    """The ``n``-th action: a ``Crossings`` click, the date to its first day (even ``n``) or
    to today (odd ``n``), or (``new_date``) the date one day back, a date not drawn before."""
    if action == "date":
        move_date(page, "Home" if n % 2 == 0 else "End")
    elif action == "new_date":
        move_date(page, "ArrowLeft")
    else:
        click_checkbox(page, LABEL)


def breakdown_of(
    page_path: Path, selector: str, *, url_suffix: str, runs: int, action: str = "toggle"
) -> dict[str, Any]:
    """Median ms from the input to each step of ``runs`` actions on ``page_path`` (after two
    warm-up actions), and the main thread's busy time by kind."""
    with sync_playwright() as pw, servers() as pool, tempfile.TemporaryDirectory() as tmp:
        app = start_app(pool, page_path.stem, page_path, border_selector=selector)
        browser = launch(pw)
        try:
            session = open_session(browser)
            frames: list[tuple[float, int]] = []
            sent: list[float] = []

            def on_ws(ws: Any) -> None:
                ws.on("framereceived", lambda p: frames.append((time.perf_counter(), len(p))))
                ws.on("framesent", lambda _p: sent.append(time.perf_counter()))

            session.page.on("websocket", on_ws)
            load(session, app, url=app.url + url_suffix)
            for n in range(2):  # warm: both states of the checkbox (both dates) seen once
                _act(session.page, action, n)
                settle(session.page, pause_s=0.5)
            steps: dict[str, list[float]] = {}
            busy: list[dict[str, float]] = []
            for n in range(runs):
                trace = Path(tmp) / f"{action}-{n}.json"
                changed = JS_CHANGED if action == "toggle" else JS_DATE_DRAWN
                session.page.evaluate(JS_MARK_COUNT)
                session.page.evaluate(js_arm(changed))
                browser.start_tracing(page=session.page, path=str(trace), categories=CATEGORIES)
                frames.clear()
                sent.clear()
                start = time.perf_counter()
                _act(session.page, action, n)
                session.page.wait_for_function(changed, polling="raf", timeout=20_000)
                painted = time.perf_counter()
                browser.stop_tracing()
                repaint_ms = read_probes(session.page).repaint_ms
                if repaint_ms is not None:
                    steps.setdefault("repaint in the page", []).append(repaint_ms)
                before = [(t, size) for t, size in frames if t <= painted]
                if sent:
                    steps.setdefault("rerun request sent", []).append((sent[0] - start) * 1000)
                if before:
                    biggest = max(before, key=lambda f: f[1])
                    for name, at in (
                        ("first server message", before[0][0]),
                        ("map message", biggest[0]),
                        ("last message before repaint", before[-1][0]),
                    ):
                        steps.setdefault(name, []).append((at - start) * 1000)
                steps.setdefault("repaint", []).append((painted - start) * 1000)
                busy.append(_busy(trace))
                settle(session.page, pause_s=0.5)
        finally:
            browser.close()
    kinds = sorted({k for b in busy for k in b})
    return {
        "ms_from_click": {k: round(statistics.median(v)) for k, v in steps.items()},
        "main_thread_ms": {
            k: round(statistics.median([b.get(k, 0.0) for b in busy])) for k in kinds
        },
    }


def measure_breakdown(*, runs: int = 3) -> dict[str, Any]:
    """The toggle and date-move breakdown of the app (every layer on) and the bare page's
    toggle."""
    every_layer = "/?layers=" + ",".join(REGISTRY)
    app = repo_path("app.py")
    return {
        "app": breakdown_of(app, APP_BORDER_PATHS, url_suffix=every_layer, runs=runs),
        "app date move": breakdown_of(
            app, APP_BORDER_PATHS, url_suffix=every_layer, runs=runs, action="date"
        ),
        "app move to a new date": breakdown_of(
            app, APP_BORDER_PATHS, url_suffix=every_layer, runs=runs, action="new_date"
        ),
        "bare": breakdown_of(
            BENCH_DIR / "bare_app.py", BARE_BORDER_PATHS, url_suffix="", runs=runs
        ),
    }


if __name__ == "__main__":
    print(json.dumps(measure_breakdown(), indent=2))
