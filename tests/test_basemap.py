"""The offline basemap on the shipped data (``geomap/data/basemap.zip``): what a frame gets,
the labels chosen for its scale, the builder on a subset of Natural Earth, and the client
drawing it in real Chromium."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import LineString, Point, shape
from shapely.geometry.base import BaseGeometry

from geomap.gazetteer.build import DEFAULT_NATURALEARTH
from geomap.maps import basemap
from geomap.maps.basemap import Basemap, Frame, fit
from geomap.model import Article, Place

MOSUL = Frame(33.0, 37.0, 37.5, 45.0)
SIZE = (1200, 800)


def _rivers(base: Basemap) -> BaseGeometry:
    return shapely.GeometryCollection([shape(r) for r in base.rivers if r is not None])


def _names(base: Basemap, *kinds: str) -> set[str]:
    return {" ".join(label.lines) for label in base.labels if label.kind in kinds}


def test_mosul_frame_has_land_the_two_rivers_and_every_neighbour() -> None:
    base = basemap.draw(fit(MOSUL, SIZE))
    assert base.land is not None and shape(base.land).contains(Point(43.13, 36.34))  # Mosul is on land
    rivers = _rivers(base)
    assert rivers.distance(Point(43.14, 36.34)) < 0.05  # the Tigris through Mosul
    assert rivers.distance(Point(39.0, 35.95)) < 0.05  # the Euphrates at Raqqa
    assert {"iso:TR", "iso:IR", "iso:SY", "iso:JO", "iso:IQ"} <= {la.id for la in base.labels if la.kind == "country"}
    assert base.borders is not None
    borders = shape(base.borders)
    assert borders.intersects(LineString([(43.13, 36.34), (39.0, 35.95)]))  # Iraq and Syria
    assert borders.intersects(LineString([(42.0, 33.0), (42.0, 30.0)]))  # Iraq and Saudi Arabia, below the view
    assert base.credit == "Made with Natural Earth"
    # At zoom 7 the view reaches the Gulf of Iskenderun; fitted exactly, it stops short of the sea.
    assert "Mediterranean Sea" in _names(base, "sea")
    assert "Mediterranean Sea" not in _names(basemap.draw(fit(MOSUL, SIZE, snap=0)), "sea")


def test_a_levant_frame_names_the_mediterranean_at_sea() -> None:
    base = basemap.draw(fit(Frame(32.0, 33.0, 36.0, 37.0), SIZE))
    sea = [la for la in base.labels if la.kind == "sea" and la.id == "Mediterranean Sea"]
    assert sea and base.land is not None
    assert not shape(base.land).contains(Point(sea[0].lon, sea[0].lat))
    assert base.coast is not None


def test_mid_atlantic_frame_is_all_sea() -> None:
    base = basemap.draw(fit(Frame(25.0, -50.0, 32.0, -40.0), SIZE))  # west of the Azores, east of Bermuda
    assert (base.land, base.coast, base.borders, base.lakes) == (None, None, None, None)
    assert {la.kind for la in base.labels} == {"sea"} and "North Atlantic Ocean" in _names(base, "sea")


def test_towns_follow_the_scale() -> None:
    wide = basemap.draw(fit(Frame(25.0, 30.0, 42.0, 60.0), SIZE))
    close = basemap.draw(fit(Frame(35.9, 42.5, 36.8, 43.8), SIZE))
    assert {"Baghdad", "Tehran"} <= _names(wide, "capital")
    assert "Tall Afar" not in _names(wide, "town")
    assert {"Mosul", "Tall Afar"} <= _names(close, "town")
    for base in (wide, close):  # one town per 80,000 square pixels at most
        assert len(_names(base, "town", "capital")) <= 12


def test_the_articles_own_places_are_left_to_the_map(render_scene: tuple[Article, list[Place]]) -> None:
    _, places = render_scene
    view = fit(Frame(35.9, 42.5, 36.8, 43.8), SIZE)
    skip = basemap.skip_ids(places)
    assert {"geonames:99072", "iso:IQ", "iso:SY", "mosul"} <= skip
    base = basemap.draw(view, skip=skip, avoid=[(p.lat, p.lon) for p in places])
    assert "Mosul" not in _names(base, "town") and "Iraq" not in _names(base, "country")
    corners = view.pixels(shapely.get_coordinates([Point(la.lon, la.lat) for la in base.labels]))
    mosul = view.pixels(shapely.get_coordinates(Point(43.119, 36.335)))[0]
    assert all(((corners - mosul) ** 2).sum(axis=1) ** 0.5 > 12)


def test_labels_keep_out_of_the_boxes_kept_clear() -> None:
    view = fit(MOSUL, SIZE)
    clear = (600.0, 0.0, 1200.0, 800.0)
    everything = basemap.draw(view)
    base = basemap.draw(view, keep_clear=[clear])
    xy = view.pixels(shapely.get_coordinates([Point(la.lon, la.lat) for la in base.labels]))
    assert any(
        x > 600 for x, _ in view.pixels(shapely.get_coordinates([Point(la.lon, la.lat) for la in everything.labels]))
    )
    assert base.labels and all(x < 600 for x, _ in xy)


def test_a_frame_across_the_antimeridian_draws_both_sides() -> None:
    base = basemap.draw(fit(Frame(-20.0, 176.0, -15.0, 183.0), SIZE))  # Fiji
    assert base.land is not None
    xs = shapely.get_coordinates(shape(base.land))[:, 0]
    assert xs.min() < 180 < xs.max()


def test_draw_is_deterministic_and_json_ready() -> None:
    view = fit(Frame(24.0, 66.0, 36.0, 76.0), SIZE)  # Pakistan
    first = json.dumps(basemap.draw(view).geojson(), sort_keys=True)
    assert first == json.dumps(basemap.draw(view).geojson(), sort_keys=True)
    layers = {f["properties"]["layer"] for f in json.loads(first)["features"]}
    assert {"land", "coast", "borders", "rivers", "label"} <= layers


def test_fit_contains_the_frame_and_snaps_like_leaflet() -> None:
    view = fit(MOSUL, SIZE, padding=(60, 90, 150, 50))
    assert view.zoom == 7.0
    shown = view.frame
    assert (
        shown.south < MOSUL.south and shown.west < MOSUL.west and shown.north > MOSUL.north and shown.east > MOSUL.east
    )
    assert fit(MOSUL, SIZE, snap=0).zoom == pytest.approx(7.67, abs=0.01)
    assert fit(Frame(36.3, 43.1, 36.3, 43.1), SIZE, max_zoom=12).zoom == 12


def test_locator_svg_outlines_the_frame_in_its_region() -> None:
    svg = basemap.locator_svg(MOSUL, (150, 150), highlight={"IQ"}, title='Where "Mosul" <is> & more')
    root = ET.fromstring(svg)
    assert root.get("aria-label") == 'Where "Mosul" <is> & more'
    paths = [el.get("d") for el in root.iter("{http://www.w3.org/2000/svg}path")]
    assert len(paths) == 3 and all(paths)  # land, Iraq tinted, borders
    rect = root.findall("{http://www.w3.org/2000/svg}rect")[-1]
    width = float(rect.get("width", "0"))
    assert 10 < width < 75  # the frame is a small part of the region
    assert not ET.fromstring(basemap.locator_svg(MOSUL, (150, 150))).findall(".//{*}path")[1].get("d")
    tiny = ET.fromstring(basemap.locator_svg(Frame(36.3, 43.1, 36.4, 43.2), (150, 150)))
    assert tiny.findall("{http://www.w3.org/2000/svg}circle")  # too small to outline: a ring


def test_locator_svg_reaches_far_points_and_numbers_them() -> None:
    """Places far from the frame (Washington, Manila) widen the locator to the world, each a
    numbered dot inside it, west of the frame and east of it."""
    svg = ET.fromstring(basemap.locator_svg(MOSUL, (200, 100), span=1.1, points=[(38.9, -77.0), (14.6, 121.0)]))
    ns = "{http://www.w3.org/2000/svg}"
    (ring, *numbered) = [(float(c.get("cx", "0")), float(c.get("cy", "0"))) for c in svg.findall(f"{ns}circle")]
    assert [t.text for t in svg.findall(f"{ns}text")] == ["1", "2"] and len(numbered) == 2
    assert all(0 <= x <= 200 and 0 <= y <= 100 for x, y in [ring, *numbered])  # the frame, a ring at this scale
    assert numbered[0][0] < ring[0] < numbered[1][0]


def test_encoding_round_trips_on_the_grid() -> None:
    holed = shapely.Polygon([(0, 0), (1, 0), (1, 1), (0, 1)], [[(0.2, 0.2), (0.4, 0.2), (0.4, 0.4), (0.2, 0.4)]])
    shapes = [shapely.MultiPolygon([holed, shapely.box(-179.5, -20.0004, -178, -19)]), shapely.box(5, 5, 6, 6)]
    counts, blob = basemap.encode("land", shapes, 0.001)
    decoded = basemap.decode("land", counts, blob, 0.001)
    for original, back in zip(shapes, decoded, strict=True):
        assert back.geom_type == "MultiPolygon"
        assert shapely.hausdorff_distance(original, back) <= 0.0005
    points = [Point(43.119, 36.335), Point(-0.1276, 51.5072)]
    counts, blob = basemap.encode("towns", points, 0.001)
    back = shapely.get_coordinates(basemap.decode("towns", counts, blob, 0.001)).ravel().tolist()
    assert back == pytest.approx([43.119, 36.335, -0.128, 51.507])


def _subset(source: Path, target: Path, box: shapely.Geometry) -> None:
    """Natural Earth's layers cut down to the features that meet ``box`` (whole features)."""
    import shapefile

    from geomap.tools.build_basemap import GEOJSON_LAYERS

    target.mkdir()
    for path in (source / f"{layer}.json.gz" for layer in GEOJSON_LAYERS):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        data["features"] = [f for f in data["features"] if f["geometry"] and shape(f["geometry"]).intersects(box)]
        with gzip.open(target / path.name, "wt", encoding="utf-8") as fh:
            json.dump(data, fh)
    name = "ne_50m_admin_0_countries"
    shutil.copy(source / f"{name}.VERSION.txt", target)
    with shapefile.Reader(str(source / name), encoding="utf-8") as reader, \
            shapefile.Writer(str(target / name), shapeType=reader.shapeType, encoding="utf-8") as writer:  # fmt: skip
        writer.fields = reader.fields[1:]
        for item in reader.iterShapeRecords():
            if shape(item.shape.__geo_interface__).intersects(box):
                writer.record(*item.record)
                writer.shape(item.shape)


@pytest.mark.skipif(not DEFAULT_NATURALEARTH.is_dir(), reason="Natural Earth is not beside the checkout")
def test_builder_is_deterministic_and_readable(tmp_path: Path) -> None:
    from geomap.tools.build_basemap import build, main

    _subset(DEFAULT_NATURALEARTH, tmp_path / "ne", shapely.box(35.0, 33.0, 36.0, 34.5))  # Lebanon
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    assert main(["--naturalearth", str(tmp_path / "ne"), "--output", str(first)]) == 0
    assert main(["--naturalearth", str(tmp_path / "ne"), "--output", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert json.loads(archive.read("meta.json"))["format"] == basemap.FORMAT
        layers = {name: _read(archive, *name.split(".")) for name in ("land.region", "countries.continent", "towns.")}
    assert any(g.contains(Point(35.9, 33.85)) for g in layers["land.region"][0])  # Zahle, Lebanon
    assert ("LB", "Lebanon") in {(row[0], row[1]) for row in layers["countries.continent"][1]}
    assert "Beirut" in {row[1] for row in layers["towns."][1]}
    assert build(tmp_path / "ne") == build(tmp_path / "ne")


def test_builder_reports_a_missing_folder_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from geomap.tools.build_basemap import main

    assert main(["--naturalearth", str(tmp_path / "nowhere"), "--output", str(tmp_path / "out.zip")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nowhere" in err and not (tmp_path / "out.zip").exists()


def _read(archive: zipfile.ZipFile, layer: str, level: str) -> tuple[Any, list[list[Any]]]:
    payload = json.loads(archive.read(basemap.member_name(layer, level, ".json")))
    blob = archive.read(basemap.member_name(layer, level, ".bin"))
    return basemap.decode(layer, payload["counts"], blob, payload["quantum"]), payload["rows"]


def test_the_client_draws_it_in_chromium_below_the_maps_own_layers(chromium: str) -> None:
    from offlinefolium.elements import _res

    from geomap.maps.assets import static_text
    from geomap.maps.chromium import run_chromium

    size, padding = (1000, 700), (60, 90, 150, 50)
    view = fit(MOSUL, size, padding=padding)
    base = basemap.draw(view)
    town = next(la for la in base.labels if la.kind == "town" and la.anchor == "right")
    leaflet = next(v for k, v in _res.items() if re.search(r"/leaflet@[\d.]+/dist/leaflet\.js$", k))
    leaflet_css = next(v for k, v in _res.items() if re.search(r"/leaflet@[\d.]+/dist/leaflet\.css$", k))
    js, css = static_text("basemap.js"), static_text("basemap.css")
    page = f"""<!doctype html><html><head><meta charset="utf-8"><style>{leaflet_css}{css}</style>
<style>body{{margin:0}}#map{{width:{size[0]}px;height:{size[1]}px}}</style>
<script>{leaflet}</script><script>{js}</script></head><body><div id="map"></div><pre id="result"></pre><script>
var map = L.map("map", {{zoomSnap: 1}});
map.fitBounds([[{MOSUL.south}, {MOSUL.west}], [{MOSUL.north}, {MOSUL.east}]],
              {{paddingTopLeft: [{padding[0]}, {padding[1]}], paddingBottomRight: [{padding[2]}, {padding[3]}]}});
geomapBasemap(map, {json.dumps(base.geojson())});
var own = L.divIcon({{className: "own", iconSize: [60, 20], iconAnchor: [0, 10]}});
L.marker([{town.lat}, {town.lon}], {{icon: own}}).addTo(map);
geomapBasemap.declutter(map);
var labels = Array.from(document.querySelectorAll(".geomap-bm-label"));
var shown = labels.filter(function (l) {{ return l.style.visibility !== "hidden"; }});
var boxes = shown.map(function (l) {{ return l.querySelector(".geomap-bm-text").getBoundingClientRect(); }});
var overlaps = 0;
boxes.forEach(function (a, i) {{ boxes.slice(i + 1).forEach(function (b) {{
  if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {{ overlaps++; }} }}); }});
var hidden = labels.filter(function (l) {{ return l.style.visibility === "hidden"; }})
  .map(function (l) {{ return l.textContent; }});
var pane = function (name) {{ return +getComputedStyle(map.getPane(name)).zIndex; }};
document.getElementById("result").textContent = JSON.stringify({{
  zoom: map.getZoom(), lat: map.getCenter().lat, lon: map.getCenter().lng, labels: labels.length,
  overlaps: overlaps, hidden: hidden, paths: map.getPane("geomapBaseGround").querySelectorAll("path").length,
  ground: pane("geomapBaseGround"), names: pane("geomapBaseLabels"), tiles: pane("tilePane"),
  overlay: pane("overlayPane"), background: getComputedStyle(map.getContainer()).backgroundColor}});
</script></body></html>"""
    out, _ = run_chromium(page, "--dump-dom", "--virtual-time-budget=5000", f"--window-size={size[0]},{size[1] + 100}")
    result = json.loads(re.search(r'<pre id="result">(.*?)</pre>', out, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert (result["zoom"], result["lat"], result["lon"]) == (
        view.zoom,
        pytest.approx(view.lat),
        pytest.approx(view.lon),
    )
    assert result["labels"] == len(base.labels) and result["paths"] >= 5
    assert result["overlaps"] == 0  # the estimates leave real text room
    assert result["hidden"] == [town.lines[0]]  # under the map's own marker
    assert result["ground"] < result["names"] < result["tiles"] < result["overlay"]
    assert result["background"] == "rgb(211, 227, 236)"  # sea
