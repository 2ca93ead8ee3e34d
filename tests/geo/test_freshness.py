"""geo.freshness and ``python -m geo freshness``: last confirmed dates, staleness, the JSON list.

The CLI is checked against an independent computation written here from the docs/DESIGN.md rule (read
the GeoJSON with ``json``, find the entry in force by hand, take the latest source date on or
before the day), on the shipped data and on a small folder whose answers are worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from geo.__main__ import main
from geo.catalog import DATA_DIR
from geo.freshness import (
    LASTING_LAYERS,
    STALE_AFTER_DAYS,
    freshness,
    is_stale,
    last_confirmed,
    source_date,
)
from geo.schema import LAYER_SCHEMAS
from layers import episodic_layers
from tests.conftest import SOURCE, make_feature, write_geojson

D = dt.date
LASTING_FILES = ("borders", "crossings", "deployments", "enclaves")


def src(day: str | None) -> dict[str, Any]:
    return {**SOURCE, "date": day}


# --- an independent computation from the files --------------------------------------------------


def expected_rows(data_dir: Path, day: str, older_than: int | None = None) -> list[dict[str, Any]]:
    """The rule computed by hand: ISO text compares like dates, so no parsing library is used."""
    out = []
    for layer in LASTING_FILES:
        doc = json.loads((data_dir / f"{layer}.geojson").read_text(encoding="utf-8"))
        for feature in doc["features"]:
            p = feature["properties"]
            if p["valid_from"] is not None and p["valid_from"] > day:
                continue
            if p["valid_to"] is not None and p["valid_to"] <= day:
                continue
            sources = p["sources"]
            if "status_history" in p:
                current = None
                for entry in p["status_history"]:
                    if entry["from"] <= day:
                        current = entry
                if current is None:
                    continue  # not drawn before its history starts
                sources = current["sources"]
            dates = [s["date"] for s in sources if s["date"] is not None and s["date"] <= day]
            latest = max(dates) if dates else None
            age = None if latest is None else (D.fromisoformat(day) - D.fromisoformat(latest)).days
            if older_than is not None and age is not None and age <= older_than:
                continue
            out.append({"id": p["id"], "layer": layer, "last_confirmed": latest, "age_days": age})
    return out


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    assert main(["freshness", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def assert_oldest_first(rows: list[dict[str, Any]]) -> None:
    never = [r for r in rows if r["last_confirmed"] is None]
    dated = [r for r in rows if r["last_confirmed"] is not None]
    assert rows == never + dated, "never-confirmed rows come first"
    ages = [r["age_days"] for r in dated]
    assert ages == sorted(ages, reverse=True)


@pytest.mark.parametrize("day", ["2021-06-01", "2022-09-20", "2025-03-13", "2026-11-30"])
def test_cli_agrees_with_hand_computation_on_shipped_data(
    day: str, capsys: pytest.CaptureFixture[str]
) -> None:
    got = run_cli(capsys, "--date", day)
    want = expected_rows(DATA_DIR, day)
    assert got, "the shipped data has lasting features on every one of these days"
    key = lambda r: (r["layer"], r["id"])  # noqa: E731
    assert sorted(got, key=key) == sorted(want, key=key)
    assert_oldest_first(got)


def test_cli_older_than_agrees_with_hand_computation_on_shipped_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    got = run_cli(capsys, "--date", "2026-11-30", "--older-than", "365")
    want = expected_rows(DATA_DIR, "2026-11-30", older_than=365)
    key = lambda r: (r["layer"], r["id"])  # noqa: E731
    assert sorted(got, key=key) == sorted(want, key=key)
    assert got and all(r["age_days"] is None or r["age_days"] > 365 for r in got)


# --- a small folder with answers worked out by hand ---------------------------------------------


@pytest.fixture
def known_dir(fixture_data_dir: Path) -> Path:
    """Crossing ``cr-x``: entry 2021 (source 2021-05-01), entry 2024-01-01 (sources 2024-02-01 and
    undated); feature sources dated 2026-01-01 (must not count while an entry is in force).
    Deployment ``dep-x``: sources 2020-01-01 and 2027-01-01 (future for 2024). Deployment
    ``dep-never``: one undated source. Deployment ``dep-gone``: ended 2023-01-01. Border ``seg-a``:
    and ``seg-b``: sources 2021-05-01 (conftest). Enclave ``encl-1``: source 2021-05-01 (conftest)."""
    write_geojson(
        fixture_data_dir / "crossings.geojson",
        make_feature(
            "crossings.geojson",
            id="cr-x",
            sources=[src("2026-01-01")],
            status_history=[
                {"from": "2021-01-01", "status": "open", "sources": [src("2021-05-01")]},
                {
                    "from": "2024-01-01",
                    "status": "closed",
                    "sources": [src("2024-02-01"), src(None)],
                },
            ],
        ),
    )
    write_geojson(
        fixture_data_dir / "deployments.geojson",
        make_feature(
            "deployments.geojson", id="dep-x", sources=[src("2020-01-01"), src("2027-01-01")]
        ),
        make_feature("deployments.geojson", id="dep-never", sources=[src(None)]),
        make_feature(
            "deployments.geojson",
            id="dep-gone",
            valid_to="2023-01-01",
            sources=[src("2022-12-01")],
        ),
    )
    return fixture_data_dir


def test_known_answers_on_2024_06_01(known_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    got = run_cli(capsys, "--date", "2024-06-01", "--data", str(known_dir))
    assert got == [
        {"id": "dep-never", "layer": "deployments", "last_confirmed": None, "age_days": None},
        {"id": "dep-x", "layer": "deployments", "last_confirmed": "2020-01-01", "age_days": 1613},
        {"id": "seg-a", "layer": "borders", "last_confirmed": "2021-05-01", "age_days": 1127},
        {"id": "seg-b", "layer": "borders", "last_confirmed": "2021-05-01", "age_days": 1127},
        {"id": "encl-1", "layer": "enclaves", "last_confirmed": "2021-05-01", "age_days": 1127},
        {"id": "cr-x", "layer": "crossings", "last_confirmed": "2024-02-01", "age_days": 121},
    ]
    key = lambda r: (r["layer"], r["id"])  # noqa: E731
    assert sorted(got, key=key) == sorted(expected_rows(known_dir, "2024-06-01"), key=key)


def test_known_answers_on_2023_12_31_use_the_earlier_entry(
    known_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = {r["id"]: r for r in run_cli(capsys, "--date", "2023-12-31", "--data", str(known_dir))}
    assert rows["cr-x"]["last_confirmed"] == "2021-05-01"
    assert "dep-gone" not in rows
    assert "seg-b" in rows and "seg-c" not in rows  # seg-c ended on 2023-01-01


def test_known_answers_with_older_than(known_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    got = run_cli(capsys, "--date", "2024-06-01", "--older-than", "1127", "--data", str(known_dir))
    assert [r["id"] for r in got] == ["dep-never", "dep-x"]
    assert sorted(got, key=str) == sorted(
        expected_rows(known_dir, "2024-06-01", older_than=1127), key=str
    )


def test_cli_bad_arguments_exit_2_with_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--date", "2024-13-01"], ["--date", "2024-01-01", "--older-than", "-1"], []):
        with pytest.raises(SystemExit) as caught:
            main(["freshness", *argv])
        assert caught.value.code == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert err.strip().splitlines()[-1].startswith("python -m geo freshness: error:")


def test_cli_broken_data_is_one_sentence_exit_1(
    fixture_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_geojson(
        fixture_data_dir / "enclaves.geojson",
        make_feature("enclaves.geojson", id="encl-bad", confidence="certain"),
    )
    assert main(["freshness", "--date", "2024-01-01", "--data", str(fixture_data_dir)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "encl-bad" in err and "confidence" in err
    assert len(err.strip().splitlines()) == 1


# --- the functions --------------------------------------------------------------------------------


def test_last_confirmed_uses_the_entry_in_force_not_the_feature_sources() -> None:
    props = make_feature(
        "borders.geojson",
        sources=[src("2025-01-01")],
        status_history=[
            {"from": "2021-01-01", "status": "disputed", "sources": [src("2021-02-01")]},
            {"from": "2023-01-01", "status": "delimited", "sources": [src("2023-03-01")]},
        ],
    )["properties"]
    assert last_confirmed(props, as_of=D(2022, 12, 31)) == D(2021, 2, 1)
    assert last_confirmed(props, as_of=D(2023, 2, 1)) is None  # its one source is still future
    assert last_confirmed(props, as_of=D(2026, 1, 1)) == D(2023, 3, 1)
    assert last_confirmed(props, as_of=D(2020, 6, 1)) is None  # before the history: own sources
    before_history = dict(props, sources=[src("2020-01-01")])
    assert last_confirmed(before_history, as_of=D(2020, 6, 1)) == D(2020, 1, 1)


def test_source_dates_full_partial_and_missing() -> None:
    assert source_date("2024-02-29") == D(2024, 2, 29)
    assert source_date("2021-10") == D(2021, 10, 1)
    assert source_date("2021") == D(2021, 1, 1)
    assert source_date(D(2022, 1, 5)) == D(2022, 1, 5)
    for bad in (None, "", "October 2021", "2021-13", "2023-02-30", 20210101):
        assert source_date(bad) is None, bad
    props = {"sources": [src("2021-10"), src(None), src("2021-09-30")]}
    assert last_confirmed(props, as_of=D(2021, 10, 15)) == D(2021, 10, 1)


def test_is_stale_boundary_and_layers() -> None:
    props = {"sources": [src("2023-01-01")]}
    edge = D(2023, 1, 1) + dt.timedelta(days=STALE_AFTER_DAYS)
    assert not is_stale(props, layer="deployments", as_of=edge)
    assert is_stale(props, layer="deployments", as_of=edge + dt.timedelta(days=1))
    assert is_stale({"sources": [src(None)]}, layer="enclaves", as_of=D(2021, 1, 1))
    for layer in ("events", "exercises", "places", "base"):
        assert not is_stale(props, layer=layer, as_of=D(2030, 1, 1)), layer
    assert is_stale(props, layer="places", as_of=D(2030, 1, 1), lasting_layers={"places"})


def test_lasting_layers_are_schema_layers_and_never_episodic() -> None:
    layers = {schema.layer for schema in LAYER_SCHEMAS.values()}
    assert layers >= LASTING_LAYERS
    assert not LASTING_LAYERS & episodic_layers()
    assert set(LASTING_FILES) == LASTING_LAYERS


def test_frames_and_folder_give_the_same_rows(known_dir: Path) -> None:
    from geo.catalog import load_frame

    frames = {layer: load_frame(known_dir / f"{layer}.geojson")[0] for layer in LASTING_FILES}
    frames["events"] = load_frame(known_dir / "events.geojson")[0]
    for day in (D(2021, 6, 1), D(2023, 12, 31), D(2024, 6, 1)):
        assert freshness(frames, as_of=day) == freshness(known_dir, as_of=day)
    rows = freshness(known_dir, as_of=D(2024, 6, 1))
    assert {r.id for r in rows if r.stale} == {"dep-never", "dep-x", "seg-a", "seg-b", "encl-1"}
