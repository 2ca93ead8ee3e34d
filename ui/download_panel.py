"""The sharing panel: this view's permalink and its data as GeoJSON, GeoPackage and KML."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import geopandas as gpd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from layers import ViewOptions, dataout
from layers.download import MEDIA_TYPE, file_name, view_geojson
from layers.urlstate import ViewState, permalink
from ui.state import visible_bbox

OUT_FORMATS: dict[str, tuple[str, str]] = {
    "gpkg": ("GeoPackage, for QGIS", "fa_view_gpkg"),
    "kml": ("KML, for Google Earth", "fa_view_kml"),
}
"""Format → (button label, widget key) for the files made from ``layers.dataout``."""


def code_span(url: str) -> str:
    """``url`` as a Markdown code span: shown literally, selectable, never a link.

    Not ``st.code``: that element loads Streamlit's 1.5 MB syntax highlighter, whose evaluation
    delayed the map's first paint by ~0.6 s (bench/README.md). A backtick, which would end the
    span, is written as its URL escape ``%60`` (the same URL); control characters are dropped.
    """
    text = "".join(ch for ch in url if ch.isprintable()).replace("`", "%60")
    return f"`{text}`"


def download_panel(
    frames: Mapping[str, gpd.GeoDataFrame],
    view: ViewState,
    options: ViewOptions,
    *,
    query: Mapping[str, str],
    where: DeltaGenerator,
) -> None:
    """The link that reopens this view, and the visible features as downloads, drawn into
    ``where`` (a sidebar container).

    The files are made only when a button is pressed (Streamlit calls the function then). The
    GeoPackage and KML hold the features of the visible box; with no layer ticked there is
    nothing to write, so those two buttons are disabled.
    """
    where.caption("Link to this view (the address bar holds it too)")
    where.markdown(code_span(permalink(st.context.url, query)))
    where.download_button(
        "Download this view's data (GeoJSON)",
        partial(view_geojson, frames, as_of=view.date, layers=view.layers, view=options),
        file_name=file_name(view.date),
        mime=MEDIA_TYPE,
        key="fa_view_dl",
    )
    makers = {"gpkg": dataout.view_gpkg, "kml": dataout.view_kml}
    for fmt, (label, key) in OUT_FORMATS.items():
        where.download_button(
            f"Download this view ({label})",
            partial(
                makers[fmt],
                frames,
                as_of=view.date,
                layers=view.layers,
                view=options,
                bbox=visible_bbox(),
            ),
            file_name=dataout.file_name(view.date, fmt),
            mime=dataout.MEDIA_TYPE[fmt],
            key=key,
            disabled=not view.layers,
        )
