"""Date selection shared by layer modules: lasting features by validity, episodic ones by window."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd

from geo.freshness import LASTING_LAYERS, is_stale, last_confirmed
from geo.timeline import age_in_window, fade, holds_on, status_on
from layers._draw import ViewOptions, records


def lasting(frame: gpd.GeoDataFrame, *, as_of: dt.date) -> gpd.GeoDataFrame:
    """Rows valid on ``as_of`` (``valid_from <= as_of < valid_to``), fully opaque."""
    keep = [holds_on(props, as_of) for props in records(frame)]
    return frame[keep].assign(_opacity=1.0)


def episodic(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> gpd.GeoDataFrame:
    """Rows overlapping the look-back window ending on ``as_of``, fainter with age."""
    ages = [age_in_window(props, as_of, window_days=view.window_days) for props in records(frame)]
    keep = [age is not None for age in ages]
    opacity = [fade(age, window_days=view.window_days) for age in ages if age is not None]
    return frame[keep].assign(_opacity=opacity, _age=[a for a in ages if a is not None])


def with_status(frame: gpd.GeoDataFrame, *, as_of: dt.date) -> gpd.GeoDataFrame:
    """Lasting rows with their ``status_history`` status on ``as_of`` in ``_status``."""
    rows = lasting(frame, as_of=as_of)
    statuses = [status_on(props["status_history"], as_of) for props in records(rows)]
    return rows.assign(_status=statuses)[[s is not None for s in statuses]]


def with_freshness(
    frame: gpd.GeoDataFrame, *, as_of: dt.date, layer: str, view: ViewOptions
) -> gpd.GeoDataFrame:
    """Selected rows with ``_confirmed`` (ISO date or None) and ``_stale`` (geo.freshness on
    ``as_of``; only lasting layers can be stale); stale rows are dropped when ``view.show_stale``
    is off.  The confirmation's age is not a column: the map computes it in the browser
    (``layers._html.AGE_CLASS``), so the rows of two nearby dates are usually equal."""
    rows = records(frame)
    confirmed = [last_confirmed(props, as_of=as_of) for props in rows]
    stale = [
        layer in LASTING_LAYERS and is_stale(props, layer=layer, as_of=as_of) for props in rows
    ]
    out = frame.assign(
        _confirmed=pd.Series(
            [None if day is None else day.isoformat() for day in confirmed],
            index=frame.index,
            dtype=object,
        ),
        _stale=pd.Series(stale, index=frame.index, dtype=bool),
    )
    return out if view.show_stale else out[[not s for s in stale]]
