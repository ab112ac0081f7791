"""The ``geomap`` command: a thin layer over the library.

Each subcommand group lives in its own module exposing ``add_parser(subparsers)``;
handlers take the parsed arguments and return an exit code. Every failure the user
can fix surfaces as one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import importlib
import logging
import re
import sys
from collections.abc import Sequence

from geomap import __version__
from geomap.errors import GeomapError, printable
from geomap.recognize import names as recognizer_names

#: Modules under ``geomap.cli`` that contribute subcommands, in ``--help`` order.
COMMAND_MODULES: tuple[str, ...] = ("map", "build", "gazetteer", "eval", "cache")

EXAMPLES = """examples:
  geomap map data/articles/mosul.txt -o outputs/mosul.html
  geomap places data/articles/mosul.txt
  geomap build                         # every map in ./geomap.toml, only those that changed
  geomap build articles/ -o maps/      # one map per article in a folder
  geomap gazetteer lookup Mosul
  geomap eval tests/data/mosul.gold.jsonl

Run 'geomap COMMAND --help' for a command's options and examples.
Exit status: 0 done; 1 some maps of a build failed; 2 bad input or options; 130 interrupted.
"""

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but an unknown option names the nearest valid one."""

    def error(self, message: str) -> None:  # type: ignore[override]
        hint = self._suggestion(message)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}{hint}\n")

    def _suggestion(self, message: str) -> str:
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)$", message)
        if choice:
            close = difflib.get_close_matches(choice.group(1), re.findall(r"'([^']*)'", choice.group(2)), n=1)
            return f" (did you mean {close[0]}?)" if close else ""
        if not message.startswith("unrecognized arguments:"):
            return ""
        known = _option_strings(self)
        for word in message.split(":", 1)[1].split():
            if word.startswith("-"):
                close = difflib.get_close_matches(word.split("=", 1)[0], known, n=1, cutoff=0.6)
                if close:
                    return f" (did you mean {close[0]}?)"
        return ""


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    """Every option of the parser and its subcommands: unknown options surface at the top."""
    known: list[str] = []
    for action in parser._actions:
        known.extend(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                known.extend(_option_strings(sub))
    return known


def add_recognizer_argument(parser: argparse.ArgumentParser) -> None:
    """``--recognizer``, shared by the commands that find places, so recognisers can be compared."""
    parser.add_argument(
        "--recognizer", choices=recognizer_names(), default="gazetteer",
        help="how place names are found: the gazetteer matcher (default) or a spaCy model "
        "(pip install 'geomap[spacy]'; model en_core_web_sm, or $GEOMAP_SPACY_MODEL)",
    )  # fmt: skip


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="geomap",
        description="Turn a news article into an annotated map.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"geomap {__version__}")
    _add_verbosity(parser, default=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"geomap.cli.{name}").add_parser(sub)
    for leaf in _leaf_parsers(parser):
        # 'geomap map x.txt -q' works too; SUPPRESS keeps 'geomap -q map x.txt' from being reset.
        _add_verbosity(leaf, default=argparse.SUPPRESS)
    return parser


def _add_verbosity(parser: argparse.ArgumentParser, default: object) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", default=default, help="print errors only")
    group.add_argument("-v", "--verbose", action="store_true", default=default, help="say what each stage does")


def _leaf_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [parser]
    return [leaf for a in subs for child in a.choices.values() for leaf in _leaf_parsers(child)]


class _Formatter(logging.Formatter):
    """Log lines with their untrusted parts (names, paths, URLs) made printable; a traceback
    (with --verbose) is left as it is."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return printable(super().formatMessage(record))


def collect_less() -> None:
    """Collect the youngest objects every 100,000 allocations, not every 700 (Python's
    default): a long article keeps millions of small objects alive to the end of the run,
    and rescanning them took a fifth of the CPU time of a map of 10,000 places. Cycles are
    still collected."""
    gc.set_threshold(100_000, *gc.get_threshold()[1:])


def main(argv: Sequence[str] | None = None) -> int:
    collect_less()
    args = build_parser().parse_args(argv)
    level = logging.ERROR if args.quiet else logging.INFO if args.verbose else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter("geomap: %(levelname)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    try:
        return int(args.func(args) or 0)
    except GeomapError as exc:
        print(f"geomap: error: {printable(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("geomap: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
