"""How geomap does on the hand-written sentence file (issue 13): per group, how many gold
places it finds and places, how many traps it maps and how many other mentions it makes;
prints figures and the misses, asserts nothing.

    .venv/bin/python benchmarks/sentences.py [tests/data/sentences.jsonl] [--misses N]

Found: a predicted place has a mention overlapping the gold span. Placed: for a gold
point (a city), the place's point lies within 25 km of it; for a gold line or area
(river, country, sea, ...), the place's drawn geometry contains the gold point or passes
within 25 km of it, else its own point is within 25 km. A trap is mapped when a mention
overlaps it; a false positive is a mention overlapping neither a gold place nor a trap.
Demonym mentions ("Iraqi") are evidence, not places, and are not counted.
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
from geomap.maps.shapes import attach_shapes

TOLERANCE_KM = 25.0
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


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def geometry_km(geometry: dict[str, Any], lat: float, lon: float) -> float:
    """Distance in km from (lat, lon) to a GeoJSON geometry (0 inside it), on geomap's
    local plane around the point: exact enough at a 25 km threshold."""
    from shapely.geometry import Point, shape

    return float(to_local_km(shape(geometry), lat, lon).distance(Point(0.0, 0.0)))


def place_km(place: geomap.Place, gold: dict[str, Any]) -> float:
    """How far the place is from the gold point, by the rule of the gold's type."""
    point = great_circle_km(place.lat, place.lon, gold["lat"], gold["lon"])
    if gold.get("type") in ("line", "area") and place.geometry is not None:
        return min(point, geometry_km(dict(place.geometry), gold["lat"], gold["lon"]))
    return point


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
        best = min(hits, key=lambda p: place_km(p, gold))
        distance = place_km(best, gold)
        if distance <= TOLERANCE_KM:
            tally.placed += 1
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
        print(
            f"{group:<9} {t.sentences:>5} {t.gold:>5} {t.found:>5} {percent(t.found, t.gold)}  "
            f"{t.placed:>5} {percent(t.placed, t.gold)}  {t.traps_mapped:>5} of {t.traps:<4} {t.false_positives:>9}"
        )
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
