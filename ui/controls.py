"""The sidebar controls: date (slider, exact date, key dates), compare date, layers, statuses,
look-back window and the unconfirmed-features switch.

Every control keeps its value in ``st.session_state`` under its ``fa_*`` key (set from the URL
when a session starts, see ``ui.state.initial_state``; callbacks run before the script), so
``current_view`` knows the view before the controls are drawn: the page sends the map to the
browser first and draws the controls after it, which puts the map's frame on screen sooner
(bench/README.md). The page draws them in three parts, each into its own sidebar container:
``date_controls`` and ``window_controls`` from the page, ``switches`` from the map region
(``ui.map_region``); ``sidebar`` draws all three into one (the bench's controls page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import partial

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo.schema import STATUSES
from geo.timeline import PRESETS
from layers import REGISTRY, STATIC_LAYER, ViewOptions
from layers.layer_manager import SwitchEffects
from layers.mapview import group_order, layer_group_ids, status_classes, status_layers
from layers.styles import STATUS_STYLE
from layers.urlstate import FIRST_DAY, WINDOW_MAX_DAYS, WINDOW_MIN_DAYS, ViewState


def _from_slider() -> None:
    st.session_state.fa_date = st.session_state.fa_date_slider


def _from_input() -> None:
    st.session_state.fa_date_slider = st.session_state.fa_date


def _jump(today: dt.date) -> None:
    day = dict(PRESETS).get(st.session_state.fa_preset) or today
    st.session_state.fa_date = st.session_state.fa_date_slider = min(day, today)


def current_view(initial: ViewState) -> ViewState:
    """The view the controls describe (pan/zoom/feature as last reported), from their keys."""
    state = st.session_state
    lat, lon, zoom = state.fa_view
    return replace(
        initial,
        date=state.fa_date,
        compare=state.fa_compare if state.get("fa_compare_on") else None,
        layers=tuple(i for i in REGISTRY if state.get(f"fa_layer_{i}")),
        statuses=tuple(s for s in STATUSES if state.get(f"fa_status_{s}")),
        window_days=state.fa_window,
        lat=lat,
        lon=lon,
        zoom=zoom,
        feature=state.fa_feature,
    )


def show_stale() -> bool:
    """Whether features unconfirmed for over a year are drawn (the switch's value; on at first)."""
    return bool(st.session_state.get("fa_stale", True))


def date_controls(where: DeltaGenerator, *, today: dt.date) -> None:
    """The title, the date (slider, exact date, key dates) and the compare date: a change reruns
    the whole page (the headline and the lists under the map follow the date)."""
    where.title("Frontier Atlas")
    where.slider(
        "As of date",
        FIRST_DAY,
        today,
        key="fa_date_slider",
        on_change=_from_slider,
        format="YYYY-MM-DD",
    )
    where.date_input(
        "Exact date", key="fa_date", min_value=FIRST_DAY, max_value=today, on_change=_from_input
    )
    where.selectbox(
        "Jump to",
        [label for label, _ in PRESETS],
        index=None,
        key="fa_preset",
        on_change=partial(_jump, today),
        placeholder="a key date…",
    )
    if where.toggle("Compare with another date", key="fa_compare_on"):
        where.date_input("Compare with", key="fa_compare", min_value=FIRST_DAY, max_value=today)


def switches(where: DeltaGenerator) -> None:
    """The layer and border-status switches: drawn by the map region (``ui.map_region``), so a
    switch reruns only that region."""
    where.subheader("Layers")
    for layer_id, spec in REGISTRY.items():
        where.checkbox(spec.label, key=f"fa_layer_{layer_id}")
    where.subheader("Border status")
    for status in STATUSES:
        where.checkbox(STATUS_STYLE[status].label, key=f"fa_status_{status}")


KEY_CLASS_PREFIX = "st-key-"
"""Streamlit gives the element of a widget with a ``key`` the CSS class ``st-key-<key>``: how the
map frame finds which switch was clicked."""


def switch_effects(*, era: str) -> SwitchEffects:
    """What each layer and status switch does in the map frame the moment it is clicked, before
    the region's rerun confirms it (``layers.layer_manager.SwitchEffects``). The basemap switch
    is left to the rerun: the static basemap is not one of the manager's groups."""
    return SwitchEffects(
        groups={
            f"{KEY_CLASS_PREFIX}fa_layer_{layer_id}": layer_group_ids(layer_id)
            for layer_id in REGISTRY
            if layer_id != STATIC_LAYER
        },
        classes={f"{KEY_CLASS_PREFIX}fa_status_{s}": status_classes(s) for s in STATUSES},
        class_groups=status_layers(),
        order=group_order(),
        era=era,
    )


def window_controls(where: DeltaGenerator) -> None:
    """The events' look-back and the unconfirmed-features switch (the lists under the map and
    the freshness line follow them: a change reruns the whole page)."""
    where.slider("Events: look back (days)", WINDOW_MIN_DAYS, WINDOW_MAX_DAYS, key="fa_window")
    where.toggle("Show features unconfirmed for over a year", True, key="fa_stale")


def view_options(view: ViewState, *, embed: bool) -> ViewOptions:
    """What the user chose besides the date and layers: statuses, look-back, stale features."""
    return ViewOptions(
        statuses=frozenset(view.statuses),
        window_days=view.window_days,
        show_stale=embed or show_stale(),
    )


def sidebar(where: DeltaGenerator, *, today: dt.date) -> None:
    """Every control, in the sidebar's order, into one container (the page itself draws the
    switches from its map region, into a container between the other two parts)."""
    date_controls(where, today=today)
    switches(where)
    window_controls(where)
