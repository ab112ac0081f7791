"""How geomap does on the hand-written sentence file (issue 13): per group, how many gold
places it finds and places, how many traps it maps and how many other mentions it makes;
prints figures and the misses, asserts nothing.

    .venv/bin/python benchmarks/sentences.py [tests/data/sentences.jsonl] [--misses N]

Found: a predicted place has a mention overlapping the gold span. Placed, by the first
rule that holds:

- point: the place's point lies within 25 km of the gold point;
- outline: for a gold line (river) or area (country, sea, island, ...), the line or outline
  the map draws for the place (its gazetteer geometry, never a city's estimated disc; a line
  for a line, an outline for an area) passes within 25 km of the gold point or holds it;
- label: for a gold area, a place of an area's kind drawn with no outline (most first-level
  divisions outside the US, Canada, Brazil and Australia: Natural Earth gives only their
  label points) lies within 150 km of the gold point, both points being somewhere inside
  an area hundreds of km across; a continent, whose name no other continent shares, at
  any distance.

The outline and label rules hold only for the feature named: one of the gazetteer's places
of the gold name (so "Georgia" the country is not the US state, nor the United Kingdom
Scotland), not one four times the area of a namesake whose outline also holds the point
(the country Mexico is not the state), and, for a label, only where every namesake's
outline that holds the gold point holds the label point too (the Belgian province is not
the country Luxembourg; the prefecture of Hokkaido is the island). A trap is mapped
when a mention overlaps it; a false positive is a mention overlapping neither a gold
place nor a trap. Demonym mentions ("Iraqi") are evidence, not places, and are not counted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geomap
from geomap.geo import great_circle_km, to_local_km
from geomap.maps.shapes import attach_shapes, is_approximate
from geomap.model import Candidate
from geomap.recognize.vocabulary import vocabulary
from geomap.text import normalize

TOLERANCE_KM = 25.0
#: How far a gold area's point may be from the label point of a place drawn without an outline.
LABEL_KM = 150.0
AREA_KINDS = frozenset({"continent", "country", "region", "sea", "lake", "other"})
GROUPS = ("capital", "city", "river", "sea", "island", "desert", "range", "lake", "region", "trap")


@dataclass
class Tally:
    sentences: int = 0
    gold: int = 0
    found: int = 0
    placed: int = 0
    traps: int = 0
    traps_mapped: int = 0
    false_positives: int = 0
    misses: list[str] = field(default_factory=list)
    rules: Counter[str] = field(default_factory=Counter)


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def geometry_km(geometry: dict[str, Any], lat: float, lon: float) -> float:
    """Distance in km from (lat, lon) to a GeoJSON geometry (0 inside it), on geomap's
    local plane around the point: exact enough at a 25 km threshold."""
    from shapely.geometry import Point, shape

    return float(to_local_km(shape(geometry), lat, lon).distance(Point(0.0, 0.0)))


def area(geometry: dict[str, Any]) -> float:
    """Area in square degrees: enough to compare two namesakes around one point."""
    from shapely.geometry import shape

    return float(shape(geometry).area)


def namesakes(keys: set[str], gazetteer: Any) -> list[Candidate]:
    """The gazetteer's places of a name's forms (:meth:`Vocabulary.bare_keys`: also without a
    leading or trailing feature word, "Mackenzie River" -> "mackenzie", "Lake Como" -> "como")."""
    return [c for found in gazetteer.lookup_many(sorted(keys)).values() for c in found]


def placed(place: geomap.Place, gold: dict[str, Any], gazetteer: Any) -> tuple[float, str | None]:
    """How far the place is from the gold point, and by which rule it is placed (None: not
    placed), by the rules above."""
    point = great_circle_km(place.lat, place.lon, gold["lat"], gold["lon"])
    if point <= TOLERANCE_KM:
        return point, "point"
    if gold.get("type") not in ("line", "area"):
        return point, None
    keys = vocabulary().bare_keys(normalize(gold["name"]))
    same = namesakes(keys, gazetteer)
    if place.id not in {c.id for c in same}:
        return point, None
    holding = {}  # the namesakes' outlines that hold or touch the gold point
    for other in same:
        if other.id != place.id and not keys & vocabulary().bare_keys(normalize(other.name)):
            continue  # the name is only a short form of the other's own ("Alaska" of the Alaska Range)
        shape = dict(place.geometry) if other.id == place.id and place.geometry else gazetteer.geometry(other.id)
        if (
            shape is not None
            and "Polygon" in shape["type"]
            and geometry_km(shape, gold["lat"], gold["lon"]) <= TOLERANCE_KM
        ):
            holding[other.id] = shape
    drawn = place.geometry
    wanted = "LineString" if gold["type"] == "line" else "Polygon"
    if drawn is not None and wanted in drawn["type"] and not is_approximate(place):
        outline = geometry_km(dict(drawn), gold["lat"], gold["lon"])
        smallest = min((area(shape) for shape in holding.values()), default=0.0)
        if outline <= TOLERANCE_KM and (wanted == "LineString" or area(holding[place.id]) <= 4 * smallest):
            return outline, "outline"
        return min(point, outline), None
    labelled = gold["type"] == "area" and (drawn is None or drawn["type"] == "Point") and place.kind in AREA_KINDS
    elsewhere = any(geometry_km(shape, place.lat, place.lon) > TOLERANCE_KM for shape in holding.values())
    near = point <= LABEL_KM or place.kind == "continent"
    return point, "label" if labelled and near and not elsewhere else None


def score(record: dict[str, Any], gazetteer: Any, tally: Tally, trap_log: list[str], fp_log: list[str]) -> None:
    text = record["text"]
    places = attach_shapes(geomap.parse(text), gazetteer)
    mentions = [(m, p) for p in places for m in p.mentions if not m.demonym]
    tally.sentences += 1
    for gold in record["toponyms"]:
        tally.gold += 1
        hits = [p for m, p in mentions if overlaps(m.start, m.end, gold["start"], gold["end"])]
        if not hits:
            tally.misses.append(f"{record['id']}: {gold['name']!r} not found — {text}")
            continue
        tally.found += 1
        (distance, rule), best = min(
            ((placed(p, gold, gazetteer), p) for p in hits), key=lambda r: (r[0][1] is None, r[0][0])
        )
        if rule is not None:
            tally.placed += 1
            tally.rules[rule] += 1
        else:
            where = f"{best.name} ({best.kind}, {best.country_code or '-'}) {distance:,.0f} km off"
            tally.misses.append(f"{record['id']}: {gold['name']!r} placed at {where} — {text}")
    for trap in record.get("traps", []):
        tally.traps += 1
        mapped = [p for m, p in mentions if overlaps(m.start, m.end, trap["start"], trap["end"])]
        if mapped:
            tally.traps_mapped += 1
            trap_log.append(f"{record['id']}: {trap['name']!r} mapped as {mapped[0].name} ({mapped[0].kind}) — {text}")
    spans = [(g["start"], g["end"]) for g in record["toponyms"]] + [
        (t["start"], t["end"]) for t in record.get("traps", [])
    ]
    for m, p in mentions:
        if not any(overlaps(m.start, m.end, s, e) for s, e in spans):
            tally.false_positives += 1
            fp_log.append(f"{record['id']}: {m.text!r} mapped as {p.name} ({p.kind}) — {text}")


def read(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SystemExit(f"cannot read {path}: {exc.strerror or exc}") from None
    return [json.loads(line) for line in lines if line.strip()]


def percent(part: int, whole: int) -> str:
    return f"{part / whole:6.1%}" if whole else "     -"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, default=ROOT / "tests" / "data" / "sentences.jsonl")
    parser.add_argument("--misses", type=int, default=None, metavar="N", help="list at most N misses (default: all)")
    args = parser.parse_args()

    records = read(args.path)
    gazetteer = geomap.default_gazetteer()
    tallies: dict[str, Tally] = defaultdict(Tally)
    trap_log: list[str] = []
    fp_log: list[str] = []
    for record in records:
        score(record, gazetteer, tallies[record["group"]], trap_log, fp_log)

    order = [g for g in GROUPS if g in tallies] + sorted(set(tallies) - set(GROUPS))
    total = Tally()
    print(f"{'group':<9} {'sents':>5} {'gold':>5} {'found':>14} {'placed':>14} {'traps mapped':>13} {'false pos':>9}")
    for group in [*order, "all"]:
        t = total if group == "all" else tallies[group]
        if group != "all":
            for name in ("sentences", "gold", "found", "placed", "traps", "traps_mapped", "false_positives"):
                setattr(total, name, getattr(total, name) + getattr(t, name))
            total.rules.update(t.rules)
        print(
            f"{group:<9} {t.sentences:>5} {t.gold:>5} {t.found:>5} {percent(t.found, t.gold)}  "
            f"{t.placed:>5} {percent(t.placed, t.gold)}  {t.traps_mapped:>5} of {t.traps:<4} {t.false_positives:>9}"
        )
    print("placed by rule: " + ", ".join(f"{rule} {total.rules[rule]}" for rule in ("point", "outline", "label")))
    misses = [m for g in order for m in tallies[g].misses]
    kinds = Counter("not found" if m.split(" — ")[0].endswith("not found") else "misplaced" for m in misses)
    print(f"\nmisses: {len(misses)} ({kinds['not found']} not found, {kinds['misplaced']} misplaced)")
    for line in misses[: args.misses]:
        print(" ", line)
    print(f"\ntraps mapped: {len(trap_log)}")
    for line in trap_log:
        print(" ", line)
    print(f"\nfalse positives: {len(fp_log)}")
    for line in fp_log:
        print(" ", line)


if __name__ == "__main__":
    main()
