"""A newsroom-style locator map of an article's places, as a Folium map.

Every place gets exactly one keyboard-focusable marker whose shape and colour say its
kind (Okabe-Ito colours, which stay distinct for colour-blind readers, and a different
shape per kind so colour is never the only cue), a permanent short label and a popup
quoting the sentences that mention it. Outlines go in a "Regions" layer, rivers and
lakes in "Rivers and lakes", markers in "Places". Element ids are derived from a hash
of the input, so the same places and options always give byte-identical HTML.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from geomap.errors import GeomapError
from geomap.geo import great_circle_km
from geomap.maps.shapes import is_approximate
from geomap.model import KINDS, Article, Kind, Place

#: Okabe & Ito's colour-blind-safe palette, one colour per kind, and a dark blue for seas
#: (told from rivers by lightness and by its glyph).
COLOURS: dict[Kind, str] = {
    "city": "#D55E00",  # vermillion
    "district": "#CC79A7",  # reddish purple
    "country": "#E69F00",  # orange
    "region": "#009E73",  # bluish green
    "river": "#0072B2",  # blue
    "lake": "#56B4E9",  # sky blue
    "sea": "#17375E",  # dark blue
    "continent": "#000000",
    "other": "#F0E442",  # yellow
}

#: Marker glyphs (22×22 SVG bodies): the shape alone tells the kinds apart.
_GLYPHS: dict[Kind, str] = {
    "city": '<circle cx="11" cy="11" r="7"/>',
    "district": '<path d="M11 3 19 18H3z"/>',
    "country": '<rect x="4" y="4" width="14" height="14" rx="2"/>',
    "region": '<path d="M11 2 20 11 11 20 2 11z"/>',
    "river": '<path d="M2 8q4.5-5 9 0t9 0M2 15q4.5-5 9 0t9 0" fill="none" stroke-width="3"/>',
    "lake": '<ellipse cx="11" cy="11" rx="9" ry="6"/>',
    "sea": '<path d="M2 9q4.5-5 9 0t9 0V19H2z"/>',
    "continent": '<circle cx="11" cy="11" r="7" fill="none" stroke-width="3.5"/>',
    "other": '<path d="M11 2l8.6 6.2-3.3 10.1H5.7L2.4 8.2z"/>',
}
_KIND_LABELS: dict[Kind, str] = {
    "city": "City", "district": "Part of a city", "country": "Country", "region": "Region",
    "river": "River", "lake": "Lake", "sea": "Sea or ocean", "continent": "Continent", "other": "Other place",
}  # fmt: skip

LAYER_PLACES, LAYER_REGIONS, LAYER_WATER = "Places", "Regions", "Rivers and lakes"
LABEL_LENGTH = 24
POPUP_SENTENCES = 6
#: Radius around the most-mentioned place that the initial view is fitted to, so one
#: passing mention of a far country does not zoom the story out to the whole world.
FOCUS_KM = 1500.0

_STYLE = """
.geomap-marker{background:none;border:0}
.geomap-marker svg{display:block;overflow:visible}
.geomap-marker:focus{outline:3px solid #000;outline-offset:2px;border-radius:4px}
.leaflet-tooltip.geomap-label{background:rgba(255,255,255,.88);border:0;border-radius:3px;box-shadow:none;
 padding:0 4px;color:#111;font:600 12px/1.4 system-ui,sans-serif}
.leaflet-tooltip.geomap-label:before{display:none}
.geomap-popup{font:14px/1.45 system-ui,sans-serif;color:#111}
.geomap-popup:focus{outline:2px solid #0072B2;outline-offset:4px}
.geomap-popup h3{font-size:16px;margin:0 0 4px}
.geomap-popup p{margin:0 0 6px}
.geomap-popup .geomap-meta,.geomap-popup .geomap-note{color:#444;font-size:12px}
.geomap-popup blockquote{margin:6px 0;padding-left:8px;border-left:3px solid #999}
.geomap-popup mark{background:#F0E442;color:#000;padding:0 1px}
.geomap-panel{background:rgba(255,255,255,.92);padding:6px 10px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.35);
 font:13px/1.4 system-ui,sans-serif;color:#111;max-width:22em}
.geomap-panel .geomap-title{font-size:16px;font-weight:700;margin:0}
.geomap-panel .geomap-caption{margin:2px 0 0;color:#444;font-size:12px}
.geomap-legend ul{list-style:none;margin:0;padding:0}
.geomap-legend li{display:flex;align-items:center;gap:6px;margin:2px 0}
.geomap-legend svg{flex:none}
.geomap-river-label{font:italic 600 13px system-ui,sans-serif;fill:#0072B2;stroke:#fff;stroke-width:3px;
 paint-order:stroke}
"""
_PAGE_STYLE = "<style>html,body{width:100%;height:100%;margin:0;padding:0}</style>"
_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'


class GeoMap(folium.Map):
    """A Folium map whose header styles only its own div, so that it can sit inside
    someone else's page; the full-page styles are a separate header element."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>#{{ this.get_name() }}{position:relative;width:100%;height:100%}</style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
            <div class="folium-map geomap-map" id={{ this.get_name()|tojson }} role="region"
                 aria-label="{{ this.label|e }}"></div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map({{ this.get_name()|tojson }}, Object.assign(
                {center: {{ this.location|tojson }}, crs: L.CRS.{{ this.crs }}}, {{ this.options|tojavascript }}));
        {% endmacro %}
        """
    )

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.label = label


class _Script(MacroElement):
    """A script run once the parent map or layer exists: ``{parent}`` names it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this.code.replace("{parent}", this._parent.get_name()) }}
        {% endmacro %}
        """
    )

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "Script"
        self.code = code


class _Marker(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.marker({{ this.location|tojson }}, {
                icon: L.divIcon({{ this.icon|tojson }}), keyboard: true, riseOnHover: true,
                zIndexOffset: {{ this.z_index }},
                title: {{ this.title|tojson }}, alt: {{ this.title|tojson }}
            }).bindPopup({{ this.popup|tojson }}, {maxWidth: 340, autoPanPadding: [24, 24]})
              .bindTooltip({{ this.label|tojson }},
                           {permanent: true, direction: "right", offset: [11, 0], className: "geomap-label"})
              .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, place: Place, z_index: int = 0, parent_name: str | None = None) -> None:
        super().__init__()
        self._name = "Marker"
        self.z_index = z_index
        self.location = [place.lat, place.lon]
        self.title = f"{place.name} ({_KIND_LABELS[place.kind].lower()})"
        self.label = place.name if len(place.name) <= LABEL_LENGTH else place.name[: LABEL_LENGTH - 1] + "…"
        self.icon = {
            "html": _icon(place.kind, self.title),
            "className": f"geomap-marker geomap-{place.kind}",
            "iconSize": [22, 22],
            "iconAnchor": [11, 11],
            "popupAnchor": [0, -10],
        }
        self.popup = popup_html(place, parent_name)


class _Shape(MacroElement):
    """A GeoJSON outline or line, with an optional label written along ``label_line``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoJSON({{ this.data|tojson }},
                {style: {{ this.style|tojson }}, interactive: false}).addTo({{ this._parent.get_name() }});
            {%- if this.label_line %}
            L.polyline({{ this.label_line|tojson }}, {stroke: false, interactive: false})
              .addTo({{ this._parent.get_name() }})
              .setText({{ this.label|tojson }},
                       {center: true, offset: -7, attributes: {"class": "geomap-river-label"}});
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, place: Place, label_line: list[list[float]] | None = None) -> None:
        super().__init__()
        self._name = "Shape"
        self.data = {"type": "Feature", "properties": {"id": place.id, "name": place.name}, "geometry": place.geometry}
        self.style = _shape_style(place)
        self.label = place.name
        self.label_line = label_line


class _Control(MacroElement):
    """A static panel (title, legend) placed in a corner of the map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
            {{ this.get_name() }}.onAdd = function () {
                var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
                div.innerHTML = {{ this.content|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, content: str, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "Control"
        self.content, self.position, self.css_class = content, position, css_class


class _MiniMap(MacroElement):
    """A locator inset: the basemap (if any) under the outlines of the places' countries
    and regions, which still show when the tiles cannot load."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }}_layer = L.layerGroup([
                {%- if this.tiles %}
                L.tileLayer({{ this.tiles|tojson }}, {{ this.tile_options|tojson }}),
                {%- endif %}
                L.geoJSON({{ this.outline|tojson }},
                          {style: {color: "#555", weight: 1, fillColor: "#ccc", fillOpacity: 0.5}, interactive: false})
            ]);
            var {{ this.get_name() }} = new L.Control.MiniMap({{ this.get_name() }}_layer, {
                position: "bottomright", width: 120, height: 120, zoomLevelOffset: -5,
                aimingRectOptions: {color: "#D55E00", weight: 2, interactive: false},
                shadowRectOptions: {color: "#000", weight: 1, opacity: 0, fillOpacity: 0, interactive: false}
            }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, tiles: folium.TileLayer | None, outline: dict[str, Any]) -> None:
        super().__init__()
        self._name = "MiniMap"
        self.tiles = tiles.tiles if tiles is not None else None
        self.tile_options = {
            k: v for k, v in (tiles.options if tiles is not None else {}).items() if k != "attribution"
        }
        self.outline = outline


def make_map(
    places: Sequence[Place],
    *,
    article: Article | None = None,
    tiles: str | None = "OpenStreetMap",
    title: str | None = None,
    inline_assets: bool = False,
    map_id: str | None = None,
) -> folium.Map:
    """A locator map of ``places`` (draw shapes with :func:`geomap.maps.shapes.attach_shapes` first).

    ``tiles`` is a Folium/xyzservices basemap name or URL template, or None (or "none")
    for a plain background. ``inline_assets`` embeds Leaflet and every script and
    stylesheet, read from the installed ``folium-offline`` package, so the page works
    with no network (tiles still need one). ``map_id`` names the map's elements; by
    default it is a hash of everything drawn, so equal input gives equal HTML and
    different maps in one report get different ids.
    """
    if map_id is not None and not re.fullmatch(r"[A-Za-z0-9_]{1,40}", map_id):
        raise GeomapError(f"map id {map_id!r} must be 1-40 letters, digits or underscores")
    title = title if title is not None else (article.title if article else None)
    caption = _caption(article)
    tile_layer = _tile_layer(tiles)
    label = f"Map: {title}" if title else "Map of the places in the article"
    m = GeoMap(label, location=_centre(places), zoom_start=5, tiles=None, zoom_control=False, control_scale=False)
    if tile_layer is not None:
        tile_layer.add_to(m)

    figure = m.get_root()
    assert isinstance(figure, Figure)
    figure.title = html.escape(title or "Map")
    figure.header.add_child(Element(_VIEWPORT + _PAGE_STYLE), name="geomap_page")
    figure.header.add_child(Element(f"<style>{_STYLE}</style>"), name="geomap_style")
    _set_assets(m, figure, inline_assets)

    if title or caption:
        heading = f'<p class="geomap-title" role="heading" aria-level="2">{html.escape(title)}</p>' if title else ""
        _Control(heading + (f'<p class="geomap-caption">{caption}</p>' if caption else ""), "topleft",
                 "geomap-panel").add_to(m)  # fmt: skip
    _Script("L.control.zoom({position: 'topleft'}).addTo({parent});"
            "L.control.scale({position: 'bottomleft', imperial: false}).addTo({parent});").add_to(m)  # fmt: skip

    view = view_bounds(places)
    regions = folium.FeatureGroup(name=LAYER_REGIONS).add_to(m)
    water = folium.FeatureGroup(name=LAYER_WATER).add_to(m)
    markers = folium.FeatureGroup(name=LAYER_PLACES).add_to(m)
    for place in sorted(places, key=_drawing_order):
        if place.geometry is None or place.kind == "continent" or place.geometry.get("type") == "Point":
            continue
        if place.kind == "river":
            _Shape(place, _label_line(dict(place.geometry), view)).add_to(water)
        else:
            _Shape(place).add_to(water if place.kind == "lake" else regions)
    ranked = sorted(places, key=_label_priority)
    names = {p.id: p.name for p in places}
    for rank, place in enumerate(ranked):
        _Marker(place, 100 * (len(ranked) - rank), names.get(place.parent or "")).add_to(markers)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)

    if places:
        _Control(_legend(places), "bottomleft", "geomap-panel geomap-legend").add_to(m)
        outline = _outline(places)
        if tile_layer is not None or outline["features"]:
            _MiniMap(_tile_layer(tiles), outline).add_to(m)
        # Room for the title panel (top left) and the locator inset (bottom right).
        m.fit_bounds(view, padding_top_left=(60, 90), padding_bottom_right=(150, 50), max_zoom=12)
    _Script(_attribution_js() + _ACCESSIBILITY_JS).add_to(m)
    _Script(_DECLUTTER_JS).add_to(markers)

    _stabilise_ids(m, map_id or _digest(places, article, tiles, title, inline_assets))
    return m


def popup_html(place: Place, parent_name: str | None = None) -> str:
    """The popup: name, kind, country, confidence, geocoder, and the sentences that
    mention the place with each mention in ``<mark>``; everything from the article is
    HTML-escaped. Focusable and labelled, so screen readers announce it on opening."""
    e = html.escape
    kind = _KIND_LABELS[place.kind]
    facts = [f"Part of {e(parent_name)}" if parent_name and place.kind == "district" else kind]
    if place.country and place.country != place.name:
        facts.append(e(place.country))
    facts += [f"confidence {place.confidence:.0%}", f"geocoder: {e(place.geocoder)}"]
    parts = [
        f'<section class="geomap-popup" tabindex="-1" role="dialog" aria-label="{e(place.name)}, {kind.lower()}">',
        f"<h3>{e(place.name)}</h3>",
        f'<p class="geomap-meta">{" · ".join(facts)}</p>',
    ]
    if place.note:
        parts.append(f'<p class="geomap-note">{e(place.note)}</p>')
    sentences = place.sentences
    for sentence in sentences[:POPUP_SENTENCES]:
        spans = sorted(
            (max(0, m.start - sentence.start), min(len(sentence.text), m.end - sentence.start))
            for m in place.mentions
            if m.sentence.start == sentence.start
        )
        parts.append(f"<blockquote>{_highlight(sentence.text, spans)}</blockquote>")
    if len(sentences) > POPUP_SENTENCES:
        parts.append(f'<p class="geomap-note">and {len(sentences) - POPUP_SENTENCES} more sentences</p>')
    parts.append("</section>")
    return "".join(parts)


def view_bounds(places: Sequence[Place]) -> list[list[float]]:
    """[[south, west], [north, east]] of the places within :data:`FOCUS_KM` of the
    city or district at the heart of the story (the one whose surroundings gather the
    most mentions, so that one misplaced town cannot steal the view), or of all places
    when there is no city; plus the areas drawn for those."""
    if not places:
        return [[-60.0, -170.0], [75.0, 170.0]]
    located = [p for p in places if p.kind != "continent"] or list(places)
    local = [p for p in located if p.kind in ("city", "district", "other")]
    kept = located
    if local:
        near = {p.id: [q for q in located if great_circle_km(p.lat, p.lon, q.lat, q.lon) <= FOCUS_KM] for p in local}
        anchor = max(local, key=lambda p: (sum(len(q.mentions) for q in near[p.id]), len(p.mentions), p.confidence))
        kept = near[anchor.id]
    lats = [p.lat for p in kept]
    lons = [p.lon for p in kept]
    for p in kept:
        if p.geometry is not None and p.kind in ("city", "district"):
            for lon, lat in _coordinates(p.geometry["coordinates"]):
                lats.append(lat)
                lons.append(lon)
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _highlight(text: str, spans: Iterable[tuple[int, int]]) -> str:
    out, pos = [], 0
    for start, end in spans:
        if start < pos or end <= start:
            continue
        out += [html.escape(text[pos:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _icon(kind: Kind, label: str, size: int = 22) -> str:
    colour = COLOURS[kind]
    stroke = "#222" if kind not in ("river", "continent") else colour
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 22 22" role="img" aria-label="{html.escape(label)}" '
        f'fill="{colour}" stroke="{stroke}" stroke-width="1.5">{_GLYPHS[kind]}</svg>'
    )


def _legend(places: Sequence[Place]) -> str:
    present = {p.kind for p in places}
    items = [f"<li>{_icon(k, _KIND_LABELS[k], 16)}<span>{_KIND_LABELS[k]}</span></li>" for k in KINDS if k in present]
    if any(is_approximate(p) for p in places):
        swatch = '<svg width="16" height="16" aria-hidden="true"><rect x="2" y="2" width="12" height="12" fill="none" '
        swatch += 'stroke="#444" stroke-width="2" stroke-dasharray="3 2"/></svg>'
        items.append(f"<li>{swatch}<span>Estimated area</span></li>")
    return f'<p class="geomap-title" style="font-size:13px">Legend</p><ul>{"".join(items)}</ul>'


def _shape_style(place: Place) -> dict[str, Any]:
    colour = COLOURS[place.kind]
    style: dict[str, Any] = {"color": colour, "weight": 2, "opacity": 0.9, "fillColor": colour, "fillOpacity": 0.12}
    if place.kind == "river":
        style.update(weight=3.5, fill=False, className="geomap-river")
    elif place.kind == "country":
        style.update(fillOpacity=0.04)
    elif place.kind == "district":
        style.update(fillOpacity=0.3)
    if place.kind != "river":
        style["className"] = f"geomap-area geomap-area-{place.kind}"
    if is_approximate(place):
        style["dashArray"] = "6 4"
    return style


def _label_priority(place: Place) -> tuple[int, int, float, str]:
    """Markers are added most important first, stacked above the later ones, and a
    label that would overlap an earlier one is hidden: the most-mentioned places keep theirs."""
    rank = ("city", "district", "other", "region", "lake", "river", "sea", "country", "continent").index(place.kind)
    return -len(place.mentions), rank, -place.confidence, place.id


def _drawing_order(place: Place) -> int:
    """Big areas first, so smaller ones are drawn on top of them."""
    return ("continent", "sea", "country", "region", "lake", "city", "district", "river", "other").index(place.kind)


def _label_line(geometry: dict[str, Any], view: list[list[float]]) -> list[list[float]] | None:
    """The longest stretch of a river inside the view, west to east and smoothed, as
    [lat, lon] pairs: a label centred on the whole river would often fall outside the map."""
    from shapely.geometry import box, shape

    (south, west), (north, east) = view
    pad_lat, pad_lon = max(0.05, (north - south) * 0.1), max(0.05, (east - west) * 0.1)
    inside = shape(geometry).intersection(box(west - pad_lon, south - pad_lat, east + pad_lon, north + pad_lat))
    lines = [g for g in getattr(inside, "geoms", [inside]) if g.geom_type == "LineString" and not g.is_empty]
    if not lines:
        return None
    # Smoothed, so that the letters do not crumple on the river's bends.
    longest = max(lines, key=lambda g: g.length).simplify(0.03 * math.hypot(north - south, east - west))
    coords = list(longest.coords)
    if coords[0][0] > coords[-1][0]:
        coords.reverse()
    return [[round(lat, 5), round(lon, 5)] for lon, lat in coords]


def _outline(places: Sequence[Place]) -> dict[str, Any]:
    """What the offline locator inset shows: the countries and regions drawn."""
    features = [
        {"type": "Feature", "properties": {}, "geometry": p.geometry}
        for p in places
        if p.geometry is not None and p.kind in ("country", "region")
    ]
    return {"type": "FeatureCollection", "features": features}


def _tile_layer(tiles: str | None) -> folium.TileLayer | None:
    if tiles is None or tiles.strip().lower() in ("", "none"):
        return None
    try:
        return folium.TileLayer(tiles, name="Basemap", control=False)
    except ValueError as exc:
        raise GeomapError(
            f"unknown tiles {tiles!r}: use an xyzservices name such as 'OpenStreetMap' or "
            f"'OpenTopoMap', a URL template with {{z}}/{{x}}/{{y}}, or 'none' ({exc})"
        ) from None


def _caption(article: Article | None) -> str:
    if article is None:
        return ""
    parts = []
    if article.source:
        source = article.source
        if re.match(r"https?://", source):
            parts.append(
                f'Source: <a href="{html.escape(source)}">{html.escape(re.sub(r"^https?://", "", source))}</a>'
            )
        else:
            parts.append(f"Source: {html.escape(Path(source).name)}")
    if article.date:
        parts.append(html.escape(article.date))
    return " · ".join(parts)


def _attribution_js() -> str:
    from geomap.gazetteer import ATTRIBUTION

    return f"{{parent}}.attributionControl.addAttribution({json.dumps(ATTRIBUTION)});"


#: Popups take the focus when they open (so screen readers read them), close on
#: Escape, and give the focus back to their marker if it was in the popup (or lost).
_ACCESSIBILITY_JS = """
{parent}.on("popupopen", function (e) {
    var content = e.popup.getElement().querySelector(".geomap-popup");
    if (!content) { return; }
    content.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { {parent}.closePopup(e.popup); }
    });
    content.focus({preventScroll: true});
});
{parent}.on("popupclose", function (e) {
    var icon = e.popup._source && e.popup._source.getElement && e.popup._source.getElement();
    var active = document.activeElement;
    if (icon && (!active || active === document.body || e.popup.getElement().contains(active))) {
        icon.focus({preventScroll: true});
    }
});
"""


#: Hide the labels that would overlap an earlier (more important) one, at every zoom;
#: the markers stay, with their titles, so nothing becomes unreachable.
_DECLUTTER_JS = """
(function (group) {
    function overlaps(a, b) {
        return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    }
    function declutter() {
        var kept = [];
        group.eachLayer(function (marker) {
            var tip = marker.getTooltip(), el = tip && tip.getElement();
            if (!el) { return; }
            el.style.visibility = "";
            var box = el.getBoundingClientRect(), icon = marker.getElement().getBoundingClientRect();
            if (kept.some(function (other) { return overlaps(box, other); })) {
                el.style.visibility = "hidden";
            } else {
                kept.push(box);
            }
            kept.push(icon);
        });
    }
    function hook() {
        if (group._map && !group.geomapHooked) {
            group._map.on("zoomend moveend", declutter);
            group.geomapHooked = true;
        }
        declutter();
    }
    group.on("add", hook);
    setTimeout(hook, 0);
})({parent});
"""


def _set_assets(m: folium.Map, figure: Figure, inline: bool) -> None:
    """Link (or, with ``inline``, embed) Leaflet and the two plugins the map uses; the
    URLs are folium's own, so they follow folium's versions."""
    from folium.folium import _default_css, _default_js

    minimap = _folium_plugin("minimap").MiniMap
    js = [_default_js[0], *_folium_plugin("polyline_text_path").PolyLineTextPath.default_js, *minimap.default_js]
    css = [_default_css[0], *minimap.default_css]
    if not inline:
        m.default_js, m.default_css = js, css
        return
    m.default_js, m.default_css = [], []
    assets = _bundled_assets()
    for name, url in js + css:
        if url not in assets:
            raise GeomapError(f"folium-offline has no copy of {url}; install the folium-offline release matching "
                              f"folium {folium.__version__}")  # fmt: skip
        tag = "script" if (name, url) in js else "style"
        figure.header.add_child(Element(f"<{tag}>{assets[url]}</{tag}>"), name=name)


def _folium_plugin(module: str) -> Any:
    """One module of folium.plugins, loaded alone: the package's ``__init__`` imports
    some forty plugins and compiles their templates, a sixth of a cold ``geomap map``,
    where only two plugins' asset lists are needed."""
    import importlib.util
    import sys

    name = f"folium.plugins.{module}"
    if "folium.plugins" in sys.modules:
        return importlib.import_module(name)
    spec = importlib.util.spec_from_file_location(name, Path(folium.__file__).parent / "plugins" / f"{module}.py")
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def _bundled_assets() -> dict[str, str]:
    try:
        from offlinefolium.elements import _res
    except ImportError:
        raise GeomapError("--inline-assets needs the folium-offline package: pip install folium-offline") from None
    return _res


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
        "article": [article.title, article.source, article.date] if article else None,
        "options": options,
    }
    return "g" + hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:10]


def _centre(places: Sequence[Place]) -> list[float]:
    if not places:
        return [20.0, 0.0]
    return [sum(p.lat for p in places) / len(places), sum(p.lon for p in places) / len(places)]


def _coordinates(value: Any) -> Iterable[tuple[float, float]]:
    if value and isinstance(value[0], (int, float)):
        yield value[0], value[1]
    else:
        for item in value:
            yield from _coordinates(item)
