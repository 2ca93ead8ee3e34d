"""The atlas's map region alone, for measuring the layer manager against plain streamlit-folium.

Same shipped data, same frame (``layers.mapview.base_map`` with the served basemap, tools,
legend), same dynamic groups (``layers.mapview.dynamic_groups``) and the same sidebar labels and
keys as ``app.py`` for the date slider, the layer and the status checkboxes; nothing else (no
headline, exports, chart or permalink).  ``run(managed=False)`` hands the groups to
``st_folium`` as a list (streamlit-folium re-evaluates all of them on every change);
``run(managed=True)`` hands one ``layers.layer_manager.LayerManager`` (only changed groups are
rebuilt) whose rendered groups are shared by all sessions; ``served=True`` also publishes the
group scripts as content-addressed files (``layers.layer_manager.StaticScripts``), so a change
sends only ids and digests and the browser fetches the groups it has not seen.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo.catalog import DATA_DIR, concat_frames, content_hash, load_frame
from geo.schema import STATUSES
from geo.simplify import display_frame
from layers import REGISTRY, load_frames
from layers._draw import ViewOptions
from layers.assets import localize
from layers.base import RemoteGeoJson
from layers.base import publish as publish_base
from layers.layer_manager import LayerManager, ManagedGroup, StaticScripts
from layers.mapview import base_map, dynamic_groups
from layers.styles import STATUS_STYLE
from layers.tools import search_index
from layers.urlstate import FIRST_DAY, parse_query

TODAY = dt.date.today()
GENERATED_DIR = Path(__file__).resolve().parent.parent / "static" / "generated"


@st.cache_data(show_spinner=False, max_entries=64)
def _frame(path: str, digest: str) -> gpd.GeoDataFrame:
    return load_frame(Path(path))[0]


@st.cache_data(show_spinner=False, max_entries=64)
def _display(path: str, digest: str) -> gpd.GeoDataFrame:
    zoom = 10 if Path(path).name == "borders.geojson" else 7
    return display_frame(_frame(path, digest), zoom=zoom)


def _full(path: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    return _frame(str(path), content_hash(path)), []


def _shown(path: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    return _display(str(path), content_hash(path)), []


@st.cache_data(show_spinner=False, max_entries=4)
def _publish(digests: tuple[str, ...]) -> tuple[str, dict[str, dict[str, object]]] | None:
    frame = concat_frames([_shown(DATA_DIR / f)[0] for f in REGISTRY["base"].files])
    return publish_base(
        frame, as_of=TODAY, static_dir=GENERATED_DIR, url_prefix="/app/static/generated"
    )


@st.cache_resource
def _rendered() -> dict[Any, ManagedGroup]:
    """Rendered layer groups shared by every session (keyed by ``fa_cache_key``)."""
    return {}


SCRIPTS = StaticScripts(GENERATED_DIR / "layers", url_prefix="/app/static/generated/layers")


def run(*, managed: bool, served: bool = False) -> None:
    """Draw the page."""
    st.set_page_config(page_title="Atlas map region", layout="wide")
    if "fa_init" not in st.session_state:  # the URL's layers (the bench turns them all on)
        state, _ = parse_query(st.query_params.to_dict(), today=TODAY)
        st.session_state.fa_init = True
        for layer_id in REGISTRY:
            st.session_state[f"fa_layer_{layer_id}"] = layer_id in state.layers
        for status in STATUSES:
            st.session_state[f"fa_status_{status}"] = status in state.statuses
        st.session_state.fa_date_slider = TODAY
    side = st.sidebar
    day = side.slider("As of date", FIRST_DAY, TODAY, key="fa_date_slider", format="YYYY-MM-DD")
    layers = [i for i, spec in REGISTRY.items() if side.checkbox(spec.label, key=f"fa_layer_{i}")]
    statuses = [s for s in STATUSES if side.checkbox(STATUS_STYLE[s].label, key=f"fa_status_{s}")]
    frames, _ = load_frames(DATA_DIR, loader=_full)
    map_frames, _ = load_frames(DATA_DIR, loader=_shown)
    published = _publish(tuple(content_hash(DATA_DIR / f) for f in REGISTRY["base"].files))
    fmap = base_map(
        map_frames.get("base"),
        base_element=RemoteGeoJson(*published, minimap=True) if published else None,
        search=search_index(frames, layers=("places", "enclaves", "crossings", "deployments")),
    )
    tag = "-".join(content_hash(p)[:12] for p in sorted(DATA_DIR.rglob("*.geojson")))
    groups = dynamic_groups(
        map_frames,
        visible=layers,
        as_of=day,
        view=ViewOptions(statuses=frozenset(statuses)),
        cache_tag=tag,
    )
    localize(fmap, also=groups)
    st_folium(
        fmap,
        feature_group_to_add=[
            LayerManager(groups, cache=_rendered(), scripts=SCRIPTS if served else None)
        ]
        if managed
        else groups,
        key="fa_map",
        height=680,
        use_container_width=True,
        returned_objects=["center", "zoom", "bounds", "last_object_clicked_popup"],
    )
