"""How recently each feature was confirmed on a date, computed from its sources, never typed in.

Rules (docs/DESIGN.md, "Freshness"):

- A feature's **last confirmed** date on the as-of date D is the latest ``date`` among its sources
  *in force* on D. For a feature with a ``status_history`` (border segments, crossings) those are
  the sources of the history entry in force on D — what the map asserts on D is that status, and
  a source about an earlier or later status does not confirm it; the feature's own ``sources``
  count only when no entry is in force yet. For every other feature they are its own ``sources``.
- A source confirms nothing before it exists: sources dated after D are left out, so the map of
  2022 is not made fresh by a 2026 report. Sources with no date are left out too (they cannot
  say when). Dates are ``YYYY-MM-DD`` (geo.schema); a partial ``YYYY-MM`` or ``YYYY`` counts from
  the first day of its month or year, which never makes a feature look fresher than it is.
  No dated source by D gives ``None`` ("never confirmed by the as-of date").
- A **lasting** feature (``LASTING_LAYERS``: border segments, crossings, deployments, enclaves)
  in force on D is **stale** when it was not confirmed within ``STALE_AFTER_DAYS`` (365) days
  before D: ``D - last_confirmed > 365`` days, or never confirmed. Events and exercises are never
  stale (they happened once); places and the basemap are reference geography, not claims that
  need re-confirming.

Pure: no streamlit, no folium. ``python -m geo freshness`` prints ``freshness(...)`` as JSON.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from geo.catalog import load_features
from geo.schema import LAYER_SCHEMAS
from geo.timeline import entry_on, holds_on

STALE_AFTER_DAYS: Final = 365
"""A lasting feature with no source in the 365 days before the as-of date is stale."""

LASTING_LAYERS: Final[frozenset[str]] = frozenset(
    {"borders", "crossings", "deployments", "enclaves"}
)
"""Layers whose features claim something holds until further notice, so they can go stale.

Named, not derived: the schema table also holds reference layers (places, the basemap) that are
neither episodic nor claims to re-confirm. The layer registry may pass its own set instead.
"""

_PARTIAL: Final = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def source_date(value: Any) -> dt.date | None:
    """A source's ``date`` as a date: full or partial ISO text (first day), a date, else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    match = _PARTIAL.match(value.strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        return dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def sources_in_force(props: Mapping[str, Any], *, as_of: dt.date) -> list[Mapping[str, Any]]:
    """The sources that speak for the feature on ``as_of`` (see the module rules)."""
    history = props.get("status_history")
    if history:
        entry = entry_on(history, as_of)
        if entry is not None:
            return list(entry.get("sources") or [])
    return list(props.get("sources") or [])


def last_confirmed(props: Mapping[str, Any], *, as_of: dt.date) -> dt.date | None:
    """The latest source date on or before ``as_of`` among the sources in force, or None."""
    dates = [source_date(src.get("date")) for src in sources_in_force(props, as_of=as_of)]
    known = [d for d in dates if d is not None and d <= as_of]
    return max(known) if known else None


def age_days(confirmed: dt.date | None, *, as_of: dt.date) -> int | None:
    """Whole days from the last confirmation to ``as_of`` (None when never confirmed)."""
    return None if confirmed is None else (as_of - confirmed).days


def is_stale(
    props: Mapping[str, Any],
    *,
    layer: str,
    as_of: dt.date,
    lasting_layers: Collection[str] = LASTING_LAYERS,
) -> bool:
    """True for a lasting-layer feature not confirmed within ``STALE_AFTER_DAYS`` before ``as_of``."""
    if layer not in lasting_layers:
        return False
    age = age_days(last_confirmed(props, as_of=as_of), as_of=as_of)
    return age is None or age > STALE_AFTER_DAYS


def in_force(props: Mapping[str, Any], *, as_of: dt.date) -> bool:
    """True when the feature is drawn on ``as_of``: valid then, and with a status if it has a history."""
    if not holds_on(props, as_of):
        return False
    history = props.get("status_history")
    return not history or entry_on(history, as_of) is not None


@dataclass(frozen=True)
class FreshnessRow:
    """One lasting feature's freshness on the as-of date."""

    id: str
    layer: str
    last_confirmed: dt.date | None
    age_days: int | None
    stale: bool

    def as_json(self) -> dict[str, Any]:
        """The ``python -m geo freshness`` record: id, layer, last_confirmed, age_days."""
        return {
            "id": self.id,
            "layer": self.layer,
            "last_confirmed": self.last_confirmed.isoformat() if self.last_confirmed else None,
            "age_days": self.age_days,
        }


def lasting_files(lasting_layers: Collection[str] = LASTING_LAYERS) -> dict[str, str]:
    """Layer id -> data file name (from geo.schema) for the lasting layers."""
    return {
        schema.layer: name
        for name, schema in LAYER_SCHEMAS.items()
        if schema.layer in lasting_layers
    }


def _props_by_layer(
    source: Path | Mapping[str, Any], lasting_layers: Collection[str]
) -> Iterable[tuple[str, Mapping[str, Any]]]:
    if isinstance(source, (str, Path)):
        for layer, name in sorted(lasting_files(lasting_layers).items()):
            for feature in load_features(Path(source) / name):
                yield layer, feature["properties"]
        return
    for layer in sorted(set(source) & set(lasting_layers)):
        frame = source[layer]
        # column by column, not ``to_dict("records")`` (which builds each row through pandas'
        # indexers): the page computes this for every date it shows
        columns = [c for c in frame.columns if c != frame.geometry.name]
        for row in zip(*(frame[c].tolist() for c in columns), strict=True):
            yield layer, dict(zip(columns, row, strict=True))


def _oldest_first(row: FreshnessRow) -> tuple[int, dt.date, str, str]:
    never = row.last_confirmed is None
    return (0 if never else 1, row.last_confirmed or dt.date.min, row.layer, row.id)


def freshness(
    source: Path | Mapping[str, Any],
    *,
    as_of: dt.date,
    older_than: int | None = None,
    lasting_layers: Collection[str] = LASTING_LAYERS,
) -> list[FreshnessRow]:
    """Every lasting feature in force on ``as_of`` with its last confirmation, oldest first.

    ``source`` is a data folder (files read strictly: a broken feature raises ``GeoDataError``) or
    the page's frames by layer id. ``older_than`` keeps rows confirmed more than that many days
    before ``as_of`` (never-confirmed rows always qualify). Never-confirmed rows come first.
    """
    rows = []
    for layer, props in _props_by_layer(source, lasting_layers):
        if not in_force(props, as_of=as_of):
            continue
        confirmed = last_confirmed(props, as_of=as_of)
        age = age_days(confirmed, as_of=as_of)
        if older_than is not None and age is not None and age <= older_than:
            continue
        rows.append(
            FreshnessRow(
                id=str(props["id"]),
                layer=layer,
                last_confirmed=confirmed,
                age_days=age,
                stale=age is None or age > STALE_AFTER_DAYS,
            )
        )
    return sorted(rows, key=_oldest_first)
