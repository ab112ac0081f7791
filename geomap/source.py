"""Read an article from a file, a URL or a string, and strip page furniture.

Boilerplate (subscription prompts, share buttons, repeated navigation lines) is
dropped line by line, so the text that remains keeps its sentences intact and the
recogniser never sees a place name that only the page template mentions.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from geomap.errors import GeomapError
from geomap.model import Article

URL_TIMEOUT_S = 20.0
MAX_BYTES = 20_000_000

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "section", "article", "header", "footer", "blockquote", "pre", "figcaption", "dd", "dt", "table",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "noscript", "nav", "aside", "form", "button", "svg", "iframe", "template", "select"}
_BOILERPLATE = re.compile(
    r"""^(?:font\s+size:?|share(?:\s+this)?(?:\s+article)?|advertisement|print|email|comments?|
    sign\s+up|subscribe.*|log\s*in|you'?re\s+signed\s+up!?|by\s+subscribing\b.*|
    follow\s+.{1,60}\s+on\s+(?:twitter|facebook|instagram|x)|send\s+tips?\s+to\s+\S+@\S+\.?|
    .*\blogo|(?:image|photo)\s*(?:credit)?:?.*|[A-Z]+\s*/\s*[\w .'-]+|read\s+more|related(?:\s+articles)?:?|
    premium\s+article:.*|signature)$""",
    re.IGNORECASE | re.VERBOSE,
)
_META_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _HTMLText(HTMLParser):
    """Collects readable text, one line per block, plus the title and publication date."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.title: str | None = None
        self.date: str | None = None
        self._skip = 0
        self._in_title = False
        self._in_h1 = False
        self._h1: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "h1" and self._h1 is None:
            self._in_h1 = True
        elif tag == "meta":
            a = {k: v or "" for k, v in attrs}
            key = (a.get("property") or a.get("name") or "").lower()
            if key in ("og:title", "twitter:title") and a.get("content"):
                self.title = self.title or a["content"].strip()
            elif ("published_time" in key or key in ("date", "pubdate", "article:published")) and (
                m := _META_DATE.search(a.get("content", ""))
            ):
                self.date = self.date or m.group(0)
        elif tag == "time" and self.date is None and (m := _META_DATE.search(dict(attrs).get("datetime") or "")):
            self.date = m.group(0)
        if tag in _BLOCK_TAGS:
            self.lines.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag == "h1":
            self._in_h1 = False
        if tag in _BLOCK_TAGS:
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = self.title or " ".join(data.split())
            return
        if self._skip:
            return
        if self._in_h1:
            self._h1 = (self._h1 or "") + data
        self.lines[-1] += re.sub(r"\s+", " ", data)

    def article(self, source: str | None) -> Article:
        paragraphs = [line.strip() for line in self.lines]
        text = "\n\n".join(p for p in paragraphs if p)
        title = " ".join(self._h1.split()) if self._h1 and self._h1.strip() else self.title
        return clean(Article(text=text, title=title, source=source, date=self.date))


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or bool(re.search(r"<(?:body|p|div|article)[\s>]", head))


def from_text(text: str, *, source: str | None = None) -> Article:
    """An article from a string: HTML is reduced to text; plain text is cleaned."""
    if looks_like_html(text):
        parser = _HTMLText()
        parser.feed(text)
        parser.close()
        return parser.article(source)
    return clean(Article(text=text, source=source))


def clean(article: Article) -> Article:
    """Drop boilerplate lines and guess a title when none is known."""
    lines = article.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    counts: dict[str, int] = {}
    for line in lines:
        key = line.strip()
        if key:
            counts[key] = counts.get(key, 0) + 1
    kept = [
        line.rstrip()
        for line in lines
        if not (s := line.strip()) or (not _BOILERPLATE.match(s) and not (counts[s] > 1 and len(s) < 80))
    ]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip() + "\n"
    title = article.title or _guess_title(text)
    return Article(text=text, title=title, source=article.source, date=article.date)


def _guess_title(text: str) -> str | None:
    """The first early line that reads like a headline: several words, no final full stop."""
    for line in [s.strip() for s in text.split("\n") if s.strip()][:5]:
        if len(line.split()) >= 4 and not line.endswith((".", ":", "?", "!")) and len(line) < 200:
            return line
    return None


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
