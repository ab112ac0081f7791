"""Boilerplate is not the article: appeals, sign-ups, bylines, footers and lists of other
stories are removed from text and HTML before recognition, and the story is kept whole."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

import geomap
from geomap.fsutil import package_data
from geomap.model import Article
from geomap.source.clean import Cues, clean
from geomap.source.read import from_text, read

DATA = Path(__file__).resolve().parent / "data"
MOSUL = DATA.parent.parent / "data" / "articles" / "mosul.txt"
STORY = [
    "Heavy monsoon rain has cut off much of Sylhet, in north-eastern Bangladesh, where rivers burst their banks",
    "Officials in Dhaka said more than two million people were stranded",
    "The Surma river rose above its danger mark near Sunamganj",
    "In neighbouring India, the state of Assam reported landslides around Guwahati.",
    '"We have never seen water rise this fast," said a shopkeeper in Sylhet.',
]
STORY_PLACES = {"Bangladesh", "Sylhet", "Dhaka", "Sunamganj", "India", "Assam", "Guwahati"}


@pytest.mark.parametrize("page", ["floods-semantic.html", "floods-plain.html", "floods.txt"])
def test_a_page_keeps_its_story_and_maps_only_the_story_places(page: str) -> None:
    """The same story in a page with semantic markup, in one of anonymous <div>s, and as text
    copied from a browser: the footer's London, New York and Nairobi, the appeal's Toronto, the
    related headlines' Athens and Lagos and the newsletter's Paris and Tokyo are not mapped."""
    article = read(DATA / "pages" / page)
    assert article.title == "Floods cut off northern Bangladesh"
    text = " ".join(article.text.split())
    for paragraph in STORY:
        assert paragraph in text
    for furniture in ("Okafor", "Main Street", "Copyright", "©", "contribution", "Athens", "inbox", "Support"):
        assert furniture not in text
    assert {p.name for p in geomap.parse(article)} == STORY_PLACES


def test_mosul_the_united_states_comes_from_the_story_not_the_appeal() -> None:
    article = read(MOSUL)
    assert "we love America" not in article.text and "America needs solid reporters" not in article.text
    assert "All content created by the Daily Caller" not in article.text and "Neil Patel" not in article.text
    assert "Russ Read Pentagon/Foreign Policy Reporter" not in article.text  # the byline
    assert article.text.rstrip().endswith("engage in attacks in Western countries.")  # the story's last sentence
    places = {p.name: p for p in geomap.parse(article)}
    assert [m.text for m in places["United States"].mentions] == ["US", "U.S.", "U.S."]
    assert len(places["United States"].mentions) <= len(places["Mosul"].mentions)  # so the map labels Mosul first


def _clean(text: str) -> str:
    return clean(Article(text=text)).text


def test_an_appeal_goes_wherever_it_stands_but_the_readers_own_words_in_quotes_stay() -> None:
    story = (
        "Rescuers reached the village of Alto on Monday, three days after the landslide.\n\n"
        "Support our reporting: we are funded by readers like you, and a monthly donation keeps our journalism "
        "free.\n\n"
        '"We lost everything, and we need your help," said one farmer, who asked us not to print his name.\n\n'
        "The road to the valley is expected to reopen next week."
    )
    out = _clean(story)
    assert "monthly donation" not in out
    assert "We lost everything" in out and "reopen next week" in out and "Rescuers reached" in out


def test_a_first_person_dispatch_is_the_story_unless_the_page_closes_with_boilerplate() -> None:
    dispatch = (
        "KHERSON, Ukraine — We drove north before dawn, past villages our guide said had changed hands twice.\n\n"
        "By noon we had reached the river, where you can still see the wreck of the bridge."
    )
    assert _clean(dispatch) == dispatch + "\n"
    closing = dispatch + "\n\nThank you for reading. Become a subscriber today.\n\n© 2024 Example Media"
    out = _clean(closing)
    assert out.startswith("KHERSON, Ukraine — We drove north")  # the lead is never the tail
    assert "subscriber" not in out and "©" not in out


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Doe and John Roe",
        "By JANE DOE, Reuters",
        "Russ Read Pentagon/Foreign Policy Reporter",
        "Published 21 June 2024, 07:30 GMT",
        "World | Middle East",
        "© 2024 Example News Ltd, 1 Main Street, London",
        "Image copyright Getty Images",
    ],
)
def test_bylines_stamps_menus_and_copyright_lines_go(line: str) -> None:
    assert _clean(f"{line}\n\nTroops entered Mosul on Sunday.") == "Troops entered Mosul on Sunday.\n"


@pytest.mark.parametrize(
    "line",
    [
        "By Sunday, troops had entered Mosul.",
        "Images from the scene showed the bus reduced to a wreck in Ankara.",
        "Updated figures from 2023 show 40 dead in Gaza.",
        (
            "Image copyright Suffolk Times Image caption The house in Southold, where the remains were found by "
            "detectives. Police said the search of the basement took three days and was helped by radar."
        ),
    ],
)
def test_story_lines_that_look_a_little_like_furniture_stay(line: str) -> None:
    assert line in _clean(f"Troops entered Mosul on Sunday.\n\n{line}")


def test_related_headlines_go_with_their_heading_until_the_story_resumes() -> None:
    text = (
        "Troops entered Mosul on Sunday.\n\nRead more:\nWildfires spread near Athens\n\nElection day in Lagos\n\n"
        "The fighting moved west of the Tigris on Monday.\n\nRead more: Why Venice charges day trippers\n\n"
        "Aid arrived from Erbil."
    )
    kept = ["Troops entered Mosul on Sunday.", "The fighting moved west of the Tigris on Monday."]
    kept.append("Aid arrived from Erbil.")
    assert _clean(text) == "\n\n".join(kept) + "\n"


def test_html_furniture_by_class_role_and_link_density_with_nesting_and_unclosed_paragraphs() -> None:
    html = """<html><body><article class="story newsletter-enabled"><h1>Fighting in Mosul</h1>
    <p class="byline">By Jane Doe in Baghdad<p>Troops entered <a href="/m">Mosul</a> on Sunday.</p>
    <div class="relatedStories"><div><p>Floods in Dhaka</p></div><p>Storms in Manila</p></div>
    <p>Aid came from Erbil.</p>
    <ul><li><a href="/a">Protests in Lima</a></li><li><a href="/b">Votes counted in Accra</a></li></ul>
    <div role="contentinfo">1 Main Street, London</div><p>The Tigris rose.</p></article></body></html>"""
    kept = ["Fighting in Mosul", "Troops entered Mosul on Sunday.", "Aid came from Erbil.", "The Tigris rose."]
    assert from_text(html).text == "\n\n".join(kept) + "\n"


def test_every_cue_list_says_what_it_is_for_and_is_loaded() -> None:
    lines = package_data("boilerplate.toml").read_text(encoding="utf-8").splitlines()
    keys = {line.split(" = ")[0]: k for k, line in enumerate(lines) if " = [" in line}
    assert all(lines[at - 1].startswith("# ") for at in keys.values())
    assert set(keys) == set(tomllib.loads("\n".join(lines))) == {f.name for f in dataclasses.fields(Cues)}
