"""A newsroom-style locator map of an article's places, as a Folium map: this module
assembles it from the parts in :mod:`~geomap.maps.elements` (markers, shapes, panels,
inset), :mod:`~geomap.maps.panels`, :mod:`~geomap.maps.framing` and
:mod:`~geomap.maps.assets`.

Every place gets exactly one keyboard-focusable marker whose shape and colour say its
kind (:mod:`~geomap.maps.symbols`), a label in the article's form of its name, placed in
the browser with the others (:mod:`~geomap.maps.labels`), and a popup quoting the
sentences that mention it. Outlines go in a "Regions" layer, rivers and lakes in
"Rivers and lakes", markers in "Places". Element ids are derived from a hash of the
input, so the same places and options always give byte-identical HTML.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import folium
import numpy as np
from branca.element import Figure, MacroElement
from folium.map import FitBounds
from markupsafe import Markup, escape

from geomap.errors import GeomapError
from geomap.maps import basemap
from geomap.maps.assets import Literal, scoped_css, set_assets, static_text
from geomap.maps.detail import INSET_PX, detail
from geomap.maps.elements import Control, DetailInset, GeoMap, Labels, Marker, Script, Shape, Tiles
from geomap.maps.export import DEFAULT_PNG_SIZE
from geomap.maps.framing import Bounds, Framing, Room, centre, frame, name_anchor
from geomap.maps.labels import OPTIONS, label_items, river_line
from geomap.maps.panels import also_mentioned, legend, title_panel
from geomap.maps.shapes import is_approximate
from geomap.maps.symbols import outlined, part_tones, presentation
from geomap.model import Article, Place

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

LAYER_PLACES, LAYER_REGIONS, LAYER_WATER = "Places", "Regions", "Rivers and lakes"

_PAGE_STYLE = "<style>html,body{width:100%;height:100%;margin:0;padding:0}</style>"
_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'
#: The closest a map opens.
MAX_ZOOM = 12
#: The size a page's basemap is drawn for (the page's own size is unknown until it opens).
PAGE_SIZE = (1200, 800)
MARKER_MARGIN_PX = 8  # half a town's symbol
#: The locator inset: its size, its name for screen readers, and the zoom below which the
#: map shows a continent or more, so that an inset would show nothing more.
LOCATOR_SIZE = (150, 150)
LOCATOR_TITLE = "Locator map: where the map's area lies in its region"
LOCATOR_MIN_ZOOM = 3.5


def make_map(
    places: Sequence[Place],
    *,
    article: Article | None = None,
    tiles: str | None = "OpenStreetMap",
    title: str | None = None,
    cdn: bool = False,
    map_id: str | None = None,
    figure: tuple[int, int] | None = None,
    credit: str | None = None,
) -> folium.Map:
    """A locator map of ``places`` (draw shapes with :func:`geomap.maps.shapes.attach_shapes` first).

    ``tiles`` is a Folium/xyzservices basemap name or URL template, or None (or "none"):
    either way the offline basemap (:mod:`geomap.maps.basemap`) is drawn beneath, and shows
    wherever tiles are missing. The page is self-contained (Leaflet and every script and
    stylesheet inlined, Leaflet read from the installed ``folium-offline`` package) and
    works with no network; ``cdn`` links Leaflet from public CDNs instead, for a lighter
    page. ``figure`` makes a static figure of that many pixels (PNG, PDF, SVG): no zoom
    buttons or layer switcher, and opened at exactly the view its basemap was drawn for.
    ``map_id`` names the map's elements; by default it is a hash of everything drawn, so
    equal input gives equal HTML and different maps in one report get different ids. The
    caption names the article's publisher and date, then ``credit`` ("Map: J. Doe").
    """
    if map_id is not None:
        checked_map_id(map_id)
    title = title if title is not None else (article.title if article else None)
    tile_layer = _tile_layer(tiles)
    label = f"Map: {title}" if title else "Map of the places in the article"
    m = GeoMap(label, location=centre(places), zoom_start=5, tiles=None, zoom_control=False, control_scale=False)
    if tile_layer is not None:
        tile_layer.add_to(m)

    page = m.get_root()
    assert isinstance(page, Figure)
    page.title = escape(title or "Map")
    page.header.add_child(Literal(_VIEWPORT + _PAGE_STYLE), name="geomap_page")
    styles = "\n".join(scoped_css(name) for name in ("geomap.css", "basemap.css"))
    page.header.add_child(Literal(f"<style>\n{styles}</style>"), name="geomap_style")
    scripts = "\n".join(static_text(name) for name in ("basemap.js", "labels.js", "ready.js"))
    page.header.add_child(Literal(f"<script>\n{scripts}</script>"), name="geomap_script")
    set_assets(m, page, cdn)

    heading = title_panel(title, article, credit)
    if heading:
        Control(heading, "topleft", "geomap-panel").add_to(m)
    controls = "" if figure else "L.control.zoom({position: 'topleft'}).addTo({parent});"
    Script(controls + "L.control.scale({position: 'bottomleft', imperial: false}).addTo({parent});").add_to(m)

    framing = frame(places)
    # Room for the title panel (top left) and the panels on the right: the locator inset,
    # the list of places off the frame, the detail inset.
    padding = (60, 90, 230 if framing.far else 150, 50)
    inset = detail(framing.in_view, framing.bounds, figure or DEFAULT_PNG_SIZE, padding) if places else None
    if inset is not None:
        padding = (60, 90, max(padding[2], INSET_PX + 30), 50)
    if legend_px := _under_legend(framing.in_view, framing.bounds, figure or PAGE_SIZE, padding):
        padding = (*padding[:3], legend_px + MARKER_MARGIN_PX)  # the frame rises above the legend
    view = _basemap(m, places, framing.bounds, padding, figure)
    drawn, targets, ranked, anchors = _add_places(m, framing, view)
    if not figure:
        folium.LayerControl(position="topright", collapsed=True).add_to(m)
    if inset is not None:
        parts = [drawn[p.id] for p in inset.parts]
        (south, west), (north, east) = inset.bounds
        inset_view = basemap.fit(basemap.Frame(south, west, north, east), (INSET_PX, INSET_PX), snap=0.1)
        base = basemap.draw(inset_view, skip=basemap.skip_ids(places), avoid=[(p.lat, p.lon) for p in places], pad=0.05)
        # The story's rivers are drawn from the gazetteer; at a town's scale the basemap's own
        # lines of them run visibly apart, so the inset leaves the basemap's rivers out.
        ground = base.geojson()
        ground["features"] = [f for f in ground["features"] if f["properties"]["layer"] != "rivers"]
        DetailInset(inset, parts, part_tones(framing.in_view), _tile_layer(tiles), ground).add_to(m)
    if places:
        if framing.in_view:
            Control(legend(framing.in_view), "bottomleft", "geomap-panel geomap-legend").add_to(m)
        if view.zoom >= LOCATOR_MIN_ZOOM:
            codes = {p.country_code.upper() for p in framing.in_view if p.country_code}
            locator = basemap.locator_svg(view.frame, LOCATOR_SIZE, highlight=codes, title=LOCATOR_TITLE)
            Control(Markup(locator), "bottomright", "geomap-panel geomap-inset").add_to(m)
        if framing.far:
            Control(also_mentioned(framing.far, framing.bounds), "bottomright", "geomap-panel geomap-also").add_to(m)
    if figure:
        m.location, m.options["zoom"] = [round(view.lat, 6), round(view.lon, 6)], view.zoom
        # A picture is taken once the tiles are in: with no fade, they are wholly there.
        m.options.update(fadeAnimation=False, zoomAnimation=False, markerZoomAnimation=False)
    elif places:
        left, top, right, bottom = padding
        fit = FitBounds(
            framing.bounds, padding_top_left=(left, top), padding_bottom_right=(right, bottom), max_zoom=MAX_ZOOM
        )
        # Straight onto the frame, not a zoom from the first guess: the labels are placed once.
        fit.options["animate"] = False
        m.add_child(fit, name="fit_bounds")
    # Popups take the focus when they open (so screen readers read them), close on
    # Escape, and give the focus back to their marker if it was in the popup (or lost).
    prefix = "{parent}.attributionControl.setPrefix(false);" if figure else ""
    Script(prefix + _attribution_js() + "\n" + static_text("accessibility.js")).add_to(m)
    # When the panels of a corner run into those of the corner below (a fragment 480 px
    # high), the least needed give way: the locator of the places off the map, then the inset.
    Script("\n" + static_text("layout.js")).add_to(m)
    Labels(label_items(ranked, anchors, view), targets, OPTIONS).add_to(m)
    Script("geomapRegister({parent});").add_to(m)

    _stabilise_ids(m, map_id or _digest(places, article, tiles, title, cdn, figure, credit))
    return m


def checked_map_id(text: str) -> str:
    """A map id as given (``--map-id``, ``map_id`` in project files): it names the map's
    container and scripts, so only letters, digits and underscores."""
    if not re.fullmatch(r"[A-Za-z0-9_]{1,40}", text):
        raise GeomapError(f"map id {text!r} must be 1-40 letters, digits or underscores")
    return text


def _basemap(
    m: folium.Map, places: Sequence[Place], bounds: Bounds, padding: tuple[int, int, int, int],
    figure: tuple[int, int] | None,
) -> basemap.View:  # fmt: skip
    """Draw the offline basemap under the map, for the view it opens at; return that view.

    A figure's size is known, so its basemap is drawn for exactly its view. A page's is
    not (a fragment is as wide as the column it is pasted in): its basemap is drawn for a
    map of :data:`PAGE_SIZE` with a wide margin, and the client, which fits the frame to
    the real size, hides the names that then collide (``basemap.js``)."""
    (south, west), (north, east) = bounds
    size = figure or PAGE_SIZE
    view = basemap.fit(basemap.Frame(south, west, north, east), size, padding=padding, max_zoom=MAX_ZOOM)
    base = basemap.draw(
        view, skip=basemap.skip_ids(places), avoid=[(p.lat, p.lon) for p in places],
        keep_clear=_panel_boxes(size), pad=0.25 if figure else 0.75,
    )  # fmt: skip
    data = json.dumps(base.geojson(), separators=(",", ":"))
    Script(f"geomapBasemap({{parent}}, {data});").add_to(m)
    return view


#: The legend and scale bar at the map's bottom left: its width, and its height for no entries
#: and for each entry (one per kind of place drawn, and one for estimated areas).
LEGEND_PX = (150, 65, 20)


def _under_legend(
    in_view: Sequence[Place], bounds: Bounds, size: tuple[int, int], padding: tuple[int, int, int, int]
) -> int:
    """The legend's height if a town's symbol would open under it, else 0: a place at the
    frame's bottom left corner, as Everest is in a story about Tibet."""
    points = [(p.lon, p.lat) for p in in_view if presentation(p) == "point"]
    if not points:
        return 0
    width, base, row = LEGEND_PX
    height = base + row * (len({p.kind for p in in_view}) + any(is_approximate(p) for p in in_view))
    (south, west), (north, east) = bounds
    view = basemap.fit(basemap.Frame(south, west, north, east), size, padding=padding, max_zoom=MAX_ZOOM)
    xy = view.pixels(np.array(points, dtype=np.float64))
    under = (xy[:, 0] <= width + MARKER_MARGIN_PX) & (xy[:, 1] >= size[1] - height - MARKER_MARGIN_PX)
    return height if under.any() else 0


def _panel_boxes(size: tuple[int, int]) -> list[basemap.Box]:
    """Where the panels stand, roughly, in a map of ``size`` pixels: the basemap's names
    keep out (the client also hides any name a panel covers)."""
    width, height = size
    return [
        (0, 0, 340, 100),  # title
        (0, height - 190, 180, height),  # legend and scale bar
        (width - 175, height - 195, width, height),  # locator inset and attribution
        (width - 520, height - 20, width, height),  # attribution
    ]


def _add_places(
    m: folium.Map, framing: Framing, view: basemap.View
) -> tuple[dict[str, Marker], dict[str, MacroElement], list[Place], dict[str, tuple[float, float]]]:
    """The places in view: outlines and lines under the markers, each in its layer. Towns
    are symbols; other places are their names, written on the part of their area in view;
    rivers are their lines (:func:`geomap.maps.symbols.presentation`). Returns the markers by
    place id, what each label stands for (markers and rivers' lines), the places in the
    order their labels are placed, and where the areas' names go at the opening view."""
    regions, water, markers = (folium.FeatureGroup(name=name) for name in (LAYER_REGIONS, LAYER_WATER, LAYER_PLACES))
    for layer in (regions, water, markers):
        layer.add_to(m)
    places = framing.in_view
    tones = part_tones(places)
    lines: dict[str, MacroElement] = {}
    for place in sorted(places, key=_drawing_order):
        if place.geometry is None or place.kind == "continent" or place.geometry.get("type") == "Point":
            continue
        if presentation(place) == "line":
            line = river_line(place, view)
            lines[place.id] = Shape(place, line[1] if line else None, focusable=True)
            lines[place.id].add_to(water)
        else:
            Shape(place, tone=tones.get(place.id, 0)).add_to(water if place.kind in ("lake", "river") else regions)
    anchors = _name_anchors(places, framing)
    ranked = sorted((p for p in places if presentation(p) != "line"), key=_label_priority)
    names = {p.id: p.name for p in places}
    drawn = {}
    for rank, place in enumerate(ranked):
        drawn[place.id] = Marker(
            place, 100 * (len(ranked) - rank), names.get(place.parent or ""), anchors.get(place.id)
        )
        drawn[place.id].add_to(markers)
    return drawn, {**drawn, **lines}, sorted(places, key=_label_priority), anchors


def _name_anchors(places: Sequence[Place], framing: Framing) -> dict[str, tuple[float, float]]:
    """Where each area's name goes: at its point when it has no outline, else on the part
    of its outline in view, off the towns, their labels and the names placed before it
    (those at fixed points first, then by priority)."""
    room = Room(framing.view)
    for place in places:
        if presentation(place) == "point":
            room.town(place)
    areas = sorted((p for p in places if presentation(p) == "area"), key=lambda p: (outlined(p), _label_priority(p)))
    anchors = {}
    for place in areas:
        anchor = name_anchor(place, framing.view, room, _inside(place, places))
        room.name(*anchor, place.kind, place.name)
        anchors[place.id] = anchor
    return anchors


def _inside(place: Place, places: Sequence[Place]) -> BaseGeometry:
    """The smaller parts drawn inside a part of a city (an old city in one half), which its
    name keeps off."""
    from shapely.geometry import GeometryCollection, shape
    from shapely.ops import unary_union

    if place.kind != "district" or place.geometry is None or not outlined(place):
        return GeometryCollection()
    own = shape(dict(place.geometry))
    smaller = [shape(dict(p.geometry)) for p in places
               if p.id != place.id and p.parent == place.parent and p.geometry is not None and outlined(p)]  # fmt: skip
    return unary_union([g for g in smaller if g.area < own.area / 4 and g.intersects(own)])


def _label_priority(place: Place) -> tuple[int, int, float, str]:
    """Markers are added most important first, stacked above the later ones, and labels
    placed in that order: the most-mentioned places get the best spots."""
    rank = ("city", "district", "other", "region", "lake", "river", "sea", "country", "continent").index(place.kind)
    return -len(place.mentions), rank, -place.confidence, place.id


def _drawing_order(place: Place) -> int:
    """Big areas first, so smaller ones are drawn on top of them."""
    return ("continent", "sea", "country", "region", "lake", "city", "district", "river", "other").index(place.kind)


def _tile_layer(tiles: str | None) -> folium.TileLayer | None:
    if tiles is None or tiles.strip().lower() in ("", "none"):
        return None
    # A URL template's tiles are credited to their server, which is all that is known of them
    # (folium refuses a custom template with no attribution).
    host = urlsplit(tiles).hostname if "{z}" in tiles else None
    try:
        return Tiles(tiles, name="Basemap", control=False, attr=f"Tiles: {host}" if host else None)
    except ValueError as exc:
        raise GeomapError(
            f"unknown tiles {tiles!r}: use an xyzservices name such as 'OpenStreetMap' or "
            f"'OpenTopoMap', a URL template with {{z}}/{{x}}/{{y}}, or 'none' ({exc})"
        ) from None


def _attribution_js() -> str:
    from geomap.gazetteer import ATTRIBUTION

    return f"{{parent}}.attributionControl.addAttribution({json.dumps(ATTRIBUTION)});"


def _stabilise_ids(m: folium.Map, prefix: str) -> None:
    """Replace folium's random element ids: the map is ``<prefix>``, the rest
    ``<prefix>_<n>`` in tree order."""
    m._id = prefix
    count = 0
    figure = m.get_root()
    assert isinstance(figure, Figure)
    stack = [figure.header, figure.html, figure.script, *figure._children.values()]
    seen: set[int] = set()
    while stack:
        element = stack.pop(0)
        if id(element) in seen:
            continue
        seen.add(id(element))
        if element is not m:
            element._id = f"{prefix}_{count}"
            count += 1
        stack[:0] = list(element._children.values())


def _digest(places: Sequence[Place], article: Article | None, *options: Any) -> str:
    content = {
        "places": [{**p.as_dict(), "geometry": p.geometry} for p in places],
        "article": [article.title, article.source, article.date, article.publisher] if article else None,
        "options": options,
    }
    return "g" + hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:10]
