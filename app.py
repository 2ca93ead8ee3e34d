"""Frontier Atlas: the Streamlit page. Thin on purpose: read URL state, draw controls, call layers/."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import streamlit as st
import streamlit_folium
from streamlit_folium import st_folium

from geo.catalog import DATA_DIR, concat_frames, content_hash, load_frame
from geo.errors import GeoDataError, ParamError
from geo.io import MAX_BYTES_DEFAULT
from geo.overlay import FORMATS, read_overlay
from geo.progress import segments_from_frame, stats
from geo.schema import STATUSES
from geo.simplify import display_frame
from geo.timeline import PRESETS
from geo.validate import validate_milestones
from layers import REGISTRY, display_zoom, load_frames
from layers import changes as change_layer
from layers import overlay as overlay_layer
from layers._draw import ViewOptions
from layers._html import safe_markdown
from layers.assets import localize
from layers.base import RemoteGeoJson
from layers.base import publish as publish_base
from layers.download import MEDIA_TYPE, file_name, view_geojson
from layers.export import DEFAULT_BBOX, EXPORT_MIME, clamp_bbox, export_figure
from layers.mapview import EMBED_PAGE_CSS, base_map, dynamic_groups
from layers.progress_chart import headline, progress_chart
from layers.standalone import standalone_html
from layers.styles import LAYER_STYLE, STATUS_STYLE
from layers.tools import search_index
from layers.urlstate import (
    FIRST_DAY,
    ViewState,
    parse_query,
    permalink,
    read_map_report,
    to_query,
)

st.set_page_config(page_title="Frontier Atlas", page_icon="🗺️", layout="wide")
TODAY = dt.date.today()
FOCUS_BORDER = "KGZ-TJK"
GENERATED_DIR = Path(__file__).resolve().parent / "static" / "generated"
GENERATED_URL = "/app/static/generated"
"""Where the simplified basemap is published once (content-addressed) for the browser to fetch."""


OVERLAY_MAX_MB = int(st.get_option("server.maxUploadSize") or MAX_BYTES_DEFAULT // 2**20)
"""Upload cap for analyst overlays (MB): server.maxUploadSize (.streamlit/config.toml: 10)."""


@st.cache_data(show_spinner="Checking the overlay…", max_entries=4)
def _overlay(raw: bytes, name: str) -> tuple[list[dict[str, Any]], list[str], list[str], str]:
    """An uploaded overlay's drawable features, problem lines, notices and shown name."""
    result = read_overlay(raw, filename=name, max_bytes=OVERLAY_MAX_MB * 2**20)
    return result.features, result.lines(), result.notices, result.file


def _overlay_panel() -> list[folium.FeatureGroup]:
    """Sidebar uploader; the checked overlay as a map group (none if nothing is drawable)."""
    upload = st.sidebar.file_uploader(
        "Overlay your own file (GeoJSON, KML, or CSV with lon/lat columns)",
        type=[ext.lstrip(".") for ext in FORMATS],
        key="fa_overlay",
        max_upload_size=OVERLAY_MAX_MB,
    )
    if upload is None:
        return []
    features, lines, notices, shown = _overlay(upload.getvalue(), upload.name)
    for line in lines[:12]:
        st.sidebar.error(safe_markdown(line))
    if len(lines) > 12:
        st.sidebar.error(f"… and {len(lines) - 12} more problems in the overlay.")
    if notices:
        st.sidebar.warning(safe_markdown(f"{len(notices)} adjustment(s), e.g. {notices[0]}"))
    if not features:
        return []
    st.sidebar.caption(
        f"{len(features)} feature(s) drawn as “{LAYER_STYLE['overlay'].label}” "
        "(listed in the map's legend)."
    )
    return [overlay_layer.build(features, name=shown)]


@st.cache_data(show_spinner=False, max_entries=64)
def _load(path: str, digest: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    """One layer file as a frame plus its problems; keyed by content, so edits are picked up."""
    frame, report = load_frame(Path(path))
    return frame, report.lines()


@st.cache_data(show_spinner=False, max_entries=8)
def _milestones(digest: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The valid milestones, and one sentence per broken entry (shown, not fatal)."""
    report = validate_milestones(DATA_DIR / "milestones.json")
    return report.features, report.lines()


def _cached_frame(path: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    return _load(str(path), content_hash(path))


@st.cache_data(show_spinner=False, max_entries=64)
def _display(path: str, digest: str) -> gpd.GeoDataFrame:
    """The map's copy of a layer file, simplified for its layer's ``display_zoom``."""
    frame, _ = _load(path, digest)
    return display_frame(frame, zoom=display_zoom(path))


@st.cache_data(show_spinner=False, max_entries=4)
def _publish(digests: tuple[str, ...]) -> tuple[str, dict[str, dict[str, object]]] | None:
    frame = concat_frames([_display_frame(DATA_DIR / f)[0] for f in REGISTRY["base"].files])
    return publish_base(frame, as_of=TODAY, static_dir=GENERATED_DIR, url_prefix=GENERATED_URL)


@st.cache_data(show_spinner=False, max_entries=4)
def _progress_spec(digest: str, today: str) -> dict[str, Any]:
    """The progress chart's Vega-Lite spec, built once per borders file and day."""
    segments = segments_from_frame(_cached_frame(DATA_DIR / "borders.geojson")[0])
    milestones, _ = _milestones(content_hash(DATA_DIR / "milestones.json"))
    chart = progress_chart(segments, milestones, border=FOCUS_BORDER, end=TODAY)
    spec: dict[str, Any] = chart.to_dict()
    return spec


def _published_base() -> tuple[str, dict[str, dict[str, object]]] | None:
    """The basemap as a served file (URL, styles), published once per content of data/base."""
    return _publish(tuple(content_hash(DATA_DIR / f) for f in REGISTRY["base"].files))


def _display_frame(path: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    return _display(str(path), content_hash(path)), []


@st.cache_resource
def _group_scripts() -> dict[tuple[Any, ...], str]:
    """Rendered layer scripts shared by all sessions, keyed by what each depends on."""
    return {}


def _reuse_rendered_groups() -> None:
    """Let streamlit-folium reuse a layer group's script when nothing it depends on changed.

    Rendering the groups is most of a rerun (the same date and toggles give the same script);
    groups with ``fa_cache_key`` (see ``layers.mapview.dynamic_groups``) are rendered once per
    key and process. Groups without a key (changes, overlays) are rendered as before.
    """
    original = getattr(streamlit_folium, "_fa_render_group", None)
    if original is None:
        original = streamlit_folium._get_feature_group_string
        streamlit_folium._fa_render_group = original
    scripts = _group_scripts()

    def render(group: folium.FeatureGroup, map: folium.Map, idx: int = 0) -> str:
        key = getattr(group, "fa_cache_key", None)
        if key is None:
            return str(original(group, map=map, idx=idx))
        if (key, idx) not in scripts:
            if len(scripts) > 256:
                scripts.clear()
            scripts[(key, idx)] = original(group, map=map, idx=idx)
        return scripts[(key, idx)]

    streamlit_folium._get_feature_group_string = render


def _initial_state() -> ViewState:
    """The URL's view, parsed once per session; later reruns keep the widgets' values."""
    if "fa_state" not in st.session_state:
        state, notices = parse_query(st.query_params.to_dict(), today=TODAY)
        st.session_state.update(
            fa_state=state,
            fa_notices=notices,
            fa_date=state.date,
            fa_date_slider=state.date,
            fa_window=state.window_days,
            fa_compare_on=state.compare is not None,
            fa_compare=state.compare or FIRST_DAY,
            fa_view=(state.lat, state.lon, state.zoom),
            fa_feature=state.feature,
        )
        for layer_id in REGISTRY:
            st.session_state[f"fa_layer_{layer_id}"] = layer_id in state.layers
        for status in STATUSES:
            st.session_state[f"fa_status_{status}"] = status in state.statuses
    return st.session_state.fa_state


def _sync_from_slider() -> None:
    st.session_state.fa_date = st.session_state.fa_date_slider


def _sync_from_input() -> None:
    st.session_state.fa_date_slider = st.session_state.fa_date


def _jump() -> None:
    label = st.session_state.fa_preset
    day = dict(PRESETS).get(label) or TODAY
    st.session_state.fa_date = st.session_state.fa_date_slider = min(day, TODAY)


def _controls(initial: ViewState) -> ViewState:
    """Sidebar controls; returns the view they describe."""
    side = st.sidebar
    side.title("Frontier Atlas")
    side.slider(
        "As of date",
        FIRST_DAY,
        TODAY,
        key="fa_date_slider",
        on_change=_sync_from_slider,
        format="YYYY-MM-DD",
    )
    side.date_input(
        "Exact date",
        key="fa_date",
        min_value=FIRST_DAY,
        max_value=TODAY,
        on_change=_sync_from_input,
    )
    side.selectbox(
        "Jump to",
        [label for label, _ in PRESETS],
        index=None,
        key="fa_preset",
        on_change=_jump,
        placeholder="a key date…",
    )
    compare_on = side.toggle("Compare with another date", key="fa_compare_on")
    compare = (
        side.date_input("Compare with", key="fa_compare", min_value=FIRST_DAY, max_value=TODAY)
        if compare_on
        else None
    )
    side.subheader("Layers")
    layers = tuple(
        layer_id
        for layer_id, spec in REGISTRY.items()
        if side.checkbox(spec.label, key=f"fa_layer_{layer_id}")
    )
    side.subheader("Border status")
    statuses = tuple(
        s for s in STATUSES if side.checkbox(STATUS_STYLE[s].label, key=f"fa_status_{s}")
    )
    window = side.slider("Events: look back (days)", 7, 730, key="fa_window")
    lat, lon, zoom = st.session_state.fa_view
    return replace(
        initial,
        date=st.session_state.fa_date,
        compare=compare,
        layers=layers,
        statuses=statuses,
        window_days=window,
        lat=lat,
        lon=lon,
        zoom=zoom,
        feature=st.session_state.fa_feature,
    )


def _remember_view(returned: dict[str, Any] | None) -> None:
    """Keep the user's pan/zoom and clicked feature for the permalink (never fed back to the map)."""
    report = read_map_report(returned)
    if report.view:
        st.session_state.fa_view = report.view
    if report.bbox:
        st.session_state.fa_bbox = report.bbox
    if report.feature:
        st.session_state.fa_feature = report.feature


def _export_panel(
    frames: dict[str, gpd.GeoDataFrame], view: ViewState, options: ViewOptions
) -> None:
    """Briefing export of the current view: PNG (300 dpi), vector PDF, or a standalone HTML map."""
    box = st.sidebar.expander("Briefing export")
    fmt = box.radio("Format", ("png", "pdf", "html"), horizontal=True, key="fa_export_fmt")
    title = box.text_input("Title", value="Frontier Atlas", max_chars=120, key="fa_export_title")
    handling = box.text_input("Handling line (optional)", max_chars=60, key="fa_handling")
    bbox = clamp_bbox(st.session_state.get("fa_bbox") or DEFAULT_BBOX)
    if not box.button("Prepare export", key="fa_export_go"):
        return
    try:
        with box.status("Rendering the briefing sheet…", expanded=False):
            if fmt == "html":
                data = standalone_html(
                    frames, as_of=view.date, layers=view.layers, view=options, title=title
                ).encode("utf-8")
            else:
                data = export_figure(
                    frames,
                    as_of=view.date,
                    bbox=bbox,
                    layers=view.layers,
                    view=options,
                    title=title,
                    handling=handling or None,
                    fmt=fmt,
                )
    except (GeoDataError, ParamError) as err:
        box.error(safe_markdown(str(err)))
        return
    box.download_button(
        f"Download {fmt.upper()}",
        data,
        file_name=f"frontier-atlas-{view.date}.{fmt}",
        mime=EXPORT_MIME[fmt],
        key="fa_export_dl",
    )


initial = _initial_state()
view = initial if initial.embed else _controls(initial)
for notice in st.session_state.fa_notices:
    st.warning(safe_markdown(notice))
frames, problems = load_frames(DATA_DIR, loader=_cached_frame)  # full resolution: figures
map_frames, _ = load_frames(DATA_DIR, loader=_display_frame)  # simplified: drawing
data_tag = "-".join(content_hash(p)[:12] for p in sorted(DATA_DIR.rglob("*.geojson")))
for line in problems[:12]:
    st.error(safe_markdown(line))
if len(problems) > 12:
    st.error(f"… and {len(problems) - 12} more problems in the data files.")
milestones, milestone_problems = _milestones(content_hash(DATA_DIR / "milestones.json"))
for line in milestone_problems[:5]:
    st.error(safe_markdown(line))

segments = segments_from_frame(frames["borders"])
if not initial.embed and segments:
    st.markdown(headline(stats(segments, milestones, view.date, border=FOCUS_BORDER)))

options = ViewOptions(statuses=frozenset(view.statuses), window_days=view.window_days)
extra: list[folium.FeatureGroup] = []
changes = change_layer.compute(frames, before=view.compare, after=view.date) if view.compare else []
if view.compare:
    extra.append(change_layer.build(map_frames, changes))

if not initial.embed:
    extra += _overlay_panel()

fmap = base_map(
    map_frames.get("base"),
    base_element=(
        RemoteGeoJson(*published, minimap=not initial.embed)
        if (published := _published_base())
        else None
    ),
    center=(initial.lat, initial.lon),
    zoom=initial.zoom,
    compact_legend=initial.embed,
    fill_viewport=initial.embed,
    search=search_index(frames),
)
groups = dynamic_groups(
    map_frames,
    visible=view.layers,
    as_of=view.date,
    view=options,
    selected=initial.feature,
    extra=extra,
    cache_tag=data_tag,
)
_reuse_rendered_groups()
localize(fmap, also=groups)
returned = st_folium(
    fmap,
    feature_group_to_add=groups,
    key="fa_map",
    height=600 if initial.embed else 680,
    use_container_width=True,
    returned_objects=["center", "zoom", "bounds", "last_object_clicked_popup"],
)
_remember_view(returned)
lat, lon, zoom = st.session_state.fa_view
query = to_query(
    replace(
        view, lat=lat, lon=lon, zoom=zoom, feature=st.session_state.fa_feature, embed=initial.embed
    )
)
st.query_params.from_dict(query)
if initial.embed:
    st.html(EMBED_PAGE_CSS)
else:
    st.sidebar.caption("Link to this view (copy with the button)")
    st.sidebar.code(permalink(st.context.url, query), language=None, wrap_lines=True)

if not initial.embed:
    st.sidebar.download_button(
        "Download this view's data (GeoJSON)",
        partial(view_geojson, frames, as_of=view.date, layers=view.layers, view=options),
        file_name=file_name(view.date),
        mime=MEDIA_TYPE,
        key="fa_view_dl",
    )
    _export_panel(frames, view, options)
    if view.compare:
        st.subheader(f"Changes from {view.compare} to {view.date}")
        st.dataframe(change_layer.table(changes, frames), hide_index=True, width="stretch")
    # on demand: the chart library is a large download the first map paint should not wait for
    if st.toggle("Show the delimitation progress chart (Kyrgyz–Tajik border)", key="fa_chart"):
        st.vega_lite_chart(
            _progress_spec(content_hash(DATA_DIR / "borders.geojson"), TODAY.isoformat()),
            width="stretch",
        )
    st.caption(
        f"As of {view.date.isoformat()}. © OpenStreetMap contributors (ODbL). "
        "Boundaries shown are not authoritative."
    )
