"""Date selection shared by layer modules: lasting features by validity, episodic ones by window."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd

from geo.timeline import age_in_window, fade, holds_on, status_on
from layers._draw import ViewOptions


def lasting(frame: gpd.GeoDataFrame, *, as_of: dt.date) -> gpd.GeoDataFrame:
    """Rows valid on ``as_of`` (``valid_from <= as_of < valid_to``), fully opaque."""
    keep = [holds_on(props, as_of) for props in frame.to_dict("records")]
    return frame[keep].assign(_opacity=1.0)


def episodic(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> gpd.GeoDataFrame:
    """Rows overlapping the look-back window ending on ``as_of``, fainter with age."""
    ages = [
        age_in_window(props, as_of, window_days=view.window_days)
        for props in frame.to_dict("records")
    ]
    keep = [age is not None for age in ages]
    opacity = [fade(age, window_days=view.window_days) for age in ages if age is not None]
    return frame[keep].assign(_opacity=opacity, _age=[a for a in ages if a is not None])


def with_status(frame: gpd.GeoDataFrame, *, as_of: dt.date) -> gpd.GeoDataFrame:
    """Lasting rows with their ``status_history`` status on ``as_of`` in ``_status``."""
    rows = lasting(frame, as_of=as_of)
    statuses = [status_on(props["status_history"], as_of) for props in rows.to_dict("records")]
    return rows.assign(_status=statuses)[[s is not None for s in statuses]]
