"""A client-side layer manager: on a rerun, only the layer groups that changed are rebuilt.

streamlit-folium evaluates ``feature_group_to_add`` as one script: whenever any group changes it
removes every dynamic group from the map and evaluates all of them again (its frontend keeps no
per-group state).  :class:`LayerManager` is one ``FeatureGroup`` to hand to
``st_folium(feature_group_to_add=[...])`` instead of the list: it carries each real group's
script inside a function, keyed by a group id and a digest of that script.  In the browser a few
lines of JavaScript compare the wanted ``(id, digest)`` pairs with the groups already on the map:
unchanged groups stay (same Leaflet layers, same SVG paths), changed ones are removed and built
again, groups no longer wanted are removed, and the stacking order is restored.  Function bodies
of unchanged groups are only scanned by the JavaScript engine, never run.

The scripts are rendered with deterministic element ids, so the same group gives the same script
and digest on every rerun and in every session; ``cache`` (any mapping, e.g. one shared by all
sessions) skips rendering a group whose ``fa_cache_key`` attribute was seen before, and a
:class:`PendingGroup` (an id, a key and a function that builds the group) is not even built when
its key was seen before.

State lives on the map object (``map.__faLayers``, mirrored to ``window.__faLayers``):
``live[id] = {digest, layer}``, ``builds`` (groups built so far) and ``lastBuilt`` (ids built by
the last update, which may arrive in several steps as fetched scripts come in), which the browser
tests read, ``off[id]``: the features of a group taken off the map by a hidden class
(``hide``), and ``recent[id]``: the last ``RECENT_KEPT`` groups of that id that another digest
replaced, kept built.  No Streamlit import here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import folium
from branca.element import Element, Figure
from folium.elements import ElementAddToElement
from jinja2 import Template

from layers._element import PlainParts
from layers.assets import publish_once

__all__ = [
    "MAP_VAR",
    "RECENT_KEPT",
    "SPARE_BUILDS_KEPT",
    "LayerManager",
    "ManagedGroup",
    "PendingGroup",
    "StaticScripts",
    "SwitchEffects",
    "group_id",
    "render_group",
]

MAP_VAR: Final = "__faMap"
"""Name of the map inside each group's build function."""
RECENT_KEPT: Final = 2
"""Built groups the browser keeps per group id after another digest replaced them: one of those
digests wanted again comes back without a build (a date moved back, a change undone)."""

SPARE_BUILDS_KEPT: Final = 16
"""Evaluated build functions the browser keeps for groups neither wanted nor spare now (oldest let
go first): a group switched off and on again in a page without spares is built again without a
fetch, and over many dates the frame's memory stays bounded."""

_ID_CHARS = re.compile(r"[^a-z0-9]+")


Asset = tuple[str, str]
"""A ``(name, url)`` pair of a JavaScript or CSS file an element needs (folium's ``default_js``)."""


@dataclass(frozen=True)
class ManagedGroup:
    """One group as the browser receives it: id, digest of its script, script, result variable,
    and the JS/CSS files its elements need (loaded with the map frame, see ``asset_holders``)."""

    id: str
    digest: str
    script: str
    var: str
    js: tuple[Asset, ...] = ()
    css: tuple[Asset, ...] = ()


@dataclass(frozen=True)
class PendingGroup:
    """A group not built yet: its id, its cache key and how to build it.

    ``key`` must name everything the built group depends on (e.g. data digest, layer, date):
    :class:`LayerManager` calls ``build`` only when its cache has no group under ``(id, key)``.
    ``drawn`` (optional) computes a second key naming what the group shows, cheaper than a build
    (e.g. data digest, layer and the rows it keeps: ``layers.LayerSpec.drawn_key``): on a miss
    under ``key``, a group cached under ``(id, drawn())`` is taken instead of building one (a
    date whose rows are those of a date drawn before).
    """

    id: str
    key: Hashable | None
    build: Callable[[], folium.FeatureGroup]
    drawn: Callable[[], Hashable] | None = None

    def materialize(self) -> folium.FeatureGroup:
        """The built group, carrying ``key`` as its ``fa_cache_key``."""
        group = self.build()
        if self.key is not None:
            group.fa_cache_key = self.key  # type: ignore[attr-defined]  # read back by LayerManager
        return group


@dataclass(frozen=True)
class SwitchEffects:
    """What each switch of the page around the map does in the browser the moment it is clicked,
    before the server's rerun (which stays the authority) confirms it.

    A switch is named by a CSS class of an element around its checkbox in the page that holds
    the map frame.  ``groups``: switch -> the group ids it shows and hides (a layer and its
    labels); a hidden group is parked, not discarded, and put back in its place in ``order``
    (every group id a switch can show, bottom to top) while ``era`` (a token of everything but
    the switches the groups are drawn from: data, date, window) is unchanged.  ``classes``:
    switch -> the feature classes it takes off ``class_groups`` when off (a border status).
    """

    groups: Mapping[str, tuple[str, ...]]
    classes: Mapping[str, tuple[str, ...]]
    class_groups: tuple[str, ...]
    order: tuple[str, ...]
    era: str

    def as_json(self) -> dict[str, object]:
        """The form the browser reads."""
        return {
            "groups": {name: list(ids) for name, ids in self.groups.items()},
            "classes": {name: list(names) for name, names in self.classes.items()},
            "classGroups": list(self.class_groups),
            "order": list(self.order),
            "era": self.era,
        }


class _AssetHolder(Element):
    """Stands in for a cached group's elements when ``layers.assets.localize`` merges assets."""

    def __init__(self, group: ManagedGroup) -> None:
        super().__init__()
        self.default_js = list(group.js)
        self.default_css = list(group.css)


def group_id(group: folium.FeatureGroup) -> str:
    """The default id of a group: its layer name (what the layer control would show)."""
    return str(getattr(group, "layer_name", None) or group.get_name())


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def render_group(group: folium.FeatureGroup, *, ident: str) -> ManagedGroup:
    """Render ``group`` alone into a build-function body with deterministic variable names.

    The group is attached to a scratch map inside a scratch figure, its elements get ids derived
    from ``ident`` (so the text depends only on the content), and the figure's script part is
    taken with the scratch map's name replaced by :data:`MAP_VAR`.  Header links (JS/CSS) are
    left to ``layers.assets.localize(fmap, also=groups)``, which loads them with the frame.
    """
    slug = "fa" + _ID_CHARS.sub("", ident.lower())[:24]
    figure = Figure()
    host = folium.Map(tiles=None)
    figure.add_child(host)
    host.add_child(group)
    for elem in list(_walk(group)):  # "addTo" lines of an earlier render name the old ids
        for name in [k for k, c in elem._children.items() if isinstance(c, ElementAddToElement)]:
            del elem._children[name]
    for n, elem in enumerate(_walk(group)):
        elem._id = f"{slug}{n}"
    group.render()  # folium Layers add their "addTo" lines while rendering
    script = "\n".join(child.render() for child in figure.script._children.values())
    script = script.replace(host.get_name(), MAP_VAR)
    digest = hashlib.sha256(script.encode("utf-8")).hexdigest()[:16]
    js: dict[Asset, None] = {}
    css: dict[Asset, None] = {}
    for elem in _walk(group):
        js.update(dict.fromkeys(tuple(pair) for pair in getattr(elem, "default_js", [])))
        css.update(dict.fromkeys(tuple(pair) for pair in getattr(elem, "default_css", [])))
        if isinstance(elem, folium.Popup):  # its script calls $(...): the frame keeps jQuery
            js.update(dict.fromkeys(p for p in folium.Map.default_js if p[0] == "jquery"))
    return ManagedGroup(
        id=ident, digest=digest, script=script, var=group.get_name(), js=tuple(js), css=tuple(css)
    )


_TEMPLATE = """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.featureGroup().addTo({{ this._parent.get_name() }});
(function (map, anchor) {
  var lm = map.__faLayers || (map.__faLayers = {live: {}, defs: {}, texts: {}, builds: 0, lastBuilt: [], gen: 0, parked: {}, flips: 0});
  // groups replaced by another digest, newest first, kept built (with the features a hidden class
  // took off them) so that a digest seen again comes back without a build: a date moved back
  lm.recent = lm.recent || {};
  // streamlit-folium binds its click reporting to the layers on the map when it evaluates this
  // script; groups built later (fetched scripts) report their clicks through this anchor, which
  // is on the map then: every live group is re-parented to the newest anchor on each evaluation.
  function adopt(layer) {
    if (layer.__faAnchor === anchor) { return; }
    if (layer.__faAnchor) { layer.removeEventParent(layer.__faAnchor); }
    layer.addEventParent(anchor);
    layer.__faAnchor = anchor;
  }
  window.__faLayers = lm;
  {%- if this.as_of %}
  // the popups' "days before the as-of date" are counted in the browser (layers.mapview.PopupAges)
  map.__faAsOf = {{ this.as_of|tojson }};
  if (map.__faAges) { map.__faAges(map.__faAsOf); }
  {%- endif %}
  window.__faDefine = function (digest, build) { lm.defs[digest] = build; };
  var gen = ++lm.gen;
  // group id -> classes whose features are taken off the map (and put back) without a rebuild
  lm.hide = {{ this.hide|tojson }};
  // what the page's switches do here at once (null: nothing; see SwitchEffects); a group a
  // switch hides is parked (lm.parked[id] = {digest, layer}) while the era lasts
  var fx = {{ this.switches|tojson }};
  if (!fx || lm.era !== fx.era) {
    Object.keys(lm.parked).forEach(function (id) { if (!lm.live[id]) { delete lm.off[id]; } });
    lm.parked = {};
  }
  lm.era = fx ? fx.era : null;
  function parkable(id) { return !!fx && fx.order.indexOf(id) >= 0; }
  var want = [
{%- for g in this.entries %}
  {%- if this.urls[g.id] %}
    {id: {{ g.id|tojson }}, digest: {{ g.digest|tojson }}, first: {{ (g.id in this.first)|tojson }}, url: {{ this.urls[g.id]|tojson }}}
  {%- else %}
    {id: {{ g.id|tojson }}, digest: {{ g.digest|tojson }}, first: {{ (g.id in this.first)|tojson }}, build: function ({{ this.map_var }}) {
{{ g.script }}
      return {{ g.var }};
    }}
  {%- endif %}{{ "," if not loop.last }}
{%- endfor %}
  ];
  // groups of layers switched off, built only if a switch turns their layer on before the server
  // answers (their scripts are fetched, not evaluated, in the meantime)
  var spare = [
{%- for g in this.spares %}
  {%- if this.urls[g.id] %}
    {id: {{ g.id|tojson }}, digest: {{ g.digest|tojson }}, url: {{ this.urls[g.id]|tojson }}}
  {%- else %}
    {id: {{ g.id|tojson }}, digest: {{ g.digest|tojson }}, build: function ({{ this.map_var }}) {
{{ g.script }}
      return {{ g.var }};
    }}
  {%- endif %}{{ "," if not loop.last }}
{%- endfor %}
  ];
  lm.spare = {};
  spare.forEach(function (w) { lm.spare[w.id] = w; });
  // fetched texts of groups neither wanted nor spare now are let go, and so are their evaluated
  // build functions past the newest SPARE_BUILDS_KEPT: over many dates the frame's memory stays
  // bounded (a group built from them lives on in lm.live, lm.parked or lm.recent)
  var needed = {};
  want.concat(spare).forEach(function (w) { needed[w.digest] = true; });
  Object.keys(lm.texts).forEach(function (d) { if (!needed[d]) { delete lm.texts[d]; } });
  var unneeded = Object.keys(lm.defs).filter(function (d) { return !needed[d]; });
  unneeded.slice(0, Math.max(0, unneeded.length - {{ this.builds_kept }}))
    .forEach(function (d) { delete lm.defs[d]; });
  function stale(w) { var cur = lm.live[w.id]; return !(cur && cur.digest === w.digest); }
  function loaded(w) { return !!(w.build || lm.defs[w.digest] || lm.texts[w.digest]); }
  // a fetched script is evaluated when its group is first built, not when it arrives: the
  // browser parses the borders' script before the bulkier context layers'
  function builder(w) {
    if (!w.build && !lm.defs[w.digest]) {
      var text = lm.texts[w.digest];
      delete lm.texts[w.digest];
      try { (0, eval)(text); } catch (err) { console.error("layer manager: " + err); w.failed = true; }
    }
    return w.build || lm.defs[w.digest] || null;
  }
  // the features of a group drawn with a hidden class, taken off their parent layer and kept
  // (lm.off[id] = {layer: the group's layer, off: [[parent, feature], ...]}) to be put back
  lm.off = lm.off || {};
  function hidden(classes, leaf) {
    var have = " " + ((leaf.options && leaf.options.className) || "") + " ";
    return classes.some(function (name) { return have.indexOf(" " + name + " ") >= 0; });
  }
  function leaves(layer, parent, out) {
    if (layer instanceof L.LayerGroup) {
      layer.eachLayer(function (child) { leaves(child, layer, out); });
    } else if (parent) { out.push([parent, layer]); }
    return out;
  }
  // takes off the group's features with a hidden class and puts back those no longer hidden;
  // true when some came back (they are on top: the stack needs restoring from this group up)
  function sift(id) {
    var cur = lm.live[id], classes = lm.hide[id] || [], rec = lm.off[id];
    if (!cur) { delete lm.off[id]; return false; }
    if (!rec || rec.layer !== cur.layer) { rec = lm.off[id] = {layer: cur.layer, off: []}; }
    if (!classes.length && !rec.off.length) { return false; }
    var back = false;
    rec.off = rec.off.filter(function (pair) {
      if (hidden(classes, pair[1])) { return true; }
      pair[0].addLayer(pair[1]);
      back = true;
      return false;
    });
    if (classes.length) {
      leaves(cur.layer, null, []).forEach(function (pair) {
        if (hidden(classes, pair[1])) { pair[0].removeLayer(pair[1]); rec.off.push(pair); }
      });
    }
    return back;
  }
  var RECENT = {{ this.recent }};
  function retire(id) {  // the live group of id is being replaced: keep it among the recent
    var cur = lm.live[id];
    if (!cur) { return; }
    var rec = lm.off[id], list = lm.recent[id] || (lm.recent[id] = []);
    list.unshift({digest: cur.digest, layer: cur.layer, off: rec && rec.layer === cur.layer ? rec : null});
    if (list.length > RECENT) { list.length = RECENT; }
  }
  function recallable(w) {
    return (lm.recent[w.id] || []).some(function (r) { return r.digest === w.digest; });
  }
  function recall(w) {  // a recent group of w's digest, taken out of the recent list, or null
    var list = lm.recent[w.id] || [];
    for (var i = 0; i < list.length; i++) {
      if (list[i].digest === w.digest) { return list.splice(i, 1)[0]; }
    }
    return null;
  }
  // the groups named first (the borders) are fetched and built before the others, which wait
  // for them
  var order = want.filter(function (w) { return w.first; })
    .concat(want.filter(function (w) { return !w.first; }));
  lm.lastBuilt = [];
  // builds changed groups whose script is here (the others keep their old layer until theirs
  // arrives), first ones first, for at most SLICE ms, then lets the browser paint and goes on;
  // removes groups no longer wanted and restores the stacking order; called at once and again
  // as each fetched script arrives, so the first groups draw without waiting for the slowest
  var SLICE = 30, queued = false;
  function apply() {
    queued = false;
    if (gen !== lm.gen) { return; }
    var keep = {}, built = [], lowest = want.length, start = Date.now(), more = false;
    want.forEach(function (w) { keep[w.id] = true; });
    want.forEach(function (w) {  // a parked or recent group of the same digest comes back, unbuilt
      if (!stale(w)) { return; }
      var park = lm.parked[w.id], back = park && park.digest === w.digest ? park : recall(w);
      if (!back) { return; }
      if (back === park) { delete lm.parked[w.id]; }
      if (lm.live[w.id]) { map.removeLayer(lm.live[w.id].layer); retire(w.id); }
      map.addLayer(back.layer);
      if (back.off) { lm.off[w.id] = back.off; }
      lm.live[w.id] = {digest: back.digest, layer: back.layer};
      lowest = Math.min(lowest, want.indexOf(w));
    });
    var waiting = want.some(function (w) { return w.first && stale(w) && !loaded(w) && !w.failed; });
    order.forEach(function (w) {
      if (!stale(w) || !loaded(w) || (waiting && !w.first)) { return; }
      if (built.length && Date.now() - start > SLICE) { more = true; return; }
      var build = builder(w);
      if (!build) { return; }
      var cur = lm.live[w.id];
      if (cur) { map.removeLayer(cur.layer); retire(w.id); }
      lm.live[w.id] = {digest: w.digest, layer: build(map)};
      built.push(w.id);
      lowest = Math.min(lowest, want.indexOf(w));
    });
    Object.keys(lm.live).forEach(function (id) {
      if (keep[id]) { return; }
      map.removeLayer(lm.live[id].layer);
      if (parkable(id)) { lm.parked[id] = lm.live[id]; } else { delete lm.off[id]; }
      delete lm.live[id];
    });
    var restack = lowest + 1;
    want.forEach(function (w, i) { if (sift(w.id)) { restack = Math.min(restack, i); } });
    for (var i = restack; i < want.length; i++) {
      var next = lm.live[want[i].id];
      if (next && map.hasLayer(next.layer) && next.layer.bringToFront) { next.layer.bringToFront(); }
    }
    Object.keys(lm.live).forEach(function (id) { adopt(lm.live[id].layer); });
    lm.anchor = anchor;
    lm.builds += built.length;
    lm.lastBuilt = lm.lastBuilt.concat(built);
    // the newest evaluation whose wanted groups are all on the map (a probe for tests and bench)
    if (!want.some(function (w) { return stale(w) && !w.failed; })) { lm.drawn = gen; }
    if (more) { schedule(); }
  }
  function schedule() {
    if (!queued) { queued = true; setTimeout(apply, 0); }
  }
  // a switch clicked in the page: hide its groups (parked) or put its parked ones back, or take
  // its classes off / put them back, at once; the rerun it started then finds nothing to do
  function restackFrom(index) {
    for (var i = index; i < fx.order.length; i++) {
      var next = lm.live[fx.order[i]];
      if (next && map.hasLayer(next.layer) && next.layer.bringToFront) { next.layer.bringToFront(); }
    }
  }
  // a spare group built on the map (its script was fetched), or null when it is not there yet
  function fromSpare(w) {
    var build = w && loaded(w) ? builder(w) : null;
    if (!build) { return null; }
    lm.builds += 1;
    lm.lastBuilt = lm.lastBuilt.concat([w.id]);
    return {digest: w.digest, layer: build(map)};
  }
  function own(table, name) { return Object.prototype.hasOwnProperty.call(table, name); }
  lm.switchNamed = function (name) { return !!fx && (own(fx.groups, name) || own(fx.classes, name)); };
  lm.flip = function (name, on) {
    if (gen !== lm.gen || !fx) { return false; }
    var ids = own(fx.groups, name) ? fx.groups[name] : [];
    var classes = own(fx.classes, name) ? fx.classes[name] : [], lowest = fx.order.length;
    if (!ids.length && !classes.length) { return false; }
    var acted = false;
    ids.forEach(function (id) {
      if (!on && lm.live[id]) {
        map.removeLayer(lm.live[id].layer);
        lm.parked[id] = lm.live[id];
        delete lm.live[id];
        acted = true;
      } else if (on && !lm.live[id]) {
        var back = lm.parked[id] || fromSpare(lm.spare[id]);
        if (!back) { return; }
        delete lm.parked[id];
        if (!map.hasLayer(back.layer)) { map.addLayer(back.layer); }
        lm.live[id] = back;
        adopt(back.layer);
        sift(id);
        lowest = Math.min(lowest, fx.order.indexOf(id));
        acted = true;
      }
    });
    fx.classGroups.forEach(function (id) {
      if (!classes.length) { return; }
      var have = lm.hide[id] || [];
      var next = on ? have.filter(function (c) { return classes.indexOf(c) < 0; })
        : have.concat(classes.filter(function (c) { return have.indexOf(c) < 0; }));
      if (next.length === have.length) { return; }
      lm.hide[id] = next;
      acted = true;
      if (sift(id)) { lowest = Math.min(lowest, fx.order.indexOf(id)); }
    });
    restackFrom(lowest);
    if (acted) { lm.flips += 1; }
    return true;
  };
  // one observer of the page around the frame (same origin), for the frame that is there now:
  // a switch's checkbox changed state (drawn by the page the moment it was clicked)
  if (fx) {
    try {
      var host = window.parent !== window ? window.parent : null, doc = host && host.document;
      var prev = host && host.__faSwitchWatch;
      if (doc && doc.body && !(prev && prev.frame === window)) {
        if (prev) { prev.disconnect(); }
        var watch = new host.MutationObserver(function (records) {
          var state = window.__faLayers;
          if (!state || !state.flip) { return; }
          records.forEach(function (record) {
            for (var el = record.target; el && el !== doc.body; el = el.parentElement) {
              var name = [].find.call(el.classList, state.switchNamed);
              var box = name && el.querySelector("input[type=checkbox]");
              if (box) { state.flip(name, box.checked); return; }
            }
          });
        });
        watch.frame = window;
        host.__faSwitchWatch = watch;
        watch.observe(doc.body, {subtree: true, attributes: true,
                                 attributeFilter: ["data-selected", "aria-checked", "checked"]});
      }
    } catch (err) { /* a page of another origin: switches wait for the server */ }
  }
  function fetchText(w) {
    return fetch(w.url).then(function (r) {
      if (!r.ok) { throw new Error(w.url + ": HTTP " + r.status); }
      return r.text();
    });
  }
  order.filter(function (w) { return stale(w) && !loaded(w) && !recallable(w); }).forEach(function (w) {
    fetchText(w).then(function (text) {
      lm.texts[w.digest] = text;
      schedule();
    }).catch(function (err) {
      console.error("layer manager: " + err);
      w.failed = true;  // the others no longer wait for it
      schedule();
    });
  });
  apply();
  spare.filter(function (w) { return !loaded(w); }).forEach(function (w) {
    fetchText(w).then(function (text) {
      if (!lm.defs[w.digest]) { lm.texts[w.digest] = text; }
    }).catch(function (err) { console.error("layer manager: " + err); });
  });
})({{ this._parent.get_name() }}, {{ this.get_name() }});
{% endmacro %}
"""


class StaticScripts:
    """Publishes group scripts as content-addressed files the browser fetches only when new.

    ``<static_dir>/layer-<digest>.js`` is written once per digest; the page then carries only
    ``(id, digest, url)`` per group instead of every group's script, so a toggle sends a few
    kilobytes and the browser fetches (and caches) only the groups it has not seen.  Files are
    never rewritten; past ``keep`` files the oldest are deleted (every date gives new digests);
    ``url_for`` returns None when the folder cannot be written (the manager then inlines it).
    """

    def __init__(self, static_dir: Path, *, url_prefix: str, keep: int = 2000) -> None:
        self.static_dir = Path(static_dir)
        self.url_prefix = url_prefix.rstrip("/")
        self.keep = keep
        self._lock = threading.Lock()
        self._written: OrderedDict[str, None] | None = None  # file names, oldest first

    def _prune(self, fresh: Path) -> None:
        """Bound the folder: past ``keep`` files, delete the least recently written ones.

        The folder is listed once, on the first new file; after that the files this object
        writes are kept in order in memory, so a new date's groups cost no directory scan (with
        2,000 files a scan per file was the largest part of drawing a date for the first time).
        """
        with self._lock:
            if self._written is None:
                listed = sorted(self.static_dir.glob("layer-*.js"), key=lambda p: p.stat().st_mtime)
                self._written = OrderedDict((p.name, None) for p in listed)
            self._written[fresh.name] = None
            self._written.move_to_end(fresh.name)
            while len(self._written) > max(self.keep, 1):  # never the file just written
                name, _ = self._written.popitem(last=False)
                (self.static_dir / name).unlink(missing_ok=True)

    def url_for(self, group: ManagedGroup) -> str | None:
        """The served URL of ``group``'s script, written first if needed."""
        name = f"layer-{group.digest}.js"
        target = self.static_dir / name
        body = (
            f"window.__faDefine({json.dumps(group.digest)}, function ({MAP_VAR}) {{\n"
            f"{group.script}\nreturn {group.var};\n}});\n"
        )
        new = not target.is_file()
        url = publish_once(
            body.encode("utf-8"), name=name, static_dir=self.static_dir, url_prefix=self.url_prefix
        )
        if url and new:
            self._prune(target)
        return url


LayerItem = folium.FeatureGroup | tuple[str, folium.FeatureGroup] | PendingGroup
"""A group handed to :class:`LayerManager`: a folium group (its id is its layer name), ``(id,
group)``, or a :class:`PendingGroup`."""


def _rendered(
    item: LayerItem, cache: MutableMapping[Hashable, ManagedGroup] | None
) -> ManagedGroup:
    """``item`` rendered, from ``cache`` when its ``(id, key)`` is there, or its ``(id, drawn)``
    (a pending group is then never built); a new rendering is added to ``cache`` under both when
    the item has a key."""
    if isinstance(item, PendingGroup):
        ident, key = item.id, item.key
    else:
        ident, group = item if isinstance(item, tuple) else (group_id(item), item)
        key = getattr(group, "fa_cache_key", None)
    if cache is None or key is None:
        built = item.materialize() if isinstance(item, PendingGroup) else group
        return render_group(built, ident=ident)
    cached = cache.get((ident, key))
    if cached is not None:
        return cached
    drawn = item.drawn if isinstance(item, PendingGroup) else None
    alias = (ident, drawn()) if drawn is not None else None
    cached = cache.get(alias) if alias is not None else None
    if cached is None:
        built = item.materialize() if isinstance(item, PendingGroup) else group
        cached = render_group(built, ident=ident)
        if alias is not None:
            cache[alias] = cached
    cache[(ident, key)] = cached
    return cached


class LayerManager(folium.FeatureGroup, PlainParts):
    """The dynamic groups as one element whose browser side rebuilds only what changed.

    ``groups`` are folium FeatureGroups, ``(id, group)`` pairs or :class:`PendingGroup` s, bottom
    to top; ids default to the layer name and must be unique.  ``cache`` maps a group's ``fa_cache_key`` to its rendered
    :class:`ManagedGroup`, so a process can skip rendering the same group twice.  With
    ``scripts`` (:class:`StaticScripts`) the group scripts are served as files instead of being
    sent with every rerun; each changed group is swapped as soon as its file arrived.  The groups
    whose ids are in ``first`` are fetched and built before the others, and the browser builds
    for at most 30 ms at a time, painting in between (the borders show before the context
    layers are built).  ``hide`` maps a group id to CSS classes: the group's features drawn with
    one of them (their ``className``) are taken off the map and put back when a later rerun no
    longer names the class, without rebuilding the group (a border status switched off).  With
    ``switches`` (:class:`SwitchEffects`) a click on one of the page's switches acts in the
    browser at once, before the rerun it starts arrives: groups it hides are parked and come
    back without a rebuild (by the click, or by a rerun that wants the same digest).  ``as_of``
    is the date the popups' ages are counted to (``layers.mapview.PopupAges``); ``builds_kept``:
    how many build functions of groups no longer wanted the browser keeps
    (``SPARE_BUILDS_KEPT``).  Hand the
    manager to ``st_folium(feature_group_to_add=[manager])``; call
    ``layers.assets.localize(fmap, also=groups)`` with the original groups for their assets.
    """

    _template = Template(_TEMPLATE)

    def __init__(
        self,
        groups: Iterable[LayerItem],
        *,
        cache: MutableMapping[Hashable, ManagedGroup] | None = None,
        scripts: StaticScripts | None = None,
        first: Iterable[str] = (),
        hide: Mapping[str, Iterable[str]] | None = None,
        switches: SwitchEffects | None = None,
        spares: Iterable[LayerItem] = (),
        as_of: dt.date | None = None,
        builds_kept: int = SPARE_BUILDS_KEPT,
    ) -> None:
        super().__init__(name="layer manager", control=False, show=True)
        self.builds_kept = int(builds_kept)
        self.as_of = as_of.isoformat() if as_of is not None else None
        self.map_var = MAP_VAR
        self.recent = RECENT_KEPT
        self.first = frozenset(first)
        self.entries: tuple[ManagedGroup, ...] = tuple(_rendered(item, cache) for item in groups)
        self.spares: tuple[ManagedGroup, ...] = tuple(_rendered(item, cache) for item in spares)
        seen: set[str] = set()
        for ident in (e.id for e in self.entries + self.spares):
            if ident in seen:
                raise ValueError(f"two layer groups share the id {ident!r}; ids must be unique")
            seen.add(ident)
        self.hide: dict[str, list[str]] = {
            ident: sorted(set(classes)) for ident, classes in (hide or {}).items() if ident in seen
        }
        self.switches = switches.as_json() if switches is not None else None
        self.urls: dict[str, str | None] = {
            e.id: scripts.url_for(e) if scripts is not None else None
            for e in self.entries + self.spares
        }

    def asset_holders(self) -> list[Element]:
        """One element per group that needs JS/CSS files, for ``layers.assets.localize(fmap,
        also=...)``: the frame loads them (a cached group is never built, so it has no elements)."""
        return [_AssetHolder(e) for e in self.entries if e.js or e.css]

    def digests(self) -> dict[str, str]:
        """Group id -> content digest, in drawing order."""
        return {e.id: e.digest for e in self.entries}

    def spare_digests(self) -> dict[str, str]:
        """Spare group id -> content digest."""
        return {e.id: e.digest for e in self.spares}
