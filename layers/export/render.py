"""The sheet composed: fixed page regions, then PNG (raster) or PDF (vector, real text) bytes.

The page is laid out in fixed regions — header, map, side panel (legend, locator, scale, north),
footer (caption, sources, attribution) — so no text is ever drawn over the legend or across the
map frame.  Nothing here touches the network.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, cast

import geopandas as gpd
import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType

from layers import draw_order, episodic_layers
from layers.export.drawing import Drawn, changed_rows, draw_changed, draw_layer, select
from layers.export.frame import sheet_zoom, view_for
from layers.export.furniture import (
    fit_text,
    inset_extent,
    locator_inset,
    scale_and_north,
    sources_text,
)
from layers.export.labels import border_lines, marker_boxes, place_labels, sheet_labels
from layers.export.legend import draw_legend
from layers.export.request import (
    MAX_CAPTION,
    MAX_HANDLING,
    MAX_TITLE,
    SheetRequest,
    plain_text,
)
from layers.styles import ATTRIBUTION, CHANGE_STYLE, DISCLAIMER

_M: Final = 0.4  # page margin, inches
_PANEL_W: Final = 2.55
_GAP: Final = 0.25
_HEADER_H: Final = 1.05
_FOOTER_H: Final = 1.0
_SCALE_H: Final = 1.45
_LOCATOR_H: Final = 1.6
_CAPTION_LINE_H: Final = 0.17
_CAPTION_MAX_LINES: Final = 6
_CAPTION_CHARS_PER_IN: Final = 15.5  # 9 pt text: a safe average, so a line never overruns
RC: Final[dict[RcKeyType, Any]] = {"text.usetex": False, "pdf.fonttype": 42, "svg.fonttype": "none"}
"""Saving options: TrueType (Type 42) fonts, so names in the PDF are real, searchable text."""


@dataclass(frozen=True)
class Sheet:
    """A composed briefing figure and what it shows (for the caller and tests)."""

    figure: Figure
    legend: tuple[str, ...]
    labels: tuple[str, ...]
    map_axes: Axes
    scale_m: float
    scale_bar_in: float
    locator_axes: Axes
    drawn: Drawn
    label_kinds: tuple[str, ...] = ()
    """The kind of each name in ``labels`` (country, city, village, river, enclave…)."""
    zoom: int = 0
    """The web-map zoom the sheet's scale matches (which names it writes)."""


def caption_lines(caption: str | None, *, width_in: float) -> list[str]:
    """The caption wrapped to the text width, at most six lines (the last ends in … if cut)."""
    text = plain_text(caption, limit=MAX_CAPTION)
    if not text:
        return []
    lines = textwrap.wrap(text, width=max(20, int(width_in * _CAPTION_CHARS_PER_IN)))
    if len(lines) > _CAPTION_MAX_LINES:
        lines = lines[:_CAPTION_MAX_LINES]
        lines[-1] = lines[-1][:-1].rstrip() + "…"
    return lines


def briefing_sheet(frames: Mapping[str, gpd.GeoDataFrame], request: SheetRequest) -> Sheet:
    """Compose the briefing page of ``request`` as a matplotlib Figure (not yet saved)."""
    width, height = request.page_size
    dpi = request.dpi
    fig = Figure(figsize=(width, height), dpi=dpi, facecolor="white")
    caption = caption_lines(request.caption, width_in=width - 2 * _M)
    footer_h = _FOOTER_H + (len(caption) * _CAPTION_LINE_H + 0.15 if caption else 0.0)

    header_h = _HEADER_H if request.header else 0.3
    map_w = width - 2 * _M - _PANEL_W - _GAP
    map_h = height - header_h - footer_h
    # the locator gives way on a short page, so the legend keeps at least 1.6 in
    locator_h = max(0.9, min(_LOCATOR_H, map_h - _SCALE_H - 0.35 - 1.6))
    map_ax = fig.add_axes((_M / width, footer_h / height, map_w / width, map_h / height))
    panel_x = (width - _M - _PANEL_W) / width
    legend_bottom = footer_h + _SCALE_H + 0.15 + locator_h + 0.2
    legend_ax = fig.add_axes(
        (
            panel_x,
            legend_bottom / height,
            _PANEL_W / width,
            (footer_h + map_h - legend_bottom) / height,
        )
    )
    locator_ax = fig.add_axes(
        (
            panel_x,
            (footer_h + _SCALE_H + 0.15) / height,
            _PANEL_W / width,
            locator_h / height,
        )
    )
    scale_ax = fig.add_axes((panel_x, footer_h / height, _PANEL_W / width, _SCALE_H / height))

    window = view_for(request.bbox, aspect=map_w / map_h)
    drawn = select(
        frames, layers=request.layers, as_of=request.as_of, view_opts=request.view, view=window
    )
    if request.compare is not None:
        before, after = sorted((request.compare, request.as_of))
        drawn.changed = changed_rows(
            frames, layers=request.layers, before=before, after=after, view=window
        )
        if drawn.changed is not None:
            drawn.styles[CHANGE_STYLE] = "line"  # the legend explains the halo

    map_ax.set_facecolor("#eef0f2")
    if drawn.changed is not None:
        draw_changed(map_ax, drawn.changed)
    for order, layer_id in enumerate(draw_order()):  # the live map's order, bottom to top
        if layer_id in drawn.layers:
            draw_layer(map_ax, layer_id, drawn.layers[layer_id], order=order)
    locator_inset(
        locator_ax,
        frames.get("base"),
        bbox=request.bbox,
        extent=inset_extent(request.bbox),
    )
    # Attached only now: geopandas asks the canvas to redraw after every plot call, and the
    # default canvas ignores that, while an Agg canvas would render the whole page each time.
    renderer = _renderer(fig)
    x0, y0, x1, y1 = window.extent
    map_ax.set_xlim(x0, x1)
    map_ax.set_ylim(y0, y1)
    map_ax.set_aspect("equal", adjustable="box")
    map_ax.apply_aspect()  # geopandas' autoscaling left a stale box: fix it before measuring
    map_ax.set_xticks([])
    map_ax.set_yticks([])
    map_ax.set_xlabel("")
    map_ax.set_ylabel("")
    for spine in map_ax.spines.values():
        spine.set_linewidth(0.8)

    zoom = round(sheet_zoom(window, map_width_in=map_w))  # the nearest whole zoom, as on screen
    names = sheet_labels(
        frames, drawn, layers=request.layers, as_of=request.as_of, zoom=zoom, view=window
    )
    placed = place_labels(
        map_ax,
        names,
        renderer,
        avoid=marker_boxes(map_ax, drawn, renderer),
        lines=border_lines(map_ax, drawn),
    )
    legend = draw_legend(legend_ax, drawn)
    scale_m, scale_in = scale_and_north(
        scale_ax, window, map_width_in=map_w, width_in=_PANEL_W, height_in=_SCALE_H
    )
    _header_and_footer(fig, request, drawn, caption, footer_h=footer_h)
    return Sheet(
        fig,
        tuple(legend),
        tuple(p.text.get_text() for p in placed),
        map_ax,
        scale_m,
        scale_in,
        locator_ax,
        drawn,
        tuple(p.label.kind for p in placed),
        zoom,
    )


def _renderer(fig: Figure) -> RendererAgg:
    """The Agg renderer of a sheet's figure (``briefing_sheet`` attached an Agg canvas)."""
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(fig)
    return cast(RendererAgg, canvas.get_renderer())


def _header_and_footer(
    fig: Figure, request: SheetRequest, drawn: Drawn, caption: list[str], *, footer_h: float
) -> None:
    """Handling line (top and bottom), title, as-of line, caption, sources, attribution, page."""
    width, height = request.page_size
    renderer = _renderer(fig)
    text_w_px = (width - 2 * _M) * request.dpi
    if request.handling and request.header:
        mark = plain_text(request.handling, limit=MAX_HANDLING).upper()
        for y in (height - 0.22, 0.22):
            t = fig.text(
                0.5,
                y / height,
                mark,
                ha="center",
                va="center",
                fontsize=9,
                fontweight="bold",
                color="#991b1b",
            )
            t.set_parse_math(False)
    _footer(fig, request, drawn, caption, footer_h=footer_h, text_w_px=text_w_px)
    if not request.header:
        return
    title_text = fig.text(
        _M / width,
        (height - 0.42) / height,
        plain_text(request.title, limit=MAX_TITLE),
        fontsize=15,
        fontweight="bold",
        va="top",
    )
    title_text.set_parse_math(False)
    fit_text(title_text, renderer, max_px=text_w_px)
    as_of_line = f"As of {request.as_of.isoformat()}"
    if request.compare is not None:
        as_of_line += f"  ·  yellow halos: changed since {request.compare.isoformat()}"
    if any(layer in episodic_layers() for layer in drawn.layers):
        as_of_line += (
            f"  ·  events and exercises of the {request.view.window_days} days up to this date, "
            "fainter with age"
        )
    as_of_text = fig.text(
        _M / width, (height - 0.78) / height, as_of_line, fontsize=9.5, va="top", color="#1f2937"
    )
    fit_text(as_of_text, renderer, max_px=text_w_px)


def _footer(
    fig: Figure,
    request: SheetRequest,
    drawn: Drawn,
    caption: list[str],
    *,
    footer_h: float,
    text_w_px: float,
) -> None:
    """Caption, sources line, attribution and disclaimer, page note."""
    width, height = request.page_size
    renderer = _renderer(fig)
    if caption:
        cap = fig.text(
            _M / width,
            (footer_h - 0.12) / height,
            "\n".join(caption),
            fontsize=9,
            va="top",
            linespacing=1.25,
            color="#111827",
        )
        cap.set_parse_math(False)
    sources_text(
        fig,
        drawn.publishers,
        renderer,
        x=_M / width,
        y=(_FOOTER_H - 0.2) / height,
        max_px=text_w_px,
    )
    fig.text(
        _M / width,
        (_FOOTER_H - 0.5) / height,
        f"{ATTRIBUTION}.  {DISCLAIMER}",
        fontsize=8,
        va="top",
        color="#111827",
    )
    if request.page_note:
        note = fig.text(
            (width - _M) / width,
            0.22 / height,
            plain_text(request.page_note, limit=40),
            ha="right",
            va="center",
            fontsize=8,
            color="#374151",
        )
        note.set_parse_math(False)


def save_sheet(sheet: Sheet, request: SheetRequest) -> bytes:
    """A composed sheet as PNG (``request.dpi`` raster) or PDF (vector, TrueType text) bytes."""
    out = io.BytesIO()
    metadata: dict[str, Any] = (
        {
            "Title": plain_text(request.title, limit=MAX_TITLE),
            "Creator": "Frontier Atlas",
            "CreationDate": None,
        }
        if request.fmt == "pdf"
        else {"Software": "Frontier Atlas"}
    )
    with mpl.rc_context(RC):
        sheet.figure.savefig(out, format=request.fmt, dpi=request.dpi, metadata=metadata)
    return out.getvalue()


def export_figure(frames: Mapping[str, gpd.GeoDataFrame], request: SheetRequest) -> bytes:
    """The briefing sheet of ``request`` as PNG or PDF bytes."""
    return save_sheet(briefing_sheet(frames, request), request)
