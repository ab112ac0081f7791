"""How fast the offline gazetteer starts and answers; prints figures, asserts nothing.

    .venv/bin/python benchmarks/gazetteer.py [--runs 7] [--lookups 5000]

Targets (issue 3): cold start (fresh interpreter: import, open, first lookup) < 0.3 s;
one warm lookup < 50 µs; shipped file < 40 MB.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLD = """
import time
t0 = time.perf_counter()
from geomap.gazetteer import Gazetteer
t1 = time.perf_counter()
g = Gazetteer()
t2 = time.perf_counter()
assert g.geocode("Mosul") is not None
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def cold_start(runs: int) -> None:
    walls, parts = [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", COLD], cwd=ROOT, capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - start)
        parts.append([float(x) for x in out.stdout.split()])
    imp, opn, first = (statistics.median(p[i] for p in parts) for i in range(3))
    print(f"cold start, median of {runs} fresh interpreters:")
    print(f"  import geomap.gazetteer {imp * 1e3:7.1f} ms")
    print(f"  open the file           {opn * 1e3:7.1f} ms")
    print(f"  first lookup            {first * 1e3:7.1f} ms")
    print(f"  import+open+lookup      {(imp + opn + first) * 1e3:7.1f} ms   (target < 300 ms)")
    print(f"  whole process (python startup included) {statistics.median(walls) * 1e3:.1f} ms")


def sample_names(path: Path, n: int) -> list[str]:
    """Real names from the file (cities, countries, rivers) plus misses, shuffled."""
    con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    names = [r[0] for r in con.execute("SELECT name FROM places ORDER BY id")]
    rng = random.Random(3)
    hits = rng.sample(names, int(n * 0.8))
    misses = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(5, 12))).title()
        for _ in range(n - len(hits))
    ]
    queries = hits + misses
    rng.shuffle(queries)
    return queries


def warm(lookups: int) -> None:
    from geomap.gazetteer import Gazetteer
    from geomap.text import normalize

    gaz = Gazetteer()
    queries = sample_names(gaz.path, lookups)
    for label, call in (
        ("geocode(q)", lambda q: gaz.geocode(q)),
        ("geocode(q, exactly_one=False)", lambda q: gaz.geocode(q, exactly_one=False)),
        ("candidates(q, limit=5)", lambda q: gaz.candidates(q, limit=5)),
        ("normalize(q)", normalize),
    ):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for q in queries:
                call(q)
            best = min(best, time.perf_counter() - start)
        print(f"  {label:32} {best / len(queries) * 1e6:7.1f} µs per lookup")
    keys = sorted({normalize(q) for q in queries[:300]})
    start = time.perf_counter()
    found = gaz.lookup_many(keys)
    took = time.perf_counter() - start
    print(f"  lookup_many({len(keys)} keys)          {took * 1e3:7.1f} ms ({len(found)} keys matched)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters for the cold start")
    parser.add_argument("--lookups", type=int, default=5000, help="names for the warm timing (20%% misses)")
    args = parser.parse_args()
    from geomap.gazetteer import default_path

    print(f"file: {default_path()} {default_path().stat().st_size / 1e6:.1f} MB (target < 40 MB)")
    cold_start(args.runs)
    print(f"warm, best of 3 passes over {args.lookups} names (80% hits, 20% misses):")
    warm(args.lookups)


if __name__ == "__main__":
    main()
