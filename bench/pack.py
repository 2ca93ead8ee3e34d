"""The briefing-pack figure for ``make bench``: a six-step story rendered to PDF and to PPTX.

Budget (issue 13): a pack of six steps renders in at most 60 s on the 2-core reference machine.
``measure_pack()`` returns the wall-clock seconds of each format and the budget; ``python -m
bench.pack`` prints them.  Nothing here is asserted by the tests.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

from geo.story import Story, read_story
from layers import LAYER_IDS, load_frames
from layers.brief import pack_pdf, pack_pptx

REPO = Path(__file__).resolve().parents[1]
STORY = REPO / "tests" / "data" / "stories" / "valid_three_steps.json"
BUDGET_S = 60.0
STEPS = 6


def six_step_story() -> Story:
    """The three-step test story told twice (the second time a year later where data allows)."""
    raw = json.loads(STORY.read_text(encoding="utf-8"))
    steps = raw["steps"]
    again = [
        {**step, "title": f"{step['title']} (again)", "caption": f"Again: {step['caption']}"}
        for step in steps
    ]
    raw["steps"] = (steps + again)[:STEPS]
    return read_story(json.dumps(raw).encode(), name="bench-six-steps", layer_ids=LAYER_IDS)


def measure_pack() -> dict[str, Any]:
    """Seconds to render the six-step pack as PDF and as PPTX (data loading not counted)."""
    frames, _ = load_frames()
    story = six_step_story()
    out: dict[str, Any] = {"steps": len(story.steps), "budget_s": BUDGET_S}
    for fmt, render in (("pdf", pack_pdf), ("pptx", pack_pptx)):
        start = time.perf_counter()
        data = render(frames, story, made=dt.date.today())
        seconds = time.perf_counter() - start
        out[f"pack_{fmt}_s"] = round(seconds, 1)
        out[f"pack_{fmt}_bytes"] = len(data)
        out[f"pack_{fmt}_pass"] = seconds <= BUDGET_S
    return out


if __name__ == "__main__":
    print(json.dumps(measure_pack(), indent=2))
