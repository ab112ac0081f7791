"""Recognition rules on the real gazetteer: what is read as a place, with which span."""

from __future__ import annotations

import pytest

from geomap import default_gazetteer
from geomap.extract import find_mentions


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
    ],
)
def test_abbreviations_datelines_and_counties_are_places(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The temple was built in 300 BC by the king.",  # an era, not British Columbia
        "NASA and ISIS were in the news.",  # acronyms that spell no place here
        "Ky officials did not answer.",  # an abbreviation needs its dot
        "On Thursday in March the talks resumed.",  # weekdays and months
    ],
)
def test_words_that_only_look_like_places(text: str) -> None:
    assert spans(text) == []
