"""The registry of map layers: id, label, data files and the module that draws them.

``app.py``, the exports and the tests iterate this one table; a new layer is one module with
``select(frame, *, as_of, view)`` and ``build(frame, *, as_of, view)`` plus one row here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Final

import folium
import geopandas as gpd

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


@dataclass(frozen=True)
class LayerSpec:
    """One row of the registry."""

    id: str
    label: str
    files: tuple[str, ...]
    module: ModuleType
    default_on: bool = True

    def build(
        self, frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions
    ) -> folium.FeatureGroup:
        """Draw this layer as it stood on ``as_of``."""
        group: folium.FeatureGroup = self.module.build(frame, as_of=as_of, view=view)
        return group

    def look(self, row: Mapping[str, Any]) -> Look:
        """How one selected row is drawn (style, classes, opacity): the map's and the exports'."""
        how: Look = self.module._look(row)
        return how

    def select(
        self, frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions
    ) -> gpd.GeoDataFrame:
        """The rows this layer shows on ``as_of``."""
        rows: gpd.GeoDataFrame = self.module.select(frame, as_of=as_of, view=view)
        return rows


REGISTRY: Final[dict[str, LayerSpec]] = {
    spec.id: spec
    for spec in (
        LayerSpec(
            "base",
            "Basemap (countries)",
            ("base/countries.geojson", "base/border_lines.geojson"),
            base,
        ),
        LayerSpec("borders", "Border segments", ("borders.geojson",), borders),
        LayerSpec("enclaves", "Enclaves", ("enclaves.geojson",), enclaves),
        LayerSpec("deployments", "Troop deployments", ("deployments.geojson",), deployments),
        LayerSpec("exercises", "Exercise zones", ("exercises.geojson",), exercises),
        LayerSpec("events", "Events", ("events.geojson",), events),
        LayerSpec("crossings", "Crossings", ("crossings.geojson",), crossings),
        LayerSpec("places", "Places", ("places.geojson",), places, default_on=False),
        LayerSpec("rivers", "Rivers and lakes (GSHHG)", ("context/waters.geojson",), rivers),
        LayerSpec(
            "settlements", "Settlements (GeoNames)", ("context/settlements.geojson",), settlements
        ),
    )
}
LAYER_IDS: Final[tuple[str, ...]] = tuple(REGISTRY)
DYNAMIC_LAYERS: Final[tuple[str, ...]] = tuple(i for i in REGISTRY if i != "base")

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
    "LayerSpec",
    "ViewOptions",
    "load_frames",
    "read_frame",
]
