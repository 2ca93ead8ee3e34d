"""Issue 11's budgets: what the context layers add to the first load, and labels at the default view.

``measure_context()`` opens the app twice in fresh browser contexts — with the default layers and
with the same layers less ``rivers`` and ``settlements`` — and reports the bytes each first load
received (websocket messages plus HTTP bodies from the app's origin), their difference against the
300 KB budget, and how many ``.fa-label`` elements the default view shows (budget: 150).
"""

from __future__ import annotations

from typing import Any, Final

from playwright.sync_api import sync_playwright

from bench.harness import (
    APP_BORDER_PATHS,
    Session,
    launch,
    load,
    open_session,
    repo_path,
    servers,
    start_app,
)
from layers import REGISTRY

CONTEXT_LAYERS: Final = ("rivers", "settlements")
CONTEXT_BUDGET_KB: Final = 300.0
LABEL_BUDGET: Final = 150

JS_VISIBLE_LABELS: Final = """() => {
  const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
  const d = f && f.contentDocument;
  if (!d) return -1;
  return [...d.querySelectorAll('.fa-label')].filter((e) => {
    const r = e.getBoundingClientRect();
    const s = d.defaultView.getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  }).length;
}"""


def _http_bytes(session: Session) -> int:
    total = 0
    for request in session.finished:
        sizes = request.sizes()
        total += int(sizes.get("responseBodySize", 0)) + int(sizes.get("responseHeadersSize", 0))
    return total


def measure_context(*, runs: int = 3) -> dict[str, Any]:
    """First-load bytes with and without the context layers, and visible labels at the default view."""
    defaults = [i for i, spec in REGISTRY.items() if spec.default_on]
    without = [i for i in defaults if i not in CONTEXT_LAYERS]
    with_kb: list[float] = []
    without_kb: list[float] = []
    labels: list[int] = []
    with servers() as pool, sync_playwright() as pw:
        app = start_app(pool, "app", repo_path("app.py"), border_selector=APP_BORDER_PATHS)
        browser = launch(pw)
        try:
            for _ in range(runs):
                for layers, sink in ((defaults, with_kb), (without, without_kb)):
                    session = open_session(browser)
                    url = f"{app.url}/?layers={','.join(layers)}"
                    _, ws = load(session, app, url=url)
                    sink.append((ws + _http_bytes(session)) / 1000)
                    if layers is defaults:
                        labels.append(int(session.page.evaluate(JS_VISIBLE_LABELS)))
                    session.close()
        finally:
            browser.close()
    added = min(with_kb) - min(without_kb)
    most_labels = max(labels)
    return {
        "first_load_kb_with_context": round(min(with_kb), 1),
        "first_load_kb_without_context": round(min(without_kb), 1),
        "context_added_kb": round(added, 1),
        "context_budget_kb": CONTEXT_BUDGET_KB,
        "context_pass": added <= CONTEXT_BUDGET_KB,
        "default_view_labels": most_labels,
        "label_budget": LABEL_BUDGET,
        "labels_pass": 0 <= most_labels <= LABEL_BUDGET,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure_context(), indent=2))
