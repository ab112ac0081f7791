"""geomap.maps.export: formats, GeoJSON content, fragments and iframes, and how PNG export
fails without a browser; rendering in a browser is in tests/test_browser.py."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from geomap.errors import GeomapError
from geomap.maps.chromium import BROWSER_HINT, find_chromium
from geomap.maps.export import FORMATS, export, feature_collection, render_document
from geomap.maps.render import make_map
from geomap.maps.symbols import presentation
from geomap.model import Article, Place


def test_formats_are_guessed_from_the_suffix(render_scene: tuple[Article, list[Place]], tmp_path: Path) -> None:
    article, places = render_scene
    page = export(places, tmp_path / "map.html", article=article, tiles=None)
    assert page.read_text().startswith("<!DOCTYPE html>")
    data = json.loads(export(places, tmp_path / "map.geojson").read_text())
    assert data["type"] == "FeatureCollection"
    assert json.loads(export(places, tmp_path / "map.json").read_text()) == data
    with pytest.raises(GeomapError, match="cannot tell the format"):
        export(places, tmp_path / "map.tiff")
    with pytest.raises(GeomapError, match="unknown format"):
        export(places, tmp_path / "map.html", "jpeg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.geojson", "map.html", "map.json"]  # no temp files


def test_geojson_has_a_point_per_place_and_each_drawn_area(render_scene: tuple[Article, list[Place]]) -> None:
    _, places = render_scene
    features = feature_collection(places)["features"]
    points = [f for f in features if f["properties"]["role"] == "point"]
    areas = [f for f in features if f["properties"]["role"] == "area"]
    assert [f["id"] for f in points] == [p.id for p in places]
    assert {f["id"] for f in areas} == {f"{p.id}/area" for p in places if p.geometry}
    tigris = next(f for f in areas if f["properties"]["name"] == "Tigris")
    assert tigris["geometry"]["type"] in ("LineString", "MultiLineString")
    west = next(f for f in points if f["properties"]["name"] == "West Mosul")["properties"]
    assert west["kind"] == "district" and west["parent"] == places[0].id and west["country"] == "Iraq"
    assert west["confidence"] == 0.9 and west["geocoder"] == "offline"
    (mention,) = west["mentions"]
    assert mention["text"] == "western half"
    assert mention["sentence"][mention["sentence_start"] : mention["sentence_end"]] == "western half"


def test_geojson_export_does_not_load_folium(tmp_path: Path) -> None:
    code = (
        "import sys; sys.path.insert(0, 'tests'); import conftest; from geomap.maps.export import export;"
        f"export(conftest.build_render_scene()[1], {str(tmp_path / 'x.geojson')!r});"
        "print('folium' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_fragment_is_one_map_without_page_styles(render_scene: tuple[Article, list[Place]]) -> None:
    article, places = render_scene
    fragment = render_document(make_map(places, article=article, tiles=None), places, "fragment")
    assert "<html" not in fragment and "<body" not in fragment and "<!DOCTYPE" not in fragment
    assert "html,body" not in fragment and "<title>" not in fragment
    assert fragment.startswith('<div class="geomap-figure"') and fragment.rstrip().endswith("</div>")
    assert len(re.findall(r'<div class="folium-map', fragment)) == 1
    assert fragment.count("keyboard: true,") == sum(presentation(p) != "line" for p in places)  # one marker each


def test_iframe_embeds_the_whole_page_escaped(render_scene: tuple[Article, list[Place]]) -> None:
    article, places = render_scene
    m = make_map(places, article=article, tiles=None)
    page = render_document(m, places, "html")
    snippet = render_document(m, places, "iframe")
    assert snippet.startswith('<iframe title="Map: Mosul retaken" srcdoc="')
    awkward = render_document(make_map(places, title="Sieges & <ruins>", tiles=None), places, "iframe")
    assert awkward.startswith('<iframe title="Map: Sieges &amp; &lt;ruins&gt;" srcdoc="')
    found = re.search(r'srcdoc="([^"]*)"', snippet)
    assert found is not None
    srcdoc = found.group(1)
    assert html.unescape(srcdoc) == page


def test_png_without_a_browser_is_a_clear_error(
    render_scene: tuple[Article, list[Place]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, places = render_scene
    monkeypatch.setenv("GEOMAP_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert find_chromium() is None
    with pytest.raises(GeomapError, match="apt-get install chromium") as caught:
        export(places, tmp_path / "map.png", tiles=None)
    assert str(caught.value) == BROWSER_HINT
    assert not (tmp_path / "map.png").exists()


def test_a_browser_that_hangs_is_stopped(
    render_scene: tuple[Article, list[Place]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, places = render_scene
    hang = tmp_path / "hanging-browser"
    hang.write_text("#!/bin/sh\nsleep 30\n")
    hang.chmod(0o755)
    monkeypatch.setenv("GEOMAP_CHROMIUM", str(hang))
    started = time.monotonic()
    with pytest.raises(GeomapError, match="did not finish within 1 s"):
        render_document(make_map(places, tiles=None), places, "png", timeout=1)
    assert time.monotonic() - started < 10


def test_every_format_is_handled(render_scene: tuple[Article, list[Place]], tmp_path: Path) -> None:
    assert FORMATS == ("html", "fragment", "iframe", "png", "pdf", "svg", "geojson")
    _, places = render_scene
    m = make_map(places, tiles=None)
    for fmt in ("html", "fragment", "iframe", "geojson"):
        assert isinstance(render_document(m, places, fmt), str)
    with pytest.raises(GeomapError, match="PNG size"):
        render_document(m, places, "png", width=10)


def test_export_shapes_places_that_have_no_geometry(render_scene: tuple[Article, list[Place]], tmp_path: Path) -> None:
    _, places = render_scene
    bare = [replace(p, geometry=None, note=None) for p in places]

    def areas(path: Path) -> set[str]:
        return {f["id"] for f in json.loads(path.read_text())["features"] if f["properties"]["role"] == "area"}

    assert areas(export(bare, tmp_path / "shaped.geojson")) == {f"{p.id}/area" for p in places if p.geometry}
    assert areas(export(bare, tmp_path / "bare.geojson", shapes=False)) == set()
