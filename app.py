"""Frontier Atlas: the Streamlit page, read top to bottom: state → the controls' view → data →
the map region → the other controls → panels. The map reaches the browser before the sidebar's
other widgets and the panels.

The map region (``ui.map_region``: map, layer and status switches, link and downloads) is a
fragment: a switch or a pan reruns only the region; the date and window controls rerun the page.

Plumbing only: the parts live in ``ui/`` (state, caches, panels, the map region) and ``layers/``.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from layers import changes as change_layer
from layers.mapview import EMBED_PAGE_CSS
from ui import cache, controls, state
from ui.compare_panel import compare_panel
from ui.export_panel import export_panel
from ui.lately_panel import lately_panel
from ui.map_region import Region, map_region
from ui.messages import show_notices, show_problems
from ui.progress_panel import freshness_line, progress_chart_panel, progress_headline
from ui.story_panel import presentation_bar, story_panel

st.set_page_config(page_title="Frontier Atlas", page_icon="🗺️", layout="wide")
TODAY = dt.date.today()

# --- state: the URL's view, once per session ------------------------------------------------
initial = state.initial_state(today=TODAY)
embed = initial.embed

# --- controls: their view is read first; the sidebar's parts are drawn after the map --------
view = initial if embed else controls.current_view(initial)
# the sidebar's parts, in order: date, switches, window, then upload, link and downloads
date_box, switches_box, window_box, panels_box = (
    (None, None, None, None) if embed else (st.sidebar.container() for _ in range(4))
)
show_notices(state.notices())
options = controls.view_options(view, embed=embed)

# --- data -----------------------------------------------------------------------------------
frames, problems = cache.frames()  # full resolution: figures and exports
map_frames = cache.map_frames()  # simplified: drawing
show_problems(problems, limit=12)
milestones, milestone_problems = cache.milestones()
show_problems(milestone_problems, limit=5, what="data/milestones.json")
headline = st.container()  # filled after the map: the map is sent to the browser first
changes = change_layer.compute(frames, before=view.compare, after=view.date) if view.compare else []

# --- map: the region reruns alone when a switch moves or the map reports ---------------------
if not embed:
    presentation_bar()
map_region(
    Region(
        initial=initial,
        embed=embed,
        frames=frames,
        map_frames=map_frames,
        changes=changes,
        today=TODAY,
        panels_box=panels_box,
    )
)
if date_box is not None and switches_box is not None and window_box is not None:
    controls.date_controls(date_box, today=TODAY)
    controls.switches(switches_box)
    controls.window_controls(window_box)

# --- panels ---------------------------------------------------------------------------------
if not embed:
    with headline:
        progress_headline(frames["borders"], milestones, day=view.date)
        freshness_line(day=view.date)
if embed:
    st.html(EMBED_PAGE_CSS)
else:
    export_panel(frames, view, options)
    compare_panel(changes, frames, view)
    lately_panel(frames, view)
    story_panel(frames)
    progress_chart_panel(today=TODAY)
    st.caption(
        f"As of {view.date.isoformat()}. © OpenStreetMap contributors (ODbL). "
        "Boundaries shown are not authoritative."
    )
