"""What the label placer (``static/labels.js``) is given for a map: one item per place in
view, in the article's form of its name. The placer runs in the browser, where the real
size of the map and of each label's text is known; this module only says what each label
stands for and where it may go.

Towns are labelled beside their symbol; countries, regions, parts of a city and waters
on their area, which the placer needs as outlines (clipped to three times the view and
simplified to about a pixel, so that it can find the middle of the part in view after a
zoom or pan); rivers once, beside the stretch of their line in view.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from geomap.maps.symbols import presentation
from geomap.model import Kind, Place

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from geomap.maps.basemap import View

#: Pixels between a symbol and its label, kept free along the map's edge; panels
#: (``.leaflet-control``: title, legend, insets, scale bar, attribution) are kept clear.
OPTIONS = {"gap": 3, "margin": 4, "obstacles": ".leaflet-control", "pane": "geomapLabels", "zIndex": 640}
#: The extent in pixels of each town symbol as drawn (``symbols.GLYPHS``, 22 px icons).
SYMBOL_SIZE: Mapping[Kind, tuple[int, int]] = {"city": (16, 16), "other": (18, 18)}
#: Extra classes of area names by kind: their colour and style (labels.js); none is a country's.
AREA_CLASSES: Mapping[Kind, str] = {
    "region": "geomap-lbl-region", "district": "geomap-lbl-district",
    "lake": "geomap-lbl-water", "sea": "geomap-lbl-water", "river": "geomap-lbl-water",
}  # fmt: skip
#: Outlines and lines are clipped to the view grown by this many times its size on each side.
REACH = 1.0


def label_items(
    ranked: Sequence[Place], anchors: Mapping[str, tuple[float, float]], view: View
) -> list[dict[str, Any]]:
    """The placer's items for the places in view, most important first (ties go to the
    earlier): a town's symbol and size, an area's ``anchor`` and outline, a river's line.
    The town mentioned more often than any other is the story's main place, set larger. Coordinates are rounded to the precision the view needs, so that the same
    places give the same page."""
    clip, tolerance = _reach(view), view.degrees_per_pixel
    mentions = sorted((len(p.mentions), p.id) for p in ranked if presentation(p) == "point")
    major = mentions[-1][1] if mentions and (len(mentions) == 1 or mentions[-1][0] > mentions[-2][0]) else None
    items: list[dict[str, Any]] = []
    for place in ranked:
        item: dict[str, Any] = {"id": place.id, "text": place.name, "priority": len(place.mentions)}
        look = presentation(place)
        if look == "point":
            item.update(kind="point", latlng=[place.lat, place.lon], size=list(SYMBOL_SIZE[place.kind]))
            if place.id == major:
                item["className"] = "geomap-lbl-major"
        elif look == "line":
            line = river_line(place, view)
            if line is None:
                continue
            item.update(kind="line", line=line[0])
        else:
            item.update(kind="area", latlng=list(anchors.get(place.id, (place.lat, place.lon))))
            rings = _rings(place, clip, tolerance)
            if rings:
                item["rings"] = rings
            if place.kind in AREA_CLASSES:
                item["className"] = AREA_CLASSES[place.kind]
        items.append(item)
    return items


def river_line(place: Place, view: View) -> tuple[list[list[float]], list[float]] | None:
    """A river's line for its label, as [lat, lon] pairs, and the middle of its stretch in
    view (where its popup opens): of the stretches within reach of the view, the one that
    runs longest in it, simplified to about a pixel (the label keeps 4 px from it, and the
    drawn line is not smoothed either). None when no stretch reaches the view."""
    from shapely import LineString, MultiLineString
    from shapely.geometry import box, shape
    from shapely.ops import linemerge

    from geomap.maps.basemap import parts

    if place.geometry is None:
        return None
    frame = view.frame
    seen = box(frame.west, frame.south, frame.east, frame.north)
    pieces = [g for g in parts([shape(dict(place.geometry)).intersection(_reach(view))], LineString) if g.length]
    if not pieces:
        return None
    lines = parts([linemerge(MultiLineString(pieces))], LineString)
    longest = max(lines, key=lambda g: (g.intersection(seen).length, g.length))
    in_view = parts([longest.intersection(seen)], LineString)
    at = max(in_view, key=lambda g: g.length, default=longest).interpolate(0.5, normalized=True)
    tolerance = view.degrees_per_pixel
    digits = _digits(tolerance)
    coords = [[round(lat, digits), round(lon, digits)] for lon, lat in longest.simplify(tolerance).coords]
    return coords, [round(at.y, digits), round(at.x, digits)]


def _rings(place: Place, clip: BaseGeometry, tolerance: float) -> list[list[list[float]]]:
    """The outer rings and holes of the place's outline within ``clip``, simplified to
    ``tolerance`` degrees (finer for an area a few pixels across, such as a part of a
    city, whose name must still find its middle once the reader zooms in), without the
    pieces smaller than a few pixels; none for a place with no outline."""
    from shapely import Polygon
    from shapely.geometry import shape

    from geomap.maps.basemap import parts

    if place.geometry is None or "Polygon" not in place.geometry.get("type", ""):
        return []
    outline = shape(dict(place.geometry))
    x0, y0, x1, y1 = outline.bounds
    tolerance = min(tolerance, max(x1 - x0, y1 - y0) / 100)
    digits = _digits(tolerance)
    part = outline.intersection(clip).simplify(tolerance, preserve_topology=True)
    rings = []
    for polygon in parts([part], Polygon):
        if polygon.area < 4 * tolerance**2:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            rings.append([[round(lat, digits), round(lon, digits)] for lon, lat in ring.coords])
    return rings


def _reach(view: View) -> BaseGeometry:
    """The view grown by :data:`REACH` times its size on each side: what a reader may pan
    or zoom out to, or a smaller map than the one the page was drawn for may show."""
    from shapely.geometry import box

    frame = view.frame
    dy, dx = (frame.north - frame.south) * REACH, (frame.east - frame.west) * REACH
    return box(frame.west - dx, max(-90.0, frame.south - dy), frame.east + dx, min(90.0, frame.north + dy))


def _digits(tolerance: float) -> int:
    """Decimals that keep a coordinate within half of ``tolerance`` degrees."""
    return max(1, min(6, math.ceil(-math.log10(tolerance / 2))))
