"""The sidebar controls: date (slider, exact date, key dates), compare date, layers, statuses."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import partial

import streamlit as st

from geo.schema import STATUSES
from geo.timeline import PRESETS
from layers import REGISTRY
from layers.styles import STATUS_STYLE
from layers.urlstate import FIRST_DAY, WINDOW_MAX_DAYS, WINDOW_MIN_DAYS, ViewState


def _from_slider() -> None:
    st.session_state.fa_date = st.session_state.fa_date_slider


def _from_input() -> None:
    st.session_state.fa_date_slider = st.session_state.fa_date


def _jump(today: dt.date) -> None:
    day = dict(PRESETS).get(st.session_state.fa_preset) or today
    st.session_state.fa_date = st.session_state.fa_date_slider = min(day, today)


def sidebar(initial: ViewState, *, today: dt.date) -> ViewState:
    """Draw the controls; the view they describe (pan/zoom/feature as last reported)."""
    side = st.sidebar
    side.title("Frontier Atlas")
    side.slider(
        "As of date",
        FIRST_DAY,
        today,
        key="fa_date_slider",
        on_change=_from_slider,
        format="YYYY-MM-DD",
    )
    side.date_input(
        "Exact date", key="fa_date", min_value=FIRST_DAY, max_value=today, on_change=_from_input
    )
    side.selectbox(
        "Jump to",
        [label for label, _ in PRESETS],
        index=None,
        key="fa_preset",
        on_change=partial(_jump, today),
        placeholder="a key date…",
    )
    compare_on = side.toggle("Compare with another date", key="fa_compare_on")
    compare = (
        side.date_input("Compare with", key="fa_compare", min_value=FIRST_DAY, max_value=today)
        if compare_on
        else None
    )
    side.subheader("Layers")
    layers = tuple(
        layer_id
        for layer_id, spec in REGISTRY.items()
        if side.checkbox(spec.label, key=f"fa_layer_{layer_id}")
    )
    side.subheader("Border status")
    statuses = tuple(
        s for s in STATUSES if side.checkbox(STATUS_STYLE[s].label, key=f"fa_status_{s}")
    )
    window = side.slider(
        "Events: look back (days)", WINDOW_MIN_DAYS, WINDOW_MAX_DAYS, key="fa_window"
    )
    lat, lon, zoom = st.session_state.fa_view
    return replace(
        initial,
        date=st.session_state.fa_date,
        compare=compare,
        layers=layers,
        statuses=statuses,
        window_days=window,
        lat=lat,
        lon=lon,
        zoom=zoom,
        feature=st.session_state.fa_feature,
    )


def stale_switch() -> bool:
    """Whether features unconfirmed for over a year are drawn (faded) or hidden."""
    return bool(
        st.sidebar.toggle("Show features unconfirmed for over a year", True, key="fa_stale")
    )
