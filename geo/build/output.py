"""What every builder writes the same way: GeoJSON bytes, provenance text, the output files."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from string import Template
from typing import Any, Final

DECIMALS: Final = 6
"""Coordinates are written with this many decimals (~0.1 m)."""

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
"""Provenance templates (``string.Template`` syntax: ``${name}``), one per build."""


def dump_feature_collection(features: Sequence[dict[str, Any]]) -> bytes:
    """Deterministic GeoJSON bytes: one compact feature per line, keys in the order given."""
    body = ",\n".join(
        json.dumps(f, ensure_ascii=False, separators=(",", ":"), allow_nan=False) for f in features
    )
    return ('{"type":"FeatureCollection","features":[\n' + body + "\n]}\n").encode("utf-8")


def render_template(name: str, **fields: object) -> str:
    """Fill ``templates/<name>``; a placeholder without a value raises ``KeyError`` (no blanks)."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    return Template(text).substitute({key: str(value) for key, value in fields.items()})


def write_files(out_dir: Path, written: Mapping[str, bytes]) -> dict[str, int]:
    """Write each named file into ``out_dir``; return path -> size in bytes, in the given order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sizes: dict[str, int] = {}
    for name, data in written.items():
        path = out_dir / name
        path.write_bytes(data)
        sizes[str(path)] = len(data)
    return sizes
