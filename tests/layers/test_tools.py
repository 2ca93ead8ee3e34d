"""layers.tools search: any spelling finds the place, curated places listed once."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from geo.catalog import DATA_DIR
from layers import load_frames
from layers.mapview import base_map
from layers.tools import fold, publish_search_index, search_index


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


SPELLINGS = [
    ("Ворух", "Vorukh"),
    ("Qalai Khumb", "Qal'ai Khumb"),
    ("Qal'ai Khumb", "Qal'ai Khumb"),
    ("Isfana", "Isfana"),
    ("Исфана", "Isfana"),
    ("Худжанд", "Khujand"),
]
"""Spellings the issue names (typed, the place found); the browser test types the same."""


@pytest.mark.parametrize(("typed", "expected"), SPELLINGS)
def test_every_spelling_finds_the_place(index, typed, expected):
    assert any(expected in title for title in _find(index, typed)), _find(index, typed)


def test_a_curated_place_is_listed_once(index):
    titles = [html.unescape(e[0]) for e in index["entries"]]
    assert len([t for t in titles if t.startswith("Dushanbe")]) == 1
    assert len(titles) == len(set(titles))


# --------------------------------------------------------------------------- served index

URL = "/app/static/generated"


def test_the_index_is_published_once_under_its_content_digest(tmp_path: Path) -> None:
    index = search_index(load_frames(DATA_DIR)[0])
    url = publish_search_index(index, static_dir=tmp_path, url_prefix=URL)
    assert url is not None and url.startswith(f"{URL}/search-")
    written = tmp_path / url.rsplit("/", 1)[1]
    assert json.loads(written.read_text()) == index
    stamp = written.stat().st_mtime_ns
    assert publish_search_index(index, static_dir=tmp_path, url_prefix=URL) == url
    assert written.stat().st_mtime_ns == stamp  # not rewritten
    fewer = {"entries": index["entries"][:3]}
    assert publish_search_index(fewer, static_dir=tmp_path, url_prefix=URL) != url


def test_an_unwritable_folder_gives_no_url(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert publish_search_index({"entries": []}, static_dir=blocker / "sub", url_prefix=URL) is None


def test_a_served_index_leaves_the_frame_and_is_fetched(tmp_path: Path) -> None:
    index = search_index(load_frames(DATA_DIR)[0])
    name = index["entries"][0][0]
    url = publish_search_index(index, static_dir=tmp_path, url_prefix=URL)
    assert url is not None
    served = base_map(None, search=url).get_root().render()
    inline = base_map(None, search=index).get_root().render()
    assert json.dumps(url) in served and "L.Control.Search" in served
    assert json.dumps(name)[1:-1] not in served
    assert json.dumps(name)[1:-1] in inline
    assert len(served) < len(inline) - 10_000


DEFERRED = ("leaflet-measure", "mgrs", "leaflet-search")
"""The tools the live page loads after the first paint (``AfterFirstPaint``)."""


def _frame_assets(fmap) -> list[str]:
    """Every JS/CSS URL streamlit-folium would load before the map script (the tree's lists)."""

    def _walk(element):
        yield element
        for child in element._children.values():
            yield from _walk(child)

    return [
        url
        for e in _walk(fmap)
        for _n, url in [*getattr(e, "default_js", []), *getattr(e, "default_css", [])]
    ]


def test_the_live_page_loads_its_tools_after_the_first_paint() -> None:
    from layers.assets import VENDOR_DIR, localize

    fmap = localize(base_map(None, search="/app/static/generated/search-x.json", defer_tools=True))
    listed = _frame_assets(fmap)
    assert not [u for u in listed if any(name in u for name in DEFERRED)]
    script = fmap.get_root().render()
    loads = re.findall(r"window\.faLoad\((\[[^\]]*\]), (\[[^\]]*\])\)", script)
    urls = [u for js, css in loads for u in [*json.loads(js), *json.loads(css)]]
    for name in DEFERRED:
        assert any(name in u for u in urls), name
    for url in urls:  # served from static/vendor, never from elsewhere
        assert url.startswith("/app/static/vendor/")
        assert (VENDOR_DIR / url.removeprefix("/app/static/vendor/")).is_file()
    # the tools' own scripts still run (inside the loader's callback)
    assert "L.Control.Measure" in script and "L.Control.Search" in script
    assert "mgrs.forward" in script


def test_the_standalone_frame_still_lists_every_tool() -> None:
    from layers.assets import localize

    fmap = localize(base_map(None, search={"entries": [["x", "x", 1, 2]]}))
    listed = _frame_assets(fmap)
    for name in DEFERRED:
        assert any(name in u for u in listed), name
    assert "window.faLoad" not in fmap.get_root().render()


def test_the_live_frame_carries_one_file_loader() -> None:
    """The loader is defined once, at the top level of the frame script (it runs before any
    deferred tool or the mini-map asks for it), however many elements use it."""
    from layers.assets import LOADER_JS, localize
    from layers.base import RemoteGeoJson

    served_base = RemoteGeoJson("/app/static/generated/base.geojson", {}, minimap=True)
    fmap = localize(
        base_map(
            None, base_element=served_base, search="/app/static/generated/s.json", defer_tools=True
        )
    )
    script = fmap.get_root().render()
    assert script.count(LOADER_JS.strip()) == 1
    assert script.count("window.faLoad(") >= 5  # fullscreen, measure, readout, search, mini-map
    # the definition precedes the first element's own code, outside any callback
    first = script.index(LOADER_JS.strip())
    assert script.index("fetch(") > first
