"""The URL contract (docs/DESIGN.md): parse query parameters into a view, and back.

Opening a URL reproduces the view; an unknown or malformed value produces one notice naming the
parameter and falls back to its default, so a broken link never breaks the page.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final
from urllib.parse import urlencode

from geo.schema import STATUSES
from geo.story import MAX_STEPS
from geo.timeline import LOOKBACK_DAYS_DEFAULT
from layers import REGISTRY, layer_ids
from layers.mapview import DEFAULT_CENTER, DEFAULT_ZOOM, MAX_ZOOM, MIN_ZOOM

FIRST_DAY: Final = dt.date(2021, 1, 1)
KNOWN: Final = frozenset(
    {
        "date",
        "layers",
        "status",
        "lat",
        "lon",
        "z",
        "feature",
        "compare",
        "mode",
        "window",
        "story_step",
    }
)
WINDOW_MIN_DAYS: Final = 7
WINDOW_MAX_DAYS: Final = 730
"""The events look-back range: the page's slider and the URL accept exactly this range."""
_MAX_PARAM: Final = 400
_SHOWN_UNKNOWN: Final = 5
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_FEATURE_ID: Final = re.compile(r"[a-z0-9][a-z0-9-]{0,119}")


def default_layers() -> tuple[str, ...]:
    """Layers shown when the URL names none."""
    return tuple(i for i, spec in REGISTRY.items() if spec.default_on)


@dataclass(frozen=True)
class ViewState:
    """Everything a permalink carries."""

    date: dt.date = field(default_factory=dt.date.today)
    layers: tuple[str, ...] = field(default_factory=default_layers)
    statuses: tuple[str, ...] = STATUSES
    lat: float = DEFAULT_CENTER[0]
    lon: float = DEFAULT_CENTER[1]
    zoom: int = DEFAULT_ZOOM
    feature: str | None = None
    compare: dt.date | None = None
    embed: bool = False
    window_days: int = LOOKBACK_DAYS_DEFAULT
    story_step: int | None = None
    """The presented step of a loaded story, 1-based (``story_step=N``); None when not presenting."""


def _first(value: str | list[str]) -> str:
    text = value[-1] if isinstance(value, list) else value
    return str(text)[:_MAX_PARAM]


def _date(text: str, *, today: dt.date) -> dt.date:
    day = dt.date.fromisoformat(text)
    if not FIRST_DAY <= day <= today:
        raise ValueError(f"must be between {FIRST_DAY} and {today}")
    return day


def _ids(text: str, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    items = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in items if t not in allowed]
    if unknown:
        raise ValueError(f"unknown {what} {', '.join(map(_quoted, unknown))[:120]}")
    return tuple(i for i in allowed if i in items)


def _number(text: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"must be a number from {low:g} to {high:g}") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"must be a number from {low:g} to {high:g}")
    return value


def parse_query(
    params: Mapping[str, str | list[str]], *, today: dt.date | None = None
) -> tuple[ViewState, list[str]]:
    """The view a URL asks for, and one notice per value that had to fall back to its default."""
    today = today or dt.date.today()
    state = ViewState(date=today)
    notices: list[str] = []
    parsers: dict[str, Callable[[str], dict[str, Any]]] = {
        "date": lambda t: {"date": _date(t, today=today)},
        "compare": lambda t: {"compare": _date(t, today=today)},
        "layers": lambda t: {"layers": _ids(t, layer_ids(), "layer")},
        "status": lambda t: {"statuses": _ids(t, STATUSES, "status")},
        "lat": lambda t: {"lat": _number(t, 30.0, 47.0)},
        "lon": lambda t: {"lon": _number(t, 55.0, 85.0)},
        "z": lambda t: {"zoom": int(_number(t, MIN_ZOOM, MAX_ZOOM))},
        "window": lambda t: {"window_days": _window(t)},
        "feature": lambda t: {"feature": _feature(t)},
        "mode": lambda t: {"embed": _mode(t)},
        "story_step": lambda t: {"story_step": _story_step(t)},
    }
    unknown: list[str] = []
    for key, raw in params.items():
        if key not in KNOWN:
            if key != "embed" and not key.startswith("embed_"):
                unknown.append(key)
            continue
        text = _first(raw)
        try:
            state = replace(state, **parsers[key](text))
        except (ValueError, TypeError, OverflowError) as err:
            notices.append(
                f"URL parameter {_quoted(key)} = {_quoted(text, 60)} was ignored ({err}); "
                "using the default."
            )
    if unknown:
        notices.insert(0, _unknown_notice(unknown))
    return state, notices


def _quoted(text: str, limit: int = 40) -> str:
    """URL text for a notice: quoted, control characters dropped, cut; no escape sequences."""
    cleaned = _CONTROL.sub("", str(text))
    return "'" + (cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…") + "'"


def _unknown_notice(keys: list[str]) -> str:
    """One notice for all unknown parameters, however many the URL has."""
    if len(keys) == 1:
        return f"URL parameter {_quoted(keys[0])} is not known and was ignored."
    shown = ", ".join(_quoted(k) for k in keys[:_SHOWN_UNKNOWN])
    more = f" and {len(keys) - _SHOWN_UNKNOWN:,} more" if len(keys) > _SHOWN_UNKNOWN else ""
    return f"URL parameters {shown}{more} are not known and were ignored."


def _window(text: str) -> int:
    value = _number(text, WINDOW_MIN_DAYS, WINDOW_MAX_DAYS)
    if value != int(value):
        raise ValueError(f"must be a whole number from {WINDOW_MIN_DAYS} to {WINDOW_MAX_DAYS}")
    return int(value)


def _feature(text: str) -> str:
    feature_id = text.lower()
    if not _FEATURE_ID.fullmatch(feature_id):
        raise ValueError("must be a feature id (letters, digits, hyphens)")
    return feature_id


def _story_step(text: str) -> int:
    value = _number(text, 1, MAX_STEPS)
    if value != int(value):
        raise ValueError(f"must be a whole number from 1 to {MAX_STEPS}")
    return int(value)


def _mode(text: str) -> bool:
    if text not in {"embed", "full"}:
        raise ValueError("must be 'embed' or 'full'")
    return text == "embed"


def to_query(state: ViewState) -> dict[str, str]:
    """The query parameters that reproduce ``state`` (defaults included, so links are stable)."""
    query = {
        "date": state.date.isoformat(),
        "layers": ",".join(state.layers),
        "status": ",".join(state.statuses),
        "lat": f"{state.lat:.5f}",
        "lon": f"{state.lon:.5f}",
        "z": str(state.zoom),
    }
    if state.window_days != LOOKBACK_DAYS_DEFAULT:
        query["window"] = str(state.window_days)
    if state.feature:
        query["feature"] = state.feature
    if state.compare:
        query["compare"] = state.compare.isoformat()
    if state.embed:
        query["mode"] = "embed"
    if state.story_step is not None:
        query["story_step"] = str(state.story_step)
    return query


def permalink(page_url: str | None, query: Mapping[str, str]) -> str:
    """The full link that reopens ``query`` on the page at ``page_url`` (its own query dropped)."""
    base = (page_url or "").split("?", 1)[0].split("#", 1)[0] or "/"
    return f"{base}?{urlencode(query)}"


@dataclass(frozen=True)
class MapReport:
    """What the map frame reported back: its view, visible box and last clicked feature id."""

    view: tuple[float, float, int] | None = None
    bbox: tuple[float, float, float, float] | None = None
    feature: str | None = None


def read_map_report(returned: Mapping[str, object] | None) -> MapReport:
    """Parse streamlit-folium's returned dict (untrusted browser data) into a ``MapReport``.

    The clicked feature is the ``id`` property of the GeoJSON feature the map reports as clicked
    (``last_active_drawing``, set with ``last_object_clicked`` by a click on a drawn feature; every
    drawn feature carries its ``id`` in its properties). Anything malformed is ignored.
    """
    if not returned:
        return MapReport()
    view = bbox = feature = None
    center, zoom = returned.get("center"), returned.get("zoom")
    try:
        if isinstance(center, Mapping) and zoom is not None:
            view = (float(center["lat"]), float(center["lng"]), int(zoom))  # type: ignore[call-overload]  # the map reports untyped JSON; float()/int() refuse bad values
        bounds = returned.get("bounds")
        if isinstance(bounds, Mapping):
            sw, ne = bounds.get("_southWest") or {}, bounds.get("_northEast") or {}
            if sw.get("lng") is not None and ne.get("lat") is not None:
                bbox = (float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"]))
    except (KeyError, TypeError, ValueError):
        view = bbox = None
    drawing = returned.get("last_active_drawing")
    if returned.get("last_object_clicked") and isinstance(drawing, Mapping):
        props = drawing.get("properties")
        value = props.get("id") if isinstance(props, Mapping) else None
        if isinstance(value, str) and _FEATURE_ID.fullmatch(value):
            feature = value
    return MapReport(view=view, bbox=bbox, feature=feature)
