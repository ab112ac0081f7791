"""How each kind of place looks: whether it is a symbol or a name written on its area,
its colour, its symbol's shape, its name in the legend, and the style of its outline or line.

Towns are symbols with a label beside them. Everything else is written as its name on
its area (countries, regions, parts of a city, lakes, seas), with no symbol in the desert,
or along its line (rivers). Colours are Okabe & Ito's colour-blind-safe palette, and every
kind has a different glyph and name style too, so that colour is never the only cue.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

from markupsafe import Markup

from geomap.maps.assets import render
from geomap.maps.shapes import is_approximate
from geomap.model import Kind, Place

#: One colour per kind, and a dark blue for seas (told from rivers by lightness and by its glyph).
COLOURS: dict[Kind, str] = {
    "city": "#D55E00",  # vermillion
    "district": "#CC79A7",  # reddish purple
    "country": "#E69F00",  # orange
    "region": "#009E73",  # bluish green
    "river": "#0072B2",  # blue
    "lake": "#56B4E9",  # sky blue
    "sea": "#17375E",  # dark blue
    "continent": "#000000",
    "other": "#F0E442",  # yellow
}

#: Marker glyphs (22×22 SVG bodies): the shape alone tells the kinds apart.
GLYPHS: dict[Kind, str] = {
    "city": '<circle cx="11" cy="11" r="7"/>',
    "district": '<path d="M11 3 19 18H3z"/>',
    "country": '<rect x="4" y="4" width="14" height="14" rx="2"/>',
    "region": '<path d="M11 2 20 11 11 20 2 11z"/>',
    "river": '<path d="M2 8q4.5-5 9 0t9 0M2 15q4.5-5 9 0t9 0" fill="none" stroke-width="3"/>',
    "lake": '<ellipse cx="11" cy="11" rx="9" ry="6"/>',
    "sea": '<path d="M2 9q4.5-5 9 0t9 0V19H2z"/>',
    "continent": '<circle cx="11" cy="11" r="7" fill="none" stroke-width="3.5"/>',
    "other": '<path d="M11 2l8.6 6.2-3.3 10.1H5.7L2.4 8.2z"/>',
}

KIND_LABELS: dict[Kind, str] = {
    "city": "City", "district": "Part of a city", "country": "Country", "region": "Region",
    "river": "River", "lake": "Lake", "sea": "Sea or ocean", "continent": "Continent", "other": "Other place",
}  # fmt: skip


#: How a place is drawn: a symbol with a label beside it, its name on its area, or along its line.
Presentation = Literal["point", "area", "line"]


def presentation(place: Place) -> Presentation:
    """Towns are points, and so are peaks and other features with no outline; a river with a
    line is a line; the rest are names on their areas (a place with no outline is written at
    its point)."""
    if place.kind == "city" or (place.kind == "other" and not outlined(place)):
        return "point"
    if place.kind == "river" and place.geometry is not None and "LineString" in place.geometry.get("type", ""):
        return "line"
    return "area"


def outlined(place: Place) -> bool:
    """Whether the place has an outline to draw (a polygon, not a point or a line)."""
    return place.geometry is not None and "Polygon" in place.geometry.get("type", "")


#: Kinds whose names are written in spaced capitals.
CAPITALS: frozenset[Kind] = frozenset({"country", "continent"})
#: Names wider than this (px) are wrapped onto more lines by the stylesheet.
NAME_WRAP_PX = 120


def name_size(kind: Kind, text: str) -> tuple[int, int]:
    """About how many px (wide, high) a name written on the map takes: 7 px a letter (10 in
    spaced capitals), wrapped at :data:`NAME_WRAP_PX`, 15 px a line, plus a little room. It
    sizes the name's marker, so that what measures markers (the basemap's names, the label
    placer) finds it where it is drawn, and keeps other names off it (:class:`~geomap.maps.framing.Room`)."""
    width = len(text) * (10 if kind in CAPITALS else 7)
    lines = math.ceil(width / NAME_WRAP_PX)
    return min(width, NAME_WRAP_PX) + 8, 15 * lines + 4


def icon(kind: Kind, label: str, size: int = 22) -> Markup:
    """The kind's glyph as an SVG image labelled ``label`` for screen readers."""
    colour = COLOURS[kind]
    stroke = "#222" if kind not in ("river", "continent") else colour
    return render("icon.svg", size=size, label=label, fill=colour, stroke=stroke, glyph=Markup(GLYPHS[kind]))


def shape_style(place: Place, tone: int = 0) -> dict[str, Any]:
    """Leaflet path options for the place's outline or line; estimated areas are dashed.
    ``tone`` tells the parts of one city apart: 0 and 1 for the big pieces (two fills),
    2 for a small core such as an old city (a strong fill and outline)."""
    colour = COLOURS[place.kind]
    style: dict[str, Any] = {"color": colour, "weight": 2, "opacity": 0.9, "fillColor": colour, "fillOpacity": 0.12}
    if place.kind == "river":
        style.update(weight=3.5, fill=False, className="geomap-river")
    elif place.kind == "country":
        style.update(fillOpacity=0.04)
    elif place.kind == "district":
        style.update(fillOpacity=(0.5, 0.12, 0.65)[tone], weight=(1.5, 1.5, 2.5)[tone])
    if place.kind != "river":
        style["className"] = f"geomap-area geomap-area-{place.kind}"
    if is_approximate(place):
        style["dashArray"] = "6 4"
    return style


def part_tones(places: Sequence[Place]) -> dict[str, int]:
    """Tones of the parts of each city (:func:`shape_style`): its big
    pieces alternate between two fills, largest first; a piece under a quarter of the
    largest's area (an old city) gets the strong fill."""
    from shapely.geometry import shape

    tones: dict[str, int] = {}
    parts: dict[str, list[tuple[float, str]]] = {}
    for p in places:
        if p.kind == "district" and p.parent and outlined(p):
            assert p.geometry is not None
            parts.setdefault(p.parent, []).append((shape(dict(p.geometry)).area, p.id))
    for pieces in parts.values():
        pieces.sort(key=lambda piece: (-piece[0], piece[1]))
        largest = pieces[0][0]
        big = [pid for area, pid in pieces if area >= largest / 4]
        tones.update({pid: i % 2 for i, pid in enumerate(big)})
        tones.update({pid: 2 for _, pid in pieces if pid not in big})
    return tones
