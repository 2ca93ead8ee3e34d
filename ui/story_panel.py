"""The briefing story in the page: capture views as steps, edit them, present them, export a pack.

A story is a list of ``geo.story.StoryStep`` kept in the session (``fa_story_steps``, each with a
stable number so its widgets keep their keys when steps move). Every change happens in a widget
callback, before the script draws the sidebar, because presenting a step sets the sidebar's own
widget values (date, compare date, layers, statuses) and moves the map (``ui.state.move_map``).

An uploaded story is untrusted: ``geo.story.read_story`` checks it and answers with one sentence,
shown through ``plain_notice``; its titles and captions are shown as plain text only.

Keyboard: the Previous/Next buttons carry Streamlit's ``shortcut`` (the Left and Right arrow keys).
They act while the page has the focus, not while the map frame has it (Leaflet keeps the arrows
for panning) nor while a text field has it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import streamlit as st
from pydantic import ValidationError

from geo.errors import GeoDataError, ParamError, StoryError
from geo.schema import STATUSES
from geo.story import MAX_STEPS, MAX_STORY_BYTES, VERSION, Story, StoryStep, read_story, story_json
from layers import REGISTRY, layer_ids
from layers.brief import FORMATS, MEDIA_TYPE, render_pack
from layers.export import DEFAULT_BBOX, clamp_bbox
from layers.text import plain_notice
from layers.urlstate import FIRST_DAY
from ui.state import fit_bbox, move_map, visible_bbox

DEFAULT_TITLE = "Briefing"
CAPTION_LIMIT = 1300
"""Display cut for a caption (the story format allows 1,200 characters)."""

Steps = list[tuple[int, StoryStep]]


def _steps() -> Steps:
    steps: Steps = st.session_state.setdefault("fa_story_steps", [])
    return steps


def _notice(text: str | None) -> None:
    st.session_state.fa_story_notice = text


def _problem(err: ValidationError) -> str:
    first = err.errors(include_url=False)[0]
    field = ".".join(str(p) for p in first["loc"]) or "step"
    return f"field {field}: {str(first['msg']).removeprefix('Value error, ')}"


def _meta_key(name: str) -> str:
    """The story title and handling widgets' keys: new ones after each upload.

    A value set from Python reaches a widget drawn in the browser only in the run that sets it;
    if that run is cut short (the map reporting its move restarts it), the browser keeps the old
    text. A widget with a new key shows its ``value`` instead, whatever run draws it.
    """
    return f"{name}_{st.session_state.get('fa_story_loads', 0)}"


def _form_key(name: str) -> str:
    """The "add this view" inputs' keys: new (so empty) after each added or loaded step."""
    return f"{name}_{st.session_state.get('fa_story_uid', 0)}"


def _new_uid() -> int:
    uid = int(st.session_state.get("fa_story_uid", 0)) + 1
    st.session_state.fa_story_uid = uid
    return uid


# --- building ---------------------------------------------------------------------------------


def current_step(*, title: str, caption: str) -> StoryStep:
    """The view the sidebar and the map show now, as a story step (raises ``ValidationError``)."""
    state = st.session_state
    return StoryStep.model_validate(
        {
            "title": title,
            "caption": caption,
            "date": state.fa_date,
            "compare": state.fa_compare if state.get("fa_compare_on") else None,
            "bbox": clamp_bbox(visible_bbox() or DEFAULT_BBOX),
            "layers": [i for i in REGISTRY if state.get(f"fa_layer_{i}")],
            "status": [s for s in STATUSES if state.get(f"fa_status_{s}")],
        },
        context={"layer_ids": frozenset(layer_ids())},
    )


def _add() -> None:
    steps = _steps()
    if len(steps) >= MAX_STEPS:
        _notice(f"A story holds at most {MAX_STEPS} steps.")
        return
    state = st.session_state
    title = (state.get(_form_key("fa_story_new_title")) or "").strip() or f"Step {len(steps) + 1}"
    try:
        step = current_step(title=title, caption=state.get(_form_key("fa_story_new_caption")) or "")
    except ValidationError as err:
        _notice(f"The view was not added ({_problem(err)}).")
        return
    steps.append((_new_uid(), step))  # a new uid: the inputs are drawn afresh, empty
    _notice(None)


def _move(uid: int, delta: int) -> None:
    steps = _steps()
    at = next(i for i, (u, _) in enumerate(steps) if u == uid)
    to = at + delta
    if 0 <= to < len(steps):
        steps[at], steps[to] = steps[to], steps[at]


def _delete(uid: int) -> None:
    steps = _steps()
    steps[:] = [(u, s) for u, s in steps if u != uid]
    at = st.session_state.get("fa_story_step")
    if at is not None and at >= len(steps):
        st.session_state.fa_story_step = len(steps) - 1 if steps else None


def _save(uid: int) -> None:
    steps = _steps()
    at = next(i for i, (u, _) in enumerate(steps) if u == uid)
    state = st.session_state
    data = steps[at][1].model_dump()
    data.update(
        title=state.get(f"fa_story_edit_title_{uid}") or "",
        caption=state.get(f"fa_story_edit_caption_{uid}") or "",
    )
    try:
        steps[at] = (uid, StoryStep.model_validate(data))
    except ValidationError as err:
        _notice(f"Step {at + 1} was not changed ({_problem(err)}).")
        return
    _notice(None)


def story() -> Story | None:
    """The story built so far (None while it has no step)."""
    steps = _steps()
    if not steps:
        return None
    state = st.session_state
    return Story(
        version=VERSION,
        title=" ".join((state.get(_meta_key("fa_story_title")) or "").split()) or DEFAULT_TITLE,
        handling=" ".join((state.get(_meta_key("fa_story_handling")) or "").split()) or None,
        steps=tuple(s for _, s in steps),
    )


def _upload() -> None:
    file = st.session_state.get("fa_story_upload")
    if file is None:
        return
    name = str(file.name)[:80]
    if file.size > MAX_STORY_BYTES:  # refused before its bytes are read
        _notice(
            f"{name}: the file is {file.size:,} bytes; a story file may be at most "
            f"{MAX_STORY_BYTES:,} bytes"
        )
        return
    try:
        loaded = read_story(file.getvalue(), name=name, layer_ids=layer_ids())
    except StoryError as err:
        _notice(str(err))
        return
    state = st.session_state
    state.fa_story_steps = [(_new_uid(), s) for s in loaded.steps]
    state.fa_story_loads = int(state.get("fa_story_loads", 0)) + 1
    state.fa_story_loaded = (loaded.title, loaded.handling or "")
    state.fa_story_step = None
    _notice(None)
    wanted = state.get("fa_story_step_wanted")  # the URL's story_step, for a colleague following
    if wanted is not None:
        state.fa_story_step_wanted = None
        if wanted <= len(loaded.steps):
            go(wanted - 1)
        else:
            _notice(
                f"The link asks for step {wanted}, but {name} has {len(loaded.steps)} steps; "
                "showing the story from its start."
            )


# --- presenting -------------------------------------------------------------------------------


def _page_day(day: dt.date | None) -> dt.date | None:
    """A story date as the page's controls accept it (they start on FIRST_DAY and end today)."""
    return None if day is None else min(max(day, FIRST_DAY), dt.date.today())


def go(index: int | None) -> None:
    """Present step ``index`` (0-based): set the controls' values and move the map; None stops."""
    steps = _steps()
    state = st.session_state
    if index is None or not steps:
        state.fa_story_step = None
        return
    index = max(0, min(index, len(steps) - 1))
    step = steps[index][1]
    state.fa_story_step = index
    state.fa_date = state.fa_date_slider = _page_day(step.date)
    state.fa_compare_on = step.compare is not None
    if step.compare is not None:
        state.fa_compare = _page_day(step.compare)
    for layer_id in REGISTRY:
        state[f"fa_layer_{layer_id}"] = layer_id in step.layers
    for status in STATUSES:
        state[f"fa_status_{status}"] = status in step.status
    move_map(*fit_bbox(step.bbox))


def presentation_bar() -> None:
    """Above the map while presenting: the step's title and caption, previous/next, stop.

    The bar's container is drawn on every run, presenting or not, so the map keeps its place in
    the page (an element inserted before it would make the browser remount the map).
    """
    bar = st.container()
    at = st.session_state.get("fa_story_step")
    steps = _steps()
    if at is None or not steps:
        return
    step = steps[at][1]
    prev_col, info_col, next_col, stop_col = bar.columns(
        (1.6, 5, 1.4, 0.9), vertical_alignment="center"
    )
    prev_col.button(
        "◀ Previous",
        key="fa_story_prev",
        on_click=go,
        args=(at - 1,),
        disabled=at == 0,
        shortcut="Left",
        width="stretch",
    )
    next_col.button(
        "Next ▶",
        key="fa_story_next",
        on_click=go,
        args=(at + 1,),
        disabled=at >= len(steps) - 1,
        shortcut="Right",
        width="stretch",
    )
    stop_col.button("Stop", key="fa_story_stop", on_click=go, args=(None,))
    info_col.markdown(
        f"**Step {at + 1} of {len(steps)}** · {step.date.isoformat()} · " + plain_notice(step.title)
    )
    if step.caption:
        bar.info(plain_notice(step.caption, limit=CAPTION_LIMIT))


# --- the panel --------------------------------------------------------------------------------


def _step_rows(steps: Steps, box: Any) -> None:
    for i, (uid, step) in enumerate(steps):
        row = box.container(border=True)
        head, up, down, show, drop = row.columns((6, 1, 1, 1, 1), vertical_alignment="center")
        compare = f" (compared with {step.compare.isoformat()})" if step.compare else ""
        head.markdown(
            f"**{i + 1}.** {step.date.isoformat()}{compare} · " + plain_notice(step.title)
        )
        up.button("↑", key=f"fa_story_up_{uid}", on_click=_move, args=(uid, -1), disabled=i == 0)
        down.button(
            "↓",
            key=f"fa_story_down_{uid}",
            on_click=_move,
            args=(uid, 1),
            disabled=i == len(steps) - 1,
        )
        show.button("Show", key=f"fa_story_show_{uid}", on_click=go, args=(i,))
        drop.button("Delete", key=f"fa_story_del_{uid}", on_click=_delete, args=(uid,))
        edit = row.expander("Edit title and caption")
        edit.text_input("Step title", value=step.title, key=f"fa_story_edit_title_{uid}")
        edit.text_area("Caption", value=step.caption, key=f"fa_story_edit_caption_{uid}")
        edit.button("Save", key=f"fa_story_save_{uid}", on_click=_save, args=(uid,))


def _pack(frames: Mapping[str, gpd.GeoDataFrame], told: Story, box: Any) -> None:
    fmt = box.radio("Pack format", FORMATS, horizontal=True, key="fa_story_pack_fmt")
    if not box.button("Prepare the pack", key="fa_story_pack_go"):
        return
    bar = box.progress(0.0, text="Rendering the pack…")

    def progress(done: int, total: int, what: str) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"{done} of {total}: {what}")

    try:
        data = render_pack(frames, told, fmt=fmt, progress=progress)
    except (GeoDataError, ParamError) as err:
        box.error(plain_notice(str(err)))
        return
    box.download_button(
        f"Download the pack ({fmt.upper()})",
        data,
        file_name=f"frontier-atlas-briefing.{fmt}",
        mime=MEDIA_TYPE[fmt],
        key="fa_story_pack_dl",
    )


def story_panel(frames: Mapping[str, gpd.GeoDataFrame]) -> None:
    """Below the map: add this view, the steps (reorder, edit, delete), files in and out, pack."""
    steps = _steps()
    box = st.expander(f"Briefing story ({len(steps)} steps)", expanded=bool(steps))
    notice = st.session_state.get("fa_story_notice")
    if notice:
        box.error(plain_notice(notice))
    title, handling = st.session_state.get("fa_story_loaded", ("", ""))
    box.text_input(
        "Story title",
        value=title,
        key=_meta_key("fa_story_title"),
        max_chars=200,
        placeholder=DEFAULT_TITLE,
    )
    box.text_input(
        "Story handling line (optional)",
        value=handling,
        key=_meta_key("fa_story_handling"),
        max_chars=60,
    )
    box.text_input("Step title", key=_form_key("fa_story_new_title"), max_chars=200)
    box.text_area("Caption for this view", key=_form_key("fa_story_new_caption"), max_chars=1200)
    box.button("Add this view to the briefing", key="fa_story_add", on_click=_add, type="primary")
    _step_rows(steps, box)
    box.file_uploader(
        "Open a story file (JSON)", type=["json"], key="fa_story_upload", on_change=_upload
    )
    told = story()
    if told is None:
        return
    box.button("Present from step 1", key="fa_story_present", on_click=go, args=(0,))
    box.download_button(
        "Download the story (JSON)",
        story_json(told),
        file_name="frontier-atlas-story.json",
        mime="application/json",
        key="fa_story_dl",
    )
    _pack(frames, told, box)
