"""``geomap map`` and ``geomap places``: one article in, a map or a table out."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from geomap.cli import add_recognizer_argument
from geomap.cli.geocoder_options import add_geocoder_arguments, limits_from_args, source_from_args
from geomap.errors import GeomapError, printable
from geomap.maps.export import DEFAULT_FRAGMENT_HEIGHT, DEFAULT_PNG_SIZE, FORMATS, css_length, png_scale, png_size
from geomap.maps.render import checked_map_id

if TYPE_CHECKING:
    from geomap import Places

T = TypeVar("T")

MAP_EXAMPLES = """examples:
  geomap map data/articles/mosul.txt -o outputs/mosul.html
  geomap map article.html --format png -o report/figure1.png
  geomap map article.txt --format fragment -o report/map.html --tiles none --height 600px
  geomap map article.txt --format png --size 1600x900 -o report/figure1.png
  geomap map https://example.org/news/story --geocoder nominatim --user-agent "me@example.org"
"""
PLACES_EXAMPLES = """examples:
  geomap places data/articles/mosul.txt
  geomap places data/articles/mosul.txt --json | jq '.[].name'
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser(
        "map", help="draw the places an article mentions on a map", epilog=MAP_EXAMPLES, formatter_class=fmt,
        description="Read an article (text or HTML file, or URL), find and resolve its places, write a map.",
    )  # fmt: skip
    p.add_argument("article", help="path or http(s) URL of the article")
    p.add_argument("-o", "--output", type=Path, help="output file (default: outputs/<article name>.<format>)")
    p.add_argument(
        "-f", "--format", choices=FORMATS,
        help="html page (default, or from the output suffix), HTML fragment, iframe snippet, PNG, PDF or SVG "
        "figure, GeoJSON",
    )  # fmt: skip
    p.add_argument("--title", help="map title (default: the article's title)")
    p.add_argument(
        "--source", help="publisher named in the caption, e.g. 'Daily Caller' (default: the page's metadata)"
    )
    p.add_argument("--date", help="publication date in the caption (default: the page's metadata)")
    p.add_argument("--credit", help="who made the map, ending the caption, e.g. 'Map: J. Doe'")
    p.add_argument("--tiles", default="OpenStreetMap", help="basemap: a Folium/xyzservices tile name, or 'none'")
    p.add_argument(
        "--cdn", action="store_true", help="link Leaflet from public CDNs: a lighter page that needs a network"
    )
    p.add_argument(
        "--inline-assets", action="store_true", help=argparse.SUPPRESS
    )  # the default now; kept for old scripts
    p.add_argument(
        "--map-id",
        type=_checked(checked_map_id),
        metavar="ID",
        help="name of the map's elements (letters, digits, underscores; default: a hash of its content)",
    )
    p.add_argument(
        "--size", type=_checked(png_size), default=DEFAULT_PNG_SIZE, metavar="WxH",
        help="figure size in CSS pixels, for PNG, PDF and SVG (default: {}x{})".format(*DEFAULT_PNG_SIZE),
    )  # fmt: skip
    p.add_argument("--allow-empty", action="store_true", help="write a map even when the article has no places")
    p.add_argument(
        "--scale",
        type=_checked(png_scale),
        default=1.0,
        metavar="N",
        help="device pixels per CSS pixel of a PNG: 2 for high-DPI screens and print (default: 1)",
    )
    p.add_argument(
        "--height", type=_checked(css_length), default=DEFAULT_FRAGMENT_HEIGHT, metavar="LENGTH",
        help=f"height of a fragment or iframe, a CSS length such as 600px or 70vh (default: {DEFAULT_FRAGMENT_HEIGHT})",
    )  # fmt: skip
    _add_common(p)
    p.set_defaults(func=run_map)

    q = sub.add_parser(
        "places", help="list the places an article mentions", epilog=PLACES_EXAMPLES, formatter_class=fmt,
        description="Print the resolved places as a table (name, kind, country, lat, lon, mentions, confidence).",
    )  # fmt: skip
    q.add_argument("article", help="path or http(s) URL of the article")
    q.add_argument("--json", action="store_true", help="print JSON with every mention and alternative")
    _add_common(q)
    q.set_defaults(func=run_places)


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--ranker", choices=("context", "population"), default="context",
        help="how to choose among candidates: article context (default) or population only (the baseline)",
    )  # fmt: skip
    add_recognizer_argument(p)
    add_geocoder_arguments(p)


def _checked(parse: Callable[[str], T]) -> Callable[[str], T]:
    """An argparse type from a parser that raises GeomapError, so its message is the usage error."""

    def convert(text: str) -> T:
        try:
            return parse(text)
        except GeomapError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def _parse(args: argparse.Namespace) -> Places:
    import geomap

    article = geomap.read(args.article, limits=limits_from_args(args))
    return geomap.parse(article, geocoder=source_from_args(args), ranker=args.ranker, recognizer=args.recognizer)


def run_map(args: argparse.Namespace) -> int:
    from geomap.errors import NO_PLACES
    from geomap.maps.export import export
    from geomap.maps.panels import with_caption

    places = _parse(args)
    if not places and not args.allow_empty:
        print(f"geomap: {printable(args.article)}: {NO_PLACES}", file=sys.stderr)
        return 1
    stem = Path(str(args.article).rstrip("/")).stem or "map"
    output = args.output or Path("outputs") / f"{stem}.{_suffix(args.format or 'html')}"
    tiles = None if args.tiles.lower() == "none" else args.tiles
    article = with_caption(places.article, args.source, args.date) if places.article else None
    written = export(
        places, output, args.format, article=article, title=args.title, tiles=tiles, cdn=args.cdn,
        map_id=args.map_id, width=args.size[0], height=args.size[1], scale=args.scale, fragment_height=args.height,
        credit=args.credit,
    )  # fmt: skip
    if not args.quiet:
        print(f"{len(places)} places -> {printable(written)}", file=sys.stderr)
    return 0


def _suffix(fmt: str) -> str:
    return fmt if fmt in ("png", "pdf", "svg", "geojson") else "html"


def run_places(args: argparse.Namespace) -> int:
    places = _parse(args)
    if args.json:
        print(json.dumps([p.as_dict() for p in places], ensure_ascii=False, indent=2))
        return 0
    rows = [
        (printable(p.name), p.kind, printable(p.country or ""), f"{p.lat:.4f}", f"{p.lon:.4f}", str(len(p.mentions)),
         f"{p.confidence:.2f}")
        for p in places
    ]  # fmt: skip
    header = ("name", "kind", "country", "lat", "lon", "mentions", "confidence")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    numeric = {3, 4, 5, 6}
    for row in [header, *rows]:
        cells = [c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        print("  ".join(cells).rstrip())
    return 0
