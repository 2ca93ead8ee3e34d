"""Briefing export: page size and resolution, vector PDF, legend == what is drawn, layout, text.

Border segments are cut from the real KGZ-TJK base line with the test spec (west delimited,
middle disputed until 2025-03-13, east undetermined, Vorukh ring and Lolazor disputed), so every
status is on the map on 2021-10-15; enclaves, places and events are small hand-made fixtures.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import geopandas as gpd
import pytest
from PIL import Image
from pypdf import PdfReader
from pyproj import Geod, Transformer

from geo.build.segments import cut_segments, read_lines, read_spec
from geo.catalog import DATA_DIR, concat_frames, frame_from_features, load_frame
from geo.errors import ParamError
from geo.schema import STATUSES
from layers import REGISTRY, load_frames
from layers._draw import ViewOptions
from layers.export import (
    DEFAULT_BBOX,
    PAPERS,
    Sheet,
    SheetRequest,
    briefing_sheet,
    export_figure,
    local_crs,
    nice_length,
)
from layers.styles import ATTRIBUTION, DISCLAIMER, STATUS_STYLE

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "tests" / "data" / "segments" / "kgz_tjk.spec.json"
DAY = dt.date(2021, 10, 15)
VORUKH = (70.5, 39.8, 70.7, 40.0)
EAST_ONLY = (72.6, 39.1, 73.4, 39.7)  # only the undetermined eastern segment
HOSTILE = [
    "$\\undefinedmacro{ 1}$ Vorukh",
    "{{ 7*7 }} <script>alert(1)</script> 100% & ^_",
    "Line\nbreak\ttab\x07bell",
]


def _src(publisher: str = "Frontier Atlas tests") -> list[dict]:
    return [{"title": "Test fixture", "publisher": publisher, "date": "2021-05-01", "url": None}]


def _props(fid: str, name: str, **extra: object) -> dict:
    base = {
        "id": fid,
        "name": name,
        "valid_from": None,
        "valid_to": None,
        "confidence": "assessed",
        "sources": _src(),
    }
    return {**base, **extra}


def _point(fid: str, name: str, lon: float, lat: float, **extra: object) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": _props(fid, name, **extra),
    }


def _place(fid: str, name: str, lon: float, lat: float, kind: str = "village") -> dict:
    return _point(fid, name, lon, lat, kind=kind, country="TJK", alt_names=[])


@pytest.fixture(scope="module")
def frames() -> dict[str, gpd.GeoDataFrame]:
    base_parts = [load_frame(DATA_DIR / name)[0] for name in REGISTRY["base"].files]
    segments = cut_segments(
        read_lines(DATA_DIR / "base" / "border_lines.geojson"), read_spec(SPEC), spec_name=SPEC.name
    )
    enclave = {
        "type": "Feature",
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[70.55, 39.84], [70.61, 39.84], [70.61, 39.89], [70.55, 39.89], [70.55, 39.84]]
            ],
        },
        "properties": _props(
            "enclave-test",
            "Test enclave",
            sovereign="TJK",
            host="KGZ",
            population=None,
            population_year=None,
        ),
    }
    places = [
        _place("p-dushanbe", "Dushanbe", 68.78, 38.56, "capital"),
        _place("p-isfara", "Isfara", 70.63, 40.13, "city"),
        _place("p-h0", HOSTILE[0], 70.585, 39.86),
        _place("p-h1", HOSTILE[1], 70.64, 39.95),
        _place("p-h2", HOSTILE[2], 70.53, 39.93),
    ]
    event = _point(
        "ev-test",
        "Test clash",
        70.6,
        39.9,
        valid_from="2021-09-20",
        valid_to="2021-09-21",
        kind="clash",
        fatalities=None,
        description="fixture",
    )
    event["properties"]["sources"] = _src("Event publisher $x$")
    return {
        "base": concat_frames(base_parts),
        "borders": frame_from_features(segments),
        "enclaves": frame_from_features([enclave]),
        "places": frame_from_features(places),
        "events": frame_from_features([event]),
    }


def _sheet(frames: dict, **kw: object) -> Sheet:
    options: dict = {
        "as_of": DAY,
        "bbox": DEFAULT_BBOX,
        "layers": ("base", "borders"),
        "view": ViewOptions(),
        "title": "Test briefing",
        "dpi": 100,
        **kw,
    }
    return briefing_sheet(frames, SheetRequest(**options))


def _fig_legend_texts(sheet: Sheet) -> list[str]:
    texts = []
    for ax in sheet.figure.axes:
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
    return texts


def _border_labels(statuses: set[str]) -> set[str]:
    return {STATUS_STYLE[s].label + " border" for s in statuses}


# --------------------------------------------------------------------------- files


def test_png_is_landscape_a4_at_300_dpi(frames: dict) -> None:
    data = export_figure(
        frames,
        SheetRequest(
            as_of=DAY,
            bbox=DEFAULT_BBOX,
            layers=("base", "borders"),
            view=ViewOptions(),
            title="T",
        ),
    )
    image = Image.open(io.BytesIO(data))
    width_in, height_in = PAPERS["A4"]
    assert image.format == "PNG"
    assert image.size == (round(width_in * 300), round(height_in * 300))
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)


def test_pdf_is_vector_a4_landscape_with_the_sheet_text(frames: dict) -> None:
    data = export_figure(
        frames,
        SheetRequest(
            as_of=DAY,
            bbox=DEFAULT_BBOX,
            layers=("base", "borders", "places"),
            view=ViewOptions(),
            title="Vector check",
            handling="INTERNAL",
            fmt="pdf",
        ),
    )
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    assert list(page.images) == []  # nothing rasterised: the map is paths
    content = page.get_contents().get_data()
    assert len(re.findall(rb"\s(?:l|c)\n", content)) > 5_000  # line-to / curve-to operators
    text = page.extract_text()
    for needle in ("Vector check", "As of 2021-10-15", ATTRIBUTION, DISCLAIMER, "Legend", "N"):
        assert needle in text
    assert text.count("INTERNAL") == 2  # top and bottom


def test_portrait_swaps_the_page(frames: dict) -> None:
    sheet = _sheet(frames, orientation="portrait")
    width, height = sheet.figure.get_size_inches()
    assert (width, height) == pytest.approx(PAPERS["A4"][::-1])


# --------------------------------------------------------------------------- legend


@pytest.mark.parametrize(
    ("bbox", "statuses", "expected"),
    [
        (DEFAULT_BBOX, set(STATUSES), {"delimited", "disputed", "undetermined"}),
        (DEFAULT_BBOX, {"delimited", "disputed"}, {"delimited", "disputed"}),
        (DEFAULT_BBOX, {"undetermined"}, {"undetermined"}),
        (EAST_ONLY, set(STATUSES), {"undetermined"}),
        (VORUKH, set(STATUSES), {"delimited", "disputed"}),
        (VORUKH, {"undetermined"}, set()),
    ],
)
def test_legend_lists_exactly_the_visible_statuses(
    frames: dict, bbox: tuple, statuses: set[str], expected: set[str]
) -> None:
    sheet = _sheet(
        frames, bbox=bbox, layers=("borders",), view=ViewOptions(statuses=frozenset(statuses))
    )
    assert set(sheet.legend) == _border_labels(expected)
    assert len(sheet.legend) == len(expected)
    assert _fig_legend_texts(sheet) == list(sheet.legend)


def test_legend_follows_the_date(frames: dict) -> None:
    """After 2025-03-13 the middle segment is delimited; before 2011 nothing had a status."""
    later = _sheet(
        frames, as_of=dt.date(2025, 6, 1), bbox=(69.5, 39.3, 71.5, 40.0), layers=("borders",)
    )
    assert "Delimited border" in later.legend
    early = _sheet(frames, as_of=dt.date(2010, 1, 1), layers=("borders",))
    assert early.legend == ()
    assert "No layer features in this view." in " ".join(
        t.get_text() for ax in early.figure.axes for t in ax.texts
    )


def test_legend_names_other_layers_only_when_drawn(frames: dict) -> None:
    with_all = _sheet(
        frames, bbox=VORUKH, layers=("base", "borders", "enclaves", "places", "events")
    )
    assert set(with_all.legend) == {
        "Delimited border",
        "Disputed border",
        "Enclave",
        "Event",
        "Place",
    }
    # the event is 25 days old: a 10-day window drops it, and its legend entry with it
    short = _sheet(
        frames, bbox=VORUKH, layers=("borders", "events"), view=ViewOptions(window_days=10)
    )
    assert "Event" not in short.legend


# --------------------------------------------------------------------------- text and layout


def test_hostile_names_render_literally_in_png_and_pdf(frames: dict) -> None:
    title = "Brief $\\notamacro{ {{ 7*7 }} <b>x</b>"
    sheet = _sheet(frames, bbox=VORUKH, layers=("places", "enclaves"), title=title)
    texts = [t.get_text() for t in sheet.figure.texts]
    assert title in texts
    assert HOSTILE[0] in sheet.labels
    assert HOSTILE[1] in sheet.labels
    assert "Line break tab bell" in sheet.labels or "Line break tabbell" in sheet.labels
    for fmt in ("png", "pdf"):
        data = export_figure(
            frames,
            SheetRequest(
                as_of=DAY,
                bbox=VORUKH,
                layers=("places", "enclaves", "events"),
                view=ViewOptions(),
                title=title,
                fmt=fmt,
                dpi=100,
            ),
        )
        assert len(data) > 1000
    pdf_text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Brief $\\notamacro{ {{ 7*7 }} <b>x</b>" in pdf_text
    assert "Event publisher $x$" in pdf_text


def _extents(artists: list, renderer: object) -> list:
    return [a.get_window_extent(renderer) for a in artists if a.get_visible() and a.get_text()]


@pytest.mark.parametrize("bbox", [DEFAULT_BBOX, VORUKH])
def test_text_stays_in_its_region_and_labels_do_not_overlap(frames: dict, bbox: tuple) -> None:
    sheet = _sheet(
        frames,
        bbox=bbox,
        layers=("base", "borders", "enclaves", "places", "events"),
        handling="INTERNAL",
    )
    fig = sheet.figure
    fig.canvas.draw()  # the layout as saved
    renderer = fig.canvas.get_renderer()
    map_box = sheet.map_axes.get_window_extent(renderer)
    page = fig.bbox
    labels = _extents(list(sheet.map_axes.texts), renderer)
    assert len(labels) == len(sheet.labels) >= 2
    for ext in labels:
        assert map_box.x0 <= ext.x0 and ext.x1 <= map_box.x1
        assert map_box.y0 <= ext.y0 and ext.y1 <= map_box.y1
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not a.overlaps(b)
    panel_texts = [t for ax in fig.axes if ax is not sheet.map_axes for t in ax.texts]
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    outside = _extents([*fig.texts, *panel_texts], renderer)
    outside += [lg.get_window_extent(renderer) for lg in legends]
    assert outside
    for ext in outside:
        assert not ext.overlaps(map_box)
        assert page.x0 <= ext.x0 and ext.x1 <= page.x1 and page.y0 <= ext.y0 and ext.y1 <= page.y1
    for lg in legends:
        lg_box = lg.get_window_extent(renderer)
        for ext in _extents([*fig.texts, *panel_texts], renderer):
            assert not ext.overlaps(lg_box)


def test_sources_line_names_publishers_and_truncates(frames: dict) -> None:
    many = frames["places"].copy()
    many = concat_frames([many] * 12).reset_index(drop=True)
    many["id"] = [f"p-{i}" for i in range(len(many))]
    many["sources"] = [_src(f"Publisher number {i:02d} with a long name") for i in range(len(many))]
    sheet = _sheet({**frames, "places": many}, layers=("places",))
    line = next(t for t in sheet.figure.texts if t.get_text().startswith("Sources:"))
    assert re.search(r"\+\d+ more$", line.get_text())
    assert "Publisher number" in line.get_text()
    renderer = sheet.figure.canvas.get_renderer()
    assert line.get_window_extent(renderer).x1 <= sheet.figure.bbox.x1
    only_borders = _sheet(frames, layers=("borders",))
    text = next(
        t.get_text() for t in only_borders.figure.texts if t.get_text().startswith("Sources:")
    )
    assert text == "Sources: Frontier Atlas tests"


# --------------------------------------------------------------------------- scale


def test_nice_length() -> None:
    assert nice_length(1.0) == 1.0
    assert nice_length(3_999) == 2_500
    assert nice_length(7_400) == 5_000
    assert nice_length(123_456) == 100_000


@pytest.mark.parametrize("bbox", [DEFAULT_BBOX, VORUKH])
def test_scale_bar_is_true_at_the_map_centre(frames: dict, bbox: tuple) -> None:
    """Lay the bar across the map centre in its own projection; pyproj.Geod measures it."""
    sheet = _sheet(frames, bbox=bbox)
    sheet.figure.canvas.draw()  # the layout as saved
    ax = sheet.map_axes
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    width_in = ax.get_window_extent().width / sheet.figure.dpi
    bar_units = sheet.scale_bar_in * (x1 - x0) / width_in
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    back = Transformer.from_crs(local_crs(bbox), "OGC:CRS84", always_xy=True)
    lon1, lat1 = back.transform(cx - bar_units / 2, cy)
    lon2, lat2 = back.transform(cx + bar_units / 2, cy)
    _, _, metres = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)
    assert metres == pytest.approx(sheet.scale_m, rel=0.002)
    panel_texts = [t.get_text() for a in sheet.figure.axes if a is not ax for t in a.texts]
    assert _distance(sheet.scale_m) in panel_texts


def _distance(metres: float) -> str:
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"


# --------------------------------------------------------------------------- inputs


@pytest.mark.parametrize(
    "bbox",
    [
        (10, 10, 20, 20),
        (71, 40, 70, 41),
        (70, 40, 70.001, 40.5),
        (70, 40, float("nan"), 41),
        (70, 40, 71),
    ],
)
def test_bad_bbox_is_a_param_error(frames: dict, bbox: tuple) -> None:
    with pytest.raises(ParamError):
        _sheet(frames, bbox=bbox)


def test_unknown_layer_and_format_are_param_errors(frames: dict) -> None:
    with pytest.raises(ParamError, match="unknown layer"):
        _sheet(frames, layers=("borders", "nope"))
    with pytest.raises(ParamError, match="format"):
        export_figure(
            frames,
            SheetRequest(
                as_of=DAY,
                bbox=DEFAULT_BBOX,
                layers=(),
                view=ViewOptions(),
                title="t",
                fmt="gif",
            ),
        )


def test_load_frames_gives_every_layer_and_reports_missing_files(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    frames, problems = load_frames(tmp_path)
    assert set(frames) == set(REGISTRY)
    assert all(len(f) == 0 for f in frames.values())
    assert any("borders.geojson" in p for p in problems)


# --------------------------------------------------------------------------- locator and text


def test_locator_inset_outlines_the_sheet_box_over_the_base_countries(frames: dict) -> None:
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Rectangle

    sheet = _sheet(frames, bbox=VORUKH, layers=("borders",))
    inset = sheet.locator_axes
    boxes = [
        p for p in inset.patches if isinstance(p, Rectangle) and to_rgba(p.get_edgecolor())[0] > 0.8
    ]
    assert len(boxes) == 1
    x, y = boxes[0].get_xy()
    w, h = boxes[0].get_width(), boxes[0].get_height()
    # the outline holds the sheet's box (small boxes are widened to stay visible) and is centred
    assert x <= VORUKH[0] and x + w >= VORUKH[2] and y <= VORUKH[1] and y + h >= VORUKH[3]
    assert x + w / 2 == pytest.approx((VORUKH[0] + VORUKH[2]) / 2)
    assert inset.collections, "the base countries are drawn in the inset"
    x0, x1 = inset.get_xlim()
    y0, y1 = inset.get_ylim()
    assert x0 < 68.0 and x1 > 75.0 and y0 < 37.0 and y1 > 41.0  # the whole of Tajikistan
    sheet.figure.canvas.draw()
    renderer = sheet.figure.canvas.get_renderer()
    inset_box = inset.get_window_extent(renderer)
    assert not inset_box.overlaps(sheet.map_axes.get_window_extent(renderer))
    for ax in sheet.figure.axes:
        legend = ax.get_legend()
        if legend is not None:
            assert not inset_box.overlaps(legend.get_window_extent(renderer))


def test_pdf_names_are_searchable_truetype_text(frames: dict) -> None:
    request = SheetRequest(as_of=DAY, bbox=VORUKH, layers=("places", "enclaves"), fmt="pdf")
    labels = briefing_sheet(frames, request).labels
    assert "Test enclave" in labels and len(labels) >= 3
    reader = PdfReader(io.BytesIO(export_figure(frames, request)))
    text = reader.pages[0].extract_text()
    for name in labels:
        assert name in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    subtypes = {str(fonts[key].get_object()["/Subtype"]) for key in fonts}
    assert subtypes and "/Type3" not in subtypes  # pdf.fonttype 42: TrueType, not glyph drawings


def test_compare_date_rings_what_changed(frames: dict) -> None:
    """Between 2021 and mid-2025 the middle segment went from disputed to delimited."""
    plain = _sheet(frames, as_of=dt.date(2025, 6, 1), layers=("borders",))
    assert plain.drawn.changed is None
    ringed = _sheet(frames, as_of=dt.date(2025, 6, 1), layers=("borders",), compare=DAY)
    assert ringed.drawn.changed is not None and len(ringed.drawn.changed) >= 1
    texts = [t.get_text() for t in ringed.figure.texts]
    assert any("changed since 2021-10-15" in t for t in texts)
    assert "Changed between the two dates" in ringed.legend
    assert "Changed between the two dates" not in plain.legend
