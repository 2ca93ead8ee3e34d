"""Assemble the map: a static frame (basemap, legend, scale, tools) and the dynamic layer groups.

streamlit-folium remounts the map, losing the user's view, whenever the static frame's script
changes, so everything that toggles or moves with the date is built separately as dynamic
FeatureGroups; the frame depends only on the initial view and the page mode.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import Any, Final, cast

import folium
import geopandas as gpd
import xyzservices
from branca.element import Figure, MacroElement
from jinja2 import Template

from geo.schema import STATUSES
from layers import REGISTRY, STATIC_LAYER, LayerSpec, draw_order, legend_rows
from layers._draw import ViewOptions
from layers._element import PlainGroup, PlainParts, RenderedText
from layers._html import AGE_CLASS, safe_text
from layers.labels import LABEL_CSS, LABELLED, Label, LabelEngine, label_group, layer_labels
from layers.layer_manager import PendingGroup
from layers.styles import (
    ATTRIBUTION,
    DISCLAIMER,
    STALE_STYLE,
    LineStyle,
    casing_class,
    status_class,
)
from layers.tools import add_tools

DEFAULT_CENTER: Final = (39.2, 70.6)
DEFAULT_ZOOM: Final = 7
MIN_ZOOM: Final = 5
MAX_ZOOM: Final = 14
FIRST_PAINT: Final = ("borders",)
"""The dynamic groups a first load fetches and builds before all others: the borders, what the
atlas is for, show before the context layers are built (``LayerManager(first=...)``)."""

FOCUS_BOUNDS: Final = ((36.6, 67.7), (40.3, 75.0))
"""South-west and north-east corners around both borders (AFG-TJK and KGZ-TJK; a test checks the
border data lies inside): the first view fits them."""
LEGEND_FOLD_BELOW_PX: Final = 900
"""A map narrower than this starts with the legend folded."""

ONLINE_BASEMAPS: Final = (
    (
        "OpenStreetMap (online)",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "© OpenStreetMap contributors",
    ),
    (
        "OpenTopoMap (online)",
        "https://tile.opentopomap.org/{z}/{x}/{y}.png",
        "© OpenStreetMap contributors, SRTM | style © OpenTopoMap (CC-BY-SA)",
    ),
    (
        "Esri World Imagery (online)",
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Imagery © Esri, Maxar, Earthstar Geographics",
    ),
)
"""Optional tile layers: off by default, so nothing is requested until a user asks."""

_CSS: Final = """
<style>
.fa-hide-base .fa-layer-base { display: none; }
.fa-legend { background: rgba(255,255,255,.94); padding: 6px 8px; font: 12px/1.35 sans-serif;
  color: #111; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 260px; }
.fa-legend h4 { margin: 0 0 4px; font-size: 12px; cursor: pointer; user-select: none; }
.fa-legend h4::after { content: " ▾"; color: #666; }
.fa-legend.fa-collapsed h4::after { content: " ▸"; }
.fa-legend.fa-collapsed .fa-row, .fa-legend.fa-collapsed .fa-note { display: none; }
.fa-legend .fa-row { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.fa-legend .fa-note { margin-top: 4px; color: #444; font-size: 11px; }
.fa-legend.fa-compact { font-size: 11px; padding: 4px 6px; }
.fa-popup table { border-collapse: collapse; font-size: 12px; }
.fa-popup th { text-align: left; padding-right: 6px; vertical-align: top; color: #444; }
.fa-popup ol { margin: 2px 0 4px; padding-left: 18px; font-size: 11px; }
.fa-popup .fa-url { color: #555; word-break: break-all; }
.fa-src-h { font-weight: bold; font-size: 11px; margin-top: 4px; }
.leaflet-container .leaflet-control-attribution { font-size: 11px; }
.fa-coords { background: rgba(255,255,255,.85); padding: 1px 5px; font: 11px monospace; }
</style>
"""


def _swatch(style: LineStyle) -> str:
    """An inline SVG sample of a line or area style (our own constants, no data text)."""
    dash = style.dash_array() or "none"
    if style.fill:
        return (
            f"<svg width='28' height='14'><rect x='2' y='2' width='24' height='10' "
            f"fill='{style.fill}' fill-opacity='{style.fill_opacity}' stroke='{style.color}' "
            f"stroke-width='{style.weight}' stroke-dasharray='{dash}'/></svg>"
        )
    casing = (
        f"<line x1='1' y1='7' x2='27' y2='7' stroke='#fff' stroke-width='{style.weight + 2.5}'/>"
        if style.casing
        else ""
    )
    return (
        f"<svg width='28' height='14'>{casing}<line x1='1' y1='7' x2='27' y2='7' "
        f"stroke='{style.color}' stroke-width='{style.weight}' stroke-dasharray='{dash}'/></svg>"
    )


def legend_entries(*, compact: bool = False) -> list[tuple[str, LineStyle]]:
    """Legend rows from the registry's ``legend`` fields (compact: only the border statuses),
    then the stale treatment, which any lasting layer can take."""
    rows = [(row.label, row.style) for row in legend_rows(compact=compact)]
    if not compact:
        rows.append((STALE_STYLE.label, STALE_STYLE))
    return rows


def legend_html(*, compact: bool = False) -> str:
    """The legend box; the same rows the exports draw."""
    rows = "".join(
        f"<div class='fa-row'>{_swatch(style)}<span>{label}</span></div>"
        for label, style in legend_entries(compact=compact)
    )
    cls = "fa-legend fa-compact" if compact else "fa-legend"
    return (
        f"<div class='{cls}' data-testid='fa-legend'><h4>Legend</h4>{rows}"
        f"<div class='fa-note'>{DISCLAIMER}<br>{ATTRIBUTION}</div></div>"
    )


class _Legend(PlainParts):
    """A Leaflet control holding the legend HTML (static text from the style table)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var legend = L.control({position: "bottomright"});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div");
            div.innerHTML = {{ this.html|tojson }};
            var head = div.querySelector("h4"), map = {{ this._parent.get_name() }};
            if (map.getSize().x < {{ this.fold_below }}) {
              div.firstChild.classList.add("fa-collapsed");  // a narrow map starts folded
            }
            if (head) {
              head.title = "Show or hide the legend";
              head.addEventListener("click", function () {
                div.firstChild.classList.toggle("fa-collapsed");
                if (map._faLabels) { map._faLabels.schedule(); }  // the legend's box changed
              });
            }
            L.DomEvent.disableClickPropagation(div);
            return div;
          };
          legend.addTo({{ this._parent.get_name() }});
          {{ this._parent.get_name() }}.attributionControl.setPrefix(false);
          {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.attribution|tojson }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str, attribution: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "Legend"
        self.html = html
        self.fold_below = LEGEND_FOLD_BELOW_PX
        self.attribution = attribution


class LegendRow(PlainParts):
    """A legend line that lives as long as its layer group: added with it, removed with it.

    The legend box belongs to the static frame; a dynamic layer (an analyst's overlay) adds its
    own line through this element, so the frame never changes.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var Row = L.Layer.extend({
            onAdd: function (map) {
              var box = map.getContainer().querySelector(".fa-legend");
              if (!box) { return; }
              this._row = L.DomUtil.create("div", "fa-row fa-legend-extra");
              this._row.innerHTML = {{ this.html|tojson }};
              box.insertBefore(this._row, box.querySelector(".fa-note"));
            },
            onRemove: function () { if (this._row) { L.DomUtil.remove(this._row); } }
          });
          new Row().addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, label: str, style: LineStyle) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "LegendRow"
        self.html = f"{_swatch(style)}<span>{safe_text(label)}</span>"


class _BaseToggle(PlainParts):
    """Shows or hides the static basemap by a class on the map container (no rebuild)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent._parent.get_name() }}.getContainer().classList.toggle(
            "fa-hide-base", {{ "true" if this.hide else "false" }});
        {% endmacro %}
        """
    )

    def __init__(self, *, hide: bool) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "BaseToggle"
        self.hide = hide


class PopupAges(PlainParts):
    """Fills the age of each 'Last confirmed' date in an opened popup (the ``AGE_CLASS`` spans of
    ``layers._html.confirmed_html``): "(N days before the as-of date)", counted from the map's
    as-of date.  A map drawn for one date (a file) gives it here; the live page's layer manager
    sets it on every run (``map.__faAges(date)``), refilling any popup left open, so a date move
    needs no new popup text and no new group script."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
          var DAY_MS = 86400000;
          function fill(root) {
            if (!root) { return; }
            var asOf = Date.parse(map.__faAsOf || "");
            root.querySelectorAll({{ this.selector|tojson }}).forEach(function (span) {
              var days = Math.round((asOf - Date.parse(span.getAttribute("data-day"))) / DAY_MS);
              span.textContent = isNaN(days) ? "" :
                " (" + days + " day" + (days === 1 ? "" : "s") + " before the as-of date)";
            });
          }
          map.__faAges = function (asOf) { map.__faAsOf = asOf; fill(map.getContainer()); };
          map.on("popupopen", function (e) { fill(e.popup.getElement()); });
          {% if this.as_of %}map.__faAsOf = {{ this.as_of|tojson }};{% endif %}
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, as_of: dt.date | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "PopupAges"
        self.as_of = as_of.isoformat() if as_of is not None else None
        self.selector = f".{AGE_CLASS}[data-day]"


class _FitFocus(PlainParts):
    """The first view (no view in the link) fits both borders, clear of the legend. A map whose
    frame has no size yet (a portal page laying out its iframe) fits once it has one: Leaflet
    cannot fit bounds into zero pixels (it throws "Invalid LatLng object: (NaN, NaN)")."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }};
          function fit() {
            if (map._faViewKept) { return; }  // a new frame back at the user's view (_KeptView)
            var box = map.getContainer();
            if (!box.clientWidth || !box.clientHeight) { map.once("resize", fit); return; }
            var bounds = L.latLngBounds({{ this.bounds|tojson }});
            map.fitBounds(bounds, {paddingTopLeft: [50, 10], paddingBottomRight: [10, 10]});
            // the legend folds rather than cover the borders (the label culling re-runs)
            var legend = map.getContainer().querySelector(".fa-legend:not(.fa-collapsed)");
            if (!legend) { return; }
            var box = map.getContainer().getBoundingClientRect(), lg = legend.getBoundingClientRect();
            var ne = map.latLngToContainerPoint(bounds.getNorthEast());
            var sw = map.latLngToContainerPoint(bounds.getSouthWest());
            if (lg.left - box.left < ne.x && lg.top - box.top < sw.y) {
              legend.classList.add("fa-collapsed");
              if (map._faLabels) { map._faLabels.schedule(); }
            }
          }
          setTimeout(fit, 0);
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "FitFocus"
        self.bounds = [list(corner) for corner in FOCUS_BOUNDS]


class _KeptView(PlainParts):
    """The live page: the user's view outlives the map's frame. Streamlit can make a new frame
    for the map in the same page (a whole-page run and a map-region run that cross: see
    ``ui/map_region.py``); the new frame would open at the view the page was opened with. So
    every move is kept in the page around the frame (same origin, ``window.__faMapView``) and a
    new frame opens at the kept view. A reloaded or newly opened page keeps nothing: the link's
    view (or the fitted first view) applies, and a story step's view still moves the map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }};
          try {
            var host = window.parent !== window ? window.parent : null;
            if (!host) { return; }
            var kept = host.__faMapView;
            if (kept) {
              map._faViewKept = true;
              map.setView([kept.lat, kept.lng], kept.zoom, {animate: false});
            }
            map.on("moveend", function () {
              var at = map.getCenter();
              host.__faMapView = {lat: at.lat, lng: at.lng, zoom: map.getZoom()};
            });
          } catch (err) { /* a page of another origin: a new frame opens at the link's view */ }
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "KeptView"


class _FillViewport(PlainParts):
    """Embed mode: the map fills its frame (streamlit-folium sets a fixed pixel height)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }};
          function fit() {
            map.getContainer().style.height = window.innerHeight + "px";
            map.invalidateSize();
          }
          window.addEventListener("resize", fit);
          setTimeout(fit, 0);
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "FillViewport"


class _SelectFeature(PlainParts):
    """Opens the popup of the feature a permalink names (``feature=<id>``), once it is drawn."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent._parent.get_name() }};
          var wanted = {{ this.feature_id|tojson }};
          setTimeout(function () {
            map.eachLayer(function (layer) {
              if (layer.feature && layer.feature.properties &&
                  layer.feature.properties.id === wanted) {
                var at = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
                // a click, as a user would: the layer's GeoJSON parent opens its popup
                layer.fire("click", {latlng: at}, true);
              }
            });
          }, 50);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, feature_id: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: MacroElement.__init__ is unannotated
        self._name = "SelectFeature"
        self.feature_id = feature_id


def base_map(
    base_frame: gpd.GeoDataFrame | None,
    *,
    center: tuple[float, float] = DEFAULT_CENTER,
    zoom: int = DEFAULT_ZOOM,
    compact_legend: bool = False,
    fill_viewport: bool = False,
    as_of: dt.date | None = None,
    search: dict[str, Any] | str | None = None,
    base_element: MacroElement | None = None,
    defer_tools: bool = False,
    keep_view: bool = False,
) -> folium.Map:
    """The static frame: basemap, online tile options, tools, legend, scale bar, attribution.

    The basemap is drawn inline from ``base_frame`` unless ``base_element`` (a served file, see
    ``layers.base.publish``) is given; ``search`` is the search index or its served file's URL
    (``layers.tools.publish_search_index``). ``defer_tools`` (the live page): measure, pointer
    readout and search load after the first paint (``layers.tools.AfterFirstPaint``).
    ``keep_view`` (the live page): a new map frame in the same page opens at the user's last
    view (``_KeptView``).
    ``as_of``: the date drawn (an inline basemap's date, and the date popups count the ages of
    confirmations to); the live page leaves it out and its layer manager sets it on every run.
    """
    fmap = folium.Map(
        location=list(center),
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        min_zoom=MIN_ZOOM,
        max_zoom=MAX_ZOOM,
        max_bounds=True,
        min_lat=30,
        max_lat=47,
        min_lon=55,
        max_lon=85,
    )
    header = cast(Figure, fmap.get_root()).header
    header.add_child(RenderedText(_CSS), name="fa_css")
    header.add_child(RenderedText(LABEL_CSS), name="fa_label_css")
    for name, url, attr in ONLINE_BASEMAPS:
        # a provider object, not the URL text: folium would search every xyzservices provider
        # for a name matching the URL on every rerun (~9 ms a layer)
        provider = xyzservices.TileProvider(name=name, url=url, attribution=attr)
        folium.TileLayer(
            provider, name=name, attr=attr, overlay=True, show=False, control=True
        ).add_to(fmap)
    if base_element is not None:
        fmap.add_child(base_element)
    elif base_frame is not None and len(base_frame):
        REGISTRY[STATIC_LAYER].build(
            base_frame, as_of=as_of or dt.date.today(), view=ViewOptions()
        ).add_to(fmap)
    add_tools(
        fmap,
        index=search,
        compact=compact_legend,
        minimap=base_element is None,
        defer=defer_tools,
    )
    folium.LayerControl(position="topright", collapsed=True).add_to(fmap)
    fmap.add_child(LabelEngine())
    fmap.add_child(PopupAges(as_of=as_of))
    fmap.add_child(_Legend(legend_html(compact=compact_legend), f"{ATTRIBUTION} | {DISCLAIMER}"))
    if fill_viewport:
        fmap.add_child(_FillViewport())
    if tuple(center) == DEFAULT_CENTER and zoom == DEFAULT_ZOOM:
        fmap.add_child(_FitFocus())
    if keep_view:
        fmap.add_child(_KeptView())
    return fmap


def _drawn_key(
    cache_tag: str, spec: LayerSpec, frame: gpd.GeoDataFrame, as_of: dt.date, view: ViewOptions
) -> Hashable:
    return (cache_tag, spec.id, spec.drawn_key(frame, as_of=as_of, view=view))


def pending_groups(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    visible: Iterable[str],
    as_of: dt.date,
    view: ViewOptions,
    selected: str | None = None,
    cache_tag: str | None = None,
    labels_of: Callable[[str], Sequence[Label]] | None = None,
    every_status: bool = False,
    basemap_switch: bool = True,
) -> list[PendingGroup]:
    """The dynamic groups, bottom to top, not built yet: one per visible layer on ``as_of``, one
    label group per visible labelled layer, and the basemap switch (unless ``basemap_switch`` is
    false: the live page's spare groups, see ``layers.layer_manager.LayerManager``).

    With ``every_status`` the layers drawn by border status draw every status, whatever
    ``view.statuses``: the live page then hides the unchosen ones in the browser
    (``hidden_classes``), so switching a status rebuilds nothing.  Files and sheets draw only
    the chosen statuses (the default).

    With ``cache_tag`` (a digest of the data files) each carries a key naming everything it
    depends on (a layer: the tag and its registry ``inputs``; labels: the tag and which labels
    hold on the date), so the page builds and renders a group only for a key it has not seen; a
    layer's group also names what it shows (``drawn``: the tag and ``LayerSpec.drawn_key``), so a
    new date whose rows are those of a date drawn before takes that date's group unbuilt.
    ``labels_of`` gives a layer's labels on every date (default: ``layers.labels.layer_labels``
    on ``frames``; the page passes a cached one).
    """
    shown = set(visible)
    every_label = labels_of or (lambda layer_id: layer_labels(frames, layer_id))
    out: list[PendingGroup] = []
    for layer_id in draw_order():  # bottom to top, by the registry's ``z``
        if layer_id == STATIC_LAYER or layer_id not in shown or layer_id not in frames:
            continue
        spec = REGISTRY[layer_id]
        drawn = (
            replace(view, statuses=frozenset(STATUSES))
            if every_status and "statuses" in spec.inputs
            else view
        )
        key: Hashable | None = (
            (cache_tag, layer_id, spec.view_key(as_of=as_of, view=drawn)) if cache_tag else None
        )
        out.append(
            PendingGroup(
                layer_id,
                key,
                partial(spec.build, frames[layer_id], as_of=as_of, view=drawn),
                drawn=partial(_drawn_key, cache_tag, spec, frames[layer_id], as_of, drawn)
                if cache_tag
                else None,
            )
        )
    for layer_id in LABELLED:
        if layer_id not in shown or layer_id not in frames:
            continue
        labels = every_label(layer_id)
        holding = tuple(i for i, lb in enumerate(labels) if lb.holds_on(as_of))
        key = (cache_tag, "labels", layer_id, holding) if cache_tag else None
        name = labels_group_id(layer_id)
        out.append(
            PendingGroup(name, key, partial(label_group, [labels[i] for i in holding], name=name))
        )
    if basemap_switch:
        hide_base = STATIC_LAYER not in shown
        key = (cache_tag, "switch", hide_base, selected) if cache_tag else None
        out.append(PendingGroup("basemap switch", key, partial(_switch, hide_base, selected)))
    return out


def switched_off(sent: Iterable[str], *, visible: Iterable[str]) -> frozenset[str]:
    """The layers whose own group the map was last sent (drawn or spare) and that are not
    ``visible`` now: the ones a user switched off and is likely to switch on again, whose groups
    the live page sends as spares (``layers.layer_manager.LayerManager(spares=...)``). A layer
    never drawn (off by default, or by the link) is not one of them, nor the static basemap,
    which has no group of its own."""
    return frozenset(ident for ident in sent if ident in REGISTRY) - frozenset(visible)


def labels_group_id(layer_id: str) -> str:
    """The id of the group holding ``layer_id``'s labels."""
    return f"labels-{layer_id}"


def layer_group_ids(layer_id: str) -> tuple[str, ...]:
    """The dynamic groups a layer's switch shows and hides: its own (the static basemap has
    none) and its labels'."""
    own = () if layer_id == STATIC_LAYER else (layer_id,)
    return own + ((labels_group_id(layer_id),) if layer_id in LABELLED else ())


def group_order() -> tuple[str, ...]:
    """Every layer's dynamic group ids, bottom to top, in ``pending_groups``' order."""
    layers = tuple(i for i in draw_order() if i != STATIC_LAYER)
    return layers + tuple(labels_group_id(i) for i in LABELLED)


def drawing_era(*, cache_tag: str, as_of: dt.date, view: ViewOptions) -> str:
    """A token of everything but the switches that ``pending_groups(every_status=True)`` draws
    from (data, date, look-back, stale switch): while it holds, a group a switch hid is still
    the one a rerun would draw (``layers.layer_manager.SwitchEffects.era``)."""
    text = repr((cache_tag, as_of.isoformat(), view.window_days, view.show_stale))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def status_classes(status: str) -> tuple[str, ...]:
    """The classes of ``status``'s lines and their casings (what switching it off hides)."""
    return (status_class(status), casing_class(status_class(status)))


def status_layers() -> tuple[str, ...]:
    """The layers drawn by border status (their registry ``inputs`` name the statuses)."""
    return tuple(i for i in draw_order() if "statuses" in REGISTRY[i].inputs)


def hidden_classes(view: ViewOptions, *, visible: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Per visible layer drawn by border status, the classes of the statuses ``view`` leaves
    out (lines and their casings): what the page's ``LayerManager(hide=...)`` takes off the map
    when the groups were drawn with ``pending_groups(every_status=True)``."""
    classes = tuple(c for s in STATUSES if s not in view.statuses for c in status_classes(s))
    by_status = status_layers()
    return {layer_id: classes for layer_id in visible if layer_id in by_status and classes}


def _switch(hide_base: bool, selected: str | None) -> folium.FeatureGroup:
    """The group that shows or hides the basemap and opens a permalink's feature."""
    switch = PlainGroup(name="basemap switch", control=False)
    switch.add_child(_BaseToggle(hide=hide_base))
    if selected:
        switch.add_child(_SelectFeature(selected))
    return switch


def dynamic_groups(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    visible: Iterable[str],
    as_of: dt.date,
    view: ViewOptions,
    selected: str | None = None,
    extra: Iterable[folium.FeatureGroup] = (),
    cache_tag: str | None = None,
) -> list[folium.FeatureGroup]:
    """The ``pending_groups`` built, after ``extra`` (changes, overlays: drawn below the layers).

    For pages and files that draw every group (the standalone HTML, tests); the live page hands
    the pending groups to ``ui.map_seam.show_map``, which builds only those it has not seen.
    """
    pending = pending_groups(
        frames, visible=visible, as_of=as_of, view=view, selected=selected, cache_tag=cache_tag
    )
    return [*extra, *(p.materialize() for p in pending)]


EMBED_PAGE_CSS: Final = """
<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], footer { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 0 !important; max-width: 100% !important; }
[data-testid="stVerticalBlock"] { gap: 0 !important; }
iframe[title="streamlit_folium.st_folium"] { height: 100vh !important; display: block; }
</style>
"""
"""Embed mode: only the map, filling the portal's frame (our constant CSS, no data text)."""
