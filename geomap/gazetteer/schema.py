"""The gazetteer file's format in one place: tables, codes, scales and ids.

The reader (:mod:`geomap.gazetteer.reader`) and the builder (:mod:`geomap.gazetteer.build`)
both follow this module, so a change to the file is made once, here, with its version bumped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Bumped whenever the tables change; a file of another version must be rebuilt.
SCHEMA_VERSION = 2

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
    "PASS": ("T", "other"),
    "ISL": ("T", "other"),
    "ISLS": ("T", "other"),
    "DSRT": ("T", "other"),
    "PLAT": ("T", "other"),
    "PEN": ("T", "other"),
    "PLN": ("T", "other"),
    "VAL": ("T", "other"),
    "DLTA": ("T", "other"),
    "LOWL": ("T", "other"),
    "DPR": ("T", "other"),
    "ISTH": ("T", "other"),
    "GRGE": ("T", "other"),
    "HLLS": ("T", "other"),
    "BSND": ("L", "other"),
    "TUND": ("V", "other"),
    "WTLD": ("H", "other"),
    "RF": ("H", "other"),
    "CST": ("L", "region"),
    "RGN": ("L", "region"),
    "OCN": ("H", "sea"),
    "SEA": ("H", "sea"),
    "GULF": ("H", "sea"),
    "BAY": ("H", "sea"),
    "STRT": ("H", "sea"),
    "CHNM": ("H", "sea"),
    "SD": ("H", "sea"),
    "FJD": ("H", "sea"),
    "INLT": ("H", "sea"),
    "LGN": ("H", "lake"),
    "AIRP": ("S", "other"),
}

#: Ids at or below minus this are geomap's own places (:mod:`geomap.gazetteer.groups`);
#: other negative ids are Natural Earth's.
HAND_ID_BASE = 2_000_000_000
#: Ids at or below minus this are airports: the base plus the ICAO code read in base 36
#: (``icao:EGKK`` is -(3e9 + int("EGKK", 36))), below every hand id (36^4 < 1e9).
AIRPORT_ID_BASE = 3_000_000_000

#: Coordinates are stored as integers of this many units per degree (1e-5 deg ~ 1 m),
#: importance as integers of 1/10000: half the bytes of REAL columns.
COORD_SCALE = 100_000
IMPORTANCE_SCALE = 10_000

#: First words that are the Arabic definite article in romanised names ("Ar Raqqah").
ARABIC_ARTICLES = frozenset({"al", "ar", "as", "ad", "an", "at", "az", "el", "ash", "ath", "adh"})
#: The article as romanisations also write it inside a name ("Deir ez-Zor", "Ed Damer").
_ARTICLE_SPELLINGS = ARABIC_ARTICLES | {"ed", "en", "er", "es", "et", "ez"}


def arabic_spelling(key: str) -> str | None:
    """One spelling for the romanisations of an Arabic name with an article inside it, or None
    for a key without one: the article as "al" whatever letter it takes before its noun ("ash
    Shughur"), doubled letters single, "ay" as "ai" and "ou" as "u". "Jisr al-Shughur" and
    "Jisr ash Shughur", "Ras al-Ain" and "Ra's al 'Ayn", "Maarat al-Numan" and "Ma'arrat an
    Nu'man" meet."""
    words = key.split(" ")
    if not any(w in _ARTICLE_SPELLINGS for w in words[1:-1]):
        return None
    folded = " ".join("al" if k and w in _ARTICLE_SPELLINGS else w for k, w in enumerate(words))
    folded = re.sub(r"(\w)\1", r"\1", folded).replace("ay", "ai").replace("ou", "u")
    return folded if folded != key else None


#: ``places.english`` is the place's English name where its own name is another language's
#: ("Köln" -> "Cologne", "Bodensee" -> "Lake Constance"), NULL where the own name serves.
SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE places(
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, fcode TEXT NOT NULL, lat INTEGER NOT NULL, lon INTEGER NOT NULL,
    population INTEGER NOT NULL, cc TEXT, a1 TEXT, importance INTEGER NOT NULL,
    minlon INTEGER, minlat INTEGER, maxlon INTEGER, maxlat INTEGER, english TEXT);
CREATE TABLE names(key TEXT NOT NULL, place INTEGER NOT NULL, type INTEGER NOT NULL,
    PRIMARY KEY(key, place)) WITHOUT ROWID;
CREATE TABLE countries(cc TEXT PRIMARY KEY, name TEXT NOT NULL, place INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE admin1(cc TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, place INTEGER NOT NULL,
    PRIMARY KEY(cc, code)) WITHOUT ROWID;
CREATE TABLE geometry(place INTEGER PRIMARY KEY, geojson BLOB NOT NULL);
"""
#: The tables a gazetteer file must have, checked when it is opened.
TABLES = frozenset(re.findall(r"CREATE TABLE (\w+)", SCHEMA))


def feature_kind(fcode: str) -> tuple[str, str]:
    """(feature class, kind) of a GeoNames feature code."""
    return FEATURE_CODES.get(fcode) or (("P", "city") if fcode.startswith("PPL") else ("", "other"))


def kind_codes(kinds: Iterable[str]) -> list[str]:
    """The stored feature codes of some kinds ("city" needs every PPL* code in use)."""
    wanted = set(kinds)
    codes = [code for code, (_, kind) in FEATURE_CODES.items() if kind in wanted]
    if "city" in wanted:
        codes += ["PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLA5", "PPLC", "PPLF", "PPLG", "PPLL", "PPLR", "PPLS"]
    return codes


def airport_id(icao: str) -> int:
    """The row id of the airport of a four-character ICAO code."""
    return -(AIRPORT_ID_BASE + int(icao, 36))


def _icao(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "".join(digits[number // 36**k % 36] for k in (3, 2, 1, 0))


def place_id(pid: int, kind: str) -> str:
    if pid > 0:
        return f"geonames:{pid}"
    if -pid >= AIRPORT_ID_BASE:
        return f"icao:{_icao(-pid - AIRPORT_ID_BASE)}"
    return f"geomap:{kind}:{-pid - HAND_ID_BASE}" if -pid >= HAND_ID_BASE else f"ne:{kind}:{-pid}"


def parse_id(place_id: str) -> int | None:
    parts = place_id.split(":")
    try:
        if parts[0] == "geonames" and len(parts) == 2:
            return int(parts[1])
        if parts[0] == "ne" and len(parts) == 3:
            return -int(parts[2])
        if parts[0] == "icao" and len(parts) == 2 and re.fullmatch(r"[A-Z0-9]{4}", parts[1]):
            return airport_id(parts[1])
        if parts[0] == "geomap" and len(parts) == 3:
            return -(HAND_ID_BASE + int(parts[2]))
    except ValueError:
        return None
    return None
