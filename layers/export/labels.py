"""Names on the sheet: the live map's label candidates, placed by priority and never overlapping.

Which names exist, their rank and first zoom come from ``layers.labels.label_candidates`` (one
source of truth with the live map), at the zoom equivalent to the sheet's scale.  Two kinds are
re-anchored for paper: a country's name goes inside the country's visible part (a sheet has no
zooming out, so it names the countries at every scale), and a river's name follows the visible
part of its line.  Labels avoid each other, the point symbols and the border lines, so names never
hide the border-status symbology.

Data text is drawn as plain text: matplotlib is not HTML, so it is not entity-escaped, but mathtext
parsing is switched off on every label (a ``$`` in a village name must not be read as TeX).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, cast

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox, IdentityTransform
from pyproj import Transformer
from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from layers._draw import POINT_RADIUS
from layers.export.drawing import PX_TO_PT, Drawn
from layers.export.frame import View
from layers.export.request import MAX_LABEL, plain_text
from layers.labels import Label, label_candidates


@dataclass(frozen=True)
class LabelLook:
    """How a kind of name is written: size (pt), weight, slant, colour; mirrors ``LABEL_CSS``."""

    size: float
    color: str
    weight: str = "normal"
    style: str = "normal"


_CSS_PT: Final = PX_TO_PT
"""A CSS pixel of the live map's label is this many points on the sheet (same size at 96 dpi)."""
LABEL_LOOK: Final[dict[str, LabelLook]] = {
    "country": LabelLook(15 * _CSS_PT, "#57534e", "bold"),
    "capital": LabelLook(14 * _CSS_PT, "#111827", "bold"),
    "city": LabelLook(13 * _CSS_PT, "#1f2937", "bold"),
    "town": LabelLook(12 * _CSS_PT, "#1f2937"),
    "village": LabelLook(11 * _CSS_PT, "#374151"),
    "site": LabelLook(11 * _CSS_PT, "#374151"),
    "enclave": LabelLook(12 * _CSS_PT, "#0e7490", "bold", "italic"),
    "river": LabelLook(12 * _CSS_PT, "#1d4ed8", style="italic"),
    "lake": LabelLook(12 * _CSS_PT, "#1d4ed8", style="italic"),
    "crossing": LabelLook(11 * _CSS_PT, "#334155"),
    "post": LabelLook(11 * _CSS_PT, "#334155"),
}
"""The live map's label classes (``.fa-label-<kind>`` in ``layers.labels.LABEL_CSS``) on paper."""
_DEFAULT_LOOK: Final = LabelLook(12 * _CSS_PT, "#1f2937")
HALO: Final[list[patheffects.AbstractPathEffect]] = [
    patheffects.Stroke(linewidth=2.4, foreground="white")
]
"""The white outline under a label: the stroke only, drawn from a copy of the label."""
COUNTRY_ALTERNATIVES: Final = 5
RIVER_SPOTS: Final = (0.5, 0.3, 0.7, 0.15, 0.85)
"""Where along a river's visible line its name is tried, as fractions of the line's length."""
COUNTRY_INSIDE: Final = 0.85
"""The share of a country name's box that must lie inside that country."""
BOLD_KINDS: Final = frozenset({"country", "capital", "enclave"})
"""Names that may cover another place's dot when nothing else is left (never a label or border)."""
SAME_NAME_PX: Final = 150.0
"""A name already written within this distance (sheet pixels) is not written again."""


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
            fontweight=label.get_fontweight(),
            rotation=label.get_rotation(),
            rotation_mode=label.get_rotation_mode(),
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
class SheetLabel:
    """One name to try on the sheet: text, projected anchor, rank, kind and placement hints."""

    text: str
    x: float
    y: float
    priority: int
    kind: str
    group: str = ""
    rotation: float = 0.0  # degrees, for a name along a river
    area: BaseGeometry | None = None  # a country's visible part: its name must stay inside


@dataclass(frozen=True)
class Placed:
    """A name written on the sheet: its label and its text artist."""

    label: SheetLabel
    text: Text


_Slot = tuple[float, float, str, str]  # offset (points) and alignment
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
_CENTRED_KINDS: Final = frozenset({"country", "enclave", "lake"})


def _slots(label: SheetLabel) -> list[_Slot]:
    """Where a label may go relative to its anchor, best first."""
    if label.kind == "river":  # beside the line, not on it: the Panj is often the border
        away = LABEL_LOOK["river"].size * 0.75 + 2
        rad = math.radians(label.rotation)
        nx, ny = -math.sin(rad) * away, math.cos(rad) * away
        return [(nx, ny, "center", "center"), (-nx, -ny, "center", "center")]
    offset = POINT_RADIUS * PX_TO_PT + 2
    if label.kind in _CENTRED_KINDS:
        return [(0.0, 0.0, "center", "center"), (0.0, offset, "center", "bottom")][
            : 1 if label.kind == "country" else 2
        ]
    return [(dx * offset, dy * offset, ha, va) for dx, dy, ha, va in _POINT_SLOTS]


# --------------------------------------------------------------------------- which names


def sheet_labels(
    frames: Mapping[str, gpd.GeoDataFrame],
    drawn: Drawn,
    *,
    layers: Sequence[str],
    as_of: dt.date,
    zoom: float,
    view: View,
) -> list[SheetLabel]:
    """The names of the drawn layers at ``zoom``, projected to the sheet, most important first."""
    shown = {k: v for k, v in frames.items() if k in layers and k in drawn.layers}
    candidates = label_candidates(shown, as_of=as_of)
    at_zoom = [lb for lb in candidates if lb.min_zoom <= zoom <= lb.max_zoom]
    to_sheet = Transformer.from_crs("OGC:CRS84", view.crs, always_xy=True)
    window = box(*view.extent)
    areas = _areas(drawn.layers.get("enclaves"))
    tolerance = (view.extent[2] - view.extent[0]) / 2000
    out: list[SheetLabel] = []
    for lb in at_zoom:
        if lb.kind in ("country", "river"):
            continue  # re-anchored below
        text = plain_text(lb.text, limit=MAX_LABEL)
        x, y = to_sheet.transform(lb.lon, lb.lat)
        if lb.kind == "enclave":  # the sheet's own finer pole of the drawn (clipped) area
            area = next((a for a in areas if a.contains(shapely.Point(x, y))), None)
            if area is not None:
                x, y = _inner_point(area.intersection(window), tolerance=tolerance)
        if text and window.contains(shapely.Point(x, y)):
            out.append(SheetLabel(text, x, y, lb.priority, lb.kind, lb.group))
    out += _country_labels(candidates, drawn.layers.get("base"), window)
    rivers = {lb.text: lb for lb in at_zoom if lb.kind == "river"}
    out += _river_labels(rivers, drawn.layers.get("rivers"), window)
    return sorted(out, key=lambda lb: (-lb.priority, lb.text, lb.x, lb.y))


def _areas(rows: gpd.GeoDataFrame | None) -> list[BaseGeometry]:
    """The drawn (projected) areas of a layer."""
    if rows is None:
        return []
    return [g for g in rows.geometry if g is not None and g.geom_type.endswith("Polygon")]


def _inner_point(geom: BaseGeometry, *, tolerance: float) -> tuple[float, float]:
    """A point well inside an area's largest part (its pole of inaccessibility)."""
    parts = sorted(shapely.get_parts(geom), key=lambda p: -p.area)
    inner = polylabel(parts[0], tolerance=tolerance)
    return inner.x, inner.y


def _country_labels(
    candidates: list[Label], base: gpd.GeoDataFrame | None, window: Polygon
) -> list[SheetLabel]:
    """Each country's name inside its visible part: its largest piece, then its share of cells."""
    if base is None or "iso3" not in base:
        return []
    names: dict[str, Label] = {}
    for lb in candidates:  # highest first: the best of the live map's alternatives ranks it
        if lb.kind == "country":
            names.setdefault(lb.group, lb)
    x0, y0, x1, y1 = window.bounds
    dx, dy = (x1 - x0) / 3, (y1 - y0) / 3
    cells = [
        box(x0 + i * dx, y0 + j * dy, x0 + (i + 1) * dx, y0 + (j + 1) * dy)
        for i in range(3)
        for j in range(3)
    ]
    out = []
    for iso3, geom in zip(base["iso3"], base.geometry, strict=True):
        label = names.get(f"country-{iso3}")
        if label is None or not isinstance(geom, Polygon | MultiPolygon):
            continue
        visible = geom.intersection(window)
        if visible.is_empty or visible.area < window.area * 0.01:
            continue
        pieces = [visible, *sorted((visible.intersection(c) for c in cells), key=lambda p: -p.area)]
        anchors = [
            _inner_point(p, tolerance=dx / 200)
            for p in pieces
            if not p.is_empty and p.area > window.area * 0.005
        ]
        for rank, (x, y) in enumerate(list(dict.fromkeys(anchors))[:COUNTRY_ALTERNATIVES]):
            text = plain_text(label.text, limit=MAX_LABEL)
            out.append(
                SheetLabel(text, x, y, label.priority - rank, "country", label.group, area=visible)
            )
    return out


def _river_labels(
    names: Mapping[str, Label], rivers: gpd.GeoDataFrame | None, window: Polygon
) -> list[SheetLabel]:
    """A named river's name beside the longest visible stretch of its line, along it."""
    if rivers is None or not names or "name" not in rivers:
        return []
    lines: dict[str, list[LineString]] = {}
    for name, geom in zip(rivers["name"], rivers.geometry, strict=True):
        if str(name) in names and geom is not None:
            parts = shapely.get_parts(geom.intersection(window))
            lines.setdefault(str(name), []).extend(p for p in parts if isinstance(p, LineString))
    out = []
    for name, parts in lines.items():
        if not parts:
            continue
        line = max(parts, key=lambda p: p.length)
        if line.length < (window.bounds[2] - window.bounds[0]) / 12:
            continue
        label = names[name]
        step = line.length / 40
        for spot in RIVER_SPOTS:
            at = line.interpolate(spot, normalized=True)
            ahead = line.interpolate(min(line.length, line.project(at) + step))
            behind = line.interpolate(max(0.0, line.project(at) - step))
            angle = math.degrees(math.atan2(ahead.y - behind.y, ahead.x - behind.x))
            angle = (angle + 90) % 180 - 90  # never upside down
            out.append(
                SheetLabel(
                    plain_text(name, limit=MAX_LABEL),
                    at.x,
                    at.y,
                    label.priority,
                    "river",
                    f"river-{name}",
                    rotation=angle,
                )
            )
    return out


# --------------------------------------------------------------------------- where


def border_lines(ax: Axes, drawn: Drawn) -> BaseGeometry | None:
    """The drawn border lines in screen pixels (prepared), so no label covers a border."""
    rows = drawn.layers.get("borders")
    if rows is None or rows.empty:
        return None
    lines = []
    for geom in rows.geometry:
        for part in shapely.get_parts(
            geom.boundary if geom.geom_type.endswith("Polygon") else geom
        ):
            coords = np.asarray(part.coords)
            if len(coords) >= 2:
                lines.append(LineString(ax.transData.transform(coords[:, :2])))
    if not lines:
        return None
    merged = shapely.MultiLineString(lines)
    shapely.prepare(merged)
    return merged


def _inside_area(ax: Axes, ext: Bbox, area: BaseGeometry) -> bool:
    """Whether most of a screen box lies inside ``area`` (data coordinates)."""
    inv = ax.transData.inverted()
    (bx0, by0), (bx1, by1) = inv.transform([(ext.x0, ext.y0), (ext.x1, ext.y1)])
    footprint = box(bx0, by0, bx1, by1)
    return bool(area.intersection(footprint).area >= COUNTRY_INSIDE * footprint.area)


def place_labels(
    ax: Axes,
    labels: list[SheetLabel],
    renderer: RendererBase,
    *,
    avoid: list[Bbox],
    lines: BaseGeometry | None = None,
) -> list[Placed]:
    """Greedy placement by priority: each label takes the first slot that is inside the frame and
    touches no placed label, no point symbol and no border line; else it is left out.  One label
    per group; a name already written nearby is not repeated."""
    frame = ax.get_window_extent(renderer)
    taken: list[Bbox] = []
    placed: list[Placed] = []
    done: set[str] = set()
    for label in labels:
        if label.group and label.group in done:
            continue
        anchor = ax.transData.transform((label.x, label.y))
        if any(
            p.label.text == label.text
            and math.dist(anchor, ax.transData.transform((p.label.x, p.label.y))) < SAME_NAME_PX
            for p in placed
        ):
            continue
        look = LABEL_LOOK.get(label.kind, _DEFAULT_LOOK)
        tries = [(slot, True) for slot in _slots(label)]
        if label.kind in BOLD_KINDS:
            tries += [(slot, False) for slot in _slots(label)]
        for (dx, dy, ha, va), strict in tries:
            text = ax.annotate(
                label.text,
                (label.x, label.y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=look.size,
                fontstyle=look.style,
                fontweight=look.weight,
                color=look.color,
                rotation=label.rotation,
                rotation_mode="anchor",
                zorder=5,
                annotation_clip=True,
            )
            text.set_parse_math(False)
            ext = text.get_window_extent(renderer)
            pad = ext.expanded(1.04, 1.1)
            inside = frame.containsx(pad.x0) and frame.containsx(pad.x1)
            inside = inside and frame.containsy(pad.y0) and frame.containsy(pad.y1)
            ok = inside and not any(pad.overlaps(b) for b in taken)
            ok = ok and not (strict and any(pad.overlaps(b) for b in avoid))
            if ok and lines is not None:
                ok = not lines.intersects(box(ext.x0, ext.y0, ext.x1, ext.y1))
            if ok and label.area is not None:
                ok = _inside_area(ax, ext, label.area)
            if ok:
                taken.append(pad)
                placed.append(Placed(label, text))
                Halo(text).attach(ax)
                if label.group:
                    done.add(label.group)
                break
            text.remove()
    return placed


def marker_boxes(ax: Axes, drawn: Drawn, renderer: RendererBase) -> list[Bbox]:
    """Screen boxes of the point symbols, so labels do not cover another place's dot."""
    out = []
    radius_px = POINT_RADIUS * PX_TO_PT * cast(float, renderer.points_to_pixels(1.0))
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
