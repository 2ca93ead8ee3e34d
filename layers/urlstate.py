"""The URL contract (DESIGN.md): parse query parameters into a view, and back.

Opening a URL reproduces the view; an unknown or malformed value produces one notice naming the
parameter and falls back to its default, so a broken link never breaks the page.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Final
from urllib.parse import urlencode

from geo.schema import STATUSES
from geo.timeline import LOOKBACK_DAYS_DEFAULT
from layers import REGISTRY, layer_ids
from layers.mapview import DEFAULT_CENTER, DEFAULT_ZOOM, MAX_ZOOM, MIN_ZOOM

FIRST_DAY: Final = dt.date(2021, 1, 1)
KNOWN: Final = frozenset(
    {"date", "layers", "status", "lat", "lon", "z", "feature", "compare", "mode", "window"}
)
_MAX_PARAM: Final = 400
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
        raise ValueError(f"unknown {what} {', '.join(map(repr, unknown))[:120]}")
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
    parsers = {
        "date": lambda t: {"date": _date(t, today=today)},
        "compare": lambda t: {"compare": _date(t, today=today)},
        "layers": lambda t: {"layers": _ids(t, layer_ids(), "layer")},
        "status": lambda t: {"statuses": _ids(t, STATUSES, "status")},
        "lat": lambda t: {"lat": _number(t, 30.0, 47.0)},
        "lon": lambda t: {"lon": _number(t, 55.0, 85.0)},
        "z": lambda t: {"zoom": int(_number(t, MIN_ZOOM, MAX_ZOOM))},
        "window": lambda t: {"window_days": int(_number(t, 1, 3650))},
        "feature": lambda t: {"feature": _feature(t)},
        "mode": lambda t: {"embed": _mode(t)},
    }
    for key, raw in params.items():
        if key not in KNOWN:
            if key != "embed" and not key.startswith("embed_"):
                notices.append(f"URL parameter {key[:40]!r} is not known and was ignored.")
            continue
        text = _first(raw)
        try:
            state = replace(state, **parsers[key](text))
        except (ValueError, TypeError) as err:
            notices.append(
                f"URL parameter {key!r} = {text[:60]!r} was ignored ({err}); using the default."
            )
    return state, notices


def _feature(text: str) -> str:
    feature_id = text.lower()
    if not _FEATURE_ID.fullmatch(feature_id):
        raise ValueError("must be a feature id (letters, digits, hyphens)")
    return feature_id


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

    The clicked feature comes from the popup's "Id" row; anything malformed is ignored.
    """
    if not returned:
        return MapReport()
    view = bbox = feature = None
    center, zoom = returned.get("center"), returned.get("zoom")
    try:
        if isinstance(center, Mapping) and zoom is not None:
            view = (float(center["lat"]), float(center["lng"]), int(zoom))  # type: ignore[call-overload]
        bounds = returned.get("bounds")
        if isinstance(bounds, Mapping):
            sw, ne = bounds.get("_southWest") or {}, bounds.get("_northEast") or {}
            if sw.get("lng") is not None and ne.get("lat") is not None:
                bbox = (float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"]))
    except (KeyError, TypeError, ValueError):
        view = bbox = None
    popup = returned.get("last_object_clicked_popup")
    for line in popup.splitlines() if isinstance(popup, str) else []:
        key, _, value = line.partition("\t")
        if key.strip() == "Id" and _FEATURE_ID.fullmatch(value.strip()):
            feature = value.strip()
    return MapReport(view=view, bbox=bbox, feature=feature)
