"""The compare mode's table: what changed between the two dates, with sources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import streamlit as st

from geo.timeline import Change
from layers import changes as change_layer
from layers.urlstate import ViewState


def compare_panel(
    changes: Sequence[Change], frames: Mapping[str, gpd.GeoDataFrame], view: ViewState
) -> None:
    """The change table under the map (only in compare mode)."""
    if view.compare:
        st.subheader(f"Changes from {view.compare} to {view.date}")
        st.dataframe(change_layer.table(changes, frames), hide_index=True, width="stretch")
