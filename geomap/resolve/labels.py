"""Labels in the article's words: a place is named as the article names it most (Raqqa, not
the gazetteer's "Ar Raqqah"; Kobani, not "‘Ayn al ‘Arab"), while ``Place.gazetteer_name``
keeps the gazetteer's own name for the popup.

Not every mention is a label form. An abbreviation ("U.S.", "UK") or a demonym names a place
but an editor does not label a map with it; a form in capitals (a dateline's "KYIV") is the
article's word in the wrong case; a possessive ("Iraq's") is not part of the name. When the
article gives no label form, the gazetteer's name stands; nor does a generic word alone ("the
Gulf" is labelled Persian Gulf). A bare form of a name whose full
form adds a generic word ("the Baltic", "Erie") takes the full one (Baltic Sea, Lake Erie):
alone on a map it would read as another place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from geomap.model import Candidate, Mention
from geomap.text import normalize

#: How a name reached its place that makes it no label: "U.S." (abbreviation), "Iraqi" (demonym).
NOT_LABELS = ("abbreviation", "demonym")
_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}|[A-Z]{2,4}")
_POSSESSIVE = re.compile(r"['’]s?$")
_WORD = re.compile(r"[^\W\d_]+")

#: Words that make a bare name a feature's full name: "Baltic" -> "Baltic Sea", "Erie" -> "Lake Erie".
GENERIC_WORDS = frozenset(
    [
        "bay",
        "channel",
        "county",
        "desert",
        "gulf",
        "island",
        "islands",
        "lake",
        "mountains",
        "ocean",
        "peninsula",
        "river",
        "sea",
        "strait",
    ]
)

#: A form of a name as the article writes it, and where.
Form = tuple[str, int]


def article_forms(mentions: Iterable[Mention], candidate: Candidate) -> list[Form]:
    """The label forms among the mentions that ``candidate`` was chosen for."""
    if candidate.name_type in NOT_LABELS:
        return []
    own = {normalize(candidate.name), candidate.matched or ""}
    forms = []
    for m in mentions:
        form = m.name.strip()
        if normalize(form) not in own:  # "Iraq's", but "St. John's"
            form = _POSSESSIVE.sub("", form)
        generic = set(normalize(form).split()) <= GENERIC_WORDS  # "the Gulf" is a Gulf; the gazetteer says which
        if form and not m.demonym and not _ACRONYM.fullmatch(form) and not generic:
            forms.append((form, m.start))
    return forms


def label(forms: Sequence[Form], candidate: Candidate) -> str:
    """The form the article uses most (spellings that differ only in case, accents, hyphens or
    dots count together; a tie goes to the first used), else the gazetteer's name."""
    if not forms:
        return candidate.name
    by_key: dict[str, list[Form]] = {}
    for form, start in sorted(forms, key=lambda f: f[1]):
        by_key.setdefault(normalize(form), []).append((form, start))
    key = max(by_key, key=lambda k: (len(by_key[k]), -by_key[k][0][1]))
    own = normalize(candidate.name).split()
    if _bare(key.split(), own):
        return candidate.name  # "the Baltic" is the Baltic Sea
    written = [form for form, _ in by_key[key] if not (form.isupper() or form.islower())]
    if written:
        return max(written, key=lambda f: (written.count(f), -written.index(f)))
    if own == key.split():
        return candidate.name  # "KYIV" is the gazetteer's "Kyiv"
    return _WORD.sub(lambda w: w.group(0).capitalize(), by_key[key][0][0])


def _bare(form: list[str], full: list[str]) -> bool:
    """``full`` is ``form`` with a generic word before or after it."""
    return len(full) == len(form) + 1 and (
        (full[:-1] == form and full[-1] in GENERIC_WORDS) or (full[1:] == form and full[0] in GENERIC_WORDS)
    )


def place_label(mentions: Iterable[Mention], candidate: Candidate) -> str:
    """The label of ``candidate`` chosen for ``mentions``."""
    return label(article_forms(mentions, candidate), candidate)


def district_label(qualifier: str, city: str) -> str:
    """ "East Mosul", "Old City of Mosul"."""
    return f"{qualifier.title()} of {city}" if " " in qualifier else f"{qualifier.title()} {city}"
