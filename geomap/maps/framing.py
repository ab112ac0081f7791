"""What the map's opening view shows: the places the story is about, not every place it
names. Places the frame leaves out are listed beside the map (:class:`Framing.far`), so
that nothing is silently off the map.

The story's places are found in two steps. Places linked by hops of at most
:data:`LINK_KM` form groups; the group with the most mentions of towns and parts of towns
(else of anything) is the story's. In it, a place mentioned once that lies more than
:data:`NEAR_KM` from every place mentioned more often is a passing reference: it does not
stretch the frame (Washington and Norman in a story of storms from Iowa to Ohio), though
it stays in view when it lies near the frame anyway. Outlines decide for areas: a country
whose outline reaches the frame is in view, wherever its centre point lies.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geomap.geo import great_circle_km
from geomap.model import Place

#: Places this close (km) to another of a group belong to it: a region's towns chain together.
LINK_KM = 800.0
#: A place mentioned once frames the story only within this distance (km) of a place mentioned more.
NEAR_KM = 400.0
#: Margin, as a fraction of the frame's size, within which a place outside the frame counts as in view.
MARGIN = 0.15
#: Kinds that say where the story happens; the group with most of their mentions is the story's.
LOCAL_KINDS = ("city", "district", "other")

#: [[south, west], [north, east]] in degrees.
Bounds = list[list[float]]
WORLD: Bounds = [[-60.0, -170.0], [75.0, 170.0]]


@dataclass(frozen=True)
class Framing:
    """The opening view's ``bounds``, the places ``in_view`` there, and the ``far`` ones,
    in the order they were given."""

    bounds: Bounds
    in_view: tuple[Place, ...]
    far: tuple[Place, ...]


def frame(places: Sequence[Place]) -> Framing:
    """Frame the story's places (see the module's docstring): the bounds of their points
    plus the areas drawn for its towns."""
    located = [p for p in places if p.kind != "continent"]
    if not located:
        return Framing(WORLD, (), tuple(places))
    story = _story_group(located)
    referenced = [p for p in story if len(p.mentions) > 1]
    core = [p for p in story if _frames(p, referenced)]
    bounds = _bounds(core)
    (south, west), (north, east) = bounds
    dy, dx = max(north - south, 0.1) * MARGIN, max(east - west, 0.1) * MARGIN
    grown = [[south - dy, west - dx], [north + dy, east + dx]]
    in_view = [p for p in places if p.kind != "continent" and (p in core or _reaches(p, grown))]
    return Framing(bounds, tuple(in_view), tuple(p for p in places if p not in in_view))


def view_bounds(places: Sequence[Place]) -> Bounds:
    """[[south, west], [north, east]] the map opens on: :func:`frame`'s bounds."""
    return frame(places).bounds


def bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> str:
    """The compass point (of eight: "north", "north-east", ...) of the second place as
    seen from the first, along the great circle."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    angle = math.degrees(math.atan2(math.sin(dl) * math.cos(p2),
                                    math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)))  # fmt: skip
    points = ("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")
    return points[round(angle / 45) % 8]


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


def _story_group(located: Sequence[Place]) -> list[Place]:
    """The group of places linked by hops of at most :data:`LINK_KM` with the most
    mentions of local places, then of any place (the earliest group on a tie)."""
    group_of = list(range(len(located)))

    def root(i: int) -> int:
        while group_of[i] != i:
            group_of[i] = group_of[group_of[i]]
            i = group_of[i]
        return i

    for i, p in enumerate(located):
        for j in range(i):
            q = located[j]
            if great_circle_km(p.lat, p.lon, q.lat, q.lon) <= LINK_KM:
                group_of[max(root(i), root(j))] = min(root(i), root(j))
    groups: dict[int, list[Place]] = {}
    for i, p in enumerate(located):
        groups.setdefault(root(i), []).append(p)

    def weight(group: list[Place]) -> tuple[int, int]:
        local = sum(len(p.mentions) for p in group if p.kind in LOCAL_KINDS)
        return local, sum(len(p.mentions) for p in group)

    return max(groups.values(), key=weight)


def _frames(place: Place, referenced: Sequence[Place]) -> bool:
    """Whether ``place`` stretches the frame: it is mentioned more than once, or near a
    place that is (or no place of the group is)."""
    if len(place.mentions) > 1 or not referenced:
        return True
    return any(great_circle_km(place.lat, place.lon, q.lat, q.lon) <= NEAR_KM for q in referenced)


def _bounds(places: Sequence[Place]) -> Bounds:
    lats = [p.lat for p in places]
    lons = [p.lon for p in places]
    for p in places:
        if p.geometry is not None and p.kind in ("city", "district"):
            for lon, lat in _coordinates(p.geometry["coordinates"]):
                lats.append(lat)
                lons.append(lon)
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _reaches(place: Place, bounds: Bounds) -> bool:
    """Whether the place's point, or its outline or line, lies in ``bounds``."""
    (south, west), (north, east) = bounds
    if south <= place.lat <= north and west <= place.lon <= east:
        return True
    if place.geometry is None or place.geometry.get("type") == "Point":
        return False
    from shapely.geometry import box, shape

    return bool(shape(dict(place.geometry)).intersects(box(west, south, east, north)))


def _coordinates(value: Any) -> Iterable[tuple[float, float]]:
    if value and isinstance(value[0], (int, float)):
        yield value[0], value[1]
    else:
        for item in value:
            yield from _coordinates(item)
