"""Shared fixtures: tiny valid features built in code, never the shipped data files.

``make_feature(file_name, **overrides)`` returns one valid feature for the layer that file name
selects (``borders.geojson``, ``events.geojson`` …); ``collection`` wraps features in a
FeatureCollection; ``write_geojson`` writes one to disk; ``fixture_data_dir`` is a small complete
data folder (every layer file, the basemap and milestones.json) in a temporary directory.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest

SOURCE: dict[str, Any] = {
    "title": "Test source",
    "publisher": "Test Publisher",
    "date": "2021-05-01",
    "url": "https://example.org/report",
}

# Two points on the meridian 70° E; the fixture borders run along it (see tests/geo/test_measure.py
# for the independent figure of one degree of latitude there).
LINE = {"type": "LineString", "coordinates": [[70.0, 39.0], [70.0, 39.5]]}
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[70.0, 39.0], [70.1, 39.0], [70.1, 39.1], [70.0, 39.1], [70.0, 39.0]]],
}
POINT = {"type": "Point", "coordinates": [70.5, 39.5]}


def _common(fid: str) -> dict[str, Any]:
    return {
        "id": fid,
        "name": f"Feature {fid}",
        "valid_from": None,
        "valid_to": None,
        "confidence": "assessed",
        "sources": [dict(SOURCE)],
    }


_LAYER_DEFAULTS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "borders.geojson": (
        {
            "border": "KGZ-TJK",
            "status_history": [
                {"from": "2021-01-01", "status": "disputed", "sources": [dict(SOURCE)]}
            ],
        },
        LINE,
    ),
    "enclaves.geojson": (
        {"sovereign": "TJK", "host": "KGZ", "population": 1000, "population_year": 2020},
        SQUARE,
    ),
    "deployments.geojson": (
        {"actor": "Test army", "country": "TJK", "kind": "base", "strength": None},
        POINT,
    ),
    "exercises.geojson": (
        {"exercise": "Test exercise", "organizer": "CSTO", "participants": ["TJK", "KGZ"]},
        SQUARE,
    ),
    "events.geojson": (
        {"kind": "clash", "fatalities": None, "description": "Something happened."},
        POINT,
    ),
    "crossings.geojson": (
        {
            "border": "KGZ-TJK",
            "status_history": [{"from": "2021-01-01", "status": "open", "sources": [dict(SOURCE)]}],
        },
        POINT,
    ),
    "places.geojson": ({"kind": "town", "country": "TJK", "alt_names": ["Тест"]}, POINT),
    "countries.geojson": ({"iso3": "TJK"}, SQUARE),
    "border_lines.geojson": ({"border": "KGZ-UZB"}, LINE),
    "settlements.geojson": (
        {
            "alt_names": ["Тест"],
            "country": "TJK",
            "population": 1200,
            "rank": "village",
            "feature_code": "PPL",
        },
        POINT,
    ),
    "waters.geojson": (
        {"named": True, "alt_names": [], "kind": "river", "level": 3, "class": "river"},
        LINE,
    ),
}

# WGS 84 defining constants, for reference figures computed independently of pyproj.
A = 6_378_137.0
F = 1 / 298.257223563
E2 = F * (2 - F)
E = math.sqrt(E2)
B = A * (1 - F)


def meridian_arc_m(lat0: float, lat1: float, steps: int = 2000) -> float:
    """Length of the WGS 84 meridian between two latitudes (degrees): Simpson's rule over the
    meridional radius M(φ) = a(1-e²)/(1-e² sin²φ)^1.5. Independent of pyproj."""
    p0, p1 = math.radians(lat0), math.radians(lat1)
    h = (p1 - p0) / steps

    def m(phi: float) -> float:
        return A * (1 - E2) / (1 - E2 * math.sin(phi) ** 2) ** 1.5

    total = m(p0) + m(p1)
    total += sum((4 if i % 2 else 2) * m(p0 + i * h) for i in range(1, steps))
    return total * h / 3


_counter = {"n": 0}


def make_feature(
    file_name: str,
    *,
    geometry: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """One valid feature for the layer ``file_name`` selects; ``overrides`` replace properties."""
    extra, default_geometry = _LAYER_DEFAULTS[file_name]
    _counter["n"] += 1
    props = _common(overrides.pop("id", f"f-{_counter['n']}"))
    props.update(copy.deepcopy(extra))
    props.update(overrides)
    return {
        "type": "Feature",
        "properties": props,
        "geometry": copy.deepcopy(geometry or default_geometry),
    }


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    """A FeatureCollection of ``features``."""
    return {"type": "FeatureCollection", "features": list(features)}


def write_geojson(path: Path, *features: dict[str, Any]) -> Path:
    """Write ``features`` as a FeatureCollection to ``path`` (folders created) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(collection(*features)), encoding="utf-8")
    return path


def history(*steps: tuple[str, str]) -> list[dict[str, Any]]:
    """A status history from ``(from, status)`` pairs."""
    return [{"from": day, "status": status, "sources": [dict(SOURCE)]} for day, status in steps]


def meridian(lat0: float, lat1: float, lon: float = 70.0) -> dict[str, Any]:
    """A LineString along the meridian ``lon`` from ``lat0`` to ``lat1``."""
    return {"type": "LineString", "coordinates": [[lon, lat0], [lon, lat1]]}


def box(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    """A counter-clockwise rectangular Polygon."""
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def milestone(
    day: str, delimited: float, total: float, border: str = "KGZ-TJK", measure: str = "described"
) -> dict[str, Any]:
    """One reported delimitation figure (``measure``: what its km count, see data/README.md)."""
    return {
        "date": day,
        "title": f"Figure of {day}",
        "border": border,
        "measure": measure,
        "reported": {"delimited_km": delimited, "total_km": total},
        "sources": [dict(SOURCE)],
    }


def three_segments(
    *, ids: tuple[str, str, str] = ("seg-a", "seg-b", "seg-c"), delimited_from: str = "2022-06-01"
) -> list[dict[str, Any]]:
    """The three test segments of the KGZ-TJK border along 70° E (the one copy every test uses).

    ``ids[0]`` 39.0–39.5° N delimited since 2021-01-01; ``ids[1]`` 39.5–40.0° N disputed from
    2021-01-01, delimited from ``delimited_from``; ``ids[2]`` 40.0–40.2° N undetermined, valid from
    2021-03-01 to 2023-01-01 (exclusive).
    """
    first, second, third = ids
    return [
        make_feature(
            "borders.geojson",
            id=first,
            geometry=meridian(39.0, 39.5),
            status_history=history(("2021-01-01", "delimited")),
        ),
        make_feature(
            "borders.geojson",
            id=second,
            geometry=meridian(39.5, 40.0),
            status_history=history(("2021-01-01", "disputed"), (delimited_from, "delimited")),
        ),
        make_feature(
            "borders.geojson",
            id=third,
            geometry=meridian(40.0, 40.2),
            valid_from="2021-03-01",
            valid_to="2023-01-01",
            status_history=history(("2021-03-01", "undetermined")),
        ),
    ]


def build_data_dir(root: Path) -> Path:
    """A small complete data folder: every registry file, valid, with known contents.

    Borders: ``three_segments()`` (``seg-a``, ``seg-b`` delimited from 2022-06-01, ``seg-c``).
    The basemap has TJK
    (69–70° E) and KGZ (70–71° E) between 39° and 41° N and a KGZ-TJK line 39.0–40.2° N, so the
    folder passes the cross-file checks (enclave ``encl-1`` lies in its host KGZ).
    """
    write_geojson(root / "borders.geojson", *three_segments())
    write_geojson(
        root / "enclaves.geojson",
        make_feature("enclaves.geojson", id="encl-1", geometry=box(70.2, 39.2, 70.3, 39.3)),
    )
    write_geojson(root / "deployments.geojson", make_feature("deployments.geojson", id="dep-1"))
    write_geojson(
        root / "exercises.geojson",
        make_feature(
            "exercises.geojson", id="ex-1", valid_from="2021-10-01", valid_to="2021-10-10"
        ),
    )
    write_geojson(
        root / "events.geojson",
        make_feature("events.geojson", id="ev-1", valid_from="2021-09-20"),
    )
    write_geojson(root / "crossings.geojson", make_feature("crossings.geojson", id="cr-1"))
    write_geojson(root / "places.geojson", make_feature("places.geojson", id="pl-1"))
    write_geojson(
        root / "base" / "countries.geojson",
        make_feature(
            "countries.geojson", id="tjk", iso3="TJK", geometry=box(69.0, 39.0, 70.0, 41.0)
        ),
        make_feature(
            "countries.geojson", id="kgz", iso3="KGZ", geometry=box(70.0, 39.0, 71.0, 41.0)
        ),
    )
    write_geojson(
        root / "base" / "border_lines.geojson",
        make_feature(
            "border_lines.geojson",
            id="line-kgz-tjk",
            border="KGZ-TJK",
            geometry=meridian(39.0, 40.2),
        ),
        make_feature(
            "border_lines.geojson", id="line-kgz-uzb", geometry=meridian(40.5, 41.0, 71.0)
        ),
    )
    write_geojson(
        root / "context" / "settlements.geojson",
        make_feature("settlements.geojson", id="settlement-1", name="Testobod"),
    )
    write_geojson(
        root / "context" / "waters.geojson",
        make_feature(
            "waters.geojson",
            id="river-1",
            name="Test river",
            geometry={"type": "LineString", "coordinates": [[69.2, 39.1], [69.8, 39.9]]},
        ),
    )
    (root / "milestones.json").write_text(
        json.dumps([milestone("2021-10-05", 519.0, 984.0)]), encoding="utf-8"
    )
    return root


@pytest.fixture
def fixture_data_dir(tmp_path: Path) -> Path:
    """A fresh small complete data folder (see ``build_data_dir``)."""
    return build_data_dir(tmp_path / "data")
