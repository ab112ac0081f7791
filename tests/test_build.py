"""``geomap build``: project files, incremental rebuilds, corrections, batches, errors
and interruption, on the real gazetteer and real article text."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from geomap.cli import build_parser, main
from geomap.tools import project as proj

ROOT = Path(__file__).resolve().parent.parent
MOSUL = ROOT / "data" / "articles" / "mosul.txt"
ARTICLES = {
    "floods": "Flooding hit Dhaka and Chittagong in Bangladesh on Monday. Rescue teams from Kolkata, India, crossed "
    "the border.\n",
    "protests": "Protesters gathered in Nairobi, Kenya, and in Kampala, Uganda, on Friday.\n",
    "ferry": "The ferry from Helsinki to Tallinn, Estonia, was cancelled because of ice on the Baltic.\n",
    "heat": "Wildfires burned near Athens, Greece, while Naples in Italy sweltered.\n",
    "refugees": "Refugees walked from Juba in South Sudan to the Kakuma camp in Kenya.\n",
}


def write_project(tmp_path: Path, body: str, articles: dict[str, str] = ARTICLES) -> Path:
    """``body`` as tmp_path/geomap.toml, beside tmp_path/articles/<name>.txt for each of ``articles``."""
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    path = tmp_path / "geomap.toml"
    path.write_text(body, encoding="utf-8")
    return path


def maps_of(*names: str, extra: str = "") -> str:
    head = 'output_dir = "maps"\n\n[defaults]\ntiles = "none"\nformats = ["html", "geojson"]\n'
    return head + "".join(f'\n[[map]]\narticle = "articles/{n}.txt"\n{extra}' for n in names)


def statuses(result: proj.BuildResult) -> dict[str, str]:
    return {o.spec.name: o.status for o in result.outcomes}


def points(path: Path) -> dict[str, dict]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["name"]: f for f in features if f["properties"]["role"] == "point"}


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


# -- incremental builds ----------------------------------------------------------


def test_second_build_rebuilds_nothing_and_an_edit_rebuilds_only_its_map(tmp_path: Path) -> None:
    path = write_project(tmp_path, maps_of("floods", "protests", "ferry"))
    first = proj.build(proj.load(path))
    assert statuses(first) == {"floods": "built", "protests": "built", "ferry": "built"}
    out = tmp_path / "maps"
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}

    second = proj.build(proj.load(path))
    assert statuses(second) == {"floods": "skipped", "protests": "skipped", "ferry": "skipped"}
    assert second.summary() == "built 0, skipped 3, failed 0"
    unchanged = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name != "index.html"}
    assert all(stamps[name] == ns for name, ns in unchanged.items())

    (tmp_path / "articles" / "protests.txt").write_text(ARTICLES["protests"] + "Police fired on crowds in Gulu.\n")
    third = proj.build(proj.load(path))
    assert statuses(third) == {"floods": "skipped", "protests": "built", "ferry": "skipped"}
    for name in ("floods.html", "floods.geojson", "ferry.html", "ferry.geojson"):
        assert (out / name).stat().st_mtime_ns == stamps[name]
    assert (out / "protests.html").stat().st_mtime_ns != stamps["protests.html"]
    assert "Gulu" in (out / "protests.geojson").read_text(encoding="utf-8")


def test_options_version_force_and_missing_outputs_trigger_a_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_project(tmp_path, maps_of("floods", "heat"))
    proj.build(proj.load(path))
    # An option of one map changes: only that map.
    path.write_text(maps_of("floods") + '\n[[map]]\narticle = "articles/heat.txt"\ntitle = "Heat"\n')
    assert statuses(proj.build(proj.load(path))) == {"floods": "skipped", "heat": "built"}
    assert "<title>Heat</title>" in (tmp_path / "maps" / "heat.html").read_text(encoding="utf-8")
    # A fragment's height is an option too.
    path.write_text(
        maps_of("floods") + '\n[[map]]\narticle = "articles/heat.txt"\ntitle = "Heat"\nformats = ["fragment"]\n'
        'height = "30em"\n'
    )
    assert statuses(proj.build(proj.load(path))) == {"floods": "skipped", "heat": "built"}
    assert 'height:30em">' in (tmp_path / "maps" / "heat.fragment.html").read_text(encoding="utf-8")
    # An output is deleted: its map is rebuilt.
    (tmp_path / "maps" / "floods.geojson").unlink()
    assert statuses(proj.build(proj.load(path))) == {"floods": "built", "heat": "skipped"}
    # A new geomap version: everything.
    monkeypatch.setattr("geomap.__version__", "999.0")
    assert statuses(proj.build(proj.load(path))) == {"floods": "built", "heat": "built"}
    # --force: everything, even unchanged.
    assert statuses(proj.build(proj.load(path), force=True)) == {"floods": "built", "heat": "built"}


def test_cli_build_twice_exit_codes_and_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(tmp_path, maps_of("floods", "protests"))
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 0
    assert "built 2, skipped 0, failed 0" in capsys.readouterr().err
    assert main(["build", "-v"]) == 0
    err = capsys.readouterr().err
    assert "skipped floods: unchanged" in err and "built 0, skipped 2, failed 0" in err
    assert main(["build", "--force", "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_index_links_every_map_with_title_and_place_count(tmp_path: Path) -> None:
    body = maps_of("floods") + '\n[[map]]\narticle = "articles/heat.txt"\nname = "fires"\ntitle = "Fires & heat"\n'
    path = write_project(tmp_path, 'title = "Summer <report>"\n' + body)
    result = proj.build(proj.load(path))
    assert result.index is not None
    page = result.index.read_text(encoding="utf-8")
    assert result.index == tmp_path / "maps" / "index.html"
    assert "<h1>Summer &lt;report&gt;</h1>" in page
    assert '<a class="title" href="fires.html">Fires &amp; heat</a>' in page
    assert 'href="floods.html"' in page and 'href="floods.geojson"' in page
    assert "4 places" in page  # Athens, Greece, Naples, Italy
    for href in ("floods.html", "floods.geojson", "fires.html", "fires.geojson"):
        assert (tmp_path / "maps" / href).is_file()


# -- corrections ---------------------------------------------------------------


def test_corrections_are_applied_and_explained_on_every_rebuild(tmp_path: Path) -> None:
    body = (
        maps_of("ferry", "heat", "refugees")
        + """
[[map]]
article = "articles/mosul.txt"
formats = ["geojson"]
drop = ["Philippines", "geonames:1149361"]
"""
    )
    body = body.replace(
        'article = "articles/ferry.txt"\n',
        'article = "articles/ferry.txt"\npin = [{ name = "Baltic", lat = 58.5, lon = 20.0 }]\n'
        'add = [{ name = "Camp Alpha", lat = 59.9, lon = 24.5, kind = "other" }]\n',
    )
    body = body.replace(
        'article = "articles/heat.txt"\n',
        'article = "articles/heat.txt"\npin = [{ name = "Naples", lat = 26.15, lon = -81.8 }]\ndrop = ["Italy"]\n',
    )
    body = body.replace(
        'article = "articles/refugees.txt"\n',
        'article = "articles/refugees.txt"\ndrop = ["Juba"]\nadd = ["Juba", "Baghdad"]\n',
    )
    path = write_project(tmp_path, body)
    shutil.copy(MOSUL, tmp_path / "articles" / "mosul.txt")
    out = tmp_path / "maps"
    for _ in range(2):  # applied when built, and still there after a forced rebuild
        result = proj.build(proj.load(path), force=True)
        assert not result.failed, result.failed

        ferry = points(out / "ferry.geojson")
        # The Baltic Sea's own point is 350 km from the pin, no other Baltic is near: a point of its own.
        baltic = ferry["Baltic Sea"]
        assert baltic["geometry"]["coordinates"] == [20.0, 58.5]
        assert baltic["properties"]["country_code"] is None and baltic["id"] == "pinned:baltic"
        assert baltic["properties"]["confidence"] == 1.0
        assert "pinned by hand in geomap.toml" in baltic["properties"]["note"]
        camp = ferry["Camp Alpha"]
        assert camp["geometry"]["coordinates"] == [24.5, 59.9] and camp["properties"]["kind"] == "other"
        assert "added by hand" in camp["properties"]["note"] and "does not name it" in camp["properties"]["note"]

        heat = points(out / "heat.geojson")
        assert "Italy" not in heat
        naples = heat["Naples"]  # pinned near Naples, Florida: takes that place's identity
        assert naples["properties"]["country_code"] == "US" and naples["id"] == "geonames:4165565"
        assert naples["geometry"]["coordinates"] == [-81.8, 26.15]
        assert "pinned by hand" in naples["properties"]["note"]

        refugees = points(out / "refugees.geojson")
        juba = refugees["Juba"]
        assert juba["properties"]["country_code"] == "SS" and "added by hand" in juba["properties"]["note"]
        assert [m["text"] for m in juba["properties"]["mentions"]] == ["Juba"]
        assert "Baghdad" in refugees and refugees["Baghdad"]["properties"]["mentions"] == []

        mosul = points(out / "mosul.geojson")  # dropped by name, and Afghanistan by its id
        assert "Mosul" in mosul and "Philippines" not in mosul and "Afghanistan" not in mosul


def test_drop_by_id_and_a_correction_that_matches_nothing_is_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    body = maps_of("protests", extra='drop = ["geonames:192950", "Atlantis"]\n')
    path = write_project(tmp_path, body)
    result = proj.build(proj.load(path))
    assert not result.failed
    assert set(points(tmp_path / "maps" / "protests.geojson")) == {"Nairobi", "Kampala", "Uganda"}
    assert "drop 'Atlantis' matched no place" in caplog.text


def test_pinning_one_reading_onto_another_merges_them_and_adding_an_alias_adds_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import geomap
    from geomap.model import Article, Mention, Place, Sentence

    gazetteer = geomap.default_gazetteer()
    text = "Naples, Italy, is hot. Naples, Florida, is hotter."
    sentences = [Sentence(0, 22, text[:22]), Sentence(23, len(text), text[23:])]
    italy, florida = (
        c for c in gazetteer.candidates("Naples") if c.country_code in ("IT", "US") and c.population > 20_000
    )
    places = [
        Place(c.id, c.name, c.kind, c.lat, c.lon, (Mention("Naples", s.start, s.start + 6, "Naples", s),), 0.5)
        for c, s in zip((italy, florida), sentences)
    ]
    article = Article(text=text, source="naples.txt")
    fixes = [proj.Correction("pin", "Naples", 26.15, -81.8), proj.Correction("add", "naples")]
    (merged,) = proj.apply_corrections(places, fixes, article, gazetteer)
    assert merged.id == florida.id and (merged.lat, merged.lon) == (26.15, -81.8)
    assert [m.start for m in merged.mentions] == [0, 23]
    fixes = [proj.Correction("add", "Al-Mawsil")]
    mosul = next(c for c in gazetteer.candidates("Mosul"))
    mosul_place = Place(mosul.id, "Mosul", "city", mosul.lat, mosul.lon, (), 0.9)
    assert proj.apply_corrections([mosul_place], fixes, article, gazetteer) == [mosul_place]
    assert "add 'Al-Mawsil': already on the map" in caplog.text


def test_adding_an_unknown_name_without_coordinates_fails_that_map_only(tmp_path: Path) -> None:
    body = maps_of("floods", "protests").replace(
        'article = "articles/floods.txt"\n', 'article = "articles/floods.txt"\nadd = ["Xyzzyville"]\n'
    )
    result = proj.build(proj.load(write_project(tmp_path, body)))
    assert statuses(result) == {"floods": "failed", "protests": "built"}
    reason = result.failed[0].reason or ""
    assert "add 'Xyzzyville'" in reason and "lat and lon" in reason


# -- errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('output_dir = "maps"\n[[map]]\narticle = "articles/floods.txt\n', "geomap.toml:3:31: Illegal character"),
        ('[[map]]\narticle = "articles/floods.txt"\nformats = [html]\n', "geomap.toml:3:12: Invalid value"),
        ("[[map]\n", "geomap.toml:1:6: Expected ']]'"),
        ('[defaults]\ntile = "none"\n[[map]]\narticle = "a.txt"\n',
         "geomap.toml:2: unknown key 'tile' in [defaults] (did you mean 'tiles'?)"),
        ('[[map]]\narticle = "a.txt"\n\n[[map]]\narticle = "b.txt"\ntitel = "B"\n',
         "geomap.toml:6: unknown key 'titel' in [[map]] 2 (did you mean 'title'?)"),
        ('outputdir = "x"\n[[map]]\narticle = "a.txt"\n',
         "geomap.toml:1: unknown key 'outputdir' at the top level (did you mean 'output_dir'?)"),
        ('[[map]]\narticle = "a.txt"\nformats = ["htm"]\n',
         "geomap.toml:3: unknown format 'htm' in [[map]] 1 (a.txt) (did you mean 'html'?)"),
        ('[[map]]\narticle = "a.txt"\ninline_assets = "yes"\n',
         "geomap.toml:3: inline_assets in [[map]] 1 (a.txt) must be true or false, not 'yes'"),
        ('[[map]]\narticle = "a.txt"\nheight = "tall"\n',
         "geomap.toml:3: height 'tall' is not a CSS length such as 600px, 40em or 70vh in [[map]] 1 (a.txt)"),
        ('[defaults]\nsize = "10x10"\n[[map]]\narticle = "a.txt"\n',
         "geomap.toml:2: PNG size 10x10 is out of range (100 to 8000 pixels a side) in [defaults]"),
        ('[[map]]\narticle = "a.txt"\npin = [{ name = "Mosul", lat = 36.3 }]\n',
         "geomap.toml:3: pin in [[map]] 1 (a.txt): 'Mosul' needs both lat and lon"),
        ('[[map]]\narticle = "a.txt"\nadd = [{ name = "X", lat = 136, lon = 3 }]\n', "is off the globe"),
        ('[[map]]\narticle = "a.txt"\n[[map]]\narticle = "other/a.txt"\n',
         "geomap.toml:3: two maps are named 'a' (a.txt and other/a.txt)"),
        ('[[map]]\ntitle = "no article"\n', "geomap.toml:1: [[map]] 1 needs an article"),
        ('output_dir = "maps"\n', "geomap.toml: no maps"),
    ],
)  # fmt: skip
def test_a_malformed_project_file_is_one_line_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, body: str, expected: str
) -> None:
    write_project(tmp_path, body, articles={})
    monkeypatch.chdir(tmp_path)
    assert main(["build", "geomap.toml"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("geomap: error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert expected in err
    assert not (tmp_path / "maps").exists()


def test_a_missing_article_names_its_path_and_the_others_are_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = maps_of("floods", "gone", "protests")
    write_project(tmp_path, body)
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert "geomap: failed: no such file: articles/gone.txt" in err
    assert "built 2, skipped 0, failed 1" in err
    assert (tmp_path / "maps" / "floods.html").is_file() and (tmp_path / "maps" / "protests.html").is_file()
    assert "articles/gone.txt</strong>: not built: no such file" in (tmp_path / "maps" / "index.html").read_text()


def test_missing_project_file_and_unknown_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 2
    assert "no geomap.toml here" in capsys.readouterr().err
    assert main(["build", "nowhere.toml"]) == 2
    assert "no such project file: nowhere.toml" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["build", "--forse"])
    assert info.value.code == 2
    assert "did you mean --force?" in capsys.readouterr().err


# -- batches -------------------------------------------------------------------


def test_a_folder_builds_every_article_and_one_failure_stops_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "page.html").write_text("<html><body><p>Rain fell on Lima, Peru.</p></body></html>", encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01binary\x00")
    (folder / "notes.md").write_text("Not an article about Paris.")
    out = tmp_path / "maps"
    assert main(["build", str(folder), "-o", str(out), "-f", "geojson", "-f", "html"]) == 1
    err = capsys.readouterr().err
    assert "built 6, skipped 0, failed 1" in err
    assert f"geomap: failed: {folder / 'broken.txt'} is a binary file, not an article" in err
    assert sorted(p.name for p in out.glob("*.geojson")) == sorted(f"{n}.geojson" for n in [*ARTICLES, "page"])
    assert "Lima" in (out / "page.geojson").read_text(encoding="utf-8")
    assert main(["build", str(folder), "-o", str(out), "-f", "geojson", "-f", "html"]) == 1
    assert "built 0, skipped 6, failed 1" in capsys.readouterr().err


def test_a_folder_holding_a_project_file_builds_that_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tmp_path, maps_of("heat"))
    assert main(["build", str(tmp_path)]) == 0
    assert "built 1, skipped 0, failed 0" in capsys.readouterr().err
    assert (tmp_path / "maps" / "heat.geojson").is_file() and not (tmp_path / "outputs").exists()


def test_a_folder_cannot_be_its_own_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(ARTICLES["heat"])
    assert main(["build", str(tmp_path), "-o", str(tmp_path)]) == 2
    assert "would be read back as articles" in capsys.readouterr().err


def test_a_folder_with_two_articles_of_one_name_keeps_both(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLES["heat"])
    (tmp_path / "a.html").write_text(f"<html><body><p>{ARTICLES['ferry']}</p></body></html>")
    project = proj.from_folder(tmp_path, output_dir=tmp_path / "out", overrides={"formats": ["geojson"]})
    assert [m.name for m in project.maps] == ["a-html", "a-txt"]


# -- interruption --------------------------------------------------------------


def test_ctrl_c_keeps_every_finished_map_and_the_next_build_carries_on(tmp_path: Path) -> None:
    texts = {
        f"{name}{i:02d}": text.replace("on ", f"on day {i} ", 1) for i in range(20) for name, text in ARTICLES.items()
    }
    path = write_project(tmp_path, maps_of(*texts), articles=texts)
    out = tmp_path / "maps"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # Ctrl-C is handled here while the build starts, so that the build hears it too: a test run
    # started as a background job ignores it, and so would the build, making every map and exiting 0.
    handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        child = subprocess.Popen([sys.executable, "-m", "geomap", "build", str(path)], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    finally:
        signal.signal(signal.SIGINT, handler)
    deadline = time.monotonic() + 300  # the first map, however busy the machine
    while not (out / proj.MANIFEST).is_file() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert "interrupted after" in err and "Traceback" not in err

    manifest = json.loads((out / proj.MANIFEST).read_text(encoding="utf-8"))["maps"]
    assert 1 <= len(manifest) < len(texts)
    for entry in manifest.values():
        for output in entry["outputs"]:
            data = (out / output).read_text(encoding="utf-8")
            assert data.rstrip().endswith("</html>") if output.endswith(".html") else json.loads(data)["features"]
    assert no_temp_files(tmp_path)

    result = proj.build(proj.load(path))
    assert {o.spec.name for o in result.skipped} == set(manifest)
    assert len(result.built) == len(texts) - len(manifest) and not result.failed


def test_an_interrupted_build_in_process_leaves_the_manifest_consistent(tmp_path: Path) -> None:
    path = write_project(tmp_path, maps_of("floods", "protests", "ferry"))

    def stop_after_first(outcome: proj.MapOutcome) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        proj.build(proj.load(path), on_map=stop_after_first)
    manifest = json.loads((tmp_path / "maps" / proj.MANIFEST).read_text())["maps"]
    assert list(manifest) == ["floods"] and no_temp_files(tmp_path)
    assert statuses(proj.build(proj.load(path))) == {"floods": "skipped", "protests": "built", "ferry": "built"}


# -- help, version, verbosity --------------------------------------------------


def _leaf_help(parser: argparse.ArgumentParser, prog: str = "geomap") -> Iterator[tuple[str, argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    yield prog, parser
    for action in subs:
        for name, child in action.choices.items():
            yield from _leaf_help(child, f"{prog} {name}")


def test_every_command_has_help_with_examples() -> None:
    helps = dict(_leaf_help(build_parser()))
    assert {"geomap", "geomap map", "geomap places", "geomap build", "geomap gazetteer", "geomap gazetteer build",
            "geomap gazetteer lookup", "geomap eval", "geomap cache", "geomap cache info"} <= set(helps)  # fmt: skip
    for prog, parser in helps.items():
        text = parser.format_help()
        assert "examples:\n  geomap " in text, prog


def test_version_and_quiet_after_the_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.strip() == "geomap 0.1.0"
    article = tmp_path / "a.txt"
    article.write_text(ARTICLES["heat"])
    assert main(["map", str(article), "-o", str(tmp_path / "a.geojson"), "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["map", str(article), "-o", str(tmp_path / "a.geojson")]) == 0
    assert "places ->" in capsys.readouterr().err


def test_outputs_are_readable_like_any_new_file(tmp_path: Path) -> None:
    from geomap.fsutil import atomic_write

    old = os.umask(0o022)
    try:
        written = atomic_write(tmp_path / "page.html", "<p>hi</p>")
    finally:
        os.umask(old)
    assert written.stat().st_mode & 0o777 == 0o644
    written.chmod(0o600)
    atomic_write(written, "<p>again</p>")
    assert written.stat().st_mode & 0o777 == 0o600


# -- cold start ----------------------------------------------------------------


def test_a_map_embeds_leaflet_without_importing_folium_plugins(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    code = (
        "import sys\nfrom geomap.cli import main\n"
        f"assert main(['map', {str(MOSUL)!r}, '-o', {str(out)!r}, '-q']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('folium.plugins')))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert loaded.stdout.strip() == "[]"
    import folium
    from offlinefolium.elements import _res

    page = out.read_text(encoding="utf-8")
    assert all(_res[url] in page for name, url in folium.Map.default_js if name == "leaflet")


# -- documented examples -------------------------------------------------------


def test_the_readme_project_builds(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    toml = readme.split("<<'TOML'\n", 1)[1].split("\nTOML\n", 1)[0]
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "geomap.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "data" / "articles").mkdir(parents=True)
    shutil.copy(MOSUL, tmp_path / "data" / "articles" / "mosul.txt")
    result = proj.build(proj.load(tmp_path / "report" / "geomap.toml"))
    assert result.summary() == "built 1, skipped 0, failed 0"
    places = points(tmp_path / "report" / "maps" / "mosul.geojson")
    assert "Philippines" not in places and {"Baghdad", "Hammam al-Alil"} <= set(places)
    assert places["East Mosul"]["geometry"]["coordinates"] == [43.17, 36.36]
    assert "The battle for Mosul" in (tmp_path / "report" / "maps" / "index.html").read_text(encoding="utf-8")


def test_the_project_file_in_build_help_builds(tmp_path: Path) -> None:
    from geomap.cli.build import EXAMPLES

    block = EXAMPLES.split("(paths are relative to it; only [[map]] article is required):\n", 1)[1]
    toml = "\n".join(line.removeprefix("  ") for line in block.split("\n\nA map is rebuilt", 1)[0].splitlines())
    project = proj.load(write_project(tmp_path, toml, articles={"mosul": MOSUL.read_text(encoding="utf-8")}))
    (spec,) = project.maps
    assert spec.name == "mosul" and spec.formats == ("html", "geojson") and len(spec.corrections) == 5
    assert proj.build(project).summary() == "built 1, skipped 0, failed 0"
    assert (tmp_path / "maps" / "index.html").is_file()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_article_fails_at_once_and_the_others_are_built(tmp_path: Path, finishes: Callable[..., Any]) -> None:
    path = write_project(tmp_path, maps_of("floods", "fifo", "ferry"),
                         {k: ARTICLES[k] for k in ("floods", "ferry")})  # fmt: skip
    os.mkfifo(tmp_path / "articles" / "fifo.txt")
    result = finishes(proj.build, proj.load(path))  # before: the build waited on the FIFO forever
    assert statuses(result) == {"floods": "built", "fifo": "failed", "ferry": "built"}
    [failed] = result.failed
    assert failed.reason == "articles/fifo.txt is a FIFO, not a regular file: only files are read"


def test_build_takes_the_limits_of_geomap_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_project(tmp_path, maps_of("floods", "protests"), {"floods": ARTICLES["floods"] * 5,
                                                                  "protests": ARTICLES["protests"]})  # fmt: skip
    assert main(["build", str(path), "--max-bytes", "200"]) == 1
    err = capsys.readouterr().err
    assert "failed: articles/floods.txt is larger than 200 bytes (--max-bytes)" in err
    assert "built 1, skipped 0, failed 1" in err


def test_a_project_file_sets_the_limits_and_the_flags_win(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = 'max_bytes = "200"\nfetch_timeout = 5\n' + maps_of("floods", "protests")
    path = write_project(tmp_path, body, {"floods": ARTICLES["floods"] * 5, "protests": ARTICLES["protests"]})
    project = proj.load(path)
    assert (project.limits.max_bytes, project.limits.timeout) == (200, 5.0)
    assert statuses(proj.build(project)) == {"floods": "failed", "protests": "built"}
    assert main(["build", str(path), "--max-bytes", "1MB", "-q"]) == 0
    path.write_text("fetch_timeout = -1\n" + maps_of("floods"), encoding="utf-8")
    with pytest.raises(proj.ProjectError, match=r"geomap\.toml:1: fetch_timeout must be a number of seconds above 0"):
        proj.load(path)
