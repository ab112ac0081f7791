"""Text helpers every stage shares: the lookup key of a name, sentences with offsets, "the" before a name.

They live apart from the recogniser and the gazetteer so that the resolver, the evaluator and
corrections can use them without importing either.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from geomap.model import Sentence
from geomap.recognize.vocabulary import vocabulary

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʼʻʿʾ′.\u02bc"), None)
_LETTERS = {"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d", "ħ": "h", "ŧ": "t"}
_TABLE = str.maketrans({**_APOSTROPHES, **{ord(k): v for k, v in _LETTERS.items()}})


@lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """The lookup key of a name: "Ar-Raqqah" -> "ar raqqah", "U.S." -> "us", "Mūşil" -> "musil".

    Apostrophes and dots vanish (so "U.S." meets "US"), every other non-alphanumeric
    character separates words, and letters lose their diacritics.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_TABLE))
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        out.append(ch if ch.isalnum() else " ")
    return " ".join("".join(out).translate(_TABLE).split())


_SENTENCE_END = re.compile(r"[.!?]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*\S)")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; abbreviations such as "U.S." and "Col." do not end one."""
    sentences: list[Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group(0).startswith("."):
            word = re.search(r"([A-Za-z]+)\.?$", text[max(0, m.start() - 12) : m.start() + 1])
            if word and (word.group(1).lower() in vocabulary().sentence_abbreviations or len(word.group(1)) == 1):
                continue
        _add_sentence(sentences, text, start, m.end())
        start = m.end()
    _add_sentence(sentences, text, start, len(text))
    return sentences


def _add_sentence(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        s = start + (len(chunk) - len(chunk.lstrip()))
        out.append(Sentence(s, s + len(stripped), stripped))


_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)


def after_the(text: str, pos: int) -> bool:
    """Whether "the" comes right before ``pos``: "the Atlantic", "the Mississippi"."""
    return bool(_THE_BEFORE.search(text[max(0, pos - 12) : pos]))
