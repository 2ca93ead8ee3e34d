"""The delimitation progress of the focus border: a headline above the map, a chart on demand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

import geopandas as gpd
import streamlit as st

from geo.progress import segments_from_frame, stats
from layers.progress_chart import headline
from ui import cache

FOCUS_BORDER: Final = "KGZ-TJK"


def progress_headline(
    borders: gpd.GeoDataFrame, milestones: Sequence[Mapping[str, Any]], *, day: dt.date
) -> None:
    """'X of Y km delimited on <day>' with the latest reported figure (nothing without segments)."""
    segments = segments_from_frame(borders)
    if segments:
        st.markdown(headline(stats(segments, milestones, day, border=FOCUS_BORDER)))


def progress_chart_panel(*, today: dt.date) -> None:
    """A toggle that draws the progress chart (the chart library is a large first download)."""
    if st.toggle("Show the delimitation progress chart (Kyrgyz–Tajik border)", key="fa_chart"):
        st.vega_lite_chart(cache.progress_spec(border=FOCUS_BORDER, today=today), width="stretch")


def freshness_line(*, day: dt.date) -> None:
    """How many lasting features on ``day`` have no source in the year before it (drawn faded)."""
    line = cache.stale_line_on(day)
    if line:
        st.caption(line)
