"""``python -m bench.ab A.py B.py [C.py ...]``: repaint times of pages measured interleaved.

On a machine whose load changes during a run, figures measured one page after the other drift
apart for reasons that have nothing to do with the pages.  This loads every page once (warm
server, one session each), then repeats the same action round-robin (``--action toggle``: the
``Crossings`` checkbox; ``date``: the date slider; ``status``: ``Disputed``), so each round
compares the pages under the same load.  Prints median and p95 per page and the ratio of each
page to the first.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.__main__ import ALL_LAYERS, LAYER_LABEL, STATUS_LABEL
from bench.harness import (
    APP_BORDER_PATHS,
    BARE_BORDER_PATHS,
    interact,
    launch,
    load,
    median,
    open_session,
    p95,
    servers,
    start_app,
)


def main(argv: list[str] | None = None) -> int:
    """Measure, print, optionally write JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__)
    parser.add_argument("apps", type=Path, nargs="+")
    parser.add_argument("--action", choices=("toggle", "date", "status"), default="toggle")
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    times: dict[str, list[float]] = {p.stem: [] for p in args.apps}
    built: dict[str, list[object]] = {p.stem: [] for p in args.apps}
    with sync_playwright() as pw, servers() as pool:
        browser = launch(pw)
        sessions = {}
        for path in args.apps:
            sel = BARE_BORDER_PATHS if path.stem == "bare_app" else APP_BORDER_PATHS
            app = start_app(pool, path.stem, path.resolve(), border_selector=sel)
            session = open_session(browser)
            load(session, app, url=f"{app.url}/?{ALL_LAYERS}")
            sessions[path.stem] = session
        for i in range(args.runs):
            for name, session in sessions.items():
                if args.action == "date":
                    got = interact(session, "date", "Home" if i % 2 == 0 else "End")
                else:
                    label = LAYER_LABEL if args.action == "toggle" else STATUS_LABEL
                    got = interact(session, "checkbox", label)
                if got.ms is not None:
                    times[name].append(got.ms)
                frame = next(f for f in session.page.frames if "streamlit_folium" in f.url)
                built[name].append(
                    frame.evaluate("() => window.__faLayers ? window.__faLayers.lastBuilt : 'all'")
                )
        for session in sessions.values():
            session.close()
        browser.close()
    first = median(times[args.apps[0].stem])
    print(f"{args.action} -> repaint, interleaved, {args.runs} rounds")
    for name, ms in times.items():
        med = median(ms)
        ratio = f"{med / first:.2f}x first" if med and first else ""
        print(f"  {name:<16} median {med or 0:8.0f} ms   p95 {p95(ms) or 0:8.0f} ms   {ratio}")
        print(f"  {'':<16} rebuilt: {built[name][:4]}")
    if args.out:
        args.out.write_text(json.dumps({"times": times, "built": built}, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
