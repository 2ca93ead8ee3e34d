"""The repository stands on its own: it cites only documents it holds.

A clone has no sibling folders, so a tracked file that points outside the repository (the founding
design's old home) or at a design file other than ``docs/DESIGN.md`` sends the reader nowhere.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Spelled in pieces so this file does not match its own check.
OUTSIDE = ("../" + "shared", "shared" + "/DESIGN")
DESIGN_MENTION = re.compile(r"(?<![\w/.-])(?:[\w.-]+/)*DESIGN\.md")


def _tracked_texts() -> dict[str, str]:
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.split(b"\0")
    texts = {}
    for name in filter(None, names):
        path = REPO / name.decode()
        if not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary (fonts, images)
        texts[name.decode()] = data.decode("utf-8", errors="replace")
    return texts


def test_the_checker_sees_the_repository() -> None:
    texts = _tracked_texts()
    assert "README.md" in texts
    assert "docs/DESIGN.md" in texts


def test_no_tracked_file_points_outside_the_repository() -> None:
    offenders = {
        name: [word for word in OUTSIDE if word in text]
        for name, text in _tracked_texts().items()
        if any(word in text for word in OUTSIDE)
    }
    assert offenders == {}


def test_every_design_citation_names_the_copy_in_the_repository() -> None:
    offenders = {}
    for name, text in _tracked_texts().items():
        wrong = sorted({m for m in DESIGN_MENTION.findall(text) if m != "docs/DESIGN.md"})
        if wrong and name != "docs/DESIGN.md":
            offenders[name] = wrong
    assert offenders == {}


def test_design_citation_pattern() -> None:
    name = "DESIGN" + ".md"  # in pieces, as above
    found = DESIGN_MENTION.findall(f"see {name}, docs/{name} and ../x/{name}")
    assert found == [name, f"docs/{name}", f"../x/{name}"]


IGNORE = "type" + ": ignore"  # in pieces, as above
IGNORE_WITH_REASON = re.compile(re.escape(IGNORE) + r"\[[a-z-]+(?:, *[a-z-]+)*\]  # \S")


def test_every_type_ignore_names_its_code_and_a_reason() -> None:
    offenders = [
        f"{name}:{number}"
        for name, text in _tracked_texts().items()
        if name.endswith(".py")
        for number, line in enumerate(text.splitlines(), 1)
        if IGNORE in line and not IGNORE_WITH_REASON.search(line)
    ]
    assert offenders == []


def test_type_ignore_pattern() -> None:
    assert IGNORE_WITH_REASON.search(f"x = f()  # {IGNORE}[arg-type]  # wrong type on purpose")
    assert not IGNORE_WITH_REASON.search(f"x = f()  # {IGNORE}[arg-type]")
    assert not IGNORE_WITH_REASON.search(f"x = f()  # {IGNORE}")
