"""Issue 13's goals that recognition controls, on the hand-written sentence file.

``tests/data/sentences.jsonl`` holds ordinary news sentences naming capitals, large cities,
rivers, seas, islands, deserts, ranges and regions, and traps (people, teams, companies,
products, common words named like places). ``benchmarks/sentences.py`` prints the full
figures, placement included; these tests hold what the recogniser alone decides.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from geomap import default_gazetteer
from geomap.model import Mention
from geomap.recognize.rules import find_mentions
from geomap.recognize.vocabulary import vocabulary
from geomap.text import normalize

SENTENCES = Path(__file__).parent / "data" / "sentences.jsonl"
#: Traps mapped today: none, the issue's goal. Places inside longer names ("Qatar Airways",
#: "China Eastern"), teams in a result ("Liverpool drew 1-1", "Georgia Tech beat Clemson"), companies'
#: acts ("Toyota recalled", "Toyota's suppliers"), films, shows and bands ("Casablanca was
#: screened", "the band Chicago") and agreements ("the Minsk agreements") are mapped only where the
#: article also names the place; compound nouns a dictionary lists ("Brussels sprouts"), foods and
#: drinks ("Dijon mustard", "a case of 1982 Bordeaux"), products after their maker ("Hyundai Tucson"),
#: works' titles, animals ("her black Labrador") never, nor a name used as a common noun ("his
#: Waterloo", "the Malibu"), ending in "Jr.", or doing what only a person does ("Tokyo narrates").
TRAPS_MAPPED = 0


@pytest.fixture(scope="module")
def judged() -> list[tuple[dict[str, Any], list[Mention]]]:
    records = [json.loads(line) for line in SENTENCES.read_text(encoding="utf-8").splitlines() if line.strip()]
    gazetteer = default_gazetteer()
    return [(r, [m for m in find_mentions(r["text"], gazetteer) if not m.demonym]) for r in records]


def _hit(mentions: list[Mention], span: dict[str, Any]) -> bool:
    return any(m.start < span["end"] and span["start"] < m.end for m in mentions)


def _keys(name: str) -> set[str]:
    return vocabulary().bare_keys(normalize(name))


def test_the_file_is_the_issues(judged: list[tuple[dict[str, Any], list[Mention]]]) -> None:
    """At least 400 sentences, 100 traps: the file the issue asks for."""
    assert len(judged) >= 400
    assert sum(len(r["traps"]) for r, _ in judged) >= 100


def test_places_the_gazetteer_knows_are_found(judged: list[tuple[dict[str, Any], list[Mention]]]) -> None:
    """99% of the toponyms whose name the gazetteer has as a place's own name are recognised;
    names it has not (a desert it lacks, an exonym it lists only as another name) are the
    gazetteer's to add."""
    names = {k for r, _ in judged for t in r["toponyms"] for k in _keys(t["name"])}
    found = default_gazetteer().lookup_many(sorted(names))

    def known(name: str) -> bool:
        return any(c.name_type in ("name", "abbreviation") for k in _keys(name) for c in found.get(k, []))

    gold = [(r, t, mentions) for r, mentions in judged for t in r["toponyms"] if known(t["name"])]
    missed = [f"{r['id']}: {t['name']}" for r, t, mentions in gold if not _hit(mentions, t)]
    assert len(gold) >= 800
    assert len(missed) <= 0.01 * len(gold), missed


def test_traps_are_not_mapped_more_often(judged: list[tuple[dict[str, Any], list[Mention]]]) -> None:
    mapped = [f"{r['id']}: {t['name']}" for r, mentions in judged for t in r["traps"] if _hit(mentions, t)]
    assert len(mapped) <= TRAPS_MAPPED, mapped


@pytest.mark.parametrize(
    ("trap_id", "name"),
    [
        ("trap-jack-london", "Jack London"),  # a first name before
        ("trap-denzel-washington", "Denzel Washington"),  # a first name the census lists lack
        ("trap-tokyo", "Tokyo"),  # does what only a person does: a character
        ("trap-paris-hilton", "Paris Hilton"),  # a surname after
        ("trap-jordan-hill", "Jordan Hill"),  # a title before
        ("trap-phoenix-suns", "Phoenix Suns"),  # a team's name after a common word
        ("trap-nice", "Nice"),  # a common word opening a sentence
        ("trap-waterloo", "Waterloo"),  # a common noun: a determiner before, nothing after
        ("trap-mecca", "Mecca"),
        ("trap-cuba-gooding-jr", "Cuba Gooding Jr."),  # a person's name ending in "Jr."
    ],
)
def test_the_issues_own_traps_are_not_mapped(
    judged: list[tuple[dict[str, Any], list[Mention]]], trap_id: str, name: str
) -> None:
    record, mentions = next((r, m) for r, m in judged if r["id"] == trap_id)
    trap = next(t for t in record["traps"] if t["name"] == name)
    assert not _hit(mentions, trap)
