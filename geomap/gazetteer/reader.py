"""The offline gazetteer: geomap's default geocoder and its fallback when the network fails.

One read-only SQLite file (built by :mod:`geomap.gazetteer.build`, laid out as
:mod:`geomap.gazetteer.schema` says) holds GeoNames places
and Natural Earth shapes; names are keyed by :func:`normalize`, so case, diacritics,
apostrophes, hyphens and dots do not matter. :class:`Gazetteer` speaks geopy's
``Geocoder`` interface so it can stand wherever a geopy geocoder stands.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, overload
from urllib.parse import quote

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geomap.errors import GeomapError
from geomap.fsutil import package_data
from geomap.gazetteer.schema import (
    ARABIC_ARTICLES,
    COORD_SCALE,
    IMPORTANCE_SCALE,
    SCHEMA_VERSION,
    TABLES,
    arabic_spelling,
    feature_kind,
    kind_codes,
    parse_id,
    place_id,
)
from geomap.model import NAME_TYPES, Candidate
from geomap.text import normalize

#: Credit line for the map footer: both sources ask for it.
ATTRIBUTION = (
    'Places &copy; <a href="https://www.geonames.org/">GeoNames</a> (CC-BY 4.0); '
    'shapes: <a href="https://www.naturalearthdata.com/">Made with Natural Earth</a>'
)

REBUILD_HINT = "rebuild it with 'geomap gazetteer build' or set GEOMAP_GAZETTEER to a gazetteer file"


def default_path() -> Path:
    """The shipped file, or the one ``$GEOMAP_GAZETTEER`` names."""
    env = os.environ.get("GEOMAP_GAZETTEER")
    return Path(env) if env else package_data("gazetteer.sqlite")


_COLUMNS = (
    "p.id, p.name, p.fcode, p.lat, p.lon, p.population, p.cc, c.name, a.name, p.importance,"
    " p.minlon, p.minlat, p.maxlon, p.maxlat, p.english"
)
#: Ranking subtracts this (in importance units) per step down NAME_TYPES: an alternate
#: name ("Victoria" for Hong Kong) counts 0.1 less than a place's own name.
_TYPE_PENALTY = IMPORTANCE_SCALE // 20
_JOINS = "LEFT JOIN countries c ON c.cc = p.cc LEFT JOIN admin1 a ON a.cc = p.cc AND a.code = p.a1"


def _record(row: Sequence[Any], matched: str | None, name_type: int) -> dict[str, Any]:
    pid, name, fcode, lat, lon, population, cc, country, admin1, importance = row[:10]
    fclass, kind = feature_kind(fcode)
    if fcode == "ADM1":
        admin1 = None  # a region is not inside itself
    if kind in ("country", "continent"):
        country = None if kind == "continent" else country
        admin1 = None
    admin_path = [n for n in (country, admin1) if n and not (kind == "country" and n == name)]
    return {
        "id": place_id(pid, kind),
        "name": name,
        "kind": kind,
        "feature_class": fclass,
        "feature_code": fcode,
        "population": population,
        "country_code": cc,
        "country": country,
        "admin1": admin1,
        "admin_path": admin_path,
        "importance": importance / IMPORTANCE_SCALE,
        "matched": matched,
        "name_type": NAME_TYPES[name_type],
        "bbox": None if row[10] is None else [v / COORD_SCALE for v in row[10:14]],
        "english_name": row[14],
        "geometry": None,
        "lat": lat / COORD_SCALE,
        "lon": lon / COORD_SCALE,
    }


def _address(raw: dict[str, Any]) -> str:
    parts = [raw["name"]]
    for part in (raw["admin1"], raw["country"]):
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts)


def _candidate(raw: dict[str, Any]) -> Candidate:
    return Candidate(
        id=raw["id"],
        name=raw["name"],
        kind=raw["kind"],
        lat=raw["lat"],
        lon=raw["lon"],
        country_code=raw["country_code"],
        country=raw["country"],
        admin1=raw["admin1"],
        population=raw["population"],
        importance=raw["importance"],
        source="offline",
        name_type=raw["name_type"],
        matched=raw["matched"],
        feature_code=raw["feature_code"],
        english_name=raw["english_name"],
        raw={k: v for k, v in raw.items() if k not in ("geometry", "lat", "lon")},
    )


#: A city this large is known well enough to be written "St." for "Saint" (St. Petersburg).
WELL_KNOWN_POPULATION = 500_000


def _saint_form(key: str) -> str | None:
    """The key with "st" written out ("st petersburg" -> "saint petersburg"): the abbreviation
    and the word are one name, which GeoNames gives one way and the news the other."""
    form = re.sub(r"\bst\b", "saint", key)
    return form if form != key else None


def _well_known(raw: dict[str, Any]) -> bool:
    """Known well enough for "St." to name it as its own name would: a country, capital,
    great city, river, lake or sea (St. Petersburg, St. Lucia, the St. Lawrence); a town's or
    a parish's "Saint Thomas" is as likely another's "St. Thomas"."""
    return (
        raw["kind"] in ("country", "river", "lake", "sea")
        or raw["feature_code"] == "PPLC"
        or raw["population"] >= WELL_KNOWN_POPULATION
    )


def _best_first(records: Iterable[dict[str, Any]], limit: int | None) -> list[dict[str, Any]]:
    """One record per place, by its best name type, in :meth:`Gazetteer._query`'s order."""
    best: dict[str, dict[str, Any]] = {}
    for r in records:
        kept = best.get(r["id"])
        if kept is None or NAME_TYPES.index(r["name_type"]) < NAME_TYPES.index(kept["name_type"]):
            best[r["id"]] = r
    penalty = _TYPE_PENALTY / IMPORTANCE_SCALE
    ordered = sorted(best.values(), key=lambda r: -(r["importance"] - penalty * NAME_TYPES.index(r["name_type"])))
    return ordered[:limit] if limit is not None else ordered


def _fallback(key: str) -> tuple[str, bool] | None:
    """The key to try when ``key`` matches nothing, and whether what it finds is at best another
    name of its places: the one spelling of an Arabic name (:func:`arabic_spelling`: "maarat al
    numan" -> "marat al numan", the same name), else the key without the Arabic article it
    begins with ("al raqqa" -> "raqqa", another name)."""
    if spelled := arabic_spelling(key):
        return spelled, False
    head, _, rest = key.partition(" ")
    return (rest, True) if head in ARABIC_ARTICLES and len(rest) >= 3 else None


class Gazetteer(Geocoder):
    """geopy-compatible geocoder over the shipped SQLite gazetteer; never touches the network.

    ``Geocoder.__init__`` is deliberately not called: it would build an HTTP adapter
    this geocoder has no use for.
    """

    name = "offline"

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        if not self.path.is_file():
            raise GeomapError(f"gazetteer not found: {self.path}; {REBUILD_HINT}")
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro&immutable=1"
        try:
            self._con = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except sqlite3.Error as exc:
            raise self._damaged(exc) from None
        tables = {name for (name,) in self._rows("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if missing := sorted(TABLES - tables):
            raise GeomapError(f"gazetteer {self.path} is damaged (no table {', '.join(missing)}); {REBUILD_HINT}")
        version = self._rows("SELECT value FROM meta WHERE key = 'schema'")
        if not version or version[0][0] != str(SCHEMA_VERSION):
            raise GeomapError(
                f"gazetteer {self.path} has schema {version and version[0][0]}, expected {SCHEMA_VERSION}; "
                f"{REBUILD_HINT}"
            )
        self._sql: dict[tuple[int, int, int, bool], str] = {}

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of a query. Damage (a corrupt page, a missing table) may show at any query,
        not only at opening: it is one line naming the file, wherever it shows."""
        try:
            return self._con.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._damaged(exc) from None

    def _damaged(self, exc: Exception) -> GeomapError:
        return GeomapError(f"gazetteer {self.path} is unreadable or damaged ({exc}); {REBUILD_HINT}")

    def _shape(self, blob: bytes) -> dict[str, Any]:
        try:
            return json.loads(zlib.decompress(blob))
        except (zlib.error, ValueError, TypeError) as exc:
            raise self._damaged(exc) from None

    # -- queries -------------------------------------------------------------

    def _query(
        self, keys: Sequence[str], limit: int | None, country_codes: Sequence[str] | None, kinds: Sequence[str] | None
    ) -> list[dict[str, Any]]:
        """Records for the keys, grouped by key in the order given, best first within a key."""
        codes = kind_codes(kinds) if kinds else []
        spec = (len(keys), len(country_codes or ()), len(codes), limit is not None)
        sql = self._sql.get(spec)
        if sql is None:
            where = [f"n.key IN ({','.join('?' * spec[0])})" if spec[0] > 1 else "n.key = ?"]
            if spec[1]:
                where.append(f"p.cc IN ({','.join('?' * spec[1])})")
            if spec[2]:
                where.append(f"p.fcode IN ({','.join('?' * spec[2])})")
            sql = (
                f"SELECT n.key, n.type, {_COLUMNS} FROM names n JOIN places p ON p.id = n.place {_JOINS} "
                f"WHERE {' AND '.join(where)} ORDER BY n.key, p.importance - {_TYPE_PENALTY} * n.type DESC, p.id"
            )
            if limit is not None:
                sql += " LIMIT ?"
            self._sql[spec] = sql
        params: list[Any] = [*keys, *(c.upper() for c in country_codes or ()), *codes]
        if limit is not None:
            params.append(limit)
        return [_record(row[2:], row[0], row[1]) for row in self._rows(sql, params)]

    def _lookup(
        self,
        key: str,
        limit: int | None,
        country_codes: Sequence[str] | None = None,
        kinds: Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        if not key:
            return []
        records = self._query([key], limit, country_codes, kinds)
        if saint := _saint_form(key):
            saints = [r for r in self._query([saint], None, country_codes, kinds) if _well_known(r)]
            records = _best_first(records + saints, limit)
        fallback = None if records else _fallback(key)
        if fallback:
            records = self._query([fallback[0]], limit, country_codes, kinds)
            for r in records if fallback[1] else []:
                r["name_type"] = NAME_TYPES[max(NAME_TYPES.index(r["name_type"]), NAME_TYPES.index("alternate"))]
        return records

    @overload
    def geocode(
        self,
        query: str,
        exactly_one: Literal[True] = True,
        *,
        limit: int | None = None,
        country_codes: str | Sequence[str] | None = None,
        kinds: Sequence[str] | None = None,
        geometry: str | None = None,
        timeout: float | None = None,
    ) -> Location | None: ...

    @overload
    def geocode(
        self,
        query: str,
        exactly_one: Literal[False],
        *,
        limit: int | None = None,
        country_codes: str | Sequence[str] | None = None,
        kinds: Sequence[str] | None = None,
        geometry: str | None = None,
        timeout: float | None = None,
    ) -> list[Location] | None: ...

    def geocode(
        self,
        query: str,
        exactly_one: bool = True,
        *,
        limit: int | None = None,
        country_codes: str | Sequence[str] | None = None,
        kinds: Sequence[str] | None = None,
        geometry: str | None = None,
        timeout: float | None = None,
    ) -> Location | list[Location] | None:
        """geopy semantics: None when nothing matches, else the best Location (or a list
        ordered by importance). ``timeout`` is accepted for compatibility and ignored."""
        if isinstance(country_codes, str):
            country_codes = [country_codes]
        records = self._lookup(normalize(str(query)), 1 if exactly_one else limit, country_codes, kinds)
        if not records:
            return None
        locations = []
        for raw in records:
            if geometry == "geojson":
                raw["geometry"] = self.geometry(raw["id"])
            lat, lon = raw.pop("lat"), raw.pop("lon")
            locations.append(Location(_address(raw), (lat, lon), raw))
        return locations[0] if exactly_one else locations

    def candidates(self, query: str, *, limit: int | None = None) -> list[Candidate]:
        """The places a name may mean, as model Candidates, most important first."""
        return [_candidate(r) for r in self._lookup(normalize(query), limit)]

    def lookup_many(self, keys: Iterable[str]) -> dict[str, list[Candidate]]:
        """Candidates for many already-normalised keys in one query; keys that match
        nothing are left out. A key that misses is retried with its :func:`_fallback`, in
        the same query."""
        wanted = sorted({k for k in keys if k})
        fallbacks = {k: f for k in wanted if (f := _fallback(k))}
        saints = {k: s for k in wanted if (s := _saint_form(k))}
        everything = sorted({*wanted, *(f for f, _ in fallbacks.values()), *saints.values()})
        raws: dict[str, list[dict[str, Any]]] = {}
        for start in range(0, len(everything), 900):  # SQLite's parameter limit
            for raw in self._query(everything[start : start + 900], None, None, None):
                raws.setdefault(raw["matched"], []).append(raw)
        for key, saint in saints.items():
            if well_known := [r for r in raws.get(saint, []) if _well_known(r)]:
                raws[key] = _best_first(raws.get(key, []) + well_known, None)
        found = {key: [_candidate(raw) for raw in records] for key, records in raws.items()}
        out = {k: found[k] for k in wanted if k in found}
        for key, (fallback, another) in fallbacks.items():
            if key not in out and fallback in found:
                out[key] = [_as_alternate(c) for c in found[fallback]] if another else found[fallback]
        return out

    def geometry(self, place_id: str) -> dict[str, Any] | None:
        """The GeoJSON geometry of an outlined place: country, region, river, lake, sea or
        physical feature (None for points)."""
        pid = parse_id(place_id)
        if pid is None:
            return None
        rows = self._rows("SELECT geojson FROM geometry WHERE place = ?", (pid,))
        return self._shape(rows[0][0]) if rows else None

    def nearby(self, lat: float, lon: float, radius_km: float, *, kinds: Sequence[str] = ("river",)) -> list[Candidate]:
        """Features of ``kinds`` whose shape passes within ``radius_km``, nearest first
        (the Tigris near Mosul). A bbox filter in SQL, then exact distance with shapely."""
        import numpy as np
        import shapely
        from shapely.geometry import shape

        dlat = radius_km / 110.574
        kx = 111.320 * max(math.cos(math.radians(lat)), 0.01)
        dlon = radius_km / kx
        codes = kind_codes(kinds)
        if not codes:
            return []
        sql = (
            f"SELECT {_COLUMNS}, g.geojson FROM places p JOIN geometry g ON g.place = p.id {_JOINS} "
            f"WHERE p.fcode IN ({','.join('?' * len(codes))}) AND p.minlon <= ? AND p.maxlon >= ? "
            "AND p.minlat <= ? AND p.maxlat >= ?"
        )
        box = [round(v * COORD_SCALE) for v in (lon + dlon, lon - dlon, lat + dlat, lat - dlat)]
        rows = self._rows(sql, [*codes, *box])
        origin, scale = np.array([lon, lat]), np.array([kx, 110.574])
        hits = []
        for row in rows:
            geom = shapely.transform(shape(self._shape(row[-1])), lambda xy: (xy - origin) * scale)
            distance = geom.distance(shapely.Point(0.0, 0.0))
            if distance <= radius_km:
                hits.append((distance, -row[9], row[0], _candidate(_record(row, None, 0))))
        return [c for *_, c in sorted(hits, key=lambda h: h[:3])]

    def reverse(self, query: Any, *, exactly_one: bool = True, timeout: float | None = None) -> None:
        raise NotImplementedError("the offline gazetteer does not reverse-geocode; use nearby()")

    def close(self) -> None:
        self._con.close()


def _as_alternate(candidate: Candidate) -> Candidate:
    """A candidate reached without its Arabic article: at best another of its names."""
    if candidate.name_type != "name":
        return candidate
    return dataclasses.replace(candidate, name_type="alternate", raw={**candidate.raw, "name_type": "alternate"})
