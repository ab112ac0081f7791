"""Score a geoparser against gold toponyms, with the measures of the geoparsing literature.

Recognition is precision, recall and F1 over toponym spans. The headline is *strict*
(the predicted span equals the gold span, as in CoNLL named-entity evaluation);
*lenient* counts overlapping spans one to one ("Victoria" for "Lake Victoria").
Predictions on unscored gold spans (no coordinates; see :mod:`geomap.tools.corpora`) count
neither way. A place with several mentions is one prediction per mention.

Resolution is measured on the strictly matched toponyms (end to end) and, with
``oracle=True``, on every gold toponym handed straight to the resolver, which
isolates resolution from recognition. For each toponym the error is the great-circle
distance in km between the chosen and the gold coordinates; reported are

* accuracy@161: the share of errors <= 161 km (100 miles);
* mean and median error in km;
* AUC (Gritta et al. 2018, "What's missing in geographical parsing?"; 2020, "A
  Pragmatic Guide to Geoparsing Evaluation"): the area under the curve of the sorted
  log errors ``y_i = ln(1 + err_i)``, trapezoid rule over ``x`` in [0, 1], normalised
  by ``ln(20039)`` (the largest distance on Earth, km):
  ``AUC = sum_i (y_i + y_{i+1}) / 2 / ((n - 1) * ln(20039))`` (one error: ``y_1 / ln(20039)``).
  0 is perfect, about 1 is always at the antipode; lower is better.

In the oracle, a gold toponym the resolver cannot place at all counts as the largest
error, 20039 km, so that a resolver cannot look better by giving up.

Demonyms ("Iraqi", "Russian") are not toponyms for geomap, which reads them as evidence
for a country but never maps them; LGL and TR-News annotate them as toponyms (7% and
11% of their gold). By default a gold span whose text the gazetteer knows only as a
demonym is unscored, as GeoWebNews adjectives are; ``demonyms="scored"`` keeps them.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from geomap.geo import great_circle_km
from geomap.model import Mention, Place, Sentence
from geomap.recognize.vocabulary import vocabulary
from geomap.tools.corpora import GoldArticle, GoldToponym

if TYPE_CHECKING:
    from geomap.geocoders.base import CandidateSource
    from geomap.recognize import NameIndex

Parser = Callable[[str], Sequence[Place]]
MistakeKind = Literal["false_positive", "miss", "resolution"]

ACCURACY_KM = 161.0
MAX_ERROR_KM = 20039.0
CONTEXT_CHARS = 60


def auc(errors_km: Sequence[float]) -> float:
    """Area under the sorted log-error curve (see the module docstring); NaN when empty."""
    ys = sorted(math.log1p(e) for e in errors_km)
    if not ys:
        return math.nan
    if len(ys) == 1:
        return ys[0] / math.log(MAX_ERROR_KM)
    area = sum((a + b) / 2 for a, b in itertools.pairwise(ys))
    return area / ((len(ys) - 1) * math.log(MAX_ERROR_KM))


@dataclass(frozen=True, slots=True)
class Recognition:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else math.nan

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else math.nan

    @property
    def f1(self) -> float:
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else math.nan


@dataclass(frozen=True, slots=True)
class Resolution:
    errors_km: tuple[float, ...]
    unresolved: int = 0  # oracle only: gold toponyms the resolver found no place for

    @property
    def n(self) -> int:
        return len(self.errors_km)

    @property
    def accuracy(self) -> float:
        """Share of errors within :data:`ACCURACY_KM`."""
        return sum(e <= ACCURACY_KM for e in self.errors_km) / self.n if self.n else math.nan

    @property
    def mean_km(self) -> float:
        return statistics.fmean(self.errors_km) if self.n else math.nan

    @property
    def median_km(self) -> float:
        return statistics.median(self.errors_km) if self.n else math.nan

    @property
    def auc(self) -> float:
        return auc(self.errors_km)


@dataclass(frozen=True, slots=True)
class Mistake:
    """One error worth a tuner's look: a false positive, a miss, or a place > 161 km off."""

    kind: MistakeKind
    article: str
    start: int
    end: int
    text: str
    context: str
    predicted: str | None = None  # name and id of the place geomap chose
    predicted_id: str | None = None
    predicted_lat: float | None = None
    predicted_lon: float | None = None
    gold_lat: float | None = None
    gold_lon: float | None = None
    error_km: float | None = None
    oracle: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(slots=True)
class Report:
    corpus: str
    ranker: str
    articles: int
    gold: int  # scored gold toponyms
    unscored: int
    predicted: int  # predicted toponym mentions, unscored spans excluded
    strict: Recognition
    lenient: Recognition
    resolution: Resolution  # end to end, on strict matches
    oracle: Resolution | None = None
    mistakes: list[Mistake] = field(default_factory=list)

    def top(self, kind: MistakeKind, n: int = 10) -> list[tuple[str, int]]:
        """The most frequent texts among mistakes of one kind, for tuning the general case."""
        return Counter(m.text for m in self.mistakes if m.kind == kind and not m.oracle).most_common(n)

    def as_dict(self) -> dict[str, Any]:
        def rec(r: Recognition) -> dict[str, Any]:
            measures = {"precision": _num(r.precision), "recall": _num(r.recall), "f1": _num(r.f1)}
            return {"tp": r.tp, "fp": r.fp, "fn": r.fn, **measures}

        def res(r: Resolution | None) -> dict[str, Any] | None:
            if r is None:
                return None
            return {
                "n": r.n, "unresolved": r.unresolved, "accuracy_161km": _num(r.accuracy), "mean_km": _num(r.mean_km),
                "median_km": _num(r.median_km), "auc": _num(r.auc),
            }  # fmt: skip

        return {
            "corpus": self.corpus, "ranker": self.ranker, "articles": self.articles, "gold": self.gold,
            "unscored": self.unscored, "predicted": self.predicted, "recognition_strict": rec(self.strict),
            "recognition_lenient": rec(self.lenient), "resolution": res(self.resolution), "oracle": res(self.oracle),
        }  # fmt: skip


def _num(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 6)


@dataclass(frozen=True, slots=True)
class _Prediction:
    start: int
    end: int
    place: Place
    core: tuple[int, int]  # the name without "east" or "river": "east London" -> "London"

    @property
    def spans(self) -> set[tuple[int, int]]:
        return {(self.start, self.end), self.core}


def evaluate(
    articles: Iterable[GoldArticle],
    *,
    parser: Parser | None = None,
    ranker: str = "context",
    recognizer: str = "gazetteer",
    oracle: bool = False,
    source: CandidateSource | None = None,
    corpus: str | None = None,
    demonyms: Literal["unscored", "scored"] = "unscored",
    names: NameIndex | None = None,
) -> Report:
    """Run ``parser`` (default: :func:`geomap.parse` with ``ranker`` and ``recognizer``) on every article and score it.

    ``oracle`` also resolves the gold spans with :func:`geomap.resolve.rank.resolve` over
    ``source``; ``names`` tells demonyms apart (both default to the shipped gazetteer).
    """
    if parser is None:
        import geomap

        def parser(text: str) -> Sequence[Place]:
            return geomap.parse(text, ranker=ranker, recognizer=recognizer)

    name = corpus if corpus is not None else getattr(articles, "name", "")
    if demonyms == "unscored":
        articles = _without_demonyms(list(articles), names)
    counts = Counter[str]()
    errors: list[float] = []
    oracle_errors: list[float] = []
    unresolved = 0
    mistakes: list[Mistake] = []
    for article in articles:
        counts["articles"] += 1
        scored = [t for t in article.toponyms if t.scored]
        unscored = [t for t in article.toponyms if not t.scored]
        counts["gold"] += len(scored)
        counts["unscored"] += len(unscored)
        spans = {(t.start, t.end) for t in scored}
        preds = [
            p for p in _predictions(parser(article.text))
            if p.spans & spans or not any(_overlap(p, u) for u in unscored)
        ]  # fmt: skip
        counts["predicted"] += len(preds)
        strict = _match(scored, preds, lenient=False)
        lenient = _match(scored, preds, lenient=True)
        for key, pairs in (("strict", strict), ("lenient", lenient)):
            counts[f"{key}_tp"] += len(pairs)
            counts[f"{key}_fp"] += len(preds) - len(pairs)
            counts[f"{key}_fn"] += len(scored) - len(pairs)
        for gi, pi in strict.items():
            err = _error(scored[gi], preds[pi].place)
            errors.append(err)
            if err > ACCURACY_KM:
                mistakes.append(_mistake("resolution", article, scored[gi], preds[pi].place, err))
        matched = set(strict.values())
        for pi, p in enumerate(preds):
            if pi not in matched:
                mistakes.append(_mistake("false_positive", article, p, p.place, None))
        for gi, g in enumerate(scored):
            if gi not in strict:
                mistakes.append(_mistake("miss", article, g, None, None))
        if oracle:
            for g, place in _oracle(article.text, scored, ranker, source):
                if place is None:
                    unresolved += 1
                    oracle_errors.append(MAX_ERROR_KM)
                    mistakes.append(_mistake("resolution", article, g, None, MAX_ERROR_KM, oracle=True))
                    continue
                err = _error(g, place)
                oracle_errors.append(err)
                if err > ACCURACY_KM:
                    mistakes.append(_mistake("resolution", article, g, place, err, oracle=True))
    mistakes.sort(key=lambda m: (m.kind != "resolution", -(m.error_km or 0.0)))
    return Report(
        corpus=name, ranker=ranker, articles=counts["articles"], gold=counts["gold"], unscored=counts["unscored"],
        predicted=counts["predicted"],
        strict=Recognition(counts["strict_tp"], counts["strict_fp"], counts["strict_fn"]),
        lenient=Recognition(counts["lenient_tp"], counts["lenient_fp"], counts["lenient_fn"]),
        resolution=Resolution(tuple(errors)), oracle=Resolution(tuple(oracle_errors), unresolved) if oracle else None,
        mistakes=mistakes,
    )  # fmt: skip


def _without_demonyms(articles: list[GoldArticle], names: NameIndex | None) -> list[GoldArticle]:
    """The articles with every gold span the gazetteer knows only as a demonym unscored."""
    from geomap.text import normalize

    if names is None:
        from geomap import default_gazetteer

        names = default_gazetteer()
    keys = {normalize(t.name) for a in articles for t in a.toponyms if t.scored}
    found = names.lookup_many(sorted(keys)) if keys else {}
    demonym = {k for k, cands in found.items() if cands and all(c.name_type == "demonym" for c in cands)}

    def unscore(t: GoldToponym) -> GoldToponym:
        return dataclasses.replace(t, lat=None, lon=None) if t.scored and normalize(t.name) in demonym else t

    return [dataclasses.replace(a, toponyms=[unscore(t) for t in a.toponyms]) for a in articles]


def _predictions(places: Sequence[Place]) -> list[_Prediction]:
    """One prediction per non-demonym mention, in text order; a span predicted twice counts once."""
    by_span: dict[tuple[int, int], _Prediction] = {}
    for place in places:
        for m in place.mentions:
            if not m.demonym:
                offset = max(0, m.text.find(m.name))
                core = (m.start + offset, m.start + offset + len(m.name))
                by_span.setdefault((m.start, m.end), _Prediction(m.start, m.end, place, core))
    return [by_span[k] for k in sorted(by_span)]


def _overlap(a: _Prediction | GoldToponym, b: _Prediction | GoldToponym) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _match(gold: list[GoldToponym], preds: list[_Prediction], *, lenient: bool) -> dict[int, int]:
    """gold index -> prediction index, one to one; lenient pairs the largest overlaps first.

    Strictly, a prediction matches gold that spans either the whole mention ("east
    Mosul", as geomap's own gold files mark it) or just its name ("London" in "east
    London", as the public corpora do, leaving modifiers out).
    """
    if not lenient:
        where: dict[tuple[int, int], int] = {}
        for i, p in enumerate(preds):
            for span in sorted(p.spans):
                where.setdefault(span, i)
        out: dict[int, int] = {}
        for gi, g in enumerate(gold):
            pi = where.get((g.start, g.end))
            if pi is not None and pi not in out.values():
                out[gi] = pi
        return out
    pairs = sorted(
        ((_overlap(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(preds) if _overlap(g, p)),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    out = {}
    used: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in out and pi not in used:
            out[gi] = pi
            used.add(pi)
    return out


def _error(g: GoldToponym, place: Place) -> float:
    assert g.lat is not None and g.lon is not None
    return great_circle_km(g.lat, g.lon, place.lat, place.lon)


def _mistake(
    kind: MistakeKind,
    article: GoldArticle,
    span: GoldToponym | _Prediction,
    place: Place | None,
    err: float | None,
    *,
    oracle: bool = False,
) -> Mistake:
    text = article.text
    lo, hi = max(0, span.start - CONTEXT_CHARS), min(len(text), span.end + CONTEXT_CHARS)
    gold = span if isinstance(span, GoldToponym) else None
    return Mistake(
        kind=kind, article=article.id, start=span.start, end=span.end, text=text[span.start : span.end],
        context=" ".join(text[lo:hi].split()), predicted=place.name if place else None,
        predicted_id=place.id if place else None, predicted_lat=place.lat if place else None,
        predicted_lon=place.lon if place else None, gold_lat=gold.lat if gold else None,
        gold_lon=gold.lon if gold else None, error_km=None if err is None else round(err, 1), oracle=oracle,
    )  # fmt: skip


# -- oracle resolution ----------------------------------------------------------------


def _oracle(
    text: str, gold: list[GoldToponym], ranker: str, source: CandidateSource | None
) -> list[tuple[GoldToponym, Place | None]]:
    """Each gold toponym with the place the resolver gives its span (None: no candidate)."""
    from geomap.resolve.rank import resolve
    from geomap.text import split_sentences

    if source is None:
        from geomap import default_gazetteer

        source = default_gazetteer()
    sentences = split_sentences(text)
    mentions = [gold_mention(text, g.start, g.end, sentences) for g in gold]
    places = resolve(mentions, source, ranker=ranker)
    by_span = {(m.start, m.end): p for p in places for m in p.mentions}
    return [(g, by_span.get((g.start, g.end))) for g in gold]


_QUARTER = re.compile(r"(?P<name>.+?)[’']s\s+(?P<quarter>.+)")


def gold_mention(text: str, start: int, end: int, sentences: Sequence[Sentence]) -> Mention:
    """The :class:`Mention` the recogniser would make of a gold span, for oracle resolution.

    The span's head name is what the resolver looks up, so compound spans are taken apart
    the way :mod:`geomap.recognize.rules` builds them: "east Mosul" (a direction),
    "Tigris river" (a feature word), "Mosul's Old City" (a quarter).
    """
    vocab = vocabulary()
    surface = text[start:end]
    name, feature, qualifier = surface, None, None
    words = surface.split()
    if len(words) > 1 and words[0] in vocab.directions:
        qualifier, name = vocab.directions[words[0]], surface[len(words[0]) :].strip()
    elif len(words) > 1 and words[-1] in vocab.feature_words:
        feature, name = words[-1], surface[: -len(words[-1])].strip()
    elif (m := _QUARTER.fullmatch(surface)) and m.group("quarter").casefold() in vocab.quarters:
        qualifier, name = m.group("quarter").casefold(), m.group("name")
    sentence = next((s for s in sentences if s.start <= start < s.end), None) or Sentence(start, end, surface)
    return Mention(surface, start, end, name=name, sentence=sentence, feature=feature, qualifier=qualifier)
