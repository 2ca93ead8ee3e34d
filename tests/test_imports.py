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


# --- the page: streamlit only in app.py and ui/, public layers API only, no patching ----------

PAGE_FILES = [REPO / "app.py", *sorted((REPO / "ui").rglob("*.py"))]
OWN_ROOTS = {"geo", "layers", "ui", "tests", "tools", "bench", "app"}


def _private_layer_imports(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        found |= {n for n in names if n.startswith("layers.") and "._" in n}
    return found


def test_page_uses_only_public_layer_modules() -> None:
    offenders = {
        str(p.relative_to(REPO)): sorted(_private_layer_imports(p.read_text(encoding="utf-8")))
        for p in PAGE_FILES
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert _private_layer_imports("from layers._draw import ViewOptions\n") == {
        "layers._draw",
        "layers._draw.ViewOptions",
    }


def test_only_the_page_imports_streamlit() -> None:
    page = {p.resolve() for p in PAGE_FILES}
    offenders = [
        str(p.relative_to(REPO))
        for package in ("geo", "layers", "tools")
        for p in sorted((REPO / package).rglob("*.py"))
        if p.resolve() not in page
        and imported_roots(p.read_text(encoding="utf-8")) & {"streamlit", "streamlit_folium"}
    ]
    assert offenders == []


def _module_attribute_assignments(source: str) -> list[str]:
    """``mod.attr = …`` (or ``setattr(mod, …)``) where ``mod`` is an imported third-party module."""
    tree = ast.parse(source)
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in OWN_ROOTS:
                    modules.add(alias.asname or alias.name.split(".")[0])
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.level == 0
            and node.module.split(".")[0] not in OWN_ROOTS
        ):
            modules.update(alias.asname or alias.name for alias in node.names)
    hits = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "setattr":
            targets = node.args[:1]
        for target in targets:
            base = target.value if isinstance(target, ast.Attribute) else target
            if isinstance(base, ast.Name) and base.id in modules:
                hits.append(ast.unparse(target))
    return hits


def test_no_third_party_module_is_patched() -> None:
    assert _module_attribute_assignments(
        "import streamlit_folium\nstreamlit_folium._get_feature_group_string = f\n"
    ) == ["streamlit_folium._get_feature_group_string"]
    assert _module_attribute_assignments("import folium\nm = folium.Map()\nm._id = 'div'\n") == []
    offenders = {}
    for package in ("app.py", "ui", "layers", "geo", "tools"):
        paths = (
            [REPO / package] if package.endswith(".py") else sorted((REPO / package).rglob("*.py"))
        )
        for path in paths:
            hits = _module_attribute_assignments(path.read_text(encoding="utf-8"))
            if hits:
                offenders[str(path.relative_to(REPO))] = hits
    assert offenders == {}
