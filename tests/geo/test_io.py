"""geo.io: strict reading of JSON bytes (RFC 8259 holes closed, BOM dropped, size capped)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.errors import ReadError
from geo.io import MAX_DEPTH, read_json_bytes, read_json_path
from geo.validate import validate_path


def test_plain_json_is_read() -> None:
    raw = b'{"type": "FeatureCollection", "features": [], "n": 1.5}'
    assert read_json_bytes(raw, name="a.geojson") == {
        "type": "FeatureCollection",
        "features": [],
        "n": 1.5,
    }


def test_duplicate_key_is_rejected_naming_key_and_file() -> None:
    raw = b'{"status": "delimited", "status": "disputed"}'
    with pytest.raises(ReadError) as caught:
        read_json_bytes(raw, name="borders.geojson")
    assert "'status'" in str(caught.value)
    assert caught.value.file == "borders.geojson"
    assert str(caught.value).startswith("borders.geojson")


def test_duplicate_key_in_nested_object_is_rejected() -> None:
    raw = b'{"features": [{"properties": {"id": "a", "id": "b"}}]}'
    with pytest.raises(ReadError, match="'id'"):
        read_json_bytes(raw, name="x.geojson")


def test_same_key_in_sibling_objects_is_fine() -> None:
    raw = b'[{"id": "a"}, {"id": "b"}]'
    assert read_json_bytes(raw, name="x.json") == [{"id": "a"}, {"id": "b"}]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_constants_are_rejected(constant: str) -> None:
    raw = f'{{"coordinates": [70.0, {constant}]}}'.encode()
    with pytest.raises(ReadError, match=constant.lstrip("-")) as caught:
        read_json_bytes(raw, name="p.geojson")
    assert caught.value.file == "p.geojson"


def test_leading_bom_is_dropped() -> None:
    raw = b"\xef\xbb\xbf" + json.dumps({"name": "Isfara"}).encode()
    assert read_json_bytes(raw, name="places.geojson") == {"name": "Isfara"}


def test_utf8_text_keeps_non_ascii() -> None:
    raw = json.dumps({"name": "Ворух"}, ensure_ascii=False).encode("utf-8")
    assert read_json_bytes(raw, name="x.json") == {"name": "Ворух"}


def test_non_utf8_bytes_are_rejected_with_the_offset() -> None:
    # "Ворух" in Windows-1251: the first byte (0xC2) starts an invalid UTF-8 sequence.
    raw = b'{"name": "' + "Ворух".encode("cp1251") + b'"}'
    with pytest.raises(ReadError, match="not UTF-8") as caught:
        read_json_bytes(raw, name="places.geojson")
    assert f"byte {raw.index(0xC2)}" in str(caught.value)


def test_utf16_is_rejected() -> None:
    raw = json.dumps({"a": 1}).encode("utf-16")
    with pytest.raises(ReadError, match="UTF-8"):
        read_json_bytes(raw, name="x.json")


def test_size_cap_is_enforced_at_and_above_the_limit() -> None:
    raw = b'{"pad": "' + b"x" * 100 + b'"}'
    assert read_json_bytes(raw, name="x.json", max_bytes=len(raw)) == {"pad": "x" * 100}
    with pytest.raises(ReadError, match="larger than"):
        read_json_bytes(raw, name="x.json", max_bytes=len(raw) - 1)


def test_broken_json_names_line_and_column() -> None:
    raw = b'{\n  "a": 1,\n  "b": }'
    with pytest.raises(ReadError, match=r"line 3, column 8"):
        read_json_bytes(raw, name="x.json")


def test_a_path_string_is_refused() -> None:
    with pytest.raises(ReadError, match="not a path"):
        read_json_bytes("/etc/passwd", name="x.json")  # type: ignore[arg-type]  # the wrong type on purpose: a path must be refused


def test_nesting_deeper_than_the_limit_is_rejected() -> None:
    ok = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    assert read_json_bytes(ok, name="x.json") is not None
    deep = b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1)
    with pytest.raises(ReadError, match="nested deeper"):
        read_json_bytes(deep, name="x.json")


def test_extremely_deep_nesting_is_a_read_error_not_a_crash() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(ReadError, match="nested deeper"):
        read_json_bytes(deep, name="x.json")


def test_read_path_reads_a_local_file(tmp_path: Path) -> None:
    path = tmp_path / "events.geojson"
    path.write_bytes(b"\xef\xbb\xbf[1, 2]")
    assert read_json_path(path) == [1, 2]


def test_read_path_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="does not exist"):
        read_json_path(tmp_path / "nope.geojson")


def test_read_path_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="not a regular file"):
        read_json_path(tmp_path)


def test_read_path_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.geojson"
    path.write_bytes(b"[" + b"1," * 50 + b"1]")
    with pytest.raises(ReadError, match="larger than"):
        read_json_path(path, max_bytes=50)


def test_read_path_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "borders.geojson"
    path.write_bytes(b'{"a": 1, "a": 2}')
    with pytest.raises(ReadError) as caught:
        read_json_path(path)
    assert caught.value.file == "borders.geojson"


def test_a_number_too_long_for_python_is_one_sentence_in_the_validator(tmp_path: Path) -> None:
    """Python refuses int strings over 4,300 digits with ValueError; the reader says it first."""
    source = Path(__file__).resolve().parents[1] / "data/read/number_over_4300_digits.geojson"
    path = tmp_path / "events.geojson"
    path.write_bytes(source.read_bytes())
    with pytest.raises(ReadError, match="a number is written with 4,400 characters"):
        read_json_bytes(path.read_bytes(), name="events.geojson")
    report = validate_path(path)
    assert len(report.problems) == 1
    assert "events.geojson: a number is written with 4,400 characters" in report.lines()[0]
