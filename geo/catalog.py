"""Where the shipped data files are, and loading them validated (what the app and CLIs share)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd
from shapely.geometry import shape

from geo.measure import geodesic_area_m2, geodesic_length_m
from geo.schema import schema_for
from geo.validate import ValidationReport, validate_milestones, validate_path

DATA_DIR: Final = Path(__file__).resolve().parent.parent / "data"


def load_milestones(path: Path | None = None) -> list[dict[str, Any]]:
    """Validated milestones, strictly: the first problem is raised as ``GeoDataError``.

    Figures quoted in a briefing must not silently leave out an entry the file holds.
    """
    report = validate_milestones(path or DATA_DIR / "milestones.json")
    if report.problems:
        raise report.problems[0]
    return report.features


def load_features(path: Path) -> list[dict[str, Any]]:
    """Validated features of one file, strictly: the first problem is raised (the CLIs' figures
    must not silently drop a broken segment)."""
    report = validate_path(path)
    if report.problems:
        raise report.problems[0]
    return report.features


def frame_from_features(
    features: list[dict[str, Any]], *, columns: list[str] | None = None
) -> gpd.GeoDataFrame:
    """A GeoDataFrame in OGC:CRS84 with one column per property (missing values are None).

    Geodesic ``length_km`` (lines) and ``area_km2`` (polygons) are computed here, once, so popups
    and exports quote measured figures, never typed-in ones.
    """
    keys = columns or sorted({k for f in features for k in f["properties"]})
    records = [{k: f["properties"].get(k) for k in keys} for f in features]
    geoms = [shape(f["geometry"]) for f in features]
    frame = gpd.GeoDataFrame(
        pd.DataFrame(records, columns=keys, dtype=object), geometry=geoms, crs="OGC:CRS84"
    )
    frame["length_km"] = [
        geodesic_length_m(g) / 1000 if g.geom_type.endswith("LineString") else None for g in geoms
    ]
    frame["area_km2"] = [
        geodesic_area_m2(g) / 1e6 if g.geom_type.endswith("Polygon") else None for g in geoms
    ]
    return frame


def load_frame(path: Path) -> tuple[gpd.GeoDataFrame, ValidationReport]:
    """A shipped layer file as a frame of its valid features, plus the validation report."""
    report = validate_path(path)
    schema = schema_for(Path(path).name)
    columns = list(schema.props.model_fields) if schema else None
    if columns and "from_" in columns:
        columns.remove("from_")
    return frame_from_features(report.features, columns=columns), report


def content_hash(path: Path) -> str:
    """sha256 of a file's bytes: the cache key, so an edited file is re-read and nothing else.

    The digest is recomputed only when the file's size or modification time changes.
    """
    try:
        stat = Path(path).stat()
    except OSError:
        return "missing"
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "missing"


def concat_frames(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """Stack frames of one layer; a column one file lacks is None there (never NaN)."""
    if len(frames) == 1:
        return frames[0]
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="OGC:CRS84")
    for column in out.columns:
        if column != out.geometry.name:
            values = out[column].astype(object)
            out[column] = values.where(values.notna(), None)
    return out
