"""Where outputs go and what stops them (issue 15): unwritable, full or wrong output paths
give one line naming the path; a build stops once for a fault of the machine and never for
one bad article; project files keep to their folder; two builds of one folder take turns;
an article without places writes no map. Real files, real processes, real file systems."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from geomap.tools import project as proj

ROOT = Path(__file__).resolve().parent.parent
MOSUL = ROOT / "data" / "articles" / "mosul.txt"
ARTICLES = {
    "floods": "Flooding hit Dhaka and Chittagong in Bangladesh on Monday.\n",
    "protests": "Protesters gathered in Nairobi, Kenya, and in Kampala, Uganda, on Friday.\n",
    "ferry": "The ferry from Helsinki to Tallinn, Estonia, was cancelled.\n",
}
EMPTY = "Nothing of note happened at the meeting, said the chairman.\n"


def geomap(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geomap", *map(str, args)], capture_output=True, text=True, cwd=cwd, check=False,
                          env={**os.environ, **(env or {})}, timeout=300)  # fmt: skip


def one_line(err: str) -> str:
    """The message, after checking it is a single line and no traceback."""
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err.strip()


def project(tmp_path: Path, top: str = 'output_dir = "maps"\n', articles: dict[str, str] = ARTICLES) -> Path:
    (tmp_path / "articles").mkdir(exist_ok=True)
    for name, text in articles.items():
        (tmp_path / "articles" / f"{name}.txt").write_text(text, encoding="utf-8")
    maps = "".join(f'\n[[map]]\narticle = "articles/{n}.txt"\n' for n in articles)
    path = tmp_path / "geomap.toml"
    path.write_text(f'{top}\n[defaults]\nformats = ["geojson"]\n{maps}', encoding="utf-8")
    return path


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB file system of its own, so that it can be filled or made read-only. Tests run as
    root, for whom permission bits stop no write; only a mount can refuse one."""
    mount = tmp_path / "fs"
    mount.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, check=False
    ).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): no full or read-only file system")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def read_only(mount: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)


def fill(mount: Path) -> None:
    with open(mount / "filler", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass


# -- geomap map ---------------------------------------------------------------------------


def test_output_under_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    run = geomap("map", MOSUL, "-f", "geojson", "-o", tmp_path / "taken" / "mosul.geojson")
    assert run.returncode == 2
    assert one_line(run.stderr) == (
        f"geomap: error: cannot write {tmp_path}/taken/mosul.geojson: {tmp_path}/taken is a file, not a folder"
    )


def test_output_that_is_a_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "mosul.geojson").mkdir()
    run = geomap("map", MOSUL, "-o", tmp_path / "mosul.geojson")
    assert run.returncode == 2
    assert one_line(run.stderr) == f"geomap: error: cannot write {tmp_path}/mosul.geojson: it is a folder"
    assert not list((tmp_path / "mosul.geojson").iterdir())


def test_read_only_and_full_file_systems_are_one_line(tmpfs: Path) -> None:
    fill(tmpfs)
    run = geomap("map", MOSUL, "--tiles", "none", "-o", tmpfs / "mosul.html")
    assert run.returncode == 2
    assert one_line(run.stderr) == f"geomap: error: cannot write {tmpfs}/mosul.html: no space left on device"
    assert sorted(p.name for p in tmpfs.iterdir()) == ["filler"]  # no half-written file, no temporary one
    read_only(tmpfs)
    run = geomap("map", MOSUL, "-f", "geojson", "-o", tmpfs / "new" / "mosul.geojson")
    assert run.returncode == 2
    assert one_line(run.stderr) == f"geomap: error: cannot write {tmpfs}/new/mosul.geojson: read-only file system"


def test_an_article_without_places_writes_no_map(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text(EMPTY, encoding="utf-8")
    run = geomap("map", "empty.txt", "-o", "empty.html", cwd=tmp_path)
    assert run.returncode == 1
    assert one_line(run.stderr) == (
        "geomap: empty.txt: no places found: nothing written (--allow-empty writes an empty map)"
    )
    assert not (tmp_path / "empty.html").exists()
    run = geomap("map", "empty.txt", "-o", "empty.html", "--allow-empty", "--tiles", "none", cwd=tmp_path)
    assert run.returncode == 0 and (tmp_path / "empty.html").is_file()


# -- geomap build: faults of the machine stop it once, a bad article never -----------------


def test_build_into_a_file_stops_once(tmp_path: Path) -> None:
    path = project(tmp_path)
    (tmp_path / "maps").write_text("not a folder", encoding="utf-8")
    run = geomap("build", path)
    assert run.returncode == 2
    assert one_line(run.stderr) == (
        f"geomap: error: cannot write {tmp_path}/maps/.geomap-write-test: {tmp_path}/maps is a file, not a folder"
    )


def test_build_into_a_read_only_folder_stops_once(tmp_path: Path, tmpfs: Path) -> None:
    path = project(tmp_path, top=f'output_dir = "{tmpfs}/maps"\nallow_outside = true\n')
    read_only(tmpfs)
    run = geomap("build", path)
    assert run.returncode == 2
    assert "read-only file system" in one_line(run.stderr)


def test_a_disk_that_fills_during_a_build_stops_it_once(tmp_path: Path, tmpfs: Path) -> None:
    articles = {f"mosul{k}": MOSUL.read_text(encoding="utf-8") for k in range(6)}  # each GeoJSON is ~270 kB
    path = project(tmp_path, top=f'output_dir = "{tmpfs}/maps"\nallow_outside = true\n', articles=articles)
    run = geomap("build", path)
    assert run.returncode == 2
    assert "no space left on device" in one_line(run.stderr)
    written = sorted(p.name for p in (tmpfs / "maps").iterdir() if p.suffix == ".geojson")
    assert written and len(written) < len(articles)  # some maps were built before the disk filled
    assert not [p for p in (tmpfs / "maps").iterdir() if p.name.endswith(".tmp")]


def test_a_missing_gazetteer_stops_a_build_once(tmp_path: Path) -> None:
    run = geomap("build", project(tmp_path), env={"GEOMAP_GAZETTEER": str(tmp_path / "gone.sqlite")})
    assert run.returncode == 2
    assert one_line(run.stderr).startswith(f"geomap: error: gazetteer not found: {tmp_path}/gone.sqlite")


def test_bad_and_empty_articles_fail_alone(tmp_path: Path) -> None:
    path = project(tmp_path, articles={**ARTICLES, "empty": EMPTY})
    (tmp_path / "articles" / "ferry.txt").unlink()
    run = geomap("build", path)
    assert run.returncode == 1
    failures = [line for line in run.stderr.splitlines() if line.startswith("geomap: failed:")]
    assert len(failures) == 2 and "ferry.txt" in failures[0]
    assert failures[1] == (
        "geomap: failed: articles/empty.txt: no places found: nothing written (--allow-empty writes an empty map)"
    )
    assert sorted(p.name for p in (tmp_path / "maps").glob("*.geojson")) == ["floods.geojson", "protests.geojson"]
    run = geomap("build", path, "--allow-empty")
    assert run.returncode == 1 and (tmp_path / "maps" / "empty.geojson").is_file()


# -- project files keep to their folder ----------------------------------------------------


@pytest.mark.parametrize(
    ("top", "entry", "key"),
    [
        ('output_dir = "../elsewhere"', 'article = "articles/floods.txt"', "output_dir"),
        ('output_dir = "/tmp/geomap-anywhere"', 'article = "articles/floods.txt"', "output_dir"),
        ("", 'article = "../secret.txt"', "article"),
        ("", 'article = "/etc/passwd"', "article"),
        ("", 'article = "articles/link.txt"', "article"),  # a symbolic link inside, to a file outside
    ],
)
def test_paths_outside_the_project_are_refused(tmp_path: Path, top: str, entry: str, key: str) -> None:
    (tmp_path / "secret.txt").write_text("Secrets of Mosul.\n", encoding="utf-8")
    folder = tmp_path / "report"
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "floods.txt").write_text(ARTICLES["floods"], encoding="utf-8")
    (folder / "articles" / "link.txt").symlink_to(tmp_path / "secret.txt")
    (folder / "geomap.toml").write_text(f"{top}\n\n[[map]]\n{entry}\n", encoding="utf-8")
    run = geomap("build", folder / "geomap.toml")
    assert run.returncode == 2
    line = one_line(run.stderr)
    assert f"geomap.toml:{1 if key == 'output_dir' else 4}: {key} " in line
    assert f"is outside the project's folder {folder}: set allow_outside = true" in line
    assert not (tmp_path / "elsewhere").exists() and not Path("/tmp/geomap-anywhere").exists()
    (folder / "geomap.toml").write_text(f"allow_outside = true\n{top}\n\n[[map]]\n{entry}\n", encoding="utf-8")
    assert proj.load(folder / "geomap.toml").maps  # allowed when the file says so


def test_colliding_output_names_are_refused_on_loading(tmp_path: Path) -> None:
    body = (
        '[[map]]\narticle = "articles/floods.txt"\nname = "a"\nformats = ["fragment"]\n\n'
        '[[map]]\narticle = "articles/protests.txt"\nname = "a.fragment"\n'
    )
    path = project(tmp_path)
    path.write_text(body, encoding="utf-8")
    with pytest.raises(proj.ProjectError, match=r"geomap.toml:8: articles/floods.txt and articles/protests.txt "
                                                r"would both write a.fragment.html"):  # fmt: skip
        proj.load(path)


# -- one build at a time, and the leftovers of a killed one --------------------------------


class _SlowArticle(http.server.BaseHTTPRequestHandler):
    """Serves an article only when the test says so: a build fetching it holds its lock until then."""

    asked = threading.Event()
    release = threading.Event()

    def do_GET(self) -> None:
        type(self).asked.set()
        type(self).release.wait(60)
        body = MOSUL.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_second_build_waits_for_the_first(tmp_path: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowArticle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        path = project(tmp_path)
        url = f"http://127.0.0.1:{server.server_address[1]}/story.txt"
        path.write_text(path.read_text(encoding="utf-8") + f'\n[[map]]\narticle = "{url}"\nname = "slow"\n')
        first = subprocess.Popen(
            [sys.executable, "-m", "geomap", "build", str(path)], stderr=subprocess.PIPE, text=True
        )
        assert _SlowArticle.asked.wait(120), "the first build never fetched its article"
        refused = geomap("build", path, "--no-wait")
        assert refused.returncode == 2
        assert one_line(refused.stderr) == (
            f"geomap: error: another geomap build is writing to {tmp_path}/maps; "
            "wait for it to finish, or run without --no-wait to wait"
        )
        second = subprocess.Popen([sys.executable, "-m", "geomap", "build", str(path), "--force"],
                                  stderr=subprocess.PIPE, text=True)  # fmt: skip
        assert second.stderr is not None
        waiting = second.stderr.readline()
        assert (
            waiting
            == f"geomap: WARNING: another geomap build is writing to {tmp_path}/maps: waiting for it to finish\n"
        )
        assert second.poll() is None  # still waiting
        _SlowArticle.release.set()
        assert first.wait(120) == 0, first.stderr.read() if first.stderr else ""
        assert second.wait(120) == 0, second.stderr.read()
    finally:
        _SlowArticle.release.set()
        server.shutdown()


def test_a_killed_builds_temporary_files_are_swept(tmp_path: Path) -> None:
    path = project(tmp_path)
    maps = tmp_path / "maps"
    maps.mkdir()
    stale = []
    for name in ("floods.geojson", proj.MANIFEST, proj.INDEX):  # named as atomic_write names them
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=maps)
        os.write(fd, b"half a map")
        os.close(fd)
        stale.append(Path(tmp))
    strangers = [maps / ".notes.txt.a1b2c3d4.tmp", maps / "floods.geojson.tmp"]  # not ours: kept
    for other in strangers:
        other.write_text("someone else's", encoding="utf-8")
    assert proj.build(proj.load(path)).summary() == "built 3, skipped 0, failed 0"
    assert not any(p.exists() for p in stale) and all(p.exists() for p in strangers)
