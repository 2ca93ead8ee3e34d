"""Names on the map: enclaves on their area, places beside their dot, greedy and never overlapping.

Data text is drawn as plain text: matplotlib is not HTML, so it is not entity-escaped, but mathtext
parsing is switched off on every label (a ``$`` in a village name must not be read as TeX).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox, IdentityTransform

from layers._draw import POINT_RADIUS
from layers.export.drawing import PX_TO_PT, Drawn
from layers.export.request import MAX_LABEL, plain_text
from layers.styles import LAYER_STYLE

_LABEL_CLASS_RANK: Final = {"capital": 0, "city": 1, "town": 2, "village": 3, "site": 4}
_LABEL_SIZE: Final = {"capital": 9.0, "city": 8.0, "town": 7.0, "village": 7.0, "site": 6.5}
HALO: Final[list[patheffects.AbstractPathEffect]] = [
    patheffects.Stroke(linewidth=2.2, foreground="white")
]
"""The white outline under a label: the stroke only, drawn from a copy of the label."""


class Halo(Artist):
    """A label's white outline, drawn as a path under the label.

    The label itself stays a plain text artist without path effects, so a vector PDF keeps it as
    real (searchable, selectable) text; a path effect on the label would turn its glyphs into
    outlines.  Not a ``Text`` itself, so the axes' texts are exactly the labels.
    """

    def __init__(self, label: Annotation) -> None:
        super().__init__()
        x, y = label.xy
        self._copy = Annotation(
            label.get_text(),
            (x, y),
            xytext=label.xyann,
            textcoords=label.anncoords,
            ha=label.get_horizontalalignment(),
            va=label.get_verticalalignment(),
            fontsize=label.get_fontsize(),
            fontstyle=label.get_fontstyle(),
            color="white",
            annotation_clip=True,
        )
        self._copy.set_parse_math(False)
        self._copy.set_path_effects(HALO)
        self.set_zorder(label.get_zorder() - 0.01)

    def attach(self, ax: Axes) -> None:
        """Add to ``ax`` (the copy is positioned in ``ax``'s data coordinates)."""
        self._copy.axes = ax
        self._copy.set_figure(ax.figure)
        self._copy.set_transform(IdentityTransform())
        ax.add_artist(self)

    def draw(self, renderer: RendererBase) -> None:
        """Draw the copy's stroke."""
        self._copy.draw(renderer)


@dataclass(frozen=True)
class _Label:
    text: str
    x: float
    y: float
    size: float
    rank: int
    color: str
    style: str  # "normal" | "italic"
    centred: bool  # area labels sit on the area; point labels beside the dot


_POINT_SLOTS: Final = (
    (1, 0, "left", "center"),
    (-1, 0, "right", "center"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
    (1, 1, "left", "bottom"),
    (1, -1, "left", "top"),
    (-1, 1, "right", "bottom"),
    (-1, -1, "right", "top"),
)
_AREA_SLOTS: Final = ((0, 0, "center", "center"), *_POINT_SLOTS[2:4])


def labels_for(drawn: Drawn) -> list[_Label]:
    """Names of the enclaves and places on the sheet, most important first."""
    out: list[_Label] = []
    enclaves = drawn.layers.get("enclaves")
    if enclaves is not None:
        color = LAYER_STYLE["enclaves"].color
        for name, geom in zip(enclaves["name"], enclaves.geometry, strict=True):
            anchor = geom.representative_point()
            out.append(
                _Label(
                    plain_text(name, limit=MAX_LABEL),
                    anchor.x,
                    anchor.y,
                    7.5,
                    -1,
                    color,
                    "italic",
                    True,
                )
            )
    places = drawn.layers.get("places")
    if places is not None:
        for name, kind, geom in zip(places["name"], places["kind"], places.geometry, strict=True):
            anchor = geom.representative_point()
            out.append(
                _Label(
                    plain_text(name, limit=MAX_LABEL),
                    anchor.x,
                    anchor.y,
                    _LABEL_SIZE.get(kind, 7.0),
                    _LABEL_CLASS_RANK.get(kind, 5),
                    "#111827",
                    "normal",
                    False,
                )
            )
    return sorted((lb for lb in out if lb.text), key=lambda lb: lb.rank)


def place_labels(
    ax: Axes, labels: list[_Label], renderer: RendererBase, *, avoid: list[Bbox]
) -> list[Text]:
    """Greedy placement: each label takes the first slot that overlaps nothing placed; else none."""
    frame = ax.get_window_extent(renderer)
    taken = list(avoid)
    placed: list[Text] = []
    offset_pt = POINT_RADIUS * PX_TO_PT + 2
    for label in labels:
        slots = _AREA_SLOTS if label.centred else _POINT_SLOTS
        for dx, dy, ha, va in slots:
            text = ax.annotate(
                label.text,
                (label.x, label.y),
                xytext=(dx * offset_pt, dy * offset_pt),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=label.size,
                fontstyle=label.style,
                color=label.color,
                zorder=5,
                annotation_clip=True,
            )
            text.set_parse_math(False)
            ext = text.get_window_extent(renderer).expanded(1.04, 1.1)
            inside = frame.containsx(ext.x0) and frame.containsx(ext.x1)
            inside = inside and frame.containsy(ext.y0) and frame.containsy(ext.y1)
            if inside and not any(ext.overlaps(b) for b in taken):
                taken.append(ext)
                placed.append(text)
                Halo(text).attach(ax)
                break
            text.remove()
    return placed


def marker_boxes(ax: Axes, drawn: Drawn, renderer: RendererBase) -> list[Bbox]:
    """Screen boxes of the point symbols, so labels do not cover another place's dot."""
    out = []
    radius_px = POINT_RADIUS * PX_TO_PT * float(np.asarray(renderer.points_to_pixels(1.0)))
    for rows in drawn.layers.values():
        pts = rows.geometry[rows.geom_type == "Point"]
        if pts.empty:
            continue
        xy = ax.transData.transform(np.column_stack([pts.x, pts.y]))
        out += [
            Bbox.from_extents(x - radius_px, y - radius_px, x + radius_px, y + radius_px)
            for x, y in xy
        ]
    return out
