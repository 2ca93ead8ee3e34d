"""Command line: ``python -m geo validate|stats|changes|build-base|build-borders|build-context``.

Every figure a briefing quotes can be reproduced here as JSON, from the same code the page uses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.catalog import DATA_DIR, load_features, load_milestones
from geo.errors import GeoDataError
from geo.progress import segments_from_features, stats
from geo.timeline import changes_between
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
    for layer in args.layers.split(","):
        features = load_features(args.data / f"{layer}.geojson")
        measured = segments_from_features(features) if layer == "borders" else []
        for change in changes_between(layer, features, args.from_date, args.to_date):
            item = change.__dict__.copy()
            if layer == "borders":
                seg = next(s for s in measured if s.props["id"] == change.feature_id)
                item["km"] = round(seg.km, 2)
            out.append(item)
    print(
        json.dumps(
            {"from": args.from_date.isoformat(), "to": args.to_date.isoformat(), "changes": out},
            indent=2,
        )
    )
    return 0


def _cmd_build_base(args: argparse.Namespace) -> int:
    from geo.base import cli_build_base

    return cli_build_base(args.rest)


def _cmd_build_borders(args: argparse.Namespace) -> int:
    from geo.segments import cli_build_borders

    return cli_build_borders(args.rest)


def _cmd_build_context(args: argparse.Namespace) -> int:
    from geo.build_context import cli_build_context

    return cli_build_context(args.rest)


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

    sub.add_parser("build-base", help="rebuild data/base/ from the OSM package (see its --help)")
    sub.add_parser("build-borders", help="cut data/borders.geojson from the spec (see its --help)")
    sub.add_parser("build-context", help="rebuild data/context/ (GeoNames, GSHHG; see its --help)")

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "build-context":
        return int(_cmd_build_context(argparse.Namespace(rest=argv[1:])))
    if argv and argv[0] in {"build-base", "build-borders"}:
        args = argparse.Namespace(rest=argv[1:])
        run = _cmd_build_base if argv[0] == "build-base" else _cmd_build_borders
        return int(run(args))
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except GeoDataError as err:
        print(err.sentence(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
