"""How time grows with the article: ``parse`` (recognise and resolve) and the HTML map
(``geomap map``'s shapes, map and page, written) of long real text and of articles naming
many distinct places, with the growth exponents between sizes (1.0 is linear, 2.0
quadratic). Prints figures and whether they meet the goals (5 MB of text under 30 s,
10,000 places under 10 s); asserts nothing.

    .venv/bin/python benchmarks/scaling.py [--mb 0.1 0.5 1 2 5] [--places 1000 3000 10000] [--no-map]

Text is the articles of the corpora in ../shared/corpora (read with
geomap.tools.corpora) joined with blank lines and repeated as needed. Place articles
name distinct towns drawn from the gazetteer, the most important first, a few to a
sentence after "in", so that the recogniser accepts them.
"""

from __future__ import annotations

import argparse
import logging
import math
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geomap
from geomap.cli import collect_less
from geomap.gazetteer.reader import default_path
from geomap.maps.export import export
from geomap.model import Article
from geomap.tools.corpora import read_corpus

CORPORA = ROOT.parent / "shared" / "corpora"
TEXT_GOAL = (5.0, 30.0)  # MB, seconds
PLACES_GOAL = (10_000, 10.0)  # places, seconds
PER_SENTENCE = 4
T = TypeVar("T")


@lru_cache(maxsize=1)
def corpus_articles() -> list[str]:
    logging.disable(logging.WARNING)  # the readers' notes on repaired gold offsets do not matter here
    return [a.text for path in sorted(CORPORA.glob("*.xml")) for a in read_corpus(path)]


def corpus_text(megabytes: float) -> str:
    """Real news text of about ``megabytes`` MB (UTF-8), whole articles joined by blank lines."""
    articles = corpus_articles()
    if not articles:
        raise SystemExit(f"no corpora in {CORPORA}")
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0
    while size < target:
        for text in articles:
            parts.append(text)
            size += len(text.encode("utf-8")) + 2
            if size >= target:
                break
    return "\n\n".join(parts)


def town_names(count: int) -> list[str]:
    """``count`` distinct town names of the gazetteer, most important first, each a name
    of one word or more in Latin capitals that is no other row's key."""
    con = sqlite3.connect(f"file:{default_path()}?mode=ro&immutable=1", uri=True)
    rows = con.execute(
        "SELECT p.name FROM places p WHERE p.fcode LIKE 'PPL%' ORDER BY p.importance DESC, p.id"
    ).fetchall()
    con.close()
    seen: set[str] = set()
    names: list[str] = []
    for (name,) in rows:
        key = geomap.text.normalize(name)
        if key in seen or not name[:1].isupper() or not name.replace(" ", "").replace("-", "").isalpha():
            continue
        seen.add(key)
        names.append(name)
        if len(names) == count:
            break
    return names


def places_text(count: int) -> str:
    names = town_names(count)
    sentences = []
    for k in range(0, len(names), PER_SENTENCE):
        group = names[k : k + PER_SENTENCE]
        sentences.append(f"Reporters travelled in {', in '.join(group[:-1])} and in {group[-1]}.")
    return "\n\n".join(" ".join(sentences[k : k + 5]) for k in range(0, len(sentences), 5))


def timed(step: Callable[[], T]) -> tuple[float, float, T]:
    """Wall and CPU seconds of ``step`` (CPU time is what the code costs on a busy machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def draw(places: geomap.Places) -> None:
    """What ``geomap map`` does after parsing: shapes, the map, its HTML page, written."""
    with tempfile.TemporaryDirectory() as folder:
        export(places, Path(folder) / "map.html", article=places.article)


def growth(now: float, before: float, size: float, previous: float) -> str:
    return f"{math.log(now / before) / math.log(size / previous):.2f}" if before > 0 and now > 0 else "-"


def measure(label: str, sizes: Sequence[float], make: Callable[[float], str], unit: str, maps: bool) -> list[float]:
    """CPU seconds to parse (and draw) each size; prints a row per size with the growth
    exponents of parse, map and total since the size before."""
    print(f"{label}:")
    print(f"  {'size':>9}  {'places':>7}  {'parse s':>8}  {'map s':>7}  {'total s':>8}  {'(wall s)':>8}  "
          "growth parse/map/total")  # fmt: skip
    rows: list[tuple[float, float, float]] = []
    for k, size in enumerate(sizes):
        article = Article(text=make(size), title=f"{label} {size:g} {unit}")
        wall, parse_s, places = timed(partial(geomap.parse, article))
        map_wall, map_s, _ = timed(partial(draw, places)) if maps else (0.0, 0.0, None)
        row = (parse_s, map_s, parse_s + map_s)
        grown = "/".join(growth(now, before, size, sizes[k - 1]) for now, before in zip(row, rows[-1])) if k else ""
        rows.append(row)
        print(
            f"  {size:>6g} {unit:<2} {len(places):>7}  {parse_s:>8.2f}  {map_s:>7.2f}  {row[2]:>8.2f}  "
            f"{wall + map_wall:>8.2f}  {grown}"
        )
    return [total for _, _, total in rows]


def goal(sizes: Sequence[float], seconds: list[float], size: float, limit: float, what: str) -> None:
    if size in sizes:
        took = seconds[list(sizes).index(size)]
        print(f"  goal: {what} in under {limit:g} s: {'met' if took < limit else 'NOT met'} ({took:.2f} s)")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, nargs="*", default=[0.1, 0.5, 1, 2, 5])
    parser.add_argument("--places", type=int, nargs="*", default=[1000, 3000, 10000])
    parser.add_argument("--no-map", action="store_true", help="time parse only, not the HTML map")
    args = parser.parse_args(argv)
    collect_less()  # as the geomap command does
    geomap.parse("Warming up in Mosul.")  # open the gazetteer and load the word lists once
    print("CPU seconds (wall in brackets; the machine may be shared); growth: log(t2/t1)/log(size2/size1)")
    if args.mb:
        text = measure("real text", args.mb, corpus_text, "MB", not args.no_map)
        goal(args.mb, text, TEXT_GOAL[0], TEXT_GOAL[1], f"{TEXT_GOAL[0]:g} MB")
    if args.places:
        placed = measure("distinct places", args.places, lambda n: places_text(int(n)), "", not args.no_map)
        goal(args.places, placed, PLACES_GOAL[0], PLACES_GOAL[1], f"{PLACES_GOAL[0]} places")


if __name__ == "__main__":
    main()
