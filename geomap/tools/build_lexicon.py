"""Build ``geomap/data/lexicon.json``, the word lists of :mod:`geomap.recognize.vocabulary`.

Needs the ``build`` extra's packages (english-words, names). Run as
``python -m geomap.tools.build_lexicon [OUTPUT] [GAZETTEER_KEYS_FILE]``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

from geomap.errors import GeomapError
from geomap.fsutil import atomic_write, package_data
from geomap.recognize.vocabulary import SURNAME_RANK_LIMIT, load


def build(output: Path, keep: Iterable[str] | None = None) -> int:
    """Write the lexicon; ``keep`` (casefolded words) restricts common words to gazetteer names,
    and to people's names, so that "Minnesota House" is no person while "Tennessee Williams" is.

    Needs the ``build`` extra's packages (english-words, names). Returns the word count.
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
    keep_set = None if keep is None else set(keep) | first | last

    def wanted(word: str) -> bool:
        return len(word) >= 3 and (keep_set is None or word in keep_set)

    common = sorted(
        w for w in get_english_words_set(["web2"], lower=False) if w.islower() and w.isalpha() and wanted(w)
    )
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


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else package_data("lexicon.json")
    keys = Path(sys.argv[2]).read_text(encoding="utf-8").split("\n") if len(sys.argv) > 2 else None
    print(f"{build(out, keys)} words -> {out}")
