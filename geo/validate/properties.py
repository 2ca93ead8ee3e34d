"""Stage 3, properties: each feature's properties against its layer's pydantic model."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from geo.errors import GeoDataError, SchemaError, StructureError
from geo.schema import LayerSchema


def _field_name(loc: Iterable[Any]) -> str:
    parts = [str(p) if not isinstance(p, int) else f"[{p}]" for p in loc]
    text = ".".join(parts).replace(".[", "[")
    return text.replace("from_", "from") or "properties"


def schema_errors(err: ValidationError, *, file: str, feature: str) -> list[GeoDataError]:
    """One ``SchemaError`` per pydantic error, worded for a person."""
    problems: list[GeoDataError] = []
    for item in err.errors(include_url=False):
        field_name = _field_name(item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
        if item["type"] == "missing":
            message = "is required but missing"
        elif item["type"] == "extra_forbidden":
            message = "is not a property of this layer (typo?)"
        elif item["type"] == "literal_error":
            message = f"{item['msg'].lower()}, found {item.get('input')!r}"[:200]
        problems.append(SchemaError(message, file=file, feature=feature, field=field_name))
    return problems


def check_properties(
    raw_props: Any, *, schema: LayerSchema, file: str, feature: str
) -> list[GeoDataError]:
    """Problems of one feature's properties against its layer model (empty when fine)."""
    if not isinstance(raw_props, dict):
        return [StructureError("'properties' must be an object", file=file, feature=feature)]
    try:
        schema.props.model_validate(raw_props)
    except ValidationError as err:
        return schema_errors(err, file=file, feature=feature)
    return []
