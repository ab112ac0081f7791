"""Build ``geomap/data/lexicon.json``, the word lists of :mod:`geomap.recognize.vocabulary`.

Needs the ``build`` extra's packages (english-words, names, nomquamgender). Run as
``python -m geomap.tools.build_lexicon [OUTPUT] [GAZETTEER_KEYS_FILE]``, the keys file
holding the gazetteer's names, one a line (``sqlite3 geomap/data/gazetteer.sqlite "select
distinct key from names"``).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from geomap.errors import GeomapError
from geomap.fsutil import atomic_write, package_data
from geomap.recognize.vocabulary import SURNAME_RANK_LIMIT, load

#: How many people a first name of nomquamgender's must be borne by: "Denzel" (12,700) and
#: "Conor" are first names that the 1990 US Census lists lack.
FIRST_NAME_PEOPLE = 5000


def build(output: Path, keep: Iterable[str] | None = None) -> int:
    """Write the lexicon; ``keep`` (casefolded words) restricts common words to gazetteer names,
    and to people's names, so that "Minnesota House" is no person while "Tennessee Williams" is.

    First names are the census's, and the frequent ones of nomquamgender's world-wide table
    (:data:`FIRST_NAME_PEOPLE`) that are no English word ("Near" is one of its names) and name
    no place in ``keep``: a first name that is also a place's ("Jordan", "Paris") stays the
    census's call, since it decides whether "Paris Hilton" is a person. Needs the ``build`` extra's packages. Returns the word count.
    """
    try:
        import names
        from english_words import get_english_words_set
    except ImportError as exc:
        raise GeomapError(f"building the lexicon needs {exc.name}: pip install 'geomap[build]'") from None
    census = Path(names.__file__).parent
    first: set[str] = set()
    for fname in ("dist.male.first", "dist.female.first"):
        first.update(line.split()[0].casefold() for line in (census / fname).read_text().splitlines() if line.strip())
    last_lines = (census / "dist.all.last").read_text().splitlines()[:SURNAME_RANK_LIMIT]
    last = {line.split()[0].casefold() for line in last_lines if line.strip()}
    words = {w for w in get_english_words_set(["web2"], lower=False) if w.islower() and w.isalpha()}
    places = set(keep or ())
    first.update(
        n for n, people in _world_first_names().items()
        if people >= FIRST_NAME_PEOPLE and n not in places and n not in words
    )  # fmt: skip
    keep_set = None if keep is None else places | first | last

    def wanted(word: str) -> bool:
        return len(word) >= 3 and (keep_set is None or word in keep_set)

    common = sorted(w for w in words if wanted(w))
    data = {
        "source": "Webster's Second International (web2, public domain) via english-words; "
        "1990 US Census name frequencies (public domain) via names; "
        "first names borne by 5,000 people or more, from nomquamgender 0.1 (MIT licence, Ian Van Buskirk)",
        "first_names": sorted(w for w in first if len(w) >= 3),
        "surnames": sorted(w for w in last if len(w) >= 3),
        "common_words": common,
    }
    atomic_write(output, json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    load.cache_clear()
    return len(data["first_names"]) + len(data["surnames"]) + len(common)


def _world_first_names() -> dict[str, int]:
    """nomquamgender's first names (casefolded, letters only) and how many people bear each,
    read from its data file without importing the package, which needs pandas."""
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        raise GeomapError("building the lexicon needs nomquamgender: pip install 'geomap[build]'")
    table = json.loads((Path(spec.submodule_search_locations[0]) / "name_data.json").read_text(encoding="utf-8"))
    return {name: int(row[1]) for name, row in table.items() if name.isascii() and name.isalpha() and len(name) >= 3}


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else package_data("lexicon.json")
    keys = Path(sys.argv[2]).read_text(encoding="utf-8").split("\n") if len(sys.argv) > 2 else None
    print(f"{build(out, keys)} words -> {out}")
