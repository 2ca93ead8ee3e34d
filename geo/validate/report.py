"""What a check found: one report per file, one per data folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from geo.errors import GeoDataError


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
