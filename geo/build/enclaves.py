"""Build ``data/enclaves.geojson`` from the OpenStreetMap base and hand-written properties.

Geometry is never drawn by hand. Every enclave polygon is one part of a country's MultiPolygon in
``data/base/countries.geojson`` that lies inside another country (an exclave). The properties
(names, sovereign/host, population, sources, notes) live in ``geo/build/enclaves_props.json``; each
entry
names how its polygon is found:

- ``anchor``: a sourced coordinate (copied from ``data/places.geojson``) that must lie inside the
  part, or within ``ANCHOR_TOLERANCE_M`` of it;
- ``north_west_of``: for an enclave with no sourced coordinate, the single remaining exclave part of
  the sovereign in the host that lies north-west of the given point.

The script checks that the part really belongs to ``sovereign`` and lies inside ``host`` and refuses
to write anything when a match is missing or ambiguous.

Run ``python -m geo build-enclaves`` (``--check`` compares with the file on disk instead of
writing it).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Final

import shapely
from pyproj import Geod
from shapely.geometry import Point, Polygon, mapping, shape
from shapely.ops import nearest_points

from geo.errors import DomainError

ROOT: Final = Path(__file__).resolve().parents[2]
COUNTRIES: Final = ROOT / "data" / "base" / "countries.geojson"
PROPS: Final = Path(__file__).resolve().parent / "enclaves_props.json"
OUT: Final = ROOT / "data" / "enclaves.geojson"

#: A part at least this large (square degrees) is a mainland, never an exclave; the Fergana exclaves
#: are all far below it. Only used to sort parts, nothing here is measured for display.
MAINLAND_MIN_DEG2: Final = 1.0
#: Largest distance (degrees) between an exclave's ring and its host for the host to count.
HOST_TOLERANCE_DEG: Final = 0.001
#: An anchor may lie this far outside its polygon (village points sit near, not always in, it).
ANCHOR_TOLERANCE_M: Final = 1500.0
PROPERTY_ORDER: Final = (
    "id",
    "name",
    "sovereign",
    "host",
    "population",
    "population_year",
    "valid_from",
    "valid_to",
    "confidence",
    "sources",
    "notes",
)


class EnclaveBuildError(DomainError):
    """The base or the properties do not allow an unambiguous enclave polygon."""


def load_countries(path: Path) -> dict[str, Any]:
    """Country geometries keyed by ISO3."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["iso3"]: shape(f["geometry"]) for f in data["features"]}


def exclave_parts(countries: dict[str, Any]) -> list[tuple[str, str, Polygon]]:
    """(sovereign, host, polygon) for every non-mainland part enclosed by one other country."""
    out = []
    for iso3, geom in sorted(countries.items()):
        for part in shapely.get_parts(geom):
            if part.area >= MAINLAND_MIN_DEG2:
                continue
            ring = part.exterior
            touching = [
                other
                for other, other_geom in sorted(countries.items())
                if other != iso3 and ring.distance(other_geom) <= HOST_TOLERANCE_DEG
            ]
            hosts = [
                other
                for other in touching
                if ring.buffer(HOST_TOLERANCE_DEG)
                .difference(part)
                .within(countries[other].buffer(HOST_TOLERANCE_DEG))
            ]
            if len(hosts) == 1:
                out.append((iso3, hosts[0], part))
    return out


def _metres(a: Point, b: Point) -> float:
    return float(Geod(ellps="WGS84").inv(a.x, a.y, b.x, b.y)[2])


def match_part(entry: dict[str, Any], parts: list[tuple[str, str, Polygon]]) -> Polygon:
    """The one exclave part of ``entry['sovereign']`` in ``entry['host']`` the entry names."""
    mine = [p for s, h, p in parts if s == entry["sovereign"] and h == entry["host"]]
    rule = entry["match"]
    if "anchor" in rule:
        anchor = Point(rule["anchor"]["lon"], rule["anchor"]["lat"])
        hits = []
        for part in mine:
            nearest = nearest_points(part, anchor)[0]
            if part.contains(anchor) or _metres(nearest, anchor) <= ANCHOR_TOLERANCE_M:
                hits.append(part)
        if len(hits) != 1:
            raise EnclaveBuildError(
                f"{entry['id']}: anchor {rule['anchor']['place']} matches {len(hits)} "
                f"{entry['sovereign']}-in-{entry['host']} parts (exactly 1 needed)"
            )
        return hits[0]
    if "north_west_of" in rule:
        ref = Point(rule["north_west_of"]["lon"], rule["north_west_of"]["lat"])
        # Parts already taken by an anchored entry (Sokh, Shakhimardan) are excluded by the caller.
        hits = [p for p in mine if p.centroid.x < ref.x and p.centroid.y > ref.y]
        if len(hits) != 1:
            raise EnclaveBuildError(
                f"{entry['id']}: rule matches {len(hits)} parts north-west of "
                f"{rule['north_west_of']['place']} (exactly 1 needed)"
            )
        return hits[0]
    raise EnclaveBuildError(f"{entry['id']}: 'match' needs an 'anchor' or 'north_west_of'")


def build(countries_path: Path = COUNTRIES, props_path: Path = PROPS) -> dict[str, Any]:
    """The enclaves FeatureCollection, features in the order of the properties file."""
    parts = exclave_parts(load_countries(countries_path))
    entries = json.loads(props_path.read_text(encoding="utf-8"))["enclaves"]
    used: list[Polygon] = []
    features = []
    # Anchored entries first, so a rule-based match never takes an anchored enclave's polygon.
    for entry in sorted(entries, key=lambda e: "anchor" not in e["match"]):
        free = [(s, h, p) for s, h, p in parts if not any(p.equals(u) for u in used)]
        polygon = match_part(entry, free)
        used.append(polygon)
        props = {k: entry[k] for k in PROPERTY_ORDER if k in entry}
        features.append(
            (
                entries.index(entry),
                {"type": "Feature", "geometry": mapping(polygon), "properties": props},
            )
        )
    features.sort(key=lambda pair: pair[0])
    return {"type": "FeatureCollection", "features": [_plain(f) for _, f in features]}


def _plain(feature: dict[str, Any]) -> dict[str, Any]:
    """Geometry as nested lists (not tuples) so the JSON is stable."""
    geom = feature["geometry"]
    rings = [[[x, y] for x, y in ring] for ring in geom["coordinates"]]
    return {
        "type": "Feature",
        "geometry": {"type": geom["type"], "coordinates": rings},
        "properties": feature["properties"],
    }


def dumps(collection: dict[str, Any]) -> str:
    """2-space JSON with a trailing newline, non-ASCII kept readable."""
    return json.dumps(collection, indent=2, ensure_ascii=False) + "\n"


def build_enclaves(
    *, countries_path: Path = COUNTRIES, props_path: Path = PROPS, out_path: Path = OUT
) -> dict[str, Any]:
    """Build the enclaves and write them to ``out_path`` deterministically; return the collection."""
    collection = build(countries_path, props_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(dumps(collection), encoding="utf-8")
    return collection


def cli_build_enclaves(argv: list[str]) -> int:
    """``python -m geo build-enclaves [--check]``."""
    parser = argparse.ArgumentParser(
        prog="python -m geo build-enclaves", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--check", action="store_true", help="fail if the file on disk differs")
    args = parser.parse_args(argv)
    if args.check:
        text = dumps(build())
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT.relative_to(ROOT)}: {'up to date' if same else 'OUT OF DATE'}")
        return 0 if same else 1
    collection = build_enclaves()
    print(f"{OUT.relative_to(ROOT)}: {len(collection['features'])} enclaves")
    return 0
