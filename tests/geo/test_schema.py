"""geo.schema: the data model as pydantic models, one per layer file name."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from geo.schema import (
    CONFIDENCES,
    CROSSING_STATUSES,
    LAYER_SCHEMAS,
    MEASURES,
    STATUSES,
    BorderProps,
    CrossingProps,
    FeatureProps,
    Milestone,
    Reported,
    schema_for,
)
from tests.conftest import SOURCE, make_feature

ALL_FILES = sorted(LAYER_SCHEMAS)


def test_statuses_and_confidences_are_the_documented_ones() -> None:
    assert set(STATUSES) == {"delimited", "disputed", "undetermined"}
    assert set(CONFIDENCES) == {"assessed", "reported", "claimed"}


def test_schema_is_picked_by_file_name_only() -> None:
    assert schema_for("borders.geojson").layer == "borders"
    assert schema_for("countries.geojson").layer == "base"
    assert schema_for("border_lines.geojson").layer == "base"
    assert schema_for("notes.geojson") is None
    assert schema_for("Borders.geojson") is None


@pytest.mark.parametrize("file_name", ALL_FILES)
def test_factory_feature_is_valid_for_every_layer(file_name: str) -> None:
    props = make_feature(file_name)["properties"]
    model = LAYER_SCHEMAS[file_name].props.model_validate(props)
    assert model.id == props["id"]


@pytest.mark.parametrize("file_name", ALL_FILES)
def test_unknown_property_is_rejected(file_name: str) -> None:
    props = make_feature(file_name)["properties"]
    props["confidance"] = "assessed"
    with pytest.raises(ValidationError, match="confidance"):
        LAYER_SCHEMAS[file_name].props.model_validate(props)


def _props(**changes: Any) -> dict[str, Any]:
    props = make_feature("places.geojson")["properties"]
    props.update(changes)
    return props


@pytest.mark.parametrize("fid", ["seg-01", "a", "0abc"])
def test_good_ids(fid: str) -> None:
    FeatureProps.model_validate(
        {k: v for k, v in _props(id=fid).items() if k in FeatureProps.model_fields}
    )


@pytest.mark.parametrize("fid", ["", "-a", "Seg", "a b", "a_b", "<script>"])
def test_bad_ids(fid: str) -> None:
    props = {k: v for k, v in _props(id=fid).items() if k in FeatureProps.model_fields}
    with pytest.raises(ValidationError, match="id"):
        FeatureProps.model_validate(props)


@pytest.mark.parametrize("value", ["2021-13-01", "2021-02-30", "21-01-01", "2021/01/01", 20210101])
def test_bad_dates_are_rejected(value: object) -> None:
    with pytest.raises(ValidationError, match="valid_from"):
        LAYER_SCHEMAS["places.geojson"].props.model_validate(_props(valid_from=value))


def test_dates_are_parsed_and_nulls_allowed() -> None:
    model = LAYER_SCHEMAS["places.geojson"].props.model_validate(
        _props(valid_from="2021-04-28", valid_to=None)
    )
    assert model.valid_from == dt.date(2021, 4, 28)
    assert model.valid_to is None


@pytest.mark.parametrize("valid_to", ["2021-04-28", "2021-04-27"])
def test_valid_to_must_follow_valid_from(valid_to: str) -> None:
    with pytest.raises(ValidationError, match="valid_to must be after valid_from"):
        LAYER_SCHEMAS["places.geojson"].props.model_validate(
            _props(valid_from="2021-04-28", valid_to=valid_to)
        )


def test_sources_must_not_be_empty() -> None:
    with pytest.raises(ValidationError, match="sources"):
        LAYER_SCHEMAS["places.geojson"].props.model_validate(_props(sources=[]))


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x", "file:///etc/passwd"])
def test_source_url_must_be_http(url: str) -> None:
    with pytest.raises(ValidationError, match="url"):
        LAYER_SCHEMAS["places.geojson"].props.model_validate(
            _props(sources=[{**SOURCE, "url": url}])
        )


def test_source_url_may_be_null() -> None:
    LAYER_SCHEMAS["places.geojson"].props.model_validate(_props(sources=[{**SOURCE, "url": None}]))


def test_source_date_may_be_null_when_there_is_a_url() -> None:
    LAYER_SCHEMAS["places.geojson"].props.model_validate(_props(sources=[{**SOURCE, "date": None}]))


def test_source_needs_a_date_or_a_url() -> None:
    """Issue 12: a source with neither cannot be found again."""
    with pytest.raises(ValidationError, match="date or a url"):
        LAYER_SCHEMAS["places.geojson"].props.model_validate(
            _props(sources=[{**SOURCE, "date": None, "url": None}])
        )


@pytest.mark.parametrize("title", ["", None])
def test_source_needs_a_title(title: str | None) -> None:
    with pytest.raises(ValidationError, match="title"):
        LAYER_SCHEMAS["places.geojson"].props.model_validate(
            _props(sources=[{**SOURCE, "title": title}])
        )


def _border(**changes: Any) -> dict[str, Any]:
    props = make_feature("borders.geojson")["properties"]
    props.update(changes)
    return props


def _entry(day: str, status: str) -> dict[str, Any]:
    return {"from": day, "status": status, "sources": [SOURCE]}


def test_unknown_status_is_rejected() -> None:
    with pytest.raises(ValidationError, match="status"):
        BorderProps.model_validate(_border(status_history=[_entry("2021-01-01", "agreed")]))


def test_status_history_must_be_sorted_without_repeats() -> None:
    unsorted = [_entry("2022-01-01", "delimited"), _entry("2021-01-01", "disputed")]
    repeated = [_entry("2021-01-01", "disputed"), _entry("2021-01-01", "delimited")]
    for bad in (unsorted, repeated):
        with pytest.raises(ValidationError, match="sorted"):
            BorderProps.model_validate(_border(status_history=bad))


def test_status_history_from_alias_is_parsed() -> None:
    model = BorderProps.model_validate(
        _border(
            status_history=[_entry("2021-01-01", "disputed"), _entry("2022-06-01", "delimited")]
        )
    )
    assert [e.from_ for e in model.status_history] == [dt.date(2021, 1, 1), dt.date(2022, 6, 1)]


def test_empty_status_history_is_rejected() -> None:
    with pytest.raises(ValidationError, match="status_history"):
        BorderProps.model_validate(_border(status_history=[]))


@pytest.mark.parametrize("pair", ["kgz-tjk", "KGZTJK", "KG-TJK"])
def test_border_pair_format(pair: str) -> None:
    with pytest.raises(ValidationError, match="border"):
        BorderProps.model_validate(_border(border=pair))


def test_counts_are_strict_non_negative_ints() -> None:
    schema = LAYER_SCHEMAS["enclaves.geojson"].props
    base = make_feature("enclaves.geojson")["properties"]
    for bad in (-1, "1000", 1000.5, True):
        with pytest.raises(ValidationError, match="population"):
            schema.model_validate({**base, "population": bad})
    assert schema.model_validate({**base, "population": None}).population is None


def test_milestone_reported_figures() -> None:
    item = {
        "date": "2021-10-05",
        "title": "519 of 984 km agreed",
        "border": "KGZ-TJK",
        "measure": "described",
        "reported": {"delimited_km": 519, "total_km": 984},
        "sources": [SOURCE],
    }
    assert Milestone.model_validate(item).reported == Reported(delimited_km=519, total_km=984)
    assert Milestone.model_validate({**item, "reported": None}).reported is None
    with pytest.raises(ValidationError, match="cannot exceed"):
        Milestone.model_validate({**item, "reported": {"delimited_km": 985, "total_km": 984}})


def test_milestone_measure_is_required_and_closed() -> None:
    item = {
        "date": "2025-09-25",
        "title": "107 km of barriers",
        "border": "KGZ-TJK",
        "reported": {"delimited_km": 107, "total_km": 1008.14},
        "sources": [SOURCE],
    }
    assert set(MEASURES) == {"described", "legal", "agreed", "demarcated"}
    with pytest.raises(ValidationError, match="measure"):
        Milestone.model_validate(item)
    with pytest.raises(ValidationError, match="measure"):
        Milestone.model_validate({**item, "measure": "fenced"})
    assert Milestone.model_validate({**item, "measure": "demarcated"}).measure == "demarcated"


def test_crossing_status_unknown_means_no_report_since() -> None:
    assert CROSSING_STATUSES == ("open", "restricted", "closed", "unknown")
    props = make_feature("crossings.geojson")["properties"]
    history = [
        {"from": "2011-08-16", "status": "open", "sources": [SOURCE]},
        {"from": "2021-07-05", "status": "unknown", "sources": [SOURCE]},
    ]
    model = CrossingProps.model_validate({**props, "status_history": history})
    assert [e.status for e in model.status_history] == ["open", "unknown"]
    with pytest.raises(ValidationError, match="status"):
        CrossingProps.model_validate(
            {**props, "status_history": [{**history[0], "status": "stale"}]}
        )
