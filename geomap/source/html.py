"""HTML to text: one line per block, page furniture (scripts, navigation, forms) skipped,
and the title and publication date read from the page's metadata."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from geomap.model import Article
from geomap.source.clean import clean

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "section", "article", "header", "footer", "blockquote", "pre", "figcaption", "dd", "dt", "table",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "noscript", "nav", "aside", "form", "button", "svg", "iframe", "template", "select"}
_META_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class HTMLText(HTMLParser):
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
