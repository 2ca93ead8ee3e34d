"""The Streamlit page, driven headless with ``streamlit.testing.v1.AppTest``.

The app reads ``geo.catalog.DATA_DIR``; the tests point it at the small fixture folder of
tests/conftest.py (``build_data_dir``), so they do not depend on the shipped data being written
elsewhere; one smoke test runs the page on the shipped folder. ``st.cache_data`` is cleared
before and after every test so no frame leaks between data folders.

Every combination of the 8 layer checkboxes and 3 status checkboxes would be 2^8 × 2^3 = 2048
reruns. Instead ``test_checkbox_combinations`` runs ALL 8 status combinations for a covering set
of 38 layer combinations: all off, all on, each layer alone (8) and every pair of layers (28),
i.e. 304 reruns. After each rerun it checks the map payload sent to the browser: a layer's
``fa-layer-<id>`` class is present exactly when its box is ticked; the borders are drawn in every
status, and the layer manager is told to keep a status's lines and casings off the map
(``hide``) exactly when the borders layer is ticked and that status is not (the browser side of
``hide`` is tested in tests/browser/test_layer_manager.py and tests/browser/test_map.py).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import geo.catalog
from geo.schema import STATUSES
from layers import DYNAMIC_LAYERS, LAYER_IDS
from tests.apptest_page import settled
from tests.conftest import make_feature, write_geojson

APP = Path(__file__).resolve().parents[1] / "app.py"
GENERATED = APP.parent / "static" / "generated"
AS_OF = "2021-10-15"  # the fixture draws something in every layer and every status on this day


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def use_data(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    def point_at(root: Path) -> None:
        monkeypatch.setattr(geo.catalog, "DATA_DIR", root)

    return point_at


@pytest.fixture
def app(fixture_data_dir: Path, use_data: Callable[[Path], None]) -> Callable[..., AppTest]:
    """A factory: an AppTest on the fixture data, opened with the given URL query, already run."""
    use_data(fixture_data_dir)

    def open_page(**query: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return settled(at)

    return open_page


def map_payload(at: AppTest) -> dict[str, Any]:
    """The arguments the streamlit-folium component receives (static script, dynamic groups)."""
    found = []

    def walk(node: Any) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                proto = getattr(child, "proto", None)
                if proto is not None and hasattr(proto, "json_args") and proto.json_args:
                    args = json.loads(proto.json_args)
                    if "feature_group" in args:
                        found.append(args)
                walk(child)

    walk(at._tree)
    assert len(found) == 1, "expected exactly one map on the page"
    args = found[0]
    # the groups kept ready for layers switched off are not drawn: kept apart as "spare" (a page
    # without the layer manager, such as bench's reference pages, has none)
    spare = re.search(r"  var spare = \[\n(.*?)\n?  \];\n", args["feature_group"], re.DOTALL)
    args["spare"] = spare.group(1) if spare else ""
    if spare:
        args["feature_group"] = args["feature_group"].replace(spare.group(0), "")
    # ui.map_seam serves the group scripts as files the browser fetches: read those same files
    served = [
        (GENERATED / url.removeprefix("/app/static/generated/")).read_text(encoding="utf-8")
        for url in re.findall(
            r'"(/app/static/generated/layers/layer-[0-9a-f]+\.js)"', args["feature_group"]
        )
    ]
    args["feature_group"] = "\n".join([args["feature_group"], *served])
    return args


def _set(at: AppTest, layers: set[str], statuses: set[str]) -> None:
    for layer_id in LAYER_IDS:
        at.checkbox(key=f"fa_layer_{layer_id}").set_value(layer_id in layers)
    for status in STATUSES:
        at.checkbox(key=f"fa_status_{status}").set_value(status in statuses)


def hidden_classes(groups: str) -> dict[str, list[str]]:
    """The layer manager's ``hide``: group id -> classes the browser keeps off the map."""
    found = re.search(r"lm\.hide = (\{.*?\});", groups)
    assert found, "the layer manager's hide map is not in the payload"
    hide: dict[str, list[str]] = json.loads(found.group(1))
    return hide


def _check_map(at: AppTest, layers: set[str], statuses: set[str]) -> None:
    groups = drawn(at)
    hide = hidden_classes(groups)
    hide_json = re.search(r"lm\.hide = \{.*?\};", groups)
    assert hide_json
    lines = groups.replace(hide_json.group(0), "")  # the features drawn, not the classes hidden
    for layer_id in DYNAMIC_LAYERS:
        expected = layer_id in layers
        assert (f"fa-layer-{layer_id}" in lines) == expected, (layer_id, layers, statuses)
    for status in STATUSES:
        has_borders = "borders" in layers
        assert (f"fa-status-{status}" in lines) == has_borders, (status, layers, statuses)
        off = status not in statuses
        for cls in (f"fa-status-{status}", f"fa-casing-status-{status}"):
            hidden = cls in hide.get("borders", [])
            # drawn borders hide exactly the statuses switched off; spare borders (switched off
            # earlier) hide them too, ready for the borders switch
            assert hidden == off if has_borders else (not hidden or off), (cls, layers, statuses)
    assert set(hide) <= {"borders"}
    base_hidden = "false" if "base" in layers else "true"
    assert f'"fa-hide-base", {base_hidden}' in groups


def drawn(at: AppTest) -> str:
    """The dynamic groups' scripts without the switch effects (which name every switch's groups
    and classes, drawn or not)."""
    return re.sub(r"var fx = .*?;\n", "", map_payload(at)["feature_group"])


def spare_groups(at: AppTest) -> dict[str, str]:
    """The groups the map frame keeps ready for layers switched off: id -> digest."""
    return dict(re.findall(r'\{id: "([^"]+)", digest: "([0-9a-f]+)"', map_payload(at)["spare"]))


def switch_effects(groups: str) -> dict[str, Any]:
    """The layer manager's ``SwitchEffects`` as the browser reads them."""
    found = re.search(r"var fx = (.*?);\n", groups)
    assert found, "the layer manager's switch effects are not in the payload"
    effects: dict[str, Any] = json.loads(found.group(1))
    return effects


# --- page basics -------------------------------------------------------------------------------


def test_the_map_frame_is_the_same_on_every_rerun(app: Callable[..., AppTest]) -> None:
    """A frame script that differs between reruns is sent again on every toggle and pan (and a
    different one would remount the map): every element id in it must be stable."""
    at = app()
    first = map_payload(at)
    at.checkbox(key="fa_layer_crossings").set_value(not at.checkbox(key="fa_layer_crossings").value)
    at.run()
    again = map_payload(at)
    assert again["script"] == first["script"]
    assert "window.faLoad(" in first["script"]  # the tools that load after the first paint


def test_page_runs_without_exception_or_errors(app: Callable[..., AppTest]) -> None:
    at = app()
    assert not at.exception
    assert [e.value for e in at.error] == []
    assert [w.value for w in at.warning] == []
    assert at.date_input(key="fa_date").value == dt.date.today()
    for layer_id in LAYER_IDS:
        assert at.checkbox(key=f"fa_layer_{layer_id}") is not None
    for status in STATUSES:
        assert at.checkbox(key=f"fa_status_{status}").value is True
    assert at.slider(key="fa_window").value == 90


def test_page_runs_on_the_shipped_data_folder() -> None:
    at = settled(AppTest.from_file(str(APP), default_timeout=60))
    assert not at.exception
    assert at.button(key="fa_story_add") is not None


PANEL_KEYS = ("fa_overlay", "fa_view_dl", "fa_export_go", "fa_story_add", "fa_chart")
"""One widget of each panel."""


def _keys(at: AppTest) -> set[str]:
    return {
        str(w.key)
        for kind in ("button", "download_button", "toggle", "file_uploader")
        for w in at.get(kind)
    }


def test_the_first_run_sends_the_map_controls_and_panels_and_the_next_keeps_the_frame(
    fixture_data_dir: Path, use_data: Callable[[Path], None]
) -> None:
    """A session's first run draws everything: no run asks for another (``st.rerun`` from the
    map region's fragment let the browser forget the switches' values); the run the map's first
    view report starts changes neither the panels nor the map's frame."""
    use_data(fixture_data_dir)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.checkbox(key="fa_layer_crossings") is not None  # the controls are there
    assert at.date_input(key="fa_date") is not None
    assert set(PANEL_KEYS) <= _keys(at)
    first = map_payload(at)
    at.run()
    assert not at.exception
    assert set(PANEL_KEYS) <= _keys(at)
    assert map_payload(at) == first  # the same frame: the map is not remounted


def test_url_date_sets_the_date_widgets(app: Callable[..., AppTest]) -> None:
    at = app(date=AS_OF)
    assert not at.exception
    assert at.date_input(key="fa_date").value == dt.date(2021, 10, 15)
    assert at.slider(key="fa_date_slider").value == dt.date(2021, 10, 15)
    assert at.query_params["date"] == AS_OF


def test_url_layers_and_status_set_the_checkboxes(app: Callable[..., AppTest]) -> None:
    at = app(date=AS_OF, layers="borders,events", status="disputed")
    assert not at.exception
    for layer_id in LAYER_IDS:
        assert at.checkbox(key=f"fa_layer_{layer_id}").value == (layer_id in {"borders", "events"})
    for status in STATUSES:
        assert at.checkbox(key=f"fa_status_{status}").value == (status == "disputed")
    _check_map(at, {"borders", "events"}, {"disputed"})


@pytest.mark.parametrize(
    "query",
    [
        {"date": "2021-02-30"},
        {"date": "garbage"},
        {"lat": "999"},
        {"z": "abc"},
        {"layers": "borders,unicorns"},
        {"feature": "<script>alert(1)</script>"},
    ],
    ids=lambda q: "-".join(f"{k}={v}" for k, v in q.items()),
)
def test_malformed_url_shows_a_warning_and_the_page_still_runs(
    app: Callable[..., AppTest], query: dict[str, str]
) -> None:
    at = app(**query)
    assert not at.exception
    (warning,) = at.warning
    (key,) = query
    assert repr(key) in warning.value
    assert at.date_input(key="fa_date").value == dt.date.today()
    assert map_payload(at)["feature_group"]  # the map is still drawn


def test_several_malformed_url_values_give_one_warning_each(app: Callable[..., AppTest]) -> None:
    at = app(date="2021-13-01", lat="999", z="abc", feature="<script>")
    assert not at.exception
    assert len(at.warning) == 4


@pytest.mark.parametrize(
    "query",
    [
        {"feature": "![x](https://evil.example/pixel.png)"},
        {"layers": "[click](https://evil.example/phish)"},
        {"![x](https://evil.example/pixel.png)": "1"},
    ],
    ids=["value-image", "value-link", "key-image"],
)
def test_url_text_echoed_in_a_warning_is_not_live_markdown(
    app: Callable[..., AppTest], query: dict[str, str]
) -> None:
    """st.warning renders Markdown: a crafted link must not make the page load or link elsewhere."""
    at = app(**query)
    assert not at.exception
    (warning,) = at.warning
    assert "](" not in warning.value
    assert "![" not in warning.value


def test_broken_data_file_shows_an_error_and_the_page_still_runs(
    fixture_data_dir: Path, app: Callable[..., AppTest]
) -> None:
    write_geojson(
        fixture_data_dir / "places.geojson",
        make_feature("places.geojson", id="pl-ok"),
        make_feature("places.geojson", id="pl-bad", kind="metropolis"),
    )
    at = app(date=AS_OF)
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "places.geojson" in errors[0] and "'pl-bad'" in errors[0] and "kind" in errors[0]


def test_data_text_echoed_in_an_error_is_not_live_markdown(
    fixture_data_dir: Path, app: Callable[..., AppTest]
) -> None:
    """st.error renders Markdown and problem lines quote the file's own (untrusted) text."""
    bad = make_feature("places.geojson", kind="![x](https://evil.example/pixel.png)")
    bad["properties"]["id"] = "![y](https://evil.example/pixel.png)"
    write_geojson(fixture_data_dir / "places.geojson", bad)
    at = app(date=AS_OF)
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors, "the broken file must be reported"
    for body in errors:
        assert "](" not in body
        assert "![" not in body


def test_missing_data_files_show_errors_and_the_page_still_runs(
    tmp_path: Path, use_data: Callable[[Path], None]
) -> None:
    use_data(tmp_path)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception
    assert len(at.error) >= 1


def test_embed_mode_hides_the_controls(app: Callable[..., AppTest]) -> None:
    at = app(mode="embed", date=AS_OF)
    assert not at.exception
    assert len(at.sidebar.checkbox) == 0
    assert map_payload(at)["feature_group"]


def test_compare_mode_runs_and_lists_changes(app: Callable[..., AppTest]) -> None:
    at = app(date=AS_OF, compare="2021-02-01")
    assert not at.exception
    assert at.toggle(key="fa_compare_on").value is True
    assert at.date_input(key="fa_compare").value == dt.date(2021, 2, 1)
    # seg-c appears on 2021-03-01 in the fixture, between the two dates.
    changes = [d for d in at.dataframe if "place" not in d.value.columns]  # not the lately list
    assert len(changes) == 1


# --- toggling ------------------------------------------------------------------------------------

_LAYER_COMBOS: list[frozenset[str]] = [
    frozenset(),
    frozenset(LAYER_IDS),
    *(frozenset({layer_id}) for layer_id in LAYER_IDS),
    *(frozenset(pair) for pair in itertools.combinations(LAYER_IDS, 2)),
]
_STATUS_COMBOS: list[frozenset[str]] = [
    frozenset(c) for n in range(len(STATUSES) + 1) for c in itertools.combinations(STATUSES, n)
]


def test_covering_set_sizes() -> None:
    assert len(_LAYER_COMBOS) == len(set(_LAYER_COMBOS)) == 2 + 10 + 45  # 10 layers: singles, pairs
    assert len(_STATUS_COMBOS) == len(set(_STATUS_COMBOS)) == 8


@pytest.mark.parametrize("layers", _LAYER_COMBOS, ids=lambda s: "+".join(sorted(s)) or "none")
def test_checkbox_combinations(app: Callable[..., AppTest], layers: frozenset[str]) -> None:
    at = app(date=AS_OF)
    for statuses in _STATUS_COMBOS:
        _set(at, set(layers), set(statuses))
        at.run()
        assert not at.exception, (sorted(layers), sorted(statuses))
        _check_map(at, set(layers), set(statuses))


def test_moving_the_date_and_window_keeps_running(app: Callable[..., AppTest]) -> None:
    at = app(date=AS_OF)
    at.date_input(key="fa_date").set_value(dt.date(2021, 1, 1)).run()
    assert not at.exception
    assert at.slider(key="fa_date_slider").value == dt.date(2021, 1, 1)
    groups = drawn(at)
    # On 2021-01-01 the fixture's seg-c (from 2021-03-01) and the autumn events do not exist yet.
    assert "fa-status-undetermined" not in groups
    assert "fa-layer-events" not in groups
    at.slider(key="fa_window").set_value(730).run()
    assert not at.exception


# --- freshness -----------------------------------------------------------------------------------


def test_stale_features_are_counted_drawn_and_switchable(app: Callable[..., AppTest]) -> None:
    """Every fixture source is dated 2021-05-01: on 2022-06-01 (396 days on) every lasting feature
    is stale; on 2021-10-15 none is."""
    at = app(date=AS_OF)
    assert "fa-stale" not in drawn(at)
    assert any(c.value.startswith("0 of 6 lasting features") for c in at.caption)
    at = app(date="2022-06-01")
    groups = drawn(at)
    assert "fa-stale" in groups and "fa-layer-enclaves" in groups
    # seg-a, seg-b, seg-c (until 2023), encl-1, dep-1, cr-1
    assert any(c.value.startswith("6 of 6 lasting features") for c in at.caption)
    at.toggle(key="fa_stale").set_value(False).run()
    assert not at.exception
    groups = drawn(at)
    assert "fa-stale" not in groups
    for layer_id in ("borders", "enclaves", "deployments", "crossings"):
        assert f"fa-layer-{layer_id}" not in groups, layer_id


@pytest.mark.parametrize(
    "query",
    [
        {"date": "x https://evil.example/login"},
        {"feature": "www.evil.example"},
        {"z": "admin@evil.example"},
    ],
    ids=["url", "www", "email"],
)
def test_url_text_in_a_warning_never_becomes_a_link(
    app: Callable[..., AppTest], query: dict[str, str]
) -> None:
    """Issue 14: Streamlit's Markdown autolinks addresses; the notice must not contain one."""
    at = app(**query)
    (warning,) = at.warning
    assert not re.search(r"(?i)(https?://|www\.)[-.\w]", warning.value)
    assert not re.search(r"[-.\w+]+@[-\w]+(\.[-\w]+)+", warning.value)
    assert "evil" in warning.value  # the text is still shown


def test_three_hundred_unknown_url_parameters_give_one_warning(
    app: Callable[..., AppTest],
) -> None:
    at = app(**{f"p{i}": "1" for i in range(300)})
    assert not at.exception
    assert len(at.warning) == 1


def test_the_switches_the_map_frame_acts_on_are_the_sidebars_checkboxes(
    app: Callable[..., AppTest],
) -> None:
    """The map frame finds a clicked switch by its widget's key class (``st-key-<key>``): every
    name it knows is a checkbox on the page, every layer switch but the basemap's is known, and
    a switch hides exactly the groups its layer draws."""
    at = app()
    at.run()  # the run the map's first view report starts
    fx = switch_effects(map_payload(at)["feature_group"])
    keys = {box.key for box in at.checkbox}
    named = {name.removeprefix("st-key-") for name in [*fx["groups"], *fx["classes"]]}
    assert named <= keys
    assert named == {f"fa_layer_{i}" for i in LAYER_IDS if i != "base"} | {
        f"fa_status_{s}" for s in STATUSES
    }
    assert fx["groups"]["st-key-fa_layer_crossings"] == ["crossings", "labels-crossings"]
    assert fx["classes"]["st-key-fa_status_disputed"] == [
        "fa-status-disputed",
        "fa-casing-status-disputed",
    ]
    assert fx["classGroups"] == ["borders"]
    assert set(fx["order"]) >= {g for ids in fx["groups"].values() for g in ids}
    era = fx["era"]
    at.checkbox(key="fa_layer_crossings").uncheck().run()
    assert switch_effects(map_payload(at)["feature_group"])["era"] == era  # switches: same era
    at.toggle(key="fa_stale").set_value(False).run()
    assert switch_effects(map_payload(at)["feature_group"])["era"] != era  # another drawing


def test_a_layer_switched_off_is_kept_ready_for_the_new_date(app: Callable[..., AppTest]) -> None:
    """A layer the session drew and switched off comes with the map as spare groups (its group
    and its labels, drawn for the map's date), until it is switched on again; a layer never
    drawn (Places, off by default) does not."""
    at = app(date=AS_OF)
    at.run()  # the run the map's first view report starts
    assert spare_groups(at) == {}
    at.checkbox(key="fa_layer_crossings").uncheck().run()
    off = spare_groups(at)
    assert set(off) == {"crossings", "labels-crossings"}
    at.slider(key="fa_date_slider").set_value(dt.date(2022, 6, 1)).run()
    moved = spare_groups(at)
    assert set(moved) == set(off) and moved["crossings"] != off["crossings"]  # the new date's
    assert "fa-layer-crossings" not in drawn(at)
    at.checkbox(key="fa_layer_crossings").check().run()
    assert spare_groups(at) == {}
    assert f'digest: "{moved["crossings"]}"' in drawn(at)  # what the switch built is what's wanted
