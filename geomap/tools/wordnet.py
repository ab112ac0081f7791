"""Princeton WordNet 3.0's database files, as the data builders read them.

Debian's ``wordnet-base`` package installs them in ``/usr/share/wordnet``; the licence (any use,
with the notice kept) is the first lines of every data file, and the builders copy it into what
they write. Only tools read WordNet: what they derive is committed, so the runtime, a gazetteer
rebuild and CI need no WordNet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from geomap.errors import GeomapError

WORDNET_DIR = Path("/usr/share/wordnet")
#: WordNet's lexicographer files (its lexnames list) read by name.
LOCATION, OBJECT, PERSON = 15, 17, 18
#: The part of speech of each data file, as pointers name it.
POS_FILES = {"n": "noun", "a": "adj", "v": "verb", "r": "adv"}


@dataclass(frozen=True, slots=True)
class Synset:
    offset: str
    lexfile: int
    words: tuple[str, ...]  # as WordNet writes them: "rugby", "Arab", "New_Yorker"
    pointers: tuple[tuple[str, str, str], ...]  # (symbol, target offset, target part of speech)
    gloss: str

    def targets(self, *symbols: str, pos: str = "n") -> list[str]:
        """The offsets this synset points to with one of ``symbols`` ("@" hypernym, "#m" member holonym)."""
        return [offset for symbol, offset, p in self.pointers if symbol in symbols and p == pos]

    @property
    def instance(self) -> bool:
        """One thing (a person, a city), not a class of things."""
        return any(symbol == "@i" for symbol, _, _ in self.pointers)


@dataclass(frozen=True, slots=True)
class WordNet:
    index: dict[str, list[str]]  # noun lemma ("new_york") -> synset offsets, most frequent sense first
    synsets: dict[str, dict[str, Synset]]  # part of speech ("n", "a") -> offset -> synset
    irregular: dict[str, list[str]]  # singular noun -> plurals that do not end in -s ("goose" -> "geese")
    licence: str

    @property
    def nouns(self) -> dict[str, Synset]:
        return self.synsets["n"]


def _lines(directory: Path, name: str) -> list[str]:
    try:
        return (directory / name).read_text(encoding="latin-1").splitlines()
    except OSError as exc:
        raise GeomapError(f"cannot read WordNet in {directory} (apt-get install wordnet-base): {exc}") from None


def _synsets(lines: list[str], licence: list[str]) -> dict[str, Synset]:
    out = {}
    for line in lines:
        if line.startswith(" "):
            licence.append(re.sub(r"^\s*\d+ ?", "", line).rstrip())  # "  5 text  ": the licence's 5th line
            continue
        head, _, gloss = line.partition(" | ")
        f = head.split()
        count = int(f[3], 16)
        words = tuple(re.sub(r"\(\w+\)$", "", f[4 + 2 * k]) for k in range(count))  # "Arab", not "galore(ip)"
        at = 4 + 2 * count
        links = f[at + 1 : at + 1 + 4 * int(f[at])]
        pointers = tuple((links[k], links[k + 1], links[k + 2]) for k in range(0, len(links), 4))
        out[f[0]] = Synset(f[0], int(f[1]), words, pointers, gloss.strip())
    return out


def read(directory: Path = WORDNET_DIR, parts: str = "n") -> WordNet:
    """WordNet's nouns, and the other parts of speech named in ``parts`` ("nav": nouns, adjectives, verbs)."""
    index: dict[str, list[str]] = {}
    for line in _lines(directory, "index.noun"):
        if line.startswith(" "):
            continue  # the licence
        f = line.split()
        pointers = int(f[3])
        index[f[0]] = f[4 + pointers + 2 :]
    licence: list[str] = []
    synsets = {"n": _synsets(_lines(directory, "data.noun"), licence)}
    for pos in parts.replace("n", ""):
        synsets[pos] = _synsets(_lines(directory, f"data.{POS_FILES[pos]}"), [])
    irregular: dict[str, list[str]] = {}
    for line in _lines(directory, "noun.exc"):
        plural, singular = line.split()[:2]
        irregular.setdefault(singular, []).append(plural)
    return WordNet(index, synsets, irregular, "\n".join(licence).strip())
