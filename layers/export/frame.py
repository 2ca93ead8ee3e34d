"""The map window: a local Lambert conformal conic, the displayed extent, and the true scale."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
from pyproj import CRS, Geod, Transformer
from pyproj.crs import ProjectedCRS
from pyproj.crs.coordinate_operation import LambertConformalConic2SPConversion
from shapely.geometry import box

_NICE: Final = (1.0, 2.0, 2.5, 5.0)
_GEOD: Final = Geod(ellps="WGS84")


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
class View:
    """The map window: projection, displayed extent (projected metres) and its lon/lat hull."""

    crs: CRS
    extent: tuple[float, float, float, float]  # x0, y0, x1, y1
    lonlat_bounds: tuple[float, float, float, float]
    center_lonlat: tuple[float, float]


def view_for(bbox: Sequence[float], *, aspect: float) -> View:
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
    return View(crs, (x0, y0, x1, y1), (w, s, e, n), center)


def metres_per_unit(view: View) -> float:
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


def distance_label(metres: float) -> str:
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"


WEB_TILE_PX: Final = 256
EQUATOR_M: Final = 40_075_016.686
SCREEN_DPI: Final = 96


def sheet_zoom(view: View, *, map_width_in: float) -> float:
    """The web-map zoom with the sheet's scale: ground metres per pixel of the map, at 96 dpi.

    A Web Mercator map at zoom ``z`` shows ``EQUATOR_M * cos(lat) / (256 * 2**z)`` metres per
    pixel at latitude ``lat``; the sheet's map is as wide on paper as ``map_width_in * 96`` screen
    pixels, so the same names fit on both.
    """
    ground_m = (view.extent[2] - view.extent[0]) * metres_per_unit(view)
    metres_per_px = ground_m / (map_width_in * SCREEN_DPI)
    lat = math.radians(view.center_lonlat[1])
    return math.log2(EQUATOR_M * math.cos(lat) / (WEB_TILE_PX * metres_per_px))
