"""The search index as a served file: written once per content, referenced by URL from the frame,
and inlined again when the folder cannot be written."""

from __future__ import annotations

import json
from pathlib import Path

from geo.catalog import DATA_DIR
from layers import load_frames
from layers.mapview import base_map
from layers.tools import publish_search_index, search_index

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
    fewer = {"type": "FeatureCollection", "features": index["features"][:3]}
    assert publish_search_index(fewer, static_dir=tmp_path, url_prefix=URL) != url


def test_an_unwritable_folder_gives_no_url(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    index = {"type": "FeatureCollection", "features": []}
    assert publish_search_index(index, static_dir=blocker / "sub", url_prefix=URL) is None


def test_a_served_index_leaves_the_frame_and_is_fetched(tmp_path: Path) -> None:
    frames = load_frames(DATA_DIR)[0]
    index = search_index(frames)
    label = index["features"][0]["properties"]["label"]
    url = publish_search_index(index, static_dir=tmp_path, url_prefix=URL)
    served = base_map(None, search=url).get_root().render()
    inline = base_map(None, search=index).get_root().render()
    assert json.dumps(url) in served and "L.Control.Search" in served
    assert json.dumps(label)[1:-1] not in served
    assert json.dumps(label)[1:-1] in inline
    assert len(served) < len(inline) - 10_000
