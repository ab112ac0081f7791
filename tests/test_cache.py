"""The SQLite cache of geocoder answers, and ``geomap cache info|clear``."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from geomap.cli import main
from geomap.geocoders.cache import CACHE_FILE, GeocodeCache, default_cache_dir, open_cache

MOSUL = [
    {"address": "Mosul, Nineveh Governorate, Iraq", "lat": 36.34, "lon": 43.13, "raw": {"osm_id": 1, "name": "Mosul"}}
]
OPTIONS = {"domain": "nominatim.openstreetmap.org", "geometry": "geojson", "limit": 25}


@pytest.fixture
def cache(tmp_path: Path) -> GeocodeCache:
    return GeocodeCache(tmp_path / CACHE_FILE)


def test_answers_survive_a_new_process_and_ignore_case_and_spacing(tmp_path: Path, cache: GeocodeCache) -> None:
    cache.put("nominatim", "Mosul", OPTIONS, MOSUL)
    cache.close()
    again = GeocodeCache(tmp_path / CACHE_FILE)
    assert again.get("nominatim", "  mOSUL ", dict(reversed(OPTIONS.items()))) == MOSUL
    assert again.get("nominatim", "Mosul, Iraq", OPTIONS) is None


def test_service_and_answer_changing_options_are_part_of_the_key(cache: GeocodeCache) -> None:
    cache.put("nominatim", "Mosul", OPTIONS, MOSUL)
    assert cache.get("photon", "Mosul", OPTIONS) is None
    assert cache.get("nominatim", "Mosul", {**OPTIONS, "language": "ar"}) is None
    assert cache.get("nominatim", "Mosul", {**OPTIONS, "domain": "127.0.0.1:8080"}) is None
    assert cache.get("nominatim", "Mosul", {**OPTIONS, "language": None}) == MOSUL  # unset is unset


def test_misses_are_cached_as_empty_answers(cache: GeocodeCache) -> None:
    cache.put("nominatim", "Atlantis", OPTIONS, [])
    assert cache.get("nominatim", "Atlantis", OPTIONS) == []


def test_api_keys_are_hashed_never_stored(tmp_path: Path, cache: GeocodeCache) -> None:
    cache.put("opencage", "Mosul", {"api_key": "s3cret-key-123"}, MOSUL)
    cache.put("opencage", "Mosul", {"api_key": "another-key-456"}, [])
    assert cache.get("opencage", "Mosul", {"api_key": "s3cret-key-123"}) == MOSUL
    assert cache.get("opencage", "Mosul", {"api_key": "another-key-456"}) == []
    cache.close()
    stored = (tmp_path / CACHE_FILE).read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("*-wal"))
    assert b"s3cret-key-123" not in stored and b"another-key-456" not in stored


def test_info_counts_per_service_and_clear_one_service(cache: GeocodeCache) -> None:
    for name in ("Mosul", "Raqqa", "Aleppo"):
        cache.put("nominatim", name, OPTIONS, MOSUL)
    cache.put("photon", "Mosul", {}, MOSUL)
    info = cache.info()
    assert (info.entries, info.services) == (4, {"nominatim": 3, "photon": 1})
    assert info.size > 0 and info.path == cache.path
    assert cache.clear("photon") == 1
    assert cache.info().services == {"nominatim": 3}
    assert cache.clear() == 3
    assert cache.info().entries == 0


def test_two_processes_share_one_cache(tmp_path: Path) -> None:
    """Two open caches on one file (two runs at once) see each other's writes and don't lock up."""
    first, second = GeocodeCache(tmp_path / CACHE_FILE), GeocodeCache(tmp_path / CACHE_FILE)
    errors: list[BaseException] = []

    def write(cache: GeocodeCache, service: str) -> None:
        try:
            for i in range(50):
                cache.put(service, f"place {i}", OPTIONS, MOSUL)
        except BaseException as exc:  # noqa: BLE001 surfaced below: a thread's exception would be lost
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(c, s)) for c, s in ((first, "a"), (second, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert first.info().services == {"a": 50, "b": 50}
    assert sqlite3.connect(tmp_path / CACHE_FILE).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_where_the_cache_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "env"))
    assert default_cache_dir() == tmp_path / "env"
    assert GeocodeCache().path == tmp_path / "env" / CACHE_FILE
    assert open_cache(tmp_path / "explicit").path == tmp_path / "explicit" / CACHE_FILE  # type: ignore[union-attr]
    assert open_cache(False) is None and open_cache(None) is None
    monkeypatch.delenv("GEOMAP_CACHE_DIR")
    assert default_cache_dir().name == "geomap"  # the platform's user cache directory


def test_cli_info_and_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = GeocodeCache(tmp_path / CACHE_FILE)
    cache.put("nominatim", "Mosul", OPTIONS, MOSUL)
    cache.put("photon", "Mosul", {}, [])
    assert main(["cache", "info", "--json", "--cache-dir", str(tmp_path)]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["entries"] == 2 and info["services"] == {"nominatim": 1, "photon": 1}
    assert main(["cache", "clear", "--service", "photon", "--cache-dir", str(tmp_path)]) == 0
    assert "removed 1 photon answer from" in capsys.readouterr().out
    assert main(["cache", "info", "--cache-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "entries: 1" in out and "nominatim: 1" in out and "photon" not in out


# -- a cache that cannot be used is bypassed, never a traceback -------------------------


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_file_that_is_not_a_database_is_bypassed_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / CACHE_FILE
    path.write_bytes(b"not a database, whatever it was " * 200)
    cache = GeocodeCache(path)  # before: an error that stopped the map
    cache.put("nominatim", "Mosul", OPTIONS, MOSUL)
    assert cache.get("nominatim", "Mosul", OPTIONS) is None
    assert cache.get("nominatim", "Raqqa", OPTIONS) is None
    [warning] = warnings_of(caplog)
    assert str(path) in warning and "'geomap cache clear'" in warning and "\n" not in warning


def test_pages_damaged_after_opening_are_bypassed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / CACHE_FILE
    cache = GeocodeCache(path)
    for i in range(500):
        cache.put("nominatim", f"place {i}", OPTIONS, MOSUL * 5)
    cache.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(2 * page, len(data), page):
        data[start : start + page] = bytes(range(256)) * (page // 256)
    path.write_bytes(bytes(data))
    cache = GeocodeCache(path)
    assert cache.get("nominatim", "place 250", OPTIONS) is None  # before: sqlite3.DatabaseError
    cache.put("nominatim", "place 1", OPTIONS, MOSUL)
    [warning] = warnings_of(caplog)
    assert warning.startswith(f"geocoder cache {path} is unusable (") and "geomap cache clear" in warning


@pytest.mark.parametrize(("stored", "why"), [("x'fffe0041'", "not UTF-8"), ("'{\"lat\": 36.34'", "not JSON"),
                                             ("'{\"lat\": 36.34}'", "not a list")])  # fmt: skip
def test_an_unreadable_entry_is_asked_again(
    tmp_path: Path, cache: GeocodeCache, caplog: pytest.LogCaptureFixture, stored: str, why: str
) -> None:
    cache.put("nominatim", "Mosul", OPTIONS, MOSUL)
    with sqlite3.connect(cache.path) as con:
        con.execute(f"UPDATE answers SET answer = CAST({stored} AS TEXT)")
    assert cache.get("nominatim", "Mosul", OPTIONS) is None  # before: a traceback
    [warning] = warnings_of(caplog)
    assert warning == (f"geocoder cache {cache.path}: the stored answer for 'Mosul' is {why}; "
                       "asking again ('geomap cache clear' resets the cache)")  # fmt: skip
    cache.put("nominatim", "Mosul", OPTIONS, MOSUL)  # the fresh answer replaces it
    assert cache.get("nominatim", "Mosul", OPTIONS) == MOSUL


def test_a_cache_locked_by_another_process_is_bypassed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / CACHE_FILE
    GeocodeCache(path).close()
    hold = (
        f"import sqlite3, sys\ncon = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "con.execute('PRAGMA locking_mode=EXCLUSIVE'); con.execute('BEGIN EXCLUSIVE')\n"
        "con.execute('DELETE FROM answers'); print('locked', flush=True); sys.stdin.read()"
    )
    holder = subprocess.Popen([sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        cache = GeocodeCache(path, lock_timeout=0.2)
        for name in ("Mosul", "Raqqa", "Aleppo"):
            cache.put("nominatim", name, OPTIONS, MOSUL)
            assert cache.get("nominatim", name, OPTIONS) is None
    finally:
        holder.communicate("")
    [warning] = warnings_of(caplog)
    assert warning.startswith(f"geocoder cache {path} is locked by another process (database is locked)")


def test_the_cli_reports_and_clears_an_unusable_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / CACHE_FILE
    path.write_bytes(b"garbage " * 1000)
    (tmp_path / f"{CACHE_FILE}-wal").write_bytes(b"more garbage")
    assert main(["cache", "info", "--cache-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "'geomap cache clear'" in err
    assert main(["cache", "clear", "--cache-dir", str(tmp_path)]) == 0
    assert f"removed the unusable cache {path}" in capsys.readouterr().out
    wal = tmp_path / f"{CACHE_FILE}-wal"
    assert not wal.exists() or wal.read_bytes() != b"more garbage"
    fresh = GeocodeCache(path)
    fresh.put("nominatim", "Mosul", OPTIONS, MOSUL)
    assert fresh.get("nominatim", "Mosul", OPTIONS) == MOSUL and fresh.problem is None
