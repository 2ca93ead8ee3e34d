"""Session state and URL sync: the URL's view read once per session, kept current, written back.

Widgets own their values in ``st.session_state`` (keys ``fa_*``); the map's pan/zoom and clicked
feature are stored here for the permalink and never fed back to the map (that would remount it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import streamlit as st

from geo.schema import STATUSES
from layers import REGISTRY
from layers.urlstate import FIRST_DAY, ViewState, parse_query, read_map_report, to_query


def initial_state(*, today: dt.date) -> ViewState:
    """The URL's view, parsed once per session; later reruns keep the widgets' values."""
    if "fa_state" not in st.session_state:
        parsed, notices = parse_query(st.query_params.to_dict(), today=today)
        st.session_state.update(
            fa_state=parsed,
            fa_notices=notices,
            fa_date=parsed.date,
            fa_date_slider=parsed.date,
            fa_window=parsed.window_days,
            fa_compare_on=parsed.compare is not None,
            fa_compare=parsed.compare or FIRST_DAY,
            fa_view=(parsed.lat, parsed.lon, parsed.zoom),
            fa_feature=parsed.feature,
        )
        for layer_id in REGISTRY:
            st.session_state[f"fa_layer_{layer_id}"] = layer_id in parsed.layers
        for status in STATUSES:
            st.session_state[f"fa_status_{status}"] = status in parsed.statuses
    state: ViewState = st.session_state.fa_state
    return state


def notices() -> list[str]:
    """One sentence per URL value that fell back to its default."""
    return list(st.session_state.fa_notices)


def remember_map_report(returned: dict[str, Any] | None) -> None:
    """Keep the map's reported view, visible box and clicked feature for links and exports."""
    report = read_map_report(returned)
    if report.view:
        st.session_state.fa_view = report.view
    if report.bbox:
        st.session_state.fa_bbox = report.bbox
    if report.feature:
        st.session_state.fa_feature = report.feature


def visible_bbox() -> tuple[float, float, float, float] | None:
    """The map's last reported visible box (lon/lat), if it reported one."""
    bbox: tuple[float, float, float, float] | None = st.session_state.get("fa_bbox")
    return bbox


def sync_url(view: ViewState) -> dict[str, str]:
    """Write the current view (with the map's own pan/zoom and feature) to the URL; the query."""
    lat, lon, zoom = st.session_state.fa_view
    query = to_query(
        replace(view, lat=lat, lon=lon, zoom=zoom, feature=st.session_state.fa_feature)
    )
    st.query_params.from_dict(query)
    return query
