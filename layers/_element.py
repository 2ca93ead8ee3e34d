"""Branca elements whose rendered parts are kept as text, not compiled as templates again.

branca's ``MacroElement.render`` wraps the header, html and script parts an element renders in
``Element(text)``, and ``Element`` compiles its text as a Jinja template, which the page renders
again when it is put together. That second pass costs a compile per element on every render
(the whole data of an inline GeoJSON layer is lexed), and it would read any ``{{ }}`` in data
text as template code. Every element of ours derives from ``PlainParts`` instead.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element, Figure, MacroElement


class RenderedText(Element):
    """A part of the page branca has already rendered, kept as the text it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RenderedText"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text, as rendered."""
        return self.text


class PlainParts(MacroElement):
    """Renders like branca's ``MacroElement`` but keeps each rendered part as text.

    branca wraps the header, html and script an element renders in ``Element(text)``, which
    compiles the text as a Jinja template and renders it again when the page is put together.
    For a GeoJSON layer that text holds all its data: lexing it was about half the time of
    drawing a dated layer for a new date. The page comes out the same, one template pass
    fewer. Derive from it instead of ``MacroElement``; with a folium class, mix it in after
    that class (``class X(folium.GeoJson, PlainParts)``), so the folium class's own ``render``
    runs first and ends here.
    """

    def render(self, **kwargs: Any) -> str:
        """Add this element's rendered parts to the figure, then render its children (the
        parts go to the figure: nothing is returned in place, as with branca's)."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{self.get_name()} must be inside a Figure to be rendered")
        module = self._template.module.__dict__
        for part, where in (
            ("header", figure.header),
            ("html", figure.html),
            ("script", figure.script),
        ):
            macro = module.get(part)
            if macro is not None:
                where.add_child(RenderedText(str(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
        return ""


class PlainGroup(folium.FeatureGroup, PlainParts):
    """A ``folium.FeatureGroup`` rendered through ``PlainParts``."""
