"""Stories: a briefing told as a sequence of views (date, box, layers, statuses, caption).

A story file is untrusted input (it is uploaded or passed on the command line).  ``read_story``
never raises anything but ``StoryError`` — one sentence naming the file, the step and the field —
and bounds its cost before paying it: the byte size first, then the number of steps (a cheap count
on the decoded JSON) before any step is validated.  Captions are kept as plain text; nothing in a
story is ever executed, rendered as markup or turned into a link.

Format (version 1)::

    {"version": 1, "title": "…", "handling": "…" (optional),
     "steps": [{"title": "…", "caption": "…", "date": "YYYY-MM-DD", "compare": "YYYY-MM-DD" (opt.),
                "bbox": [W, S, E, N], "layers": ["borders", …], "status": ["disputed", …]}]}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from geo.errors import ReadError, StoryError
from geo.io import read_json_bytes
from geo.schema import STATUSES
from geo.validate.geometry import box_problem

VERSION: Final = 1
MAX_STORY_BYTES: Final = 128 * 1024
MAX_STEPS: Final = 50
MAX_TITLE: Final = 200
MAX_CAPTION: Final = 1200
MAX_HANDLING: Final = 60
EARLIEST: Final = dt.date(1991, 1, 1)
"""The atlas's dates start with the independence of the three republics."""


def _iso_date(value: Any) -> dt.date:
    """A ``YYYY-MM-DD`` string as a date (numbers or other shapes are refused)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD") from None
    if not EARLIEST <= day <= dt.date.today():
        raise ValueError(f"{value} is not between {EARLIEST} and today")
    return day


def _one_line(limit: int) -> Any:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError("must be text")
        text = " ".join(value.split())
        if len(text) > limit:
            raise ValueError(f"is {len(text)} characters long; at most {limit} are allowed")
        if not text.isprintable():
            raise ValueError("contains control characters")
        return text

    return BeforeValidator(check)


def _paragraph(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    text = "\n".join(" ".join(line.split()) for line in value.strip().splitlines())
    if len(text) > MAX_CAPTION:
        raise ValueError(f"is {len(text)} characters long; at most {MAX_CAPTION} are allowed")
    if not all(ch.isprintable() or ch == "\n" for ch in text):
        raise ValueError("contains control characters")
    return text


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class StoryStep(BaseModel):
    """One view of the story: what the map shows, and the words that go with it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Annotated[str, _one_line(MAX_TITLE)] = Field(min_length=1)
    caption: Annotated[str, BeforeValidator(_paragraph)] = ""
    date: IsoDate
    compare: IsoDate | None = None
    bbox: tuple[float, float, float, float]
    layers: tuple[str, ...] = Field(max_length=32)
    status: tuple[str, ...] = Field(default=STATUSES, max_length=len(STATUSES))

    @field_validator("bbox")
    @classmethod
    def _bbox_in_region(
        cls, bbox: tuple[float, float, float, float]
    ) -> tuple[float, float, float, float]:
        problem = box_problem(*bbox)
        if problem:
            raise ValueError(problem)
        return bbox

    @field_validator("layers")
    @classmethod
    def _known_layers(cls, layers: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        known = (info.context or {}).get("layer_ids")
        if known is not None:
            unknown = [layer for layer in layers if layer not in known]
            if unknown:
                raise ValueError(
                    f"unknown layer {unknown[0][:40]!r} (known: {', '.join(sorted(known))})"
                )
        return tuple(dict.fromkeys(layers))

    @field_validator("status")
    @classmethod
    def _known_statuses(cls, status: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [s for s in status if s not in STATUSES]
        if unknown:
            raise ValueError(f"unknown status {unknown[0][:40]!r} (known: {', '.join(STATUSES)})")
        return tuple(dict.fromkeys(status))


class Story(BaseModel):
    """A titled sequence of steps, with an optional handling line for every page."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Literal[1]
    title: Annotated[str, _one_line(MAX_TITLE)] = Field(min_length=1)
    handling: Annotated[str, _one_line(MAX_HANDLING)] | None = None
    steps: tuple[StoryStep, ...] = Field(min_length=1, max_length=MAX_STEPS)

    @model_validator(mode="after")
    def _no_empty_handling(self) -> Story:
        if self.handling == "":
            object.__setattr__(self, "handling", None)
        return self


def _sentence(err: ValidationError, *, name: str) -> StoryError:
    """The first pydantic problem as one sentence naming the step and the field."""
    first = err.errors(include_url=False)[0]
    loc = list(first["loc"])
    step = None
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
        step = f"step {loc[1] + 1}"
        loc = loc[2:]
    field = ".".join(str(part) for part in loc[:1]) or None
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "missing":
        message = "is missing"
    elif first["type"] == "extra_forbidden":
        message = "is not a story field (check its spelling)"
    return StoryError(message, file=name, feature=step, field=field)


def read_story(
    raw: bytes,
    *,
    name: str = "story",
    layer_ids: Collection[str] | None = None,
    max_bytes: int = MAX_STORY_BYTES,
) -> Story:
    """The story in ``raw`` (a story file's bytes), or ``StoryError`` with one sentence.

    ``layer_ids`` is the set of layer ids the map knows (the registry's); geo does not import the
    layers package, so the caller passes it.  ``None`` skips that one check.
    """
    if isinstance(raw, bytes | bytearray) and len(raw) > max_bytes:
        raise StoryError(
            f"the file is {len(raw):,} bytes; a story file may be at most {max_bytes:,} bytes",
            file=name,
        )
    try:
        data = read_json_bytes(raw, name=name, max_bytes=max_bytes)
    except ReadError as err:
        raise StoryError(err.message, file=name) from None
    if not isinstance(data, Mapping):
        raise StoryError(
            "a story file must be a JSON object with version, title and steps", file=name
        )
    version = data.get("version")
    if version != VERSION:
        shown = "missing" if version is None else repr(version)[:20]
        raise StoryError(
            f"story version {shown} is not supported; this atlas reads version {VERSION}",
            file=name,
        )
    steps = data.get("steps")
    if isinstance(steps, list) and len(steps) > MAX_STEPS:
        raise StoryError(
            f"the story has {len(steps):,} steps; at most {MAX_STEPS} are allowed", file=name
        )
    try:
        return Story.model_validate(
            data, context={"layer_ids": None if layer_ids is None else frozenset(layer_ids)}
        )
    except ValidationError as err:
        raise _sentence(err, name=name) from None


def story_json(story: Story) -> bytes:
    """The story as a version-1 file's bytes (what the page offers as a download)."""
    return story.model_dump_json(indent=2, exclude_none=True).encode("utf-8")
