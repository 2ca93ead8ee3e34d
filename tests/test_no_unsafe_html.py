"""No raw-HTML switch and no path-opening reader anywhere in the app's own code (tests excepted).

``unsafe_allow_html=True`` would let data text run as markup on the page, and
``gpd.read_file`` / ``pyogrio.read_dataframe`` / ``fiona.open`` open URLs and GDAL virtual file
systems (``/vsicurl/``, ``zip://``) when handed a string, so an upload's name or content must never
reach them (docs/DESIGN.md, Security). The check parses every ``.py`` file, so docstrings that *mention*
these names are fine; a call or keyword is not.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SKIP_DIRS = frozenset({"tests", "static", "build", "node_modules", "__pycache__"})
BANNED_KEYWORDS = frozenset({"unsafe_allow_html"})
BANNED_CALLS = frozenset({"read_file", "read_dataframe", "read_arrow", "open_dataset"})
BANNED_QUALIFIED = frozenset({("fiona", "open"), ("pyogrio", "read_info")})


def _own_python_files() -> list[Path]:
    files = []
    for path in sorted(REPO.rglob("*.py")):
        parts = path.relative_to(REPO).parts
        if any(part.startswith(".") or part in SKIP_DIRS for part in parts[:-1]):
            continue
        files.append(path)
    return files


def _call_name(func: ast.expr) -> tuple[str | None, str | None]:
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else None
        return owner, func.attr
    if isinstance(func, ast.Name):
        return None, func.id
    return None, None


def offences(source: str, *, label: str) -> list[str]:
    """Every banned call or keyword in ``source``, as ``label:line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        owner, name = _call_name(node.func)
        if name in BANNED_CALLS or (owner, name) in BANNED_QUALIFIED:
            found.append(f"{label}:{node.lineno}: calls {owner + '.' if owner else ''}{name}(")
        found += [
            f"{label}:{node.lineno}: passes {kw.arg}="
            for kw in node.keywords
            if kw.arg in BANNED_KEYWORDS
        ]
    return found


def test_the_scan_covers_the_app() -> None:
    names = {str(p.relative_to(REPO)) for p in _own_python_files()}
    assert {"app.py", "geo/io.py", "geo/overlay.py", "layers/_html.py"} <= names
    assert not any(name.startswith(("tests/", ".venv/")) for name in names)


@pytest.mark.parametrize(
    "snippet",
    [
        "st.markdown(text, unsafe_allow_html=True)",
        "st.write(x, unsafe_allow_html=False)",
        "gpd.read_file(upload.name)",
        "geopandas.read_file('/vsicurl/http://x')",
        "read_file(path)",
        "pyogrio.read_dataframe(name)",
        "fiona.open(name)",
    ],
)
def test_the_detector_sees_each_banned_form(snippet: str) -> None:
    assert offences(snippet, label="snippet")


def test_mentions_in_docstrings_and_comments_are_fine() -> None:
    source = '"""Never call gpd.read_file or unsafe_allow_html=True."""\n# read_file(x)\n'
    assert offences(source, label="doc") == []


def test_no_unsafe_html_and_no_path_readers_outside_tests() -> None:
    found = [
        line
        for path in _own_python_files()
        for line in offences(path.read_text(encoding="utf-8"), label=str(path.relative_to(REPO)))
    ]
    assert found == []
