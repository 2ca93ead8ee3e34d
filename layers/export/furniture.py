"""Sheet furniture: sources line, scale bar and north arrow, locator inset, text fitting."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Final

import geopandas as gpd
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from layers.export.frame import View, distance_label, metres_per_unit, nice_length
from layers.styles import LAYER_STYLE

LOCATOR_REGION: Final = (66.0, 35.5, 76.5, 42.0)
"""Tajikistan and its neighbours' border zones: the locator's usual window."""


def fit_text(text: Text, renderer: RendererBase, *, max_px: float) -> Text:
    """Shorten ``text`` with an ellipsis until it fits ``max_px`` wide."""
    full = text.get_text()
    cut = len(full)
    while cut > 1 and text.get_window_extent(renderer).width > max_px:
        cut = int(cut * 0.9)
        text.set_text(full[:cut].rstrip() + "…")
    return text


def sources_text(
    fig: Figure,
    publishers: Counter[str],
    renderer: RendererBase,
    *,
    x: float,
    y: float,
    max_px: float,
) -> Text:
    """'Sources: A; B; C +N more' — as many publishers (most cited first) as fit the width."""
    names = [name for name, _ in sorted(publishers.items(), key=lambda kv: (-kv[1], kv[0]))]
    text = fig.text(x, y, "", fontsize=7.5, va="top", ha="left", color="#374151")
    text.set_parse_math(False)
    if not names:
        text.set_text("Sources: none for the features shown (base map only).")
        return text
    best = 0
    for keep in range(1, len(names) + 1):  # most cited first; stop at the first that overflows
        more = len(names) - keep
        text.set_text("Sources: " + "; ".join(names[:keep]) + (f" +{more} more" if more else ""))
        if text.get_window_extent(renderer).width > max_px:
            break
        best = keep
    if best:
        more = len(names) - best
        text.set_text("Sources: " + "; ".join(names[:best]) + (f" +{more} more" if more else ""))
        return text
    return fit_text(text, renderer, max_px=max_px)


def scale_and_north(
    ax: Axes, view: View, *, map_width_in: float, width_in: float, height_in: float
) -> tuple[float, float]:
    """Geodesic scale bar (true at the map centre), representative fraction, north arrow.

    Returns the bar's length in metres and in inches on the page.
    """
    ax.set_xlim(0, width_in)
    ax.set_ylim(0, height_in)
    ax.set_axis_off()
    metres_per_in = (view.extent[2] - view.extent[0]) / map_width_in * metres_per_unit(view)
    bar_m = nice_length(metres_per_in * (width_in - 1.0))
    bar_in = bar_m / metres_per_in
    x0, y0, h = 0.05, 0.62, 0.07
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (x0 + i * bar_in / 4, y0),
                bar_in / 4,
                h,
                facecolor="#111827" if i % 2 == 0 else "white",
                edgecolor="#111827",
                linewidth=0.6,
            )
        )
    for frac in (0.0, 0.5, 1.0):
        label = "0" if frac == 0 else distance_label(bar_m * frac)
        ax.text(x0 + frac * bar_in, y0 - 0.05, label, ha="center", va="top", fontsize=7)
    scale = metres_per_in / 0.0254
    lon, lat = view.center_lonlat
    ax.text(
        x0,
        y0 + h + 0.1,
        f"Scale ≈ 1:{float(f'{scale:.2g}'):,.0f}\nat the map centre ({lat:.2f}° N)",
        fontsize=7,
        va="bottom",
        linespacing=1.3,
    )
    ax.text(
        x0,
        0.02,
        f"Lambert conformal conic, centred {lon:.2f}° E {lat:.2f}° N.\n"
        "Scale bar geodesic (WGS 84), true at the centre.",
        fontsize=6,
        va="bottom",
        color="#4b5563",
    )
    arrow_x, top = width_in - 0.3, height_in - 0.3
    ax.annotate(
        "",
        xy=(arrow_x, top),
        xytext=(arrow_x, top - 0.45),
        arrowprops={
            "arrowstyle": "-|>,head_width=0.35,head_length=0.7",
            "color": "#111827",
            "lw": 1.4,
        },
    )
    ax.text(arrow_x, top + 0.03, "N", ha="center", va="bottom", fontsize=10, fontweight="bold")
    return bar_m, bar_in


def locator_inset(
    ax: Axes, countries: gpd.GeoDataFrame | None, *, bbox: Sequence[float], extent: Sequence[float]
) -> None:
    """A small overview of the region (the base countries) with the sheet's box outlined in red.

    Drawn in longitude/latitude with the aspect of the region's middle latitude; ``extent`` is the
    overview's own window (the region, widened to hold the sheet's box).
    """
    west, south, east, north = extent
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)), adjustable="box", anchor="C")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#dbe4ea")
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)
        spine.set_edgecolor("#6b7280")
    if countries is not None and not countries.empty:
        areas = countries[countries.geom_type.str.endswith("Polygon")]
        if not areas.empty:
            style = LAYER_STYLE["base-country"]
            areas.geometry.simplify(0.02).plot(
                ax=ax, facecolor=style.fill, edgecolor=style.color, linewidth=0.4
            )
    ax.set_xlabel("")  # geopandas names the CRS axes; the inset needs no axis titles
    ax.set_ylabel("")
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    bw, bs, be, bn = bbox
    # a box too small to see at this scale is still shown: at least 2 % of the inset wide
    min_w, min_h = (east - west) * 0.02, (north - south) * 0.02
    cx, cy = (bw + be) / 2, (bs + bn) / 2
    w, h = max(be - bw, min_w), max(bn - bs, min_h)
    ax.add_patch(
        Rectangle(
            (cx - w / 2, cy - h / 2),
            w,
            h,
            facecolor="none",
            edgecolor="#dc2626",
            linewidth=1.3,
            zorder=5,
        )
    )


def inset_extent(bbox: Sequence[float]) -> tuple[float, float, float, float]:
    """The locator's window: the frontier region, widened to hold ``bbox`` with a margin."""
    rw, rs, re_, rn = LOCATOR_REGION
    west, south, east, north = bbox
    return (min(rw, west - 0.3), min(rs, south - 0.3), max(re_, east + 0.3), max(rn, north + 0.3))
