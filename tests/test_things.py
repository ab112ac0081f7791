"""geomap.tools.build_things on a small WordNet in WordNet's own file format: which compound
nouns that begin with a real gazetteer place's name are kept as things."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geomap import default_gazetteer
from geomap.errors import GeomapError
from geomap.tools.build_things import build

LICENCE = ["  1 This software and database is provided to you.  ", "  2  ", "  3 WordNet 3.0 Copyright 2006.  "]
# offset, lexicographer file, words, hypernym offsets ("i" before one: an instance of it)
SYNSETS = [
    ("04341686", 6, ["structure"], []),
    ("02906578", 6, ["Brooklyn_Bridge"], ["04341686"]),  # stands somewhere
    ("07648913", 13, ["buffalo_wing"], []),  # a food
    ("01857632", 5, ["Canada_goose", "Canada_brant"], []),  # an animal
    ("02831595", 6, ["Bermuda_shorts"], []),  # a garment, no structure
    ("06500000", 10, ["Paris_Agreement"], []),  # a document: noun.communication
    ("07700000", 13, ["sugar_snap"], []),  # begins with no place's name
    ("00470966", 4, ["rugby"], []),  # a common noun only: noun.act
    ("09700000", 18, ["Semite"], []),
    ("09729530", 18, ["Arab"], ["09700000"]),  # a people: a class of persons
    ("10000000", 18, ["President"], []),
    ("11100000", 18, ["Lincoln", "Abraham_Lincoln"], ["i10000000"]),  # one person
    ("08800000", 15, ["Reading"], []),  # a place: noun.location
    ("00400000", 4, ["reading"], []),
]


def _wordnet(directory: Path) -> Path:
    data = [*LICENCE]
    senses: dict[str, list[str]] = {}
    for offset, lexfile, words, hypernyms in SYNSETS:
        pointers = " ".join(f"@{h[:1] if h[0] == 'i' else ''} {h.lstrip('i')} n 0000" for h in hypernyms)
        word_list = " ".join(f"{w} 0" for w in words)
        data.append(f"{offset} {lexfile:02d} n {len(words):02x} {word_list} {len(hypernyms):03d} {pointers} | a gloss")
        for w in words:
            senses.setdefault(w.lower(), []).append(offset)
    index = [f"{w} n {len(o)} 1 @ {len(o)} 0 {' '.join(o)}" for w, o in senses.items()]
    (directory / "data.noun").write_text("\n".join(data) + "\n", encoding="latin-1")
    (directory / "index.noun").write_text("\n".join([*LICENCE, *sorted(index)]) + "\n", encoding="latin-1")
    (directory / "noun.exc").write_text("geese goose\n", encoding="latin-1")
    return directory


def test_compounds_that_name_things_after_places(tmp_path: Path) -> None:
    out = tmp_path / "things.json"
    count = build(out, default_gazetteer(), _wordnet(tmp_path))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["compounds"]) == {"buffalo wing", "canada goose", "canada geese", "canada brant", "bermuda shorts"}
    assert count == len(data["compounds"])
    # Places' names WordNet knows only as a common noun or a people; not as a place, nor as one person.
    assert data["nouns"] == ["arab", "rugby"]
    assert data["licence"].splitlines() == [
        "This software and database is provided to you.",
        "",
        "WordNet 3.0 Copyright 2006.",
    ]


def test_no_wordnet_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(GeomapError, match="wordnet-base"):
        build(tmp_path / "things.json", default_gazetteer(), tmp_path / "nowhere")
    assert not (tmp_path / "things.json").exists()
