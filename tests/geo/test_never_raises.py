"""The readers never raise, whatever the bytes: random bytes and truncated copies of valid files go
through ``read_overlay`` (all three formats), the validator (``validate_bytes``, every layer
schema), the URL reader (``parse_query``) and the story reader (``read_story``); each answers with
sentences, never a traceback.

A seeded random loop (reproducible; the seed is in the test id), not a property-testing library.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from geo.catalog import DATA_DIR
from geo.errors import GeoDataError, StoryError
from geo.overlay import read_overlay
from geo.story import read_story
from geo.validate import validate_bytes
from layers.urlstate import KNOWN, parse_query

DATA = Path(__file__).resolve().parents[1] / "data"
VALID = sorted(
    [p for p in DATA.rglob("*") if p.is_file() and p.stat().st_size < 200_000]
    + [p for p in DATA_DIR.glob("*.geojson") if p.stat().st_size < 400_000]
)
NAMES = ("up.geojson", "up.kml", "up.csv", "events.geojson", "borders.geojson", "places.geojson")
SEEDS = range(6)


def _samples(seed: int) -> list[bytes]:
    rng = random.Random(seed)
    out = [rng.randbytes(rng.randrange(0, 4096)) for _ in range(25)]
    for path in rng.sample(VALID, min(12, len(VALID))):
        raw = path.read_bytes()
        out.append(raw[: rng.randrange(0, len(raw) + 1)])  # truncated
        flipped = bytearray(raw)
        for _ in range(8):
            if flipped:
                flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        out.append(bytes(flipped))  # a few bytes changed
    return out


def _one_sentence_each(lines: list[str]) -> None:
    for line in lines:
        assert "\n" not in line and "Traceback" not in line, line


@pytest.mark.parametrize("seed", SEEDS)
def test_read_overlay_never_raises(seed: int) -> None:
    for raw in _samples(seed):
        for name in NAMES[:3]:
            report = read_overlay(raw, filename=name)
            assert report.features or report.problems, name
            _one_sentence_each(report.lines())


@pytest.mark.parametrize("seed", SEEDS)
def test_the_validator_never_raises(seed: int) -> None:
    for raw in _samples(seed):
        for name in NAMES[3:]:
            report = validate_bytes(raw, name=name)
            assert all(isinstance(p, GeoDataError) for p in report.problems)
            _one_sentence_each(report.lines())


@pytest.mark.parametrize("seed", SEEDS)
def test_the_url_reader_never_raises(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "0123456789-.,:/@%&=?#<>[]()!'\"\\ abcdefxyzEe+nanifINF\x00\u2028é"
    keys = [*KNOWN, "embed", "x", ""]
    for _ in range(300):
        params: dict[str, str | list[str]] = {}
        for _ in range(rng.randrange(0, 6)):
            value = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
            params[rng.choice(keys)] = [value, value[::-1]] if rng.random() < 0.2 else value
        _, notices = parse_query(params)
        _one_sentence_each(notices)


STORIES = sorted((DATA / "stories").glob("valid*.json"))


@pytest.mark.parametrize("seed", SEEDS)
def test_the_story_reader_never_raises(seed: int) -> None:
    """Random bytes, and truncated or byte-flipped copies of the valid story files."""
    rng = random.Random(seed)
    samples = [rng.randbytes(rng.randrange(0, 4096)) for _ in range(25)]
    for path in STORIES:
        raw = path.read_bytes()
        for _ in range(15):
            samples.append(raw[: rng.randrange(0, len(raw) + 1)])
            flipped = bytearray(raw)
            for _ in range(4):
                flipped[rng.randrange(len(flipped))] = rng.randrange(256)
            samples.append(bytes(flipped))
    read = 0
    for raw in samples:
        try:
            read_story(raw, name="story.json", layer_ids=("base", "borders", "enclaves"))
            read += 1
        except StoryError as err:
            _one_sentence_each([str(err)])
    assert STORIES and read < len(samples)
