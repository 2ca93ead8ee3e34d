"""What the benchmark and the load test share: servers, browser, and the in-page probes.

Servers and chromium come from the browser-test harness (``tests/browser/conftest.py``), so the
benchmark runs the app exactly as the browser tests do.  Repaints are detected inside the map
iframe: before an action every ``<path>`` gets a ``data-fa-seen`` mark and the iframe window gets a
``__faMarker``; the repaint is the first animation frame with an unmarked path (streamlit-folium
re-creates the dynamic groups, a remount re-creates everything), and the frame was not reloaded
when ``__faMarker`` survived.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import psutil
from playwright.sync_api import (
    Browser,
    CDPSession,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    ViewportSize,
    WebSocket,
)
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_IFRAME,
    REPO,
    ServerPool,
    wait_for_app,
)

BENCH_DIR: Final = Path(__file__).resolve().parent
VIEWPORT: Final[ViewportSize] = {"width": 1280, "height": 900}
APP_BORDER_PATHS: Final = "path.fa-layer-borders, path.fa-base-line"
NAIVE_BORDER_PATHS: Final = "path.fa-naive-line"
BARE_BORDER_PATHS: Final = "path.fa-bare-line"

_DOC = f"const f = document.querySelector('{MAP_IFRAME}'); const d = f && f.contentDocument;"
JS_HAS: Final = f"(sel) => {{ {_DOC} return !!d && d.querySelector(sel) !== null; }}"
JS_MARK: Final = f"""() => {{ {_DOC} if (!d) return -1;
  d.querySelectorAll('path').forEach(p => p.setAttribute('data-fa-seen', '1'));
  f.contentWindow.__faMarker = 1; return d.querySelectorAll('path').length; }}"""
JS_REPAINTED: Final = (
    f"() => {{ {_DOC} return !!d && d.querySelector('path:not([data-fa-seen])') !== null; }}"
)
JS_SAME_FRAME: Final = f"() => {{ {_DOC} return !!f && f.contentWindow.__faMarker === 1; }}"
JS_PATHS: Final = f"() => {{ {_DOC} return d ? d.querySelectorAll('path').length : -1; }}"
JS_MARK_COUNT: Final = f"""() => {{ {_DOC} if (!d) return -1;
  const paths = d.querySelectorAll('path');
  paths.forEach(p => p.setAttribute('data-fa-seen', '1'));
  f.contentWindow.__faMarker = 1; f.contentWindow.__faMarked = paths.length;
  f.contentWindow.__faMarkedDate = f.contentWindow.map && f.contentWindow.map.__faAsOf;
  return paths.length; }}"""
# Repainted: a path came (unmarked), or some marked paths went while others stayed (a layer was
# removed).  A reloaded frame has no marks at all: it counts only once new paths are drawn.
JS_CHANGED: Final = f"""() => {{ {_DOC} if (!d) return false;
  if (d.querySelector('path:not([data-fa-seen])') !== null) return true;
  const kept = d.querySelectorAll('path[data-fa-seen]').length;
  return kept > 0 && kept < f.contentWindow.__faMarked; }}"""
# A date move has been drawn: a path came or went (``JS_CHANGED``), or, for a move that changes
# no feature (every group's digest the same, see docs/DESIGN.md), the frame has the new date and
# every group it wants is on the map.
JS_DATE_DRAWN: Final = f"""() => {{ {_DOC} if (!d) return false;
  if (({JS_CHANGED})()) return true;
  const w = f.contentWindow, lm = w.__faLayers;
  return !!lm && !!w.map && w.map.__faAsOf !== w.__faMarkedDate && lm.drawn === lm.gen; }}"""


def js_arm(changed: str) -> str:
    """The repaint probe of ``interact`` for ``changed`` (a JS function: ``JS_CHANGED``,
    ``JS_DATE_DRAWN``): the user's first input event (pointer down, key down) and the first
    animation frame after it in which ``changed`` holds, both on the page's own clock; so the
    figure is what a user sees, not when Playwright's click and polling return (they wait for a
    busy main thread: reported beside it as ``returned_ms``)."""
    return f"""() => {{
  window.__faActAt = null; window.__faSeenAt = null;
  if (!window.__faActProbe) {{
    window.__faActProbe = true;
    const first = () => {{ if (window.__faActAt === null) window.__faActAt = performance.now(); }};
    document.addEventListener('pointerdown', first, true);
    document.addEventListener('keydown', first, true);
  }}
  const changed = {changed};
  const began = performance.now();
  const frame = () => {{
    if (window.__faActAt !== null && changed()) {{ window.__faSeenAt = performance.now(); return; }}
    if (performance.now() - began < 30000) requestAnimationFrame(frame);
  }};
  requestAnimationFrame(frame); }}"""


# The page's own date: the caption under the panels, the last element of the atlas page
# ("As of YYYY-MM-DD. ..."); ``null`` on a page without it.
JS_PAGE_DATE: Final = """() => {
  for (const c of document.querySelectorAll('[data-testid=stCaptionContainer]')) {
    if (c.innerText.startsWith('As of ')) return c.innerText.slice(6, 16);
  }
  return null; }"""
# Arms the page-date probe beside ``js_arm``'s: the first animation frame after the input event
# in which the page's caption shows another date than before (``window.__faPageAt``).
JS_PAGE_DATE_ARM: Final = f"""() => {{
  const shown = {JS_PAGE_DATE};
  const before = shown(); window.__faPageAt = null;
  if (before === null) return false;
  const began = performance.now();
  const frame = () => {{ const now = shown();
    if (window.__faActAt !== null && now !== null && now !== before) {{
      window.__faPageAt = performance.now(); return; }}
    if (performance.now() - began < 30000) requestAnimationFrame(frame);
  }};
  requestAnimationFrame(frame); return true; }}"""
JS_PROBED: Final = "() => [window.__faActAt, window.__faSeenAt, window.__faPageAt]"


@dataclass(frozen=True)
class Probes:
    """What the armed probes saw, in the page's ms clock: the input event, the first frame that
    showed the change, the first frame whose closing caption showed another date (or ``None``)."""

    acted: float | None
    seen: float | None
    paged: float | None

    @property
    def repaint_ms(self) -> float | None:
        """Input to the first frame that showed the change."""
        return self.seen - self.acted if self.acted is not None and self.seen is not None else None

    @property
    def page_ms(self) -> float | None:
        """Input to the first frame whose closing caption showed the new date."""
        return (
            self.paged - self.acted if self.acted is not None and self.paged is not None else None
        )


def read_probes(page: Page) -> Probes:
    """The probes ``js_arm`` and ``JS_PAGE_DATE_ARM`` set, read once the page has settled."""
    acted, seen, paged = page.evaluate(JS_PROBED)
    return Probes(acted=acted, seen=seen, paged=paged)


JS_VIEW: Final = f"""() => {{ {_DOC} const m = f && f.contentWindow.map;
  if (!m) return null; const c = m.getCenter();
  return [Math.round(c.lat * 1e5) / 1e5, Math.round(c.lng * 1e5) / 1e5, m.getZoom()]; }}"""
JS_PAN: Final = f"""([dx, dy]) => {{ {_DOC} const m = f && f.contentWindow.map;
  if (!m) return false; m.panBy([dx, dy], {{animate: false}}); return true; }}"""
MILESTONES: Final = (
    ("streamlit_shell", "() => !!document.querySelector('[data-testid=stApp]')"),
    ("map_frame", f"() => {{ {_DOC} return !!d && !!d.getElementById('map_div'); }}"),
    ("leaflet_loaded", f"() => {{ {_DOC} return !!f && !!f.contentWindow.L; }}"),
    ("map_created", f"() => {{ {_DOC} return !!f && !!f.contentWindow.map; }}"),
)
"""Steps of a first load, in order, each timed from navigation (then the border path)."""
JS_EXCEPTIONS: Final = "() => document.querySelectorAll('[data-testid=stException]').length"


def paint_probe(selector: str) -> str:
    """An init script for the top page: on every animation frame from navigation on, until the
    border path is there, it records in ``window.__faTimes`` the first frame (ms since navigation
    start, ``performance.now()``) in which each of ``MILESTONES`` and then ``selector`` (a border
    path in the map frame) holds.

    Timed in the page, not when Playwright's wait returns: a wait's answer is a message the page's
    main thread sends, so a page that keeps that thread busy after it has painted (building the
    rest of its layers, rendering its panels) would be timed late by the round trip, not by what
    the screen shows.
    """
    steps = ", ".join(f"[{json.dumps(name)}, {probe}]" for name, probe in MILESTONES)
    return f"""(() => {{
  if (window !== window.top || window.__faTimes) {{ return; }}
  const times = window.__faTimes = {{}};
  const sel = {json.dumps(selector)};
  const steps = [{steps}, ["border_path", {JS_HAS}]];
  const tick = () => {{
    const now = performance.now();
    for (const [name, probe] of steps) {{
      if (!(name in times)) {{ try {{ if (probe(sel)) {{ times[name] = now; }} }} catch (e) {{}} }}
    }}
    if (!("border_path" in times)) {{ requestAnimationFrame(tick); }}
  }};
  requestAnimationFrame(tick);
}})();"""


class BenchError(RuntimeError):
    """A benchmark step could not be measured (server did not start, page never painted...)."""


def median(values: Sequence[float]) -> float | None:
    """Median of the measured values, None when nothing was measured."""
    return statistics.median(values) if values else None


def p95(values: Sequence[float]) -> float | None:
    """95th percentile (linear interpolation between the measured values), None when empty."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


@dataclass
class RunningApp:
    """A Streamlit server running one app file."""

    name: str
    path: Path
    url: str
    pid: int
    border_selector: str

    def rss_mb(self) -> float:
        """Resident memory of the server process, MB."""
        return psutil.Process(self.pid).memory_info().rss / 2**20


@contextmanager
def servers() -> Iterator[ServerPool]:
    """A pool of Streamlit servers (the browser tests' own), stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="fa-bench-") as tmp:
        pool = ServerPool(Path(tmp))
        try:
            yield pool
        finally:
            pool.stop_all()


def start_app(pool: ServerPool, name: str, path: Path, *, border_selector: str) -> RunningApp:
    """Start (or reuse) a server for ``path``; raises BenchError if it does not come up."""
    try:
        url = pool.url_for(path)
    except BaseException as exc:  # pytest.fail raises an OutcomeException (a BaseException)
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise BenchError(f"{name}: server did not start: {exc}") from exc
    pid = pool.pid_for(path)
    return RunningApp(name=name, path=path, url=url, pid=pid, border_selector=border_selector)


def launch(pw: Playwright) -> Browser:
    """Headless Debian chromium with the browser tests' flags."""
    if not CHROMIUM.is_file():
        raise BenchError(f"{CHROMIUM} not found: run `make chromium`")
    return pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


@dataclass
class Session:
    """One browser context/page on the app, counting the bytes the server sends it."""

    page: Page
    ws_bytes: int = 0
    finished: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cdp: CDPSession | None = None
    milestones: dict[str, float] = field(default_factory=dict)
    probed: bool = False
    paint_returned_s: float | None = None

    def close(self) -> None:
        """Close the page's context (ends the Streamlit session)."""
        self.page.context.close()


def open_session(browser: Browser) -> Session:
    """A fresh context (no cache, new Streamlit session) with a websocket byte counter."""
    context = browser.new_context(service_workers="block", viewport=VIEWPORT)
    page = context.new_page()
    session = Session(page=page)

    def on_frame(payload: str | bytes) -> None:
        session.ws_bytes += len(payload.encode() if isinstance(payload, str) else payload)

    def on_ws(ws: WebSocket) -> None:
        ws.on("framereceived", on_frame)

    page.on("websocket", on_ws)
    page.on("requestfinished", lambda request: session.finished.append(request))

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            session.errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: session.errors.append(f"pageerror: {exc}"))
    return session


def settle(page: Page, *, timeout_ms: float = 60_000, pause_s: float = 0.4) -> None:
    """Wait until the script run is over and late messages (a rerun the map asked for) are in."""
    wait_for_app(page, timeout_ms=timeout_ms)
    time.sleep(pause_s)
    wait_for_app(page, timeout_ms=timeout_ms)


def load(
    session: Session,
    app: RunningApp,
    *,
    url: str | None = None,
    timeout_ms: float = 90_000,
    settle_s: float = 1.5,
) -> tuple[float, int]:
    """Navigate to the app (or ``url``); returns (s to first painted border path, bytes sent).

    The paint and the steps before it are timed in the page (``paint_probe``); the time until
    Playwright's wait returned is kept in ``session.paint_returned_s``.
    """
    page = session.page
    if not session.probed:
        page.add_init_script(paint_probe(app.border_selector))
        session.probed = True
    session.ws_bytes = 0
    start = time.perf_counter()
    page.goto(url or app.url, wait_until="commit", timeout=timeout_ms)
    page.wait_for_function(JS_HAS, arg=app.border_selector, polling="raf", timeout=timeout_ms)
    session.paint_returned_s = time.perf_counter() - start
    times = page.evaluate("() => window.__faTimes || {}")
    if "border_path" not in times:
        raise BenchError(f"{app.name}: the page's paint probe did not run")
    first_paint = float(times["border_path"]) / 1000
    session.milestones = {
        name: float(times[name]) / 1000 for name, _ in MILESTONES if name in times
    }
    settle(page, timeout_ms=timeout_ms, pause_s=settle_s)
    return first_paint, session.ws_bytes


def click_checkbox(page: Page, label: str) -> None:
    """Click a sidebar checkbox by its label text."""
    page.locator("[data-testid='stCheckbox']").filter(has_text=label).locator("label").first.click(
        timeout=10_000
    )


def move_date(page: Page, key: str) -> None:
    """Move the date slider with a key (``Home``: first day, ``End``: today)."""
    slider = page.locator("[data-testid='stSlider'] input[type=range]").first
    slider.focus(timeout=10_000)
    slider.press(key)


@dataclass(frozen=True)
class Interaction:
    """One action: ms from the input event to the repainted frame (None: no repaint came), ms
    until Playwright's wait for it returned, bytes, frame kept, view kept; for a date move on a
    page with the atlas's closing caption, ms until that caption showed the new date."""

    ms: float | None
    bytes: int
    same_frame: bool | None
    same_view: bool | None = None
    returned_ms: float | None = None
    page_ms: float | None = None


def _cdp(session: Session) -> CDPSession:
    if session.cdp is None:
        session.cdp = session.page.context.new_cdp_session(session.page)
        session.cdp.send("Profiler.enable")
        session.cdp.send("Profiler.setSamplingInterval", {"interval": 500})
    return session.cdp


def profile_start(session: Session) -> None:
    """Start sampling the renderer's JavaScript (the page and its same-process map frame)."""
    _cdp(session).send("Profiler.start")


_NOT_SCRIPT = frozenset({"(idle)", "(program)", "(root)"})


def profile_stop(session: Session) -> float:
    """Stop sampling; the JavaScript time sampled since ``profile_start`` (GC included), ms."""
    profile = _cdp(session).send("Profiler.stop")["profile"]
    names = {n["id"]: n["callFrame"]["functionName"] for n in profile["nodes"]}
    total_us = sum(
        delta
        for node, delta in zip(
            profile.get("samples", []), profile.get("timeDeltas", []), strict=False
        )
        if names.get(node) not in _NOT_SCRIPT
    )
    return total_us / 1000


def interact(session: Session, action: str, arg: str, *, timeout_ms: float = 15_000) -> Interaction:
    """Do ``action`` (``checkbox`` label or ``date`` key) and time it until the map repaints.

    Repainted = a path came or a marked path went (see ``JS_CHANGED``); for a date move, also
    the frame holding the new date with every group it wants drawn (``JS_DATE_DRAWN``: a move
    that changes no feature changes no path).  Timed in the page from the input event to the
    first animation frame showing it (``js_arm``); afterwards the frame marker and the map view
    (centre, zoom) are compared with what they were before.
    """
    page = session.page
    page.evaluate(JS_MARK_COUNT)
    view = page.evaluate(JS_VIEW)
    changed = JS_CHANGED if action == "checkbox" else JS_DATE_DRAWN
    page.evaluate(js_arm(changed))
    dated = action == "date" and bool(page.evaluate(JS_PAGE_DATE_ARM))
    session.ws_bytes = 0
    start = time.perf_counter()
    if action == "checkbox":
        click_checkbox(page, arg)
    else:
        move_date(page, arg)
    try:
        page.wait_for_function(changed, polling="raf", timeout=timeout_ms)
        returned: float | None = (time.perf_counter() - start) * 1000
    except PlaywrightError:
        returned = None
    settle(page, pause_s=0.3)
    probes = read_probes(page) if returned is not None else Probes(None, None, None)
    ms = probes.repaint_ms
    page_ms = probes.page_ms if dated else None
    same = bool(page.evaluate(JS_SAME_FRAME)) if ms is not None else None
    same_view = (page.evaluate(JS_VIEW) == view) if ms is not None else None
    return Interaction(
        ms=ms,
        bytes=session.ws_bytes,
        same_frame=same,
        same_view=same_view,
        returned_ms=returned,
        page_ms=page_ms,
    )


@dataclass(frozen=True)
class Pan:
    """One pan: bytes the server sent for it, JavaScript time it cost, layers rebuilt or not."""

    bytes: int
    script_ms: float
    rebuilt: bool


def pan(session: Session, *, dx: int = 160, dy: int = 90, settle_s: float = 1.2) -> Pan:
    """Pan the map by (dx, dy) pixels without animation and wait for the rerun it causes."""
    page = session.page
    page.evaluate(JS_MARK)
    profile_start(session)
    session.ws_bytes = 0
    if not page.evaluate(JS_PAN, [dx, dy]):
        raise BenchError("no Leaflet map (window.map) in the map frame to pan")
    time.sleep(settle_s)  # streamlit-folium reports the move, the script reruns
    settle(page, pause_s=0.3)
    spent = profile_stop(session)
    rebuilt = bool(page.evaluate(JS_REPAINTED))
    return Pan(bytes=session.ws_bytes, script_ms=spent, rebuilt=rebuilt)


def repo_path(*parts: str) -> Path:
    """A path inside the repository."""
    return REPO.joinpath(*parts)
