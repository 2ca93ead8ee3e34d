"""Frontier Atlas: the Streamlit page. Thin on purpose: read URL state, draw controls, call layers/."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo.catalog import DATA_DIR, concat_frames, content_hash, load_frame
from geo.schema import STATUSES
from layers import REGISTRY
from layers._draw import ViewOptions
from layers.assets import localize
from layers.mapview import base_map, dynamic_groups
from layers.styles import STATUS_STYLE
from layers.urlstate import FIRST_DAY, ViewState, parse_query, to_query

st.set_page_config(page_title="Frontier Atlas", page_icon="🗺️", layout="wide")


@st.cache_data(show_spinner=False, max_entries=64)
def _load(path: str, digest: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    """One layer file as a frame plus its problems; keyed by content, so edits are picked up."""
    frame, report = load_frame(Path(path))
    return frame, report.lines()


def _layer_frames() -> tuple[dict[str, gpd.GeoDataFrame], list[str]]:
    frames: dict[str, gpd.GeoDataFrame] = {}
    problems: list[str] = []
    for layer_id, spec in REGISTRY.items():
        parts = []
        for name in spec.files:
            path = DATA_DIR / name
            frame, lines = _load(str(path), content_hash(path))
            problems += lines
            parts.append(frame)
        frames[layer_id] = concat_frames(parts)
    return frames, problems


def _initial_state() -> ViewState:
    """The URL's view, parsed once per session; later reruns keep the widgets' values."""
    if "fa_state" not in st.session_state:
        state, notices = parse_query(st.query_params.to_dict())
        st.session_state.fa_state = state
        st.session_state.fa_notices = notices
        st.session_state.fa_date = state.date
        for layer_id in REGISTRY:
            st.session_state[f"fa_layer_{layer_id}"] = layer_id in state.layers
        for status in STATUSES:
            st.session_state[f"fa_status_{status}"] = status in state.statuses
        st.session_state.fa_window = state.window_days
    return st.session_state.fa_state


def _controls(initial: ViewState) -> ViewState:
    """Sidebar controls; returns the view they describe."""
    side = st.sidebar
    side.title("Frontier Atlas")
    day = side.date_input(
        "As of date", key="fa_date", min_value=FIRST_DAY, max_value=dt.date.today()
    )
    side.subheader("Layers")
    layers = tuple(
        layer_id
        for layer_id, spec in REGISTRY.items()
        if side.checkbox(spec.label, key=f"fa_layer_{layer_id}")
    )
    side.subheader("Border status")
    statuses = tuple(
        status
        for status in STATUSES
        if side.checkbox(STATUS_STYLE[status].label, key=f"fa_status_{status}")
    )
    window = side.slider("Events look back (days)", 7, 730, key="fa_window")
    return replace(initial, date=day, layers=layers, statuses=statuses, window_days=window)


initial = _initial_state()
for notice in st.session_state.fa_notices:
    st.warning(notice)
view = _controls(initial) if not initial.embed else initial
frames, problems = _layer_frames()
for line in problems[:20]:
    st.error(line)

fmap = localize(
    base_map(
        frames.get("base"),
        center=(initial.lat, initial.lon),
        zoom=initial.zoom,
        compact_legend=initial.embed,
    )
)
groups = dynamic_groups(
    frames,
    visible=view.layers,
    as_of=view.date,
    view=ViewOptions(statuses=frozenset(view.statuses), window_days=view.window_days),
)
st_folium(
    fmap,
    feature_group_to_add=groups,
    key="fa_map",
    height=720 if not initial.embed else 600,
    use_container_width=True,
    returned_objects=[],
)
st.query_params.from_dict({**to_query(view), **({"mode": "embed"} if initial.embed else {})})
st.caption(
    f"As of {view.date.isoformat()}. © OpenStreetMap contributors (ODbL). "
    "Boundaries shown are not authoritative."
)
