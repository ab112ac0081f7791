"""Options shared by every command that reads articles and resolves places (``geomap map``,
``geomap places``, ``geomap build``): the geocoder, and the limits on what an input may cost."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import GeomapError
from geomap.fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Limits, parse_size, size_text

if TYPE_CHECKING:
    from geomap.geocoders.base import CandidateSource

GROUP_DESCRIPTION = """\
offline (the default) needs no network. Online geocoders are asked at most once a second,
their answers cached, and the offline gazetteer answers for any place they fail on.
Options also come from GEOMAP_USER_AGENT, GEOMAP_<SERVICE>_<OPTION> (GEOMAP_NOMINATIM_DOMAIN,
GEOMAP_OPENCAGE_API_KEY) and [geocoder.<service>] tables in the config file (GEOMAP_CONFIG).
  --geocoder nominatim --user-agent "newsmap/1.0 (me@example.org)"
  --geocoder nominatim --geocoder-option domain=nominatim.example.org --min-delay 0
  --geocoder opencage --api-key KEY"""


def add_geocoder_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("geocoder", GROUP_DESCRIPTION)
    g.add_argument(
        "--geocoder",
        default="offline",
        metavar="NAME",
        help="offline (default), nominatim, or any geopy service: photon, opencage, googlev3, ...",
    )
    g.add_argument("--user-agent", help="who is asking (Nominatim requires one): 'app/1.0 (you@example.org)'")
    g.add_argument("--api-key", help="the service's API key")
    g.add_argument(
        "--geocoder-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="any other option of the geocoder, repeatable: domain=HOST[:PORT], scheme=http, language=en",
    )
    g.add_argument(
        "--min-delay",
        type=float,
        metavar="SECONDS",
        help="at least this long between requests (default: 1 for online services)",
    )
    g.add_argument("--no-cache", action="store_true", help="neither read nor store cached geocoder answers")
    g.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="where to cache geocoder answers (default: GEOMAP_CACHE_DIR or the user cache directory)",
    )
    g.add_argument("--no-fallback", action="store_true",
                   help="stop with an error when the geocoder fails; do not use the offline gazetteer")  # fmt: skip
    add_limit_arguments(parser)


def add_limit_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("limits", "What one input may cost; beyond it, one line says which limit was hit.")
    g.add_argument(
        "--max-bytes", type=_size, metavar="SIZE",
        help=f"largest article file, download or geocoder answer, e.g. 50MB (default: {size_text(DEFAULT_MAX_BYTES)})",
    )  # fmt: skip
    g.add_argument(
        "--fetch-timeout", "--timeout", dest="fetch_timeout", type=_seconds, metavar="SECONDS",
        help=f"time for each download and each geocoder request, start to end (default: {DEFAULT_TIMEOUT:g})",
    )  # fmt: skip


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except GeomapError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"wants a number of seconds above 0, got {text!r}")
    return value


def limits_from_args(args: argparse.Namespace) -> Limits:
    return Limits(max_bytes=args.max_bytes or DEFAULT_MAX_BYTES, timeout=args.fetch_timeout or DEFAULT_TIMEOUT)


def source_from_args(args: argparse.Namespace) -> CandidateSource:
    from geomap.geocoders.online import get_source

    return get_source(args.geocoder, options=options_from_args(args), cache=cache_from_args(args),
                      fallback=not args.no_fallback, limits=limits_from_args(args))  # fmt: skip


def options_from_args(args: argparse.Namespace) -> dict[str, str]:
    """The geocoder's options given on the command line, as ``get_source`` takes them."""
    # geomap reports a failing service itself, once per place; urllib3's per-attempt
    # "Retrying ..." warnings would bury that.
    logging.getLogger("urllib3").setLevel(logging.ERROR)
    options: dict[str, str] = {}
    for item in args.geocoder_option:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise GeomapError(f"--geocoder-option wants KEY=VALUE, got {item!r}")
        options[key.strip()] = value.strip()
    for key, value in (("user_agent", args.user_agent), ("api_key", args.api_key),
                       ("min_delay", args.min_delay), ("timeout", args.fetch_timeout)):  # fmt: skip
        if value is not None:
            options[key] = str(value)
    return options


def cache_from_args(args: argparse.Namespace) -> Path | bool:
    return False if args.no_cache else (args.cache_dir or True)
