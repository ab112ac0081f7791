"""How each kind of place looks: its colour, its marker's shape, its name in the
legend, and the style of its outline or line.

Colours are Okabe & Ito's colour-blind-safe palette, and every kind has a different
shape too, so that colour is never the only cue.
"""

from __future__ import annotations

from typing import Any

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


def icon(kind: Kind, label: str, size: int = 22) -> Markup:
    """The kind's glyph as an SVG image labelled ``label`` for screen readers."""
    colour = COLOURS[kind]
    stroke = "#222" if kind not in ("river", "continent") else colour
    return render("icon.svg", size=size, label=label, fill=colour, stroke=stroke, glyph=Markup(GLYPHS[kind]))


def shape_style(place: Place) -> dict[str, Any]:
    """Leaflet path options for the place's outline or line; estimated areas are dashed."""
    colour = COLOURS[place.kind]
    style: dict[str, Any] = {"color": colour, "weight": 2, "opacity": 0.9, "fillColor": colour, "fillOpacity": 0.12}
    if place.kind == "river":
        style.update(weight=3.5, fill=False, className="geomap-river")
    elif place.kind == "country":
        style.update(fillOpacity=0.04)
    elif place.kind == "district":
        style.update(fillOpacity=0.3)
    if place.kind != "river":
        style["className"] = f"geomap-area geomap-area-{place.kind}"
    if is_approximate(place):
        style["dashArray"] = "6 4"
    return style
