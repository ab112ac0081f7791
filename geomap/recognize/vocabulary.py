"""Word lists that keep the recogniser from mapping people and common words.

The recogniser's own short lists (titles, organisation heads, feature words, ...) are data
in ``geomap/data/vocabulary.toml``, each with a line saying what it is for, loaded once into
a frozen :class:`Vocabulary`; the resolver, the spaCy adapter and the evaluator read them
from here, so that every stage agrees on them.

Many place names are also English words (Read, Work, Mobile) or people's names
(Lincoln, Tucker, Patel). The recogniser asks for more evidence before mapping such
a name, so it needs to know which names they are. ``geomap/data/lexicon.json`` is derived
from two public lists: Webster's Second (lower-case entries, via the PyPI package
english-words) and the 1990 US Census name frequencies (via the PyPI package names).
Common words are kept only when they are also gazetteer names or people's names ("Minnesota
House" is no person, "Tennessee Williams" is), which keeps the file small; names are kept
whole, since telling a person's name ("Andy Trapani") needs first names and surnames that
are no place's name.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType

from geomap.errors import GeomapError
from geomap.fsutil import package_data

#: Surnames more frequent than this rank are common enough to be read as people.
SURNAME_RANK_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class Lexicon:
    first_names: frozenset[str]  # casefolded
    surnames: frozenset[str]
    common_words: frozenset[str]

    def is_person_name(self, word: str) -> bool:
        w = word.casefold()
        return w in self.first_names or w in self.surnames

    def is_common_word(self, word: str) -> bool:
        return word.casefold() in self.common_words


@lru_cache(maxsize=4)
def load(path: Path | None = None) -> Lexicon:
    target = Path(os.environ.get("GEOMAP_LEXICON", path or package_data("lexicon.json")))
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
        return Lexicon(
            first_names=frozenset(data["first_names"]),
            surnames=frozenset(data["surnames"]),
            common_words=frozenset(data["common_words"]),
        )
    except (OSError, ValueError, KeyError) as exc:
        raise GeomapError(f"cannot read the lexicon {target}: {exc}") from None


@cache
def _things_file() -> dict[str, frozenset[str]]:
    """The lists of ``geomap/data/things.json`` (built by :mod:`geomap.tools.build_things`), read once."""
    target = package_data("things.json")
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
        return {key: frozenset(data[key]) for key in ("compounds", "nouns")}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GeomapError(f"cannot read the thing nouns {target}: {exc}") from None


def things() -> frozenset[str]:
    """Compound nouns that begin with a place's name and name a thing ("buffalo wing", "canada
    goose", "bermuda shorts"), normalised, from WordNet."""
    return _things_file()["compounds"]


def no_place_nouns() -> frozenset[str]:
    """One-word place names that WordNet knows only as a common noun or a people ("rugby",
    "arab"), normalised."""
    return _things_file()["nouns"]


def reload_things() -> None:
    """Read ``things.json`` again at the next use (after :mod:`geomap.tools.build_things` wrote it)."""
    _things_file.cache_clear()


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The lists of ``vocabulary.toml``; its comments say what each is for."""

    titles: frozenset[str]
    storm_words: frozenset[str]
    media_heads: frozenset[str]
    org_heads: frozenset[str]  # media_heads included: an outlet is an organisation
    thing_heads: frozenset[str]  # one or two words
    measures: frozenset[str]
    vintage_measures: frozenset[str]
    kind_nouns: frozenset[str]
    event_heads: frozenset[str]
    media_acts: frozenset[str]
    media_premieres: frozenset[str]
    performs: frozenset[str]
    person_acts: frozenset[str]
    wins: frozenset[str]
    company_possessions: frozenset[str]
    founders: frozenset[str]
    company_shops: frozenset[str]
    makers: frozenset[str]
    creates: frozenset[str]
    stagings: frozenset[str]
    coat_colours: frozenset[str]
    programming_languages: frozenset[str]
    public_heads: frozenset[str]
    facility_heads: frozenset[str]
    club_prefixes: frozenset[str]
    landforms: frozenset[str]
    match_results: frozenset[str]
    company_recalls: frozenset[str]
    job_cuts: frozenset[str]
    company_reports: frozenset[str]
    company_results: frozenset[str]
    share_moves: frozenset[str]
    locative: frozenset[str]
    relational: frozenset[str]
    locative_with_the: frozenset[str]
    place_suffixes: frozenset[str]
    stopwords: frozenset[str]
    not_places: frozenset[str]
    quarters: frozenset[str]
    name_prefixes: frozenset[str]
    hyphened_articles: frozenset[str]
    place_prefixes: frozenset[str]
    connectors: frozenset[str]
    sentence_abbreviations: frozenset[str]
    street_words: frozenset[str]
    point_cues: tuple[str, ...]
    river_prefixes: frozenset[str]
    feature_words: Mapping[str, str]  # word -> the kind of place it calls for
    directions: Mapping[str, str]  # word -> canonical direction

    def bare_keys(self, key: str) -> set[str]:
        """A normalised name, and the same without a leading or trailing feature word
        ("mackenzie river" -> "mackenzie", "lake como" -> "como"), or with "river" after a
        name that has none ("delaware" -> "delaware river", as minor rivers are indexed):
        the forms a gazetteer may hold a feature under."""
        words = key.split()
        keys = {" ".join(words)}
        if len(words) > 1 and words[0] in self.feature_words:
            keys.add(" ".join(words[1:]))
        if len(words) > 1 and words[-1] in self.feature_words:
            keys.add(" ".join(words[:-1]))
        if not self.feature_words.keys() & set(words):
            keys.add(f"{key} river")
        return keys


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary, read once."""
    target = package_data("vocabulary.toml")
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))

        def words(name: str) -> frozenset[str]:
            return frozenset(data[name])

        def table(name: str) -> Mapping[str, str]:
            return MappingProxyType(dict(data[name]))

        return Vocabulary(
            titles=words("titles"), storm_words=words("storm_words"), media_heads=words("media_heads"),
            org_heads=words("org_heads") | words("media_heads"), thing_heads=words("thing_heads"),
            measures=words("measures"), vintage_measures=words("vintage_measures"),
            kind_nouns=words("kind_nouns"), event_heads=words("event_heads"),
            media_acts=words("media_acts"), media_premieres=words("media_premieres"), performs=words("performs"),
            person_acts=words("person_acts"), wins=words("wins"),
            company_possessions=words("company_possessions"), founders=words("founders"),
            company_shops=words("company_shops"), makers=words("makers"), creates=words("creates"),
            stagings=words("stagings"), coat_colours=words("coat_colours"),
            programming_languages=words("programming_languages"),
            public_heads=words("public_heads"), facility_heads=words("facility_heads"),
            club_prefixes=words("club_prefixes"), landforms=words("landforms"),
            match_results=words("match_results"), company_recalls=words("company_recalls"),
            job_cuts=words("job_cuts"), company_reports=words("company_reports"),
            company_results=words("company_results"), share_moves=words("share_moves"),
            locative=words("locative"), relational=words("relational"),
            locative_with_the=words("locative_with_the"), place_suffixes=words("place_suffixes"), stopwords=words("stopwords"), not_places=words("not_places"),
            quarters=words("quarters"), name_prefixes=words("name_prefixes"),
            hyphened_articles=words("hyphened_articles"), place_prefixes=words("place_prefixes"),
            connectors=words("connectors"), sentence_abbreviations=words("sentence_abbreviations"),
            street_words=words("street_words"),
            point_cues=tuple(data["point_cues"]),
            river_prefixes=words("river_prefixes"),
            feature_words=table("feature_words"), directions=table("directions"),
        )  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GeomapError(f"cannot read the vocabulary {target}: {exc}") from None
