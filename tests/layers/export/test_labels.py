"""Sheet names from the live map's label candidates, on the real data: countries, settlements,
the Vorukh enclave and rivers, placed without overlaps and clear of the border lines."""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from matplotlib.text import Text
from pypdf import PdfReader
from shapely.geometry import LineString, box

from layers import load_frames
from layers.__main__ import main
from layers.export import DEFAULT_BBOX, Sheet, SheetRequest, briefing_sheet
from layers.export.frame import sheet_zoom, view_for
from layers.export.labels import LABEL_LOOK
from layers.urlstate import default_layers

DAY = dt.date(2022, 9, 20)
VORUKH_BOX = (70.3, 39.7, 70.9, 40.1)
COUNTRIES = ("Tajikistan", "Kyrgyzstan", "Uzbekistan", "Afghanistan")
SETTLEMENT_KINDS = {"capital", "city", "town", "village"}


@pytest.fixture(scope="module")
def frames() -> dict[str, gpd.GeoDataFrame]:
    loaded, problems = load_frames()
    assert problems == []
    return loaded


def _sheet(frames: dict, bbox: tuple, layers: tuple[str, ...] = ()) -> Sheet:
    request = SheetRequest(as_of=DAY, bbox=bbox, layers=layers or default_layers(), dpi=100)
    return briefing_sheet(frames, request)


@pytest.fixture(scope="module")
def vorukh(frames: dict) -> Sheet:
    return _sheet(frames, VORUKH_BOX)


@pytest.fixture(scope="module")
def region(frames: dict) -> Sheet:
    return _sheet(frames, DEFAULT_BBOX)


def _settlement_names(frames: dict, bbox: tuple) -> set[str]:
    rows = frames["settlements"]
    return {
        str(n) for n, g in zip(rows["name"], rows.geometry, strict=True) if box(*bbox).contains(g)
    }


def _label_texts(sheet: Sheet) -> dict[str, Text]:
    return {t.get_text(): t for t in sheet.map_axes.texts}


def test_the_vorukh_pdf_names_the_countries_the_enclave_and_settlements(
    frames: dict, tmp_path: Path
) -> None:
    out = tmp_path / "x.pdf"
    argv = ["export", "--date", "2022-09-20", "--bbox", "70.3,39.7,70.9,40.1"]
    assert main([*argv, "--format", "pdf", "--out", str(out)]) == 0
    text = PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    for name in ("Tajikistan", "Kyrgyzstan", "Vorukh"):
        assert name in text
    settlements = _settlement_names(frames, VORUKH_BOX) - {"Vorukh"}
    assert len([name for name in settlements if name in text]) >= 3, settlements


def test_the_region_sheet_names_all_four_countries_inside_them(region: Sheet) -> None:
    kinds = dict(zip(region.labels, region.label_kinds, strict=True))
    for name in COUNTRIES:
        assert kinds.get(name) == "country", name
    assert kinds.get("Dushanbe") == "capital"
    base = region.drawn.layers["base"]
    inverse = region.map_axes.transData.inverted()
    renderer = region.figure.canvas.get_renderer()
    for name in COUNTRIES:
        ext = _label_texts(region)[name].get_window_extent(renderer)
        centre = shapely.Point(inverse.transform(((ext.x0 + ext.x1) / 2, (ext.y0 + ext.y1) / 2)))
        owner = base[base.contains(centre)]
        assert list(owner["name"]) == [name]


def test_the_region_sheet_writes_river_names_along_the_river_in_blue_italic(
    region: Sheet,
) -> None:
    rivers = [t for t, k in zip(region.labels, region.label_kinds, strict=True) if k == "river"]
    assert "Panj" in rivers
    label = _label_texts(region)["Panj"]
    assert label.get_fontstyle() == "italic"
    assert label.get_color() == LABEL_LOOK["river"].color
    drawn = region.drawn.layers["rivers"]
    panj = shapely.union_all(list(drawn[drawn["name"] == "Panj"].geometry))
    x, y = label.xy
    metres_per_pt = (region.map_axes.get_xlim()[1] - region.map_axes.get_xlim()[0]) / (
        region.map_axes.get_position().width * region.figure.get_figwidth() * 72
    )
    assert panj.distance(shapely.Point(x, y)) < 2 * metres_per_pt  # anchored on the line


def _border_pixels(sheet: Sheet) -> shapely.MultiLineString:
    to_px = sheet.map_axes.transData
    lines = []
    for geom in sheet.drawn.layers["borders"].geometry:
        for part in shapely.get_parts(geom):
            lines.append(LineString(to_px.transform(list(part.coords))))
    return shapely.MultiLineString(lines)


@pytest.mark.parametrize("which", ["vorukh", "region"])
def test_placed_labels_never_overlap_nor_cover_a_border(
    which: str, request: pytest.FixtureRequest
) -> None:
    sheet: Sheet = request.getfixturevalue(which)
    sheet.figure.canvas.draw()
    renderer = sheet.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in sheet.map_axes.texts]
    assert len(boxes) == len(sheet.labels) >= 8
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)
    borders = _border_pixels(sheet)
    frame = sheet.map_axes.get_window_extent(renderer)
    for ext in boxes:
        assert not borders.intersects(box(ext.x0, ext.y0, ext.x1, ext.y1))
        assert frame.x0 <= ext.x0 and ext.x1 <= frame.x1
        assert frame.y0 <= ext.y0 and ext.y1 <= frame.y1


def test_turning_settlements_off_removes_their_names(frames: dict, vorukh: Sheet) -> None:
    only_settlements = _settlement_names(frames, VORUKH_BOX) - set(frames["enclaves"]["name"])
    on = [
        t
        for t, k in zip(vorukh.labels, vorukh.label_kinds, strict=True)
        if k in SETTLEMENT_KINDS and t in only_settlements
    ]
    assert len(on) >= 3
    layers = tuple(layer for layer in default_layers() if layer != "settlements")
    off = _sheet(frames, VORUKH_BOX, layers)
    assert not set(off.labels) & only_settlements
    assert not SETTLEMENT_KINDS & set(off.label_kinds)
    assert {"Tajikistan", "Kyrgyzstan", "Vorukh"} <= set(off.labels)


def test_sheet_zoom_is_the_web_map_zoom_of_the_scale() -> None:
    aspect = 8.09 / 6.22
    near = sheet_zoom(view_for(VORUKH_BOX, aspect=aspect), map_width_in=8.09)
    far = sheet_zoom(view_for(DEFAULT_BBOX, aspect=aspect), map_width_in=8.09)
    assert round(near) == 11 and round(far) == 7
    w, s, e, n = VORUKH_BOX
    cx, cy = (w + e) / 2, (s + n) / 2
    half = (cx - (e - w), cy - (n - s), cx + (e - w), cy + (n - s))  # twice as wide and high
    wider = sheet_zoom(view_for(half, aspect=aspect), map_width_in=8.09)
    assert math.isclose(near - wider, 1.0, abs_tol=0.05)
    bigger_map = sheet_zoom(view_for(VORUKH_BOX, aspect=aspect), map_width_in=16.18)
    assert math.isclose(bigger_map - near, 1.0, abs_tol=1e-6)


def test_the_region_legend_stays_above_the_locator(region: Sheet) -> None:
    renderer = region.figure.canvas.get_renderer()
    legends = [ax.get_legend() for ax in region.figure.axes if ax.get_legend() is not None]
    assert len(legends) == 1 and len(region.legend) >= 12  # the whole region: a long legend
    legend_box = legends[0].get_window_extent(renderer)
    assert legend_box.y0 > region.locator_axes.get_window_extent(renderer).y1
