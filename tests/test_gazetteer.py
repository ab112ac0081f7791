# mypy: disable-error-code="union-attr"
# (an unexpected None from geocode() fails the test where it is used)
"""The offline gazetteer on its real, shipped data, and its builder on real sources."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from geopy.distance import great_circle
from geopy.location import Location
from shapely.geometry import Point, shape

from geomap.errors import GeomapError
from geomap.gazetteer import Gazetteer, default_path
from geomap.gazetteer.build import DEFAULT_NATURALEARTH, build
from geomap.model import Candidate
from geomap.text import normalize

RAW_KEYS = {
    "id", "name", "kind", "feature_class", "feature_code", "population", "country_code", "country", "admin1",
    "admin_path", "importance", "matched", "name_type", "bbox", "geometry", "english_name",
}  # fmt: skip

#: Where these cities are (degrees, from atlases, not from the gazetteer).
CITIES = {
    "Paris": (48.8566, 2.3522),
    "London": (51.5074, -0.1278),
    "Tokyo": (35.6895, 139.6917),
    "Sydney": (-33.8688, 151.2093),
    "Cairo": (30.0444, 31.2357),
    "Lagos": (6.4550, 3.3841),
    "São Paulo": (-23.5505, -46.6333),
    "Mumbai": (19.0760, 72.8777),
    "Baghdad": (33.3152, 44.3661),
    "Mosul": (36.3400, 43.1300),
    "Moscow": (55.7558, 37.6173),
    "Buenos Aires": (-34.6037, -58.3816),
    "Nairobi": (-1.2864, 36.8172),
    "Chicago": (41.8781, -87.6298),
}

#: A country's capital, which must lie inside the country's shape.
COUNTRIES = {
    "Iraq": ("IQ", (33.3152, 44.3661)),
    "Syria": ("SY", (33.5138, 36.2765)),
    "France": ("FR", (48.8566, 2.3522)),
    "Brazil": ("BR", (-15.7939, -47.8828)),
    "Japan": ("JP", (35.6895, 139.6917)),
    "Kenya": ("KE", (-1.2864, 36.8172)),
    "Australia": ("AU", (-35.2809, 149.1300)),
    "United States": ("US", (38.9072, -77.0369)),
}

#: Points a river passes within a few kilometres of.
RIVERS = {
    "Tigris": [(36.3400, 43.1300), (33.3152, 44.3900)],  # Mosul, Baghdad
    "Euphrates": [(35.9500, 39.0100)],  # Raqqa
    "Nile": [(30.0444, 31.2357), (15.6100, 32.5300)],  # Cairo, Khartoum
    "Yenisei": [(56.0100, 92.8700), (69.4000, 86.1800)],  # Krasnoyarsk (its upper course), Dudinka
}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer()


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return great_circle(a, b).km


@pytest.mark.parametrize("name", sorted(CITIES))
def test_cities_resolve_within_10_km(gaz: Gazetteer, name: str) -> None:
    loc = gaz.geocode(name)
    assert isinstance(loc, Location)
    assert loc.raw["kind"] == "city"
    assert km((loc.latitude, loc.longitude), CITIES[name]) < 10


@pytest.mark.parametrize("name", sorted(COUNTRIES))
def test_countries_have_shapes_containing_their_capital(gaz: Gazetteer, name: str) -> None:
    code, capital = COUNTRIES[name]
    loc = gaz.geocode(name, geometry="geojson")
    assert loc.raw["kind"] == "country" and loc.raw["country_code"] == code
    area = shape(loc.raw["geometry"])
    assert area.buffer(0.05).contains(Point(capital[1], capital[0]))
    assert area.buffer(0.05).contains(Point(loc.longitude, loc.latitude))
    assert loc.raw["bbox"][0] <= capital[1] <= loc.raw["bbox"][2]


@pytest.mark.parametrize("name", sorted(RIVERS))
def test_rivers_are_lines_through_known_places(gaz: Gazetteer, name: str) -> None:
    loc = gaz.geocode(name, geometry="geojson", kinds=["river"])
    assert loc.raw["kind"] == "river" and loc.raw["id"].startswith("ne:river:")
    assert loc.raw["geometry"]["type"] in ("LineString", "MultiLineString")
    assert gaz.geometry(loc.raw["id"]) == loc.raw["geometry"]
    for lat, lon in RIVERS[name]:
        ids = [c.id for c in gaz.nearby(lat, lon, 10)]
        assert loc.raw["id"] in ids


def test_nearby_finds_the_tigris_at_mosul_and_not_the_euphrates(gaz: Gazetteer) -> None:
    names = [c.name for c in gaz.nearby(36.34, 43.13, 10)]
    assert names[0] == "Tigris"
    assert "Euphrates" not in names
    assert gaz.nearby(0.0, -150.0, 50) == []  # mid-Pacific


@pytest.mark.parametrize("query", ["Paris", "Springfield"])
def test_ambiguous_names_give_several_candidates_by_importance(gaz: Gazetteer, query: str) -> None:
    locs = gaz.geocode(query, exactly_one=False) or []
    assert len({loc.raw["id"] for loc in locs}) >= 3
    own = [loc for loc in locs if loc.raw["name_type"] == "name"]
    assert [loc.raw["importance"] for loc in own] == sorted((loc.raw["importance"] for loc in own), reverse=True)
    assert len({loc.raw["admin1"] for loc in own}) >= 3  # not one place listed thrice
    assert gaz.geocode(query).raw["id"] == locs[0].raw["id"]


def test_paris_means_paris_france_first(gaz: Gazetteer) -> None:
    first = (gaz.geocode("Paris", exactly_one=False, limit=3) or [])[0]
    assert first.raw["country_code"] == "FR" and first.raw["population"] > 1_000_000
    assert first.address.endswith("France")


@pytest.mark.parametrize("query", ["Xqzzyplotz", "Atlantis of the Nowhere", "", "   ", "?!"])
def test_unknown_names_return_none(gaz: Gazetteer, query: str) -> None:
    assert gaz.geocode(query) is None
    assert gaz.geocode(query, exactly_one=False) is None
    assert gaz.candidates(query) == []


@pytest.mark.parametrize(
    ("variants", "near"),
    [
        (["Raqqa", "Ar-Raqqah", "al-Raqqa", "ar raqqah", "RAQQAH"], (35.95, 39.01)),
        (["Mosul", "Al-Mawsil", "al Mawşil", "MOSUL"], (36.34, 43.13)),
        (["Fallujah", "al-Fallujah", "Falluja"], (33.35, 43.78)),
    ],
)
def test_spellings_of_one_city_agree(gaz: Gazetteer, variants: list[str], near: tuple[float, float]) -> None:
    found = [gaz.geocode(v, kinds=["city"]) for v in variants]
    assert all(loc is not None for loc in found), variants
    assert len({loc.raw["id"] for loc in found}) == 1
    assert km((found[0].latitude, found[0].longitude), near) < 10


@pytest.mark.parametrize(
    ("query", "code", "name_type"),
    [
        ("U.S.", "US", "abbreviation"),
        ("USA", "US", "abbreviation"),
        ("U.S.A.", "US", "abbreviation"),
        ("U.K.", "GB", "abbreviation"),
        ("UAE", "AE", "abbreviation"),
        ("Iraqi", "IQ", "demonym"),
        ("Iraqis", "IQ", "demonym"),
        ("Syrian", "SY", "demonym"),
        ("American", "US", "demonym"),
        ("Britain", "GB", "name"),  # a short name as common as the country's own
        ("Holland", "NL", "name"),
    ],
)
def test_abbreviations_and_demonyms_reach_countries(gaz: Gazetteer, query: str, code: str, name_type: str) -> None:
    loc = gaz.geocode(query)
    assert loc.raw["kind"] == "country" and loc.raw["country_code"] == code
    assert loc.raw["name_type"] == name_type


def test_raw_record_shape_and_address(gaz: Gazetteer) -> None:
    loc = gaz.geocode("Mosul")
    assert set(loc.raw) == RAW_KEYS
    assert loc.raw["id"].startswith("geonames:") and loc.raw["feature_class"] == "P"
    assert loc.raw["country"] == "Iraq" and loc.raw["admin_path"][0] == "Iraq" and len(loc.raw["admin_path"]) == 2
    assert loc.address == f"Mosul, {loc.raw['admin1']}, Iraq"
    assert loc.raw["geometry"] is None and loc.raw["matched"] == "mosul"


def test_capitals_are_marked_and_outrank_namesakes(gaz: Gazetteer) -> None:
    for name in ("Baghdad", "Damascus", "Paris"):
        loc = gaz.geocode(name)
        assert loc.raw["feature_code"] == "PPLC", name


def test_country_codes_and_kinds_filter(gaz: Gazetteer) -> None:
    texan = gaz.geocode("Paris", country_codes=["us"], exactly_one=False)
    assert texan and all(loc.raw["country_code"] == "US" for loc in texan)
    assert gaz.geocode("Georgia").raw["kind"] == "country"
    assert gaz.geocode("Georgia", kinds=["region"]).raw["country_code"] == "US"


def test_candidates_and_lookup_many(gaz: Gazetteer) -> None:
    cands = gaz.candidates("Paris", limit=4)
    assert len(cands) == 4 and all(isinstance(c, Candidate) and c.source == "offline" for c in cands)
    assert "geometry" not in cands[0].raw and cands[0].raw["id"] == cands[0].id
    keys = [normalize(k) for k in ("Mosul", "Tigris", "al-Raqqa", "Nothingtown Qq", "Iraqi")]
    found = gaz.lookup_many(keys)
    assert set(found) == {"mosul", "tigris", "al raqqa", "iraqi"}
    assert found["mosul"][0].id == gaz.candidates("Mosul")[0].id
    assert found["al raqqa"][0].id == gaz.candidates("Raqqa")[0].id
    assert found["iraqi"][0].raw["name_type"] == "demonym"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Ar-Raqqah", "ar raqqah"),
        ("U.S.", "us"),
        ("Al Mawşil", "al mawsil"),
        ("São Paulo", "sao paulo"),
        ("Karbala’", "karbala"),
        ("ʿAqrah", "aqrah"),
        ("Łódź", "lodz"),
        ("St. Louis", "st louis"),
        ("  Washington,  D.C. ", "washington dc"),
    ],
)
def test_normalize(text: str, key: str) -> None:
    assert normalize(text) == key


def test_missing_or_corrupt_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GeomapError, match="gazetteer build"):
        Gazetteer(tmp_path / "absent.sqlite")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(GeomapError, match="gazetteer build"):
        Gazetteer(junk)


def test_env_variable_chooses_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(tmp_path / "elsewhere.sqlite"))
    assert default_path() == tmp_path / "elsewhere.sqlite"


needs_naturalearth = pytest.mark.skipif(
    not DEFAULT_NATURALEARTH.is_dir(), reason=f"Natural Earth shapefiles not at {DEFAULT_NATURALEARTH}"
)


@needs_naturalearth
def test_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build(tmp_path / "a.sqlite", cities="cities15000")
    second = build(tmp_path / "b.sqlite", cities="cities15000")
    assert first.size == second.size > 1_000_000
    assert (tmp_path / "a.sqlite").read_bytes() == (tmp_path / "b.sqlite").read_bytes()
    small = Gazetteer(tmp_path / "a.sqlite")
    assert small.geocode("Mosul").raw["id"] == Gazetteer().geocode("Mosul").raw["id"]
    assert small.geocode("Gatwick Airport").raw["id"] == "icao:EGKK"
    with sqlite3.connect(tmp_path / "a.sqlite") as con:
        assert "airportsdata" in con.execute("SELECT value FROM meta WHERE key = 'sources'").fetchone()[0]
    assert first.counts["river"] > 100 and first.counts["country"] > 200


#: Rows in the exact layout of GeoNames' dumps (19 tab-separated columns).
DUMP_ROWS = [
    ["99072", "Mosul", "Mosul", "Al Mawsil,Mossoul,OSM,almwsl", "36.335", "43.11889", "P", "PPLA", "IQ", "",
     "15", "", "", "", "1739800", "", "223", "Asia/Baghdad", "2024-01-01"],
    ["92877", "Nīnawá", "Ninawa", "Nineveh,Ninawa Governorate", "36.25", "42.5", "A", "ADM1", "IQ", "",
     "15", "", "", "", "3106948", "", "300", "Asia/Baghdad", "2024-01-01"],
    ["98182", "Baghdad", "Baghdad", "Bagdad,Bagdád", "33.34058", "44.40088", "P", "PPLC", "IQ", "",
     "07", "", "", "", "7216000", "", "41", "Asia/Baghdad", "2024-01-01"],
    ["99999", "Shatt al Arab", "Shatt al Arab", "Arvand Rud", "30.3", "48.3", "H", "STM", "IQ", "",
     "", "", "", "", "0", "", "1", "Asia/Baghdad", "2024-01-01"],
    ["11111", "Old Ruin", "Old Ruin", "", "33.0", "44.0", "P", "PPLQ", "IQ", "",
     "07", "", "", "", "0", "", "1", "Asia/Baghdad", "2024-01-01"],
]  # fmt: skip
COUNTRY_INFO = [
    (
        "#ISO\tISO3\tISO-Numeric\tfips\tCountry\tCapital\tArea(in sq km)\tPopulation\tContinent\ttld\tCurrencyCode"
        "\tCurrencyName\tPhone\tPostal Code Format\tPostal Code Regex\tLanguages\tgeonameid\tneighbours"
        "\tEquivalentFipsCode"
    ),
    (
        "IQ\tIRQ\t368\tIZ\tIraq\tBaghdad\t437072\t40462701\tAS\t.iq\tIQD\tDinar\t964\t#####\t^(\\d{5})$\tar-IQ,ku,hy"
        "\t99237\tSY,SA,TR,IR,JO,KW\t"
    ),
]
ADMIN1 = ["IQ.15\tNīnawá\tNinawa\t92877", "IQ.07\tBaghdād\tBaghdad\t98180"]


@needs_naturalearth
def test_build_from_a_geonames_dump(tmp_path: Path) -> None:
    dump = tmp_path / "cities1000.txt"
    dump.write_text("".join("\t".join(r) + "\n" for r in DUMP_ROWS), encoding="utf-8")
    (tmp_path / "countryInfo.txt").write_text("\n".join(COUNTRY_INFO) + "\n", encoding="utf-8")
    (tmp_path / "admin1CodesASCII.txt").write_text("\n".join(ADMIN1) + "\n", encoding="utf-8")
    stats = build(tmp_path / "dump.sqlite", geonames=dump)
    assert stats.counts["country"] == 1 and stats.counts["city"] == 2  # the ruin (PPLQ) is left out
    gaz = Gazetteer(tmp_path / "dump.sqlite")
    mosul = gaz.geocode("al-Mawsil")
    assert mosul.raw["id"] == "geonames:99072" and mosul.raw["admin1"] == "Nīnawá"
    assert gaz.geocode("OSM") is None and gaz.geocode("almwsl") is None  # codes and transliterations skipped
    assert gaz.geocode("Baghdad").raw["feature_code"] == "PPLC"
    region = gaz.geocode("Nineveh")
    assert region.raw["kind"] == "region" and (region.latitude, region.longitude) == (36.25, 42.5)
    assert gaz.geocode("Iraqi").raw["country_code"] == "IQ"
    assert gaz.geocode("Shatt al Arab").raw["kind"] == "river"
    assert gaz.geocode("Tigris").raw["id"].startswith("ne:river:")


def test_continent_demonyms_are_weak_evidence(gaz: Gazetteer) -> None:
    for query, name in (("European", "Europe"), ("Africans", "Africa")):
        loc = gaz.geocode(query)
        assert (loc.raw["kind"], loc.raw["name"], loc.raw["name_type"]) == ("continent", name, "demonym")


#: Countries' reference points as GeoNames and Wikipedia give them (not polygon label points).
COUNTRY_POINTS = {
    "China": (35.0, 105.0),
    "Russia": (60.0, 100.0),
    "United States": (39.76, -98.5),
    "Turkey": (39.0, 35.0),
}


@pytest.mark.parametrize("name", sorted(COUNTRY_POINTS))
def test_country_points_are_the_reference_points(gaz: Gazetteer, name: str) -> None:
    loc = gaz.geocode(name)
    assert loc.raw["kind"] == "country" and km((loc.latitude, loc.longitude), COUNTRY_POINTS[name]) < 100


@pytest.mark.parametrize(
    ("query", "name", "admin1", "near"),
    [
        ("Laurel County", "Laurel County", "Kentucky", (37.11, -84.12)),  # around London, Kentucky
        ("Black Hawk County", "Black Hawk County", "Iowa", (42.47, -92.31)),  # Waterloo, Iowa
        ("Fife", "Fife", "Scotland", (56.2, -3.1)),
        ("Cornwall", "Cornwall", "England", (50.4, -4.9)),
    ],
)
def test_second_level_divisions_sit_among_their_towns(
    gaz: Gazetteer, query: str, name: str, admin1: str, near: tuple[float, float]
) -> None:
    found = [c for c in gaz.candidates(query) if c.name == name and c.kind == "region"]
    assert found and found[0].raw["feature_code"] == "ADM2" and found[0].admin1 == admin1
    assert found[0].population > 0 and km((found[0].lat, found[0].lon), near) < 60
    assert all(c.name != "Laurel County" for c in gaz.candidates("Laurel"))  # a bare "Laurel" is a town


@pytest.mark.parametrize(
    ("query", "region", "code"),
    [
        ("Ky.", "Kentucky", "US"),
        ("W.Va.", "West Virginia", "US"),
        ("B.C.", "British Columbia", "CA"),
        ("NSW", "New South Wales", "AU"),
    ],
)
def test_region_abbreviations(gaz: Gazetteer, query: str, region: str, code: str) -> None:
    loc = gaz.geocode(query)
    assert (loc.raw["name"], loc.raw["country_code"], loc.raw["name_type"]) == (region, code, "abbreviation")


def test_the_european_union_is_placed_at_europe(gaz: Gazetteer) -> None:
    for query in ("EU", "European Union"):
        assert gaz.geocode(query).raw["name"] == "Europe"


@needs_naturalearth
def test_seas_lie_off_every_countrys_land() -> None:
    from shapely.geometry import Point

    from geomap.gazetteer.groups import WATERS
    from geomap.gazetteer.naturalearth import shapes

    land = [geom for _, geom in shapes(DEFAULT_NATURALEARTH / "ne_50m_admin_0_countries")]
    for name, fcode, lat, lon, _ in WATERS:
        point = Point(lon, lat)
        assert not any(g.contains(point) for g in land), name
        if fcode == "STRT":  # a strait is narrow: land is near
            assert min(g.distance(point) for g in land) < 1.0, name


@pytest.mark.parametrize(
    ("name", "inside", "outside"),
    [
        ("Middle East", ["Baghdad", "Cairo", "Tehran", "Riyadh"], ["Athens", "Tripoli", "Kabul"]),
        # France's overseas parts stay out: French Guiana is not in Western Europe.
        ("Western Europe", ["Paris", "Berlin", "Amsterdam"], ["Cayenne", "Madrid", "Warsaw"]),
        ("Balkans", ["Belgrade", "Sarajevo", "Tirana"], ["Vienna", "Athens"]),
    ],
)
def test_country_groups_are_outlined_by_their_members(
    gaz: Gazetteer, name: str, inside: list[str], outside: list[str]
) -> None:
    from shapely.geometry import Point, shape

    loc = gaz.geocode(name)
    assert (loc.raw["kind"], loc.raw["feature_code"]) == ("region", "RGN") and loc.raw["id"].startswith("geomap:")
    outline = shape(gaz.geometry(loc.raw["id"]) or {"type": "Polygon", "coordinates": []})
    assert outline.contains(Point(loc.longitude, loc.latitude)) or name == "Balkans"
    for city in inside:
        c = gaz.geocode(city)
        assert outline.contains(Point(c.longitude, c.latitude)), city
    for city in outside:
        c = gaz.geocode(city)
        assert not outline.contains(Point(c.longitude, c.latitude)), city


def test_us_regions_sit_among_their_states(gaz: Gazetteer) -> None:
    england = gaz.geocode("New England")
    assert england.raw["country_code"] == "US" and england.raw["kind"] == "region"
    assert km((england.latitude, england.longitude), (42.36, -71.06)) < 300  # Boston
    ocean = gaz.geocode("Atlantic")
    assert (ocean.raw["name"], ocean.raw["kind"], ocean.raw["name_type"]) == ("Atlantic Ocean", "sea", "alternate")


# -- a damaged file is one line naming it ---------------------------------------------------


def test_a_missing_table_is_named_when_the_file_is_opened(tmp_path: Path) -> None:
    damaged = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(default_path(), damaged)
    with sqlite3.connect(damaged) as con:
        con.execute("DROP TABLE names")
    with pytest.raises(GeomapError, match=r"gazetteer .*gazetteer\.sqlite is damaged \(no table names\)") as error:
        Gazetteer(damaged)  # before: opened, then a traceback at the first lookup
    assert "\n" not in str(error.value)


def test_damaged_pages_stop_the_cli_with_one_line(tmp_path: Path) -> None:
    """Pages past the schema overwritten: the file opens, and the damage shows at a query."""
    damaged = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(default_path(), damaged)
    with damaged.open("r+b") as fh:
        size = fh.seek(0, 2)
        for page in range(20, size // 4096, 7):
            fh.seek(page * 4096)
            fh.write(bytes(range(256)) * 16)
    article = Path(__file__).resolve().parent.parent / "data" / "articles" / "mosul.txt"
    done = subprocess.run([sys.executable, "-m", "geomap", "places", str(article)], capture_output=True, text=True,
                          env={**os.environ, "GEOMAP_GAZETTEER": str(damaged)}, check=False)  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"geomap: error: gazetteer {damaged} is unreadable or damaged (")
    assert done.stderr.count("\n") == 1 and "geomap gazetteer build" in done.stderr


# -- Natural Earth's physical regions, marine areas, 1:10m rivers and lakes, admin-1 (issue 13) --


def _outline(gaz: Gazetteer, place_id: str) -> Any:
    geometry = gaz.geometry(place_id)
    assert geometry is not None, place_id
    return shape(geometry)


@pytest.mark.parametrize(
    ("query", "code", "inside"),
    [
        ("Sahara", "DSRT", (20.0, 0.0)),  # northern Mali
        ("Alps", "MTS", (46.5, 9.8)),  # the Engadine
        ("Mindanao", "ISL", (7.9, 125.0)),
        ("Kalahari Desert", "DSRT", (-23.0, 22.0)),
    ],
)
def test_physical_regions_have_outlines(gaz: Gazetteer, query: str, code: str, inside: tuple[float, float]) -> None:
    loc = gaz.geocode(query)
    assert loc is not None and loc.raw["feature_code"] == code and loc.raw["id"].startswith("ne:")
    outline = _outline(gaz, loc.raw["id"])
    assert outline.is_valid and outline.contains(Point(inside[1], inside[0]))


@pytest.mark.parametrize(
    ("query", "inside"), [("Red Sea", (20.0, 38.5)), ("Persian Gulf", (27.0, 51.0)), ("Atlantic Ocean", (-20.0, -20.0))]
)
def test_geomaps_seas_get_natural_earths_outline(gaz: Gazetteer, query: str, inside: tuple[float, float]) -> None:
    loc = gaz.geocode(query)
    assert loc is not None and loc.raw["kind"] == "sea" and loc.raw["id"].startswith("geomap:sea:")
    outline = _outline(gaz, loc.raw["id"])
    assert outline.contains(Point(loc.longitude, loc.latitude)) and outline.contains(Point(inside[1], inside[0]))
    # the marine area it stands for is not a second candidate of the same name
    assert [c.kind for c in gaz.candidates(query)].count("sea") == 1


def test_marine_areas_beyond_geomaps_table(gaz: Gazetteer) -> None:
    for query in ("Strait of Gibraltar", "Sargasso Sea", "Bay of Fundy", "North Atlantic Ocean"):
        loc = gaz.geocode(query)
        assert loc is not None and loc.raw["kind"] == "sea" and loc.raw["bbox"] is not None, query
    gulf = gaz.geocode("Gulf of California")  # geomap's own, which took Natural Earth's Spanish name too
    assert gulf is not None and gaz.geocode("Golfo de California").raw["id"] == gulf.raw["id"]


def test_names_are_cleaned_and_given_in_english(gaz: Gazetteer) -> None:
    caucasus = gaz.candidates("Caucasus Mountains", limit=1)[0]  # "CAUCASUS MTS." in Natural Earth
    assert (caucasus.name, caucasus.feature_code) == ("Caucasus Mountains", "MTS")
    atacama = gaz.candidates("Atacama Desert", limit=1)[0]  # "DESIERTO DE ATACAMA"
    assert (atacama.name, atacama.english_name) == ("Desierto de Atacama", "Atacama Desert")
    assert gaz.geocode("Rockies").raw["name"] == "Rocky Mountains"
    assert gaz.geocode("Appalachians").raw["name"] == "Appalachian Mountains"


@pytest.mark.parametrize(
    ("query", "name", "english"),
    [
        ("Cologne", "Köln", "Cologne"),
        ("Tikrit", "Tikrīt", "Tikrit"),
        ("Rafah", "Rafaḩ", "Rafah"),
        ("Lake Constance", "Bodensee", "Lake Constance"),
        ("Lake Titicaca", "Lago Titicaca", "Lake Titicaca"),
        ("Himachal Pradesh", "Himāchal Pradesh", "Himachal Pradesh"),
        ("Mosul", "Mosul", None),  # already English
    ],
)
def test_english_names(gaz: Gazetteer, query: str, name: str, english: str | None) -> None:
    best = gaz.candidates(query, limit=1)[0]
    assert (best.name, best.english_name) == (name, english)
    if english:
        assert best.name_type == "name"  # the English name is the place's own name in English


@pytest.mark.parametrize("query", ["Geneva", "Winnipeg", "Erie", "Constance"])
def test_a_city_keeps_its_name_from_a_lake(gaz: Gazetteer, query: str) -> None:
    assert gaz.geocode(query).raw["kind"] == "city"
    lake = gaz.geocode(f"Lake {query}")
    assert lake is not None and lake.raw["kind"] == "lake"


def test_no_lake_river_or_physical_region_outranks_a_large_namesake() -> None:
    """Across the whole file: under a bare name, a natural feature ranks below every
    country, and every city or first-level region of 50,000 people or more, of that name,
    unless that name is only another name of theirs and the feature's own ("Andes" is the
    range's own name and another name of Los Andes, Chile)."""
    import sqlite3

    from geomap.gazetteer.build import NAMESAKE_POPULATION
    from geomap.gazetteer.naturalearth import is_bare

    con = sqlite3.connect(f"file:{default_path()}?mode=ro", uri=True)
    sql = """SELECT n.key, p.fcode, p.population, p.importance - 500 * n.type, p.id, n.type FROM names n
             JOIN places p ON p.id = n.place WHERE n.type < 3"""
    best: dict[tuple[str, int], int] = {}  # (key, name type) -> score of the top holder
    natural: dict[tuple[str, int], int] = {}
    for key, fcode, population, score, pid, name_type in con.execute(sql):
        if fcode in ("CONT", "PCLI") or (
            (fcode.startswith("PPL") or fcode == "ADM1") and population >= NAMESAKE_POPULATION
        ):
            best[(key, name_type)] = max(best.get((key, name_type), -(10**9)), score)
        elif pid < 0 and -pid < 2_000_000_000 and is_bare(key):
            natural[(key, name_type)] = max(natural.get((key, name_type), -(10**9)), score)
    pairs = [(key, t, held) for key, t in natural for held in range(t + 1) if (key, held) in best]
    beaten = {key for key, t, held in pairs if natural[(key, t)] >= best[(key, held)]}
    assert not beaten and len(pairs) > 20


def test_the_resolver_reads_geneva_and_lake_geneva_apart() -> None:
    import geomap
    from geomap.model import Article

    places = geomap.parse(Article("The ferry crossed Lake Geneva on Monday."))
    assert [(p.name, p.kind) for p in places] == [("Lake Geneva", "lake")]
    places = geomap.parse(Article("Flooding hit Winnipeg and Erie on Sunday."))
    assert [(p.name, p.kind) for p in places] == [("Winnipeg", "city"), ("Erie", "city")]


def test_rivers_and_lakes_of_the_10m_layers(gaz: Gazetteer) -> None:
    mosel = gaz.geocode("Mosel River")  # only 1:10m has it; its bare name alone is not indexed
    assert mosel is not None and mosel.raw["kind"] == "river" and gaz.geocode("River Mosel") is not None
    assert all(c.kind != "river" for c in gaz.candidates("Republican"))  # "Republican River" only
    assert gaz.geocode("Republican River").raw["kind"] == "river"
    tigris = gaz.geocode("River Tigris")  # a 1:50m river keeps its Natural Earth id
    assert tigris.raw["id"] == gaz.geocode("Tigris").raw["id"] and tigris.raw["id"].startswith("ne:river:11")


def test_admin1_outlines_and_label_points(gaz: Gazetteer) -> None:
    texas = gaz.geocode("Texas")
    outline = _outline(gaz, texas.raw["id"])
    austin = gaz.geocode("Austin")
    assert outline.contains(Point(austin.longitude, austin.latitude))
    assert outline.contains(Point(texas.longitude, texas.latitude))  # among its towns, not Padre Island
    # a division with no town in the cities list is placed at Natural Earth's label point
    aitutaki = gaz.geocode("Aitutaki", kinds=["region"])
    assert aitutaki is not None and aitutaki.raw["country_code"] == "CK"


# -- geomap's own named regions (regions.toml) ------------------------------------------------


def test_every_named_region_is_built_with_its_source(gaz: Gazetteer) -> None:
    from geomap.gazetteer.groups import news_regions

    rows = news_regions()
    assert {"Darfur", "Donbas", "Kurdistan Region", "Gaza Strip", "West Bank", "Sinai Peninsula"} <= {
        r.name for r in rows
    }
    for region in rows:
        if region.natural_earth:  # a name of a Natural Earth feature, not a place of its own
            assert region.source.startswith("names:"), region.name
            loc = gaz.geocode(region.name)
            assert loc is not None and loc.raw["id"].startswith("ne:"), region.name
            assert loc.raw["english_name"] == region.name and loc.raw["name_type"] == "name"
            continue
        assert region.source.startswith(("point:", "outline:", "outline and point:")), region.name
        loc = gaz.geocode(region.name)
        assert loc is not None and loc.raw["kind"] == "region", region.name
        code = loc.raw["country_code"]
        if code and loc.raw["id"].startswith("geomap:"):  # inside the country it belongs to
            country = gaz.geocode(loc.raw["country"], kinds=["country"], country_codes=[code])
            assert country is not None
            # within 50 km: Natural Earth's 1:50m country leaves out small islands (Carriacou, Grenada)
            assert _outline(gaz, country.raw["id"]).buffer(0.5).contains(Point(loc.longitude, loc.latitude))


@pytest.mark.parametrize(
    ("query", "region"),
    [
        ("Darfur", "Darfur"),
        ("Donbass", "Donbas"),
        ("Iraqi Kurdistan", "Kurdistan Region"),
        ("Sinai", "Sinai Peninsula"),
    ],
)
def test_named_regions_are_found_by_their_names(gaz: Gazetteer, query: str, region: str) -> None:
    loc = gaz.geocode(query)
    assert (loc.raw["name"], loc.raw["feature_code"]) == (region, "RGN") and loc.raw["id"].startswith("geomap:region:")


def test_the_two_parts_of_palestine_are_outlined_apart(gaz: Gazetteer) -> None:
    gaza, bank = gaz.geocode("Gaza Strip"), gaz.geocode("West Bank")
    assert gaza.raw["id"].startswith("geonames:") and bank.raw["id"].startswith("geonames:")  # the divisions
    city, ramallah = gaz.geocode("Gaza", kinds=["city"], country_codes=["PS"]), gaz.geocode("Ramallah")
    assert _outline(gaz, gaza.raw["id"]).contains(Point(city.longitude, city.latitude))
    assert not _outline(gaz, gaza.raw["id"]).contains(Point(ramallah.longitude, ramallah.latitude))
    assert _outline(gaz, bank.raw["id"]).contains(Point(ramallah.longitude, ramallah.latitude))


def test_de_facto_states_are_outlined_by_natural_earth(gaz: Gazetteer) -> None:
    north = gaz.geocode("Northern Cyprus")
    outline = _outline(gaz, north.raw["id"])
    limassol = gaz.geocode("Limassol")
    assert outline.contains(Point(north.longitude, north.latitude))
    assert not outline.contains(Point(limassol.longitude, limassol.latitude))


@pytest.mark.parametrize(
    ("query", "name", "code", "name_type"),
    [
        ("D.C.", "District of Columbia", "ADM1", "abbreviation"),  # AP's abbreviation
        ("Platte Co.", "Platte County", "ADM2", "alternate"),
        ("Gwinnett", "Gwinnett County", "ADM2", "alternate"),  # no other place has the bare name
        ("Democratic Republic of Congo", "Democratic Republic of the Congo", "PCLI", "alternate"),
        ("South Pacific", "South Pacific Ocean", "OCN", "alternate"),
        ("Czechs", "Czechia", "PCLI", "demonym"),
        ("Bosnia", "Bosnia and Herzegovina", "PCLI", "name"),  # the first of two names, for the whole
        ("Antigua", "Antigua and Barbuda", "PCLI", "name"),
        ("St. Kitts", "Saint Kitts and Nevis", "PCLI", "name"),
    ],
)
def test_usual_short_forms(gaz: Gazetteer, query: str, name: str, code: str, name_type: str) -> None:
    best = gaz.candidates(query, limit=1)[0]
    assert (best.name, best.feature_code, best.name_type) == (name, code, name_type)


def test_bare_forms_that_are_words_or_demonyms_are_not_indexed(gaz: Gazetteer) -> None:
    assert all(c.kind != "sea" for c in gaz.candidates("Indian"))  # not the Indian Ocean
    # Jefferson County: a person's name, and thirty counties of that name
    assert all(c.feature_code != "ADM2" or c.name_type == "name" for c in gaz.candidates("Jefferson"))


@pytest.mark.parametrize(
    ("query", "own", "code"),
    [
        ("Catalonia", "Catalunya", "ES"),
        ("Lombardy", "Lombardia", "IT"),
        ("Wallonia", "wallonne, Région", "BE"),
        ("Basque Country", "País Vasco", "ES"),
        ("Amhara", "Amara", "ET"),
        ("Xinjiang", "Xinjiang Uygur Zizhiqu", "CN"),
        # From an English "... Autonomous Region" or "... Province" alternate whose opening words are one too.
        ("Tibet", "Xizang Zizhiqu", "CN"),
        ("Inner Mongolia", "Nei Mongol Zizhiqu", "CN"),
        ("Brittany", "Bretagne", "FR"),
    ],
)
def test_a_divisions_english_name_is_its_own(gaz: Gazetteer, query: str, own: str, code: str) -> None:
    """GeoNames gives these English names only as alternates; no other well-known place bears them,
    so they are the division's own names, which the recogniser takes as well known."""
    best = gaz.candidates(query, limit=1)[0]
    assert (best.name, best.feature_code, best.country_code, best.name_type) == (own, "ADM1", code, "name")


def test_a_hamlet_named_like_a_division_does_not_outrank_it(gaz: Gazetteer) -> None:
    """A village called Xinjiang is no seat of the region: the region ranks by its own people."""
    region = next(c for c in gaz.candidates("Xinjiang") if c.feature_code == "ADM1")
    assert region.importance > 0.7
    assert gaz.candidates("Raqqa", limit=1)[0].kind == "city"  # a real seat still comes first


@pytest.mark.parametrize("query", ["County Cork", "Cork County", "Co. Cork", "County Mayo", "Kerry", "County Donegal"])
def test_irish_counties_are_found_by_the_forms_news_uses(gaz: Gazetteer, query: str) -> None:
    """GeoNames' Irish counties (ISO level 1, GeoNames admin-2) were read as neither level."""
    best = next(c for c in gaz.candidates(query) if c.feature_code == "ADM2")
    assert best.country_code == "IE"
    if query != "Kerry":  # the bare name: a town in Wales is nearly as likely
        assert gaz.candidates(query, limit=1)[0] == best
    cork = next(c for c in gaz.candidates("County Cork") if c.feature_code == "ADM2")
    assert great_circle((cork.lat, cork.lon), (51.9, -8.47)).km < 100  # Cork city, a county seat


@pytest.mark.parametrize("code", ["IE", "IS", "LT", "MW", "GQ"])
def test_countries_whose_divisions_iso_puts_at_another_level_have_them(gaz: Gazetteer, code: str) -> None:
    """These had no first-level division at all: ISO calls GeoNames' admin-1 level 0 or 2."""
    con = sqlite3.connect(gaz.path)
    try:
        (count,) = con.execute("SELECT count(*) FROM places WHERE fcode = 'ADM1' AND cc = ?", (code,)).fetchone()
    finally:
        con.close()
    assert count >= 3


@pytest.mark.parametrize(
    ("query", "own"), [("County Durham", "Durham, County"), ("Vale of Glamorgan", "Vale of Glamorgan, The")]
)
def test_inverted_division_names_are_found_in_written_order(gaz: Gazetteer, query: str, own: str) -> None:
    best = gaz.candidates(query, limit=1)[0]
    assert (best.name, best.country_code, best.name_type) == (own, "GB", "name")


def test_a_city_council_area_is_not_a_place_of_its_own_name(gaz: Gazetteer) -> None:
    """'Dublin City Council' is also Dublin, Ohio's: 'Dublin City' is only another name of the area."""
    assert all(c.name_type != "name" for c in gaz.candidates("Dublin City") if c.feature_code == "ADM2")
    assert gaz.candidates("Glasgow", limit=1)[0].kind == "city"


#: Summits (lat, lon from atlases, not from the gazetteer).
PEAKS = {
    "Mount Hood": (45.3736, -121.6960),
    "Popocatépetl": (19.0225, -98.6278),
    "Mount Everest": (27.9881, 86.9250),
    "Everest": (27.9881, 86.9250),
    "Mount Etna": (37.7510, 14.9934),
    "Mount Fuji": (35.3606, 138.7274),
    "Mount Elbrus": (43.3499, 42.4453),
    "Khyber Pass": (34.0807, 71.2097),
}


@pytest.mark.parametrize("query", sorted(PEAKS))
def test_peaks_are_found_by_their_english_names(gaz: Gazetteer, query: str) -> None:
    best = gaz.candidates(query, limit=1)[0]
    assert best.kind == "other" and best.name_type == "name"
    assert great_circle((best.lat, best.lon), PEAKS[query]).km < 15


def test_a_peaks_bare_name_that_is_a_word_is_not_indexed(gaz: Gazetteer) -> None:
    """'Hood' and 'Washington' (Mount Hood, Mount Washington) are words and people first."""
    assert all(c.feature_code != "MT" for q in ("Hood", "Washington") for c in gaz.candidates(q))
    assert gaz.candidates("Everest", limit=1)[0].importance > gaz.candidates("Matterhorn", limit=1)[0].importance


@pytest.mark.parametrize(
    ("query", "inside", "outside"),
    [
        ("Soviet Union", [(55.7558, 37.6173), (41.2995, 69.2401), (54.7104, 20.4522)], [(52.2297, 21.0122)]),
        ("USSR", [(55.7558, 37.6173)], []),
        ("Yugoslavia", [(44.7866, 20.4489), (46.0569, 14.5058), (41.9981, 21.4254)], [(41.3275, 19.8187)]),
        ("Czechoslovakia", [(50.0755, 14.4378), (48.1486, 17.1077)], [(48.2082, 16.3738)]),
    ],
)
def test_historical_countries_are_outlined_by_their_successors(
    gaz: Gazetteer, query: str, inside: list[tuple[float, float]], outside: list[tuple[float, float]]
) -> None:
    """Moscow, Tashkent and Kaliningrad were Soviet, Warsaw was not; Belgrade, Ljubljana and
    Skopje Yugoslav, Tirana not; Prague and Bratislava Czechoslovak, Vienna not."""
    loc = gaz.geocode(query, geometry="geojson")
    assert loc.raw["kind"] == "region"
    outline = shape(loc.raw["geometry"])
    assert all(outline.contains(Point(lon, lat)) for lat, lon in inside)
    assert not any(outline.contains(Point(lon, lat)) for lat, lon in outside)
    assert outline.contains(Point(loc.longitude, loc.latitude))


def test_the_two_germanys_are_placed_among_their_states_towns(gaz: Gazetteer) -> None:
    east, west = gaz.geocode("East Germany"), gaz.geocode("West Germany")
    assert great_circle(east.point, (51.34, 12.37)).km < 150  # Leipzig
    assert great_circle(west.point, (50.11, 8.68)).km < 150  # Frankfurt
    assert gaz.geocode("GDR").raw["name"] == "East Germany"


@pytest.mark.parametrize(
    ("query", "code", "inside"),
    [("Himalayas", "MTS", "Mount Everest"), ("Andes", "MTS", "Aconcagua"), ("Sahara", "DSRT", "Emi Koussi")],
)
def test_a_land_region_drawn_in_strips_is_the_land_within_them(
    gaz: Gazetteer, query: str, code: str, inside: str
) -> None:
    """Natural Earth draws the Himalayas as six strips for its label, most of them in Ladakh: the
    outline is the land within their hull, which holds the range's peaks (Natural Earth's too)."""
    region, peak = gaz.geocode(query), gaz.geocode(inside)
    assert region.raw["feature_code"] == code and peak.raw["feature_code"] == "MT"
    outline = _outline(gaz, region.raw["id"])
    assert outline.is_valid and outline.contains(Point(peak.longitude, peak.latitude))
    assert outline.contains(Point(region.longitude, region.latitude))


def test_one_lake_of_pieces_and_ranges_by_their_plural(gaz: Gazetteer) -> None:
    dead = [c for c in gaz.candidates("Dead Sea") if c.kind == "lake"]
    assert len(dead) == 1  # Natural Earth's two basins are one lake
    assert _outline(gaz, dead[0].id).contains(Point(35.5, 31.5))
    assert gaz.geocode("Urals").raw["name"] == "Ural Mountains"
    assert gaz.geocode("Karakoram").raw["name"] == "Karakoram Range"


@pytest.mark.parametrize(
    ("query", "own", "kind"),
    [
        ("Apennines", "Appennini", "other"),
        ("Empty Quarter", "Rub’ al Khali", "other"),
        ("Taklamakan Desert", "Taklimakan Desert", "other"),
        ("Yenisei", "Yenisey", "river"),
    ],
)
def test_natural_earth_features_named_in_english(gaz: Gazetteer, query: str, own: str, kind: str) -> None:
    best = gaz.candidates(query, limit=1)[0]
    assert (best.name, best.english_name, best.kind, best.name_type) == (own, query, kind, "name")


def test_a_river_of_both_layers_has_both_layers_names(gaz: Gazetteer) -> None:
    """The 1:10m layer writes "St. Lawrence" and "Tiber" where the 1:50m has "Saint Lawrence"
    and "Tevere"; a 1:10m river's bare name is another name ("the Tiber"), not one that is a
    person's ("James") or a virus's ("Ebola")."""
    assert any(c.kind == "river" and c.name == "Saint Lawrence" for c in gaz.candidates("St. Lawrence"))
    tiber = gaz.candidates("Tiber", limit=1)[0]
    assert tiber.kind == "river" and tiber.name_type == "alternate"
    assert not any(c.kind == "river" for c in gaz.candidates("Ebola"))


@pytest.mark.parametrize(
    ("query", "code", "near"),
    [
        ("Yorkshire", "GB", "Leeds"),
        ("Provence", "FR", "Aix-en-Provence"),
        ("Gozo", "MT", "Victoria"),
        ("Yakutia", "RU", "Yakutsk"),
        ("Klondike", "CA", "Dawson City"),
        ("Nuba Mountains", "SD", "Kadugli"),
        ("Mojave Desert", "US", "Barstow"),
        ("Karakum Desert", "TM", "Mary"),
    ],
)
def test_regions_the_news_names(gaz: Gazetteer, query: str, code: str, near: str) -> None:
    region = gaz.geocode(query)
    town = gaz.geocode(near, kinds=["city"], country_codes=[code])
    assert region.raw["kind"] == "region" and region.raw["country_code"] == code
    assert great_circle(region.point, town.point).km < 500  # Yakutia is 3 million km²


def test_a_divisions_english_name_leaves_a_citys_name_to_the_city(gaz: Gazetteer) -> None:
    """ "Kyiv Oblast" does not make the oblast "Kyiv": the capital keeps its name."""
    for city, oblast in (("Kyiv", "Kyivska oblast"), ("Moscow", "Moskovskaya oblast'")):
        readings = gaz.candidates(city)
        assert readings[0].feature_code == "PPLC"
        assert [c.name_type for c in readings if c.name == oblast] == ["alternate"]


def test_kurdistan_region_of_iraq_names_both() -> None:
    import geomap

    places = {p.name: p for p in geomap.parse("Drone attacks hit oil fields in the Kurdistan Region of Iraq.")}
    assert places["Kurdistan Region"].kind == "region" and places["Iraq"].kind == "country"


def test_a_region_drawn_as_a_label_strip_is_a_point_and_a_real_outline_stays(gaz: Gazetteer) -> None:
    """Natural Earth draws the Simpson Desert as a strip 2 km wide to carry its label: the
    gazetteer places it (in the desert's west) without an outline a map would draw as a sliver,
    while a region drawn as an area, such as the Alps, keeps its outline, and a range its strip
    along the crest (the Urals', past Yekaterinburg)."""
    simpson = gaz.geocode("Simpson Desert", geometry="geojson")
    assert simpson.raw["geometry"] is None and simpson.raw["bbox"] is None
    assert km((simpson.latitude, simpson.longitude), (-25.0, 136.5)) < 100
    alps = gaz.geocode("Alps", geometry="geojson")
    assert "Polygon" in alps.raw["geometry"]["type"]
    assert shape(alps.raw["geometry"]).contains(Point(7.66, 45.98))  # the Matterhorn
    urals = gaz.geocode("Ural Mountains", geometry="geojson")
    assert shape(urals.raw["geometry"]).distance(Point(60.61, 56.84)) < 0.5


@pytest.mark.parametrize(
    ("query", "country"), [("Jisr al-Shughur", "SY"), ("Maarat al-Numan", "SY"), ("Deir ez-Zor", "SY")]
)
def test_romanisations_of_an_arabic_name_meet(gaz: Gazetteer, query: str, country: str) -> None:
    """GeoNames writes "Jisr ash Shughur" and "Ma'arrat an Nu'man", the news "Jisr al-Shughur"
    and "Maarat al-Numan": the article as "al" whatever letter it takes, doubled letters single."""
    loc = gaz.geocode(query, exactly_one=True)
    assert isinstance(loc, Location) and loc.raw["kind"] == "city" and loc.raw["country_code"] == country
