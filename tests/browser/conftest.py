"""Browser-test harness: a real Streamlit server, Debian chromium, a page that may not go online.

- ``app_server`` starts ``streamlit run <app>`` on a free localhost port (once per app file per
  session) and gives its base URL.  The app is the repo's ``app.py`` unless the test module sets
  ``APP_FILE`` or the test parametrizes ``app_server`` indirectly with a path.
- ``guarded_page`` is a fresh page whose every request is recorded; requests to any host other
  than localhost/127.0.0.1 are aborted and listed in ``.external``; console errors and uncaught
  page errors land in ``.errors``; service workers are blocked (they would bypass routing).
- ``wait_for_app`` / ``map_frame`` are the two waits every map test needs.

Chromium is Debian's ``/usr/bin/chromium`` (``make chromium`` installs it); when it is missing
the tests FAIL, never skip, so a green run always means the browser checks ran.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    FrameLocator,
    Page,
    Route,
    WebSocket,
    sync_playwright,
)

REPO = Path(__file__).resolve().parents[2]
DEFAULT_APP = REPO / "app.py"
CHROMIUM = Path(os.environ.get("FA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HEALTH_TIMEOUT_S = 60.0
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
LOCAL_SCHEMES = frozenset({"data", "blob", "file"})

STAPP_DONE = "[data-testid='stApp'][data-test-script-state='notRunning']"
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder ``browser`` so ``-m 'not browser'`` can leave them out."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium driven by Playwright; fails loudly if chromium is not installed."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} not found: browser tests need Debian chromium "
            "(run `make chromium`, or `apt-get install chromium` as root)",
            pytrace=False,
        )
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class GuardedPage:
    """A page plus what it tried to do: every request, the blocked external ones, and errors."""

    page: Page
    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def is_local(url: str) -> bool:
    """True for URLs that cannot leave this machine: localhost, data:, blob:, file:."""
    parts = urlparse(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


@pytest.fixture
def guarded_page(browser: Browser) -> Iterator[GuardedPage]:
    """A fresh context/page that aborts and records any request to another host."""
    context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    guarded = GuardedPage(page=page)

    def gate(route: Route) -> None:
        url = route.request.url
        guarded.requests.append(url)
        if is_local(url):
            route.continue_()
        else:
            guarded.external.append(url)
            route.abort()

    def on_websocket(ws: WebSocket) -> None:  # routing does not cover WebSockets
        guarded.requests.append(ws.url)
        if not is_local(ws.url):
            guarded.external.append(ws.url)

    context.route("**/*", gate)
    page.on("websocket", on_websocket)

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            guarded.errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: guarded.errors.append(f"pageerror: {exc}"))
    yield guarded
    context.close()


def wait_for_app(page: Page, *, timeout_ms: float = 30_000) -> None:
    """Wait until Streamlit has connected and finished running the script."""
    page.locator(STAPP_DONE).wait_for(timeout=timeout_ms)


def map_frame(page: Page) -> FrameLocator:
    """The streamlit-folium component iframe (the Leaflet map lives inside it)."""
    return page.frame_locator(MAP_IFRAME)


# --------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _launcher(app: Path, workdir: Path) -> Path:
    """Script to hand to ``streamlit run``.

    Streamlit serves ``static/`` from beside the main script, so an app outside the repo root
    runs through a small wrapper placed next to a ``static`` link to the repo's folder.  (The
    wrapper runs the app with ``runpy``: Streamlit "magic" is off there; call ``st.*``.)
    """
    if (app.parent / "static").resolve() == (REPO / "static").resolve():
        return app
    workdir.mkdir(parents=True, exist_ok=True)
    link = workdir / "static"
    if not link.exists():
        link.symlink_to(REPO / "static", target_is_directory=True)
    wrapper = workdir / app.name
    wrapper.write_text(
        "import runpy, sys\n"
        f"sys.path[:0] = [{str(app.parent)!r}, {str(REPO)!r}]\n"
        f"runpy.run_path({str(app)!r}, run_name='__main__')\n",
        encoding="utf-8",
    )
    return wrapper


@dataclass
class _Server:
    proc: subprocess.Popen[bytes]
    url: str
    log: Path


class ServerPool:
    """Streamlit servers started on demand, one per app file, all stopped at session end."""

    def __init__(self, tmp: Path) -> None:
        self._tmp = tmp
        self._servers: dict[Path, _Server] = {}

    def url_for(self, app: Path) -> str:
        """Base URL of a running server for ``app`` (started and health-checked if needed)."""
        app = app.resolve()
        if app in self._servers:
            return self._servers[app].url
        if not app.is_file():
            pytest.fail(f"app file {app} does not exist", pytrace=False)
        port = _free_port()
        workdir = self._tmp / f"{app.stem}-{port}"
        workdir.mkdir(parents=True)
        script = _launcher(app, workdir)
        log = workdir / "streamlit.log"
        env = {
            **os.environ,
            "STREAMLIT_SERVER_PORT": str(port),
            "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
            "STREAMLIT_SERVER_HEADLESS": "true",
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
            "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        }
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(script)],
                cwd=REPO,  # so the repo's .streamlit/config.toml applies
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = _Server(proc=proc, url=f"http://127.0.0.1:{port}", log=log)
        self._servers[app] = server
        self._wait_healthy(server)
        return server.url

    def pid_for(self, app: Path) -> int:
        """The process id of the running server for ``app`` (started by ``url_for``)."""
        return self._servers[app.resolve()].proc.pid

    @staticmethod
    def _wait_healthy(server: _Server) -> None:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while time.monotonic() < deadline:
            if server.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as resp:
                    if resp.read().decode().strip() == "ok":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        tail = server.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        pytest.fail(
            f"streamlit did not become healthy at {server.url} within {HEALTH_TIMEOUT_S:.0f}s "
            f"(exit code {server.proc.poll()}); log tail:\n{tail}",
            pytrace=False,
        )

    def stop_all(self) -> None:
        """Terminate every server this pool started (kill if one does not stop in 10 s)."""
        for server in self._servers.values():
            if server.proc.poll() is None:
                server.proc.terminate()
                try:
                    server.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.proc.kill()
                    server.proc.wait(timeout=10)
        self._servers.clear()


@pytest.fixture(scope="session")
def server_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerPool]:
    """The session's Streamlit servers."""
    pool = ServerPool(tmp_path_factory.mktemp("streamlit"))
    yield pool
    pool.stop_all()


@pytest.fixture
def app_server(request: pytest.FixtureRequest, server_pool: ServerPool) -> str:
    """Base URL (``http://127.0.0.1:<port>``) of a Streamlit server running the test's app.

    The app is ``request.param`` (indirect parametrization), else the module's ``APP_FILE``,
    else the repo's ``app.py``.  Each app's server is started once and shared for the session.
    """
    app = getattr(request, "param", None) or getattr(request.module, "APP_FILE", DEFAULT_APP)
    return server_pool.url_for(Path(str(app)))
