"""Demonyms of divisions, regions and cities: what geomap.tools.build_demonyms derives from WordNet
(on a small WordNet in WordNet's own file format, and on the real one where it is installed), how
the gazetteer builder puts them on their places, and what the shipped gazetteer then knows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import WordNetSynset, write_wordnet

from geomap import default_gazetteer, parse
from geomap.fsutil import package_data
from geomap.gazetteer.build import demonym_forms, wordnet_demonyms
from geomap.gazetteer.features import Feature
from geomap.gazetteer.schema import parse_id
from geomap.recognize.rules import find_mentions
from geomap.text import normalize
from geomap.tools.build_demonyms import build
from geomap.tools.wordnet import WORDNET_DIR

SYNSETS: list[WordNetSynset] = [
    ("09100000", 15, ["Ohio", "Buckeye_State"], [], "a midwestern state in north central United States"),
    ("09745041", 18, ["Ohioan"], [], "a native or resident of Ohio"),
    ("09200000", 18, ["Tennessean", "Volunteer"], [], "a native or resident of Tennessee"),
    ("10760000", 18, ["volunteer"], [], "a person who performs voluntary work"),  # a word in lower case
    ("09300000", 18, ["Washingtonian"], [], "a native or resident of the state of Washington"),
    ("09300001", 18, ["Washingtonian"], [], "a native or resident of the city of Washington"),  # two places
    ("09400000", 18, ["Carthaginian"], [], "a native or inhabitant of ancient Carthage"),  # no more
    ("09500000", 18, ["Mosulite"], [], "a native or resident of Mosul"),
    ("09500001", 18, ["Mosul"], [], "a native or resident of Iraq"),  # a place's name: never a demonym
    ("09600000", 18, ["Hamiltonian"], [], "a native or resident of Hamilton"),  # Ontario's or New Zealand's?
    ("08860123", 15, ["United_Kingdom", "UK"], [], "a monarchy in northwestern Europe"),
    ("08871007", 15, ["England"], [("#p", "08860123")], "a division of the United Kingdom"),
    ("08878016", 15, ["Cambridge"], [("#p", "08871007")], "a city in eastern England on the River Cam"),
    ("09703708", 18, ["Cantabrigian"], [("#m", "08878016")], "a native or resident of Cambridge"),
    ("09700000", 18, ["Sinhalese", "Singhalese"], [], "a native or inhabitant of Sri Lanka"),
    ("09700001", 18, ["Hindu"], [], "a native or inhabitant of India"),
    ("09700002", 18, ["Hindu"], [], "a person who adheres to Hinduism"),  # another kind of person too
    ("09800000", 18, ["Pomeranian"], [], "a person"),  # a person, not of a place: no "-ia" demonym
]


def test_demonyms_of_significant_places_from_wordnet_glosses(tmp_path: Path) -> None:
    out = tmp_path / "demonyms.json"
    count = build(out, default_gazetteer(), write_wordnet(tmp_path, SYNSETS))
    data = json.loads(out.read_text(encoding="utf-8"))
    found = {d["demonym"]: (d["place"], d["country"], d["rule"]) for d in data["demonyms"]}
    assert count == len(found)
    wordnet = {word: place for word, place in found.items() if place[2] == "wordnet"}
    assert wordnet == {
        "Ohioan": ("Ohio", "US", "wordnet"),
        "Tennessean": ("Tennessee", "US", "wordnet"),
        "Mosulite": ("Mosul", "IQ", "wordnet"),
        "Cantabrigian": ("Cambridge", "GB", "wordnet"),  # WordNet's England, not Massachusetts
        "Sinhalese": ("Sri Lanka", "LK", "wordnet"),
        "Singhalese": ("Sri Lanka", "LK", "wordnet"),
    }
    # Made from the gazetteer's regions in "-ia", where WordNet knows no other sense of the word.
    assert found["South Ossetian"] == ("South Ossetia", "GE", "-ia")
    assert found["Southeast Asian"] == ("Southeast Asia", None, "-ia")
    assert "Pomeranian" not in found
    assert data["licence"].splitlines()[-1] == "WordNet 3.0 Copyright 2006."


@pytest.mark.skipif(not (WORDNET_DIR / "data.noun").is_file(), reason=f"WordNet not in {WORDNET_DIR}")
def test_the_shipped_file_is_what_the_tool_makes_from_wordnet(tmp_path: Path) -> None:
    build(tmp_path / "demonyms.json", default_gazetteer())
    assert (tmp_path / "demonyms.json").read_bytes() == package_data("demonyms.json").read_bytes()


@pytest.mark.parametrize(
    ("query", "place", "code", "country"),
    [
        ("Ohioans", "Ohio", "ADM1", "US"),
        ("Minnesotan", "Minnesota", "ADM1", "US"),
        ("Texans", "Texas", "ADM1", "US"),
        ("Londoners", "London", "PPLC", "GB"),
        ("Bavarian", "Bayern", "ADM1", "DE"),
        ("Scotsmen", "Scotland", "ADM1", "GB"),
        ("Sinhalese", "Sri Lanka", "PCLI", "LK"),
        ("South Ossetians", "South Ossetia", "RGN", "GE"),  # a region geomap draws
    ],
)
def test_the_gazetteer_knows_them_only_as_demonyms(query: str, place: str, code: str, country: str) -> None:
    found = default_gazetteer().candidates(query)
    assert [(c.name, c.feature_code, c.country_code, c.name_type) for c in found] == [(place, code, country, "demonym")]


def test_no_derived_demonym_shadows_a_place_or_another_demonym() -> None:
    entries = json.loads(package_data("demonyms.json").read_text(encoding="utf-8"))["demonyms"]
    keys = {normalize(form): entry["id"] for entry in entries for form in demonym_forms(entry["demonym"])}
    found = default_gazetteer().lookup_many(sorted(keys))
    assert set(found) == set(keys)  # the builder put every one on its place
    wrong = {
        key: [(c.name, c.name_type) for c in cands]
        for key, cands in found.items()
        if [(parse_id(c.id), c.name_type) for c in cands] != [(keys[key], "demonym")]
    }
    assert not wrong


def test_demonyms_are_evidence_never_places() -> None:
    text = "Ohioans and Texans voted on Tuesday. A South Ossetian official met Sinhalese leaders in Colombo."
    mentions = find_mentions(text, default_gazetteer())
    assert [m.text for m in mentions if m.demonym] == ["Ohioans", "Texans", "South Ossetian", "Sinhalese"]
    assert [p.name for p in parse(text)] == ["Colombo"]


def test_the_builder_puts_demonyms_on_their_places_and_shadows_nothing() -> None:
    ohio = Feature(5165418, "Ohio", "ADM1", 40.4, -82.7, cc="US", names={"ohio": 0})
    jordan = Feature(248816, "Jordan", "PCLI", 31.0, 36.0, cc="JO", names={"jordan": 0, "jordanian": 3})
    entries = [
        {"demonym": "Ohioan", "place": "Ohio", "id": 5165418},
        {"demonym": "Jordan", "place": "Ohio", "id": 5165418},  # another place's name
        {"demonym": "Jordanian", "place": "Ohio", "id": 5165418},  # another place's demonym
        {"demonym": "Buckeye", "place": "Texas", "id": 5165418},  # the id is now another place's: stale
        {"demonym": "Atlantean", "place": "Atlantis", "id": 1},  # no such place
    ]
    wordnet_demonyms([ohio, jordan], entries)
    assert ohio.names == {"ohio": 0, "ohioan": 3, "ohioans": 3}
    assert jordan.names == {"jordan": 0, "jordanian": 3}


def test_plurals_as_news_writes_them() -> None:
    assert demonym_forms("Texan") == ["Texan", "Texans"]
    assert demonym_forms("Scotsman") == ["Scotsman", "Scotsmen"]
    assert demonym_forms("Dutchman") == ["Dutchman", "Dutchmen"]
    assert demonym_forms("German") == ["German", "Germans"]
    assert demonym_forms("Sinhalese") == ["Sinhalese"]
    assert demonym_forms("Quebecois") == ["Quebecois"]
