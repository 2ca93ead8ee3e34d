"""Strict reading of GeoJSON bytes.

Python's ``json`` silently accepts ``NaN`` and keeps the last of two duplicate keys; GeoJSON (RFC 7946,
RFC 8259) allows neither, and a duplicated ``status`` would silently change a border's status. So bytes
are read here, and only here, with those holes closed. Paths and URLs are never handed to GDAL
(``gpd.read_file`` would open ``/vsicurl/`` or ``zip://``): uploads arrive as bytes, shipped files as
local paths read by Python.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from geo.errors import ReadError

MAX_BYTES_DEFAULT = 10 * 1024 * 1024
"""Largest file accepted unless a caller says otherwise (10 MiB, the upload cap)."""

MAX_DEPTH = 32
"""Deepest JSON nesting accepted; valid GeoJSON with our properties stays under 12."""

_BOM = b"\xef\xbb\xbf"


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ReadError(
                f"the key {key!r} appears twice in one object, so its value is ambiguous"
            )
        seen[key] = value
    return seen


def _reject_constant(name: str) -> Any:
    raise ReadError(f"{name} is not a JSON number (RFC 8259 allows finite numbers only)")


def _depth(value: Any) -> int:
    """Return the nesting depth of a parsed JSON value, iteratively (no recursion limit)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


def decode_text(raw: bytes, *, name: str) -> str:
    """UTF-8 text of ``raw`` (a leading byte-order mark dropped); ``ReadError`` if not text."""
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    try:
        text = bytes(raw).decode("utf-8")
    except UnicodeDecodeError as err:
        raise ReadError(
            f"the file is not UTF-8 text (byte {err.start} is invalid)", file=name
        ) from None
    if not text.strip():
        raise ReadError("the file is empty", file=name)
    return text


def read_json_bytes(raw: bytes, *, name: str, max_bytes: int = MAX_BYTES_DEFAULT) -> Any:
    """Parse ``raw`` as strict JSON and return the value.

    A leading UTF-8 byte-order mark is dropped (RFC 8259 lets parsers ignore it; Windows tools write
    it). Everything else that is not plain RFC 8259 JSON raises ``ReadError`` naming ``name``.
    """
    if not isinstance(raw, bytes | bytearray):
        raise ReadError("expected the file's bytes, not a path or URL string", file=name)
    if len(raw) > max_bytes:
        raise ReadError(
            f"the file is {len(raw) / 1e6:.1f} MB, larger than the {max_bytes / 1e6:.1f} MB limit",
            file=name,
        )
    text = decode_text(raw, name=name)
    try:
        value = json.loads(
            text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant
        )
    except ReadError as err:
        raise ReadError(err.message, file=name) from None
    except json.JSONDecodeError as err:
        raise ReadError(
            f"broken JSON at line {err.lineno}, column {err.colno}: {err.msg}", file=name
        ) from None
    except RecursionError:
        raise ReadError(f"JSON nested deeper than {MAX_DEPTH} levels", file=name) from None
    if _depth(value) > MAX_DEPTH:
        raise ReadError(f"JSON nested deeper than {MAX_DEPTH} levels", file=name)
    return value


def read_json_path(path: Path, *, max_bytes: int = MAX_BYTES_DEFAULT) -> Any:
    """Read a local shipped data file strictly. ``path`` must be a real local file, never a URL."""
    path = Path(path)
    if not path.is_file():
        raise ReadError("the file does not exist or is not a regular file", file=str(path))
    size = path.stat().st_size
    if size > max_bytes:
        raise ReadError(
            f"the file is {size / 1e6:.1f} MB, larger than the {max_bytes / 1e6:.1f} MB limit",
            file=str(path),
        )
    return read_json_bytes(path.read_bytes(), name=path.name, max_bytes=max_bytes)
