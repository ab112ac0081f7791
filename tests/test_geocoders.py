"""Online geocoding against a real HTTP server on 127.0.0.1 that answers like Nominatim.

geopy's own Nominatim client does the talking (``domain``/``scheme='http'`` point it at
the local server), so requests, rate limiting, timeouts, retries, the cache and the
fallback to the real offline gazetteer are all exercised end to end.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import math
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import drip
from geopy.geocoders import Nominatim
from geopy.location import Location
from pytest_httpserver import HTTPServer
from shapely.geometry import Point, shape
from werkzeug import Request, Response

from geomap.cli.geocoder_options import add_geocoder_arguments, source_from_args
from geomap.errors import GeomapError
from geomap.fetch import Limits
from geomap.gazetteer import Gazetteer
from geomap.geocoders.cache import CACHE_FILE, GeocodeCache
from geomap.geocoders.online import MAX_VERTICES, GeopySource, candidate_from_location, get_source, osm_kind, simplified

UA = "geomap-tests/0.1 (tests@example.org)"
MOSUL = (36.34, 43.13)  # lat, lon


def jagged_outline(lat: float, lon: float, radius: float, n: int = 3000) -> list[list[float]]:
    """A closed ring with many more vertices than its shape needs, like OSM boundaries:
    an ellipse with wiggles of ~5 m."""
    ring = []
    for i in range(n):
        t = 2 * math.pi * i / n
        ring.append([round(lon + 1.2 * radius * math.cos(t) + 0.00005 * math.sin(97 * t), 7),
                     round(lat + radius * math.sin(t) + 0.00005 * math.cos(89 * t), 7)])  # fmt: skip
    return [*ring, ring[0]]


def nominatim_mosul() -> dict[str, Any]:
    """One result as Nominatim's /search?format=json&polygon_geojson=1&addressdetails=1&extratags=1
    returns it (ids illustrative)."""
    ring = jagged_outline(*MOSUL, radius=0.09)
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return {
        "place_id": 208420416,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": "relation",
        "osm_id": 5812447,
        "lat": str(MOSUL[0]),
        "lon": str(MOSUL[1]),
        "class": "boundary",
        "type": "administrative",
        "place_rank": 16,
        "importance": 0.6575,
        "addresstype": "city",
        "name": "Mosul",
        "display_name": "Mosul, Mosul District, Nineveh Governorate, Iraq",
        "address": {"city": "Mosul", "county": "Mosul District", "state": "Nineveh Governorate",
                    "ISO3166-2-lvl4": "IQ-NI", "country": "Iraq", "country_code": "iq"},
        "extratags": {"population": "1739800", "admin_level": "8"},
        "boundingbox": [str(min(lats)), str(max(lats)), str(min(lons)), str(max(lons))],
        "geojson": {"type": "Polygon", "coordinates": [ring]},
    }  # fmt: skip


@pytest.fixture(scope="module")
def http() -> Iterator[HTTPServer]:
    """A threaded server, so a handler that hangs does not hold up the next request."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(http: HTTPServer) -> Iterator[HTTPServer]:
    yield http
    http.clear()


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No user's config, variables or cache leak in; returns the (empty) config file."""
    import os

    for var in list(os.environ):
        if var.startswith("GEOMAP_") and var != "GEOMAP_GAZETTEER":
            monkeypatch.delenv(var)
    config = tmp_path / "config.toml"
    config.write_text("")
    monkeypatch.setenv("GEOMAP_CONFIG", str(config))
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "cache"))
    return config


def domain(server: HTTPServer) -> str:
    return f"{server.host}:{server.port}"


def nominatim(server: HTTPServer, *, cache: bool = True, **options: str) -> GeopySource:
    """The source geomap builds for ``--geocoder nominatim``, pointed at the local server."""
    source = get_source("nominatim", cache=cache, options={"user_agent": UA, "domain": domain(server),
                                                           "scheme": "http", "min_delay": "0", **options})  # fmt: skip
    assert isinstance(source, GeopySource)
    return source


def answering(answers: list[dict[str, Any]], arrivals: list[float] | None = None) -> Callable[[Request], Response]:
    def handle(request: Request) -> Response:
        if arrivals is not None:
            arrivals.append(time.monotonic())
        return Response(json.dumps(answers), content_type="application/json")

    return handle


def vertices(geometry: Mapping[str, Any] | None) -> int:
    assert geometry is not None and geometry["type"] == "Polygon"
    return len(geometry["coordinates"][0])


# -- reading Nominatim ------------------------------------------------------------


def test_mosul_from_nominatim_with_its_outline(server: HTTPServer) -> None:
    answer = nominatim_mosul()
    server.expect_request("/search").respond_with_json([answer])
    [mosul] = nominatim(server).candidates("Mosul", limit=5)

    assert mosul.id == "nominatim:relation:5812447"
    assert (mosul.name, mosul.kind, mosul.source, mosul.note) == ("Mosul", "city", "nominatim", None)
    assert (mosul.country_code, mosul.country, mosul.admin1) == ("IQ", "Iraq", "Nineveh Governorate")
    assert (mosul.lat, mosul.lon) == MOSUL
    assert mosul.population == 1739800 and mosul.importance == pytest.approx(0.6575)

    assert mosul.geometry is not None
    outline = dict(mosul.geometry)
    original = shape(answer["geojson"])
    assert outline["type"] == "Polygon" and "geojson" not in mosul.raw
    assert vertices(outline) < vertices(answer["geojson"]) / 10  # simplified...
    assert shape(outline).area == pytest.approx(original.area, rel=0.01)  # ...without changing the shape
    assert shape(outline).contains(Point(MOSUL[1], MOSUL[0])) and shape(outline).is_valid
    coords = [c for ring in outline["coordinates"] for p in ring for c in p]
    assert all(round(c, 5) == c for c in coords)
    assert len(json.dumps(outline)) < len(json.dumps(answer["geojson"])) / 10

    [(request, _)] = server.log
    assert request.headers["User-Agent"] == UA
    args = request.args
    assert (args["q"], args["format"], args["limit"]) == ("Mosul", "json", "5")
    assert all(args[flag] not in ("", "0") for flag in ("polygon_geojson", "addressdetails", "extratags"))


@pytest.mark.parametrize(("osm", "kind"), [
    (("boundary", "administrative", "country"), "country"),
    (("boundary", "administrative", "state"), "region"),
    (("place", "province", None), "region"),
    (("place", "town", "town"), "city"),
    (("boundary", "administrative", "city"), "city"),
    (("place", "suburb", "suburb"), "district"),
    (("waterway", "river", "river"), "river"),
    (("natural", "water", "lake"), "lake"),
    (("place", "ocean", "ocean"), "sea"),
    (("natural", "bay", "bay"), "sea"),
    (("natural", "strait", "strait"), "sea"),
    (("place", "continent", "continent"), "continent"),
    (("amenity", "hospital", "amenity"), "other"),
])  # fmt: skip
def test_kinds_of_osm_objects(osm: tuple[str, str, str | None], kind: str) -> None:
    assert osm_kind(*osm) == kind


def test_other_services_and_the_gazetteer_read_through_one_function() -> None:
    photon = Location("Mosul, Iraq", MOSUL, {"type": "Feature", "properties": {
        "osm_id": 5812447, "osm_type": "R", "osm_key": "place", "osm_value": "city", "name": "Mosul",
        "country": "Iraq", "countrycode": "IQ", "state": "Nineveh Governorate"}})  # fmt: skip
    c = candidate_from_location(photon, "photon", "Mosul")
    assert (c.id, c.kind, c.country_code, c.admin1) == ("photon:relation:5812447", "city", "IQ", "Nineveh Governorate")
    assert (c.name_type, c.feature_code, c.official) == ("name", "PPL", True)

    generic = candidate_from_location(
        Location("Mosul, Nineveh, Iraq", MOSUL, {"formatted": "Mosul"}), "opencage", "Mosul"
    )
    assert (generic.name, generic.kind, generic.importance, generic.source) == ("Mosul", "other", 0.5, "opencage")

    gazetteer = Gazetteer()
    [location] = gazetteer.geocode("Mosul", exactly_one=False, limit=1) or []
    [expected] = gazetteer.candidates("Mosul", limit=1)
    got = candidate_from_location(location, "offline", "Mosul")
    assert got == expected  # same place, same fields as the gazetteer's own Candidates


@pytest.mark.parametrize(("query", "osm", "evidence"), [
    ("U.S.", {"name": "United States", "class": "boundary", "type": "administrative", "addresstype": "country"},
     ("abbreviation", "PCLI", False)),
    ("Al-Mawsil", {"name": "Mosul", "class": "place", "type": "city", "addresstype": "city"}, ("alternate", "PPL", False)),
    ("Kentucky", {"name": "Kentucky", "class": "boundary", "type": "administrative", "addresstype": "state"},
     ("name", "ADM1", True)),
    ("Laurel County", {"name": "Laurel County", "class": "boundary", "type": "administrative", "addresstype": "county"},
     ("name", "ADM2", True)),
])  # fmt: skip
def test_online_candidates_carry_the_evidence_the_gazetteer_gives(
    query: str, osm: dict[str, str], evidence: tuple[str, str, bool]
) -> None:
    """The rules read name type, feature code and official name alike from every source."""
    raw = {"osm_type": "relation", "osm_id": 1, "place_id": 1, **osm}
    online = candidate_from_location(Location(osm["name"], MOSUL, raw), "nominatim", query)
    assert (online.name_type, online.feature_code, online.official) == evidence
    offline = Gazetteer().candidates(query, limit=1)[0]
    assert (offline.name_type, offline.official) == evidence[::2]


def test_points_are_markers_not_outlines() -> None:
    assert simplified({"type": "Point", "coordinates": [43.13, 36.34]}) is None
    assert simplified(None) is None
    line = simplified({"type": "LineString", "coordinates": [[43.0, 36.0], [43.05, 36.0000001], [43.1, 36.0]]})
    assert line == {"type": "LineString", "coordinates": [[43.0, 36.0], [43.1, 36.0]]}


# -- politeness -------------------------------------------------------------------


def test_requests_are_rate_limited(server: HTTPServer) -> None:
    """Lower bounds only: a busy machine makes requests slower, never faster, so no upper bound
    (and no control run without the limiter) can be asserted without flaking."""
    names = ("Mosul", "Raqqa", "Aleppo", "Tikrit", "Kirkuk")
    arrivals: list[float] = []
    server.expect_request("/search").respond_with_handler(answering([nominatim_mosul()], arrivals))
    source = nominatim(server, cache=False, min_delay="0.2")
    for name in names:
        source.candidates(name)
    assert len(arrivals) == len(names)
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    # Measured at the server: the first request also opens the connection, so
    # its gap to the next may look a few ms short of the client's 0.2 s.
    assert min(gaps) >= 0.15, gaps
    assert arrivals[-1] - arrivals[0] >= 4 * 0.2 - 0.03


def test_public_nominatim_gets_one_request_a_second_and_the_gazetteer_none() -> None:
    public = get_source("nominatim", options={"user_agent": UA})
    assert isinstance(public, GeopySource) and public.min_delay == 1.0
    assert GeopySource(Gazetteer()).min_delay == 0.0


def test_second_run_is_answered_by_the_cache(server: HTTPServer) -> None:
    server.expect_request("/search").respond_with_json([nominatim_mosul()])
    first = nominatim(server).candidates("Mosul")
    second = nominatim(server).candidates("  mosul")  # a new run: a new source, the same cache
    assert len(server.log) == 1
    assert second == first and second[0].geometry == first[0].geometry


def test_unknown_names_are_cached_too(server: HTTPServer) -> None:
    server.expect_request("/search").respond_with_json([])
    assert nominatim(server).candidates("Xqzwvt") == []
    assert nominatim(server).candidates("Xqzwvt") == []
    assert len(server.log) == 1


def test_cache_can_be_turned_off_or_moved(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/search").respond_with_json([nominatim_mosul()])
    options = {"user_agent": UA, "domain": domain(server), "scheme": "http", "min_delay": "0"}
    for _ in range(2):
        get_source("nominatim", options=options, cache=False).candidates("Mosul")
    assert len(server.log) == 2
    get_source("nominatim", options=options, cache=tmp_path / "elsewhere").candidates("Mosul")
    assert GeocodeCache(tmp_path / "elsewhere" / CACHE_FILE).info().services == {"nominatim": 1}


def test_429_and_5xx_are_retried_with_back_off(server: HTTPServer) -> None:
    server.expect_oneshot_request("/search").respond_with_data("slow down", status=429)
    server.expect_oneshot_request("/search").respond_with_data("bad gateway", status=502)
    server.expect_request("/search").respond_with_json([nominatim_mosul()])
    geocoder = Nominatim(user_agent=UA, domain=domain(server), scheme="http")
    source = GeopySource(geocoder, min_delay=0, backoff=0.1, max_retries=2)
    started = time.monotonic()
    [mosul] = source.candidates("Mosul")
    assert mosul.source == "nominatim" and mosul.note is None
    assert len(server.log) == 3
    assert time.monotonic() - started >= 0.1 + 0.2  # waited 0.1 s, then 0.2 s


# -- fallback ---------------------------------------------------------------------


def test_server_error_falls_back_to_the_gazetteer(server: HTTPServer, caplog: pytest.LogCaptureFixture) -> None:
    server.expect_request("/search").respond_with_data("internal error", status=500)
    geocoder = Nominatim(user_agent=UA, domain=domain(server), scheme="http")
    source = GeopySource(geocoder, min_delay=0, backoff=0.05, max_retries=1, fallback=Gazetteer())
    with caplog.at_level(logging.WARNING, logger="geomap"):
        found = source.candidates("Mosul", limit=3)
    assert len(server.log) == 2  # tried, retried once, gave up
    assert found and replace(found[0], note=None) == Gazetteer().candidates("Mosul", limit=1)[0]
    assert all(c.source == "offline" for c in found)
    assert found[0].note == "nominatim unavailable (HTTP 500); resolved with the offline gazetteer"
    assert any("Mosul" in r.message and "HTTP 500" in r.message for r in caplog.records)


def test_hanging_server_times_out_and_falls_back(server: HTTPServer, caplog: pytest.LogCaptureFixture) -> None:
    release, finished = threading.Event(), threading.Event()
    arrived: list[Request] = []

    def hang(request: Request) -> Response:
        arrived.append(request)
        release.wait(5)  # hangs until the test is done with it, so it cannot answer into a later test
        finished.set()
        return Response("[]", content_type="application/json")

    server.expect_request("/search").respond_with_handler(hang)
    source = nominatim(server, timeout="0.3")
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="geomap"):
        [iraq, *_] = source.candidates("Iraq")
    elapsed = time.monotonic() - started
    release.set()
    finished.wait(5)
    assert elapsed < 1.0
    assert len(arrived) == 1  # a read that timed out is not sent again
    assert (iraq.kind, iraq.country_code, iraq.source) == ("country", "IQ", "offline")
    assert iraq.note == "nominatim unavailable (timed out after 0.3 s); resolved with the offline gazetteer"
    assert any("timed out" in r.message for r in caplog.records)


def test_unreachable_service_falls_back() -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    source = get_source("nominatim", options={"user_agent": UA, "domain": f"127.0.0.1:{port}", "scheme": "http"})
    [tigris, *_] = source.candidates("Tigris")
    assert tigris.kind == "river" and "nominatim unavailable (unreachable)" in (tigris.note or "")


def test_a_dead_service_is_not_asked_again(server: HTTPServer, caplog: pytest.LogCaptureFixture) -> None:
    server.expect_request("/search").respond_with_data("down", status=503)
    source = nominatim(server, max_retries="0")
    names = ("Mosul", "Raqqa", "Iraq", "Syria", "Tigris", "Aleppo")
    with caplog.at_level(logging.WARNING, logger="geomap"):
        found = [source.candidates(n) for n in names]
    assert len(server.log) == 3  # the circuit breaker opened after three failures
    assert all(cs and all(c.source == "offline" and c.note for c in cs) for cs in found)
    assert "not asked again" in (found[-1][0].note or "")
    assert sum("failed 3 times in a row" in r.message for r in caplog.records) == 1


def test_without_fallback_a_failure_is_one_clear_error(server: HTTPServer) -> None:
    server.expect_request("/search").respond_with_data("internal error", status=500)
    source = get_source(
        "nominatim",
        fallback=False,
        options={"user_agent": UA, "domain": domain(server), "scheme": "http", "min_delay": "0", "max_retries": "0"},
    )
    with pytest.raises(GeomapError, match=r"nominatim failed for 'Mosul' \(HTTP 500\)") as err:
        source.candidates("Mosul")
    assert "\n" not in str(err.value)


def test_failures_are_not_cached(server: HTTPServer) -> None:
    server.expect_oneshot_request("/search").respond_with_data("internal error", status=500)
    server.expect_request("/search").respond_with_json([nominatim_mosul()])
    assert nominatim(server, max_retries="0").candidates("Mosul")[0].source == "offline"
    assert nominatim(server, max_retries="0").candidates("Mosul")[0].source == "nominatim"


# -- bounded requests ---------------------------------------------------------------


def test_a_retry_after_beyond_a_minute_is_not_waited_for(
    server: HTTPServer, caplog: pytest.LogCaptureFixture, finishes: Callable[..., Any]
) -> None:
    server.expect_request("/search").respond_with_data("slow down", status=429, headers={"Retry-After": "3600"})
    source = nominatim(server)
    with caplog.at_level(logging.WARNING, logger="geomap"):
        [mosul, *_] = finishes(source.candidates, "Mosul")  # before: urllib3 slept the hour out
        [raqqa, *_] = source.candidates("Raqqa")
    assert (mosul.source, raqqa.source) == ("offline", "offline")
    assert "rate limited, HTTP 429, asked to wait 3600 s" in (mosul.note or "")
    assert len(server.log) == 1  # told to go away for an hour: not asked again this run
    assert sum("asked to wait 3600 s; the remaining places" in r.message for r in caplog.records) == 1


def test_an_endless_answer_is_read_only_up_to_the_cap(server: HTTPServer, finishes: Callable[..., Any]) -> None:
    sent: list[int] = []

    def endless() -> Iterator[bytes]:
        yield b"["
        while True:
            sent.append(1)
            yield json.dumps(nominatim_mosul()).encode() + b","

    server.expect_request("/search").respond_with_response(Response(endless(), content_type="application/json"))
    source = get_source("nominatim", limits=Limits(max_bytes=500_000),
                        options={"user_agent": UA, "domain": domain(server), "scheme": "http", "min_delay": "0"})  # fmt: skip
    [mosul, *_] = finishes(source.candidates, "Mosul")
    assert mosul.source == "offline" and "larger than 500 kB" in (mosul.note or "")
    assert len(sent) < 100  # each is ~100 kB: the cap and the socket's buffers, not the endless rest


def test_a_geocoder_that_drips_is_cut_off(raw_server: Callable[..., str], finishes: Callable[..., Any]) -> None:
    address = raw_server(drip(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[", b" "))
    source = get_source("nominatim", options={"user_agent": UA, "domain": address, "scheme": "http",
                                              "min_delay": "0", "timeout": "1"})  # fmt: skip
    [iraq, *_] = finishes(source.candidates, "Iraq")
    assert iraq.source == "offline" and "timed out after 1 s" in (iraq.note or "")


# -- untrusted answers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"lat": "north"}, "unreadable answer: could not convert string to float: 'north'"),
        ({"lat": "95"}, "unreadable answer: Latitude must be in the [-90; 90] range."),
        ({"lat": "nan"}, "unreadable answer: Point coordinates must be finite."),
        ({"lat": None, "lon": None}, "no coordinates"),
        ({"lon": "200"}, "coordinates '36.34', '200' are not a point on Earth"),
        ({"lat": "0", "lon": "0"}, "no coordinates (0, 0)"),
        ({"name": "<svg onload=title=1>"}, "its name '<svg onload=title=1>' holds markup"),
        ({"name": "Mosul" * 100}, "its name is 500 characters long"),
        ({"address": "Mosul"}, "unreadable (AttributeError"),
    ],
    ids=["lat-north", "lat-95", "lat-nan", "no-coordinates", "lon-200", "null-island", "markup", "long", "address"],
)
@pytest.mark.filterwarnings("error")  # reported in one line of geomap's, not in geopy's warning on stderr
def test_an_untrusted_answer_falls_back_offline_with_a_warning(
    server: HTTPServer, caplog: pytest.LogCaptureFixture, change: dict[str, Any], problem: str
) -> None:
    server.expect_request("/search").respond_with_json([{**nominatim_mosul(), **change}])
    with caplog.at_level(logging.WARNING, logger="geomap"):
        [mosul, *_] = nominatim(server).candidates("Mosul")
    assert (mosul.name, mosul.source, mosul.country_code) == ("Mosul", "offline", "IQ")
    assert (round(mosul.lat), round(mosul.lon)) == (36, 43)  # never at (0, 0)
    assert problem in (mosul.note or "")
    assert any(problem in r.getMessage() for r in caplog.records if r.levelname == "WARNING")


def test_a_bad_record_is_left_out_and_the_good_ones_kept(server: HTTPServer, caplog: pytest.LogCaptureFixture) -> None:
    hostile = {**nominatim_mosul(), "osm_id": 1, "name": "<img src=x onerror=alert(1)>"}
    server.expect_request("/search").respond_with_json([hostile, nominatim_mosul()])
    with caplog.at_level(logging.WARNING, logger="geomap"):
        [mosul] = nominatim(server).candidates("Mosul")
    assert (mosul.name, mosul.source, mosul.note) == ("Mosul", "nominatim", None)
    assert [r.getMessage() for r in caplog.records] == [
        "nominatim's answer for 'Mosul' left out: its name '<img src=x onerror=alert(1)>' holds markup"
    ]
    assert [c.name for c in nominatim(server).candidates("Mosul")] == ["Mosul"]  # only what was kept is cached


def test_control_characters_are_taken_out_of_names(server: HTTPServer, caplog: pytest.LogCaptureFixture) -> None:
    answer = {**nominatim_mosul(), "name": "Mo\x1b]0;owned\x07sul\u202e", "address": {
        **nominatim_mosul()["address"], "country": "Ir\naq"}}  # fmt: skip
    server.expect_request("/search").respond_with_json([answer])
    with caplog.at_level(logging.WARNING, logger="geomap"):
        [mosul] = nominatim(server).candidates("Mosul")
    assert (mosul.name, mosul.country, mosul.source) == ("Mo]0;ownedsul", "Ir aq", "nominatim")
    assert len(caplog.records) == 1 and "control characters taken out" in caplog.records[0].getMessage()


def test_an_outline_with_too_many_vertices_is_dropped(server: HTTPServer, caplog: pytest.LogCaptureFixture) -> None:
    answer = {**nominatim_mosul(), "geojson": {"type": "Polygon", "coordinates": [
        jagged_outline(*MOSUL, radius=0.09, n=MAX_VERTICES + 1)]}}  # fmt: skip
    server.expect_request("/search").respond_with_json([answer])
    with caplog.at_level(logging.WARNING, logger="geomap"):
        [mosul] = nominatim(server).candidates("Mosul")
    assert (mosul.source, mosul.geometry, (mosul.lat, mosul.lon)) == ("nominatim", None, MOSUL)
    assert [r.getMessage() for r in caplog.records] == [
        f"nominatim's answer for 'Mosul': its outline has more than {MAX_VERTICES:,} vertices: drawn as a point"
    ]


def test_only_the_records_asked_for_are_cached(server: HTTPServer, clean_env: Path) -> None:
    many = [{**nominatim_mosul(), "osm_id": i, "geojson": None} for i in range(40)]
    server.expect_request("/search").respond_with_json(many)  # a server that ignores limit=3
    assert len(nominatim(server).candidates("Mosul", limit=3)) == 3
    [(stored,)] = sqlite3.connect(clean_env.parent / "cache" / CACHE_FILE).execute("SELECT answer FROM answers")
    assert len(json.loads(stored)) == 3


def test_a_cached_answer_is_checked_like_a_fresh_one(server: HTTPServer) -> None:
    source = nominatim(server)
    assert source.cache is not None
    good = {"address": "Mosul, Iraq", "lat": 36.34, "lon": 43.13, "raw": {"name": "Mosul"}}
    bad = {**good, "lat": "north"}
    key = {"domain": domain(server), "api_key": None, "exactly_one": False, "geometry": "geojson",
           "addressdetails": True, "extratags": True, "limit": 10}  # fmt: skip
    source.cache.put("nominatim", "Mosul", key, [bad])
    [mosul, *_] = source.candidates("Mosul")  # before: a traceback from geopy's Point
    assert mosul.source == "offline" and "'north'" in (mosul.note or "")
    source.cache.put("nominatim", "Mosul", key, [good])
    assert nominatim(server).candidates("Mosul")[0].source == "nominatim"
    assert server.log == []


# -- choosing and configuring -----------------------------------------------------


def test_offline_is_the_gazetteer() -> None:
    source = get_source()
    assert isinstance(source, Gazetteer) and source.name == "offline"
    with pytest.raises(GeomapError, match="takes no options"):
        get_source("offline", options={"user_agent": UA})


def test_the_gazetteer_through_geopy_source_answers_as_itself() -> None:
    direct = Gazetteer().candidates("Raqqa", limit=5)
    wrapped = GeopySource(Gazetteer()).candidates("Raqqa", limit=5)
    assert [c.id for c in wrapped] == [c.id for c in direct] and wrapped[0].source == "offline"


@pytest.mark.parametrize("agent", [None, "", "geopy/2.5.0"])
def test_nominatim_without_a_user_agent_is_refused(agent: str | None) -> None:
    from geopy.geocoders import options as geopy_options

    options = {} if agent is None else {"user_agent": agent.replace("geopy/2.5.0", geopy_options.default_user_agent)}
    with pytest.raises(GeomapError) as err:
        get_source("nominatim", options=options)
    message = str(err.value)
    assert "\n" not in message and "user agent" in message
    assert "--user-agent" in message and "GEOMAP_USER_AGENT" in message and "config.toml" in message


@pytest.mark.parametrize(("typo", "nearest"), [("nominatm", "nominatim"), ("opencge", "opencage"),
                                               ("ofline", "offline"), ("photn", "photon")])  # fmt: skip
def test_unknown_service_names_the_nearest(typo: str, nearest: str) -> None:
    with pytest.raises(GeomapError, match=f"unknown geocoder '{typo}'; did you mean '{nearest}'"):
        get_source(typo)


def test_any_geopy_service_by_name() -> None:
    photon = get_source("photon", options={"domain": "127.0.0.1:9", "scheme": "http", "language": "en"})
    assert isinstance(photon, GeopySource) and photon.name == "photon"
    assert type(photon.geocoder).__name__ == "Photon" and photon.geocoder.domain == "127.0.0.1:9"


def test_unknown_option_lists_the_valid_ones() -> None:
    with pytest.raises(GeomapError, match=r"unknown option 'colour' for geocoder nominatim; valid options: .*domain"):
        get_source("nominatim", options={"user_agent": UA, "colour": "red"})
    with pytest.raises(GeomapError, match="min_delay wants a number"):
        get_source("nominatim", options={"user_agent": UA, "min_delay": "soon"})


def test_config_file_then_environment_then_explicit(
    server: HTTPServer, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.expect_request("/search").respond_with_json([nominatim_mosul()])
    clean_env.write_text(
        '[geocoder]\nuser_agent = "from-config/1.0 (config@example.org)"\n\n'
        f'[geocoder.nominatim]\ndomain = "{domain(server)}"\nscheme = "http"\nmin_delay = 0\n'
    )
    get_source("nominatim").candidates("Mosul")
    assert server.log[-1][0].headers["User-Agent"] == "from-config/1.0 (config@example.org)"

    monkeypatch.setenv("GEOMAP_USER_AGENT", "from-env/1.0 (env@example.org)")
    monkeypatch.setenv("GEOMAP_NOMINATIM_LANGUAGE", "ar")
    get_source("nominatim", cache=False).candidates("Mosul")
    request = server.log[-1][0]
    assert request.headers["User-Agent"] == "from-env/1.0 (env@example.org)"
    assert request.args["accept-language"] == "ar"

    get_source("nominatim", cache=False, options={"user_agent": UA}).candidates("Mosul")
    assert server.log[-1][0].headers["User-Agent"] == UA

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"127.0.0.1:{s.getsockname()[1]}"
    monkeypatch.setenv("GEOMAP_NOMINATIM_DOMAIN", dead)  # the environment beats the config file
    assert "unreachable" in (get_source("nominatim", cache=False).candidates("Mosul")[0].note or "")


def test_malformed_config_says_where(clean_env: Path) -> None:
    clean_env.write_text('[geocoder.nominatim]\nuser_agent = "unterminated\n')
    with pytest.raises(GeomapError, match=r"config.toml is not valid TOML: .*at line 2, column \d+"):
        get_source("nominatim")


def test_missing_config_named_by_the_environment(clean_env: Path) -> None:
    clean_env.unlink()
    with pytest.raises(GeomapError, match="GEOMAP_CONFIG.*does not exist"):
        get_source("nominatim", options={"user_agent": UA})


def test_cli_options(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/search").respond_with_json([nominatim_mosul()])
    parser = argparse.ArgumentParser()
    add_geocoder_arguments(parser)
    assert source_from_args(parser.parse_args([])).name == "offline"

    args = parser.parse_args([
        "--geocoder", "nominatim", "--user-agent", UA, "--geocoder-option", f"domain={domain(server)}",
        "--geocoder-option", "scheme=http", "--min-delay", "0", "--fetch-timeout", "2", "--cache-dir", str(tmp_path / "c"),
    ])  # fmt: skip
    source = source_from_args(args)
    assert isinstance(source, GeopySource) and source.timeout == 2.0 and source.fallback is not None
    assert source.candidates("Mosul")[0].id == "nominatim:relation:5812447"
    assert (tmp_path / "c" / CACHE_FILE).is_file()

    no_frills = source_from_args(parser.parse_args(["--geocoder", "nominatim", "--user-agent", UA, "--no-cache",
                                                    "--no-fallback"]))  # fmt: skip
    assert isinstance(no_frills, GeopySource) and no_frills.cache is None and no_frills.fallback is None
    with pytest.raises(GeomapError, match="KEY=VALUE"):
        source_from_args(parser.parse_args(["--geocoder", "nominatim", "--geocoder-option", "domain"]))
