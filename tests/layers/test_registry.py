"""The registry is the single source of truth: a layer added there is drawn, listed and found.

A toy layer is registered in the test only (``monkeypatch`` of our own ``REGISTRY`` dict) and must
then appear everywhere a layer appears — the live map's groups, the live legend, the briefing
sheet, the URL's ``layers=`` and the search index — with no other edit. The second half checks
that the registry, the schema table and the style table name the same layers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import folium
import geopandas as gpd
import numpy as np
import pytest
from matplotlib.colors import to_hex

from geo.schema import LAYER_SCHEMAS
from layers import (
    REGISTRY,
    LabelRule,
    LayerSpec,
    LegendEntry,
    Look,
    ViewOptions,
    display_zoom,
    draw_order,
    episodic_layers,
    legend_rows,
    load_frames,
    searchable_layers,
)
from layers._draw import geojson_group, to_features
from layers.export import SheetRequest, briefing_sheet
from layers.layer_manager import render_group
from layers.mapview import base_map, dynamic_groups, legend_html
from layers.styles import CROSSING_STYLE, LAYER_STYLE, STATUS_STYLE, LineStyle
from layers.tools import search_index
from layers.urlstate import parse_query, to_query

DAY = dt.date(2021, 10, 15)
VORUKH = (70.5, 39.8, 70.7, 40.0)


class ToyModule:
    """A layer module written the way a real one is: select, look, build."""

    def __init__(self, layer_id: str, style: LineStyle) -> None:
        self.layer_id = layer_id
        self.style = style

    def select(
        self, frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions
    ) -> gpd.GeoDataFrame:
        return frame

    def look(self, row: Mapping[str, Any]) -> Look:
        return Look(self.style, f"fa-layer-{self.layer_id}")

    def build(
        self, frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions
    ) -> folium.FeatureGroup:
        rows = self.select(frame, as_of=as_of, view=view)
        features, styles = to_features(rows, look=self.look, popup=lambda _r: "toy")
        return geojson_group(features, styles, layer_id=self.layer_id, name=self.layer_id)


def toy_frame(layer_id: str, name: str, west: float = 70.55) -> gpd.GeoDataFrame:
    """One square inside the Vorukh window, a feature named ``name``."""
    from shapely.geometry import box

    return gpd.GeoDataFrame(
        {"id": [f"{layer_id}-1"], "name": [name]},
        geometry=[box(west, 39.85, west + 0.08, 39.93)],
        crs="OGC:CRS84",
    )


def register(monkeypatch: pytest.MonkeyPatch, layer_id: str, *, z: int, color: str) -> LineStyle:
    style = LineStyle(f"{layer_id.title()} thing", color, 2.0, None, fill=color, fill_opacity=0.6)
    spec = LayerSpec(
        layer_id,
        f"{layer_id.title()} layer",
        (f"{layer_id}.geojson",),
        ToyModule(layer_id, style),
        z=z,
        legend=(LegendEntry(style.label, style),),
        searchable=True,
        display_zoom=12,
    )
    monkeypatch.setitem(REGISTRY, layer_id, spec)
    return style


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch) -> LineStyle:
    return register(monkeypatch, "toy", z=45, color="#123456")


def test_a_registered_layer_is_drawn_on_the_live_map(toy: LineStyle) -> None:
    frames = {"toy": toy_frame("toy", "Toyville")}
    fmap = base_map(None)
    for group in dynamic_groups(frames, visible=("toy",), as_of=DAY, view=ViewOptions()):
        group.add_to(fmap)
    html = fmap.get_root().render()
    assert "fa-layer-toy" in html
    assert "toy" in draw_order()


def test_a_registered_layer_is_in_the_live_legend(toy: LineStyle) -> None:
    assert (toy.label, toy) in [(row.label, row.style) for row in legend_rows()]
    assert toy.label in legend_html()
    assert toy.label in base_map(None).get_root().render()


def test_a_registered_layer_is_drawn_on_the_briefing_sheet(toy: LineStyle) -> None:
    frames = {"toy": toy_frame("toy", "Toyville")}
    sheet = briefing_sheet(
        frames,
        SheetRequest(
            as_of=DAY, bbox=VORUKH, layers=("toy",), view=ViewOptions(), title="t", dpi=50
        ),
    )
    assert toy.label in sheet.legend
    fills = {
        to_hex(c) for coll in sheet.map_axes.collections for c in np.asarray(coll.get_facecolor())
    }
    assert toy.fill in fills


def test_a_registered_layer_is_accepted_in_links(toy: LineStyle) -> None:
    state, notices = parse_query({"layers": "borders,toy"}, today=DAY)
    assert notices == []
    assert state.layers == ("borders", "toy")
    assert to_query(state)["layers"] == "borders,toy"


def test_a_registered_layer_is_searchable(toy: LineStyle) -> None:
    assert "toy" in searchable_layers()
    index = search_index({"toy": toy_frame("toy", "Toyville")})
    assert [entry[0] for entry in index["entries"]] == ["Toyville"]


def test_a_registered_layer_sets_its_simplification_zoom(toy: LineStyle) -> None:
    assert display_zoom(Path("/data/toy.geojson")) == 12
    assert display_zoom(Path("/data/borders.geojson")) == REGISTRY["borders"].display_zoom


def test_map_and_sheet_draw_in_the_same_z_order(monkeypatch: pytest.MonkeyPatch) -> None:
    # registered high first: the order must come from z, not from the registry's row order
    high = register(monkeypatch, "hightoy", z=95, color="#0000aa")
    low = register(monkeypatch, "lowtoy", z=-5, color="#aa0000")
    frames = {
        "hightoy": toy_frame("hightoy", "High", west=70.56),
        "lowtoy": toy_frame("lowtoy", "Low", west=70.55),
    }
    groups = dynamic_groups(frames, visible=("hightoy", "lowtoy"), as_of=DAY, view=ViewOptions())
    names = [g.layer_name for g in groups]
    assert names.index("lowtoy") < names.index("hightoy")
    sheet = briefing_sheet(
        frames,
        SheetRequest(
            as_of=DAY,
            bbox=VORUKH,
            layers=("hightoy", "lowtoy"),
            view=ViewOptions(),
            title="t",
            dpi=50,
        ),
    )
    z_of: dict[str, float] = {}
    for coll in sheet.map_axes.collections:
        for color in np.asarray(coll.get_facecolor()):
            z_of.setdefault(to_hex(color), coll.get_zorder())
    assert z_of[low.fill] < z_of[high.fill]


def test_exercise_zones_draw_under_enclaves_on_map_and_sheet() -> None:
    order = draw_order()
    assert order.index("exercises") < order.index("enclaves")
    assert order.index("enclaves") < order.index("borders") < order.index("places")
    assert order[0] == "base"


def test_episodic_layers_come_from_the_registry() -> None:
    assert episodic_layers() == {"events", "exercises"}


def test_label_rule_ranks_places_by_kind() -> None:
    rule = REGISTRY["places"].label_rule
    assert rule is not None
    assert rule.min_zoom_for({"kind": "capital"}) < rule.min_zoom_for({"kind": "village"})
    assert rule.min_zoom_for({"kind": "site"}) == rule.min_zoom
    assert rule.text_of({"name": "Vorukh"}) == "Vorukh"
    assert LabelRule().text_of({"name": ""}) is None


# --- registry, schemas and styles agree ----------------------------------------------------


def test_registry_and_schemas_name_the_same_layers() -> None:
    assert {schema.layer for schema in LAYER_SCHEMAS.values()} == set(REGISTRY)
    for layer_id, spec in REGISTRY.items():
        for name in spec.files:
            schema = LAYER_SCHEMAS.get(Path(name).name)
            assert schema is not None, f"{name} ({layer_id}) has no schema model"
            assert schema.layer == layer_id, f"{name} validates as {schema.layer}, not {layer_id}"


def test_registry_and_styles_name_the_same_layers() -> None:
    tables = {
        "LAYER_STYLE": LAYER_STYLE,
        "STATUS_STYLE": STATUS_STYLE,
        "CROSSING_STYLE": CROSSING_STYLE,
    }
    known = [*REGISTRY, "overlay"]  # the analyst overlay is drawn outside the registry
    for key in LAYER_STYLE:
        owner = [i for i in known if key == i or key.startswith(f"{i}-")]
        assert owner, f"LAYER_STYLE row {key!r} names no registered layer"
    for layer_id, spec in REGISTRY.items():
        assert spec.legend, f"layer {layer_id!r} has no legend row"
        for row in spec.legend:
            homes = [
                name
                for name, table in tables.items()
                if any(row.style is s for s in table.values())
            ]
            assert homes, f"legend style {row.label!r} of {layer_id!r} is not in the style tables"
        in_layer_style = any(row.style is LAYER_STYLE.get(layer_id) for row in spec.legend)
        by_status = all(
            any(row.style is s for s in (*STATUS_STYLE.values(), *CROSSING_STYLE.values()))
            for row in spec.legend
        )
        assert (
            in_layer_style or by_status or any(k.startswith(f"{layer_id}-") for k in LAYER_STYLE)
        ), f"layer {layer_id!r} has no LAYER_STYLE row and no status table"


OTHER_INPUTS: dict[str, dict[str, Any]] = {
    "date": {"as_of": dt.date(2025, 6, 1)},
    "statuses": {"view": ViewOptions(statuses=frozenset({"delimited"}))},
    "window": {"view": ViewOptions(window_days=400)},
    "stale": {"view": ViewOptions(show_stale=False)},
}
"""One changed value per view input (``LayerSpec.inputs``), each changing the drawing of some layer."""


def _script(layer_id: str, frames: Mapping[str, gpd.GeoDataFrame], **change: Any) -> str:
    spec = REGISTRY[layer_id]
    options = {"as_of": DAY, "view": ViewOptions(), **change}
    return render_group(spec.build(frames[layer_id], **options), ident=layer_id).script


@pytest.mark.parametrize("layer_id", [i for i in REGISTRY if i != "base"])
def test_a_layers_group_depends_on_no_view_input_it_does_not_declare(layer_id: str) -> None:
    """The page reuses a rendered group while its declared ``inputs`` keep their values, so an
    undeclared input that changed the drawing would leave a stale group on the map."""
    frames = load_frames()[0]
    spec = REGISTRY[layer_id]
    before = _script(layer_id, frames)
    for name, change in OTHER_INPUTS.items():
        key_changes = spec.view_key(as_of=DAY, view=ViewOptions()) != spec.view_key(
            **{"as_of": DAY, "view": ViewOptions(), **change}
        )
        assert key_changes == (name in spec.inputs)
        if name not in spec.inputs:
            assert _script(layer_id, frames, **change) == before, f"{layer_id} depends on {name}"


def test_every_view_input_changes_some_layers_drawing() -> None:
    """The four inputs are real: each changes at least one layer that declares it."""
    frames = load_frames()[0]
    for name, change in OTHER_INPUTS.items():
        users = [i for i, spec in REGISTRY.items() if name in spec.inputs and i != "base"]
        assert any(_script(i, frames, **change) != _script(i, frames) for i in users), name


SAMPLE_DAYS: Final = tuple(
    day + dt.timedelta(days=step)
    for day in (dt.date(2021, 1, 1) + dt.timedelta(days=61 * n) for n in range(36))
    for step in (0, 1, 30)
)
"""Every other month from 2021 to late 2026, each with the next day and the day a month on."""


@pytest.mark.parametrize("layer_id", [i for i in REGISTRY if i != "base"])
def test_dates_with_the_same_drawn_key_draw_the_same_group(layer_id: str) -> None:
    """The page takes a group drawn for another date when the drawn keys are equal
    (``LayerSpec.drawn_key``), so a key that missed something the drawing reads of the date would
    leave a wrong group on the map: for every key shared by sample dates, the first and the last
    of them render the same script."""
    frames = load_frames()[0]
    spec = REGISTRY[layer_id]
    days_by_key: dict[tuple[object, ...], list[dt.date]] = {}
    for day in SAMPLE_DAYS:
        key = spec.drawn_key(frames[layer_id], as_of=day, view=ViewOptions())
        days_by_key.setdefault(key, []).append(day)
    shared = [days for days in days_by_key.values() if len(days) > 1]
    assert shared, f"no two sample days draw {layer_id} alike"
    for days in shared:
        first, last = days[0], days[-1]
        assert _script(layer_id, frames, as_of=first) == _script(layer_id, frames, as_of=last), (
            f"{layer_id}: {first} and {last} have the same drawn key but draw differently"
        )
