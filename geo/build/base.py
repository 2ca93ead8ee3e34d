"""Reproducible build of ``data/base/`` from the OpenStreetMap boundary package.

The committed base (country polygons and the shared border lines) is extracted from the npm package
``@osm_borders/maritime_10m`` 1.1.0 so that the app runs offline and anyone can rebuild it byte for
byte: ``npm pack`` fetches the tarball, its sha1 pins the exact bytes, and the output is written
with sorted features, fixed key order and coordinates rounded to 6 decimals.

Border lines are the shared edges of the *unclipped* polygons (clipping first would cut them at the
region's frame). The package simplifies each country on its own to a 10 m resolution, so two
neighbours' boundaries coincide exactly only in places and elsewhere run up to ~20 m apart; an exact
intersection of the two boundaries breaks the Tajik–Afghan line into 20 pieces and drops ~13 km.
The shared edge is therefore the part of the first country's boundary (ISO3 order) that lies within
``EDGE_TOLERANCE_DEG`` of the second's: one continuous line per border, exactly on one boundary and
within a few tens of metres of the other.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge

from geo.build import npm
from geo.build.npm import PackageChecksumError, PackageError, PinnedPackage
from geo.build.output import DECIMALS, dump_feature_collection, render_template, write_files
from geo.errors import GeoDataError
from geo.measure import geodesic_area_m2, geodesic_length_m

PACKAGE_NAME: Final = "@osm_borders/maritime_10m"
PACKAGE_VERSION: Final = "1.1.0"
PACKAGE_TGZ_NAME: Final = "osm_borders-maritime_10m-1.1.0.tgz"
PACKAGE_SHA1: Final = "027599d776eae680d688b7160e374a531a1a8bba"
PACKAGE: Final = PinnedPackage(PACKAGE_NAME, PACKAGE_VERSION, PACKAGE_TGZ_NAME, PACKAGE_SHA1)
PACKAGE_SPEC: Final = PACKAGE.spec
# Neither package.json nor README.md carries a date; this is the registry's publish time of 1.1.0
# (`npm view @osm_borders/maritime_10m@1.1.0 time`).
PACKAGE_DATE: Final = "2024-12-13"
PACKAGE_MEMBER: Final = "package/borders.geo.json"

#: Region frame (lon_min, lat_min, lon_max, lat_max) the committed polygons and lines are cut to.
REGION_BBOX: Final = (60.0, 34.0, 80.0, 43.0)

#: English display names of the countries kept, by the package's ``isoA3`` property.
COUNTRIES: Final[dict[str, str]] = {
    "AFG": "Afghanistan",
    "CHN": "China",
    "KAZ": "Kazakhstan",
    "KGZ": "Kyrgyzstan",
    "PAK": "Pakistan",
    "TJK": "Tajikistan",
    "TKM": "Turkmenistan",
    "UZB": "Uzbekistan",
}

#: How far (degrees, ~33 m north-south, ~25 m east-west here) the second country's boundary may be
#: from the first's for the stretch to count as shared. 20 m closes every gap on the Tajik borders.
EDGE_TOLERANCE_DEG: Final = 0.0003

#: Borders whose exact boundary intersection PROVENANCE.md reports next to the tolerant edge.
COMPARE_EXACT: Final = ("AFG-TJK", "KGZ-TJK", "CHN-TJK", "TJK-UZB")

#: Coordinates are written on this grid (6 decimals, ~0.1 m).
GRID: Final = 1e-6

#: A point inside each Fergana exclave polygon of the package, to name the closed rings in notes.
EXCLAVE_LABELS: Final[dict[str, tuple[float, float]]] = {
    "Vorukh": (70.579, 39.853),
    "Lolazor (Western Qalacha)": (69.546, 40.07),
    "Sarvak": (70.62, 40.959),
    "Sokh": (71.097, 40.032),
    "Shakhimardan": (71.794, 39.973),
    "Jangail": (71.665, 40.203),
    "Barak": (72.767, 40.668),
}

SOURCE: Final[dict[str, Any]] = {
    "title": f"OpenStreetMap boundaries, maritime_10m {PACKAGE_VERSION}",
    "publisher": "OpenStreetMap contributors (ODbL)",
    "date": PACKAGE_DATE,
    "url": None,
}


@dataclass(frozen=True)
class BaseBuildReport:
    """What a build wrote: file paths and sizes, and the geodesic length of each border line."""

    files: dict[str, int]
    line_km: dict[str, float]
    countries: tuple[str, ...]
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------- package


def verify_package(path: Path) -> Path:
    """``path`` if it is the pinned tarball (``PackageChecksumError`` otherwise)."""
    return npm.verify(PACKAGE, path)


def fetch_package(dest_dir: Path) -> Path:
    """Fetch the pinned package with ``npm pack`` into ``dest_dir``; the verified tarball."""
    return npm.fetch(PACKAGE, dest_dir)


def ensure_package(cache_dir: Path) -> Path:
    """The verified tarball in ``cache_dir``, fetched only when absent or wrong."""
    return npm.ensure(PACKAGE, cache_dir)


def read_package_countries(package_tgz: Path, isos: Iterable[str]) -> dict[str, BaseGeometry]:
    """Read the wanted country geometries straight from the tarball (no extraction)."""
    wanted = set(isos)
    try:
        with tarfile.open(package_tgz, "r:gz") as tar:
            manifest = json.load(_member(tar, "package/package.json", package_tgz))
            if (manifest.get("name"), manifest.get("version")) != (PACKAGE_NAME, PACKAGE_VERSION):
                raise PackageError(
                    f"holds {manifest.get('name')}@{manifest.get('version')}, not {PACKAGE_SPEC}",
                    file=str(package_tgz),
                )
            collection = json.load(_member(tar, PACKAGE_MEMBER, package_tgz))
    except (tarfile.TarError, OSError, json.JSONDecodeError) as err:
        raise PackageError(f"cannot read the package: {err}", file=str(package_tgz)) from None
    found: dict[str, BaseGeometry] = {}
    for feature in collection.get("features", []):
        iso = (feature.get("properties") or {}).get("isoA3")
        if iso in wanted:
            found[iso] = _polygonal(shape(feature["geometry"]))
    missing = sorted(wanted - found.keys())
    if missing:
        raise PackageError(f"no feature with isoA3 {', '.join(missing)}", file=str(package_tgz))
    return found


def _member(tar: tarfile.TarFile, name: str, package_tgz: Path) -> io.BufferedReader:
    handle = tar.extractfile(name)
    if handle is None:
        raise PackageError(f"the tarball has no {name}", file=str(package_tgz))
    return handle  # type: ignore[return-value]  # tarfile types the member as IO[bytes]; it is a buffered reader


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The package wraps each country in a GeometryCollection; keep its (multi)polygon."""
    polys: list[Polygon] = []
    for part in getattr(geom, "geoms", [geom]):
        if isinstance(part, Polygon):
            polys.append(part)
        elif isinstance(part, MultiPolygon):
            polys.extend(part.geoms)
    merged = MultiPolygon(polys) if len(polys) > 1 else polys[0]
    return merged if merged.is_valid else shapely.make_valid(merged)


# ------------------------------------------------------------------------------------ geometry


def shared_edge(first: BaseGeometry, second: BaseGeometry) -> BaseGeometry:
    """The stretch of ``first``'s boundary within ``EDGE_TOLERANCE_DEG`` of ``second``'s, merged."""
    tol = EDGE_TOLERANCE_DEG
    if first.distance(second) > tol:
        return LineString()
    window = box(*first.bounds).buffer(2 * tol)
    near = second.boundary.intersection(window)
    if near.is_empty:
        return LineString()
    edge = first.boundary.intersection(near.buffer(tol))
    return _merge_lines(edge)


def _merge_lines(geom: BaseGeometry) -> BaseGeometry:
    """Keep the linear parts of ``geom`` and merge them into as few lines as possible."""
    lines = [
        part
        for part in shapely.get_parts(geom)
        if isinstance(part, LineString | MultiLineString) and not part.is_empty
    ]
    if not lines:
        return LineString()
    union = shapely.union_all(lines)
    return linemerge(union) if isinstance(union, MultiLineString) else union


def exact_edge(first: BaseGeometry, second: BaseGeometry) -> BaseGeometry:
    """The exact intersection of the two boundaries (for comparison in PROVENANCE.md only)."""
    return _merge_lines(first.boundary.intersection(second.boundary))


def clip_to_region(geom: BaseGeometry) -> BaseGeometry:
    """Clip to ``REGION_BBOX`` keeping only the parts of the geometry's own dimension."""
    clipped = geom.intersection(box(*REGION_BBOX))
    if geom.geom_type in ("LineString", "MultiLineString"):
        return _merge_lines(clipped)
    polys = [p for p in shapely.get_parts(clipped) if isinstance(p, Polygon) and not p.is_empty]
    if not polys:
        return Polygon()
    return MultiPolygon(polys) if len(polys) > 1 else polys[0]


def _line_parts(geom: BaseGeometry) -> list[LineString]:
    return [p for p in shapely.get_parts(geom) if isinstance(p, LineString) and not p.is_empty]


# ------------------------------------------------------------------------------------- writing


def _r(value: float) -> float:
    out = round(value, DECIMALS)
    return 0.0 if out == 0 else out


def _line_coords(line: LineString) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in line.coords:
        pt = [_r(x), _r(y)]
        if not out or out[-1] != pt:
            out.append(pt)
    return out


def _ring_coords(ring: Any) -> list[list[float]]:
    return [[_r(x), _r(y)] for x, y in ring.coords]


def geometry_json(geom: BaseGeometry) -> dict[str, Any]:
    """RFC 7946 geometry dict: counter-clockwise shells, 6-decimal coordinates, no repeats."""
    if isinstance(geom, Polygon | MultiPolygon):
        geom = shapely.orient_polygons(shapely.set_precision(geom, GRID), exterior_cw=False)
        polys = list(shapely.get_parts(geom))
        rings = [
            [_ring_coords(p.exterior), *(_ring_coords(r) for r in p.interiors)]
            for p in polys
            if isinstance(p, Polygon) and not p.is_empty
        ]
        if len(rings) == 1:
            return {"type": "Polygon", "coordinates": rings[0]}
        return {"type": "MultiPolygon", "coordinates": rings}
    parts = [c for c in (_line_coords(p) for p in _line_parts(geom)) if len(c) >= 2]
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    return {"type": "MultiLineString", "coordinates": parts}


def _props(fid: str, name: str, extra: dict[str, Any], notes: str) -> dict[str, Any]:
    return {
        "id": fid,
        "name": name,
        **extra,
        "valid_from": None,
        "valid_to": None,
        "confidence": "assessed",
        "sources": [dict(SOURCE)],
        "notes": notes,
    }


def _exclave_name(ring: LineString) -> str | None:
    if not ring.is_closed or len(ring.coords) < 4:
        return None
    area = Polygon(ring.coords)
    for name, (lon, lat) in EXCLAVE_LABELS.items():
        if area.contains(Point(lon, lat)):
            return name
    return None


def _describe_parts(line: BaseGeometry) -> str:
    bits = []
    for part in sorted(_line_parts(line), key=lambda p: -geodesic_length_m(p)):
        km = geodesic_length_m(part) / 1000
        if part.is_closed:
            label = _exclave_name(part) or "exclave"
            bits.append(f"closed ring around {label} {km:.1f} km")
        else:
            bits.append(f"line {km:.1f} km")
    return "; ".join(bits)


# --------------------------------------------------------------------------------------- build


def build_base(*, package_tgz: Path, out_dir: Path) -> BaseBuildReport:
    """Write countries.geojson, border_lines.geojson and PROVENANCE.md from the pinned package."""
    verify_package(package_tgz)
    countries = read_package_countries(package_tgz, COUNTRIES)
    isos = sorted(countries)

    lines: dict[str, BaseGeometry] = {}
    for a, b in itertools.combinations(isos, 2):
        edge = clip_to_region(shared_edge(countries[a], countries[b]))
        if not edge.is_empty and geodesic_length_m(edge) > 0:
            lines[f"{a}-{b}"] = edge
    exact: dict[str, tuple[int, float]] = {}
    for border in COMPARE_EXACT:
        a, b = border.split("-")
        geom = exact_edge(countries[a], countries[b])
        exact[border] = (len(_line_parts(geom)), geodesic_length_m(geom) / 1000)

    country_features = []
    areas: dict[str, float] = {}
    for iso in isos:
        clipped = clip_to_region(countries[iso])
        if clipped.is_empty:
            continue
        areas[iso] = geodesic_area_m2(clipped) / 1e6
        note = (
            f"De facto extent as drawn by OpenStreetMap, clipped to the region frame lon "
            f"{REGION_BBOX[0]:g}..{REGION_BBOX[2]:g}, lat {REGION_BBOX[1]:g}..{REGION_BBOX[3]:g}; "
            "not an authoritative boundary."
        )
        country_features.append(
            {
                "type": "Feature",
                "properties": _props(f"base-{iso.lower()}", COUNTRIES[iso], {"iso3": iso}, note),
                "geometry": geometry_json(clipped),
            }
        )

    line_features = []
    line_km: dict[str, float] = {}
    for border in sorted(lines):
        geom = lines[border]
        a, b = border.split("-")
        line_km[border] = round(geodesic_length_m(geom) / 1000, 3)
        note = (
            f"Shared edge of the OpenStreetMap polygons of {COUNTRIES[a]} and {COUNTRIES[b]}: "
            f"{a}'s boundary where {b}'s is within {EDGE_TOLERANCE_DEG:g} degrees, inside the "
            f"region frame. Parts: {_describe_parts(geom)}. De facto line; not authoritative."
        )
        line_features.append(
            {
                "type": "Feature",
                "properties": _props(
                    f"base-line-{a.lower()}-{b.lower()}",
                    f"{COUNTRIES[a]}–{COUNTRIES[b]} border (OSM base)",
                    {"border": border},
                    note,
                ),
                "geometry": geometry_json(geom),
            }
        )

    written: dict[str, bytes] = {
        "countries.geojson": dump_feature_collection(country_features),
        "border_lines.geojson": dump_feature_collection(line_features),
    }
    written["PROVENANCE.md"] = _provenance(line_km, areas, lines, exact, written).encode("utf-8")
    files = write_files(out_dir, written)
    return BaseBuildReport(files=files, line_km=line_km, countries=tuple(areas))


def _provenance(
    line_km: dict[str, float],
    areas: dict[str, float],
    lines: dict[str, BaseGeometry],
    exact: dict[str, tuple[int, float]],
    written: dict[str, bytes],
) -> str:
    w, s, e, n = REGION_BBOX
    rows = "\n".join(
        f"| {b} | {km:,.1f} | {len(_line_parts(lines[b]))} |" for b, km in sorted(line_km.items())
    )
    area_rows = "\n".join(
        f"| {iso} | {COUNTRIES[iso]} | {km2:,.0f} |" for iso, km2 in areas.items()
    )
    exact_rows = "\n".join(
        f"| {b} | {n} | {km:,.1f} | {len(_line_parts(lines[b]))} | {line_km[b]:,.1f} |"
        for b, (n, km) in exact.items()
        if b in lines
    )
    size_rows = "\n".join(f"| {name} | {len(data):,} |" for name, data in sorted(written.items()))
    kgz = _describe_parts(lines["KGZ-TJK"]) if "KGZ-TJK" in lines else "absent"
    vorukh = _exclave_area("Vorukh", lines.get("KGZ-TJK"))
    return render_template(
        "base_provenance.md.in",
        package_name=PACKAGE_NAME,
        package_version=PACKAGE_VERSION,
        package_date=PACKAGE_DATE,
        package_tgz_name=PACKAGE_TGZ_NAME,
        package_sha1=PACKAGE_SHA1,
        package_spec=PACKAGE_SPEC,
        package_member=PACKAGE_MEMBER,
        country_list=", ".join(COUNTRIES),
        edge_tolerance=f"{EDGE_TOLERANCE_DEG:g}",
        exact_rows=_indent(exact_rows, 3),
        west=f"{w:g}",
        east=f"{e:g}",
        south=f"{s:g}",
        north=f"{n:g}",
        line_rows=rows,
        kgz_parts=kgz,
        area_rows=area_rows,
        size_rows=size_rows,
        vorukh=vorukh,
    )


def _indent(text: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line for line in text.splitlines())


def _exclave_area(name: str, line: BaseGeometry | None) -> str:
    if line is None:
        return "absent"
    for part in _line_parts(line):
        if _exclave_name(part) == name:
            km2 = geodesic_area_m2(Polygon(part.coords)) / 1e6
            return f"{km2:.1f} km² (ring of {geodesic_length_m(part) / 1000:.1f} km)"
    return "absent"


# ------------------------------------------------------------------------------------------ cli


def cli_build_base(argv: list[str]) -> int:
    """``python -m geo build-base [--package TGZ] [--cache DIR] [--out DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m geo build-base", description="Rebuild data/base/ from the OSM package."
    )
    parser.add_argument("--package", type=Path, help="use this tarball instead of fetching")
    parser.add_argument("--cache", type=Path, default=Path("build"), help="download cache")
    parser.add_argument("--out", type=Path, default=Path("data/base"), help="output folder")
    args = parser.parse_args(argv)
    try:
        tgz = args.package if args.package else ensure_package(args.cache)
        report = build_base(package_tgz=tgz, out_dir=args.out)
    except GeoDataError as err:
        print(err.sentence())
        return 1
    for path, size in report.files.items():
        print(f"{path}: {size:,} bytes")
    for border, km in report.line_km.items():
        print(f"{border}: {km:,.1f} km")
    return 0
