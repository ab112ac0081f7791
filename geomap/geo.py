"""Geometry on the sphere that every stage shares: great-circle distance, and a local plane in km.

The local plane is equirectangular, centred on a place (x = Δlon · 111.32 · cos(lat₀),
y = Δlat · 110.574): within a few tens of kilometres its error is far below what a
population-sized city estimate can promise, and it keeps shapely's planar maths honest there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

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


#: Finest grid cell of :class:`PointIndex`, as a chord of the unit sphere (about 6 km); each
#: coarser level doubles it, up to a cell of 2, whose 27 neighbours hold the whole sphere.
_FINEST_CELL = 1 / 1024
_TOP = 11
_BASE = 4096  # cell coordinates are shifted into 0..4095 per axis and packed into one int
_NEIGHBOURS = [dx * _BASE * _BASE + dy * _BASE + dz for dx in (-1, 0, 1) for dy in (-1, 0, 1) for dz in (-1, 0, 1)]
#: Below this many query-point pairs a plain loop is quicker than building grids.
_LOOP_PAIRS = 1 << 14
#: Squared chords this close to the best are compared by exact distance (unit vectors are rounded).
_RELATIVE, _ABSOLUTE = 1e-9, 1e-13


class PointIndex:
    """Points on the sphere in grids of unit-vector cells, for neighbour queries that cost
    about the number of points near each query rather than the number of points.

    Cells are cubes in 3-D (no seam at the date line, no pinch at the poles) at levels
    doubling in size. A chord never exceeds its arc, so a radius query looks in the 27
    cells around each query at the first level whose cell is at least the radius's chord;
    a nearest query climbs the levels until the best chord found is shorter than the
    distance from the query to the edge of its 27 cells (any point not yet seen is
    further). Queries are answered in batches with numpy, but every answer is computed by
    :func:`great_circle_km` on exactly the points a full scan would find, so it is the
    same float as a loop over every point gives.
    """

    def __init__(self, points: Sequence[tuple[float, float]]) -> None:
        self.points = [(float(lat), float(lon)) for lat, lon in points]
        self._xyz: Any = None  # unit vectors, made with the first grid
        self._grids: dict[int, tuple[Any, Any, Any, Any]] = {}
        # Two levels finer than the one whose 27 cells would hold one point if the points were
        # spread evenly: an article's places cluster, and climbing costs less than crowding.
        spread = math.sqrt(math.pi / (9 * max(len(self.points), 1))) / 2
        self._start = min(_TOP, max(0, math.ceil(math.log2(spread / _FINEST_CELL))))

    def __len__(self) -> int:
        return len(self.points)

    def within(self, queries: Sequence[tuple[float, float]], km: float) -> list[list[int]]:
        """For each query (lat, lon), the indices (ascending) of the points at most ``km`` from it."""
        qs = [(float(lat), float(lon)) for lat, lon in queries]
        if len(qs) * len(self.points) <= _LOOP_PAIRS:
            return [[j for j, p in enumerate(self.points) if great_circle_km(*q, *p) <= km] for q in qs]
        import numpy as np

        chord = km / EARTH_RADIUS_KM * (1 + _RELATIVE)
        level = next((k for k in range(_TOP) if _FINEST_CELL * 2**k >= chord), _TOP)
        xyz = _unit(np.array(qs, dtype=float).reshape(-1, 2))
        q, p, _ = self._pairs(xyz, np.arange(len(qs)), level)
        close = ((self._xyz[p] - xyz[q]) ** 2).sum(axis=1) <= chord * chord + _ABSOLUTE
        out: list[list[int]] = [[] for _ in qs]
        for i, j in zip(q[close].tolist(), p[close].tolist()):
            if great_circle_km(*qs[i], *self.points[j]) <= km:
                out[i].append(j)
        return [sorted(hits) for hits in out]

    def nearest_km(self, queries: Sequence[tuple[float, float]], exclude: Sequence[int | None]) -> list[float | None]:
        """For each query (lat, lon), the distance to the nearest point other than the one
        its ``exclude`` names; None where there is none."""
        qs = [(float(lat), float(lon)) for lat, lon in queries]
        if len(qs) * len(self.points) <= _LOOP_PAIRS:
            return [
                min((great_circle_km(*q, *p) for j, p in enumerate(self.points) if j != e), default=None)
                for q, e in zip(qs, exclude)
            ]
        import numpy as np

        xyz = _unit(np.array(qs, dtype=float).reshape(-1, 2))
        skip = np.array([-1 if e is None else e for e in exclude], dtype=np.int64)
        out: list[float | None] = [None] * len(qs)
        active, level = np.arange(len(qs)), np.full(len(qs), self._start)
        while active.size:
            step = int(level[active].min())
            now = active[level[active] == step]
            q, p, guard = self._pairs(xyz[now], now, step)
            keep = p != skip[q]
            q, p = q[keep], p[keep]
            c2 = ((self._xyz[p] - xyz[q]) ** 2).sum(axis=1)
            best = np.full(len(qs), np.inf)
            np.minimum.at(best, q, c2)
            tie = best * (1 + _RELATIVE) + _ABSOLUTE
            done = np.zeros(len(qs), dtype=bool)
            done[now] = (tie[now] < guard**2 * (1 - _RELATIVE)) | (step == _TOP)
            exact = done[q] & (c2 <= tie[q])
            for i, j in zip(q[exact].tolist(), p[exact].tolist()):
                d = great_circle_km(*qs[i], *self.points[j])
                if out[i] is None or d < out[i]:
                    out[i] = d
            # Climb to the level whose cell spans the best chord found, or two levels if none was.
            spans = np.ceil(np.log2(np.sqrt(np.where(np.isfinite(tie[now]), tie[now], 0.0)) / _FINEST_CELL + 1e-300))
            level[now] = np.clip(np.where(np.isfinite(tie[now]), np.maximum(step + 1, spans), step + 2), 0, _TOP)
            active = active[~done[active]]
        return out

    def _pairs(self, xyz: Any, ids: Any, level: int) -> tuple[Any, Any, Any]:
        """(query id, point index) for every point in the 27 cells around each query at
        ``level``, and each query's distance to the edge of those cells."""
        import numpy as np

        keys, order, starts, ends = self._grid(level)
        size = _FINEST_CELL * 2**level
        cells = np.floor(xyz / size)
        guard = np.minimum(xyz - (cells - 1) * size, (cells + 2) * size - xyz).min(axis=1)
        wanted = (_pack(cells)[:, None] + np.array(_NEIGHBOURS)[None, :]).ravel()
        slot = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        counts = np.where(keys[slot] == wanted, ends[slot] - starts[slot], 0)
        first = np.repeat(starts[slot], counts)
        offset = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        return np.repeat(np.repeat(ids, len(_NEIGHBOURS)), counts), order[first + offset], guard

    def _grid(self, level: int) -> tuple[Any, Any, Any, Any]:
        """The points' cell keys at ``level``, sorted and unique, with where each cell's
        points start and end in the point order that sorts them."""
        import numpy as np

        if self._xyz is None:
            self._xyz = _unit(np.array(self.points, dtype=float))
        if level not in self._grids:
            packed = _pack(np.floor(self._xyz / (_FINEST_CELL * 2**level)))
            order = np.argsort(packed, kind="stable")
            keys, starts = np.unique(packed[order], return_index=True)
            self._grids[level] = keys, order, starts, np.append(starts[1:], len(order)).astype(np.int64)
        return self._grids[level]


def _unit(latlon: Any) -> Any:
    """Unit vectors of an (n, 2) array of degrees."""
    import numpy as np

    lat, lon = np.radians(latlon[:, 0]), np.radians(latlon[:, 1])
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1)


def _pack(cells: Any) -> Any:
    """One int per cell from an (n, 3) array of cell coordinates."""
    import numpy as np

    c = cells.astype(np.int64) + _BASE // 2
    return (c[:, 0] * _BASE + c[:, 1]) * _BASE + c[:, 2]


def linked_groups(points: Sequence[tuple[float, float]], km: float) -> list[int]:
    """For each point (lat, lon), the smallest index of its group: the points linked by hops
    of at most ``km`` > 0, by :func:`great_circle_km`, as a loop over every pair finds them.

    Every pair within reach of a thousand European towns is most pairs; instead, points go
    in 3-D cells of the unit sphere whose diagonal is a shade shorter than ``km``'s chord,
    so that each cell's points are one group unlooked, and two cells are compared point by
    point only while their groups are apart. The time grows with the points, not the pairs.
    """
    import numpy as np

    angle = km / EARTH_RADIUS_KM
    size = 2 * math.sin(min(angle, math.pi) / 2) / math.sqrt(3) * (1 - 1e-6)
    xyz = _unit(np.array(points, dtype=float).reshape(-1, 2))
    keys = [tuple(cell) for cell in np.floor(xyz / size).astype(np.int64).tolist()]
    slot: dict[tuple[int, ...], int] = {}  # cells in the order of their first point
    for key in keys:
        slot.setdefault(key, len(slot))
    members: list[list[int]] = [[] for _ in slot]
    for i, key in enumerate(keys):
        members[slot[key]].append(i)
    group = list(range(len(slot)))

    def root(k: int) -> int:
        while group[k] != k:
            group[k] = group[group[k]]
            k = group[k]
        return k

    def linked(a: list[int], b: list[int]) -> bool:
        limit = (angle * (1 + _RELATIVE)) ** 2 + _ABSOLUTE  # a chord never exceeds its arc
        for start in range(0, len(a), 256):
            rows = a[start : start + 256]
            near = ((xyz[rows][:, None, :] - xyz[b][None, :, :]) ** 2).sum(axis=2) <= limit
            if any(great_circle_km(*points[rows[i]], *points[b[j]]) <= km for i, j in zip(*np.nonzero(near))):
                return True
        return False

    # Cells three apart are more than the chord apart; each pair of cells is looked at once.
    steps = [(dx, dy, dz) for dx in range(-2, 3) for dy in range(-2, 3) for dz in range(-2, 3)]
    steps = [step for step in steps if step > (0, 0, 0)]
    for (x, y, z), k in slot.items():
        for dx, dy, dz in steps:
            other = slot.get((x + dx, y + dy, z + dz))
            if other is not None and root(k) != root(other) and linked(members[k], members[other]):
                group[max(root(k), root(other))] = min(root(k), root(other))
    # A group's root is its earliest cell, whose first point is the group's smallest index.
    return [members[root(slot[key])][0] for key in keys]
