"""The map region: the map, the overlay upload, and the link and downloads that name its view, as
one Streamlit fragment.

The map's own report of a pan, zoom or click (or an upload) reruns only this region: the panels
under the map and in the sidebar, which depend on the date, the window or nothing the region
changes, are not sent or drawn again (bench/README.md measures what that saves). Everything the
region reads that only a whole-page run can change (date, compare date, window, stale switch, a
story step's view) is read from the session on every run, so a region rerun never draws a stale
map. The controls stay outside: a date, window or layer/status switch reruns the page (a switch
repaints the map in the browser first, see ``ui.controls.switch_effects``). The switches were
inside once; under load the browser then sometimes forgot their values and showed them unticked
while their layers were drawn.

The region never asks for a whole-page run itself (``st.rerun`` from a fragment's run): that can
make the browser forget the values of the fragment's widgets, and under load the switches came
back unticked while their layers were drawn. So a session's first run draws the panels too.

A map report that reaches the server during a whole-page run queues a region run behind it; when
that run starts before the page run's map element has been sent, Streamlit drops the element but
keeps the page run's "finished", and the browser replaces the map with a new frame. The new frame
opens at the user's view (``layers.mapview.base_map(keep_view=True)``); docs/DESIGN.md has more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import folium
import geopandas as gpd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo.timeline import Change
from layers import changes as change_layer
from layers.base import RemoteGeoJson
from layers.mapview import (
    base_map,
    drawing_era,
    hidden_classes,
    pending_groups,
    switched_off,
)
from layers.urlstate import ViewState
from ui import cache, controls, state
from ui.download_panel import download_panel
from ui.map_seam import FIRST_HEAD_START_S, HEAD_START_S, sent_before, show_map
from ui.overlay_panel import overlay_groups


@dataclass(frozen=True)
class Region:
    """What a whole-page run hands the map region; the region's own reruns reuse it, so it
    holds only what a whole-page run alone can change (``changes`` follows the date and the
    compare date). The sidebar containers are made by the page, in the sidebar's order, before
    the region writes into them: the switches, then the overlay upload, link and downloads
    (none in embed mode, which has neither)."""

    initial: ViewState
    embed: bool
    frames: Mapping[str, gpd.GeoDataFrame]
    map_frames: dict[str, gpd.GeoDataFrame]
    changes: Sequence[Change]
    today: dt.date
    panels_box: DeltaGenerator | None = None


@st.fragment
def map_region(region: Region) -> None:
    """The region; Streamlit reruns it alone, with the ``Region`` of the last whole-page run."""
    embed = region.embed
    view = region.initial if embed else controls.current_view(region.initial)
    options = controls.view_options(view, embed=embed)
    map_frames = region.map_frames
    extra: list[tuple[str, folium.FeatureGroup]] = []  # (unique id, group): below the layers
    if view.compare:
        extra.append(("changes", change_layer.build(map_frames, region.changes)))
    if region.panels_box is not None:
        extra += [("overlay", group) for group in overlay_groups(region.panels_box)]
    published = cache.published_base(today=region.today)
    fmap = base_map(
        map_frames.get("base"),
        base_element=RemoteGeoJson(*published, minimap=not embed) if published else None,
        center=(region.initial.lat, region.initial.lon),
        zoom=region.initial.zoom,
        compact_legend=embed,
        fill_viewport=embed,
        search=cache.search_index(),
        defer_tools=True,  # measure, readout and search load after the first paint
        keep_view=True,  # a new map frame opens at the user's view, not at ``region.initial``
    )
    data_tag = cache.data_tag()
    drawing = partial(  # each group built only when its cache key is new
        pending_groups,
        map_frames,
        as_of=view.date,
        view=options,
        cache_tag=data_tag,
        labels_of=cache.labels_of(map_frames),
        every_status=True,  # a status switch hides its segments in the browser: no rebuild
    )
    groups = drawing(visible=view.layers, selected=state.selected_feature())
    off = frozenset() if embed else switched_off(sent_before(), visible=view.layers)
    spares = drawing(visible=off, basemap_switch=False)  # ready for a switch turning them on
    returned = show_map(
        fmap,
        [*extra, *groups],
        key="fa_map",
        height=600 if embed else 680,
        returned_objects=("center", "zoom", "bounds", "last_object_clicked", "last_active_drawing"),
        hide=hidden_classes(options, visible=(*view.layers, *off)),
        switches=None
        if embed  # no switches
        else controls.switch_effects(
            era=drawing_era(cache_tag=data_tag, as_of=view.date, view=options)
        ),
        spares=spares,
        as_of=view.date,
        # embed mode has nothing after the map but its page style: no reason to hold that back
        first_head_start_s=HEAD_START_S if embed else FIRST_HEAD_START_S,
        **state.map_target(),
    )
    state.remember_map_report(returned)
    query = state.sync_url(view)
    if region.panels_box is not None:
        download_panel(region.frames, view, options, query=query, where=region.panels_box)
