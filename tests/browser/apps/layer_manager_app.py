"""Test app for ``layers.layer_manager``: three line groups A, B, C handed to ``st_folium``.

``Show C`` adds or removes group C; ``Move B`` changes group B's geometry (a new digest).  With
``?plain=1`` the groups go to ``feature_group_to_add`` as a plain list (streamlit-folium's own
behaviour, the control case); otherwise through one :class:`LayerManager`, which with
``?static=1`` serves the group scripts as files under ``static/generated/layers`` and with
``?first=<id>`` builds that group first, and with ``?kept=<n>`` keeps ``n`` build functions of
groups no longer wanted.  With ``?split=1`` group B also holds a line of class
``lm-x`` (drawn before B's own line), which ``Hide X`` hides through the manager's ``hide``.
"""

from __future__ import annotations

from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

from layers.assets import localize
from layers.layer_manager import SPARE_BUILDS_KEPT, LayerManager, StaticScripts

SCRIPTS = StaticScripts(
    Path(__file__).resolve().parents[3] / "static" / "generated" / "layers",
    url_prefix="/app/static/generated/layers",
)


def line_group(
    name: str, coords: list[list[float]], *, x_line: list[list[float]] | None = None
) -> folium.FeatureGroup:
    """One group holding one GeoJSON line whose paths carry the class ``lm-<name>`` (and first,
    with ``x_line``, a line of classes ``lm-<name> lm-x``)."""
    group = folium.FeatureGroup(name=name, control=False)
    lines = ([(x_line, f"lm-{name} lm-x")] if x_line else []) + [(coords, f"lm-{name}")]
    features = [
        {
            "type": "Feature",
            "properties": {"name": f"line {name}", "cls": cls},
            "geometry": {"type": "LineString", "coordinates": line},
        }
        for line, cls in lines
    ]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda f: {
            "color": "#333333",
            "weight": 4,
            "className": f["properties"]["cls"],
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"]),
    ).add_to(group)
    return group


plain = st.query_params.get("plain") == "1"
served = st.query_params.get("static") == "1"
first = st.query_params.get("first")
split = st.query_params.get("split") == "1"
show_c = st.checkbox("Show C", value=True, key="lm_c")
move_b = st.checkbox("Move B", value=False, key="lm_move")
hide_x = split and st.checkbox("Hide X", value=False, key="lm_hide_x")

fmap = folium.Map(location=[38.6, 70.0], zoom_start=7, tiles=None)
groups = [
    line_group("a", [[69.0, 38.0], [70.0, 38.6], [71.0, 39.2]]),
    line_group(
        "b",
        [[69.0, 37.6], [70.0, 38.0 + (0.4 if move_b else 0.0)], [71.0, 38.6]],
        x_line=[[69.0, 37.2], [70.0, 37.6], [71.0, 38.2]] if split else None,
    ),
]
if show_c:
    groups.append(line_group("c", [[69.0, 39.0], [70.0, 39.4], [71.0, 39.8]]))
localize(fmap, also=groups)
st_folium(
    fmap,
    feature_group_to_add=groups
    if plain
    else [
        LayerManager(
            groups,
            scripts=SCRIPTS if served else None,
            first=[first] if first else [],
            hide={"b": ["lm-x"]} if hide_x else None,
            builds_kept=int(st.query_params.get("kept", SPARE_BUILDS_KEPT)),
        )
    ],
    key="lm_map",
    height=420,
    use_container_width=True,
    returned_objects=["center", "zoom"],
)
