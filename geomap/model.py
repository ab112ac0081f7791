"""Plain data passed between the pipeline's stages.

source -> :class:`Article`; extract -> :class:`Mention`; resolve -> :class:`Candidate`
(what a geocoder proposes) and :class:`Place` (what geomap decided); render and export
read places only. Keeping these as small frozen values lets each stage be tested alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

#: What a place is, as far as styling and ranking care. ``district`` is a named part
#: of a city (``east Mosul``, ``Mosul's Old City``); ``region`` is an admin area or a
#: group of them ("the Middle East"); ``sea`` is any sea, ocean, gulf, bay or strait.
Kind = Literal["continent", "country", "region", "city", "district", "river", "lake", "sea", "other"]
KINDS: tuple[Kind, ...] = ("continent", "country", "region", "city", "district", "river", "lake", "sea", "other")

#: How a query reached a place, strongest first: the place's own name, an abbreviation
#: ("U.S."), another of its names ("Al-Mawsil"), or a demonym ("Iraqi").
NameType = Literal["name", "abbreviation", "alternate", "demonym"]
NAME_TYPES: tuple[NameType, ...] = ("name", "abbreviation", "alternate", "demonym")

#: A GeoJSON geometry object (``{"type": ..., "coordinates": ...}``), kept as plain
#: data so that places serialise without shapely; shapely is used where shapes are made.
Geometry = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Article:
    """The text geomap reads, after boilerplate is removed, with what is known of it."""

    text: str
    title: str | None = None
    source: str | None = None  # path or URL it came from
    date: str | None = None
    publisher: str | None = None  # the outlet's name ("Daily Caller"), from the page's metadata


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of a place name in the article.

    ``start``/``end`` index ``Article.text`` and cover the whole phrase the reader sees
    (``east Mosul``, ``the Tigris river``); ``name`` is the part looked up in a gazetteer.
    """

    text: str
    start: int
    end: int
    name: str
    sentence: Sentence
    feature: str | None = None  # feature word beside the name: "river", "city", "province", ...
    qualifier: str | None = None  # names a part of the place: "east", "west", "old city", ...
    demonym: bool = False  # "Iraqi" -> Iraq: weak evidence, never mapped on its own


@dataclass(frozen=True, slots=True)
class Candidate:
    """A geocoder's proposal for a name, normalised across geocoders.

    The evidence the recogniser and resolver weigh (``name_type``, ``matched``,
    ``feature_code``) is typed here and filled alike by every source, so that an online
    geocoder's candidates are scored by the same rules as the gazetteer's; ``raw`` keeps
    the source's own record for people, never for rules.
    """

    id: str  # stable across runs: "geonames:99072", "ne:river:1159...", "nominatim:relation:1234"
    name: str
    kind: Kind
    lat: float
    lon: float
    country_code: str | None = None  # ISO 3166-1 alpha-2
    country: str | None = None
    admin1: str | None = None
    population: int = 0
    importance: float = 0.0  # the source's own prior, 0..1
    source: str = "offline"  # which geocoder answered
    note: str | None = None  # e.g. "nominatim timed out; answered by the offline gazetteer"
    name_type: NameType = "name"
    matched: str | None = None  # the name the query matched (normalised); None: the place's own name
    feature_code: str = ""  # GeoNames feature code (PPLA, ADM1, ADM2, STM, ...), or the nearest for other sources
    english_name: str | None = None  # English name where ``name`` is another language's ("Köln" -> "Cologne")
    geometry: Geometry | None = field(
        default=None, compare=False, repr=False
    )  # outline or line, if the source gave one
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def official(self) -> bool:
        """Matched through the place's own name, not another of its names."""
        from geomap.text import normalize

        return self.matched is None or normalize(self.matched) == normalize(self.name)


@dataclass(frozen=True, slots=True)
class Place:
    """A place geomap puts on the map, with the evidence for it.

    ``name`` is the label, in the article's words where it gives a form of the name (Raqqa);
    ``gazetteer_name`` is the geocoder's own name for the place (Ar Raqqah), None for places
    that are not a geocoder's (districts, points placed by hand).
    """

    id: str
    name: str
    kind: Kind
    lat: float
    lon: float
    mentions: tuple[Mention, ...]
    confidence: float  # 0..1: how sure the resolver is that this is the place meant
    geocoder: str = "offline"
    country_code: str | None = None
    country: str | None = None
    admin1: str | None = None
    population: int = 0
    geometry: Geometry | None = None  # outline or line to draw; None: a marker only
    parent: str | None = None  # id of the place this is part of (districts)
    alternatives: tuple[Candidate, ...] = ()  # other readings considered, best first
    note: str | None = None  # e.g. why the geocoder fell back to the gazetteer
    gazetteer_name: str | None = None  # the geocoder's own name, where ``name`` is the article's ("Ar Raqqah")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready properties (no geometry): what ``geomap places --json`` and GeoJSON carry."""
        return {
            "id": self.id,
            "name": self.name,
            "gazetteer_name": self.gazetteer_name,
            "kind": self.kind,
            "lat": self.lat,
            "lon": self.lon,
            "country_code": self.country_code,
            "country": self.country,
            "admin1": self.admin1,
            "population": self.population,
            "confidence": self.confidence,
            "geocoder": self.geocoder,
            "parent": self.parent,
            "note": self.note,
            "mentions": [
                {"text": m.text, "start": m.start, "end": m.end, "sentence": m.sentence.text} for m in self.mentions
            ],
            "alternatives": [
                {"id": c.id, "name": c.name, "kind": c.kind, "country_code": c.country_code, "lat": c.lat, "lon": c.lon}
                for c in self.alternatives
            ],
        }

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """The distinct sentences that mention the place, in reading order."""
        seen: dict[int, Sentence] = {}
        for m in self.mentions:
            seen.setdefault(m.sentence.start, m.sentence)
        return tuple(seen[k] for k in sorted(seen))
