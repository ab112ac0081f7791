"""Toponym resolution: choose, for each name, the place the article means.

Population alone picks Paris, France for every "Paris"; news needs context. Each
candidate is scored on the evidence of :mod:`geomap.resolve.evidence`: its prior importance,
the countries the article names (and, more weakly, demonyms such as "Iraqi"), a feature
word beside the name ("the Tigris river" wants a river), a container after a comma
("Springfield, Illinois"), the states it names, and the spatial coherence of the article's
other places. The choice is iterated twice so that unambiguous places anchor the ambiguous
ones. The softmax of the scores is the confidence, the runners-up are kept as alternatives,
and the strongest evidence for the choice is the place's ``reasons``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import cache

from geomap.geo import PointIndex, great_circle_km
from geomap.geocoders.base import CANDIDATE_LIMIT, CandidateSource
from geomap.model import Candidate, Mention, Place, Sentence
from geomap.recognize.rules import opens_dateline
from geomap.recognize.vocabulary import vocabulary
from geomap.resolve import labels
from geomap.resolve.evidence import CONTEXT, LOCAL_KM, NEAR_KM, PAIR_KM, Weights
from geomap.resolve.evidence import weights as default_weights
from geomap.text import after_the, normalize

RANKERS = ("context", "population")
MAX_ALTERNATIVES = 5
BROAD_KINDS = ("continent", "country", "region", "sea")
_NO_CONTEXT = (0.0,) * len(CONTEXT)
NEAR_FOCUS = "near:"  # the id prefix of a place put at the article's focus ("near:geonames:4335045:royal-street")
SEAT_KM = 50.0  # a municipality's point lies this close to its seat's
NAMESAKE_SHARE = 10  # a state or province this many times its same-named city's population is what the name means
FOCUS_KM = 50.0  # the places this close to a city are about that city
FOCUS_CONFIDENCE = 0.2  # a name placed at the article's focus is a guess about where, not which place
SIGNIFICANT_POPULATION = 100_000  # a city this big may be what an institution's name refers to
#: A plural after a list of names makes each a division: "Douglas, Sarpy and Lancaster counties".
DIVISIONS = {"counties": "County", "parishes": "Parish"}
LIST_NAMES = 3  # "X and Y" often joins a town and a state, "X, Y and Z" things of one level
CONTAINER_READINGS = 3  # the readings of a container ("Name, Container") that may be the candidate's state


@dataclass(slots=True)
class _Group:
    """Mentions that share a name, and so (one sense per discourse) a place."""

    key: str
    mentions: list[Mention]
    candidates: list[Candidate]
    feature: str | None
    containers: set[str]
    peers: set[str] = field(default_factory=set)  # the names listed with it (see _read_lists)
    acronym: bool = False  # written in capitals: "EU", "U.S."
    definite: bool = False  # some mention follows "the": "the Mississippi"
    alone: bool = False  # ... and stands alone there, as a river's name does: "on the Hudson in January"
    beside: bool = False  # some mention is "near X" or "outside X": beside a point
    choice: int = 0
    inner: str | None = None  # the place named inside an unknown name, which stands for it ("Colorado")
    evidence: list[tuple[float, ...]] = field(default_factory=list)  # per candidate, the features in PRIOR order
    context: list[tuple[float, ...]] = field(default_factory=list)  # ... and in CONTEXT order


def resolve(
    mentions: Sequence[Mention], source: CandidateSource, *, ranker: str = "context", weights: Weights | None = None
) -> list[Place]:
    """Places for the mentions, in order of first mention; demonyms only inform the choice.
    ``weights`` replaces the shipped ones (see :mod:`geomap.resolve.evidence`)."""
    if ranker not in RANKERS:
        raise ValueError(f"unknown ranker {ranker!r}; choose one of {', '.join(RANKERS)}")
    groups, unknown, demonym_countries = _groups(mentions, source)
    if ranker == "population":
        for g in groups:
            g.choice = max(
                range(len(g.candidates)), key=lambda k: (g.candidates[k].population, g.candidates[k].importance)
            )
        scores = {g.key: [float(c.population) for c in g.candidates] for g in groups}
        confidence: Callable[[_Group], float] = lambda g: _population_confidence(scores[g.key], g.choice)
    else:
        all_scores = _rank_in_context(groups, demonym_countries, weights or default_weights())
        confidence = lambda g: _softmax(all_scores[g.key])[g.choice]
    places = _places(groups, confidence)
    return sorted(places + _near_focus(unknown, places), key=lambda p: (p.mentions[0].start, p.id))


@dataclass(frozen=True, slots=True)
class Weighed:
    """One name as the context ranker weighed it: its mentions, its candidates, each
    candidate's features (:data:`~geomap.resolve.evidence.FEATURES` order) and the choice."""

    mentions: tuple[Mention, ...]
    candidates: tuple[Candidate, ...]
    features: tuple[tuple[float, ...], ...]
    choice: int


def weigh(mentions: Sequence[Mention], source: CandidateSource, weights: Weights | None = None) -> list[Weighed]:
    """The evidence behind :func:`resolve`'s choices, for fitting the weights (``geomap.tools.fit_ranker``)."""
    groups, _, demonym_countries = _groups(mentions, source)
    _rank_in_context(groups, demonym_countries, weights or default_weights())
    return [
        Weighed(tuple(g.mentions), tuple(g.candidates), tuple(p + x for p, x in zip(g.evidence, g.context)), g.choice)
        for g in groups
    ]


def _groups(mentions: Sequence[Mention], source: CandidateSource) -> tuple[list[_Group], list[_Group], set[str]]:
    """The names with candidates, those without, and the countries of the article's demonyms."""
    lookups: dict[str, list[Candidate]] = {}

    def lookup(name: str) -> list[Candidate]:
        key = normalize(name)
        if key not in lookups:
            lookups[key] = source.candidates(name, limit=CANDIDATE_LIMIT)
        return lookups[key]

    groups = _group(_divisions([_feature_beside(m) for m in mentions if not m.demonym], lookup))
    for g in groups:
        g.candidates = lookup(g.mentions[0].name)
        water = _other_water_form(g, lookup)
        g.candidates += water
        if water and not g.feature and _river_prefix(g.mentions[0].name):
            g.feature = "river"  # as "the Negro river" would say
        if not g.candidates:
            g.inner, g.candidates = _inner_place(g.mentions[0].name, lookup)
    _relative_regions(groups)
    unknown = [g for g in groups if not g.candidates]
    groups = [g for g in groups if g.candidates]

    def regions(name: str) -> set[str]:
        """The names a container stands for, which may be an abbreviation ("Conn.") or another name of a state."""
        return {normalize(name)} | {
            normalize(c.name) for c in lookup(name)[:CONTAINER_READINGS]
            if c.kind in ("region", "country") and c.name_type in ("name", "abbreviation")
        }  # fmt: skip

    _read_lists(groups, regions)
    demonym_countries = {c.country_code for m in mentions if m.demonym for c in lookup(m.name)[:1] if c.country_code}
    return groups, unknown, demonym_countries


def _relative_regions(groups: list[_Group]) -> None:
    """A region named by directions alone ("the South West", "North East") is a part of the
    country the article is about, not of another country that has one so named (Cameroon's
    South-West in a story about Devon): its readings are kept only in the countries of the
    article's other names' first readings; with none left, the name is placed as one that no
    source knows."""
    directions = vocabulary().directions
    countries = {g.candidates[0].country_code for g in groups if g.candidates and not _directional(g.key, directions)}
    for g in groups:
        if _directional(g.key, directions):
            g.candidates = [c for c in g.candidates if c.country_code in countries]


def _directional(key: str, directions: Mapping[str, str]) -> bool:
    return all(word in directions for word in key.split())


def _near_focus(unknown: list[_Group], places: list[Place]) -> list[Place]:
    """Names no source knows, not even in part ("Royal Street", "City Hall"), placed at the
    place the article is about, as a reader would guess: the city or district around which
    (within :data:`FOCUS_KM`) the article's mentions gather most. None without such a place."""
    local = [p for p in places if p.kind in ("city", "district")]
    if not unknown or not local:
        return []
    index = PointIndex([(p.lat, p.lon) for p in places])
    near = index.within([(p.lat, p.lon) for p in local], FOCUS_KM)
    weight = [sum(len(places[i].mentions) for i in found) for found in near]
    focus = local[
        max(range(len(local)), key=lambda k: (weight[k], len(local[k].mentions), -local[k].mentions[0].start))
    ]
    out = []
    for g in unknown:
        name = g.mentions[0].name
        out.append(Place(
            id=f"{NEAR_FOCUS}{focus.id}:{g.key.replace(' ', '-')}", name=name, kind="other", lat=focus.lat, lon=focus.lon,
            mentions=tuple(g.mentions), confidence=FOCUS_CONFIDENCE, geocoder=focus.geocoder,
            country_code=focus.country_code, country=focus.country, admin1=focus.admin1, parent=focus.id,
            note=f"the gazetteer does not know “{name}”: placed at {focus.name}, the place the article is about",
        ))  # fmt: skip
    return out


def _inner_place(name: str, lookup: Callable[[str], list[Candidate]]) -> tuple[str | None, list[Candidate]]:
    """For a name no source knows ("Colorado State University", "Harare City Council", "Bank of
    Japan"), the longest run of its words (the first, among equals) that names a significant
    place, and that place's readings: an institution or an event is where its name says. A
    sea counts by its short name too ("Eastern Mediterranean", "Caribbean Community")."""
    words = re.findall(r"[^\W_][\w.'’-]*", name)
    if words and normalize(words[-1]) in vocabulary().street_words:
        return None, []  # "Washington Drive" is named after a place, not in it
    for n in range(len(words) - 1, 0, -1):
        for i in range(len(words) - n + 1):
            part = " ".join(words[i : i + n])
            if not part[:1].isupper() or normalize(part) in vocabulary().stopwords:
                continue
            found = [
                c
                for c in lookup(part)
                if _significant(c) and (c.name_type in ("name", "abbreviation") or c.kind == "sea")
            ]
            if found:
                return part, found
    return None, []


def _other_water_form(g: _Group, lookup: Callable[[str], list[Candidate]]) -> list[Candidate]:
    """The rivers or lakes a name's other form finds, which its own misses: "Mackenzie River"
    is indexed for an Australian river and "Mackenzie" for Canada's; "Paraguay" (with
    "river" beside it) finds the country and "Paraguay River" the river; "the Delaware"
    standing alone, as a river's name does, finds the state and "Delaware River" the river."""
    name, words = g.mentions[0].name, vocabulary().feature_words
    if g.feature and words.get(g.feature.casefold()) in ("river", "lake"):
        kind = words[g.feature.casefold()]
        other = f"{name} River" if kind == "river" else f"Lake {name}"
    elif (word := _water_word(g.key)) is not None:
        kind = words[word]
        other = " ".join(w for w in name.split() if normalize(w) != word)
    elif _river_prefix(name):
        kind, other = "river", name.split(maxsplit=1)[1]  # "the Rio Negro": the river Natural Earth calls "Negro"
    elif g.alone and not g.feature and not any(c.kind in ("river", "lake", "sea") for c in g.candidates):
        kind, other = "river", f"{name} River"  # "crossed the Delaware on Christmas night"
    else:
        return []
    have = {c.id for c in g.candidates}
    return [c for c in lookup(other) if c.kind == kind and c.id not in have]


def _river_prefix(name: str) -> bool:
    """The name opens with another language's word for river ("Rio Negro", "Río Bravo")."""
    parts = name.split(maxsplit=1)
    return len(parts) == 2 and parts[0].casefold() in vocabulary().river_prefixes


def _significant(c: Candidate) -> bool:
    """Well known enough to be what a longer name refers to."""
    return (
        c.kind in ("country", "continent", "sea") or c.feature_code in ("ADM1", "PPLC")
        or c.population >= SIGNIFICANT_POPULATION
    )  # fmt: skip


def _group(mentions: Iterable[Mention]) -> list[_Group]:
    """The mentions of one name, resolved together; a mention that a river's or a lake's word
    follows is a name of its own ("the Ohio River" beside "in Ohio"), while "state" or
    "county" says what every mention of the name means."""
    groups: dict[str, _Group] = {}
    for m in mentions:
        key = normalize(m.name)
        if m.feature and _says_water(m.feature):
            key += f" {m.feature}"
        g = groups.get(key)
        if g is None:
            g = groups[key] = _Group(key, [], [], None, set())
        g.mentions.append(m)
        g.feature = g.feature or m.feature
        g.acronym = g.acronym or (m.name.replace(".", "").isupper() and len(m.name.replace(".", "")) <= 5)
        g.definite = g.definite or _after_the(m)
        g.alone = g.alone or _the_alone(m)
        g.beside = g.beside or _point_cue(m)
    return list(groups.values())


def _after_the(m: Mention) -> bool:
    return after_the(m.sentence.text, m.start - m.sentence.start)


_FOLLOWER = re.compile(r"\s*(?:$|[,.;:!?)\]\"”’]|(?P<word>[a-z]+)\b(?![-’']))")


def _takes_the(name: str) -> bool:
    """A town's name that takes "the": "The Hague", or one that ends in a landform's word, as
    "the Gold Coast" and "the Sunshine Coast" do."""
    return name.startswith("The ") or (" " in name and name.rsplit(" ", 1)[-1].casefold() in vocabulary().landforms)


def _the_alone(m: Mention) -> bool:
    """ "The X" with X standing alone, followed by punctuation or a function word, as a
    river's name is ("landed on the Hudson in January", "along the Niger between Mopti and
    Timbuktu"), not a name that qualifies a noun ("the Ohio Department", "the Nelson office",
    "the Albany-based service")."""
    s = m.sentence
    follower = _FOLLOWER.match(s.text, m.end - s.start)
    if not _after_the(m) or follower is None:
        return False
    word = follower.group("word")
    past = word is not None and len(word) > 4 and word.endswith("ed")  # "the Shannon flooded", "the Seine crested"
    return word is None or word in vocabulary().stopwords or word in vocabulary().locative or past


@cache
def _point_cue_pattern() -> re.Pattern[str]:
    cues = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in vocabulary().point_cues)
    return re.compile(rf"\b(?:{cues})\s+$", re.IGNORECASE)


def _point_cue(m: Mention) -> bool:
    """ "near São Paulo", "outside Santa Cruz": beside a point, as one is beside a city, not a state."""
    s = m.sentence
    return bool(_point_cue_pattern().search(s.text[max(0, m.start - s.start - 40) : m.start - s.start]))


def _in_dateline(m: Mention) -> bool:
    """Opens a dateline ("NEW YORK (AP) —"): the city the story was filed from, as "city"
    beside the name would say, not the state of that name."""
    s = m.sentence
    return opens_dateline(s.text, Sentence(0, len(s.text), s.text), m.start - s.start, m.text)


def _container(m: Mention) -> str | None:
    """The name after "Name, " within the sentence ("Springfield, Illinois")."""
    s = m.sentence
    tail = s.text[m.end - s.start :]
    match = re.match(r",\s+((?:[A-Z][\w.]*\s?){1,3})", tail)
    return normalize(match.group(1)) if match else None


def _rank_in_context(groups: list[_Group], demonym_countries: set[str], w: Weights) -> dict[str, list[float]]:
    namers: dict[str, set[str]] = {}  # country code -> keys of the groups that name it
    for g in groups:
        top = g.candidates[0]
        if top.kind == "country" and top.country_code:
            namers.setdefault(top.country_code, set()).add(g.key)
    # States and provinces the article may name: every reading counts, so that "Georgia"
    # helps Atlanta, Georgia even while it still reads as the country.
    regions = {
        g.key: {(c.country_code, c.name) for c in g.candidates if c.feature_code == "ADM1" and _by_name(c)}
        for g in groups
    }
    region_counts = Counter(r for rs in regions.values() for r in rs)
    pairs = _pairs(groups)
    for g in groups:
        others: Container[tuple[str | None, str]] = (
            frozenset() if _names_a_region(g) else _Others(region_counts, regions[g.key])
        )
        g.evidence = [
            _prior(g, c, namers, demonym_countries, others, paired) for c, paired in zip(g.candidates, pairs[g.key])
        ]
        g.context = [_NO_CONTEXT] * len(g.candidates)
    scores = {g.key: [w.score(f) for f in g.evidence] for g in groups}
    for _ in range(2):
        for g in groups:
            g.choice = max(range(len(g.candidates)), key=lambda k: scores[g.key][k])
        anchors = _Anchors([(g.key, g.candidates[g.choice]) for g in groups if _local(g.candidates[g.choice])])
        # A sea or a region of several countries has no country to match: the countries named place it.
        named = _Anchors([(g.key, g.candidates[g.choice]) for g in groups if g.candidates[g.choice].kind == "country"])
        levels = {g.key: _level(g.candidates[g.choice]) for g in groups}
        queries = [(g.key, c) for g in groups for c in g.candidates]
        # A candidate without a country looks for the nearest of both; min() of the floats is the same.
        nearest = iter(
            min((d for d in (a, n if not c.country_code else None) if d is not None), default=None)
            for (_, c), a, n in zip(queries, anchors.nearest_km(queries), named.nearest_km(queries))
        )
        for g in groups:
            listed = [levels[key] for key in g.peers]
            g.context = [
                _context(
                    c, g.key, (anchors,) if c.country_code else (anchors, named), next(nearest),
                    listed.count(_level(c)) / len(listed) if listed else 0.0,
                )
                for c in g.candidates
            ]  # fmt: skip
        scores = {g.key: [w.score(f, x) for f, x in zip(g.evidence, g.context)] for g in groups}
    for g in groups:
        g.choice = max(range(len(g.candidates)), key=lambda k: scores[g.key][k])
    return scores


def _prior(
    g: _Group,
    c: Candidate,
    namers: dict[str, set[str]],
    demonym_countries: set[str],
    regions: Container[tuple[str | None, str]],
    paired: tuple[bool, bool],
) -> tuple[float, ...]:
    """The features of :data:`~geomap.resolve.evidence.PRIOR`. ``namers``: the codes of the
    countries named, each with the groups naming it; ``regions``: (country code, name) of the
    states and provinces the other groups may name; ``paired``: see :func:`_pairs`."""
    naming = namers.get(c.country_code, set()) if c.country_code else set()
    named, by_others = bool(naming), bool(naming - {g.key})
    # A country named somewhere in the article does not make a town of a world city's name
    # that town ("London" in a story that mentions the United States once); its state does.
    famous = c.kind == "city" and any(
        o.kind == "city"
        and o.official
        and o.country_code != c.country_code
        and o.population >= max(100_000, 5 * c.population)
        for o in g.candidates
    )
    named, by_others = named and not famous, by_others and not famous
    # The readings in the candidate's country that bear its own name as theirs: the city and the
    # municipality of Belém, the province and the city of Quebec.
    key = normalize(c.name) if c.kind == "city" or _is_county(c) else None
    namesakes = [
        o for o in g.candidates if key and o.official and o.country_code == c.country_code and normalize(o.name) == key
    ]
    # A municipality named after its seat ("Belém", Brazil's ADM2 of the city's name and people) is the seat to a reader.
    seat_area = _is_county(c) and any(
        o.kind == "city" and great_circle_km(o.lat, o.lon, c.lat, c.lon) <= SEAT_KM for o in namesakes
    )
    # "Quebec" alone is the province of 10 million, not its city of half a million; a capital keeps its name.
    in_namesake = (
        c.kind == "city"
        and c.feature_code != "PPLC"
        and any(o.feature_code == "ADM1" and o.population >= NAMESAKE_SHARE * max(c.population, 1) for o in namesakes)
    )
    feature = g.feature or _water_word(g.key) or ("city" if any(map(_in_dateline, g.mentions)) else None)
    wanted = vocabulary().feature_words.get(feature) if feature else None
    container = bool(g.containers) and bool(
        {normalize(x) for x in (c.admin1, c.country, c.country_code) if x} & g.containers
    )
    inside = c.official and bool(c.admin1) and (c.country_code, c.admin1) in regions
    return (
        c.importance,
        float(c.official),
        float(by_others),
        float(named and not by_others),
        float(not named and c.country_code in demonym_countries),
        float(bool(feature) and wanted == c.kind),
        float(bool(feature) and wanted != c.kind),
        float(c.kind == "city" and g.beside),
        float(in_namesake),
        float(seat_area),
        float(container),
        float(inside),
        float(g.acronym and c.name_type != "abbreviation"),
        float(c.kind in ("river", "lake") and not g.feature and not g.definite and not _says_water(g.key)),
        float((c.kind == "sea" and g.definite) or (c.kind == "river" and g.alone)),
        float(c.kind == "city" and g.inner is None and g.alone and not _takes_the(c.name)),
        float(paired[0]),
        float(paired[1]),
        math.log10(1 + c.population) / 7,
        float(c.feature_code == "PPLC"),
        float(c.feature_code in ("PPLA", "PPLA2")),
        float(c.name_type == "abbreviation"),
        float(c.kind == "country"),
        float(c.kind == "region" and not _is_county(c)),
        float(_is_county(c)),
        float(c.kind in ("river", "lake")),
        float(c.kind == "sea"),
        float(c.kind == "continent"),
        float(c.kind == "other"),
    )


def _by_name(c: Candidate) -> bool:
    """Named by its own name or its abbreviation ("Pennsylvania", "Pa."), not another of its names."""
    return c.official or c.name_type == "abbreviation"


def _says_water(key: str) -> bool:
    """The name itself says what it is: "Lake Geneva", "Mississippi River"."""
    return _water_word(key) is not None


def _water_word(key: str) -> str | None:
    """The word of a name that says it is a river or a lake ("lake" of "Lake Como", "river" of
    "Pearl River"): a feature word the name carries within it, which wants what it says as
    one beside the name does (a town of that name, "Lake Como, New York", is the exception)."""
    return next((word for word in key.split() if vocabulary().feature_words.get(word) in ("river", "lake")), None)


def _local(c: Candidate) -> bool:
    """Small enough to anchor its neighbours: a town, a county or a river, not a state."""
    return c.kind not in BROAD_KINDS or _is_county(c)


def _is_county(c: Candidate) -> bool:
    return c.feature_code == "ADM2"


def _pairs(groups: list[_Group]) -> dict[str, list[tuple[bool, bool]]]:
    """Per candidate, whether it pairs with another name's reading as a town and its county,
    and whether any local reading of another name lies near it (both within :data:`PAIR_KM`):
    "Paris" and "Henry County" both in Tennessee, whatever either name reads as so far. Two
    towns pair by chance more often (the US has a Paris and a London 100 km apart), so the
    two are separate evidence."""
    places = [(g.key, c) for g in groups for c in g.candidates if _local(c)]
    index = PointIndex([(c.lat, c.lon) for _, c in places])
    found = index.within([(c.lat, c.lon) for _, c in places], PAIR_KM)
    paired: dict[tuple[str, int], tuple[bool, bool]] = {}
    for (key, c), near in zip(places, found):
        others = [places[i][1] for i in near if places[i][0] != key]
        # A town needs a county, a county any local place.
        county = any(_is_county(o) for o in others) if not _is_county(c) else bool(others)
        paired[key, id(c)] = (county, bool(others))
    return {g.key: [paired.get((g.key, id(c)), (False, False)) for c in g.candidates] for g in groups}


def _names_a_region(g: _Group) -> bool:
    """The name is a state's or a country's own: "Florida" in a list of states is not Florida, New York."""
    return any(not _local(c) and c.official for c in g.candidates)


class _Others:
    """What the groups other than one name: counts over every group less that group's own
    share, so that no group needs the union of all the others' (quadratic in long articles)."""

    def __init__(self, counts: Counter[tuple[str | None, str]], own: AbstractSet[tuple[str | None, str]]) -> None:
        self.counts, self.own = counts, own

    def __contains__(self, item: object) -> bool:
        return self.counts[item] > (item in self.own)  # type: ignore[index]


class _Anchors:
    """The places chosen so far that candidates are judged against, one per group, indexed
    by place and by country, so that a candidate's context costs about the number of
    anchors near it rather than the number in the article."""

    def __init__(self, anchors: list[tuple[str, Candidate]]) -> None:
        self.row = {key: k for k, (key, _) in enumerate(anchors)}
        self.candidates = [c for _, c in anchors]
        self.index = PointIndex([(c.lat, c.lon) for c in self.candidates])
        self.countries = Counter(c.country_code for c in self.candidates)
        self.regions = Counter((c.country_code, c.admin1) for c in self.candidates)

    def others(self, key: str) -> int:
        """How many anchors belong to groups other than ``key``."""
        return len(self.candidates) - (key in self.row)

    def in_country(self, key: str, code: str | None) -> int:
        """How many anchors of groups other than ``key`` lie in the country ``code``."""
        own = self._own(key)
        return self.countries[code] - (own is not None and own.country_code == code)

    def in_region(self, key: str, code: str | None, name: str | None) -> int:
        """How many anchors of groups other than ``key`` lie in the region ``name`` of ``code``."""
        own = self._own(key)
        return self.regions[(code, name)] - (own is not None and (own.country_code, own.admin1) == (code, name))

    def nearest_km(self, queries: list[tuple[str, Candidate]]) -> list[float | None]:
        """For each (group key, candidate), the distance to the nearest anchor of another group."""
        return self.index.nearest_km([(c.lat, c.lon) for _, c in queries], [self.row.get(k) for k, _ in queries])

    def _own(self, key: str) -> Candidate | None:
        return self.candidates[self.row[key]] if key in self.row else None


def _context(
    c: Candidate, key: str, pools: tuple[_Anchors, ...], nearest: float | None, listed: float
) -> tuple[float, ...]:
    """The features of :data:`~geomap.resolve.evidence.CONTEXT`: a place that contains the
    article's others (the anchors in ``pools`` of groups other than ``key``), or one near them
    (the nearest ``nearest`` km away), the shares of them in its country and its region, and
    ``listed``, the share of its list peers read at its level (:func:`_read_lists`)."""
    others = sum(pool.others(key) for pool in pools)
    if not others:
        return (*_NO_CONTEXT[:-1], listed)
    country = sum(pool.in_country(key, c.country_code) for pool in pools) / others if c.country_code else 0.0
    region = sum(pool.in_region(key, c.country_code, c.admin1) for pool in pools) / others if c.admin1 else 0.0
    if (c.kind == "country" and country) or (
        c.kind == "region" and any(pool.in_region(key, c.country_code, c.name) for pool in pools)
    ):
        return (1.0, 0.0, 0.0, country, region, listed)
    assert nearest is not None  # there are other anchors
    return (0.0, math.exp(-nearest / NEAR_KM), math.exp(-nearest / LOCAL_KM), country, region, listed)


def _level(c: Candidate) -> str:
    """What a list is a list of: countries, states and provinces, counties, or towns and the like."""
    if c.kind == "region":
        return "county" if _is_county(c) else "region"
    return c.kind if c.kind in BROAD_KINDS else "local"


_LIST_GAP = re.compile(r"\s*(?:(?:,|;)\s*(?:(?:and|or|&)\s+)?|(?:and|or|&)\s+)(?:the\s+)?", re.IGNORECASE)


def _list_gap(prev: Mention | None, m: Mention) -> str | None:
    """What joins two names listed one after the other in a sentence ("," "and" ", and"), if they are."""
    if prev is None or prev.sentence.start != m.sentence.start or prev.end > m.start:
        return None
    gap = m.sentence.text[prev.end - m.sentence.start : m.start - m.sentence.start]
    return " ".join(gap.split()) if _LIST_GAP.fullmatch(gap) else None


def _feature_beside(m: Mention) -> Mention:
    """The mention with the feature word the sentence puts beside its name, in lower case,
    if the recogniser gave none: "Washington state", "the state of Washington"."""
    if m.feature:
        return m
    s = m.sentence
    after = re.match(r"\s+([a-z]+)\b", s.text[m.end - s.start :])
    before = re.search(r"\b([a-z]+) of\s+$", s.text[: m.start - s.start])
    words = vocabulary().feature_words
    word = next((w.group(1) for w in (after, before) if w and w.group(1) in words and w.group(1) != "region"), None)
    return replace(m, feature=word) if word else m


def _divisions(mentions: list[Mention], lookup: Callable[[str], list[Candidate]]) -> list[Mention]:
    """The mentions, each name of a list that a plural division word follows ("Jackson and
    Barrow counties") read as that division ("Barrow County"), where the source knows it:
    the county is what the sentence names, and a bare "Barrow" finds only towns."""
    ordered = sorted(mentions, key=lambda m: m.start)
    out = {id(m): m for m in ordered}
    run: list[Mention] = []
    for m, after in zip(ordered, [*ordered[1:], None]):
        run = [*run, m] if run and _list_gap(run[-1], m) else [m]
        word = re.match(r"\s+(\w+)", m.sentence.text[m.end - m.sentence.start :])
        division = DIVISIONS.get(word.group(1).casefold()) if word else None
        if division and len(run) > 1 and (after is None or not _list_gap(m, after)):
            for r in run:
                if lookup(f"{r.name} {division}"):
                    out[id(r)] = replace(r, name=f"{r.name} {division}")
    return [out[id(m)] for m in mentions]


def _read_lists(groups: list[_Group], regions: Callable[[str], set[str]]) -> None:
    """Set each name's containers ("Springfield, Illinois") and list peers ("Georgia,
    Oklahoma, Pennsylvania and California"; "Mexico, China and Japan"), which a comma alone
    does not tell apart. A name after a comma is the container of the name before it when
    it holds a reading of it (``regions`` gives the names a container may stand for) and
    that name is not an item of a list of bare names: Japan does not contain China in
    "Mexico, China, Japan", Kentucky contains Louisville in "Louisville, Ky., New Haven,
    Conn.". A list of :data:`LIST_NAMES` names or more names things of one level (see
    :func:`_level`)."""
    by_key = {g.key: g for g in groups}
    key_of = {id(m): g for g in groups for m in g.mentions}
    holders = {g.key: {normalize(x) for c in g.candidates for x in (c.admin1, c.country) if x} for g in groups}
    mentions = sorted((m for g in groups for m in g.mentions), key=lambda m: m.start)
    chains: list[tuple[list[str], list[str | None]]] = []  # the names listed, and the gap before each
    paired = False  # the chain's first name took a container, so that each may
    for prev, m in zip([None, *mentions], mentions):
        g, gap = key_of[id(m)], _list_gap(prev, m)
        if gap is None:
            chains.append(([], []))
            paired = False
        keys, gaps = chains[-1]
        bare = gap == "," and len(keys) > 1 and gaps[-1] == "," and not paired  # "Mexico, China, Japan"
        if gap == "," and not (bare and _names_a_region(by_key[keys[-1]])) and regions(m.name) & holders[keys[-1]]:
            paired = True
            continue  # "Springfield, Illinois": the container, not a peer
        keys.append(g.key)
        gaps.append(gap)
        if not (gap == "," and not paired and _names_a_region(g)) and (container := _container(m)):
            g.containers |= regions(container)
    for keys, gaps in chains:
        if len(keys) >= LIST_NAMES:
            for key in keys:
                by_key[key].peers.update(k for k in keys if k != key)


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def _population_confidence(populations: list[float], choice: int) -> float:
    total = sum(populations)
    return populations[choice] / total if total else 1.0 / len(populations)


def _places(groups: list[_Group], confidence: Callable[[_Group], float]) -> list[Place]:
    """One place per chosen candidate (groups naming the same place merge), plus districts,
    each labelled as the article names it."""
    forms: dict[str, list[labels.Form]] = {}
    for g in groups:
        best = g.candidates[g.choice]
        forms.setdefault(best.id, []).extend(labels.article_forms(g.mentions, best) if not g.inner else ())
    by_id: dict[str, Place] = {}
    for g in groups:
        best = g.candidates[g.choice]
        name = labels.label(forms[best.id], best)
        conf = round(confidence(g), 3)
        alternatives = tuple(c for k, c in enumerate(g.candidates) if k != g.choice)[:MAX_ALTERNATIVES]
        plain = [m for m in g.mentions if not m.qualifier or best.kind != "city"]
        quarters: dict[str, list[Mention]] = {}
        for m in g.mentions:
            if m.qualifier and best.kind == "city":
                quarters.setdefault(m.qualifier, []).append(m)
        if g.inner:
            note = f"the gazetteer does not know “{g.mentions[0].name}”: placed at {name}, which its name contains"
            best = replace(best, note=f"{best.note}; {note}" if best.note else note)
        _add(by_id, _place(best, name, plain or g.mentions, conf, alternatives))
        for qualifier, ms in quarters.items():
            _add(by_id, _district(best, labels.district_label(qualifier, name), qualifier, ms, conf))
    return list(by_id.values())


def _place(c: Candidate, name: str, mentions: list[Mention], conf: float, alternatives: tuple[Candidate, ...]) -> Place:
    return Place(
        id=c.id, name=name, kind=c.kind, lat=c.lat, lon=c.lon, mentions=tuple(mentions), confidence=conf,
        geocoder=c.source, country_code=c.country_code, country=c.country, admin1=c.admin1,
        population=c.population, geometry=c.geometry, alternatives=alternatives, note=c.note,
        gazetteer_name=c.name,
    )  # fmt: skip


def _district(city: Candidate, name: str, qualifier: str, mentions: list[Mention], conf: float) -> Place:
    return Place(
        id=f"{city.id}#{qualifier.replace(' ', '-')}", name=name, kind="district", lat=city.lat, lon=city.lon,
        mentions=tuple(mentions), confidence=conf, geocoder=city.source, country_code=city.country_code,
        country=city.country, admin1=city.admin1, parent=city.id, note=city.note,
    )  # fmt: skip


def _add(by_id: dict[str, Place], place: Place) -> None:
    """Merge places that several names resolved to ("U.S." and "America")."""
    if old := by_id.get(place.id):
        mentions = tuple(sorted(old.mentions + place.mentions, key=lambda m: m.start))
        by_id[place.id] = replace(old, mentions=mentions, confidence=max(old.confidence, place.confidence))
    else:
        by_id[place.id] = place
