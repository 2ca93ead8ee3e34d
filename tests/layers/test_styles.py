"""layers.styles: one style table; status by dash first, colour second, never red against green."""

from __future__ import annotations

import colorsys

import pytest

from geo.schema import CROSSING_STATUSES, STATUSES
from layers.mapview import legend_entries, legend_html
from layers.styles import (
    CROSSING_STYLE,
    LAYER_STYLE,
    STATUS_STYLE,
    LineStyle,
    leaflet_style,
)


def _hue_family(color: str) -> str:
    """'red', 'green' or 'other' from the colour's hue (saturated colours only)."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _light, sat = colorsys.rgb_to_hls(r, g, b)
    degrees = hue * 360
    if sat < 0.25:
        return "other"
    if degrees < 25 or degrees >= 335:
        return "red"
    if 75 <= degrees < 165:
        return "green"
    return "other"


def test_hue_family_helper() -> None:
    assert _hue_family("#ff0000") == "red"
    assert _hue_family("#00aa00") == "green"
    assert _hue_family("#1f3b73") == "other"


def test_every_status_has_a_style() -> None:
    assert set(STATUS_STYLE) == set(STATUSES)
    assert set(CROSSING_STYLE) == set(CROSSING_STATUSES)


def test_unknown_crossing_status_is_dashed_and_named() -> None:
    """Issue 12: 'no report since' is told apart by its dash pattern first, and named."""
    unknown = CROSSING_STYLE["unknown"]
    assert unknown.dash is not None
    others = {CROSSING_STYLE[s].dash_array() for s in CROSSING_STYLE if s != "unknown"}
    assert unknown.dash_array() not in others
    assert "unknown" in unknown.label.lower()


def test_status_labels_name_the_status() -> None:
    for status, style in STATUS_STYLE.items():
        assert style.label.lower() == status


def test_dash_patterns_differ_between_statuses() -> None:
    patterns = [STATUS_STYLE[s].dash_array() for s in STATUSES]
    assert len(set(patterns)) == len(patterns)


def test_dash_patterns_follow_the_cartography_rules() -> None:
    # delimited = solid; disputed = long dash; undetermined = short dash / dot.
    assert STATUS_STYLE["delimited"].dash is None
    disputed, undetermined = STATUS_STYLE["disputed"].dash, STATUS_STYLE["undetermined"].dash
    assert disputed is not None and undetermined is not None
    assert disputed[0] > undetermined[0]
    assert disputed[0] * STATUS_STYLE["disputed"].weight >= 2 * STATUS_STYLE["disputed"].weight


def test_no_status_uses_a_red_green_pair() -> None:
    for styles in (STATUS_STYLE, CROSSING_STYLE):
        families = {_hue_family(s.color) for s in styles.values()}
        families |= {_hue_family(s.fill) for s in styles.values() if s.fill}
        assert not {"red", "green"} <= families, styles


def test_status_colours_differ() -> None:
    colours = [STATUS_STYLE[s].color.lower() for s in STATUSES]
    assert len(set(colours)) == len(colours)


def test_border_statuses_have_a_white_casing() -> None:
    assert all(STATUS_STYLE[s].casing for s in STATUSES)


def test_dash_array_is_in_pixels_of_the_line_width() -> None:
    style = LineStyle("x", "#000000", 3.0, (4.0, 2.0))
    assert style.dash_array() == "12,6"
    assert LineStyle("x", "#000000", 3.0, None).dash_array() is None


def test_leaflet_style_of_a_dashed_line() -> None:
    got = leaflet_style(STATUS_STYLE["disputed"], class_name="fa-layer-borders fa-status-disputed")
    assert got["className"] == "fa-layer-borders fa-status-disputed"
    assert got["dashArray"] == STATUS_STYLE["disputed"].dash_array()
    assert got["color"] == STATUS_STYLE["disputed"].color
    assert got["fill"] is False
    assert got["lineCap"] == "butt"


def test_leaflet_style_of_a_solid_line_has_no_dash() -> None:
    got = leaflet_style(STATUS_STYLE["delimited"], class_name="c")
    assert "dashArray" not in got
    assert got["lineCap"] == "round"


def test_leaflet_style_fill_and_opacity_scale() -> None:
    style = LAYER_STYLE["enclaves"]
    got = leaflet_style(style, class_name="c", opacity=0.5)
    assert got["fill"] is True
    assert got["fillColor"] == style.fill
    assert got["fillOpacity"] == pytest.approx(style.fill_opacity * 0.5, abs=1e-3)
    assert got["opacity"] == pytest.approx(style.opacity * 0.5, abs=1e-3)


def test_legend_rows_come_from_the_style_table() -> None:
    rows = legend_entries()
    styles = [style for _label, style in rows]
    for status in STATUSES:
        assert STATUS_STYLE[status] in styles
    for style in CROSSING_STYLE.values():
        assert style in styles
    for label, style in rows:
        assert style.label in label


def test_compact_legend_keeps_every_status() -> None:
    styles = [style for _label, style in legend_entries(compact=True)]
    assert styles == [STATUS_STYLE[s] for s in STATUSES]


def test_legend_html_names_every_status_with_its_dash() -> None:
    html = legend_html()
    for status in STATUSES:
        style = STATUS_STYLE[status]
        assert style.label in html
        assert f"stroke-dasharray='{style.dash_array() or 'none'}'" in html
    assert "not authoritative" in html
    assert "OpenStreetMap" in html


def test_stale_style_fades_keeps_line_dashes_and_dots_outlines() -> None:
    from layers.styles import STALE_STYLE, stale_style

    assert (STALE_STYLE.label, STALE_STYLE) in legend_entries()
    assert STALE_STYLE.label in legend_html()
    for style in STATUS_STYLE.values():
        faded = stale_style(style)
        assert faded.dash == style.dash, "a stale border keeps its status dash"
        assert faded.opacity < style.opacity
        assert faded.color == style.color
    for style in [*CROSSING_STYLE.values(), LAYER_STYLE["enclaves"], LAYER_STYLE["deployments"]]:
        faded = stale_style(style)
        assert faded.dash == STALE_STYLE.dash
        assert faded.fill_opacity < style.fill_opacity
        assert faded.opacity < style.opacity
        assert faded != style
