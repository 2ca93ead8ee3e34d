"""The analyst-overlay panel: upload a file, see its problems, get it as a map group."""

from __future__ import annotations

import hashlib
from typing import Final

import folium
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo.io import MAX_BYTES_DEFAULT
from geo.overlay import FORMATS
from layers import overlay as overlay_layer
from layers.styles import LAYER_STYLE
from layers.text import plain_notice
from ui import cache

MAX_PROBLEMS: Final = 12


def max_upload_mb() -> int:
    """Upload cap for overlays (MB): server.maxUploadSize (.streamlit/config.toml: 10)."""
    return int(st.get_option("server.maxUploadSize") or MAX_BYTES_DEFAULT // 2**20)


def overlay_groups(where: DeltaGenerator) -> list[folium.FeatureGroup]:
    """The uploader, drawn into ``where`` (a sidebar container); the checked overlay as a map
    group (none if nothing is drawable)."""
    limit_mb = max_upload_mb()
    upload = where.file_uploader(
        "Overlay your own file (GeoJSON, KML, or CSV with lon/lat columns)",
        type=[ext.lstrip(".") for ext in FORMATS],
        key="fa_overlay",
        max_upload_size=limit_mb,
    )
    if upload is None:
        return []
    raw = upload.getvalue()
    features, lines, notices, shown = cache.overlay(
        raw, name=upload.name, max_bytes=limit_mb * 2**20
    )
    for line in lines[:MAX_PROBLEMS]:
        where.error(plain_notice(line))
    if len(lines) > MAX_PROBLEMS:
        where.error(f"… and {len(lines) - MAX_PROBLEMS} more problems in the overlay.")
    if notices:
        where.warning(plain_notice(f"{len(notices)} adjustment(s), e.g. {notices[0]}"))
    if not features:
        return []
    # built, size-checked and rendered once per file content, shared by all sessions
    prepared = overlay_layer.prepare(features, name=shown, digest=hashlib.sha256(raw).hexdigest())
    if prepared.group is None:
        where.error(plain_notice(prepared.problem))
        return []
    where.caption(
        f"{len(features)} feature(s) drawn as “{LAYER_STYLE['overlay'].label}” "
        "(listed in the map's legend)."
    )
    return [prepared.group]
