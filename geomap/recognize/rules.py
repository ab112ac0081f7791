"""Toponym recognition: find place-name mentions with exact character spans.

The default recogniser needs no model: capitalised word runs are matched against the
gazetteer's name index (one query per article for every n-gram), then the evidence in the
sentence decides. A name is rejected on positive evidence that it is something else: a
person's name (a title or first name before it, a surname after it: "Col. Pat Work", "Jack
London", "Tennessee Williams"), an outlet or an organisation ("Fox News", "Phoenix Suns"), an
acronym that only looks like a place. A name that is also a common English word or a
surname (Warsaw, Reading, Lincoln) needs evidence that it is a place: a locative word ("to
Berlin", "on the Thames"), a possessive, "X-based", a dateline, a container ("Mobile,
Alabama"), a feature word ("the Tigris river"), a list with other places; a significant
place (a country, capital, large city, first-level region, named river, sea, island, desert
or range) is a place on any of these, a small place only on the strongest.
Compounds are joined: "east Mosul", "Mosul's Old City", "the Tigris river".
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from geomap.model import Candidate, Mention, Sentence
from geomap.recognize import NameIndex
from geomap.recognize.vocabulary import Lexicon, no_place_nouns, things, vocabulary
from geomap.recognize.vocabulary import load as load_lexicon
from geomap.text import after_the, normalize, split_sentences

MAX_NGRAM = 6
#: A city of this size, or any country, continent or first-level region, is well known
#: enough to be read as a place without further evidence unless its name is also a word.
STRONG_POPULATION = 500_000
#: A city of this size, like a country, capital, first-level region or a named sea, river,
#: lake, island, desert or mountain range, is a place whenever the sentence says so ("in Warsaw").
SIGNIFICANT_POPULATION = 100_000
#: GeoNames also marks the seats of small territories as capitals (Stanley, Falklands: 2,213).
CAPITAL_POPULATION = 10_000
#: GeoNames codes of natural features known by name: islands, deserts, mountain ranges.
_NAMED_FEATURES = ("ISL", "ISLS", "DSRT", "MTS")

_ABBREV = r"(?:[A-Z][a-z]?\.){2,}"  # "U.S.", "N.Y.", "W.Va."
_WORD = r"[^\W\d_](?:[^\W_]|[’'](?=[^\W\d_])|-(?=[^\W\d_]))*"
_TOKEN = re.compile(rf"{_ABBREV}|{_WORD}")
_POSSESSIVE = re.compile(r"[’']s$|(?<=s)[’']$")


@dataclass(slots=True)
class _Token:
    text: str
    start: int
    end: int
    initial: bool = False  # the sentence's first word, capitalised by its place alone

    @property
    def capitalised(self) -> bool:
        """Capitalised, or a name after an article: elided ("Cortina d'Ampezzo", "Côte d’Ivoire")
        or Arabic and hyphened ("Deir ez-Zor", "Ras al-Ain")."""
        if self.text[:1].isupper() or re.match(r"[dl][’'][A-Z]", self.text):
            return True
        article, hyphen, rest = self.text.partition("-")
        return bool(hyphen) and rest[:1].isupper() and article in vocabulary().hyphened_articles

    @property
    def bare(self) -> str:
        """The token without a possessive ending."""
        return _POSSESSIVE.sub("", self.text)


@dataclass(frozen=True, slots=True)
class _Proposal:
    """A gazetteer name matched at ``run[i:j]``, to be judged."""

    sentence: Sentence
    run: list[_Token]
    i: int
    j: int
    cands: list[Candidate]
    person: tuple[int, int] | None  # where a person's name lies in the run, if anywhere
    longer: bool  # the name goes on with a word that is no place's ("Phoenix Suns", "Paris Agreement")
    fused: bool  # the name runs into another small place's, with no comma: "Boko Haram"


def find_mentions(
    text: str, gazetteer: NameIndex, *, lexicon: Lexicon | None = None, demonyms: bool = True
) -> list[Mention]:
    """Every place-name mention in ``text`` in reading order (demonyms marked as weak)."""
    lex = lexicon or load_lexicon()
    sentences = split_sentences(text)
    runs = [(s, run) for s in sentences for run in _capitalised_runs(text, s)]
    keys = {key for _, run in runs for _, _, key in _ngrams(run)}
    found = gazetteer.lookup_many(sorted(keys)) if keys else {}
    person_words: set[str] = set()
    proposals: list[_Proposal] = []
    for sentence, run in runs:
        matches = _longest_matches(run, found)
        person = _person_span(text, run, matches, lex)
        if person:
            person_words.update(t.bare.casefold() for t in run[person[1] : person[2]])
        starts = {i for i, _, _ in matches}
        headline = _title_case(sentence)  # where capitals do not join words into names
        fused = set() if headline else _fused(run, matches, lex)
        for i, j, cands in matches:
            longer = not headline and _goes_on(run, j, starts)
            person_span = person and (person[0], person[2])
            proposals.append(_Proposal(sentence, run, i, j, cands, person_span, longer, i in fused))
    supported = _names_with_support(text, proposals, lex)
    judged = [_judge(text, p, lex, person_words, supported) for p in proposals]
    more = (_listed_with_places(text, proposals, judged, lex) | _named_in_full(proposals, judged)) - supported
    if more:  # "Michigan and Wisconsin", "Gatwick" after "London Gatwick Airport": one sense per discourse again
        judged = [_judge(text, p, lex, person_words, supported | more) for p in proposals]
    judged = _without_associations(text, proposals, judged)
    mentions: list[Mention] = []
    for p, mention in zip(proposals, judged, strict=True):
        if mention and mentions and p.run[p.i].start < mentions[-1].end:
            continue  # inside a compound already taken ("Mosul's Old City")
        if mention and (demonyms or not mention.demonym):
            mentions.append(mention)
    return mentions


def _fused(run: list[_Token], matches: list[tuple[int, int, list[Candidate]]], lex: Lexicon) -> set[int]:
    """Where two small places' one-word names that are no words follow each other in one
    capitalised run: together they are one longer name that is no place's ("Boko Haram"), where
    a significant place's name after another's is its container without the comma ("Baghdad
    Iraq", "Corbin Kentucky") and a word may begin a public body's name ("New London Police")."""
    out: set[int] = set()
    for (a, b, first), (c, d, second) in itertools.pairwise(matches):
        demonym = any(cand.name_type == "demonym" for cand in first + second)
        small = not (_significant(first) or _significant(second) or demonym)
        if b == c and b - a == 1 and d - c == 1 and small and _unknown(run[a], lex) and _unknown(run[c], lex):
            out.update((a, c))
    return out


_LIST_GAP = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)")


def _without_associations(text: str, proposals: list[_Proposal], judged: list[Mention | None]) -> list[Mention | None]:
    """The judged mentions without those that only associate a place the article does not name
    otherwise: "Houston Rockets", "Qatar Airways", "AC Milan", "Bank of America" count as mentions
    of their place beside "in Houston" (or "the U.S.", America's top reading), but put nothing on
    the map of a sports, business or treaty story alone."""
    places = {(id(p.run), p.i) for p, m in zip(proposals, judged, strict=True) if m and not m.demonym}
    pairs = list(zip(proposals, judged, strict=True))
    associative = [m is not None and not m.demonym and _associative(text, p, places) for p, m in pairs]
    associative = _with_opponents(text, proposals, associative)
    literal = [(p, m) for p, m, a in zip(proposals, judged, associative, strict=True) if m and not m.demonym and not a]
    keys = {normalize(m.name) for _, m in literal}
    ids = {p.cands[0].id for p, _ in literal}
    return [
        None if a and m and normalize(m.name) not in keys and p.cands[0].id not in ids else m
        for p, m, a in zip(proposals, judged, associative, strict=True)
    ]


def _with_opponents(text: str, proposals: list[_Proposal], associative: list[bool]) -> list[bool]:
    """``associative``, and the names of a run across a match's result from a run with a team's
    name in it: "Real Madrid beat Bayern Munich", "Georgia Tech beat Clemson", "Germany played France"
    (a club's prefix, a longer name that is no place's, a score or "played" with a capitalised
    object shows the one a team's, the result the other).
    Not between places ("Russia beat Sweden" in a war, or a match of national teams)."""
    versus, out = _organisation_patterns().versus, list(associative)
    runs = [list(g) for _, g in itertools.groupby(range(len(proposals)), key=lambda k: id(proposals[k].run))]
    for first, second in itertools.pairwise(runs):
        a, b = proposals[first[0]], proposals[second[0]]
        if a.sentence is not b.sentence or not versus.fullmatch(text[a.run[-1].end : b.run[0].start]):
            continue
        for one, other in ((first, second), (second, first)):
            if any(associative[k] or proposals[k].longer for k in one):
                out = [True if k in other else flag for k, flag in enumerate(out)]
    return out


def _associative(text: str, p: _Proposal, places: set[tuple[int, int]]) -> bool:
    """Whether the name at ``run[i:j]`` only modifies a longer name that is no place's: a team's,
    company's, product's, treaty's or event's ("Houston Rockets", "Paris Agreement", "AC Milan",
    "Bank of America", "China Eastern", "the Minsk agreements"). ``places`` are where the run's
    other places start ("Baghdad Iraq" lacks its comma); a longer name that says where
    (:func:`_says_where`) is no mere association."""
    vocab, run, i, j = vocabulary(), p.run, p.i, p.j
    rest = run[j:]
    if len(rest) > 1 and rest[0].bare.casefold() in vocab.landforms:
        rest = rest[1:]  # "Tampa Bay Buccaneers": what follows the place's landform decides
    hyphen = "-" in run[j - 1].bare  # "Seattle-based Amazon"
    if rest and rest[0].capitalised and (id(run), j) not in places and not hyphen and not _title_case(p.sentence):
        word = rest[0].bare.casefold()
        if _direction_after(word) or not (
            word in vocab.stopwords or _natural(word) or word in vocab.landforms or word in vocab.titles
        ):
            return not _says_where(rest, p.cands)
    if not rest and run[j - 1].text == run[j - 1].bare:
        head = _word_after(text, run[j - 1].end, same_line=True)
        if head and head.islower() and head in vocab.event_heads:
            return True  # "the Minsk agreements", "the Oslo accords"
    if i and run[i - 1].text in vocab.club_prefixes:
        return True
    if _acts_as_organisation(p):
        return True
    of = i > 1 and run[i - 1].text == "of" and run[i - 2].bare.casefold() in vocab.org_heads
    return of and not _says_where(run[i - 2 : i - 1], p.cands)  # "Bank of America", not "University of Georgia"


_SCORE = re.compile(r"\b\d{1,3}[-–]\d{1,3}\b(?![-–]\d)")  # "2-2", "3–1"; not "2019-20-21"
_PLAYS_FOR = re.compile(r"\b(?:scored|scores|played|plays|signed|signs|starred|stars)\s+for\s+(?:the\s+)?$")


def _direction_after(word: str) -> bool:
    """A direction's adjective after a place's name, which English puts before a part of a place
    ("Eastern Cape"): after it, an airline's, a railway's or a school's name ("China Eastern",
    "Kansas City Southern", "Georgia Southern")."""
    return word.endswith("ern") and word in vocabulary().directions


def _acts_as_organisation(p: _Proposal) -> bool:
    """Whether a name that is its whole capitalised run acts as a team or a company: a match's
    result in a sentence with a score ("Leeds drew 2-2 with Hull", "beat Bristol 3-1"), "scored
    for Everton", what a company does or has ("Fujitsu recalled", "will cut 3,000 jobs",
    "reported record profits", "shares fell", "Shares of Amazon", "Toyota's suppliers", "Hudson's Bay closed all of
    its stores", "Victoria's Secret shares fell"), a film or a show ("Casablanca was screened",
    "Fargo returns for a sixth season"), a team or a band ("Kansas played Carry On Wayward Son"),
    or a town's name won as a tournament ("She won Wimbledon"; a state may be won in an
    election). Like any association, it puts the place on the map only beside a literal mention
    ("fans in Leeds")."""
    run, i, j = p.run, p.i, p.j
    if not (_alone(run, j) and _opens(run, i)):
        return False
    s, pat = p.sentence, _organisation_patterns()
    start, end = run[i].start - s.start, run[j - 1].end - s.start
    before, after = s.text[max(0, start - 40) : start], s.text[end : end + 80]
    possessive = run[j - 1].text != run[j - 1].bare
    if possessive and (pat.owned.match(after) and not any(c.kind == "country" for c in p.cands)):
        return True  # "Toyota's suppliers"
    if possessive and pat.founded.match(after) and not _founded(p.cands[0]):
        return True  # "Patagonia's founder"
    longer = re.match(r"\s+[A-Z][\w’'&-]*", after) if possessive else None
    if longer:  # a longer name: "Hudson's Bay closed all of its stores", "Victoria's Secret shares fell"
        country = any(c.kind == "country" for c in p.cands)  # "Japan's Toyota", "Russia's Putin": its firm, its leader
        return not country and bool(pat.shares_or_shops.match(after[longer.end() :]))
    if pat.shares_of.search(before) and not any(c.kind == "country" for c in p.cands):
        return True  # "Shares of Amazon rose"
    played = bool(_SCORE.search(s.text)) and bool(pat.result_after.match(after) or pat.result_before.search(before))
    tournament = bool(pat.won.search(before)) and all(c.kind in ("city", "district") for c in p.cands)
    return played or tournament or bool(_PLAYS_FOR.search(before) or pat.company.match(after))


def _founded(c: Candidate) -> bool:
    """A place that people found, a town, a country or a division (not a natural region): the
    name's first reading is."""
    return c.kind in ("city", "district", "country") or c.feature_code.startswith("ADM")


@dataclass(frozen=True, slots=True)
class _OrganisationPatterns:
    result_after: re.Pattern[str]  # a match's result after a team's name
    result_before: re.Pattern[str]  # and before it
    company: re.Pattern[str]  # what a company, a film, a show, a team or a band does after its name
    shares_or_shops: re.Pattern[str]  # what only a company does (a leader may recall, cut, report)
    owned: re.Pattern[str]  # what a company has, after its possessive
    founded: re.Pattern[str]  # its founder, after its possessive
    won: re.Pattern[str]  # a verb of winning before a tournament's name
    shares_of: re.Pattern[str]  # "Shares of" before a company's name
    versus: re.Pattern[str]  # a match's result, or "played", between two teams' names


def _alternation(words: frozenset[str]) -> str:
    """A regular expression's alternation of the words, longest first."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@cache
def _organisation_patterns() -> _OrganisationPatterns:
    """The patterns of :func:`_acts_as_organisation`, from the vocabulary."""
    vocab, alt = vocabulary(), _alternation
    results = alt(vocab.match_results)
    modal = r"(?:(?:has|had|will|would|is to|plans to|said it would|said it will)\s+)?"
    number = r"(?:\w+\s+){0,2}?[\d,.]+(?:\s+(?:million|thousand))?\s+(?:\w+\s+)?"
    shares_or_shops = (
        rf"shares\s+(?:{alt(vocab.share_moves)})\b"
        rf"|(?:closed|closes|closing|shut|shuts|opened|opens|opening)\s+(?:all\s+(?:of\s+)?)?its\s+"
        rf"(?:\S+\s+){{0,2}}?(?:{alt(vocab.company_shops)})\b"
    )
    return _OrganisationPatterns(
        result_after=re.compile(rf"\s+(?:{results})\b"),
        result_before=re.compile(
            rf"\b(?:{results})\s+(?:\d{{1,3}}[-–]\d{{1,3}}\s+)?(?:(?:with|against|to|over)\s+)?(?:the\s+)?$"
        ),
        company=re.compile(
            rf"[\s,]+{modal}(?:(?:{alt(vocab.company_recalls)})\b"
            rf"|(?:{alt(vocab.job_cuts)})\s+{number}(?:jobs|workers|employees|staff)\b"
            rf"|(?:{alt(vocab.company_reports)})\s+(?:\S+\s+){{0,3}}(?:{alt(vocab.company_results)})\b"
            rf"|{shares_or_shops}"
            rf"|(?:{alt(vocab.media_premieres)})\b"
            rf"|(?:was|were|is|has been|will be)\s+(?:{alt(vocab.media_acts)})\b"
            rf"|(?:returns|returned|will return|is returning)\s+for\s+(?:a|its)\s+(?:\w+\s+)?season\b"
            rf"|(?:{alt(vocab.performs)})\s+(?:the\s+)?[A-Z])"
        ),
        shares_or_shops=re.compile(rf"[\s,]+{modal}(?:{shares_or_shops})"),
        owned=re.compile(rf"\s+(?i:{alt(vocab.company_possessions)})\b"),
        founded=re.compile(rf"\s+(?:{alt(vocab.founders)})\b"),
        won=re.compile(rf"\b(?:{alt(vocab.wins)})\s+$"),
        shares_of=re.compile(r"\b[Ss]hares\s+of\s+$"),
        versus=re.compile(rf"\s+(?:{results}|{alt(vocab.performs)})\s+(?:(?:with|against|to|over)\s+)?(?:the\s+)?"),
    )


def _says_where(words: list[_Token], cands: list[Candidate], *, facilities: bool = True) -> bool:
    """Whether the words of a longer name beside a town's, region's or country's name make it a
    public body of the place, a public office or a party's member there ("Houston Police
    Department", "Alberta Energy Minister", "a Nevada Democrat") or, with ``facilities`` and a
    well-known place, a school, hospital or airport ("Denver High School"; "Columbia University"
    may honour a person). A sea's or river's name says nothing so ("Atlantic Council")."""
    vocab, civic = vocabulary(), _civic(cands)
    found = {t.bare.rstrip(".").casefold() for t in words}
    facility = facilities and _strong(civic) and found & vocab.facility_heads
    return bool(civic and (found & vocab.public_heads or facility))


def _civic(cands: list[Candidate]) -> list[Candidate]:
    """The readings of a name as a town, region or country, which have public bodies."""
    return [c for c in cands if c.kind in ("city", "district", "region", "country")]


def _named_in_full(proposals: list[_Proposal], judged: list[Mention | None]) -> set[str]:
    """Short forms of a name that the article also gives in full, where the full name is only one
    place's: after "London Gatwick Airport", "Gatwick" (a word of it, and another name of the
    airport's) is that place too."""
    full: dict[str, set[str]] = defaultdict(set)  # place id -> the words of its full names used
    for p, m in zip(proposals, judged, strict=True):
        if m and not m.demonym and len(p.cands) == 1 and p.j - p.i > 1:
            full[p.cands[0].id].update(normalize(" ".join(t.bare for t in p.run[p.i : p.j])).split())
    out = set()
    for p, m in zip(proposals, judged, strict=True):
        key = normalize(" ".join(t.bare for t in p.run[p.i : p.j]))
        if m is None and any(set(key.split()) < full.get(c.id, set()) for c in p.cands):
            out.add(key)
    return out


def _listed_with_places(text: str, proposals: list[_Proposal], judged: list[Mention | None], lex: Lexicon) -> set[str]:
    """Significant names listed beside a significant place that is no person's name ("Michigan
    and Wisconsin"; not "Peter, Paul and Mary"): being in a list of places is locative evidence."""
    out = set()
    for (p, m), (q, n) in itertools.pairwise(zip(proposals, judged, strict=True)):
        p_end, q_start = p.run[p.j - 1].start + len(p.run[p.j - 1].bare), q.run[q.i].start
        if p.sentence is not q.sentence or not _LIST_GAP.fullmatch(text[p_end:q_start]):
            continue
        for name, own, other, place in ((p, m, q, n), (q, n, p, m)):
            listed = own is None and place and not place.demonym and not lex.is_person_name(place.name)
            if listed and _significant(name.cands) and _significant(other.cands):
                out.add(normalize(" ".join(t.bare for t in name.run[name.i : name.j])))
    return out


def _capitalised_runs(text: str, sentence: Sentence) -> list[list[_Token]]:
    """Runs of capitalised tokens on one line, with lower-case connectors inside."""
    tokens = [
        _Token(m.group(0), sentence.start + m.start(), sentence.start + m.end(), initial=k == 0)
        for k, m in enumerate(_TOKEN.finditer(sentence.text))
    ]
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    for tok in tokens:
        gap = text[current[-1].end : tok.start] if current else ""
        joined = current and not current[-1].text.endswith(("’s", "'s"))
        joined = joined and (
            gap in (" ", "-") or (gap == ". " and current[-1].text.title() in vocabulary().name_prefixes)
        )
        if tok.capitalised:
            if not joined and current:
                runs.append(_trim(current))
                current = []
            current.append(tok)
        elif joined and tok.text in vocabulary().connectors:
            current.append(tok)
        elif current:
            runs.append(_trim(current))
            current = []
    if current:
        runs.append(_trim(current))
    return [r for r in runs if r]


def _trim(run: list[_Token]) -> list[_Token]:
    while run and not run[-1].capitalised:
        run = run[:-1]
    return run


def _ngrams(run: list[_Token]) -> list[tuple[int, int, str]]:
    """(i, j, key) for every sub-run starting and ending on a capitalised token."""
    out = []
    for i, first in enumerate(run):
        if not first.capitalised:
            continue
        for j in range(i + 1, min(len(run), i + MAX_NGRAM) + 1):
            last = run[j - 1]
            if not last.capitalised:
                continue
            words = [t.text for t in run[i : j - 1]] + [last.bare]
            key = normalize(" ".join(words))
            if key:
                out.append((i, j, key))
            if "-" in last.bare and j - 1 == i:  # "Iraq-based": the part before the hyphen
                head = normalize(last.bare.split("-", 1)[0])
                if head:
                    out.append((i, j, head))
    return out


def _longest_matches(run: list[_Token], found: dict[str, list[Candidate]]) -> list[tuple[int, int, list[Candidate]]]:
    """Greedy left-to-right longest matches inside a run; a name found only without its first
    word when that word is an English function word is left to the shorter match ("An Albany
    man": the gazetteer drops Arabic articles such as "an-")."""
    stopwords = vocabulary().stopwords
    by_span: dict[tuple[int, int], list[Candidate]] = {}
    for i, j, key in _ngrams(run):
        first, _, rest = key.partition(" ")
        if first in stopwords and rest and all(c.matched == rest for c in found.get(key, [])):
            continue
        if key in found and (i, j) not in by_span:
            by_span[(i, j)] = found[key]
    out = []
    i = 0
    while i < len(run):
        best = max((j for (a, j) in by_span if a == i), default=None)
        if best is None:
            i += 1
            continue
        out.append((i, best, by_span[(i, best)]))
        i = best
    return out


def _person_span(
    text: str, run: list[_Token], matches: list[tuple[int, int, list[Candidate]]], lex: Lexicon
) -> tuple[int, int, int] | None:
    """Where a person's name lies in a run, as (start, names, end): ``run[start:end]`` is no place,
    and ``run[names:end]`` are the person's own names, which mark the name elsewhere in the article.

    A person's name follows a title ("Gen. Jordan Hill", "President Barack Obama"), or starts
    with a first name followed by a surname ("Paris Hilton", "fans of Jack London") or, opening
    the run, by a name that is no word ("Andy Trapani"; but "Georgia Arrests Opposition Members"
    is a headline, "Pearl River" a river, "West Virginia" a state); a significant place's one-word
    name before a surname is a first name ("Tennessee Williams"), but marks no name elsewhere
    (the surname may be a place's too: "Washington Irving")."""
    vocab = vocabulary()
    before = _word_before(text, run[0].start)
    if before and before.rstrip(".").casefold() in vocab.titles:
        return 0, 0, _name_end(run, 0)
    inside = {k for a, b, _ in matches for k in range(a + 1, b)}
    places = {
        a for a, b, cands in matches if b == a + 1 and _significant(cands) and run[a].bare.isalpha()
        and run[a].bare.casefold() not in vocab.stopwords
    }  # fmt: skip
    if len(run) > 1 and run[-1].bare in _NAME_SUFFIXES:
        return 0, len(run), len(run)  # "Cuba Gooding Jr.": all of it a person's name
    for k, tok in enumerate(run[:-1]):
        end, word = _name_end(run, k), tok.bare.rstrip(".").casefold()
        if end - k < 2 or k in inside or any(a <= k and end <= b for a, b, _ in matches):
            continue  # too short, or all of it a place's name ("Sierra Nevada", "King County")
        if (word in vocab.titles and tok.bare.rstrip(".") not in vocab.place_prefixes) or word in vocab.storm_words:
            return k, k + 1, end  # "President Barack Obama", "Hurricane Milton"
        second = run[k + 1].bare.casefold()
        if second in vocab.feature_words:
            continue
        if word in lex.first_names and (
            second in lex.surnames or (k == 0 and end <= 3 and not lex.is_common_word(second))
        ):
            return k, k, end
        if k in places and k + 1 not in inside and second in lex.surnames and not lex.is_common_word(second):
            return k, end, end  # "Tennessee Williams", "Nile Rodgers": a place's name before a surname
    return None


def _unknown(tok: _Token, lex: Lexicon) -> bool:
    """A capitalised word that the lexicon does not know as a word or a person's name, and no
    function word or acronym ("Boko")."""
    word = tok.bare
    known = lex.is_common_word(word) or lex.is_person_name(word) or word.casefold() in vocabulary().stopwords
    return word.isalpha() and word[1:].islower() and not known


#: What ends a person's name: "Jr.", "Sr.", "III".
_NAME_SUFFIXES = frozenset({"Jr", "Sr", "II", "III", "IV"})
#: Determiners that make a place's name a common noun when nothing follows it ("his Waterloo", "a Mecca for surfers").
_COMMON_NOUN_DETERMINERS = frozenset({"a", "an", "another", "his", "her", "its", "my", "our", "their", "your"})


def _as_common_noun(text: str, run: list[_Token], i: int, j: int, end: int, cands: list[Candidate]) -> bool:
    """A name used as a common noun, with a determiner no place takes and no noun after it
    ("proved to be his Waterloo", "has become a Mecca for surfers", "stopped making the Malibu":
    a town takes no "the" unless its name has one, as The Hague), unlike a name that qualifies a
    noun ("an Ohio man", "his Paris flat", "the Tucson area")."""
    if i > 0 or j < len(run):
        return False
    before = re.search(r"(?:^|\s)([a-z]+)\s+$", text[max(0, run[0].start - 12) : run[0].start])
    after = re.match(r"\s*(?:$|[.;:!?)\"”’]|([a-z]+)\b)", text[end : end + 20])  # not ", Iowa" nor a list
    if before is None or after is None:
        return False
    vocab, word = vocabulary(), after.group(1)
    if before.group(1) == "the":  # a town's name standing alone, before a preposition at most
        last = normalize(text[run[i].start : end]).split()[-1]
        town = all(c.kind == "city" and not c.name.startswith("The ") for c in cands)
        return (
            town
            and last not in vocab.landforms
            and last not in vocab.feature_words
            and (word is None or word in vocab.locative)
        )
    if before.group(1) not in _COMMON_NOUN_DETERMINERS:
        return False
    return word is None or word in vocab.stopwords or word in vocab.locative


def _goes_on(run: list[_Token], j: int, starts: set[int]) -> bool:
    """Whether the capitalised word after a name continues it into a longer name: not another
    place ("Baghdad, Iraq" without its comma), a natural feature's word ("Hudson River"; but
    "Lansing State Journal"), a title ("Chicago Mayor Rahm Emanuel") or a function word ("in
    Berlin Monday")."""
    if j == len(run) or not run[j].capitalised or j in starts:
        return False
    vocab, word = vocabulary(), run[j].bare.casefold()
    return not (word in vocab.stopwords or _natural(word) or word in vocab.titles)


def _name_end(run: list[_Token], k: int) -> int:
    """Where the name that starts at ``run[k]`` ends: "James Tauber of Nelson" names Nelson too."""
    return next((m for m in range(k, len(run)) if not run[m].capitalised), len(run))


def _names_with_support(text: str, proposals: list[_Proposal], lex: Lexicon) -> set[str]:
    """Names that some mention in the article shows to be places (one sense per discourse).

    A feature word or a container ("Mobile, Alabama") supports any name. A locative word
    before a name that is the whole capitalised run ("in Lincoln", not "at Colorado State
    University") supports it, if the name is no common word ("in Western countries") or is a
    significant place's ("to Berlin"; but not "Justice of the Peace").
    """
    out = set()
    starts = {p.run[p.i].start for p in proposals}
    for p in proposals:
        run, i, j, cands = p.run, p.i, p.j, p.cands
        words = " ".join(t.bare for t in run[i:j])
        end = run[j - 1].start + len(run[j - 1].bare)
        common = lex.is_common_word(words)
        locative = _alone(run, j) and _locative_before(text, run, i)
        if (
            _feature_after(text, end)
            or _container_after(text, end, starts)
            or (locative and (_significant(cands) or not common))
        ):
            out.add(normalize(words))
    return out


def _said_to_be_place(text: str, p: _Proposal, lex: Lexicon, *, hyphen_head: bool) -> bool:
    """Evidence in the sentence itself, besides a preposition, that the name at ``run[i:j]`` is a
    place's: "Warsaw's mayor" (but "Nancy's restaurant": a first name; "Ezra Levant's": part of a
    longer name), "a Berlin-based firm", "the Rhine" (a river's name alone after "the"), a
    dateline ("BERLIN (Reuters) -"), a public body of the place ("the Boston Police Department",
    "the Department of Health of Ohio"; a university may be named after a state: "Colorado State
    University")."""
    run, i, j = p.run, p.i, p.j
    last = run[j - 1]
    possessive = last.text != last.bare and last.bare.casefold() not in lex.first_names
    alone = _alone(run, j)
    water = any(_natural_feature(c) for c in p.cands)
    civic = _civic(p.cands) if _significant(_civic(p.cands)) else []  # not "Atlantic Council"
    body = j < len(run) and run[j].capitalised and _says_where(run[j:], civic, facilities=False)
    of_body = alone and i > 1 and run[i - 1].text == "of" and _says_where(run[i - 2 : i - 1], civic, facilities=False)
    return bool(
        (_opens(run, i) and (possessive or body or (hyphen_head and _place_suffix(last.bare))))
        or of_body
        or (_opens(run, i) and water and alone and j - i == 1 and after_the(text, run[i].start))
        or opens_dateline(text, p.sentence, run[i].start, text[run[i].start : last.start + len(last.bare)])
    )


def _judge(text: str, p: _Proposal, lex: Lexicon, person_words: set[str], supported: set[str]) -> Mention | None:
    vocab = vocabulary()
    sentence, run, i, j, cands = p.sentence, p.run, p.i, p.j, p.cands
    toks = run[i:j]
    surface_start, surface_end = toks[0].start, toks[-1].start + len(toks[-1].bare)
    surface = text[surface_start:surface_end]
    hyphen_head = len(toks) == 1 and "-" in toks[0].bare and normalize(toks[0].bare) not in _keys(cands)
    if hyphen_head:
        if not (_strong(cands) or (_significant(cands) and _place_suffix(toks[0].bare))):
            return None  # "Iraq-based", "Reading-based", but not "Al" of "Al-Marjani"
        surface = surface.split("-", 1)[0]
        surface_end = surface_start + len(surface)
    name_types = {c.name_type for c in cands}
    dateline = opens_dateline(text, sentence, surface_start, surface)
    is_abbrev = bool(re.fullmatch(_ABBREV, surface)) or (surface.isupper() and len(surface) > 1 and not dateline)
    if is_abbrev and re.search(r"\d\s*$", text[max(0, surface_start - 3) : surface_start]):
        return None  # "300 BC", "5 PM": a unit after a number
    if not is_abbrev and "abbreviation" in name_types and text[surface_end : surface_end + 1] == ".":
        if len(toks) == 1 and re.fullmatch(r"[A-Z][a-z]{1,4}", surface):
            surface_end += 1  # "Ky.", "Calif.": the dot is part of the abbreviation
            surface = text[surface_start:surface_end]
    elif not is_abbrev and "abbreviation" in name_types:
        if name_types == {"abbreviation"}:
            return None  # "Ky" without its dot is not Kentucky
        cands = [c for c in cands if c.name_type != "abbreviation"]  # "Car workers" are no CAR's
    if is_abbrev and "abbreviation" not in name_types:
        return None  # an acronym (ISIS, CNN) that merely spells a place name
    if surface.isupper() and "abbreviation" in name_types and not re.fullmatch(rf"{_ABBREV}|[A-Z]{{2,4}}", surface):
        return None
    if not is_abbrev and not toks[0].capitalised:
        return None
    if surface.casefold() in vocab.stopwords and not is_abbrev:
        return None
    if re.search(r"[’'](?:re|ll|ve|d|t|m)$", surface, re.IGNORECASE):
        return None  # a contraction ("We're", "He'll"), where a name may have an apostrophe ("Xi'an")
    key = normalize(surface)
    if key in vocab.not_places or p.fused:
        return None
    if p.person and p.person[0] <= i < p.person[1] and not (i == p.person[0] and j >= p.person[1]):
        return None  # in a person's name, unless the place's name is all of it ("King County")
    if i > 0 and run[i - 1].text in ("St", "Saint"):
        return None  # a saint's name: "St Patrick's Day"
    saint = len(toks) == 2 and toks[0].bare.rstrip(".") in vocab.place_prefixes and toks[1].text != toks[1].bare
    if saint and toks[1].bare.casefold() in lex.first_names and re.match(r"\s+[A-Z]", text[toks[1].end :]):
        return None  # what a saint's name names: "St. Peter's Square", "St. Mary's Hospital"
    place_like = _significant(cands) and key not in person_words
    if len(toks) == 1 and not _strong(cands) and _speaker(text, surface_start, surface_end, lex, surface, place_like):
        return None  # "Robertson said", "said Dick", "Brown's account"
    if len(toks) == 1 and j == len(run) and _acts_as_person(text, sentence, surface_start, surface_end):
        return None  # "Tokyo narrates the heist": a character named after a city
    if any(t.bare.casefold() in person_words for t in toks) and key not in supported and not _strong(cands):
        return None
    named = j < len(run) and run[j].capitalised  # the next word belongs to the same name
    head = run[j].bare.casefold() if j < len(run) else _word_after(text, surface_end, same_line=True)
    organisation = head in vocab.media_heads or (
        head in vocab.org_heads and not _strong(cands) and not _says_where(run[j:], cands)
    )  # "Lodi Police Department" says where Lodi is
    if (named and organisation) or _thing_after(text, run, j, surface_end, key):
        return None  # "Fox News", "New York Times", "Reston virus", "Brussels sprouts": named after a place
    if _product_before(text, run, i) or _kind_before(text, run, i, cands):
        return None  # "a jar of Dijon", "the band Chicago"
    if _as_common_noun(text, run, i, j, surface_end, cands) or _names_a_work_or_thing(
        text, run, i, j, surface_end, cands
    ):
        return None  # "his Waterloo", "the Hyundai Tucson", "a Chihuahua named Pearl"
    ambiguous = len(toks) == 1 and (lex.is_common_word(surface) or lex.is_person_name(surface))
    if p.longer and ambiguous and not _strong(cands):
        return None  # "Phoenix Suns", "Hampton Avenue": a word or a surname that begins a longer name
    weak = any(c.name_type == "demonym" for c in cands) and not _strong(cands)
    if weak:
        return _mention(text, sentence, surface_start, surface_end, surface, demonym=True)
    evidence = key in supported or (_significant(cands) and _said_to_be_place(text, p, lex, hyphen_head=hyphen_head))
    if _needs_evidence(text, sentence, run, i, surface, cands, lex) and not evidence:
        return None
    odd = all(c.name_type == "alternate" and not _natural_feature(c) for c in cands)
    if odd and not _strong(cands) and not evidence:
        return None  # "Alaa", "Up": only an odd spelling of a small town
    return compound_mention(text, sentence, surface_start, surface_end, surface, word_end=toks[-1].end)


def compound_mention(text: str, sentence: Sentence, start: int, end: int, name: str, *, word_end: int) -> Mention:
    """The mention of ``name`` at ``text[start:end]`` widened to the phrase a reader sees:
    "east Mosul", "the Tigris river", "Mosul's Old City" (``word_end`` is where the name's
    last word ends, possessive included). Public so that every recogniser joins alike."""
    feature = _feature_after(text, end)
    qualifier, phrase_start = _direction_before(text, start)
    phrase_end = end
    if feature:
        phrase_end = end + len(re.match(r"\s+\w+", text[end:]).group(0))  # type: ignore[union-attr]
    elif before := _feature_before(text, start):
        feature, phrase_start = before
    quarter = _quarter_after(text, word_end)
    if quarter and not qualifier:
        qualifier, phrase_end = quarter
    return Mention(
        text=text[phrase_start:phrase_end], start=phrase_start, end=phrase_end, name=name, sentence=sentence,
        feature=feature, qualifier=qualifier,
    )  # fmt: skip


def opens_dateline(text: str, sentence: Sentence, start: int, surface: str) -> bool:
    """A place in capitals opening a sentence ("WASHINGTON (Reuters) -", "DOHA, Qatar (AP) -"),
    not an acronym ("NATO -"; a short name needs its container)."""
    tail = text[start + len(surface) : start + 80]
    return (
        surface.isupper() and (len(surface) >= 5 or bool(re.match(r",\s*[A-Z][a-z]", tail)))
        and not text[sentence.start : start].strip(" \"“”'")
        and bool(re.match(r"[A-Z .'-]*(?:,[A-Za-z .]+)?\s*(?:\([^)]*\)\s*)?[—–-]", tail))
    )  # fmt: skip


_SPEECH = r"(?:said|says|told|added|stated|explained|wrote|asked|replied|testified)"


def _speaker(text: str, start: int, end: int, lex: Lexicon, surface: str, place_like: bool) -> bool:
    """A lone name that speaks or owns like a person: "Robertson said", "said Dick", "Brown's"
    (but "Warsaw's mayor": a ``place_like`` name, significant and no person's in the article)."""
    after, before = text[end : end + 16], text[max(0, start - 16) : start]
    if re.match(rf",?\s+{_SPEECH}\b", after) or re.search(rf"\b{_SPEECH}\s+$", before):
        return True
    return after[:2] in ("'s", "’s") and lex.is_person_name(surface) and not place_like


def _keys(cands: list[Candidate]) -> set[str]:
    return {normalize(c.matched or c.name) for c in cands}


def _strong(cands: list[Candidate]) -> bool:
    """Well known under this very name (an alternate spelling does not make "Gold" the Gold Coast)."""
    return any(
        (
            c.kind in ("country", "continent", "sea")
            or c.feature_code in ("ADM1", "RGN")
            or (c.feature_code == "ADM2" and " " in (c.matched or "").strip())
            or c.population >= STRONG_POPULATION
        )
        and c.name_type in ("name", "abbreviation")
        for c in cands
    )


def _place_suffix(word: str) -> bool:
    """A hyphenated word that places something: "Berlin-based", "Phoenix-area" (not "Lincoln-headed")."""
    return word.rsplit("-", 1)[-1] in vocabulary().place_suffixes


def _significant(cands: list[Candidate]) -> bool:
    """Known to readers under this very name: a country, capital, first-level region, city of
    :data:`SIGNIFICANT_POPULATION`, or a named sea, river, lake, island, desert or range (also
    by its short name: "the Carpathians", "the Adriatic")."""
    return (
        _strong(cands)
        or any(
            (
                (c.kind in ("city", "district") and c.population >= SIGNIFICANT_POPULATION)
                or (c.feature_code == "PPLC" and c.population >= CAPITAL_POPULATION)
            )
            and c.name_type in ("name", "abbreviation")
            for c in cands
        )
        or any(_natural_feature(c) for c in cands)
    )


def _natural_feature(c: Candidate) -> bool:
    """A named sea, river, lake, island, desert or mountain range, by its name or a short form
    of it ("Titicaca", "the Carpathians"; not "Al Nasser" for Lake Nasser)."""
    if c.name_type == "demonym" or not (c.kind in ("river", "lake", "sea") or c.feature_code in _NAMED_FEATURES):
        return False
    words = set(normalize(c.name).split())
    return c.official or all(w in words or w.removesuffix("s") in words for w in normalize(c.matched or "").split())


def _needs_evidence(
    text: str, sentence: Sentence, run: list[_Token], i: int, surface: str, cands: list[Candidate], lex: Lexicon
) -> bool:
    """Whether capitalisation alone is too weak a sign that ``surface`` is a place here."""
    words = surface.split()
    plural = any(lex.is_common_word(form) for form in _singulars(surface.casefold())[1:])
    noun = (normalize(surface) in no_place_nouns() or plural) and not _significant(cands)  # "Rugby fans", "Two Marines"
    if len(words) == 1 and (lex.is_common_word(surface) or noun):
        alone = i + 1 == len(run) or not run[i + 1].capitalised
        if alone and any(c.kind == "sea" for c in cands) and after_the(text, run[i].start):
            return False  # "the Atlantic", "the Gulf"; not "Gulf War" or "Atlantic Council"
        return not any(c.kind in ("country", "continent") and c.name_type in ("name", "abbreviation") for c in cands)
    return len(words) == 1 and lex.is_person_name(surface) and not _significant(cands)


def _title_case(sentence: Sentence) -> bool:
    """A headline in title case, where capitals do not join words into names: most long words
    capitalised and no lower-case word but function words ("Georgia Arrests Opposition Members
    on Arms Charges"; not "The Kansas City Chiefs won the Super Bowl in Las Vegas", whose
    lower-case verb says that its capitals are names)."""
    words = re.findall(r"[^\W\d_]+", sentence.text)
    long_words = [w for w in words if len(w) > 3]
    if len(long_words) < 3 or sum(w[0].isupper() for w in long_words) / len(long_words) <= 0.7:
        return False
    return not any(len(w) > 2 and w.islower() and not _function_word(w) for w in words)


def _function_word(word: str) -> bool:
    """An article, pronoun, preposition or conjunction (and the like), which title case leaves in lower case."""
    vocab = vocabulary()
    return any(word in words for words in (vocab.stopwords, vocab.connectors, vocab.relational, vocab.locative))


def _mention(text: str, sentence: Sentence, start: int, end: int, name: str, *, demonym: bool = False) -> Mention:
    return Mention(text=text[start:end], start=start, end=end, name=name, sentence=sentence, demonym=demonym)


def _thing_after(text: str, run: list[_Token], j: int, end: int, key: str) -> bool:
    """Whether the name ``key`` (ending at ``end``, ``run[j]`` next) begins a compound noun that
    names a thing, a food, plant, animal or garment: "Brussels sprouts", "Buffalo wings", "a
    Panama hat", "a Canada Goose parka" (:func:`~geomap.recognize.vocabulary.things`), or comes
    before a thing's head ("Reston virus", "Dijon mustard", "Arizona iced tea")."""
    if j < len(run):
        words = [t.bare.casefold() for t in run[j : j + 2]]
    else:
        m = re.match(r"[ \t]+([a-z]+)\b(?!-)(?:[ \t]+([a-z]+)\b(?!-))?", text[end : end + 40])
        words = [w for w in m.groups() if w] if m else []
    compounds, heads = things(), vocabulary().thing_heads
    return any(
        " ".join([key, *words[: n - 1], form]) in compounds or " ".join(words[:n]) in heads
        for n in range(1, len(words) + 1)
        for form in _singulars(words[n - 1])
    )


def _product_before(text: str, run: list[_Token], i: int) -> bool:
    """A measure of a food or drink before the name, which makes it the product's: "a jar of
    Dijon mustard", "two bottles of Bordeaux", "a case of 1982 Bordeaux"."""
    vocab = vocabulary()
    m = re.search(r"\b([a-z]+)\s+of\s+((?:19|20)\d\d\s+)?$", text[max(0, run[i].start - 30) : run[i].start])
    return (
        m is not None
        and _opens(run, i)
        and (m.group(1) in vocab.measures or (m.group(1) in vocab.vintage_measures and m.group(2) is not None))
    )


def _names_a_work_or_thing(text: str, run: list[_Token], i: int, j: int, end: int, cands: list[Candidate]) -> bool:
    """What the words around a name say it names, by general evidence: a product after its
    maker ("the Hyundai Tucson", "macOS Sonoma"), a work's title after a verb of making ("wrote
    The Legend of Sleepy Hollow") or a staging ("a new production of Othello"), an animal ("a
    Chihuahua named Pearl", "her black Labrador"), a programming language ("written in Java")."""
    vocab, start = vocabulary(), run[i].start
    before = text[max(0, start - 40) : start]
    country = any(c.kind == "country" for c in cands)
    division = country or any(c.feature_code == "ADM1" for c in cands)  # "Honda Ohio", "a golden Ohio afternoon"
    prev = run[i - 1].text if i else (re.findall(r"([^\W\d_]\w*)[ \t]+$", before) or [""])[0]
    if prev in vocab.makers and not division:
        return True
    verb = re.search(r"\b([a-z]+)\s+$", text[max(0, run[0].start - 20) : run[0].start])
    if run[0].text in ("The", "A", "An") and not run[0].initial and verb and verb.group(1) in vocab.creates:
        return True
    whole = _opens(run, i) and j == len(run) and run[j - 1].text == run[j - 1].bare
    staging = rf"\b(?i:a|an)\s+(?:[\w-]+\s+)?(?:{_alternation(vocab.stagings)})\s+of\s+$"  # not "the ... of Iraq"
    if whole and re.search(staging, before) and not country:
        return True
    named = re.match(r"\s+(?:named|called)\s+[A-Z]", text[end : end + 20])
    if whole and j - i == 1 and named and re.search(r"\b(?i:a|an)\s+$", before):
        return True
    coat = rf"\b(?i:a|an|his|her|their|my|our|your)\s+(?:{_alternation(vocab.coat_colours)})\s+$"
    if whole and j - i == 1 and re.search(coat, before) and not division:
        return True
    written = r"\b(?:written|coded|programmed|implemented|rewritten)\s+in\s+$"
    return whole and run[i].bare in vocab.programming_languages and bool(re.search(written, before))


def _kind_before(text: str, run: list[_Token], i: int, cands: list[Candidate]) -> bool:
    """A common noun right before the name, after a determiner, that says what it names: "the band
    Chicago", "the rock band Kansas", "the film Casablanca". Not before a country's or a capital's
    name, which may stand for a government opening a clause ("the film China banned", "the company
    Washington blacklisted")."""
    before = text[max(0, run[i].start - 40) : run[i].start]
    m = re.search(r"\b(?i:the|a|an|its|their|his|her|this)\s+(?:[\w-]+\s+)?([a-z]+)\s+$", before)
    government = any(c.kind == "country" or c.feature_code == "PPLC" for c in cands)
    return m is not None and i == 0 and not government and m.group(1) in vocabulary().kind_nouns


def _singulars(word: str) -> list[str]:
    """The word and what it may be the plural of ("sprouts", "dishes", "berries")."""
    forms = [word]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s"):
        forms.append(word[:-1])
    return forms


#: Words after which a name opens a clause as its subject ("..., while Berlin plans it").
_CLAUSE_OPENERS = frozenset({"and", "as", "but", "then", "when", "while"})


def _acts_as_person(text: str, sentence: Sentence, start: int, end: int) -> bool:
    """A lone name that opens a clause and does what only a person does ("Tokyo narrates the
    heist", "Houston grinned"), not one after a preposition ("fans in Tokyo grinned")."""
    if _word_after(text, end, same_line=True) not in vocabulary().person_acts:
        return False
    before = text[sentence.start : start].rstrip()
    return not before or before[-1] in ",;:" or before.rsplit(None, 1)[-1].casefold() in _CLAUSE_OPENERS


def _word_before(text: str, pos: int) -> str | None:
    m = re.search(r"([^\W\d_][\w.]*)[\s,]*$", text[max(0, pos - 40) : pos])
    return m.group(1) if m else None


def _word_after(text: str, pos: int, *, same_line: bool = False) -> str | None:
    pattern = r"[ \t]+([^\W\d_]+)" if same_line else r"\s+([^\W\d_]+)"
    m = re.match(pattern, text[pos : pos + 40])
    return m.group(1) if m else None


def _locative_before(text: str, run: list[_Token], i: int) -> bool:
    """A word before the name that says where: "in Mosul", "fled to the Tigris", "on the
    Thames", "reached central Bangkok", "north of Amman"."""
    if not _opens(run, i):
        return False
    vocab = vocabulary()
    m = re.search(r"[A-Za-z]+(?:\s+[A-Za-z]+){0,2}\s+$", text[max(0, run[i].start - 40) : run[i].start])
    words = m.group(0).split() if m else []
    if len(words) > 1 and words[-1] in vocab.directions:
        words.pop()  # "central Bangkok"
    the = len(words) > 1 and words[-1].casefold() == "the"
    word = words[-1 - the].casefold() if len(words) > the else ""
    return word in vocab.locative or word in vocab.relational or (the and word in vocab.locative_with_the)


def _alone(run: list[_Token], j: int) -> bool:
    """Whether a name ending at ``run[j]`` ends its run, but for a natural feature's word ("in
    the Atlas Mountains"): evidence around the run is then about the name."""
    rest = run[j:]
    return not rest or not rest[0].capitalised or (len(rest) == 1 and _natural(rest[0].bare))


def _opens(run: list[_Token], i: int) -> bool:
    """Whether the name at ``run[i]`` begins its run but for function words ("A Berlin-based",
    "In Berlin") and the sentence's first word ("Residents of Barcelona"): evidence around the
    run is then about the name."""
    before = run[: i - 1] if i and _natural(run[i - 1].bare) else run[:i]  # "in Lake Titicaca"
    return all(t.initial or t.bare.casefold() in vocabulary().stopwords for t in before)


def _feature_after(text: str, pos: int) -> str | None:
    """A feature word after the name: "the Tigris river", "the Ohio River", "the Atlas Mountains"
    (in capitals only a natural feature's: "Ohio State" is a school)."""
    word = _word_after(text, pos, same_line=True)
    if word and (word.islower() or _natural(word)) and word.casefold() in vocabulary().feature_words:
        return word.casefold()
    return None


def _natural(word: str) -> bool:
    """A natural feature's word ("River", "Lake", "Mountains"), which may join a name in capitals."""
    return vocabulary().feature_words.get(word.casefold()) in ("river", "lake", "sea", "other")


def _feature_before(text: str, pos: int) -> tuple[str, int] | None:
    """A natural feature's word in capitals right before the name, and where it starts: "Lake
    Titicaca", "River Thames" (when the gazetteer has only the bare name)."""
    m = re.search(r"(?:^|(?<=\s))([A-Z][a-z]+) $", text[max(0, pos - 20) : pos])
    return (m.group(1).casefold(), pos - len(m.group(0))) if m and _natural(m.group(1)) else None


def _container_after(text: str, pos: int, places: set[int]) -> bool:
    """A comma and a place's name right after (``places``: where the gazetteer's names start):
    "Springfield, Illinois"; not "Earth, Wind & Fire"."""
    m = re.match(r",\s+(?=[A-Z][a-z])", text[pos : pos + 4])
    return m is not None and pos + m.end() in places


def _direction_before(text: str, pos: int) -> tuple[str | None, int]:
    """A direction right before the name, on its line or the line before but not across a blank
    line: "east Mosul", not a headline's last word over a dateline ("... send smoke south", "MONTREAL")."""
    m = _DIRECTION.search(text, max(0, pos - 20), pos)
    direction = vocabulary().directions.get(m.group(1)) if m and m.group(1).islower() else None
    if m and direction:
        return direction, m.start()
    return None, pos


#: A whole word (whitespace or the text's start before it) and the space after it, up to the name.
_DIRECTION = re.compile(r"(?<!\S)([A-Za-z]+)(?:[ \t]+|[ \t]*\n[ \t]*)\Z")


def _quarter_after(text: str, pos: int) -> tuple[str, int] | None:
    """A possessive followed by a named quarter: "Mosul's Old City"."""
    m = re.match(r"\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)", text[pos : pos + 30])
    prev = text[max(0, pos - 2) : pos]
    if m and prev in ("’s", "'s") and m.group(1).casefold() in vocabulary().quarters:
        return m.group(1).casefold(), pos + m.end()
    return None
