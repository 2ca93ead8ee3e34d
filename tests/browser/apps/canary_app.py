"""XSS canary app: hostile-named features drawn through the real layers/ code and page wiring.

An event (``tests/data/hostile/hostile_text/events.geojson``, through the registry's events layer)
and two analyst overlays (the hostile GeoJSON and KML, through ``geo.overlay`` and
``layers.overlay``) on the page's own static map frame, served offline like app.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from geo.catalog import load_frame
from geo.overlay import read_overlay
from layers import overlay
from layers._draw import ViewOptions
from layers.assets import localize
from layers.mapview import base_map, dynamic_groups

HOSTILE = Path(__file__).resolve().parents[2] / "data" / "hostile"
AS_OF = dt.date(2021, 5, 1)

events, report = load_frame(HOSTILE / "hostile_text" / "events.geojson")
if not report.ok or len(events) != 1:
    st.error("the hostile events fixture did not validate")
uploads = [
    read_overlay((HOSTILE / name).read_bytes(), filename=name)
    for name in ("hostile_text.geojson", "hostile_text.kml")
]
groups = dynamic_groups(
    {"events": events},
    visible=["events"],
    as_of=AS_OF,
    view=ViewOptions(),
    extra=[overlay.build(upload.features, name=upload.file) for upload in uploads],
)

fmap = localize(
    base_map(None, center=(39.75, 70.6), zoom=9, compact_legend=True)
)  # legend clear of the markers
st_folium(
    fmap,
    feature_group_to_add=groups,
    key="map",
    returned_objects=[],
    height=560,
    use_container_width=True,
)
