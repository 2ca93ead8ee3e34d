"""The page's briefing story, "what happened lately" list and view downloads, driven by AppTest.

The story's JSON download is checked by its content: Streamlit names an in-memory download by a
hash of its bytes, so the button's URL equals the URL the same media store gives the expected
bytes (``geo.story.story_json`` of the steps the test added, built here from the test's inputs).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

import geo.catalog
from geo.schema import STATUSES
from geo.story import Story, StoryStep, read_story, story_json
from layers.export import DEFAULT_BBOX, clamp_bbox
from layers.urlstate import default_layers
from tests.apptest_page import settled
from tests.test_app import APP, AS_OF, map_payload
from ui.state import fit_bbox

STORIES = Path(__file__).resolve().parent / "data" / "stories"
STORY_DL = "frontier-atlas-story.json"


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def app(fixture_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """An AppTest of the page on the fixture data, opened with the given URL query, already run."""
    monkeypatch.setattr(geo.catalog, "DATA_DIR", fixture_data_dir)

    def open_page(**query: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return settled(at)

    return open_page


def _download_url(data: bytes, *, mime: str, file_name: str) -> str:
    """The URL Streamlit's in-memory media store gives ``data`` (a hash of the bytes)."""
    manager = MediaFileManager(MemoryMediaFileStorage("/mock/media"))
    return manager.add(data, mime, "probe", file_name=file_name, is_for_static_download=True)


def _add_view(at: AppTest, *, title: str, caption: str) -> AppTest:
    (title_box,) = [t for t in at.text_input if t.key.startswith("fa_story_new_title")]
    (caption_box,) = [t for t in at.text_area if t.key.startswith("fa_story_new_caption")]
    title_box.input(title)
    caption_box.input(caption)
    return at.button(key="fa_story_add").click().run()


def _upload(at: AppTest, name: str, raw: bytes) -> AppTest:
    return at.file_uploader(key="fa_story_upload").set_value((name, raw, "application/json")).run()


def _texts(at: AppTest) -> list[str]:
    """Every Markdown-rendered text on the page (markdown, captions, alerts)."""
    kinds = (at.markdown, at.caption, at.info, at.error, at.warning, at.subheader)
    return [str(e.value) for kind in kinds for e in kind]


def _expected_step(at: AppTest, title: str, caption: str, day: str) -> StoryStep:
    return StoryStep(
        title=title,
        caption=caption,
        date=dt.date.fromisoformat(day),
        # the box the map reported (AppTest has no browser: the panel then uses the export's default)
        bbox=clamp_bbox(
            at.session_state["fa_bbox"] if "fa_bbox" in at.session_state else DEFAULT_BBOX  # noqa: SIM401 (no .get on AppTest state)
        ),
        layers=default_layers(),
        status=STATUSES,
    )


def _story_url(*steps: StoryStep) -> str:
    story = Story(version=1, title="Briefing", steps=steps)
    return _download_url(story_json(story), mime="application/json", file_name=STORY_DL)


def test_add_reorder_delete_and_the_download_holds_what_was_added(
    app: Callable[..., AppTest],
) -> None:
    at = app(date=AS_OF)
    _add_view(at, title="Golovnoi", caption="First view.")
    at.date_input(key="fa_date").set_value(dt.date(2021, 9, 25)).run()
    _add_view(at, title="Second", caption="Second view.")
    assert not at.exception
    first = _expected_step(at, "Golovnoi", "First view.", AS_OF)
    second = _expected_step(at, "Second", "Second view.", "2021-09-25")
    assert at.download_button(key="fa_story_dl").proto.url == _story_url(first, second)

    at.button(key="fa_story_down_1").click().run()  # the first step moves down
    assert at.download_button(key="fa_story_dl").proto.url == _story_url(second, first)

    at.button(key="fa_story_del_2").click().run()  # "Second" is deleted
    assert at.download_button(key="fa_story_dl").proto.url == _story_url(first)

    at.text_input(key="fa_story_edit_title_1").input("Golovnoi intake")
    at.button(key="fa_story_save_1").click().run()
    edited = _expected_step(at, "Golovnoi intake", "First view.", AS_OF)
    assert at.download_button(key="fa_story_dl").proto.url == _story_url(edited)
    assert not at.exception and [e.value for e in at.error] == []


@pytest.mark.parametrize(
    "name",
    [
        "wrong_version.json",
        "unknown_layer.json",
        "ten_thousand_steps.json",
        "random_bytes.json",
        "bbox_out_of_range.json",
        "caption_too_long.json",
    ],
)
def test_a_bad_story_upload_gives_one_sentence_and_the_page_runs(
    app: Callable[..., AppTest], name: str
) -> None:
    at = _upload(app(), name, (STORIES / name).read_bytes())
    assert not at.exception
    (error,) = at.error
    assert name in error.value.replace("\\", "")  # shown with Markdown's escapes
    assert "\n" not in error.value and "Traceback" not in error.value
    assert map_payload(at)["feature_group"]  # the map is still drawn
    assert "fa_story_dl" not in [b.key for b in at.download_button]  # no story was loaded


def test_hostile_captions_are_inert_on_the_page(app: Callable[..., AppTest]) -> None:
    raw = (STORIES / "hostile_captions.json").read_bytes()
    at = _upload(app(), "hostile_captions.json", raw)
    at.button(key="fa_story_present").click().run()
    assert not at.exception
    texts = _texts(at)
    assert any("alert" in t for t in texts)  # the caption is shown …
    for text in texts:  # … as text: every <, [, { and $ of the data is escaped for Markdown
        assert not re.search(r"(?<!\\)[<\[{$]", text), text
        assert "](" not in text, text


def test_story_step_in_the_url_selects_that_step(app: Callable[..., AppTest]) -> None:
    raw = (STORIES / "valid_three_steps.json").read_bytes()
    story = read_story(raw)
    at = _upload(app(story_step="2"), "valid_three_steps.json", raw)
    assert not at.exception
    step = story.steps[1]
    assert story.title in [t.value for t in at.text_input]  # the loaded title, editable
    assert at.date_input(key="fa_date").value == step.date
    assert at.toggle(key="fa_compare_on").value is True
    assert at.date_input(key="fa_compare").value == step.compare
    for layer_id in (*default_layers(), "places"):
        assert at.checkbox(key=f"fa_layer_{layer_id}").value == (layer_id in step.layers)
    center, zoom = fit_bbox(step.bbox)
    payload = map_payload(at)
    assert (tuple(payload["center"]), payload["zoom"]) == (center, zoom)
    assert at.query_params["story_step"] == "2"
    assert any(step.caption in t for t in _texts(at))

    at.button(key="fa_story_next").click().run()  # to step 3
    last = story.steps[2]
    payload = map_payload(at)
    assert (tuple(payload["center"]), payload["zoom"]) == fit_bbox(last.bbox)
    assert at.date_input(key="fa_date").value == last.date
    assert at.query_params["story_step"] == "3"
    assert at.button(key="fa_story_next").disabled


def test_a_story_step_beyond_the_story_or_malformed_gives_one_notice(
    app: Callable[..., AppTest],
) -> None:
    (warning,) = app(story_step="zero").warning
    assert "'story_step'" in warning.value.replace("\\", "")
    raw = (STORIES / "valid_three_steps.json").read_bytes()
    at = _upload(app(story_step="9"), "valid_three_steps.json", raw)
    assert not at.exception
    (error,) = at.error
    assert "step 9" in error.value.replace("\\", "")
    assert "story_step" not in at.query_params  # not presenting


def _fixture_point(root: Path, file: str, fid: str) -> tuple[float, float]:
    data = json.loads((root / file).read_text(encoding="utf-8"))
    (feature,) = [f for f in data["features"] if f["properties"]["id"] == fid]
    lon, lat = feature["geometry"]["coordinates"]
    return lat, lon


def test_lately_lists_the_window_newest_first_and_choosing_one_opens_it(
    app: Callable[..., AppTest], fixture_data_dir: Path
) -> None:
    at = app(date=AS_OF, window="60")
    (table,) = [d for d in at.dataframe if "place" in d.value.columns]
    # the fixture: exercise ex-1 from 2021-10-01, event ev-1 on 2021-09-20; both within 60 days
    assert list(table.value["date"]) == ["2021-10-01", "2021-09-20"]
    assert list(table.value["kind"]) == ["exercise", table.value["kind"][1]]
    pick = at.selectbox(key="fa_lately_pick")
    assert pick.options[0].startswith("2021-10-01")
    pick.set_value("ev-1").run()
    assert not at.exception
    payload = map_payload(at)
    assert 'var wanted = "ev-1"' in payload["feature_group"]  # its popup opens
    assert tuple(payload["center"]) == _fixture_point(fixture_data_dir, "events.geojson", "ev-1")
    assert at.query_params["feature"] == "ev-1"

    at = app(date=AS_OF, window="7")  # a week back: the exercise (to 2021-10-10), not the event
    (table,) = [d for d in at.dataframe if "place" in d.value.columns]
    assert list(table.value["date"]) == ["2021-10-01"]


def test_geopackage_and_kml_downloads_are_offered_and_made_on_click(
    app: Callable[..., AppTest],
) -> None:
    at = app(date=AS_OF)
    for key, label in (("fa_view_gpkg", "GeoPackage"), ("fa_view_kml", "KML")):
        button = at.download_button(key=key)
        assert label in button.label
        assert not button.disabled
        assert button.proto.deferred_file_id  # made only when pressed
    for layer_id in default_layers():
        at.checkbox(key=f"fa_layer_{layer_id}").uncheck()
    at.run()
    assert at.download_button(key="fa_view_gpkg").disabled
    assert at.download_button(key="fa_view_kml").disabled


def test_the_pack_is_rendered_with_a_progress_bar_and_offered(app: Callable[..., AppTest]) -> None:
    at = app(date=AS_OF)
    _add_view(at, title="One view", caption="The caption of the only step.")
    at.radio(key="fa_story_pack_fmt").set_value("pptx")
    at.button(key="fa_story_pack_go").click().run(timeout=300)
    assert not at.exception and [e.value for e in at.error] == []
    assert at.get("progress")  # the bar the pack's progress callback moved
    button = at.download_button(key="fa_story_pack_dl")
    assert "PPTX" in button.label
    assert button.proto.url.endswith(".pptx")
