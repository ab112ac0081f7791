"""Read an article from a file, a URL or a string: bytes to text, HTML to text, boilerplate removed."""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from geomap.errors import GeomapError
from geomap.fetch import DEFAULT_LIMITS, Limits, fetch, read_file
from geomap.model import Article
from geomap.source.clean import clean
from geomap.source.html import HTMLText, looks_like_html

log = logging.getLogger(__name__)

#: Byte order marks, longest first: UTF-32 LE begins with UTF-16 LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)  # fmt: skip
#: A well-formed UTF-8 sequence of two to four bytes.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def from_text(text: str, *, source: str | None = None) -> Article:
    """An article from a string: HTML is reduced to text; plain text is cleaned."""
    if looks_like_html(text):
        parser = HTMLText()
        parser.feed(text)
        parser.close()
        return parser.article(source)
    return clean(Article(text=text, source=source))


def read(location: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> Article:
    """Read a file path or an http(s) URL into a cleaned :class:`Article`, within ``limits``:
    a regular file or a text/HTML download of at most ``limits.max_bytes``, a download
    finished within ``limits.timeout`` seconds."""
    loc = str(location)
    if re.match(r"https?://", loc, re.IGNORECASE):
        download = fetch(loc, limits=limits, text_only=True)
        return from_text(decode(download.data, loc, download.charset), source=loc)
    return from_text(decode(read_file(loc, limits.max_bytes), loc), source=loc)


def decode(data: bytes, name: str, charset: str | None = None) -> str:
    """The text of an article's bytes. A byte order mark decides (UTF-8, -16 or -32), else the
    ``charset`` a server declared, else UTF-8, or cp1252 for bytes that do not look like UTF-8
    at all. Invalid bytes become U+FFFD with a warning naming the first one's offset: one
    stray byte must not turn a whole UTF-8 file into cp1252 ("São Paulo" into "SÃ£o Paulo")."""
    bom, encoding = next(((b, e) for b, e in _BOMS if data.startswith(b)), (b"", None))
    if encoding is None:
        if b"\x00" in data[:8192]:
            raise GeomapError(f"{name} is a binary file, not an article")
        encoding = _declared(charset) or _guess(data)
    text = _decoded(data, len(bom), encoding, name)
    if not text.strip():
        raise GeomapError(f"{name} is empty")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise GeomapError(f"{name} is a binary file, not an article")
    return text


def _declared(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None  # an unknown charset is no worse than none


def _guess(data: bytes) -> str:
    """UTF-8 unless the bytes have invalid sequences and no more valid multi-byte ones than
    invalid ones: then they are a legacy single-byte text, taken as cp1252."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    valid = len(_UTF8_SEQUENCE.findall(data))
    invalid = data.decode("utf-8", errors="replace").count("\ufffd") - _genuine_replacements(data, "utf-8")
    return "utf-8" if valid and valid >= invalid else "cp1252"


def _decoded(data: bytes, start: int, encoding: str, name: str) -> str:
    body = data[start:]
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        text = body.decode(encoding, errors="replace")
        more = text.count("\ufffd") - _genuine_replacements(body, encoding) - 1
        also = f" (and {more} more)" if more > 0 else ""
        log.warning("%s: invalid %s at byte %d%s replaced with U+FFFD", name, _label(encoding), start + exc.start, also)
        return text


def _genuine_replacements(data: bytes, encoding: str) -> int:
    """How many U+FFFD the bytes hold themselves, so that only the replaced ones are counted."""
    try:
        return data.count("\ufffd".encode(encoding))
    except UnicodeEncodeError:
        return 0  # a single-byte encoding without U+FFFD


def _label(encoding: str) -> str:
    return {"utf-8": "UTF-8", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "utf-32-le": "UTF-32",
            "utf-32-be": "UTF-32"}.get(encoding, encoding)  # fmt: skip
