"""The standalone HTML map, opened from disk in headless chromium: it draws, and asks for nothing.

Border segments are cut from the real KGZ-TJK base line with the test spec, so on 2021-10-15 the
map has delimited, disputed and undetermined segments; one place carries a hostile name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlparse

import pytest

from geo.build.segments import cut_segments, read_lines, read_spec
from geo.catalog import DATA_DIR, concat_frames, frame_from_features, load_frame
from geo.schema import STATUSES
from layers import REGISTRY
from layers._draw import ViewOptions
from layers.standalone import standalone_html
from tests.browser.conftest import GuardedPage

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "tests" / "data" / "segments" / "kgz_tjk.spec.json"
HOSTILE = "{{ 7*7 }} <img src=x onerror=alert(1)> $`x`"
TITLE = "Brief <b>{{ 7*7 }}</b>"


@pytest.fixture(scope="module")
def html_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    place = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [70.585, 39.86]},
        "properties": {
            "id": "place-hostile",
            "name": HOSTILE,
            "valid_from": None,
            "valid_to": None,
            "confidence": "claimed",
            "sources": [{"title": "t", "publisher": "p", "date": "2021-05-01", "url": None}],
            "kind": "village",
            "country": "TJK",
            "alt_names": [],
        },
    }
    segments = cut_segments(
        read_lines(DATA_DIR / "base" / "border_lines.geojson"), read_spec(SPEC), spec_name=SPEC.name
    )
    frames = {
        "base": concat_frames([load_frame(DATA_DIR / f)[0] for f in REGISTRY["base"].files]),
        "borders": frame_from_features(segments),
        "places": frame_from_features([place]),
        "enclaves": concat_frames(
            [load_frame(DATA_DIR / f)[0] for f in REGISTRY["enclaves"].files]
        ),
    }
    html = standalone_html(
        frames,
        as_of=dt.date(2021, 10, 15),
        layers=("base", "borders", "enclaves", "places"),
        view=ViewOptions(),
        title=TITLE,
        bbox=(70.3, 39.7, 70.9, 40.1),
    )
    path = tmp_path_factory.mktemp("standalone") / "map.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_standalone_map_renders_from_file_with_no_request(
    guarded_page: GuardedPage, html_file: Path
) -> None:
    page = guarded_page.page
    page.goto(html_file.as_uri())
    page.locator("path.fa-layer-borders.fa-status-delimited").first.wait_for(timeout=30_000)
    for status in STATUSES:
        assert page.locator(f"path.fa-layer-borders.fa-status-{status}").count() >= 1, status
    assert page.locator("path.fa-layer-base").count() >= 1
    assert page.locator("path.fa-layer-places").count() == 1
    assert page.locator("[data-testid='fa-legend']").count() == 1

    title = page.locator("[data-testid='fa-title']")
    assert title.inner_text().splitlines() == [TITLE, "As of 2021-10-15"]
    assert page.title() == TITLE

    # the live map's labels: the same engine and groups, visible text without hovering
    vorukh = page.locator(".fa-label-enclave", has_text="Vorukh")
    vorukh.wait_for(timeout=10_000)
    assert vorukh.is_visible()
    assert page.locator("[data-testid='fa-labels-switch']").count() == 1
    assert page.locator(".fa-label img").count() == 0

    page.locator("path.fa-layer-places").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert HOSTILE in popup.inner_text()
    assert page.locator(".leaflet-popup-content img").count() == 0

    assert guarded_page.external == []
    schemes = {urlparse(url).scheme for url in guarded_page.requests}
    assert schemes <= {"file", "data"}, guarded_page.requests
    assert guarded_page.errors == []
