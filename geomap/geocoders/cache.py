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
import logging
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

log = logging.getLogger(__name__)

CACHE_FILE = "geocode.sqlite"
#: Seconds to wait for another process's write before going on without the cache.
LOCK_TIMEOUT = 5.0
CLEAR_COMMAND = "'geomap cache clear'"
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
    transaction, so an interrupted run loses at most the answer it was storing. A cache
    that cannot be used (damaged, locked by another process for longer than
    ``lock_timeout`` seconds, in a folder that cannot be written) is bypassed with one
    warning naming it: answers are then neither read nor stored, and the map is made
    all the same. ``problem`` says why; :meth:`clear` starts a damaged cache afresh.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path) if path is not None else default_cache_dir() / CACHE_FILE
        self.problem: str | None = None
        self._lock_timeout = lock_timeout
        self._con: sqlite3.Connection | None = None
        self._warned = False
        self._open()

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._con = sqlite3.connect(self.path, timeout=self._lock_timeout, check_same_thread=False)
            self._con.execute("PRAGMA journal_mode=WAL")
            with self._con:
                self._con.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            self._bypass(exc)

    def _bypass(self, exc: OSError | sqlite3.Error) -> None:
        """Stop using the cache for this run; the first use says why (see :meth:`_warn`)."""
        if self._con is not None:
            self._con.close()
            self._con = None
        if self.problem is None:
            self.problem = _diagnosis(self.path, exc)

    def _warn(self) -> None:
        if not self._warned and self.problem:
            self._warned = True
            log.warning("%s", self.problem)

    def get(self, service: str, query: str, options: Mapping[str, Any]) -> list[dict[str, Any]] | None:
        """The stored answers (possibly an empty list), or None if this was never asked, or
        cannot be read (the fresh answer then replaces it)."""
        if self._con is None:
            self._warn()
            return None
        try:
            row = self._con.execute(
                "SELECT CAST(answer AS BLOB) FROM answers WHERE service = ? AND query = ? AND options = ?",
                (service, normalize_query(query), options_key(options)),
            ).fetchone()
        except sqlite3.Error as exc:
            self._bypass(exc)
            self._warn()
            return None
        if row is None:
            return None
        try:
            answer = json.loads(bytes(row[0]).decode("utf-8"))
            why = None if isinstance(answer, list) and all(isinstance(a, dict) for a in answer) else "not a list"
        except UnicodeDecodeError:
            why = "not UTF-8"
        except (ValueError, RecursionError):
            why = "not JSON"
        if why is None:
            return answer
        log.warning("geocoder cache %s: the stored answer for %r is %s; asking again (%s resets the cache)",
                    self.path, query, why, CLEAR_COMMAND)  # fmt: skip
        return None

    def put(self, service: str, query: str, options: Mapping[str, Any], answers: list[dict[str, Any]]) -> None:
        if self._con is None:
            self._warn()
            return
        try:
            with self._con:
                self._con.execute(
                    "INSERT OR REPLACE INTO answers (service, query, options, answer, created) VALUES (?, ?, ?, ?, ?)",
                    (service, normalize_query(query), options_key(options),
                     json.dumps(answers, ensure_ascii=False, separators=(",", ":")), time.time()),
                )  # fmt: skip
        except sqlite3.Error as exc:
            self._bypass(exc)
            self._warn()

    def info(self) -> CacheInfo:
        try:
            if self._con is None:
                raise GeomapError(self.problem or f"geocoder cache {self.path} is closed")
            services = dict(self._con.execute("SELECT service, COUNT(*) FROM answers GROUP BY service").fetchall())
        except sqlite3.Error as exc:
            raise GeomapError(_diagnosis(self.path, exc)) from None
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        return CacheInfo(self.path, sum(services.values()), size, services)

    def clear(self, service: str | None = None) -> int | None:
        """Forget every answer (or one service's) and return how many were removed; a damaged
        cache is deleted and started afresh (None: the count is unknown)."""
        if self._con is not None:
            try:
                with self._con:
                    if service is None:
                        removed = self._con.execute("DELETE FROM answers").rowcount
                    else:
                        removed = self._con.execute("DELETE FROM answers WHERE service = ?", (service,)).rowcount
                self._con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._con.execute("VACUUM")
                return int(removed)
            except sqlite3.Error as exc:
                self._bypass(exc)
        if self.problem and _LOCKED in self.problem:
            raise GeomapError(f"{self.problem}; try again when it is done")
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            except OSError as exc:
                raise GeomapError(f"cannot remove the geocoder cache {self.path}{suffix}: {exc.strerror}") from None
        self.problem, self._warned = None, False
        self._open()
        if self.problem:
            raise GeomapError(self.problem)
        return None

    def close(self) -> None:
        if self._con is not None:
            self._con.close()


_LOCKED = "is locked by another process"


def _diagnosis(path: Path, exc: OSError | sqlite3.Error) -> str:
    """One line on why the cache cannot be used, and what to do about it."""
    if isinstance(exc, OSError):
        return (f"cannot use the geocoder cache {path} ({exc.strerror or exc}); answers are not cached this run: "
                "set GEOMAP_CACHE_DIR or --cache-dir elsewhere, or use --no-cache")  # fmt: skip
    if isinstance(exc, sqlite3.OperationalError) and re.search(r"locked|busy", str(exc)):
        return f"geocoder cache {path} {_LOCKED} ({exc}); answers are not cached this run"
    return f"geocoder cache {path} is unusable ({exc}); it is bypassed: {CLEAR_COMMAND} starts it afresh"
