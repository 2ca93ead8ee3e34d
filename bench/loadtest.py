"""``python -m bench.loadtest`` (``make loadtest``): N concurrent headless sessions on one server.

Each session loads the page, toggles a layer twice and moves the date twice, timing the first
border paint and every repaint.  Reports p50/p95 first paint, p95 rerun (action -> repaint),
errors (must be 0: timeouts, Streamlit exceptions, page errors) and the server's RSS.  Loopback
only; bounded by ``--sessions`` (max 50) and ``--timeout`` (per step) so it always ends.

Then the same sessions run again next to one abusive session that keeps uploading the worst
overlay ``bench.abuse`` found (each upload a fresh copy, so no cache helps), and both runs are
reported side by side: the others' first paint and rerun p95 should stay within 1.5x.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, async_playwright
from playwright.async_api import Error as PlaywrightError

from bench.abuse import worst_overlay
from bench.harness import (
    APP_BORDER_PATHS,
    JS_CHANGED,
    JS_EXCEPTIONS,
    JS_HAS,
    JS_MARK_COUNT,
    JS_SAME_FRAME,
    VIEWPORT,
    BenchError,
    repo_path,
    servers,
    start_app,
)
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, STAPP_DONE

MAX_SESSIONS = 50
ACTIONS = (("checkbox", "Crossings"), ("date", "Home"), ("checkbox", "Crossings"), ("date", "End"))


@dataclass
class SessionResult:
    """What one simulated user saw."""

    first_paint_s: float | None = None
    reruns_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0..100) by linear interpolation; None when empty."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


async def _user(browser: Browser, url: str, *, timeout_ms: float) -> SessionResult:
    result = SessionResult()
    context = await browser.new_context(service_workers="block", viewport=VIEWPORT)
    page = await context.new_page()
    page.on("pageerror", lambda exc: result.errors.append(f"pageerror: {exc}"))
    try:
        start = time.perf_counter()
        await page.goto(url, wait_until="commit", timeout=timeout_ms)
        await page.wait_for_function(
            JS_HAS, arg=APP_BORDER_PATHS, polling="raf", timeout=timeout_ms
        )
        result.first_paint_s = time.perf_counter() - start
        await page.locator(STAPP_DONE).wait_for(timeout=timeout_ms)
        for action, arg in ACTIONS:
            await page.evaluate(JS_MARK_COUNT)
            start = time.perf_counter()
            if action == "checkbox":
                box = page.locator("[data-testid='stCheckbox']").filter(has_text=arg)
                await box.locator("label").first.click(timeout=timeout_ms)
            else:
                slider = page.locator("[data-testid='stSlider'] input[type=range]").first
                await slider.focus(timeout=timeout_ms)
                await slider.press(arg)
            # a layer switched off under the layer manager only removes paths: JS_CHANGED sees both
            await page.wait_for_function(JS_CHANGED, polling="raf", timeout=timeout_ms)
            result.reruns_ms.append((time.perf_counter() - start) * 1000)
            if not await page.evaluate(JS_SAME_FRAME):
                result.errors.append(f"{action} {arg}: the map frame was reloaded")
            await page.locator(STAPP_DONE).wait_for(timeout=timeout_ms)
        if await page.evaluate(JS_EXCEPTIONS):
            result.errors.append("the page shows a Streamlit exception")
    except PlaywrightError as exc:
        result.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        await context.close()
    return result


async def _abuser(
    browser: Browser,
    url: str,
    upload: tuple[str, bytes],
    *,
    timeout_ms: float,
    done: asyncio.Event,
    problems: list[str],
) -> int:
    """Upload fresh copies of the worst overlay until ``done``; returns how many went up."""
    name, raw = upload
    context = await browser.new_context(service_workers="block", viewport=VIEWPORT)
    page = await context.new_page()
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        try:
            await page.goto(url, wait_until="commit", timeout=timeout_ms)
            await page.locator(STAPP_DONE).wait_for(timeout=timeout_ms)
            while not done.is_set():
                path = Path(tmp) / f"{count}-{name}"
                path.write_bytes(raw[:-64] + f"{count:>64}".encode()[-64:])  # new content
                await page.locator("input[type=file]").first.set_input_files(str(path))
                count += 1
                await page.wait_for_timeout(500)
                await page.locator(STAPP_DONE).wait_for(timeout=timeout_ms)
        except PlaywrightError as exc:
            if not done.is_set():
                problems.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        finally:
            await context.close()
    return count


async def _run(
    url: str,
    *,
    sessions: int,
    timeout_ms: float,
    pid_rss: Any,
    abuse: tuple[str, bytes] | None = None,
) -> dict[str, Any]:
    async with async_playwright() as pw:
        if not CHROMIUM.is_file():
            raise BenchError(f"{CHROMIUM} not found: run `make chromium`")
        browser = await pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            await _user(browser, url, timeout_ms=timeout_ms)  # warm the server's caches
            rss_before = pid_rss()
            peak = [rss_before]

            async def sample() -> None:
                while True:
                    peak.append(pid_rss())
                    await asyncio.sleep(0.5)

            sampler = asyncio.create_task(sample())
            done = asyncio.Event()
            abuse_problems: list[str] = []
            abuser = (
                asyncio.create_task(
                    _abuser(
                        browser,
                        url,
                        abuse,
                        timeout_ms=timeout_ms,
                        done=done,
                        problems=abuse_problems,
                    )
                )
                if abuse
                else None
            )
            if abuser:
                await asyncio.sleep(3)  # the first upload is on its way when the users arrive
            started = time.perf_counter()
            results = await asyncio.gather(
                *(_user(browser, url, timeout_ms=timeout_ms) for _ in range(sessions))
            )
            wall = time.perf_counter() - started
            done.set()
            uploads = await abuser if abuser else 0
            sampler.cancel()
        finally:
            await browser.close()
    paints = [r.first_paint_s for r in results if r.first_paint_s is not None]
    reruns = [ms for r in results for ms in r.reruns_ms]
    errors = [e for r in results for e in r.errors]
    return {
        "sessions": sessions,
        "wall_s": round(wall, 1),
        "first_paint_p50_s": percentile(paints, 50),
        "first_paint_p95_s": percentile(paints, 95),
        "rerun_p50_ms": percentile(reruns, 50),
        "rerun_p95_ms": percentile(reruns, 95),
        "reruns_measured": len(reruns),
        "errors": len(errors),
        "error_samples": errors[:10],
        "rss_warm_mb": round(rss_before, 1),
        "rss_peak_mb": round(max(peak), 1),
        "abusive_uploads": uploads,
        "abuser_problems": abuse_problems[:3],
    }


def main(argv: list[str] | None = None) -> int:
    """Run the load test and print its summary; exit 1 when any session saw an error."""
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest", description=__doc__)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--app", type=Path, default=repo_path("app.py"))
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per step")
    parser.add_argument("--out", type=Path, default=None, help="also write the summary as JSON")
    parser.add_argument(
        "--no-abuse", action="store_true", help="skip the run with an abusive uploader"
    )
    args = parser.parse_args(argv)
    args.app = args.app.resolve()
    if not 1 <= args.sessions <= MAX_SESSIONS:
        parser.error(f"--sessions must be 1..{MAX_SESSIONS}")
    try:
        abuse = None if args.no_abuse else worst_overlay()
        with servers() as pool:
            app = start_app(pool, args.app.stem, args.app, border_selector=APP_BORDER_PATHS)
            summary = asyncio.run(
                _run(
                    app.url,
                    sessions=args.sessions,
                    timeout_ms=args.timeout * 1000,
                    pid_rss=app.rss_mb,
                )
            )
            abused = (
                asyncio.run(
                    _run(
                        app.url,
                        sessions=args.sessions,
                        timeout_ms=args.timeout * 1000,
                        pid_rss=app.rss_mb,
                        abuse=abuse,
                    )
                )
                if abuse
                else None
            )
    except BenchError as exc:
        print(f"loadtest failed: {exc}", file=sys.stderr)
        return 1

    def show(v: Any, unit: str) -> str:
        return "n/a" if v is None else f"{v:,.2f} {unit}" if unit == "s" else f"{v:,.0f} {unit}"

    print(f"load test: {summary['sessions']} concurrent sessions on {args.app.name}")
    print(f"  wall time            {summary['wall_s']} s")
    print(
        f"  first paint p50/p95  {show(summary['first_paint_p50_s'], 's')} / {show(summary['first_paint_p95_s'], 's')}"
    )
    print(
        f"  rerun p50/p95        {show(summary['rerun_p50_ms'], 'ms')} / {show(summary['rerun_p95_ms'], 'ms')} ({summary['reruns_measured']} reruns)"
    )
    print(f"  errors               {summary['errors']}")
    for line in summary["error_samples"]:
        print(f"    - {line}")
    print(f"  server RSS warm/peak {summary['rss_warm_mb']} / {summary['rss_peak_mb']} MB")
    if abused is not None and abuse is not None:
        print(
            f"with one abusive session uploading {abuse[0]} ({len(abuse[1]) / 2**20:.1f} MB) "
            f"{abused['abusive_uploads']} times:"
        )
        for label, key, unit in (
            ("first paint p95", "first_paint_p95_s", "s"),
            ("rerun p95", "rerun_p95_ms", "ms"),
        ):
            calm, hit = summary[key], abused[key]
            ratio = f"{hit / calm:.2f}x" if calm and hit else "n/a"
            print(f"  {label:<20} {show(calm, unit)} -> {show(hit, unit)} ({ratio}; aim <= 1.5x)")
        for line in abused["abuser_problems"]:
            print(f"  the abusive session stopped: {line}")
        print(f"  errors               {abused['errors']}")
        for line in abused["error_samples"]:
            print(f"    - {line}")
        print(f"  server RSS warm/peak {abused['rss_warm_mb']} / {abused['rss_peak_mb']} MB")
    if args.out:
        args.out.write_text(
            json.dumps({"calm": summary, "abused": abused}, indent=2), encoding="utf-8"
        )
    return 1 if summary["errors"] or (abused and abused["errors"]) else 0


if __name__ == "__main__":
    sys.exit(main())
