"""How long drawing and exporting a map takes, and how big the outputs are; prints
figures, asserts nothing.

    .venv/bin/python benchmarks/render.py [--runs 5] [--png]

Uses the renderer tests' scene (eight Mosul-story places from the real gazetteer,
with shapes). PNG timing needs Chromium and is only measured with --png.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

COLD = """
import time, sys
sys.path[:0] = [{root!r}, {tests!r}]
import conftest
article, places = conftest.build_render_scene()
t0 = time.perf_counter()
from geomap.maps.export import export
export(places, {out!r}, article=article, tiles=None, cdn={cdn})
print(time.perf_counter() - t0)
"""


def timed(fn: Callable[[], T], runs: int) -> tuple[float, T]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--png", action="store_true", help="also time PNG export through headless Chromium")
    args = parser.parse_args()

    import conftest

    from geomap.maps.export import render_document
    from geomap.maps.render import make_map
    from geomap.maps.shapes import attach_shapes

    t0 = time.perf_counter()
    article, places = conftest.build_render_scene()
    print(f"scene (gazetteer lookups + shapes): {time.perf_counter() - t0:.3f} s, {len(places)} places")
    from geomap.gazetteer import Gazetteer

    gazetteer = Gazetteer()
    bare = [replace(p, geometry=None, note=None) for p in places]
    seconds, _ = timed(lambda: attach_shapes(bare, gazetteer), args.runs)
    print(f"attach_shapes (warm, {len(bare)} places with no geometry): {seconds * 1000:.1f} ms")
    for cdn in (False, True):
        seconds, m = timed(partial(make_map, places, article=article, tiles=None, cdn=cdn), args.runs)
        print(f"make_map cdn={cdn}: {seconds * 1000:.1f} ms")
        for fmt in ("html", "fragment", "iframe", "geojson"):
            seconds, out = timed(partial(render_document, m, places, fmt), args.runs)
            size = len(out.encode() if isinstance(out, str) else out)
            print(f"  {fmt:9s} {seconds * 1000:7.1f} ms  {size / 1024:7.1f} KiB")
    with tempfile.TemporaryDirectory() as tmp:
        for cdn in (False, True):
            code = COLD.format(root=str(ROOT), tests=str(ROOT / "tests"), out=f"{tmp}/m.html", cdn=cdn)
            runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                         check=True).stdout) for _ in range(3)]  # fmt: skip
            print(f"cold export to html, cdn={cdn} (imports included): {statistics.median(runs):.2f} s")
        if args.png:
            from geomap.maps.export import export

            seconds, path = timed(lambda: export(places, f"{tmp}/m.png", article=article, tiles=None), 3)
            print(f"png 1200x800 via Chromium: {seconds:.2f} s, {Path(path).stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
