"""Stage 1, structure: the raw JSON is a FeatureCollection of well-nested geometries.

Runs before shapely sees anything, because shapely silently closes unclosed rings and happily
accepts swapped coordinates.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, Final

from geo.errors import GeometryError, StructureError

GEOMETRY_DEPTH: Final = {
    "Point": 1,
    "MultiPoint": 2,
    "LineString": 2,
    "MultiLineString": 3,
    "Polygon": 3,
    "MultiPolygon": 4,
}


def feature_label(raw: Any, index: int) -> str:
    """How problems name a feature: its id, or its position in the file."""
    if isinstance(raw, dict):
        props = raw.get("properties")
        if isinstance(props, dict) and isinstance(props.get("id"), str) and props["id"]:
            return repr(props["id"])[:80]
    return f"#{index}"


def positions(coords: Any, depth: int) -> Iterator[Any]:
    """Every position of a coordinates array nested ``depth`` levels deep."""
    if depth == 1:
        yield coords
        return
    for child in coords:
        yield from positions(child, depth - 1)


def _nesting_error(gtype: str, *, too: str, where: dict[str, str | None]) -> StructureError:
    levels = GEOMETRY_DEPTH[gtype]
    return StructureError(
        f"the coordinates are nested too {too} for a {gtype} "
        f"({levels} level{'s' if levels > 1 else ''} of lists)",
        **where,
    )


def _check_nesting(coords: Any, depth: int, *, gtype: str, where: dict[str, str | None]) -> None:
    """Check ``coords`` is nested exactly ``depth`` list levels with number positions."""
    if depth == 1:
        if not isinstance(coords, list) or (coords and isinstance(coords[0], list)):
            too = "deeply" if isinstance(coords, list) else "shallowly"
            raise _nesting_error(gtype, too=too, where=where)
        if len(coords) < 2 or len(coords) > 3:
            count = f"{len(coords)} number" + ("" if len(coords) == 1 else "s")
            raise StructureError(
                f"a position has {count}; 2 (lon, lat) or 3 (with altitude) are allowed",
                **where,
            )
        for number in coords:
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise StructureError("a position holds something that is not a number", **where)
            if not math.isfinite(number):
                raise StructureError("a position holds a non-finite number", **where)
        return
    if not isinstance(coords, list):
        raise _nesting_error(gtype, too="shallowly", where=where)
    for child in coords:
        _check_nesting(child, depth - 1, gtype=gtype, where=where)


def check_geometry_json(geom: Any, *, where: dict[str, str | None]) -> str:
    """Check a raw geometry object and return its type."""
    if not isinstance(geom, dict):
        raise StructureError("geometry must be an object", **where)
    gtype = geom.get("type")
    if gtype == "GeometryCollection":
        raise StructureError(
            "a GeometryCollection is not supported: put each geometry in its own feature",
            **where,
        )
    if gtype not in GEOMETRY_DEPTH:
        hint = ""
        if isinstance(gtype, str):
            for known in GEOMETRY_DEPTH:
                if known.lower() == gtype.lower():
                    hint = f" (types are case-sensitive: write {known!r})"
        raise StructureError(f"unknown geometry type {gtype!r}{hint}", **where)
    if "coordinates" not in geom:
        raise StructureError("the geometry has no 'coordinates' member", **where)
    coords = geom["coordinates"]
    if coords == []:
        raise GeometryError("the geometry is empty", **where)
    _check_nesting(coords, GEOMETRY_DEPTH[gtype], gtype=gtype, where=where)
    if gtype == "LineString" and len(coords) < 2:
        raise StructureError("a line needs at least 2 positions", **where)
    if gtype == "MultiLineString" and any(len(line) < 2 for line in coords):
        raise StructureError("a line needs at least 2 positions", **where)
    rings: list[Any] = []
    if gtype == "Polygon":
        rings = list(coords)
    elif gtype == "MultiPolygon":
        for polygon in coords:
            if not polygon:
                raise StructureError("a polygon has no rings", **where)
            rings.extend(polygon)
    for ring in rings:
        if len(ring) < 4:
            raise StructureError(
                f"a polygon ring has {len(ring)} positions; at least 4 are needed", **where
            )
        if ring[0] != ring[-1]:
            raise StructureError("a polygon ring is not closed (first position != last)", **where)
    return str(gtype)


def iter_raw_features(doc: Any, *, file: str) -> list[Any]:
    """The raw features of a FeatureCollection document (no ``crs`` allowed)."""
    if not isinstance(doc, dict):
        raise StructureError("the file must hold a GeoJSON FeatureCollection object", file=file)
    dtype = doc.get("type")
    if dtype != "FeatureCollection":
        hint = " (types are case-sensitive)" if str(dtype).lower() == "featurecollection" else ""
        raise StructureError(f"expected type 'FeatureCollection', found {dtype!r}{hint}", file=file)
    if "crs" in doc:
        raise StructureError(
            "a 'crs' member is not allowed: RFC 7946 data is longitude/latitude (OGC:CRS84)",
            file=file,
            field="crs",
        )
    features = doc.get("features")
    if not isinstance(features, list):
        raise StructureError("the 'features' member is missing or not a list", file=file)
    return features
