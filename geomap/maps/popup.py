"""A place's popup: what the place is, and the sentences of the article that mention it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from geomap.maps.assets import render
from geomap.maps.symbols import KIND_LABELS
from geomap.model import Place

#: Sentences quoted in a popup; the rest are counted.
POPUP_SENTENCES = 6


def popup_html(place: Place, parent_name: str | None = None) -> Markup:
    """The popup: name, kind, country, confidence, geocoder, and the sentences that
    mention the place with each mention in ``<mark>``; focusable and labelled, so that
    screen readers announce it on opening. The template escapes everything it is given."""
    return render("popup.html", place=about(place, parent_name))


def about(place: Place, parent_name: str | None = None) -> dict[str, Any]:
    """What the templates say of a place (``place.html``): its name and kind, the facts
    (kind, country, confidence, geocoder), its note, and the sentences quoted, each cut
    into (text, is a mention) pieces."""
    kind = KIND_LABELS[place.kind]
    facts = [f"Part of {parent_name}" if parent_name and place.kind == "district" else kind]
    if place.country and place.country != place.name:
        facts.append(place.country)
    facts += [f"confidence {place.confidence:.0%}", f"geocoder: {place.geocoder}"]
    quotes = []
    for sentence in place.sentences[:POPUP_SENTENCES]:
        spans = sorted(
            (max(0, m.start - sentence.start), min(len(sentence.text), m.end - sentence.start))
            for m in place.mentions
            if m.sentence.start == sentence.start
        )
        quotes.append(_marked(sentence.text, spans))
    # The gazetteer's own name, when the label uses the article's form of it.
    gazetteer_name = place.gazetteer_name if place.gazetteer_name != place.name else None
    return {
        "name": place.name, "kind": kind.lower(), "facts": facts, "note": place.note, "quotes": quotes,
        "gazetteer_name": gazetteer_name, "more": max(0, len(place.sentences) - POPUP_SENTENCES),
    }  # fmt: skip


def _marked(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is a mention) pairs; overlapping spans are skipped."""
    out, pos = [], 0
    for start, end in spans:
        if start < pos or end <= start:
            continue
        out += [(text[pos:start], False), (text[start:end], True)]
        pos = end
    out.append((text[pos:], False))
    return out
