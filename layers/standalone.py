"""Standalone map: one self-contained HTML file that opens from disk on an air-gapped laptop.

The same static frame (``mapview.base_map``) and dynamic groups (``mapview.dynamic_groups``) the
page shows, with the groups added to the map directly, then every script, stylesheet and image
inlined by ``assets.inline_html``: the file makes no request of any kind when opened.  The frame
carries the live map's label engine and ``LABEL_CSS`` and the groups its per-layer label groups, so the
file writes the same names, culled the same way, with the same "Labels" switch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import geopandas as gpd
from branca.element import Element

from geo.errors import ParamError
from layers import REGISTRY
from layers._draw import ViewOptions
from layers._html import safe_text
from layers.assets import inline_html
from layers.mapview import base_map, dynamic_groups

_TITLE_BOX: Final = (
    "<div class='fa-title' data-testid='fa-title' style='position:absolute;top:10px;left:54px;"
    "z-index:1000;background:rgba(255,255,255,.94);padding:6px 10px;border-radius:4px;"
    "box-shadow:0 1px 4px rgba(0,0,0,.3);font:13px/1.35 sans-serif;color:#111;max-width:60%'>"
    "<b>{title}</b><br><span class='fa-as-of'>As of {as_of}</span></div>"
)


def standalone_html(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    as_of: dt.date,
    layers: Iterable[str],
    view: ViewOptions,
    title: str,
    bbox: Sequence[float] | None = None,
) -> str:
    """The map of ``as_of`` as one HTML document with all JS, CSS and data inlined.

    ``layers`` are registry ids ("base" switches the vector basemap); ``bbox`` (W, S, E, N), when
    given, is the initial view.  The title is data text and passes through ``safe_text``.
    """
    shown = tuple(layers)
    unknown = [layer for layer in shown if layer not in REGISTRY]
    if unknown:
        raise ParamError(f"unknown layer {unknown[0]!r}; known: {', '.join(REGISTRY)}")
    fmap = base_map(frames.get("base"), as_of=as_of)
    if bbox is not None:
        west, south, east, north = bbox
        fmap.fit_bounds([[south, west], [north, east]])
    for group in dynamic_groups(frames, visible=shown, as_of=as_of, view=view):
        group.add_to(fmap)
    root = fmap.get_root()
    root.title = safe_text(title, limit=200)  # type: ignore[attr-defined]  # get_root() is typed Element; it is the Figure
    box = _TITLE_BOX.format(title=safe_text(title, limit=200), as_of=as_of.isoformat())
    root.html.add_child(Element(box), name="fa_title")  # type: ignore[attr-defined]  # get_root() is typed Element; it is the Figure
    return inline_html(fmap)
