"""The label placer (geomap/maps/static/labels.js) in real Chromium, on crowded maps of
real places: the tests read the boxes the browser laid out, not the placer's own claims.

Each page is self-contained (Leaflet inlined from folium-offline, no network): markers,
outlines and the Indus or the Tigris drawn from the shipped gazetteer, a title panel,
a legend, an inset and the zoom buttons as the obstacles a real map has.

Skipped without Chromium, unless GEOMAP_REQUIRE_BROWSER=1 (CI), which makes that a failure.
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest

from geomap.maps.assets import static_text
from geomap.maps.chromium import run_chromium
from geomap.model import Article, Place

pytestmark = pytest.mark.usefixtures("chromium")

#: A flood story in Pakistan: (name, kind in the gazetteer, country, mentions).
PAKISTAN = [
    ("Pakistan", "country", "PK", 9), ("Sindh", "region", "PK", 6), ("Lahore", "city", "PK", 6),
    ("Karachi", "city", "PK", 5), ("Sukkur", "city", "PK", 4), ("Islamabad", "city", "PK", 4),
    ("Indus", "river", None, 4), ("Peshawar", "city", "PK", 3), ("Hyderabad", "city", "PK", 3),
    ("Punjab", "region", "PK", 3), ("Khyber Pakhtunkhwa", "region", "PK", 2), ("Balochistan", "region", "PK", 2),
    ("Rawalpindi", "city", "PK", 2), ("Multan", "city", "PK", 2), ("Quetta", "city", "PK", 2),
    ("Nowshera", "city", "PK", 2), ("Jacobabad", "city", "PK", 2), ("Dadu", "city", "PK", 2),
    ("India", "country", "IN", 2), ("Afghanistan", "country", "AF", 1), ("Faisalabad", "city", "PK", 1),
    ("Charsadda", "city", "PK", 1), ("Dera Ismail Khan", "city", "PK", 1), ("Larkana", "city", "PK", 1),
]  # fmt: skip

#: The Mosul story: the city, its three parts (markers a few kilometres apart), the Tigris.
MOSUL = [
    ("Mosul", "city", "IQ", 8), ("Iraq", "country", "IQ", 4), ("Raqqa", "city", "SY", 3),
    ("Tigris", "river", None, 2), ("Syria", "country", "SY", 2), ("Erbil", "city", "IQ", 2),
    ("Tal Afar", "city", "IQ", 1), ("Qayyarah", "city", "IQ", 1), ("Kirkuk", "city", "IQ", 1),
    ("Baghdad", "city", "IQ", 1), ("Nineveh", "region", "IQ", 1), ("Turkey", "country", "TR", 1),
]  # fmt: skip
#: Mosul's parts: (name, offset from the city's point in degrees (lat, lon), mentions).
MOSUL_PARTS = [
    ("East Mosul", (0.0, 0.05), 2),
    ("West Mosul", (0.0, -0.05), 2),
    ("Old City of Mosul", (0.005, -0.01), 1),
]


@dataclass
class Scene:
    """One map: the placer's items, what is drawn under them, the frame to fit."""

    title: str
    items: list[dict[str, Any]] = field(default_factory=list)
    markers: list[dict[str, Any]] = field(default_factory=list)
    shapes: list[dict[str, Any]] = field(default_factory=list)
    bounds: list[list[float]] = field(default_factory=list)


Row = tuple[str, str, str | None, int]
Point = tuple[str, tuple[float, float], int]


def scene(title: str, rows: Sequence[Row], extra_points: Sequence[Point] = ()) -> Scene:
    """Items for ``rows`` from the shipped gazetteer, framed on the towns as the renderer
    frames a story: areas get their simplified outline and the pole of inaccessibility of
    the part in view, rivers the stretch in view, towns a marker."""
    from shapely.geometry import box, mapping, shape
    from shapely.ops import polylabel

    from geomap.gazetteer import Gazetteer

    gazetteer = Gazetteer()
    out = Scene(title)
    records = []
    for name, kind, country, mentions in rows:
        record = next(c for c in gazetteer.candidates(name) if c.kind == kind and c.country_code == country)
        records.append((record, mentions))
    towns = [(r.lat, r.lon) for r, _ in records if r.kind == "city"] + [p for _, p, _ in extra_points]
    south, north = min(t[0] for t in towns), max(t[0] for t in towns)
    west, east = min(t[1] for t in towns), max(t[1] for t in towns)
    out.bounds = [[south, west], [north, east]]
    pad_lat, pad_lon = (north - south) * 0.35, (east - west) * 0.35
    view = box(west - pad_lon, south - pad_lat, east + pad_lon, north + pad_lat)
    for (record, mentions), (name, *_) in zip(records, rows, strict=True):
        item: dict[str, Any] = {"id": record.id, "text": name, "priority": mentions}  # the article's form
        geometry = gazetteer.geometry(record.id)
        if record.kind == "city":
            item.update(kind="point", latlng=[record.lat, record.lon], size=[16, 16])
            out.markers.append({"latlng": [record.lat, record.lon], "kind": "city", "title": record.name})
        elif record.kind == "river":
            assert geometry is not None
            stretches = shape(geometry).intersection(view)
            longest = max(getattr(stretches, "geoms", [stretches]), key=lambda g: g.length)
            coords = longest.simplify(0.001 * (north - south + east - west)).coords
            item.update(kind="line", line=[[round(lat, 4), round(lon, 4)] for lon, lat in coords])
            out.shapes.append({"kind": "river", "geometry": geometry})
        else:
            item.update(kind="area", className="geomap-lbl-" + record.kind, latlng=[record.lat, record.lon])
            if geometry is not None:
                part = shape(geometry).intersection(view).simplify(0.01 * (north - south + east - west))
                if part.is_empty:
                    continue
                polygons = getattr(part, "geoms", [part])
                item["rings"] = [
                    [[round(lat, 4), round(lon, 4)] for lon, lat in ring.coords]
                    for polygon in polygons
                    if polygon.geom_type == "Polygon"
                    for ring in (polygon.exterior, *polygon.interiors)
                ]
                best = max((g for g in polygons if g.geom_type == "Polygon"), key=lambda g: g.area)
                anchor = polylabel(best, tolerance=0.01)
                item["latlng"] = [round(anchor.y, 4), round(anchor.x, 4)]
                drawn = shape(geometry).simplify(0.005 * (north - south + east - west))
                out.shapes.append({"kind": record.kind, "geometry": mapping(drawn)})
        out.items.append(item)
    for name, (lat, lon), mentions in extra_points:
        out.items.append({"id": name, "text": name, "kind": "point", "latlng": [lat, lon], "size": [16, 16],
                          "priority": mentions})  # fmt: skip
        out.markers.append({"latlng": [lat, lon], "kind": "district", "title": name})
    return out


@functools.cache
def pakistan() -> Scene:
    return scene("Floods sweep Pakistan", PAKISTAN)


@functools.cache
def mosul() -> Scene:
    from geomap.gazetteer import Gazetteer

    city = next(c for c in Gazetteer().candidates("Mosul") if c.kind == "city")
    parts = [(name, (city.lat + d[0], city.lon + d[1]), n) for name, d, n in MOSUL_PARTS]
    return scene("Mosul retaken", MOSUL, parts)


_STYLE = """
body{margin:0}
.map{position:relative}
.panel{background:rgba(255,255,255,.92);padding:6px 10px;border-radius:4px;font:13px/1.4 system-ui,sans-serif}
.panel b{font-size:16px}
.inset{width:120px;height:120px;background:#dde6ee;border:1px solid #888}
.test-marker{background:none;border:0}
"""

#: One map: Leaflet, the scene's drawing, the panels, then the placer; ``{id}`` names it.
_MAP_SCRIPT = """
(function () {
    var scene = %(scene)s, map = L.map("%(id)s", {zoomControl: false, attributionControl: true});
    function panel(position, className, build) {
        var control = L.control({position: position});
        control.onAdd = function () { var div = L.DomUtil.create("div", className); build(div); return div; };
        control.addTo(map);
    }
    panel("topleft", "panel", function (div) {
        var b = document.createElement("b"); b.textContent = scene.title; div.appendChild(b);
        div.appendChild(document.createElement("br"));
        div.appendChild(document.createTextNode("Source: a news desk, 2022-08-30"));
    });
    L.control.zoom({position: "topleft"}).addTo(map);
    L.control.scale({position: "bottomleft", imperial: false}).addTo(map);
    panel("bottomleft", "panel", function (div) { div.textContent = "Legend: city, part of a city, region"; });
    panel("bottomright", "inset", function () {});
    var colours = {country: "#E69F00", region: "#009E73", river: "#0072B2"};
    scene.shapes.forEach(function (s) {
        L.geoJSON(s.geometry, {interactive: false, style: s.kind === "river"
            ? {color: colours.river, weight: 3.5, opacity: 0.9, className: "test-river"}
            : {color: "#888", weight: 1, fillColor: colours[s.kind], fillOpacity: 0.08}}).addTo(map);
    });
    var glyph = {city: '<circle cx="11" cy="11" r="7"/>', district: '<path d="M11 3 19 18H3z"/>'};
    var fill = {city: "#D55E00", district: "#CC79A7"};
    scene.markers.forEach(function (m) {
        L.marker(m.latlng, {title: m.title, icon: L.divIcon({className: "test-marker", iconSize: [22, 22],
            iconAnchor: [11, 11], html: '<svg width="22" height="22" viewBox="0 0 22 22" fill="' + fill[m.kind] +
            '" stroke="#222" stroke-width="1.5">' + glyph[m.kind] + "</svg>"})}).addTo(map);
    });
    map.fitBounds(scene.bounds, {paddingTopLeft: [60, 90], paddingBottomRight: [150, 50]});
    geomapMaps.push(map);
    GeomapLabels.attach(map, scene.items);
})();
"""

#: After the placer has run (and optionally a zoom), the layout as the browser drew it; what
#: is a map, a marker's symbol and a river's line is told by ``geomapSelectors`` (the test
#: pages' by default, :data:`REAL` for geomap's maps).
_COLLECT = """
function geomapCollect() {
    var S = window.geomapSelectors || {map: ".map", marker: ".test-marker svg > *", river: "path.test-river"};
    function rect(r) { return [r.left, r.top, r.right, r.bottom]; }
    var maps = Array.prototype.map.call(document.querySelectorAll(S.map), function (container) {
        var labels = Array.prototype.map.call(container.querySelectorAll(".geomap-lbl"), function (el) {
            // Corners of the label's box as drawn: a rotation about its centre keeps the centre.
            var r = el.getBoundingClientRect(), m = new DOMMatrix(getComputedStyle(el).transform);
            var cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2, w = el.offsetWidth / 2, h = el.offsetHeight / 2;
            var quad = [[-w, -h], [w, -h], [w, h], [-w, h]].map(function (p) {
                return [cx + m.a * p[0] + m.c * p[1], cy + m.b * p[0] + m.d * p[1]];
            });
            var style = getComputedStyle(el);
            return {id: el.getAttribute("data-label-id"), text: el.textContent, how: el.getAttribute("data-label-how"),
                    fit: el.getAttribute("data-label-fit"), visible: style.display !== "none" &&
                    style.visibility !== "hidden", font: style.fontSize, box: rect(r), quad: quad,
                    elements: el.children.length};
        });
        return {
            frame: rect(container.getBoundingClientRect()),
            summary: container.getAttribute("data-geomap-labels"),
            labels: labels,
            markers: Array.prototype.map.call(container.querySelectorAll(S.marker), function (s) {
                return rect(s.getBoundingClientRect());
            }),
            panels: Array.prototype.map.call(container.querySelectorAll(".leaflet-control"), function (p) {
                return rect(p.getBoundingClientRect());
            }),
            leaders: Array.prototype.map.call(container.querySelectorAll(".geomap-lbl-leader"), function (l) {
                // A 1 px line rotated about its first end, which sits at (left, top) in its pane.
                var o = l.parentNode.getBoundingClientRect(), m = new DOMMatrix(getComputedStyle(l).transform);
                var x = o.left + parseFloat(l.style.left), y = o.top + parseFloat(l.style.top), w = l.offsetWidth;
                return {id: l.getAttribute("data-label-id"), length: w,
                        quad: [[0, 0], [w, 0], [w, 1], [0, 1]].map(function (p) {
                            return [x + m.a * p[0] + m.c * p[1], y + m.b * p[0] + m.d * p[1]];
                        })};
            }),
            // The offline basemap's names as shown, and the empty boxes that take an area name's focus.
            basemap: Array.prototype.concat.apply([], Array.prototype.filter.call(
                container.querySelectorAll(".geomap-bm-label"), function (l) {
                    return getComputedStyle(l).visibility !== "hidden";
                }).map(function (l) {
                    return Array.prototype.map.call(l.querySelectorAll("span"), function (s) {
                        return rect(s.getBoundingClientRect());
                    });
                })),
            names: Array.prototype.map.call(container.querySelectorAll(".geomap-marker.geomap-name"), function (n) {
                return {title: n.getAttribute("title"), box: rect(n.getBoundingClientRect()),
                        shown: getComputedStyle(n).display !== "none"};
            }),
            rivers: Array.prototype.map.call(container.querySelectorAll(S.river), function (path) {
                var points = [], ctm = path.getScreenCTM(), total = path.getTotalLength();
                for (var at = 0; at <= total; at += 2) {
                    var p = path.getPointAtLength(at);
                    points.push([ctm.a * p.x + ctm.c * p.y + ctm.e, ctm.b * p.x + ctm.d * p.y + ctm.f]);
                }
                return points;
            })
        };
    });
    document.body.setAttribute("data-layout", JSON.stringify(maps));
}
"""


def page(scenes: list[Scene], *, size: tuple[int, int] = (1200, 720), copies: int = 1, after: str = "") -> str:
    """A self-contained page with one map of ``size`` pixels per scene (stacked), labels.js
    included ``copies`` times; ``after`` runs once the maps are drawn (``geomapMaps``
    holds them), by default taking the layout."""
    import folium
    from offlinefolium.elements import _res

    leaflet_js = _res[next(url for name, url in folium.Map.default_js if name == "leaflet")]
    leaflet_css = _res[next(url for name, url in folium.Map.default_css if name == "leaflet_css")]
    labels = static_text("labels.js")
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{leaflet_css}{_STYLE}</style>",
             f"<script>{leaflet_js}</script></head><body><script>var geomapMaps = [];</script>",
             f"<script>{labels}</script>" * copies]  # fmt: skip
    for n, s in enumerate(scenes):
        map_id = f"map{n}"
        data = json.dumps({"title": s.title, "items": s.items, "markers": s.markers, "shapes": s.shapes,
                           "bounds": s.bounds}).replace("</", "<\\/")  # fmt: skip
        parts.append(f'<div class="map" id="{map_id}" style="width:{size[0]}px;height:{size[1]}px"></div>')
        parts.append(f"<script>{_MAP_SCRIPT % {'scene': data, 'id': map_id}}</script>")
    parts.append(f"<script>{_COLLECT}\nsetTimeout(function () {{ {after or 'geomapCollect();'} }}, 300);</script>")
    parts.append("</body></html>")
    return "".join(parts)


def layout(page_html: str, window: tuple[int, int] = (1600, 1000)) -> list[dict[str, Any]]:
    """The layout of each map of ``page_html`` as headless Chromium drew it in a ``window``."""
    out, _ = run_chromium(
        page_html, "--dump-dom", "--virtual-time-budget=5000", f"--window-size={window[0]},{window[1]}"
    )
    found = re.search(r'<body[^>]*\sdata-layout="([^"]*)"', out)
    assert found, "the page did not report its layout"
    maps: list[dict[str, Any]] = json.loads(html.unescape(found.group(1)))
    return maps


def overlaps(a: list[float], b: list[float], tolerance: float = 0.5) -> bool:
    """Whether two boxes [left, top, right, bottom] share more than ``tolerance`` pixels."""
    return a[0] < b[2] - tolerance and b[0] < a[2] - tolerance and a[1] < b[3] - tolerance and b[1] < a[3] - tolerance


def quads_overlap(p: list[list[float]], q: list[list[float]], tolerance: float = 0.5) -> bool:
    """Separating-axis test of two convex quadrilaterals (labels may be rotated along a river)."""
    for poly in (p, q):
        for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1], strict=True):
            nx, ny = y1 - y2, x2 - x1
            length = math.hypot(nx, ny) or 1.0
            a = [(x * nx + y * ny) / length for x, y in p]
            b = [(x * nx + y * ny) / length for x, y in q]
            if max(a) <= min(b) + tolerance or max(b) <= min(a) + tolerance:
                return False
    return True


def distance_to_quad(point: list[float], quad: list[list[float]]) -> float:
    """0 inside the convex quadrilateral, else the distance to its nearest edge."""
    x, y = point
    sides = [(x2 - x1) * (y - y1) - (y2 - y1) * (x - x1) for (x1, y1), (x2, y2) in zip(quad, quad[1:] + quad[:1])]
    if all(d >= 0 for d in sides) or all(d <= 0 for d in sides):
        return 0.0
    best = math.inf
    for (x1, y1), (x2, y2) in zip(quad, quad[1:] + quad[:1], strict=True):
        dx, dy = x2 - x1, y2 - y1
        t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy or 1.0)))
        best = min(best, math.hypot(x1 + t * dx - x, y1 + t * dy - y))
    return best


def gap(p: list[list[float]], q: list[list[float]]) -> float:
    """Distance between two convex quadrilaterals, 0 when they overlap: for convex shapes,
    that of a corner of one to the other."""
    if quads_overlap(p, q, tolerance=0):
        return 0.0
    return min(min(distance_to_quad(c, q) for c in p), min(distance_to_quad(c, p) for c in q))


def centre(b: list[float]) -> list[float]:
    return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]


def corners(b: list[float]) -> list[list[float]]:
    return [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]]


def inside(a: list[float], frame: list[float]) -> bool:
    return a[0] >= frame[0] - 0.5 and a[1] >= frame[1] - 0.5 and a[2] <= frame[2] + 0.5 and a[3] <= frame[3] + 0.5


def check_layout(drawn: dict[str, Any], scene: Scene) -> None:
    """No two labels overlap, none is over a marker symbol or a panel or off the map, and
    every place whose marker (or area, or river) is in the frame, not under a panel, has a
    visible label."""
    frame = drawn["frame"]
    labels = {label["id"]: label for label in drawn["labels"]}
    visible = [label for label in drawn["labels"] if label["visible"]]
    for label in drawn["labels"]:
        assert label["how"] in ("near", "leader", "line", "area", "hidden", "off-frame", "withheld"), label
        assert label["how"] != "hidden", f"{label['text']} is in the frame but has no room for its label"
        assert label["visible"] == (label["how"] not in ("off-frame", "withheld")), label
        assert label["elements"] == 0  # text, never markup
    for i, a in enumerate(visible):
        for b in visible[i + 1 :]:
            assert not quads_overlap(a["quad"], b["quad"]), f"labels {a['text']!r} and {b['text']!r} overlap"
        assert inside(a["box"], frame), f"label {a['text']!r} leaves the map: {a['box']} not in {frame}"
        for marker in drawn["markers"]:
            assert not quads_overlap(a["quad"], corners(marker)), f"label {a['text']!r} covers a marker at {marker}"
        for panel in drawn["panels"]:
            assert not quads_overlap(a["quad"], corners(panel)), f"label {a['text']!r} covers a panel at {panel}"
    for marker, item in zip(drawn["markers"], [i for i in scene.items if i["kind"] == "point"], strict=True):
        x, y = centre(marker)
        in_frame = frame[0] <= x <= frame[2] and frame[1] <= y <= frame[3]
        shown = [panel for panel in drawn["panels"] if panel[2] > panel[0] and panel[3] > panel[1]]
        in_frame = in_frame and not any(distance_to_quad([x, y], corners(panel)) == 0 for panel in shown)
        label = labels[item["id"]]
        if in_frame:
            assert label["how"] in ("near", "leader"), f"{item['text']} is in the frame but labelled {label['how']}"
            box = label["box"]
            gap = max(box[0] - marker[2], marker[0] - box[2], box[1] - marker[3], marker[1] - box[3])
            assert gap <= 70, f"the label of {item['text']} is {gap:.0f} px from its marker"
        else:
            assert label["how"] == "off-frame", f"{item['text']} is out of sight ({marker}) but labelled {label['how']}"
    points = {
        item["id"]: marker
        for marker, item in zip(drawn["markers"], [i for i in scene.items if i["kind"] == "point"], strict=True)
    }
    for leader in drawn["leaders"]:
        label = labels[leader["id"]]
        assert leader["length"] <= 70 and label["how"] == "leader"
        for other in visible:
            assert not quads_overlap(leader["quad"], other["quad"]), f"a leader line crosses {other['text']!r}"
        own = points[leader["id"]]
        stacked = [m for m in drawn["markers"] if overlaps(m, own, tolerance=0)]  # it starts among them
        for box in [m for m in drawn["markers"] if m not in stacked] + drawn["panels"]:
            assert not quads_overlap(leader["quad"], corners(box)), f"the leader of {label['text']!r} crosses {box}"
        ends = [leader["quad"][0], leader["quad"][1]]
        assert min(distance_to_quad(end, corners(own)) for end in ends) <= 6
        assert min(distance_to_quad(end, label["quad"]) for end in ends) <= 4
    lines = [label for label in visible if label["how"] == "line"]
    assert len(lines) == len(drawn["rivers"])  # one label per river in view
    for label, river in zip(lines, drawn["rivers"], strict=True):
        near = min(distance_to_quad(p, label["quad"]) for p in river)
        assert 1.7 <= near <= 8, f"{label['text']} is {near:.1f} px from its river's centre line"


def check_reading(drawn: dict[str, Any], scene: Scene) -> None:
    """What a reader needs beyond no overlaps, where the map leaves room for it: each
    label nearer its own symbol than any other, area names clear of other labels."""
    labels = {label["id"]: label for label in drawn["labels"]}
    points = [item for item in scene.items if item["kind"] == "point"]
    for item, marker in zip(points, drawn["markers"], strict=True):
        box = corners(labels[item["id"]]["box"])
        own = distance_to_quad(centre(marker), box)
        assert all(distance_to_quad(centre(other), box) >= own - 1 for other in drawn["markers"]), item["text"]
    for area in (label for label in drawn["labels"] if label["how"] == "area"):
        for other in drawn["labels"]:
            if other["how"] in ("near", "leader", "line"):
                assert gap(area["quad"], other["quad"]) >= 4, (area["text"], other["text"])


def test_a_crowded_flood_story_labels_every_place_without_overlap() -> None:
    s = pakistan()
    (drawn,) = layout(page([s]))
    check_layout(drawn, s)
    labels = {label["text"]: label for label in drawn["labels"]}
    assert all(labels[name]["how"] == "area" for name in ("Pakistan", "India", "Afghanistan", "Sindh", "Punjab"))
    assert labels["Indus"]["how"] == "line"
    assert [label["text"] for label in drawn["labels"] if label["text"] == "Indus"] == ["Indus"]
    near = sum(label["how"] == "near" for label in drawn["labels"])
    assert near >= 0.7 * sum(item["kind"] == "point" for item in s.items)  # leader lines are the exception
    assert all(label["fit"] == "full" and label["font"] == "12px" for label in drawn["labels"] if label["visible"])
    assert labels["Khyber\nPakhtunkhwa"]["how"] == "area"  # a long region name on two lines
    check_reading(drawn, s)


def test_a_small_figure_still_labels_every_place() -> None:
    s = pakistan()
    (drawn,) = layout(page([s], size=(800, 420)))
    check_layout(drawn, s)
    assert all(label["fit"] == "full" for label in drawn["labels"] if label["visible"])  # none had to be shrunk


@pytest.mark.parametrize("size", [(1200, 720), (800, 420)])
def test_a_city_and_its_parts_stacked_on_one_spot_all_get_labels(size: tuple[int, int]) -> None:
    s = mosul()
    (drawn,) = layout(page([s], size=size))
    check_layout(drawn, s)
    labels = {label["text"]: label for label in drawn["labels"]}
    assert {labels[name]["how"] for name in ("East Mosul", "West Mosul", "Old City of Mosul")} <= {"near", "leader"}
    assert labels["Tigris"]["how"] == "line" and labels["Iraq"]["how"] == "area"
    # The markers overlap; the labels still read east and west as they should.
    assert centre(labels["East Mosul"]["box"])[0] > centre(labels["West Mosul"]["box"])[0]
    assert all(label["fit"] == "full" for label in drawn["labels"] if label["visible"])


def test_labels_are_placed_again_after_a_zoom() -> None:
    s = pakistan()
    zoom = "geomapMaps[0].setZoom(geomapMaps[0].getZoom() + 1, {animate: false}); setTimeout(geomapCollect, 300);"
    (drawn,) = layout(page([s], after=zoom))
    check_layout(drawn, s)
    assert "off-frame" in drawn["summary"]  # the zoom pushed some places out, and the rest were placed again


def test_two_copies_of_one_map_in_a_page_are_labelled_alike() -> None:
    s = pakistan()
    first, second = layout(page([s, s], size=(1000, 600), copies=2))
    check_layout(first, s)
    check_layout(second, s)
    for a, b in zip(first["labels"], second["labels"], strict=True):
        shift = b["box"][1] - a["box"][1]
        assert (a["how"], a["box"][0]) == (b["how"], b["box"][0]) and shift == pytest.approx(600, abs=1)


def test_the_same_page_gives_the_same_layout() -> None:
    page_html = page([mosul()])
    assert layout(page_html) == layout(page_html)


def test_label_text_is_text_never_markup() -> None:
    s = Scene("Escaping", bounds=[[30.0, 70.0], [31.0, 71.0]])
    s.items = [
        {"id": "x", "text": "<b>Bold</b> & <img src=x onerror=alert(1)>", "kind": "point", "latlng": [30.5, 70.5],
         "size": [16, 16], "priority": 1},
        {"id": "y", "text": "</script><i>Area</i>", "kind": "area", "latlng": [30.2, 70.2], "priority": 1},
    ]  # fmt: skip
    s.markers = [{"latlng": [30.5, 70.5], "kind": "city", "title": "x"}]
    (drawn,) = layout(page([s]))
    check_layout(drawn, s)
    assert [label["text"] for label in drawn["labels"]] == [item["text"] for item in s.items]


# -- geomap's own maps ---------------------------------------------------------
#
# The same checks on what `geomap map` makes: the page, the figure a PNG is shot from, a
# fragment pasted twice, with the basemap's own names, the panels and the detail inset.

#: The size of a page in these tests, and a window that holds it (headless Chromium's window
#: is taller than the part that shows the page).
PAGE = (1200, 800)


def window(size: tuple[int, int]) -> tuple[int, int]:
    return size[0], size[1] + 200


#: What a map, a town's symbol and a river's line are in geomap's maps.
REAL = {"map": ".geomap-map", "marker": ".geomap-marker svg > *", "river": "path.geomap-river"}
STORIES = {
    "mosul": Path(__file__).resolve().parent.parent / "data" / "articles" / "mosul.txt",
    # A crowded story of 25 places: towns along the Indus, four provinces, three countries.
    "pakistan": Path(__file__).resolve().parent / "data" / "pakistan_floods.txt",
}
#: Runs ``then`` once every map of the page has opened: its zoom animation (a page zooms from
#: a first guess to its frame) over, and the labels placed after it.
_SETTLED = """
function geomapSettled(then) {
    var maps = Array.prototype.map.call(document.querySelectorAll(".geomap-map"), function (c) { return c.geomap; });
    if (maps.some(function (m) { return !m || m._animatingZoom; })) {
        setTimeout(function () { geomapSettled(then); }, 50);
    } else {
        setTimeout(then, 100);
    }
}
"""
#: Zooms the first map in by two steps once it has opened (the page opens a little wider
#: than its frame: zoom levels are whole).
ZOOM_IN = """
var map = document.querySelector(".geomap-map").geomap;
map.setZoom(map.getZoom() + 2, {animate: false});
setTimeout(geomapCollect, 400);
"""


@functools.cache
def story(name: str) -> tuple[Article, tuple[Place, ...]]:
    """An article through the whole pipeline, with its shapes."""
    import geomap
    from geomap.maps.shapes import attach_shapes

    article = geomap.read(STORIES[name])
    return article, tuple(attach_shapes(geomap.parse(article), geomap.default_gazetteer()))


def real_page(name: str, fmt: Literal["html", "fragment"] = "html", figure: tuple[int, int] | None = None,
              after: str = "geomapCollect();") -> tuple[str, Scene, tuple[Place, ...]]:  # fmt: skip
    """The story's map in ``fmt`` (a fragment comes twice in a host page) with the layout
    taken once it has opened (or ``after`` does), the placer's items as a Scene, and the places.
    A page (and a figure) is exactly ``figure`` or :data:`PAGE` pixels, whatever the window."""
    from geomap.maps.elements import Labels
    from geomap.maps.export import render_document
    from geomap.maps.render import make_map

    article, places = story(name)
    m = make_map(places, article=article, tiles=None, figure=figure)
    (labels,) = [child for child in m._children.values() if isinstance(child, Labels)]
    scene = Scene(article.title or name, items=[dict(item) for item in labels.items])
    page = render_document(m, places, fmt)
    if fmt == "fragment":
        page = f"<!DOCTYPE html><html><head><title>Report</title></head><body>{page}<p>Text</p>{page}</body></html>"
    else:
        width, height = figure or PAGE
        page = page.replace("</head>", f"<style>html,body{{width:{width}px;height:{height}px}}</style></head>", 1)
    collect = f"<script>var geomapSelectors = {json.dumps(REAL)};\n{_COLLECT}\n{_SETTLED}\n"
    collect += f"geomapSettled(function () {{ {after} }});</script>"
    return page.replace("</body>", collect + "</body>"), scene, places


def check_real(drawn: dict[str, Any], scene: Scene, places: Sequence[Place]) -> None:
    """Beyond :func:`check_layout`: each place's label is its name as the article gives it;
    a river has one label, along its line; a country's name is on its area, with no symbol,
    and its focusable box lies over the name; no name of the basemap shows under a label
    or leader line of the story's."""
    labels = {label["id"]: label for label in drawn["labels"]}
    assert set(labels) == {item["id"] for item in scene.items} and len(labels) == len(drawn["labels"])
    for place in places:
        if place.id not in labels:
            continue
        label = labels[place.id]
        assert label["text"].replace("\n", " ") == place.name or label["fit"] == "abbreviated"  # maybe on two lines
        if place.kind == "river":
            assert label["how"] in ("line", "off-frame")
        if place.kind == "country" and label["how"] == "area":
            (name,) = [n for n in drawn["names"] if n["title"] == f"{place.name} (country)"]
            assert all(abs(a - b) <= 1 for a, b in zip(name["box"], label["box"], strict=True)), place.name
    assert len(drawn["markers"]) == sum(item["kind"] == "point" for item in scene.items)  # areas have none
    ours = [label["quad"] for label in drawn["labels"] if label["visible"]]
    ours += [leader["quad"] for leader in drawn["leaders"]]
    for box in drawn["basemap"]:
        assert not any(quads_overlap(corners(box), quad) for quad in ours), f"a basemap name at {box} is covered"


@pytest.mark.parametrize(
    ("name", "size"), [("mosul", (1200, 800)), ("mosul", (800, 500)), ("pakistan", (1200, 800)), ("pakistan", (800, 500))]
)  # fmt: skip
def test_a_figure_labels_every_place_in_its_frame(name: str, size: tuple[int, int]) -> None:
    """The page a PNG or PDF is shot from, at its size."""
    page_html, s, places = real_page(name, figure=size)
    (drawn,) = layout(page_html, window=window(size))
    check_layout(drawn, s)
    check_real(drawn, s, places)
    summary = drawn["summary"]
    assert "hidden" not in summary and "line:1" in summary  # the Tigris, the Indus
    assert all(label["fit"] == "full" for label in drawn["labels"] if label["visible"])


def test_the_mosul_page_labels_every_place_and_names_the_parts_in_the_inset() -> None:
    page_html, s, places = real_page("mosul")
    (drawn,) = layout(page_html, window=window(PAGE))
    check_layout(drawn, s)
    check_real(drawn, s, places)
    check_reading(drawn, s)
    labels = {label["text"]: label for label in drawn["labels"]}
    assert labels["Raqqa"]["how"] == "near"  # the article's form, not the gazetteer's "Ar Raqqah"
    assert "geomap-lbl-major" in page_html and labels["Mosul"]["font"] == "13px"  # the story's main place
    parts = [p.name for p in places if p.kind == "district"]
    assert parts and all(labels[name]["how"] == "withheld" for name in parts)  # named in the detail inset
    assert {labels[name]["how"] for name in ("Iraq", "Syria")} == {"area"}


def test_a_crowded_story_is_labelled_again_with_the_basemap_after_a_zoom() -> None:
    page_html, s, places = real_page("pakistan", after=ZOOM_IN)
    (drawn,) = layout(page_html, window=window(PAGE))
    check_layout(drawn, s)
    check_real(drawn, s, places)
    assert "off-frame" in drawn["summary"]  # the zoom pushed some places out, and the rest were placed again


def test_two_copies_of_a_fragment_are_labelled_alike() -> None:
    page_html, s, places = real_page("mosul", fmt="fragment")
    first, second = layout(page_html, window=(1000, 1400))
    for drawn in (first, second):
        check_layout(drawn, s)
        check_real(drawn, s, places)
    shift = second["frame"][1] - first["frame"][1]
    assert shift > 400
    for a, b in zip(first["labels"], second["labels"], strict=True):
        assert (a["id"], a["how"], a["fit"], a["visible"]) == (b["id"], b["how"], b["fit"], b["visible"])
        assert (
            not a["visible"]
            or a["box"][0] == pytest.approx(b["box"][0], abs=0.5)
            and b["box"][1] - a["box"][1] == pytest.approx(shift, abs=0.5)
        )


def test_switching_the_places_layer_off_takes_their_labels() -> None:
    switch_off = """
    Array.prototype.forEach.call(document.querySelectorAll(".leaflet-control-layers-overlays label"), function (l) {
        if (l.textContent.trim() === "Places") { l.querySelector("input").click(); }
    });
    setTimeout(geomapCollect, 300);
    """
    page_html, _s, places = real_page("mosul", after=switch_off)
    (drawn,) = layout(page_html, window=window(PAGE))
    how = {label["text"]: label["how"] for label in drawn["labels"]}
    assert {how[p.name] for p in places if p.kind in ("city", "country") and p.name in how} == {"withheld"}
    assert how["Tigris"] == "line" and not drawn["markers"]
