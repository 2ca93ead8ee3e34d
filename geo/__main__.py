"""Command line: ``python -m geo validate|stats|changes|freshness|build-base|build-borders|…``.

Every figure a briefing quotes can be reproduced here as JSON, from the same code the page uses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from geo.catalog import DATA_DIR, load_features, load_milestones
from geo.errors import GeoDataError
from geo.freshness import freshness
from geo.progress import segments_from_features, stats
from geo.timeline import changes_between, km_by_status_pair
from geo.validate import validate_folder, validate_path


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def _cmd_validate(args: argparse.Namespace) -> int:
    bad = 0
    for target in args.paths:
        path = Path(target)
        if path.is_dir():
            report = validate_folder(path)
            lines, checked = report.lines(), len(report.files)
        else:
            single = validate_path(path)
            lines, checked = single.lines(), 1
        for line in lines:
            print(line)
        bad += len(lines)
        if not lines:
            print(f"{target}: {checked} file(s) valid", file=sys.stderr)
    return 1 if bad else 0


def _cmd_stats(args: argparse.Namespace) -> int:
    segments = segments_from_features(load_features(args.data / "borders.geojson"))
    milestones = load_milestones(args.data / "milestones.json")
    print(json.dumps(stats(segments, milestones, args.date, border=args.border), indent=2))
    return 0


def _cmd_changes(args: argparse.Namespace) -> int:
    out = []
    pairs: dict[str, float] = {}
    for layer in args.layers.split(","):
        features = load_features(args.data / f"{layer}.geojson")
        measured = segments_from_features(features) if layer == "borders" else []
        if measured:
            pairs = km_by_status_pair(
                ((s.props, s.km) for s in measured), args.from_date, args.to_date
            )
        for change in changes_between(layer, features, args.from_date, args.to_date):
            item = change.__dict__.copy()
            if layer == "borders":
                seg = next(s for s in measured if s.props["id"] == change.feature_id)
                item["km"] = round(seg.km, 2)
            out.append(item)
    print(
        json.dumps(
            {
                "from": args.from_date.isoformat(),
                "to": args.to_date.isoformat(),
                "changes": out,
                "km_by_status_pair": pairs,
            },
            indent=2,
        )
    )
    return 0


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if days < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days (0 or more)")
    return days


def _cmd_freshness(args: argparse.Namespace) -> int:
    rows = freshness(args.data, as_of=args.date, older_than=args.older_than)
    print(json.dumps([row.as_json() for row in rows], indent=2))
    return 0


#: ``python -m geo <command>`` -> (builder module, its ``cli_build_*`` function, help). A new
#: builder (e.g. ``build-context`` in ``geo.build.context``) is one row here.
BUILDERS: dict[str, tuple[str, str, str]] = {
    "build-base": ("geo.build.base", "cli_build_base", "rebuild data/base/ from the OSM package"),
    "build-borders": (
        "geo.build.segments",
        "cli_build_borders",
        "cut data/borders.geojson from the spec",
    ),
    "build-enclaves": (
        "geo.build.enclaves",
        "cli_build_enclaves",
        "cut data/enclaves.geojson from the base polygons",
    ),
    "build-context": (
        "geo.build.context",
        "cli_build_context",
        "rebuild data/context/ (GeoNames settlements, GSHHG rivers and lakes)",
    ),
}


def _builder(command: str) -> Callable[[list[str]], int]:
    """The builder's CLI function, imported only when its command runs (builds are slow to load)."""
    module, function, _ = BUILDERS[command]
    run: Callable[[list[str]], int] = getattr(importlib.import_module(module), function)
    return run


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run one command; bad data gives one sentence and exit status 1."""
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check data files against the data model")
    p.add_argument("paths", nargs="+", help="data files or folders")
    p.set_defaults(run=_cmd_validate)

    p = sub.add_parser("stats", help="computed km by status on a date, with the reported figure")
    p.add_argument("--date", type=_date, default=dt.date.today())
    p.add_argument("--border", default="KGZ-TJK")
    p.add_argument("--data", type=Path, default=DATA_DIR)
    p.set_defaults(run=_cmd_stats)

    p = sub.add_parser("changes", help="what changed between two dates")
    p.add_argument("--from", dest="from_date", type=_date, required=True)
    p.add_argument("--to", dest="to_date", type=_date, required=True)
    p.add_argument("--layers", default="borders,crossings,enclaves,deployments")
    p.add_argument("--data", type=Path, default=DATA_DIR)
    p.set_defaults(run=_cmd_changes)

    p = sub.add_parser(
        "freshness", help="when each lasting feature was last confirmed, oldest first (JSON)"
    )
    p.add_argument("--date", type=_date, required=True)
    p.add_argument("--older-than", dest="older_than", type=_days, default=None, metavar="DAYS")
    p.add_argument("--data", type=Path, default=DATA_DIR)
    p.set_defaults(run=_cmd_freshness)

    for command, (_, _, text) in BUILDERS.items():
        sub.add_parser(command, help=f"{text} (see its --help)")

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in BUILDERS:
            return int(_builder(argv[0])(argv[1:]))
        args = parser.parse_args(argv)
        return int(args.run(args))
    except GeoDataError as err:
        print(err.sentence(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
