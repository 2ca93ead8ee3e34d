"""geo.measure: geodesic lengths and areas on WGS 84, checked against closed-form ellipsoid figures.

The expected values are computed in the tests (meridian_arc_m in tests/conftest.py) from the WGS 84 defining constants (a = 6 378 137 m,
f = 1/298.257223563) with textbook formulas, not taken from pyproj:

- meridian arc: the integral of the meridional radius M(φ) = a(1-e²)/(1-e² sin²φ)^1.5, done by
  Simpson's rule;
- one degree of latitude at 39° N is about 111.0 km (published tables give 111.0 km at 39-40° N);
- area of a latitude/longitude cell: Δλ·b²/2·[q(φ2) - q(φ1)] with the authalic
  q(φ) = sinφ/(1-e² sin²φ) + ln((1+e sinφ)/(1-e sinφ))/(2e).
"""

from __future__ import annotations

import math

import pytest
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon

from geo.measure import distance_m, geodesic_area_m2, geodesic_length_m
from tests.conftest import E2, A, B, E, meridian_arc_m


def parallel_radius_m(lat: float) -> float:
    """Radius of the parallel at ``lat``: N(φ)·cosφ."""
    phi = math.radians(lat)
    return A / math.sqrt(1 - E2 * math.sin(phi) ** 2) * math.cos(phi)


def cell_area_m2(west: float, south: float, east: float, north: float) -> float:
    """Area of the ellipsoid between two parallels and two meridians."""

    def q(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return s / (1 - E2 * s * s) + math.log((1 + E * s) / (1 - E * s)) / (2 * E)

    return math.radians(east - west) * B * B / 2 * (q(north) - q(south))


def test_reference_formula_matches_the_published_degree_of_latitude() -> None:
    # Sanity check of the reference itself: ~111.0 km per degree at 39 deg N.
    assert meridian_arc_m(38.5, 39.5) == pytest.approx(111_000, rel=1e-3)


def test_one_degree_of_latitude_at_39_north() -> None:
    line = LineString([(70.0, 38.5), (70.0, 39.5)])
    assert geodesic_length_m(line) == pytest.approx(111_000, rel=1e-3)
    assert geodesic_length_m(line) == pytest.approx(meridian_arc_m(38.5, 39.5), rel=1e-6)


def test_a_longer_meridian_stretch() -> None:
    line = LineString([(71.0, 37.0), (71.0, 38.0), (71.0, 41.5)])
    assert geodesic_length_m(line) == pytest.approx(meridian_arc_m(37.0, 41.5), rel=1e-6)


def test_east_west_degree_is_shorter_than_a_planar_degree_suggests() -> None:
    # Along the 39 deg N parallel a degree of longitude is cos(39 deg) of an equatorial one.
    line = LineString([(70.0, 39.0), (71.0, 39.0)])
    expected = parallel_radius_m(39.0) * math.radians(1.0)
    assert geodesic_length_m(line) == pytest.approx(expected, rel=1e-3)
    assert geodesic_length_m(line) < 0.8 * meridian_arc_m(38.5, 39.5)


def test_multiline_length_is_the_sum_of_its_parts() -> None:
    parts = MultiLineString([[(70.0, 39.0), (70.0, 39.5)], [(72.0, 40.0), (72.0, 40.25)]])
    expected = meridian_arc_m(39.0, 39.5) + meridian_arc_m(40.0, 40.25)
    assert geodesic_length_m(parts) == pytest.approx(expected, rel=1e-6)


def test_distance_between_points() -> None:
    assert distance_m(70.0, 39.0, 70.0, 40.0) == pytest.approx(meridian_arc_m(39.0, 40.0), rel=1e-6)
    assert distance_m(70.0, 39.0, 70.0, 39.0) == 0.0


CELL = [(70.0, 39.0), (70.1, 39.0), (70.1, 39.1), (70.0, 39.1), (70.0, 39.0)]


@pytest.mark.parametrize("ring", [CELL, CELL[::-1]], ids=["ccw", "cw"])
def test_area_of_a_small_cell_is_positive_for_both_windings(
    ring: list[tuple[float, float]],
) -> None:
    expected = cell_area_m2(70.0, 39.0, 70.1, 39.1)
    # Polygon edges are geodesics, not parallels; over 0.1 deg the difference is far below 0.1 %.
    area = geodesic_area_m2(Polygon(ring))
    assert area > 0
    assert area == pytest.approx(expected, rel=1e-3)


def test_area_of_a_one_degree_cell() -> None:
    ring = [(70.0, 39.0), (71.0, 39.0), (71.0, 40.0), (70.0, 40.0)]
    assert geodesic_area_m2(Polygon(ring)) == pytest.approx(
        cell_area_m2(70.0, 39.0, 71.0, 40.0), rel=1e-3
    )


def test_hole_is_subtracted_whatever_its_winding() -> None:
    outer = [(70.0, 39.0), (70.2, 39.0), (70.2, 39.2), (70.0, 39.2)]
    hole = [(70.05, 39.05), (70.15, 39.05), (70.15, 39.15), (70.05, 39.15)]
    expected = cell_area_m2(70.0, 39.0, 70.2, 39.2) - cell_area_m2(70.05, 39.05, 70.15, 39.15)
    for h in (hole, hole[::-1]):
        for o in (outer, outer[::-1]):
            assert geodesic_area_m2(Polygon(o, [h])) == pytest.approx(expected, rel=1e-3)


def test_multipolygon_area_is_the_sum_of_its_parts() -> None:
    a = Polygon([(70.0, 39.0), (70.1, 39.0), (70.1, 39.1), (70.0, 39.1)])
    b = Polygon([(72.0, 37.0), (72.0, 37.2), (72.2, 37.2), (72.2, 37.0)])  # clockwise
    expected = cell_area_m2(70.0, 39.0, 70.1, 39.1) + cell_area_m2(72.0, 37.0, 72.2, 37.2)
    assert geodesic_area_m2(MultiPolygon([a, b])) == pytest.approx(expected, rel=1e-3)


def test_polygon_length_is_its_perimeter() -> None:
    poly = Polygon([(70.0, 39.0), (70.0, 40.0), (70.5, 40.0), (70.5, 39.0)])
    sides = 2 * meridian_arc_m(39.0, 40.0) + distance_m(70.0, 40.0, 70.5, 40.0)
    sides += distance_m(70.0, 39.0, 70.5, 39.0)
    assert geodesic_length_m(poly) == pytest.approx(sides, rel=1e-6)
