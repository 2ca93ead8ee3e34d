"""The shipped data: valid, reproducible from its sources, and tracking the reported figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import shape

from geo.build.segments import build_borders
from geo.catalog import DATA_DIR, load_features, load_milestones
from geo.progress import COMPUTED_MEASURE, km_by_status, segments_from_features
from geo.timeline import as_date
from geo.validate import validate_folder
from layers import REGISTRY

REPO = Path(__file__).resolve().parents[1]
TRACKING_POINTS = 5.0
"""data/README.md: the computed delimited share stays within 5 points of each reported share."""


def test_every_shipped_file_passes_the_validator():
    report = validate_folder(DATA_DIR)
    assert report.lines() == []
    names = {Path(r.file).name for r in report.files}
    for spec in REGISTRY.values():
        assert {Path(f).name for f in spec.files} <= names


def test_borders_are_exactly_what_the_cutter_makes_from_the_spec(tmp_path: Path):
    out = tmp_path / "borders.geojson"
    build_borders(
        spec_path=DATA_DIR / "borders.spec.json",
        lines_path=DATA_DIR / "base" / "border_lines.geojson",
        out_path=out,
    )
    assert out.read_bytes() == (DATA_DIR / "borders.geojson").read_bytes()


def test_enclaves_are_cut_from_the_base_polygons():
    done = subprocess.run(
        [sys.executable, "-m", "geo", "build-enclaves", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _tracked(milestone: dict) -> bool:
    """Figures of the computed measure (described); legal, agreed and demarcated ones are not tracked."""
    return milestone["measure"] == COMPUTED_MEASURE


@pytest.mark.parametrize(
    "milestone",
    [m for m in load_milestones() if m["border"] == "KGZ-TJK" and m["reported"] and _tracked(m)],
    ids=lambda m: f"{m['date']}:{m['reported']['delimited_km']}",
)
def test_computed_share_tracks_each_reported_share(milestone: dict):
    segments = segments_from_features(load_features(DATA_DIR / "borders.geojson"))
    figures = km_by_status(segments, as_date(milestone["date"]), border="KGZ-TJK")
    computed = 100 * figures["km_by_status"]["delimited"] / figures["total_km"]
    reported = 100 * milestone["reported"]["delimited_km"] / milestone["reported"]["total_km"]
    assert abs(computed - reported) <= TRACKING_POINTS


def test_the_tracking_rule_tracks_enough_milestones_on_both_sides_of_2022():
    """The rule stays meaningful: many described figures, before and after the 2022 jump."""
    tracked = [m for m in load_milestones() if m["border"] == "KGZ-TJK" and m["reported"]]
    tracked = [m for m in tracked if _tracked(m)]
    assert len(tracked) >= 10
    assert min(m["date"] for m in tracked) < "2022-01-01" < max(m["date"] for m in tracked)


def test_milestones_of_other_measures_are_kept_apart():
    """The 519.9 km legal figure and the fencing figures exist but are never tracked."""
    measures = {m["measure"] for m in load_milestones()}
    assert {"described", "legal", "demarcated"} <= measures
    gknb = [m for m in load_milestones() if m["date"] == "2022-09-18"]
    assert gknb and all(m["measure"] == "legal" for m in gknb)


def test_data_is_brought_up_to_date_on_both_borders():
    """Issue 12: at least 15 features, status entries or milestones dated 2025-07-01 or later,
    each with a source published in that period, covering both borders."""
    cutoff = "2025-07-01"

    def recent(sources: list[dict]) -> bool:
        return any((s.get("date") or "") >= cutoff for s in sources)

    found: list[tuple[str, str]] = []
    for path in sorted(DATA_DIR.glob("*.geojson")):
        if path.name == "places.geojson":
            continue
        for feature in load_features(path):
            props = feature["properties"]
            where = _border_of(props, feature)
            if (props.get("valid_from") or "") >= cutoff and recent(props["sources"]):
                found.append((props["id"], where))
            for entry in props.get("status_history", []):
                if entry["from"] >= cutoff and recent(entry["sources"]):
                    found.append((f"{props['id']}@{entry['from']}", where))
    for m in load_milestones():
        if m["date"] >= cutoff and recent(m["sources"]):
            found.append((f"milestone {m['date']} {m['title']}", m["border"]))
    assert len(found) >= 15, found
    assert {"AFG-TJK", "KGZ-TJK"} <= {where for _id, where in found}, found


def _border_of(props: dict, feature: dict) -> str:
    """Which border a feature belongs to: its own field, else the side of 39.0° N it lies on
    (the Fergana valley and the Kyrgyz border lie north of it, the Panj south)."""
    if props.get("border"):
        return props["border"]
    return "KGZ-TJK" if shape(feature["geometry"]).representative_point().y > 39.0 else "AFG-TJK"


def test_every_layer_file_is_documented_in_the_data_readme():
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for spec in REGISTRY.values():
        for name in spec.files:
            assert Path(name).name in readme, name
