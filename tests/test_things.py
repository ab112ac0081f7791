"""geomap.tools.build_things on a small WordNet in WordNet's own file format: which compound
nouns that begin with a real gazetteer place's name are kept as things."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import WordNetSynset, write_wordnet

from geomap import default_gazetteer
from geomap.errors import GeomapError
from geomap.tools.build_things import build

# offset, lexicographer file, words, hypernyms ("@i": an instance of it), gloss
SYNSETS: list[WordNetSynset] = [
    ("04341686", 6, ["structure"], [], "a gloss"),
    ("02906578", 6, ["Brooklyn_Bridge"], [("@", "04341686")], "a gloss"),  # stands somewhere
    ("07648913", 13, ["buffalo_wing"], [], "a gloss"),  # a food
    ("01857632", 5, ["Canada_goose", "Canada_brant"], [], "a gloss"),  # an animal
    ("02831595", 6, ["Bermuda_shorts"], [], "a gloss"),  # a garment, no structure
    ("06500000", 10, ["Paris_Agreement"], [], "a gloss"),  # a document: noun.communication
    ("07700000", 13, ["sugar_snap"], [], "a gloss"),  # begins with no place's name
    ("00470966", 4, ["rugby"], [], "a gloss"),  # a common noun only: noun.act
    ("09700000", 18, ["Semite"], [], "a gloss"),
    ("09729530", 18, ["Arab"], [("@", "09700000")], "a gloss"),  # a people: a class of persons
    ("10000000", 18, ["President"], [], "a gloss"),
    ("11100000", 18, ["Lincoln", "Abraham_Lincoln"], [("@i", "10000000")], "a gloss"),  # one person
    ("08800000", 15, ["Reading"], [], "a gloss"),  # a place: noun.location
    ("00400000", 4, ["reading"], [], "a gloss"),
]


def test_compounds_that_name_things_after_places(tmp_path: Path) -> None:
    out = tmp_path / "things.json"
    count = build(out, default_gazetteer(), write_wordnet(tmp_path, SYNSETS, "geese goose\n"))
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
