"""Command line: ``python -m layers export`` (a sheet, map or data file) and ``brief`` (a pack).

Examples::

    python -m layers export --date 2021-10-15 --format pdf --out brief.pdf --handling INTERNAL
    python -m layers export --date 2021-10-15 --bbox 70.5,39.8,70.7,40.0 --format png --out v.png
    python -m layers export --date 2021-10-15 --format html --out map.html
    python -m layers export --date 2021-10-15 --format gpkg --out view.gpkg --layers borders
    python -m layers brief --story story.json --format pptx --out brief.pptx

``--out`` never overwrites an existing file unless ``--force`` is given.

A malformed option gives one sentence on stderr and exit status 2; nothing needs the network.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import geopandas as gpd

from geo.catalog import DATA_DIR
from geo.errors import GeoDataError, ParamError
from geo.schema import STATUSES
from geo.story import MAX_STORY_BYTES, read_story
from geo.timeline import LOOKBACK_DAYS_DEFAULT
from layers import LAYER_IDS, load_frames
from layers._draw import ViewOptions
from layers.brief import FORMATS as PACK_FORMATS
from layers.brief import render_pack
from layers.dataout import view_gpkg, view_kml
from layers.download import view_geojson
from layers.export import (
    DEFAULT_BBOX,
    DEFAULT_TITLE,
    MAX_TITLE,
    ORIENTATIONS,
    PAPERS,
    SheetRequest,
    check_bbox,
    export_figure,
)
from layers.standalone import standalone_html
from layers.urlstate import FIRST_DAY, default_layers

MAX_PROBLEM_LINES = 5


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (``prog: error: …``) without the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None
    today = dt.date.today()
    if not FIRST_DAY <= day <= today:
        raise argparse.ArgumentTypeError(f"{text} is not between {FIRST_DAY} and {today}")
    return day


def _bbox(text: str) -> tuple[float, float, float, float]:
    parts = text.split(",")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(parts) != 4 or len(values) != 4 or not all(map(math.isfinite, values)):
        raise argparse.ArgumentTypeError(f"{text[:60]!r} is not four numbers W,S,E,N")
    try:
        return check_bbox(values)
    except ParamError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _choices(allowed: Sequence[str], what: str) -> Callable[[str], tuple[str, ...]]:
    def parse(text: str) -> tuple[str, ...]:
        items = [t.strip() for t in text.split(",") if t.strip()]
        unknown = [t for t in items if t not in allowed]
        if unknown:
            raise argparse.ArgumentTypeError(
                f"unknown {what} {unknown[0][:40]!r} (choose from {', '.join(allowed)})"
            )
        return tuple(a for a in allowed if a in items)

    return parse


def _window(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = 0
    if not 1 <= days <= 3650:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a number of days from 1 to 3650")
    return days


def _dpi(text: str) -> int:
    try:
        dpi = int(text)
    except ValueError:
        dpi = 0
    if not 72 <= dpi <= 600:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a resolution from 72 to 600 dpi")
    return dpi


def _line(limit: int, what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not text.strip() or len(text) > limit or not text.isprintable():
            raise argparse.ArgumentTypeError(
                f"{what} must be 1 to {limit} printable characters on one line"
            )
        return text.strip()

    return parse


def _out(text: str) -> Path:
    path = Path(text)
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"folder {str(path.parent)[:120]!r} does not exist")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text[:120]!r} is a folder, not a file name")
    return path


def _data_dir(text: str) -> Path:
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"data folder {text[:120]!r} does not exist")
    return path


def _refuse_overwrite(path: Path, *, force: bool) -> None:
    if path.exists() and not force:
        raise ParamError(f"{str(path)[:120]} already exists; pass --force to overwrite it")


def _frames(data: Path) -> dict[str, gpd.GeoDataFrame]:
    frames, problems = load_frames(data)
    for line in problems[:MAX_PROBLEM_LINES]:
        print(f"warning: {line}", file=sys.stderr)
    if len(problems) > MAX_PROBLEM_LINES:
        print(f"warning: {len(problems) - MAX_PROBLEM_LINES} more data problem(s)", file=sys.stderr)
    return frames


def _cmd_export(args: argparse.Namespace) -> int:
    _refuse_overwrite(args.out, force=args.force)
    frames = _frames(args.data)
    view = ViewOptions(statuses=frozenset(args.status), window_days=args.window)
    data_out = {"gpkg": view_gpkg, "kml": view_kml}
    if args.format in data_out:
        layers = [layer for layer in args.layers if layer != "base"]
        made = data_out[args.format](
            frames, as_of=args.date, layers=layers, view=view, bbox=args.bbox
        )
        args.out.write_bytes(made)
    elif args.format == "geojson":
        args.out.write_bytes(view_geojson(frames, as_of=args.date, layers=args.layers, view=view))
    elif args.format == "html":
        html = standalone_html(
            frames,
            as_of=args.date,
            layers=args.layers,
            view=view,
            title=args.title,
            bbox=args.bbox,
        )
        args.out.write_text(html, encoding="utf-8")
    else:
        request = SheetRequest(
            as_of=args.date,
            bbox=args.bbox or DEFAULT_BBOX,
            layers=args.layers,
            view=view,
            title=args.title,
            handling=args.handling,
            fmt=args.format,
            paper=args.paper,
            orientation=args.orientation,
            dpi=args.dpi,
        )
        data = export_figure(frames, request)
        args.out.write_bytes(data)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


def _cmd_brief(args: argparse.Namespace) -> int:
    _refuse_overwrite(args.out, force=args.force)
    story_path: Path = args.story
    if story_path.stat().st_size > MAX_STORY_BYTES:
        raw = story_path.read_bytes()[: MAX_STORY_BYTES + 1]  # never read more than the cap
    else:
        raw = story_path.read_bytes()
    story = read_story(raw, name=story_path.name, layer_ids=LAYER_IDS)
    frames = _frames(args.data)

    def progress(done: int, total: int, what: str) -> None:
        print(f"[{done}/{total}] {what}", file=sys.stderr)

    data = render_pack(frames, story, fmt=args.format, progress=progress)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


def _story_file(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"story file {text[:120]!r} does not exist")
    return path


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m layers`` argument parser."""
    parser = _Parser(prog="python -m layers", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("export", help="briefing sheet (png, pdf) or standalone map (html)")
    p.add_argument("--date", type=_date, default=dt.date.today(), help="as of (YYYY-MM-DD)")
    p.add_argument("--bbox", type=_bbox, default=None, help="W,S,E,N in degrees")
    p.add_argument(
        "--format", choices=("png", "pdf", "html", "gpkg", "kml", "geojson"), default="png"
    )
    p.add_argument("--out", type=_out, required=True, help="output file")
    p.add_argument("--title", type=_line(MAX_TITLE, "--title"), default=DEFAULT_TITLE)
    p.add_argument(
        "--layers",
        type=_choices(LAYER_IDS, "layer"),
        default=default_layers(),
        help=f"comma list of {', '.join(LAYER_IDS)}",
    )
    p.add_argument(
        "--status",
        type=_choices(STATUSES, "status"),
        default=STATUSES,
        help=f"border statuses to show: comma list of {', '.join(STATUSES)}",
    )
    p.add_argument("--handling", type=_line(60, "--handling"), default=None)
    p.add_argument("--window", type=_window, default=LOOKBACK_DAYS_DEFAULT, help="look-back days")
    p.add_argument("--paper", choices=tuple(PAPERS), default="A4")
    p.add_argument("--orientation", choices=ORIENTATIONS, default="landscape")
    p.add_argument("--dpi", type=_dpi, default=300)
    p.add_argument("--data", type=_data_dir, default=DATA_DIR, help="data folder")
    p.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    p.set_defaults(run=_cmd_export)
    b = sub.add_parser("brief", help="a story of views as a briefing pack (pdf, pptx)")
    b.add_argument("--story", type=_story_file, required=True, help="story file (JSON)")
    b.add_argument("--format", choices=PACK_FORMATS, default="pdf")
    b.add_argument("--out", type=_out, required=True, help="output file")
    b.add_argument("--data", type=_data_dir, default=DATA_DIR, help="data folder")
    b.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    b.set_defaults(run=_cmd_brief)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; bad options exit 2 with one line, unusable data or output exit 1."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except ParamError as err:  # named after the subcommand, like argparse's own option errors
        parser.exit(2, f"{parser.prog} {args.command}: error: {err}\n")
    except (GeoDataError, OSError) as err:
        print(f"{parser.prog}: error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
