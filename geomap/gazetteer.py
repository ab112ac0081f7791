"""The offline gazetteer: geomap's default geocoder and its fallback when the network fails.

One read-only SQLite file (built by :mod:`geomap.gazetteer_build`) holds GeoNames places
and Natural Earth shapes; names are keyed by :func:`normalize`, so case, diacritics,
apostrophes, hyphens and dots do not matter. :class:`Gazetteer` speaks geopy's
``Geocoder`` interface so it can stand wherever a geopy geocoder stands.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import sqlite3
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geomap.errors import GeomapError
from geomap.model import Candidate

#: Bumped whenever the tables change; a file of another version must be rebuilt.
SCHEMA_VERSION = 1

#: How a name reaches a place, strongest first (stored as the index in this tuple).
NAME_TYPES: tuple[str, ...] = ("name", "abbreviation", "alternate", "demonym")

#: GeoNames feature code -> (feature class, kind). Only the code is stored; any code
#: not listed is a populated place if it starts with PPL, else "other".
FEATURE_CODES: dict[str, tuple[str, str]] = {
    "CONT": ("L", "continent"),
    "PCLI": ("A", "country"),
    "ADM1": ("A", "region"),
    "ADM2": ("A", "region"),
    "PPLX": ("P", "district"),
    "STM": ("H", "river"),
    "LK": ("H", "lake"),
    "LKS": ("H", "lake"),
    "RSV": ("H", "lake"),
    "MT": ("T", "other"),
    "MTS": ("T", "other"),
    "ISL": ("T", "other"),
    "ISLS": ("T", "other"),
    "DSRT": ("T", "other"),
    "RGN": ("L", "region"),
    "OCN": ("H", "sea"),
    "SEA": ("H", "sea"),
    "GULF": ("H", "sea"),
    "BAY": ("H", "sea"),
    "STRT": ("H", "sea"),
}

#: Ids at or below minus this are geomap's own places (:mod:`geomap.gazetteer_groups`);
#: other negative ids are Natural Earth's.
HAND_ID_BASE = 2_000_000_000

#: Coordinates are stored as integers of this many units per degree (1e-5 deg ~ 1 m),
#: importance as integers of 1/10000: half the bytes of REAL columns.
COORD_SCALE = 100_000
IMPORTANCE_SCALE = 10_000

#: First words that are the Arabic definite article in romanised names ("Ar Raqqah").
ARABIC_ARTICLES = frozenset({"al", "ar", "as", "ad", "an", "at", "az", "el", "ash", "ath", "adh"})

#: Credit line for the map footer: both sources ask for it.
ATTRIBUTION = (
    'Places &copy; <a href="https://www.geonames.org/">GeoNames</a> (CC-BY 4.0); '
    'shapes: <a href="https://www.naturalearthdata.com/">Made with Natural Earth</a>'
)

REBUILD_HINT = "rebuild it with 'geomap gazetteer build' or set GEOMAP_GAZETTEER to a gazetteer file"

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʼʻʿʾ′.\u02bc"), None)
_LETTERS = {"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d", "ħ": "h", "ŧ": "t"}
_TABLE = str.maketrans({**_APOSTROPHES, **{ord(k): v for k, v in _LETTERS.items()}})


def normalize(text: str) -> str:
    """The lookup key of a name: "Ar-Raqqah" -> "ar raqqah", "U.S." -> "us", "Mūşil" -> "musil".

    Apostrophes and dots vanish (so "U.S." meets "US"), every other non-alphanumeric
    character separates words, and letters lose their diacritics.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_TABLE))
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        out.append(ch if ch.isalnum() else " ")
    return " ".join("".join(out).translate(_TABLE).split())


def default_path() -> Path:
    env = os.environ.get("GEOMAP_GAZETTEER")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "data" / "gazetteer.sqlite"


_COLUMNS = (
    "p.id, p.name, p.fcode, p.lat, p.lon, p.population, p.cc, c.name, a.name, p.importance,"
    " p.minlon, p.minlat, p.maxlon, p.maxlat"
)
#: Ranking subtracts this (in importance units) per step down NAME_TYPES: an alternate
#: name ("Victoria" for Hong Kong) counts 0.1 less than a place's own name.
_TYPE_PENALTY = IMPORTANCE_SCALE // 20
_JOINS = "LEFT JOIN countries c ON c.cc = p.cc LEFT JOIN admin1 a ON a.cc = p.cc AND a.code = p.a1"


def feature_kind(fcode: str) -> tuple[str, str]:
    """(feature class, kind) of a GeoNames feature code."""
    return FEATURE_CODES.get(fcode) or (("P", "city") if fcode.startswith("PPL") else ("", "other"))


def _kind_codes(kinds: Iterable[str]) -> list[str]:
    """The stored feature codes of some kinds ("city" needs every PPL* code in use)."""
    wanted = set(kinds)
    codes = [code for code, (_, kind) in FEATURE_CODES.items() if kind in wanted]
    if "city" in wanted:
        codes += ["PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLA5", "PPLC", "PPLF", "PPLG", "PPLL", "PPLR", "PPLS"]
    return codes


def _place_id(pid: int, kind: str) -> str:
    if pid > 0:
        return f"geonames:{pid}"
    return f"geomap:{kind}:{-pid - HAND_ID_BASE}" if -pid >= HAND_ID_BASE else f"ne:{kind}:{-pid}"


def _parse_id(place_id: str) -> int | None:
    parts = place_id.split(":")
    try:
        if parts[0] == "geonames" and len(parts) == 2:
            return int(parts[1])
        if parts[0] == "ne" and len(parts) == 3:
            return -int(parts[2])
        if parts[0] == "geomap" and len(parts) == 3:
            return -(HAND_ID_BASE + int(parts[2]))
    except ValueError:
        return None
    return None


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
        "id": _place_id(pid, kind),
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
        raw={k: v for k, v in raw.items() if k not in ("geometry", "lat", "lon")},
    )


def _article_fallback(key: str) -> str | None:
    """The key without an Arabic article ("al raqqa" -> "raqqa"), tried only when the key matches nothing."""
    head, _, rest = key.partition(" ")
    return rest if head in ARABIC_ARTICLES and len(rest) >= 3 else None


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
            version = self._con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise GeomapError(f"gazetteer {self.path} is unreadable ({exc}); {REBUILD_HINT}") from None
        if version is None or version[0] != str(SCHEMA_VERSION):
            raise GeomapError(
                f"gazetteer {self.path} has schema {version and version[0]}, expected {SCHEMA_VERSION}; {REBUILD_HINT}"
            )
        self._sql: dict[tuple[int, int, int, bool], str] = {}

    # -- queries -------------------------------------------------------------

    def _query(
        self, keys: Sequence[str], limit: int | None, country_codes: Sequence[str] | None, kinds: Sequence[str] | None
    ) -> list[dict[str, Any]]:
        """Records for the keys, grouped by key in the order given, best first within a key."""
        codes = _kind_codes(kinds) if kinds else []
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
        return [_record(row[2:], row[0], row[1]) for row in self._con.execute(sql, params)]

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
        fallback = None if records else _article_fallback(key)
        if fallback:
            records = self._query([fallback], limit, country_codes, kinds)
            for r in records:
                r["name_type"] = NAME_TYPES[max(NAME_TYPES.index(r["name_type"]), NAME_TYPES.index("alternate"))]
        return records

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
        nothing are left out. Keys beginning with an Arabic article that miss are
        retried without it, in the same query."""
        wanted = sorted({k for k in keys if k})
        fallbacks = {k: f for k in wanted if (f := _article_fallback(k))}
        everything = sorted({*wanted, *fallbacks.values()})
        found: dict[str, list[Candidate]] = {}
        for start in range(0, len(everything), 900):  # SQLite's parameter limit
            for raw in self._query(everything[start : start + 900], None, None, None):
                found.setdefault(raw["matched"], []).append(_candidate(raw))
        out = {k: found[k] for k in wanted if k in found}
        for key, fallback in fallbacks.items():
            if key not in out and fallback in found:
                out[key] = [_as_alternate(c) for c in found[fallback]]
        return out

    def geometry(self, place_id: str) -> dict[str, Any] | None:
        """The GeoJSON geometry of a country, river or lake (None for points)."""
        pid = _parse_id(place_id)
        if pid is None:
            return None
        row = self._con.execute("SELECT geojson FROM geometry WHERE place = ?", (pid,)).fetchone()
        return None if row is None else json.loads(zlib.decompress(row[0]))

    def nearby(self, lat: float, lon: float, radius_km: float, *, kinds: Sequence[str] = ("river",)) -> list[Candidate]:
        """Features of ``kinds`` whose shape passes within ``radius_km``, nearest first
        (the Tigris near Mosul). A bbox filter in SQL, then exact distance with shapely."""
        import numpy as np
        import shapely
        from shapely.geometry import shape

        dlat = radius_km / 110.574
        kx = 111.320 * max(math.cos(math.radians(lat)), 0.01)
        dlon = radius_km / kx
        codes = _kind_codes(kinds)
        if not codes:
            return []
        sql = (
            f"SELECT {_COLUMNS}, g.geojson FROM places p JOIN geometry g ON g.place = p.id {_JOINS} "
            f"WHERE p.fcode IN ({','.join('?' * len(codes))}) AND p.minlon <= ? AND p.maxlon >= ? "
            "AND p.minlat <= ? AND p.maxlat >= ?"
        )
        box = [round(v * COORD_SCALE) for v in (lon + dlon, lon - dlon, lat + dlat, lat - dlat)]
        rows = self._con.execute(sql, [*codes, *box]).fetchall()
        origin, scale = np.array([lon, lat]), np.array([kx, 110.574])
        hits = []
        for row in rows:
            geom = shapely.transform(shape(json.loads(zlib.decompress(row[-1]))), lambda xy: (xy - origin) * scale)
            distance = geom.distance(shapely.Point(0.0, 0.0))
            if distance <= radius_km:
                hits.append((distance, -row[9], row[0], _candidate(_record(row, None, 0))))
        return [c for *_, c in sorted(hits, key=lambda h: h[:3])]

    def reverse(self, query: Any, *, exactly_one: bool = True, timeout: float | None = None) -> None:
        raise NotImplementedError("the offline gazetteer does not reverse-geocode; use nearby()")

    def close(self) -> None:
        self._con.close()


def _as_alternate(candidate: Candidate) -> Candidate:
    raw = dict(candidate.raw)
    if raw["name_type"] == "name":
        raw["name_type"] = "alternate"
    return dataclasses.replace(candidate, raw=raw)
