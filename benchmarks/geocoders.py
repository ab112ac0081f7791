"""What an online geocoder costs a map: requests, time, cache and fallback; prints figures,
asserts nothing.

    .venv/bin/python benchmarks/geocoders.py [--article data/articles/mosul.txt]

There is no Nominatim to ask here, so a stand-in on 127.0.0.1 answers in Nominatim's
JSON format from the offline gazetteer (its Natural Earth outlines as ``geojson``).
geomap talks to it through geopy's real Nominatim client, so requests, rate limiting,
the cache and the fallback are the real ones; only the answers' content is borrowed.
"""

from __future__ import annotations

import argparse
import json
import logging
import socket
import sys
import tempfile
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geomap
from geomap.gazetteer import Gazetteer
from geomap.geocoders.online import get_source, simplified

UA = "geomap-benchmark/0.1 (benchmark@example.org)"
OSM = {  # geomap kind -> Nominatim class, type, addresstype
    "continent": ("place", "continent", "continent"), "country": ("boundary", "administrative", "country"),
    "region": ("boundary", "administrative", "state"), "city": ("place", "city", "city"),
    "district": ("place", "suburb", "suburb"), "river": ("waterway", "river", "river"),
    "lake": ("natural", "water", "lake"), "other": ("place", "locality", "locality"),
}  # fmt: skip


class StandIn(BaseHTTPRequestHandler):
    gazetteer: Gazetteer
    requests: ClassVar[list[float]] = []  # shared by every handler instance
    outlines: ClassVar[list[dict[str, Any]]] = []
    delay = 0.0

    def do_GET(self) -> None:
        type(self).requests.append(time.monotonic())
        time.sleep(self.delay)
        args = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        found = self.gazetteer.geocode(args["q"], exactly_one=False, limit=int(args.get("limit", 10)),
                                       geometry="geojson") or []  # fmt: skip
        body = json.dumps([self.nominatim(loc) for loc in found]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except BrokenPipeError:
            pass  # the client gave up waiting: the point of the hanging-service run

    def nominatim(self, loc: Any) -> dict[str, Any]:
        raw = loc.raw
        cls, typ, addresstype = OSM[raw["kind"]]
        geojson = raw["geometry"] or {"type": "Point", "coordinates": [loc.longitude, loc.latitude]}
        if raw["geometry"]:
            type(self).outlines.append(geojson)
        osm_id = zlib.crc32(raw["id"].encode())
        return {
            "place_id": osm_id, "osm_type": "relation", "osm_id": osm_id,
            "lat": str(loc.latitude), "lon": str(loc.longitude), "class": cls, "type": typ, "addresstype": addresstype,
            "importance": raw["importance"], "name": raw["name"], "display_name": loc.address,
            "address": {"country": raw["country"], "country_code": (raw["country_code"] or "").lower(),
                        "state": raw["admin1"]},
            "extratags": {"population": str(raw["population"])}, "geojson": geojson,
        }  # fmt: skip

    def log_message(self, *args: Any) -> None:
        pass


def serve() -> tuple[ThreadingHTTPServer, str]:
    StandIn.gazetteer = Gazetteer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"127.0.0.1:{server.server_address[1]}"


def run(article: geomap.Article, domain: str, cache: Path | bool, **options: str) -> tuple[float, Any]:
    source = get_source("nominatim", cache=cache, options={"user_agent": UA, "domain": domain, "scheme": "http",
                                                           **options})  # fmt: skip
    t0 = time.perf_counter()
    places = geomap.parse(article, geocoder=source)
    return time.perf_counter() - t0, places


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--article", default=str(ROOT / "data" / "articles" / "mosul.txt"))
    ap.add_argument("--min-delay", default="1", help="seconds between requests on the cold run (default: 1)")
    args = ap.parse_args()
    logging.getLogger("geomap").setLevel(logging.ERROR)  # the per-place fallback warnings are counted below
    article = geomap.read(args.article)
    server, domain = serve()
    cache = Path(tempfile.mkdtemp(prefix="geomap-bench-"))

    t_offline = time.perf_counter()
    offline = geomap.parse(article)
    t_offline = time.perf_counter() - t_offline

    secs, places = run(article, domain, cache, min_delay=args.min_delay)
    cold = len(StandIn.requests)
    gaps = [b - a for a, b in zip(StandIn.requests, StandIn.requests[1:], strict=False)]
    print(f"article: {Path(args.article).name}, {len(places)} places ({len(offline)} offline in {t_offline:.2f} s)")
    print(
        f"cold cache, min_delay {args.min_delay} s: {cold} requests in {secs:.2f} s"
        f" (smallest gap at the server {min(gaps, default=0):.3f} s)"
    )
    secs, again = run(article, domain, cache, min_delay=args.min_delay)
    print(
        f"warm cache: {len(StandIn.requests) - cold} requests in {secs:.2f} s, same places: "
        f"{[p.id for p in again] == [p.id for p in places]}"
    )

    before = sum(len(json.dumps(g)) for g in StandIn.outlines)
    after = sum(len(json.dumps(simplified(g))) for g in StandIn.outlines)
    drawn = sum(len(json.dumps(p.geometry)) for p in places if p.geometry)
    print(
        f"outlines received: {len(StandIn.outlines)}, {before / 1024:.0f} KiB of GeoJSON, simplified to "
        f"{after / 1024:.0f} KiB; the map's {sum(1 for p in places if p.geometry)} shapes: {drawn / 1024:.1f} KiB"
    )

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"127.0.0.1:{s.getsockname()[1]}"
    secs, fallen = run(article, dead, False, min_delay="0")
    noted = sum(1 for p in fallen if p.note and "offline gazetteer" in p.note)
    print(f"unreachable service: {secs:.2f} s, {len(fallen)} places, {noted} noted as from the offline gazetteer")

    StandIn.delay, StandIn.requests = 3.0, []
    secs, fallen = run(article, domain, False, min_delay="0", timeout="1")
    print(
        f"hanging service (timeout 1 s): {secs:.2f} s, {len(StandIn.requests)} requests before the circuit "
        f"breaker, {len(fallen)} places"
    )
    server.shutdown()


if __name__ == "__main__":
    main()
