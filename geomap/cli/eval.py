"""``geomap eval``: score the geoparser on annotated corpora."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.cli import add_recognizer_argument
from geomap.tools.corpora import FORMATS, GWN_TYPE_SETS

if TYPE_CHECKING:
    from geomap.tools.corpora import Corpus, OffsetPolicy
    from geomap.tools.evaluate import MistakeKind, Report

EXAMPLES = """examples:
  geomap eval tests/data/mosul.gold.jsonl
  geomap eval ../shared/corpora/LGL.xml ../shared/corpora/GeoVirus.xml --ranker both --oracle
  geomap eval ../shared/corpora/GeoWebNews.xml --gwn-types literal --limit 20 --errors outputs/gwn-errors.jsonl
  geomap eval corpus.jsonl --json | jq '.[].recognition_strict.f1'

Recognition is scored on exact spans (strict, the headline) and on overlapping spans
(lenient). Resolution is scored on the strictly matched toponyms (end to end) and, with
--oracle, on every gold toponym: distances, the share resolved to the gold GeoNames id
(where the corpus gives one), and the share whose gold point lies inside the chosen
place's outline (countries, regions, seas, lakes). Gold spans without coordinates, and gold demonyms
("Iraqi"), are unscored: neither rewarded nor penalised. Offsets that disagree with the
text are moved to the nearest occurrence of the name (--strict-offsets fails instead);
the count is printed.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "eval", help="score recognition and resolution on annotated corpora", epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Read annotated corpora (LGL, TR-News, GeoVirus, GeoWebNews XML or geomap JSON lines) and print "
        "recognition precision/recall/F1 and resolution accuracy@161km, mean and median error and AUC.",
    )  # fmt: skip
    p.add_argument("corpus", nargs="+", type=Path, help="corpus file(s)")
    p.add_argument("--format", choices=FORMATS, default="auto", help="corpus format (default: by suffix and XML tags)")
    p.add_argument(
        "--ranker", choices=("context", "population", "both"), default="context",
        help="resolver ranking: article context (default), population only (the baseline), or both side by side",
    )  # fmt: skip
    add_recognizer_argument(p)
    p.add_argument("--limit", type=_positive, metavar="N", help="score only the first N articles of each corpus")
    p.add_argument("--oracle", action="store_true", help="also resolve the gold spans (resolution without recognition)")
    p.add_argument(
        "--gwn-types", choices=GWN_TYPE_SETS, default="toponyms",
        help="GeoWebNews toponyms scored: literal + associative nouns (default), literal only, or all incl. adjectives",
    )  # fmt: skip
    p.add_argument(
        "--demonyms", choices=("unscored", "scored"), default="unscored",
        help="gold demonyms (Iraqi, Russian), which geomap never maps: unscored (default) or scored as published",
    )  # fmt: skip
    p.add_argument("--strict-offsets", action="store_true", help="fail on a gold span whose text is not its name")
    p.add_argument("--top", type=int, default=10, metavar="N", help="list the N commonest false positives and misses")
    p.add_argument("--json", action="store_true", help="print the reports as JSON")
    p.add_argument("--errors", type=Path, metavar="FILE", help="write every mistake as JSON lines, worst first")
    p.set_defaults(func=run)


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def run(args: argparse.Namespace) -> int:
    from geomap.fsutil import atomic_write
    from geomap.tools.corpora import read_corpus
    from geomap.tools.evaluate import evaluate

    rankers = ["context", "population"] if args.ranker == "both" else [args.ranker]
    offsets: OffsetPolicy = "strict" if args.strict_offsets else "repair"
    corpora = [read_corpus(path, args.format, gwn_types=args.gwn_types, offsets=offsets) for path in args.corpus]
    reports: list[list[Report]] = []
    for corpus in corpora:
        articles = corpus[: args.limit] if args.limit is not None else corpus
        options = {
            "oracle": args.oracle,
            "corpus": corpus.name,
            "demonyms": args.demonyms,
            "recognizer": args.recognizer,
        }
        reports.append([evaluate(articles, ranker=r, **options) for r in rankers])
    if args.errors:
        lines = [
            json.dumps({"corpus": r.corpus, "ranker": r.ranker, **m.as_dict()}, ensure_ascii=False)
            for group in reports for r in group for m in r.mistakes
        ]  # fmt: skip
        atomic_write(args.errors, "".join(line + "\n" for line in lines))
    if args.json:
        print(json.dumps([r.as_dict() for group in reports for r in group], indent=2, ensure_ascii=False))
        return 0
    for corpus, group in zip(corpora, reports):
        print(_table(corpus, group, args.top))
    return 0


def _table(corpus: Corpus, reports: list[Report], top: int) -> str:
    first = reports[0]
    rows: list[tuple[str, list[str]]] = [("predicted mentions", [str(r.predicted) for r in reports])]
    for label, attr in (("strict (headline)", "strict"), ("lenient (overlap)", "lenient")):
        recs = [getattr(r, attr) for r in reports]
        rows += [
            (f"recognition {label}", []),
            ("  precision", [_f(x.precision) for x in recs]),
            ("  recall", [_f(x.recall) for x in recs]),
            ("  F1", [_f(x.f1) for x in recs]),
            ("  tp / fp / fn", [f"{x.tp}/{x.fp}/{x.fn}" for x in recs]),
        ]
    for label, attr in (("resolution, end to end", "resolution"), ("resolution, oracle (gold spans)", "oracle")):
        res = [getattr(r, attr) for r in reports]
        if res[0] is None:
            continue
        rows += [
            (label, []),
            ("  toponyms", [str(x.n) for x in res]),
            *(
                [
                    ("  unresolved (scored 20039 km)", [str(x.unresolved) for x in res]),
                    ("  unknown, put at the article's focus", [str(x.guessed) for x in res]),
                ]
                if attr == "oracle"
                else []
            ),
            ("  accuracy@161km", [_f(x.accuracy) for x in res]),
            ("  mean error km", [_f(x.mean_km, 0) for x in res]),
            ("  median error km", [_f(x.median_km, 1) for x in res]),
            ("  AUC (lower is better)", [_f(x.auc) for x in res]),
            ("  with a gold GeoNames id", [str(x.with_id) for x in res]),
            ("    same id", [_f(x.id_accuracy) for x in res]),
            ("  chosen place has an outline", [str(x.with_outline) for x in res]),
            ("    gold point inside it", [_f(x.inside_share) for x in res]),
            ("  accuracy@161km or inside", [_f(x.accuracy_or_inside) for x in res]),
        ]
    width = max(12, *(len(v) + 2 for _, values in rows for v in values))
    lines = [
        (
            f"{corpus.name} ({corpus.format}): {first.articles} articles, {first.gold} gold toponyms scored, "
            f"{first.unscored} unscored; {corpus.offsets_repaired} offsets repaired, {corpus.offsets_dropped} dropped"
        ),
        f"{'':34}" + "".join(f"{r.ranker:>{width}}" for r in reports),
    ]
    lines += [f"{label:34}" + "".join(f"{v:>{width}}" for v in values) for label, values in rows]
    if top:  # recognition does not depend on the ranker
        lists: tuple[tuple[MistakeKind, str], ...] = (("false_positive", "false positives"), ("miss", "misses"))
        for kind, what in lists:
            common = ", ".join(f"{t} ({n})" for t, n in first.top(kind, top))
            lines.append(f"most frequent {what}: {common or '-'}")
    return "\n".join(lines) + "\n"


def _f(x: float, digits: int = 3) -> str:
    return "-" if math.isnan(x) else f"{x:.{digits}f}"
