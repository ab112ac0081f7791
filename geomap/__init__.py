"""geomap: turn a news article into an annotated map.

>>> import geomap
>>> places = geomap.parse("Fighting continued in Mosul, on the Tigris river in Iraq.")
>>> [p.name for p in places]
['Mosul', 'Tigris', 'Iraq']
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import GeomapError
from geomap.model import Article, Candidate, Mention, Place, Sentence

if TYPE_CHECKING:
    import folium

    from geomap.fetch import Limits
    from geomap.gazetteer import Gazetteer
    from geomap.geocoders.base import CandidateSource

__version__ = "0.1.0"
__all__ = ["Article", "Candidate", "GeomapError", "Mention", "Place", "Places", "Sentence", "make_map", "parse", "read"]


class Places(list[Place]):
    """The places of one article: a plain list that also shows itself as a map in Jupyter."""

    def __init__(self, places: Sequence[Place] = (), article: Article | None = None) -> None:
        super().__init__(places)
        self.article = article

    def _repr_html_(self) -> str:
        return make_map(self, article=self.article)._repr_html_()


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped offline gazetteer, opened once per process."""
    from geomap.gazetteer import Gazetteer

    return Gazetteer()


def read(location: str | Path, *, limits: Limits | None = None) -> Article:
    """Read an article from a path or URL, with boilerplate removed, within ``limits``
    (:class:`geomap.fetch.Limits`: 20 MB, 30 s for a download, unless they say otherwise)."""
    from geomap.fetch import DEFAULT_LIMITS
    from geomap.source.read import read as read_source

    return read_source(location, limits=limits or DEFAULT_LIMITS)


def parse(
    text: str | Article,
    *,
    geocoder: str | CandidateSource = "offline",
    ranker: str = "context",
    geocoder_options: dict[str, str] | None = None,
    recognizer: str = "gazetteer",
) -> Places:
    """Find and resolve the places an article mentions.

    ``geocoder`` is "offline" (the shipped gazetteer), "nominatim", any geopy service
    name, or a ready :class:`~geomap.geocoders.base.CandidateSource`. ``recognizer`` is one of
    :func:`geomap.recognize.names`; "spacy" needs spaCy and its ``en_core_web_sm`` model installed.
    """
    from geomap import recognize
    from geomap.resolve.rank import resolve

    find_mentions = recognize.get(recognizer)

    article = text if isinstance(text, Article) else Article(text=text)
    gazetteer = default_gazetteer()
    if isinstance(geocoder, str):
        if geocoder == "offline" and not geocoder_options:
            source: CandidateSource = gazetteer
        else:
            from geomap.geocoders.online import get_source

            source = get_source(geocoder, options=geocoder_options)
    else:
        source = geocoder
    mentions = find_mentions(article.text, gazetteer)
    return Places(resolve(mentions, source, ranker=ranker), article)


def make_map(places: Sequence[Place], **options: Any) -> folium.Map:
    """A Folium map of ``places`` with their outlines and river lines; see
    :func:`geomap.maps.render.make_map` for the options."""
    from geomap.maps.render import make_map as render_map
    from geomap.maps.shapes import attach_shapes

    return render_map(attach_shapes(places, default_gazetteer()), **options)
