"""Figures and embedding in real Chromium (driven over the DevTools protocol, as export is):
static figures carry no controls, PNGs show land, sea and borders, PDF and SVG are valid and
titled, tiles are waited for only so long, pages need no network, and any number of copies
of one fragment draw in a host page whose styles do not reach into them.

Skipped without Chromium, unless GEOMAP_REQUIRE_BROWSER=1 (CI), which makes that a failure.
"""

from __future__ import annotations

import io
import logging
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from geomap.maps.chromium import shared_browser
from geomap.maps.export import export, picture, render_document
from geomap.maps.render import make_map
from geomap.model import Article, Place

pytestmark = pytest.mark.usefixtures("chromium")

SIZE = (900, 600)
SVG = "{http://www.w3.org/2000/svg}"


def run(page: str, script: str, size: tuple[int, int] = SIZE) -> tuple[Any, list[str]]:
    """The JSON value of ``script`` once the page's maps are ready, and the URLs it requested."""
    tab = shared_browser().page(*size)
    try:
        tab.open(page)
        tab.evaluate("window.geomapReady ? geomapReady(2000) : null")
        return tab.evaluate(script), tab.requested()
    finally:
        tab.close()


def figure_page(places: list[Place], article: Article | None, **options: Any) -> str:
    return render_document(make_map(places, article=article, figure=SIZE, **options), places, "html")


CONTROLS = """(function () {
    var q = function (s) { return document.querySelectorAll(s).length; };
    return {zoom: q(".leaflet-control-zoom"), layers: q(".leaflet-control-layers"), scale: q(".leaflet-control-scale"),
            title: q(".geomap-title"), legend: q(".geomap-legend"), locator: q(".geomap-inset svg"),
            attribution: document.querySelector(".leaflet-control-attribution").textContent};
})()"""


def test_a_figure_has_no_interactive_controls_but_keeps_its_panels(render_scene: tuple[Article, list[Place]]) -> None:
    article, places = render_scene
    seen, _ = run(figure_page(places, article, tiles=None), CONTROLS)
    assert seen["zoom"] == seen["layers"] == 0
    assert seen["legend"] == seen["locator"] == 1 and seen["scale"] >= 1 and seen["title"] >= 1
    assert "Leaflet" not in seen["attribution"] and "GeoNames" in seen["attribution"]
    assert "Natural Earth" in seen["attribution"]
    page, _ = run(render_document(make_map(places, article=article, tiles=None), places, "html"), CONTROLS)
    assert page["zoom"] == page["layers"] == 1 and "Leaflet" in page["attribution"]  # the page keeps them
    # ... styled by Leaflet, untouched by the reset of geomap's own panels.
    button, _ = run(
        render_document(make_map(places, article=article, tiles=None), places, "html"),
        """(function () {
        var s = getComputedStyle(document.querySelector(".leaflet-control-zoom-in"));
        return [s.backgroundColor, s.textDecorationLine, s.width, getComputedStyle(
            document.querySelector(".leaflet-control-layers-toggle")).backgroundImage !== "none"];
    })()""",
    )
    assert button[0] == "rgb(255, 255, 255)" and button[1] == "none" and button[3]
    assert button[2] in ("26px", "30px")  # Leaflet's size for mouse or touch screens


def colour_share(image: Any, rgb: tuple[int, int, int], tolerance: int = 6) -> float:
    """The share of the picture's pixels within ``tolerance`` of ``rgb`` on every channel."""
    colours = image.getcolors(maxcolors=1 << 24)
    near = sum(n for n, c in colours if all(abs(a - b) <= tolerance for a, b in zip(c, rgb, strict=True)))
    return float(near) / (image.size[0] * image.size[1])


def test_a_png_shows_land_sea_and_borders_from_the_offline_basemap(tmp_path: Path) -> None:
    """A Levant story with tiles off: the Mediterranean, the land and the borders of the
    basemap are all in the picture (colours of basemap.css)."""
    from PIL import Image

    from geomap.gazetteer import Gazetteer
    from geomap.model import Mention, Sentence

    gazetteer = Gazetteer()
    text = "Shelling in Homs and Latakia, Syria."
    sentence = Sentence(0, len(text), text)
    places = []
    for name in ("Homs", "Latakia"):
        c = next(c for c in gazetteer.candidates(name) if c.kind == "city")
        start = text.index(name)
        places.append(Place(c.id, c.name, "city", c.lat, c.lon, (Mention(name, start, start + len(name), name, sentence),),
                            0.9, country_code=c.country_code, country=c.country))  # fmt: skip
    path = export(places, tmp_path / "levant.png", tiles=None, width=SIZE[0], height=SIZE[1], scale=2)
    image = Image.open(io.BytesIO(path.read_bytes())).convert("RGB")
    assert image.size == (2 * SIZE[0], 2 * SIZE[1])
    assert colour_share(image, (0xF2, 0xEF, 0xE8)) > 0.3  # land
    assert colour_share(image, (0xD3, 0xE3, 0xEC)) > 0.05  # sea
    assert colour_share(image, (0x9B, 0x95, 0x8C), 20) > 0.0005  # borders


def test_pdf_and_svg_are_valid_and_carry_the_title(render_scene: tuple[Article, list[Place]], tmp_path: Path) -> None:
    article, places = render_scene
    pdf = export(places, tmp_path / "map.pdf", article=article, tiles=None, width=SIZE[0], height=SIZE[1]).read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/Count 1" in pdf  # one page
    assert re.search(rb"/MediaBox \[0 0 675(\.\d+)? 450(\.\d+)?\]", pdf)  # 900 x 600 CSS px, 675 x 450 pt
    assert b"/Title (Mosul retaken)" in pdf or "Mosul retaken".encode("utf-16-be").hex().upper().encode() in pdf
    svg = export(places, tmp_path / "map.svg", article=article, tiles=None, width=SIZE[0], height=SIZE[1])
    root = ET.parse(svg).getroot()
    assert root.tag == f"{SVG}svg" and (root.get("width"), root.get("height")) == ("900", "600")
    assert root.findtext(f"{SVG}title") == "Mosul retaken"
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "Mosul retaken" in texts and "Legend" in texts and any("Raqqa" in t for t in texts)
    assert len(list(root.iter(f"{SVG}path"))) > 20  # land, borders, rivers, outlines: vector, not a picture
    assert not list(root.iter(f"{SVG}image")) and not list(root.iter(f"{SVG}foreignObject"))


@pytest.fixture
def tiles() -> Iterator[HTTPServer]:
    """A tile server on 127.0.0.1: /green/ answers every tile with a green square, /never/
    answers none (it holds the request), /broken/ answers 404."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (0, 160, 0)).save(buffer, "PNG")
    green = buffer.getvalue()

    def hold(request: Request) -> Response:
        time.sleep(15)
        return Response(green, mimetype="image/png")

    with HTTPServer(host="127.0.0.1", port=0, threaded=True) as server:
        server.expect_request(re.compile(r"/green/.*")).respond_with_data(green, content_type="image/png")
        server.expect_request(re.compile(r"/never/.*")).respond_with_handler(hold)
        server.expect_request(re.compile(r"/broken/.*")).respond_with_data("", status=404)
        yield server


def test_tiles_that_come_are_drawn(render_scene: tuple[Article, list[Place]], tiles: HTTPServer) -> None:
    from PIL import Image

    article, places = render_scene
    page = figure_page(places, article, tiles=tiles.url_for("/green/{z}/{x}/{y}.png"))
    image = Image.open(io.BytesIO(picture(page, "png", width=SIZE[0], height=SIZE[1]))).convert("RGB")
    assert colour_share(image, (0, 160, 0), 10) > 0.2  # the tiles cover the basemap


@pytest.mark.parametrize("server", ["never", "broken"])
def test_tiles_that_do_not_come_leave_the_basemap_with_a_warning(
    render_scene: tuple[Article, list[Place]], tiles: HTTPServer, server: str, caplog: pytest.LogCaptureFixture
) -> None:
    from PIL import Image

    article, places = render_scene
    page = figure_page(places, article, tiles=tiles.url_for(f"/{server}/{{z}}/{{x}}/{{y}}.png"))
    with caplog.at_level(logging.WARNING):
        started = time.monotonic()
        png = picture(page, "png", width=SIZE[0], height=SIZE[1], tile_wait=1.0)
        waited = time.monotonic() - started
    assert waited < 12  # the tile server holds its answers for 15 s: not waited for
    assert "tiles left out" in caplog.text
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert colour_share(image, (0xF2, 0xEF, 0xE8)) > 0.1  # the offline basemap's land instead


def test_a_page_draws_with_no_network_and_asks_for_nothing_outside(render_scene: tuple[Article, list[Place]]) -> None:
    article, places = render_scene
    page = render_document(make_map(places, article=article, tiles=None), places, "html")
    drawn, requested = run(page, "document.querySelectorAll('.geomap-bm-land, .geomap-marker').length")
    assert drawn > len(places) // 2
    assert [url for url in requested if not url.startswith(("file:", "data:", "about:"))] == []
    # With tiles, the tile server is the only address outside the page.
    page = render_document(make_map(places, article=article, tiles="OpenStreetMap"), places, "html")
    _, requested = run(page, "1")
    outside = {re.sub(r"^(https?://[^/]+)/.*", r"\1", url) for url in requested if url.startswith("http")}
    assert outside == {"https://tile.openstreetmap.org"}


HOST_STYLE = """<style>
h3 { color: rgb(255, 0, 0) !important; font-family: serif; } p, li, span { color: rgb(255, 0, 0); font-size: 30px; }
#report p, #report h3, #report li { color: rgb(255, 0, 0); letter-spacing: 5px; text-transform: uppercase; }
</style>"""

COPIES = """(function () {
    var maps = Array.prototype.slice.call(document.querySelectorAll(".geomap-map"));
    return maps.map(function (el) {
        return {id: el.id, drawn: el.classList.contains("leaflet-container"),
                markers: el.querySelectorAll(".geomap-marker").length,
                land: el.querySelectorAll(".geomap-bm-land").length};
    });
})()"""


def test_copies_of_one_fragment_all_draw(render_scene: tuple[Article, list[Place]]) -> None:
    article, places = render_scene
    fragment = render_document(make_map(places, article=article, tiles=None), places, "fragment")
    host = f"<!DOCTYPE html><html><body><h1>Report</h1>{fragment}<p>Text</p>{fragment}{fragment}</body></html>"
    maps, _ = run(host, COPIES, (1000, 2000))
    assert len(maps) == 3 and len({m["id"] for m in maps}) == 3  # ids made unique on the page, not in the file
    assert all(m["drawn"] and m["land"] >= 1 for m in maps)
    assert len({m["markers"] for m in maps}) == 1 and maps[0]["markers"] > 0


def test_the_host_pages_styles_do_not_reach_into_the_map(render_scene: tuple[Article, list[Place]]) -> None:
    article, places = render_scene
    fragment = render_document(make_map(places, article=article, tiles=None), places, "fragment")
    host = f"<!DOCTYPE html><html><head>{HOST_STYLE}</head><body id='report'><h3>Figure 1</h3>{fragment}</body></html>"
    script = """(function () {
        var map = document.querySelector(".geomap-map");
        map.querySelector(".geomap-marker").dispatchEvent(new MouseEvent("click", {bubbles: true}));
        var look = function (el) {
            var s = getComputedStyle(el);
            return [s.color, s.fontFamily, s.fontSize, s.letterSpacing, s.textTransform];
        };
        return {popup: look(map.querySelector(".geomap-popup h3")), quote: look(map.querySelector(".geomap-popup p")),
                caption: look(map.querySelector(".geomap-caption")), legend: look(map.querySelector(".geomap-legend li")),
                host: look(document.querySelector("body > h3"))};
    })()"""
    seen, _ = run(host, script)
    assert seen["host"][0] == "rgb(255, 0, 0)"  # the host's own heading is red, as it asked
    for name in ("quote", "caption", "legend"):
        color, family, size, spacing, transform = seen[name]
        assert color != "rgb(255, 0, 0)" and family != "serif" and size != "30px", name
        assert spacing == "normal" and transform == "none", name
    assert seen["popup"][1:] == ["system-ui, sans-serif", "16px", "normal", "none"]
    # Only !important beats the map's styles: it is the host page's explicit wish.
    assert seen["popup"][0] == "rgb(255, 0, 0)"


def test_the_iframe_is_sandboxed(render_scene: tuple[Article, list[Place]]) -> None:
    article, places = render_scene
    snippet = render_document(make_map(places, article=article, tiles=None), places, "iframe")
    assert 'sandbox="allow-scripts allow-popups"' in snippet
    host = f"<!DOCTYPE html><html><body>{snippet}</body></html>"
    script = """new Promise(function (resolve) {
        var frame = document.querySelector("iframe");
        function look() {
            var blocked;
            try { blocked = frame.contentDocument === null && !frame.contentWindow.document; } catch (e) { blocked = true; }
            resolve({blocked: blocked});
        }
        frame.addEventListener("load", look);
        setTimeout(look, 3000);
    })"""
    seen, _ = run(host, script)
    assert seen == {"blocked": True}  # its scripts run in an origin of their own


def test_the_map_id_names_the_container(render_scene: tuple[Article, list[Place]], tmp_path: Path) -> None:
    from geomap.cli import main

    mosul = Path(__file__).resolve().parent.parent / "data" / "articles" / "mosul.txt"
    out = tmp_path / "fig.html"
    assert main(["map", str(mosul), "-f", "fragment", "--map-id", "figure_2", "--tiles", "none", "-o", str(out)]) == 0
    assert 'id="map_figure_2"' in out.read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["map", str(mosul), "--map-id", "no spaces", "-o", str(out)])
    assert exit_info.value.code == 2


def test_the_gallery_project_draws_four_articles_that_exist() -> None:
    from geomap.tools import project

    gallery = project.load(Path(__file__).resolve().parent.parent / "outputs" / "gallery" / "geomap.toml")
    assert len(gallery.maps) == 4 and all(spec.formats == ("png",) and spec.tiles is None for spec in gallery.maps)
    assert all(Path(spec.article).is_file() for spec in gallery.maps)
    assert all((gallery.output_dir / f"{spec.name}.png").is_file() for spec in gallery.maps)  # committed


def test_panels_that_give_way_are_hidden_under_the_scoped_styles(mosul_shaped: tuple[Article, list[Place]]) -> None:
    """layout.js marks the container itself (geomap-compact-N); the scoped stylesheet must still
    hide what that asks for."""
    article, places = mosul_shaped
    fragment = render_document(make_map(places, article=article, tiles=None), places, "fragment")
    script = """(function () {
        var map = document.querySelector(".geomap-map");
        var locator = map.querySelector(".geomap-also .geomap-locator");
        return {compact: map.className.indexOf("geomap-compact-1") >= 0, shown: getComputedStyle(locator).display};
    })()"""
    seen, _ = run(f"<!DOCTYPE html><html><body style='margin:0'>{fragment}</body></html>", script, (1000, 480))
    assert seen == {"compact": True, "shown": "none"}
