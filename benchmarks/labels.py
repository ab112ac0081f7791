"""How long the label placer (geomap/maps/static/labels.js) takes in headless Chromium:
the first placement (which measures every label) and a placement again (what each zoom
or pan costs); prints figures, asserts nothing.

    .venv/bin/python benchmarks/labels.py [--runs 20]

Uses the label tests' crowded scenes (a Pakistan flood story, the Mosul story).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

#: Replaces the pages' own call: place once, then `runs` times more, and report the times
#: (no virtual time here, so that performance.now() runs).
TIMED = """var placer = GeomapLabels.attach(map, scene.items), t0 = performance.now(); placer.place();
var t1 = performance.now(); for (var k = 0; k < {runs}; k++) {{ placer.place(); }}
document.body.setAttribute("data-times", (t1 - t0) + " " + (performance.now() - t1) / {runs});"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    import test_labels_browser as harness

    from geomap.maps.chromium import run_chromium

    for story in (harness.pakistan, harness.mosul):
        scene = story()
        for width, height in ((1200, 720), (800, 420)):
            page = harness.page([scene], size=(width, height))
            page = page.replace("GeomapLabels.attach(map, scene.items);", TIMED.format(runs=args.runs))
            out, _ = run_chromium(page, "--dump-dom", "--window-size=1600,1000")
            found = re.search(r'data-times="([^"]*)"', out)
            if found is None:
                print(f"{scene.title}: the page reported no times")
                continue
            first, again = (float(x) for x in found.group(1).split())
            print(f"{scene.title}, {len(scene.items)} labels, map {width}x{height}: "
                  f"first placement {first:.1f} ms, again {again:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
