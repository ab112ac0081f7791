"""``geomap cache info`` and ``geomap cache clear``: the cache of online geocoders' answers."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import printable

if TYPE_CHECKING:
    from geomap.geocoders.cache import GeocodeCache

EXAMPLES = """examples:
  geomap cache info
  geomap cache info --json
  geomap cache clear --service nominatim
  geomap cache clear --cache-dir /tmp/geomap-cache
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    from geomap.cli import ArgumentParser

    fmt = argparse.RawDescriptionHelpFormatter
    c = sub.add_parser(
        "cache", help="show or clear cached geocoder answers", epilog=EXAMPLES, formatter_class=fmt,
        description="Online geocoders' answers are cached (GEOMAP_CACHE_DIR, or the user cache directory) "
                    "so that mapping an article again sends no request.",
    )  # fmt: skip
    csub = c.add_subparsers(dest="cache_command", metavar="ACTION", parser_class=ArgumentParser)
    csub.required = True
    info = csub.add_parser(
        "info", help="where the cache is, its size and entries per service", epilog=EXAMPLES, formatter_class=fmt
    )
    info.add_argument("--json", action="store_true", help="print the figures as JSON")
    clear = csub.add_parser("clear", help="forget cached answers", epilog=EXAMPLES, formatter_class=fmt)
    clear.add_argument("--service", metavar="NAME", help="forget only this geocoder's answers (e.g. nominatim)")
    for p in (info, clear):
        p.add_argument(
            "--cache-dir",
            type=Path,
            metavar="DIR",
            help="cache directory (default: GEOMAP_CACHE_DIR or the user cache directory)",
        )
    info.set_defaults(func=run_info)
    clear.set_defaults(func=run_clear)


def _cache(args: argparse.Namespace) -> GeocodeCache:
    from geomap.geocoders.cache import open_cache

    cache = open_cache(args.cache_dir or True)
    assert cache is not None
    return cache


def run_info(args: argparse.Namespace) -> int:
    info = _cache(args).info()
    if args.json:
        print(json.dumps({"path": str(info.path), "entries": info.entries, "size": info.size,
                          "services": info.services}, indent=2))  # fmt: skip
    else:
        print(info.summary())
    return 0


def run_clear(args: argparse.Namespace) -> int:
    cache = _cache(args)
    removed = cache.clear(args.service)
    if removed is None:
        print(f"removed the unusable cache {printable(cache.path)}; a new one is started")
        return 0
    which = f" {args.service}" if args.service else ""
    print(f"removed {removed}{printable(which)} answer{'s' if removed != 1 else ''} from {printable(cache.path)}")
    return 0
