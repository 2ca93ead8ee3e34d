"""Stage 2, geometry: positions in the region, valid shapes, normalised (never written back)."""

from __future__ import annotations

import math
from typing import Any, Final

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.errors import DomainError, GeometryError
from geo.schema import LayerSchema
from geo.validate.structure import GEOMETRY_DEPTH, positions

REGION: Final = (60.0, 34.0, 80.0, 43.0)
"""Area of interest (west, south, east, north): everything we draw lies in it."""

MIN_BOX_DEG: Final = 0.02
"""The smallest view box (degrees on each side) a sheet or story step may ask for."""


def box_problem(west: float, south: float, east: float, north: float) -> str | None:
    """Why ``W, S, E, N`` is not a usable view box inside ``REGION`` (None when it is).

    One rule for every reader of a box: the export's ``--bbox`` and a story step's ``bbox``.
    """
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        return "must be four finite numbers W, S, E, N"
    if west >= east or south >= north:
        return "must be W, S, E, N with W < E and S < N"
    rw, rs, re_, rn = REGION
    if west < rw or east > re_ or south < rs or north > rn:
        return (
            f"{west:g},{south:g},{east:g},{north:g} lies outside the map region "
            f"(longitude {rw:g} to {re_:g}, latitude {rs:g} to {rn:g})"
        )
    if east - west < MIN_BOX_DEG or north - south < MIN_BOX_DEG:
        return f"must be at least {MIN_BOX_DEG:g} degrees on each side"
    return None


PRECISION: Final = 6
"""Decimal places kept (RFC 7946 §11.2: about 10 cm)."""

_SIMPLE_LINE_LAYERS: Final = frozenset({"borders", "base"})
"""Layers whose lines are borders: a border line never crosses or retraces itself."""


def _round(geom: BaseGeometry) -> BaseGeometry:
    return shapely.set_precision(geom, 10**-PRECISION, mode="pointwise")


def normalise_geometry(
    raw: dict[str, Any], *, schema: LayerSchema, where: dict[str, str | None], notices: list[str]
) -> BaseGeometry:
    """Check a structurally sound geometry and return it 2-D, oriented and rounded."""
    gtype = raw["type"]
    if gtype not in schema.geometry_types:
        allowed = ", ".join(sorted(schema.geometry_types))
        raise GeometryError(
            f"a {gtype} is not allowed in the {schema.layer} layer (allowed: {allowed})", **where
        )
    dims = {len(p) for p in positions(raw["coordinates"], GEOMETRY_DEPTH[gtype])}
    for lon, lat, *_ in positions(raw["coordinates"], GEOMETRY_DEPTH[gtype]):
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise DomainError(
                f"position [{lon}, {lat}] is not longitude/latitude in degrees "
                "(metre coordinates or a legacy CRS?)",
                **where,
            )
        west, south, east, north = REGION
        if not (west <= lon <= east and south <= lat <= north):
            swapped = west <= lat <= east and south <= lon <= north
            hint = " (latitude and longitude look swapped)" if swapped else ""
            raise DomainError(
                f"position [{lon}, {lat}] lies outside the map region "
                f"lon {west}..{east}, lat {south}..{north}{hint}",
                **where,
            )
    geom = shape(raw)
    if 3 in dims:
        geom = shapely.force_2d(geom)
        notices.append(f"{where['file']}, feature {where['feature']}: altitude dropped (2-D map)")
    if geom.is_empty:
        raise GeometryError("the geometry is empty", **where)
    if not geom.is_valid:
        raise GeometryError(f"invalid geometry: {shapely.is_valid_reason(geom)}", **where)
    is_line = geom.geom_type.endswith("LineString")
    if is_line and schema.layer in _SIMPLE_LINE_LAYERS and not geom.is_simple:
        raise GeometryError(
            "the line crosses or retraces itself; a border line must be simple", **where
        )
    if geom.geom_type in {"Polygon", "MultiPolygon"}:
        oriented = shapely.orient_polygons(geom)
        if not oriented.equals_exact(geom, tolerance=0):
            notices.append(
                f"{where['file']}, feature {where['feature']}: rings re-oriented "
                "(exterior counter-clockwise, RFC 7946)"
            )
        geom = oriented
    rounded = _round(geom)
    if not rounded.equals_exact(geom, tolerance=0):
        notices.append(
            f"{where['file']}, feature {where['feature']}: coordinates rounded to "
            f"{PRECISION} decimals"
        )
        if not rounded.is_valid or rounded.is_empty:
            raise GeometryError("the geometry collapses when rounded to 6 decimals", **where)
    return rounded
