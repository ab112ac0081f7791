"""Build ``geomap/data/demonyms.json``: what a native or resident of a place is called.

countryinfo gives the gazetteer each country's demonym ("Iraqi"); news also names the people of
states, provinces, regions and cities ("Ohioans", "a Texan", "Londoners", "Bavarian", "the
Sinhalese"). Princeton WordNet 3.0 (its licence, copied into the output, allows any use with the
notice kept), as Debian's ``wordnet-base`` installs it, has these as person nouns glossed "a
native or resident of Ohio", "a native or inhabitant of Sri Lanka". A noun becomes a demonym of
the place its gloss names when:

* the place is today's (not "ancient Troy", nor a place WordNet calls "a former ..."), and one
  the shipped gazetteer knows as a significant place (a continent, a country, a first-level
  division, a named region, or a city of :data:`SIGNIFICANT_POPULATION`): its most important
  candidate among those in the countries WordNet puts the place in (its own synset's names and
  its part holonyms: Manchester is part of England), or, where WordNet does not say, one with
  no significant namesake in another country within :data:`CLEAR_MARGIN` of it;
* WordNet gives the word as the demonym of this one place only ("Washingtonian": the state's
  and the city's people), and no other sense of it is another kind of person or a thing
  ("Hindu": also a follower of Hinduism; "Norman", "Mississippian"); its language and its people
  as a group may be;
* the word, and its plural, is no place's name in the gazetteer nor another place's demonym
  ("Balkan" is a province of Turkmenistan), no English word WordNet writes in lower case
  ("volunteer", "badger", "bohemian"), and no first name or surname in geomap's lexicon ("Dane",
  "Finn").

WordNet lacks the people of many regions; a first-level division's or named region's plain
English name in "-ia" makes one in "-ian" by the same tests ("South Ossetia" -> "South
Ossetian", "Southeast Asia" -> "Southeast Asian"; not "Pomeranian", a dog in WordNet).

The gazetteer builder reads the file (so a rebuild needs no WordNet), puts each demonym on its
place by id as the countries' are, with the plural, and checks again that it shadows no name.

Run as ``python -m geomap.tools.build_demonyms [OUTPUT] [WORDNET_DIR]``; it reads the shipped
gazetteer to find the places.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from geomap.fsutil import atomic_write, package_data
from geomap.gazetteer import Gazetteer
from geomap.gazetteer.build import demonym_forms
from geomap.gazetteer.schema import parse_id
from geomap.model import Candidate
from geomap.recognize.vocabulary import Lexicon, load
from geomap.resolve.rank import SIGNIFICANT_POPULATION
from geomap.text import normalize
from geomap.tools.wordnet import LOCATION, PERSON, WORDNET_DIR, WordNet, read

#: WordNet's glosses of a demonym: "a native or resident of Ohio", "an inhabitant of Sri Lanka".
_GLOSS = re.compile(
    r"(?:an? )?(?:native|inhabitant|resident|citizen)(?: or (?:an? )?(?:native|inhabitant|resident|citizen))? of (.+)"
)
#: What a gloss may say before the place's name: "the Bahamas", "the state of Assam", "the island of Tobago".
_LEAD = re.compile(r"(?:the )?(?:(?:American )?(?:state|city|island|province|region|republic) of )?")
#: A place's name in a gloss: capitalised words, with "of", "de", "and" between them ("Rio de Janeiro").
_NAME = re.compile(r"[A-Z][\w'.-]*(?: (?:(?:of|de|and|the) )*[A-Z][\w'.-]*)*")
#: Words that make a gloss's place not today's: "ancient Troy", "the former republic of ...", "England prior to ...".
_PAST = re.compile(r"\b(?:ancient|former|formerly|prior to)\b")
#: How WordNet's gloss of a place that is no more begins: "an ancient city on the Bosporus", "a former empire".
_PAST_PLACE = re.compile(r"(?:an? |the )?(?:ancient|former)\b")
#: A demonym's other senses may name the language or the people as a group, nothing else.
_DEMONYM_SENSES = frozenset({PERSON, 10, 14})  # noun.person, noun.communication, noun.group
#: Places significant enough that a demonym of theirs is read as news reads it.
SIGNIFICANT_CODES = frozenset({"CONT", "PCLI", "ADM1", "RGN"})
#: The places whose names in "-ia" make demonyms in "-ian": first-level divisions and named regions.
_IA_CODES = frozenset({"ADM1", "RGN"})
_IA_NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*ia")
#: A place is clear when no significant namesake in another country comes this close in importance.
CLEAR_MARGIN = 0.1


@dataclass(frozen=True, slots=True)
class Demonym:
    demonym: str  # as WordNet writes it, "New Yorker"
    place: str  # the gazetteer's name of the place
    id: int  # the gazetteer's row id (a GeoNames id, or geomap's own for its regions)
    country: str | None  # ISO 3166-1 alpha-2; None for a region of several countries
    rule: str  # "wordnet", or "-ia": made from the region's name ("South Ossetia" -> "South Ossetian")


def _place_text(said: str) -> str | None:
    """The name of the place a gloss's words after "native of" name, None for none or a past one."""
    if _PAST.search(said):
        return None
    name = _NAME.match(said[_LEAD.match(said).end() :])  # type: ignore[union-attr]
    return name.group(0) if name else None


def _wordnet_places(wordnet: WordNet, offset: str, text: str) -> list[str] | None:
    """WordNet's location synsets for the place a demonym names: those it points to (a member or
    derivation pointer) that bear the name, else every location synset of that name; None when
    WordNet's own gloss of one makes it a past place ("an ancient city on the Bosporus")."""
    nouns = wordnet.nouns
    lemma = text.replace(" ", "_")
    pointed = [
        o for o in nouns[offset].targets("#m", "+")
        if nouns[o].lexfile == LOCATION and lemma in nouns[o].words
    ]  # fmt: skip
    places = pointed or [
        o for o in wordnet.index.get(lemma.casefold(), []) if nouns[o].lexfile == LOCATION and lemma in nouns[o].words
    ]
    return None if any(_PAST_PLACE.match(nouns[o].gloss) for o in places) else places


def _countries(wordnet: WordNet, places: list[str], gazetteer: Gazetteer) -> set[str]:
    """The countries WordNet puts a place in: the gazetteer's countries named by the place's own
    synset ("Zaire" is the Democratic Republic of the Congo, not Angola's province) and by its
    part holonyms, up the chain (Manchester is part of England, part of the United Kingdom)."""
    seen = set(places)
    todo = list(places)
    while todo:
        for o in wordnet.nouns[todo.pop()].targets("#p"):
            if o not in seen:
                seen.add(o)
                todo.append(o)
    out = set()
    for o in seen:
        for word in wordnet.nouns[o].words:
            top = gazetteer.candidates(word.replace("_", " "), limit=1)
            if top and top[0].kind == "country" and top[0].name_type != "demonym" and top[0].country_code:
                out.add(top[0].country_code)
    return out


def _significant(c: Candidate) -> bool:
    return c.feature_code in SIGNIFICANT_CODES or (c.kind == "city" and c.population >= SIGNIFICANT_POPULATION)


def _place(text: str, countries: set[str], gazetteer: Gazetteer) -> Candidate | None:
    """The gazetteer's place for the name: its most important candidate in the countries WordNet
    puts it in (or in none: a region of several), if significant; where WordNet does not say, only if no significant namesake in
    another country comes within :data:`CLEAR_MARGIN` of it."""
    found = [c for c in gazetteer.candidates(text) if c.name_type != "demonym"]
    within = [c for c in found if not countries or c.country_code in countries or c.country_code is None]
    if not within or not _significant(within[0]):
        return None
    top = within[0]
    rivals = [
        c for c in found
        if c.country_code != top.country_code and _significant(c) and c.importance > top.importance - CLEAR_MARGIN
    ]  # fmt: skip
    return None if rivals and not countries else top


def _common(word: str, wordnet: WordNet, lowercase: set[str], lexicon: Lexicon) -> bool:
    """A word of English or a person's name as well as a demonym, or a word for a person of
    another kind too ("Hindu": also a follower of Hinduism)."""
    lemma = word.replace(" ", "_").casefold()
    senses = [wordnet.nouns[o] for o in wordnet.index.get(lemma, [])]
    return (
        lemma in lowercase
        or any(s.lexfile not in _DEMONYM_SENSES or (s.lexfile == PERSON and not _GLOSS.match(s.gloss)) for s in senses)
        or lexicon.is_person_name(word)
        or lexicon.is_common_word(word)
    )


def _shadows(word: str, place: Candidate, gazetteer: Gazetteer) -> bool:
    """A form of the word is a place's name, or another place's demonym, in the gazetteer."""
    found = gazetteer.lookup_many([normalize(form) for form in demonym_forms(word)])
    return any(c.name_type != "demonym" or c.id != place.id for cands in found.values() for c in cands)


def derive(wordnet: WordNet, gazetteer: Gazetteer, lexicon: Lexicon) -> list[Demonym]:
    """The demonyms WordNet gives for significant places of the gazetteer, then those made from
    the names of regions in "-ia" that WordNet lacks, by the rules above."""
    lowercase = {
        w.casefold() for part in wordnet.synsets.values() for s in part.values() for w in s.words if w.islower()
    }
    said: dict[str, dict[str, str]] = defaultdict(dict)  # word -> what each of its demonym glosses says after "of"
    for offset, synset in wordnet.nouns.items():
        if synset.lexfile == PERSON and (m := _GLOSS.match(synset.gloss)):
            for word in synset.words:
                said[word.replace("_", " ")][m.group(1)] = offset
    out = []
    for word, glosses in sorted(said.items()):
        if len(glosses) > 1 or not all(part[:1].isupper() for part in word.split()):
            continue  # of two places ("Washingtonian", "Roman"), or no proper noun ("bluenose")
        ((words_after, offset),) = glosses.items()
        text = _place_text(words_after)
        if text is None or _common(word, wordnet, lowercase, lexicon):
            continue
        places = _wordnet_places(wordnet, offset, text)
        place = None if places is None else _place(text, _countries(wordnet, places, gazetteer), gazetteer)
        if place is not None and not _shadows(word, place, gazetteer):
            out.append(_demonym(word, place, "wordnet"))
    known = {normalize(word) for word in said}
    for name in _ia_regions(gazetteer):
        word = name + "n"
        place = _place(name, set(), gazetteer)
        if (
            place is None or place.feature_code not in _IA_CODES or place.name_type != "name" or normalize(word) in known
            or _common(word, wordnet, lowercase, lexicon) or _shadows(word, place, gazetteer)
        ):  # fmt: skip
            continue
        out.append(_demonym(word, place, "-ia"))
    return out


def _ia_regions(gazetteer: Gazetteer) -> list[str]:
    """The names in "-ia" of the gazetteer's first-level divisions and named regions, in English
    where the gazetteer has an English name, in plain capitalised words ("South Ossetia", not
    "Ionía Nísia" nor another language's "Estado de Bahia")."""
    uri = f"file:{quote(str(gazetteer.path.resolve()))}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as con:
        rows = con.execute(
            f"SELECT DISTINCT COALESCE(english, name) FROM places WHERE fcode IN ({','.join('?' * len(_IA_CODES))})",
            sorted(_IA_CODES),
        ).fetchall()
    return sorted(name for (name,) in rows if _IA_NAME.fullmatch(name))


def _demonym(word: str, place: Candidate, rule: str) -> Demonym:
    return Demonym(word, place.name, parse_id(place.id) or 0, place.country_code, rule)


def build(output: Path, gazetteer: Gazetteer, directory: Path = WORDNET_DIR) -> int:
    """Write the demonyms WordNet gives for the gazetteer's significant places; returns how many."""
    wordnet = read(directory, "narv")
    demonyms = derive(wordnet, gazetteer, load())
    data = {
        "source": "Princeton WordNet 3.0, via Debian's wordnet-base (geomap.tools.build_demonyms)",
        "licence": wordnet.licence,
        "demonyms": [
            {"demonym": d.demonym, "place": d.place, "id": d.id, "country": d.country, "rule": d.rule} for d in demonyms
        ],
    }
    atomic_write(output, json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    return len(demonyms)


if __name__ == "__main__":
    from geomap import default_gazetteer

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else package_data("demonyms.json")
    wordnet_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else WORDNET_DIR
    print(f"{build(out, default_gazetteer(), wordnet_dir)} demonyms -> {out}")
