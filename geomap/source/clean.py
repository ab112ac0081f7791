"""Boilerplate removal on the article's text, line by line, so that the sentences that remain
are intact and the recogniser never sees a place name that only the page template mentions."""

from __future__ import annotations

import re

from geomap.model import Article

_BOILERPLATE = re.compile(
    r"""^(?:font\s+size:?|share(?:\s+this)?(?:\s+article)?|advertisement|print|email|comments?|
    sign\s+up|subscribe.*|log\s*in|you'?re\s+signed\s+up!?|by\s+subscribing\b.*|
    follow\s+.{1,60}\s+on\s+(?:twitter|facebook|instagram|x)|send\s+tips?\s+to\s+\S+@\S+\.?|
    .*\blogo|(?:image|photo)\s*(?:credit)?:?.*|[A-Z]+\s*/\s*[\w .'-]+|read\s+more|related(?:\s+articles)?:?|
    premium\s+article:.*|signature)$""",
    re.IGNORECASE | re.VERBOSE,
)


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
