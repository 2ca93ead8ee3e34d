"""The worst overlays we can build under the 10 MB upload cap, and what each costs the server.

Each candidate aims at one cost the review of issue 14 found: escaping expansion in popups
(cells of ``{``), the most features and vertices the caps allow, and KML that parses into many
elements. ``measure_worst_overlay()`` reads and prepares each one the way the page does
(``geo.overlay.read_overlay`` then ``layers.overlay.prepare``) in a fresh process, and reports
the time and the peak memory to accept or refuse it. ``worst_overlay()`` gives the bytes the
load test uploads.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any, Final

from geo.io import MAX_BYTES_DEFAULT
from geo.overlay import MAX_FEATURES, MAX_POSITIONS

LIMIT: Final = MAX_BYTES_DEFAULT - 4096
"""Every candidate stays just under the upload cap."""


def braces_csv() -> bytes:
    """Issue 14's case: 10,000 rows x 40 columns whose cells are runs of ``{``."""
    columns = 40
    header = "lon,lat," + ",".join(f"c{i}" for i in range(columns - 2))
    cell = "{" * ((LIMIT // MAX_FEATURES - 30) // (columns - 2))
    row = "70.6,39.9," + ",".join([cell] * (columns - 2))
    return ("\n".join([header, *[row] * MAX_FEATURES]) + "\n").encode()[:LIMIT]


def polygons_geojson() -> bytes:
    """As many polygons and vertices as the caps allow, each with long text properties."""
    ring_size = MAX_POSITIONS // MAX_FEATURES  # 20 positions per ring, the cap's worth
    side = (ring_size - 1) // 4 + 1
    steps = [k / side * 0.05 for k in range(side)]
    ring = (
        [[70.0 + d, 39.0] for d in steps]
        + [[70.05, 39.0 + d] for d in steps]
        + [[70.05 - d, 39.05] for d in steps]
        + [[70.0, 39.05 - d] for d in steps]
    )[: ring_size - 1]
    ring.append(ring[0])
    base: dict[str, Any] = {
        "type": "Feature",
        "properties": {"name": "x", "note": ""},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    empty = len(json.dumps(base)) + 1
    pad = max(0, (LIMIT - 60) // MAX_FEATURES - empty)
    base["properties"]["note"] = "<{" * (pad // 2)
    feature = json.dumps(base)
    body = ",".join([feature] * MAX_FEATURES)
    return ('{"type":"FeatureCollection","features":[' + body + "]}").encode()


def placemarks_kml() -> bytes:
    """The most placemarks allowed, each with extended data, padded to the cap."""
    data = "".join(f'<Data name="k{i}"><value>{{{{v}}}}</value></Data>' for i in range(12))
    placemark = (
        f"<Placemark><name>p</name><ExtendedData>{data}</ExtendedData>"
        "<Point><coordinates>70.6,39.9</coordinates></Point></Placemark>"
    )
    body = placemark * MAX_FEATURES
    head = '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><description>'
    tail = "</description>" + body + "</Document></kml>"
    pad = max(0, LIMIT - len(head) - len(tail))
    return (head + "x" * pad + tail).encode()


CANDIDATES: Final[dict[str, tuple[str, Callable[[], bytes]]]] = {
    "braces_csv": ("braces.csv", braces_csv),
    "polygons_geojson": ("polygons.geojson", polygons_geojson),
    "placemarks_kml": ("placemarks.kml", placemarks_kml),
}


def measure_one(case: str) -> dict[str, Any]:
    """Read and prepare one candidate here; time, peak RSS and the outcome."""
    import resource
    import time

    from geo.overlay import read_overlay
    from layers import overlay

    filename, make = CANDIDATES[case]
    raw = make()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    result = read_overlay(raw, filename=filename)
    outcome = "refused: " + result.lines()[0] if not result.features else ""
    if result.features:
        prepared = overlay.prepare(result.features, name=filename, digest=case)
        outcome = (
            f"refused: {prepared.problem}"
            if prepared.group is None
            else f"accepted: {len(result.features):,} features, "
            f"{prepared.script_bytes / 2**20:.1f} MB script"
        )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "bytes": len(raw),
        "seconds": round(seconds, 2),
        "rss_before_mb": round(before, 1),
        "rss_peak_mb": round(peak, 1),
        "outcome": outcome,
    }


def worst_overlay() -> tuple[str, bytes]:
    """(file name, bytes) of the candidate that costs the most to accept or refuse."""
    name = max(measure_worst_overlay()["cases"].items(), key=lambda kv: kv[1]["seconds"])[0]
    filename, make = CANDIDATES[name]
    return filename, make()


def measure_worst_overlay() -> dict[str, Any]:
    """Every candidate measured in a fresh process; the worst by time is named."""
    cases: dict[str, Any] = {}
    for case in CANDIDATES:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import json, bench.abuse as a; print(json.dumps(a.measure_one({case!r})))",
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode:
            cases[case] = {"error": done.stderr.strip().splitlines()[-1:]}
        else:
            cases[case] = json.loads(done.stdout.strip().splitlines()[-1])
    timed = {k: v for k, v in cases.items() if "seconds" in v}
    worst = max(timed, key=lambda k: timed[k]["seconds"]) if timed else None
    return {"cases": cases, "worst": worst}


if __name__ == "__main__":
    print(json.dumps(measure_worst_overlay(), indent=2))
