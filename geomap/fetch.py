"""Bounded reads of untrusted input: files and downloads, for articles and geocoders alike.

A file must be a regular file (a FIFO would block ``open`` forever, ``/dev/zero`` never
ends) and no larger than a cap. A download has one deadline for the whole exchange:
urllib's ``timeout`` applies to each socket operation, so a server that drips one byte
every few seconds is never cut off by it; here a timer shuts the socket down when the
time is up. Redirects stay on http and https and may not lead from a public address to
a private one; answers are capped in size, checked against their Content-Length, and
(for articles) must be text or HTML.
"""

from __future__ import annotations

import http.client
import ipaddress
import os
import re
import socket
import ssl
import stat
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from geomap.errors import GeomapError

DEFAULT_MAX_BYTES = 20_000_000
DEFAULT_TIMEOUT = 30.0
MAX_REDIRECTS = 10
#: Enough of an error page to say what went wrong, never more.
_ERROR_BODY_BYTES = 65_536
_CHUNK = 65_536
_TEXT_TYPES = ("text/", "application/xhtml+xml")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_UNITS = {"": 1, "k": 1000, "m": 1_000_000, "g": 1_000_000_000}


@dataclass(frozen=True)
class Limits:
    """What one input may cost: bytes read from a file, a download or a geocoder's answer,
    and seconds for each download or geocoder request, from first byte sent to last received."""

    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT


DEFAULT_LIMITS = Limits()


def parse_size(text: str) -> int:
    """A byte count from "20000000", "20MB", "500 kB" or "1.5G" (decimal units)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)b?\s*", text, re.IGNORECASE)
    if not m or float(m.group(1)) * _UNITS[m.group(2).lower()] < 1:
        raise GeomapError(f"not a size: {text!r} (write 20MB, 500kB or a number of bytes)")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def size_text(n: int) -> str:
    """A byte count as people write it: 20 MB, 500 kB, 300 bytes."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:g} MB"
    return f"{n / 1000:g} kB" if n >= 1000 else f"{n} bytes"


# -- files -------------------------------------------------------------------------


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
             (stat.S_ISSOCK, "a socket"))  # fmt: skip
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def read_file(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``. Anything else is refused before
    it is read: a FIFO, a device, a socket, a folder, a file over the cap."""
    shown = Path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise GeomapError(f"no such file: {shown}") from None
    except OSError as exc:
        raise GeomapError(f"cannot read {shown}: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise GeomapError(f"{shown} is a directory, not a file")
    try:
        # O_NONBLOCK: should a FIFO be swapped in after the stat, open() returns instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise GeomapError(f"cannot read {shown}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise GeomapError(f"{shown} is {_file_kind(st.st_mode)}, not a regular file: only files are read")
        if st.st_size > max_bytes:
            raise GeomapError(f"{shown} is larger than {size_text(max_bytes)} (--max-bytes)")
        try:
            data = fh.read(max_bytes + 1)  # a file that grows after the stat still stops at the cap
        except OSError as exc:
            raise GeomapError(f"cannot read {shown}: {exc.strerror}") from None
    if len(data) > max_bytes:
        raise GeomapError(f"{shown} is larger than {size_text(max_bytes)} (--max-bytes)")
    return data


# -- downloads ---------------------------------------------------------------------


@dataclass(frozen=True)
class Download:
    url: str  # where the bytes came from, after redirects
    data: bytes
    content_type: str  # "text/html"; "" when the server did not say
    charset: str | None


class FetchError(GeomapError):
    """A download failed. ``reason`` is the short why ("timed out after 30 s"), for messages
    that name the URL their own way (a geocoder's)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"cannot fetch {url}: {reason}")
        self.url = url
        self.reason = reason


class FetchTimeout(FetchError):
    pass


class Unreachable(FetchError):
    pass


class HTTPStatusError(FetchError):
    """The server answered with an error status; its headers and (the start of) its body are kept."""

    def __init__(self, url: str, status: int, message: str, headers: Mapping[str, str], text: str) -> None:
        super().__init__(url, f"HTTP {status} {message}".strip())
        self.status = status
        self.headers = dict(headers)
        self.text = text


class _Deadline:
    """One deadline for a whole request: each socket opened under it is shut down when it passes,
    which ends any read in progress."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._timers: list[threading.Timer] = []

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            self.expired = True
        return max(left, 0.001)

    def watch(self, sock: socket.socket) -> None:
        timer = threading.Timer(self.remaining(), self._cut, (sock,))
        timer.daemon = True
        self._timers.append(timer)
        timer.start()

    def _cut(self, sock: socket.socket) -> None:
        self.expired = True
        try:
            # socket.socket's own shutdown, also for an SSLSocket: the TLS layer is not touched from this thread.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass  # already closed

    def cancel(self) -> None:
        for timer in self._timers:
            timer.cancel()


class _WatchedHTTP(http.client.HTTPConnection):
    """A connection whose socket is shut down when its deadline passes."""

    def __init__(self, *args: Any, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def connect(self) -> None:
        self.timeout = self._deadline.remaining()
        super().connect()
        self._deadline.watch(self.sock)


class _WatchedHTTPS(_WatchedHTTP, http.client.HTTPSConnection):
    """The same over TLS: the socket watched is the TLS one, once the handshake is done."""


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_WatchedHTTP, deadline=self._deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline, context: ssl.SSLContext | None) -> None:
        super().__init__(context=context)
        self._deadline = deadline
        self._ssl_context = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_WatchedHTTPS, deadline=self._deadline), req, context=self._ssl_context)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects reach :func:`fetch` as errors and are followed there, which checks where they
    lead and never reads a redirect's body (urllib's handler reads it whole)."""

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> None:
        return None

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _is_private(host: str) -> bool:
    """Whether ``host`` is, or resolves to, a loopback, private, link-local or reserved address."""
    try:
        addresses = {ipaddress.ip_address(host.strip("[]"))}
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False  # unresolvable: the request itself will say so
        addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    return any(a.is_private or a.is_loopback or a.is_link_local or a.is_reserved for a in addresses)


def redirect_target(current: str, location: str) -> str:
    """Where a redirect from ``current`` to ``location`` leads, refused unless it stays on http(s)
    and does not lead from a public address to a private one (such as the user's own machine)."""
    target = urljoin(current, location.strip())
    scheme = urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(current, f"redirected to {target}, which is not http or https; not followed")
    new_host, old_host = urlsplit(target).hostname or "", urlsplit(current).hostname or ""
    if _is_private(new_host) and not _is_private(old_host):
        raise FetchError(current, f"redirected from a public address to a private one ({new_host}); not followed")
    return target


def _header_dict(headers: Message) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _read_body(response: http.client.HTTPResponse, url: str, max_bytes: int) -> bytes:
    chunks, total = [], 0
    while chunk := response.read1(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(url, f"larger than {size_text(max_bytes)} (--max-bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(
    url: str,
    *,
    limits: Limits = DEFAULT_LIMITS,
    headers: Mapping[str, str] | None = None,
    text_only: bool = False,
    ssl_context: ssl.SSLContext | None = None,
    proxies: Mapping[str, str] | None = None,
) -> Download:
    """GET ``url`` within ``limits``: the whole exchange, redirects included, ends by
    ``limits.timeout`` seconds and reads at most ``limits.max_bytes``. ``text_only`` refuses a
    content type other than text or HTML (a PDF, an image) by name. Raises :class:`FetchError`
    (:class:`FetchTimeout`, :class:`Unreachable`, :class:`HTTPStatusError`) with one line."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise FetchError(url, "only http and https URLs are read")
    deadline = _Deadline(limits.timeout)
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler(None if proxies is None else dict(proxies)),
        _HTTPHandler(deadline), _HTTPSHandler(deadline, ssl_context), _NoRedirects,
    )  # fmt: skip
    visited: list[str] = []
    current = url
    try:
        while True:
            request = urllib.request.Request(current, headers=dict(headers or {}))
            try:
                response = opener.open(request, timeout=deadline.remaining())
            except urllib.error.HTTPError as exc:
                with exc:
                    location = exc.headers.get("Location") if exc.code in _REDIRECTS else None
                    if location is None:
                        text = exc.read(_ERROR_BODY_BYTES).decode("utf-8", errors="replace")
                        raise HTTPStatusError(current, exc.code, exc.reason, _header_dict(exc.headers), text) from None
                visited.append(current)
                current = redirect_target(current, location)
                if current in visited:
                    raise FetchError(url, f"redirect loop ({len(visited)} redirects, back to {current})") from None
                if len(visited) > MAX_REDIRECTS:
                    raise FetchError(url, f"more than {MAX_REDIRECTS} redirects") from None
                continue
            with response:
                return _received(response, current, limits.max_bytes, text_only, deadline)
    except FetchError:
        if deadline.expired:
            raise FetchTimeout(url, f"timed out after {limits.timeout:g} s (--fetch-timeout)") from None
        raise
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        reason: Any = getattr(exc, "reason", None) or exc
        if deadline.expired or isinstance(reason, TimeoutError):
            raise FetchTimeout(url, f"timed out after {limits.timeout:g} s (--fetch-timeout)") from None
        if isinstance(exc, http.client.IncompleteRead):
            raise FetchError(url, "the download was cut short") from None
        if isinstance(reason, (ConnectionRefusedError, socket.gaierror)):
            raise Unreachable(url, f"unreachable ({reason.strerror or reason})") from None
        raise FetchError(url, str(reason).splitlines()[0] if str(reason) else type(exc).__name__) from None
    finally:
        deadline.cancel()


def _received(
    response: http.client.HTTPResponse, url: str, max_bytes: int, text_only: bool, deadline: _Deadline
) -> Download:
    content_type = response.headers.get_content_type() if response.headers.get("Content-Type") else ""
    if text_only and content_type and not content_type.startswith(_TEXT_TYPES):
        raise FetchError(url, f"it is {content_type}, not text or HTML")
    declared = response.headers.get("Content-Length")
    expected = int(declared) if declared and declared.strip().isdigit() else None
    if expected is not None and expected > max_bytes:
        raise FetchError(url, f"larger than {size_text(max_bytes)} (--max-bytes)")
    data = _read_body(response, url, max_bytes)
    if deadline.expired:  # the timer's shutdown looks like the end of the answer
        raise FetchError(url, "timed out")
    if expected is not None and len(data) < expected:
        raise FetchError(url, f"the download was cut short: {len(data)} of {expected} bytes arrived")
    return Download(url, data, content_type, response.headers.get_content_charset())
