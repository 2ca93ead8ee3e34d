"""Map labels: which names the map writes, where, from which zoom and which wins a collision.

``label_candidates`` is pure (frames in, labels out) so the live map and the exports label the
same things. The live map draws them as DOM text (``fa-label`` spans in Leaflet ``DivIcon``s, with
a white halo, ``pointer-events: none``) and culls them in the browser on every zoom and move:
labels outside their zoom range are removed, the rest are placed by priority and a label whose box
would touch an already placed one is left out, so no two visible labels overlap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

import folium
import geopandas as gpd
import shapely
from jinja2 import Template
from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from geo.timeline import as_date, holds_on
from layers import REGISTRY
from layers._element import PlainGroup, PlainParts
from layers._html import safe_text
from layers.tools import curated_duplicates

LABEL_FRAME: Final = (66.5, 36.0, 76.0, 42.0)
"""Country names are placed inside this part of each country (the atlas's region)."""
MAX_ZOOM_COUNTRY: Final = 9
RIVER_LABEL_SPACING_DEG: Final = 1.5
"""One river label every ~70 km along a named river; the culling keeps those with room."""


@dataclass(frozen=True)
class Label:
    """One name on the map: raw text (escaped only when drawn), position, rank and zoom range."""

    text: str
    lon: float
    lat: float
    priority: int
    kind: str
    min_zoom: int
    max_zoom: int = 20
    group: str = ""
    """Labels sharing a non-empty group are alternative positions or names of the same place: at
    most one is shown, the highest priority first."""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    """The feature's validity (``valid_to`` exclusive): the label is offered on those dates."""

    def holds_on(self, day: dt.date) -> bool:
        """True when the labelled feature is valid on ``day``."""
        return holds_on({"valid_from": self.valid_from, "valid_to": self.valid_to}, day)


SETTLEMENT_ZOOM: Final[dict[str, int]] = {"capital": 5, "city": 7, "town": 9, "village": 11}
PLACE_ZOOM: Final[dict[str, int]] = {**SETTLEMENT_ZOOM, "village": 10, "site": 11}
RANK_PRIORITY: Final[dict[str, int]] = {
    "capital": 90,
    "city": 75,
    "town": 55,
    "village": 40,
    "site": 35,
}
PRIORITY: Final[dict[str, int]] = {
    "country": 100,
    "enclave": 85,
    "river": 45,
    "lake": 44,
    "crossing": 50,
    "post": 48,
}
CURATED_BONUS: Final = 5
"""A curated place outranks a GeoNames settlement of the same rank."""


def _first_zoom(layer_id: str, props: Mapping[str, Any], default: int) -> int:
    """The registry's label rule for the layer decides the first zoom; ``default`` without one."""
    spec = REGISTRY.get(layer_id)
    rule = spec.label_rule if spec is not None else None
    return rule.min_zoom_for(props) if rule is not None else default


def _short(name: object) -> str:
    """Label text: the name without its parenthesised gloss (the popup keeps the full name)."""
    text = str(name or "").strip()
    head = text.split(" (", 1)[0].strip()
    return head or text


def _anchor(geom: BaseGeometry) -> tuple[float, float]:
    """A point well inside an area (pole of inaccessibility of its largest part), or the point."""
    if isinstance(geom, Polygon | MultiPolygon):
        parts = sorted(shapely.get_parts(geom), key=lambda p: -p.area)
        inner = polylabel(parts[0], tolerance=0.01)
        return inner.x, inner.y
    point = geom.representative_point()
    return point.x, point.y


def _rows(frame: gpd.GeoDataFrame | None) -> list[tuple[dict[str, Any], Any]]:
    """Every feature with a geometry (the date is applied later, by ``Label.holds_on``)."""
    if frame is None or not len(frame):
        return []
    return [
        (row, row["geometry"])
        for row in frame.to_dict("records")
        if row.get("geometry") is not None
    ]


def _dated(label: Label, row: Mapping[str, Any]) -> Label:
    """``label`` offered while its feature ``row`` is valid."""
    start, end = as_date(row.get("valid_from")), as_date(row.get("valid_to"))
    return replace(label, valid_from=start, valid_to=end)


COUNTRY_CELLS: Final = 3
"""The label frame is cut into 3 x 3 cells; a country's name may go in its largest parts."""
COUNTRY_ALTERNATIVES: Final = 4


def _country_anchors(geom: BaseGeometry) -> list[tuple[float, float]]:
    """Where a country's name may go, best first: inside its share of the whole frame, then inside
    its largest shares of the frame's cells (so another spot is tried when the first is taken)."""
    west, south, east, north = LABEL_FRAME
    pieces = [geom.intersection(box(*LABEL_FRAME))]
    dx, dy = (east - west) / COUNTRY_CELLS, (north - south) / COUNTRY_CELLS
    cells = [
        geom.intersection(
            box(west + i * dx, south + j * dy, west + (i + 1) * dx, south + (j + 1) * dy)
        )
        for i in range(COUNTRY_CELLS)
        for j in range(COUNTRY_CELLS)
    ]
    pieces += sorted((c for c in cells if not c.is_empty), key=lambda c: -c.area)
    anchors = [_anchor(p) for p in pieces if not p.is_empty and p.area > 0]
    return list(dict.fromkeys((round(x, 4), round(y, 4)) for x, y in anchors))[
        :COUNTRY_ALTERNATIVES
    ]


def _countries(frame: gpd.GeoDataFrame | None) -> list[Label]:
    out = []
    for row, geom in _rows(frame):
        if not row.get("iso3"):
            continue
        for rank, (lon, lat) in enumerate(_country_anchors(geom)):
            label = Label(
                str(row["name"]),
                lon,
                lat,
                PRIORITY["country"] - rank,
                "country",
                5,
                MAX_ZOOM_COUNTRY,
                group=f"country-{row['iso3']}",
            )
            out.append(_dated(label, row))
    return out


def _place_priority(row: Mapping[str, Any]) -> int:
    return RANK_PRIORITY.get(row.get("kind") or "site", 35) + CURATED_BONUS


def _same_place(place: Mapping[str, Any]) -> str:
    """The label group a curated place shares with the GeoNames settlement for the same place."""
    return f"place-{place['id']}"


def _settlements(frame: gpd.GeoDataFrame | None, places: gpd.GeoDataFrame | None) -> list[Label]:
    """Settlement names; one that is also a curated place shares that place's label group at a
    lower priority, so the curated name wins whenever the places layer is drawn too."""
    if frame is None or not len(frame):
        return []
    place_rows = places.to_dict("records") if places is not None else []
    dupes = curated_duplicates(frame, places)
    out = []
    for pos, (row, geom) in enumerate(zip(frame.to_dict("records"), frame.geometry, strict=True)):
        rank = row.get("rank") or "village"
        population = row.get("population") or 0
        priority = RANK_PRIORITY.get(rank, 40) + min(4, int(population) // 100_000)
        group = ""
        if pos in dupes:
            place = place_rows[dupes[pos]]
            priority = min(priority, _place_priority(place) - 1)
            group = _same_place(place)
        zoom = _first_zoom("settlements", row, SETTLEMENT_ZOOM.get(rank, 11))
        label = Label(str(row["name"]), geom.x, geom.y, priority, rank, zoom, group=group)
        out.append(_dated(label, row))
    return out


def _places(frame: gpd.GeoDataFrame | None) -> list[Label]:
    out = []
    for row, geom in _rows(frame):
        kind = row.get("kind") or "site"
        lon, lat = _anchor(geom)
        zoom = _first_zoom("places", row, PLACE_ZOOM.get(kind, 11))
        label = Label(
            _short(row["name"]), lon, lat, _place_priority(row), kind, zoom, group=_same_place(row)
        )
        out.append(_dated(label, row))
    return out


def _simple(
    frame: gpd.GeoDataFrame | None,
    layer_id: str,
    *,
    kind: str,
    min_zoom: int,
    only: str | None = None,
) -> list[Label]:
    out = []
    for row, geom in _rows(frame):
        if only is not None and row.get("kind") != only:
            continue
        lon, lat = _anchor(geom)
        zoom = _first_zoom(layer_id, row, min_zoom)
        label = Label(_short(row["name"]), lon, lat, PRIORITY[kind], kind, zoom)
        out.append(_dated(label, row))
    return out


def _waters(frame: gpd.GeoDataFrame | None) -> list[Label]:
    out = []
    for row, geom in _rows(frame):
        if not row.get("named"):
            continue
        name = str(row["name"])
        if row.get("kind") == "lake":
            lon, lat = _anchor(geom)
            zoom = _first_zoom("rivers", row, 8)
            out.append(_dated(Label(name, lon, lat, PRIORITY["lake"], "lake", zoom), row))
            continue
        for line in shapely.get_parts(geom):
            if not isinstance(line, LineString):
                continue
            steps = max(1, int(line.length // RIVER_LABEL_SPACING_DEG))
            for k in range(steps):
                at = line.interpolate((k + 0.5) / steps, normalized=True)
                zoom = _first_zoom("rivers", row, 7)
                label = Label(name, at.x, at.y, PRIORITY["river"], "river", zoom)
                out.append(_dated(label, row))
    return out


_LabelMaker = Callable[[Mapping[str, gpd.GeoDataFrame]], list[Label]]
LABELLED: Final[dict[str, _LabelMaker]] = {
    "base": lambda frames: _countries(frames.get("base")),
    "settlements": lambda frames: _settlements(frames.get("settlements"), frames.get("places")),
    "places": lambda frames: _places(frames.get("places")),
    "enclaves": lambda frames: _simple(
        frames.get("enclaves"), "enclaves", kind="enclave", min_zoom=10
    ),
    "crossings": lambda frames: _simple(
        frames.get("crossings"), "crossings", kind="crossing", min_zoom=10
    ),
    "deployments": lambda frames: _simple(
        frames.get("deployments"), "deployments", kind="post", min_zoom=11, only="border-post"
    ),
    "rivers": lambda frames: _waters(frames.get("rivers")),
}
"""Which layers carry names, and how each makes its labels from the frames."""


def layer_labels(frames: Mapping[str, gpd.GeoDataFrame], layer_id: str) -> tuple[Label, ...]:
    """Every label ``layer_id`` offers on any date (each with its validity), from ``frames``.

    Date-free so a page can compute it once per data version and pick a date's labels cheaply
    (``Label.holds_on``). Settlement labels read the ``places`` frame, when present, to yield to a
    curated place for the same place.
    """
    maker = LABELLED.get(layer_id)
    return tuple(maker(frames)) if maker is not None and layer_id in frames else ()


def by_priority(labels: Sequence[Label]) -> list[Label]:
    """Highest priority first: the order in which collisions are resolved."""
    return sorted(labels, key=lambda lb: (-lb.priority, lb.min_zoom, lb.text, lb.lon, lb.lat))


def label_candidates(
    frames: Mapping[str, gpd.GeoDataFrame], *, as_of: dt.date, zoom: float | None = None
) -> list[Label]:
    """Every label the visible layers ``frames`` offer on ``as_of``, highest priority first.

    Country names come with ``base``; settlement names by rank (capitals and cities from zoom 5
    and 7, towns from 9, villages from 11); curated places win over the GeoNames settlement for the
    same place (same label group, higher priority); enclaves from 10, crossings from 10, border
    posts from 11; named rivers and lakes from 7/8. With ``zoom``, only the labels shown at that
    zoom. Overlap is resolved by the caller (the browser on the live map, the sheet renderer in
    exports) in this order.
    """
    labels = [
        lb for layer_id in LABELLED for lb in layer_labels(frames, layer_id) if lb.holds_on(as_of)
    ]
    if zoom is not None:
        labels = [lb for lb in labels if lb.min_zoom <= zoom <= lb.max_zoom]
    return by_priority(labels)


CENTRED_KINDS: Final = frozenset({"country", "enclave", "river", "lake"})
"""Labels centred on their anchor; the others sit to the right of their dot, clear of it."""

LABEL_CSS: Final = """
<style>
.fa-label-anchor { width: 0 !important; height: 0 !important; overflow: visible; background: none;
  border: 0; pointer-events: none; }
.fa-label { position: absolute; left: 0; top: 0; white-space: nowrap; pointer-events: none;
  font: 12px/1.1 "DejaVu Sans", Arial, sans-serif; color: #1f2937; transform: translate(6px, -50%);
  text-shadow: -1px -1px 0 #fff, 1px -1px 0 #fff, -1px 1px 0 #fff, 1px 1px 0 #fff,
    0 0 3px #fff, 0 0 3px #fff; }
.fa-label-centred { transform: translate(-50%, -50%); }
.fa-label-country { font-size: 15px; font-weight: bold; letter-spacing: .12em;
  text-transform: uppercase; color: #57534e; }
.fa-label-capital { font-size: 14px; font-weight: bold; color: #111827; }
.fa-label-city { font-size: 13px; font-weight: bold; }
.fa-label-town { font-size: 12px; }
.fa-label-village, .fa-label-site { font-size: 11px; color: #374151; }
.fa-label-enclave { font-size: 12px; font-style: italic; font-weight: bold; color: #0e7490; }
.fa-label-river, .fa-label-lake { font-size: 12px; font-style: italic; color: #1d4ed8; }
.fa-label-crossing, .fa-label-post { font-size: 11px; color: #334155; }
.fa-hide-labels .fa-label-anchor { display: none !important; }
.fa-labels-switch { background: #fff; padding: 3px 6px; font: 12px sans-serif; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.fa-labels-switch label { cursor: pointer; user-select: none; }
</style>
"""


class LabelEngine(PlainParts):
    """Static-frame part: the label pane, the culling function and the "Labels" switch.

    Label groups (``LabelGroup``) register their labels with ``map._faLabels``; on every zoom, move
    or registration the engine adds the labels in zoom range and view, highest priority first,
    and leaves out (removes) any whose box would touch a placed one.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }};
          if (!map.getPane("faLabels")) {
            var pane = map.createPane("faLabels");
            pane.style.zIndex = 640;
            pane.style.pointerEvents = "none";
          }
          var engine = map._faLabels = map._faLabels || {sets: {}, hidden: false};
          var GAP = 2;
          function hits(a, b) {
            return a.l < b.r + GAP && b.l < a.r + GAP && a.t < b.b + GAP && b.t < a.b + GAP;
          }
          engine.cull = function () {
            var z = map.getZoom(), size = map.getSize(), placed = [], all = [], done = {};
            var origin = map.getContainer().getBoundingClientRect();
            map.getContainer().querySelectorAll(".leaflet-control").forEach(function (el) {
              var r = el.getBoundingClientRect();  // furniture: a label under it is unreadable
              if (r.width && r.height) {
                placed.push({l: r.left - origin.left, t: r.top - origin.top,
                             r: r.right - origin.left, b: r.bottom - origin.top});
              }
            });
            Object.keys(engine.sets).forEach(function (k) { all = all.concat(engine.sets[k]); });
            all.sort(function (a, b) { return b.p - a.p; });
            // 1. which labels are wanted here, and where; those never measured go on the map
            //    (DOM writes only, so the browser lays the page out once, in step 2)
            var wanted = [];
            all.forEach(function (lb) {
              var want = !engine.hidden && z >= lb.z0 && z <= lb.z1;
              var pt = want ? map.latLngToContainerPoint(lb.at) : null;
              if (want && (pt.x < -100 || pt.y < -40 || pt.x > size.x + 100 || pt.y > size.y + 40)) {
                want = false;
              }
              if (!want) { if (lb.marker._map) { lb.layer.removeLayer(lb.marker); } return; }
              if (!lb.w && !lb.marker._map) { lb.layer.addLayer(lb.marker); }
              wanted.push({lb: lb, pt: pt});
            });
            // 2. measure every new label at once (reads only)
            wanted.forEach(function (w) {
              if (!w.lb.w) {
                var r0 = w.lb.marker._icon.firstChild.getBoundingClientRect();
                w.lb.w = r0.width; w.lb.h = r0.height;
              }
            });
            // 3. place by priority: a label whose box touches a placed one (or the edge) goes
            wanted.forEach(function (w) {
              var lb = w.lb, pt = w.pt;
              if (lb.g && done[lb.g]) { if (lb.marker._map) { lb.layer.removeLayer(lb.marker); } return; }
              var left = lb.c ? pt.x - lb.w / 2 : pt.x + 6, top = pt.y - lb.h / 2;
              var box = {l: left, t: top, r: left + lb.w, b: top + lb.h};
              var outside = box.l < 0 || box.t < 0 || box.r > size.x || box.b > size.y;
              var clash = outside || placed.some(function (o) { return hits(box, o); });
              if (clash) { if (lb.marker._map) { lb.layer.removeLayer(lb.marker); } return; }
              if (!lb.marker._map) { lb.layer.addLayer(lb.marker); }
              placed.push(box);
              if (lb.g) { done[lb.g] = true; }
            });
          };
          var pending = null;
          engine.schedule = function () {
            if (pending) { return; }
            pending = setTimeout(function () { pending = null; engine.cull(); }, 0);
          };
          map.on("zoomend moveend resize", engine.schedule);
          // controls added later (the mini-map after the basemap loads) become obstacles too
          var corners = map.getContainer().querySelectorAll(".leaflet-control-container > div");
          var watch = new MutationObserver(engine.schedule);
          corners.forEach(function (c) { watch.observe(c, {childList: true}); });
          var Switch = L.Control.extend({
            options: {position: "topright"},
            onAdd: function () {
              var div = L.DomUtil.create("div", "fa-labels-switch leaflet-bar");
              div.setAttribute("data-testid", "fa-labels-switch");
              var label = L.DomUtil.create("label", "", div);
              var box = L.DomUtil.create("input", "", label);
              box.type = "checkbox"; box.checked = true;
              label.appendChild(document.createTextNode(" Labels"));
              L.DomEvent.disableClickPropagation(div);
              box.addEventListener("change", function () {
                engine.hidden = !box.checked;
                map.getContainer().classList.toggle("fa-hide-labels", engine.hidden);
                engine.cull();
              });
              return div;
            }
          });
          new Switch().addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "LabelEngine"


class LabelGroup(PlainParts):
    """Dynamic part: one set of labels, registered with the engine while its group is on the map.

    Text is escaped here (``safe_text``) and inserted as the span's HTML, so it shows literally.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var group = {{ this._parent.get_name() }};
          var rows = {{ this.rows|tojson }};
          var Labels = L.Layer.extend({
            onAdd: function (map) {
              var engine = map._faLabels;
              if (!engine) { return; }
              var layer = this._layer = L.layerGroup().addTo(map);
              this._key = L.stamp(this);
              engine.sets[this._key] = rows.map(function (r) {
                var centred = r[6] ? " fa-label-centred" : "";
                var icon = L.divIcon({
                  className: "fa-label-anchor",
                  html: "<span class='fa-label fa-label-" + r[3] + centred + "'>" + r[0] + "</span>",
                  iconSize: null
                });
                var marker = L.marker([r[1], r[2]], {
                  icon: icon, interactive: false, keyboard: false, pane: "faLabels"
                });
                return {marker: marker, layer: layer, at: L.latLng(r[1], r[2]), p: r[4],
                        z0: r[5], z1: r[7], c: !!r[6], g: r[8]};
              });
              engine.schedule();
            },
            onRemove: function (map) {
              var engine = map._faLabels;
              if (engine) { delete engine.sets[this._key]; engine.schedule(); }  // others may fit now
              if (this._layer) { map.removeLayer(this._layer); }
            }
          });
          new Labels().addTo(group);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, labels: list[Label]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "LabelGroup"
        self.rows = [
            [
                safe_text(lb.text, limit=80),
                round(lb.lat, 5),
                round(lb.lon, 5),
                lb.kind,
                lb.priority,
                lb.min_zoom,
                1 if lb.kind in CENTRED_KINDS else 0,
                lb.max_zoom,
                lb.group,
            ]
            for lb in labels
        ]


def label_group(labels: Sequence[Label], *, name: str) -> folium.FeatureGroup:
    """``labels`` as one dynamic group named ``name`` (no labels: an empty group).

    The page draws one group per labelled layer, so a layer's switch or a date that changes only
    some names leaves the other layers' labels in place; the engine places all sets together.
    """
    group = PlainGroup(name=name, control=False, show=True)
    if labels:
        group.add_child(LabelGroup(by_priority(labels)))
    return group
