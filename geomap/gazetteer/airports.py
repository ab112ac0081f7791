"""Airports with scheduled service, from the ``airportsdata`` package (MIT).

airportsdata lists about 28,000 airports by ICAO code with their published name, city,
country and point. Only the about 7,900 with an IATA code are kept: those are the ones
airlines fly to and news names ("flights diverted to Gatwick"); the rest are private
strips and heliports. A name is indexed only when it says it is an airfield's ("London
Gatwick Airport", "Ramstein Air Base", "Dallas Love Field", "RAF Lakenheath"): the few
published as a bare town's or island's name ("Kabwum", "Corn Island") are left out, as
they would take the town's name. IATA and ICAO codes are never names: most are words or
acronyms too ("BAD", "NOT", "CNN").

News shortens the published names, so each airport is also found by (all forms are
multiword and say "Airport" or the like, so they are its own names):

* each part of a name split on "/" that says it is an airfield's ("Ottawa / Macdonald-Cartier
  International Airport": "Macdonald-Cartier International Airport"), and the whole with
  the parts run together ("Ottawa Macdonald-Cartier International Airport");
* the name without the town it opens with, a town within :data:`NEAR_KM` or the airport's
  own city ("Toronto Pearson International Airport": "Pearson International Airport";
  "Washington Dulles ...": "Dulles ..."; "Paris-Orly Airport": "Orly Airport"), and with
  "Airport" put last where the town's name is followed by it ("Amsterdam Airport
  Schiphol": "Schiphol Airport");
* the name without the first names and initials of the person it honours ("John F Kennedy
  International Airport": "Kennedy International Airport");
* any of these without "International" ("Dulles Airport", "Pearson Airport").

The one proper word left of a name without its town ("Gatwick", "Schiphol") is another
name of the airport, which the recogniser maps only with support ("landed at Gatwick"),
where it is no English word or person's name ("Pearson", "Midway") and no other place's
name (Heathrow, Florida, keeps "Heathrow"); see :func:`bare_names`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from geomap.errors import GeomapError
from geomap.gazetteer import naturalearth as ne
from geomap.gazetteer.features import Feature
from geomap.gazetteer.schema import airport_id
from geomap.geo import PointIndex
from geomap.model import NAME_TYPES
from geomap.recognize.vocabulary import Lexicon
from geomap.text import normalize

#: GeoNames' feature code for an airport.
FCODE = "AIRP"
#: An airport's prior: that of a town of about 2,500 people (below any large town, whose name
#: news uses far more), and never above a place of any of its names (see the builder).
IMPORTANCE = 0.4
#: A town this close to an airport may open its name ("London Stansted Airport", 50 km out).
NEAR_KM = 80.0
#: What says a name (a key) is an airfield's: a word of its kind ("Airport", "Field", "Air Base"), or an
#: air arm's abbreviation opening it ("RAF Lakenheath", "CFB Trenton").
_AIRFIELD = re.compile(
    r"(?:.* )?(?:airport|airfield|aerodrome|airstrip|airpark|heliport|field|air (?:force )?(?:base|station|park))\b.*"
    r"|(?:raf|rnas|cfb) .+"
)
#: Words of an airport's name that name no airport alone ("City Airport", "International Airport").
_GENERIC = frozenset({
    "airport", "airfield", "aerodrome", "airstrip", "airpark", "heliport", "field", "raf", "rnas", "cfb",
    "air", "base", "force", "park", "station", "naval", "army", "international", "intercontinental", "regional",
    "municipal", "national", "county", "city", "metropolitan", "domestic", "memorial", "executive", "civil", "new",
    "old", "the", "of", "de", "at", "and",
})  # fmt: skip
#: Abbreviations in airportsdata's names, spelled out as the published name reads elsewhere.
_ABBREVIATIONS = ((re.compile(r"\bIntl$"), "International Airport"), (re.compile(r"\bIntl\b"), "International"),
                  (re.compile(r"\bNtl\b"), "National"), (re.compile(r"\bairport\b"), "Airport"),
                  (re.compile(r"\bA[Ff][Bb]\b"), "Air Force Base"), (re.compile(r"\bAB\b"), "Air Base"))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Airport:
    icao: str
    iata: str
    name: str  # as published, abbreviations spelled out
    city: str
    cc: str
    lat: float
    lon: float


def load() -> list[Airport]:
    """Every airport of the list with an ICAO code, by code (the list's placeholders for the few
    without one, "_MLH", some of them "under construction, unknown coordinates", are left out)."""
    try:
        import airportsdata
    except ImportError:
        raise GeomapError(
            "the gazetteer builder needs the 'airportsdata' package: pip install 'geomap[build]'"
        ) from None
    out = []
    for icao, row in sorted(airportsdata.load("ICAO").items()):
        if not re.fullmatch(r"[A-Z0-9]{4}", icao):
            continue
        name = " ".join(row["name"].split())
        for pattern, spelled in _ABBREVIATIONS:
            name = pattern.sub(spelled, name)
        out.append(Airport(icao, row["iata"], name, row["city"], row["country"], float(row["lat"]), float(row["lon"])))
    return out


def version() -> str:
    """airportsdata's version, a date: how current its list is."""
    import airportsdata

    return str(airportsdata.__version__)


def _says_airfield(key: str) -> bool:
    """A name of more than one word that says it is an airfield's (not "Kabwum", nor "Airport")."""
    return " " in key and _AIRFIELD.fullmatch(key) is not None


def _proper(words: list[str]) -> bool:
    """Some word is more than an airport's generic ones ("Gatwick Airport", not "City Airport")."""
    return any(w not in _GENERIC and not w.isdigit() for w in words)


def forms(name: str, towns: AbstractSet[str], lexicon: Lexicon) -> tuple[set[str], set[str]]:
    """The name keys of an airport (see the module docstring), and among them its forms
    without the town it opens with (what :func:`bare_names` reads). ``towns``: the keys of
    the towns near it and of its city."""
    aside = re.compile(r"\s*\(([^)]*)\)")  # "Long Beach (Daugherty Field) Airport"
    whole = [name, aside.sub("", name), *aside.findall(name)]
    parts = [part for text in whole for part in text.split("/")]
    keys = {k for k in map(normalize, [*whole, *parts]) if _says_airfield(k) and _proper(k.split())}
    local: set[str] = set()
    for key in list(keys):
        words = key.split()
        k = next((k for k in range(len(words) - 1, 0, -1) if " ".join(words[:k]) in towns), 0)
        rest = words[k:]
        if k and rest[0] == "airport" and _proper(rest[1:]):
            rest = [*rest[1:], "airport"]  # "Amsterdam Airport Schiphol": "Schiphol Airport"
        if k and _proper(rest) and _says_airfield(" ".join(rest)):
            local.add(" ".join(rest))
    keys |= local
    for key in list(keys):
        words = key.split()
        if words[0] in towns:
            continue  # "Charlotte Douglas International Airport" opens with its town, not a first name
        k = next((k for k, w in enumerate(words) if w not in lexicon.first_names and len(w) > 1), 0)
        if (
            k
            and _proper(words[k : k + 1])
            and not lexicon.is_common_word(words[k])
            and _says_airfield(" ".join(words[k:]))
        ):
            keys.add(" ".join(words[k:]))  # "John F Kennedy ...": "Kennedy ..."; not "Long Beach ...": "Beach ..."
    for key in list(keys):
        shorter = " ".join(w for w in key.split() if w != "international")
        if shorter != key and _proper(shorter.split()) and _says_airfield(shorter):
            keys.add(shorter)
    return keys, local


def bare_names(local: Mapping[int, set[str]], taken: AbstractSet[str], words: Counter[str]) -> dict[int, str]:
    """Airport id -> the one proper word of a form of its name without its town ("gatwick" of
    "gatwick airport"), where that word is no English word or person's name, no key in ``taken``
    (other places' names), and in no other airport's name (``words``: how many airports' names
    have each word): a word that several have is a generic one of some language ("Novo",
    "Jetport", "Aeroclub") or a person's that several honour ("Lindbergh")."""
    found: dict[str, set[int]] = defaultdict(set)
    for fid, keys in local.items():
        for key in keys:
            proper = [w for w in key.split() if w not in _GENERIC]
            if len(proper) == 1 and len(proper[0]) >= 4 and proper[0].isalpha() and ne.plain(proper[0]):
                found[proper[0]].add(fid)
    return {min(ids): word for word, ids in sorted(found.items()) if words[word] == 1 and word not in taken}


def features(towns: list[Feature], lexicon: Lexicon) -> tuple[list[Feature], dict[int, set[str]]]:
    """The airports as points, with the names of :func:`forms`; and, per airport id, its forms
    without its town, for :func:`add_bare_names` once every other place is known.

    An airport has a country but no first-level division: airportsdata's subdivision is its
    city's (Dulles, in Virginia, is given the District of Columbia), and the division it lies in
    is often not the city's (Domodedovo lies in Moscow Oblast, not in Moscow), which would make
    an article that names the airport seem to be about the division around it."""
    airports = [a for a in load() if a.iata]
    index = PointIndex([(t.lat, t.lon) for t in towns])
    nearby = index.within([(a.lat, a.lon) for a in airports], NEAR_KM)
    own = NAME_TYPES.index("name")
    out, local = [], {}
    for airport, near in zip(airports, nearby, strict=True):
        places = {key for i in near if towns[i].cc == airport.cc for key, code in towns[i].names.items() if code == own}
        keys, without_town = forms(airport.name, places | {normalize(airport.city)}, lexicon)
        if not keys:
            continue  # "Kabwum", "Corn Island": no name of its own to be found by
        f = Feature(
            airport_id(airport.icao), airport.name, FCODE, round(airport.lat, 5), round(airport.lon, 5),
            cc=airport.cc or None, importance=IMPORTANCE,
        )  # fmt: skip
        for key in sorted(keys):
            f.add_name(key, "name")
        local[f.id] = without_town
        out.append(f)
    return out, local


def add_bare_names(features: list[Feature], local: Mapping[int, set[str]]) -> None:
    """Give each airport its bare name (:func:`bare_names`) as another name, now that every
    other place's names are known."""
    taken = {key for f in features if f.fcode != FCODE for key in f.names}
    words = Counter(w for a in load() for w in set(normalize(a.name).split()))
    by_id = {f.id: f for f in features}
    for fid, word in bare_names(local, taken, words).items():
        by_id[fid].add_name(word, "alternate")
