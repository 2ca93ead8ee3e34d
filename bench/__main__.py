"""``python -m bench`` (``make bench``): the app beside the bare page and the naive baseline.

Three columns measured in one run, same server harness, same browser, a fresh browser context for
every page load: the app (``app.py``, or ``--app``), the BARE page (``bench/bare_app.py``: one
``st_folium`` map with one line and one checkbox, the floor of this architecture) and the NAIVE
baseline (``bench/naive_app.py``).  Prints every target with its figure (median and p95 of
``--runs``), its ratio to the bare page and to the naive baseline, PASS/MISS, and writes
``bench/results.json``; ``python -m bench.readme`` turns that file into README's performance
table.  Nothing here is asserted by the tests: budgets live here.

A fourth page, ``bench/controls_app.py`` (the bare page with the atlas's own sidebar controls), is
measured as a reference, not a target: each app's first paint, repaints and server run are also
given as a ratio to it (``versus_controls`` in the results), which splits what the app spends
above the bare page into Streamlit's price for those controls and the rest (ours).

Options: ``--app PATH`` (repeatable: one column per app), ``--runs N`` (default 5),
``--sessions N`` for the memory figure (default 10; 0 skips it), ``--no-naive``,
``--no-controls``, ``--out PATH``.
Measurements other modules provide are called when the module exists (see ``EXTRA``).

The first paint targets come from a last phase that loads every page in turn, full and embed,
``FIRST_PAINT_ROUNDS`` (or ``--runs``) times (``interleaved_first_paint``): each page's own loads,
taken one page after another, are kept as ``first_paint_sequential_*``.  Likewise the repaint
targets (toggle, date move, status toggle, move to a new date) come from ``REPAINT_ROUNDS`` rounds
of every page's actions in turn (``interleaved_repaints``; the naive page keeps its own run, whose
actions take seconds); each page's own run stays as ``repaints_sequential``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import json
import logging
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import psutil
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from bench.harness import (
    APP_BORDER_PATHS,
    BARE_BORDER_PATHS,
    BENCH_DIR,
    JS_HAS,
    MILESTONES,
    NAIVE_BORDER_PATHS,
    BenchError,
    Interaction,
    RunningApp,
    Session,
    interact,
    launch,
    load,
    median,
    move_date,
    open_session,
    p95,
    pan,
    repo_path,
    servers,
    settle,
    start_app,
)
from layers import REGISTRY

REFERENCES = frozenset({"bare", "naive", "controls"})
"""Pages measured for comparison only: no targets of their own."""
LAYER_LABEL = "Crossings"
STATUS_LABEL = "Disputed"
MB = 2**20
ALL_LAYERS = "layers=" + ",".join(REGISTRY)
"""The app is measured with every layer on (the issue's condition); other pages ignore it."""
FIRST_PAINT_ROUNDS: Final = 8
"""Loads of each page (full and embed) for the first paint targets, taken in turn: with 5 loads
of one page after another the ratio moved by ±0.3 from run to run (bench/README.md)."""
REPAINT_ROUNDS: Final = 20
"""Rounds of each page's actions for the repaint targets, taken in turn: measured one page after
another, the bare toggle's median moved between 60 and 168 ms from run to run (bench/README.md).
20, not 12: of 12 values the p95 is nearly the largest, and the one cold first move of a server
just started (183 ms in two runs, the others 68-100 ms) decided it; its figure has its own row."""

EXTRA: tuple[tuple[str, str, str], ...] = (
    ("pack", "bench.pack", "measure_pack"),
    ("worst_overlay", "bench.abuse", "measure_worst_overlay"),
    ("context", "bench.context", "measure_context"),
    ("toggle_breakdown", "bench.breakdown", "measure_breakdown"),
)
"""Measurements other modules provide: (name, module, function() -> dict), run when present."""


@dataclass(frozen=True)
class Page:
    """One column: an app file, the selector of its first border path, its URL query."""

    name: str
    path: Path
    selector: str
    query: str = ""

    def url(self, app: RunningApp) -> str:
        """This page's address on ``app``'s server, with its query."""
        return f"{app.url}/?{self.query}" if self.query else app.url


# --------------------------------------------------------------------------- server time


def server_times(path: Path, *, runs: int) -> dict[str, Any]:
    """Script run time in-process (AppTest): cold caches (first session) and warm reruns.

    Warm reruns (after the rerun a browser's first view report starts) toggle the
    ``fa_layer_crossings`` checkbox and, where the page has one, move the ``fa_date_slider``.
    Each is timed on the wall clock and in CPU time (the process's, all threads): a run that
    sends the map new groups idles ``ui.map_seam.HEAD_START_S`` on purpose (after the first two
    moves, ``RECALL_HEAD_START_S``: the two dates' groups are ones the frame keeps built), so
    the wall time of such a run is not all work. Last, the slider moves to dates no run has
    drawn (a new date builds every dated group and the date's panels): ``server_new_date_ms``.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    for noisy in ("streamlit", "streamlit.runtime"):  # "No runtime found" on every cache call
        logging.getLogger(noisy).setLevel(logging.ERROR)

    def fresh() -> tuple[AppTest, float]:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(path), default_timeout=180)
        start = time.perf_counter()
        at.run()
        if at.exception:
            raise BenchError(f"{path.name} raised: {at.exception[0].message}")
        return at, (time.perf_counter() - start) * 1000

    first = [fresh()[1] for _ in range(max(1, runs // 2 - 1))]
    at, ms = fresh()
    first.append(ms)
    at.run()  # the rerun the map's first view report starts in a browser (the panels come with it)
    has_slider = any(s.key == "fa_date_slider" for s in at.slider)
    toggles: list[float] = []
    dates: list[float] = []
    cpu: list[float] = []

    def timed_run(cpu_ms: list[float]) -> float:
        """One run's wall time, ms; its CPU time goes to ``cpu_ms``."""
        start, start_cpu = time.perf_counter(), time.process_time()
        at.run()
        cpu_ms.append((time.process_time() - start_cpu) * 1000)
        return (time.perf_counter() - start) * 1000

    day = dt.date.today()
    for i in range(runs):
        box = at.checkbox(key="fa_layer_crossings")
        box.set_value(not box.value)
        toggles.append(timed_run(cpu))
        if has_slider:
            target = dt.date(2021, 4, 30) if i % 2 == 0 else day
            at.slider(key="fa_date_slider").set_value(target)
            dates.append(timed_run(cpu))
    new_dates: list[float] = []
    new_cpu: list[float] = []
    for i in range(runs if has_slider else 0):
        at.slider(key="fa_date_slider").set_value(dt.date(2022, 1, 3) + dt.timedelta(days=41 * i))
        new_dates.append(timed_run(new_cpu))
    return {
        "server_first_ms": median(first),
        "server_warm_ms": median(toggles + dates),
        "server_warm_cpu_ms": median(cpu),
        "server_warm_toggle_ms": median(toggles),
        "server_warm_date_ms": median(dates),
        "server_new_date_ms": median(new_dates) if new_dates else None,
        "server_new_date_cpu_ms": median(new_cpu) if new_cpu else None,
        "runs": {
            "server_first": first,
            "server_toggle": toggles,
            "server_date": dates,
            "server_warm_cpu": cpu,
            "server_new_date": new_dates,
            "server_new_date_cpu": new_cpu,
        },
    }


# --------------------------------------------------------------------------- browser


def memory(browser: Any, app: RunningApp, url: str, *, sessions: int) -> dict[str, float]:
    """Server RSS with 1 and ``sessions`` concurrent pages (warm server)."""
    first = open_session(browser)
    load(first, app, url=url)
    rss1 = app.rss_mb()
    others = [open_session(browser) for _ in range(sessions - 1)]
    for s in others:
        s.page.goto(url, wait_until="commit", timeout=90_000)
    for s in others:
        s.page.wait_for_function(JS_HAS, arg=app.border_selector, polling=200, timeout=180_000)
        settle(s.page, timeout_ms=180_000, pause_s=0.2)
    time.sleep(1.0)
    rssn = app.rss_mb()
    for s in [first, *others]:
        s.close()
    return {
        "rss_1_mb": rss1,
        "rss_n_mb": rssn,
        "rss_sessions": sessions,
        "rss_per_extra_session_mb": (rssn - rss1) / (sessions - 1),
    }


def _has(session: Session, kind: str) -> bool:
    """Does the page offer the control a kind of interaction needs?"""
    page = session.page
    if kind == "date":
        return page.locator("[data-testid='stSlider'] input[type=range]").count() > 0
    label = LAYER_LABEL if kind == "toggle" else STATUS_LABEL
    return page.locator("[data-testid='stCheckbox']").filter(has_text=label).count() > 0


def act(session: Session, kind: str, i: int) -> Interaction:
    """The ``i``-th action of a kind, timed: ``toggle`` (the layer checkbox), ``status`` (the
    status checkbox), ``date`` (the slider to its first day on even ``i``, to today on odd) or
    ``new_date`` (one day back)."""
    if kind in ("date", "new_date"):
        key = "ArrowLeft" if kind == "new_date" else ("Home" if i % 2 == 0 else "End")
        return interact(session, "date", key)
    label = LAYER_LABEL if kind == "toggle" else STATUS_LABEL
    timeout = 6_000 if kind == "status" else 20_000
    return interact(session, "checkbox", label, timeout_ms=timeout)


def _rotated(pages: list[Page], r: int) -> list[Page]:
    """``pages`` starting from the ``r``-th (round ``r`` of an interleaved phase)."""
    return pages[r % len(pages) :] + pages[: r % len(pages)]


def _stats(prefix: str, values: list[float]) -> dict[str, Any]:
    return {f"{prefix}": median(values), f"{prefix}_p95": p95(values)}


def browser_figures(browser: Any, app: RunningApp, page: Page, *, runs: int) -> dict[str, Any]:
    """First paint (full page and embed), bytes, repaints and pans against a warm server."""
    url = page.url(app)
    embed = f"{url}{'&' if page.query else '/?'}mode=embed"
    paints, embeds, payloads, http, returned = [], [], [], [], []
    steps: dict[str, list[float]] = {}
    session: Session | None
    for _ in range(runs):
        session = open_session(browser)
        paint, _ = load(session, app, url=embed, settle_s=0.2)
        embeds.append(paint)
        session.close()
    session = None
    for i in range(runs):
        session = open_session(browser)
        paint, sent = load(session, app, url=url)
        paints.append(paint)
        returned.append(session.paint_returned_s)
        payloads.append(sent)
        for step, at in session.milestones.items():
            steps.setdefault(step, []).append(at)
        http.append(sum(r.sizes()["responseBodySize"] for r in session.finished))
        if i < runs - 1:
            session.close()
    assert session is not None
    kinds = [k for k in ("toggle", "date", "status") if _has(session, k)]
    results: dict[str, list[Any]] = {k: [] for k in kinds}
    for i in range(runs):
        for kind in kinds:
            results[kind].append(act(session, kind, i))
    if "date" in kinds:  # a day back at a time from today: dates no run has drawn before
        move_date(session.page, "End")
        settle(session.page, pause_s=0.5)
        results["new_date"] = [act(session, "new_date", i) for i in range(runs)]
    pans = [pan(session, dx=160 if i % 2 == 0 else -160) for i in range(runs)]
    errors = list(session.errors)
    session.close()

    out: dict[str, Any] = {
        **_stats("first_paint_s", paints),
        **_stats("first_paint_embed_s", embeds),
        **_stats("first_paint_returned_s", [r for r in returned if r is not None]),
        "initial_ws_bytes": median(payloads),
        "initial_http_bytes": median(http),
        "pan_bytes": median([p.bytes for p in pans]),
        "pan_script_ms": median([p.script_ms for p in pans]),
        "pan_rebuilds": any(p.rebuilt for p in pans),
        "first_paint_steps_s": {k: median(v) for k, v in steps.items()},
        "browser_errors": errors[:5],
        "runs": {
            "first_paint_s": paints,
            "first_paint_embed_s": embeds,
            "initial_ws_bytes": payloads,
            "pan_bytes": [p.bytes for p in pans],
            "pan_script_ms": [p.script_ms for p in pans],
        },
    }
    for kind, got in results.items():
        figures, ms = repaint_figures(kind, got)
        out.update(figures)
        out["runs"][f"{kind}_ms"] = ms
    return out


def repaint_figures(kind: str, got: list[Interaction]) -> tuple[dict[str, Any], list[float]]:
    """One kind of action's figures (``{kind}_ms`` median and p95, the first action's, returned,
    bytes, frame and view kept, how many repainted; for a date move, when the page showed the
    date) and its repaint times."""
    ms = [r.ms for r in got if r.ms is not None]
    done = [r for r in got if r.ms is not None]
    paged = [r.page_ms for r in done if r.page_ms is not None]
    out = {
        **_stats(f"{kind}_ms", ms),
        f"{kind}_first_ms": got[0].ms if got else None,
        **(_stats(f"{kind}_page_ms", paged) if paged else {}),
        **_stats(f"{kind}_returned_ms", [r.returned_ms for r in done if r.returned_ms]),
        f"{kind}_bytes": median([r.bytes for r in done]),
        f"{kind}_same_frame": all(r.same_frame for r in done) if done else None,
        f"{kind}_same_view": all(r.same_view for r in done) if done else None,
        f"{kind}_measured": f"{len(ms)}/{len(got)}",
    }
    return out, ms


def measure(page: Page, *, runs: int, sessions: int, browser: Any, pool: Any) -> dict[str, Any]:
    """All browser figures of one page (its server started here, stopped by the caller)."""
    app = start_app(pool, page.name, page.path, border_selector=page.selector)
    url = page.url(app)
    figures: dict[str, Any] = {}
    if sessions > 1:
        print(f"[bench] {page.name}: memory with 1 and {sessions} sessions", flush=True)
        try:
            figures.update(memory(browser, app, url, sessions=sessions))
        except PlaywrightError as exc:  # too slow a machine for N concurrent pages: no figure
            figures["memory_error"] = str(exc).splitlines()[0]
            print(f"[bench] {page.name}: memory not measured: {figures['memory_error']}")
    else:  # warm the server (caches, first import) so the first paint is not a cold start
        warm = open_session(browser)
        load(warm, app, url=url)
        warm.close()
    print(f"[bench] {page.name}: first paint, payload, repaints, pans", flush=True)
    figures.update(browser_figures(browser, app, page, runs=runs))
    return figures


def interleaved_first_paint(
    browser: Any, pool: Any, pages: list[Page], *, rounds: int
) -> dict[str, dict[str, Any]]:
    """First paint of every page, full and embed, with one load of each in turn per round
    (the order rotates each round), so that every page meets the same machine load; the first
    paint figures of the targets.  Each server is warmed first (caches, imports)."""
    running = {p.name: start_app(pool, p.name, p.path, border_selector=p.selector) for p in pages}
    urls: dict[str, tuple[str, str]] = {}
    for p in pages:
        url = p.url(running[p.name])
        urls[p.name] = (url, f"{url}{'&' if p.query else '/?'}mode=embed")
        warm = open_session(browser)
        load(warm, running[p.name], url=url)
        warm.close()
    full: dict[str, list[float]] = {p.name: [] for p in pages}
    embed: dict[str, list[float]] = {p.name: [] for p in pages}
    steps: dict[str, dict[str, list[float]]] = {p.name: {} for p in pages}
    for r in range(rounds):
        for p in _rotated(pages, r):
            for mode, url in zip(("full", "embed"), urls[p.name], strict=True):
                session = open_session(browser)
                paint, _ = load(session, running[p.name], url=url, settle_s=0.5)
                if mode == "full":
                    full[p.name].append(paint)
                    for step, at in session.milestones.items():
                        steps[p.name].setdefault(step, []).append(at)
                else:
                    embed[p.name].append(paint)
                session.close()
    return {
        p.name: {
            **_stats("first_paint_s", full[p.name]),
            **_stats("first_paint_embed_s", embed[p.name]),
            "first_paint_steps_s": {k: median(v) for k, v in steps[p.name].items()},
            "first_paint_loads": rounds,
        }
        for p in pages
    }


def interleaved_repaints(
    browser: Any, pool: Any, pages: list[Page], *, rounds: int
) -> dict[str, dict[str, Any]]:
    """Every page's repaints, one action of each kind in turn per round (the order of the pages
    rotates each round), so that every page meets the same machine load: the repaint figures of
    the targets.  Each page keeps one session for all rounds.  First the layer toggles, date
    moves (first day and today, in turn) and status toggles; then the moves to new dates (a day
    back from today each time: dates no run has drawn), with the bare page's toggle in turn
    with them (its toggles of both phases make its figure)."""
    running = {p.name: start_app(pool, p.name, p.path, border_selector=p.selector) for p in pages}
    sessions: dict[str, Session] = {}
    kinds: dict[str, list[str]] = {}
    got: dict[str, dict[str, list[Interaction]]] = {p.name: {} for p in pages}
    try:
        for p in pages:
            url = p.url(running[p.name])
            sessions[p.name] = open_session(browser)
            load(sessions[p.name], running[p.name], url=url)
            kinds[p.name] = [k for k in ("toggle", "date", "status") if _has(sessions[p.name], k)]

        def turn(name: str, kind: str, r: int) -> None:
            got[name].setdefault(kind, []).append(act(sessions[name], kind, r))

        for r in range(rounds):
            for p in _rotated(pages, r):
                for kind in kinds[p.name]:
                    turn(p.name, kind, r)
        for p in pages:
            if "date" in kinds[p.name]:
                move_date(sessions[p.name].page, "End")
                settle(sessions[p.name].page, pause_s=0.5)
        for r in range(rounds):
            for p in _rotated(pages, r):
                if "date" in kinds[p.name]:
                    turn(p.name, "new_date", r)
                elif "toggle" in kinds[p.name]:
                    turn(p.name, "toggle", r)
    finally:
        for session in sessions.values():
            session.close()
    out: dict[str, dict[str, Any]] = {}
    for p in pages:
        out[p.name] = {"repaint_rounds": rounds, "runs": {}}
        for kind, actions in got[p.name].items():
            figures, ms = repaint_figures(kind, actions)
            out[p.name].update(figures)
            out[p.name]["runs"][f"{kind}_ms"] = ms
    return out


REPAINT_KINDS: Final = ("toggle", "date", "status", "new_date")
"""The actions the interleaved rounds measure again; each page's own run of them, taken one page
after another, stays in its figures under ``repaints_sequential``."""


FIRST_PAINT_KEYS: Final = (
    "first_paint_s",
    "first_paint_s_p95",
    "first_paint_embed_s",
    "first_paint_embed_s_p95",
    "first_paint_steps_s",
)
"""The figures the interleaved loads replace; each page's own loads stay as ``..._sequential``."""


def extra_measurements() -> dict[str, Any]:
    """Call the measurements other modules provide (``EXTRA``), when their module exists."""
    out: dict[str, Any] = {}
    for name, module, function in EXTRA:
        if importlib.util.find_spec(module) is None:
            continue
        print(f"[bench] extra: {module}.{function}()", flush=True)
        try:
            out[name] = dict(getattr(importlib.import_module(module), function)())
        except Exception as exc:  # another module's failure is reported, not fatal
            out[name] = {"error": f"{type(exc).__name__}: {exc}"}
    return out


# --------------------------------------------------------------------------- targets


Check = Callable[[Any, Any, Any], bool | None]


@dataclass(frozen=True)
class Row:
    """One target line: a figure, how to print it, the bare figure it is compared with, a check.

    ``check(app, bare, naive)`` returns True (PASS), False (MISS) or None (not measurable).
    """

    key: str
    label: str
    fmt: Callable[[Any], str]
    check: Check | None = None
    target: str = ""
    bare_key: str | None = None


def _num(scale: float = 1.0, digits: int = 0, unit: str = "") -> Callable[[Any], str]:
    return lambda v: "n/a" if v is None else f"{v / scale:,.{digits}f}{unit}"


def _text(v: Any) -> str:
    return "–" if v is None else str(v)


def _yes(v: Any) -> str:
    return "n/a" if v is None else ("yes" if v else "NO")


def _within(factor: float) -> Check:
    def check(a: Any, b: Any, _n: Any) -> bool | None:
        if a is None or b is None:
            return None
        return bool(a <= factor * b)

    return check


def _true(a: Any, _b: Any, _n: Any) -> bool | None:
    return None if a is None else bool(a)


def _false(a: Any, _b: Any, _n: Any) -> bool | None:
    return None if a is None else not a


def _at_most(limit: float) -> Check:
    return lambda a, _b, _n: None if a is None else bool(a <= limit)


def _repaint_rows(kind: str, label: str) -> tuple[Row, ...]:
    return (
        Row(f"{kind}_ms", f"{label} -> repaint", _num(1, 0, " ms"), _within(1.3), "<= 1.3x bare",
            "toggle_ms"),
        Row(f"{kind}_ms_p95", "  p95", _num(1, 0, " ms"), _within(1.3), "<= 1.3x bare p95",
            "toggle_ms_p95"),
        Row(f"{kind}_first_ms", "  the first of the rounds", _num(1, 0, " ms"),
            bare_key="toggle_first_ms"),
        Row(f"{kind}_returned_ms", "  Playwright's wait returned", _num(1, 0, " ms"),
            bare_key="toggle_returned_ms"),
        *((Row(f"{kind}_page_ms", "  the page shows the date", _num(1, 0, " ms")),
           Row(f"{kind}_page_ms_p95", "    p95", _num(1, 0, " ms")))
          if kind in ("date", "new_date") else ()),
        Row(f"{kind}_bytes", "  bytes sent", _num(1024, 0, " KB"), bare_key="toggle_bytes"),
        Row(f"{kind}_measured", "  actions that repainted", _text, bare_key="toggle_measured"),
        Row(f"{kind}_same_frame", "  frame kept", _yes, _true, "yes"),
        Row(f"{kind}_same_view", "  view kept", _yes, _true, "yes"),
    )  # fmt: skip


ROWS: tuple[Row, ...] = (
    Row("first_paint_s", "first border paint", _num(1, 2, " s"), _within(1.3), "<= 1.3x bare",
        "first_paint_s"),
    Row("first_paint_s_p95", "  p95", _num(1, 2, " s"), _within(1.3), "<= 1.3x bare p95",
        "first_paint_s_p95"),
    Row("first_paint_returned_s", "  Playwright's wait returned", _num(1, 2, " s"),
        bare_key="first_paint_returned_s"),
    Row("first_paint_embed_s", "first border paint, embed", _num(1, 2, " s"), _within(1.3),
        "<= 1.3x bare", "first_paint_embed_s"),
    Row("first_paint_embed_s_p95", "  p95", _num(1, 2, " s"), _within(1.3), "<= 1.3x bare p95",
        "first_paint_embed_s_p95"),
    *_repaint_rows("toggle", "layer toggle"),
    *_repaint_rows("date", "date move"),
    *_repaint_rows("new_date", "date move to a new date"),
    *_repaint_rows("status", "status toggle"),
    Row("pan_rebuilds", "pan re-evaluates layers", _yes, _false, "no", "pan_rebuilds"),
    Row("pan_bytes", "  bytes per pan", _num(1024, 0, " KB"), bare_key="pan_bytes"),
    Row("pan_script_ms", "  script time per pan", _num(1, 0, " ms"), bare_key="pan_script_ms"),
    Row("initial_ws_bytes", "initial payload (websocket)", _num(MB, 2, " MB"),
        lambda a, _b, n: None if a is None or n is None else bool(a <= 1.5 * MB and a <= 0.2 * n),
        "<= 1.5 MB, <= 0.2x naive", "initial_ws_bytes"),
    Row("initial_http_bytes", "initial HTTP (page+assets)", _num(MB, 2, " MB"),
        bare_key="initial_http_bytes"),
    Row("server_first_ms", "server run, first session", _num(1, 0, " ms"),
        bare_key="server_first_ms"),
    Row("server_warm_ms", "server run, warm rerun", _num(1, 0, " ms"), _at_most(100), "<= 100 ms",
        "server_warm_ms"),
    Row("server_warm_cpu_ms", "  CPU time of a warm rerun", _num(1, 0, " ms"), _at_most(100),
        "<= 100 ms", "server_warm_cpu_ms"),
    Row("server_new_date_ms", "server run, a date not drawn before", _num(1, 0, " ms")),
    Row("server_new_date_cpu_ms", "  CPU time", _num(1, 0, " ms")),
    Row("rss_per_extra_session_mb", "memory per extra session", _num(1, 1, " MB"), _at_most(30),
        "<= 30 MB", "rss_per_extra_session_mb"),
)  # fmt: skip


def _ratio(a: Any, b: Any) -> float | None:
    ok = isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool)
    return round(a / b, 2) if ok and b and not isinstance(b, bool) else None


def targets(app: dict[str, Any], bare: dict[str, Any], naive: dict[str, Any]) -> list[dict]:
    """Every row evaluated: figures, ratios to the bare page and the naive baseline, verdict."""
    out = []
    for row in ROWS:
        a = app.get(row.key)
        b = bare.get(row.bare_key) if row.bare_key else None
        n = naive.get(row.key)
        verdict = None
        if row.check is not None:
            ok = row.check(a, b, n)
            verdict = "n/a" if ok is None else ("PASS" if ok else "MISS")
        out.append(
            {
                "key": row.key,
                "label": row.label,
                "app": a,
                "bare": b,
                "naive": n,
                "shown": [row.fmt(a), row.fmt(b) if row.bare_key else "", row.fmt(n)],
                "x_bare": _ratio(a, b),
                "x_naive": _ratio(a, n),
                "target": row.target,
                "verdict": verdict,
            }
        )
    return out


VERSUS_CONTROLS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("first_paint_s", "first border paint", _num(1, 2, " s")),
    ("toggle_ms", "layer toggle -> repaint", _num(1, 0, " ms")),
    ("date_ms", "date move -> repaint", _num(1, 0, " ms")),
    ("new_date_ms", "date move to a new date", _num(1, 0, " ms")),
    ("status_ms", "status toggle -> repaint", _num(1, 0, " ms")),
    ("server_warm_ms", "server run, warm rerun", _num(1, 0, " ms")),
)
"""The figures compared with the bare page that has the atlas's controls (a reference page)."""


def versus_controls(app: dict[str, Any], controls: dict[str, Any]) -> list[dict[str, Any]]:
    """Each ``VERSUS_CONTROLS`` figure: the app's, the controls page's, and their ratio."""
    return [
        {
            "key": key,
            "label": label,
            "shown": [fmt(app.get(key)), fmt(controls.get(key))],
            "x_controls": _ratio(app.get(key), controls.get(key)),
        }
        for key, label, fmt in VERSUS_CONTROLS
    ]


def table(rows: list[dict[str, Any]], *, name: str) -> str:
    """The printed table: figure, app, bare, naive, x bare, x naive, target, verdict."""
    head = (
        f"{'figure':<28} {name:>10} {'bare':>10} {'naive':>10} {'x bare':>7} {'x naive':>7}  "
        f"{'target':<25} verdict"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        xb = "" if r["x_bare"] is None else f"{r['x_bare']:.2f}"
        xn = "" if r["x_naive"] is None else f"{r['x_naive']:.2f}"
        a, b, n = r["shown"]
        lines.append(
            f"{r['label']:<28} {a:>10} {b:>10} {n:>10} {xb:>7} {xn:>7}  {r['target']:<25} "
            f"{r['verdict'] or ''}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the tables, write the results file."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--app", type=Path, action="append", default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--no-controls", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results.json")
    args = parser.parse_args(argv)
    apps = [p.resolve() for p in (args.app or [repo_path("app.py")])]
    pages = [Page(p.stem, p, APP_BORDER_PATHS, ALL_LAYERS) for p in apps]
    pages.append(Page("bare", BENCH_DIR / "bare_app.py", BARE_BORDER_PATHS))
    if not args.no_controls:
        pages.append(Page("controls", BENCH_DIR / "controls_app.py", APP_BORDER_PATHS, ALL_LAYERS))
    if not args.no_naive:
        pages.append(Page("naive", BENCH_DIR / "naive_app.py", NAIVE_BORDER_PATHS))
    started = time.perf_counter()
    results: dict[str, Any] = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cpus": psutil.cpu_count(),
            "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(),
            "load_avg_1min": round(psutil.getloadavg()[0], 1),
        },
        "runs": args.runs,
        "apps": {p.name: str(p.path) for p in pages},
        "figures": {},
    }
    try:
        for p in pages:
            print(f"[bench] server run times (AppTest): {p.name}", flush=True)
            results["figures"][p.name] = server_times(p.path, runs=args.runs)
        with sync_playwright() as pw, servers() as pool:
            browser = launch(pw)
            try:
                for p in pages:
                    results["figures"][p.name].update(
                        measure(
                            p, runs=args.runs, sessions=args.sessions, browser=browser, pool=pool
                        )
                    )
                    pool.stop_all()
                rounds = max(args.runs, FIRST_PAINT_ROUNDS)
                print(f"[bench] first paint, every page in turn, {rounds} rounds", flush=True)
                for name, got in interleaved_first_paint(
                    browser, pool, pages, rounds=rounds
                ).items():
                    fig = results["figures"][name]
                    for key in FIRST_PAINT_KEYS:
                        fig[key.replace("first_paint", "first_paint_sequential", 1)] = fig[key]
                    fig.update(got)
                pool.stop_all()
                rounds = max(args.runs, REPAINT_ROUNDS)
                print(f"[bench] repaints, every page in turn, {rounds} rounds", flush=True)
                timed = [p for p in pages if p.name != "naive"]  # its actions take seconds
                for name, got in interleaved_repaints(browser, pool, timed, rounds=rounds).items():
                    fig = results["figures"][name]
                    fig["repaints_sequential"] = {
                        key: fig.pop(key)
                        for key in list(fig)
                        if key != "repaints_sequential"
                        and any(key.startswith(f"{kind}_") for kind in REPAINT_KINDS)
                    }
                    fig["runs"].update(got.pop("runs"))
                    fig.update(got)
                pool.stop_all()
            finally:
                browser.close()
    except (BenchError, PlaywrightError) as exc:
        print(f"bench failed: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    results["extra"] = extra_measurements()
    figures = results["figures"]
    results["targets"] = {
        p.name: targets(figures[p.name], figures["bare"], figures.get("naive", {}))
        for p in pages
        if p.name not in REFERENCES
    }
    if "controls" in figures:
        results["versus_controls"] = {
            name: versus_controls(figures[name], figures["controls"]) for name in results["targets"]
        }
    results["seconds"] = round(time.perf_counter() - started, 1)
    for name, rows in results["targets"].items():
        print()
        print(table(rows, name=name))
    for name, rows in results.get("versus_controls", {}).items():
        print(f"\n{name} against the bare page with the atlas's controls (bench/controls_app.py):")
        for r in rows:
            x = "" if r["x_controls"] is None else f"{r['x_controls']:.2f}"
            print(f"  {r['label']:<28} {r['shown'][0]:>10} {r['shown'][1]:>10} {x:>7}")
    print("\nfirst load, seconds from navigation to each step (median):")
    names = [p.name for p in pages]
    width = max(10, *(len(n) + 2 for n in names))
    print(f"  {'step':<18}" + "".join(f"{n:>{width}}" for n in names))
    for step in [m for m, _ in MILESTONES] + ["border_path"]:
        cells = []
        for n in names:
            fig = figures[n]
            v = (
                fig["first_paint_s"]
                if step == "border_path"
                else fig["first_paint_steps_s"].get(step)
            )
            cells.append("n/a" if v is None else f"{v:.2f}")
        print(f"  {step:<18}" + "".join(f"{c:>{width}}" for c in cells))
    for name, got in results["extra"].items():
        print(f"\n{name}: " + ", ".join(f"{k}={v}" for k, v in got.items()))
    print(
        f"\n(median and p95 of {args.runs} runs, fresh browser context per page load; "
        f"{results['seconds']} s in all; written to {args.out}; "
        "`python -m bench.readme` updates README.md)"
    )
    args.out.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
