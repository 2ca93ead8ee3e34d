"""The data model of docs/DESIGN.md as pydantic models, one per layer file.

The validator picks the model from the file name (``borders.geojson`` holds border segments wherever
it lies). Unknown properties are rejected so a typo (``confidance``) cannot silently drop a field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

Status = Literal["delimited", "disputed", "undetermined"]
STATUSES: Final[tuple[Status, ...]] = ("delimited", "disputed", "undetermined")
CrossingStatus = Literal["open", "restricted", "closed", "unknown"]
CROSSING_STATUSES: Final[tuple[CrossingStatus, ...]] = ("open", "restricted", "closed", "unknown")
"""``unknown``: no report on the crossing since the entry's date (the last sourced status is older)."""
Measure = Literal["described", "legal", "agreed", "demarcated"]
MEASURES: Final[tuple[Measure, ...]] = ("described", "legal", "agreed", "demarcated")
"""What a milestone's kilometres count (data/README.md): the line described by the commissions,
fixed in a legal instrument, agreed politically, or marked on the ground (posts, fences)."""
Confidence = Literal["assessed", "reported", "claimed"]
CONFIDENCES: Final[tuple[Confidence, ...]] = ("assessed", "reported", "claimed")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT = 4000
"""Longest display string accepted; longer text is almost certainly a mistake or an attack."""


def _parse_date(value: Any) -> Any:
    """Accept only ``YYYY-MM-DD`` strings (pydantic alone would also take numbers and datetimes)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real calendar date") from None


IsoDate = Annotated[dt.date, BeforeValidator(_parse_date)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
NonEmptyText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
FeatureId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120)]
Iso3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
BorderPair = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}-[A-Z]{3}$")]
Count = Annotated[int, Field(ge=0, strict=True)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Source(_Strict):
    """Where a fact comes from: a title, and a date or an address (or both) to find it again."""

    title: NonEmptyText
    publisher: NonEmptyText
    date: IsoDate | None
    url: Text | None

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) address or null")
        return value

    @model_validator(mode="after")
    def _findable(self) -> Source:
        if self.date is None and self.url is None:
            raise ValueError("a source needs a date or a url (or both) so it can be found again")
        return self


Sources = Annotated[list[Source], Field(min_length=1)]


class FeatureProps(_Strict):
    """Properties every feature carries."""

    id: FeatureId
    name: NonEmptyText
    valid_from: IsoDate | None
    valid_to: IsoDate | None
    confidence: Confidence
    sources: Sources
    notes: Text | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> FeatureProps:
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValueError("valid_to must be after valid_from (valid_to is exclusive)")
        return self


class StatusEntry(_Strict):
    """One step of a border segment's status history."""

    from_: IsoDate = Field(alias="from")
    status: Status
    sources: Sources


class CrossingEntry(_Strict):
    """One step of a crossing's status history."""

    from_: IsoDate = Field(alias="from")
    status: CrossingStatus
    sources: Sources


def _sorted_history(history: list[Any]) -> list[Any]:
    dates = [entry.from_ for entry in history]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise ValueError("entries must be sorted by 'from' with no date repeated")
    return history


class BorderProps(FeatureProps):
    """A border segment: a piece of one border line with a status history."""

    border: BorderPair
    status_history: Annotated[list[StatusEntry], Field(min_length=1)]
    from_place: Text | None = None
    to_place: Text | None = None

    _history = field_validator("status_history")(_sorted_history)


class EnclaveProps(FeatureProps):
    sovereign: Iso3
    host: Iso3
    population: Count | None
    population_year: Annotated[int, Field(ge=1900, le=2100, strict=True)] | None


class DeploymentProps(FeatureProps):
    actor: NonEmptyText
    country: Iso3
    kind: Literal["base", "garrison", "deployment", "border-post", "airbase"]
    strength: Count | None
    strength_note: Text | None = None


class ExerciseProps(FeatureProps):
    exercise: NonEmptyText
    organizer: Text | None
    participants: list[Iso3]


class EventProps(FeatureProps):
    kind: Literal[
        "clash", "closure", "reopening", "agreement", "meeting", "procurement", "incident"
    ]
    fatalities: Count | None
    description: NonEmptyText


class CrossingProps(FeatureProps):
    border: BorderPair
    status_history: Annotated[list[CrossingEntry], Field(min_length=1)]

    _history = field_validator("status_history")(_sorted_history)


class PlaceProps(FeatureProps):
    kind: Literal["capital", "city", "town", "village", "site"]
    country: Iso3
    alt_names: list[NonEmptyText] = []


class SettlementProps(FeatureProps):
    """A populated place from GeoNames (``data/context/settlements.geojson``)."""

    alt_names: list[NonEmptyText] = []
    country: Iso3
    population: Count | None
    rank: Literal["capital", "city", "town", "village"]
    feature_code: Annotated[str, StringConstraints(pattern=r"^PPL[A-Z0-9]{0,3}$")]


class RiverProps(FeatureProps):
    """A river line or lake from GSHHG/WDBII; ``named`` is false when no sourced rule names it."""

    named: bool
    border_river: bool = False
    alt_names: list[NonEmptyText] = []
    kind: Literal["river", "lake"]
    level: Annotated[int, Field(ge=1, le=4, strict=True)]
    class_: Literal["major", "river", "minor", "lake"] = Field(alias="class")


class CountryProps(FeatureProps):
    """A base-map country polygon extracted from OpenStreetMap."""

    iso3: Iso3


class BaseLineProps(FeatureProps):
    """A shared edge between two base-map countries."""

    border: BorderPair


class OverlayProps(BaseModel):
    """An analyst's own upload: any properties, but display text stays bounded."""

    model_config = ConfigDict(extra="allow")


class Reported(_Strict):
    delimited_km: Annotated[float, Field(ge=0)]
    total_km: Annotated[float, Field(gt=0)]

    @model_validator(mode="after")
    def _part_of_whole(self) -> Reported:
        if self.delimited_km > self.total_km:
            raise ValueError("delimited_km cannot exceed total_km")
        return self


class Milestone(_Strict):
    """A delimitation figure as governments or the press reported it (not spatial)."""

    date: IsoDate
    title: NonEmptyText
    border: BorderPair
    measure: Measure
    reported: Reported | None
    sources: Sources
    notes: Text | None = None


class LayerSchema(BaseModel):
    """Which properties and geometry types one layer file allows."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    layer: str
    props: type[BaseModel]
    geometry_types: frozenset[str]


_LINES: Final = frozenset({"LineString", "MultiLineString"})
_AREAS: Final = frozenset({"Polygon", "MultiPolygon"})
_POINTS: Final = frozenset({"Point"})
_ANY: Final = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
)

LAYER_SCHEMAS: Final[dict[str, LayerSchema]] = {
    "borders.geojson": LayerSchema(layer="borders", props=BorderProps, geometry_types=_LINES),
    "enclaves.geojson": LayerSchema(layer="enclaves", props=EnclaveProps, geometry_types=_AREAS),
    "deployments.geojson": LayerSchema(
        layer="deployments", props=DeploymentProps, geometry_types=_POINTS | {"Polygon"}
    ),
    "exercises.geojson": LayerSchema(
        layer="exercises", props=ExerciseProps, geometry_types=_POINTS | {"Polygon"}
    ),
    "events.geojson": LayerSchema(layer="events", props=EventProps, geometry_types=_POINTS),
    "crossings.geojson": LayerSchema(
        layer="crossings", props=CrossingProps, geometry_types=_POINTS
    ),
    "places.geojson": LayerSchema(layer="places", props=PlaceProps, geometry_types=_POINTS),
    "settlements.geojson": LayerSchema(
        layer="settlements", props=SettlementProps, geometry_types=_POINTS
    ),
    "waters.geojson": LayerSchema(layer="rivers", props=RiverProps, geometry_types=_LINES | _AREAS),
    "countries.geojson": LayerSchema(layer="base", props=CountryProps, geometry_types=_AREAS),
    "border_lines.geojson": LayerSchema(layer="base", props=BaseLineProps, geometry_types=_LINES),
}
OVERLAY_SCHEMA: Final = LayerSchema(layer="overlay", props=OverlayProps, geometry_types=_ANY)


def schema_for(file_name: str) -> LayerSchema | None:
    """Return the schema a file's name selects, or None for a name no layer uses."""
    return LAYER_SCHEMAS.get(file_name)
