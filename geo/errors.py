"""Narrow exceptions for bad data: each names the file, the feature and the field.

Every problem a user can cause with a data file is raised as a ``GeoDataError`` subclass, so callers
can show one clear sentence and keep running instead of surfacing a traceback.
"""

from __future__ import annotations


class GeoDataError(ValueError):
    """A data file, feature or field is unusable; ``str(err)`` is one sentence for the user."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        feature: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.feature = feature
        self.field = field
        super().__init__(self.sentence())

    def sentence(self) -> str:
        """Return ``file: feature …, field …: message`` with only the parts that are known."""
        where = []
        if self.file:
            where.append(self.file)
        if self.feature:
            where.append(f"feature {self.feature}")
        if self.field:
            where.append(f"field {self.field}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class ReadError(GeoDataError):
    """The bytes are not acceptable JSON: too large, not UTF-8, broken syntax, NaN, duplicate keys."""


class StructureError(GeoDataError):
    """The JSON is not the GeoJSON our data model allows (types, members, rings, positions)."""


class SchemaError(GeoDataError):
    """A feature's properties break the data model (missing id, unknown status, bad date …)."""


class GeometryError(GeoDataError):
    """A geometry is empty, invalid (self-intersecting) or of a type the layer does not allow."""


class DomainError(GeoDataError):
    """The data is well formed but wrong for this map: outside the region, duplicate id, gap."""


class ParamError(ValueError):
    """A URL or command-line parameter is malformed; ``str(err)`` names the parameter."""


class StoryError(GeoDataError):
    """A story file (a briefing's sequence of views) is unusable: one sentence names the problem.

    ``feature`` is the step ("step 3"); the sentence reads ``file, step 3, field bbox: …``.
    """

    def sentence(self) -> str:
        """Return ``file, step N, field F: message`` with only the parts that are known."""
        where = [part for part in (self.file, self.feature) if part]
        if self.field:
            where.append(f"field {self.field}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message
