"""layers.labels: which names the map writes, from which zoom, and curated places winning."""

from __future__ import annotations

import datetime as dt

import pytest

from layers import load_frames
from layers.labels import LabelGroup, label_candidates, layer_labels

AS_OF = dt.date(2022, 9, 20)


@pytest.fixture(scope="module")
def frames():
    loaded, problems = load_frames()
    assert problems == []
    return loaded


def test_country_names_belong_to_the_basemap(frames):
    with_base = {lb.text for lb in label_candidates(frames, as_of=AS_OF) if lb.kind == "country"}
    assert {"Tajikistan", "Kyrgyzstan", "Uzbekistan", "Afghanistan"} <= with_base
    without = {k: v for k, v in frames.items() if k != "base"}
    assert not [lb for lb in label_candidates(without, as_of=AS_OF) if lb.kind == "country"]


def test_settlement_names_thin_out_by_zoom(frames):
    shown = {"settlements": frames["settlements"]}
    at = {
        z: {lb.text for lb in label_candidates(shown, as_of=AS_OF, zoom=z)} for z in (5, 7, 9, 11)
    }
    assert "Dushanbe" in at[5] and "Vorukh" not in at[5]
    assert "Khujand" in at[7]
    assert "Vorukh" in at[11] and "Vorukh" not in at[9]
    assert at[5] <= at[7] <= at[9] <= at[11]


def _first_of_each_group(labels):
    """What a placer shows with room for all: by priority, one label per non-empty group."""
    done, out = set(), []
    for lb in labels:
        if lb.group and lb.group in done:
            continue
        done.add(lb.group) if lb.group else None
        out.append(lb)
    return out


def test_curated_places_win_over_geonames_for_the_same_place(frames):
    shown = {"settlements": frames["settlements"], "places": frames["places"]}
    labels = label_candidates(shown, as_of=AS_OF)
    dushanbe = [lb for lb in labels if lb.text == "Dushanbe"]
    assert len(dushanbe) == 2 and dushanbe[0].group == dushanbe[1].group != ""
    assert [lb.kind for lb in _first_of_each_group(labels) if lb.text == "Dushanbe"] == ["capital"]
    curated = label_candidates({"places": frames["places"]}, as_of=AS_OF)
    winners = _first_of_each_group(labels)
    shared = {lb.group for lb in labels if lb not in curated} & {lb.group for lb in curated}
    assert len(shared) >= 10  # many GeoNames settlements are also curated places
    assert all(lb in curated for lb in winners if lb.group in shared)
    # Qal'ai Khumb (curated) replaces GeoNames "Qalaikhumb" (shared spelling "Kalai Khumb")
    texts = {lb.text for lb in winners}
    assert "Qal'ai Khumb" in texts and "Qalaikhumb" not in texts
    alone = {
        lb.text for lb in label_candidates({"settlements": frames["settlements"]}, as_of=AS_OF)
    }
    assert "Qalaikhumb" in alone  # without the places layer the GeoNames name shows


def test_a_layers_labels_do_not_depend_on_other_layers_being_drawn(frames):
    """The page draws one label group per layer: a settlement's label is the same whether or not
    the places layer is drawn, so toggling places never rebuilds the settlement labels."""
    every = layer_labels(frames, "settlements")
    assert every == layer_labels(dict(frames), "settlements")
    assert len(every) == len(frames["settlements"])


def test_labels_carry_their_features_validity(frames):
    labels = layer_labels(frames, "crossings")
    starts = {lb: lb.valid_from for lb in labels if lb.valid_from is not None}
    assert starts, "no crossing has a start date: pick a layer that has one"
    first = min(starts, key=starts.__getitem__)
    before = starts[first] - dt.timedelta(days=1)
    assert first.holds_on(starts[first]) and not first.holds_on(before)
    assert first not in label_candidates({"crossings": frames["crossings"]}, as_of=before)


def test_rivers_are_labelled_only_when_named(frames):
    labels = label_candidates({"rivers": frames["rivers"]}, as_of=AS_OF)
    assert {lb.text for lb in labels} == {
        name
        for name, named in zip(frames["rivers"]["name"], frames["rivers"]["named"], strict=True)
        if named
    }
    assert "Panj" in {lb.text for lb in labels}


def test_candidates_come_highest_priority_first(frames):
    labels = label_candidates(frames, as_of=AS_OF)
    priorities = [lb.priority for lb in labels]
    assert priorities == sorted(priorities, reverse=True)
    assert labels[0].kind == "country"


def test_label_text_is_escaped_once_for_the_page():
    from layers.labels import Label

    group = LabelGroup([Label("<b>x</b>'s", 70.0, 39.0, 10, "village", 11)])
    assert group.rows[0][0] == "&lt;b&gt;x&lt;/b&gt;&#x27;s"
