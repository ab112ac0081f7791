"""How fast the command line is: a cold ``geomap map`` of the Mosul article (a fresh
process, from start to the HTML written), ``parse`` throughput over a folder of
articles on one core, and a ``geomap build`` of that folder; with peak memory. Prints
figures and whether they meet the goals (under 1 s cold, over 50 articles/s); asserts
nothing.

    .venv/bin/python benchmarks/cli.py [--runs 7] [--articles 200] [--importtime]

Articles come from the annotated corpora in ../shared/corpora (LGL, TR-News, GeoVirus,
GeoWebNews: real news texts of 1 to 10 kB) when they are there, else from the Mosul
article's paragraphs. --importtime lists the slowest imports of the cold run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MOSUL = ROOT / "data" / "articles" / "mosul.txt"
CORPORA = ROOT.parent / "shared" / "corpora"
COLD_GOAL_S = 1.0
PARSE_GOAL = 50.0


def run_child(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MB) of one fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {proc.stderr.read().decode()}")
    proc.stderr.close()
    return elapsed, usage.ru_maxrss / 1024  # Linux reports kB


def cold(runs: int, work: Path) -> None:
    python = [sys.executable, "-X", "frozen_modules=on"]
    run_child([*python, "-c", "pass"], work)  # warm the disk cache, as a user's second run would
    base = [run_child([*python, "-c", "pass"], work)[0] for _ in range(runs)]
    imports = [run_child([*python, "-c", "import geomap.cli; geomap.cli.build_parser()"], work)[0] for _ in range(runs)]
    command = [*python, "-m", "geomap", "map", str(MOSUL), "-o", str(work / "mosul.html"), "-q"]
    run_child(command, work)
    results = [run_child(command, work) for _ in range(runs)]
    times = [t for t, _ in results]
    median = statistics.median(times)
    print(f"cold start, median of {runs} fresh processes:")
    print(f"  python -c pass                        {statistics.median(base):6.3f} s")
    print(f"  import geomap.cli + argument parser   {statistics.median(imports):6.3f} s")
    print(f"  geomap map mosul.txt -o mosul.html    {median:6.3f} s (min {min(times):.3f}, max {max(times):.3f}), "
          f"peak RSS {max(m for _, m in results):.0f} MB, {(work / 'mosul.html').stat().st_size / 1000:.0f} kB written")  # fmt: skip
    print(f"  goal < {COLD_GOAL_S:.1f} s: {'met' if median < COLD_GOAL_S else 'NOT met'}")


def import_profile(work: Path, top: int = 15) -> None:
    command = [sys.executable, "-X", "importtime", "-m", "geomap", "map", str(MOSUL), "-o", str(work / "m.html"), "-q"]
    err = subprocess.run(command, cwd=work, capture_output=True, text=True, check=True).stderr
    rows = []
    for line in err.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, name = line.split("|")
            if not name.startswith("  "):  # top-level imports only: their cumulative time is what they cost
                rows.append((int(cumulative), name.strip()))
    print(
        f"slowest top-level imports of the cold run (python -X importtime), of {sum(r[0] for r in rows) / 1e6:.3f} s:"
    )
    for us, name in sorted(rows, reverse=True)[:top]:
        print(f"  {us / 1000:7.1f} ms  {name}")


def articles(limit: int) -> tuple[list[str], str]:
    if CORPORA.is_dir():
        from geomap.tools.corpora import read_corpus

        texts: list[str] = []
        for path in sorted(CORPORA.glob("*.xml")):
            texts += [a.text for a in read_corpus(path)]
        if texts:
            # Round-robin over corpora would need their sizes; every corpus's articles, shortest not favoured.
            step = max(1, len(texts) // limit)
            return texts[::step][:limit], f"{min(limit, len(texts))} articles from {CORPORA}"
    paragraphs = [p for p in MOSUL.read_text(encoding="utf-8").split("\n\n") if len(p) > 200]
    texts = [paragraphs[i % len(paragraphs)] + f"\n\n({i})" for i in range(limit)]
    return texts, f"{limit} pieces of the Mosul article"


def throughput(texts: list[str], label: str) -> None:
    import geomap

    geomap.parse(texts[0])  # open the gazetteer, load the lexicon: paid once per process
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    places = sum(len(geomap.parse(t)) for t in texts)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    chars = sum(map(len, texts))
    rate = len(texts) / elapsed
    print(f"parse throughput, one process, one thread ({label}, {chars / len(texts) / 1000:.1f} kB on average):")
    print(f"  {rate:7.1f} articles/s, {chars / elapsed / 1e6:.2f} MB/s of text, {places} places "
          f"({elapsed:.2f} s wall, {cpu:.2f} s CPU)")  # fmt: skip
    tracemalloc.start()
    for t in texts[: max(1, len(texts) // 4)]:
        geomap.parse(t)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  peak Python allocations while parsing (tracemalloc, first quarter) {peak / 1e6:.1f} MB; "
          f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")  # fmt: skip
    print(f"  goal > {PARSE_GOAL:.0f} articles/s: {'met' if rate > PARSE_GOAL else 'NOT met'}")


def batch(texts: list[str], work: Path, count: int) -> None:
    folder = work / "articles"
    folder.mkdir()
    for i, text in enumerate(texts[:count]):
        (folder / f"a{i:04d}.txt").write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "geomap", "build", str(folder), "-o", str(work / "maps"), "-q", "--tiles", "none"]
    built, rss = run_child(command, work)
    again, _ = run_child(command, work)
    print(f"geomap build of a folder of {count} articles (HTML maps, fresh process):")
    print(f"  first build {built:.2f} s ({count / built:.1f} maps/s), peak RSS {rss:.0f} MB; "
          f"second build, nothing to do, {again:.2f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per cold-start figure (default 7)")
    parser.add_argument("--articles", type=int, default=200, help="articles for the parse throughput (default 200)")
    parser.add_argument("--batch", type=int, default=50, help="articles for the geomap build figure (default 50)")
    parser.add_argument("--importtime", action="store_true", help="list the slowest imports of the cold run")
    args = parser.parse_args()
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs visible, gazetteer {ROOT / 'data' / 'gazetteer.sqlite'}"
    )
    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as tmp:
        work = Path(tmp)
        cold(args.runs, work)
        if args.importtime:
            import_profile(work)
        texts, label = articles(args.articles)
        throughput(texts, label)
        batch(texts, work, min(args.batch, len(texts)))


if __name__ == "__main__":
    main()
