"""Geodesic lengths and areas on the WGS 84 ellipsoid (pyproj.Geod), never planar degrees.

A degree of longitude at 39° N is 22 % shorter than one at the equator, so planar measures in
degrees are wrong by that much here; the ellipsoid is exact to the millimetre.
"""

from __future__ import annotations

from typing import Final

import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

WGS84: Final = Geod(ellps="WGS84")


def geodesic_length_m(geom: BaseGeometry) -> float:
    """Length in metres of a (multi)line, or the perimeter of a (multi)polygon."""
    return float(WGS84.geometry_length(geom))


def geodesic_area_m2(geom: BaseGeometry) -> float:
    """Area in square metres of a (multi)polygon, positive whatever the ring orientation."""
    area, _perimeter = WGS84.geometry_area_perimeter(shapely.orient_polygons(geom))
    return abs(float(area))


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in metres between two points."""
    _fwd, _back, dist = WGS84.inv(lon1, lat1, lon2, lat2)
    return float(dist)
