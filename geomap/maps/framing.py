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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geomap.geo import PointIndex, linked_groups
from geomap.maps.symbols import name_size
from geomap.model import Kind, Place

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

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
    in the order they were given; ``view`` is the bounds with the margin that still counts
    as in view."""

    bounds: Bounds
    in_view: tuple[Place, ...]
    far: tuple[Place, ...]
    view: Bounds


def frame(places: Sequence[Place]) -> Framing:
    """Frame the story's places (see the module's docstring): the bounds of their points
    plus the areas drawn for its towns."""
    located = [p for p in places if p.kind != "continent"]
    if not located:
        return Framing(WORLD, (), tuple(places), WORLD)
    story = _story_group(located)
    core = _core(story)
    bounds = _bounds(core)
    (south, west), (north, east) = bounds
    dy, dx = max(north - south, 0.1) * MARGIN, max(east - west, 0.1) * MARGIN
    grown = [[south - dy, west - dx], [north + dy, east + dx]]
    # By identity, not by value: comparing every place with every other is slow in long articles.
    framed = {id(p) for p in core}
    in_view = [p for p in places if p.kind != "continent" and (id(p) in framed or _reaches(p, grown))]
    shown = {id(p) for p in in_view}
    return Framing(bounds, tuple(in_view), tuple(p for p in places if id(p) not in shown), grown)


def view_bounds(places: Sequence[Place]) -> Bounds:
    """[[south, west], [north, east]] the map opens on: :func:`frame`'s bounds."""
    return frame(places).bounds


def name_anchor(
    place: Place, bounds: Bounds, room: Room | None = None, also: BaseGeometry | None = None
) -> tuple[float, float]:
    """Where to write an area's name, as (lat, lon): the point of the biggest piece of its
    outline inside ``bounds``, less what ``room`` has taken there (towns with their
    labels, names placed before) and ``also`` (smaller places drawn inside it), that lies
    farthest from the piece's edges; the place's own point when it has no outline in
    ``bounds``."""
    from shapely import make_valid
    from shapely.geometry import box, shape
    from shapely.ops import polylabel

    if place.geometry is None or "Polygon" not in place.geometry.get("type", ""):
        return place.lat, place.lon
    (south, west), (north, east) = bounds
    outline = shape(dict(place.geometry))
    # An outline that crosses itself (a county's, rounded) would make GEOS refuse the cut.
    outline = outline if outline.is_valid else make_valid(outline)
    area = outline.intersection(box(west, south, east, north))
    if room is not None:
        keep_off = room.used(area)
        if also is not None:
            keep_off = keep_off.union(also)
        free = area.difference(keep_off)
        area = free if not free.is_empty else area
    pieces = [g for g in getattr(area, "geoms", [area]) if g.geom_type == "Polygon" and not g.is_empty]
    if not pieces:
        return place.lat, place.lon
    piece = max(pieces, key=lambda g: g.area)
    x0, y0, x1, y1 = piece.bounds
    point = polylabel(piece, tolerance=max(x1 - x0, y1 - y0) / 50)
    return round(point.y, 5), round(point.x, 5)


class Room:
    """What the labels already take on a map ``width_px`` wide showing ``bounds``, in
    degrees: towns' symbols with their labels to the right, and names written centred on a
    point; an area's name is placed off it (:func:`name_anchor`)."""

    def __init__(self, bounds: Bounds, width_px: float = 1000.0) -> None:
        (south, west), (north, east) = bounds
        self.per_px = max(east - west, 1e-6) / width_px
        self.lat_per_px = self.per_px * math.cos(math.radians((south + north) / 2))
        import numpy as np

        self.taken: list[BaseGeometry] = []
        self._extents = np.empty((0, 4))  # bounding boxes of ``taken``, extended as it grows

    def town(self, place: Place) -> None:
        """A town's 22 px symbol and its label (about 7.5 px a letter) to its right."""
        self._box(place.lat, place.lon, -14, 26 + 7.5 * len(place.name), 12)

    def name(self, lat: float, lon: float, kind: Kind, text: str) -> None:
        """A name of a ``kind`` of place centred on (lat, lon), as big as it is drawn (:func:`name_size`)."""
        width, height = name_size(kind, text)
        self._box(lat, lon, -width / 2, width / 2, height / 2)

    def used(self, near: BaseGeometry | None = None) -> BaseGeometry:
        """What is taken; with ``near``, only what meets its bounding box, all that can
        matter to it (a union of every label for each area's name grew with the square of
        the places)."""
        import numpy as np
        import shapely
        from shapely.ops import unary_union

        if near is None:
            return unary_union(self.taken)
        if len(self._extents) < len(self.taken):
            added = shapely.bounds(np.array(self.taken[len(self._extents) :], dtype=object))
            self._extents = np.concatenate([self._extents, added])
        x0, y0, x1, y1 = near.bounds
        e = self._extents
        meets = (e[:, 0] <= x1) & (e[:, 2] >= x0) & (e[:, 1] <= y1) & (e[:, 3] >= y0)
        return unary_union([self.taken[i] for i in np.flatnonzero(meets)])

    def _box(self, lat: float, lon: float, left: float, right: float, half_height: float) -> None:
        from shapely.geometry import box

        dy = half_height * self.lat_per_px
        self.taken.append(box(lon + left * self.per_px, lat - dy, lon + right * self.per_px, lat + dy))


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


def _story_group(located: Sequence[Place]) -> list[Place]:
    """The group of places linked by hops of at most :data:`LINK_KM` with the most
    mentions of local places, then of any place (the earliest group on a tie)."""
    groups: dict[int, list[Place]] = {}
    for p, first in zip(located, linked_groups([(p.lat, p.lon) for p in located], LINK_KM)):
        groups.setdefault(first, []).append(p)

    def weight(group: list[Place]) -> tuple[int, int]:
        local = sum(len(p.mentions) for p in group if p.kind in LOCAL_KINDS)
        return local, sum(len(p.mentions) for p in group)

    return max(groups.values(), key=weight)


def _core(story: Sequence[Place]) -> list[Place]:
    """The places that stretch the frame: those mentioned more than once, and those near
    one of them (all of the group when none is)."""
    referenced = [p for p in story if len(p.mentions) > 1]
    if not referenced:
        return list(story)
    near = PointIndex([(q.lat, q.lon) for q in referenced]).within([(p.lat, p.lon) for p in story], NEAR_KM)
    return [p for p, close in zip(story, near) if len(p.mentions) > 1 or close]


def _bounds(places: Sequence[Place]) -> Bounds:
    """The places' points and their towns' areas; when no place is a point on the map (a story
    of a country, a desert or a river alone), the areas and lines themselves, so that the map
    does not open a few kilometres wide on an outline's centre."""
    lats = [p.lat for p in places]
    lons = [p.lon for p in places]
    areas_only = all(
        p.kind not in ("city", "district") and p.geometry is not None and p.geometry.get("type") != "Point"
        for p in places
    )
    for p in places:
        if p.geometry is not None and (p.kind in ("city", "district") or areas_only):
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
