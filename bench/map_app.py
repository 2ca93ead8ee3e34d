"""The map region through plain streamlit-folium (every group re-evaluated on a change)."""

from bench._map_page import run

run(managed=False)
