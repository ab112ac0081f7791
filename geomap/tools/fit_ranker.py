"""Fit the resolver's weights (``geomap/data/ranking.json``) on half of annotated corpora.

The context ranker scores a name's candidates by a weighted sum of their evidence
(:mod:`geomap.resolve.evidence`), and the softmax of the scores is the confidence: a
conditional logit. Its weights are fitted here by maximum likelihood on the gold spans of
one half of the articles (every second article of each corpus, ``--half even``), with an
L2 penalty, so that the other half measures them. A gold toponym's right candidates are
the one with its GeoNames id, when the corpus gives ids and the gazetteer has it, else
those within 161 km of its point; a toponym with no right candidate, or only right ones,
says nothing about the weights and is left out.

The context features depend on what the other names were resolved to, so fitting
alternates: resolve with the current weights, fit new ones on the evidence that gives,
and again (``--rounds``). Run as::

    python -m geomap.tools.fit_ranker ../shared/corpora/*.xml --half even --output geomap/data/ranking.json

It prints the oracle and end-to-end figures of both halves for the weights before and after.
Needs numpy (installed with shapely).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from geomap.errors import GeomapError
from geomap.fsutil import atomic_write
from geomap.geo import great_circle_km
from geomap.resolve.evidence import CONTEXT, FEATURES, PRIOR, Weights, weights
from geomap.tools.corpora import GoldArticle, read_corpus
from geomap.tools.evaluate import ACCURACY_KM, evaluate

Half = Literal["even", "odd"]
L2 = 0.001  # per toponym, on the squared distance from the hand-set weights
STEPS = 3000
LEARNING_RATE = 0.05


@dataclass(frozen=True, slots=True)
class Example:
    """One gold toponym: its name's candidates' features, and which candidates are right."""

    features: np.ndarray  # candidates x features
    right: np.ndarray  # bool per candidate


def half(articles: Sequence[GoldArticle], which: Half) -> list[GoldArticle]:
    """Every second article, from the first (even) or the second (odd)."""
    return list(articles[0 if which == "even" else 1 :: 2])


def examples(articles: Sequence[GoldArticle], w: Weights) -> list[Example]:
    """The gold toponyms of ``articles`` as the ranker with weights ``w`` sees them on gold spans."""
    import geomap
    from geomap.resolve.rank import weigh
    from geomap.text import normalize, split_sentences
    from geomap.tools.evaluate import _demonyms, gold_mention

    gazetteer = geomap.default_gazetteer()
    demonyms = _demonyms(list(articles), gazetteer)
    out = []
    for article in articles:
        sentences = split_sentences(article.text)
        mentions = [
            gold_mention(article.text, t.start, t.end, sentences) for t in article.toponyms
        ]  # every gold span is context, as in the oracle
        mentions = [
            dataclasses.replace(m, demonym=normalize(t.name) in demonyms) for m, t in zip(mentions, article.toponyms)
        ]
        by_span = {(m.start, m.end): name for name in weigh(mentions, gazetteer, w) for m in name.mentions}
        for t in article.toponyms:
            name = by_span.get((t.start, t.end))
            if name is None or not t.scored or normalize(t.name) in demonyms or len(name.candidates) < 2:
                continue
            assert t.lat is not None and t.lon is not None
            ids = [c.id for c in name.candidates]
            if t.geonames_id is not None and f"geonames:{t.geonames_id}" in ids:
                right = [i == f"geonames:{t.geonames_id}" for i in ids]
            else:
                right = [great_circle_km(c.lat, c.lon, t.lat, t.lon) <= ACCURACY_KM for c in name.candidates]
            if any(right) and not all(right):
                out.append(Example(np.array(name.features, dtype=float), np.array(right)))
    return out


def fit(
    data: Sequence[Example], start: np.ndarray, prior: np.ndarray, *, l2: float = L2, steps: int = STEPS
) -> np.ndarray:
    """Maximum-likelihood weights of the conditional logit (Adam on the mean log-likelihood
    of the right candidates, less ``l2`` times the squared distance from ``prior``, the weights
    set by hand: evidence the data seldom shows, such as "the" before a sea, keeps its weight)."""
    width = max(len(e.right) for e in data)
    x = np.zeros((len(data), width, len(FEATURES)))
    mask = np.zeros((len(data), width), dtype=bool)
    right = np.zeros((len(data), width), dtype=bool)
    for i, e in enumerate(data):
        x[i, : len(e.right)] = e.features
        mask[i, : len(e.right)] = True
        right[i, : len(e.right)] = e.right
    w = start.copy()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, steps + 1):
        scores = np.where(mask, x @ w, -np.inf)
        p = _softmax(scores)
        q = _softmax(np.where(right, scores, -np.inf))
        grad = np.einsum("nk,nkf->f", q - p, x) / len(data) - 2 * l2 * (w - prior)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w += LEARNING_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w


def _softmax(scores: np.ndarray) -> np.ndarray:
    top = scores.max(axis=1, keepdims=True)
    e = np.exp(scores - top)
    return e / e.sum(axis=1, keepdims=True)


def log_likelihood(data: Sequence[Example], w: np.ndarray) -> float:
    """Mean log-probability of the right candidates: what :func:`fit` maximises, unpenalised."""
    total = 0.0
    for e in data:
        s = e.features @ w
        top = s.max()
        total += math.log(np.exp(s[e.right] - top).sum()) - math.log(np.exp(s - top).sum())
    return total / len(data)


def as_weights(w: np.ndarray, note: str) -> Weights:
    values = dict(zip(FEATURES, (float(x) for x in w)))
    return Weights(tuple(values[f] for f in PRIOR), tuple(values[f] for f in CONTEXT), note)


def figures(corpora: dict[str, list[GoldArticle]], w: Weights) -> dict[str, dict[str, float]]:
    """Oracle and end-to-end acc@161 and same-id share of each corpus."""
    out = {}
    for name, articles in corpora.items():
        report = evaluate(articles, oracle=True, weights=w, corpus=name)
        assert report.oracle is not None
        measures = {
            "oracle_acc161": report.oracle.accuracy, "oracle_same_id": report.oracle.id_accuracy,
            "acc161": report.resolution.accuracy, "same_id": report.resolution.id_accuracy,
        }  # fmt: skip
        out[name] = {k: round(v, 4) for k, v in measures.items() if not math.isnan(v)}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geomap.tools.fit_ranker", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="+", type=Path)
    parser.add_argument("--half", choices=("even", "odd"), default="even", help="the articles to fit on")
    parser.add_argument("--rounds", type=int, default=3, help="resolve, fit, and again")
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--output", type=Path, help="where to write the weights (default: print them)")
    args = parser.parse_args(argv)
    try:
        corpora = {p.name: list(read_corpus(p)) for p in args.corpus}
    except GeomapError as exc:
        print(f"fit_ranker: {exc}", file=sys.stderr)
        return 2
    other: Half = "odd" if args.half == "even" else "even"
    train = [a for arts in corpora.values() for a in half(arts, args.half)]
    current = weights()
    w = np.array(current.prior + current.context)
    prior = w.copy()
    before = {h: figures({n: half(a, h) for n, a in corpora.items()}, current) for h in (args.half, other)}
    for round_ in range(args.rounds):
        data = examples(train, as_weights(w, ""))
        if not data:
            print(f"fit_ranker: the {args.half} articles have no name with right and wrong candidates", file=sys.stderr)
            return 2
        w = fit(data, w, prior, l2=args.l2)
        print(
            f"round {round_ + 1}: {len(data)} toponyms, log-likelihood {log_likelihood(data, w):.4f}", file=sys.stderr
        )
    fitted = as_weights(w, "")
    after = {h: figures({n: half(a, h) for n, a in corpora.items()}, fitted) for h in (args.half, other)}
    note = (
        f"fitted by geomap.tools.fit_ranker on the {args.half} articles of {', '.join(corpora)} "
        f"({args.rounds} rounds, L2 {args.l2}); the {other} articles measure them"
    )
    record = {
        "note": note, "weights": dict(zip(FEATURES, (round(float(x), 4) for x in w))),
        "figures": {"before": before, "after": after},
    }  # fmt: skip
    text = json.dumps(record, indent=2) + "\n"
    if args.output:
        atomic_write(args.output, text)
    else:
        print(text)
    for h in (args.half, other):
        for name in corpora:
            b, a = before[h][name], after[h][name]
            print(f"{h:4} {name:16} oracle {b['oracle_acc161']:.3f} -> {a['oracle_acc161']:.3f}  "
                  f"e2e {b['acc161']:.3f} -> {a['acc161']:.3f}", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
