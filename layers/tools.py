"""Map tools that work offline: measure, coordinates in degrees and MGRS, search, mini-map, fullscreen.

All assets come from ``static/vendor`` (see ``layers.assets``); MGRS is computed in the browser by
the maintained ``mgrs`` package (proj4js), never by hand-rolled code.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import folium
import geopandas as gpd
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import Fullscreen, MeasureControl, MiniMap, Search
from jinja2 import Template

from layers import searchable_layers
from layers._html import safe_text
from layers.assets import blank_tile_layer

SEARCH_PROPERTY: Final = "label"


class PlainTextSearch(MacroElement):
    """Search on the names as written: ``Qal'ai`` matches, and a chosen result reads ``Qal'ai``.

    The index is escaped once by ``safe_text`` (the page is rendered through Jinja twice, so the
    text must stay inert there). In the browser this decodes each label back to plain text with
    ``DOMParser`` (which runs no script and loads nothing) before leaflet-search reads it, and
    builds the tips with ``textContent`` instead of leaflet-search's ``innerHTML``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var parser = new DOMParser();
          {{ this.layer.get_name() }}.eachLayer(function (marker) {
            var props = marker.feature && marker.feature.properties;
            if (props && typeof props[{{ this.label|tojson }}] === "string") {
              props[{{ this.label|tojson }}] = parser.parseFromString(
                props[{{ this.label|tojson }}], "text/html").documentElement.textContent;
            }
          });
          {{ this.layer.get_name() }}searchControl.options.buildTip = function (text) {
            var tip = L.DomUtil.create("li", "");
            tip.textContent = text;
            return tip;
          };
        })();
        {% endmacro %}
        """
    )

    def __init__(self, layer: folium.GeoJson, *, label: str) -> None:
        super().__init__()
        self._name = "PlainTextSearch"
        self.layer = layer  # named at render time: streamlit-folium renames layers first
        self.label = label


class CoordinateReadout(JSCSSMixin, MacroElement):
    """Live pointer position in decimal degrees and MGRS (1 m precision), bottom left."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }};
          var box = L.control({position: "bottomleft"});
          box.onAdd = function () {
            var div = L.DomUtil.create("div", "fa-coords");
            div.setAttribute("data-testid", "fa-coords");
            div.textContent = "Move the pointer over the map";
            return div;
          };
          box.addTo(map);
          map.on("mousemove", function (e) {
            var lat = e.latlng.lat, lng = e.latlng.lng, grid = "";
            try { grid = mgrs.forward([lng, lat], 5); } catch (err) { grid = "n/a"; }
            box.getContainer().textContent =
              lat.toFixed(5) + ", " + lng.toFixed(5) + "  |  MGRS " + grid;
          });
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "CoordinateReadout"
        self.default_js = [("mgrs", "/app/static/vendor/mgrs/mgrs.min.js")]


class ServedSearchIndex(MacroElement):
    """Fill the (empty) search group from the served index file once it arrives.

    The index is the same for everyone, so it is a content-addressed static file (see
    ``publish_search_index``) the browser fetches after the first paint and caches, instead of
    a part of the map frame's script. Labels are decoded to plain text as ``PlainTextSearch`` does.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var group = {{ this.group.get_name() }};
          var label = {{ this.label|tojson }};
          var parser = new DOMParser();
          {{ this.group.get_name() }}searchControl.options.buildTip = function (text) {
            var tip = L.DomUtil.create("li", "");
            tip.textContent = text;
            return tip;
          };
          fetch({{ this.url|tojson }}, {credentials: "same-origin"})
            .then(function (response) { return response.json(); })
            .then(function (data) {
              data.features.forEach(function (f) {
                if (typeof f.properties[label] === "string") {
                  f.properties[label] = parser.parseFromString(
                    f.properties[label], "text/html").documentElement.textContent;
                }
              });
              group.addLayer(L.geoJSON(data, {
                pointToLayer: function (f, at) {
                  return L.circleMarker(at, {radius: 1, opacity: 0, fillOpacity: 0,
                    interactive: false, className: "fa-search-index"});
                }
              }));
            })
            .catch(function (err) { console.error("search index: " + err); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, group: folium.FeatureGroup, *, url: str, label: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "ServedSearchIndex"
        self.group = group  # named at render time
        self.url = url
        self.label = label


def publish_search_index(index: dict[str, Any], *, static_dir: Path, url_prefix: str) -> str | None:
    """Write ``index`` once as ``<static_dir>/search-<sha>.geojson``; its URL.

    None when the folder cannot be written (a read-only install): the index then goes inline.
    """
    body = json.dumps(index, separators=(",", ":"), sort_keys=True).encode("utf-8")
    name = f"search-{hashlib.sha256(body).hexdigest()[:16]}.geojson"
    target = Path(static_dir) / name
    try:
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".tmp")
            partial.write_bytes(body)
            partial.replace(target)
    except OSError:
        return None
    return f"{url_prefix.rstrip('/')}/{name}"


def search_index(
    frames: Mapping[str, gpd.GeoDataFrame], *, layers: Iterable[str] | None = None
) -> dict[str, Any]:
    """Points to search by name: every place (with its other spellings) and every named feature.

    ``layers`` defaults to the registry's searchable layers (``LayerSpec.searchable``).
    """
    features: list[dict[str, Any]] = []
    for layer_id in searchable_layers() if layers is None else layers:
        frame = frames.get(layer_id)
        if frame is None or not len(frame):
            continue
        points = frame.geometry.representative_point()
        for props, point in zip(frame.to_dict("records"), points, strict=True):
            names = [props.get("name"), *(props.get("alt_names") or [])]
            label = " / ".join(str(n) for n in names if n)
            features.append(
                {
                    "type": "Feature",
                    "properties": {SEARCH_PROPERTY: safe_text(label), "layer": layer_id},
                    "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def add_tools(
    fmap: folium.Map,
    *,
    index: dict[str, Any] | str | None,
    compact: bool = False,
    minimap: bool = True,
) -> None:
    """Add the offline tools to the static map frame (compact: only what an embed needs).

    ``index`` is the search index itself or the URL of its published file
    (``publish_search_index``). ``minimap=False`` when the basemap element draws its own vector
    overview map.
    """
    Fullscreen(position="topleft").add_to(fmap)
    if compact:
        return
    MeasureControl(
        position="topleft",
        primary_length_unit="kilometers",
        secondary_length_unit="meters",
        primary_area_unit="sqkilometers",
        secondary_area_unit="hectares",
    ).add_to(fmap)
    CoordinateReadout().add_to(fmap)
    if minimap:
        MiniMap(tile_layer=blank_tile_layer(), toggle_display=True, position="bottomleft").add_to(
            fmap
        )
    if isinstance(index, str):
        group = folium.FeatureGroup(name="search index", control=False, show=True)
        group.add_to(fmap)
        _search_control(group).add_to(fmap)
        ServedSearchIndex(group, url=index, label=SEARCH_PROPERTY).add_to(fmap)
    elif index and index["features"]:
        hidden = folium.GeoJson(
            index,
            name="search index",
            control=False,
            marker=folium.CircleMarker(radius=1),
            style_function=lambda _f: {
                "opacity": 0,
                "fillOpacity": 0,
                "interactive": False,
                "className": "fa-search-index",
            },
        ).add_to(fmap)
        _search_control(hidden).add_to(fmap)
        PlainTextSearch(hidden, label=SEARCH_PROPERTY).add_to(fmap)


def _search_control(layer: Element) -> Search:
    """leaflet-search over the hidden index ``layer``."""
    return Search(
        layer=layer,
        search_label=SEARCH_PROPERTY,
        placeholder="Search places and features",
        collapsed=True,
        position="topleft",
        search_zoom=11,
    )
