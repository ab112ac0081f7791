"""Optional toponym recognition with a spaCy model (``pip install 'geomap[spacy]'``).

A statistical recogniser finds names by context rather than by capitalisation rules, so it
is worth comparing with the default gazetteer matcher (``geomap eval --recognizer spacy``).
Its entities become the same :class:`~geomap.model.Mention` values as
:func:`geomap.recognize.rules.find_mentions` gives, with the same sentences and compounds, so the
resolver, maps and evaluation need not know which recogniser ran.
"""

from __future__ import annotations

import bisect
import os
from functools import lru_cache
from typing import TYPE_CHECKING

from geomap.errors import GeomapError
from geomap.model import Candidate, Mention, Sentence
from geomap.recognize import NameIndex
from geomap.recognize.rules import compound_mention
from geomap.recognize.vocabulary import vocabulary
from geomap.text import normalize, split_sentences

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span

DEFAULT_MODEL = "en_core_web_sm"
#: Names another installed spaCy pipeline to use instead of :data:`DEFAULT_MODEL`.
MODEL_ENV = "GEOMAP_SPACY_MODEL"
#: Entity labels that name places; NORP ("Iraqi") is kept only as a demonym.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
DEMONYM_LABEL = "NORP"


@lru_cache(maxsize=2)
def load_model(name: str) -> Language:
    """The spaCy pipeline ``name``, loaded once per process (loading takes seconds)."""
    hint = f"pip install 'geomap[spacy]' && python -m spacy download {name}"
    try:
        import spacy
    except ImportError:
        raise GeomapError(f"the spacy recognizer needs spaCy, which is not installed: {hint}") from None
    try:
        return spacy.load(name)
    except OSError:
        raise GeomapError(
            f"the spacy recognizer needs the spaCy model {name!r}, which is not installed: {hint}"
        ) from None


def find_mentions_spacy(text: str, gazetteer: NameIndex, *, model: str | Language | None = None) -> list[Mention]:
    """Every place-name mention spaCy finds in ``text`` that the gazetteer has candidates for.

    ``model`` is a spaCy pipeline or the name of an installed one (default:
    ``$GEOMAP_SPACY_MODEL``, else ``en_core_web_sm``).
    """
    if model is None or isinstance(model, str):
        model = load_model(model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL)
    labels = PLACE_LABELS | {DEMONYM_LABEL}
    names = [(ent.label_, name) for ent in model(text).ents if ent.label_ in labels and len(name := _name(ent))]
    keys = {key for _, span in names for key in _keys(span)}
    found = gazetteer.lookup_many(sorted(keys)) if keys else {}
    sentences = split_sentences(text)
    starts = [s.start for s in sentences]
    mentions: list[Mention] = []
    for label, span in names:
        span = _without_feature(span, found)
        cands = found.get(normalize(span.text))
        sentence = _sentence_of(sentences, starts, span.start_char, span.end_char)
        if not cands or sentence is None:
            continue
        mention = _mention(text, sentence, span, label, cands)
        if mention and not (mentions and mention.start < mentions[-1].end):
            mentions.append(mention)
    return mentions


def _name(ent: Span) -> Span:
    """The entity without a leading "the" or a trailing possessive: "the Tigris" names the Tigris."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and doc[start].lower_ == "the":
        start += 1
    while end > start and doc[end - 1].text in ("'s", "’s", "'", "’"):
        end -= 1
    return doc[start:end]


def _keys(span: Span) -> list[str]:
    """Gazetteer keys for a name, also without a feature word spaCy took in ("Tigris River")."""
    keys = [normalize(span.text)]
    if len(span) > 1 and span[-1].lower_ in vocabulary().feature_words:
        keys.append(normalize(span[:-1].text))
    return [k for k in keys if k]


def _without_feature(span: Span, found: dict[str, list[Candidate]]) -> Span:
    """The name the gazetteer knows: "Tigris River" is the Tigris when only that is listed."""
    if normalize(span.text) in found or len(span) == 1 or span[-1].lower_ not in vocabulary().feature_words:
        return span
    return span[:-1]


def _sentence_of(sentences: list[Sentence], starts: list[int], start: int, end: int) -> Sentence | None:
    """The sentence holding the whole span; None when the span crosses a sentence boundary."""
    k = bisect.bisect_right(starts, start) - 1
    if k < 0 or end > sentences[k].end:
        return None
    return sentences[k]


def _mention(text: str, sentence: Sentence, span: Span, label: str, cands: list[Candidate]) -> Mention | None:
    """A place mention joined with its compound, or a demonym; None for a group that is not one."""
    demonym = [c.name_type == "demonym" for c in cands]
    if label == DEMONYM_LABEL or all(demonym):
        if not any(demonym):
            return None  # a religion or party ("Sunni", "Republican") the gazetteer lists as a place
        start, end = span.start_char, span.end_char
        return Mention(text=text[start:end], start=start, end=end, name=span.text, sentence=sentence, demonym=True)
    end = span.end_char
    word_end = end + 2 if text[end : end + 2] in ("'s", "’s") else end
    return compound_mention(text, sentence, span.start_char, end, span.text, word_end=word_end)
