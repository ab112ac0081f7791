"""Word lists that keep the recogniser from mapping people and common words.

Many place names are also English words (Read, Work, Mobile) or people's names
(Lincoln, Tucker, Patel). The recogniser asks for more evidence before mapping such
a name, so it needs to know which names they are. ``data/lexicon.json`` is derived
from two public lists: Webster's Second (lower-case entries, via the PyPI package
english-words) and the 1990 US Census name frequencies (via the PyPI package names).
Common words are kept only when they are also gazetteer names, which keeps the file
small; names are kept whole, since telling a person's name ("Andy Trapani") needs
first names and surnames that are no place's name.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geomap.errors import GeomapError
from geomap.fsutil import atomic_write

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "lexicon.json"
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
    target = Path(os.environ.get("GEOMAP_LEXICON", path or DEFAULT_PATH))
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
        return Lexicon(
            first_names=frozenset(data["first_names"]),
            surnames=frozenset(data["surnames"]),
            common_words=frozenset(data["common_words"]),
        )
    except (OSError, ValueError, KeyError) as exc:
        raise GeomapError(f"cannot read the lexicon {target}: {exc}") from None


def build(output: Path, keep: Iterable[str] | None = None) -> int:
    """Write the lexicon; ``keep`` (casefolded words) restricts common words to gazetteer names.

    Needs the ``build`` extra's packages (english-words, names). Returns the word count.
    """
    try:
        import names
        from english_words import get_english_words_set
    except ImportError as exc:
        raise GeomapError(f"building the lexicon needs {exc.name}: pip install 'geomap[build]'") from None
    keep_set = None if keep is None else set(keep)

    def wanted(word: str) -> bool:
        return len(word) >= 3 and (keep_set is None or word in keep_set)

    common = sorted(
        w for w in get_english_words_set(["web2"], lower=False) if w.islower() and w.isalpha() and wanted(w)
    )
    census = Path(names.__file__).parent
    first: set[str] = set()
    for fname in ("dist.male.first", "dist.female.first"):
        first.update(line.split()[0].casefold() for line in (census / fname).read_text().splitlines() if line.strip())
    last_lines = (census / "dist.all.last").read_text().splitlines()[:SURNAME_RANK_LIMIT]
    last = {line.split()[0].casefold() for line in last_lines if line.strip()}
    data = {
        "source": "Webster's Second International (web2, public domain) via english-words; "
        "1990 US Census name frequencies (public domain) via names",
        "first_names": sorted(w for w in first if len(w) >= 3),
        "surnames": sorted(w for w in last if len(w) >= 3),
        "common_words": common,
    }
    atomic_write(output, json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    load.cache_clear()
    return len(data["first_names"]) + len(data["surnames"]) + len(common)


if __name__ == "__main__":  # python -m geomap.lexicon OUTPUT [GAZETTEER_KEYS_FILE]
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH
    keys = Path(sys.argv[2]).read_text(encoding="utf-8").split("\n") if len(sys.argv) > 2 else None
    print(f"{build(out, keys)} words -> {out}")
