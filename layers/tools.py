"""Map tools that work offline: measure, coordinates in degrees and MGRS, search, mini-map, fullscreen.

Search matches any spelling of a place (``fold``): English, Russian, Tajik, Kyrgyz, Uzbek or Dari,
Cyrillic or Latin, with or without apostrophes and diacritics.

All assets come from ``static/vendor`` (see ``layers.assets``); MGRS is computed in the browser by
the maintained ``mgrs`` package (proj4js), never by hand-rolled code.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final, cast

import folium
import geopandas as gpd
from branca.element import Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import Fullscreen, MeasureControl, MiniMap, Search
from jinja2 import Template

from layers import searchable_layers
from layers._element import PlainParts, RenderedText
from layers._html import safe_text
from layers.assets import blank_tile_layer, loader_once, local_urls, publish_once


class CoordinateReadout(JSCSSMixin, PlainParts):
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


_APOSTROPHES: Final = dict.fromkeys(map(ord, "'\u2018\u2019\u02bb\u02bc\u02b9\u0060\u00b4\""), None)
_SEPARATORS: Final = re.compile(r"[\s\-_.,/()]+")


def fold(text: object) -> str:
    """Spelling-insensitive form for matching: NFKD, marks and apostrophes dropped, lowercase.

    ``Qal'ai Khumb``, ``Qalai-Khumb`` and ``QALʻAI KHUMB`` all fold to ``qalai khumb``; ``Ворух``
    stays Cyrillic (``ворух``). ``FOLD_JS`` is the same function for the browser.
    """
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", bare.translate(_APOSTROPHES).casefold()).strip()


FOLD_JS: Final = r"""function (text) {
  return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f\u0483-\u0489\u064b-\u065f\u0670]/g, "")
    .replace(/['\u2018\u2019\u02bb\u02bc\u02b9`\u00b4"]/g, "").toLowerCase()
    .replace(/[\s\-_.,\/()]+/g, " ").trim();
}"""

SAME_PLACE_KM: Final = 5.0
"""A settlement within this distance of a curated place with a shared spelling is that place."""


def _spellings(props: Mapping[str, Any]) -> list[str]:
    return [str(n) for n in [props.get("name"), *(props.get("alt_names") or [])] if n]


def curated_duplicates(
    settlements: gpd.GeoDataFrame, places: gpd.GeoDataFrame | None
) -> dict[int, int]:
    """Settlement row position -> place row position for the same place (curated places win).

    The same place: a shared spelling (folded) within ``SAME_PLACE_KM``.
    """
    if places is None or not len(places) or not len(settlements):
        return {}
    place_rows = places.to_dict("records")
    place_names = [{fold(n) for n in _spellings(p)} for p in place_rows]
    place_pts = list(places.geometry.representative_point())
    out: dict[int, int] = {}
    for i, (row, point) in enumerate(
        zip(settlements.to_dict("records"), settlements.geometry, strict=True)
    ):
        names = {fold(n) for n in _spellings(row)}
        for j, pp in enumerate(place_pts):
            near = point.distance(pp) * 111.0 <= SAME_PLACE_KM  # degrees -> km, generous
            if near and names & place_names[j]:
                out[i] = j
                break
    return out


def search_index(
    frames: Mapping[str, gpd.GeoDataFrame], *, layers: Iterable[str] | None = None
) -> dict[str, Any]:
    """Everything the search box finds: ``entries`` of [display name, folded spellings, lat, lon].

    The display name is escaped once here (it is decoded once in the browser and shown as text);
    the folded spellings (every name and alternate name, English, Russian, Tajik, Kyrgyz, Uzbek,
    Dari …) are what a typed query is matched against. A GeoNames settlement that is a curated
    place is not listed twice: its spellings join the place's entry.

    ``layers`` defaults to the registry's searchable layers (``LayerSpec.searchable``).
    """
    wanted = list(searchable_layers() if layers is None else layers)
    extra_names: dict[int, list[str]] = {}
    settlements = frames.get("settlements")
    skip: set[int] = set()
    if settlements is not None and "settlements" in wanted:
        dupes = curated_duplicates(
            settlements, frames.get("places") if "places" in wanted else None
        )
        rows = settlements.to_dict("records")
        for i, j in dupes.items():
            skip.add(i)
            extra_names.setdefault(j, []).extend(_spellings(rows[i]))
    entries: list[list[Any]] = []
    seen: dict[str, int] = {}
    for layer_id in wanted:
        frame = frames.get(layer_id)
        if frame is None or not len(frame):
            continue
        points = frame.geometry.representative_point()
        for pos, (props, point) in enumerate(zip(frame.to_dict("records"), points, strict=True)):
            if layer_id == "settlements" and pos in skip:
                continue
            if layer_id == "rivers" and not props.get("named"):
                continue
            names = _spellings(props)
            if layer_id == "places":
                names += extra_names.get(pos, [])
            if not names:
                continue
            where = props.get("country") or props.get("sovereign") or props.get("border") or ""
            display = f"{names[0]} ({where})" if where else names[0]
            seen[display] = seen.get(display, 0) + 1
            if seen[display] > 1:
                display = f"{display} [{layer_id} {seen[display]}]"
            keys = "|".join(dict.fromkeys(fold(n) for n in names))
            entries.append(
                [safe_text(display), safe_text(keys), round(point.y, 5), round(point.x, 5)]
            )
    return {"entries": entries}


class PlaceSearch(JSCSSMixin, PlainParts):
    """The vendored leaflet-search box over ``search_index`` entries, matching any spelling.

    Matching folds the query and every spelling the same way (``fold``/``FOLD_JS``); the tips and
    the box show the display name as text (decoded once from its escaped form, never as HTML).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }};
          var fold = {{ this.fold_js }};
          var decoder = document.createElement("textarea");
          function decode(text) { decoder.innerHTML = text; return decoder.value; }
          var records = {}, keys = {};
          function ingest(entries) {
            entries.forEach(function (e) {
              var title = decode(e[0]);
              records[title] = L.latLng(e[2], e[3]);
              keys[title] = decode(e[1]).split("|");
            });
          }
          {% if this.url %}
          fetch({{ this.url|tojson }}, {credentials: "same-origin"})
            .then(function (response) { return response.json(); })
            .then(function (data) { ingest(data.entries || []); })
            .catch(function (err) { console.error("search index: " + err); });
          {% else %}
          ingest({{ this.entries|tojson }});
          {% endif %}
          var control = new L.Control.Search({
            sourceData: function (text, done) { done(records); return {abort: function () {}}; },
            formatData: function (data) { return data; },
            filterData: function (text, recs) {
              var q = fold(text), first = {}, rest = {};
              if (!q) { return {}; }
              Object.keys(recs).forEach(function (title) {
                var names = keys[title] || [], hit = 0;
                names.forEach(function (n) {
                  if (n.indexOf(q) === 0) { hit = 2; } else if (!hit && n.indexOf(q) > 0) { hit = 1; }
                });
                if (hit === 2) { first[title] = recs[title]; } else if (hit) { rest[title] = recs[title]; }
              });
              return Object.assign(first, rest);
            },
            buildTip: function (title) {
              var li = document.createElement("li");
              li.textContent = title;
              return li;
            },
            propertyName: "title",
            initial: false,
            collapsed: true,
            zoom: {{ this.zoom }},
            tooltipLimit: 12,
            autoType: false,
            textPlaceholder: {{ this.placeholder|tojson }},
            position: "topleft",
            marker: {icon: false, animate: true, circle: {radius: 12, weight: 3, color: "#e03", stroke: true, fill: false}}
          });
          map.addControl(control);
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, index: dict[str, Any] | str, *, zoom: int = 11, placeholder: str = "Search places"
    ) -> None:
        """``index`` is the index itself (inline) or the URL of its served file."""
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "PlaceSearch"
        self.default_js = list(Search.default_js)  # the vendored leaflet-search (localized)
        self.default_css = list(Search.default_css)
        self.url = index if isinstance(index, str) else None
        self.entries = [] if isinstance(index, str) else index.get("entries", [])
        self.zoom = int(zoom)
        self.placeholder = placeholder
        self.fold_js = FOLD_JS


class AfterFirstPaint(PlainParts):
    """Runs ``tool``'s script once the browser is idle after the map is drawn, loading the tool's
    JS/CSS files itself (from ``static/vendor``) instead of listing them with the frame.

    streamlit-folium loads the frame's scripts one after another before the map script runs, so
    every plugin listed there delays the first paint (bench/README.md); a search box, a measure
    tool or a pointer readout is not needed for it. Used by the live page only: the standalone
    HTML inlines every asset and lists them with the frame.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.loader }}
        (function () {
          function start() {
            window.faLoad({{ this.js|tojson }}, {{ this.css|tojson }}).then(function () {
              {{ this.tool_script }}
            }).catch(function (err) { console.error("map tool: " + err); });
          }
          if (window.requestIdleCallback) { window.requestIdleCallback(start, {timeout: 1500}); }
          else { setTimeout(start, 200); }
        })();
        {% endmacro %}
        """
    )

    loads_files = True  # its script calls ``faLoad`` (``layers.assets.loader_once``)

    def __init__(self, tool: MacroElement) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = f"AfterFirstPaint{tool._name}"
        self.tool = tool
        self.loader = ""
        self.js = local_urls(getattr(tool, "default_js", []), tool)
        self.css = local_urls(getattr(tool, "default_css", []), tool)
        self.tool_script = ""

    def render(self, **kwargs: Any) -> Any:
        """Render the tool's script as if it were a child of this element's map, then this."""
        self.tool._parent = self._parent
        # the tool is no child of the map, so streamlit-folium's stable renaming of element ids
        # does not reach it: a fixed id (one tool of a kind per map), or the frame's script
        # would differ on every rerun and be sent again
        self.tool._id = f"fa{self.tool._name.lower()}"
        module = self.tool._template.module
        header = module.__dict__.get("header")
        if header is not None:
            cast(Figure, self.get_root()).header.add_child(
                RenderedText(str(header(self.tool, kwargs))), name=self.tool.get_name()
            )
        self.tool_script = module.script(self.tool, kwargs)
        self.loader = loader_once(self)
        return super().render(**kwargs)


def add_tools(
    fmap: folium.Map,
    *,
    index: dict[str, Any] | str | None,
    compact: bool = False,
    minimap: bool = True,
    defer: bool = False,
) -> None:
    """Add the offline tools to the static map frame (compact: only what an embed needs).

    ``minimap=False`` when the basemap element draws its own vector overview map. ``defer``
    (the live page): the fullscreen button, the measure tool, the pointer readout and the search
    box load after the first paint (``AfterFirstPaint``).
    """
    fullscreen = Fullscreen(position="topleft")
    fmap.add_child(AfterFirstPaint(fullscreen) if defer else fullscreen)
    if compact:
        return
    tools: list[MacroElement] = [
        MeasureControl(
            position="topleft",
            primary_length_unit="kilometers",
            secondary_length_unit="meters",
            primary_area_unit="sqkilometers",
            secondary_area_unit="hectares",
        ),
        CoordinateReadout(),
    ]
    if minimap:
        MiniMap(tile_layer=blank_tile_layer(), toggle_display=True, position="bottomleft").add_to(
            fmap
        )
    if isinstance(index, str) or (index and index.get("entries")):
        tools.append(PlaceSearch(index, placeholder="Search places (any spelling)"))
    for tool in tools:
        fmap.add_child(AfterFirstPaint(tool) if defer else tool)


def publish_search_index(index: dict[str, Any], *, static_dir: Path, url_prefix: str) -> str | None:
    """Write ``index`` once as ``<static_dir>/search-<sha>.json``; its URL.

    The index is the same for everyone, so the browser fetches it after the first paint (and
    caches it) instead of receiving it inside the frame's script. None when the folder cannot be
    written (a read-only install): the index then goes inline.
    """
    body = json.dumps(index, separators=(",", ":"), sort_keys=True).encode("utf-8")
    name = f"search-{hashlib.sha256(body).hexdigest()[:16]}.json"
    return publish_once(body, name=name, static_dir=static_dir, url_prefix=url_prefix)
