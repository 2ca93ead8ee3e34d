"""One file through the stages: structure, geometry, properties, ids unique within the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.errors import DomainError, GeoDataError, GeometryError, StructureError
from geo.io import MAX_BYTES_DEFAULT, read_json_bytes, read_json_path
from geo.schema import OVERLAY_SCHEMA, LayerSchema, Milestone, schema_for
from geo.validate.geometry import normalise_geometry
from geo.validate.properties import check_properties, schema_errors
from geo.validate.report import ValidationReport
from geo.validate.structure import check_geometry_json, feature_label, iter_raw_features


def validate_document(doc: Any, *, file: str, schema: LayerSchema) -> ValidationReport:
    """Check one parsed GeoJSON document against ``schema``; never raises ``GeoDataError``."""
    report = ValidationReport(file=file, layer=schema.layer)
    try:
        raw_features = iter_raw_features(doc, file=file)
    except GeoDataError as err:
        report.problems.append(err)
        return report
    report.total = len(raw_features)
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_features):
        label = feature_label(raw, index)
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
                check_geometry_json(raw["geometry"], where=where)
                geom = normalise_geometry(
                    raw["geometry"], schema=schema, where=where, notices=report.notices
                )
            except GeoDataError as err:
                problems.append(err)
        problems += check_properties(raw["properties"], schema=schema, file=file, feature=label)
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
    label = relative_label(path)
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


def relative_label(path: Path) -> str:
    """How problems name a shipped file: its path from ``data/`` on."""
    parts = path.parts
    if "data" in parts:
        return "/".join(parts[parts.index("data") :])
    return path.name


def validate_milestones(path: Path) -> ValidationReport:
    """Check ``milestones.json``: a list of reported delimitation figures."""
    label = relative_label(path)
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
            report.problems.extend(schema_errors(err, file=label, feature=f"#{index}"))
        else:
            report.features.append(item)
    dates = [m["date"] for m in report.features]
    if dates != sorted(dates):
        report.problems.append(DomainError("milestones must be sorted by date", file=label))
    return report
