"""Labels in the article's words: the label, `geomap places` and GeoJSON use the form the
article uses most; the gazetteer's own name is kept beside it and shown in the popup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import geomap
from geomap.maps.export import render_document
from geomap.maps.popup import popup_html
from geomap.maps.render import make_map
from geomap.model import Article, Candidate, Mention, Place, Sentence
from geomap.resolve.labels import article_forms, label, place_label
from geomap.tools.project import Correction, apply_corrections


def _mentions(text: str, *names: str) -> list[Mention]:
    sentence = Sentence(0, len(text), text)
    out, pos = [], 0
    for name in names:
        start = text.index(name, pos)
        out.append(Mention(name, start, start + len(name), name, sentence))
        pos = start + len(name)
    return out


RAQQAH = Candidate("geonames:163915", "Ar Raqqah", "city", 35.95, 39.01, "SY", "Syria", matched="raqqa")


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("Raqqa fell. Ar-Raqqah and Raqqa.", ("Raqqa", "Ar-Raqqah", "Raqqa"), "Raqqa"),  # the most used
        ("Ar-Raqqah fell. Raqqa too.", ("Ar-Raqqah", "Raqqa"), "Ar-Raqqah"),  # a tie: the first used
        ("Raqqa, RAQQA and Raqqah.", ("Raqqa", "RAQQA", "Raqqah"), "Raqqa"),  # case does not split a form
        ("RAQQA (Reuters) - ", ("RAQQA",), "Raqqa"),  # a dateline's capitals are not the article's case
        ("Raqqa’s streets", ("Raqqa’s",), "Raqqa"),  # a possessive is not part of the name
        ("AR RAQQAH (AP) - ", ("AR RAQQAH",), "Ar Raqqah"),  # in capitals only: the gazetteer's case
    ],
)
def test_the_label_is_the_form_the_article_uses_most(text: str, names: tuple[str, ...], expected: str) -> None:
    assert place_label(_mentions(text, *names), RAQQAH) == expected


def test_abbreviations_demonyms_and_generic_words_are_not_labels_and_bare_names_take_the_generic_word() -> None:
    text = "The U.S. and the US, UK and Iraqi forces on the Gulf and the Baltic."
    us = Candidate("geonames:6252001", "United States", "country", 39.8, -98.6, "US", name_type="abbreviation")
    assert article_forms(_mentions(text, "U.S.", "US"), us) == []
    assert place_label(_mentions(text, "U.S.", "US"), us) == "United States"
    uk = Candidate("geonames:2635167", "United Kingdom", "country", 54.8, -2.7, "GB", name_type="alternate")
    assert place_label(_mentions(text, "UK"), uk) == "United Kingdom"  # an acronym, however it matched
    iraq = Candidate("geonames:99237", "Iraq", "country", 33.0, 44.0, "IQ", name_type="demonym")
    assert place_label(_mentions(text, "Iraqi"), iraq) == "Iraq"
    gulf = Candidate("geomap:sea:1", "Persian Gulf", "sea", 27.0, 51.0, name_type="alternate")
    assert place_label(_mentions(text, "Gulf"), gulf) == "Persian Gulf"
    baltic = Candidate("geomap:sea:2", "Baltic Sea", "sea", 58.5, 20.0, name_type="alternate")
    assert place_label(_mentions(text, "Baltic"), baltic) == "Baltic Sea"
    saint = Candidate("geonames:6324733", "St. John's", "city", 47.56, -52.71, "CA", matched="st johns")
    assert label([("St. John's", 0)], saint) == "St. John's"  # the possessive that is the name's own stays


def test_mosul_places_are_named_as_the_article_names_them() -> None:
    article = geomap.read(Path(__file__).resolve().parent.parent / "data" / "articles" / "mosul.txt")
    places = {p.name: p for p in geomap.parse(article)}
    assert places["Raqqa"].gazetteer_name == "Ar Raqqah" and "Ar Raqqah" not in places
    assert places["United States"].gazetteer_name == "United States"  # "US" and "U.S." only: no label form
    assert {"East Mosul", "West Mosul", "Old City of Mosul"} <= set(places)
    assert places["East Mosul"].gazetteer_name is None  # a part of a city is no gazetteer's place
    popup = popup_html(places["Raqqa"])
    assert "<h3>Raqqa</h3>" in popup and "Ar Raqqah in the gazetteer" in popup
    assert "in the gazetteer" not in popup_html(places["Mosul"])  # the same name: said once
    features = json.loads(
        render_document(make_map(list(places.values()), tiles=None), list(places.values()), "geojson")
    )
    raqqa = next(f for f in features["features"] if f["properties"]["name"] == "Raqqa")
    assert raqqa["properties"]["gazetteer_name"] == "Ar Raqqah"


@pytest.mark.parametrize(
    ("text", "label_", "gazetteer"),
    [
        ("Militants were driven out of Tikrit, and Tikrit's mayor returned.", "Tikrit", "Tikrīt"),
        ("Snow closed roads in Himachal Pradesh.", "Himachal Pradesh", "Himāchal Pradesh"),
        ("Aid trucks waited at Rafah on the border.", "Rafah", "Rafaḩ"),
    ],
)
def test_the_article_spelling_wins_over_the_gazetteer_transliteration(text: str, label_: str, gazetteer: str) -> None:
    (place,) = [p for p in geomap.parse(text) if p.gazetteer_name == gazetteer]
    assert place.name == label_


def test_a_correction_adds_a_place_by_its_name_and_a_pin_keeps_the_article_label() -> None:
    text = "Fighting moved from Raqqa towards the Euphrates."
    article = Article(text=text)
    places = geomap.parse(article)
    gazetteer = geomap.default_gazetteer()
    fixed = apply_corrections(
        places, [Correction("add", "Baghdad"), Correction("add", "Raqqah"), Correction("pin", "Raqqa", 35.95, 39.02)],
        article, gazetteer,
    )  # fmt: skip
    by_name = {p.name: p for p in fixed}
    assert by_name["Baghdad"].gazetteer_name == "Baghdad" and by_name["Baghdad"].mentions == ()
    assert by_name["Raqqa"].gazetteer_name == "Ar Raqqah" and by_name["Raqqa"].lon == 39.02
    assert isinstance(by_name["Raqqa"], Place) and "Raqqah" not in by_name  # the add found it on the map
