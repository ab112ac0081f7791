"""A persistent cache of online geocoders' answers, so regenerating a map asks nothing twice.

Public geocoders allow about one request a second; an article has dozens of places, and
the same article is often mapped again with a new title or format. Answers are stored as
the geocoder's raw JSON (not as Candidates) so that a change in how geomap reads them
needs no new request. Empty answers are stored too: a name the service does not know is
not asked again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geomap.errors import GeomapError

CACHE_FILE = "geocode.sqlite"
#: Option names whose values are credentials: the key holds a digest of them, never the value.
SECRET_OPTION = re.compile(r"key|secret|token|password|auth|client_id", re.IGNORECASE)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    service TEXT NOT NULL,
    query TEXT NOT NULL,
    options TEXT NOT NULL,
    answer TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (service, query, options)
)
"""


def default_cache_dir() -> Path:
    """``$GEOMAP_CACHE_DIR``, else the platform's user cache directory for geomap."""
    env = os.environ.get("GEOMAP_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("geomap"))


def normalize_query(query: str) -> str:
    """Case, Unicode form and spacing do not change a geocoder's answer; keep one entry for them."""
    return " ".join(unicodedata.normalize("NFC", query).casefold().split())


def options_key(options: Mapping[str, Any]) -> str:
    """The options as a stable string, None values dropped and credentials replaced by a digest."""
    items = {}
    for name, value in sorted(options.items()):
        if value is None:
            continue
        if SECRET_OPTION.search(name):
            value = "sha256:" + hashlib.sha256(str(value).encode()).hexdigest()[:16]
        items[name] = value
    return json.dumps(items, sort_keys=True, separators=(",", ":"), default=str)


def open_cache(cache: str | os.PathLike[str] | None | bool = True) -> GeocodeCache | None:
    """True: the default cache; a path: the cache in that directory; None or False: no cache."""
    if cache is None or cache is False:
        return None
    return GeocodeCache(None if cache is True else Path(cache) / CACHE_FILE)


@dataclass(frozen=True, slots=True)
class CacheInfo:
    path: Path
    entries: int
    size: int  # bytes on disk, including SQLite's write-ahead log
    services: dict[str, int]  # entries per service

    def summary(self) -> str:
        lines = [f"cache: {self.path}", f"entries: {self.entries}", f"size: {self.size / 1024:.1f} KiB"]
        lines += [f"  {service}: {count}" for service, count in sorted(self.services.items())]
        return "\n".join(lines)


class GeocodeCache:
    """Answers keyed by (service, normalised query, options); safe for a few processes at once.

    WAL mode lets readers work while another run writes, and every write is its own
    transaction, so an interrupted run loses at most the answer it was storing.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_cache_dir() / CACHE_FILE
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._con = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            self._con.execute("PRAGMA journal_mode=WAL")
            with self._con:
                self._con.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise GeomapError(
                f"cannot use the geocoder cache {self.path} ({exc}); "
                "set GEOMAP_CACHE_DIR or --cache-dir elsewhere, or use --no-cache"
            ) from None

    def get(self, service: str, query: str, options: Mapping[str, Any]) -> list[dict[str, Any]] | None:
        """The stored answers (possibly an empty list), or None if this was never asked."""
        row = self._con.execute(
            "SELECT answer FROM answers WHERE service = ? AND query = ? AND options = ?",
            (service, normalize_query(query), options_key(options)),
        ).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, service: str, query: str, options: Mapping[str, Any], answers: list[dict[str, Any]]) -> None:
        with self._con:
            self._con.execute(
                "INSERT OR REPLACE INTO answers (service, query, options, answer, created) VALUES (?, ?, ?, ?, ?)",
                (service, normalize_query(query), options_key(options),
                 json.dumps(answers, ensure_ascii=False, separators=(",", ":")), time.time()),
            )  # fmt: skip

    def info(self) -> CacheInfo:
        services = dict(self._con.execute("SELECT service, COUNT(*) FROM answers GROUP BY service").fetchall())
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        return CacheInfo(self.path, sum(services.values()), size, services)

    def clear(self, service: str | None = None) -> int:
        """Forget every answer (or one service's); returns how many were removed."""
        with self._con:
            if service is None:
                removed = self._con.execute("DELETE FROM answers").rowcount
            else:
                removed = self._con.execute("DELETE FROM answers WHERE service = ?", (service,)).rowcount
        self._con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._con.execute("VACUUM")
        return removed

    def close(self) -> None:
        self._con.close()
