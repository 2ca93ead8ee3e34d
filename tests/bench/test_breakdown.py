"""The toggle breakdown measures a real page: every step it reports is there and in order."""

from __future__ import annotations

from bench.breakdown import breakdown_of
from bench.harness import BARE_BORDER_PATHS, BENCH_DIR


def test_one_bare_toggle_is_broken_down_into_its_steps() -> None:
    got = breakdown_of(BENCH_DIR / "bare_app.py", BARE_BORDER_PATHS, url_suffix="", runs=1)
    steps = got["ms_from_click"]
    assert {"repaint in the page", "rerun request sent", "map message", "repaint"} <= set(steps)
    assert 0 < steps["rerun request sent"] <= steps["map message"] <= steps["repaint"]
    assert 0 < steps["repaint in the page"] <= steps["repaint"]
    assert got["main_thread_ms"]["all tasks"] > 0
