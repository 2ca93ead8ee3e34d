"""What the sheet draws: each shown layer's ``select`` rows in the window, in the map's looks.

The SAME rows the live map draws (each layer's ``select`` through the registry) in the SAME styles
(``layers.styles`` via each layer's own ``Look``), projected to the sheet's local projection.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import geopandas as gpd
from matplotlib.axes import Axes
from matplotlib.colors import to_hex, to_rgba
from shapely.geometry import box

from geo.catalog import concat_frames
from layers import REGISTRY, changes
from layers._draw import POINT_RADIUS, Look, ViewOptions
from layers.export.frame import View
from layers.export.request import plain_text
from layers.styles import CASING, CHANGE_STYLE, LAYER_STYLE, LineStyle

PX_TO_PT: Final = 0.75
"""Leaflet sizes are CSS pixels (1/96 in); matplotlib sizes are points (1/72 in)."""


@dataclass(frozen=True)
class Source:
    """One cited source, as the appendix numbers it (publisher, title, date, url)."""

    publisher: str
    title: str
    date: str
    url: str


@dataclass
class Drawn:
    """What the sheet shows: projected rows per layer, legend styles and publishers."""

    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    styles: dict[LineStyle, str] = field(default_factory=dict)  # style -> "line"|"area"|"point"
    publishers: Counter[str] = field(default_factory=Counter)
    sources: dict[Source, set[str]] = field(default_factory=dict)  # source -> feature ids
    changed: gpd.GeoDataFrame | None = None  # projected halos of what changed since ``compare``


def _look(layer_id: str, row: Mapping[str, Any]) -> Look:
    """The layer module's own look for a row: the style and opacity the live map uses."""
    return REGISTRY[layer_id].look(row)


def kind_of(geom_type: str) -> str:
    """``area``, ``line`` or ``point`` for a shapely geometry type name."""
    if geom_type.endswith("Polygon"):
        return "area"
    if geom_type.endswith("LineString"):
        return "line"
    return "point"


def _clip(rows: gpd.GeoDataFrame, mask: Any) -> gpd.GeoDataFrame:
    """Clip to ``mask`` keeping each row's own dimension (a clipped line never leaves a point)."""
    kinds = rows.geom_type.map(kind_of)
    parts = [
        rows[kinds == kind].clip(mask, keep_geom_type=True) for kind in ("area", "line", "point")
    ]
    return concat_frames([p for p in parts if not p.empty] or [rows.iloc[:0]])


def select(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    layers: Sequence[str],
    as_of: dt.date,
    view_opts: ViewOptions,
    view: View,
) -> Drawn:
    """Each shown layer's ``select`` rows that fall in the window, projected, with their looks."""
    drawn = Drawn()
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
                drawn.styles.setdefault(look.style, kind_of(geom.geom_type))
            sources = list(props.get("sources") or [])
            entry = props.get("_entry")
            if isinstance(entry, Mapping):
                sources += list(entry.get("sources") or [])
            for src in sources:
                publisher = plain_text(src.get("publisher"), limit=60)
                if publisher:
                    drawn.publishers[publisher] += 1
                cited = source_of(src)
                if cited is not None:
                    drawn.sources.setdefault(cited, set()).add(str(props.get("id") or ""))
    return drawn


def source_of(src: Any) -> Source | None:
    """A data ``sources`` entry as a ``Source`` (plain text), or None if it names nothing."""
    if not isinstance(src, Mapping):
        return None
    cited = Source(
        publisher=plain_text(src.get("publisher"), limit=120),
        title=plain_text(src.get("title"), limit=240),
        date=plain_text(src.get("date"), limit=20),
        url=plain_text(src.get("url"), limit=240),
    )
    return cited if cited.publisher or cited.title else None


def changed_rows(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    layers: Sequence[str],
    before: dt.date,
    after: dt.date,
    view: View,
) -> gpd.GeoDataFrame | None:
    """The features of the shown layers that changed between two dates, projected, or None."""
    clip_box = box(*view.lonlat_bounds).buffer(0.05, join_style="mitre")
    found = [c for c in changes.compute(frames, before=before, after=after) if c.layer in layers]
    parts = []
    for change in found:
        frame = frames.get(change.layer)
        if frame is None or frame.empty:
            continue
        parts.append(frame[frame["id"] == change.feature_id][["id", frame.geometry.name]])
    if not parts:
        return None
    rows = concat_frames(parts)
    rows = rows[rows.intersects(clip_box)]
    if rows.empty:
        return None
    return _clip(rows, clip_box).to_crs(view.crs)


def draw_changed(ax: Axes, rows: gpd.GeoDataFrame) -> None:
    """A wide translucent halo under every changed feature, as the live compare mode draws.

    Above the basemap's areas (z 1.0), below every layer's own areas, lines and points.
    """
    series = rows.geometry.explode(index_parts=False)
    kinds = series.geom_type.map(kind_of)
    width = (CHANGE_STYLE.weight) * PX_TO_PT
    color = rgba(CHANGE_STYLE.color, CHANGE_STYLE.opacity)
    outlines = series[kinds == "area"].boundary
    lines = concat_series([outlines, series[kinds == "line"]])
    if len(lines):
        lines.plot(ax=ax, color=color, linewidth=width, capstyle="round", zorder=1.005)
    points = series[kinds == "point"]
    if len(points):
        ax.scatter(points.x, points.y, s=(width * 2) ** 2, color=color, zorder=1.005)


def concat_series(parts: list[gpd.GeoSeries]) -> gpd.GeoSeries:
    """Geometries of several series as one (the empty ones dropped)."""
    geoms = [g for part in parts for g in part if g is not None and not g.is_empty]
    crs = parts[0].crs if parts else None
    return gpd.GeoSeries(geoms, crs=crs)


# --------------------------------------------------------------------------- drawing


def rgba(color: str, alpha: float) -> str:
    return to_hex(to_rgba(color, max(0.0, min(1.0, alpha))), keep_alpha=True)


def linestyle(style: LineStyle) -> Any:
    """The style's dash tuple as a matplotlib dash pattern (both count in line widths)."""
    return (0, style.dash) if style.dash else "solid"


def draw_layer(ax: Axes, layer_id: str, rows: gpd.GeoDataFrame, *, order: int) -> None:
    """Draw one layer's rows, grouped by look, areas below lines below points."""
    groups: dict[tuple[LineStyle, float], list[Any]] = {}
    for look, geom in zip(rows["_look"], rows.geometry, strict=True):
        groups.setdefault((look.style, look.opacity), []).append(geom)
    for (style, opacity), geoms in groups.items():
        series = gpd.GeoSeries(geoms).explode(index_parts=False)
        kinds = series.geom_type.map(kind_of)
        lw = style.weight * PX_TO_PT
        edge = rgba(style.color, style.opacity * opacity)
        areas, lines, points = (series[kinds == k] for k in ("area", "line", "point"))
        if len(areas):
            face = rgba(style.fill, style.fill_opacity * opacity) if style.fill else "none"
            areas.plot(
                ax=ax,
                facecolor=face,
                edgecolor=edge,
                linewidth=lw,
                linestyle=linestyle(style),
                zorder=1 + order / 100,
            )
        if len(lines):
            if style.casing:
                lines.plot(
                    ax=ax,
                    color=rgba(CASING.color, CASING.opacity * opacity),
                    linewidth=(style.weight + CASING.weight) * PX_TO_PT,
                    capstyle="round",
                    zorder=2 + order / 100,
                )
            lines.plot(
                ax=ax,
                color=edge,
                linewidth=lw,
                linestyle=linestyle(style),
                capstyle="butt" if style.dash else "round",
                zorder=2.005 + order / 100,
            )
        if len(points):
            ax.scatter(
                points.x,
                points.y,
                s=(2 * POINT_RADIUS * PX_TO_PT) ** 2,
                facecolors=rgba(style.fill or style.color, style.fill_opacity * opacity),
                edgecolors=edge,
                linewidths=lw,
                zorder=3 + order / 100,
            )
