"""The briefing-export panel: PNG (300 dpi), vector PDF or a standalone HTML map of the view."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import streamlit as st

from geo.errors import GeoDataError, ParamError
from layers import ViewOptions
from layers.export import DEFAULT_BBOX, EXPORT_MIME, SheetRequest, clamp_bbox, export_figure
from layers.standalone import standalone_html
from layers.text import plain_notice
from layers.urlstate import ViewState
from ui.state import visible_bbox


def export_panel(
    frames: Mapping[str, gpd.GeoDataFrame], view: ViewState, options: ViewOptions
) -> None:
    """Sidebar expander: format, title, handling line; renders only when asked."""
    box = st.sidebar.expander("Briefing export")
    fmt = box.radio("Format", ("png", "pdf", "html"), horizontal=True, key="fa_export_fmt")
    title = box.text_input("Title", value="Frontier Atlas", max_chars=120, key="fa_export_title")
    handling = box.text_input("Handling line (optional)", max_chars=60, key="fa_handling")
    bbox = clamp_bbox(visible_bbox() or DEFAULT_BBOX)
    if not box.button("Prepare export", key="fa_export_go"):
        return
    try:
        with box.status("Rendering the briefing sheet…", expanded=False):
            if fmt == "html":
                data = standalone_html(
                    frames, as_of=view.date, layers=view.layers, view=options, title=title
                ).encode("utf-8")
            else:
                request = SheetRequest(
                    as_of=view.date,
                    bbox=bbox,
                    layers=view.layers,
                    view=options,
                    title=title,
                    handling=handling or None,
                    fmt=fmt,
                )
                data = export_figure(frames, request)
    except (GeoDataError, ParamError) as err:
        box.error(plain_notice(str(err)))
        return
    box.download_button(
        f"Download {fmt.upper()}",
        data,
        file_name=f"frontier-atlas-{view.date}.{fmt}",
        mime=EXPORT_MIME[fmt],
        key="fa_export_dl",
    )
