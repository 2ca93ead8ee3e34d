"""Session state and URL sync: the URL's view read once per session, kept current, written back.

Widgets own their values in ``st.session_state`` (keys ``fa_*``); the map's pan/zoom and clicked
feature are stored here for the permalink and never fed back to the map (that would remount it).
A story step or a chosen "lately" row moves the map through ``map_target`` (streamlit-folium's
``center``/``zoom``, applied without remounting) and opens a popup through ``selected_feature``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import streamlit as st

from geo.schema import STATUSES
from layers import REGISTRY
from layers.mapview import MAX_ZOOM, MIN_ZOOM
from layers.urlstate import FIRST_DAY, ViewState, parse_query, read_map_report, to_query

MAP_PX: tuple[int, int] = (900, 620)
"""The map frame's usual size in pixels (width, height) for fitting a box: a little under the
wide page's frame, so a fitted box is seen whole."""


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
            fa_select=parsed.feature,
            fa_target=None,
            fa_story_step=None,
            fa_story_step_wanted=parsed.story_step,
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
    if report.view and report.view != st.session_state.get("fa_reported_view"):
        # only a view the map has not reported before: the same report again (a rerun before the
        # map has moved to a story step's view) must not undo ``move_map``
        st.session_state.fa_reported_view = report.view
        st.session_state.fa_view = report.view
    if report.bbox:
        st.session_state.fa_bbox = report.bbox
    if report.feature:
        st.session_state.fa_feature = report.feature


def visible_bbox() -> tuple[float, float, float, float] | None:
    """The map's last reported visible box (lon/lat), if it reported one."""
    bbox: tuple[float, float, float, float] | None = st.session_state.get("fa_bbox")
    return bbox


def fit_bbox(
    bbox: Sequence[float], *, size: tuple[int, int] = MAP_PX
) -> tuple[tuple[float, float], int]:
    """Center (lat, lon) and the largest whole zoom at which ``bbox`` (W, S, E, N) fits the frame.

    Web Mercator, as Leaflet draws: the world is ``256 * 2**zoom`` pixels wide.
    """
    west, south, east, north = (float(v) for v in bbox)

    def merc_y(lat: float) -> float:
        rad = math.radians(max(min(lat, 85.0), -85.0))
        return math.log(math.tan(math.pi / 4 + rad / 2))

    width, height = size
    span_x = max((east - west) / 360.0, 1e-9)
    span_y = max((merc_y(north) - merc_y(south)) / (2 * math.pi), 1e-9)
    zoom = math.floor(min(math.log2(width / (256 * span_x)), math.log2(height / (256 * span_y))))
    center_y = (merc_y(north) + merc_y(south)) / 2
    center_lat = math.degrees(2 * math.atan(math.exp(center_y)) - math.pi / 2)
    return (round(center_lat, 5), round((west + east) / 2, 5)), max(MIN_ZOOM, min(MAX_ZOOM, zoom))


def move_map(center: tuple[float, float], zoom: int) -> None:
    """Ask the map to show ``center`` at ``zoom`` on the next run (it pans; no remount)."""
    st.session_state.fa_target = (center, zoom)
    st.session_state.fa_view = (center[0], center[1], zoom)


def map_target() -> dict[str, Any]:
    """``center``/``zoom`` for the map seam: the last view a story step or list row asked for.

    streamlit-folium moves the map only when these change, so passing the same target on every
    run leaves the user's own panning alone.
    """
    target = st.session_state.get("fa_target")
    if not target:
        return {}
    center, zoom = target
    return {"center": center, "zoom": zoom}


def select_feature(feature_id: str) -> None:
    """Open ``feature_id``'s popup on the next run (the ``feature=`` mechanism) and link it."""
    st.session_state.fa_select = feature_id
    st.session_state.fa_feature = feature_id


def selected_feature() -> str | None:
    """The feature whose popup the map opens: the URL's, or the one last chosen from a list."""
    chosen: str | None = st.session_state.get("fa_select")
    return chosen


def sync_url(view: ViewState) -> dict[str, str]:
    """Write the current view (with the map's own pan/zoom and feature) to the URL; the query."""
    lat, lon, zoom = st.session_state.fa_view
    step = st.session_state.get("fa_story_step")  # 0-based while presenting
    wanted = st.session_state.get("fa_story_step_wanted")  # the URL's, until a story is loaded
    query = to_query(
        replace(
            view,
            lat=lat,
            lon=lon,
            zoom=zoom,
            feature=st.session_state.fa_feature,
            story_step=wanted if step is None else step + 1,
        )
    )
    st.query_params.from_dict(query)
    return query
