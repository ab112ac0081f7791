"""Great-circle distance, shared by the resolver, the renderer, corrections and evaluation."""

from __future__ import annotations

import math

#: Mean Earth radius in km, as geopy's great_circle uses (so figures match the literature's).
EARTH_RADIUS_KM = 6371.009


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km: pure arithmetic, so hot loops need not import geopy."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
