"""``python -m geo``: validate (exit codes, one line per problem), stats JSON, changes JSON.

Most tests call ``geo.__main__.main`` with an argv list (same code path as the console); one test
runs the real ``python -m geo`` in a subprocess to prove the entry point is wired.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.__main__ import main
from tests.conftest import history, make_feature, meridian_arc_m, write_geojson

REPO = Path(__file__).resolve().parents[2]


def km(lat0: float, lat1: float) -> float:
    return meridian_arc_m(lat0, lat1) / 1000


# --- validate -------------------------------------------------------------------------------


def test_validate_valid_folder_exits_zero(
    fixture_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(fixture_data_dir)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "valid" in err


def test_validate_valid_file_exits_zero(
    fixture_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(fixture_data_dir / "borders.geojson")]) == 0
    assert capsys.readouterr().out == ""


def test_validate_prints_one_line_per_problem_naming_file_feature_field(
    fixture_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_kind = make_feature("places.geojson", id="pl-bad", kind="metropolis")
    bad_country = make_feature("places.geojson", id="pl-bad2", country="tajikistan")
    write_geojson(fixture_data_dir / "places.geojson", bad_kind, bad_country)
    assert main(["validate", str(fixture_data_dir)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("data/places.geojson, feature 'pl-bad', field kind:")
    assert lines[1].startswith("data/places.geojson, feature 'pl-bad2', field country:")


def test_validate_several_targets_and_a_broken_file(
    fixture_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "events.geojson"
    broken.write_bytes(b'{"type": "FeatureCollection", "features": [], "features": []}')
    assert main(["validate", str(fixture_data_dir / "places.geojson"), str(broken)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("events.geojson:")
    assert "'features'" in lines[0]


def test_validate_reports_cross_file_problems(
    fixture_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_geojson(fixture_data_dir / "places.geojson", make_feature("places.geojson", id="seg-a"))
    assert main(["validate", str(fixture_data_dir)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert "'seg-a'" in line
    assert "unique across files" in line


def test_python_dash_m_geo_validate_runs(fixture_data_dir: Path) -> None:
    write_geojson(
        fixture_data_dir / "events.geojson",
        make_feature("events.geojson", id="ev-bad", fatalities=-3, valid_from="2021-01-01"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "geo", "validate", str(fixture_data_dir)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        line for line in done.stdout.splitlines() if line.startswith("data/events.geojson")
    ]
    assert "feature 'ev-bad', field fatalities" in done.stdout
    assert "Traceback" not in done.stderr


def test_unknown_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2


# --- stats ----------------------------------------------------------------------------------


def test_stats_json_shape_and_figures(
    fixture_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["stats", "--date", "2021-10-15", "--data", str(fixture_data_dir)])
    assert code == 0
    got = json.loads(capsys.readouterr().out)
    assert set(got) == {"date", "border", "total_km", "km_by_status", "reported"}
    assert got["date"] == "2021-10-15"
    assert got["border"] == "KGZ-TJK"
    assert set(got["km_by_status"]) == {"delimited", "disputed", "undetermined"}
    # Fixture (tests/conftest.py): seg-a 39.0-39.5 delimited, seg-b 39.5-40.0 disputed until
    # 2022-06-01, seg-c 40.0-40.2 undetermined from 2021-03-01 to 2023-01-01, along 70 E.
    assert got["km_by_status"]["delimited"] == pytest.approx(km(39.0, 39.5), abs=0.01)
    assert got["km_by_status"]["disputed"] == pytest.approx(km(39.5, 40.0), abs=0.01)
    assert got["km_by_status"]["undetermined"] == pytest.approx(km(40.0, 40.2), abs=0.01)
    assert got["total_km"] == pytest.approx(km(39.0, 40.2), abs=0.01)
    assert got["reported"]["delimited_km"] == 519.0
    assert got["reported"]["total_km"] == 984.0


def test_stats_reported_is_null_before_any_milestone(
    fixture_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--date", "2021-10-04", "--data", str(fixture_data_dir)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["reported"] is None


def test_stats_of_another_border(
    fixture_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["stats", "--date", "2021-10-15", "--border", "AFG-TJK", "--data", str(fixture_data_dir)]
    )
    assert code == 0
    got = json.loads(capsys.readouterr().out)
    assert got["border"] == "AFG-TJK"
    assert got["total_km"] == 0.0
    assert got["reported"] is None


def test_stats_bad_date_is_a_usage_error(fixture_data_dir: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["stats", "--date", "2021-02-30", "--data", str(fixture_data_dir)])
    assert caught.value.code == 2


def test_stats_without_data_is_one_sentence_and_exit_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--date", "2021-10-15", "--data", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "borders.geojson" in err


# --- changes --------------------------------------------------------------------------------


def test_changes_json(fixture_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_geojson(
        fixture_data_dir / "crossings.geojson",
        make_feature(
            "crossings.geojson",
            id="cr-x",
            status_history=history(("2021-01-01", "open"), ("2021-05-01", "closed")),
        ),
    )
    code = main(
        [
            "changes",
            "--from",
            "2021-02-01",
            "--to",
            "2022-07-01",
            "--layers",
            "borders,crossings",
            "--data",
            str(fixture_data_dir),
        ]
    )
    assert code == 0
    got = json.loads(capsys.readouterr().out)
    assert got["from"] == "2021-02-01"
    assert got["to"] == "2022-07-01"
    by_id = {c["feature_id"]: c for c in got["changes"]}
    assert set(by_id) == {"seg-b", "seg-c", "cr-x"}
    assert (by_id["seg-b"]["kind"], by_id["seg-b"]["before"], by_id["seg-b"]["after"]) == (
        "status",
        "disputed",
        "delimited",
    )
    assert by_id["seg-b"]["km"] == pytest.approx(km(39.5, 40.0), abs=0.01)
    assert by_id["seg-c"]["kind"] == "appeared"
    assert (by_id["cr-x"]["layer"], by_id["cr-x"]["before"], by_id["cr-x"]["after"]) == (
        "crossings",
        "open",
        "closed",
    )


def test_changes_ended(fixture_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "changes",
            "--from",
            "2022-12-31",
            "--to",
            "2023-01-01",
            "--layers",
            "borders",
            "--data",
            str(fixture_data_dir),
        ]
    )
    assert code == 0
    changes = json.loads(capsys.readouterr().out)["changes"]
    assert [(c["feature_id"], c["kind"]) for c in changes] == [("seg-c", "ended")]


def test_changes_requires_both_dates() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["changes", "--from", "2021-01-01"])
    assert caught.value.code == 2


def test_stats_refuses_a_borders_file_with_a_broken_segment(
    fixture_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A briefing figure must not silently leave out a segment the file holds."""
    path = fixture_data_dir / "borders.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][1]["properties"]["status_history"][0]["status"] = "Disputed"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code = main(["stats", "--date", "2021-10-15", "--data", str(fixture_data_dir)])
    err = capsys.readouterr().err
    assert code == 1
    assert "borders.geojson" in err and "seg-b" in err and "status" in err


def test_changes_prints_km_by_status_pair(
    fixture_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """seg-b (39.5-40.0 N) went disputed -> delimited on 2022-06-01; seg-c (40.0-40.2 N) was
    undetermined from 2021-03-01 until 2023-01-01; seg-a did not change."""
    argv = ["changes", "--layers", "borders,crossings", "--data", str(fixture_data_dir)]
    assert main([*argv, "--from", "2021-02-01", "--to", "2022-07-01"]) == 0
    pairs = json.loads(capsys.readouterr().out)["km_by_status_pair"]
    assert set(pairs) == {"disputed->delimited", "absent->undetermined"}
    assert pairs["disputed->delimited"] == pytest.approx(km(39.5, 40.0), abs=0.01)
    assert pairs["absent->undetermined"] == pytest.approx(km(40.0, 40.2), abs=0.01)

    assert main([*argv, "--from", "2023-06-01", "--to", "2021-04-01"]) == 0
    pairs = json.loads(capsys.readouterr().out)["km_by_status_pair"]
    assert pairs == {
        "absent->undetermined": pytest.approx(km(40.0, 40.2), abs=0.01),
        "delimited->disputed": pytest.approx(km(39.5, 40.0), abs=0.01),
    }

    assert main([*argv, "--from", "2022-07-01", "--to", "2022-08-01"]) == 0
    assert json.loads(capsys.readouterr().out)["km_by_status_pair"] == {}


def test_changes_km_by_status_pair_on_shipped_data_sums_the_changed_segments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["changes", "--from", "2021-06-01", "--to", "2025-06-01"]) == 0
    got = json.loads(capsys.readouterr().out)
    expected: dict[str, float] = {}
    gone = came = 0.0
    for change in got["changes"]:
        if change["layer"] != "borders":
            continue
        if change["kind"] == "status":
            pair = f"{change['before']}->{change['after']}"
            expected[pair] = expected.get(pair, 0.0) + change["km"]
        gone += change["km"] if change["kind"] == "ended" else 0.0
        came += change["km"] if change["kind"] == "appeared" else 0.0
    assert expected, "the shipped borders change status between 2021 and 2025"
    pairs = got["km_by_status_pair"]
    between_statuses = {k: v for k, v in pairs.items() if "absent" not in k}
    assert between_statuses.keys() == expected.keys()
    for pair, total in expected.items():
        assert between_statuses[pair] == pytest.approx(total, abs=0.05), pair
    # segments that end or start in the span are counted against "absent"
    to_absent = sum(v for k, v in pairs.items() if k.endswith("->absent"))
    from_absent = sum(v for k, v in pairs.items() if k.startswith("absent->"))
    assert to_absent == pytest.approx(gone, abs=0.05)
    assert from_absent == pytest.approx(came, abs=0.05)
