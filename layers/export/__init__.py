"""Briefing export: the map as a print sheet (PNG or vector PDF), drawn server-side with matplotlib.

Every caller builds one frozen ``SheetRequest`` (date, box, layers, view options, title, handling,
compare date, paper, format) and passes it to ``briefing_sheet`` (the figure) or ``export_figure``
(the bytes).  The package splits the work: ``request`` (options and their checks), ``frame`` (the
projection and scale), ``drawing`` (what is drawn and how), ``labels``, ``legend``, ``furniture``
(scale bar, north arrow, locator inset, sources) and ``render`` (the page layout and saving).
"""

from __future__ import annotations

from layers.export.drawing import Drawn, Source
from layers.export.frame import local_crs, nice_length
from layers.export.render import RC, Sheet, briefing_sheet, export_figure, save_sheet
from layers.export.request import (
    DEFAULT_BBOX,
    DEFAULT_TITLE,
    EXPORT_MIME,
    FORMATS,
    MAX_CAPTION,
    MAX_HANDLING,
    MAX_TITLE,
    ORIENTATIONS,
    PAPERS,
    SheetRequest,
    check_bbox,
    clamp_bbox,
    plain_text,
)

__all__ = [
    "DEFAULT_BBOX",
    "DEFAULT_TITLE",
    "EXPORT_MIME",
    "FORMATS",
    "MAX_CAPTION",
    "MAX_HANDLING",
    "MAX_TITLE",
    "ORIENTATIONS",
    "PAPERS",
    "RC",
    "Drawn",
    "Sheet",
    "SheetRequest",
    "Source",
    "briefing_sheet",
    "check_bbox",
    "clamp_bbox",
    "export_figure",
    "local_crs",
    "nice_length",
    "plain_text",
    "save_sheet",
]
