"""``python -m bench`` (``make bench``): the app against the naive baseline, same data, same run.

Prints one table (median of several runs per figure, the naive figure, the ratio, the budget and
PASS/MISS) and writes ``bench/results.json``.  Nothing here is asserted by the tests: budgets are
documented and checked here.  Options: ``--app PATH`` benchmarks another app file (e.g. a
candidate change), ``--runs N`` the repetitions, ``--out PATH`` the results file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from playwright.sync_api import sync_playwright

from bench.harness import (
    APP_BORDER_PATHS,
    BENCH_DIR,
    JS_HAS,
    NAIVE_BORDER_PATHS,
    BenchError,
    RunningApp,
    interact,
    launch,
    load,
    median,
    open_session,
    repo_path,
    servers,
    settle,
    start_app,
)

LAYER_LABEL = "Crossings"
STATUS_LABEL = "Disputed"
MB = 2**20


# --------------------------------------------------------------------------- server time


def server_times(path: Path, *, runs: int) -> dict[str, Any]:
    """Script run time in-process (AppTest): cold caches (first session) and warm reruns."""
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

    first = [fresh()[1] for _ in range(max(1, runs // 2))]
    at, ms = fresh()
    first.append(ms)
    toggles, dates = [], []
    day = dt.date.today()
    for i in range(runs):
        box = at.checkbox(key="fa_layer_crossings")
        box.set_value(not box.value)
        start = time.perf_counter()
        at.run()
        toggles.append((time.perf_counter() - start) * 1000)
        target = dt.date(2021, 4, 30) if i % 2 == 0 else day
        at.slider(key="fa_date_slider").set_value(target)
        start = time.perf_counter()
        at.run()
        dates.append((time.perf_counter() - start) * 1000)
    return {
        "server_first_ms": median(first),
        "server_warm_ms": median(toggles + dates),
        "server_warm_toggle_ms": median(toggles),
        "server_warm_date_ms": median(dates),
        "runs": {"first": first, "toggle": toggles, "date": dates},
    }


# --------------------------------------------------------------------------- browser


def memory(browser: Any, app: RunningApp, *, sessions: int = 10) -> dict[str, float]:
    """Server RSS with 1 and ``sessions`` concurrent pages (warm server)."""
    first = open_session(browser)
    load(first, app)
    rss1 = app.rss_mb()
    others = [open_session(browser) for _ in range(sessions - 1)]
    for s in others:
        s.page.goto(app.url, wait_until="commit", timeout=90_000)
    for s in others:
        s.page.wait_for_function(JS_HAS, arg=app.border_selector, polling=200, timeout=180_000)
        settle(s.page, timeout_ms=180_000, pause_s=0.2)
    time.sleep(1.0)
    rssn = app.rss_mb()
    for s in [first, *others]:
        s.close()
    return {
        "rss_1_mb": rss1,
        f"rss_{sessions}_mb": rssn,
        "rss_per_extra_session_mb": (rssn - rss1) / (sessions - 1),
    }


def browser_figures(browser: Any, app: RunningApp, *, runs: int) -> dict[str, Any]:
    """First paint, bytes and repaint times in headless chromium against a warm server."""
    paints: list[float] = []
    payloads: list[float] = []
    http: list[float] = []
    session = None
    for i in range(runs):
        session = open_session(browser)
        paint, sent = load(session, app)
        paints.append(paint)
        payloads.append(sent)
        http.append(sum(r.sizes()["responseBodySize"] for r in session.finished))
        if i < runs - 1:
            session.close()
    assert session is not None
    results: dict[str, list[Any]] = {"toggle": [], "status": [], "date": []}
    plan: list[tuple[str, str, str]] = []
    for i in range(runs):
        plan.append(("toggle", "checkbox", LAYER_LABEL))
        plan.append(("date", "date", "Home" if i % 2 == 0 else "End"))
        plan.append(("status", "checkbox", STATUS_LABEL))
    skip_status = False
    for kind, action, arg in plan:
        if kind == "status" and skip_status:
            continue
        timeout = 6_000 if kind == "status" else 20_000
        results[kind].append(interact(session, action, arg, timeout_ms=timeout))
        if kind == "status" and results[kind][-1].ms is None:
            skip_status = True  # no segment of that status on the map: nothing to repaint
            interact(session, action, arg, timeout_ms=1_000)  # put the checkbox back
    errors = list(session.errors)
    session.close()

    def figures(kind: str) -> dict[str, Any]:
        got = results[kind]
        ms = [r.ms for r in got if r.ms is not None]
        return {
            f"{kind}_ms": median(ms),
            f"{kind}_bytes": median([r.bytes for r in got if r.ms is not None]),
            f"{kind}_same_frame": all(r.same_frame for r in got if r.ms is not None)
            if ms
            else None,
            f"{kind}_measured": f"{len(ms)}/{len(got)}",
        }

    return {
        "first_paint_s": median(paints),
        "initial_ws_bytes": median(payloads),
        "initial_http_bytes": median(http),
        **figures("toggle"),
        **figures("date"),
        **figures("status"),
        "browser_errors": errors[:5],
        "runs": {"first_paint_s": paints, "initial_ws_bytes": payloads},
    }


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure, how to print it, and its budget."""

    key: str
    label: str
    fmt: Callable[[Any], str]
    budget: Callable[[Any, Any], bool | None] | None = None
    budget_text: str = ""


def _num(scale: float = 1.0, digits: int = 0, unit: str = "") -> Callable[[Any], str]:
    return lambda v: "n/a" if v is None else f"{v / scale:,.{digits}f}{unit}"


def _flag(v: Any) -> str:
    return "n/a" if v is None else ("yes" if v else "NO (reloaded)")


ROWS = (
    Row(
        "initial_ws_bytes",
        "initial payload (websocket)",
        _num(MB, 2, " MB"),
        lambda a, n: a is not None and a <= 1.5 * MB and n is not None and a <= 0.2 * n,
        "<= 1.5 MB and <= 0.2x naive",
    ),
    Row("initial_http_bytes", "initial HTTP (page+assets)", _num(MB, 2, " MB")),
    Row("server_first_ms", "server run, first session", _num(1, 0, " ms")),
    Row(
        "server_warm_ms",
        "server run, warm rerun",
        _num(1, 0, " ms"),
        lambda a, n: a is not None and a <= 100,
        "<= 100 ms",
    ),
    Row("server_warm_toggle_ms", "  of which: layer toggle", _num(1, 0, " ms")),
    Row("server_warm_date_ms", "  of which: date move", _num(1, 0, " ms")),
    Row(
        "first_paint_s",
        "first border paint",
        _num(1, 2, " s"),
        lambda a, n: a is not None and n is not None and a <= 0.35 * n,
        "<= 0.35x naive",
    ),
    Row(
        "toggle_ms",
        "layer toggle -> repaint",
        _num(1, 0, " ms"),
        lambda a, n: a is not None and a <= 300,
        "<= 300 ms",
    ),
    Row("toggle_bytes", "  bytes per layer toggle", _num(1024, 0, " KB")),
    Row(
        "toggle_same_frame",
        "  frame kept",
        _flag,
        lambda a, n: bool(a),
        "no reload",
    ),
    Row(
        "date_ms",
        "date move -> repaint",
        _num(1, 0, " ms"),
        lambda a, n: a is not None and a <= 300,
        "<= 300 ms",
    ),
    Row("date_bytes", "  bytes per date move", _num(1024, 0, " KB")),
    Row("date_same_frame", "  frame kept", _flag, lambda a, n: bool(a), "no reload"),
    Row(
        "status_ms",
        "status toggle -> repaint",
        _num(1, 0, " ms"),
        lambda a, n: None if a is None else a <= 300,
        "<= 300 ms",
    ),
    Row("status_bytes", "  bytes per status toggle", _num(1024, 0, " KB")),
    Row("rss_1_mb", "server RSS, 1 session", _num(1, 0, " MB")),
    Row("rss_10_mb", "server RSS, 10 sessions", _num(1, 0, " MB")),
    Row(
        "rss_per_extra_session_mb",
        "memory per extra session",
        _num(1, 1, " MB"),
        lambda a, n: a is not None and a <= 30,
        "<= 30 MB",
    ),
)


def table(app: dict[str, Any], naive: dict[str, Any], *, name: str) -> str:
    """The printed table: figure, app, naive, ratio, budget, verdict."""
    head = f"{'figure':<30} {name:>12} {'naive':>12} {'ratio':>7}  {'budget':<28} verdict"
    lines = [head, "-" * len(head)]
    for row in ROWS:
        a, n = app.get(row.key), naive.get(row.key)
        ratio = (
            f"{a / n:.2f}"
            if isinstance(a, int | float) and isinstance(n, int | float) and n and a is not True
            else ""
        )
        verdict = ""
        if row.budget is not None:
            ok = row.budget(a, n)
            verdict = "n/a" if ok is None else ("PASS" if ok else "MISS")
        lines.append(
            f"{row.label:<30} {row.fmt(a):>12} {row.fmt(n):>12} {ratio:>7}  "
            f"{row.budget_text:<28} {verdict}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def measure(path: Path, name: str, selector: str, *, runs: int, browser: Any, pool: Any) -> dict:
    """All browser figures of one app (its server started here)."""
    app = start_app(pool, name, path, border_selector=selector)
    print(f"[bench] {name}: memory with 1 and 10 sessions", flush=True)
    figures: dict[str, Any] = memory(browser, app)
    print(f"[bench] {name}: first paint, payload, repaints", flush=True)
    figures.update(browser_figures(browser, app, runs=runs))
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, write the results file."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--app", type=Path, default=repo_path("app.py"))
    parser.add_argument("--name", default=None, help="column name (default: the app file stem)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results.json")
    args = parser.parse_args(argv)
    args.app = args.app.resolve()
    name = args.name or args.app.stem
    naive_path = BENCH_DIR / "naive_app.py"
    started = time.perf_counter()
    results: dict[str, Any] = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cpus": psutil.cpu_count(),
            "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(),
        },
        "runs": args.runs,
        "apps": {name: str(args.app), "naive": str(naive_path)},
    }
    try:
        print(f"[bench] server run times (AppTest): {name}", flush=True)
        app_fig = server_times(args.app, runs=args.runs)
        print("[bench] server run times (AppTest): naive", flush=True)
        naive_fig = server_times(naive_path, runs=args.runs)
        with sync_playwright() as pw, servers() as pool:
            browser = launch(pw)
            try:
                app_fig.update(
                    measure(
                        args.app, name, APP_BORDER_PATHS, runs=args.runs, browser=browser, pool=pool
                    )
                )
                pool.stop_all()
                naive_fig.update(
                    measure(
                        naive_path,
                        "naive",
                        NAIVE_BORDER_PATHS,
                        runs=args.runs,
                        browser=browser,
                        pool=pool,
                    )
                )
            finally:
                browser.close()
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    results[name] = app_fig
    results["naive"] = naive_fig
    results["seconds"] = round(time.perf_counter() - started, 1)
    print()
    print(table(app_fig, naive_fig, name=name))
    print(
        f"\n(median of {args.runs} runs each; {results['seconds']} s in all; written to {args.out})"
    )
    args.out.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
