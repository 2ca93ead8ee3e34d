"""The registry of map layers: the one table every other part derives its layer facts from.

A layer is one module (``select``/``build``/``look``, see ``LayerModule``) plus one ``LayerSpec``
row here (plus its schema model in ``geo.schema`` and, for a new look, a ``layers.styles`` row).
The live map's draw order, the export's draw order, both legends, the search index, the URL's
``layers=`` vocabulary, the simplification zoom and the look-back ("episodic") layers are all
computed from ``REGISTRY`` when asked for, so a row added here (or by a test) is seen everywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, NamedTuple, Protocol

import folium
import geopandas as gpd
import pandas as pd

from geo.catalog import DATA_DIR, concat_frames, load_frame
from layers import (
    base,
    borders,
    crossings,
    deployments,
    enclaves,
    events,
    exercises,
    places,
    rivers,
    settlements,
)
from layers._draw import Look, ViewOptions
from layers.styles import CROSSING_STYLE, LAYER_STYLE, STATUS_STYLE, LineStyle


class LayerModule(Protocol):
    """What a layer module provides: the rows that hold on a date, their look, their map group."""

    def select(
        self, frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions
    ) -> gpd.GeoDataFrame:
        """The rows shown on ``as_of`` (with any derived ``_`` columns ``look`` needs)."""
        ...

    def look(self, row: Mapping[str, Any]) -> Look:
        """How one selected row is drawn (style, CSS classes, opacity) on the map and the sheet."""
        ...

    def build(
        self, frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions
    ) -> folium.FeatureGroup:
        """The layer's map group on ``as_of``; its paths carry the class ``fa-layer-<id>``."""
        ...


class LegendEntry(NamedTuple):
    """One legend line: the text shown and the style its swatch is drawn in.

    ``compact`` rows are the only ones the small embed-mode legend keeps.
    """

    label: str
    style: LineStyle
    compact: bool = False


@dataclass(frozen=True)
class LabelRule:
    """Which features of a layer carry a text label on the map, and from which zoom.

    ``text`` names the property holding the label (escaped when drawn). A feature is labelled
    from zoom ``min_zoom`` on; with ``rank_property`` set, ``min_zoom_by_rank`` pairs that
    property's values with their own first zoom (e.g. capitals from 5, villages from 11), and a
    value not listed uses ``min_zoom``. Lower first zoom means more important: when labels
    collide, keep the one with the lower ``min_zoom_for``.
    """

    text: str = "name"
    min_zoom: int = 9
    rank_property: str | None = None
    min_zoom_by_rank: tuple[tuple[str, int], ...] = ()

    def min_zoom_for(self, props: Mapping[str, Any]) -> int:
        """The first zoom at which the feature with these properties is labelled."""
        if self.rank_property is None:
            return self.min_zoom
        return dict(self.min_zoom_by_rank).get(str(props.get(self.rank_property)), self.min_zoom)

    def text_of(self, props: Mapping[str, Any]) -> str | None:
        """The raw (unescaped) label text of a feature, or None when it has none."""
        value = props.get(self.text)
        return None if value is None or value == "" else str(value)


ViewInput = Literal["date", "statuses", "window", "stale"]
"""One input of a drawn layer besides its data: the date, the visible border statuses, the
look-back window, or whether stale features are drawn (``ViewOptions``)."""
DATED: Final[frozenset[ViewInput]] = frozenset({"date", "stale"})
"""What a lasting, sourced layer's drawing depends on: which rows hold and their freshness."""


@dataclass(frozen=True)
class LayerSpec:
    """One row of the registry: everything the page, the map and the exports know of a layer.

    - ``id``: the layer's name in URLs (``layers=``), CSS classes (``fa-layer-<id>``) and frames.
    - ``label``: the layer's name in the sidebar's layer switch.
    - ``files``: its data files, relative to ``data/``; several are concatenated into one frame.
      Each file's name selects its schema model in ``geo.schema.LAYER_SCHEMAS``.
    - ``module``: the ``LayerModule`` that selects, styles and draws the rows.
    - ``default_on``: shown when a URL names no layers.
    - ``z``: draw order, bottom to top (areas low, lines above them, point symbols on top); the
      live map and the briefing sheet both draw in this order (``draw_order()``).
    - ``legend``: the legend lines this layer adds (swatch style and text), for the live map's
      legend and the sheet's; ``legend_rank`` orders the layers' blocks in the legend.
    - ``display_zoom``: the zoom the map's copy of the data is simplified for (sharp up to it).
    - ``searchable``: its named features are in the map's search box.
    - ``label_rule``: which features get a text label on the map and from which zoom (None: no
      labels).
    - ``episodic``: its features show within the look-back window before the date, fading with
      age (events, exercises), rather than while valid; the sheet then states the window.
    - ``inputs``: the view inputs its map group depends on (``view_key``): a group is rebuilt only
      when one of them changes (tests/layers/test_registry.py checks no other input changes it).
    """

    id: str
    label: str
    files: tuple[str, ...]
    module: LayerModule
    default_on: bool = True
    z: int = 50
    legend: tuple[LegendEntry, ...] = ()
    legend_rank: int = 50
    display_zoom: int = 7
    searchable: bool = False
    label_rule: LabelRule | None = None
    episodic: bool = False
    inputs: frozenset[ViewInput] = DATED

    def view_key(
        self, *, as_of: dt.date, view: ViewOptions
    ) -> tuple[tuple[ViewInput, object], ...]:
        """The values of this layer's ``inputs`` on ``as_of`` with ``view``: with the data, all
        its map group depends on (part of the page's cache key for the rendered group)."""
        values: dict[ViewInput, object] = {
            "date": as_of.isoformat(),
            "statuses": tuple(sorted(view.statuses)),
            "window": view.window_days,
            "stale": view.show_stale,
        }
        return tuple((name, values[name]) for name in sorted(self.inputs))

    def drawn_key(
        self, frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions
    ) -> tuple[object, ...]:
        """What this layer's map group shows on ``as_of``: the rows ``select`` keeps (their index)
        with the values of the columns it computes (named ``_...``: status, its history entry,
        confirmation, staleness, opacity, age) and this layer's view inputs other than the date.
        A layer module reads the date only through ``select``, so two dates with equal keys draw
        the same group (tests/layers/test_registry.py renders both to check), and the page can
        take a group drawn for another date instead of building one.  ``select`` runs on a plain
        pandas view of ``frame`` (geometry kept as a column): it reads no GeoDataFrame method,
        and plain pandas does its filtering in about two thirds of the time."""
        rows = self.select(pd.DataFrame(frame), as_of=as_of, view=view)
        computed = sorted(c for c in rows.columns if str(c).startswith("_"))
        inputs = tuple(pair for pair in self.view_key(as_of=as_of, view=view) if pair[0] != "date")
        shown = repr((rows.index.tolist(), computed, [rows[c].tolist() for c in computed]))
        return (inputs, hashlib.sha256(shown.encode("utf-8")).hexdigest())

    def build(
        self, frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions
    ) -> folium.FeatureGroup:
        """Draw this layer as it stood on ``as_of``."""
        return self.module.build(frame, as_of=as_of, view=view)

    def look(self, row: Mapping[str, Any]) -> Look:
        """How one selected row is drawn (style, classes, opacity): the map's and the exports'."""
        return self.module.look(row)

    def select(
        self, frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions
    ) -> gpd.GeoDataFrame:
        """The rows this layer shows on ``as_of``."""
        return self.module.select(frame, as_of=as_of, view=view)


def _rows(*styles: LineStyle, suffix: str = "", compact: bool = False) -> tuple[LegendEntry, ...]:
    return tuple(LegendEntry(style.label + suffix, style, compact) for style in styles)


REGISTRY: Final[dict[str, LayerSpec]] = {
    spec.id: spec
    for spec in (
        LayerSpec(
            "base",
            "Basemap (countries)",
            ("base/countries.geojson", "base/border_lines.geojson"),
            base,
            z=0,
            legend=_rows(LAYER_STYLE["base-line"]),
            legend_rank=90,
        ),
        LayerSpec(
            "borders",
            "Border segments",
            ("borders.geojson",),
            borders,
            z=40,
            legend=_rows(*STATUS_STYLE.values(), suffix=" border", compact=True),
            legend_rank=10,
            display_zoom=10,
            inputs=DATED | {"statuses"},
        ),
        LayerSpec(
            "enclaves",
            "Enclaves",
            ("enclaves.geojson",),
            enclaves,
            z=30,
            legend=_rows(LAYER_STYLE["enclaves"]),
            legend_rank=30,
            searchable=True,
            label_rule=LabelRule(min_zoom=10),
        ),
        LayerSpec(
            "deployments",
            "Troop deployments",
            ("deployments.geojson",),
            deployments,
            z=20,
            legend=_rows(LAYER_STYLE["deployments"], LAYER_STYLE["deployments-area"]),
            legend_rank=40,
            searchable=True,
        ),
        LayerSpec(
            "exercises",
            "Exercise zones",
            ("exercises.geojson",),
            exercises,
            z=10,
            legend=_rows(LAYER_STYLE["exercises"]),
            legend_rank=50,
            episodic=True,
            inputs=DATED | {"window"},
        ),
        LayerSpec(
            "events",
            "Events",
            ("events.geojson",),
            events,
            z=60,
            legend=_rows(LAYER_STYLE["events"]),
            legend_rank=60,
            episodic=True,
            inputs=DATED | {"window"},
        ),
        LayerSpec(
            "crossings",
            "Crossings",
            ("crossings.geojson",),
            crossings,
            z=50,
            legend=_rows(*CROSSING_STYLE.values()),
            legend_rank=20,
            searchable=True,
        ),
        LayerSpec(
            "places",
            "Places",
            ("places.geojson",),
            places,
            default_on=False,
            z=70,
            legend=_rows(LAYER_STYLE["places"]),
            legend_rank=70,
            searchable=True,
            label_rule=LabelRule(
                min_zoom=11,
                rank_property="kind",
                min_zoom_by_rank=(("capital", 5), ("city", 7), ("town", 9), ("village", 11)),
            ),
        ),
        LayerSpec(
            "rivers",
            "Rivers and lakes (GSHHG)",
            ("context/waters.geojson",),
            rivers,
            z=5,
            legend=_rows(LAYER_STYLE["rivers-border"], LAYER_STYLE["rivers-river"]),
            legend_rank=80,
            display_zoom=9,
            searchable=True,
            label_rule=LabelRule(min_zoom=7),
            inputs=frozenset(),  # GSHHG has no dates: the same on every date
        ),
        LayerSpec(
            "settlements",
            "Settlements (GeoNames)",
            ("context/settlements.geojson",),
            settlements,
            z=65,
            legend=_rows(LAYER_STYLE["settlements-city"], LAYER_STYLE["settlements-village"]),
            legend_rank=75,
            searchable=True,
            label_rule=LabelRule(
                min_zoom=11,
                rank_property="rank",
                min_zoom_by_rank=(("capital", 5), ("city", 7), ("town", 9), ("village", 11)),
            ),
            inputs=frozenset(),  # GeoNames gives no dates: the same on every date
        ),
    )
}
"""Every layer, in the order of the sidebar's layer switch and of ``layers=`` in links."""

LAYER_IDS: Final[tuple[str, ...]] = tuple(REGISTRY)
"""The registry's ids at import (code that must see rows added later calls ``layer_ids()``)."""
STATIC_LAYER: Final = "base"
"""The layer drawn once in the map's static frame (shown or hidden by a class, never rebuilt)."""
DYNAMIC_LAYERS: Final[tuple[str, ...]] = tuple(i for i in REGISTRY if i != STATIC_LAYER)


def layer_ids() -> tuple[str, ...]:
    """Every registered layer id, in registry order."""
    return tuple(REGISTRY)


def draw_order() -> tuple[str, ...]:
    """Layer ids bottom to top (by ``z``; ties keep registry order): the map's and the sheet's."""
    return tuple(sorted(REGISTRY, key=lambda i: REGISTRY[i].z))


def legend_rows(*, compact: bool = False) -> list[LegendEntry]:
    """The legend's lines: each layer's ``legend`` rows, layers ordered by ``legend_rank``."""
    specs = sorted(REGISTRY.values(), key=lambda s: s.legend_rank)
    return [row for spec in specs for row in spec.legend if row.compact or not compact]


def searchable_layers() -> tuple[str, ...]:
    """Layers whose named features the map's search box finds."""
    return tuple(i for i, spec in REGISTRY.items() if spec.searchable)


def episodic_layers() -> frozenset[str]:
    """Layers shown by look-back window (fading with age) rather than by validity."""
    return frozenset(i for i, spec in REGISTRY.items() if spec.episodic)


def spec_for_file(path: str | Path) -> LayerSpec | None:
    """The layer a data file belongs to (matched by its path's tail), or None."""
    tail = Path(path).as_posix()
    for spec in REGISTRY.values():
        if any(tail == name or tail.endswith("/" + name) for name in spec.files):
            return spec
    return None


def display_zoom(path: str | Path) -> int:
    """The zoom a data file's map copy is simplified for (its layer's ``display_zoom``)."""
    spec = spec_for_file(path)
    return spec.display_zoom if spec else LayerSpec.display_zoom


FrameLoader = Callable[[Path], tuple[gpd.GeoDataFrame, list[str]]]


def read_frame(path: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    """One data file as a frame of its valid features, plus one sentence per problem."""
    frame, report = load_frame(path)
    return frame, report.lines()


def load_frames(
    data_dir: Path = DATA_DIR, *, loader: FrameLoader = read_frame
) -> tuple[dict[str, gpd.GeoDataFrame], list[str]]:
    """Every registry layer as one frame (multi-file layers concatenated), plus problem lines.

    A missing or broken file gives an empty frame and its problems, never an exception, so the
    other layers still draw. The page passes a cached ``loader``; the CLIs use ``read_frame``.
    """
    frames: dict[str, gpd.GeoDataFrame] = {}
    problems: list[str] = []
    for layer_id, spec in REGISTRY.items():
        parts = []
        for name in spec.files:
            frame, lines = loader(Path(data_dir) / name)
            problems += lines
            parts.append(frame)
        frames[layer_id] = concat_frames(parts)
    return frames, problems


__all__ = [
    "DYNAMIC_LAYERS",
    "LAYER_IDS",
    "REGISTRY",
    "STATIC_LAYER",
    "LabelRule",
    "LayerModule",
    "LayerSpec",
    "LegendEntry",
    "Look",
    "ViewInput",
    "ViewOptions",
    "display_zoom",
    "draw_order",
    "episodic_layers",
    "layer_ids",
    "legend_rows",
    "load_frames",
    "read_frame",
    "searchable_layers",
    "spec_for_file",
]
