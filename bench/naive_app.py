"""The NAIVE baseline the benchmark compares against: the obvious way to write this page.

Same data files and the same sidebar controls (labels and keys) as ``app.py``, but every run reads
the GeoJSON files again, draws everything with plain ``folium.GeoJson`` at full resolution into
one map, and hands it to ``st_folium`` with its default settings (so every toggle rebuilds the
map and remounts the frame).  Leaflet is served locally (``layers.assets.localize``) so it renders
offline like the real app.  Lines carry the class ``fa-naive-line`` only so the benchmark can see
when the first border line is painted; nothing else is tuned.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo.catalog import DATA_DIR
from geo.schema import STATUSES
from geo.timeline import age_in_window, holds_on, status_on
from layers import REGISTRY
from layers.assets import localize
from layers.styles import STATUS_STYLE
from layers.urlstate import FIRST_DAY

EPISODIC = frozenset({"events", "exercises"})

st.set_page_config(page_title="Frontier Atlas (naive baseline)", layout="wide")


def _features(path: Path) -> list[dict[str, Any]]:
    """Every feature of one file, read from disk on every run (no caching: that is the point)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return list(data.get("features", []))


def _shown(layer_id: str, props: dict[str, Any], day: dt.date, statuses: AbstractSet[str]) -> bool:
    if layer_id in EPISODIC:
        return age_in_window(props, day) is not None
    if not holds_on(props, day):
        return False
    if layer_id == "borders":
        return status_on(props.get("status_history") or [], day) in statuses
    return True


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    kind = feature["geometry"]["type"]
    if "LineString" in kind:
        return {"color": "#1f3b73", "weight": 3, "className": "fa-naive-line"}
    return {"color": "#555", "weight": 1, "fillOpacity": 0.1}


side = st.sidebar
day = side.slider(
    "As of date",
    FIRST_DAY,
    dt.date.today(),
    dt.date.today(),
    key="fa_date_slider",
    format="YYYY-MM-DD",
)
layers = [
    layer_id
    for layer_id, spec in REGISTRY.items()
    if side.checkbox(spec.label, value=spec.default_on, key=f"fa_layer_{layer_id}")
]
statuses = {
    s for s in STATUSES if side.checkbox(STATUS_STYLE[s].label, value=True, key=f"fa_status_{s}")
}

fmap = folium.Map(location=[39.2, 70.6], zoom_start=7, tiles=None)
for layer_id in layers:
    for name in REGISTRY[layer_id].files:
        features = [
            f
            for f in _features(DATA_DIR / name)
            if _shown(layer_id, f.get("properties") or {}, day, statuses)
        ]
        if features:
            folium.GeoJson(
                {"type": "FeatureCollection", "features": features},
                name=f"{layer_id}: {name}",
                style_function=_style,
                tooltip=folium.GeoJsonTooltip(fields=["name"]),
            ).add_to(fmap)
localize(fmap)
st_folium(fmap, height=720, use_container_width=True)
