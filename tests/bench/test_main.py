"""The bench's figures of one kind of action."""

from __future__ import annotations

from bench.__main__ import repaint_figures
from bench.harness import Interaction


def _move(ms: float | None, *, page_ms: float | None = None) -> Interaction:
    return Interaction(
        ms=ms, bytes=1000, same_frame=True, same_view=True, returned_ms=ms, page_ms=page_ms
    )


def test_the_first_action_of_the_rounds_keeps_its_own_figure() -> None:
    moves = [_move(183.0, page_ms=400.0)] + [_move(70.0 + n, page_ms=250.0) for n in range(19)]
    figures, ms = repaint_figures("date", moves)
    assert figures["date_first_ms"] == 183.0
    assert ms[0] == 183.0 and len(ms) == 20
    # of 20 moves the p95 is the 95th percentile, not the one slow first move
    assert figures["date_ms_p95"] < 100
    assert figures["date_page_ms"] == 250.0
    assert figures["date_measured"] == "20/20"


def test_a_kind_never_measured_has_no_first_figure() -> None:
    figures, ms = repaint_figures("status", [])
    assert figures["status_first_ms"] is None and ms == []
