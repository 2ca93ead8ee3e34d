"""layers.tools search: any spelling finds the place, curated places listed once."""

from __future__ import annotations

import html

import pytest

from layers import load_frames
from layers.tools import fold, search_index


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Qal'ai Khumb", "Qalai Khumb"),
        ("Qalʻai-Khumb", "qalai khumb"),
        ("İsfana", "Isfana"),
        ("Kök-Tash", "Kok Tash"),
        ("Шӯроб", "шуроб"),
    ],
)
def test_fold_makes_spellings_meet(a, b):
    assert fold(a) == fold(b)


def test_fold_keeps_scripts_apart():
    assert fold("Ворух") == "ворух"
    assert fold("Ворух") != fold("Vorukh")


@pytest.fixture(scope="module")
def index():
    frames, _ = load_frames()
    return search_index(frames)


def _find(index, query):
    q = fold(query)
    return [
        html.unescape(e[0])
        for e in index["entries"]
        if any(q in k for k in html.unescape(e[1]).split("|"))
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Ворух", "Vorukh"),
        ("Qalai Khumb", "Qal'ai Khumb"),
        ("Qal'ai Khumb", "Qal'ai Khumb"),
        ("Isfana", "Isfana"),
        ("Исфана", "Isfana"),
        ("Худжанд", "Khujand"),
    ],
)
def test_every_spelling_finds_the_place(index, typed, expected):
    assert any(expected in title for title in _find(index, typed)), _find(index, typed)


def test_a_curated_place_is_listed_once(index):
    titles = [html.unescape(e[0]) for e in index["entries"]]
    assert len([t for t in titles if t.startswith("Dushanbe")]) == 1
    assert len(titles) == len(set(titles))
