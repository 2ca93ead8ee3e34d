"""The one seam to streamlit-folium: draw the map frame and its dynamic groups, reusing scripts.

streamlit-folium re-renders every dynamic FeatureGroup to a script on each rerun; the same date and
toggles give the same script, and rendering is most of a rerun. This module renders a group the
way ``st_folium`` does (with its public ``generate_leaflet_string``), keeps the script in a
bounded, thread-safe cache keyed by the group's ``fa_cache_key`` (see
``layers.mapview.dynamic_groups``) and its position, and hands ``st_folium`` a
``PrerenderedGroup`` carrying the script. Nothing of streamlit-folium is patched.

The reproduction holds for the streamlit-folium versions in ``SUPPORTED_VERSIONS`` only: importing
this module with another version installed raises ``UnsupportedComponentError``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from importlib.metadata import version as installed_version
from textwrap import dedent
from typing import Any, Final

import folium
import streamlit_folium
from jinja2 import Template

from layers.assets import localize

SUPPORTED_VERSIONS: Final = ("0.27",)
"""streamlit-folium releases (major.minor) whose feature-group rendering this module reproduces."""
MAX_SCRIPTS: Final = 256
"""Most rendered group scripts kept per process (least recently used dropped first)."""


class UnsupportedComponentError(RuntimeError):
    """The installed streamlit-folium is not one this seam was written and tested against."""


def check_version(version: str) -> None:
    """Raise ``UnsupportedComponentError`` unless ``version`` is a supported release."""
    parts = version.split(".")
    if ".".join(parts[:2]) not in SUPPORTED_VERSIONS:
        raise UnsupportedComponentError(
            f"streamlit-folium {version} is installed, but ui/map_seam.py reproduces the "
            f"feature-group rendering of {', '.join(SUPPORTED_VERSIONS)}.x only: pin a supported "
            "release in requirements.txt or re-check the seam and its tests against the new one."
        )


INSTALLED_VERSION: Final = installed_version("streamlit-folium")
check_version(INSTALLED_VERSION)


def render_group_script(group: folium.FeatureGroup, *, idx: int) -> str:
    """The script ``st_folium`` makes for ``group`` at position ``idx`` (without its add-to-map tail).

    Rendered against a scratch map named like the one streamlit-folium renders into
    (``map_div``), so the page's map frame is never touched (that would remount it).
    """
    scratch = folium.Map(tiles=None)
    scratch._id = "div"  # the name streamlit-folium gives the map before adding groups
    group._id = f"feature_group_{idx}"
    group.add_to(scratch)
    group.render()
    script = streamlit_folium.generate_leaflet_string(group, base_id=f"feature_group_{idx}")
    return dedent(script.replace(streamlit_folium.get_full_id(scratch), "map_div"))


class ScriptCache:
    """A bounded least-recently-used map from keys to rendered scripts, safe across sessions.

    Rendering happens outside the lock (two sessions may render the same key once each; both
    results are equal), so a slow render never blocks other sessions' hits.
    """

    def __init__(self, *, max_entries: int = MAX_SCRIPTS) -> None:
        self.max_entries = max_entries
        self._scripts: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> str:
        """The cached script for ``key``, rendering (and keeping) it on a miss."""
        with self._lock:
            script = self._scripts.get(key)
            if script is not None:
                self._scripts.move_to_end(key)
                return script
        script = render()
        with self._lock:
            self._scripts[key] = script
            self._scripts.move_to_end(key)
            while len(self._scripts) > self.max_entries:
                self._scripts.popitem(last=False)
        return script

    def __len__(self) -> int:
        with self._lock:
            return len(self._scripts)


SCRIPTS: Final = ScriptCache()
"""The process-wide cache shared by all sessions."""


class PrerenderedGroup(folium.FeatureGroup):
    """A FeatureGroup whose script is already rendered: ``st_folium`` emits it as it stands.

    ``show=False`` because the rendered script already adds the group to the map.
    """

    _template = Template("{% macro script(this, kwargs) %}{{ this.script }}{% endmacro %}")

    def __init__(self, script: str) -> None:
        super().__init__(name="prerendered", control=False, show=False)
        self._name = "Prerendered"
        self.script = script


def script_for(group: folium.FeatureGroup, *, idx: int, cache: ScriptCache = SCRIPTS) -> str:
    """``group``'s script at ``idx``: from ``cache`` when it has an ``fa_cache_key``."""
    key = getattr(group, "fa_cache_key", None)
    if key is None:
        return render_group_script(group, idx=idx)
    return cache.get_or_render((key, idx), lambda: render_group_script(group, idx=idx))


def prerendered(
    groups: Sequence[folium.FeatureGroup], *, cache: ScriptCache = SCRIPTS
) -> list[folium.FeatureGroup]:
    """The groups as ``PrerenderedGroup`` objects, in order (the position is part of the script)."""
    return [PrerenderedGroup(script_for(g, idx=i, cache=cache)) for i, g in enumerate(groups)]


def show_map(
    fmap: folium.Map,
    groups: Iterable[folium.FeatureGroup],
    *,
    key: str,
    height: int,
    returned_objects: Sequence[str],
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> dict[str, Any] | None:
    """Draw ``fmap`` with ``groups`` as dynamic layers; what the map reported back.

    ``center``/``zoom`` move the drawn map without remounting it (streamlit-folium applies them
    when they differ from the last ones it was given).

    The groups' assets are merged into the map frame first (``layers.assets.localize``): only the
    frame's asset lists reach the browser.
    """
    groups = list(groups)
    localize(fmap, also=groups)
    returned: dict[str, Any] | None = streamlit_folium.st_folium(
        fmap,
        feature_group_to_add=prerendered(groups),
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=list(returned_objects),
        center=center,
        zoom=zoom,
    )
    return returned
