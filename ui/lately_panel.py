"""What happened lately: the look-back window's events and exercises under the map, newest first.

Choosing one pans the map to it and opens its popup (``ui.state.move_map`` and
``select_feature``: the ``feature=`` mechanism). The data's text is shown as plain table cells and
plain option labels, never as markup.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import streamlit as st

from layers.lately import LatelyRow, lately
from layers.urlstate import ViewState
from ui.state import move_map, select_feature

PICK_ZOOM = 10
"""The zoom a chosen event is shown at (closer if the map is already closer)."""
COLUMNS = ("date", "kind", "place", "fatalities", "confidence", "source")


def _label(row: LatelyRow) -> str:
    return f"{row.date.isoformat()} · {row.kind} · {row.place}"


def _show(rows: Mapping[str, LatelyRow]) -> None:
    """Callback: pan to the chosen row and open its popup (before the map is drawn)."""
    chosen = rows.get(st.session_state.get("fa_lately_pick") or "")
    if chosen is None:
        return
    zoom = max(PICK_ZOOM, int(st.session_state.fa_view[2]))
    move_map((chosen.lat, chosen.lon), zoom)
    select_feature(chosen.id)


def lately_panel(frames: Mapping[str, gpd.GeoDataFrame], view: ViewState) -> None:
    """The list of the window's events and exercises, and a chooser that shows one on the map."""
    rows = lately(frames, as_of=view.date, window_days=view.window_days)
    st.subheader("What happened lately")
    st.caption(
        f"Events and exercises in the {view.window_days} days up to {view.date.isoformat()}, "
        "newest first."
    )
    if not rows:
        st.caption("Nothing in this window: widen the look-back in the sidebar.")
        return
    records = [{c: r.as_record()[c] for c in COLUMNS} for r in rows]
    st.dataframe(records, hide_index=True, width="stretch", key="fa_lately_table")
    by_id = {r.id: r for r in rows}
    st.selectbox(
        "Show on the map",
        list(by_id),
        index=None,
        format_func=lambda fid: _label(by_id[fid]),
        key="fa_lately_pick",
        on_change=_show,
        args=(by_id,),
        placeholder="choose an event or exercise…",
    )
