"""Bounded input: files that are not files, files and downloads over the cap, servers that
drip, redirects that leave http(s), answers that are not text or arrive short. Every
server is a local one the test starts."""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Respond, drip
from pytest_httpserver import HTTPServer
from werkzeug import Response

from geomap.cli import main
from geomap.errors import GeomapError
from geomap.fetch import FetchTimeout, Limits, fetch, parse_size, read_file, redirect_target
from geomap.source.read import read

ROOT = Path(__file__).resolve().parent.parent
MOSUL = ROOT / "data" / "articles" / "mosul.txt"
STORY = "<html><head><title>Floods</title></head><body><p>Flooding hit Dhaka in Bangladesh.</p></body></html>"


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", port=0, threaded=True) as http:
        yield http


def one_line(error: pytest.ExceptionInfo[GeomapError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


# -- files ---------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path: Path, finishes: Callable[..., Any]) -> None:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    with pytest.raises(GeomapError, match=r"article\.txt is a FIFO, not a regular file") as error:
        finishes(read, fifo)  # before: open() waited for a writer forever
    one_line(error)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_before_a_byte_is_read() -> None:
    with pytest.raises(GeomapError, match="/dev/zero is a device, not a regular file") as error:
        read("/dev/zero")  # before: read until memory ran out
    one_line(error)


def test_a_file_over_the_cap_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(25_000_000)  # sparse: 25 MB that take no disk
    with pytest.raises(GeomapError, match=r"big\.txt is larger than 20 MB \(--max-bytes\)"):
        read(big)
    with pytest.raises(GeomapError, match=r"larger than 1 kB"):
        read(MOSUL, limits=Limits(max_bytes=1000))
    assert read_file(MOSUL, max_bytes=MOSUL.stat().st_size) == MOSUL.read_bytes()  # exactly the cap is allowed


def test_the_cli_caps_files_with_max_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places", str(MOSUL), "--max-bytes", "2kB"]) == 2
    assert capsys.readouterr().err.strip().endswith("is larger than 2 kB (--max-bytes)")
    assert main(["places", str(MOSUL), "--max-bytes", "1MB"]) == 0


@pytest.mark.parametrize(("text", "size"), [("20MB", 20_000_000), ("500 kB", 500_000), ("1.5g", 1_500_000_000),
                                            ("1234", 1234)])  # fmt: skip
def test_sizes_are_written_as_people_write_them(text: str, size: int) -> None:
    assert parse_size(text) == size


def test_a_bad_size_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["places", str(MOSUL), "--max-bytes", "lots"])
    assert exit_.value.code == 2 and "not a size: 'lots'" in capsys.readouterr().err


# -- downloads: size, deadline -----------------------------------------------------------


def test_a_download_is_read(server: HTTPServer) -> None:
    server.expect_request("/story").respond_with_data(STORY, content_type="text/html; charset=utf-8")
    article = read(server.url_for("/story"))
    assert article.title == "Floods" and "Dhaka" in article.text


def test_an_endless_download_stops_at_the_cap(server: HTTPServer, finishes: Callable[..., Any]) -> None:
    sent: list[int] = []

    def endless() -> Iterator[bytes]:
        while True:
            sent.append(1)
            yield b"Dhaka " * 10_000  # 60 kB a chunk, no Content-Length

    server.expect_request("/endless").respond_with_response(Response(endless(), content_type="text/plain"))
    with pytest.raises(GeomapError, match=r"larger than 200 kB \(--max-bytes\)") as error:
        finishes(read, server.url_for("/endless"), limits=Limits(max_bytes=200_000))
    assert one_line(error).startswith("cannot fetch http://127.0.0.1:")
    assert len(sent) < 100  # what the socket buffers took, not the endless rest


def test_a_download_announced_over_the_cap_is_refused_before_reading(server: HTTPServer) -> None:
    server.expect_request("/big").respond_with_data("Dhaka " * 50_000, content_type="text/plain")
    with pytest.raises(GeomapError, match=r"larger than 100 kB"):
        fetch(server.url_for("/big"), limits=Limits(max_bytes=100_000))


@pytest.mark.parametrize(
    "head",
    [b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nDhaka", b"HTTP/1.1 200 OK\r\nX-Slow: "],
    ids=["body", "headers"],
)
def test_a_server_that_drips_is_cut_off_at_the_deadline(
    head: bytes, raw_server: Callable[[Respond], str], finishes: Callable[..., Any]
) -> None:
    """One byte every 0.2 s never trips a per-read timeout of 1 s; the deadline of 1 s for
    the whole download ends it."""
    address = raw_server(drip(head))
    with pytest.raises(FetchTimeout, match=r"timed out after 1 s \(--fetch-timeout\)") as error:
        finishes(fetch, f"http://{address}/slow", limits=Limits(timeout=1.0))
    one_line(error)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl to make a certificate")
def test_a_server_that_drips_over_tls_is_cut_off_too(
    tmp_path: Path, raw_server: Callable[..., str], finishes: Callable[..., Any]
) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)  # fmt: skip
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    address = raw_server(drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nDhaka"), tls)
    trusting = ssl.create_default_context(cafile=str(cert))
    with pytest.raises(FetchTimeout, match=r"timed out after 1 s"):
        finishes(fetch, f"https://{address}/slow", limits=Limits(timeout=1.0), ssl_context=trusting)
    with pytest.raises(GeomapError, match="CERTIFICATE_VERIFY_FAILED"):
        fetch(f"https://{address}/slow", limits=Limits(timeout=1.0))  # the default context trusts no such certificate


def test_a_short_download_is_an_error(raw_server: Callable[[Respond], str]) -> None:
    def short(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n" + b"Dhaka " * 20)

    address = raw_server(short)
    with pytest.raises(GeomapError, match=r"cut short: 120 of 1000 bytes arrived") as error:
        read(f"http://{address}/short")
    one_line(error)


# -- downloads: what and where -------------------------------------------------------------


def test_a_pdf_is_refused_by_its_type(server: HTTPServer) -> None:
    server.expect_request("/report.pdf").respond_with_data(b"%PDF-1.7\n...", content_type="application/pdf")
    with pytest.raises(GeomapError, match=r"it is application/pdf, not text or HTML") as error:
        read(server.url_for("/report.pdf"))
    one_line(error)


def test_redirects_are_followed_within_http(server: HTTPServer) -> None:
    server.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    server.expect_request("/new").respond_with_data(STORY, content_type="text/html")
    download = fetch(server.url_for("/old"))
    assert download.url == server.url_for("/new") and b"Dhaka" in download.data


@pytest.mark.parametrize("target", ["ftp://127.0.0.1/article.txt", "file:///etc/passwd", "data:text/plain,Dhaka"])
def test_redirects_leave_neither_http_nor_https(server: HTTPServer, target: str) -> None:
    server.expect_request("/go").respond_with_data("", status=302, headers={"Location": target})
    with pytest.raises(GeomapError, match=r"redirected to .*, which is not http or https; not followed") as error:
        read(server.url_for("/go"))
    one_line(error)


def test_a_redirect_loop_is_one_line(server: HTTPServer) -> None:
    server.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    server.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with pytest.raises(GeomapError, match=r"redirect loop") as error:
        read(server.url_for("/a"))
    one_line(error)


def test_a_public_page_may_not_redirect_to_a_private_address() -> None:
    with pytest.raises(GeomapError, match=r"from a public address to a private one \(127\.0\.0\.1\)"):
        redirect_target("http://93.184.216.34/story", "http://127.0.0.1:8080/admin")
    with pytest.raises(GeomapError, match=r"private one \(169\.254\.169\.254\)"):
        redirect_target("https://93.184.216.34/story", "http://169.254.169.254/latest/meta-data/")
    assert redirect_target("http://127.0.0.1:8080/a", "/b") == "http://127.0.0.1:8080/b"  # local stays local
    assert redirect_target("http://93.184.216.34/a", "https://93.184.216.35/b") == "https://93.184.216.35/b"


def test_an_http_error_is_one_line(server: HTTPServer) -> None:
    server.expect_request("/gone").respond_with_data("no\nsuch\npage", status=404)
    with pytest.raises(GeomapError, match=r"HTTP 404") as error:
        read(server.url_for("/gone"))
    one_line(error)


def test_only_http_urls_are_fetched() -> None:
    with pytest.raises(GeomapError, match="only http and https"):
        fetch("file:///etc/passwd")
