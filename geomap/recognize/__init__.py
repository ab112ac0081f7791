"""Toponym recognition: place-name mentions with exact character spans.

Every recogniser is a function ``(text, gazetteer) -> list[Mention]`` (:class:`Recognizer`),
registered under a name; :func:`get` finds one by name and imports its module only then, so
choosing the default never loads spaCy. The default (:mod:`~geomap.recognize.rules`) needs no
model; :mod:`~geomap.recognize.spacy_model` wraps a spaCy pipeline; both share the vocabulary
of :mod:`~geomap.recognize.vocabulary`.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Protocol

from geomap.errors import GeomapError
from geomap.model import Candidate, Mention


class NameIndex(Protocol):
    """What a recogniser needs from a gazetteer: one batched name lookup."""

    def lookup_many(self, keys: Sequence[str]) -> dict[str, list[Candidate]]: ...


class Recognizer(Protocol):
    def __call__(self, text: str, gazetteer: NameIndex) -> list[Mention]: ...


#: Recogniser name -> (module, function), imported when first chosen.
_REGISTRY: dict[str, tuple[str, str] | Recognizer] = {
    "gazetteer": ("geomap.recognize.rules", "find_mentions"),
    "spacy": ("geomap.recognize.spacy_model", "find_mentions_spacy"),
}


def names() -> tuple[str, ...]:
    """The registered recognisers, the default first."""
    return tuple(_REGISTRY)


def register(name: str, recognizer: Recognizer) -> None:
    """Offer ``recognizer`` to :func:`geomap.parse` and the CLI under ``name``."""
    _REGISTRY[name] = recognizer


def get(name: str) -> Recognizer:
    """The recogniser called ``name``; an unknown name is a one-line error listing the choices."""
    entry = _REGISTRY.get(name)
    if entry is None:
        raise GeomapError(f"unknown recognizer {name!r}: choose one of {', '.join(_REGISTRY)}")
    if isinstance(entry, tuple):
        module, function = entry
        entry = _REGISTRY[name] = getattr(importlib.import_module(module), function)
    return entry
