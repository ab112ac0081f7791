"""The command line end to end on the reference article, and the inputs it must refuse."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from geopy.distance import great_circle

from geomap.cli import main

ROOT = Path(__file__).resolve().parent.parent
MOSUL = ROOT / "data" / "articles" / "mosul.txt"
# Independent coordinates of the places the Mosul article must map.
EXPECTED = {"Mosul": (36.34, 43.13), "Raqqa": (35.95, 39.01)}
EXPECTED_COUNTRIES = {"IQ", "SY", "AF", "PH"}
TRAPS = ("Read", "Work", "Patel", "Lincoln", "Tucker", "Fox", "CNN", "Daily Caller", "New York")


@pytest.fixture(scope="module")
def mosul_places() -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "geomap", "places", str(MOSUL), "--json"], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_mosul_places_are_found_where_they_are(mosul_places: list[dict]) -> None:
    by_name = {p["name"]: p for p in mosul_places}
    for name, (lat, lon) in EXPECTED.items():
        assert great_circle((by_name[name]["lat"], by_name[name]["lon"]), (lat, lon)).km < 25
    countries = {p["country_code"] for p in mosul_places if p["kind"] == "country"}
    assert EXPECTED_COUNTRIES <= countries
    assert any(p["kind"] == "continent" and p["name"] == "Africa" for p in mosul_places)
    assert any(p["kind"] == "river" and p["name"] == "Tigris" for p in mosul_places)
    districts = {p["name"] for p in mosul_places if p["kind"] == "district"}
    assert {"East Mosul", "West Mosul", "Old City of Mosul"} <= districts
    # Named as the article names it; the gazetteer's own name is kept beside it.
    assert by_name["Raqqa"]["gazetteer_name"] == "Ar Raqqah" and by_name["Mosul"]["gazetteer_name"] == "Mosul"


def test_mosul_maps_no_person_or_outlet(mosul_places: list[dict]) -> None:
    mentioned = {m["text"] for p in mosul_places for m in p["mentions"]}
    for trap in TRAPS:
        assert not any(trap in text for text in mentioned), trap


def test_every_place_says_why_and_how_sure(mosul_places: list[dict]) -> None:
    for p in mosul_places:
        assert p["mentions"] and all(m["text"] in m["sentence"] for m in p["mentions"])
        assert 0 < p["confidence"] <= 1


@pytest.mark.parametrize(
    ("content", "message"), [(None, "no such file"), (b"", "is empty"), (b"\x00\x01\x02binary\x00", "binary file")]
)
def test_bad_input_one_line_exit_2_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    article = tmp_path / "article.txt"
    if content is not None:
        article.write_bytes(content)
    output = tmp_path / "out.html"
    assert main(["map", str(article), "-o", str(output)]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err
    assert not output.exists() and list(tmp_path.glob(".out.html*")) == []


def test_unknown_option_names_the_nearest(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["map", str(MOSUL), "--inline-asets"])
    assert info.value.code == 2
    assert "did you mean --inline-assets?" in capsys.readouterr().err


def test_fragment_height_from_the_command_line(tmp_path: Path) -> None:
    output = tmp_path / "figure.html"
    assert main(["map", str(MOSUL), "-f", "fragment", "--height", "640", "-o", str(output), "--tiles", "none"]) == 0
    fragment = output.read_text()
    assert fragment.startswith('<div class="geomap-figure" style="position:relative;width:100%;height:640px">')
    iframe = tmp_path / "frame.html"
    assert main(["map", str(MOSUL), "-f", "iframe", "--height", "70vh", "-o", str(iframe)]) == 0
    assert iframe.read_text().rstrip().endswith('style="width:100%;height:70vh;border:0"></iframe>')


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--height", "600px;color:red"], "is not a CSS length"),  # it goes into a style attribute
        (["--size", "1600 by 900"], "is not WIDTHxHEIGHT"),
        (["--size", "20x9000"], "out of range (100 to 8000 pixels a side)"),
    ],
)
def test_bad_sizes_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: list[str], message: str
) -> None:
    output = tmp_path / "map.png"
    with pytest.raises(SystemExit) as info:
        main(["map", str(MOSUL), "-f", "png", "-o", str(output), *option])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and not output.exists()


def test_untrusted_names_are_escaped_in_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evil = tmp_path / "story\x1b]0;owned\x07\u202etxt.exe"
    assert main(["places", str(evil)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err and "\x07" not in err  # before: echoed raw to the terminal
    assert err == f"geomap: error: no such file: {tmp_path}/story\\x1b]0;owned\\x07\\u202etxt.exe\n"


def test_untrusted_names_are_escaped_in_warnings(tmp_path: Path) -> None:
    evil = tmp_path / "Mosul\x1b[2J\n.txt"
    evil.write_bytes("Fighting in São Paulo, ".encode() + b"\xff Brazil, went on.\n")
    done = subprocess.run([sys.executable, "-m", "geomap", "places", str(evil)], capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert done.returncode == 0 and "\x1b" not in done.stderr
    escaped = f"{tmp_path}/Mosul\\x1b[2J\\n.txt"
    assert done.stderr == f"geomap: WARNING: {escaped}: invalid UTF-8 at byte 24 replaced with U+FFFD\n"
