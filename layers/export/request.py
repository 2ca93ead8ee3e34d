"""What a briefing sheet shows: one frozen ``SheetRequest`` every caller builds and passes.

The request checks itself on construction (box inside the region, known layers, paper, format),
so a bad option is one ``ParamError`` sentence before any drawing is paid for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from geo.errors import ParamError
from geo.validate import REGION
from geo.validate.geometry import box_problem
from layers import REGISTRY
from layers._draw import ViewOptions

FORMATS: Final[tuple[str, ...]] = ("png", "pdf")
PAPERS: Final[dict[str, tuple[float, float]]] = {
    "A4": (11.69, 8.27),
    "A3": (16.54, 11.69),
    "letter": (11.0, 8.5),
    "slide": (12.33, 5.6),
}
"""Landscape paper sizes in inches (long side first); "slide" is a 16:9 slide's map body."""
ORIENTATIONS: Final = ("landscape", "portrait")
DEFAULT_BBOX: Final = (67.2, 36.4, 75.3, 41.2)
"""Tajikistan with the Fergana valley and the Afghan bank of the Panj (W, S, E, N)."""
DEFAULT_TITLE: Final = "Frontier Atlas: Tajik–Afghan and Tajik–Kyrgyz frontiers"
MAX_TITLE: Final = 200
MAX_LABEL: Final = 48
MAX_HANDLING: Final = 60
MAX_CAPTION: Final = 1200
EXPORT_MIME: Final[dict[str, str]] = {
    "png": "image/png",
    "pdf": "application/pdf",
    "html": "text/html",
}


def check_bbox(bbox: Sequence[float]) -> tuple[float, float, float, float]:
    """``(W, S, E, N)`` if it is a real box inside the map region; else ``ParamError``."""
    if len(bbox) != 4:
        raise ParamError("bbox must be four numbers W,S,E,N")
    west, south, east, north = (float(v) for v in bbox)
    problem = box_problem(west, south, east, north)
    if problem:
        raise ParamError(f"bbox {problem}")
    return west, south, east, north


def clamp_bbox(bbox: Sequence[float]) -> tuple[float, float, float, float]:
    """The part of a view's box inside the map region (a zoomed-out view reaches beyond it)."""
    west, south, east, north = (float(v) for v in bbox)
    rw, rs, re_, rn = REGION
    clamped = (max(west, rw), max(south, rs), min(east, re_), min(north, rn))
    if clamped[0] >= clamped[2] or clamped[1] >= clamped[3]:
        return DEFAULT_BBOX
    return clamped


def plain_text(value: object, *, limit: int) -> str:
    """Data text for matplotlib: one line, printable characters only, at most ``limit`` long."""
    text = "" if value is None else " ".join(str(value).split())
    text = "".join(ch for ch in text if ch.isprintable())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, kw_only=True)
class SheetRequest:
    """One briefing sheet: the date, the box, the layers and view options, and the page.

    ``compare`` (a second date) rings what changed between it and ``as_of``; ``caption`` is the
    story step's text under the map; ``page_note`` is a footer note such as "page 2 of 5".
    """

    as_of: dt.date
    bbox: tuple[float, float, float, float] = DEFAULT_BBOX
    layers: tuple[str, ...] = ()
    view: ViewOptions = field(default_factory=ViewOptions)
    title: str = DEFAULT_TITLE
    handling: str | None = None
    compare: dt.date | None = None
    caption: str | None = None
    page_note: str | None = None
    header: bool = True
    paper: str = "A4"
    orientation: str = "landscape"
    fmt: str = "png"
    dpi: int = 300

    def __post_init__(self) -> None:
        object.__setattr__(self, "bbox", check_bbox(self.bbox))
        object.__setattr__(self, "layers", tuple(self.layers))
        unknown = [layer for layer in self.layers if layer not in REGISTRY]
        if unknown:
            raise ParamError(f"unknown layer {unknown[0]!r}; known: {', '.join(REGISTRY)}")
        if self.paper not in PAPERS:
            raise ParamError(f"unknown paper {self.paper!r}; known: {', '.join(PAPERS)}")
        if self.orientation not in ORIENTATIONS:
            raise ParamError("orientation must be 'landscape' or 'portrait'")
        if self.fmt not in FORMATS:
            raise ParamError(f"format must be one of {', '.join(FORMATS)}, not {self.fmt!r}")
        if not 50 <= self.dpi <= 600:
            raise ParamError(f"dpi must be from 50 to 600, not {self.dpi}")

    @property
    def page_size(self) -> tuple[float, float]:
        """Width and height of the page in inches."""
        width, height = PAPERS[self.paper]
        return (height, width) if self.orientation == "portrait" else (width, height)
