"""Data out for GIS users: the view as a GeoPackage (QGIS, ArcGIS) or KML (Google Earth).

Both carry exactly what ``layers.download.view_features`` gives — every shown layer's ``select``
rows on the date, status resolved — so a file always matches the map and the GeoJSON download.
GeoPackage: one table per map layer, properties flattened to columns (sources as text).  KML: one
Folder per layer, the map's colours and widths as KML styles (KML has no dash patterns: a dashed
map style is named "dashed" in its style id), a description balloon with the dates, confidence and
sources escaped through ``layers._html``, and the date in the document's name.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pygeoif
import pyogrio
from fastkml import containers, data, features, kml, styles
from shapely.geometry import box, shape

from geo.errors import ParamError
from layers import REGISTRY
from layers._draw import ViewOptions
from layers._html import safe_text, sources_html, validity_text
from layers.download import view_rows
from layers.styles import ATTRIBUTION, DISCLAIMER, LineStyle

MEDIA_TYPE: Final = {
    "gpkg": "application/geopackage+sqlite3",
    "kml": "application/vnd.google-earth.kml+xml",
}
_KEEP: Final = ("id", "layer", "name", "status_on_date", "valid_from", "valid_to", "confidence")


def file_name(as_of: dt.date, fmt: str) -> str:
    """The download's file name, e.g. ``frontier-atlas-2021-10-05.gpkg``."""
    return f"frontier-atlas-{as_of.isoformat()}.{fmt}"


def _rows(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    as_of: dt.date,
    layers: Iterable[str],
    view: ViewOptions,
    bbox: Sequence[float] | None,
) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """``(layer id, row, feature)`` of the view, only those meeting ``bbox`` when given."""
    found = list(view_rows(frames, as_of=as_of, layers=layers, view=view))
    if bbox is None:
        return found
    window = box(*bbox)
    return [item for item in found if shape(item[2]["geometry"]).intersects(window)]


def sources_text(sources: Any) -> str:
    """A feature's sources as one line of text: ``Publisher: Title (date) url; …``."""
    parts = []
    for src in sources or []:
        if not isinstance(src, Mapping):
            continue
        text = f"{src.get('publisher') or 'Unknown publisher'}: {src.get('title') or ''}".strip()
        if src.get("date"):
            text += f" ({src['date']})"
        if src.get("url"):
            text += f" {src['url']}"
        parts.append(text)
    return "; ".join(parts)


def _column(value: Any) -> Any:
    """A property as a GeoPackage column value: scalars as they are, anything else as JSON."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False)


def view_gpkg(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    as_of: dt.date,
    layers: Iterable[str],
    view: ViewOptions,
    bbox: Sequence[float] | None = None,
) -> bytes:
    """The view as GeoPackage bytes: one table per shown map layer with features on ``as_of``."""
    found = [f for _, _, f in _rows(frames, as_of=as_of, layers=layers, view=view, bbox=bbox)]
    if not found:
        raise ParamError(f"nothing to export: no feature of the chosen layers on {as_of}")
    by_layer: dict[str, list[dict[str, Any]]] = {}
    for feature in found:
        by_layer.setdefault(feature["properties"]["layer"], []).append(feature)
    with tempfile.TemporaryDirectory(prefix="fa-gpkg-") as tmp:
        path = Path(tmp) / "view.gpkg"
        for layer_id, items in by_layer.items():
            rows = []
            for feature in items:
                props = dict(feature["properties"])
                props["sources"] = sources_text(props.get("sources"))
                row = {key: _column(value) for key, value in props.items()}
                row["as_of"] = as_of.isoformat()
                rows.append(row)
            frame = gpd.GeoDataFrame(
                rows, geometry=[shape(f["geometry"]) for f in items], crs="EPSG:4326"
            )
            pyogrio.write_dataframe(
                frame,
                path,
                layer=layer_id,
                driver="GPKG",
                append=path.exists(),
                promote_to_multi=True,
                layer_options={"DESCRIPTION": f"{REGISTRY[layer_id].label} on {as_of}"},
            )
        return path.read_bytes()


# --------------------------------------------------------------------------- KML


def kml_color(color: str, opacity: float) -> str:
    """``#rrggbb`` and an opacity as KML's ``aabbggrr``."""
    match = re.fullmatch(r"#([0-9a-fA-F]{6})", color)
    if match is None:
        raise ValueError(f"not a #rrggbb colour: {color!r}")
    rr, gg, bb = (match.group(1)[i : i + 2] for i in (0, 2, 4))
    alpha = round(max(0.0, min(1.0, opacity)) * 255)
    return f"{alpha:02x}{bb}{gg}{rr}".lower()


def _style_id(style: LineStyle) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", style.label.lower()).strip("-")
    return f"fa-{slug}{'-dashed' if style.dash else ''}"


def _kml_style(style: LineStyle) -> styles.Style:
    fill = style.fill or style.color
    return styles.Style(
        id=_style_id(style),
        styles=[
            styles.LineStyle(color=kml_color(style.color, style.opacity), width=style.weight),
            styles.PolyStyle(
                color=kml_color(fill, style.fill_opacity if style.fill else 0.0),
                fill=bool(style.fill),
                outline=True,
            ),
            styles.IconStyle(color=kml_color(fill, max(style.fill_opacity, 0.6)), scale=0.8),
        ],
    )


def _balloon(props: Mapping[str, Any], *, layer_label: str) -> str:
    """The description balloon: every data text escaped by ``safe_text``/``sources_html``."""
    lines = [
        f"<b>{safe_text(props.get('name'))}</b> ({safe_text(layer_label)})",
        f"Valid: {safe_text(validity_text(props))}",
        f"Confidence: {safe_text(props.get('confidence') or 'not stated')}",
    ]
    if props.get("status_on_date"):
        lines.append(f"Status on the date: {safe_text(props['status_on_date'])}")
    sources = [s for s in props.get("sources") or [] if isinstance(s, Mapping)]
    return "<br>".join(lines) + "<br>Sources:" + sources_html(sources)


def view_kml(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    as_of: dt.date,
    layers: Iterable[str],
    view: ViewOptions,
    bbox: Sequence[float] | None = None,
) -> bytes:
    """The view as KML bytes: a Folder per shown map layer, the map's colours, escaped balloons."""
    shown = tuple(layers)
    used: dict[str, styles.Style] = {}
    folders: dict[str, list[features.Placemark]] = {}
    for layer_id, row, feature in _rows(frames, as_of=as_of, layers=shown, view=view, bbox=bbox):
        props = feature["properties"]
        spec = REGISTRY[layer_id]
        look = spec.look(row)
        used.setdefault(_style_id(look.style), _kml_style(look.style))
        extended = data.ExtendedData(
            elements=[
                data.Data(name=key, value=str(props[key]))
                for key in _KEEP
                if props.get(key) is not None
            ]
        )
        folders.setdefault(layer_id, []).append(
            features.Placemark(
                name=str(props.get("name") or props.get("id")),
                description=_balloon(props, layer_label=spec.label),
                style_url=styles.StyleUrl(url=f"#{_style_id(look.style)}"),
                geometry=pygeoif.shape(feature["geometry"]),
                extended_data=extended,
            )
        )
    document = containers.Document(
        name=f"Frontier Atlas as of {as_of.isoformat()}",
        description=f"{ATTRIBUTION}. {DISCLAIMER}",
        styles=list(used.values()),
        features=[
            containers.Folder(id=f"layer-{layer_id}", name=REGISTRY[layer_id].label, features=items)
            for layer_id, items in folders.items()
        ],
    )
    text = kml.KML(features=[document]).to_string(prettyprint=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text).encode("utf-8")
