"""Stage 4, domain and topology across files: unique ids, enclaves in hosts, borders covered."""

from __future__ import annotations

from typing import Any, Final

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.errors import DomainError, GeoDataError
from geo.validate.report import ValidationReport


def check_unique_ids(reports: list[ValidationReport]) -> list[GeoDataError]:
    """Feature ids must be unique across files, not only within one."""
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
