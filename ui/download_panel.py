"""The sharing panel: this view's permalink and its data as GeoJSON."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import geopandas as gpd
import streamlit as st

from layers import ViewOptions
from layers.download import MEDIA_TYPE, file_name, view_geojson
from layers.urlstate import ViewState, permalink


def download_panel(
    frames: Mapping[str, gpd.GeoDataFrame],
    view: ViewState,
    options: ViewOptions,
    *,
    query: Mapping[str, str],
) -> None:
    """Sidebar: the link that reopens this view, and the visible features as a download."""
    st.sidebar.caption("Link to this view (copy with the button)")
    st.sidebar.code(permalink(st.context.url, query), language=None, wrap_lines=True)
    st.sidebar.download_button(
        "Download this view's data (GeoJSON)",
        partial(view_geojson, frames, as_of=view.date, layers=view.layers, view=options),
        file_name=file_name(view.date),
        mime=MEDIA_TYPE,
        key="fa_view_dl",
    )
