"""Briefing packs from a three-step story: PDF pages and text, PPTX slides and parts, LibreOffice.

The story (tests/data/stories/valid_three_steps.json) is drawn from the shipped data, so the
sources appendix is checked against what ``layers.download`` says each step's view holds.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader
from shapely.geometry import box, shape

from geo.story import Story, read_story
from layers import LAYER_IDS, load_frames
from layers._draw import ViewOptions
from layers.brief import data_as_of, pack_pdf, pack_pptx
from layers.download import view_features
from layers.styles import ATTRIBUTION

STORIES = Path(__file__).resolve().parents[1] / "data" / "stories"
MADE = dt.date(2026, 1, 2)


@pytest.fixture(scope="module")
def frames() -> dict:
    return load_frames()[0]


@pytest.fixture(scope="module")
def story() -> Story:
    raw = (STORIES / "valid_three_steps.json").read_bytes()
    return read_story(raw, name="valid_three_steps.json", layer_ids=LAYER_IDS)


@pytest.fixture(scope="module")
def pdf_pages(frames: dict, story: Story) -> list[str]:
    seen: list[tuple[int, int]] = []
    data = pack_pdf(frames, story, made=MADE, progress=lambda d, n, _: seen.append((d, n)))
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)  # the progress reaches its end
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:  # A4 landscape
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    return [page.extract_text() for page in reader.pages]


@pytest.fixture(scope="module")
def pptx_bytes(frames: dict, story: Story) -> bytes:
    return pack_pptx(frames, story, made=MADE, dpi=100)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _publishers_in_view(frames: dict, step: object) -> set[str]:
    """Publishers of every feature that lies wholly inside the step's box on its date."""
    window = box(*step.bbox)
    found = view_features(
        frames,
        as_of=step.date,
        layers=step.layers,
        view=ViewOptions(statuses=frozenset(step.status)),
    )
    out = set()
    for feature in found:
        if window.contains(shape(feature["geometry"])):
            out |= {s["publisher"] for s in feature["properties"]["sources"] if s["publisher"]}
    return out


def test_pdf_has_cover_steps_and_appendix(pdf_pages: list[str], story: Story) -> None:
    total = len(pdf_pages)
    assert total >= 1 + 3 + 1
    cover = _flat(pdf_pages[0])
    assert story.title in cover
    assert "Briefing pack made 2026-01-02" in cover
    assert "Data as of " in cover and "OFFICIAL" in cover
    for number, text in enumerate(pdf_pages, 1):
        assert f"Page {number} of {total}" in text
        assert text.count("OFFICIAL") >= 2  # the handling line, top and bottom, on every page
    step_pages = []
    for step in story.steps:
        pages = [i for i, t in enumerate(pdf_pages) if step.caption in _flat(t)]
        assert len(pages) == 1, step.caption
        text = _flat(pdf_pages[pages[0]])
        assert f"As of {step.date.isoformat()}" in text
        assert step.title in text
        step_pages.append(pages[0])
    assert step_pages == sorted(step_pages) and step_pages[0] == 1
    assert "Sources" in pdf_pages[-1]


def test_pdf_changes_table_follows_each_compare_step(pdf_pages: list[str], story: Story) -> None:
    for step in story.steps:
        page = next(i for i, t in enumerate(pdf_pages) if step.caption in _flat(t))
        following = _flat(pdf_pages[page + 1])
        if step.compare is None:
            assert not following.startswith("Changes") and "Changes " not in following
        else:
            before, after = sorted((step.compare, step.date))
            assert f"Changes {before} → {after}" in following
            assert "Layer Feature Change From To" in following
    # the treaty step: two checkpoints reopened between 12 and 14 March 2025
    treaty = next(i for i, t in enumerate(pdf_pages) if "The treaty of 13 March" in _flat(t))
    assert "Kyzyl-Bel" in pdf_pages[treaty + 1]


def test_pdf_appendix_lists_the_sources_of_what_is_drawn(
    frames: dict, pdf_pages: list[str], story: Story
) -> None:
    start = next(i for i, t in enumerate(pdf_pages) if t.lstrip().startswith("Sources"))
    appendix = _flat(" ".join(pdf_pages[start:]))
    assert "[1] " in appendix
    expected = set()
    for step in story.steps:
        expected |= _publishers_in_view(frames, step)
    assert len(expected) >= 5
    for publisher in expected:
        assert publisher in appendix, publisher
    numbers = [int(n) for n in __import__("re").findall(r"\[(\d+)\] ", appendix)]
    assert numbers == list(range(1, len(numbers) + 1))  # numbered once each, in order


def test_data_as_of_is_the_latest_date_in_the_data(frames: dict) -> None:
    latest = data_as_of(frames, today=dt.date(2030, 1, 1))
    assert latest >= dt.date(2025, 3, 13)  # the treaty is in the data
    assert data_as_of(frames, today=dt.date(2022, 1, 1)) <= dt.date(2022, 1, 1)


def test_pptx_has_a_slide_per_step_and_a_sources_slide(pptx_bytes: bytes, story: Story) -> None:
    deck = Presentation(io.BytesIO(pptx_bytes))
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=0.01)
    slides = list(deck.slides)
    assert len(slides) >= 3 + 1
    for slide, step in zip(slides[:3], story.steps, strict=True):
        parts = {shape.name: shape for shape in slide.shapes}
        picture = parts["Map"]
        assert picture.shape_type == 13  # MSO_SHAPE_TYPE.PICTURE
        assert picture.image.content_type == "image/png"
        assert Emu(picture.width).inches > 0.9 * 13.333  # the map fills the slide body
        assert parts["Caption"].text_frame.text == step.caption  # editable text
        assert parts["Title"].text_frame.text == step.title
        footer = parts["Date and attribution"].text_frame.text
        assert f"As of {step.date.isoformat()}" in footer and ATTRIBUTION in footer
        assert parts["Handling"].text_frame.text == "OFFICIAL"
    for slide in slides[3:]:
        parts = {shape.name: shape for shape in slide.shapes}
        assert parts["Title"].text_frame.text.startswith("Sources")
        assert "[1] " in parts["Sources"].text_frame.text or "[" in parts["Sources"].text_frame.text
        assert not any(shape.shape_type == 13 for shape in slide.shapes)


def test_pptx_opens_in_libreoffice_impress(pptx_bytes: bytes, tmp_path: Path) -> None:
    """Debian's libreoffice-impress (installed by ``make test``) converts the deck headless."""
    soffice = shutil.which("soffice")
    assert soffice, "libreoffice-impress is missing: run make test (it installs it)"
    deck = tmp_path / "brief.pptx"
    deck.write_bytes(pptx_bytes)
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    reader = PdfReader(tmp_path / "brief.pdf")
    assert len(reader.pages) == len(Presentation(io.BytesIO(pptx_bytes)).slides)
    assert "Golovnoi intake, April 2021" in reader.pages[0].extract_text()
    assert len(reader.pages[0].images) >= 1  # the map picture came through


def test_hostile_captions_are_inert_in_pdf_and_pptx(frames: dict) -> None:
    raw = (STORIES / "hostile_captions.json").read_bytes()
    story = read_story(raw, name="hostile_captions.json", layer_ids=LAYER_IDS)
    caption = story.steps[0].caption
    reader = PdfReader(io.BytesIO(pack_pdf(frames, story, made=MADE)))
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    assert caption in text  # literal: no markup, no TeX, no template
    assert "Hostile <b>title</b> {{7*7}}" in text
    for page in reader.pages:  # no link was made
        annots = page.get("/Annots")
        assert not (annots.get_object() if annots is not None else [])
    deck = Presentation(io.BytesIO(pack_pptx(frames, story, made=MADE, dpi=72)))
    first = {shape.name: shape for shape in deck.slides[0].shapes}
    assert first["Caption"].text_frame.text == caption
    assert first["Title"].text_frame.text == "Step <script>alert(1)</script>"
    for slide in deck.slides:
        for part in slide.shapes:
            if part.has_text_frame:
                for para in part.text_frame.paragraphs:
                    assert all(run.hyperlink.address is None for run in para.runs)
