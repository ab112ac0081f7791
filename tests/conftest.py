"""Shared fixtures. Add fixtures here; never remove others'."""

from __future__ import annotations

import os
import re
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from geomap.model import Article, Mention, Place, Sentence

#: A short article in the Mosul story's words, with markup that must never run.
RENDER_TEXT = (
    "Iraqi forces retook east Mosul by the end of January. "
    "The city's western half, which is separated by the Tigris river, was harder to take. "
    "A reader wrote <script>alert('x')</script> about Mosul's Old City & its bridges. "
    "Mosul was the group's capital in Iraq, and Mosul fell after Raqqa in Syria."
)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a headless-capable Chromium; skips (or fails, when GEOMAP_REQUIRE_BROWSER=1) without one."""
    from geomap.maps.chromium import BROWSER_HINT, find_chromium

    found = find_chromium()
    if found is None:
        if os.environ.get("GEOMAP_REQUIRE_BROWSER") == "1":
            pytest.fail(f"GEOMAP_REQUIRE_BROWSER=1 but no browser was found. {BROWSER_HINT}")
        pytest.skip(f"no Chromium found. {BROWSER_HINT}")
    return found


@pytest.fixture(scope="session")
def render_scene() -> tuple[Article, list[Place]]:
    return build_render_scene()


def build_render_scene() -> tuple[Article, list[Place]]:
    """An article and its places, built from the real gazetteer's records (not from
    geomap.parse, so that renderer tests do not depend on the resolver's choices)."""
    from geomap.gazetteer import Gazetteer
    from geomap.maps.shapes import attach_shapes

    gazetteer = Gazetteer()
    text = RENDER_TEXT
    sentences = [Sentence(m.start(), m.end(), m.group()) for m in re.finditer(r"[^.]+\.", text)]

    def mention(phrase: str, name: str, nth: int = 0, qualifier: str | None = None) -> Mention:
        start = [m.start() for m in re.finditer(re.escape(phrase), text)][nth]
        sentence = next(s for s in sentences if s.start <= start < s.end)
        return Mention(phrase, start, start + len(phrase), name, sentence, qualifier=qualifier)

    def place(lookup: str, record_kind: str, *mentions: Mention, **extra: object) -> Place:
        c = next(c for c in gazetteer.candidates(lookup) if c.kind == record_kind)
        fields = {
            "id": c.id, "name": c.name, "kind": c.kind, "lat": c.lat, "lon": c.lon, "mentions": mentions,
            "confidence": 0.9, "country_code": c.country_code, "country": c.country, "population": c.population,
        }  # fmt: skip
        fields.update(extra)
        return Place(**fields)  # type: ignore[arg-type]

    mosul = place("Mosul", "city", mention("Mosul", "Mosul", 2), mention("Mosul", "Mosul", 3))
    district = {"kind": "district", "parent": mosul.id, "population": 0}
    places = [
        mosul,
        place("Mosul", "city", mention("east Mosul", "Mosul", qualifier="east"), id=f"{mosul.id}#east",
              name="East Mosul", **district),
        place("Mosul", "city", mention("western half", "Mosul", qualifier="western"), id=f"{mosul.id}#west",
              name="West Mosul", **district),
        place("Mosul", "city", mention("Mosul's Old City", "Mosul", qualifier="old city"), id=f"{mosul.id}#old-city",
              name="Old City of Mosul", **district),
        place("Tigris", "river", mention("Tigris river", "Tigris")),
        place("Iraq", "country", mention("Iraq", "Iraq")),
        place("Raqqa", "city", mention("Raqqa", "Raqqa")),
        place("Syria", "country", mention("Syria", "Syria")),
    ]  # fmt: skip
    article = Article(text=text, title="Mosul retaken", source="https://example.org/news/mosul", date="2017-07-10")
    return article, attach_shapes(places, gazetteer)


@pytest.fixture(scope="session")
def mosul_shaped() -> tuple[Article, list[Place]]:
    """The reference article through the whole pipeline, with shapes attached."""
    from pathlib import Path

    import geomap
    from geomap.maps.shapes import attach_shapes

    article = geomap.read(Path(__file__).resolve().parent.parent / "data" / "articles" / "mosul.txt")
    return article, attach_shapes(geomap.parse(article), geomap.default_gazetteer())


@pytest.fixture
def finishes() -> Callable[..., Any]:
    """``finishes(fn, *args)``: fn's result, or its exception, failing the test instead of
    hanging it when fn has not returned after a generous while (the bug being tested for
    is a hang; nothing is timed)."""
    import threading

    def run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        outcome: dict[str, Any] = {}

        def target() -> None:
            try:
                outcome["value"] = fn(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 re-raised in the test's thread
                outcome["error"] = exc

        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        thread.join(60)
        if thread.is_alive():
            pytest.fail(f"{getattr(fn, '__name__', fn)} did not return: it hangs")
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    return run


Respond = Callable[[socket.socket, threading.Event], None]


@pytest.fixture
def raw_server() -> Iterator[Callable[..., str]]:
    """``raw_server(respond, tls=None)``: the address ("127.0.0.1:PORT") of a server on a raw
    socket (wrapped in ``tls``, an SSL server context, if given) that calls
    ``respond(connection, stop)`` for each request once its headers have arrived, for answers
    no HTTP library would send: bytes dripped one at a time, a body shorter than its
    Content-Length. ``stop`` is set when the test is over."""
    stop = threading.Event()
    listeners: list[socket.socket] = []

    def serve(listener: socket.socket, respond: Respond, tls: ssl.SSLContext | None) -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=handle, args=(conn, respond, tls), daemon=True).start()

    def handle(conn: socket.socket, respond: Respond, tls: ssl.SSLContext | None) -> None:
        conn.settimeout(None)
        if tls is not None:
            try:
                conn = tls.wrap_socket(conn, server_side=True)
            except OSError:
                return
        with conn:
            request = b""
            while b"\r\n\r\n" not in request and (data := conn.recv(4096)):
                request += data
            try:
                respond(conn, stop)
            except OSError:
                pass  # the client hung up: what a limit is for

    def start(respond: Respond, tls: ssl.SSLContext | None = None) -> str:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.1)
        listeners.append(listener)
        threading.Thread(target=serve, args=(listener, respond, tls), daemon=True).start()
        return f"127.0.0.1:{listener.getsockname()[1]}"

    yield start
    stop.set()
    for listener in listeners:
        listener.close()


def drip(head: bytes, body: bytes = b"x") -> Respond:
    """A response that sends ``head`` at once, then ``body`` one byte every 0.2 s, over and
    over, until the client hangs up or the test ends."""

    def respond(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head)
        sent = 0
        while not stop.wait(0.2):
            conn.sendall(body[sent % len(body) :][:1])
            sent += 1

    return respond


#: The first lines of WordNet's files: its licence, which the builders copy into what they write.
WORDNET_LICENCE = ["  1 This software and database is provided to you.  ", "  2  ", "  3 WordNet 3.0 Copyright 2006.  "]
#: A synset as :func:`write_wordnet` takes it: offset, lexicographer file, words, pointers (symbol, target noun), gloss.
WordNetSynset = tuple[str, int, list[str], list[tuple[str, str]], str]


def write_wordnet(directory: Path, synsets: list[WordNetSynset], exceptions: str = "") -> Path:
    """A small WordNet in WordNet's own file format (nouns, plus empty adjective, verb and adverb files)."""
    data = [*WORDNET_LICENCE]
    senses: dict[str, list[str]] = {}
    for offset, lexfile, words, pointers, gloss in synsets:
        links = " ".join(f"{symbol} {target} n 0000" for symbol, target in pointers)
        word_list = " ".join(f"{w} 0" for w in words)
        data.append(f"{offset} {lexfile:02d} n {len(words):02x} {word_list} {len(pointers):03d} {links} | {gloss}")
        for w in words:
            senses.setdefault(w.lower(), []).append(offset)
    index = [f"{w} n {len(o)} 0 {len(o)} 0 {' '.join(o)}" for w, o in senses.items()]
    (directory / "data.noun").write_text("\n".join(data) + "\n", encoding="latin-1")
    (directory / "index.noun").write_text("\n".join([*WORDNET_LICENCE, *sorted(index)]) + "\n", encoding="latin-1")
    (directory / "noun.exc").write_text(exceptions, encoding="latin-1")
    for part in ("adj", "verb", "adv"):
        (directory / f"data.{part}").write_text("\n".join(WORDNET_LICENCE) + "\n", encoding="latin-1")
    return directory
