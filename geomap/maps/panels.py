"""The panels on a map: its title with the story's source and date, its legend, and the
places the article mentions that the frame leaves out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from markupsafe import Markup

from geomap.geo import great_circle_km
from geomap.maps.assets import render
from geomap.maps.framing import Bounds, bearing
from geomap.maps.popup import about
from geomap.maps.shapes import is_approximate
from geomap.maps.symbols import COLOURS, KIND_LABELS, icon, outlined, presentation
from geomap.model import KINDS, Article, Place

#: The locator map of the places off the frame, in px.
LOCATOR_SIZE = (200, 100)
#: Keeps "north-west" on one line.
NON_BREAKING_HYPHEN = "\u2011"


def with_caption(article: Article, source: str | None = None, date: str | None = None) -> Article:
    """The article as the caption should name it: ``source`` (the publisher, "Daily Caller")
    and ``date`` given on the command line or in a project file win over the page's metadata."""
    return replace(article, publisher=source or article.publisher, date=date or article.date)


def title_panel(title: str | None, article: Article | None, credit: str | None = None) -> Markup | None:
    """The title and a caption: "Source: Daily Caller, 2017-06-29" (the publisher, or the
    web site when only the URL is known, linked to the article; a file's name says nothing
    to a reader, so it is left out), then the map's ``credit``; None when there is nothing
    to say."""
    source = article.source if article else None
    date = article.date if article else None
    url = source if source and re.match(r"https?://", source) else None
    name = article.publisher if article and article.publisher else None
    if name is None and url:
        name = urlsplit(url).hostname
        name = name.removeprefix("www.") if name else None
    if not (title or name or date or credit):
        return None
    return render("title.html", title=title, source_url=url, source_name=name, date=date, credit=credit)


def legend(places: Sequence[Place]) -> Markup:
    """One entry per kind of place drawn, in the model's order of kinds, showing it as the
    map does (:func:`geomap.maps.symbols.presentation`): towns by their symbol, areas by
    their outline (or, with none, by a sample of their names), parts of a town by their
    two tones, rivers by their line; and the dashed swatch when some area is an estimate."""
    entries = []
    for kind in KINDS:
        of_kind = [p for p in places if p.kind == kind]
        if not of_kind:
            continue
        looks = {presentation(p) for p in of_kind}
        if "point" in looks or "line" in looks:
            look = "symbol"
        elif any(outlined(p) for p in of_kind):
            look = "parts" if kind == "district" else "area"
        else:
            look = "name"
        entries.append({"kind": kind, "label": KIND_LABELS[kind], "look": look, "colour": COLOURS[kind],
                        "icon": icon(kind, KIND_LABELS[kind], 16)})  # fmt: skip
    return render("legend.html", entries=entries, estimated=any(is_approximate(p) for p in places))


def also_mentioned(far: Sequence[Place], bounds: Bounds) -> Markup:
    """The places off the frame, most mentioned first: a locator map of the frame with a
    numbered dot for each (:func:`geomap.maps.basemap.locator_svg`), then each with its
    distance and direction from the frame's centre (a continent with neither: the frame may
    lie in it), and what the article says of it when opened."""
    from geomap.maps.basemap import Frame, locator_svg

    (south, west), (north, east) = bounds
    lat, lon = (south + north) / 2, (west + east) / 2
    entries = []
    listed = sorted(far, key=lambda p: (-len(p.mentions), p.name, p.id))
    for place in listed:
        if place.kind == "continent":
            where = ["continent"]
        else:
            km = great_circle_km(lat, lon, place.lat, place.lon)
            direction = bearing(lat, lon, place.lat, place.lon).replace("-", NON_BREAKING_HYPHEN)
            where = [f"{_rounded(km):,} km {direction}"]
        if len(place.mentions) > 1:
            where.append(f"{len(place.mentions)} mentions")
        entries.append({"place": about(place), "where": " · ".join(where)})
    names = ", ".join(f"{n} {p.name}" for n, p in enumerate(listed, 1))
    locator = locator_svg(Frame(south, west, north, east), LOCATOR_SIZE, span=1.1,
                          points=[(p.lat, p.lon) for p in listed], title=f"Where they lie: the map's frame, {names}")  # fmt: skip
    return render("also.html", entries=entries, locator=Markup(locator))


def _rounded(km: float) -> int:
    """A distance as a reader would say it: to 100 km beyond 1,000 km, else to 10 km."""
    step = 100 if km >= 1000 else 10
    return int(round(km / step) * step)
