"""A whole data folder: every file's report plus the checks that span files."""

from __future__ import annotations

from pathlib import Path

from geo.errors import StructureError
from geo.schema import schema_for
from geo.validate.document import validate_milestones, validate_path
from geo.validate.report import FolderReport
from geo.validate.topology import check_border_coverage, check_enclaves, check_unique_ids


def data_files(root: Path) -> list[Path]:
    """Every data file a layer uses under ``root`` (GeoJSON by name, plus milestones.json)."""
    root = Path(root)
    found = [p for p in sorted(root.rglob("*.geojson")) if schema_for(p.name)]
    found += sorted(root.rglob("milestones.json"))
    return found


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
    folder.cross += check_unique_ids([r for r in reports if r.layer != "milestones"])
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
