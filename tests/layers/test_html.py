"""layers._html: data text becomes inert display text (HTML, JS template literal and Jinja)."""

from __future__ import annotations

import html
import re

import jinja2
import pytest

from layers._html import (
    MAX_DISPLAY,
    plain_notice,
    popup_html,
    safe_markdown,
    safe_text,
    sources_html,
    validity_text,
)
from tests.conftest import SOURCE

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "`; alert(1); `",
    "${alert(1)}",
    "{{ 7*7 }}",
    "{% for x in range(3) %}X{% endfor %}",
    "{{{ a }}}",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    "\\u003cscript\\u003e",
]
RAW_FRAGMENTS = ["<", ">", "`", "${", "{{", "{%", "%}", "}}", '"', "'", "\\"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_has_no_active_characters(text: str) -> None:
    out = safe_text(text)
    for fragment in RAW_FRAGMENTS:
        assert fragment not in out, (text, out)


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_shows_the_original_characters(text: str) -> None:
    # The browser decodes the entities back to what the data said.
    assert html.unescape(safe_text(text)) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_survives_a_jinja_pass_unchanged(text: str) -> None:
    out = safe_text(text)
    assert jinja2.Environment().from_string(out).render() == out


def test_jinja_expression_is_not_evaluated() -> None:
    rendered = jinja2.Environment().from_string(f"A{safe_text('{{ 7*7 }}')}Z").render()
    assert "49" not in rendered


def test_plain_text_is_unchanged() -> None:
    assert safe_text("Vorukh enclave, 2021") == "Vorukh enclave, 2021"
    assert safe_text("Ворух / Воруҳ") == "Ворух / Воруҳ"


def test_none_is_empty_and_numbers_are_text() -> None:
    assert safe_text(None) == ""
    assert safe_text(519) == "519"


def test_control_characters_and_line_separators_are_dropped() -> None:
    assert safe_text("a\x00b\x1bc\u2028d\u2029e") == "abcde"
    assert safe_text("line\nbreak\ttab") == "line\nbreak\ttab"


def test_long_text_is_cut_with_an_ellipsis() -> None:
    out = safe_text("x" * (MAX_DISPLAY + 50))
    assert len(out) == MAX_DISPLAY
    assert out.endswith("…")
    assert safe_text("x" * MAX_DISPLAY) == "x" * MAX_DISPLAY


def test_cutting_never_leaves_half_an_entity() -> None:
    out = safe_text("<" * 20, limit=10)
    assert out == "&lt;" * 9 + "…"


def _props(**changes: object) -> dict[str, object]:
    props: dict[str, object] = {
        "id": "seg-1",
        "name": "Segment one",
        "valid_from": "2021-04-28",
        "valid_to": None,
        "confidence": "reported",
        "sources": [dict(SOURCE)],
    }
    props.update(changes)
    return props


def test_popup_escapes_every_data_field() -> None:
    evil = "<img src=x onerror=alert(1)>{{ 7*7 }}"
    props = _props(
        name=evil,
        notes=evil,
        sources=[{"title": evil, "publisher": evil, "date": None, "url": "https://x.org/?q=<b>"}],
    )
    out = popup_html(props, rows=[("Kind", evil)], source_sections=[("Status " + evil, [])])
    assert "<img" not in out
    assert "{{" not in out
    assert "<b>" in out  # our own markup (the title) remains
    # name, Kind row, notes, the extra section heading, source publisher and title.
    assert out.count("&lt;img src=x onerror=alert(1)&gt;") == 6


def test_popup_lists_dates_confidence_and_id() -> None:
    out = popup_html(_props(valid_to="2022-01-01", notes="A note"))
    assert "2021-04-28 – 2022-01-01 (exclusive)" in out
    assert "Reported (one credible source)" in out
    assert "seg-1" in out
    assert "A note" in out
    assert "Test Publisher" in out


def test_popup_skips_empty_rows() -> None:
    out = popup_html(_props(), rows=[("Shown", "yes"), ("Hidden", None), ("Blank", "")])
    assert "Shown" in out
    assert "Hidden" not in out
    assert "Blank" not in out


def test_validity_text_open_bounds() -> None:
    assert validity_text({"valid_from": None, "valid_to": None}).endswith("still holds")
    assert validity_text({"valid_from": "2021-01-01", "valid_to": None}).startswith("2021-01-01")


def test_sources_only_show_http_urls() -> None:
    out = sources_html(
        [
            {**SOURCE, "url": "javascript:alert(1)"},
            {**SOURCE, "url": "https://example.org/a"},
        ]
    )
    assert "javascript" not in out
    assert "https://example.org/a" in out
    assert "href" not in out
    assert out.count("<li>") == 2


def test_safe_markdown_escapes_links_images_html_and_latex() -> None:
    text = "![x](https://evil/p.png) [a](javascript:1) <b>$x$</b> **bold** `code`"
    out = safe_markdown(text)
    specials = set("\\`*_{}[]()#+!|<>~$:")
    # Every character that can start a link, image, HTML, LaTeX or emphasis is escaped; '-' and
    # '.' stay readable (they only form lists at a line start, which is harmless).
    i = 0
    seen = []
    while i < len(out):
        if out[i] == "\\":
            seen.append(out[i + 1])
            i += 2
            continue
        assert out[i] not in specials, (out, i)
        seen.append(out[i])
        i += 1
    assert "".join(seen) == text


# GFM's literal autolinks (remark-gfm, which Streamlit's Markdown uses): scheme URLs, www., e-mail
_GFM_URL = re.compile(r"(?i)(https?://|www(?=\.))[-.\w]+")
_GFM_EMAIL = re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+")


@pytest.mark.parametrize(
    "text",
    [
        "x https://evil.example/login",
        "see www.evil.example now",
        "mail admin@evil.example",
        "mailto:admin@evil.example",
        "HTTP://EVIL.EXAMPLE",
    ],
)
def test_plain_notice_defeats_autolinks_and_keeps_the_words(text: str) -> None:
    shown = plain_notice(text)
    assert not _GFM_URL.search(shown) and not _GFM_EMAIL.search(shown)
    assert "](" not in shown
    visible = re.sub(r"\\(.)", r"\1", shown).replace("\u2060", "")  # as CommonMark shows it
    assert visible == text
