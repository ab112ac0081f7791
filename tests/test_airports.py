# mypy: disable-error-code="union-attr"
# (an unexpected None from geocode() fails the test where it is used)
"""Airports in the offline gazetteer (from airportsdata): the names news uses, their rank
below the places of their names, and how articles that name them are read."""

from __future__ import annotations

import sqlite3

import pytest
from geopy.distance import great_circle

import geomap
from geomap.gazetteer import Gazetteer, default_path
from geomap.gazetteer.airports import forms
from geomap.gazetteer.schema import AIRPORT_ID_BASE, airport_id, parse_id, place_id
from geomap.model import Article
from geomap.recognize.rules import find_mentions
from geomap.recognize.vocabulary import load

#: Where these airports are (degrees, from atlases, not from airportsdata).
AIRPORTS = {
    "Gatwick Airport": (51.1537, -0.1821),
    "London Gatwick Airport": (51.1537, -0.1821),
    "Pearson International Airport": (43.6777, -79.6248),
    "Dulles International Airport": (38.9531, -77.4565),
    "Dulles Airport": (38.9531, -77.4565),
    "Macdonald-Cartier International Airport": (45.3225, -75.6692),
    "Kennedy International Airport": (40.6413, -73.7781),
    "O'Hare International Airport": (41.9742, -87.9073),
    "Schiphol Airport": (52.3105, 4.7683),
    "Orly Airport": (48.7262, 2.3652),
    "Bagram Air Base": (34.9461, 69.2650),
    "RAF Lakenheath": (52.4093, 0.5610),
}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer()


@pytest.mark.parametrize("query", sorted(AIRPORTS))
def test_airports_are_found_by_the_names_news_uses(gaz: Gazetteer, query: str) -> None:
    best = gaz.candidates(query, limit=1)[0]
    assert best.feature_code == "AIRP" and best.kind == "other" and best.name_type == "name"
    assert best.id.startswith("icao:") and best.raw["feature_class"] == "S"
    assert great_circle((best.lat, best.lon), AIRPORTS[query]).km < 5


def test_gatwick_is_near_london_and_its_bare_name_needs_support(gaz: Gazetteer) -> None:
    gatwick = gaz.geocode("Gatwick Airport")
    assert gatwick.raw["id"] == "icao:EGKK" and gatwick.raw["country_code"] == "GB"
    assert great_circle(gatwick.point, gaz.geocode("London").point).km < 50
    bare = gaz.candidates("Gatwick")
    assert [(c.id, c.name_type) for c in bare] == [("icao:EGKK", "alternate")]


def test_codes_are_never_names_and_a_towns_name_stays_the_towns(gaz: Gazetteer) -> None:
    """IATA and ICAO codes collide with words and acronyms; "Heathrow" is also a town in
    Florida, which keeps the bare name (the airport is "Heathrow Airport")."""
    for code in ("LGW", "EGKK", "LHR", "JFK", "ORD"):
        assert all(c.feature_code != "AIRP" for c in gaz.candidates(code))
    assert [c.feature_code for c in gaz.candidates("Heathrow")] == ["PPL"]
    assert gaz.geocode("Heathrow Airport").raw["id"] == "icao:EGLL"


def test_airport_ids_round_trip() -> None:
    pid = airport_id("EGKK")
    assert pid <= -AIRPORT_ID_BASE and place_id(pid, "other") == "icao:EGKK"
    assert parse_id("icao:EGKK") == pid and parse_id("icao:egkk") is None and parse_id("icao:EGK") is None
    assert place_id(airport_id("00AA"), "other") == "icao:00AA"


def test_no_airport_outranks_another_place_of_its_name() -> None:
    """Across the whole file: under any key, an airport scores below every other place that
    bears the key by a name at least as strong ("Big Flats Airport" is a town in New York)."""
    con = sqlite3.connect(f"file:{default_path()}?mode=ro", uri=True)
    sql = """SELECT n.key, p.fcode, p.importance - 500 * n.type, n.type FROM names n
             JOIN places p ON p.id = n.place WHERE n.type < 3
             AND n.key IN (SELECT n2.key FROM names n2 JOIN places p2 ON p2.id = n2.place WHERE p2.fcode = 'AIRP')"""
    others: dict[tuple[str, int], int] = {}
    airports: dict[tuple[str, int], int] = {}
    for key, fcode, score, name_type in con.execute(sql):
        held = airports if fcode == "AIRP" else others
        held[(key, name_type)] = max(held.get((key, name_type), -(10**9)), score)
    pairs = [(key, t, h) for key, t in airports for h in range(t + 1) if (key, h) in others]
    assert pairs and all(airports[(key, t)] < others[(key, h)] for key, t, h in pairs)


def test_forms_of_a_published_name() -> None:
    lex = load()
    keys, local = forms("Ottawa / Macdonald-Cartier International Airport", {"ottawa"}, lex)
    assert {"macdonald cartier international airport", "macdonald cartier airport"} <= keys
    assert "ottawa macdonald cartier international airport" in keys and "ottawa" not in keys
    keys, local = forms("Toronto Pearson International Airport", {"toronto", "mississauga"}, lex)
    assert {"pearson international airport", "pearson airport", "toronto pearson airport"} <= keys
    assert local == {"pearson international airport"}
    keys, _ = forms("Amsterdam Airport Schiphol", {"amsterdam"}, lex)
    assert "schiphol airport" in keys
    keys, _ = forms("John F Kennedy International Airport", {"new york"}, lex)
    assert {"kennedy international airport", "kennedy airport"} <= keys
    # No form of generic words alone, none that drops a word of a town's name, none without a word of its kind.
    keys, _ = forms("Charleston Air Force Base/International Airport", {"charleston"}, lex)
    assert not keys & {"international airport", "air force base", "airport"}
    keys, _ = forms("Tofino / Long Beach Airport", {"tofino"}, lex)
    assert "long beach airport" in keys and "beach airport" not in keys
    assert forms("Kabwum", {"kabwum"}, lex) == (set(), set())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Passengers waited for hours at Toronto's Pearson International Airport.", ["Toronto", "Pearson International Airport"]),
        ("Flights were diverted to Gatwick after the storm.", ["Gatwick"]),
        ("The jet was based at RAF Lakenheath in Suffolk.", ["RAF Lakenheath", "Suffolk"]),
        # A bare name that needs support has it from the full name the article gives.
        ("Fog closed London Gatwick Airport. Planes bound for Gatwick circled.", ["London Gatwick Airport", "Gatwick"]),
        ("Planes bound for Gatwick circled.", []),
    ],
)  # fmt: skip
def test_an_airports_name_is_one_mention(text: str, expected: list[str]) -> None:
    assert [m.text for m in find_mentions(text, geomap.default_gazetteer()) if not m.demonym] == expected


def test_an_article_naming_an_airport_is_still_about_its_city() -> None:
    """Domodedovo lies in Moscow Oblast, but names no division: Moscow is the city."""
    places = {p.name: p for p in geomap.parse(Article("A bomb exploded at Domodedovo Airport in Moscow."))}
    assert places["Domodedovo Airport"].id == "icao:UUDD" and places["Domodedovo Airport"].kind == "other"
    assert places["Moscow"].kind == "city" and places["Domodedovo Airport"].admin1 is None
    dulles = {p.name: p for p in geomap.parse(Article("The plane landed at Washington Dulles International Airport."))}
    assert dulles["Washington Dulles International Airport"].country_code == "US"
