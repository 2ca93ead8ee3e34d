"""Display simplification: fewer vertices, and neighbours still meet exactly."""

from __future__ import annotations

from itertools import pairwise

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon, box
from shapely.ops import linemerge, substring

from geo.catalog import DATA_DIR, load_frame
from geo.simplify import (
    display_frame,
    simplify_frame,
    tolerance_for_zoom,
    vertex_count,
)

Z7 = tolerance_for_zoom(7)


@pytest.fixture(scope="module")
def countries() -> gpd.GeoDataFrame:
    frame, _ = load_frame(DATA_DIR / "base" / "countries.geojson")
    return frame.set_index("iso3", drop=False)


@pytest.fixture(scope="module")
def countries_z7(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return simplify_frame(countries, tolerance_deg=Z7, kind="coverage")


@pytest.fixture(scope="module")
def kgz_tjk_line() -> LineString:
    frame, _ = load_frame(DATA_DIR / "base" / "border_lines.geojson")
    geom = frame.loc[frame["id"] == "base-line-kgz-tjk"].geometry.iloc[0]
    merged = linemerge(geom) if geom.geom_type == "MultiLineString" else geom
    parts = list(getattr(merged, "geoms", [merged]))
    return max(parts, key=lambda g: g.length)


def _coords(geom: shapely.Geometry) -> set[tuple[float, float]]:
    return {tuple(xy) for xy in shapely.get_coordinates(geom).tolist()}


# --------------------------------------------------------------------------- tolerance


def test_tolerance_halves_per_zoom_level_and_is_sub_kilometre_at_default_zoom() -> None:
    assert tolerance_for_zoom(8) == pytest.approx(tolerance_for_zoom(7) / 2)
    # half a pixel at zoom 7, latitude 39: ~0.0043 degrees, i.e. a few hundred metres
    assert 0.003 < Z7 < 0.006
    with pytest.raises(ValueError):
        tolerance_for_zoom(7, pixels=0)


# --------------------------------------------------------------------------- coverage


def test_country_coverage_stays_a_valid_coverage_with_far_fewer_vertices(
    countries: gpd.GeoDataFrame, countries_z7: gpd.GeoDataFrame
) -> None:
    geoms = np.asarray(countries_z7.geometry.values)
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)  # no overlaps, every shared edge edge-matched
    assert vertex_count(countries_z7) < 0.3 * vertex_count(countries)


def test_tjk_kgz_shared_edge_is_identical_from_both_sides(
    countries_z7: gpd.GeoDataFrame, kgz_tjk_line: LineString
) -> None:
    tjk = countries_z7.loc["TJK"].geometry
    kgz = countries_z7.loc["KGZ"].geometry
    shared = shapely.line_merge(shapely.intersection(tjk.boundary, kgz.boundary))
    # the shared edge is long (it is the whole Kyrgyz-Tajik border, not a few touching points)
    assert shared.length > 0.9 * kgz_tjk_line.length
    # both sides carry the same vertices along it: no sliver, no gap between them
    on_edge = shapely.buffer(shared, 1e-9)
    tjk_side = {xy for xy in _coords(tjk.boundary) if on_edge.contains(Point(xy))}
    kgz_side = {xy for xy in _coords(kgz.boundary) if on_edge.contains(Point(xy))}
    assert tjk_side == kgz_side
    assert shapely.intersection(tjk, kgz).area == pytest.approx(0.0, abs=1e-12)


def test_enclaves_and_holes_survive(
    countries: gpd.GeoDataFrame, countries_z7: gpd.GeoDataFrame
) -> None:
    for iso3 in countries.index:
        before, after = countries.loc[iso3].geometry, countries_z7.loc[iso3].geometry
        assert shapely.get_num_geometries(after) == shapely.get_num_geometries(before), iso3
        holes = [shapely.get_num_interior_rings(p) for p in getattr(before, "geoms", [before])]
        holes_after = [shapely.get_num_interior_rings(p) for p in getattr(after, "geoms", [after])]
        assert holes_after == holes, iso3
        assert after.area == pytest.approx(before.area, rel=0.01), iso3


def test_enclave_layer_polygons_are_not_collapsed() -> None:
    enclaves, _ = load_frame(DATA_DIR / "enclaves.geojson")
    simplified = display_frame(enclaves)
    for before, after in zip(enclaves.geometry, simplified.geometry, strict=True):
        assert after.is_valid and not after.is_empty
        assert shapely.get_num_geometries(after) == shapely.get_num_geometries(before)
        assert after.area == pytest.approx(before.area, rel=0.25)


def test_coverage_that_is_not_edge_matched_is_cleaned_first() -> None:
    # two squares whose common side is drawn differently (a zigzag into the neighbour):
    # they overlap slightly and their shared edge is not edge-matched
    wiggle = [(1.0 + 0.00002 * (y % 2), y / 10) for y in range(11)]
    left = Polygon([(0, 0), *wiggle, (0, 1)])
    right = Polygon([(1, 0), (2, 0), (2, 1), (1, 1)])
    frame = gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=[left, right], crs="OGC:CRS84")
    assert not shapely.coverage_is_valid(np.asarray(frame.geometry.values))
    out = simplify_frame(frame, tolerance_deg=0.01, kind="coverage")
    assert shapely.coverage_is_valid(np.asarray(out.geometry.values))
    shared = shapely.intersection(out.geometry.iloc[0], out.geometry.iloc[1])
    assert shared.length == pytest.approx(1.0, abs=1e-3)  # they share the whole side, once
    assert shapely.intersection(out.geometry.iloc[0], out.geometry.iloc[1]).area == 0


# --------------------------------------------------------------------------- lines


def test_border_segments_keep_their_endpoints_so_neighbours_meet(kgz_tjk_line: LineString) -> None:
    length = kgz_tjk_line.length
    cuts = [0, 0.17, 0.4, 0.41, 0.75, 1.0]
    segments = [substring(kgz_tjk_line, a * length, b * length) for a, b in pairwise(cuts)]
    frame = gpd.GeoDataFrame(
        {"id": [f"s{i}" for i in range(len(segments))]}, geometry=segments, crs="OGC:CRS84"
    )
    out = simplify_frame(frame, tolerance_deg=Z7, kind="lines")
    for before, after in zip(segments, out.geometry, strict=True):
        assert after.coords[0] == before.coords[0]
        assert after.coords[-1] == before.coords[-1]
        assert after.is_valid
        assert shapely.hausdorff_distance(before, after) <= Z7 * 1.0001
    for first, second in pairwise(out.geometry):
        assert first.coords[-1] == second.coords[0]  # consecutive segments still meet exactly
    assert vertex_count(out) < 0.5 * vertex_count(frame)


def test_multiline_parts_keep_their_endpoints() -> None:
    zigzag = [(x / 100, 0.001 * (x % 2)) for x in range(101)]
    multi = MultiLineString([zigzag, [(x + 2, y) for x, y in zigzag]])
    frame = gpd.GeoDataFrame({"id": ["m"]}, geometry=[multi], crs="OGC:CRS84")
    after = simplify_frame(frame, tolerance_deg=0.01, kind="lines").geometry.iloc[0]
    ends = [(p.coords[0], p.coords[-1]) for p in after.geoms]
    assert ends == [(p.coords[0], p.coords[-1]) for p in multi.geoms]
    assert shapely.get_num_coordinates(after) == 4


# --------------------------------------------------------------------------- frames


def test_points_and_measured_columns_are_untouched() -> None:
    frame = gpd.GeoDataFrame(
        {"id": ["p", "q"], "length_km": [None, 12.5], "area_km2": [None, None]},
        geometry=[Point(70.1234567, 39.7654321), LineString([(70, 39), (70.5, 39.0001), (71, 39)])],
        crs="OGC:CRS84",
    )
    out = simplify_frame(frame, tolerance_deg=0.01, kind="auto")
    assert out.geometry.iloc[0].equals(frame.geometry.iloc[0])
    assert out["length_km"].equals(frame["length_km"])
    assert shapely.get_num_coordinates(out.geometry.iloc[1]) == 2
    assert frame.geometry.iloc[1].coords[1] == (70.5, 39.0001)  # the input frame is not changed
    same = simplify_frame(frame, tolerance_deg=0.01, kind="points")
    assert same.geometry.equals(frame.geometry)


def test_mixed_basemap_frame_simplifies_polygons_and_lines(
    countries: gpd.GeoDataFrame,
) -> None:
    lines, _ = load_frame(DATA_DIR / "base" / "border_lines.geojson")
    both = gpd.GeoDataFrame(
        [*countries.reset_index(drop=True).to_dict("records"), *lines.to_dict("records")],
        crs="OGC:CRS84",
    )
    out = display_frame(both)
    assert len(out) == len(both)
    assert list(out.geom_type.str.replace("Multi", "")) == list(
        both.geom_type.str.replace("Multi", "")
    )
    assert vertex_count(out) < 0.3 * vertex_count(both)


@pytest.mark.parametrize(
    ("kind", "geom"),
    [("coverage", LineString([(0, 0), (1, 1)])), ("lines", box(0, 0, 1, 1))],
)
def test_explicit_kind_refuses_other_geometry(kind: str, geom: shapely.Geometry) -> None:
    frame = gpd.GeoDataFrame({"id": ["x"]}, geometry=[geom], crs="OGC:CRS84")
    with pytest.raises(ValueError, match=kind):
        simplify_frame(frame, tolerance_deg=0.01, kind=kind)  # type: ignore[arg-type]  # an unknown kind on purpose


def test_negative_tolerance_is_refused() -> None:
    frame = gpd.GeoDataFrame({"id": ["x"]}, geometry=[box(0, 0, 1, 1)], crs="OGC:CRS84")
    with pytest.raises(ValueError):
        simplify_frame(frame, tolerance_deg=-1.0)
