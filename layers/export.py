"""Briefing export: the map as a print sheet (PNG or vector PDF), drawn server-side with matplotlib.

The sheet draws the SAME rows the live map draws (each layer's ``select`` through the registry) in
the SAME styles (``layers.styles``, via each layer's own ``Look``), projected to a Lambert conformal
conic centred on the requested box so the geodesic scale bar is true at the map centre.  The page
is laid out in fixed regions — header, map, side panel (legend, scale, north), footer — so no text
is ever drawn over the legend or across the map frame.  Nothing here touches the network.

Data text (names, publishers, the user's title) is drawn as plain text: matplotlib is not HTML, so
it is not entity-escaped, but mathtext parsing is switched off on every such artist (a ``$`` in a
village name must not be read as TeX) and control characters are dropped.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import geopandas as gpd
import matplotlib as mpl
import numpy as np
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from pyproj import CRS, Geod, Transformer
from pyproj.crs import ProjectedCRS
from pyproj.crs.coordinate_operation import LambertConformalConic2SPConversion
from shapely.geometry import box

from geo.catalog import concat_frames
from geo.errors import ParamError
from geo.validate import REGION
from layers import REGISTRY, draw_order, episodic_layers
from layers._draw import POINT_RADIUS, Look, ViewOptions
from layers.mapview import legend_entries
from layers.styles import ATTRIBUTION, CASING, DISCLAIMER, LAYER_STYLE, LineStyle

FORMATS: Final[tuple[str, ...]] = ("png", "pdf")
PAPERS: Final[dict[str, tuple[float, float]]] = {
    "A4": (11.69, 8.27),
    "A3": (16.54, 11.69),
    "letter": (11.0, 8.5),
}
"""Landscape paper sizes in inches (long side first)."""
ORIENTATIONS: Final = ("landscape", "portrait")
DEFAULT_BBOX: Final = (67.2, 36.4, 75.3, 41.2)
"""Tajikistan with the Fergana valley and the Afghan bank of the Panj (W, S, E, N)."""
MIN_BBOX_DEG: Final = 0.02
DEFAULT_TITLE: Final = "Frontier Atlas: Tajik–Afghan and Tajik–Kyrgyz frontiers"
MAX_TITLE: Final = 200
MAX_LABEL: Final = 48
PX_TO_PT: Final = 0.75
"""Leaflet sizes are CSS pixels (1/96 in); matplotlib sizes are points (1/72 in)."""

_M: Final = 0.4  # page margin, inches
_PANEL_W: Final = 2.55
_GAP: Final = 0.25
_HEADER_H: Final = 1.05
_FOOTER_H: Final = 1.0
_SCALE_H: Final = 1.45
_LABEL_CLASS_RANK: Final = {"capital": 0, "city": 1, "town": 2, "village": 3, "site": 4}
_LABEL_SIZE: Final = {"capital": 9.0, "city": 8.0, "town": 7.0, "village": 7.0, "site": 6.5}
_NICE: Final = (1.0, 2.0, 2.5, 5.0)
_GEOD: Final = Geod(ellps="WGS84")
_HALO: Final = [patheffects.withStroke(linewidth=2.2, foreground="white")]


# --------------------------------------------------------------------------- loading


# --------------------------------------------------------------------------- parameters


def check_bbox(bbox: Sequence[float]) -> tuple[float, float, float, float]:
    """``(W, S, E, N)`` if it is a real box inside the map region; else ``ParamError``."""
    if len(bbox) != 4:
        raise ParamError("bbox must be four numbers W,S,E,N")
    west, south, east, north = (float(v) for v in bbox)
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ParamError("bbox values must be finite numbers")
    if west >= east or south >= north:
        raise ParamError("bbox must be W,S,E,N with W < E and S < N")
    rw, rs, re_, rn = REGION
    if west < rw or east > re_ or south < rs or north > rn:
        raise ParamError(
            f"bbox {west:g},{south:g},{east:g},{north:g} lies outside the map region "
            f"(longitude {rw:g} to {re_:g}, latitude {rs:g} to {rn:g})"
        )
    if east - west < MIN_BBOX_DEG or north - south < MIN_BBOX_DEG:
        raise ParamError(f"bbox must be at least {MIN_BBOX_DEG:g} degrees on each side")
    return west, south, east, north


def clamp_bbox(bbox: Sequence[float]) -> tuple[float, float, float, float]:
    """The part of a view's box inside the map region (a zoomed-out view reaches beyond it)."""
    west, south, east, north = (float(v) for v in bbox)
    rw, rs, re_, rn = REGION
    clamped = (max(west, rw), max(south, rs), min(east, re_), min(north, rn))
    if clamped[0] >= clamped[2] or clamped[1] >= clamped[3]:
        return DEFAULT_BBOX
    return clamped


EXPORT_MIME: Final[dict[str, str]] = {
    "png": "image/png",
    "pdf": "application/pdf",
    "html": "text/html",
}


def plain_text(value: object, *, limit: int) -> str:
    """Data text for matplotlib: one line, printable characters only, at most ``limit`` long."""
    text = "" if value is None else " ".join(str(value).split())
    text = "".join(ch for ch in text if ch.isprintable())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- projection


def local_crs(bbox: Sequence[float]) -> CRS:
    """A Lambert conformal conic centred on ``bbox``: conformal, and north is up at the centre."""
    west, south, east, north = bbox
    sixth = (north - south) / 6
    conversion = LambertConformalConic2SPConversion(
        latitude_first_parallel=south + sixth,
        latitude_second_parallel=north - sixth,
        latitude_false_origin=(south + north) / 2,
        longitude_false_origin=(west + east) / 2,
    )
    return ProjectedCRS(conversion=conversion, geodetic_crs="EPSG:4326")


@dataclass(frozen=True)
class _View:
    """The map window: projection, displayed extent (projected metres) and its lon/lat hull."""

    crs: CRS
    extent: tuple[float, float, float, float]  # x0, y0, x1, y1
    lonlat_bounds: tuple[float, float, float, float]
    center_lonlat: tuple[float, float]


def _view_for(bbox: Sequence[float], *, aspect: float) -> _View:
    """Project ``bbox`` and widen the short side so the extent fills an axes of ``aspect`` (w/h)."""
    crs = local_crs(bbox)
    outline = gpd.GeoSeries([box(*bbox)], crs="OGC:CRS84").segmentize(0.01).to_crs(crs)
    x0, y0, x1, y1 = outline.total_bounds
    width, height = x1 - x0, y1 - y0
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = (width / aspect - height) / 2
        y0, y1 = y0 - grow, y1 + grow
    shown = gpd.GeoSeries([box(x0, y0, x1, y1)], crs=crs).segmentize((x1 - x0) / 50)
    w, s, e, n = shown.to_crs("OGC:CRS84").total_bounds
    center = ((bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2)
    return _View(crs, (x0, y0, x1, y1), (w, s, e, n), center)


def _metres_per_unit(view: _View) -> float:
    """Geodesic metres per projected metre at the map centre, measured east-west with pyproj.Geod."""
    half = (view.extent[2] - view.extent[0]) / 20
    to_lonlat = Transformer.from_crs(view.crs, "OGC:CRS84", always_xy=True)
    cx = (view.extent[0] + view.extent[2]) / 2
    cy = (view.extent[1] + view.extent[3]) / 2
    lon1, lat1 = to_lonlat.transform(cx - half, cy)
    lon2, lat2 = to_lonlat.transform(cx + half, cy)
    _, _, dist = _GEOD.inv(lon1, lat1, lon2, lat2)
    return float(dist) / (2 * half)


def nice_length(limit_m: float) -> float:
    """The largest 1, 2, 2.5 or 5 × 10^n metres not above ``limit_m``."""
    exp = math.floor(math.log10(limit_m))
    best = 10.0**exp
    for step in _NICE:
        if step * 10.0**exp <= limit_m:
            best = step * 10.0**exp
    return best


def _distance_label(metres: float) -> str:
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"


# --------------------------------------------------------------------------- selection


@dataclass
class _Drawn:
    """What the sheet shows: projected rows per layer, legend styles and publishers."""

    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    styles: dict[LineStyle, str] = field(default_factory=dict)  # style -> "line"|"area"|"point"
    publishers: Counter[str] = field(default_factory=Counter)


def _look(layer_id: str, row: Mapping[str, Any]) -> Look:
    """The layer module's own look for a row: the style and opacity the live map uses."""
    return REGISTRY[layer_id].look(row)


def _kind(geom_type: str) -> str:
    if geom_type.endswith("Polygon"):
        return "area"
    if geom_type.endswith("LineString"):
        return "line"
    return "point"


def _clip(rows: gpd.GeoDataFrame, mask: Any) -> gpd.GeoDataFrame:
    """Clip to ``mask`` keeping each row's own dimension (a clipped line never leaves a point)."""
    kinds = rows.geom_type.map(_kind)
    parts = [
        rows[kinds == kind].clip(mask, keep_geom_type=True) for kind in ("area", "line", "point")
    ]
    return concat_frames([p for p in parts if not p.empty] or [rows.iloc[:0]])


def _select(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    layers: Sequence[str],
    as_of: dt.date,
    view_opts: ViewOptions,
    view: _View,
) -> _Drawn:
    """Each shown layer's ``select`` rows that fall in the window, projected, with their looks."""
    drawn = _Drawn()
    clip_box = box(*view.lonlat_bounds).buffer(0.05, join_style="mitre")
    window = box(*view.extent)
    for layer_id in REGISTRY:
        frame = frames.get(layer_id)
        if layer_id not in layers or frame is None or frame.empty:
            continue
        rows = REGISTRY[layer_id].select(frame, as_of=as_of, view=view_opts)
        rows = rows[rows.intersects(clip_box)]
        if rows.empty:
            continue
        rows = _clip(rows, clip_box).to_crs(view.crs)
        rows = rows[rows.intersects(window) & ~rows.is_empty]
        if rows.empty:
            continue
        looks = [_look(layer_id, r) for r in rows.to_dict("records")]
        rows = rows.assign(_look=looks)
        drawn.layers[layer_id] = rows
        for look, geom, props in zip(looks, rows.geometry, rows.to_dict("records"), strict=True):
            if layer_id != "base" or look.style is LAYER_STYLE["base-line"]:
                drawn.styles.setdefault(look.style, _kind(geom.geom_type))
            sources = list(props.get("sources") or [])
            entry = props.get("_entry")
            if isinstance(entry, Mapping):
                sources += list(entry.get("sources") or [])
            for src in sources:
                publisher = plain_text(src.get("publisher"), limit=60)
                if publisher:
                    drawn.publishers[publisher] += 1
    return drawn


# --------------------------------------------------------------------------- drawing


def _rgba(color: str, alpha: float) -> str:
    return to_hex(to_rgba(color, max(0.0, min(1.0, alpha))), keep_alpha=True)


def _linestyle(style: LineStyle) -> Any:
    """The style's dash tuple as a matplotlib dash pattern (both count in line widths)."""
    return (0, style.dash) if style.dash else "solid"


def _draw_layer(ax: Axes, layer_id: str, rows: gpd.GeoDataFrame, *, order: int) -> None:
    """Draw one layer's rows, grouped by look, areas below lines below points."""
    groups: dict[tuple[LineStyle, float], list[Any]] = {}
    for look, geom in zip(rows["_look"], rows.geometry, strict=True):
        groups.setdefault((look.style, look.opacity), []).append(geom)
    for (style, opacity), geoms in groups.items():
        series = gpd.GeoSeries(geoms).explode(index_parts=False)
        kinds = series.geom_type.map(_kind)
        lw = style.weight * PX_TO_PT
        edge = _rgba(style.color, style.opacity * opacity)
        areas, lines, points = (series[kinds == k] for k in ("area", "line", "point"))
        if len(areas):
            face = _rgba(style.fill, style.fill_opacity * opacity) if style.fill else "none"
            areas.plot(
                ax=ax,
                facecolor=face,
                edgecolor=edge,
                linewidth=lw,
                linestyle=_linestyle(style),
                zorder=1 + order / 100,
            )
        if len(lines):
            if style.casing:
                lines.plot(
                    ax=ax,
                    color=_rgba(CASING.color, CASING.opacity * opacity),
                    linewidth=(style.weight + CASING.weight) * PX_TO_PT,
                    capstyle="round",
                    zorder=2 + order / 100,
                )
            lines.plot(
                ax=ax,
                color=edge,
                linewidth=lw,
                linestyle=_linestyle(style),
                capstyle="butt" if style.dash else "round",
                zorder=2.005 + order / 100,
            )
        if len(points):
            ax.scatter(
                points.x,
                points.y,
                s=(2 * POINT_RADIUS * PX_TO_PT) ** 2,
                facecolors=_rgba(style.fill or style.color, style.fill_opacity * opacity),
                edgecolors=edge,
                linewidths=lw,
                zorder=3 + order / 100,
            )


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


def _labels(drawn: _Drawn) -> list[_Label]:
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


def _place_labels(
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
            text.set_path_effects(_HALO)
            ext = text.get_window_extent(renderer).expanded(1.04, 1.1)
            inside = frame.containsx(ext.x0) and frame.containsx(ext.x1)
            inside = inside and frame.containsy(ext.y0) and frame.containsy(ext.y1)
            if inside and not any(ext.overlaps(b) for b in taken):
                taken.append(ext)
                placed.append(text)
                break
            text.remove()
    return placed


def _marker_boxes(ax: Axes, drawn: _Drawn, renderer: RendererBase) -> list[Bbox]:
    """Screen boxes of the point symbols, so labels do not cover another place's dot."""
    out = []
    radius_px = POINT_RADIUS * PX_TO_PT * renderer.points_to_pixels(1.0)
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


def _fit(text: Text, renderer: RendererBase, *, max_px: float) -> Text:
    """Shorten ``text`` with an ellipsis until it fits ``max_px`` wide."""
    full = text.get_text()
    cut = len(full)
    while cut > 1 and text.get_window_extent(renderer).width > max_px:
        cut = int(cut * 0.9)
        text.set_text(full[:cut].rstrip() + "…")
    return text


def _sources_text(
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
    return _fit(text, renderer, max_px=max_px)


def _legend(ax: Axes, drawn: _Drawn) -> list[str]:
    """Legend rows for exactly the styles on the sheet, in the live legend's order."""
    ax.set_axis_off()
    visible = dict(drawn.styles)
    rows = [(label, style) for label, style in legend_entries() if style in visible]
    listed = {style for _, style in rows}
    rows += [(s.label, s) for s in LAYER_STYLE.values() if s in visible and s not in listed]
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
                    markerfacecolor=_rgba(style.fill or style.color, style.fill_opacity),
                    markeredgecolor=style.color,
                    markeredgewidth=lw,
                )
            )
        elif visible[style] == "area" and style.fill:
            handles.append(
                Patch(
                    facecolor=_rgba(style.fill, style.fill_opacity),
                    edgecolor=style.color,
                    linewidth=lw,
                    linestyle=_linestyle(style),
                )
            )
        else:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=style.color,
                    linewidth=lw,
                    linestyle=_linestyle(style),
                    dash_capstyle="butt",
                )
            )
    labels = [label for label, _ in rows]
    if not rows:
        ax.text(0, 1, "Legend\nNo layer features in this view.", va="top", fontsize=8)
        return []
    ax.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0, 1),
        frameon=False,
        fontsize=8,
        title="Legend",
        title_fontsize=9,
        alignment="left",
        handlelength=3.2,
        borderaxespad=0,
    )
    return labels


def _scale_and_north(
    ax: Axes, view: _View, *, map_width_in: float, width_in: float, height_in: float
) -> tuple[float, float]:
    """Geodesic scale bar (true at the map centre), representative fraction, north arrow.

    Returns the bar's length in metres and in inches on the page.
    """
    ax.set_xlim(0, width_in)
    ax.set_ylim(0, height_in)
    ax.set_axis_off()
    metres_per_in = (view.extent[2] - view.extent[0]) / map_width_in * _metres_per_unit(view)
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
        label = "0" if frac == 0 else _distance_label(bar_m * frac)
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


# --------------------------------------------------------------------------- the sheet


@dataclass(frozen=True)
class Sheet:
    """A composed briefing figure and what it shows (for the caller and tests)."""

    figure: Figure
    legend: tuple[str, ...]
    labels: tuple[str, ...]
    map_axes: Axes
    scale_m: float
    scale_bar_in: float


def briefing_sheet(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    as_of: dt.date,
    bbox: Sequence[float],
    layers: Iterable[str],
    view: ViewOptions,
    title: str,
    handling: str | None = None,
    paper: str = "A4",
    orientation: str = "landscape",
    dpi: int = 300,
) -> Sheet:
    """Compose the briefing page as a matplotlib Figure (not yet saved)."""
    bbox = check_bbox(bbox)
    shown = tuple(layers)
    unknown = [layer for layer in shown if layer not in REGISTRY]
    if unknown:
        raise ParamError(f"unknown layer {unknown[0]!r}; known: {', '.join(REGISTRY)}")
    if paper not in PAPERS:
        raise ParamError(f"unknown paper {paper!r}; known: {', '.join(PAPERS)}")
    if orientation not in ORIENTATIONS:
        raise ParamError("orientation must be 'landscape' or 'portrait'")
    width, height = PAPERS[paper]
    if orientation == "portrait":
        width, height = height, width

    fig = Figure(figsize=(width, height), dpi=dpi, facecolor="white")

    map_w = width - 2 * _M - _PANEL_W - _GAP
    map_h = height - _HEADER_H - _FOOTER_H
    map_ax = fig.add_axes((_M / width, _FOOTER_H / height, map_w / width, map_h / height))
    panel_x = (width - _M - _PANEL_W) / width
    legend_ax = fig.add_axes(
        (
            panel_x,
            (_FOOTER_H + _SCALE_H + 0.15) / height,
            _PANEL_W / width,
            (map_h - _SCALE_H - 0.15) / height,
        )
    )
    scale_ax = fig.add_axes((panel_x, _FOOTER_H / height, _PANEL_W / width, _SCALE_H / height))

    window = _view_for(bbox, aspect=map_w / map_h)
    drawn = _select(frames, layers=shown, as_of=as_of, view_opts=view, view=window)

    map_ax.set_facecolor("#eef0f2")
    for order, layer_id in enumerate(draw_order()):  # the live map's order, bottom to top
        if layer_id in drawn.layers:
            _draw_layer(map_ax, layer_id, drawn.layers[layer_id], order=order)
    # Attached only now: geopandas asks the canvas to redraw after every plot call, and the
    # default canvas ignores that, while an Agg canvas would render the whole page each time.
    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
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

    placed = _place_labels(
        map_ax, _labels(drawn), renderer, avoid=_marker_boxes(map_ax, drawn, renderer)
    )
    legend = _legend(legend_ax, drawn)
    scale_m, scale_in = _scale_and_north(
        scale_ax, window, map_width_in=map_w, width_in=_PANEL_W, height_in=_SCALE_H
    )

    text_w_px = (width - 2 * _M) * dpi
    if handling:
        mark = plain_text(handling, limit=60).upper()
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
    title_text = fig.text(
        _M / width,
        (height - 0.42) / height,
        plain_text(title, limit=MAX_TITLE),
        fontsize=15,
        fontweight="bold",
        va="top",
    )
    title_text.set_parse_math(False)
    _fit(title_text, renderer, max_px=text_w_px)
    as_of_line = f"As of {as_of.isoformat()}"
    if any(layer in episodic_layers() for layer in drawn.layers):
        as_of_line += f"  ·  events and exercises of the {view.window_days} days up to this date, fainter with age"
    fig.text(
        _M / width, (height - 0.78) / height, as_of_line, fontsize=9.5, va="top", color="#1f2937"
    )
    _sources_text(
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
    return Sheet(fig, tuple(legend), tuple(t.get_text() for t in placed), map_ax, scale_m, scale_in)


def export_figure(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    as_of: dt.date,
    bbox: Sequence[float],
    layers: Iterable[str],
    view: ViewOptions,
    title: str,
    handling: str | None = None,
    fmt: str = "png",
    paper: str = "A4",
    orientation: str = "landscape",
    dpi: int = 300,
) -> bytes:
    """The briefing sheet as PNG (``dpi`` raster) or PDF (vector) bytes."""
    if fmt not in FORMATS:
        raise ParamError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    sheet = briefing_sheet(
        frames,
        as_of=as_of,
        bbox=bbox,
        layers=layers,
        view=view,
        title=title,
        handling=handling,
        paper=paper,
        orientation=orientation,
        dpi=dpi,
    )
    out = io.BytesIO()
    metadata: dict[str, Any] = (
        {
            "Title": plain_text(title, limit=MAX_TITLE),
            "Creator": "Frontier Atlas",
            "CreationDate": None,
        }
        if fmt == "pdf"
        else {"Software": "Frontier Atlas"}
    )
    with mpl.rc_context({"text.usetex": False, "pdf.fonttype": 42, "svg.fonttype": "none"}):
        sheet.figure.savefig(out, format=fmt, dpi=dpi, metadata=metadata)
    return out.getvalue()
