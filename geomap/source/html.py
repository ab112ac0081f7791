"""HTML to text: one line per block, page furniture skipped, and the title and publication
date read from the page's metadata.

Furniture is known by structure, not by site: scripts, navigation, forms, asides and footers;
elements whose class, id or role names furniture (``class="related-stories"``,
``id="newsletter-signup"``, ``role="contentinfo"``; the tokens are in
``geomap/data/boilerplate.toml``); and blocks that are mostly link text (lists of other
stories, menus). The text that remains is cleaned like any other (:func:`geomap.source.clean.clean`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from geomap.model import Article
from geomap.source.clean import clean, cues

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "section", "article", "header", "footer", "blockquote", "pre", "figcaption", "dd", "dt", "table",
}  # fmt: skip
_SKIP_TAGS = {
    "script", "style", "noscript", "nav", "aside", "form", "button", "svg", "iframe", "template", "select", "footer",
}  # fmt: skip
#: The story's own containers: a class on these says what kind of story it is, not that it is furniture.
_CONTAINERS = {"html", "body", "main", "article"}
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: Blocks whose start closes an open <p> whose end tag was left out (as browsers do).
_CLOSES_P = {
    "address", "article", "aside", "blockquote", "div", "dl", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "nav", "ol", "p", "pre", "section", "table", "ul",
}  # fmt: skip
LINK_SHARE = 0.6  # a block with this share of its letters in links is a menu or a list of other stories
_META_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(slots=True)
class _Skipped:
    """An open furniture element, and how many elements of its tag are open inside it."""

    tag: str
    depth: int = 1


class HTMLText(HTMLParser):
    """Collects readable text, one line per block, plus the title and publication date."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.link_letters: list[int] = [0]  # per line, the letters inside <a>
        self.title: str | None = None
        self.date: str | None = None
        self.publisher: str | None = None
        self._skipping: list[_Skipped] = []
        self._links = 0
        self._in_title = False
        self._in_h1 = False
        self._h1: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping and self._skipping[-1] == _Skipped("p") and tag in _CLOSES_P:
            self._skipping.pop()  # <p class="byline">By ...<p>The story: the byline's <p> ended
        if tag not in _VOID_TAGS:
            if tag in _SKIP_TAGS or (tag not in _CONTAINERS and _names_furniture(attrs)):
                self._skipping.append(_Skipped(tag))
            elif open_ := self._open(tag):
                open_.depth += 1
        if tag == "title":
            self._in_title = True
        elif tag == "h1" and self._h1 is None:
            self._in_h1 = True
        elif tag == "a":
            self._links += 1
        elif tag == "meta":
            a = {k: v or "" for k, v in attrs}
            key = (a.get("property") or a.get("name") or "").lower()
            if key in ("og:title", "twitter:title") and a.get("content"):
                self.title = self.title or a["content"].strip()
            elif key in ("og:site_name", "publisher", "application-name") and a.get("content", "").strip():
                self.publisher = self.publisher or " ".join(a["content"].split())
            elif ("published_time" in key or key in ("date", "pubdate", "article:published")) and (
                m := _META_DATE.search(a.get("content", ""))
            ):
                self.date = self.date or m.group(0)
        elif tag == "time" and self.date is None and (m := _META_DATE.search(dict(attrs).get("datetime") or "")):
            self.date = m.group(0)
        if tag in _BLOCK_TAGS:
            self._new_line()

    def handle_endtag(self, tag: str) -> None:
        if open_ := self._open(tag):
            open_.depth -= 1
            if not open_.depth:
                self._skipping.remove(open_)
        if tag == "title":
            self._in_title = False
        elif tag == "h1":
            self._in_h1 = False
        elif tag == "a":
            self._links = max(0, self._links - 1)
        if tag in _BLOCK_TAGS:
            self._new_line()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = self.title or " ".join(data.split())
            return
        if self._skipping:
            return
        if self._in_h1:
            self._h1 = (self._h1 or "") + data
        self.lines[-1] += re.sub(r"\s+", " ", data)
        if self._links:
            self.link_letters[-1] += sum(ch.isalnum() for ch in data)

    def _open(self, tag: str) -> _Skipped | None:
        """The innermost open furniture element with this tag."""
        return next((s for s in reversed(self._skipping) if s.tag == tag), None)

    def _new_line(self) -> None:
        self.lines.append("")
        self.link_letters.append(0)

    def article(self, source: str | None) -> Article:
        paragraphs = [
            line.strip() for line, links in zip(self.lines, self.link_letters)
            if links <= LINK_SHARE * sum(ch.isalnum() for ch in line)
        ]  # fmt: skip
        text = "\n\n".join(p for p in paragraphs if p)
        title = " ".join(self._h1.split()) if self._h1 and self._h1.strip() else self.title
        return clean(Article(text=text, title=title, source=source, date=self.date, publisher=self.publisher))


def _names_furniture(attrs: list[tuple[str, str | None]]) -> bool:
    """Whether an element's class, id or role names page furniture: "related-stories",
    "newsletterSignup", "contentinfo" (whole tokens only: "shadow" is not "ad")."""
    values = " ".join(v for k, v in attrs if k in ("class", "id", "role") and v)
    tokens = re.split(r"[^a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", values).lower())
    return not cues().html_tokens.isdisjoint(tokens)


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or bool(re.search(r"<(?:body|p|div|article)[\s>]", head))
