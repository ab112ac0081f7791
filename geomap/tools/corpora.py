"""Readers for annotated geoparsing corpora: gold toponyms with spans and coordinates.

Four public XML layouts are read (LGL and TR-News share one; GeoVirus; GeoWebNews)
plus geomap's own JSON lines. Every reader yields the same :class:`GoldArticle`, so the
evaluation never cares where its gold came from.

A gold toponym without coordinates is *unscored*: the corpus marks a place there but
does not say where it is (an LGL toponym without a gazetteer tag), or it is of a type
the chosen GeoWebNews type set leaves out. A prediction on it is neither rewarded nor
penalised, so a geoparser is not punished for finding a place the gold cannot grade.

Published offsets are not always right: every GeoVirus offset is one too far, and
some TR-News articles drift by a few characters. By default a span whose text is not
its name is moved to the nearest occurrence of the name, and the counts are kept on
the :class:`Corpus` (and logged) so that the repair is never silent.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from geomap.errors import GeomapError

log = logging.getLogger(__name__)

FORMATS = ("auto", "lgl", "trnews", "geovirus", "geowebnews", "jsonl")
Format = Literal["auto", "lgl", "trnews", "geovirus", "geowebnews", "jsonl"]
OffsetPolicy = Literal["repair", "strict"]

#: GeoWebNews types, after "A Pragmatic Guide to Geoparsing Evaluation" (Gritta et al.
#: 2020): literal toponyms name the place itself; associative ones use it for something
#: tied to it (its government, its team, "U.S. forces"). Homonyms, non-toponyms and the
#: wider "expressions" are not toponyms; demonyms and languages are recognition-only.
GWN_LITERAL = frozenset({"Literal", "Mixed", "Coercion", "Embedded_Literal", "Literal_Modifier"})
GWN_ASSOCIATIVE = frozenset({"Metonymic", "Non_Literal_Modifier", "Embedded_Non_Lit"})
GWN_RECOGNITION_ONLY = frozenset({"Demonym", "Language"})
#: Which GeoWebNews toponyms are scored. "toponyms" (the default) is literal plus
#: associative, without adjectival modifiers ("Russian sanctions"): geomap treats such
#: demonyms as evidence, not as places, and so does the Mosul gold file. "all" scores
#: the adjectives too; "literal" only the literal types.
GWN_TYPE_SETS = ("toponyms", "literal", "all")
GwnTypes = Literal["toponyms", "literal", "all"]

#: How far (characters) a misplaced span may move to find its name.
REPAIR_WINDOW = 200


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    name: str
    lat: float | None  # None: unscored (see the module docstring)
    lon: float | None
    type: str | None = None  # the corpus's own label (GeoWebNews type, LGL feature code)
    geonames_id: int | None = None  # the gold place's GeoNames id, where the corpus gives one (not GeoVirus)

    @property
    def scored(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    text: str
    toponyms: list[GoldToponym]
    title: str | None = None


class Corpus(list[GoldArticle]):
    """The articles of one corpus file, with what reading them had to repair."""

    def __init__(
        self, articles: Iterable[GoldArticle] = (), *, name: str = "", fmt: str = "", repaired: int = 0,
        dropped: int = 0, total: int = 0,
    ) -> None:  # fmt: skip
        super().__init__(articles)
        self.name = name
        self.format = fmt
        self.offsets_repaired = repaired  # spans moved to where their name is
        self.offsets_dropped = dropped  # spans whose name is nowhere near: left out
        self.toponyms_read = total


def read_corpus(
    path: str | os.PathLike[str],
    fmt: Format = "auto",
    *,
    gwn_types: GwnTypes = "toponyms",
    offsets: OffsetPolicy = "repair",
) -> Corpus:
    """Read an annotated corpus; ``fmt="auto"`` goes by the suffix (jsonl) or the XML tags.

    ``offsets="strict"`` raises :class:`GeomapError` at the first span whose text is not
    its name, instead of repairing it.
    """
    p = Path(path)
    if fmt not in FORMATS:
        raise GeomapError(f"unknown corpus format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if gwn_types not in GWN_TYPE_SETS:
        raise GeomapError(f"unknown GeoWebNews type set {gwn_types!r}; choose one of {', '.join(GWN_TYPE_SETS)}")
    if not p.is_file():
        raise GeomapError(f"no corpus file at {p}")
    if fmt == "jsonl" or (fmt == "auto" and p.suffix.lower() in (".jsonl", ".ndjson")):
        raw, fmt = _read_jsonl(p), "jsonl"
    else:
        root = _parse_xml(p)
        detected = _detect(root, p)
        if fmt == "auto":
            fmt = detected  # type: ignore[assignment]
        elif {fmt, detected} - {"lgl", "trnews"} and fmt != detected:
            raise GeomapError(f"{p} looks like {detected}, not {fmt}")
        if fmt == "geovirus":
            raw = _read_geovirus(root)
        elif fmt == "geowebnews":
            raw = _read_gwn(root, gwn_types)
        else:
            raw = _read_lgl(root)
    return _aligned(raw, p, fmt, offsets)


# -- aligning offsets ----------------------------------------------------------------


def _aligned(raw: list[GoldArticle], path: Path, fmt: str, policy: OffsetPolicy) -> Corpus:
    repaired = dropped = total = 0
    articles = []
    for a in raw:
        kept = []
        for t in a.toponyms:
            total += 1
            if a.text[t.start : t.end] == t.name:
                kept.append(t)
                continue
            if policy == "strict":
                found = a.text[t.start : t.end]
                raise GeomapError(f"{path}: article {a.id}: span {t.start}-{t.end} reads {found!r}, not {t.name!r}")
            start = _nearest(a.text, t.name, t.start)
            if start is None:
                dropped += 1
            else:
                repaired += 1
                kept.append(dataclasses.replace(t, start=start, end=start + len(t.name)))
        articles.append(GoldArticle(a.id, a.text, kept, a.title))
    if repaired or dropped:
        log.warning(
            "%s: %d of %d gold spans disagree with the text: %d moved to the nearest occurrence of the name, "
            "%d dropped",
            path.name, repaired + dropped, total, repaired, dropped,
        )  # fmt: skip
    return Corpus(articles, name=path.name, fmt=fmt, repaired=repaired, dropped=dropped, total=total)


def _nearest(text: str, name: str, near: int) -> int | None:
    """Start of the occurrence of ``name`` closest to ``near``, within the repair window."""
    if not name:
        return None
    lo = max(0, near - REPAIR_WINDOW)
    best: int | None = None
    i = text.find(name, lo)
    while i != -1 and i <= near + REPAIR_WINDOW:
        if best is None or abs(i - near) < abs(best - near):
            best = i
        i = text.find(name, i + 1)
    return best


# -- XML -----------------------------------------------------------------------------


def _parse_xml(path: Path) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise GeomapError(f"cannot read {path} as XML: {exc}") from None
    except OSError as exc:
        raise GeomapError(f"cannot read {path}: {exc.strerror or exc}") from None


def _detect(root: ET.Element, path: Path) -> str:
    article = root.find("article")
    if article is None:
        raise GeomapError(f"{path} is not a geoparsing corpus: no <article> under <{root.tag}>")
    if article.find("locations") is not None:
        return "geovirus"
    if root.find("article/toponyms/toponym/extractedName") is not None:
        return "geowebnews"
    if root.find("article/toponyms/toponym/phrase") is not None:
        return "trnews" if path.stem.casefold().startswith("tr") else "lgl"
    raise GeomapError(f"{path}: cannot tell the corpus format from its tags; give --format")


def _text(el: ET.Element, tag: str) -> str:
    return (el.findtext(tag) or "").strip()


def _int(el: ET.Element, tag: str, where: str) -> int:
    try:
        return int(_text(el, tag))
    except ValueError:
        raise GeomapError(f"{where}: <{tag}> is not an integer offset") from None


def _coord(value: str) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _geonames_id(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


def _read_lgl(root: ET.Element) -> list[GoldArticle]:
    out = []
    for n, a in enumerate(root.iter("article")):
        aid = a.get("docid") or str(n)
        tops = []
        for t in a.iterfind("toponyms/toponym"):
            gaz = t.find("gaztag")
            lat = _coord(_text(gaz, "lat")) if gaz is not None else None
            lon = _coord(_text(gaz, "lon")) if gaz is not None else None
            fcode = _text(gaz, "fcode") or None if gaz is not None else None
            where = f"article {aid}"
            start, end = _int(t, "start", where), _int(t, "end", where)
            geonames_id = _geonames_id(gaz.get("geonameid") or "") if gaz is not None else None
            tops.append(GoldToponym(start, end, _text(t, "phrase"), lat, lon, fcode, geonames_id))
        out.append(GoldArticle(aid, a.findtext("text") or "", tops, _text(a, "title") or None))
    return out


def _read_geovirus(root: ET.Element) -> list[GoldArticle]:
    out = []
    for n, a in enumerate(root.iter("article")):
        aid = _text(a, "source") or str(n)
        tops = [
            GoldToponym(
                _int(t, "start", aid),
                _int(t, "end", aid),
                _text(t, "name"),
                _coord(_text(t, "lat")),
                _coord(_text(t, "lon")),
            )
            for t in a.iterfind("locations/location")
        ]
        out.append(GoldArticle(aid, a.findtext("text") or "", tops))
    return out


def _read_gwn(root: ET.Element, types: GwnTypes) -> list[GoldArticle]:
    scored = GWN_LITERAL if types == "literal" else GWN_LITERAL | GWN_ASSOCIATIVE
    known = GWN_LITERAL | GWN_ASSOCIATIVE | GWN_RECOGNITION_ONLY
    out = []
    for n, a in enumerate(root.iter("article")):
        aid = a.get("file") or str(n)
        tops = []
        for t in a.iterfind("toponyms/toponym"):
            kind = _text(t, "type")
            if kind not in known:
                continue  # homonyms, non-toponyms, expressions: predicting one is a false positive
            lat, lon = _coord(_text(t, "latitude")), _coord(_text(t, "longitude"))
            adjective = _text(t, "modifierType") == "Adjective"
            if kind not in scored or (adjective and types != "all"):
                lat = lon = None
            where = f"article {aid}"
            start, end = _int(t, "start", where), _int(t, "end", where)
            geonames_id = _geonames_id(_text(t, "geonamesID"))
            tops.append(GoldToponym(start, end, _text(t, "extractedName"), lat, lon, kind, geonames_id))
        out.append(GoldArticle(aid, a.findtext("text") or "", tops, _text(a, "title") or None))
    return out


# -- JSON lines ----------------------------------------------------------------------


def _read_jsonl(path: Path) -> list[GoldArticle]:
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GeomapError(f"cannot read {path}: {exc}") from None
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            rec = json.loads(line)
            out.append(_jsonl_article(rec, path, where, lineno))
        except json.JSONDecodeError as exc:
            raise GeomapError(f"{where}: not JSON: {exc.msg}") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise GeomapError(f"{where}: bad article record: {exc}") from None
    return out


def _jsonl_article(rec: dict[str, Any], path: Path, where: str, lineno: int) -> GoldArticle:
    if "text" in rec:
        text = str(rec["text"])
    elif "path" in rec:
        source = path.parent / rec["path"]
        try:
            text = source.read_text(encoding="utf-8")
        except OSError as exc:
            raise GeomapError(f"{where}: cannot read the article {source}: {exc.strerror or exc}") from None
    else:
        raise GeomapError(f"{where}: an article needs 'text' or 'path'")
    tops = [
        GoldToponym(
            int(t["start"]),
            int(t["end"]),
            str(t["name"]),
            None if t.get("lat") is None else float(t["lat"]),
            None if t.get("lon") is None else float(t["lon"]),
            t.get("type"),
            None if t.get("geonames_id") is None else int(t["geonames_id"]),
        )
        for t in rec.get("toponyms", [])
    ]
    return GoldArticle(str(rec.get("id", lineno)), text, tops, rec.get("title"))
