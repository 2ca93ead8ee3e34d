"""What happened lately: the events and exercises of the look-back window, newest first.

The list under the map. It holds exactly what the map draws for the episodic layers on the date
(``geo.timeline.age_in_window``, the same window the layers use), so choosing a row can pan the map
to ``lon``/``lat`` and open that feature's popup by its ``id`` (the ``feature=`` mechanism).

Text fields are the data's own text, not escaped: show them as plain text (a table cell) or pass
them through ``layers._html`` (``safe_text``/``safe_markdown``) — never as markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import geopandas as gpd

from geo.timeline import LOOKBACK_DAYS_DEFAULT, age_in_window, as_date
from layers import episodic_layers


@dataclass(frozen=True)
class LatelyRow:
    """One event or exercise in the window, with its first source and where to pan."""

    date: dt.date
    layer: str
    kind: str
    place: str
    fatalities: int | None
    confidence: str
    source_title: str | None
    source_publisher: str | None
    source_date: str | None
    id: str
    lon: float
    lat: float
    days_ago: int

    @property
    def source(self) -> str:
        """'Publisher: title (date)' of the first source, or '' when there is none."""
        if not self.source_title:
            return ""
        return f"{self.source_publisher}: {self.source_title} ({self.source_date or 'n.d.'})"

    def as_record(self) -> dict[str, Any]:
        """A plain dict (date as ISO text) for a table."""
        out = asdict(self)
        out["date"] = self.date.isoformat()
        out["source"] = self.source
        return out


def _row(layer: str, props: Mapping[str, Any], geom: Any, days_ago: int) -> LatelyRow:
    first = (props.get("sources") or [{}])[0]
    spot = geom if geom.geom_type == "Point" else geom.representative_point()
    fatalities = props.get("fatalities") if layer == "events" else None
    return LatelyRow(
        date=as_date(props["valid_from"]),
        layer=layer,
        kind=str(props["kind"]) if layer == "events" else "exercise",
        place=str(props["name"]),
        fatalities=None if fatalities is None else int(fatalities),
        confidence=str(props["confidence"]),
        source_title=first.get("title"),
        source_publisher=first.get("publisher"),
        source_date=None if first.get("date") is None else str(first["date"]),
        id=str(props["id"]),
        lon=round(float(spot.x), 6),
        lat=round(float(spot.y), 6),
        days_ago=days_ago,
    )


def lately(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    as_of: dt.date,
    window_days: int = LOOKBACK_DAYS_DEFAULT,
) -> list[LatelyRow]:
    """Events and exercises overlapping ``(as_of - window_days, as_of]``, newest start first."""
    rows = []
    order = sorted(episodic_layers())  # the registry's episodic rows; ties by layer id
    for layer in order:
        frame = frames.get(layer)
        if frame is None or frame.empty:
            continue
        for props, geom in zip(frame.to_dict("records"), frame.geometry, strict=True):
            age = age_in_window(props, as_of, window_days=window_days)
            if age is not None and geom is not None and not geom.is_empty:
                rows.append(_row(layer, props, geom, age))
    rows.sort(key=lambda r: r.id)
    rows.sort(key=lambda r: order.index(r.layer))
    rows.sort(key=lambda r: r.date, reverse=True)
    return rows
