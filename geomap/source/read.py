"""Read an article from a file, a URL or a string: bytes to text, HTML to text, boilerplate removed."""

from __future__ import annotations

import re
from pathlib import Path

from geomap.errors import GeomapError
from geomap.model import Article
from geomap.source.clean import clean
from geomap.source.html import HTMLText, looks_like_html

URL_TIMEOUT_S = 20.0
MAX_BYTES = 20_000_000


def from_text(text: str, *, source: str | None = None) -> Article:
    """An article from a string: HTML is reduced to text; plain text is cleaned."""
    if looks_like_html(text):
        parser = HTMLText()
        parser.feed(text)
        parser.close()
        return parser.article(source)
    return clean(Article(text=text, source=source))


def read(location: str | Path) -> Article:
    """Read a file path or an http(s) URL into a cleaned :class:`Article`."""
    loc = str(location)
    if re.match(r"https?://", loc, re.IGNORECASE):
        return from_text(_fetch(loc), source=loc)
    path = Path(loc)
    if not path.exists():
        raise GeomapError(f"no such file: {path}")
    if path.is_dir():
        raise GeomapError(f"{path} is a directory, not an article")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GeomapError(f"cannot read {path}: {exc.strerror}") from None
    return from_text(_decode(data, str(path)), source=str(path))


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise GeomapError(f"{name} is empty")
    if b"\x00" in data[:8192]:
        raise GeomapError(f"{name} is a binary file, not an article")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise GeomapError(f"{name} is not text")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise GeomapError(f"{name} is a binary file, not an article")
    return text


def _fetch(url: str) -> str:
    import urllib.error
    import urllib.request

    from geomap import __version__

    request = urllib.request.Request(url, headers={"User-Agent": f"geomap/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=URL_TIMEOUT_S) as response:
            data = response.read(MAX_BYTES + 1)
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise GeomapError(f"cannot fetch {url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise GeomapError(f"cannot fetch {url}: {reason}") from None
    if len(data) > MAX_BYTES:
        raise GeomapError(f"{url} is larger than {MAX_BYTES // 1_000_000} MB")
    if charset:
        try:
            return _decode(data.decode(charset, errors="replace").encode("utf-8"), url)
        except LookupError:
            pass
    return _decode(data, url)
