"""A small offline map using every vendored plugin: shared by the harness app and export tests."""

from __future__ import annotations

import folium
import folium.plugins

from layers.assets import blank_tile_layer, localize

LINE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"id": "demo-line", "name": "Demo border segment"},
            "geometry": {
                "type": "LineString",
                "coordinates": [[69.0, 38.0], [70.0, 38.6], [71.0, 39.2]],
            },
        }
    ],
}


def build_map(*, with_popup: bool = False) -> folium.Map:
    """Map with no tiles, one GeoJSON line and the plugins; ``with_popup`` adds a folium.Popup."""
    fmap = folium.Map(location=[38.6, 70.0], zoom_start=7, tiles=None)
    line = folium.GeoJson(
        LINE,
        name="demo",
        style_function=lambda _f: {
            "color": "#444444",
            "weight": 4,
            "className": "fa-layer-borders fa-status-disputed",
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"]),
    ).add_to(fmap)
    folium.plugins.MeasureControl().add_to(fmap)
    folium.plugins.MiniMap(tile_layer=blank_tile_layer()).add_to(fmap)
    folium.plugins.Fullscreen().add_to(fmap)
    folium.plugins.Search(layer=line, search_label="name").add_to(fmap)
    if with_popup:
        folium.CircleMarker(
            [38.6, 70.0],
            radius=12,
            fill=True,
            class_name="fa-layer-events",
            popup=folium.Popup("popup-body", max_width=200),
        ).add_to(fmap)
    return localize(fmap)
