"""The current view as one GeoJSON file: what every visible layer shows on the date, with sources.

Each layer's own ``select`` decides what is in the view, so the file always matches the map. The
exported properties are the data's own (sources included) plus ``layer``, the status in force on
the date where a layer has one, and the geodesic length or area; the collection carries the date,
the view options, the attribution and the disclaimer, so a file passed on keeps its provenance.
The basemap is left out: it is context from OpenStreetMap, published in ``data/base/``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

import geopandas as gpd
import numpy as np
from shapely.geometry import mapping

from layers import REGISTRY
from layers._draw import ViewOptions
from layers.styles import ATTRIBUTION, DISCLAIMER

MEDIA_TYPE: Final = "application/geo+json"
MEASURES: Final = (("length_km", 3), ("area_km2", 3))
"""Computed columns exported, with the decimals kept."""


def file_name(as_of: dt.date) -> str:
    """The download's file name, e.g. ``frontier-atlas-2021-10-05.geojson``."""
    return f"frontier-atlas-{as_of.isoformat()}.geojson"


def _plain(value: Any) -> Any:
    """A frame cell as a JSON value: numpy scalars unwrapped, NaN as null, dates as text."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _feature(row: Mapping[str, Any], *, layer_id: str, geometry: str) -> dict[str, Any]:
    props: dict[str, Any] = {"layer": layer_id}
    for key, value in row.items():
        if key == geometry or key.startswith("_") or key in dict(MEASURES):
            continue
        props[key] = _plain(value)
    if "_status" in row:
        props["status_on_date"] = row["_status"]
    for key, decimals in MEASURES:
        value = _plain(row.get(key))
        if value is not None:
            props[key] = round(float(value), decimals)
    return {"type": "Feature", "properties": props, "geometry": mapping(row[geometry])}


def view_rows(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    as_of: dt.date,
    layers: Iterable[str],
    view: ViewOptions,
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """``(layer id, selected row, GeoJSON feature)`` for every visible layer on ``as_of``.

    The row keeps the layer's private columns (its look needs them); the feature is what the
    downloads carry.  In registry order; the basemap is left out.
    """
    shown = set(layers)
    for layer_id, spec in REGISTRY.items():
        if layer_id == "base" or layer_id not in shown or layer_id not in frames:
            continue
        rows = spec.select(frames[layer_id], as_of=as_of, view=view)
        geometry = rows.geometry.name
        for row in rows.to_dict("records"):
            yield layer_id, row, _feature(row, layer_id=layer_id, geometry=geometry)


def view_features(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    as_of: dt.date,
    layers: Iterable[str],
    view: ViewOptions,
) -> list[dict[str, Any]]:
    """GeoJSON features of every visible layer on ``as_of``, in registry order."""
    return [f for _, _, f in view_rows(frames, as_of=as_of, layers=layers, view=view)]


def view_geojson(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    as_of: dt.date,
    layers: Iterable[str],
    view: ViewOptions,
) -> bytes:
    """The current view as GeoJSON bytes (RFC 7946, UTF-8), ready for a download button."""
    shown = [layer_id for layer_id in REGISTRY if layer_id in set(layers) and layer_id != "base"]
    collection = {
        "type": "FeatureCollection",
        "as_of": as_of.isoformat(),
        "layers": shown,
        "statuses": sorted(view.statuses),
        "lookback_days": view.window_days,
        "attribution": ATTRIBUTION,
        "disclaimer": DISCLAIMER,
        "features": view_features(frames, as_of=as_of, layers=shown, view=view),
    }
    return json.dumps(collection, ensure_ascii=False, allow_nan=False).encode("utf-8")
