"""The one seam to streamlit-folium: draw the map frame and its dynamic groups, rebuilding only
the groups that changed.

streamlit-folium's frontend removes and re-evaluates every group of ``feature_group_to_add`` on
every change. The seam hands it ONE ``layers.layer_manager.LayerManager`` instead: in the browser
only groups whose content digest changed are rebuilt, the others keep their Leaflet layers.
Rendered groups are kept in a bounded, thread-safe cache shared by all sessions (keyed by group id
and the group's key, see ``layers.mapview.pending_groups``: a group is built only for a key not in
the cache), and their scripts are
published as content-addressed files under ``static/generated/layers`` (``StaticScripts``; inlined
when that folder cannot be written), so a change sends ids and digests, not scripts. Nothing of
streamlit-folium is patched.

A run that sends the map a group the browser was not sent before pauses after the map before it
sends the rest of the page (``needs_head_start``): ``HEAD_START_S``, ``RECALL_HEAD_START_S`` for
groups the frame keeps built, or ``FIRST_HEAD_START_S`` for a session's first map; a run that
sends none but moves the map's date pauses ``DATE_HEAD_START_S``; see those constants for why.

The manager relies on how streamlit-folium evaluates and removes ``feature_group_to_add`` (it
removes only the one empty group the manager adds), which holds for the versions in
``SUPPORTED_VERSIONS``: importing this module with another version installed raises
``UnsupportedComponentError``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from importlib.metadata import version as installed_version
from typing import Any, Final

import folium
import streamlit as st
import streamlit_folium

from layers.assets import localize
from layers.layer_manager import (
    RECENT_KEPT,
    LayerManager,
    ManagedGroup,
    PendingGroup,
    StaticScripts,
    SwitchEffects,
)
from layers.mapview import FIRST_PAINT
from ui.cache import GENERATED_DIR, GENERATED_URL

SUPPORTED_VERSIONS: Final = ("0.27",)
"""streamlit-folium releases (major.minor) whose feature-group rendering this module reproduces."""
HEAD_START_S: Final = 0.2
"""How long a run waits after sending the map new groups, so the browser draws them before the
rest of the page arrives.  Streamlit's frontend works through the server's messages in order on
the page's one main thread (the map's frame, same origin, shares it): the map's new arguments
reach the frame only after every element that arrived with them is rendered.  Without the pause
the ~40 sidebar and panel elements that follow the map arrive with it, and on this 2-core
machine a date move repainted in 413 ms median; with 50 ms, 316 ms; with 100 ms, 273 ms (one
interleaved ``bench.ab`` run, 12 rounds each, bench/README.md).  A date the server draws for the
first time also sends the browser to fetch the new groups' scripts from this same process, which
answers slowly while the rest of the page is being run: the first such move took 719 and 403 ms
with 100 ms, 394 and 344 ms with 200 ms (two interleaved runs; medians of the 12 moves alike,
138-157 ms), so 200 ms.  The pause is idle: it costs the server no CPU, and the rest of the page
arrives that much later."""
RECALL_HEAD_START_S: Final = 0.1
"""The pause when every group the map did not have in the last run is one its frame keeps built
(``layers.layer_manager.RECENT_KEPT`` replaced groups per id, ``kept_built``): a date the user
comes back to.  The frame then fetches and builds nothing, and half the pause does as well.
Two interleaved ``bench.ab`` runs of 20 Home/End moves on this 2-core machine, where every move
after the first recalls its groups (median / p95 ms): 200 ms 107 / 143 and 111 / 153; 100 ms
113 / 159 and 115 / 152; 50 ms 139 / 223; no pause 241 / 330 (bench/README.md).  The panels and
lists of such a move arrive 0.1 s sooner."""
DATE_HEAD_START_S: Final = 0.05
"""The pause when the map gets no new group but a new date (``as_of``: the popups' ages, the era
of the switches' effects), as on a move to a nearby date that changes no feature.  Without it
the frame gets the date only after the page's ~50 elements that follow the map are rendered
again.  Three interleaved runs of one-day moves on this 2-core machine (50-64 moves each; ms
from the key press to the frame holding the date, then to the page's last caption showing it,
median / p95): no pause 186 / 265, 216 / 267; 20 ms 109 / 214, 225 / 275; 30 ms 92 / 236,
237 / 287; 50 ms 86 / 149, 247 / 279 (bench/README.md).  With 50 ms the map has the date 0.1 s
sooner and the headline and lists come ~30 ms later."""
FIRST_HEAD_START_S: Final = 0.8
"""The pause after a session's first map: the browser then makes the map's frame and loads
Leaflet before the sidebar controls (whose code the frontend fetches and runs first) and the
panels arrive.  One interleaved run of 8 first loads each on this 2-core machine (seconds from
navigation, median): with 0.1 s the border painted at 3.06, the controls at 2.89, the panels'
end at 2.06; with 0.5 s at 2.60, 3.28, 2.59; with 0.8 s at 1.93, 3.31, 2.78 (bench/README.md).
The map is what an analyst opened the page for; the controls come about 0.4 s later."""
DRAWN_KEY: Final = "fa_map_drawn"
"""Session key: the group ids and digests the last run sent the map (drawn and spare)."""
BUILT_KEY: Final = "fa_map_built"
"""Session key: per group id, the digests the map's frame keeps built (``kept_built``)."""
AS_OF_KEY: Final = "fa_map_as_of"
"""Session key: the date (``as_of``) the last run gave the map."""
MAX_SCRIPTS: Final = 512
"""Most cache entries kept per process (least recently used dropped first): a group reached by two
keys (its date's and what it shows, ``PendingGroup.drawn``) takes two entries, holding one object."""


class UnsupportedComponentError(RuntimeError):
    """The installed streamlit-folium is not one this seam was written and tested against."""


def check_version(version: str) -> None:
    """Raise ``UnsupportedComponentError`` unless ``version`` is a supported release."""
    parts = version.split(".")
    if ".".join(parts[:2]) not in SUPPORTED_VERSIONS:
        raise UnsupportedComponentError(
            f"streamlit-folium {version} is installed, but ui/map_seam.py relies on the "
            f"feature-group handling of {', '.join(SUPPORTED_VERSIONS)}.x only: pin a supported "
            "release in requirements.txt or re-check the seam and its tests against the new one."
        )


INSTALLED_VERSION: Final = installed_version("streamlit-folium")
check_version(INSTALLED_VERSION)


class ScriptCache(MutableMapping[Hashable, ManagedGroup]):
    """A bounded least-recently-used map from keys to rendered groups, safe across sessions.

    ``LayerManager`` reads it with ``get`` and fills it after rendering outside the lock (two
    sessions may render the same key once each; both results are equal), so a slow render never
    blocks other sessions' hits.
    """

    def __init__(self, *, max_entries: int = MAX_SCRIPTS) -> None:
        self.max_entries = max_entries
        self._groups: OrderedDict[Hashable, ManagedGroup] = OrderedDict()
        self._lock = threading.Lock()

    def __getitem__(self, key: Hashable) -> ManagedGroup:
        with self._lock:
            group = self._groups[key]
            self._groups.move_to_end(key)
            return group

    def __setitem__(self, key: Hashable, group: ManagedGroup) -> None:
        with self._lock:
            self._groups[key] = group
            self._groups.move_to_end(key)
            while len(self._groups) > self.max_entries:
                self._groups.popitem(last=False)

    def __delitem__(self, key: Hashable) -> None:
        with self._lock:
            del self._groups[key]

    def __iter__(self) -> Iterator[Hashable]:
        with self._lock:
            return iter(list(self._groups))

    def __len__(self) -> int:
        with self._lock:
            return len(self._groups)


SCRIPTS: Final = ScriptCache()
"""The process-wide cache of rendered groups shared by all sessions."""
SCRIPT_FILES: Final = StaticScripts(GENERATED_DIR / "layers", url_prefix=f"{GENERATED_URL}/layers")
"""Where group scripts are published for the browser to fetch (and cache) once per digest."""

Group = folium.FeatureGroup | tuple[str, folium.FeatureGroup] | PendingGroup
"""A dynamic group, ``(id, group)`` when its layer name is not a unique id (an overlay), or a
group built only when its key is not in the cache (``layers.mapview.pending_groups``)."""


def layer_manager(
    groups: Iterable[Group],
    *,
    cache: ScriptCache = SCRIPTS,
    scripts: StaticScripts | None = SCRIPT_FILES,
    hide: Mapping[str, Iterable[str]] | None = None,
    switches: SwitchEffects | None = None,
    spares: Iterable[Group] = (),
    as_of: dt.date | None = None,
) -> LayerManager:
    """The groups as one ``LayerManager`` (bottom to top), rendered groups taken from ``cache``;
    the borders are fetched and built first (``layers.mapview.FIRST_PAINT``); features of the
    classes in ``hide`` (per group id) are kept off the map without a rebuild; ``switches`` act
    in the browser at once, and build a ``spares`` group when they switch its layer on; the
    popups count their ages to ``as_of``."""
    return LayerManager(
        groups,
        cache=cache,
        scripts=scripts,
        first=FIRST_PAINT,
        hide=hide,
        switches=switches,
        spares=spares,
        as_of=as_of,
    )


def needs_head_start(drawn: Mapping[str, str], before: Mapping[str, str] | None) -> bool:
    """True when ``drawn`` (group id -> digest) names a group the last run did not send (drawn
    or spare), or there was no last run: the browser has something to build (see
    ``HEAD_START_S``).  A pan, zoom or click report, a switch that only took groups away and a
    switch that turned on a layer whose spare the frame had send nothing new."""
    return before is None or any(before.get(ident) != digest for ident, digest in drawn.items())


def kept_built(
    built: Mapping[str, Sequence[str]], drawn: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """Per group id, the digests the frame keeps built once it has drawn ``drawn``, newest
    first: the one drawn and the ``RECENT_KEPT`` it replaced last (the frame's ``live`` and
    ``recent``; ``built`` is the same before this run).  A frame made anew keeps less: its
    runs then pause for less than they should, nothing worse."""
    kept = dict(built)
    for ident, digest in drawn.items():
        older = [d for d in built.get(ident, ()) if d != digest]
        kept[ident] = (digest, *older[:RECENT_KEPT])
    return {ident: tuple(digests) for ident, digests in kept.items()}


def recalls_only(
    drawn: Mapping[str, str], before: Mapping[str, str], built: Mapping[str, Sequence[str]]
) -> bool:
    """True when every group of ``drawn`` the last run did not send is one the frame keeps
    built (``built``, see ``kept_built``): it recalls them, fetching and building nothing."""
    return all(
        digest in built.get(ident, ())
        for ident, digest in drawn.items()
        if before.get(ident) != digest
    )


def sent_before() -> Mapping[str, str]:
    """The group ids and digests this session's last run sent the map (drawn and spare); empty
    before its first map."""
    sent: Mapping[str, str] = st.session_state.get(DRAWN_KEY, {})
    return sent


def show_map(
    fmap: folium.Map,
    groups: Iterable[Group],
    *,
    key: str,
    height: int,
    returned_objects: Sequence[str],
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    hide: Mapping[str, Iterable[str]] | None = None,
    switches: SwitchEffects | None = None,
    spares: Iterable[Group] = (),
    as_of: dt.date | None = None,
    head_start_s: float = HEAD_START_S,
    recall_head_start_s: float = RECALL_HEAD_START_S,
    first_head_start_s: float = FIRST_HEAD_START_S,
    date_head_start_s: float = DATE_HEAD_START_S,
) -> dict[str, Any] | None:
    """Draw ``fmap`` with ``groups`` as dynamic layers; what the map reported back.

    ``hide`` maps a group id to classes whose features the browser keeps off the map (a border
    status switched off: ``layers.mapview.hidden_classes``), without rebuilding the group.
    ``switches`` (``ui.controls.switch_effects``): what a click on a page switch does in the map
    frame before the rerun it starts arrives; ``spares`` are groups of layers switched off, whose
    scripts the frame fetches (and builds only if a switch turns their layer on before the server
    answers).  ``as_of``: the date the popups count "N days before the as-of date" to
    (``layers.mapview.PopupAges``).

    ``center``/``zoom`` move the drawn map without remounting it (streamlit-folium applies them
    when they differ from the last ones it was given).

    The groups' assets are merged into the map frame first (``layers.assets.localize``): only the
    frame's asset lists reach the browser.  When the map gets a group it did not have, the run
    then waits ``head_start_s`` before it goes on, ``recall_head_start_s`` when the frame keeps
    all those groups built, ``first_head_start_s`` in a session's first run; a run that sends no
    new group but another ``as_of`` waits ``date_head_start_s`` (``HEAD_START_S``,
    ``RECALL_HEAD_START_S``, ``FIRST_HEAD_START_S``, ``DATE_HEAD_START_S``).
    """
    manager = layer_manager(groups, hide=hide, switches=switches, spares=spares, as_of=as_of)
    localize(fmap, also=manager.asset_holders())
    returned: dict[str, Any] | None = streamlit_folium.st_folium(
        fmap,
        # streamlit-folium renders the whole figure and then the map again; the map's own render
        # gives the same frame (tests/ui/test_map_seam.py compares them) at about half the cost
        # of this call on every rerun (bench/README.md)
        render=False,
        feature_group_to_add=[manager],
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=list(returned_objects),
        center=center,
        zoom=zoom,
    )
    drawn = manager.digests()
    before = st.session_state.get(DRAWN_KEY)
    built: Mapping[str, Sequence[str]] = st.session_state.get(BUILT_KEY, {})
    if before is None:
        time.sleep(first_head_start_s)
    elif needs_head_start(drawn, before):
        time.sleep(recall_head_start_s if recalls_only(drawn, before, built) else head_start_s)
    elif as_of != st.session_state.get(AS_OF_KEY):
        time.sleep(date_head_start_s)
    st.session_state[AS_OF_KEY] = as_of
    st.session_state[DRAWN_KEY] = {**drawn, **manager.spare_digests()}
    st.session_state[BUILT_KEY] = kept_built(built, drawn)
    return returned
