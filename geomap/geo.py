"""Geometry on the sphere that every stage shares: great-circle distance, and a local plane in km.

The local plane is equirectangular, centred on a place (x = Δlon · 111.32 · cos(lat₀),
y = Δlat · 110.574): within a few tens of kilometres its error is far below what a
population-sized city estimate can promise, and it keeps shapely's planar maths honest there.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: Mean Earth radius in km, as geopy's great_circle uses (so figures match the literature's).
EARTH_RADIUS_KM = 6371.009


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km: pure arithmetic, so hot loops need not import geopy."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


_KM_PER_DEG_LAT = 110.574
_KM_PER_DEG_LON = 111.320


def _scale(lat: float) -> tuple[float, float]:
    return _KM_PER_DEG_LON * max(math.cos(math.radians(lat)), 0.01), _KM_PER_DEG_LAT


def to_local_km(geometry: BaseGeometry, lat: float, lon: float) -> BaseGeometry:
    """``geometry`` (lon/lat) in km east and north of (lat, lon)."""
    import shapely

    kx, ky = _scale(lat)
    return shapely.transform(geometry, lambda xy: (xy - (lon, lat)) * (kx, ky))


def from_local_km(geometry: BaseGeometry, lat: float, lon: float) -> BaseGeometry:
    """The inverse of :func:`to_local_km`."""
    import shapely

    kx, ky = _scale(lat)
    return shapely.transform(geometry, lambda xy: xy / (kx, ky) + (lon, lat))
