"""Serve every map asset from the app itself: no browser request may leave the origin.

folium lists the JavaScript and CSS each element needs in ``default_js`` / ``default_css``, pointing
at public CDNs.  :func:`localize` rewrites those lists, on the instances of one map tree, to the
copies committed under ``static/vendor/`` (made by ``tools/vendor_assets.py``), drops what the map
does not need (Bootstrap, awesome-markers, Font Awesome, glyphicons, and jQuery unless a
``folium.Popup`` needs it) and raises :class:`UnvendoredAssetError` for anything it does not know,
so a new plugin cannot silently load from the internet.  :func:`inline_html` makes a single
self-contained HTML file (scripts, styles and images inlined) for offline export.

Streamlit serves ``./static/`` at ``/app/static/`` when ``server.enableStaticServing`` is on, and
streamlit-folium inserts the asset lists as ``<script src>`` / ``<link>`` tags inside its component
iframe, so the URLs are root-relative (``/app/static/vendor/...``).
"""

from __future__ import annotations

import base64
import io
import mimetypes
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import branca.colormap
import folium
from branca.element import CssLink, Element, Figure, JavascriptLink
from folium.elements import JSCSSMixin
from PIL import Image

__all__ = [
    "DEFAULT_BASE_URL",
    "LOADER_JS",
    "VENDOR_DIR",
    "AssetError",
    "UnvendoredAssetError",
    "blank_tile_layer",
    "inline_html",
    "loader_once",
    "local_urls",
    "localize",
    "vendored_paths",
]

VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"
DEFAULT_BASE_URL = "/app/static/vendor"


class AssetError(RuntimeError):
    """A map cannot be served offline as built."""


class UnvendoredAssetError(AssetError):
    """An element references a JS/CSS asset that is not in ``static/vendor/``."""


@dataclass(frozen=True)
class _Asset:
    """A folium asset name, the tail of folium's upstream URL it replaces, and our local copy."""

    upstream_tail: str
    local: str


# Keyed by folium's asset name.  The upstream tail pins the version: if folium moves to another
# release the URL no longer matches and localize() refuses, until the vendored copy is updated.
_VENDORED: dict[str, _Asset] = {
    "leaflet": _Asset("/leaflet@1.9.3/dist/leaflet.js", "leaflet/leaflet.js"),
    "leaflet_css": _Asset("/leaflet@1.9.3/dist/leaflet.css", "leaflet/leaflet.css"),
    "jquery": _Asset("/jquery-3.7.1.min.js", "jquery/jquery.min.js"),
    "leaflet_measure_js": _Asset(
        "/leaflet-measure@2.1.7/dist/leaflet-measure.min.js",
        "leaflet-measure/leaflet-measure.min.js",
    ),
    "leaflet_measure_css": _Asset(
        "/leaflet-measure@2.1.7/dist/leaflet-measure.min.css",
        "leaflet-measure/leaflet-measure.css",
    ),
    "Control_MiniMap_js": _Asset(
        "/leaflet-minimap/3.6.1/Control.MiniMap.js", "leaflet-minimap/Control.MiniMap.min.js"
    ),
    "Control_MiniMap_css": _Asset(
        "/leaflet-minimap/3.6.1/Control.MiniMap.css", "leaflet-minimap/Control.MiniMap.min.css"
    ),
    "Control.Fullscreen.js": _Asset(
        "/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js",
        "leaflet.fullscreen/Control.FullScreen.js",
    ),
    "Control.FullScreen.css": _Asset(
        "/leaflet.fullscreen@3.0.0/Control.FullScreen.css",
        "leaflet.fullscreen/Control.FullScreen.css",
    ),
    "mgrs": _Asset("/mgrs@2.2.0/dist/mgrs.min.js", "mgrs/mgrs.min.js"),
    "Leaflet.Search.js": _Asset(
        "/leaflet-search@2.9.7/dist/leaflet-search.min.js",
        "leaflet-search/dist/leaflet-search.min.js",
    ),
    "Leaflet.Search.css": _Asset(
        "/leaflet-search@2.9.7/dist/leaflet-search.min.css",
        "leaflet-search/dist/leaflet-search.min.css",
    ),
}

# folium.Map defaults we never load: only folium.Icon (awesome-markers) needs them.
_ALWAYS_DROPPED = frozenset(
    {
        "bootstrap",
        "bootstrap_css",
        "awesome_markers",
        "awesome_markers_css",
        "awesome_markers_font_css",
        "awesome_rotate_css",
        "glyphicons_css",
    }
)
_JQUERY = "jquery"


def vendored_paths() -> dict[str, Path]:
    """Map each known folium asset name to its vendored file (for checks and tests)."""
    return {name: VENDOR_DIR / asset.local for name, asset in _VENDORED.items()}


def _walk(element: Element) -> Iterator[Element]:
    """Yield an element and all its descendants, depth first, parents before children."""
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _needs_jquery(elements: list[Element]) -> bool:
    """True when some element's JavaScript calls ``$(...)``: folium.Popup, or ``keep_in_front``."""
    for elem in elements:
        if isinstance(elem, folium.Popup):
            return True
        if isinstance(elem, folium.Map) and getattr(elem, "objects_to_stay_in_front", None):
            return True
        if not isinstance(elem, folium.Map) and any(
            name == _JQUERY for name, _ in getattr(elem, "default_js", [])
        ):
            return True
    return False


def _check_supported(elements: list[Element]) -> None:
    """Refuse elements whose assets we deliberately do not serve."""
    for elem in elements:
        if isinstance(elem, folium.Icon):
            raise AssetError(
                "folium.Icon needs awesome-markers and Font Awesome, which are not served "
                "offline; use folium.CircleMarker or folium.DivIcon instead"
            )
        if isinstance(elem, branca.colormap.ColorMap):
            raise AssetError(
                "branca colormaps make streamlit-folium load d3 from the internet; "
                "draw the legend outside the map instead"
            )
        if isinstance(elem, JavascriptLink | CssLink) and _is_remote(elem.url):
            raise UnvendoredAssetError(f"{type(elem).__name__} points at {elem.url}")


def _is_remote(url: str) -> bool:
    return bool(re.match(r"^([a-z][a-z0-9+.-]*:)?//", url, flags=re.IGNORECASE))


def _local_url(name: str, url: str, owner: Element, base_url: str) -> str:
    """Return the vendored URL for one ``(name, url)`` pair, or raise if we have no copy."""
    asset = _VENDORED.get(name)
    if asset is not None:
        already_local = not _is_remote(url) and url.endswith("/" + asset.local)
        if already_local or url.endswith(asset.upstream_tail):
            return f"{base_url}/{asset.local}"
    raise UnvendoredAssetError(
        f"{type(owner).__name__} needs asset {name!r} ({url}), which is not vendored; "
        "add it to tools/vendor_assets.py and layers/assets.py"
    )


def _localized(
    pairs: Iterable[tuple[str, str]], owner: Element, *, base_url: str, keep_jquery: bool
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, url in pairs:
        if name in _ALWAYS_DROPPED or (name == _JQUERY and not keep_jquery):
            continue
        out.append((name, _local_url(name, url, owner, base_url)))
    return out


def local_urls(
    pairs: Iterable[tuple[str, str]], owner: Element, *, base_url: str = DEFAULT_BASE_URL
) -> list[str]:
    """The served URLs of ``owner``'s ``(name, url)`` asset pairs (its ``default_js`` or
    ``default_css``), for an element that loads them itself; raises ``UnvendoredAssetError`` for
    an asset we do not serve."""
    _check_supported([owner])
    return [
        _local_url(name, url, owner, base_url.rstrip("/"))
        for name, url in pairs
        if name not in _ALWAYS_DROPPED
    ]


LOADER_JS: Final = """
window.faLoad = window.faLoad || (function () {
  var seen = {};
  function one(url, css) {
    if (!seen[url]) {
      seen[url] = new Promise(function (ok, fail) {
        var el = document.createElement(css ? "link" : "script");
        if (css) { el.rel = "stylesheet"; el.href = url; } else { el.src = url; el.async = false; }
        el.onload = ok;
        el.onerror = function () { fail(new Error("could not load " + url)); };
        (css ? document.head : document.body).appendChild(el);
      });
    }
    return seen[url];
  }
  return function (js, css) {
    return Promise.all(css.map(function (u) { return one(u, true); })
      .concat(js.map(function (u) { return one(u, false); })));
  };
})();
"""
"""``faLoad(js, css)``: load served files once each (scripts in order), a promise of all."""


def loader_once(element: Element) -> str:
    """``LOADER_JS`` for the first child of ``element``'s map that loads files itself (marked
    ``loads_files = True``), "" for the others: the frame script, re-sent with every rerun,
    carries one copy. The copy must be rendered where it runs at once (the top of the element's
    script); every caller uses ``faLoad`` later (after a fetch, or when the browser is idle),
    when the whole frame script has run."""
    siblings = element._parent._children.values() if element._parent is not None else ()
    first = next((c for c in siblings if getattr(c, "loads_files", False)), element)
    return LOADER_JS if first is element else ""


def localize(
    fmap: folium.Map,
    *,
    base_url: str = DEFAULT_BASE_URL,
    also: Iterable[Element] = (),
) -> folium.Map:
    """Point every asset of ``fmap`` and its descendants at ``static/vendor`` and drop unused ones.

    Explicit and idempotent: it sets ``default_js`` / ``default_css`` on the element *instances*
    (never on folium's classes) and can be called again, also with another ``base_url``.  Pass the
    feature groups handed to ``st_folium(feature_group_to_add=...)`` as ``also``: streamlit-folium
    only loads the assets listed on the map tree, so theirs are added to the map's lists.
    ``base_url`` must be root-relative when rendered by streamlit-folium (prefix it with
    ``server.baseUrlPath`` if that is set).  Returns ``fmap``.
    """
    base_url = base_url.rstrip("/")
    extra = [e for root in also for e in _walk(root)]
    elements = [*_walk(fmap), *extra]
    _check_supported(elements)
    keep_jquery = _needs_jquery(elements)

    if keep_jquery and _JQUERY not in dict(fmap.default_js):
        # an earlier call dropped it and a Popup was added since: load it right after Leaflet
        jquery = (_JQUERY, f"{base_url}/{_VENDORED[_JQUERY].local}")
        fmap.default_js = [*fmap.default_js[:1], jquery, *fmap.default_js[1:]]
    for elem in elements:
        if isinstance(elem, JSCSSMixin) or hasattr(elem, "default_js"):
            elem.default_js = _localized(
                elem.default_js, elem, base_url=base_url, keep_jquery=keep_jquery
            )
            elem.default_css = _localized(  # type: ignore[attr-defined]  # duck-typed asset lists
                getattr(elem, "default_css", []), elem, base_url=base_url, keep_jquery=keep_jquery
            )

    # Assets of the extra trees must be loaded by the map's frame.
    for attr in ("default_js", "default_css"):
        merged = list(getattr(fmap, attr))
        for elem in extra:
            merged += [pair for pair in getattr(elem, attr, []) if pair not in merged]
        setattr(fmap, attr, merged)

    # A map rendered before localize() keeps CDN links in its figure header; forget them.
    root = fmap.get_root()
    if isinstance(root, Figure):
        known = set(_VENDORED) | _ALWAYS_DROPPED
        for name in [n for n in root.header._children if n in known]:
            del root.header._children[name]
    return fmap


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")


def _inline_css(path: Path) -> str:
    """CSS text with every relative ``url(...)`` replaced by a data: URI of the vendored file."""

    def repl(match: re.Match[str]) -> str:
        ref = match.group(2)
        if ref.startswith(("data:", "#")):
            return match.group(0)
        target = (path.parent / ref).resolve()
        if _is_remote(ref) or not target.is_file() or VENDOR_DIR not in target.parents:
            raise UnvendoredAssetError(f"{path.name}: url({ref}) is not a vendored file")
        return f'url("{_data_uri(target)}")'

    return _CSS_URL.sub(repl, path.read_text(encoding="utf-8"))


def _vendored_file(url: str, base_url: str) -> Path:
    rel = url[len(base_url) + 1 :] if url.startswith(base_url + "/") else None
    path = (VENDOR_DIR / rel).resolve() if rel else None
    if path is None or VENDOR_DIR not in path.parents or not path.is_file():
        raise UnvendoredAssetError(f"{url} is not a vendored file")
    return path


def _default_icon_script() -> str:
    """Leaflet finds marker images via the CSS URL; inlined CSS has none, so set them directly."""
    images = VENDOR_DIR / "leaflet" / "images"
    icons = {
        "iconUrl": _data_uri(images / "marker-icon.png"),
        "iconRetinaUrl": _data_uri(images / "marker-icon-2x.png"),
        "shadowUrl": _data_uri(images / "marker-shadow.png"),
    }
    opts = ",".join(f'{k}:"{v}"' for k, v in icons.items())
    return f'<script>L.Icon.Default.imagePath="";L.Icon.Default.mergeOptions({{{opts}}});</script>'


_SCRIPT_TAG = re.compile(r'<script src="([^"]+)"></script>')
_LINK_TAG = re.compile(r'<link rel="stylesheet" href="([^"]+)"/>')


def inline_html(fmap: folium.Map, *, also: Iterable[Element] = ()) -> str:
    """Render ``fmap`` as one self-contained HTML page: no file or network access when opened.

    Localizes the map first, then replaces each vendored ``<script src>`` / stylesheet ``<link>``
    with its content (CSS images as data: URIs).  Raises :class:`AssetError` if any external
    reference would remain.  The asset lists of ``fmap`` are left as they were.
    """
    base = DEFAULT_BASE_URL
    also = list(also)
    elements = [*_walk(fmap), *(e for root in also for e in _walk(root))]
    saved = [(e, dict(vars(e))) for e in elements]
    try:
        localize(fmap, base_url=base, also=also)
        html = fmap.get_root().render()
    finally:
        for elem, attrs in saved:
            for attr in ("default_js", "default_css"):
                if attr in attrs:
                    setattr(elem, attr, attrs[attr])
                else:
                    vars(elem).pop(attr, None)

    def script(match: re.Match[str]) -> str:
        path = _vendored_file(match.group(1), base)
        code = re.sub(r"</(script)", r"<\\/\1", path.read_text(encoding="utf-8"), flags=re.I)
        tag = f"<script>{code}</script>"
        return tag + _default_icon_script() if path.name == "leaflet.js" else tag

    def style(match: re.Match[str]) -> str:
        return f"<style>{_inline_css(_vendored_file(match.group(1), base))}</style>"

    html = _SCRIPT_TAG.sub(script, html)
    html = _LINK_TAG.sub(style, html)
    leftover = re.search(r'<(?:script|link)\b[^>]*\b(?:src|href)="[^"]*"', html)
    if leftover:
        raise AssetError(f"inline_html: an external reference remains: {leftover.group(0)}")
    return html


def _png_1x1(rgb: tuple[int, int, int]) -> bytes:
    """A one-pixel opaque PNG of ``rgb`` (Pillow encodes it)."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1), rgb).save(out, format="PNG")
    return out.getvalue()


def blank_tile_layer(
    *, color: str = "#f2efe9", name: str = "Blank", attr: str = "&nbsp;"
) -> folium.TileLayer:
    """A tile layer of one flat colour from a data: URI: a basemap that makes no request.

    Useful where folium insists on tiles, e.g. ``MiniMap(tile_layer=blank_tile_layer())``.
    """
    match = re.fullmatch(r"#([0-9a-fA-F]{6})", color)
    if match is None:
        raise ValueError(f"color must look like #rrggbb, got {color!r}")
    rgb = bytes.fromhex(match.group(1))
    uri = "data:image/png;base64," + base64.b64encode(_png_1x1((rgb[0], rgb[1], rgb[2]))).decode()
    return folium.TileLayer(tiles=uri, attr=attr, name=name)


def publish_once(body: bytes, *, name: str, static_dir: Path, url_prefix: str) -> str | None:
    """Serve ``body`` as ``<static_dir>/<name>``, written once (atomically); its URL.

    ``name`` carries a digest of ``body``, so a file that exists already holds these bytes. None
    when the folder cannot be written (a read-only install): the caller then sends the content
    inline instead.
    """
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
