"""Word lists that keep the recogniser from mapping people and common words.

Many place names are also English words (Read, Work, Mobile) or people's names
(Lincoln, Tucker, Patel). The recogniser asks for more evidence before mapping such
a name, so it needs to know which names they are. ``geomap/data/lexicon.json`` is derived
from two public lists: Webster's Second (lower-case entries, via the PyPI package
english-words) and the 1990 US Census name frequencies (via the PyPI package names).
Common words are kept only when they are also gazetteer names, which keeps the file
small; names are kept whole, since telling a person's name ("Andy Trapani") needs
first names and surnames that are no place's name.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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
