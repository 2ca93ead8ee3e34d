"""The one line the reference pages (``bare_app.py``, ``controls_app.py``) draw."""

from __future__ import annotations

import folium


def reference_line(coords: list[list[float]], cls: str) -> folium.GeoJson:
    """A GeoJSON line whose SVG path carries the class ``cls`` (what the benchmark looks for)."""
    return folium.GeoJson(
        {
            "type": "Feature",
            "properties": {"name": cls},
            "geometry": {"type": "LineString", "coordinates": coords},
        },
        style_function=lambda _f: {"color": "#1f3b73", "weight": 3, "className": cls},
    )
