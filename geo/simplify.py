"""Simplification for display that keeps neighbours meeting.

The shipped geometry is full resolution (~87,000 vertices of country outlines); at the map's
default zoom a screen pixel is ~950 m, so most of those vertices cost bytes, render time and
websocket traffic without changing a pixel.  Here geometry is thinned to a tolerance tied to a
zoom level, in a way that keeps what the map must show:

- polygons are simplified *as a coverage* (``shapely.coverage_simplify``): every shared edge is
  simplified once, so neighbouring countries still share identical edges (no slivers, no gaps)
  and enclaves keep their rings.  The OpenStreetMap polygons are not an exact coverage (the
  package simplified each country separately; edges run up to ~20 m apart), so they are first
  cleaned with ``shapely.coverage_clean`` (snap ≤ ``SNAP_DEG``), which makes shared edges exact;
- lines (border segments) are simplified one by one with Douglas–Peucker, which always keeps a
  line's endpoints, so consecutive segments still meet exactly at their break points;
- points are returned untouched.

Only the geometry column changes: measured columns (``length_km``, ``area_km2``) were computed
from the full-resolution geometry and stay as they are.  Never use simplified frames for
measurement or validation.
"""

from __future__ import annotations

import math
from typing import Final, Literal

import geopandas as gpd
import numpy as np
import shapely

Kind = Literal["coverage", "lines", "points", "auto"]

DEFAULT_ZOOM: Final = 7
"""The map's default zoom (``layers.mapview.DEFAULT_ZOOM``; geo/ does not import layers/)."""
REFERENCE_LAT: Final = 39.0
"""Latitude at which pixels are converted to degrees (the middle of the mapped region)."""
PIXEL_FRACTION: Final = 0.5
"""Tolerance as a fraction of a screen pixel: half a pixel is below what the eye can see."""
SNAP_DEG: Final = 0.0003
"""Snapping distance for cleaning the coverage: the edge-matching tolerance of ``geo.build.base``."""
GRID_DEG: Final = 1e-6
"""Coordinate grid of simplified polygons, a power of ten (the data files' 6 decimals)."""

_POLYGONAL = frozenset({"Polygon", "MultiPolygon"})
_LINEAR = frozenset({"LineString", "MultiLineString", "LinearRing"})
_PUNCTUAL = frozenset({"Point", "MultiPoint"})


def tolerance_for_zoom(
    zoom: float, *, pixels: float = PIXEL_FRACTION, lat: float = REFERENCE_LAT
) -> float:
    """Degrees spanned by ``pixels`` screen pixels at a Web-Mercator ``zoom`` and latitude ``lat``.

    One 256-px tile spans 360/2**zoom degrees of longitude; a degree of latitude is ``1/cos(lat)``
    times longer on screen, so the latitude factor makes the tolerance safe in both directions.
    """
    if not math.isfinite(zoom) or pixels <= 0:
        raise ValueError(f"need a finite zoom and pixels > 0, got zoom={zoom!r}, pixels={pixels!r}")
    return float(360.0 / (256.0 * 2.0**zoom) * math.cos(math.radians(lat)) * pixels)


def vertex_count(frame: gpd.GeoDataFrame) -> int:
    """Number of coordinates in a frame's geometries (for reports and tests)."""
    return int(shapely.get_num_coordinates(np.asarray(frame.geometry.values)).sum())


def simplify_coverage(
    geoms: np.ndarray, *, tolerance_deg: float, snap_deg: float = SNAP_DEG
) -> np.ndarray:
    """Polygons simplified together so that shared edges stay identical on both sides.

    An input that is not an exact coverage is cleaned first (``coverage_clean`` with snapping
    ``snap_deg`` and gaps narrower than ``2 * snap_deg`` closed).
    """
    geoms = np.asarray(geoms, dtype=object)
    if not shapely.coverage_is_valid(geoms):
        geoms = shapely.coverage_clean(geoms, gap_width=2 * snap_deg, snapping_distance=snap_deg)
    out = shapely.coverage_simplify(geoms, tolerance_deg, simplify_boundary=True)
    return np.asarray(out, dtype=object)


def simplify_lines(geoms: np.ndarray, *, tolerance_deg: float) -> np.ndarray:
    """Each line simplified on its own (Douglas–Peucker keeps every part's two endpoints)."""
    geoms = np.asarray(geoms, dtype=object)
    return np.asarray(shapely.simplify(geoms, tolerance_deg, preserve_topology=True), dtype=object)


def _types(frame: gpd.GeoDataFrame) -> np.ndarray:
    return np.asarray(frame.geometry.geom_type.to_numpy(dtype=object, na_value=""), dtype=object)


def simplify_frame(
    frame: gpd.GeoDataFrame,
    *,
    tolerance_deg: float,
    kind: Kind = "auto",
    grid_deg: float = GRID_DEG,
) -> gpd.GeoDataFrame:
    """A copy of ``frame`` with display geometry simplified to ``tolerance_deg`` degrees.

    ``kind`` says how: ``"coverage"`` (all rows are polygons, simplified as one coverage),
    ``"lines"`` (all rows are lines, each simplified keeping its endpoints), ``"points"``
    (returned as is) or ``"auto"`` (polygon rows as a coverage, line rows as lines, the rest
    untouched; for mixed layers such as the basemap or deployments).  An explicit kind that does
    not match the frame's geometry raises ``ValueError``.  Polygon coordinates are snapped to
    ``grid_deg`` (cleaning adds noding points at full float precision; identical vertices snap
    identically, so shared edges stay shared).  Lines keep their input vertices exactly.
    """
    if tolerance_deg < 0 or not math.isfinite(tolerance_deg):
        raise ValueError(f"tolerance_deg must be a finite number >= 0, got {tolerance_deg!r}")
    out = frame.copy()
    if len(frame) == 0 or tolerance_deg == 0 or kind == "points":
        return out
    types = _types(frame)
    polygonal = np.isin(types, list(_POLYGONAL))
    linear = np.isin(types, list(_LINEAR))
    if kind == "coverage" and not polygonal.all():
        raise ValueError(f"kind='coverage' needs polygons only, got {sorted(set(types))}")
    if kind == "lines" and not linear.all():
        raise ValueError(f"kind='lines' needs lines only, got {sorted(set(types))}")
    geoms = np.asarray(frame.geometry.values, dtype=object).copy()
    if polygonal.any():
        done = simplify_coverage(geoms[polygonal], tolerance_deg=tolerance_deg)
        geoms[polygonal] = _on_grid(done, grid_deg)
    if linear.any():
        geoms[linear] = simplify_lines(geoms[linear], tolerance_deg=tolerance_deg)
    out[frame.geometry.name] = gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs)
    return out


def _on_grid(geoms: np.ndarray, grid_deg: float) -> np.ndarray:
    """Round coordinates to the grid without changing structure (no per-geometry re-noding)."""
    if grid_deg <= 0:
        return geoms
    decimals = max(0, round(-math.log10(grid_deg)))  # np.round to decimals: shortest JSON floats
    return np.asarray(shapely.transform(geoms, lambda xy: np.round(xy, decimals)), dtype=object)


def display_frame(
    frame: gpd.GeoDataFrame, *, zoom: float = DEFAULT_ZOOM, pixels: float = PIXEL_FRACTION
) -> gpd.GeoDataFrame:
    """``frame`` simplified for display at ``zoom`` (``kind="auto"``): the one call app code needs."""
    return simplify_frame(frame, tolerance_deg=tolerance_for_zoom(zoom, pixels=pixels), kind="auto")
