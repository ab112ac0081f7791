"""Recognition rules on the real gazetteer: what is read as a place, with which span."""

from __future__ import annotations

import pytest

import geomap
from geomap import default_gazetteer
from geomap.recognize.rules import find_mentions


def spans(text: str) -> list[str]:
    return [m.text for m in find_mentions(text, default_gazetteer()) if not m.demonym]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WASHINGTON (Reuters) - The Senate voted on Tuesday.", ["WASHINGTON"]),
        ("BAGHDAD — Iraqi forces advanced.", ["BAGHDAD"]),
        ("He lives in Corbin, Ky. with his wife.", ["Corbin", "Ky."]),
        ("A man from Charleston, W.Va., said so.", ["Charleston", "W.Va."]),
        ("Fires burn in B.C. and NSW this week.", ["B.C.", "NSW"]),
        ("Officials in Laurel County said the road was closed.", ["Laurel County"]),
        ("The EU and the U.S. disagreed.", ["EU", "U.S."]),
        ("Side by Side is St. Petersburg's first film festival.", ["St. Petersburg"]),
        ("Sachs of Lexington and James Tauber of Alexandria were driving.", ["Lexington", "Alexandria"]),
        ("They had plans to leave Paris on Saturday.", ["Paris"]),
        ("Georgia Arrests Opposition Members on Arms Charges", ["Georgia"]),
        ("Iraqi forces retook Mosul-based units.", ["Mosul"]),
        # A title opens a person's name, unless the name is a place's own ("King County", "St. Thomas").
        ("President Barack Obama visited Ohio. Obama said the plan works.", ["Ohio"]),
        (
            "King County and General Santos sent aid; St. Thomas police agreed.",
            ["King County", "General Santos", "St. Thomas"],
        ),
        # A lower-case noun after a name says where, and so does a public body; another organisation does not.
        ("Charleston police were called to a Gainesville hospital.", ["Charleston", "Gainesville"]),
        ("Gainesville Police Department officers met Britain's envoy.", ["Gainesville", "Britain"]),
        ("Gainesville Chamber Orchestra players met Britain's envoy.", ["Britain"]),
        # Seas and regions of several countries, also by their short names after "the".
        ("Storms over the Atlantic and the Gulf reached the Middle East.", ["Atlantic", "Gulf", "Middle East"]),
        ("Ships sailed the Caspian sea to the Balkans.", ["Caspian sea", "Balkans"]),
    ],
)
def test_abbreviations_datelines_and_counties_are_places(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The temple was built in 300 BC by the king.",  # an era, not British Columbia
        "NASA and ISIS were in the news.",  # acronyms that spell no place here
        "Veterans of the Gulf War met the Atlantic Council.",  # named after a sea, not the sea
        "Atlantic and Gulf shares fell.",  # common words with no "the": not the seas
        "Ky officials did not answer.",  # an abbreviation needs its dot
        "On Thursday in March the talks resumed.",  # weekdays and months
        "Andy Trapani is a producer. Trapani said the film was done.",  # a surname, then a speaker
        "Robertson said the council met. The report was read by Ford.",
        "The crowd gathered for St Patrick's Day in the square.",  # a saint, not Patrick
        "REUTERS/ Alaa Al-Marjani took the photo.",  # a name and an Arabic article
        "The White House and the Red Cross commented on El Niño.",
        "Tests for the Reston virus and Marburg fever came back.",
        "The Canadian Food Inspection Agency issued a recall.",  # a demonym, not Canadian, Texas
        "Two Marines were killed; the Marines said the base was secure.",  # a plural of a word, mid-sentence too
        "Hurricane Milton weakened; Typhoon Haiyan was worse.",  # a storm's name
        "Mass was said in St. Peter's Square and at St. Mary's Hospital.",  # what a saint's name names
    ],
)
def test_words_that_only_look_like_places(text: str) -> None:
    assert spans(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A significant place whose name is also a word or a surname, with locative evidence.
        ("The foreign minister flew to Berlin on Monday.", ["Berlin"]),
        ("Talks in Warsaw ended on Friday.", ["Warsaw"]),
        ("Barges moved slowly along the Rhine; floods hit towns on the Thames.", ["Rhine", "Thames"]),
        ("Temperatures in Phoenix reached 45 degrees.", ["Phoenix"]),
        ("A Berlin-based company said Warsaw's mayor resigned.", ["Berlin", "Warsaw"]),
        ("BERLIN (Reuters) - The talks failed.", ["BERLIN"]),
        ("DOHA, Qatar (AP) — Negotiators met again.", ["DOHA", "Qatar"]),  # a short dateline, with its country
        ("Refugees settled north of Amman; floodwaters reached central Bangkok.", ["Amman", "central Bangkok"]),
        ("Michigan and Wisconsin decide close elections.", ["Michigan", "Wisconsin"]),  # a list of places
        ("The Rhine rose to flood level at Cologne.", ["Rhine", "Cologne"]),  # a river's name after "the"
        ("Pilgrims were baptised in the Jordan River.", ["Jordan River"]),  # a first name, but a river's
        ("Tourists lined up outside Xi'an.", ["Xi'an"]),  # an apostrophe inside a name
        ("Residents of Barcelona marched; typhoon winds battered Manila.", ["Barcelona", "Manila"]),
        ("Milan and Cortina d'Ampezzo hosted the games.", ["Milan", "Cortina d'Ampezzo"]),
        ("ST. PAUL -- No matter how frustrating taxes get, pay them.", ["ST. PAUL"]),
        ("Villages in the Salinas Valley flooded.", ["Salinas Valley"]),  # a natural feature's word in capitals
        ("Brown bears roam the Carpathians in Romania.", ["Carpathians", "Romania"]),  # a range's short name
        ("The snowpack in California's Sierra Nevada is deep.", ["California", "Sierra Nevada"]),  # no person
        ("An Albany man was held.", ["Albany"]),  # an English article, not an Arabic one
        ("Fans in Tokyo grinned as Brussels frowned on the plan.", ["Tokyo", "Brussels"]),  # acts of people and places
        ("Tourists returned to Sharm el-Sheikh; troops entered Deir ez-Zor.", ["Sharm el-Sheikh", "Deir ez-Zor"]),
        ("Rebels fought in Jisr al-Shughur and troops arrived in al-Qaim.", ["Jisr al-Shughur", "al-Qaim"]),
        ("Rebels pushed into Maarat al-Numan and Jisr al-Shughur.", ["Maarat al-Numan", "Jisr al-Shughur"]),  # a list
        ("Hotels in Acapulco and Rio were full.", ["Acapulco", "Rio"]),  # a city's name before its "de ..."
        (
            "Tourists visited Hurricane, Utah, and St. Petersburg's Palace Square.",
            ["Hurricane", "Utah", "St. Petersburg"],
        ),
        ("Fighters loyal to al-Qaeda attacked a checkpoint.", []),  # an Arabic article opens no place by itself
    ],
)
def test_significant_places_with_locative_evidence(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Paris Hilton arrived at the party.",  # a first name before a surname
        "Denzel Washington returned to the stage.",  # a first name of the world-wide list
        "In the series, Tokyo narrates the heist.",  # does what only a person does
        "Gen. Jordan Hill spoke to reporters.",  # a title before the name
        "Elizabeth Fairfield denied it. Fairfield's lawyers appealed.",  # a person in this article
        "Nancy's restaurant burned down.",  # a first name's possessive
        "We put every Lincoln-headed cent into it.",  # a hyphen that places nothing
        "A Justice of the Peace heard the case.",  # "of" relates, it does not place
        "Students at Colorado State University protested.",  # "at" is about the longer name
        "The Phoenix Suns won again.",  # a common word that begins a longer name
        "Tennessee Williams wrote plays; fans of Jack London met him.",  # a surname after, a first name before
        "The event was organised by Ezra Levant's company.",  # a possessive inside a longer name
        "We're starting over again up there.",  # a contraction, not "Were"
    ],
)
def test_significant_names_that_are_something_else_here(text: str) -> None:
    assert spans(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Fans of the Denver Nuggets waited outside the arena on Monday night.",  # a team
        "The Tampa Bay Buccaneers won on Sunday.",  # a team after a place and its landform
        "Shares of Tokyo Electron jumped after the company raised its forecast.",  # a company
        "Shares of Amazon rose after the company opened a warehouse.",  # a company after "Shares of"
        "FC Porto won the league for the third time in five years.",  # a club's prefix
        "Air India cancelled dozens of flights because of a shortage of pilots.",
        "The Bank of Canada held its key interest rate at five percent on Wednesday.",  # "X of Place"
        "The Geneva Conventions protect prisoners of war and the wounded.",  # treaties
        "The Montreal Protocol phased out most of the gases that were destroying the ozone layer.",
        "The Boston Marathon drew more than 30,000 runners this year.",  # an event
    ],
)
def test_a_place_that_only_names_something_else_is_not_mapped(text: str) -> None:
    """A team, company, treaty or event named after a place does not put the place on the map."""
    assert spans(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Beside a literal mention, the associative one counts as the same place's.
        (
            "The Denver Nuggets beat the Lakers on Monday night, and fans in Denver celebrated downtown.",
            ["Denver", "Denver"],
        ),
        ("The Bank of Canada said the economy of Canada was slowing down.", ["Canada", "Canada"]),
        # A public body, a public office, a party's member or a school of the place says where.
        ("Officers of the Boston Police Department arrested two men on Friday.", ["Boston"]),
        ("Officers from the Lodi Police Department arrested him on a warrant.", ["Lodi"]),
        ("The Ohio Department of Health reported 200 new cases of measles.", ["Ohio"]),
        ("The Tulsa City Council voted 7-2 to approve the new budget.", ["Tulsa"]),
        ("A Nevada Democrat introduced the bill in the state senate last week.", ["Nevada"]),
        ("Alberta Energy Minister Sonya Savage spoke first at the hearing in the morning.", ["Alberta"]),
        ("Students at Calgary Central High School walked out on Monday.", ["Calgary"]),
        ("Patients were flown to Denver Health Medical Center after the crash.", ["Denver"]),
        # A feature's word makes a longer place name, a hyphen's suffix ends the name.
        ("Seattle-based Amazon told its staff to return to the office.", ["Seattle"]),
    ],
)
def test_associated_places_count_where_the_article_says_where(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A compound noun that a dictionary lists as a food, animal or garment names no place.
        ("The restaurant is famous for its Buffalo wings and cold beer.", []),
        ("Ice storms knocked out power across Buffalo on Tuesday night.", ["Buffalo"]),
        ("He wore Bermuda shorts and a Panama hat to the wedding.", []),
        ("Officials in Bermuda and Panama signed the tax treaty.", ["Bermuda", "Panama"]),
        ("She grows Jerusalem artichokes and Brussels sprouts in her garden.", []),
        ("Canada geese flew over the lake on their way south.", []),
        # A food named by where it comes from, without a dictionary entry, is the place's.
        ("Prices of California produce rose after the drought.", ["California"]),
        ("Sandstorms turned the sky over Beijing orange on Thursday.", ["Beijing"]),
    ],
)
def test_things_named_after_places(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A match's result in a sentence with a score, "scored for": teams.
        ("Leeds drew 2-2 with Hull at the weekend.", []),
        ("Everton beat Bristol 3-1 in the cup on Tuesday night.", []),
        ("The striker scored for Bristol in the last minute.", []),
        ("Germany beat France 2-1 in Munich on Tuesday.", ["Munich"]),
        ("Fans in Leeds celebrated after Leeds beat Hull 2-0.", ["Leeds", "Leeds"]),
        ("Voters in Ohio approved the measure 55-45.", ["Ohio"]),
        # What a company does: recalls, job cuts, results, shares.
        ("Hitachi recalled 200,000 laptop batteries.", []),
        ("Hitachi will cut about 3,000 jobs in Europe.", ["Europe"]),
        ("Hitachi reported record quarterly profits.", []),
        ("Hitachi shares fell 4% in early trading.", []),
        ("Hitachi opened a new factory in 2019.", ["Hitachi"]),
        ("The plant in Hitachi reopened on Monday. Hitachi reported record quarterly profits.", ["Hitachi", "Hitachi"]),
        # A government's acts are no company's.
        ("China reported 300 new cases on Monday.", ["China"]),
        ("Russia invaded Ukraine in 2022.", ["Russia", "Ukraine"]),
    ],
)
def test_places_named_as_teams_and_companies(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A place's name as a common noun: a determiner no place takes, and no noun after it...
        ("The scandal proved to be his Waterloo.", []),
        ("The town has become a Mecca for surfers.", []),
        # ... unlike a name that qualifies a noun, or a container after it.
        ("An Ohio man was arrested in Dayton.", ["Ohio", "Dayton"]),
        ("Pilgrims travelled to Mecca for the hajj.", ["Mecca"]),
        ("A Denison, Iowa-based firm won the contract.", ["Denison", "Iowa"]),
        # A name that ends in "Jr." is a person's.
        ("Cuba Gooding Jr. won an Oscar for Jerry Maguire.", []),
        # "St." is "Saint": a country GeoNames names "Saint Lucia".
        ("Tourism officials in Castries, St. Lucia, announced a new airport terminal.", ["Castries", "St. Lucia"]),
    ],
)
def test_places_named_as_common_nouns_and_in_persons_names(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A sentence full of names is no headline when a lower-case verb stands among them: its
        # capitals join words into names ("Kansas City Chiefs" is a team's).
        ("The Kansas City Chiefs won the Super Bowl in Las Vegas.", ["Las Vegas"]),
        ("Fans of the Kansas City Chiefs gathered in Kansas City on Sunday.", ["Kansas City", "Kansas City"]),
        # A comma supports a name as a place only before a place's name ("Earth, Texas").
        ("The singer toured with Earth, Wind & Fire last year.", []),
        ("He grew up in Earth, Texas, a town of 1,000.", ["Earth", "Texas"]),
        # A title-case abbreviation is a word, not the abbreviation ("Car" is no CAR).
        ("Car workers in Detroit went on strike.", ["Detroit"]),
        # Two small places' names that are no words, run into one name, are no place ("Boko Haram"); a word
        # may begin a public body's name, and a significant place after another is its container.
        ("Boko Haram fighters attacked a village in Borno state.", ["Borno state"]),
        ("Officers of the New London Police Department made the arrest.", ["New London"]),
        # A small place's name that WordNet knows only as a common noun or a people needs evidence, as a word
        # does; so does a word's plural opening a sentence.
        ("Rugby fans packed the streets of Suva.", ["Suva"]),
        ("Fans in Rugby celebrated the win.", ["Rugby"]),
        ("Foreign ministers from six Arab states met in Manama.", ["Manama"]),
        ("He was born in Arab, Alabama.", ["Arab", "Alabama"]),
        ("Villas on Lake Como sold for record prices.", ["Lake Como"]),
        ("Police in Villas, New Jersey, said so.", ["Villas", "New Jersey"]),
    ],
)
def test_what_the_sentence_says_the_name_is(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A food's, a drink's or a thing's head after the name, or a measure of it before the name.
        ("Dubai chocolate bars sold out within hours.", []),
        ("She flew to Dubai on Monday.", ["Dubai"]),
        ("A jar of Dijon mustard now costs twice as much.", []),
        ("He ordered a Moscow mule at the bar.", []),
        ("A can of Arizona iced tea still costs 99 cents.", []),
        ("The Oxford comma divides editors.", []),
        ("A case of 1982 Bordeaux sold for 30,000 pounds.", []),
        ("There were floods in Bordeaux on Sunday.", ["Bordeaux"]),
        ("In the case of Ukraine, sanctions followed.", ["Ukraine"]),
        ("Aerial shots of Gaza showed the destruction.", ["Gaza"]),
        # A common noun before the name says what it names; not before a country, which may open a clause.
        ("The band Chicago toured with Earth, Wind & Fire.", []),
        ("Chicago police said two men were arrested.", ["Chicago"]),
        ("The film China banned was shown in Paris.", ["China", "Paris"]),
        ("It is the company Washington blacklisted last year.", ["Washington"]),
        # A maker before a town's name: a product.
        ("The Hyundai Tucson was the brand's best-selling model.", []),
        ("Apple released macOS Sonoma on Tuesday.", []),
        # A town takes no "the" unless its name has one.
        ("Chevrolet stopped making the Malibu in 2024.", []),
        ("Wildfires forced evacuations in Malibu on Tuesday.", ["Malibu"]),
        ("Delegates met in the Hague on Monday.", ["Hague"]),
        # A work's title after a verb of making or a staging; an animal; a programming language.
        ("Washington Irving wrote The Legend of Sleepy Hollow in 1820.", []),
        ("She starred in a new production of Othello.", []),
        ("The economic performance of China worried investors.", ["China"]),
        ("A Chihuahua named Pearl is the world's smallest dog.", []),
        ("Her black Labrador found the missing hiker.", []),
        ("They spent a golden Ohio afternoon by the lake.", ["Ohio"]),
        ("The program is written in Java.", []),
        ("The ferry sank in the Java Sea.", ["Java Sea"]),
    ],
)
def test_names_of_things_works_and_animals(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An airline's or a school's name: a direction's adjective after a place's name.
        ("A China Eastern jet crashed in Guangxi in March 2022.", ["Guangxi"]),
        ("Sri Lanka's Eastern Province was flooded.", ["Sri Lanka", "Eastern Province"]),
        # An agreement named after where it was signed.
        ("The Minsk agreements failed to end the war.", []),
        ("Minsk said on Monday that talks would resume.", ["Minsk"]),
        # A film, a show, a band, a tournament.
        ("Casablanca was screened at the festival.", []),
        ("Canada screened 10,000 refugees.", ["Canada"]),
        ("Washington aired its grievances on Monday.", ["Washington"]),
        ("Fargo returns for a sixth season.", []),
        ("Floods hit homes in Fargo, North Dakota.", ["Fargo", "North Dakota"]),
        ("Kansas played Carry On Wayward Son at the show.", []),
        ("Chicago played host to the summit.", ["Chicago"]),
        ("She won Wimbledon in 2019.", []),
        ("Several players from Wimbledon won the cup.", ["Wimbledon"]),
        # What a company has or does; a country has suppliers, a state a founder.
        ("Toyota's suppliers reported a shortage of chips.", []),
        ("Russia's suppliers of drones were sanctioned.", ["Russia"]),
        ("Patagonia's founder gave the company away.", []),
        ("Pakistan's founder Muhammad Ali Jinnah died in Karachi.", ["Pakistan", "Karachi"]),
        ("Hudson's Bay closed all of its stores in 2025.", []),
        ("Victoria's Secret shares fell after the results.", []),
        ("Russia's Putin recalled his ambassador from Paris.", ["Russia", "Paris"]),
        ("Japan's Toyota reported record profits.", ["Japan"]),
        # The other side of a match's result from a team's name is a team; not between places.
        ("Real Madrid beat Bayern Munich in the semi-final.", []),
        ("Georgia Tech beat Clemson on Saturday.", []),
        ("Russia beat Sweden at Poltava in 1709.", ["Russia", "Sweden", "Poltava"]),
        ("Germany played France in the final in Berlin.", ["Berlin"]),
    ],
)
def test_teams_companies_works_and_agreements_named_after_places(text: str, expected: list[str]) -> None:
    """Associations: they put the place on the map only where the article also names it."""
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # A direction qualifies the name after it, on its line or across a wrapped line...
        ("Fighting raged in east\nMosul on Monday.", {"Mosul", "East Mosul"}),
        # ... but not a headline's last word over the dateline below it, nor the tail of a longer word.
        (
            "Quebec fires send smoke south\n\nMONTREAL — Wildfires burned near Chibougamau.",
            {"Quebec", "Montréal", "Chibougamau"},
        ),
    ],
)
def test_a_direction_before_a_name_is_a_word_on_the_same_or_previous_line(text: str, names: set[str]) -> None:
    assert {p.name for p in geomap.parse(text)} == names
