"""A detail inset: the town whose parts the story names (east and west Mosul, its Old City),
drawn large in a corner when the parts are too small to read at the story's frame, with
the rivers that cross it and the parts' names.

The decision is made for the frame a default-sized figure opens on
(:func:`geomap.maps.basemap.fit` mirrors Leaflet's ``fitBounds``); in the page, a script
shows the inset, and a box around the town on the map, only while the parts are too small
at the map's current zoom, and the parts' own names on the map only once they are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geomap.maps.framing import Bounds, Room, name_anchor
from geomap.maps.shapes import rounded
from geomap.maps.symbols import outlined, presentation
from geomap.model import Place

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: A part narrower or lower than this (px) at the story's frame is too small to read there.
MIN_PART_PX = 48
#: The inset's map, in px (square).
INSET_PX = 220
#: Room kept around the town in the inset, as a fraction of its size.
INSET_MARGIN = 0.08


@dataclass(frozen=True)
class Detail:
    """What the inset draws: the ``town``, its ``parts`` with their names at ``anchors``,
    the ``rivers`` crossing it (name, GeoJSON clipped to the inset, where to write the
    name), within ``bounds``; ``smallest`` is the bounds of the smallest part, which the
    page measures to decide whether the parts can be read on the map itself."""

    town: Place
    parts: tuple[Place, ...]
    anchors: tuple[tuple[float, float], ...]
    rivers: tuple[tuple[str, dict[str, Any], tuple[float, float]], ...]
    bounds: Bounds
    smallest: Bounds


def detail(
    in_view: Sequence[Place], frame: Bounds, size: tuple[int, int], padding: tuple[int, int, int, int]
) -> Detail | None:
    """The inset for the most mentioned town in view whose outlined parts would be under
    :data:`MIN_PART_PX` at ``frame`` on a ``size`` map fitted with ``padding`` (left, top,
    right, bottom); None when every part can be read on the map itself."""
    import numpy as np
    from shapely.geometry import box, shape

    from geomap.maps.basemap import Frame, fit

    (south, west), (north, east) = frame
    view = fit(Frame(south, west, north, east), size, padding=padding, max_zoom=12)
    parts_of: dict[str | None, list[Place]] = {}
    for part in in_view:
        if part.kind == "district" and outlined(part):
            parts_of.setdefault(part.parent, []).append(part)
    towns = []
    for town in in_view:
        parts = parts_of.get(town.id, [])
        if town.kind != "city" or not parts:
            continue
        boxes = [shape(dict(p.geometry)).bounds for p in parts if p.geometry is not None]
        corners = view.pixels(np.array([[b[0], b[3]] for b in boxes] + [[b[2], b[1]] for b in boxes], dtype=float))
        spans = np.abs(corners[len(boxes) :] - corners[: len(boxes)]).min(axis=1)
        if spans.min() < MIN_PART_PX:
            weight = len(town.mentions) + sum(len(p.mentions) for p in parts)
            towns.append((-weight, town.id, town, parts, boxes[int(spans.argmin())]))
    if not towns:
        return None
    _, _, town, parts, smallest = min(towns, key=lambda t: t[:2])
    outlines = [shape(dict(p.geometry)) for p in [town, *parts] if p.geometry is not None and outlined(p)]
    x0, y0 = min(g.bounds[0] for g in outlines), min(g.bounds[1] for g in outlines)
    x1, y1 = max(g.bounds[2] for g in outlines), max(g.bounds[3] for g in outlines)
    dx, dy = (x1 - x0) * INSET_MARGIN, (y1 - y0) * INSET_MARGIN
    bounds = [[round(y0 - dy, 5), round(x0 - dx, 5)], [round(y1 + dy, 5), round(x1 + dx, 5)]]
    area = box(x0 - dx, y0 - dy, x1 + dx, y1 + dy)
    rivers = []
    for river in in_view:
        if presentation(river) != "line" or river.geometry is None:
            continue
        inside = shape(dict(river.geometry)).intersection(area.buffer(max(dx, dy)))
        if inside.is_empty or inside.length == 0:
            continue
        # The name near where the river enters the inset, away from the parts' names in the middle.
        line = max(getattr(inside, "geoms", [inside]), key=lambda g: g.length)
        at = line.interpolate(0.18, normalized=True)
        rivers.append((river.name, rounded(inside.__geo_interface__), (round(at.y, 5), round(at.x, 5))))
    lines = [shape(line) for _, line, _ in rivers]
    return Detail(town, tuple(parts), _part_anchors(parts, bounds, lines), tuple(rivers), bounds,
                  [[smallest[1], smallest[0]], [smallest[3], smallest[2]]])  # fmt: skip


def _part_anchors(
    parts: Sequence[Place], bounds: Bounds, rivers: Sequence[BaseGeometry]
) -> tuple[tuple[float, float], ...]:
    """Where the parts' names go in the inset: the smallest part's (a core, such as an old
    city) on it first, then each bigger part's on its own area, off the names placed and
    off the rivers (which often part the halves)."""
    from shapely.geometry import shape

    room = Room(bounds, INSET_PX)
    room.taken += [line.buffer(8 * room.per_px) for line in rivers]
    areas = [shape(dict(p.geometry)).area if p.geometry is not None else 0.0 for p in parts]
    anchors: dict[int, tuple[float, float]] = {}
    for i in sorted(range(len(parts)), key=lambda i: areas[i]):
        anchors[i] = name_anchor(parts[i], bounds, room)
        room.name(*anchors[i], parts[i].kind, parts[i].name)
    return tuple(anchors[i] for i in range(len(parts)))
