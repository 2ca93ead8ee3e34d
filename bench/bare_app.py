"""The BARE page: the floor for this architecture (Streamlit + streamlit-folium + Leaflet).

One ``st_folium`` map holding one line, Leaflet served locally (``layers.assets.localize``), and one
sidebar checkbox, labelled and keyed like the app's ``Crossings`` layer, that adds or removes one
group (one more line) through ``feature_group_to_add``.  Nothing else: whatever the atlas spends
above this page is ours to remove.  The line carries ``fa-bare-line`` so the benchmark sees when it
is painted; the group's line carries ``fa-bare-group``.
"""

from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

from bench._reference_line import reference_line
from layers.assets import localize

st.set_page_config(page_title="Bare Streamlit map", layout="wide")


show = st.sidebar.checkbox("Crossings", value=True, key="fa_layer_crossings")
fmap = folium.Map(location=[39.2, 70.6], zoom_start=7, tiles=None)
reference_line([[67.4, 37.2], [69.3, 37.1], [71.0, 38.4], [74.8, 37.4]], "fa-bare-line").add_to(
    fmap
)
groups = []
if show:
    group = folium.FeatureGroup(name="one group")
    reference_line([[69.0, 40.2], [70.6, 39.6], [73.6, 39.5]], "fa-bare-group").add_to(group)
    groups.append(group)
localize(fmap, also=groups)
st_folium(fmap, feature_group_to_add=groups, key="bare_map", height=680, use_container_width=True)
