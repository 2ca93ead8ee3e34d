"""The server makes no outside call: started with the repo's settings (as ``make run`` does) in a
network namespace that has only loopback, it serves the page and the map paints, and its log has
no sign of an attempted lookup (Streamlit logs "Did not auto detect external IP" when its
external-IP request fails). Needs root for ``unshare -n`` (CI and ``make test`` run as root)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, MAP_IFRAME, REPO

INSIDE = r"""
import json, subprocess, sys, time, urllib.request
from playwright.sync_api import sync_playwright

repo, log_path, chromium, args, iframe = sys.argv[1:6]
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
port = 8597
with open(log_path, "wb") as log:
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
        cwd=repo, stdout=log, stderr=subprocess.STDOUT,
    )
try:
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.5)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=json.loads(args))
        page = browser.new_page()
        page.goto(f"http://localhost:{port}/?date=2021-10-15")
        page.frame_locator(iframe).locator(".leaflet-overlay-pane path").first.wait_for(
            state="attached", timeout=120_000
        )
        print("MAP PAINTED")
        browser.close()
finally:
    server.terminate()
    server.wait(timeout=20)
"""


def test_the_server_serves_the_map_with_only_loopback(tmp_path: Path) -> None:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.fail("this check needs root and unshare (util-linux)", pytrace=False)
    log = tmp_path / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [
            "unshare",
            "-n",
            sys.executable,
            "-c",
            INSIDE,
            str(REPO),
            str(log),
            str(CHROMIUM),
            json.dumps(CHROMIUM_ARGS),
            MAP_IFRAME,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
    )
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "MAP PAINTED" in done.stdout, done.stdout[-2000:] + done.stderr[-3000:] + text[-2000:]
    assert "external IP" not in text, text
    assert "External URL" not in text and "Network URL" not in text, text
