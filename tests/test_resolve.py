"""Resolution in context, on the real gazetteer: the same name, different places."""

from __future__ import annotations

import pytest
from geopy.distance import great_circle

import geomap


def resolved(text: str, name: str) -> geomap.Place:
    places = geomap.parse(text)
    return next(p for p in places if any(m.name == name for m in p.mentions))


@pytest.mark.parametrize(
    ("text", "name", "kind", "country", "admin1_or_name"),
    [
        # A state that contains the article's other places, not the country.
        ("Police in Atlanta and Savannah said storms hit Georgia overnight.", "Georgia", "region", "US", "Georgia"),
        # The country when the article is about its neighbours.
        ("Russia and Georgia fought over South Ossetia near Tbilisi.", "Georgia", "country", "GE", "Georgia"),
        # A state of 39 million people, not the town of 6,600 in Pennsylvania.
        ("Pistachios from California were recalled in Ohio and Texas.", "California", "region", "US", "California"),
        # Capitals mean the acronym: the European Union, not Eu in Normandy.
        ("France and Germany asked the EU for aid.", "EU", "continent", None, "Europe"),
        # A bare "Ohio" is the state; "the Ohio River" is the river.
        ("Farmers in Ohio and Indiana lost crops.", "Ohio", "region", "US", "Ohio"),
        ("Barges moved down the Ohio River past Cincinnati.", "Ohio", "river", None, "Ohio"),
        # The namesake city before the region named after it.
        ("Fighters left Raqqa for Deir ez-Zor.", "Raqqa", "city", "SY", None),
        # A town in a state the article names, over a bigger namesake elsewhere...
        ("Police in Paris said Tennessee roads were closed.", "Paris", "city", "US", "Tennessee"),
        ("The mayor of Athens said Ohio would pay for the bridge.", "Athens", "city", "US", "Ohio"),
        # A state named by its abbreviation counts as named: Charleston, West Virginia, not South Carolina.
        ("Police in Charleston arrested two men, W.Va. officials said.", "Charleston", "city", "US", "West Virginia"),
        # "Name, Container" where the container is a state's abbreviation: Kentucky, not the Cayman Islands (KY).
        ("Students in Georgetown, Ky., went back to class.", "Georgetown", "city", "US", "Kentucky"),
        # ... weighed against the other states named: Atlanta, Georgia, not Atlanta, Texas.
        ("Flights from Atlanta reached Texas as Georgia braced for storms.", "Atlanta", "city", "US", "Georgia"),
        # A town and a county that lie together, though neither is the biggest of its name.
        ("Deputies from Henry County found the car outside Paris on Sunday.", "Paris", "city", "US", "Tennessee"),
        (
            "Deputies from Henry County found the car outside Paris on Sunday.",
            "Henry County",
            "region",
            "US",
            "Tennessee",
        ),
        # A state's own name in a list of states is the state, not a town of that name inside another.
        ("Recalls reached New York, Ohio, Florida and Texas.", "Florida", "region", "US", "Florida"),
        # "The Gulf" is the one near the article's places.
        ("Tankers crossed the Gulf from Kuwait to Qatar.", "Gulf", "sea", None, "Persian Gulf"),
        ("Shrimp boats from Louisiana and Texas fished the Gulf.", "Gulf", "sea", None, "Gulf of Mexico"),
        # Regions made of states or countries, not a town or a neighbourhood of their name.
        ("Wildfires spread along the West Coast from California to Oregon.", "West Coast", "region", "US", None),
        ("Diplomats from Iraq and Jordan met to discuss the Middle East.", "Middle East", "region", None, None),
        ("Storms over the Atlantic reached Bermuda.", "Atlantic", "sea", None, "Atlantic Ocean"),
        # A list names things of one level: the states, not towns named after them in Pennsylvania...
        *(
            ("Cases were reported in Georgia, Oklahoma, Pennsylvania, Wisconsin and California.", s, "region", "US", s)
            for s in ("California", "Oklahoma")
        ),
        # ... the countries, not villages in Iran or Japan; and in a list, Japan does not contain China.
        ("Officials in Armenia, Azerbaijan, Georgia, Iraq, Iran and Syria were warned.", "Iraq", "country", "IQ", None),
        ("Exports went to Mexico, China, Japan, Ukraine and Brazil.", "China", "country", "CN", None),
        # A province ten times its same-named city's size is what the name means; a capital is not outweighed.
        ("Smoke from wildfires in Quebec drifted south.", "Quebec", "region", "CA", "Quebec"),
        ("Ministers met in Washington and Ottawa on Friday.", "Washington", "city", "US", None),
        # A river's name alone after "the" finds the river indexed as "Delaware River", not the state...
        ("George Washington crossed the Delaware on Christmas night in 1776.", "Delaware", "river", None, "Delaware"),
        # ... or with a past-tense verb after it, as a river's doings are told...
        ("Anglers on the Shannon reported a strong salmon run in Limerick.", "Shannon", "river", None, "Shannon"),
        # ... while "the Delaware" qualifying a noun is still the state.
        ("Officials at the Delaware state capitol met in Dover.", "Delaware", "region", "US", "Delaware"),
        # A municipality named after its seat is the seat: the city of Belém, not the Brazilian ADM2 around it.
        ("Cargo barges that sail up the Amazon from Belém unload at Santarém in Pará.", "Belém", "city", "BR", None),
        # Another language's word for river: the Amazon's Rio Negro, not a Brazilian town; the province stays a province.
        (
            "The Rio Negro at Manaus fell to its lowest level since records began.",
            "Rio Negro",
            "river",
            None,
            "Rio Negro",
        ),
        ("The Rio Negro province in Argentina grows pears.", "Rio Negro", "region", "AR", None),
        # "The X" standing alone is no town's name: the range, not a town in Colombia.
        ("A plane carrying a rugby team crashed in the Andes in 1972.", "Andes", "other", None, "Andes"),
        # A feature word beside the name in lower case says what it is.
        ("The case was confirmed in the state of Washington.", "Washington", "region", "US", "Washington"),
        # ... while a list of towns with their states keeps each state as its town's container.
        (
            "Finalists: Denver, Louisville, Ky., New Haven, Conn., and Surprise, Ariz.",
            "New Haven",
            "city",
            "US",
            "Connecticut",
        ),
    ],
)
def test_context_chooses_the_place(
    text: str, name: str, kind: str, country: str | None, admin1_or_name: str | None
) -> None:
    place = resolved(text, name)
    assert place.kind == kind, (place.name, place.kind, place.country_code)
    if country:
        assert place.country_code == country
    if admin1_or_name:
        assert admin1_or_name in (place.name, place.admin1)
    assert 0 < place.confidence <= 1 and place.alternatives


def test_every_piece_of_evidence_has_a_weight_and_a_note_says_how_they_were_set() -> None:
    from geomap.resolve.evidence import CONTEXT, FEATURES, PRIOR, weights

    w = weights()
    assert len(w.prior) == len(PRIOR) and len(w.context) == len(CONTEXT) and len(FEATURES) == len(set(FEATURES))
    assert w.note and all(isinstance(x, float) for x in w.prior + w.context)


def _resolve_spans(text: str, *names: str) -> dict[str, geomap.Place]:
    """Resolve the given names' first occurrences as mentions, as another recogniser would hand them over."""
    from geomap.resolve.rank import resolve
    from geomap.text import split_sentences
    from geomap.tools.evaluate import gold_mention

    sentences = split_sentences(text)
    mentions = [gold_mention(text, text.index(n), text.index(n) + len(n), sentences) for n in names]
    places = resolve(mentions, geomap.default_gazetteer())
    return {m.text: p for p in places for m in p.mentions}


def test_a_name_no_source_knows_stands_for_the_place_its_name_contains() -> None:
    text = "Researchers at Colorado State University and the Bank of Japan met in Denver."
    found = _resolve_spans(text, "Colorado State University", "Bank of Japan", "Denver")
    assert (found["Colorado State University"].name, found["Colorado State University"].kind) == ("Colorado", "region")
    assert "does not know “Colorado State University”" in (found["Colorado State University"].note or "")
    assert found["Bank of Japan"].country_code == "JP" and found["Bank of Japan"].kind == "country"


def test_a_name_no_source_knows_may_contain_a_seas_short_name() -> None:
    """A sea is indexed as "Mediterranean Sea" and, by its other name, "Mediterranean": the
    short form inside an unknown name ("Eastern Mediterranean") is the sea, not a guess."""
    found = _resolve_spans("Gas fields in the Eastern Mediterranean drew Cyprus in.", "Eastern Mediterranean", "Cyprus")
    assert (found["Eastern Mediterranean"].name, found["Eastern Mediterranean"].kind) == ("Mediterranean Sea", "sea")


def test_a_list_may_name_its_items_with_the() -> None:
    from geomap.resolve.evidence import FEATURES
    from geomap.resolve.rank import weigh
    from geomap.text import split_sentences
    from geomap.tools.evaluate import gold_mention

    text = "Cases were reported in the United States, Canada, the United Kingdom, Spain and Japan."
    sentences = split_sentences(text)
    names = ("United States", "Canada", "United Kingdom", "Spain", "Japan")
    mentions = [gold_mention(text, text.index(n), text.index(n) + len(n), sentences) for n in names]
    canada = next(w for w in weigh(mentions, geomap.default_gazetteer()) if w.mentions[0].name == "Canada")
    assert canada.candidates[canada.choice].kind == "country"
    assert canada.features[canada.choice][FEATURES.index("list_peers")] == 1.0  # its four peers are countries


def test_names_listed_before_counties_are_counties() -> None:
    text = "Storms damaged homes in Douglas, Sarpy and Lancaster counties. Lancaster police closed roads."
    found = _resolve_spans(text, "Douglas", "Sarpy", "Lancaster")
    for name in ("Douglas", "Sarpy", "Lancaster"):
        place = found[name]
        assert (place.gazetteer_name, place.kind, place.admin1) == (f"{name} County", "region", "Nebraska"), place
    # A bare name elsewhere is not made a county: only the list before "counties" is.
    alone = _resolve_spans("Lancaster police closed roads in Lancaster.", "Lancaster")["Lancaster"]
    assert alone.kind == "city"


def test_a_street_or_building_no_source_knows_is_put_at_the_place_the_article_is_about() -> None:
    text = "Crowds filled Washington Drive and City Hall in Arlington, Texas, as Arlington celebrated."
    found = _resolve_spans(text, "Washington Drive", "City Hall", "Arlington", "Texas")
    arlington = found["Arlington"]
    assert arlington.admin1 == "Texas"
    for name in ("Washington Drive", "City Hall"):  # a street is named after Washington, not in it
        place = found[name]
        assert (place.lat, place.lon, place.parent, place.kind) == (arlington.lat, arlington.lon, arlington.id, "other")
        assert place.confidence < 0.5 and "the place the article is about" in (place.note or "")
    assert "Nowhere Lane" not in _resolve_spans("They met on Nowhere Lane.", "Nowhere Lane")  # no focus: no guess


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        # A river's name alone after "the" is the river, not the town or the country of that name...
        ("A passenger jet landed on the Hudson in January 2009.", "Hudson", "river"),
        ("Boats ferry goods along the Niger between Mopti and Timbuktu.", "Niger", "river"),
        ("Drought shrank the Zambezi at Victoria Falls to a trickle.", "Zambezi", "river"),
        # ... but not a name that qualifies a noun after "the".
        ("A judge heard the Ohio Department of Health on Monday.", "Ohio", "region"),
        # A name that says "lake" is the lake, not the town called after it.
        ("Villas on Lake Como sold for record prices.", "Lake Como", "lake"),
        # A dateline is the city the story was filed from, not the state.
        ("NEW YORK (AP) — Stocks closed higher on Friday.", "NEW YORK", "city"),
    ],
)
def test_the_sentence_or_the_name_says_what_kind_of_place(text: str, name: str, kind: str) -> None:
    assert resolved(text, name).kind == kind


def test_a_river_indexed_under_another_form_of_its_name_is_found() -> None:
    """ "Mackenzie River" is indexed for Queensland's, "Mackenzie" for Canada's: both are readings."""
    place = resolved("Ice roads across the Mackenzie River opened late this winter.", "Mackenzie River")
    assert place.kind == "river" and place.lat > 50


@pytest.mark.parametrize(
    ("text", "land"),
    [
        ("In Ohio, Dayton and Columbus issued warnings, and the Ohio River rose near Cincinnati.", "region"),
        ("Farmers in Mississippi watched the Mississippi River rise past Vicksburg.", "region"),
    ],
)
def test_a_river_named_with_its_word_is_not_the_land_of_the_same_name(text: str, land: str) -> None:
    """One name, two places: the word "River" says which mention is the river."""
    places = list(geomap.parse(text))
    kinds = sorted(p.kind for p in places if p.name in ("Ohio", "Mississippi"))
    assert kinds == sorted([land, "river"]), [(p.name, p.kind, len(p.mentions)) for p in places]


def test_st_is_saint_for_well_known_places() -> None:
    """ "St. Petersburg" is Russia's city of five million, whose own name is "Saint Petersburg",
    not Florida's of 260,000 named "St. Petersburg"; a small "Saint Thomas" elsewhere is no
    reading of Ontario's St. Thomas."""
    assert (
        resolved("The economic forum in St. Petersburg drew few Western guests.", "St. Petersburg").country_code == "RU"
    )
    assert resolved("Police in St. Thomas, Ontario, arrested two men.", "St. Thomas").country_code == "CA"


AID_STORY = (
    "Floods covered much of Sindh. Aid arrived from the United States. The UN appealed for funds "
    "in Geneva, and scientists in London blamed a warming climate."
)


@pytest.mark.parametrize(
    ("text", "name", "country", "admin1"),
    [
        # A country named once elsewhere in the story does not move a world city's name there...
        (AID_STORY, "London", "GB", None),
        (AID_STORY, "Geneva", "CH", None),
        # ... while its state does.
        ("Officials in London, Kentucky, said the river crested on Monday.", "London", "US", "Kentucky"),
        ("Kentucky declared an emergency as floods reached London and Corbin.", "London", "US", "Kentucky"),
    ],
)
def test_a_world_citys_namesake_needs_its_state_not_just_its_country(
    text: str, name: str, country: str, admin1: str | None
) -> None:
    place = resolved(text, name)
    assert place.country_code == country and admin1 in (None, place.admin1), (place.name, place.admin1)


@pytest.mark.parametrize(
    ("text", "name", "kind", "country"),
    [
        # Beside a point: the city, not the state or department of its name that holds it...
        ("Campinas, outside São Paulo, is becoming a technology hub.", "São Paulo", "city", "BR"),
        ("Soy farmers near Santa Cruz, Bolivia, blocked the highways.", "Santa Cruz", "city", "BO"),
        # ... while without such a word the state that holds the article's other places stays,
        ("Campinas and Santos are the largest cities in São Paulo.", "São Paulo", "region", "BR"),
        # and "near the X border" speaks of the state's edge.
        ("The crash happened in West Stockbridge near the New York border.", "New York", "region", "US"),
    ],
)
def test_near_or_outside_a_name_means_its_city(text: str, name: str, kind: str, country: str) -> None:
    place = resolved(text, name)
    assert (place.kind, place.country_code) == (kind, country), (place.name, place.admin1)


def test_a_town_whose_own_name_has_the_is_still_a_town_after_the() -> None:
    assert resolved("Judges in the Hague ruled on Monday.", "Hague").kind == "city"


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Lombardy was the first region of Europe to lock down in 2020.", "Lombardy", "IT"),
        ("Catalonia held an independence referendum in 2017.", "Catalonia", "ES"),
        ("Politicians in Flanders and Wallonia disagree on the budget.", "Wallonia", "BE"),
    ],
)
def test_a_division_named_in_english_is_found(text: str, name: str, country: str) -> None:
    """GeoNames has these English names only among the division's alternates."""
    place = resolved(text, name)
    assert (place.kind, place.country_code) == ("region", country)


def test_irish_counties_in_a_list_are_the_counties() -> None:
    """'County X' is the form Irish news uses; the second item of the list needs no more evidence."""
    text = "Storms flooded roads in County Mayo and County Kerry on Tuesday."
    for name in ("County Mayo", "County Kerry"):
        place = resolved(text, name)
        assert (place.kind, place.country_code) == ("region", "IE")


@pytest.mark.parametrize(
    ("text", "name", "lat", "lon"),
    [
        ("Climbers died on Mount Hood on Tuesday.", "Mount Hood", 45.37, -121.70),
        ("Ash from Popocatépetl closed Mexico City's airport.", "Popocatépetl", 19.02, -98.63),
        ("Mount Etna erupted again, closing Catania airport.", "Mount Etna", 37.75, 14.99),
    ],
)
def test_a_peak_is_placed_at_its_summit(text: str, name: str, lat: float, lon: float) -> None:
    place = resolved(text, name)
    assert place.kind == "other"
    assert great_circle((place.lat, place.lon), (lat, lon)).km < 15


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("He was born in the Soviet Union in 1950.", "Soviet Union"),
        ("Athletes from the USSR won gold in 1980.", "Soviet Union"),
        ("Refugees fled the former Yugoslavia in the 1990s.", "Yugoslavia"),
        ("Czechoslovakia split peacefully in 1993.", "Czechoslovakia"),
    ],
)
def test_a_country_that_was_is_found(text: str, name: str) -> None:
    place = next(p for p in geomap.parse(text) if p.gazetteer_name == name)
    assert place.kind == "region"


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("The Tiber burst its banks in central Rome.", "Tiber", "river"),
        ("Ships were stuck on the St. Lawrence after a lock failed.", "St. Lawrence", "river"),
        ("Typhoon rains swelled the Pearl River in Guangzhou.", "Pearl River", "river"),
        ("An earthquake shook villages in the Apennines.", "Apennines", "other"),
        ("Explorers crossed the Empty Quarter on camels.", "Empty Quarter", "other"),
    ],
)
def test_english_names_of_natural_features_are_found(text: str, name: str, kind: str) -> None:
    place = resolved(text, name)
    assert place.kind == kind and place.id.startswith("ne:"), (place.name, place.id)


def test_english_counties_are_named_bare_as_states_are() -> None:
    """News names England's counties bare ("storms hit Kent and Norfolk"): they rank as regions,
    not below the towns of their names in Ohio, Virginia or Ontario."""
    text = "Storm Ciaran brought gales to Cornwall and Devon; flood warnings were issued in Kent and Norfolk."
    for name in ("Cornwall", "Devon", "Kent", "Norfolk"):
        place = resolved(text, name)
        assert place.country_code == "GB" and place.kind == "region", (name, place)


def test_a_region_named_by_directions_is_a_part_of_the_articles_country() -> None:
    """ "The South West" of a story about Devon is not Cameroon's South-West region, which a
    story about Cameroon does mean."""
    uk = {p.name: p for p in geomap.parse("Gales closed schools across the South West; in Exeter, Devon, trees fell.")}
    assert "South West" not in uk or uk["South West"].country_code == "GB"
    cameroon = resolved("Heavy rain hit Cameroon's North West and South West regions.", "South West")
    assert cameroon.country_code == "CM" and cameroon.kind == "region"


def test_a_town_whose_name_ends_in_a_landform_takes_the() -> None:
    """ "The Gold Coast" of a story about Queensland is the city, not Ghana's old coast: a town
    is not "the X" alone, unless its name ends in a landform's word, as "Coast" is."""
    place = resolved("In Queensland, Brisbane and the Gold Coast braced for more rain.", "Gold Coast")
    assert place.country_code == "AU" and place.kind == "city"
