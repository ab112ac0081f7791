"""What the map's opening view shows: the story's places, not every place it names."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from geomap.geo import great_circle_km
from geomap.model import Place

#: Radius around the most-mentioned place that the initial view is fitted to, so one
#: passing mention of a far country does not zoom the story out to the whole world.
FOCUS_KM = 1500.0

#: [[south, west], [north, east]] in degrees.
Bounds = list[list[float]]


def view_bounds(places: Sequence[Place]) -> Bounds:
    """[[south, west], [north, east]] of the places within :data:`FOCUS_KM` of the
    city or district at the heart of the story (the one whose surroundings gather the
    most mentions, so that one misplaced town cannot steal the view), or of all places
    when there is no city; plus the areas drawn for those."""
    if not places:
        return [[-60.0, -170.0], [75.0, 170.0]]
    located = [p for p in places if p.kind != "continent"] or list(places)
    local = [p for p in located if p.kind in ("city", "district", "other")]
    kept = located
    if local:
        near = {p.id: [q for q in located if great_circle_km(p.lat, p.lon, q.lat, q.lon) <= FOCUS_KM] for p in local}
        anchor = max(local, key=lambda p: (sum(len(q.mentions) for q in near[p.id]), len(p.mentions), p.confidence))
        kept = near[anchor.id]
    lats = [p.lat for p in kept]
    lons = [p.lon for p in kept]
    for p in kept:
        if p.geometry is not None and p.kind in ("city", "district"):
            for lon, lat in _coordinates(p.geometry["coordinates"]):
                lats.append(lat)
                lons.append(lon)
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def centre(places: Sequence[Place]) -> list[float]:
    """The mean position of ``places`` (the map's centre before it is fitted to a view)."""
    if not places:
        return [20.0, 0.0]
    return [sum(p.lat for p in places) / len(places), sum(p.lon for p in places) / len(places)]


def label_line(geometry: Mapping[str, Any], view: Bounds) -> list[list[float]] | None:
    """The longest stretch of a river inside the view, west to east and smoothed, as
    [lat, lon] pairs: a label centred on the whole river would often fall outside the map."""
    from shapely.geometry import box, shape

    (south, west), (north, east) = view
    pad_lat, pad_lon = max(0.05, (north - south) * 0.1), max(0.05, (east - west) * 0.1)
    inside = shape(dict(geometry)).intersection(box(west - pad_lon, south - pad_lat, east + pad_lon, north + pad_lat))
    lines = [g for g in getattr(inside, "geoms", [inside]) if g.geom_type == "LineString" and not g.is_empty]
    if not lines:
        return None
    # Smoothed, so that the letters do not crumple on the river's bends.
    longest = max(lines, key=lambda g: g.length).simplify(0.03 * math.hypot(north - south, east - west))
    coords = list(longest.coords)
    if coords[0][0] > coords[-1][0]:
        coords.reverse()
    return [[round(lat, 5), round(lon, 5)] for lon, lat in coords]


def _coordinates(value: Any) -> Iterable[tuple[float, float]]:
    if value and isinstance(value[0], (int, float)):
        yield value[0], value[1]
    else:
        for item in value:
            yield from _coordinates(item)
