"""The spatial index gives exactly what a loop over every point gives, wherever the points are."""

from __future__ import annotations

import random

import pytest

from geomap.geo import PointIndex, great_circle_km, linked_groups


def _points(rng: random.Random, n: int) -> list[tuple[float, float]]:
    """Clusters (towns of one region), scattered points, both poles, both sides of the date
    line, and repeated points: where a grid on the sphere goes wrong if it is going to."""
    pts = [(90.0, 0.0), (-90.0, 45.0), (0.0, 180.0), (0.0, -180.0), (10.0, 179.9999), (10.0, -179.9999)]
    centres = [(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _ in range(8)]
    while len(pts) < n:
        if rng.random() < 0.6:
            lat, lon = rng.choice(centres)
            pts.append((max(-90.0, min(90.0, lat + rng.gauss(0, 0.5))), (lon + rng.gauss(0, 0.5) + 180) % 360 - 180))
        else:
            pts.append((rng.uniform(-90, 90), rng.uniform(-180, 180)))
    pts += pts[:20]  # the same place twice: ties
    return pts


@pytest.mark.parametrize("n", [5, 400, 3000])
def test_nearest_is_the_full_scan(n: int) -> None:
    rng = random.Random(n)
    points = _points(rng, n)
    queries = _points(random.Random(n + 1), 600) + points[:50]
    exclude = [rng.choice([None, rng.randrange(len(points))]) for _ in queries]
    exclude[-50:] = range(50)  # a point's own entry is left out: its nearest is another
    got = PointIndex(points).nearest_km(queries, exclude)
    for (lat, lon), skip, answer in zip(queries, exclude, got):
        full = min(great_circle_km(lat, lon, p, q) for k, (p, q) in enumerate(points) if k != skip)
        assert answer == full  # the same float, not merely close


@pytest.mark.parametrize("km", [0.0, 40.0, 1500.0, 25_000.0])
def test_within_is_the_full_scan(km: float) -> None:
    rng = random.Random(7)
    points = _points(rng, 2000)
    queries = _points(random.Random(8), 300)
    got = PointIndex(points).within(queries, km)
    for (lat, lon), answer in zip(queries, got):
        assert answer == [k for k, (p, q) in enumerate(points) if great_circle_km(lat, lon, p, q) <= km]


@pytest.mark.parametrize("km", [0.01, 40.0, 800.0, 1500.0, 25_000.0])
def test_linked_groups_are_the_full_scan(km: float) -> None:
    points = _points(random.Random(9), 1000)
    first = list(range(len(points)))  # union-find over every pair, the root the smallest index
    for i in range(len(points)):
        for j in range(i):
            if great_circle_km(*points[i], *points[j]) <= km:
                a, b = first[i], first[j]
                while first[a] != a:
                    a = first[a]
                while first[b] != b:
                    b = first[b]
                first[max(a, b)] = min(a, b)
    for i in range(len(points)):
        while first[first[i]] != first[i]:
            first[i] = first[first[i]]
    assert linked_groups(points, km) == first


def test_empty_index_and_only_point_excluded() -> None:
    assert PointIndex([]).nearest_km([(1.0, 2.0)], [None]) == [None]
    assert PointIndex([(1.0, 2.0)]).nearest_km([(1.0, 2.0)], [0]) == [None]
    assert PointIndex([]).within([(1.0, 2.0)], 10) == [[]]
    assert linked_groups([], 10) == []
