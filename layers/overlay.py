"""An analyst's uploaded file drawn over the map, as one more dynamic layer.

Upload properties are arbitrary and untrusted (keys as well as values), so none of them is used
for styling, ids or class names: every feature gets a generated id, the one ``overlay`` style and
the ``fa-layer-overlay`` class, and its properties are listed in the popup as escaped text.
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import folium
import geopandas as gpd
from shapely.geometry import shape

from geo.io import format_mb
from geo.measure import geodesic_area_m2, geodesic_length_m
from layers._draw import Look, geojson_group, to_features
from layers._html import safe_text
from layers.mapview import LegendRow
from layers.styles import LAYER_STYLE

LAYER_ID: Final = "overlay"
NAME_KEYS: Final = ("name", "title", "label", "Name", "NAME")
"""Properties tried, in order, for a feature's tooltip."""

MAX_ROWS: Final = 12
"""Most properties listed in one popup (an upload may have a hundred columns)."""

MAX_KEY_CHARS: Final = 60
MAX_VALUE_CHARS: Final = 200
"""Most characters of a property name / value in a popup, counted AFTER escaping: escaping can
multiply text (``{`` becomes ``&#123;``), so the budget bounds what is sent, not what was read."""

MAX_SCRIPT_BYTES: Final = 12 * 2**20
"""Largest rendered overlay script sent to each browser; bigger overlays are refused."""

CACHE_ENTRIES: Final = 8
"""Prepared overlays kept in memory (shared by all sessions), least recently used dropped."""


def _as_rows(
    data: gpd.GeoDataFrame | Sequence[Mapping[str, Any]],
) -> list[tuple[dict[str, Any], Any]]:
    """(properties, shapely geometry) pairs from a frame or a list of GeoJSON features."""
    if isinstance(data, gpd.GeoDataFrame):
        geometry = data.geometry.name
        return [
            ({k: v for k, v in row.items() if k != geometry}, row[geometry])
            for row in data.to_dict("records")
        ]
    return [(dict(f.get("properties") or {}), shape(f["geometry"])) for f in data]


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _value_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _fit(value: object, budget: int) -> str:
    """``safe_text(value)`` cut so the ESCAPED text has at most ``budget`` characters."""
    text = "" if value is None else str(value)
    limit = budget
    while True:
        shown = safe_text(text, limit=limit)
        if len(shown) <= budget or limit <= 1:
            return shown
        limit = max(1, limit * budget // len(shown) - 1)


def _popup(row: Mapping[str, Any]) -> str:
    """The first properties as escaped table rows (bounded), plus geodesic length or area."""
    props: dict[str, Any] = row["_props"]
    shown = [(k, v) for k, v in props.items() if not _blank(v)]
    cells = [
        f"<tr><th>{_fit(key, MAX_KEY_CHARS)}</th>"
        f"<td>{_fit(_value_text(value), MAX_VALUE_CHARS)}</td></tr>"
        for key, value in shown[:MAX_ROWS]
    ]
    if len(shown) > MAX_ROWS:
        cells.append(f"<tr><td colspan='2'>… {len(shown) - MAX_ROWS} more properties</td></tr>")
    cells.extend(
        f"<tr><th>{label}</th><td>{safe_text(value)}</td></tr>" for label, value in row["_measure"]
    )
    title = _fit(row.get("name"), MAX_VALUE_CHARS)
    return f"<div class='fa-popup'><b>{title}</b><table>{''.join(cells)}</table></div>"


def _measure(geom: Any) -> list[tuple[str, str]]:
    if geom.geom_type.endswith("Polygon"):
        return [("Area (geodesic)", f"{geodesic_area_m2(geom) / 1e6:,.2f} km²")]
    if geom.geom_type.endswith("LineString"):
        return [("Length (geodesic)", f"{geodesic_length_m(geom) / 1000:,.2f} km")]
    return []


def look(_row: Mapping[str, Any]) -> Look:
    """How one selected row is drawn: style, CSS classes, opacity (map and sheet alike)."""
    return Look(LAYER_STYLE[LAYER_ID], f"fa-layer-{LAYER_ID}")


def _display_name(props: Mapping[str, Any], index: int) -> str:
    for key in NAME_KEYS:
        value = props.get(key)
        if not _blank(value):
            return _value_text(value)[:MAX_VALUE_CHARS]
    return f"Feature {index + 1}"


def build(
    data: gpd.GeoDataFrame | Sequence[Mapping[str, Any]], *, name: str
) -> folium.FeatureGroup:
    """The overlay as a FeatureGroup named ``name`` (the file name; escaped on the map)."""
    rows = _as_rows(data)
    frame = gpd.GeoDataFrame(
        {
            "id": [f"{LAYER_ID}-{i}" for i in range(len(rows))],
            "name": [_display_name(props, i) for i, (props, _g) in enumerate(rows)],
            "_props": [props for props, _g in rows],
            "_measure": [_measure(g) for _p, g in rows],
        },
        geometry=[g for _p, g in rows],
        crs="OGC:CRS84",
    )
    features, styles = to_features(frame, look=look, popup=_popup)
    group = geojson_group(features, styles, layer_id=LAYER_ID, name=name)
    group.add_child(LegendRow(f"{LAYER_STYLE[LAYER_ID].label}: {name}", LAYER_STYLE[LAYER_ID]))
    return group


@dataclass(frozen=True)
class Prepared:
    """An overlay ready for the map: its group, or the one sentence saying why it is refused."""

    group: folium.FeatureGroup | None
    problem: str | None
    script_bytes: int


def _text_size(group: folium.FeatureGroup) -> int:
    """A cheap lower bound of the group's script size: its text as the page embeds it (folium's
    ``tojson`` writes each ``& < > '`` as six characters) plus 12 characters per position."""
    total = 0
    for child in group._children.values():
        data = getattr(child, "data", None)
        for feature in data.get("features", []) if isinstance(data, dict) else []:
            props = feature.get("properties") or {}
            for text in (str(props.get("popup", "")), str(props.get("name", ""))):
                specials = sum(text.count(ch) for ch in "&<>'")
                total += len(text) + 5 * specials
            total += 12 * _count_positions((feature.get("geometry") or {}).get("coordinates"))
    return total


def _count_positions(coordinates: Any) -> int:
    count, stack = 0, [coordinates]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple) and item:
            if isinstance(item[0], list | tuple):
                stack.extend(item)
            else:
                count += 1
    return count


def script_size(group: folium.FeatureGroup) -> int:
    """Characters of the script that draws ``group`` (rendered with folium in a scratch map)."""
    scratch = folium.Map(tiles=None)
    group.add_to(scratch)
    size = len(scratch.get_root().render()) - len(folium.Map(tiles=None).get_root().render())
    scratch._children.pop(group.get_name(), None)  # the page's map adopts the group next
    return size


_CACHE: OrderedDict[tuple[str, str], Prepared] = OrderedDict()
_LOCK = threading.Lock()


def prepare(features: Sequence[Mapping[str, Any]], *, name: str, digest: str) -> Prepared:
    """The overlay group for a file's content ``digest``, built and size-checked once.

    Shared by all sessions and reruns: the same content gives the same ``Prepared`` (its group
    carries ``fa_cache_key`` so the page also renders its script once). Over
    ``MAX_SCRIPT_BYTES`` the overlay is refused with one sentence naming the limit.
    """
    key = (digest, name)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    group = build(features, name=name)
    size = _text_size(group)  # cheap: refuse without rendering when the text alone is too big
    if size <= MAX_SCRIPT_BYTES:
        size = script_size(group)
    if size > MAX_SCRIPT_BYTES:
        problem = (
            f"{name}: drawing this overlay would send {format_mb(size)} of map script to each "
            f"viewer, more than the {format_mb(MAX_SCRIPT_BYTES)} limit (fewer features, "
            "vertices or properties would fit)"
        )
        prepared = Prepared(None, problem, size)
    else:
        group.fa_cache_key = ("overlay", digest, name)  # type: ignore[attr-defined]  # a cache tag read back by the page
        prepared = Prepared(group, None, size)
    with _LOCK:
        _CACHE[key] = prepared
        _CACHE.move_to_end(key)
        while len(_CACHE) > CACHE_ENTRIES:
            _CACHE.popitem(last=False)
    return prepared
