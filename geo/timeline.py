"""What holds on a date, and what changed between two dates.

Rules (DESIGN.md): a lasting feature shows on day D when ``valid_from <= D < valid_to`` (null bounds
are open); a status on D is the last ``status_history`` entry with ``from <= D``; episodic features
(the layers the registry flags ``episodic``: events, exercises) show when they overlap the
look-back window ``(D - window, D]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

LOOKBACK_DAYS_DEFAULT: Final = 90


def as_date(value: Any) -> dt.date | None:
    """Turn ``YYYY-MM-DD`` text (or a date, or None) into a date."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def holds_on(props: Mapping[str, Any], day: dt.date) -> bool:
    """True when a lasting feature is valid on ``day`` (``valid_to`` is exclusive)."""
    start = as_date(props.get("valid_from"))
    end = as_date(props.get("valid_to"))
    return (start is None or start <= day) and (end is None or day < end)


def entry_on(history: Sequence[Mapping[str, Any]], day: dt.date) -> Mapping[str, Any] | None:
    """The history entry in force on ``day``: the last with ``from <= day``, or None before all."""
    current = None
    for entry in history:
        if as_date(entry["from"]) <= day:
            current = entry
        else:
            break
    return current


def status_on(history: Sequence[Mapping[str, Any]], day: dt.date) -> str | None:
    """The status in force on ``day``, or None when the history starts later."""
    entry = entry_on(history, day)
    return None if entry is None else str(entry["status"])


def age_in_window(
    props: Mapping[str, Any], day: dt.date, *, window_days: int = LOOKBACK_DAYS_DEFAULT
) -> int | None:
    """Days since an episodic feature last held, if it overlaps ``(day - window, day]``; else None.

    0 means it is happening on ``day``; an event with only ``valid_from`` lasts that one day.
    """
    start = as_date(props.get("valid_from"))
    end = as_date(props.get("valid_to"))
    if start is None:
        return None
    last = (end - dt.timedelta(days=1)) if end else start
    last = max(last, start)
    if start > day:
        return None
    age = 0 if last >= day else (day - last).days
    return age if age < window_days else None


def fade(age_days: int, *, window_days: int = LOOKBACK_DAYS_DEFAULT) -> float:
    """Opacity for an episodic feature of this age: 1.0 today, down to 0.25 at the window's end."""
    if window_days <= 0:
        return 1.0
    return round(1.0 - 0.75 * min(age_days, window_days) / window_days, 3)


@dataclass(frozen=True)
class Change:
    """One difference between date A and date B."""

    layer: str
    feature_id: str
    name: str
    kind: str  # "status", "appeared", "ended"
    before: str | None
    after: str | None
    source: str | None


def _latest_source(entry: Mapping[str, Any] | None) -> str | None:
    if not entry:
        return None
    sources = entry.get("sources") or []
    if not sources:
        return None
    first = sources[0]
    return f"{first.get('publisher', '')}: {first.get('title', '')} ({first.get('date') or 'n.d.'})"


def changes_between(
    layer: str, features: Sequence[Mapping[str, Any]], day_a: dt.date, day_b: dt.date
) -> list[Change]:
    """Statuses that differ, and features that appeared or ended, between ``day_a`` and ``day_b``."""
    out: list[Change] = []
    for feature in features:
        props = feature["properties"]
        fid, name = str(props["id"]), str(props["name"])
        held_a, held_b = holds_on(props, day_a), holds_on(props, day_b)
        if held_a != held_b:
            kind = "appeared" if held_b else "ended"
            src = (props.get("sources") or [None])[0]
            out.append(
                Change(layer, fid, name, kind, None, None, _latest_source({"sources": [src]}))
            )
            continue
        history = props.get("status_history")
        if held_b and history:
            entry_a, entry_b = entry_on(history, day_a), entry_on(history, day_b)
            status_a = entry_a["status"] if entry_a else None
            status_b = entry_b["status"] if entry_b else None
            if status_a != status_b:
                newer = entry_b if day_b >= day_a else entry_a
                out.append(
                    Change(layer, fid, name, "status", status_a, status_b, _latest_source(newer))
                )
    return out


PRESETS: Final[tuple[tuple[str, dt.date | None], ...]] = (
    ("April 2021 clashes (29 Apr)", dt.date(2021, 4, 29)),
    ("Early Oct 2021: 519 of 984 km agreed", dt.date(2021, 10, 5)),
    ("September 2022 clashes (16 Sep)", dt.date(2022, 9, 16)),
    ("Dec 2024: all sections described (4 Dec)", dt.date(2024, 12, 4)),
    ("Border treaty signed (13 Mar 2025)", dt.date(2025, 3, 13)),
    ("Today", None),
)
"""Dates analysts jump to (``None`` is today); the facts and sources are in data/milestones.json."""
