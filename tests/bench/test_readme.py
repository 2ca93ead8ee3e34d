"""bench.readme: README's performance block comes only from a results file."""

from __future__ import annotations

import pytest

from bench.__main__ import targets, versus_controls
from bench.readme import END, START, ReadmeError, render_block, rewrite

BARE = {"first_paint_s": 2.0, "toggle_ms": 200.0, "toggle_ms_p95": 260.0}
APP = {
    "first_paint_s": 2.5,
    "toggle_ms": 300.0,
    "toggle_ms_p95": 320.0,
    "date_ms": 250.0,
    "toggle_same_frame": True,
}


def results() -> dict:
    return {
        "when": "2026-12-01T12:00:00",
        "machine": {"cpus": 2, "load_avg_1min": 1.5},
        "runs": 5,
        "figures": {"app": {**APP, "first_paint_steps_s": {"map_frame": 1.25}}, "bare": BARE},
        "targets": {"app": targets(APP, BARE, {})},
        "extra": {"pack": {"bytes": 123}},
    }


def verdicts(rows: list[dict]) -> dict[str, str | None]:
    return {r["key"]: r["verdict"] for r in rows}


def test_targets_compare_with_the_bare_page() -> None:
    rows = targets(APP, BARE, {})
    got = verdicts(rows)
    assert got["first_paint_s"] == "PASS"  # 2.5 <= 1.3 * 2.0
    assert got["toggle_ms"] == "MISS"  # 300 > 260
    assert got["toggle_ms_p95"] == "PASS"  # 320 <= 338
    assert got["date_ms"] == "PASS"  # compared with the bare page's toggle
    assert got["status_ms"] == "n/a"  # not measured
    assert got["toggle_same_frame"] == "PASS"
    row = next(r for r in rows if r["key"] == "toggle_ms")
    assert row["x_bare"] == 1.5 and row["x_naive"] is None


def test_block_holds_the_results_figures() -> None:
    block = render_block(results())
    assert block.startswith(START) and block.endswith(END)
    assert (
        "| first border paint | 2.50 s | 2.00 s | n/a | 1.25× | – | <= 1.3x bare | PASS |" in block
    )
    assert "| map frame created | 1.25 | – |" in block
    assert "pack: bytes = 123" in block


def test_the_toggle_breakdown_is_a_table_of_app_beside_bare() -> None:
    got = results()
    got["extra"]["toggle_breakdown"] = {
        "app": {"ms_from_click": {"repaint": 420}, "main_thread_ms": {"page script": 130}},
        "app date move": {"ms_from_click": {"repaint": 510, "map message": 300}},
        "bare": {"ms_from_click": {"repaint": 180}, "main_thread_ms": {"page script": 40}},
    }
    block = render_block(got)
    assert "| | app toggle | app date move | bare toggle |" in block
    assert "| from the input: repaint | 420 | 510 | 180 |" in block
    assert "| from the input: map message | – | 300 | – |" in block
    assert "| busy: page script | 130 | – | 40 |" in block


def test_rewrite_replaces_only_the_block() -> None:
    readme = f"# T\n\nbefore\n{START}\nold figures\n{END}\nafter\n"
    new = rewrite(readme, render_block(results()))
    assert new.startswith("# T\n\nbefore\n" + START)
    assert new.endswith(END + "\nafter\n")
    assert "old figures" not in new


def test_readme_without_markers_is_refused() -> None:
    with pytest.raises(ReadmeError, match="no <!-- bench:start -->"):
        rewrite("# no block here\n", render_block(results()))


def test_results_without_targets_are_refused() -> None:
    with pytest.raises(ReadmeError, match="run `python -m bench` first"):
        render_block({"when": "x", "machine": {}, "runs": 1, "figures": {}})


def test_the_app_is_also_compared_with_the_page_that_has_its_controls() -> None:
    controls = {"first_paint_s": 2.2, "toggle_ms": 240.0, "server_warm_ms": 40.0}
    rows = versus_controls(APP, controls)
    toggle = next(r for r in rows if r["key"] == "toggle_ms")
    assert toggle["x_controls"] == 1.25 and toggle["shown"] == ["300 ms", "240 ms"]
    assert next(r for r in rows if r["key"] == "status_ms")["x_controls"] is None  # not measured
    got = results()
    got["versus_controls"] = {"app": rows}
    block = render_block(got)
    assert "| layer toggle -> repaint | 300 ms | 240 ms | 1.25× |" in block
    assert "| first border paint | 2.50 s | 2.20 s | 1.14× |" in block
