"""Analysts' own files (GeoJSON, KML, CSV) read from uploaded bytes into checked overlay features.

An upload is untrusted bytes, never a path: JSON goes through ``geo.io``'s strict reader, KML is
parsed by ``defusedxml`` (no DTDs, entities or external references, so no entity bombs and no
file reads) and turned into placemarks by ``fastkml``, and CSV is read by the ``csv`` module. All
three become one GeoJSON document that ``geo.validate`` checks against the OVERLAY schema, so an
overlay meets the same structure, geometry and region rules as the shipped data. Problems come
back as one sentence each in the result; a feature with a problem is simply not drawn.
"""

from __future__ import annotations

import csv
import io
import math
import re
import threading
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Final, cast

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from geo.errors import GeoDataError, ReadError, StructureError
from geo.io import MAX_BYTES_DEFAULT, MAX_DEPTH, check_size, decode_text, read_json_bytes
from geo.schema import OVERLAY_SCHEMA
from geo.validate import ValidationReport, validate_document

with warnings.catch_warnings():
    # fastkml warns at import that lxml (used only for pretty-printing output) is absent.
    warnings.filterwarnings("ignore", message="Package `lxml` missing", category=UserWarning)
    from fastkml import config as kml_config
    from fastkml.data import Data, SchemaData
    from fastkml.exceptions import FastKMLError
    from fastkml.features import Placemark
    from fastkml.kml import KML
    from fastkml.types import Element as KmlElement
    from fastkml.utils import find_all

MAX_POSITIONS: Final = 200_000
"""Most coordinate positions one overlay may hold: more would stall the browser and the page."""

MAX_FEATURES: Final = 10_000
"""Most features (placemarks, CSV rows) one overlay may hold."""

MAX_JSON_OBJECTS: Final = 8 * MAX_FEATURES
"""Most JSON objects in a GeoJSON overlay (a feature is 3 or 4), counted while parsing."""

MAX_JSON_NUMBERS: Final = 3 * MAX_POSITIONS + 100_000
"""Most JSON numbers: every position in 3-D plus room for numeric properties."""

MAX_XML_ELEMENTS: Final = 400_000
"""Most XML tags in a KML overlay, counted in the bytes before the XML is parsed."""

MAX_CSV_COLUMNS: Final = 100
"""Most columns in a CSV overlay."""

_ONE_AT_A_TIME: Final = threading.Lock()
"""Overlays are read one at a time per process: uploads in many sessions then share one
thread's worth of CPU, and the other sessions' maps keep their share (issue 14)."""

_PLACEMARK: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Placemark[\s>/]")
_COORDINATES: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?coordinates[^>]*>([^<]*)<")
_NETWORK_LINK: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?NetworkLink[\s>/]")

FORMATS: Final[dict[str, str]] = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".kml": "kml",
    ".csv": "csv",
}
"""File extension -> reader; the page's uploader offers exactly these."""

LON_COLUMNS: Final = ("lon", "lng", "long", "longitude", "x")
LAT_COLUMNS: Final = ("lat", "latitude", "y")

_KML22: Final = "{http://www.opengis.net/kml/2.2}"
_OLD_KML: Final = (
    "{http://earth.google.com/kml/2.2}",
    "{http://earth.google.com/kml/2.1}",
    "{http://earth.google.com/kml/2.0}",
)


@dataclass
class OverlayResult(ValidationReport):
    """A checked upload: the features to draw, one sentence per problem, and the file's format."""

    format: str = ""


@dataclass
class _Parsed:
    """An upload as a GeoJSON document, before validation."""

    doc: Any
    lines: list[int] = field(default_factory=list)  # CSV: the file line of each feature
    problems: list[GeoDataError] = field(default_factory=list)  # CSV rows that made no feature


def read_overlay(raw: bytes, *, filename: str, max_bytes: int = MAX_BYTES_DEFAULT) -> OverlayResult:
    """Read an uploaded file's bytes by its extension and check every feature.

    Never raises: an unreadable file gives a result with one problem and no features. ``raw``
    must be the bytes themselves; a path or URL string is refused, never opened.
    """
    name = _display_name(filename)
    kind = FORMATS.get(PurePath(name).suffix.lower(), "")
    result = OverlayResult(file=name, layer=OVERLAY_SCHEMA.layer, format=kind)
    try:
        with _ONE_AT_A_TIME:
            return _read(raw, name=name, kind=kind, max_bytes=max_bytes, result=result)
    except GeoDataError as err:
        result.problems, result.features, result.notices = [err], [], []
    except Exception as err:  # the upload boundary: anything unforeseen becomes one sentence
        result.problems = [
            ReadError(f"the file could not be read ({type(err).__name__})", file=name)
        ]
        result.features, result.notices = [], []
    return result


def _read(
    raw: Any, *, name: str, kind: str, max_bytes: int, result: OverlayResult
) -> OverlayResult:
    parsed = _parse(raw, name=name, kind=kind, max_bytes=max_bytes)
    _check_caps(parsed.doc, file=name)
    report = validate_document(parsed.doc, file=name, schema=OVERLAY_SCHEMA)
    result.problems = parsed.problems + [_relabel(p, parsed.lines) for p in report.problems]
    result.notices, result.features = report.notices, report.features
    result.total = report.total + len(parsed.problems)
    if not result.total and not result.problems:
        raise ReadError("the file has no features to draw", file=name)
    return result


def _display_name(filename: str) -> str:
    """The file's own name (no folders), printable and bounded: it appears in every message."""
    base = PurePath(str(filename).replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable())
    return cleaned[:120] or "upload"


def _parse(raw: Any, *, name: str, kind: str, max_bytes: int) -> _Parsed:
    """Parse ``raw`` into a GeoJSON document by the reader ``kind`` names."""
    if not kind:
        allowed = ", ".join(FORMATS)
        raise ReadError(f"only {allowed} files can be overlaid", file=name)
    if not isinstance(raw, bytes | bytearray):
        raise ReadError("expected the file's bytes, not a path or URL string", file=name)
    check_size(len(raw), name=name, max_bytes=max_bytes)
    if kind == "geojson":
        doc = read_json_bytes(
            bytes(raw),
            name=name,
            max_bytes=max_bytes,
            max_objects=MAX_JSON_OBJECTS,
            max_numbers=MAX_JSON_NUMBERS,
        )
        return _Parsed(doc)
    if kind == "kml":
        return _kml_document(bytes(raw), name=name)
    return _csv_document(bytes(raw), name=name)


# --- caps -----------------------------------------------------------------------------------


def _count_positions(geometry: Any) -> int:
    """Positions (innermost lists of numbers) in a raw geometry, counted without recursion."""
    count = 0
    stack = [geometry.get("coordinates")] if isinstance(geometry, dict) else []
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            if item and not isinstance(item[0], list):
                count += 1
            else:
                stack.extend(item)
    return count


def _check_caps(doc: Any, *, file: str) -> None:
    """Refuse overlays too big to draw before any geometry work is done."""
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        return  # the validator reports the missing member
    if len(features) > MAX_FEATURES:
        raise ReadError(
            f"the file has {len(features):,} features; an overlay may have at most "
            f"{MAX_FEATURES:,}",
            file=file,
        )
    positions = sum(_count_positions(f.get("geometry")) for f in features if isinstance(f, dict))
    if positions > MAX_POSITIONS:
        raise ReadError(
            f"the file has {positions:,} coordinate positions; an overlay may have at most "
            f"{MAX_POSITIONS:,} (simplify it first)",
            file=file,
        )


# --- KML ------------------------------------------------------------------------------------


def _xml_depth(root: ET.Element) -> int:
    deepest = 0
    stack = [(root, 1)]
    while stack:
        element, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in element)
    return deepest


def _kml_precount(raw: bytes, *, name: str) -> None:
    """Refuse oversize KML from cheap counts over the bytes, before any XML is parsed."""
    tags = raw.count(b"<")
    if tags > MAX_XML_ELEMENTS:
        raise ReadError(
            f"the KML has {tags:,} tags; an overlay may have at most {MAX_XML_ELEMENTS:,}",
            file=name,
        )
    placemarks = len(_PLACEMARK.findall(raw))
    if placemarks > MAX_FEATURES:
        raise ReadError(
            f"the KML has {placemarks:,} placemarks; an overlay may have at most {MAX_FEATURES:,}",
            file=name,
        )
    # a position is "lon,lat" or "lon,lat,alt": at least one comma each
    commas = sum(match.group(1).count(b",") for match in _COORDINATES.finditer(raw))
    if commas // 2 > MAX_POSITIONS:
        raise ReadError(
            f"the KML has more than {commas // 2:,} coordinate positions; an overlay may have "
            f"at most {MAX_POSITIONS:,} (simplify it first)",
            file=name,
        )


def _kml_root(raw: bytes, *, name: str) -> ET.Element:
    """Parse XML safely and return the ``<kml>`` root in the KML 2.2 namespace."""
    try:
        root: ET.Element = SafeET.fromstring(raw, forbid_dtd=True)
    except LookupError as err:
        raise ReadError(
            f"the XML declaration names a text encoding Python does not know "
            f"({str(err)[:80]}); save the file as UTF-8",
            file=name,
        ) from None
    except DefusedXmlException:
        raise ReadError(
            "the KML declares a DTD or entities, which are not allowed (they can expand "
            "without limit or read other files)",
            file=name,
        ) from None
    except ET.ParseError as err:
        line, column = err.position
        raise ReadError(
            f"broken XML at line {line}, column {column + 1}: the KML is not well formed",
            file=name,
        ) from None
    if _xml_depth(root) > MAX_DEPTH:
        raise ReadError(f"XML nested deeper than {MAX_DEPTH} levels", file=name)
    bare = root.tag == "kml"  # no namespace at all: read its tags as KML 2.2
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if bare and not element.tag.startswith("{"):
            element.tag = _KML22 + element.tag
        for old in _OLD_KML:
            if element.tag.startswith(old):
                element.tag = _KML22 + element.tag[len(old) :]
    if root.tag != f"{_KML22}kml":
        found = str(root.tag).rsplit("}", 1)[-1][:40]
        raise ReadError(f"not a KML document (its root element is <{found}>)", file=name)
    return root


def _placemark_properties(placemark: Placemark) -> dict[str, Any]:
    props: dict[str, Any] = {}
    if placemark.id:
        props["kml_id"] = placemark.id
    if placemark.name:
        props["name"] = placemark.name
    if placemark.description:
        props["description"] = placemark.description
    extended = placemark.extended_data.elements if placemark.extended_data else []
    for element in extended:
        if isinstance(element, Data) and element.name:
            props[element.name] = element.value
        elif isinstance(element, SchemaData):
            props.update({item.name: item.value for item in element.data if item.name})
    return props


def _plain(value: Any) -> Any:
    """pygeoif's tuples as JSON lists (the validator checks list nesting)."""
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def _kml_geometry(placemark: Placemark, *, where: dict[str, str]) -> dict[str, Any] | None:
    try:
        geometry = placemark.geometry
        gi = None if geometry is None else dict(geometry.__geo_interface__)
    except (AttributeError, ValueError, TypeError):
        # pygeoif drops non-finite numbers (nan, inf) and is then left with an empty geometry
        raise StructureError(
            "the coordinates are not finite numbers (nan or inf?)", field="coordinates", **where
        ) from None
    if gi is None:
        return None
    if gi.get("type") == "GeometryCollection":
        return {"type": "GeometryCollection", "geometries": []}
    return {"type": gi["type"], "coordinates": _plain(gi.get("coordinates", []))}


def _kml_document(raw: bytes, *, name: str) -> _Parsed:
    _kml_precount(raw, name=name)
    root = _kml_root(raw, name=name)
    try:
        kml = KML.class_from_element(
            ns=_KML22,
            name_spaces=dict(kml_config.NAME_SPACES),
            # the stdlib Element is what fastkml parses; its Protocol spells the methods differently
            element=cast(KmlElement, root),
            strict=False,
        )
        placemarks = [p for p in find_all(kml, of_type=Placemark) if isinstance(p, Placemark)]
    except (FastKMLError, ValueError, TypeError, AttributeError, RecursionError) as err:
        raise ReadError(
            f"the KML could not be read ({type(err).__name__}: {str(err)[:120]})", file=name
        ) from None
    if not placemarks and _NETWORK_LINK.search(raw):
        raise ReadError(
            "the KML only links to other files (NetworkLink), which are never fetched; "
            "it has no placemarks of its own",
            file=name,
        )
    features: list[dict[str, Any]] = []
    bad: list[GeoDataError] = []
    for index, placemark in enumerate(placemarks):
        where = {"file": name, "feature": f"placemark {index + 1}"}
        try:
            geometry = _kml_geometry(placemark, where=where)
        except StructureError as err:
            bad.append(err)
            continue
        props = _placemark_properties(placemark)
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return _Parsed({"type": "FeatureCollection", "features": features}, problems=bad)


# --- CSV ------------------------------------------------------------------------------------


def _pick(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    lowered = {c.strip().lower(): c for c in columns}
    return next((lowered[c] for c in candidates if c in lowered), None)


def _csv_document(raw: bytes, *, name: str) -> _Parsed:
    """Rows with lon/lat columns as Point features; unusable rows become problems."""
    text = decode_text(raw, name=name)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        columns = list(reader.fieldnames or [])
        if len(columns) > MAX_CSV_COLUMNS:
            raise ReadError(
                f"the CSV has {len(columns):,} columns; an overlay may have at most "
                f"{MAX_CSV_COLUMNS}",
                file=name,
            )
        lon_col, lat_col = _pick(columns, LON_COLUMNS), _pick(columns, LAT_COLUMNS)
        if lon_col is None or lat_col is None:
            raise ReadError(
                "no longitude/latitude columns: name them lon and lat (or longitude/latitude, x/y)",
                file=name,
            )
        features: list[dict[str, Any]] = []
        lines: list[int] = []
        bad: list[GeoDataError] = []
        for row in reader:
            where = {"file": name, "feature": f"row {reader.line_num}"}
            try:
                features.append(_csv_feature(row, lon_col=lon_col, lat_col=lat_col, where=where))
                lines.append(reader.line_num)
            except StructureError as err:
                bad.append(err)
            if len(features) + len(bad) > MAX_FEATURES:
                raise ReadError(
                    f"the file has more than {MAX_FEATURES:,} rows; an overlay may have at most "
                    f"{MAX_FEATURES:,}",
                    file=name,
                )
    except csv.Error as err:
        raise ReadError(
            f"broken CSV at line {reader.line_num}: {str(err)[:120]}", file=name
        ) from None
    if not features and not bad:
        raise ReadError("the CSV has a header but no data rows", file=name)
    return _Parsed({"type": "FeatureCollection", "features": features}, lines, bad)


def _csv_feature(
    row: dict[str | None, Any], *, lon_col: str, lat_col: str, where: dict[str, str]
) -> dict[str, Any]:
    """One CSV row as a Point feature; the other columns become its properties."""
    if None in row:
        raise StructureError("the row has more values than the header has columns", **where)
    coords = []
    for column in (lon_col, lat_col):
        value = row.get(column)
        try:
            number = float(str(value).strip())
        except ValueError:
            raise StructureError(
                f"{str(value)[:40]!r} is not a number", field=column, **where
            ) from None
        if not math.isfinite(number):
            raise StructureError(
                f"{str(value)[:40]!r} is not a finite number", field=column, **where
            )
        coords.append(number)
    props = {
        str(k): v for k, v in row.items() if k not in (lon_col, lat_col) and v not in (None, "")
    }
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": coords},
    }


def _relabel(problem: GeoDataError, lines: list[int]) -> GeoDataError:
    """Name CSV features by their line in the file (``row 3``) instead of their index."""
    label = problem.feature or ""
    if label.startswith("#") and label[1:].isdigit() and int(label[1:]) < len(lines):
        return type(problem)(
            problem.message,
            file=problem.file,
            feature=f"row {lines[int(label[1:])]}",
            field=problem.field,
        )
    return problem
