"""``python -m layers export``: bad options give one line and exit 2; good ones write the file."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from layers.__main__ import main

REPO = Path(__file__).resolve().parents[2]
PREFIX = "python -m layers export: error: "


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "layers", "export", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--date", "2021-13-01"], "--date"),
        (["--date", "yesterday"], "--date"),
        (["--date", "1999-01-01"], "--date"),
        (["--bbox", "70,39,71"], "--bbox"),
        (["--bbox", "70,39,x,40"], "--bbox"),
        (["--bbox", "70,39,inf,40"], "--bbox"),
        (["--bbox", "71,39,70,40"], "W < E"),
        (["--bbox", "10,10,20,20"], "outside the map region"),
        (["--layers", "borders,dragons"], "dragons"),
        (["--status", "delimited,contested"], "contested"),
        (["--format", "gif"], "--format"),
        (["--window", "0"], "--window"),
        (["--dpi", "5000"], "--dpi"),
        (["--title", "two\nlines"], "--title"),
        (["--handling", "x" * 200], "--handling"),
        (["--data", "/no/such/folder"], "--data"),
        (["--paper", "B7"], "--paper"),
    ],
)
def test_bad_option_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["export", "--out", str(tmp_path / "x.png"), *args])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(PREFIX)
    assert err.count("\n") == 1
    assert needle in err
    assert not (tmp_path / "x.png").exists()


def test_missing_out_folder_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["export", "--out", "/no/such/folder/x.png"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(PREFIX) and err.count("\n") == 1


def test_bad_bbox_from_the_shell_is_one_line_no_traceback() -> None:
    done = _run("--bbox", "50,20,55,25", "--out", "/tmp/never-written.png")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "outside the map region" in done.stderr
    assert "Traceback" not in done.stderr


def test_png_and_pdf_from_the_shipped_data(tmp_path: Path) -> None:
    png, pdf = tmp_path / "brief.png", tmp_path / "brief.pdf"
    common = ["--date", "2021-10-15", "--bbox", "70.5,39.8,70.7,40.0", "--layers", "base,places"]
    done = _run(*common, "--format", "png", "--dpi", "150", "--out", str(png))
    assert done.returncode == 0, done.stderr
    image = Image.open(io.BytesIO(png.read_bytes()))
    assert image.size == (int(11.69 * 150), int(8.27 * 150))  # Agg truncates 1753.5
    done = _run(*common, "--format", "pdf", "--handling", "INTERNAL", "--out", str(pdf))
    assert done.returncode == 0, done.stderr
    text = PdfReader(pdf).pages[0].extract_text()
    assert "As of 2021-10-15" in text
    assert text.count("INTERNAL") == 2


def test_every_layer_of_the_shipped_data_exports(tmp_path: Path) -> None:
    """All layers over the whole region: point and area deployments, events, crossings, enclaves."""
    out = tmp_path / "all.png"
    layers = "base,borders,enclaves,deployments,exercises,events,crossings,places"
    done = _run(
        "--date", "2021-10-15", "--bbox", "67.2,36.4,75.3,41.2", "--layers", layers,
        "--dpi", "100", "--format", "png", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert Image.open(out).size == (1169, 827)


def test_html_from_the_shipped_data_is_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    done = _run(
        "--date", "2021-10-15", "--format", "html", "--out", str(out), "--title", "T {{7*7}}"
    )
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert "<script src=" not in html
    assert 'rel="stylesheet" href=' not in html
    assert "fa-layer-base" in html
    assert "T &#123;&#123;7*7&#125;&#125;" in html
    assert "T 49" not in html


# --------------------------------------------------------------------------- data out, packs


def test_out_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "view.kml"
    out.write_bytes(b"keep me")
    args = ["export", "--date", "2022-09-17", "--format", "kml", "--out", str(out)]
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(PREFIX) and err.count("\n") == 1
    assert "already exists; pass --force to overwrite it" in err
    assert out.read_bytes() == b"keep me"
    assert main([*args, "--force", "--layers", "borders,enclaves"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "<name>Frontier Atlas as of 2022-09-17</name>" in text
    assert "kgz-tjk-02-isfara-surkh" in text


def test_gpkg_and_geojson_from_the_shipped_data(tmp_path: Path) -> None:
    import json

    import pyogrio

    gpkg, geojson = tmp_path / "v.gpkg", tmp_path / "v.geojson"
    common = ["--date", "2022-09-17", "--bbox", "70.3,39.7,71.0,40.2"]
    done = _run(*common, "--layers", "base,borders,places", "--format", "gpkg", "--out", str(gpkg))
    assert done.returncode == 0, done.stderr
    assert sorted(name for name, _ in pyogrio.list_layers(gpkg)) == ["borders", "places"]
    done = _run(*common, "--layers", "borders", "--format", "geojson", "--out", str(geojson))
    assert done.returncode == 0, done.stderr
    assert json.loads(geojson.read_text(encoding="utf-8"))["as_of"] == "2022-09-17"


BRIEF_PREFIX = "python -m layers: error: "
STORIES = REPO / "tests" / "data" / "stories"


@pytest.mark.parametrize(
    ("story", "needle"),
    [
        ("wrong_version.json", "story version 2 is not supported"),
        ("ten_thousand_steps.json", "10,000 steps"),
        ("random_bytes.json", "UTF-8"),
        ("unknown_layer.json", "unknown layer 'dragons'"),
    ],
)
def test_brief_with_a_bad_story_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], story: str, needle: str
) -> None:
    out = tmp_path / "b.pdf"
    code = main(["brief", "--story", str(STORIES / story), "--out", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith(BRIEF_PREFIX + story) and err.count("\n") == 1
    assert needle in err
    assert not out.exists()


def test_brief_pptx_from_the_shell(tmp_path: Path) -> None:
    from pptx import Presentation

    out = tmp_path / "b.pptx"
    story = STORIES / "hostile_captions.json"
    done = subprocess.run(
        [sys.executable, "-m", "layers", "brief", "--story", str(story), "--format", "pptx",
         "--out", str(out)],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "[1/2]" in done.stderr  # progress, one line per stage
    assert len(Presentation(str(out)).slides) >= 2
