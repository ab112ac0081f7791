"""Build ``geomap/data/things.json``: compound nouns that make a place's name in them a thing's.

"Brussels sprouts", "a Panama hat", "Buffalo wings", "Cheddar cheese", "a Canada Goose parka":
a dictionary lists these as compound nouns naming a food, plant, animal, substance or
portable artefact, so the place's name in them names no place. The list comes from Princeton
WordNet 3.0 (its licence, copied into the output, allows any use with the notice kept), as
Debian's ``wordnet-base`` package installs it in ``/usr/share/wordnet``: every compound noun
that begins with the name of a gazetteer place and whose most frequent sense (WordNet's first)
is in the lexicographer files noun.food, noun.plant, noun.animal or noun.substance, or in
noun.artifact but no structure, facility, way or establishment ("bermuda shorts"; not
"brooklyn bridge", "university of texas"). A food named by where it comes from without such an
entry ("California produce", "Napa wines") stays a place.

It also lists the one-word names of gazetteer places that WordNet knows, but not as a place (no
sense in noun.location or noun.object), only as a common noun written in lower case ("rugby") or
as a people ("Arab", a class of persons, not one person): a small place of such a name needs
evidence to be read as a place, as a word of the lexicon does ("Rugby fans", "six Arab states").

Run as ``python -m geomap.tools.build_things [OUTPUT] [WORDNET_DIR]``; it reads the shipped
gazetteer to keep only compounds that begin with a place's name.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from geomap.fsutil import atomic_write, package_data
from geomap.recognize import NameIndex
from geomap.recognize.vocabulary import reload_things
from geomap.text import normalize
from geomap.tools.wordnet import LOCATION, OBJECT, PERSON, WORDNET_DIR, Synset, read

#: WordNet's lexicographer files (its lexnames list) of things one eats, grows, keeps or uses.
THINGS = frozenset({13, 20, 5, 27})  # noun.food, noun.plant, noun.animal, noun.substance
ARTIFACT = 6
#: Synset offsets in WordNet 3.0 of structure, facility, way and establishment: artefacts that stand somewhere.
STANDING = frozenset({"04341686", "03315023", "04564698", "03297735"})
#: Words after the place's name in a compound: "brussels sprouts", "new york strip", "cape may warbler".
MAX_HEAD_WORDS = 2
#: WordNet's lexicographer files of places and natural objects (noun.location, noun.object).
PLACES = frozenset({LOCATION, OBJECT})


def _ancestors(offset: str, synsets: dict[str, Synset]) -> set[str]:
    seen: set[str] = set()
    todo = [offset]
    while todo:
        for h in synsets[todo.pop()].targets("@", "@i"):
            if h not in seen:
                seen.add(h)
                todo.append(h)
    return seen


def _no_place_nouns(index: dict[str, list[str]], synsets: dict[str, Synset], gazetteer: NameIndex) -> list[str]:
    """The one-word gazetteer names that WordNet knows only as common nouns or peoples."""
    single = [lemma for lemma in index if "_" not in lemma and "-" not in lemma]
    found = gazetteer.lookup_many(sorted({normalize(lemma) for lemma in single} - {""}))
    out = set()
    for lemma in single:
        key = normalize(lemma)
        if not any(c.name_type == "name" for c in found.get(key, [])):
            continue
        senses = [synsets[offset] for offset in index[lemma]]
        if any(s.lexfile in PLACES for s in senses):
            continue
        forms = [w for s in senses for w in s.words if w.casefold() == lemma]
        people = any(
            s.lexfile == PERSON and not s.instance and any(w[:1].isupper() for w in s.words if w.casefold() == lemma)
            for s in senses
        )
        if people or all(w.islower() for w in forms):
            out.add(key)
    return sorted(out)


def build(output: Path, gazetteer: NameIndex, directory: Path = WORDNET_DIR) -> int:
    """Write the compounds and the names WordNet knows only as common nouns or peoples; returns
    how many compounds."""
    wordnet = read(directory)
    index, synsets, irregular = wordnet.index, wordnet.nouns, wordnet.irregular
    multiword = [lemma for lemma in index if "_" in lemma]
    prefixes = {normalize(" ".join(m.split("_")[:n])) for m in multiword for n in range(1, m.count("_") + 1)}
    found = gazetteer.lookup_many(sorted(prefixes))
    compounds = set()
    for lemma in multiword:
        words = lemma.split("_")
        places = [
            n for n in range(1, len(words))
            if any(c.name_type == "name" for c in found.get(normalize(" ".join(words[:n])), []))
        ]  # fmt: skip
        if not places or len(words) - max(places) > MAX_HEAD_WORDS:
            continue
        offset = index[lemma][0]
        lexfile = synsets[offset].lexfile
        if lexfile in THINGS or (lexfile == ARTIFACT and not _ancestors(offset, synsets) & STANDING):
            compounds.add(normalize(" ".join(words)))
            for plural in irregular.get(words[-1], ()):  # "canada geese"; regular plurals are read as they come
                compounds.add(normalize(" ".join([*words[:-1], plural])))
    data = {
        "source": "Princeton WordNet 3.0, via Debian's wordnet-base (geomap.tools.build_things)",
        "licence": wordnet.licence,
        "compounds": sorted(compounds),
        "nouns": _no_place_nouns(index, synsets, gazetteer),
    }
    atomic_write(output, json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    reload_things()
    return len(compounds)


if __name__ == "__main__":
    from geomap import default_gazetteer

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else package_data("things.json")
    wordnet = Path(sys.argv[2]) if len(sys.argv) > 2 else WORDNET_DIR
    print(f"{build(out, default_gazetteer(), wordnet)} compounds -> {out}")
