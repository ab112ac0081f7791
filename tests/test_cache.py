"""The SQLite cache of geocoder answers, and ``geomap cache info|clear``."""

from __future__ import annotations

import json
import sqlite3
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
