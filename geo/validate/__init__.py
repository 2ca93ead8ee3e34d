"""Structure -> geometry -> domain checks of one data file or a whole data folder.

Checks run on the raw JSON first (``structure``), because shapely silently closes unclosed rings
and happily accepts swapped coordinates; then the shapes (``geometry``), the properties
(``properties``), one file end to end (``document``) and the rules that span files (``topology``,
``folder``). Each problem becomes one ``GeoDataError`` naming file, feature and field; a feature
with a problem is left out of the report's clean ``features`` so other features still draw.
Normalisations (altitude dropped, rings re-oriented, coordinates rounded to 6 decimals) are listed
as notices, never applied to the file on disk.
"""

from __future__ import annotations

from geo.validate.document import (
    validate_bytes,
    validate_document,
    validate_milestones,
    validate_path,
)
from geo.validate.folder import data_files, validate_folder
from geo.validate.geometry import PRECISION, REGION
from geo.validate.report import FolderReport, ValidationReport
from geo.validate.topology import ENCLAVE_TOLERANCE_DEG, check_border_coverage, check_enclaves

__all__ = [
    "ENCLAVE_TOLERANCE_DEG",
    "PRECISION",
    "REGION",
    "FolderReport",
    "ValidationReport",
    "check_border_coverage",
    "check_enclaves",
    "data_files",
    "validate_bytes",
    "validate_document",
    "validate_folder",
    "validate_milestones",
    "validate_path",
]
