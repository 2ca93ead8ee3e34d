"""Story files: a good one reads back; each bad one (one defect per file) gives its one sentence."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geo.errors import StoryError
from geo.story import MAX_STEPS, read_story, story_json
from layers import LAYER_IDS

STORIES = Path(__file__).resolve().parents[1] / "data" / "stories"

BAD = {
    "wrong_version.json": "story version 2 is not supported",
    "missing_version.json": "story version missing is not supported",
    "unknown_layer.json": "step 2, field layers: unknown layer 'dragons'",
    "unknown_status.json": "step 2, field status: unknown status 'contested'",
    "bbox_out_of_range.json": "step 2, field bbox: 10,10,20,20 lies outside the map region",
    "bbox_inverted.json": "step 2, field bbox: must be W, S, E, N with W < E",
    "bbox_three_numbers.json": "step 2, field bbox:",
    "bad_date.json": "step 2, field date: '2022-02-30' is not a date written YYYY-MM-DD",
    "future_date.json": "step 2, field date: 2999-01-01 is not between",
    "date_as_number.json": "step 2, field date: must be a date written YYYY-MM-DD",
    "missing_title.json": "field title: is missing",
    "step_missing_bbox.json": "step 1, field bbox: is missing",
    "unknown_field.json": "step 2, field script: is not a story field",
    "no_steps.json": "field steps:",
    "steps_not_a_list.json": "field steps:",
    "caption_too_long.json": "step 2, field caption: is 5000 characters long; at most 1200",
    "not_an_object.json": "a story file must be a JSON object",
    "ten_thousand_steps.json": f"the story has 10,000 steps; at most {MAX_STEPS} are allowed",
    "bad_json.json": "bad_json.json",
    "duplicate_key.json": "version",
    "nan_in_bbox.json": "NaN is not a JSON number",
    "random_bytes.json": "UTF-8",
    "empty.json": "the file is empty",
    "oversize.json": "oversize.json",
}


@pytest.mark.parametrize(("name", "needle"), sorted(BAD.items()))
def test_each_bad_story_gives_its_one_sentence(name: str, needle: str) -> None:
    raw = (STORIES / name).read_bytes()
    with pytest.raises(StoryError) as exc:
        read_story(raw, name=name, layer_ids=LAYER_IDS)
    sentence = str(exc.value)
    assert needle in sentence
    assert sentence.startswith(name)
    assert "\n" not in sentence and "Traceback" not in sentence
    assert len(sentence) < 300


def test_every_bad_file_is_tested() -> None:
    on_disk = {p.name for p in STORIES.iterdir()} - {"valid_three_steps.json"}
    on_disk -= {"hostile_captions.json"}
    assert on_disk == set(BAD)


def test_oversize_is_refused_by_size_before_parsing() -> None:
    raw = (STORIES / "oversize.json").read_bytes()
    with pytest.raises(StoryError, match="bytes"):
        read_story(raw, name="oversize.json")
    assert read_story(raw, name="oversize.json", max_bytes=len(raw)).title == "Bad story"


def test_the_valid_story_reads_and_round_trips() -> None:
    raw = (STORIES / "valid_three_steps.json").read_bytes()
    story = read_story(raw, name="valid", layer_ids=LAYER_IDS)
    assert story.title == "Isfara valley briefing"
    assert story.handling == "OFFICIAL"
    assert [s.date for s in story.steps] == [
        dt.date(2021, 4, 30),
        dt.date(2022, 9, 17),
        dt.date(2025, 3, 14),
    ]
    assert story.steps[1].compare == dt.date(2021, 4, 30)
    assert story.steps[0].bbox == (70.35, 39.75, 70.85, 40.15)
    again = read_story(story_json(story), name="again", layer_ids=LAYER_IDS)
    assert again == story
    assert json.loads(story_json(story))["version"] == 1


def test_hostile_captions_are_kept_as_literal_text() -> None:
    raw = (STORIES / "hostile_captions.json").read_bytes()
    story = read_story(raw, name="hostile", layer_ids=LAYER_IDS)
    caption = story.steps[0].caption
    assert "<script>alert('x')</script>" in caption
    assert "{{7*7}}" in caption and "[click](http://evil.example)" in caption
    assert story.title == "Hostile <b>title</b> {{7*7}}"


def test_layer_ids_are_the_callers() -> None:
    raw = (STORIES / "valid_three_steps.json").read_bytes()
    assert read_story(raw, layer_ids=None).steps[0].layers[0] == "base"
    with pytest.raises(StoryError, match="unknown layer 'base'"):
        read_story(raw, name="s", layer_ids={"borders"})
