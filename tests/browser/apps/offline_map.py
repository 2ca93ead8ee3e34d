"""Harness app: the demo map in st_folium; ``?popup=1`` adds a folium.Popup (needs jQuery)."""

from __future__ import annotations

import streamlit as st
from demo_map import build_map  # type: ignore[import-not-found]  # streamlit runs this with apps/ on sys.path
from streamlit_folium import st_folium

with_popup = st.query_params.get("popup") == "1"
st_folium(build_map(with_popup=with_popup), key="map", returned_objects=[], height=480)
