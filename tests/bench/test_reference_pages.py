"""The bench's reference pages run and draw the path each is timed by."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bench.harness import APP_BORDER_PATHS, BARE_BORDER_PATHS
from tests.test_app import map_payload

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize(
    ("page", "selector"),
    [("bare_app.py", BARE_BORDER_PATHS), ("controls_app.py", APP_BORDER_PATHS)],
)
def test_a_reference_page_runs_and_draws_its_timed_line(page: str, selector: str) -> None:
    at = AppTest.from_file(str(BENCH / page), default_timeout=60)
    at.run()
    assert not at.exception
    classes = {part.split(".", 1)[1] for part in selector.replace(" ", "").split(",")}
    assert any(cls in map_payload(at)["script"] for cls in classes)
    assert at.checkbox(key="fa_layer_crossings") is not None  # the checkbox the bench clicks


def test_the_controls_page_has_exactly_the_atlas_s_controls() -> None:
    """Its ratio means "the atlas's controls' price" only while it draws the same widgets."""
    page = AppTest.from_file(str(BENCH / "controls_app.py"), default_timeout=60)
    page.run()
    atlas = AppTest.from_file(str(BENCH.parent / "app.py"), default_timeout=60)
    atlas.run()

    def sidebar_keys(at: AppTest) -> list[str]:
        return [str(w.key) for w in at.sidebar if getattr(w, "key", None)]

    # the atlas's sidebar starts with its controls; its panels (upload, downloads, export) follow
    controls, atlas_keys = sidebar_keys(page), sidebar_keys(atlas)
    assert controls and atlas_keys[: len(controls)] == controls
    assert not [k for k in atlas_keys[len(controls) :] if k.startswith(("fa_layer_", "fa_status_"))]
