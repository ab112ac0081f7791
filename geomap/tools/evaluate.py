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

Two measures say whether a place is right whatever point stands for it, since a country's
or a province's point is a convention (GeoNames' Canada is at 60N 95W, Wikipedia's at 56N
106W): the *same id* share, of the gold toponyms that carry a GeoNames id (LGL, TR-News,
GeoWebNews; the published convention of Mordecai 3), those resolved to exactly that place
(``geonames:<id>``); and the *inside* share, of the toponyms resolved to a place with an
outline (countries, regions, seas, lakes), those whose gold point lies inside it
(within :data:`OUTLINE_TOLERANCE_DEG`, for simplified coasts). ``accuracy_or_inside`` counts
a toponym right when it is within 161 km or inside the chosen outline.

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from geomap.geo import great_circle_km
from geomap.model import Mention, Place, Sentence
from geomap.recognize.vocabulary import vocabulary
from geomap.resolve.rank import NEAR_FOCUS
from geomap.tools.corpora import GoldArticle, GoldToponym

if TYPE_CHECKING:
    from geomap.geocoders.base import CandidateSource
    from geomap.recognize import NameIndex
    from geomap.resolve.evidence import Weights

Parser = Callable[[str], Sequence[Place]]
MistakeKind = Literal["false_positive", "miss", "resolution"]

ACCURACY_KM = 161.0
MAX_ERROR_KM = 20039.0
CONTEXT_CHARS = 60
OUTLINE_TOLERANCE_DEG = 0.25  # about 25 km: outlines are simplified, and an archipelago's point may lie at sea
GEONAMES_PREFIX = "geonames:"


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
    """Per toponym: the error, and (None where it cannot be told) whether the chosen place is the
    gold GeoNames id and whether the gold point lies inside the chosen place's outline."""

    errors_km: tuple[float, ...]
    unresolved: int = 0  # oracle only: gold toponyms the resolver found no place for
    guessed: int = 0  # ... and those it placed at the article's focus, knowing no place of their name
    same_id: tuple[bool | None, ...] = ()
    inside: tuple[bool | None, ...] = ()

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

    @property
    def with_id(self) -> int:
        """Toponyms whose gold gives a GeoNames id."""
        return sum(x is not None for x in self.same_id)

    @property
    def id_accuracy(self) -> float:
        """Share of the toponyms with a gold GeoNames id resolved to exactly that place."""
        return _share(self.same_id)

    @property
    def with_outline(self) -> int:
        """Toponyms resolved to a place with an outline."""
        return sum(x is not None for x in self.inside)

    @property
    def inside_share(self) -> float:
        """Share of those whose gold point lies inside the chosen outline."""
        return _share(self.inside)

    @property
    def accuracy_or_inside(self) -> float:
        """Share of toponyms within :data:`ACCURACY_KM` or inside the chosen outline."""
        inside = self.inside or (None,) * self.n
        return sum(e <= ACCURACY_KM or bool(i) for e, i in zip(self.errors_km, inside)) / self.n if self.n else math.nan


def _share(flags: Sequence[bool | None]) -> float:
    known = [x for x in flags if x is not None]
    return sum(known) / len(known) if known else math.nan


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
    gold_geonames_id: int | None = None
    inside: bool | None = None  # the gold point lies inside the chosen place's outline

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
                "n": r.n, "unresolved": r.unresolved, "guessed": r.guessed, "accuracy_161km": _num(r.accuracy), "mean_km": _num(r.mean_km),
                "median_km": _num(r.median_km), "auc": _num(r.auc), "with_geonames_id": r.with_id,
                "id_accuracy": _num(r.id_accuracy), "with_outline": r.with_outline, "inside": _num(r.inside_share),
                "accuracy_161km_or_inside": _num(r.accuracy_or_inside),
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
    weights: Weights | None = None,
) -> Report:
    """Run ``parser`` (default: :func:`geomap.parse` with ``ranker`` and ``recognizer``) on every article and score it.

    ``oracle`` also resolves the gold spans with :func:`geomap.resolve.rank.resolve` over
    ``source``; ``names`` tells demonyms apart (both default to the shipped gazetteer);
    ``weights`` replaces the ranker's shipped weights (to measure new ones before shipping them).
    """
    if parser is None:
        import geomap

        def parser(text: str) -> Sequence[Place]:
            if weights is None:
                return geomap.parse(text, ranker=ranker, recognizer=recognizer)
            from geomap import recognize
            from geomap.resolve.rank import resolve

            gazetteer = geomap.default_gazetteer()
            return resolve(recognize.get(recognizer)(text, gazetteer), gazetteer, ranker=ranker, weights=weights)

    name = corpus if corpus is not None else getattr(articles, "name", "")
    demonym_keys: set[str] = set()
    if demonyms == "unscored":
        articles = list(articles)
        demonym_keys = _demonyms(articles, names)
        articles = _without_demonyms(articles, demonym_keys)
    outlines = _Outlines(source)
    counts = Counter[str]()
    end_to_end, gold_spans = _Scores(outlines), _Scores(outlines)
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
            if mistake := end_to_end.add(scored[gi], preds[pi].place):
                mistakes.append(_mistake("resolution", article, scored[gi], preds[pi].place, mistake))
        matched = set(strict.values())
        for pi, p in enumerate(preds):
            if pi not in matched:
                mistakes.append(_mistake("false_positive", article, p, p.place))
        for gi, g in enumerate(scored):
            if gi not in strict:
                mistakes.append(_mistake("miss", article, g, None))
        if oracle:
            for g, place in _oracle(article.text, article.toponyms, ranker, source, demonym_keys, weights):
                if mistake := gold_spans.add(g, place):
                    mistakes.append(_mistake("resolution", article, g, place, mistake, oracle=True))
    mistakes.sort(key=lambda m: (m.kind != "resolution", -(m.error_km or 0.0)))
    return Report(
        corpus=name, ranker=ranker, articles=counts["articles"], gold=counts["gold"], unscored=counts["unscored"],
        predicted=counts["predicted"],
        strict=Recognition(counts["strict_tp"], counts["strict_fp"], counts["strict_fn"]),
        lenient=Recognition(counts["lenient_tp"], counts["lenient_fp"], counts["lenient_fn"]),
        resolution=end_to_end.resolution(), oracle=gold_spans.resolution() if oracle else None, mistakes=mistakes,
    )  # fmt: skip


class _Outlines:
    """Whether a gold point lies inside a chosen place's outline: the place's own geometry, or
    the gazetteer's for its id; shapes are read and prepared once per place."""

    def __init__(self, source: CandidateSource | None) -> None:
        self.source = source
        self.shapes: dict[str, Any] = {}

    def inside(self, place: Place, lat: float, lon: float) -> bool | None:
        """None when the place has no outline (a town, a river, a region known by its point)."""
        import shapely
        from shapely.geometry import shape

        if place.id not in self.shapes:
            geometry = place.geometry or self._gazetteer_geometry(place.id)
            outline = None
            if geometry is not None and geometry.get("type") in ("Polygon", "MultiPolygon"):
                outline = shape(dict(geometry))
                shapely.prepare(outline)
            self.shapes[place.id] = outline
        outline = self.shapes[place.id]
        if outline is None:
            return None
        return bool(shapely.dwithin(outline, shapely.Point(lon, lat), OUTLINE_TOLERANCE_DEG))

    def _gazetteer_geometry(self, place_id: str) -> Mapping[str, Any] | None:
        geometry = getattr(self.source, "geometry", None)
        if geometry is None:
            from geomap import default_gazetteer

            geometry = default_gazetteer().geometry
        result: Mapping[str, Any] | None = geometry(place_id)
        return result


@dataclass(frozen=True, slots=True)
class _Outcome:
    """How far off one resolved toponym is, and whether the place is nonetheless right."""

    error_km: float
    same_id: bool | None
    inside: bool | None


class _Scores:
    """The outcomes of one kind of resolution (end to end, or on gold spans)."""

    def __init__(self, outlines: _Outlines) -> None:
        self.outlines = outlines
        self.outcomes: list[_Outcome] = []
        self.unresolved = 0
        self.guessed = 0

    def add(self, g: GoldToponym, place: Place | None) -> _Outcome | None:
        """Score one toponym; its outcome when it is a mistake worth a look (over 161 km)."""
        assert g.lat is not None and g.lon is not None
        if place is None:
            self.unresolved += 1
            outcome = _Outcome(MAX_ERROR_KM, False if g.geonames_id is not None else None, None)
        else:
            self.guessed += place.id.startswith(NEAR_FOCUS)
            same_id = None if g.geonames_id is None else place.id == f"{GEONAMES_PREFIX}{g.geonames_id}"
            error = great_circle_km(g.lat, g.lon, place.lat, place.lon)
            outcome = _Outcome(error, same_id, self.outlines.inside(place, g.lat, g.lon))
        self.outcomes.append(outcome)
        return outcome if outcome.error_km > ACCURACY_KM else None

    def resolution(self) -> Resolution:
        return Resolution(
            tuple(o.error_km for o in self.outcomes), self.unresolved, self.guessed,
            tuple(o.same_id for o in self.outcomes), tuple(o.inside for o in self.outcomes),
        )  # fmt: skip


def _demonyms(articles: list[GoldArticle], names: NameIndex | None) -> set[str]:
    """The keys of the gold spans the gazetteer knows only as demonyms ("Iraqi")."""
    from geomap.text import normalize

    if names is None:
        from geomap import default_gazetteer

        names = default_gazetteer()
    keys = {normalize(t.name) for a in articles for t in a.toponyms}
    found = names.lookup_many(sorted(keys)) if keys else {}
    return {k for k, cands in found.items() if cands and all(c.name_type == "demonym" for c in cands)}


def _without_demonyms(articles: list[GoldArticle], demonyms: set[str]) -> list[GoldArticle]:
    """The articles with every gold demonym unscored."""
    from geomap.text import normalize

    def unscore(t: GoldToponym) -> GoldToponym:
        return dataclasses.replace(t, lat=None, lon=None) if t.scored and normalize(t.name) in demonyms else t

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


def _mistake(
    kind: MistakeKind,
    article: GoldArticle,
    span: GoldToponym | _Prediction,
    place: Place | None,
    outcome: _Outcome | None = None,
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
        gold_lon=gold.lon if gold else None, error_km=None if outcome is None else round(outcome.error_km, 1),
        oracle=oracle, gold_geonames_id=gold.geonames_id if gold else None,
        inside=None if outcome is None else outcome.inside,
    )  # fmt: skip


# -- oracle resolution ----------------------------------------------------------------


def _oracle(
    text: str,
    gold: list[GoldToponym],
    ranker: str,
    source: CandidateSource | None,
    demonyms: set[str],
    weights: Weights | None = None,
) -> list[tuple[GoldToponym, Place | None]]:
    """Each scored gold toponym with the place the resolver gives its span (None: no candidate).

    Every gold span is handed to the resolver, scored or not, as the recogniser would hand it
    what it found: an unscored place is context like any other, and a demonym ("Russian" beside
    "St. Petersburg") is the evidence it is in end-to-end resolution.
    """
    from geomap.resolve.rank import resolve
    from geomap.text import normalize, split_sentences

    if source is None:
        from geomap import default_gazetteer

        source = default_gazetteer()
    sentences = split_sentences(text)
    mentions = [
        dataclasses.replace(gold_mention(text, g.start, g.end, sentences), demonym=normalize(g.name) in demonyms)
        for g in gold
    ]
    places = resolve(mentions, source, ranker=ranker, weights=weights)
    by_span = {(m.start, m.end): p for p in places for m in p.mentions}
    return [(g, by_span.get((g.start, g.end))) for g in gold if g.scored]


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
