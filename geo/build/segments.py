"""Cut border segments from the extracted border lines, by named break points.

Segments are never drawn by hand: each is the stretch of a border's merged line (from
``data/base/border_lines.geojson``) between two named places, cut with ``shapely.ops.substring``.
Every break point is snapped once per line and reused, so neighbouring segments share their endpoint
coordinates exactly; afterwards the cut is checked to cover every part of the line exactly once, so
the segments of a border add up to its whole length.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import shapely
from shapely.geometry import LineString, MultiLineString, Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge, substring

from geo.build.output import DECIMALS, dump_feature_collection
from geo.errors import DomainError, SchemaError
from geo.measure import distance_m, geodesic_length_m

#: A break point further than this from its border line is a typo, not a snapping error.
MAX_SNAP_M: Final = 2000.0
#: Gaps or overlaps up to this long (geodesic) are treated as none.
COVER_TOL_M: Final = 1.0
#: Two positions along a line closer than this (degrees of line length) are the same position.
SAME_POSITION_DEG: Final = 1e-9

#: Output property order; properties not listed follow in sorted order.
PROPERTY_ORDER: Final = (
    "id",
    "name",
    "border",
    "from_place",
    "to_place",
    "valid_from",
    "valid_to",
    "confidence",
    "status_history",
    "sources",
    "notes",
)


class SegmentSpecError(SchemaError):
    """The segment spec file is malformed: not an object with ``segments``, a missing field …"""


class SegmentCutError(DomainError):
    """The spec is well formed but its segments do not cut the border line cleanly."""


class UnknownBorderError(SegmentCutError):
    """A segment names a border that is not in the border lines file."""


class BreakPointTooFarError(SegmentCutError):
    """A break point lies more than ``MAX_SNAP_M`` from its border line."""


class SegmentOverlapError(SegmentCutError):
    """Two segments cover the same stretch of a border line."""


class SegmentGapError(SegmentCutError):
    """A stretch of a border line is covered by no segment."""


@dataclass(frozen=True)
class _BreakPoint:
    """A break point snapped onto one part of a border line."""

    part: int
    position: float
    coord: tuple[float, float]


@dataclass(frozen=True)
class _Cut:
    """One segment's place on its part: intervals along the part and the geometry."""

    seg_id: str
    part: int
    intervals: tuple[tuple[float, float], ...]
    geometry: LineString


def _r(value: float) -> float:
    out = round(value, DECIMALS)
    return 0.0 if out == 0 else out


def line_parts(geom: BaseGeometry) -> list[LineString]:
    """The connected parts of a border line, merged, in a stable order."""
    lines = [p for p in shapely.get_parts(geom) if isinstance(p, LineString) and not p.is_empty]
    if len(lines) > 1:
        merged = linemerge(MultiLineString(lines))
        lines = [p for p in shapely.get_parts(merged) if isinstance(p, LineString)]
    return lines


def _require(seg: dict[str, Any], key: str, kind: type | tuple[type, ...], spec: str) -> Any:
    fid = seg.get("id") if isinstance(seg.get("id"), str) else None
    if key not in seg:
        raise SegmentSpecError("is missing", file=spec, feature=fid, field=key)
    value = seg[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise SegmentSpecError(
            f"must be {getattr(kind, '__name__', 'of another type')}, not {type(value).__name__}",
            file=spec,
            feature=fid,
            field=key,
        )
    return value


def _point_spec(seg: dict[str, Any], end: str, spec: str) -> tuple[str, float, float]:
    fid = seg["id"]
    point = _require(seg, end, dict, spec)
    name = point.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SegmentSpecError("needs a place name", file=spec, feature=fid, field=f"{end}.name")
    coords = []
    for key, limit in (("lon", 180.0), ("lat", 90.0)):
        value = point.get(key)
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
            or abs(value) > limit
        ):
            raise SegmentSpecError(
                f"must be a number within ±{limit:g}", file=spec, feature=fid, field=f"{end}.{key}"
            )
        coords.append(float(value))
    return name, coords[0], coords[1]


class _Snapper:
    """Snaps break points onto one border's line, once per (part, place name)."""

    def __init__(self, border: str, parts: list[LineString], spec: str) -> None:
        self.border = border
        self.parts = parts
        self.spec = spec
        self.cache: dict[tuple[int, str], _BreakPoint] = {}
        self.given: dict[tuple[int, str], tuple[float, float]] = {}

    def choose_part(self, a: Point, b: Point) -> int:
        """The part nearest both points (smallest sum of distances; first on ties)."""
        scores = [part.distance(a) + part.distance(b) for part in self.parts]
        return min(range(len(scores)), key=lambda i: (scores[i], i))

    def snap(
        self, part: int, name: str, lon: float, lat: float, *, fid: str, end: str
    ) -> _BreakPoint:
        key = (part, name)
        if key in self.cache:
            if self.given[key] != (_r(lon), _r(lat)):
                raise SegmentSpecError(
                    f"break point {name!r} is given at {lon}, {lat} here but at "
                    f"{self.given[key][0]}, {self.given[key][1]} in another segment",
                    file=self.spec,
                    feature=fid,
                    field=end,
                )
            return self.cache[key]
        line = self.parts[part]
        position = line.project(Point(lon, lat))
        snapped = line.interpolate(position)
        away = distance_m(lon, lat, snapped.x, snapped.y)
        if away > MAX_SNAP_M:
            raise BreakPointTooFarError(
                f"break point {name!r} ({lon}, {lat}) is {away / 1000:.1f} km from the "
                f"{self.border} line (at most {MAX_SNAP_M / 1000:g} km allowed)",
                file=self.spec,
                feature=fid,
                field=end,
            )
        point = _BreakPoint(part=part, position=position, coord=(_r(snapped.x), _r(snapped.y)))
        self.cache[key] = point
        self.given[key] = (_r(lon), _r(lat))
        return point


def _with_ends(
    geom: BaseGeometry, start: tuple[float, float], end: tuple[float, float]
) -> LineString:
    """``geom``'s coordinates, rounded, with the exact shared break coordinates at both ends."""
    coords = [(_r(x), _r(y)) for x, y in shapely.get_coordinates(geom)]
    inner = coords[1:-1]
    out: list[tuple[float, float]] = [start]
    for c in [*inner, end]:
        if c != out[-1]:
            out.append(c)
    if len(out) < 2:
        out.append(end)
    return LineString(out)


def _cut_one(
    line: LineString, a: _BreakPoint, b: _BreakPoint
) -> tuple[tuple[tuple[float, float], ...], BaseGeometry] | None:
    """Intervals covered and raw geometry of the stretch from ``a`` to ``b``; None if empty."""
    length = line.length
    pa, pb = a.position, b.position
    if line.is_closed:
        if min(abs(pa - pb), length - abs(pa - pb)) <= SAME_POSITION_DEG:
            # Same place on a ring (an exclave): the whole ring, starting and ending there.
            if pa <= SAME_POSITION_DEG or pa >= length - SAME_POSITION_DEG:
                return ((0.0, length),), line
            first, second = substring(line, pa, length), substring(line, 0.0, pa)
            coords = [*shapely.get_coordinates(first), *shapely.get_coordinates(second)[1:]]
            return ((0.0, length),), LineString(coords)
        if pa > pb:
            # Around the ring's seam: from a to the end, then from the start to b.
            first, second = substring(line, pa, length), substring(line, 0.0, pb)
            coords = [*shapely.get_coordinates(first), *shapely.get_coordinates(second)[1:]]
            return ((pa, length), (0.0, pb)), LineString(coords)
    if abs(pa - pb) <= SAME_POSITION_DEG:
        return None
    return ((min(pa, pb), max(pa, pb)),), substring(line, pa, pb)


def _stretch_m(line: LineString, start: float, end: float) -> float:
    return geodesic_length_m(substring(line, start, end))


def _check_cover(border: str, parts: list[LineString], cuts: list[_Cut], spec: str) -> None:
    """Raise unless the cuts cover every part of the border exactly once."""
    for index, line in enumerate(parts):
        pieces = sorted(
            (lo, hi, cut.seg_id) for cut in cuts if cut.part == index for lo, hi in cut.intervals
        )
        where = _part_label(line)
        if not pieces:
            raise SegmentGapError(
                f"no segment covers the {border} {where} ({geodesic_length_m(line) / 1000:.1f} km)",
                file=spec,
                field="segments",
            )
        reach, last_id = 0.0, None
        for lo, hi, seg_id in pieces:
            if lo > reach and _stretch_m(line, reach, lo) > COVER_TOL_M:
                km = _stretch_m(line, reach, lo) / 1000
                before = f"after segment {last_id}" if last_id else "at the start of the line"
                raise SegmentGapError(
                    f"{km:.3f} km of the {border} {where} are covered by no segment "
                    f"({before}, before segment {seg_id})",
                    file=spec,
                    feature=seg_id,
                    field="from",
                )
            if lo < reach and _stretch_m(line, lo, min(reach, hi)) > COVER_TOL_M:
                km = _stretch_m(line, lo, min(reach, hi)) / 1000
                raise SegmentOverlapError(
                    f"overlaps segment {last_id} by {km:.3f} km on the {border} {where}",
                    file=spec,
                    feature=seg_id,
                    field="from",
                )
            if hi >= reach:
                reach, last_id = hi, seg_id
        if line.length - reach > 0 and _stretch_m(line, reach, line.length) > COVER_TOL_M:
            km = _stretch_m(line, reach, line.length) / 1000
            raise SegmentGapError(
                f"{km:.3f} km at the end of the {border} {where} are covered by no segment "
                f"(after segment {last_id})",
                file=spec,
                feature=last_id,
                field="to",
            )
    total = geodesic_length_m(MultiLineString(parts))
    covered = sum(geodesic_length_m(cut.geometry) for cut in cuts)
    if abs(total - covered) > COVER_TOL_M:
        raise SegmentOverlapError(
            f"the {border} segments add up to {covered / 1000:.3f} km, "
            f"the line is {total / 1000:.3f} km",
            file=spec,
            feature=cuts[-1].seg_id if cuts else None,
            field="segments",
        )


def _part_label(line: LineString) -> str:
    x, y = line.coords[0]
    kind = "ring" if line.is_closed else "line part"
    return f"{kind} starting at {_r(x)}, {_r(y)}"


def _properties(seg: dict[str, Any], from_name: str, to_name: str) -> dict[str, Any]:
    props = {k: v for k, v in seg.items() if k not in ("from", "to")}
    props["from_place"] = from_name
    props["to_place"] = to_name
    ordered: dict[str, Any] = {k: props[k] for k in PROPERTY_ORDER if k in props}
    ordered.update({k: props[k] for k in sorted(props) if k not in ordered})
    return ordered


def cut_segments(
    lines: dict[str, BaseGeometry], spec: list[dict[str, Any]], *, spec_name: str
) -> list[dict[str, Any]]:
    """Cut each spec segment from its border's line; return GeoJSON features in spec order."""
    snappers: dict[str, _Snapper] = {}
    cuts: dict[str, list[_Cut]] = {}
    features: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, seg in enumerate(spec):
        if not isinstance(seg, dict):
            raise SegmentSpecError(
                f"segment {index + 1} must be a JSON object", file=spec_name, field="segments"
            )
        fid = _require(seg, "id", str, spec_name)
        if fid in seen:
            raise SegmentSpecError(
                "is used by two segments", file=spec_name, feature=fid, field="id"
            )
        seen.add(fid)
        border = _require(seg, "border", str, spec_name)
        from_name, from_lon, from_lat = _point_spec(seg, "from", spec_name)
        to_name, to_lon, to_lat = _point_spec(seg, "to", spec_name)
        if border not in lines:
            raise UnknownBorderError(
                f"border {border!r} is not in the border lines file "
                f"(it has {', '.join(sorted(lines)) or 'none'})",
                file=spec_name,
                feature=fid,
                field="border",
            )
        snapper = snappers.get(border)
        if snapper is None:
            snapper = snappers[border] = _Snapper(border, line_parts(lines[border]), spec_name)
        part = snapper.choose_part(Point(from_lon, from_lat), Point(to_lon, to_lat))
        a = snapper.snap(part, from_name, from_lon, from_lat, fid=fid, end="from")
        b = snapper.snap(part, to_name, to_lon, to_lat, fid=fid, end="to")
        cut = _cut_one(snapper.parts[part], a, b)
        if cut is None:
            raise SegmentCutError(
                f"from ({from_name}) and to ({to_name}) snap to the same point of an open line",
                file=spec_name,
                feature=fid,
                field="to",
            )
        intervals, raw = cut
        geometry = _with_ends(raw, a.coord, b.coord)
        cuts.setdefault(border, []).append(_Cut(fid, part, intervals, geometry))
        features.append(
            {
                "type": "Feature",
                "properties": _properties(seg, from_name, to_name),
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[x, y] for x, y in geometry.coords],
                },
            }
        )
    for border, border_cuts in cuts.items():
        _check_cover(border, snappers[border].parts, border_cuts, spec_name)
    return features


def read_spec(spec_path: Path) -> list[dict[str, Any]]:
    """The ``segments`` list of a spec file; duplicate keys and non-finite numbers are refused."""
    name = str(spec_path)

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise SegmentSpecError(f"key {key!r} appears twice in one object", file=name)
            out[key] = value
        return out

    def no_constant(token: str) -> Any:
        raise SegmentSpecError(f"{token} is not a number JSON allows", file=name)

    try:
        data = json.loads(
            spec_path.read_text(encoding="utf-8"),
            object_pairs_hook=no_duplicates,
            parse_constant=no_constant,
        )
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SegmentSpecError(f"cannot read the spec: {err}", file=name) from None
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise SegmentSpecError('must be an object {"segments": [...]}', file=name)
    segments: list[dict[str, Any]] = data["segments"]
    return segments


def read_lines(lines_path: Path) -> dict[str, BaseGeometry]:
    """Border lines keyed by their ``border`` property (``KGZ-TJK``)."""
    name = str(lines_path)
    try:
        data = json.loads(lines_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SegmentSpecError(f"cannot read the border lines: {err}", file=name) from None
    out: dict[str, BaseGeometry] = {}
    for feature in data.get("features", []) if isinstance(data, dict) else []:
        props = feature.get("properties") or {}
        border = props.get("border")
        if isinstance(border, str) and feature.get("geometry"):
            out[border] = shape(feature["geometry"])
    if not out:
        raise SegmentSpecError("holds no feature with a border property", file=name)
    return out


def build_borders(*, spec_path: Path, lines_path: Path, out_path: Path) -> list[dict[str, Any]]:
    """Cut the spec's segments and write them to ``out_path`` deterministically."""
    features = cut_segments(read_lines(lines_path), read_spec(spec_path), spec_name=str(spec_path))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(dump_feature_collection(features))
    return features


def cli_build_borders(argv: list[str]) -> int:
    """``python -m geo build-borders [--spec FILE] [--lines FILE] [--out FILE]``."""
    parser = argparse.ArgumentParser(
        prog="python -m geo build-borders",
        description="Cut border segments from data/base/border_lines.geojson by a spec file.",
    )
    parser.add_argument("--spec", type=Path, default=Path("data/borders.spec.json"))
    parser.add_argument("--lines", type=Path, default=Path("data/base/border_lines.geojson"))
    parser.add_argument("--out", type=Path, default=Path("data/borders.geojson"))
    args = parser.parse_args(list(argv))
    features = build_borders(spec_path=args.spec, lines_path=args.lines, out_path=args.out)
    totals: dict[str, float] = {}
    for feature in features:
        border = feature["properties"]["border"]
        totals[border] = totals.get(border, 0.0) + geodesic_length_m(shape(feature["geometry"]))
    print(f"{args.out}: {len(features)} segments")
    for border, metres in sorted(totals.items()):
        print(f"{border}: {metres / 1000:,.1f} km")
    return 0
