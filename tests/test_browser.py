"""The maps as a reader's browser sees them: headless Chromium runs the self-contained
HTML with no network, and the tests read the DOM it leaves (``--dump-dom``).

Skipped without Chromium, unless GEOMAP_REQUIRE_BROWSER=1 (CI), which makes that a failure.
"""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from geomap.maps.chromium import run_chromium
from geomap.maps.export import export, render_document
from geomap.maps.render import make_map
from geomap.maps.symbols import presentation
from geomap.model import Article, Place

pytestmark = pytest.mark.usefixtures("chromium")


class Dom(HTMLParser):
    """Elements of a dumped DOM as (tag, attributes, ancestors as "<tag> classes #id")
    and text with its ancestors, for simple queries."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "source", "area", "base", "col", "embed", "wbr"})

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self.text: list[tuple[str, list[str]]] = []
        self._stack: list[tuple[str, str]] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        ancestry = [c for _, c in self._stack]
        self.elements.append((tag, attributes, ancestry))
        if tag not in self.VOID:
            self._stack.append((tag, f"<{tag}> {attributes.get('class', '')} #{attributes.get('id', '')}"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}, [c for _, c in self._stack]))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data: str) -> None:
        self.text.append((data, [c for _, c in self._stack]))

    def find(self, tag: str | None = None, cls: str | None = None, within: str | None = None) -> list[dict[str, str]]:
        return [
            attrs for t, attrs, ancestry in self.elements
            if (tag is None or t == tag) and (cls is None or cls in attrs.get("class", "").split())
            and (within is None or any(within in a for a in ancestry))
        ]  # fmt: skip


def dom_of(page: str, script: str = "") -> Dom:
    if script:
        page = page.replace("</html>", f"<script>{script}</script></html>")
    out, _ = run_chromium(page, "--dump-dom", "--virtual-time-budget=5000", "--window-size=1000,700")
    return Dom(out)


def test_self_contained_map_initialises_with_one_focusable_element_per_place(
    render_scene: tuple[Article, list[Place]],
) -> None:
    article, places = render_scene
    page = render_document(make_map(places, article=article, tiles=None), places, "html")
    dom = dom_of(page)
    (container,) = dom.find("div", "folium-map")
    assert "leaflet-container" in container["class"].split() and container["role"] == "region"
    markers = dom.find("div", "geomap-marker")
    rivers = [p for p in dom.find("path", "geomap-river") if p.get("role") == "button"]
    assert len(markers) + len(rivers) == len(places) and len(rivers) == 1
    named = sorted([m["title"].split(" (")[0] for m in markers] + [r["aria-label"].split(" (")[0] for r in rivers])
    assert named == sorted(p.name for p in places)
    assert all(e["tabindex"] == "0" and e["role"] == "button" for e in markers + rivers)
    # Towns are symbols with a label; countries and parts of the town are their names, with no
    # symbol (the focusable element is an empty box the placer puts over the name); rivers are
    # named once, along the line.
    assert {m["title"] for m in dom.find("div", "geomap-name-country")} == {"Iraq (country)", "Syria (country)"}
    assert not dom.find("svg", within="geomap-name-country")
    how = {label["data-label-id"]: label["data-label-how"] for label in dom.find("div", "geomap-lbl")}
    assert sorted(how.values()) == ["area", "area", "line", "near", "near", "withheld", "withheld", "withheld"]
    assert {how[p.id] for p in places if p.kind == "district"} == {"withheld"}  # named in the detail inset
    assert [t for t, ancestry in dom.text if t == "Tigris" and any("geomap-lbl-line" in a for a in ancestry)]
    assert len(dom.find("path", "geomap-area-district")) == 3
    assert len(dom.find("svg", "geomap-locator", within="geomap-inset")) == 1
    assert dom.find("path", "geomap-bm-land") and dom.find("div", "geomap-bm-label")  # the offline basemap
    assert len(dom.find("div", "geomap-legend")) == 1
    # Mosul's parts are too small at the story's frame: a detail inset shows them, with the Tigris,
    # a box marks the town, and the parts' own names on the map wait until they can be read.
    (inset,) = dom.find("div", "geomap-detail")
    assert "display: none" not in inset.get("style", "") and inset["aria-label"].startswith("Detail of Mosul")
    in_inset = [t.strip() for t, ancestry in dom.text if any("geomap-detail-map" in a for a in ancestry) and t.strip()]
    assert {"East Mosul", "West Mosul", "Old City of Mosul", "Tigris"} <= set(in_inset)
    assert len(dom.find("path", "geomap-detail-box")) == 1
    parts = [m for m in dom.find("div", "geomap-marker") if "geomap-name-district" in m["class"].split()]
    assert len(parts) == 3 and all("display: none" in m.get("style", "") for m in parts)


def test_a_name_on_the_map_is_as_big_as_its_marker(render_scene: tuple[Article, list[Place]]) -> None:
    """What measures markers (the basemap's names) and takes the focus must be where an area's
    name is drawn: the label placer moves the area's marker onto its label, and the two boxes
    share their centre and most of their area."""
    article, places = render_scene
    page = render_document(make_map(places, article=article, tiles=None), places, "html")
    script = """setTimeout(function () {
        document.body.dataset.fit = JSON.stringify(Array.prototype.map.call(
            document.querySelectorAll(".geomap-marker.geomap-name-country"), function (marker) {
                var a = marker.getBoundingClientRect();
                return Array.prototype.map.call(document.querySelectorAll(".geomap-lbl-area"), function (label) {
                    var b = label.getBoundingClientRect();
                    var w = Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left));
                    var h = Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
                    return [Math.abs((a.left + a.right) - (b.left + b.right)) / 2,
                            Math.abs((a.top + a.bottom) - (b.top + b.bottom)) / 2,
                            w * h / Math.max(a.width * a.height, b.width * b.height, 1)];
                }).sort(function (x, y) { return y[2] - x[2]; })[0];
            }));
    }, 400);"""
    fits = json.loads(dom_of(page, script).find("body")[0]["data-fit"])
    assert len(fits) == 2  # Iraq and Syria
    assert all(dx <= 1 and dy <= 1 and shared > 0.6 for dx, dy, shared in fits), fits


#: Zoom the page's map onto Mosul, where its parts can be read on the map itself (run after
#: Leaflet's 250 ms opening zoom animation, which would otherwise end on its own target).
ZOOM_TO_MOSUL = """
var map = document.querySelector(".folium-map").geomap;
map.setView([36.34, 43.13], 12, {animate: false});
"""


def test_zoomed_in_the_parts_are_on_the_map_and_the_inset_goes(render_scene: tuple[Article, list[Place]]) -> None:
    article, places = render_scene
    page = render_document(make_map(places, article=article, tiles=None), places, "html")
    dom = dom_of(page, f"setTimeout(function () {{ {ZOOM_TO_MOSUL} }}, 400);")
    (inset,) = dom.find("div", "geomap-detail")
    assert "display: none" in inset.get("style", "")
    assert not dom.find("path", "geomap-detail-box")
    parts = [m for m in dom.find("div", "geomap-marker") if "geomap-name-district" in m["class"].split()]
    assert len(parts) == 3 and not any("display: none" in m.get("style", "") for m in parts)
    # Their names are on the map now, each on its part.
    names = [label for label in dom.find("div", "geomap-lbl") if "geomap-lbl-district" in label["class"].split()]
    assert len(names) == 3 and {label["data-label-how"] for label in names} == {"area"}


def test_a_popup_opens_from_the_keyboard_and_takes_the_focus(render_scene: tuple[Article, list[Place]]) -> None:
    article, places = render_scene
    page = render_document(make_map(places, article=article, tiles=None), places, "html")
    script = (
        """
    setTimeout(function () {"""
        + ZOOM_TO_MOSUL
        + """}, 400);
    setTimeout(function () {
        var icon = document.querySelector('.geomap-marker[title^="Old City of Mosul"]');
        icon.focus();
        icon.dispatchEvent(new KeyboardEvent("keypress", {key: "Enter", code: "Enter", keyCode: 13, bubbles: true}));
        setTimeout(function () {
            var popup = document.activeElement;
            document.body.dataset.focused = popup.className;
            document.body.dataset.quoted = popup.textContent;
            popup.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", bubbles: true}));
            setTimeout(function () {
                var active = document.activeElement;
                document.body.dataset.after = active.getAttribute("title") || active.tagName + "." + active.className;
                document.body.dataset.open = document.querySelectorAll(".leaflet-popup").length;
            }, 400);
        }, 50);
    }, 600);
    """
    )
    dom = dom_of(page, script)
    body = dom.find("body")[0]
    assert body["data-focused"] == "geomap-popup"
    assert "<script>alert('x')</script>" in body["data-quoted"]  # shown as text, never run
    assert body["data-after"] == "Old City of Mosul (part of a city)" and body["data-open"] == "0"


def test_a_river_opens_its_popup_from_the_keyboard(render_scene: tuple[Article, list[Place]]) -> None:
    article, places = render_scene
    page = render_document(make_map(places, article=article, tiles=None), places, "html")
    script = """
    setTimeout(function () {
        var line = document.querySelector('path.geomap-river[role="button"]');
        line.focus();
        line.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true}));
        setTimeout(function () {
            document.body.dataset.focused = document.activeElement.className;
            document.body.dataset.heading = document.querySelector(".leaflet-popup h3").textContent;
        }, 50);
    }, 100);
    """
    body = dom_of(page, script).find("body")[0]
    assert body["data-focused"] == "geomap-popup" and body["data-heading"] == "Tigris"


def test_popup_marks_the_mention(render_scene: tuple[Article, list[Place]]) -> None:
    article, places = render_scene
    page = render_document(make_map(places, article=article, tiles=None), places, "html")
    script = """setTimeout(function () {
        document.querySelector('.geomap-marker[title^="Old City of Mosul"]').click(); }, 100);"""
    dom = dom_of(page, script)
    popup = dom.find("section", "geomap-popup", within="leaflet-popup")
    assert len(popup) == 1 and popup[0]["role"] == "dialog"
    marked = [
        t
        for t, ancestry in dom.text
        if ancestry and ancestry[-1].startswith("<mark>") and any("geomap-popup" in a for a in ancestry)
    ]
    assert marked == ["Mosul's Old City"]
    assert not dom.find("script", within="geomap-popup")


def test_in_a_fragment_480_px_high_the_panels_give_way_instead_of_overlapping(
    mosul_shaped: tuple[Article, list[Place]],
) -> None:
    article, places = mosul_shaped
    fragment = render_document(make_map(places, article=article, tiles=None), places, "fragment")
    page = f"<!DOCTYPE html><html><head><title>Report</title></head><body>{fragment}</body></html>"
    script = """setTimeout(function () {
        var panels = Array.prototype.filter.call(document.querySelectorAll(".leaflet-control"), function (c) {
            return !c.parentElement.closest(".leaflet-control");  // not the inset's own scale bar
        });
        var boxes = panels.map(function (c) {
            var r = c.getBoundingClientRect();
            return r.width && r.height ? [r.left, r.top, r.right, r.bottom] : null;
        }).filter(Boolean);
        var clashes = 0;
        boxes.forEach(function (a, i) { boxes.slice(i + 1).forEach(function (b) {
            if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) { clashes += 1; }
        }); });
        document.body.dataset.clashes = clashes;
        document.body.dataset.compact = document.querySelector(".folium-map").className;
    }, 500);"""
    body = dom_of(page, script).find("body")[0]
    assert body["data-clashes"] == "0"
    assert "geomap-compact-1" in body["data-compact"]  # the locator of the places off the map gave way
    assert dom_of(page).find("div", "geomap-detail")  # the detail inset stays
    # With room enough, nothing gives way (the inset's own corners are not the map's).
    tall = page.replace("height:480px", "height:900px").replace("</html>", f"<script>{script}</script></html>")
    out, _ = run_chromium(tall, "--dump-dom", "--virtual-time-budget=5000", "--window-size=1200,1200")
    body = Dom(out).find("body")[0]
    assert body["data-clashes"] == "0" and "geomap-compact" not in body["data-compact"]


def test_two_fragments_in_one_page_both_work(render_scene: tuple[Article, list[Place]]) -> None:
    article, places = render_scene
    first = render_document(make_map(places, article=article, tiles=None), places, "fragment")
    second_places = [p for p in places if p.kind in ("country", "city")]
    second = render_document(make_map(second_places, tiles=None), second_places, "fragment")
    report = (
        "<!DOCTYPE html><html><head><title>Report</title></head>"
        f"<body><h1>Report</h1>{first}<p>Text</p>{second}</body></html>"
    )
    dom = dom_of(report)
    containers = dom.find("div", "folium-map")
    assert len(containers) == 2 and containers[0]["id"] != containers[1]["id"]
    assert all("leaflet-container" in c["class"].split() for c in containers)
    for container, expected in zip(containers, (places, second_places), strict=True):
        markers = dom.find("div", "geomap-marker", within="#" + container["id"])
        assert len(markers) == sum(presentation(p) != "line" for p in expected)


def test_png_has_the_requested_size_and_is_not_blank(render_scene: tuple[Article, list[Place]], tmp_path: Path) -> None:
    from PIL import Image

    article, places = render_scene
    path = export(places, tmp_path / "map.png", article=article, tiles=None, width=900, height=600)
    image = Image.open(io.BytesIO(path.read_bytes())).convert("RGB")
    assert image.size == (900, 600)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50
    background = max(colours)[0] / (900 * 600)
    assert background < 0.9  # shapes, markers and panels cover a real part of the picture


def test_png_size_from_the_command_line(tmp_path: Path) -> None:
    from PIL import Image

    from geomap.cli import main

    mosul = Path(__file__).resolve().parent.parent / "data" / "articles" / "mosul.txt"
    output = tmp_path / "figure.png"
    assert main(["map", str(mosul), "--size", "640x400", "--tiles", "none", "-o", str(output)]) == 0
    assert Image.open(output).size == (640, 400)


def test_mosul_article_in_the_browser(mosul_shaped: tuple[Article, list[Place]], tmp_path: Path) -> None:
    article, places = mosul_shaped
    page = export(places, tmp_path / "mosul.html", article=article, tiles=None).read_text()
    dom = dom_of(page)
    assert "leaflet-container" in dom.find("div", "folium-map")[0]["class"].split()
    far = {"United States", "Afghanistan", "Philippines", "Africa"}
    titles = {m["title"].split(" (")[0] for m in dom.find("div", "geomap-marker")}
    assert titles == {p.name for p in places if presentation(p) != "line"} - far
    assert len(dom.find("path", "geomap-river")) == 1  # the Tigris
    # The places off the frame are listed, with where they are, and open on what the article says.
    listed = [t.strip() for t, ancestry in dom.text if any("geomap-also-name" in a for a in ancestry)]
    assert listed == ["United States", "Afghanistan", "Africa", "Philippines"]  # most mentioned first
    where = [t for t, ancestry in dom.text if any("geomap-also-where" in a for a in ancestry)]
    us = next(p for p in places if p.name == "United States")
    assert where[0] == f"10,700 km north\u2011west · {len(us.mentions)} mentions"
    assert len(dom.find("details", within="geomap-also")) == 4 and dom.find("blockquote", within="geomap-also")
    # A locator of the world with the frame and a numbered dot for each of them.
    (locator,) = dom.find("svg", "geomap-locator", within="geomap-also")
    assert locator["aria-label"].endswith("1 United States, 2 Afghanistan, 3 Africa, 4 Philippines")
    dots = [t for t, ancestry in dom.text if any("geomap-locator" in a for a in ancestry)]
    assert dots == ["1", "2", "3", "4"]
    # The legend names only what is drawn in the frame: no continent.
    legend = [t.strip() for t, ancestry in dom.text if any("geomap-legend" in a for a in ancestry) and t.strip()]
    assert legend == ["Legend", "Country", "City", "Part of a city", "River", "Estimated area"]
    assert len(dom.find("path", "geomap-area-district")) == sum(p.kind == "district" for p in places)
    # East, west, the Old City and the Tigris are readable in the detail inset.
    in_inset = [t.strip() for t, ancestry in dom.text if any("geomap-detail-map" in a for a in ancestry) and t.strip()]
    assert {"East Mosul", "West Mosul", "Old City of Mosul", "Tigris"} <= set(in_inset)
