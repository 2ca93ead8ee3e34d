"""Strict reading of GeoJSON bytes.

Python's ``json`` silently accepts ``NaN`` and keeps the last of two duplicate keys; GeoJSON (RFC 7946,
RFC 8259) allows neither, and a duplicated ``status`` would silently change a border's status. So bytes
are read here, and only here, with those holes closed. Paths and URLs are never handed to GDAL
(``gpd.read_file`` would open ``/vsicurl/`` or ``zip://``): uploads arrive as bytes, shipped files as
local paths read by Python.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from geo.errors import ReadError

MAX_BYTES_DEFAULT = 10 * 1024 * 1024
"""Largest file accepted unless a caller says otherwise (10 MiB, the upload cap)."""

MAX_DEPTH = 32
"""Deepest JSON nesting accepted; valid GeoJSON with our properties stays under 12."""

MAX_DIGITS = 400
"""Longest number literal accepted; longer ones are refused before Python converts them."""

MIB = 2**20
"""One megabyte as Streamlit's uploader counts it: its "10.0MB" limit is 10 MiB."""

_BOM = b"\xef\xbb\xbf"


def format_mb(size: int) -> str:
    """``size`` bytes in megabytes the way the uploader shows its limit (10 MiB is "10.0 MB")."""
    return f"{size / MIB:.1f} MB"


def check_size(size: int, *, name: str, max_bytes: int) -> None:
    """``ReadError`` if ``size`` bytes exceed ``max_bytes``: the one size guard for every reader."""
    if size > max_bytes:
        raise ReadError(
            f"the file is {format_mb(size)}, larger than the {format_mb(max_bytes)} limit",
            file=name,
        )


class _Budget:
    """Counts objects and numbers while ``json`` parses, and stops the parse at the caps.

    The hooks run as each value is parsed, so an oversize document is refused after the cap's
    worth of work, not after building millions of objects.
    """

    def __init__(self, *, max_objects: int | None, max_numbers: int | None) -> None:
        self.max_objects, self.max_numbers = max_objects, max_numbers
        self.objects = self.numbers = 0

    def obj(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        self.objects += 1
        if self.max_objects is not None and self.objects > self.max_objects:
            raise ReadError(
                f"the file has more than {self.max_objects:,} JSON objects, "
                "more than an overlay may hold"
            )
        return _reject_duplicates(pairs)

    def _count(self, text: str) -> None:
        self.numbers += 1
        if self.max_numbers is not None and self.numbers > self.max_numbers:
            raise ReadError(
                f"the file has more than {self.max_numbers:,} numbers, more than an overlay "
                "may hold (simplify it first)"
            )
        if len(text) > MAX_DIGITS:
            raise ReadError(
                f"a number is written with {len(text):,} characters (at most "
                f"{MAX_DIGITS} are accepted)"
            )

    def integer(self, text: str) -> int:
        self._count(text)
        return int(text)

    def real(self, text: str) -> float:
        self._count(text)
        value = float(text)
        if not math.isfinite(value):
            raise ReadError(f"the number {text[:40]} is too large for a coordinate or value")
        return value


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
    if not isinstance(value, dict | list):
        return 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        children = item.values() if isinstance(item, dict) else item
        # only containers go on the stack: coordinate lists are mostly numbers
        stack.extend((c, level + 1) for c in children if isinstance(c, dict | list))
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


def read_json_bytes(
    raw: bytes,
    *,
    name: str,
    max_bytes: int = MAX_BYTES_DEFAULT,
    max_objects: int | None = None,
    max_numbers: int | None = None,
) -> Any:
    """Parse ``raw`` as strict JSON and return the value.

    A leading UTF-8 byte-order mark is dropped (RFC 8259 lets parsers ignore it; Windows tools write
    it). Everything else that is not plain RFC 8259 JSON raises ``ReadError`` naming ``name``, as
    do numbers longer than ``MAX_DIGITS`` or too large for a float, and (when given) more than
    ``max_objects`` objects or ``max_numbers`` numbers, counted while parsing.
    """
    if not isinstance(raw, bytes | bytearray):
        raise ReadError("expected the file's bytes, not a path or URL string", file=name)
    check_size(len(raw), name=name, max_bytes=max_bytes)
    text = decode_text(raw, name=name)
    budget = _Budget(max_objects=max_objects, max_numbers=max_numbers)
    try:
        value = json.loads(
            text,
            object_pairs_hook=budget.obj,
            parse_constant=_reject_constant,
            parse_int=budget.integer,
            parse_float=budget.real,
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
    check_size(path.stat().st_size, name=str(path), max_bytes=max_bytes)
    return read_json_bytes(path.read_bytes(), name=path.name, max_bytes=max_bytes)
