"""Frontier Atlas: the Streamlit page, read top to bottom: state → the controls' view → data → map
→ controls drawn → panels (the map reaches the browser before the sidebar's widgets, and a
session's first run sends no panels: they follow with the map's first view report).

Plumbing only: the parts live in ``ui/`` (state, caches, panels, the map seam) and ``layers/``.
"""

from __future__ import annotations

import datetime as dt

import folium
import streamlit as st

from layers import ViewOptions
from layers import changes as change_layer
from layers.base import RemoteGeoJson
from layers.mapview import EMBED_PAGE_CSS, base_map, hidden_classes, pending_groups
from ui import cache, controls, state
from ui.compare_panel import compare_panel
from ui.download_panel import download_panel
from ui.export_panel import export_panel
from ui.lately_panel import lately_panel
from ui.map_seam import show_map
from ui.messages import show_notices, show_problems
from ui.overlay_panel import overlay_groups
from ui.progress_panel import freshness_line, progress_chart_panel, progress_headline
from ui.story_panel import presentation_bar, story_panel

st.set_page_config(page_title="Frontier Atlas", page_icon="🗺️", layout="wide")
TODAY = dt.date.today()

# --- state: the URL's view, once per session ------------------------------------------------
initial = state.initial_state(today=TODAY)
embed = initial.embed
panels = not embed and not state.first_run()  # the first run: map, controls and headline only

# --- controls: their view is read first, they are drawn after the map (the map goes out first)
view = initial if embed else controls.current_view(initial)
controls_box = None if embed else st.sidebar.container()  # keeps them atop the sidebar
show_notices(state.notices())
options = ViewOptions(
    statuses=frozenset(view.statuses),
    window_days=view.window_days,
    show_stale=embed or controls.show_stale(),
)

# --- data -----------------------------------------------------------------------------------
frames, problems = cache.frames()  # full resolution: figures and exports
map_frames = cache.map_frames()  # simplified: drawing
show_problems(problems, limit=12)
milestones, milestone_problems = cache.milestones()
show_problems(milestone_problems, limit=5, what="data/milestones.json")
headline = st.container()  # filled after the map: the map is sent to the browser first

# --- map ------------------------------------------------------------------------------------
extra: list[tuple[str, folium.FeatureGroup]] = []  # (unique id, group): drawn below the layers
changes = change_layer.compute(frames, before=view.compare, after=view.date) if view.compare else []
if view.compare:
    extra.append(("changes", change_layer.build(map_frames, changes)))
if panels:
    extra += [("overlay", group) for group in overlay_groups()]
published = cache.published_base(today=TODAY)
fmap = base_map(
    map_frames.get("base"),
    base_element=RemoteGeoJson(*published, minimap=not embed) if published else None,
    center=(initial.lat, initial.lon),
    zoom=initial.zoom,
    compact_legend=embed,
    fill_viewport=embed,
    search=cache.search_index(),
    defer_tools=True,  # measure, readout and search load after the first paint
)
groups = pending_groups(  # each built only when its cache key is new
    map_frames,
    visible=view.layers,
    as_of=view.date,
    view=options,
    selected=state.selected_feature(),
    cache_tag=cache.data_tag(),
    labels_of=cache.labels_of(map_frames),
    every_status=True,  # a status switch hides its segments in the browser: nothing is rebuilt
)
if not embed:
    presentation_bar()
returned = show_map(
    fmap,
    [*extra, *groups],
    key="fa_map",
    height=600 if embed else 680,
    returned_objects=("center", "zoom", "bounds", "last_object_clicked", "last_active_drawing"),
    hide=hidden_classes(options, visible=view.layers),
    **state.map_target(),
)
state.remember_map_report(returned)
query = state.sync_url(view)
if controls_box is not None:
    controls.sidebar(controls_box, today=TODAY)

# --- panels ---------------------------------------------------------------------------------
if not embed:
    with headline:
        progress_headline(frames["borders"], milestones, day=view.date)
        freshness_line(day=view.date)
if embed:
    st.html(EMBED_PAGE_CSS)
elif panels:
    download_panel(frames, view, options, query=query)
    export_panel(frames, view, options)
    compare_panel(changes, frames, view)
    lately_panel(frames, view)
    story_panel(frames)
    progress_chart_panel(today=TODAY)
    st.caption(
        f"As of {view.date.isoformat()}. © OpenStreetMap contributors (ODbL). "
        "Boundaries shown are not authoritative."
    )
