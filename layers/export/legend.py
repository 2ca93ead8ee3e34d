"""The legend: one row for exactly each style drawn on the sheet, in the live legend's order."""

from __future__ import annotations

from typing import Final

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from layers._draw import POINT_RADIUS
from layers.export.drawing import PX_TO_PT, Drawn, linestyle, rgba
from layers.mapview import legend_entries
from layers.styles import CHANGE_STYLE, LAYER_STYLE

_SIZES: Final = ((8.0, 0.5), (7.5, 0.4), (7.0, 0.3), (6.5, 0.2))
"""Font size (pt) and row spacing tried in turn until the legend fits its panel."""


def draw_legend(ax: Axes, drawn: Drawn) -> list[str]:
    """Legend rows for exactly the styles on the sheet, in the live legend's order."""
    ax.set_axis_off()
    visible = dict(drawn.styles)
    rows = [(label, style) for label, style in legend_entries() if style in visible]
    listed = {style for _, style in rows}
    extra = [*LAYER_STYLE.values(), CHANGE_STYLE]  # the compare halo is not a layer's style
    rows += [(s.label, s) for s in extra if s in visible and s not in listed]
    handles: list[Artist] = []
    for _, style in rows:
        lw = style.weight * PX_TO_PT
        if visible[style] == "point":
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=2 * POINT_RADIUS * PX_TO_PT,
                    markerfacecolor=rgba(style.fill or style.color, style.fill_opacity),
                    markeredgecolor=style.color,
                    markeredgewidth=lw,
                )
            )
        elif visible[style] == "area" and style.fill:
            handles.append(
                Patch(
                    facecolor=rgba(style.fill, style.fill_opacity),
                    edgecolor=style.color,
                    linewidth=lw,
                    linestyle=linestyle(style),
                )
            )
        else:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=style.color,
                    linewidth=lw,
                    linestyle=linestyle(style),
                    dash_capstyle="butt",
                )
            )
    labels = [label for label, _ in rows]
    if not rows:
        ax.text(0, 1, "Legend\nNo layer features in this view.", va="top", fontsize=8)
        return []
    room = ax.get_window_extent().height
    for size, spacing in _SIZES:  # a long legend (the whole region) gets tighter, not longer
        legend = ax.legend(
            handles,
            labels,
            loc="upper left",
            bbox_to_anchor=(0, 1),
            frameon=False,
            fontsize=size,
            title="Legend",
            title_fontsize=9,
            alignment="left",
            handlelength=3.2,
            borderaxespad=0,
            labelspacing=spacing,
        )
        if legend.get_window_extent().height <= room:
            break
    return labels
