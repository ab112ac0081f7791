"""A gazetteer row in the making, and the geometry helpers the builder and its tables share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from geomap.gazetteer.schema import feature_kind
from geomap.model import NAME_TYPES
from geomap.text import normalize

_LATIN = re.compile(r"[a-z0-9 ]+")


@dataclass(slots=True)
class Feature:
    """One row of the ``places`` table with the names that reach it."""

    id: int  # GeoNames id; Natural Earth features use -ne_id
    name: str
    fcode: str
    lat: float
    lon: float
    population: int = 0
    cc: str | None = None
    a1: str | None = None  # admin-1 code within the country
    importance: float = 0.0
    bbox: tuple[float, float, float, float] | None = None
    geometry: dict[str, Any] | None = None
    names: dict[str, int] = field(default_factory=dict)  # normalised key -> name type
    english: str | None = None  # English name where ``name`` is another language's

    @property
    def kind(self) -> str:
        return feature_kind(self.fcode)[1]

    def add_name(self, text: str | None, name_type: str = "alternate") -> None:
        """Index ``text`` if it is Latin script; the strongest name type wins."""
        if not text:
            return
        key = normalize(text)
        if not key or not _LATIN.fullmatch(key):
            return
        code = NAME_TYPES.index(name_type)
        if code < self.names.get(key, len(NAME_TYPES)):
            self.names[key] = code


def round_coords(coords: Any, digits: int) -> Any:
    if isinstance(coords[0], (int, float)):
        return [round(float(c), digits) for c in coords]
    return [round_coords(c, digits) for c in coords]


def geojson(geom: Any, digits: int = 5) -> dict[str, Any]:
    mapping = geom.__geo_interface__
    return {"type": mapping["type"], "coordinates": round_coords(mapping["coordinates"], digits)}


def bbox(geom: Any) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = (round(v, 5) for v in geom.bounds)
    return minx, miny, maxx, maxy
