"""The evidence the resolver weighs, one named feature per kind of evidence, and its weights.

A candidate's score is the weighted sum of its features; the softmax of the scores of a
name's candidates is the confidence in each. The weights are data, in
``geomap/data/ranking.json``, with a note of how they were set: by hand, or fitted as a
conditional logit on one half of the dev corpora (``geomap.tools.fit_ranker``), so that
the other half measures them. Each feature is also a reason a reader can be given
("in Iraq, which the article names"), which is what :func:`reasons` says.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from geomap.errors import GeomapError
from geomap.fsutil import package_data

#: Evidence from the candidate and its own name's mentions, known before any choice is made.
PRIOR = (
    "importance",  # the source's prior, 0..1 (log population and kind)
    "official",  # the name matched is the place's own, not another of its names
    "country_named",  # in a country another name of the article names
    "country_named_self",  # ... named only by this very name, which may mean something else ("Georgia")
    "demonym_country",  # in a country whose demonym the article uses ("Iraqi")
    "feature_fits",  # the feature word beside the name fits the kind ("the Tigris river"; a water word within it: "Lake Como")
    "feature_misfits",  # ... or does not
    "point_cue",  # a city, where a mention is "near X" or "outside X": beside a point, not in an area
    "in_namesake",  # a city within a state or province of its name and ten times its people ("Quebec"), not a capital
    "seat_area",  # a second-level division of a town's name around that town ("Belém"): the town is meant
    "container",  # "Name, Container" and the container is the candidate's region or country
    "inside_named_region",  # a town by its own name in a state or province the article names
    "acronym_misread",  # a reading that ignores the capitals of "EU" or "U.S." (Eu, France)
    "bare_water",  # a river or lake named with neither "the" nor a feature word ("Ohio", not "Lake Erie")
    "definite_sea",  # a sea after "the": "the Atlantic"; or a river's name alone after it: "on the Hudson in January"
    "definite_town",  # a town named "the X" alone ("crashed in the Andes in 1972"), as towns are not, but for "The Hague"
    "county_pair",  # a town and a county the article names lie together ("Paris", "Henry County")
    "town_pair",  # a reading of another name lies within PAIR_KM: "Winfield" beside "Mt. Pleasant"
    "population",  # log10(1 + population) / 7: about 1 for a city of ten million
    "capital",  # a national capital (PPLC)
    "admin_seat",  # the seat of a state, province or county (PPLA, PPLA2)
    "abbreviation",  # reached by an abbreviation ("Pa.", "U.S.")
    "kind_country",
    "kind_region",  # a state, a province, a region of several countries; not a county
    "kind_county",  # a second-level division (ADM2)
    "kind_water",  # a river or a lake
    "kind_sea",
    "kind_continent",
    "kind_other",  # a mountain range, a desert, an island, ...
)
#: Evidence from the places chosen so far for the article's other names.
CONTEXT = (
    "contains_others",  # a country or region that contains the article's other places
    "near_others",  # exp(-d / NEAR_KM), d the distance to the nearest of them
    "near_others_local",  # exp(-d / LOCAL_KM): in the same district as one of them
    "country_share",  # the share of them in the candidate's country
    "region_share",  # the share of them in the candidate's state or province
    "list_peers",  # the share of the names listed with it ("Ohio, Oregon and Nevada") read at its level
)
FEATURES = PRIOR + CONTEXT

#: The scales of "near" in :data:`CONTEXT`: about a country's size, and a county's.
NEAR_KM = 1500.0
LOCAL_KM = 100.0
#: A town this close to a reading of another name may lie beside it: about the size of a US county.
PAIR_KM = 40.0


@dataclass(frozen=True, slots=True)
class Weights:
    """One weight per feature, in :data:`PRIOR` and :data:`CONTEXT` order, and how they were set."""

    prior: tuple[float, ...]
    context: tuple[float, ...]
    note: str

    def score(self, prior: Sequence[float], context: Sequence[float] = ()) -> float:
        total = math.fsum(w * f for w, f in zip(self.prior, prior))
        return total + math.fsum(w * f for w, f in zip(self.context, context))


@cache
def weights() -> Weights:
    """The shipped weights, read once; every feature must have one, and nothing else may."""
    target = package_data("ranking.json")
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
        values: Mapping[str, float] = data["weights"]
        if set(values) != set(FEATURES):
            missing, unknown = sorted(set(FEATURES) - set(values)), sorted(set(values) - set(FEATURES))
            raise ValueError(f"weights missing for {missing}, unknown {unknown}")
        return Weights(
            tuple(float(values[f]) for f in PRIOR), tuple(float(values[f]) for f in CONTEXT), str(data["note"])
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GeomapError(f"cannot read the ranking weights {target}: {exc}") from None
