"""Boilerplate removal on the article's text, so that the recogniser never sees a place name
that only the page around the story mentions: a donation appeal's "we love America", a footer's
"1 Main Street, London", a list of other stories' headlines.

Lines and paragraphs are judged by what they are, not by the site they come from:

* a line of page furniture (share buttons, photo credits, sign-up prompts), a byline ("By Jane
  Doe", "Russ Read Pentagon/Foreign Policy Reporter"), a copyright or address line;
* a heading of related stories with the headlines listed under it;
* an appeal: a paragraph that speaks to the reader ("we", "our", "you", outside quotations)
  about money, subscriptions or memberships, anywhere;
* the tail: the run of paragraphs after the story (furniture, appeals, calls to action,
  footers) once one of them is plainly boilerplate.

Sentences that remain are whole, and the story's first paragraph is never removed.
The cue words are data, in ``geomap/data/boilerplate.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import cache

from geomap.errors import GeomapError
from geomap.fsutil import package_data
from geomap.model import Article

_FURNITURE = re.compile(
    r"""^(?:font\s+size:?|share(?:\s+this)?(?:\s+article)?|advertisement|print|email|comments?|
    sign\s+up|subscribe.*|log\s*in|you'?re\s+signed\s+up!?|by\s+subscribing\b.*|
    follow\s+.{1,60}\s+on\s+(?:twitter|facebook|instagram|x)|send\s+tips?\s+to\s+\S+@\S+\.?|
    .*\blogo|(?:image|photo)(?:\s+(?:credit|copyright))?\s*:?(?:\s+\S+){0,8}|[A-Z]+\s*/\s*[\w .'-]+|
    premium\s+article:.*|signature)$""",
    re.IGNORECASE | re.VERBOSE,
)
#: Words that address the reader or speak for the publication.
_PRONOUNS = frozenset(
    [
        "we",
        "we're",
        "we've",
        "we'll",
        "we'd",
        "us",
        "our",
        "ours",
        "ourselves",
        "you",
        "you're",
        "you've",
        "you'll",
        "you'd",
        "your",
        "yours",
        "yourself",
    ]
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
#: Text inside quotation marks is someone else's words, not the page's; an opening mark
#: left unclosed at a paragraph's end quotes to the end (a quotation running on).
_QUOTED = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)", re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!\"”’']\s*$")
_COPYRIGHT = re.compile(r"(?:©|\(c\)\s*\d{4}|copyright\b)", re.IGNORECASE)
_MENU_SEPARATOR = re.compile(r"\s+[|·•›»>]\s+")
_TIME_STAMP = re.compile(
    r"(?:published|updated|posted|last\s+updated)\b.*(?:\b(?:19|20)\d\d\b|\b\d{1,2}:\d\d\b)", re.IGNORECASE
)
_NAME_WORD = re.compile(r"[A-Z][\w.'’-]*|[A-Z]{2,}|and|&|in|for|of|the|de|van|von|al|,")

APPEAL_DENSITY = 0.03  # share of words that address the reader, outside quotations, in an appeal
SHORT_WORDS = 15  # a paragraph this short speaks to the reader with one such word ("Help us save her.")
MAX_FURNITURE_WORDS = 8  # a line of furniture (a menu item, a signature, "Readers,") is at most this long
MAX_BYLINE_WORDS = 12
MAX_APPEAL_WORDS = 250  # longer paragraphs are the story (a text without paragraph breaks is one)
MAX_HEADLINE_WORDS = 25
MAX_FOOTER_WORDS = 40


@dataclass(frozen=True, slots=True)
class Cues:
    """The lists of ``boilerplate.toml``, compiled."""

    appeal: re.Pattern[str]
    footer: re.Pattern[str]
    imperatives: frozenset[str]
    related: re.Pattern[str]
    roles: frozenset[str]
    html_tokens: frozenset[str]


@cache
def cues() -> Cues:
    """The shipped cue words, read once."""
    target = package_data("boilerplate.toml")
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
        return Cues(
            appeal=_any_word(data["appeal"]),
            footer=_any_word(data["footer"]),
            imperatives=frozenset(data["imperatives"]),
            related=re.compile(
                r"^(?:{})(?:\s*:\s*|\s*$)".format(
                    "|".join(re.escape(h) for h in sorted(data["related"], key=len)[::-1])
                ),
                re.IGNORECASE,
            ),
            roles=frozenset(data["roles"]),
            html_tokens=frozenset(data["html_tokens"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GeomapError(f"cannot read the boilerplate cues {target}: {exc}") from None


def _any_word(words: list[str]) -> re.Pattern[str]:
    """One pattern for a list of words and phrases; "subscri*" matches any ending."""
    parts = [re.escape(w[:-1]) + r"[\w-]*" if w.endswith("*") else re.escape(w) for w in words]
    return re.compile(r"(?<![\w-])(?:{})(?![\w-])".format("|".join(parts)), re.IGNORECASE)


def clean(article: Article) -> Article:
    """Drop boilerplate and guess a title when none is known."""
    lines = [line.rstrip() for line in article.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    drop = _furniture_lines(lines) | _related_lists(lines)
    drop |= _appeals_and_tail([(k, line) for k, line in enumerate(lines) if k not in drop])
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line for k, line in enumerate(lines) if k not in drop)).strip() + "\n"
    title = article.title or _guess_title(text)
    return replace(article, text=text, title=title)


def _furniture_lines(lines: list[str]) -> set[int]:
    """Lines that are furniture, bylines or footers wherever they stand, and short lines the
    page repeats (a sign-up prompt shown after every section)."""
    counts: dict[str, int] = {}
    for line in lines:
        if key := line.strip():
            counts[key] = counts.get(key, 0) + 1
    return {
        k for k, line in enumerate(lines)
        if (s := line.strip()) and (
            _FURNITURE.match(s) or (counts[s] > 1 and len(s) < 80) or _is_byline(s) or _is_footer_line(s)
            or _is_time_stamp(s) or _is_menu(s)
        )
    }  # fmt: skip


def _is_byline(line: str) -> bool:
    """ "By Jane Doe and John Roe", "By JANE DOE, Reuters", "Russ Read Pentagon/Foreign Policy Reporter"."""
    words = line.split()
    if len(words) > MAX_BYLINE_WORDS or _SENTENCE_END.search(line):
        return False
    if words[0].casefold() == "by" and len(words) > 2:
        return all(_NAME_WORD.fullmatch(w.rstrip(",")) or w == "," for w in words[1:])
    return words[-1].casefold().split("/")[-1] in cues().roles and words[0][:1].isupper()


def _is_menu(line: str) -> bool:
    """A breadcrumb or menu: "World | Asia", "New York · Nairobi · Singapore"."""
    items = _MENU_SEPARATOR.split(line)
    return len(items) >= 2 and not _SENTENCE_END.search(line) and all(0 < len(i.split()) <= 4 for i in items)


def _is_time_stamp(line: str) -> bool:
    """ "Published 10 July 2017", "Updated: 08:15 GMT"."""
    return len(line.split()) <= MAX_BYLINE_WORDS and not _SENTENCE_END.search(line) and bool(_TIME_STAMP.match(line))


def _is_footer_line(line: str) -> bool:
    """A copyright or syndication line: "© 2024 Example News Ltd, 1 Main Street, London"."""
    return len(line.split()) <= MAX_FOOTER_WORDS and bool(_COPYRIGHT.match(line))


def _related_lists(lines: list[str]) -> set[int]:
    """A heading of related stories ("Related stories", "Read more:") and the headline-like
    lines under it, up to the first line that reads as the story's prose."""
    drop: set[int] = set()
    k = 0
    while k < len(lines):
        s = lines[k].strip()
        heading = cues().related.match(s) if s and len(s.split()) <= MAX_HEADLINE_WORDS else None
        k += 1
        if heading is None:
            continue
        drop.add(k - 1)
        if heading.end() < len(s):
            continue  # "Read more: <headline>" names its one story on the line itself
        while k < len(lines) and not ((s := lines[k].strip()) and _reads_as_prose(s)):
            drop.add(k)
            k += 1
    return drop


def _reads_as_prose(line: str) -> bool:
    return bool(_SENTENCE_END.search(line)) or len(line.split()) > MAX_HEADLINE_WORDS


@dataclass(frozen=True, slots=True)
class _Block:
    """A paragraph: the lines between blank lines."""

    lines: list[int]
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())

    def reader_words(self) -> tuple[int, int]:
        """(words, words addressing the reader), outside quotations."""
        words = [w.casefold().replace("’", "'") for w in _WORD.findall(_QUOTED.sub(" ", self.text))]
        return len(words), sum(w in _PRONOUNS for w in words)

    @property
    def appeals(self) -> int:
        """How many different appeal words it uses."""
        return len({m.group(0).casefold() for m in cues().appeal.finditer(self.text)})

    @property
    def addresses_reader(self) -> bool:
        words, pronouns = self.reader_words()
        enough = pronouns >= 2 or (pronouns and words <= SHORT_WORDS)
        return bool(enough) and self.words <= MAX_APPEAL_WORDS and pronouns >= APPEAL_DENSITY * words

    @property
    def furniture(self) -> bool:
        """Every line short and none a sentence: a menu, a signature, a salutation."""
        texts = self.text.split("\n")
        return all(len(t.split()) <= MAX_FURNITURE_WORDS and not _SENTENCE_END.search(t) for t in texts)

    @property
    def call_to_action(self) -> bool:
        """One short line that starts with a call to action: "Become a member today."."""
        first = self.text.split(maxsplit=1)[0].casefold().strip(".,:!") if self.text else ""
        return "\n" not in self.text and self.words <= SHORT_WORDS and first in cues().imperatives

    @property
    def appeal(self) -> bool:
        """Speaks to the reader about money or sign-ups: boilerplate wherever it stands."""
        return self.addresses_reader and self.appeals >= 2

    @property
    def footer(self) -> bool:
        """Copyright, syndication or contact terms: it opens with one of their words, or uses two
        ("Image copyright Getty Images" in a caption, or a story about copyright, is not enough)."""
        found = {m.group(0).casefold() for m in cues().footer.finditer(self.text)}
        return len(found) >= 2 or bool(cues().footer.match(self.text.lstrip("(")))

    @property
    def plainly_boilerplate(self) -> bool:
        """An appeal, a footer, or a call to action or a word to the reader about money or sign-ups."""
        return self.appeal or self.footer or ((self.call_to_action or self.addresses_reader) and self.appeals >= 1)

    @property
    def tail(self) -> bool:
        """What may follow the story on a page without being the story."""
        return (
            self.furniture or self.call_to_action or self.addresses_reader or self.plainly_boilerplate
        ) and self.words <= MAX_APPEAL_WORDS


def _appeals_and_tail(lines: list[tuple[int, str]]) -> set[int]:
    """Appeals anywhere, and the tail: from the first paragraph that is plainly boilerplate
    (with the salutations or menus just before it) to the end, when every paragraph from there
    on could be; never the first paragraph of prose (the story's lead)."""
    blocks: list[_Block] = []
    current: list[tuple[int, str]] = []
    for k, line in [*lines, (-1, "")]:
        if line.strip():
            current.append((k, line.strip()))
        elif current:
            blocks.append(_Block([k for k, _ in current], "\n".join(t for _, t in current)))
            current = []
    lead = next((i for i, b in enumerate(blocks) if not b.furniture), len(blocks))
    drop = {i for i, b in enumerate(blocks) if b.appeal and i != lead}
    earliest = len(blocks)
    while earliest > lead + 1 and blocks[earliest - 1].tail:
        earliest -= 1
    start = next((i for i in range(earliest, len(blocks)) if blocks[i].plainly_boilerplate), len(blocks))
    while start > earliest and blocks[start - 1].furniture:
        start -= 1
    drop |= set(range(start, len(blocks)))
    return {k for i in drop for k in blocks[i].lines}


def _guess_title(text: str) -> str | None:
    """The first early line that reads like a headline: several words, no final full stop."""
    for line in [s.strip() for s in text.split("\n") if s.strip()][:5]:
        if len(line.split()) >= 4 and not line.endswith((".", ":", "?", "!")) and len(line) < 200:
            return line
    return None
