"""Settlements from GeoNames: small dots by rank, names as labels (``layers.labels``).

Context for reading the map, not a claim: the popup says where the point comes from. A curated
place (``places.geojson``) wins over a GeoNames settlement for the same place in labels and search.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

import folium
import geopandas as gpd

from layers._draw import Look, ViewOptions, geojson_group, to_features
from layers._html import safe_text
from layers._select import lasting
from layers.styles import LAYER_STYLE

LAYER_ID: Final = "settlements"
RANKS: Final = ("capital", "city", "town", "village")
RADIUS: Final[dict[str, int]] = {"capital": 5, "city": 4, "town": 3, "village": 2}
"""Dot radius in pixels by rank: context, smaller than the atlas's own markers (6 px)."""


def select(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> gpd.GeoDataFrame:
    """Every settlement (GeoNames gives no dates; they hold on every date)."""
    return lasting(frame, as_of=as_of)


def look(row: Mapping[str, Any]) -> Look:
    """A dot styled by rank (``settlements-<rank>`` rows of the style table)."""
    rank = row.get("rank") if row.get("rank") in RANKS else "village"
    return Look(LAYER_STYLE[f"{LAYER_ID}-{rank}"], f"fa-layer-{LAYER_ID} fa-rank-{rank}")


_look = look


def popup(row: Mapping[str, Any]) -> str:
    """A one-line popup (326 of them ride in the page): rank, country, population, GeoNames id."""
    population = row.get("population")
    pop = f", pop. {population:,}" if isinstance(population, int) else ""
    geonames_id = str(row.get("id", "")).removeprefix("settlement-")
    return (
        f"<b>{safe_text(row.get('name'))}</b><br>{safe_text(row.get('rank'))}, "
        f"{safe_text(row.get('country'))}{safe_text(pop)}<br>GeoNames {safe_text(geonames_id)}"
    )


def build(frame: gpd.GeoDataFrame, *, as_of: dt.date, view: ViewOptions) -> folium.FeatureGroup:
    """The settlement dots (names are drawn by the labels group)."""
    features, styles = to_features(select(frame, as_of=as_of, view=view), look=look, popup=popup)
    for key, style in styles.items():  # Leaflet's setStyle takes a circle marker's radius too
        rank = key.split("fa-rank-")[-1].split("|")[0]
        style["radius"] = RADIUS.get(rank, RADIUS["village"])
    return geojson_group(features, styles, layer_id=LAYER_ID, name="Settlements")
