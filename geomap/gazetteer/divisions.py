"""Names of administrative divisions as the news writes them, where GeoNames writes them
otherwise: inverted for sorting ("Durham, County", "Vale of Glamorgan, The"), bare where
the news says "County Kerry", or as a council area ("Dublin City") that means the city."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from geomap.gazetteer.features import Feature
from geomap.model import NAME_TYPES
from geomap.text import normalize

#: A name inverted for an index: the designation GeoNames moves after a comma.
_INVERTED = re.compile(r"(.+), (The|County|City of)")


def uninvert(features: Iterable[Feature]) -> None:
    """A division named inverted is also found in its written order, as its own name:
    "County Durham", "City of Edinburgh", and both "The Vale of Glamorgan" and "Vale of
    Glamorgan" (news drops the article)."""
    for f in features:
        if f.fcode in ("ADM1", "ADM2") and (m := _INVERTED.fullmatch(f.name)):
            f.add_name(f"{m.group(2)} {m.group(1)}", "name")
            if m.group(2) == "The":
                f.add_name(m.group(1), "name")


def city_area(key: str, town_names: Collection[str]) -> bool:
    """A division named "X City" after a town X inside it ("Dublin City", "Glasgow City",
    "Hamilton City"): the council area of the city, whose name news uses for the council
    ("Dublin City Council" of Dublin, Ohio, too), so it is only another name of the division."""
    return key.endswith(" city") and key.removesuffix(" city") in town_names


def county_forms(features: Iterable[Feature]) -> None:
    """A county GeoNames names bare ("Kerry", "Mayo") is as often "County Kerry" and "Co.
    Kerry" in the news, which the recogniser then takes as well known, like the bare name."""
    own = NAME_TYPES.index("name")
    for f in features:
        if f.fcode == "ADM2":
            bare = normalize(f.name)
            for key in (f"county {bare}", f"co {bare}"):
                if key in f.names:
                    f.names[key] = own
