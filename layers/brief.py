"""Briefing packs: a story (geo.story) rendered as a PDF booklet or a PowerPoint deck.

PDF (A4 landscape, vector, TrueType text): a cover (title, date made, handling line, the data's
as-of date), one sheet per step (every sheet furniture plus the step's caption), a table of changes
after any step with a compare date, and a sources appendix — every source of every feature drawn
on any page, numbered once, with the pages that use it.  Page numbers and the handling line are on
every page.  PPTX (16:9): one slide per step (the step's map image filling the body, the step
title, the caption as an editable text box, the date and attribution) and sources slides.

Every text from the story or the data is drawn as plain text (mathtext off, no markup, no links).
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import geopandas as gpd
import matplotlib as mpl
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from geo.errors import ParamError
from geo.story import Story, StoryStep
from layers import changes
from layers._draw import ViewOptions
from layers.export import RC, Sheet, SheetRequest, Source, briefing_sheet, plain_text, save_sheet
from layers.styles import ATTRIBUTION, DISCLAIMER

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, what)`` while a pack renders (the page shows a bar)."""

FORMATS: Final = ("pdf", "pptx")
MEDIA_TYPE: Final = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_A4: Final = (11.69, 8.27)
_M: Final = 0.6
_TABLE_ROWS: Final = 20
_APPENDIX_LINES: Final = 44
_SLIDE_SOURCES: Final = 16


@dataclass(frozen=True)
class Cited:
    """One numbered source of the appendix and the pages (or slides) that draw its features."""

    number: int
    source: Source
    pages: tuple[int, ...]

    def line(self) -> str:
        """``[3] Publisher: Title (date). url — pages 2, 4``"""
        src = self.source
        text = f"[{self.number}] {src.publisher or 'Unknown publisher'}"
        if src.title:
            text += f": {src.title}"
        if src.date:
            text += f" ({src.date})"
        if src.url:
            text += f". {src.url}"
        where = "page" if len(self.pages) == 1 else "pages"
        return f"{text} — {where} {', '.join(map(str, self.pages))}"


@dataclass
class _Pages:
    """Sources per page number, gathered while the steps render."""

    by_source: dict[Source, set[int]] = field(default_factory=dict)

    def add(self, page: int, sources: Mapping[Source, Any]) -> None:
        for src in sources:
            self.by_source.setdefault(src, set()).add(page)

    def numbered(self) -> list[Cited]:
        order = sorted(
            self.by_source.items(),
            key=lambda kv: (min(kv[1]), kv[0].publisher.lower(), kv[0].title.lower()),
        )
        return [Cited(i, src, tuple(sorted(pages))) for i, (src, pages) in enumerate(order, 1)]


def data_as_of(frames: Mapping[str, gpd.GeoDataFrame], *, today: dt.date | None = None) -> dt.date:
    """The latest date in the data (a feature's dates, status changes, sources), not after today."""
    limit = today or dt.date.today()
    latest = dt.date(1991, 1, 1)
    for frame in frames.values():
        if frame.empty:
            continue
        for row in frame.drop(columns=frame.geometry.name).to_dict("records"):
            for day in _dates(row):
                if latest < day <= limit:
                    latest = day
    return latest


def _dates(value: Any) -> Iterator[dt.date]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in {"valid_from", "valid_to", "from", "date"} and isinstance(item, str):
                try:
                    yield dt.date.fromisoformat(item[:10])
                except ValueError:
                    continue
            elif isinstance(item, list | tuple | Mapping):
                yield from _dates(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _dates(item)


def step_request(story: Story, step: StoryStep, **options: Any) -> SheetRequest:
    """The sheet of one story step (its box, date, compare date, layers, statuses, caption)."""
    fields: dict[str, Any] = {
        "as_of": step.date,
        "bbox": step.bbox,
        "layers": step.layers,
        "view": ViewOptions(statuses=frozenset(step.status)),
        "title": step.title,
        "handling": story.handling,
        "compare": step.compare,
        "caption": step.caption or None,
    }
    return SheetRequest(**{**fields, **options})


# --------------------------------------------------------------------------- PDF


def _page_furniture(fig: Figure, *, page: int, total: int, handling: str | None) -> None:
    """Page number bottom right; the handling line top and bottom (sheets draw their own)."""
    width, height = fig.get_size_inches()
    note = fig.text(
        (width - 0.4) / width,
        0.22 / height,
        f"Page {page} of {total}",
        ha="right",
        va="center",
        fontsize=8,
        color="#374151",
    )
    note.set_parse_math(False)
    if handling:
        for y in (height - 0.22, 0.22):
            mark = fig.text(
                0.5,
                y / height,
                plain_text(handling, limit=60).upper(),
                ha="center",
                va="center",
                fontsize=9,
                fontweight="bold",
                color="#991b1b",
            )
            mark.set_parse_math(False)


def _text_page(title: str) -> Figure:
    fig = Figure(figsize=_A4, facecolor="white")
    width, height = _A4
    head = fig.text(_M / width, (height - 0.6) / height, title, fontsize=16, fontweight="bold")
    head.set_parse_math(False)
    return fig


def _cover(story: Story, *, made: dt.date, as_of: dt.date, contents: list[str]) -> Figure:
    fig = Figure(figsize=_A4, facecolor="white")
    width, height = _A4
    y = height - 2.0
    title = fig.text(
        _M / width, y / height, plain_text(story.title, limit=200), fontsize=24, fontweight="bold"
    )
    title.set_parse_math(False)
    lines = [
        f"Briefing pack made {made.isoformat()} with Frontier Atlas",
        f"Data as of {as_of.isoformat()} (the latest date in the atlas's data)",
    ]
    if story.handling:
        lines.insert(0, f"Handling: {plain_text(story.handling, limit=60).upper()}")
    for i, line in enumerate(lines):
        t = fig.text(_M / width, (y - 0.6 - 0.32 * i) / height, line, fontsize=12)
        t.set_parse_math(False)
    y -= 0.6 + 0.32 * len(lines) + 0.4
    head = fig.text(_M / width, y / height, "Contents", fontsize=12, fontweight="bold")
    head.set_parse_math(False)
    for i, line in enumerate(contents[:16]):
        t = fig.text(_M / width, (y - 0.3 - 0.26 * i) / height, line, fontsize=10)
        t.set_parse_math(False)
    foot = fig.text(
        _M / width, 0.7 / height, f"{ATTRIBUTION}.  {DISCLAIMER}", fontsize=8, color="#374151"
    )
    foot.set_parse_math(False)
    return fig


def _changes_pages(
    frames: Mapping[str, gpd.GeoDataFrame], step: StoryStep, *, step_page: int
) -> list[Figure]:
    """The changes between the step's compare date and its date, as table pages."""
    if step.compare is None:
        return []
    before, after = sorted((step.compare, step.date))
    found = [
        c for c in changes.compute(frames, before=before, after=after) if c.layer in step.layers
    ]
    rows = changes.table(found, frames).to_dict("records")
    title = f"Changes {before.isoformat()} → {after.isoformat()} (page {step_page}: {step.title})"
    pages = []
    chunks = [rows[i : i + _TABLE_ROWS] for i in range(0, len(rows), _TABLE_ROWS)] or [[]]
    for chunk in chunks:
        fig = _text_page(plain_text(title, limit=150))
        width, height = _A4
        if not chunk:
            t = fig.text(
                _M / width,
                (height - 1.2) / height,
                "No feature of the shown layers changed between these dates.",
                fontsize=11,
            )
            t.set_parse_math(False)
        else:
            ax = fig.add_axes(
                (_M / width, 0.9 / height, 1 - 2 * _M / width, (height - 2.1) / height)
            )
            ax.set_axis_off()
            cells = [
                [
                    plain_text(r["layer"], limit=14),
                    plain_text(r["feature"], limit=42),
                    plain_text(r["change"], limit=12),
                    plain_text(r["from"], limit=14),
                    plain_text(r["to"], limit=14),
                    "" if r["km"] is None or r["km"] != r["km"] else f"{r['km']:g}",
                    plain_text(r["source"], limit=70),
                ]
                for r in chunk
            ]
            table = ax.table(
                cellText=cells,
                colLabels=["Layer", "Feature", "Change", "From", "To", "km", "Source"],
                colWidths=[0.08, 0.24, 0.07, 0.08, 0.08, 0.04, 0.41],
                cellLoc="left",
                bbox=Bbox.from_bounds(
                    0.0, 1 - 0.045 * (len(cells) + 1), 1.0, 0.045 * (len(cells) + 1)
                ),
            )
            table.auto_set_font_size(False)
            table.set_fontsize(7.5)
            for cell in table.get_celld().values():
                cell.get_text().set_parse_math(False)
        pages.append(fig)
    return pages


def _appendix_pages(cited: list[Cited]) -> list[Figure]:
    """The numbered sources, wrapped, as many pages as they need."""
    chunks: list[list[str]] = [[]]
    for entry in cited:  # an entry never splits across pages
        wrapped = textwrap.wrap(entry.line(), width=150, subsequent_indent="      ")
        if len(chunks[-1]) + len(wrapped) > _APPENDIX_LINES:
            chunks.append([])
        chunks[-1] += wrapped
    if not cited:
        chunks = [["No source: nothing with a source is drawn on any page."]]
    pages = []
    for n, chunk in enumerate(chunks, 1):
        suffix = f" ({n} of {len(chunks)})" if len(chunks) > 1 else ""
        fig = _text_page(f"Sources{suffix}")
        width, height = _A4
        body = fig.text(
            _M / width,
            (height - 1.0) / height,
            "\n".join(chunk),
            fontsize=7.5,
            va="top",
            linespacing=1.35,
            family="DejaVu Sans",
        )
        body.set_parse_math(False)
        pages.append(fig)
    return pages


def _step_sheets(
    frames: Mapping[str, gpd.GeoDataFrame],
    story: Story,
    *,
    dpi: int,
    paper: str,
    header: bool,
    progress: Progress | None,
    total: int,
) -> list[Sheet]:
    sheets = []
    for i, step in enumerate(story.steps):
        if progress:
            progress(i, total, f"step {i + 1} of {len(story.steps)}: {step.title}")
        request = step_request(story, step, dpi=dpi, paper=paper, header=header)
        sheets.append(briefing_sheet(frames, request))
    return sheets


def pack_pdf(
    frames: Mapping[str, gpd.GeoDataFrame],
    story: Story,
    *,
    made: dt.date | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The story as a PDF booklet (A4 landscape, vector) — see the module docstring."""
    made = made or dt.date.today()
    total_work = len(story.steps) + 1
    sheets = _step_sheets(
        frames, story, dpi=150, paper="A4", header=True, progress=progress, total=total_work
    )
    body: list[tuple[Figure, bool]] = []  # (figure, draws its own handling line)
    pages = _Pages()
    contents = []
    for step, sheet in zip(story.steps, sheets, strict=True):
        page = len(body) + 2
        contents.append(
            f"Page {page}: {plain_text(step.title, limit=90)} ({step.date.isoformat()})"
        )
        pages.add(page, sheet.drawn.sources)
        body.append((sheet.figure, True))
        body += [(fig, False) for fig in _changes_pages(frames, step, step_page=page)]
    appendix = _appendix_pages(pages.numbered())
    contents.append(f"Page {len(body) + 2}: Sources")
    cover = _cover(story, made=made, as_of=data_as_of(frames, today=made), contents=contents)
    figures = [(cover, False), *body, *((fig, False) for fig in appendix)]
    total = len(figures)
    out = io.BytesIO()
    if progress:
        progress(len(story.steps), total_work, "assembling the PDF")
    with mpl.rc_context(RC), PdfPages(out, metadata=_pdf_metadata(story)) as pdf:
        for number, (fig, own_handling) in enumerate(figures, 1):
            handling = None if own_handling else story.handling
            _page_furniture(fig, page=number, total=total, handling=handling)
            pdf.savefig(fig)
    if progress:
        progress(total_work, total_work, "done")
    return out.getvalue()


def _pdf_metadata(story: Story) -> dict[str, Any]:
    return {
        "Title": plain_text(story.title, limit=200),
        "Creator": "Frontier Atlas",
        "CreationDate": None,
    }


# --------------------------------------------------------------------------- PPTX


def pack_pptx(
    frames: Mapping[str, gpd.GeoDataFrame],
    story: Story,
    *,
    made: dt.date | None = None,
    progress: Progress | None = None,
    dpi: int = 150,
) -> bytes:
    """The story as a 16:9 PowerPoint deck — see the module docstring."""
    from pptx import Presentation  # python-pptx: imported here, only packs need it
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    made = made or dt.date.today()
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]
    pages = _Pages()
    total_work = len(story.steps) + 1

    def text_box(slide: Any, x: float, y: float, w: float, h: float, text: str, size: float,
                 *, bold: bool = False, color: str = "111827", name: str = "") -> Any:  # fmt: skip
        shape = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        if name:
            shape.name = name
        frame = shape.text_frame
        frame.word_wrap = True
        for i, line in enumerate(text.split("\n")):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = para.add_run()
            run.text = line  # plain text: python-pptx escapes it as XML character data
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = RGBColor.from_string(color)  # type: ignore[no-untyped-call]  # python-pptx: from_string is unannotated
        return shape

    def furniture(slide: Any, number: int) -> None:
        if story.handling:
            text_box(slide, 9.3, 0.1, 3.8, 0.35, plain_text(story.handling, limit=60).upper(),
                     11, bold=True, color="991B1B", name="Handling")  # fmt: skip
        text_box(slide, 12.2, 7.1, 1.0, 0.3, str(number), 9, color="374151", name="Slide number")

    for i, step in enumerate(story.steps):
        if progress:
            progress(i, total_work, f"step {i + 1} of {len(story.steps)}: {step.title}")
        request = step_request(story, step, dpi=dpi, paper="slide", header=False, caption=None)
        sheet = briefing_sheet(frames, request)
        image = save_sheet(sheet, request)
        slide = deck.slides.add_slide(blank)
        number = len(deck.slides)
        pages.add(number, sheet.drawn.sources)
        text_box(slide, 0.5, 0.15, 8.7, 0.6, plain_text(step.title, limit=200), 24, bold=True,
                 name="Title")  # fmt: skip
        picture = slide.shapes.add_picture(io.BytesIO(image), Inches(0.5), Inches(0.8),
                                           width=Inches(12.33), height=Inches(5.6))  # fmt: skip
        picture.name = "Map"
        text_box(slide, 0.5, 6.42, 12.33, 0.62, step.caption, 13, name="Caption")
        when = f"As of {step.date.isoformat()}"
        if step.compare:
            when += f" · changes since {step.compare.isoformat()} in yellow halos"
        text_box(slide, 0.5, 7.05, 11.6, 0.35, f"{when}   ·   {ATTRIBUTION}", 9, color="374151",
                 name="Date and attribution")  # fmt: skip
        furniture(slide, number)
    if progress:
        progress(len(story.steps), total_work, "sources")
    cited = pages.numbered()
    chunks = [cited[i : i + _SLIDE_SOURCES] for i in range(0, len(cited), _SLIDE_SOURCES)] or [[]]
    for n, chunk in enumerate(chunks, 1):
        slide = deck.slides.add_slide(blank)
        suffix = f" ({n} of {len(chunks)})" if len(chunks) > 1 else ""
        text_box(slide, 0.5, 0.15, 8.7, 0.6, f"Sources{suffix}", 24, bold=True, name="Title")
        body = "\n".join(
            textwrap.shorten(entry.line().replace("— page", "— slide"), 230, placeholder="…")
            for entry in chunk
        )
        text_box(slide, 0.5, 0.85, 12.33, 6.1, body or "No source: nothing drawn has a source.",
                 10, name="Sources")  # fmt: skip
        text_box(slide, 0.5, 7.05, 11.6, 0.35, f"{ATTRIBUTION}.  {DISCLAIMER}", 9,
                 color="374151", name="Date and attribution")  # fmt: skip
        furniture(slide, len(deck.slides))
    deck.core_properties.title = plain_text(story.title, limit=200)
    deck.core_properties.author = "Frontier Atlas"
    deck.core_properties.created = dt.datetime.combine(made, dt.time())
    out = io.BytesIO()
    deck.save(out)
    if progress:
        progress(total_work, total_work, "done")
    return out.getvalue()


def render_pack(
    frames: Mapping[str, gpd.GeoDataFrame],
    story: Story,
    *,
    fmt: str,
    made: dt.date | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The pack in ``fmt`` ("pdf" or "pptx")."""
    if fmt == "pdf":
        return pack_pdf(frames, story, made=made, progress=progress)
    if fmt == "pptx":
        return pack_pptx(frames, story, made=made, progress=progress)
    raise ParamError(f"pack format must be one of {', '.join(FORMATS)}, not {fmt!r}")
