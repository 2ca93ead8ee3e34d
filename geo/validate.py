"""Structure -> geometry -> domain checks of one data file or a whole data folder.

Checks run on the raw JSON first, because shapely silently closes unclosed rings and happily accepts
swapped coordinates. Each problem becomes one ``GeoDataError`` naming file, feature and field; a
feature with a problem is left out of the report's clean ``features`` so other features still draw.
Normalisations (altitude dropped, rings re-oriented, coordinates rounded to 6 decimals) are listed
as notices, never applied to the file on disk.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import shapely
from pydantic import ValidationError
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.errors import DomainError, GeoDataError, GeometryError, SchemaError, StructureError
from geo.io import MAX_BYTES_DEFAULT, read_json_bytes, read_json_path
from geo.schema import OVERLAY_SCHEMA, LayerSchema, Milestone, schema_for

REGION: Final = (60.0, 34.0, 80.0, 43.0)
"""Area of interest (west, south, east, north): everything we draw lies in it."""

PRECISION: Final = 6
"""Decimal places kept (RFC 7946 §11.2: about 10 cm)."""

_GEOMETRY_DEPTH: Final = {
    "Point": 1,
    "MultiPoint": 2,
    "LineString": 2,
    "MultiLineString": 3,
    "Polygon": 3,
    "MultiPolygon": 4,
}
_GEOJSON_TYPES: Final = {*_GEOMETRY_DEPTH, "GeometryCollection", "Feature", "FeatureCollection"}
_SIMPLE_LINE_LAYERS: Final = frozenset({"borders", "base"})
"""Layers whose lines are borders: a border line never crosses or retraces itself."""


@dataclass
class ValidationReport:
    """What one file's check found, and the features that passed (normalised, ready to draw)."""

    file: str
    layer: str
    problems: list[GeoDataError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    features: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def lines(self) -> list[str]:
        """One sentence per problem, for the CLI and the page."""
        return [problem.sentence() for problem in self.problems]


# --- structure (raw JSON) -------------------------------------------------------------------


def _feature_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict):
        props = raw.get("properties")
        if isinstance(props, dict) and isinstance(props.get("id"), str) and props["id"]:
            return repr(props["id"])[:80]
    return f"#{index}"


def _positions(coords: Any, depth: int) -> Iterator[Any]:
    if depth == 1:
        yield coords
        return
    for child in coords:
        yield from _positions(child, depth - 1)


def _nesting_error(gtype: str, *, too: str, where: dict[str, str | None]) -> StructureError:
    levels = _GEOMETRY_DEPTH[gtype]
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


def _check_geometry_json(geom: Any, *, where: dict[str, str | None]) -> str:
    """Check a raw geometry object and return its type."""
    if not isinstance(geom, dict):
        raise StructureError("geometry must be an object", **where)
    gtype = geom.get("type")
    if gtype == "GeometryCollection":
        raise StructureError(
            "a GeometryCollection is not supported: put each geometry in its own feature",
            **where,
        )
    if gtype not in _GEOMETRY_DEPTH:
        hint = ""
        if isinstance(gtype, str):
            for known in _GEOMETRY_DEPTH:
                if known.lower() == gtype.lower():
                    hint = f" (types are case-sensitive: write {known!r})"
        raise StructureError(f"unknown geometry type {gtype!r}{hint}", **where)
    if "coordinates" not in geom:
        raise StructureError("the geometry has no 'coordinates' member", **where)
    coords = geom["coordinates"]
    if coords == []:
        raise GeometryError("the geometry is empty", **where)
    _check_nesting(coords, _GEOMETRY_DEPTH[gtype], gtype=gtype, where=where)
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
    return gtype


def _iter_raw_features(doc: Any, *, file: str) -> list[Any]:
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


# --- geometry -------------------------------------------------------------------------------


def _round(geom: BaseGeometry) -> BaseGeometry:
    return shapely.set_precision(geom, 10**-PRECISION, mode="pointwise")


def _normalise_geometry(
    raw: dict[str, Any], *, schema: LayerSchema, where: dict[str, str | None], notices: list[str]
) -> BaseGeometry:
    gtype = raw["type"]
    if gtype not in schema.geometry_types:
        allowed = ", ".join(sorted(schema.geometry_types))
        raise GeometryError(
            f"a {gtype} is not allowed in the {schema.layer} layer (allowed: {allowed})", **where
        )
    dims = {len(p) for p in _positions(raw["coordinates"], _GEOMETRY_DEPTH[gtype])}
    for lon, lat, *_ in _positions(raw["coordinates"], _GEOMETRY_DEPTH[gtype]):
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise DomainError(
                f"position [{lon}, {lat}] is not longitude/latitude in degrees "
                "(metre coordinates or a legacy CRS?)",
                **where,
            )
        west, south, east, north = REGION
        if not (west <= lon <= east and south <= lat <= north):
            swapped = west <= lat <= east and south <= lon <= north
            hint = " (latitude and longitude look swapped)" if swapped else ""
            raise DomainError(
                f"position [{lon}, {lat}] lies outside the map region "
                f"lon {west}..{east}, lat {south}..{north}{hint}",
                **where,
            )
    geom = shape(raw)
    if 3 in dims:
        geom = shapely.force_2d(geom)
        notices.append(f"{where['file']}, feature {where['feature']}: altitude dropped (2-D map)")
    if geom.is_empty:
        raise GeometryError("the geometry is empty", **where)
    if not geom.is_valid:
        raise GeometryError(f"invalid geometry: {shapely.is_valid_reason(geom)}", **where)
    is_line = geom.geom_type.endswith("LineString")
    if is_line and schema.layer in _SIMPLE_LINE_LAYERS and not geom.is_simple:
        raise GeometryError(
            "the line crosses or retraces itself; a border line must be simple", **where
        )
    if geom.geom_type in {"Polygon", "MultiPolygon"}:
        oriented = shapely.orient_polygons(geom)
        if not oriented.equals_exact(geom, tolerance=0):
            notices.append(
                f"{where['file']}, feature {where['feature']}: rings re-oriented "
                "(exterior counter-clockwise, RFC 7946)"
            )
        geom = oriented
    rounded = _round(geom)
    if not rounded.equals_exact(geom, tolerance=0):
        notices.append(
            f"{where['file']}, feature {where['feature']}: coordinates rounded to "
            f"{PRECISION} decimals"
        )
        if not rounded.is_valid or rounded.is_empty:
            raise GeometryError("the geometry collapses when rounded to 6 decimals", **where)
    return rounded


# --- properties -----------------------------------------------------------------------------


def _field_name(loc: Iterable[Any]) -> str:
    parts = [str(p) if not isinstance(p, int) else f"[{p}]" for p in loc]
    text = ".".join(parts).replace(".[", "[")
    return text.replace("from_", "from") or "properties"


def _schema_errors(err: ValidationError, *, file: str, feature: str) -> list[GeoDataError]:
    problems: list[GeoDataError] = []
    for item in err.errors(include_url=False):
        field_name = _field_name(item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
        if item["type"] == "missing":
            message = "is required but missing"
        elif item["type"] == "extra_forbidden":
            message = "is not a property of this layer (typo?)"
        elif item["type"] == "literal_error":
            message = f"{item['msg'].lower()}, found {item.get('input')!r}"[:200]
        problems.append(SchemaError(message, file=file, feature=feature, field=field_name))
    return problems


def _check_properties(
    raw_props: Any, *, schema: LayerSchema, file: str, feature: str
) -> list[GeoDataError]:
    if not isinstance(raw_props, dict):
        return [StructureError("'properties' must be an object", file=file, feature=feature)]
    try:
        schema.props.model_validate(raw_props)
    except ValidationError as err:
        return _schema_errors(err, file=file, feature=feature)
    return []


# --- one file -------------------------------------------------------------------------------


def validate_document(doc: Any, *, file: str, schema: LayerSchema) -> ValidationReport:
    """Check one parsed GeoJSON document against ``schema``; never raises ``GeoDataError``."""
    report = ValidationReport(file=file, layer=schema.layer)
    try:
        raw_features = _iter_raw_features(doc, file=file)
    except GeoDataError as err:
        report.problems.append(err)
        return report
    report.total = len(raw_features)
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_features):
        label = _feature_label(raw, index)
        where: dict[str, str | None] = {"file": file, "feature": label, "field": "geometry"}
        problems: list[GeoDataError] = []
        if not isinstance(raw, dict) or raw.get("type") != "Feature":
            found = raw.get("type") if isinstance(raw, dict) else type(raw).__name__
            report.problems.append(
                StructureError(f"expected a 'Feature', found {found!r}", file=file, feature=label)
            )
            continue
        if "properties" not in raw:
            report.problems.append(
                StructureError("the feature has no 'properties' member", file=file, feature=label)
            )
            continue
        geom: BaseGeometry | None = None
        if raw.get("geometry") is None:
            problems.append(GeometryError("the geometry is null", **where))
        else:
            try:
                _check_geometry_json(raw["geometry"], where=where)
                geom = _normalise_geometry(
                    raw["geometry"], schema=schema, where=where, notices=report.notices
                )
            except GeoDataError as err:
                problems.append(err)
        problems += _check_properties(raw["properties"], schema=schema, file=file, feature=label)
        fid = raw["properties"].get("id") if isinstance(raw["properties"], dict) else None
        if isinstance(fid, str):
            if fid in seen:
                problems.append(
                    DomainError(
                        f"id {fid!r} is used twice in this file (also feature #{seen[fid]})",
                        file=file,
                        feature=label,
                        field="id",
                    )
                )
            seen.setdefault(fid, index)
        if problems:
            report.problems.extend(problems)
            continue
        assert geom is not None
        report.features.append(
            {"type": "Feature", "properties": raw["properties"], "geometry": mapping(geom)}
        )
    return report


def validate_bytes(
    raw: bytes,
    *,
    name: str,
    schema: LayerSchema | None = None,
    max_bytes: int = MAX_BYTES_DEFAULT,
) -> ValidationReport:
    """Read and check uploaded or shipped bytes; the schema defaults to the one ``name`` selects."""
    chosen = schema or schema_for(Path(name).name) or OVERLAY_SCHEMA
    try:
        doc = read_json_bytes(raw, name=name, max_bytes=max_bytes)
    except GeoDataError as err:
        return ValidationReport(file=name, layer=chosen.layer, problems=[err])
    return validate_document(doc, file=name, schema=chosen)


def validate_path(path: Path, *, max_bytes: int = MAX_BYTES_DEFAULT) -> ValidationReport:
    """Check one shipped data file (the schema comes from its name)."""
    path = Path(path)
    schema = schema_for(path.name)
    label = _relative_label(path)
    if schema is None:
        return ValidationReport(
            file=label,
            layer="?",
            problems=[StructureError("no layer uses this file name", file=label)],
        )
    try:
        doc = read_json_path(path, max_bytes=max_bytes)
    except GeoDataError as err:  # re-labelled with the data-relative path, same class
        problem = type(err)(err.message, file=label, feature=err.feature, field=err.field)
        return ValidationReport(file=label, layer=schema.layer, problems=[problem])
    return validate_document(doc, file=label, schema=schema)


def _relative_label(path: Path) -> str:
    parts = path.parts
    if "data" in parts:
        return "/".join(parts[parts.index("data") :])
    return path.name


def validate_milestones(path: Path) -> ValidationReport:
    """Check ``milestones.json``: a list of reported delimitation figures."""
    label = _relative_label(path)
    report = ValidationReport(file=label, layer="milestones")
    try:
        doc = read_json_path(path)
    except GeoDataError as err:
        report.problems.append(type(err)(err.message, file=label))
        return report
    if not isinstance(doc, list):
        report.problems.append(StructureError("milestones must be a JSON list", file=label))
        return report
    report.total = len(doc)
    for index, item in enumerate(doc):
        try:
            Milestone.model_validate(item)
        except ValidationError as err:
            report.problems.extend(_schema_errors(err, file=label, feature=f"#{index}"))
        else:
            report.features.append(item)
    dates = [m["date"] for m in report.features]
    if dates != sorted(dates):
        report.problems.append(DomainError("milestones must be sorted by date", file=label))
    return report


# --- a whole data folder --------------------------------------------------------------------


@dataclass
class FolderReport:
    """Per-file reports plus the checks that need several files at once."""

    files: list[ValidationReport]
    cross: list[GeoDataError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no file and no cross-file check found a problem."""
        return all(r.ok for r in self.files) and not self.cross

    def lines(self) -> list[str]:
        """Every problem, one sentence each."""
        out = [line for r in self.files for line in r.lines()]
        return out + [p.sentence() for p in self.cross]


def data_files(root: Path) -> list[Path]:
    """Every data file a layer uses under ``root`` (GeoJSON by name, plus milestones.json)."""
    root = Path(root)
    found = [p for p in sorted(root.rglob("*.geojson")) if schema_for(p.name)]
    found += sorted(root.rglob("milestones.json"))
    return found


def _check_unique_ids(reports: list[ValidationReport]) -> list[GeoDataError]:
    owner: dict[str, str] = {}
    problems: list[GeoDataError] = []
    for report in reports:
        for feature in report.features:
            fid = feature["properties"].get("id")
            if not isinstance(fid, str):
                continue
            if fid in owner and owner[fid] != report.file:
                problems.append(
                    DomainError(
                        f"id {fid!r} is also used in {owner[fid]}; ids must be unique across files",
                        file=report.file,
                        feature=repr(fid),
                        field="id",
                    )
                )
            owner.setdefault(fid, report.file)
    return problems


def _filled(geom: BaseGeometry) -> BaseGeometry:
    """The area inside a polygon's outer rings: where the host 'surrounds' an enclave."""
    parts = getattr(geom, "geoms", [geom])
    return shapely.union_all([shapely.Polygon(p.exterior) for p in parts])


ENCLAVE_TOLERANCE_DEG: Final = 0.001
"""How far (about 100 m) an enclave edge may stray outside its host's outline."""


def check_enclaves(
    enclaves: list[dict[str, Any]], countries: list[dict[str, Any]], *, file: str
) -> list[GeoDataError]:
    """Each enclave must lie within its host country's outline (holes filled)."""
    hosts = {c["properties"]["iso3"]: _filled(shape(c["geometry"])) for c in countries}
    problems: list[GeoDataError] = []
    for feature in enclaves:
        props = feature["properties"]
        host = hosts.get(props["host"])
        label = repr(props["id"])
        if host is None:
            problems.append(
                DomainError(
                    f"host {props['host']!r} is not a base-map country",
                    file=file,
                    feature=label,
                    field="host",
                )
            )
            continue
        if not shape(feature["geometry"]).within(host.buffer(ENCLAVE_TOLERANCE_DEG)):
            problems.append(
                DomainError(
                    f"the enclave does not lie within its host {props['host']}",
                    file=file,
                    feature=label,
                    field="geometry",
                )
            )
    return problems


def check_border_coverage(
    segments: list[dict[str, Any]], lines: list[dict[str, Any]], *, file: str
) -> list[GeoDataError]:
    """Segments of each border must meet end to end and add up to the base line."""
    from geo.measure import geodesic_length_m

    base = {f["properties"]["border"]: shape(f["geometry"]) for f in lines}
    by_border: dict[str, list[BaseGeometry]] = {}
    for feature in segments:
        by_border.setdefault(feature["properties"]["border"], []).append(shape(feature["geometry"]))
    problems: list[GeoDataError] = []
    for border, pieces in sorted(by_border.items()):
        line = base.get(border)
        if line is None:
            problems.append(
                DomainError(
                    f"border {border} has no shared edge in the base map", file=file, field="border"
                )
            )
            continue
        drawn = sum(geodesic_length_m(p) for p in pieces)
        whole = geodesic_length_m(line)
        if abs(drawn - whole) > max(1.0, whole * 1e-4):
            problems.append(
                DomainError(
                    f"segments of {border} add up to {drawn / 1000:.2f} km but the border line is "
                    f"{whole / 1000:.2f} km (gap or overlap)",
                    file=file,
                    field="geometry",
                )
            )
        merged = shapely.line_merge(shapely.union_all(pieces))
        parts = len(getattr(merged, "geoms", [merged]))
        expected = len(getattr(line, "geoms", [line]))
        if parts > expected:
            problems.append(
                DomainError(
                    f"segments of {border} do not meet end to end ({parts} pieces, "
                    f"the line has {expected})",
                    file=file,
                    field="geometry",
                )
            )
    return problems


def validate_folder(root: Path) -> FolderReport:
    """Check every data file under ``root`` and the rules that span files."""
    paths = data_files(root)
    reports = [
        validate_milestones(p) if p.name == "milestones.json" else validate_path(p) for p in paths
    ]
    folder = FolderReport(files=reports)
    if not paths:
        folder.cross.append(StructureError("no data files found", file=str(root)))
        return folder
    folder.cross += _check_unique_ids([r for r in reports if r.layer != "milestones"])
    by_name = {Path(r.file).name: r for r in reports}
    countries = by_name.get("countries.geojson")
    enclaves = by_name.get("enclaves.geojson")
    if countries and enclaves and countries.ok:
        folder.cross += check_enclaves(enclaves.features, countries.features, file=enclaves.file)
    borders = by_name.get("borders.geojson")
    lines = by_name.get("border_lines.geojson")
    if borders and lines and lines.ok and borders.ok:
        folder.cross += check_border_coverage(borders.features, lines.features, file=borders.file)
    return folder
