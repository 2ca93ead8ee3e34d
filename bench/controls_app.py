"""The BARE page with the atlas's own controls: the floor for a page that has them.

The bare page's one map and one line (``fa-layer-borders`` here, so the benchmark reads it as it
reads the app), Leaflet served locally, and in the sidebar exactly the atlas's controls
(``ui.state.initial_state`` and ``ui.controls.sidebar``: date slider, exact date, key dates,
compare switch, one checkbox per layer and status, look-back slider, stale switch). One group
holds one line per ticked layer and status, shifted with the date, so every action the benchmark
takes (a layer, a status, the date) adds or removes paths through ``feature_group_to_add``.

``python -m bench --app app.py --app bench/controls_app.py`` compares the atlas with this page:
what the atlas spends above it is neither Streamlit's price for the controls nor the bare map's.
"""

from __future__ import annotations

import datetime as dt

import folium
import streamlit as st
from streamlit_folium import st_folium

from bench._reference_line import reference_line
from layers.assets import localize
from ui import controls, state

st.set_page_config(page_title="Bare Streamlit map with the atlas's controls", layout="wide")
TODAY = dt.date.today()


initial = state.initial_state(today=TODAY)
view = controls.current_view(initial)
box = st.sidebar.container()
fmap = folium.Map(location=[39.2, 70.6], zoom_start=7, tiles=None)
reference_line([[67.4, 37.2], [69.3, 37.1], [71.0, 38.4], [74.8, 37.4]], "fa-layer-borders").add_to(
    fmap
)
shift = (view.date.toordinal() % 50) / 100
group = folium.FeatureGroup(name="one group")
for i, ticked in enumerate((*view.layers, *view.statuses)):
    y = 40.4 - i * 0.15 + shift
    reference_line(
        [[69.0, y], [70.6, y - 0.4], [73.6, y - 0.3]], f"fa-bare-group fa-{ticked}"
    ).add_to(group)
localize(fmap, also=[group])
st_folium(fmap, feature_group_to_add=[group], key="bare_map", height=680, use_container_width=True)
controls.sidebar(box, today=TODAY)
