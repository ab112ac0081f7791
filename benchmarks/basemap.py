"""How big the offline basemap is and how long drawing it takes; prints figures, asserts nothing.

    .venv/bin/python benchmarks/basemap.py [--runs 5] [--build]

For four frames (Mosul's story, Pakistan, the US Midwest, the world) at 1200 × 800: the
first draw in a fresh interpreter (reading the data it needs), the warm draw (median), and
what one map embeds (the basemap's GeoJSON, the client's script and styles, the locator
inset). With --build, also rebuilds the data file into a temporary folder and times it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from geomap.fsutil import package_data
from geomap.maps import basemap
from geomap.maps.assets import static_text

SIZE = (1200, 800)
FRAMES = {
    "Mosul": basemap.Frame(33.0, 37.0, 37.5, 45.0),
    "Pakistan": basemap.Frame(24.0, 66.0, 36.0, 76.0),
    "US Midwest": basemap.Frame(37.0, -97.0, 45.0, -83.0),
    "world": basemap.Frame(-50.0, -170.0, 70.0, 170.0),
}
COLD = """
import sys, time
sys.path[:0] = [{root!r}]
from geomap.maps import basemap
from geomap.maps.assets import static_text
view = basemap.fit(basemap.Frame(*{frame!r}), {size!r})
t0 = time.perf_counter()
basemap.draw(view)
print(time.perf_counter() - t0)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--build", action="store_true", help="also time a rebuild of the data file")
    args = parser.parse_args()

    print(f"data file: {package_data(basemap.DATA_FILE).stat().st_size / 1e6:.2f} MB")
    js, css = static_text("basemap.js"), static_text("basemap.css")
    print(f"client: script {len(js.encode()) / 1e3:.1f} KB, styles {len(css.encode()) / 1e3:.1f} KB")
    for name, frame in FRAMES.items():
        cold = float(subprocess.run([sys.executable, "-c", COLD.format(root=str(ROOT), frame=tuple(frame), size=SIZE)],
                                    capture_output=True, text=True, check=True).stdout)  # fmt: skip
        view = basemap.fit(frame, SIZE)
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            base = basemap.draw(view)
            times.append(time.perf_counter() - t0)
        data = len(json.dumps(base.geojson(), separators=(",", ":")).encode())
        inset = len(basemap.locator_svg(frame).encode())
        embedded = data + inset + len(js.encode()) + len(css.encode())
        warm = statistics.median(times)
        print(f"{name:>10}: zoom {view.zoom:g}, first draw {cold * 1e3:.0f} ms, warm {warm * 1e3:.0f} ms; "
              f"embeds {embedded / 1e3:.0f} KB (GeoJSON {data / 1e3:.0f} KB, inset {inset / 1e3:.1f} KB), "
              f"{len(base.labels)} labels")  # fmt: skip
    if args.build:
        with tempfile.TemporaryDirectory() as work:
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "geomap.tools.build_basemap", "--output", f"{work}/basemap.zip"],
                           check=True, cwd=ROOT, capture_output=True)  # fmt: skip
            print(f"build: {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
