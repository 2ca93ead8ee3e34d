"""The registry of map layers: id, label, data files and the module that draws them.

``app.py``, the exports and the tests iterate this one table; a new layer is one module with
``select(frame, *, as_of, view)`` and ``build(frame, *, as_of, view)`` plus one row here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Final

import folium
import geopandas as gpd

from layers import base, borders, crossings, deployments, enclaves, events, exercises, places
from layers._draw import ViewOptions

Builder = Callable[..., folium.FeatureGroup]


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
    )
}
LAYER_IDS: Final[tuple[str, ...]] = tuple(REGISTRY)
DYNAMIC_LAYERS: Final[tuple[str, ...]] = tuple(i for i in REGISTRY if i != "base")

__all__ = ["DYNAMIC_LAYERS", "LAYER_IDS", "REGISTRY", "LayerSpec", "ViewOptions"]
