"""Every ``st.cache_*`` wrapper of the page, each keyed by the content digest of what it reads.

An edited data file has a new digest, so it is re-read and re-drawn; nothing else is. Frames and
labels are kept with ``st.cache_resource``: one shared object per data version, never copied on
a rerun, so nothing on the page may modify them (every layer function returns new frames).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import streamlit as st

from geo import catalog
from geo.catalog import concat_frames, content_hash, load_frame
from geo.freshness import freshness
from geo.overlay import read_overlay
from geo.progress import segments_from_frame
from geo.simplify import display_frame
from geo.validate import validate_milestones
from layers import REGISTRY, STATIC_LAYER, display_zoom, load_frames
from layers.base import publish
from layers.labels import Label, layer_labels
from layers.progress_chart import progress_chart, stale_line
from layers.tools import publish_search_index
from layers.tools import search_index as build_search_index

GENERATED_DIR: Final = Path(__file__).resolve().parents[1] / "static" / "generated"
GENERATED_URL: Final = "/app/static/generated"
"""Where the simplified basemap is published once (content-addressed) for the browser to fetch."""

BaseFile = tuple[str, dict[str, dict[str, object]]]


def _data_dir() -> Path:
    """The data folder, read when asked (tests point ``geo.catalog.DATA_DIR`` at fixtures)."""
    return Path(catalog.DATA_DIR)


def _borders() -> Path:
    return _data_dir() / "borders.geojson"


def _milestones_file() -> Path:
    return _data_dir() / "milestones.json"


@st.cache_resource(show_spinner=False, max_entries=64)
def _load(path: str, digest: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    frame, report = load_frame(Path(path))
    return frame, report.lines()


def frame(path: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    """One layer file as a frame plus its problems (full resolution: figures and exports)."""
    return _load(str(path), content_hash(path))


@st.cache_resource(show_spinner=False, max_entries=64)
def _display(path: str, digest: str) -> gpd.GeoDataFrame:
    return display_frame(_load(path, digest)[0], zoom=display_zoom(path))


def display(path: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    """The map's copy of a layer file, simplified for its layer's ``display_zoom``."""
    return _display(str(path), content_hash(path)), []


@st.cache_resource(show_spinner=False, max_entries=4)
def _frames(data_dir: str, tag: str) -> tuple[dict[str, gpd.GeoDataFrame], list[str]]:
    return load_frames(Path(data_dir), loader=frame)


def frames() -> tuple[dict[str, gpd.GeoDataFrame], list[str]]:
    """Every layer at full resolution, plus one sentence per data problem (shared: read only)."""
    return _frames(str(_data_dir()), data_tag())


@st.cache_resource(show_spinner=False, max_entries=4)
def _map_frames(data_dir: str, tag: str) -> dict[str, gpd.GeoDataFrame]:
    return load_frames(Path(data_dir), loader=display)[0]


def map_frames() -> dict[str, gpd.GeoDataFrame]:
    """Every layer simplified for drawing (shared: read only)."""
    return _map_frames(str(_data_dir()), data_tag())


def data_tag() -> str:
    """A digest of every layer's data files: part of each rendered layer script's cache key."""
    names = sorted({name for spec in REGISTRY.values() for name in spec.files})
    return "-".join(content_hash(_data_dir() / name)[:12] for name in names)


@st.cache_resource(show_spinner=False, max_entries=64)
def _layer_labels(
    data_dir: str, tag: str, layer_id: str, _frames: dict[str, gpd.GeoDataFrame]
) -> tuple[Label, ...]:
    return layer_labels(_frames, layer_id)


def labels_of(map_frames: dict[str, gpd.GeoDataFrame]) -> Callable[[str], tuple[Label, ...]]:
    """A layer's labels on every date (``layers.labels.layer_labels``), made once per data version
    from ``map_frames`` (this data version's ``map_frames()``)."""
    data_dir, tag = str(_data_dir()), data_tag()
    return lambda layer_id: _layer_labels(data_dir, tag, layer_id, map_frames)


@st.cache_data(show_spinner=False, max_entries=64)
def _stale_line(data_dir: str, tag: str, day: str) -> str | None:
    every = _frames(data_dir, tag)[0]
    return stale_line(freshness(every, as_of=dt.date.fromisoformat(day)))


def stale_line_on(day: dt.date) -> str | None:
    """How many lasting features on ``day`` went unconfirmed for a year (None: none), computed
    once per data version and day."""
    return _stale_line(str(_data_dir()), data_tag(), day.isoformat())


@st.cache_data(show_spinner=False, max_entries=8)
def _milestones(digest: str) -> tuple[list[dict[str, Any]], list[str]]:
    report = validate_milestones(_milestones_file())
    return report.features, report.lines()


def milestones() -> tuple[list[dict[str, Any]], list[str]]:
    """The valid milestones, and one sentence per broken entry (shown, not fatal)."""
    return _milestones(content_hash(_milestones_file()))


@st.cache_data(show_spinner=False, max_entries=4)
def _published_base(digests: tuple[str, ...], today: str) -> BaseFile | None:
    parts = [display(_data_dir() / name)[0] for name in REGISTRY[STATIC_LAYER].files]
    return publish(
        concat_frames(parts),
        as_of=dt.date.fromisoformat(today),
        static_dir=GENERATED_DIR,
        url_prefix=GENERATED_URL,
    )


def published_base(*, today: dt.date) -> BaseFile | None:
    """The basemap as a served file (URL, styles), published once per content of its files."""
    files = REGISTRY[STATIC_LAYER].files
    return _published_base(tuple(content_hash(_data_dir() / f) for f in files), today.isoformat())


@st.cache_data(show_spinner=False, max_entries=4)
def _search_index(tag: str) -> dict[str, Any] | str:
    index = build_search_index(frames()[0])
    url = publish_search_index(index, static_dir=GENERATED_DIR, url_prefix=GENERATED_URL)
    return url or index


def search_index() -> dict[str, Any] | str:
    """The search index as a served file's URL (the index itself if the folder is read-only);
    built and published once per content of the data files."""
    return _search_index(data_tag())


@st.cache_data(show_spinner=False, max_entries=4)
def _progress_spec(
    borders_digest: str, milestones_digest: str, border: str, today: str
) -> dict[str, Any]:
    segments = segments_from_frame(frame(_borders())[0])
    features, _ = _milestones(milestones_digest)
    chart = progress_chart(segments, features, border=border, end=dt.date.fromisoformat(today))
    spec: dict[str, Any] = chart.to_dict()
    return spec


def progress_spec(*, border: str, today: dt.date) -> dict[str, Any]:
    """The progress chart's Vega-Lite spec, rebuilt when borders or milestones change (or a day)."""
    return _progress_spec(
        content_hash(_borders()), content_hash(_milestones_file()), border, today.isoformat()
    )


@st.cache_data(show_spinner="Checking the overlay…", max_entries=4)
def _overlay(
    digest: str, name: str, max_bytes: int, _raw: bytes
) -> tuple[list[dict[str, Any]], list[str], list[str], str]:
    result = read_overlay(_raw, filename=name, max_bytes=max_bytes)
    return result.features, result.lines(), result.notices, result.file


def overlay(
    raw: bytes, *, name: str, max_bytes: int
) -> tuple[list[dict[str, Any]], list[str], list[str], str]:
    """An uploaded overlay's drawable features, problem lines, notices and shown name."""
    return _overlay(hashlib.sha256(raw).hexdigest(), name, max_bytes, raw)
