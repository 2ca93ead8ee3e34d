"""Take the README's screenshots of the running app: ``python tools/screenshots.py [--out DIR]``.

Starts ``streamlit run app.py`` on a free local port, opens each view in Debian's headless
chromium (the browser tests' setup), waits until the map and its labels are drawn, and saves a
PNG of the map frame per view into ``docs/screenshots/``. Nothing is fetched from the internet:
requests to any other host are aborted.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Final

from playwright.sync_api import Route, ViewportSize, sync_playwright

REPO: Final = Path(__file__).resolve().parents[1]
CHROMIUM: Final = Path(os.environ.get("FA_CHROMIUM", "/usr/bin/chromium"))
VIEWS: Final[dict[str, str]] = {
    "default-view": "/",
    "vorukh": "/?date=2022-09-20&lat=39.88&lon=70.6&z=11",
    "afg-tjk": "/?lat=37.6&lon=70.5&z=8",
}
VIEWPORT: Final[ViewportSize] = {"width": 1400, "height": 900}
MAP_IFRAME: Final = 'iframe[title="streamlit_folium.st_folium"]'
DONE: Final = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "STREAMLIT_SERVER_PORT": str(port),
        "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
        "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit(f"streamlit did not start; see {log}")


def _local_only(route: Route) -> None:
    host = route.request.url.split("/")[2] if "://" in route.request.url else ""
    if route.request.url.startswith(("data:", "blob:")) or host.startswith("127.0.0.1"):
        route.continue_()
    else:
        route.abort()


def take(out_dir: Path) -> list[Path]:
    """Save one PNG per view in ``VIEWS``; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    proc = _start(port, out_dir / ".streamlit.log")
    written = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(viewport=VIEWPORT, service_workers="block")
            context.route("**/*", _local_only)
            page = context.new_page()
            for name, path in VIEWS.items():
                page.goto(f"http://127.0.0.1:{port}{path}")
                page.locator(DONE).wait_for(timeout=180_000)
                frame = page.frame_locator(MAP_IFRAME)
                frame.locator(".fa-label").first.wait_for(timeout=120_000)
                page.wait_for_timeout(3000)  # basemap fetch and label culling settle
                # the first view's fit reports a new view and Streamlit reruns (dimming the
                # frame while it runs): wait for that run to end and the dimming to fade
                page.locator(DONE).wait_for(timeout=180_000)
                page.wait_for_timeout(2500)
                target = out_dir / f"{name}.png"
                page.locator(MAP_IFRAME).screenshot(path=str(target))
                written.append(target)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        (out_dir / ".streamlit.log").unlink(missing_ok=True)
    return written


def main(argv: list[str] | None = None) -> int:
    """Parse ``--out`` and take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args(argv)
    for path in take(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
