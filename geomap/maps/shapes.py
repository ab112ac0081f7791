"""Shapes to draw for places: outlines from the gazetteer, estimated city areas, and
districts cut out of their city (east and west Mosul on either side of the Tigris).

Distances are worked in kilometres on a local plane centred on the city
(:func:`geomap.geo.to_local_km`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from geomap.geo import from_local_km, to_local_km
from geomap.model import Candidate, Geometry, Place

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: Prefix of the note on a place whose drawn area is an estimate, not an outline;
#: the renderer draws those dashed.
APPROXIMATE = "approximate area"

#: Decimal places kept in output coordinates (~1 m): small, stable files.
PRECISION = 5

#: People per km² assumed when sizing a city with no outline (a mid-density city).
CITY_DENSITY = 8000.0
CITY_RADIUS_KM = (1.0, 30.0)

_COMPASS = {
    "north": (0.0, 1.0), "south": (0.0, -1.0), "east": (1.0, 0.0), "west": (-1.0, 0.0),
    "northeast": (1.0, 1.0), "northwest": (-1.0, 1.0), "southeast": (1.0, -1.0), "southwest": (-1.0, -1.0),
}  # fmt: skip
_CENTRAL = re.compile(r"\b(old (city|town|quarter)|downtown|cent(re|er|ral)|medina|historic)\b")
#: Kinds drawn by their gazetteer outline or line where it has one (seas, islands, deserts and
#: ranges from Natural Earth; a peak or a GeoNames-only island stays a point).
_OUTLINED_KINDS = frozenset({"country", "region", "river", "lake", "sea", "other"})


class ShapeSource(Protocol):
    """The part of :class:`geomap.gazetteer.Gazetteer` that shapes need."""

    def geometry(self, place_id: str) -> dict[str, Any] | None: ...

    def nearby(self, lat: float, lon: float, radius_km: float, *, kinds: Sequence[str] = ...) -> list[Candidate]: ...


def attach_shapes(places: Sequence[Place], gazetteer: ShapeSource) -> list[Place]:
    """Places with ``geometry`` filled where it was None, in the same order.

    Countries, regions, rivers, lakes, seas and physical features get their gazetteer outline
    or line where it has one; cities an area
    sized to their population; districts the part of their parent city that their
    qualifier names. Places that already carry a geometry keep it (rounded).
    """
    done: dict[str, Place] = {}
    out: list[Place] = []
    # Parents first, so that a district is cut from its city's final area.
    for place in sorted(places, key=lambda p: p.kind == "district"):
        done[place.id] = _shaped(place, done, gazetteer)
    for place in places:
        out.append(done[place.id])
    return out


def city_radius_km(population: int) -> float:
    """Radius of a disc holding ``population`` at :data:`CITY_DENSITY`, clamped."""
    low, high = CITY_RADIUS_KM
    return min(high, max(low, math.sqrt(population / CITY_DENSITY / math.pi)))


def direction(qualifier: str | None) -> tuple[float, float] | None:
    """Unit vector (east, north) a qualifier points to: "eastern" -> (1, 0),
    "north-west" -> (-0.71, 0.71); None when it names no direction."""
    word = compass_word(qualifier)
    if word is None:
        return None
    x, y = _COMPASS[word]
    norm = math.hypot(x, y)
    return x / norm, y / norm


def compass_word(qualifier: str | None) -> str | None:
    """The compass point a qualifier names ("north-eastern" -> "northeast"), if any."""
    if not qualifier:
        return None
    words = (re.sub(r"(ern|erly)$", "", w) for w in re.findall(r"[a-z]+", qualifier.lower()))
    word = "".join(w for w in words if w in _COMPASS)
    return word if word in _COMPASS else None


def is_central(qualifier: str | None) -> bool:
    """Whether a qualifier names a city's core ("old city", "downtown", "city centre")."""
    return bool(qualifier and _CENTRAL.search(qualifier.lower()))


def is_approximate(place: Place) -> bool:
    return bool(place.note and place.note.startswith(APPROXIMATE))


def _shaped(place: Place, done: Mapping[str, Place], gazetteer: ShapeSource) -> Place:
    if place.geometry is not None:
        return replace(place, geometry=rounded(place.geometry))
    if place.kind in _OUTLINED_KINDS:
        geometry = gazetteer.geometry(place.id)
        return place if geometry is None else replace(place, geometry=rounded(geometry))
    if place.kind == "city":
        radius = city_radius_km(place.population)
        disc = from_local_km(_disc(radius), place.lat, place.lon)
        note = f"{APPROXIMATE}: radius {radius:.1f} km for {place.population:,} people"
        return replace(place, geometry=_geojson(disc), note=_join(note, place.note))
    if place.kind == "district":
        return _district(place, done.get(place.parent or ""), gazetteer)
    return place


def _district(place: Place, parent: Place | None, gazetteer: ShapeSource) -> Place:
    """The part of the parent city the district's qualifier names, as an estimate."""
    from shapely.geometry import shape

    qualifier = next((m.qualifier for m in place.mentions if m.qualifier), None)
    lat, lon = (parent.lat, parent.lon) if parent else (place.lat, place.lon)
    if parent and parent.geometry and parent.geometry["type"] in ("Polygon", "MultiPolygon"):
        city = to_local_km(shape(dict(parent.geometry)), lat, lon)
    else:
        city = _disc(city_radius_km(parent.population if parent else place.population))
    city_name = parent.name if parent else "the city"
    if is_central(qualifier):
        radius = max(0.8, 0.2 * math.sqrt(city.area / math.pi))
        piece: BaseGeometry = _disc(radius)
        how = f"a {radius:.1f} km disc at the centre of {city_name}"
    elif (vector := direction(qualifier)) is not None:
        piece, how = _half(city, vector, compass_word(qualifier) or "", lat, lon, gazetteer)
        how += f" within the area drawn for {city_name}"
    else:
        return place
    where = from_local_km(piece, lat, lon)
    point = where.representative_point()
    note = _join(f"{APPROXIMATE}: {how}", place.note)
    return replace(
        place, geometry=_geojson(where), lat=round(point.y, PRECISION), lon=round(point.x, PRECISION), note=note
    )


def _half(
    city: BaseGeometry, vector: tuple[float, float], side: str, lat: float, lon: float, gazetteer: ShapeSource
) -> tuple[BaseGeometry, str]:
    """The side of ``city`` towards ``vector``: cut by a river crossing it, else by a
    line through its centre."""
    from shapely.geometry import LineString, shape
    from shapely.ops import split, unary_union

    reach = math.sqrt(city.area / math.pi)
    for river in gazetteer.nearby(lat, lon, reach, kinds=("river",)):
        geometry = gazetteer.geometry(river.id)
        if geometry is None:
            continue
        line = to_local_km(shape(geometry), lat, lon)
        pieces = list(split(city, line).geoms) if line.intersects(city) else []
        if len(pieces) < 2:
            continue
        facing = [p for p in pieces if _along(p.centroid, vector) > 0]
        chosen = unary_union(facing) if facing else max(pieces, key=lambda p: _along(p.centroid, vector))
        return chosen, f"the {side} side of the {river.name}"
    span = 4 * reach + 1
    cut = LineString([(-vector[1] * span, vector[0] * span), (vector[1] * span, -vector[0] * span)])
    pieces = list(split(city, cut).geoms)
    chosen = max(pieces, key=lambda p: _along(p.centroid, vector))
    return chosen, f"the {side} half"


def _along(point: Any, vector: tuple[float, float]) -> float:
    return point.x * vector[0] + point.y * vector[1]


def _disc(radius_km: float) -> BaseGeometry:
    """A disc around (0, 0): GEOS's disc of radius 1 scaled, the very vertices GEOS
    computes for each radius (r·cos, r·sin) at a tenth of the cost of buffering each."""
    import shapely

    return shapely.transform(_unit_disc(), lambda xy: xy * radius_km)


@cache
def _unit_disc() -> BaseGeometry:
    from shapely.geometry import Point

    return Point(0.0, 0.0).buffer(1.0, quad_segs=16)


def _geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """``geometry`` as rounded GeoJSON; a polygon with no holes (each town's disc) with its
    ring rounded in one go."""
    import shapely
    from shapely.geometry import Polygon, mapping

    if isinstance(geometry, Polygon) and not geometry.interiors:
        ring = _round_array(shapely.get_coordinates(geometry.exterior))
        return {"type": "Polygon", "coordinates": [ring.tolist()]}
    return rounded(mapping(geometry))


def _round_array(values: Any) -> Any:
    """``round(v, PRECISION)`` of every float in a numpy array, the same floats. Python
    rounds the exact value; rint of v·10^PRECISION is the same integer unless v·10^PRECISION
    lies within its rounding error (far below 1e-6 for coordinates) of a half, where
    Python's round decides. Dividing back is correctly rounded, as Python's is."""
    import numpy as np

    scale = 10.0**PRECISION
    scaled = values * scale
    out = np.rint(scaled) / scale
    for at in zip(*np.nonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)):
        out[at] = round(float(values[at]), PRECISION)
    return out


def rounded(geometry: Geometry) -> dict[str, Any]:
    """A GeoJSON geometry with coordinates rounded to :data:`PRECISION` places, as lists."""

    def walk(value: Any) -> Any:
        if value and isinstance(value[0], (list, tuple)):
            return [walk(v) for v in value]
        return [round(v, PRECISION) for v in value]  # a position (an int stays as it is)

    if "geometries" in geometry:
        return {**geometry, "geometries": [rounded(g) for g in geometry["geometries"]]}
    return {**geometry, "coordinates": walk(geometry["coordinates"])}


def _join(note: str, previous: str | None) -> str:
    return f"{note}; {previous}" if previous else note
