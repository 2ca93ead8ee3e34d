"""The one place that turns untrusted data text into display text.

Leaflet inserts popup and tooltip strings with innerHTML, folium puts them inside JavaScript
template literals, and branca renders them through Jinja a second time on the server. Entity-escaping
``< > & " '`` plus ``{ } $ `` and backtick makes the text inert in all three while the browser still
shows the literal characters. Everything that reaches the map as text passes through ``safe_text``;
raw values used for styling travel in separate keys and are never displayed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from layers.styles import CONFIDENCE_LABEL

MAX_DISPLAY: Final = 600
_EXTRA: Final = str.maketrans(
    {"{": "&#123;", "}": "&#125;", "$": "&#36;", "`": "&#96;", "\\": "&#92;", "%": "&#37;"}
)
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")


def safe_text(value: object, *, limit: int = MAX_DISPLAY) -> str:
    """Escape ``value`` for display anywhere on the map; control characters are dropped."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub("", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=True).translate(_EXTRA)


def _row(label: str, value: str) -> str:
    return f"<tr><th>{safe_text(label)}</th><td>{value}</td></tr>"


def sources_html(sources: Iterable[Mapping[str, Any]]) -> str:
    """An ordered list of sources; links only for http(s) addresses, shown as text too."""
    items = []
    for src in sources:
        line = (
            f"{safe_text(src.get('publisher'))}, <i>{safe_text(src.get('title'))}</i>"
            f" ({safe_text(src.get('date') or 'n.d.')})"
        )
        url = src.get("url")
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            line += f'<br><span class="fa-url">{safe_text(url, limit=300)}</span>'
        items.append(f"<li>{line}</li>")
    return f"<ol class='fa-sources'>{''.join(items)}</ol>"


def validity_text(props: Mapping[str, Any]) -> str:
    """'from … to …' in words, for the popup."""
    start = props.get("valid_from") or "before 2021"
    end = props.get("valid_to")
    return f"{start} – {end} (exclusive)" if end else f"{start} – still holds"


AGE_CLASS: Final = "fa-age"
"""Class of the empty span after a 'Last confirmed' date: the map fills it in the browser with the
date's age on the map's as-of date (``layers.mapview.PopupAges``), so a popup's text, and the
group script holding it, stay the same from one date to the next (a date move then rebuilds no
group whose features did not change)."""


def confirmed_html(props: Mapping[str, Any]) -> str:
    """'Last confirmed' as display-safe HTML, from the computed ``_confirmed``/``_stale`` columns
    (layers._select.with_freshness): the date, a span the map fills with its age on the as-of
    date (``AGE_CLASS``), and whether the feature is stale."""
    day = props.get("_confirmed")
    if day is None:
        text = safe_text("no dated source by the as-of date")
    else:
        iso = safe_text(day)
        text = f"{iso}<span class='{AGE_CLASS}' data-day='{iso}'></span>"
    if props.get("_stale"):
        text += safe_text(" — not confirmed for over a year")
    return text


def popup_html(
    props: Mapping[str, Any],
    *,
    heading: str | None = None,
    rows: Sequence[tuple[str, object]] = (),
    source_sections: Sequence[tuple[str, Iterable[Mapping[str, Any]]]] = (),
) -> str:
    """A popup: name, the layer's rows, dates, confidence, notes and source lists — all escaped."""
    title = safe_text(heading if heading is not None else props.get("name"))
    body = [_row(label, safe_text(value)) for label, value in rows if value not in (None, "")]
    body.append(_row("Holds", safe_text(validity_text(props))))
    confidence = str(props.get("confidence", ""))
    body.append(_row("Confidence", safe_text(CONFIDENCE_LABEL.get(confidence, confidence))))
    if "_confirmed" in props:
        body.append(_row("Last confirmed", confirmed_html(props)))
    if props.get("notes"):
        body.append(_row("Notes", safe_text(props["notes"])))
    body.append(_row("Id", safe_text(props.get("id"))))
    sections = [*source_sections, ("Sources", props.get("sources") or [])]
    listed = "".join(
        f"<div class='fa-src-h'>{safe_text(heading)}</div>{sources_html(sources)}"
        for heading, sources in sections
    )
    return f"<div class='fa-popup'><b>{title}</b><table>{''.join(body)}</table>{listed}</div>"


_MARKDOWN_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]()#+!|<>~$:])")


def safe_markdown(value: object, *, limit: int = MAX_DISPLAY) -> str:
    """Escape data text for Streamlit markdown: no links, images, HTML or LaTeX from data."""
    text = _CONTROL.sub("", "" if value is None else str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


_WORD_JOINER: Final = "\u2060"
_AUTOLINK_TRIGGERS: Final = re.compile(r"(?i)(://|www\.|@|mailto:|xmpp:)")


def no_autolink(text: str) -> str:
    """Break what Markdown's autolinker turns into links (``scheme://``, ``www.``, e-mail).

    An invisible word joiner goes inside each trigger (``https:⁠//``, ``www⁠.``, ``a⁠@b``), so
    the words read the same and no link, image or address is made from them.
    """
    return _AUTOLINK_TRIGGERS.sub(
        lambda m: (
            m.group(1)[:-1] + _WORD_JOINER + m.group(1)[-1]
            if m.group(1) != "@"
            else _WORD_JOINER + "@"
        ),
        text,
    )


def plain_notice(value: object, *, limit: int = MAX_DISPLAY) -> str:
    """Data or URL text for a Streamlit Markdown element: inert, no links, no visible escapes.

    Markdown specials are backslash-escaped (CommonMark shows ``\\:`` as ``:``), so nothing
    becomes markup, and ``no_autolink`` stops addresses from becoming links.
    """
    return safe_markdown(no_autolink("" if value is None else str(value)), limit=limit)
