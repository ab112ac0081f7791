"""Budgets of the Mosul map as a news desk gets it; prints figures against them, asserts nothing.

    .venv/bin/python benchmarks/figures.py [--runs 5]

- the self-contained page (Leaflet, geomap's scripts and the offline basemap inlined): its size
  (budget: under 600 KB) and whether two fresh processes write the same bytes (budget: always);
- a PNG (1200x800, no tiles): cold, a fresh ``geomap map -f png`` process from start to file;
  warm, in a process whose browser is running (budget: under 2 s), median of ``--runs``;
- PDF and SVG, warm, with their sizes.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOSUL = ROOT / "data" / "articles" / "mosul.txt"
GEOMAP = [sys.executable, "-m", "geomap"]
HTML_BUDGET = 600_000
PNG_BUDGET = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT)]

    import geomap
    from geomap.maps.export import export
    from geomap.maps.shapes import attach_shapes

    with tempfile.TemporaryDirectory() as tmp:
        pages = []
        for run in range(2):
            out = Path(tmp) / f"mosul{run}.html"
            subprocess.run([*GEOMAP, "map", str(MOSUL), "-o", str(out), "-q"], check=True, cwd=ROOT)
            pages.append(out.read_bytes())
        size = len(pages[0])
        same = pages[0] == pages[1]
        print(f"self-contained Mosul page: {size / 1000:.0f} KB (budget {HTML_BUDGET / 1000:.0f} KB: "
              f"{'within' if size < HTML_BUDGET else 'OVER'}); two fresh runs byte-identical: {same} "
              f"(sha256 {hashlib.sha256(pages[0]).hexdigest()[:12]})")  # fmt: skip
        linked = Path(tmp) / "linked.html"
        subprocess.run([*GEOMAP, "map", str(MOSUL), "--cdn", "-o", str(linked), "-q"], check=True, cwd=ROOT)
        print(f"with --cdn: {linked.stat().st_size / 1000:.0f} KB")

        cold = []
        for run in range(3):
            started = time.perf_counter()
            subprocess.run([*GEOMAP, "map", str(MOSUL), "-f", "png", "--tiles", "none", "-o", f"{tmp}/c{run}.png", "-q"],
                           check=True, cwd=ROOT)  # fmt: skip
            cold.append(time.perf_counter() - started)
        print(
            f"PNG 1200x800, cold (fresh process: imports, parse, Chromium start): median {statistics.median(cold):.2f} s"
        )

        article = geomap.read(MOSUL)
        places = attach_shapes(geomap.parse(article), geomap.default_gazetteer())
        export(places, f"{tmp}/start.png", article=article, tiles=None)  # starts the browser
        for fmt in ("png", "pdf", "svg"):
            times = []
            for run in range(args.runs):
                started = time.perf_counter()
                path = export(places, f"{tmp}/w{run}.{fmt}", article=article, tiles=None)
                times.append(time.perf_counter() - started)
            warm = statistics.median(times)
            budget = f" (budget {PNG_BUDGET:g} s: {'within' if warm < PNG_BUDGET else 'OVER'})" if fmt == "png" else ""
            print(f"{fmt.upper()} 1200x800, warm (browser running, places parsed): median {warm:.2f} s "
                  f"(min {min(times):.2f}){budget}, {path.stat().st_size / 1000:.0f} KB")  # fmt: skip


if __name__ == "__main__":
    main()
