"""layers._element: our elements render as branca's do, without a second template pass."""

from __future__ import annotations

import folium
from branca.element import Figure, MacroElement
from jinja2 import Template

from layers._element import PlainGroup, PlainParts

_PARTS = Template(
    """
    {% macro header(this, kwargs) %}<style>.{{ this.css }} { color: red; }</style>{% endmacro %}
    {% macro html(this, kwargs) %}<div class="{{ this.css }}">{{ this.text }}</div>{% endmacro %}
    {% macro script(this, kwargs) %}console.log({{ this.text|tojson }});{% endmacro %}
    """
)


class _Branca(MacroElement):
    _template = _PARTS

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name, self.css, self.text = "Parts", "fa-x", text


class _Ours(PlainParts):
    _template = _PARTS

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name, self.css, self.text = "Parts", "fa-x", text


def _page(element: MacroElement) -> str:
    fmap = folium.Map(tiles=None)
    Figure().add_child(fmap)
    fmap._id, element._id = "fixedmap", "fixedelement"
    fmap.add_child(element)
    return str(fmap.get_root().render())


def test_header_html_and_script_come_out_as_brancas() -> None:
    ours = _page(_Ours("Vorukh"))
    assert ours == _page(_Branca("Vorukh"))
    assert "<style>.fa-x" in ours and '<div class="fa-x">Vorukh</div>' in ours
    assert 'console.log("Vorukh");' in ours


def test_rendered_text_is_not_rendered_again() -> None:
    page = _page(_Ours("{{ 7 * 7 }}"))
    assert '<div class="fa-x">{{ 7 * 7 }}</div>' in page and "49" not in page


def test_a_plain_group_renders_as_a_feature_group() -> None:
    def page(group: folium.FeatureGroup) -> str:
        folium.CircleMarker([38.5, 69.0], radius=4).add_to(group)
        for n, child in enumerate(group._children.values()):
            child._id = f"child{n}"
        return _page(group)

    assert page(PlainGroup(name="g", control=False)) == page(
        folium.FeatureGroup(name="g", control=False)
    )
