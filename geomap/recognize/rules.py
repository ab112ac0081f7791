"""Toponym recognition: find place-name mentions with exact character spans.

The default recogniser needs no model: capitalised word runs are matched against the
gazetteer's name index (one query per article for every n-gram), then rules keep
precision high. A name is kept when it is a place *here*: not inside a person's name
("Russ Read", "Col. Pat Work"), not the head of an organisation ("Fox News"), not an
acronym that only looks like a place, and, when the name is also a common English
word or a frequent surname (Read, Lincoln, Mobile), only with supporting evidence such
as a locative preposition ("in Mobile") or a feature word ("the Tigris river").
Compounds are joined: "east Mosul", "Mosul's Old City", "the Tigris river".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geomap.model import Candidate, Mention, Sentence
from geomap.recognize import NameIndex
from geomap.recognize.vocabulary import Lexicon, vocabulary
from geomap.recognize.vocabulary import load as load_lexicon
from geomap.text import after_the, normalize, split_sentences

MAX_NGRAM = 6
#: A city of this size, or any country, continent or first-level region, is well known
#: enough to be read as a place without further evidence even when its name is a word.
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

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def bare(self) -> str:
        """The token without a possessive ending."""
        return _POSSESSIVE.sub("", self.text)


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
    proposals: list[tuple[Sentence, list[_Token], int, int, list[Candidate]]] = []
    for sentence, run in runs:
        for i, j, cands in _longest_matches(run, found):
            proposals.append((sentence, run, i, j, cands))
        if _is_person_run(text, run, lex):
            person_words.update(t.bare.casefold() for t in run[int(_titled(run)) : _person_end(run)])
    supported = _names_with_support(text, proposals, lex)
    mentions: list[Mention] = []
    for sentence, run, i, j, cands in proposals:
        if mentions and run[i].start < mentions[-1].end:
            continue  # inside a compound already taken ("Mosul's Old City")
        mention = _judge(text, sentence, run, i, j, cands, lex, person_words, supported)
        if mention and (demonyms or not mention.demonym):
            mentions.append(mention)
    return mentions


def _capitalised_runs(text: str, sentence: Sentence) -> list[list[_Token]]:
    """Runs of capitalised tokens on one line, with lower-case connectors inside."""
    tokens = [
        _Token(m.group(0), sentence.start + m.start(), sentence.start + m.end()) for m in _TOKEN.finditer(sentence.text)
    ]
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    for tok in tokens:
        gap = text[current[-1].end : tok.start] if current else ""
        joined = current and not current[-1].text.endswith(("’s", "'s"))
        joined = joined and (gap in (" ", "-") or (gap == ". " and current[-1].text in vocabulary().name_prefixes))
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
    """Greedy left-to-right longest matches inside a run."""
    by_span: dict[tuple[int, int], list[Candidate]] = {}
    for i, j, key in _ngrams(run):
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


def _is_person_run(text: str, run: list[_Token], lex: Lexicon) -> bool:
    """A run that names a person: a title before it, or a first name and a surname
    ("Georgia Arrests Opposition Members" is a headline, not a person)."""
    before = _word_before(text, run[0].start)
    if (before and before.rstrip(".").casefold() in vocabulary().titles) or _titled(run):
        return True
    if len(run) < 2 or not run[1].capitalised or run[0].bare.casefold() not in lex.first_names:
        return False
    second = run[1].bare
    return second.casefold() in lex.surnames or (_person_end(run) <= 3 and not lex.is_common_word(second))


def _titled(run: list[_Token]) -> bool:
    """A run that starts with a title: "President Barack Obama", "Col. Pat Work"."""
    vocab, word = vocabulary(), run[0].bare.rstrip(".")
    return len(run) > 1 and run[1].capitalised and word.casefold() in vocab.titles and word not in vocab.place_prefixes


def _person_end(run: list[_Token]) -> int:
    """Where a person's name ends in a run: "James Tauber of Nelson" names Nelson too."""
    return next((k for k, t in enumerate(run) if not t.capitalised), len(run))


def _names_with_support(text: str, proposals: list, lex: Lexicon) -> set[str]:
    """Names that some mention in the article shows to be places (one sense per discourse).

    A feature word or a container ("Mobile, Alabama") supports any name. A locative word
    before a name that is the whole capitalised run ("in Lincoln", not "at Colorado State
    University") supports it, if the name is no common word ("in Western countries") or is a
    significant place's ("to Berlin"; but not "Justice of the Peace").
    """
    out = set()
    for _sentence, run, i, j, cands in proposals:
        words = " ".join(t.bare for t in run[i:j])
        end = run[j - 1].start + len(run[j - 1].bare)
        common = lex.is_common_word(words)
        alone = j == len(run) or not run[j].capitalised
        locative = alone and _locative_before(text, run, i, strict=common)
        if (
            _feature_after(text, end)
            or _container_after(text, end)
            or (locative and (_significant(cands) or not common))
        ):
            out.add(normalize(words))
    return out


def _said_to_be_place(
    text: str, sentence: Sentence, run: list[_Token], i: int, j: int, lex: Lexicon, *, hyphen_head: bool
) -> bool:
    """Evidence in the sentence itself, besides a preposition, that the name at ``run[i:j]`` is a
    place's: "Warsaw's mayor" (but "Nancy's restaurant": a first name; "Ezra Levant's": part of a
    longer name), "a Berlin-based firm", a dateline ("BERLIN (Reuters) -")."""
    last = run[j - 1]
    possessive = last.text != last.bare and last.bare.casefold() not in lex.first_names
    return bool(
        (_opens(run, i) and (possessive or (hyphen_head and _place_suffix(last.bare))))
        or _dateline(text, sentence, run[i].start, text[run[i].start : last.start + len(last.bare)])
    )


def _judge(
    text: str,
    sentence: Sentence,
    run: list[_Token],
    i: int,
    j: int,
    cands: list[Candidate],
    lex: Lexicon,
    person_words: set[str],
    supported: set[str],
) -> Mention | None:
    vocab = vocabulary()
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
    dateline = _dateline(text, sentence, surface_start, surface)
    is_abbrev = bool(re.fullmatch(_ABBREV, surface)) or (surface.isupper() and len(surface) > 1 and not dateline)
    if is_abbrev and re.search(r"\d\s*$", text[max(0, surface_start - 3) : surface_start]):
        return None  # "300 BC", "5 PM": a unit after a number
    if not is_abbrev and "abbreviation" in name_types and text[surface_end : surface_end + 1] == ".":
        if len(toks) == 1 and re.fullmatch(r"[A-Z][a-z]{1,4}", surface):
            surface_end += 1  # "Ky.", "Calif.": the dot is part of the abbreviation
            surface = text[surface_start:surface_end]
    elif not is_abbrev and name_types == {"abbreviation"}:
        return None  # "Ky" without its dot is not Kentucky
    if is_abbrev and "abbreviation" not in name_types:
        return None  # an acronym (ISIS, CNN) that merely spells a place name
    if surface.isupper() and "abbreviation" in name_types and not re.fullmatch(rf"{_ABBREV}|[A-Z]{{2,4}}", surface):
        return None
    if not is_abbrev and not surface[:1].isupper():
        return None
    if (surface.casefold() in vocab.stopwords and not is_abbrev) or "’" in surface or "'" in surface:
        return None
    key = normalize(surface)
    if key in vocab.not_places:
        return None
    if _is_person_run(text, run, lex) and i < _person_end(run) and not (i == 0 and j >= _person_end(run)):
        return None
    if i > 0 and run[i - 1].text in ("St", "Saint"):
        return None  # a saint's name: "St Patrick's Day"
    place_like = _significant(cands) and key not in person_words
    if len(toks) == 1 and not _strong(cands) and _speaker(text, surface_start, surface_end, lex, surface, place_like):
        return None  # "Robertson said", "said Dick", "Brown's account"
    if any(t.bare.casefold() in person_words for t in toks) and key not in supported and not _strong(cands):
        return None
    named = j < len(run) and run[j].capitalised  # the next word belongs to the same name
    head = run[j].bare.casefold() if j < len(run) else _word_after(text, surface_end, same_line=True)
    organisation = head in vocab.media_heads or (head in vocab.org_heads and not _strong(cands))
    if head in vocab.thing_heads or (named and organisation):
        return None  # "Fox News", "New York Times", "Reston virus": something named after a place
    weak = any(c.name_type == "demonym" for c in cands) and not _strong(cands)
    if weak:
        return _mention(text, sentence, surface_start, surface_end, surface, demonym=True)
    if (
        _needs_evidence(text, sentence, run, i, surface, cands, lex)
        and key not in supported
        and not (_significant(cands) and _said_to_be_place(text, sentence, run, i, j, lex, hyphen_head=hyphen_head))
    ):
        return None
    if all(c.name_type == "alternate" for c in cands) and not _strong(cands) and key not in supported:
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
    quarter = _quarter_after(text, word_end)
    if quarter and not qualifier:
        qualifier, phrase_end = quarter
    return Mention(
        text=text[phrase_start:phrase_end], start=phrase_start, end=phrase_end, name=name, sentence=sentence,
        feature=feature, qualifier=qualifier,
    )  # fmt: skip


def _dateline(text: str, sentence: Sentence, start: int, surface: str) -> bool:
    """A place in capitals opening a sentence ("WASHINGTON (Reuters) -"), not an acronym."""
    return (
        surface.isupper() and len(surface) >= 5 and not text[sentence.start : start].strip(" \"“”'")
        and bool(re.match(r"[A-Z .'-]*(?:,[A-Za-z .]+)?\s*(?:\([^)]*\)\s*)?[—–-]", text[start : start + 80]))
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
    :data:`SIGNIFICANT_POPULATION`, or a named sea, river, lake, island, desert or range."""
    return _strong(cands) or any(
        (
            c.kind in ("river", "lake")
            or c.feature_code in _NAMED_FEATURES
            or (c.kind in ("city", "district") and c.population >= SIGNIFICANT_POPULATION)
            or (c.feature_code == "PPLC" and c.population >= CAPITAL_POPULATION)
        )
        and c.name_type in ("name", "abbreviation")
        for c in cands
    )


def _needs_evidence(
    text: str, sentence: Sentence, run: list[_Token], i: int, surface: str, cands: list[Candidate], lex: Lexicon
) -> bool:
    """Whether capitalisation alone is too weak a sign that ``surface`` is a place here."""
    words = surface.split()
    if len(words) == 1 and lex.is_common_word(surface):
        alone = i + 1 == len(run) or not run[i + 1].capitalised
        if alone and any(c.kind == "sea" for c in cands) and after_the(text, run[i].start):
            return False  # "the Atlantic", "the Gulf"; not "Gulf War" or "Atlantic Council"
        return not any(c.kind in ("country", "continent") and c.name_type in ("name", "abbreviation") for c in cands)
    if _strong(cands):
        return False
    if len(words) == 1 and lex.is_person_name(surface):
        return True
    first_in_sentence = run[i].start == sentence.start or not re.search(r"\w", text[sentence.start : run[i].start])
    return (first_in_sentence or _title_case(sentence)) and len(words) == 1 and lex.is_common_word(surface)


def _title_case(sentence: Sentence) -> bool:
    words = re.findall(r"[^\W\d_]+", sentence.text)
    long_words = [w for w in words if len(w) > 3]
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) / len(long_words) > 0.7


def _mention(text: str, sentence: Sentence, start: int, end: int, name: str, *, demonym: bool = False) -> Mention:
    return Mention(text=text[start:end], start=start, end=end, name=name, sentence=sentence, demonym=demonym)


def _word_before(text: str, pos: int) -> str | None:
    m = re.search(r"([^\W\d_][\w.]*)[\s,]*$", text[max(0, pos - 40) : pos])
    return m.group(1) if m else None


def _word_after(text: str, pos: int, *, same_line: bool = False) -> str | None:
    pattern = r"[ \t]+([^\W\d_]+)" if same_line else r"\s+([^\W\d_]+)"
    m = re.match(pattern, text[pos : pos + 40])
    return m.group(1) if m else None


def _locative_before(text: str, run: list[_Token], i: int, *, strict: bool = False) -> bool:
    """A word before the run that says where ("in", "fled", "on the"); ``strict``: not one that
    only relates ("the mayor of Lincoln", "but Justice of the Peace")."""
    if not _opens(run, i):
        return False
    m = re.search(r"([A-Za-z]+)\s+([Tt]he\s+)?$", text[max(0, run[i].start - 30) : run[i].start])
    if not m:
        return False
    vocab, word = vocabulary(), m.group(1).casefold()
    return (
        word in vocab.locative
        or (word in vocab.relational and not strict)
        or (word in vocab.locative_with_the and m.group(2) is not None)
    )


def _opens(run: list[_Token], i: int) -> bool:
    """Whether the name at ``run[i]`` begins its run but for function words ("A Berlin-based",
    "In Berlin" opening a sentence): evidence around the run is then about the name."""
    return all(t.bare.casefold() in vocabulary().stopwords for t in run[:i])


def _feature_after(text: str, pos: int) -> str | None:
    """A feature word after the name: "the Tigris river", "the Ohio River" ("Ohio State" is a school)."""
    word = _word_after(text, pos, same_line=True)
    if word and (word.islower() or word == "River") and word.casefold() in vocabulary().feature_words:
        return word.casefold()
    return None


def _container_after(text: str, pos: int) -> bool:
    """A comma and a capitalised name right after: "Springfield, Illinois"."""
    return bool(re.match(r",\s+[A-Z][a-z]", text[pos : pos + 4]))


def _direction_before(text: str, pos: int) -> tuple[str | None, int]:
    m = re.search(r"(?:^|(?<=\s))([A-Za-z]+)\s+$", text[max(0, pos - 20) : pos])
    direction = vocabulary().directions.get(m.group(1)) if m and m.group(1).islower() else None
    if m and direction:
        return direction, pos - (len(m.group(0)))
    return None, pos


def _quarter_after(text: str, pos: int) -> tuple[str, int] | None:
    """A possessive followed by a named quarter: "Mosul's Old City"."""
    m = re.match(r"\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)", text[pos : pos + 30])
    prev = text[max(0, pos - 2) : pos]
    if m and prev in ("’s", "'s") and m.group(1).casefold() in vocabulary().quarters:
        return m.group(1).casefold(), pos + m.end()
    return None
