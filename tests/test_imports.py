"""Layering: geo/ never imports streamlit or folium; layers/ never imports streamlit.

Every ``.py`` file under each package is parsed with ``ast`` (nothing is imported or executed), so
an import hidden in a function body, a ``try`` block, or ``importlib.import_module("…")`` counts.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "geo": {"streamlit", "streamlit_folium", "folium", "branca"},
    "layers": {"streamlit", "streamlit_folium"},
}


def imported_roots(source: str) -> set[str]:
    """Top-level module names a source imports (statements and import_module/__import__ calls)."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if name in {"import_module", "__import__"} and isinstance(first, ast.Constant):
                roots.add(str(first.value).split(".")[0])
    return roots


def test_checker_finds_every_kind_of_import() -> None:
    source = (
        "import streamlit as st\n"
        "from folium.plugins import Search\n"
        "def f():\n    import branca.element\n"
        "try:\n    import streamlit_folium\nexcept ImportError:\n    pass\n"
        "import importlib\nimportlib.import_module('plotly.express')\n"
        "__import__('altair')\n"
        "from . import sibling\n"
    )
    assert imported_roots(source) == {
        "streamlit",
        "folium",
        "branca",
        "streamlit_folium",
        "importlib",
        "plotly",
        "altair",
    }


def _package_files(package: str) -> list[Path]:
    files = sorted((REPO / package).rglob("*.py"))
    assert files, f"no Python files found under {package}/"
    return files


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_ui_frameworks(package: str) -> None:
    offenders = {}
    for path in _package_files(package):
        bad = imported_roots(path.read_text(encoding="utf-8")) & FORBIDDEN[package]
        if bad:
            offenders[str(path.relative_to(REPO))] = sorted(bad)
    assert offenders == {}


def test_the_packages_cover_the_documented_modules() -> None:
    geo = {p.relative_to(REPO / "geo").as_posix() for p in _package_files("geo")}
    layers = {p.name for p in _package_files("layers")}
    assert {"io.py", "schema.py", "validate/__init__.py", "timeline.py", "measure.py"} <= geo
    assert {"styles.py", "_html.py", "borders.py", "mapview.py", "urlstate.py"} <= layers
