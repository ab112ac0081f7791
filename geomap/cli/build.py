"""``geomap build``: many maps from a project file or a folder of articles, rebuilding
only what changed. The work is :mod:`geomap.tools.project`'s; this module reads options and
reports progress."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from geomap.cli.geocoder_options import add_geocoder_arguments, cache_from_args, options_from_args
from geomap.errors import printable
from geomap.fetch import Limits
from geomap.maps.export import FORMATS

if TYPE_CHECKING:
    from geomap.tools.project import MapOutcome, Project

EXAMPLES = """examples:
  geomap build                          # the maps listed in ./geomap.toml
  geomap build report/geomap.toml --force
  geomap build articles/ -o maps/       # every .txt/.html article in a folder
  geomap build articles/ -f html -f geojson --tiles none -q

a project file (paths are relative to it; only [[map]] article is required):
  output_dir = "maps"
  title = "Maps for the report"          # heading of maps/index.html
  # max_bytes = "20MB"                   # largest article (file or download); --max-bytes
  # fetch_timeout = 30                   # seconds per download or geocoder request; --fetch-timeout

  [defaults]                             # every map, unless it says otherwise
  formats = ["html", "geojson"]          # html, fragment, iframe, png, pdf, svg, geojson
  tiles = "OpenTopoMap"                  # or "none"
  geocoder = "offline"                   # or "nominatim", ... (geomap map --help), with
  # geocoder_options = { user_agent = "newsmap/1.0 (me@example.org)" }
  ranker = "context"                     # or population
  cdn = false                            # true: link Leaflet from CDNs (a lighter page that needs a network)
  drop = ["Lincoln"]                     # corrections, applied to every map

  [[map]]
  article = "articles/mosul.txt"         # path or http(s) URL
  name = "mosul"                         # output file names (default: the article's)
  title = "The battle for Mosul"
  drop = ["Philippines"]                 # by name, mention or id ("geonames:99072")
  pin = [{ name = "east Mosul", lat = 36.36, lon = 43.17 }]
  add = ["Baghdad", { name = "Hammam al-Alil", lat = 36.16, lon = 43.26 }]

A map is rebuilt when its article, options, corrections, the geomap version or the
gazetteer changed, or an output is missing (output_dir/.geomap-build.json records
what was built). Outputs are written atomically: Ctrl-C keeps every finished map,
and the next build carries on. output_dir/index.html links every map.

Paths in a project file stay inside its folder unless it says allow_outside = true.
A second build of the same output folder waits for the first (--no-wait: fails).

exit status: 0 all maps built or up to date; 1 some failed (the others are built);
2 the project file or an option is wrong, or the output folder cannot be written or
the gazetteer is missing (the build stops); 130 interrupted.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build", help="build many maps from a project file or a folder, only those that changed", epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Build the maps a project file (geomap.toml) lists, or one map per article in a folder,\n"
        "rebuilding only those whose inputs changed, and write an index.html linking them.",
    )  # fmt: skip
    p.add_argument("project", nargs="?", type=Path, metavar="PROJECT",
                   help="project file, its folder, or a folder of articles (default: ./geomap.toml)")  # fmt: skip
    p.add_argument("-o", "--output-dir", type=Path, metavar="DIR",
                   help="where the maps go (default: the project's output_dir; for a folder, ./outputs)")  # fmt: skip
    p.add_argument("--force", action="store_true", help="rebuild every map, changed or not")
    p.add_argument("-f", "--format", action="append", choices=FORMATS, dest="formats", metavar="FORMAT",
                   help=f"output format, repeatable: {', '.join(FORMATS)} (overrides the project file)")  # fmt: skip
    p.add_argument("--tiles", help="basemap for every map: a Folium/xyzservices tile name, or 'none'")
    p.add_argument(
        "--cdn", action="store_true", default=None, help="link Leaflet from CDNs: lighter pages that need a network"
    )
    p.add_argument("--inline-assets", action="store_false", dest="cdn", help=argparse.SUPPRESS)  # the default now
    p.add_argument("--ranker", choices=("context", "population"), help="how to choose among candidates")
    p.add_argument("--allow-empty", action="store_true", help="map an article without places too (else it fails)")
    p.add_argument("--no-wait", action="store_true",
                   help="if another build is writing to the output folder, fail at once instead of waiting")  # fmt: skip
    add_geocoder_arguments(p)
    # None: the project file decides.
    p.set_defaults(func=run, geocoder=None)


def run(args: argparse.Namespace) -> int:
    from geomap.tools import project as proj

    project = _with_limits(_project(args), args)
    quiet, verbose = getattr(args, "quiet", False), getattr(args, "verbose", False)
    done: list[MapOutcome] = []
    with _Progress(len(project.maps), quiet=quiet, verbose=verbose) as progress:

        def on_map(outcome: MapOutcome) -> None:
            done.append(outcome)
            progress.update(outcome)

        try:
            result = proj.build(project, force=args.force, cache=cache_from_args(args), fallback=not args.no_fallback,
                                allow_empty=args.allow_empty, wait=not args.no_wait, on_map=on_map)  # fmt: skip
        except KeyboardInterrupt:
            built = sum(o.status == "built" for o in done)
            progress.write(f"geomap: interrupted after {len(done)} of {len(project.maps)} maps ({built} built); "
                           "finished maps are kept: run the same command to carry on")  # fmt: skip
            raise
    for outcome in result.failed:
        reason, label = outcome.reason or "", outcome.spec.label
        print(f"geomap: failed: {printable(reason if label in reason else f'{label}: {reason}')}", file=sys.stderr)
    if not quiet:
        print(f"{result.summary()} -> {printable(result.index)}", file=sys.stderr)
    return 1 if result.failed else 0


def _project(args: argparse.Namespace) -> Project:
    from geomap.errors import GeomapError
    from geomap.tools import project as proj

    overrides: dict[str, Any] = {}
    for key in ("formats", "tiles", "cdn", "ranker", "geocoder"):
        if getattr(args, key) is not None:
            overrides[key] = getattr(args, key)
    if options := options_from_args(args):
        overrides["geocoder_options"] = options
    target = args.project
    if target is not None and (target / proj.PROJECT_FILE).is_file():
        target = target / proj.PROJECT_FILE  # a project's folder
    if target is not None and target.is_dir():
        return proj.from_folder(target, output_dir=args.output_dir or proj.DEFAULT_OUTPUT_DIR, overrides=overrides)
    path = target or Path(proj.PROJECT_FILE)
    if target is None and not path.exists():
        raise GeomapError(f"no {proj.PROJECT_FILE} here: write one (see 'geomap build --help') "
                          "or give a folder of articles: geomap build articles/")  # fmt: skip
    project = proj.load(path, overrides=overrides)
    if args.output_dir is not None:
        project = replace(project, output_dir=args.output_dir)
    return project


def _with_limits(project: Project, args: argparse.Namespace) -> Project:
    """The project's limits, those given on the command line winning."""
    limits = Limits(max_bytes=args.max_bytes or project.limits.max_bytes,
                    timeout=args.fetch_timeout or project.limits.timeout)  # fmt: skip
    return replace(project, limits=limits)


class _Progress:
    """A tqdm bar on stderr when it is a terminal and not --quiet; with --verbose, a line per map."""

    def __init__(self, total: int, *, quiet: bool, verbose: bool) -> None:
        from tqdm import tqdm

        self.verbose = verbose and not quiet
        self.bar = tqdm(total=total, unit="map", file=sys.stderr, disable=quiet or not sys.stderr.isatty(),
                        dynamic_ncols=True, leave=False)  # fmt: skip

    def __enter__(self) -> Self:
        from tqdm.contrib.logging import logging_redirect_tqdm

        self._logging = logging_redirect_tqdm()  # warnings print above the bar, not through it
        self._logging.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._logging.__exit__(kind, exc, tb)
        self.bar.close()

    def update(self, outcome: MapOutcome) -> None:
        if self.verbose:
            if outcome.status == "built":
                detail = f"{outcome.places} places -> {', '.join(str(p) for p in outcome.outputs)}"
            else:
                detail = outcome.reason or "unchanged"
            self.write(f"{outcome.status} {outcome.spec.name}: {detail}")
        self.bar.set_postfix_str(outcome.spec.name, refresh=False)
        self.bar.update()

    def write(self, line: str) -> None:
        self.bar.write(printable(line), file=sys.stderr)
