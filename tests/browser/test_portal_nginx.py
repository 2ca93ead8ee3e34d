"""The README's portal recipe, tested as written: the app behind Debian's nginx with the checked-in
``deploy/nginx/frontier-atlas.conf`` (only ports and the portal origin swapped in), embedded in an
iframe by a page served from a second origin. The map must paint with zero CSP violations and no
console errors (its WebSocket upgrades through nginx), and a WebSocket from a foreign origin is
refused by nginx before it reaches Streamlit."""

from __future__ import annotations

import http.client
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import REPO, _free_port, map_frame, wait_for_app

RECIPE = REPO / "deploy" / "nginx" / "frontier-atlas.conf"
README = REPO / "README.md"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
});
"""


def _recipe(*, listen: int, upstream: str, portal: str) -> str:
    text = RECIPE.read_text(encoding="utf-8")
    for old, new in (
        ("listen 8080;", f"listen 127.0.0.1:{listen};"),
        ("server 127.0.0.1:8501;", f"server {upstream};"),
        ("https://portal.internal.example", portal),
    ):
        assert old in text, f"the recipe no longer has {old!r}"
        text = text.replace(old, new)
    return text


@pytest.fixture
def portal(app_server: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(atlas URL through nginx, portal page URL on a second origin); nginx stopped after."""
    if not Path(NGINX).is_file():
        pytest.fail("nginx not found: run `make nginx` (Debian package nginx)", pytrace=False)
    atlas_port, portal_port = _free_port(), _free_port()
    atlas = f"http://127.0.0.1:{atlas_port}"
    portal_origin = f"http://localhost:{portal_port}"
    site = tmp_path / "portal"
    site.mkdir()
    (site / "index.html").write_text(
        "<!doctype html><title>Portal</title><h1>Portal</h1>"
        f'<iframe id="atlas" src="{atlas}/?embed=true&mode=embed&date=2021-10-15" '
        'title="Frontier Atlas" style="width:100%;height:640px;border:0"></iframe>',
        encoding="utf-8",
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        # workers as root: they must read pytest's private tmp folder (a test-only main config)
        f"daemon off;\nuser root;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\nhttp {\n"
        f"  include /etc/nginx/mime.types;\n  access_log {tmp_path}/access.log;\n"
        + _recipe(listen=atlas_port, upstream=urlparse(app_server).netloc, portal=portal_origin)
        + f"\n  server {{ listen 127.0.0.1:{portal_port}; root {site}; }}\n}}\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(conf)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", atlas_port, timeout=2).request("HEAD", "/")
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"nginx did not start: {proc.stdout.read().decode()}", pytrace=False)
            time.sleep(0.1)
    yield atlas, f"{portal_origin}/index.html"
    proc.terminate()
    proc.wait(timeout=10)


def test_readme_quotes_the_checked_in_recipe() -> None:
    readme = README.read_text(encoding="utf-8")
    for line in RECIPE.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith(("add_header", "proxy_set_header", "location", "if (")):
            assert line.strip() in readme, line


def test_the_map_paints_behind_nginx_embedded_from_another_origin(guarded_page, portal) -> None:
    atlas, portal_page = portal
    page = guarded_page.page
    page.context.add_init_script(REPORT_CSP)
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    response = page.goto(portal_page)
    assert response is not None and response.ok
    app = page.frame_locator("#atlas")
    expect(app.locator("[data-testid='stApp']")).to_be_attached(timeout=30_000)
    expect(
        app.frame_locator('iframe[title="streamlit_folium.st_folium"]')
        .locator(".leaflet-overlay-pane path")
        .first
    ).to_be_attached(timeout=90_000)
    assert any(url.startswith(atlas.replace("http", "ws")) for url in sockets), sockets
    assert [e for e in guarded_page.errors if "CSP" in e or "Refused" in e] == []
    assert guarded_page.errors == []
    assert guarded_page.external == []


def test_the_app_through_nginx_carries_the_recipes_headers(portal) -> None:
    atlas, _ = portal
    host, port = urlparse(atlas).hostname, urlparse(atlas).port
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", "/")
    response = conn.getresponse()
    csp = response.getheader("Content-Security-Policy") or ""
    assert response.status == 200
    assert "font-src 'self' data:" in csp and "frame-ancestors 'self' http://localhost:" in csp


@pytest.mark.parametrize("origin", ["http://evil.example", "null"])
def test_a_websocket_from_a_foreign_origin_is_refused_by_nginx(portal, origin: str) -> None:
    atlas, _ = portal
    conn = http.client.HTTPConnection(urlparse(atlas).hostname, urlparse(atlas).port, timeout=10)
    conn.request(
        "GET",
        "/_stcore/stream",
        headers={
            "Origin": origin,
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
    )
    assert conn.getresponse().status == 403


def test_the_same_page_directly_in_chromium_paints_too(guarded_page, portal) -> None:
    """The app's own origin through nginx (no portal): the page itself has no CSP violations."""
    atlas, _ = portal
    page = guarded_page.page
    page.context.add_init_script(REPORT_CSP)
    page.goto(f"{atlas}/?date=2021-10-15")
    wait_for_app(page, timeout_ms=180_000)
    expect(map_frame(page).locator(".leaflet-overlay-pane path").first).to_be_attached(
        timeout=60_000
    )
    assert guarded_page.errors == []
