"""The map's Folium elements: the page and the map itself, markers, shapes, panels, the
detail inset and scripts. Each writes its own JavaScript from a small template; the markup
they carry (popups, panels) comes from :mod:`geomap.maps.assets`' templates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
from branca.element import Figure, MacroElement
from folium.template import Template
from markupsafe import Markup

from geomap.maps.assets import Literal, render, static_text
from geomap.maps.detail import MIN_PART_PX, Detail
from geomap.maps.popup import popup_html
from geomap.maps.symbols import COLOURS, KIND_LABELS, icon, name_size, presentation, shape_style
from geomap.model import Kind, Place


class Macro(MacroElement):
    """An element drawn by its template's ``header``, ``html`` and ``script`` macros, whose
    output is added to the page as :class:`Literal` text."""

    def render(self, **kwargs: Any) -> str:
        """Add the macros' output to the page's parts and render the children; the element
        itself writes nothing in place (as in branca)."""
        figure = self.get_root()
        assert isinstance(figure, Figure), "an element is rendered in a figure"
        for part in ("header", "html", "script"):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Literal(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)
        return ""


class GeoFigure(Figure):
    """The page a map is drawn on. Its script runs in a function of its own, bound to its own
    map container (:meth:`scoped_script`), so that any number of copies of one map, with the
    same ids and names, can share a page."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        "{% if this.title %}<title>{{ this.title }}</title>{% endif %}"
        "    {{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "    {{ this.html.render(**kwargs) }}\n"
        "<script>\n{{ this.scoped_script(**kwargs) }}\n</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def scoped_script(self, **kwargs: Any) -> str:
        """The map's script in a function that first finds the map's own container: the last
        ``.geomap-map`` before the script that no earlier copy has taken (a copy whose id is
        already on the page gets a suffix, so that ids stay unique)."""
        return f"(function () {{\n{static_text('container.js')}\n{self.script.render(**kwargs)}\n}})();"


class Tiles(folium.TileLayer, Macro):
    """Folium's tile layer, its URL and attribution (from ``--tiles`` or a project file)
    written as they are, never read as a template."""


class GeoMap(folium.Map, Macro):
    """A Folium map drawn into the container its page's script finds (:class:`GeoFigure`),
    whose styles (``geomap.css``) reach only into geomap's own elements, so that it can sit
    inside someone else's page; the full-page styles are a separate header element."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
            <div class="folium-map geomap-map" id={{ this.get_name()|tojson }} role="region"
                 aria-label="{{ this.label|e }}"></div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(geomapContainer, Object.assign(
                {center: {{ this.location|tojson }}, crs: L.CRS.{{ this.crs }}}, {{ this.options|tojavascript }}));
        {% endmacro %}
        """
    )

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        GeoFigure().add_child(self)
        self.label = label


class Script(Macro):
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


class Marker(Macro):
    """A place's keyboard-focusable marker, carrying its popup: a town's symbol, or, for the
    other kinds (:func:`geomap.maps.symbols.presentation`), an empty box at ``anchor`` that
    the label placer (:class:`Labels`) moves onto the place's name and sizes to it, so that
    the name takes the focus and the clicks. Labels are the placer's."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.marker({{ this.location|tojson }}, {
                icon: L.divIcon({{ this.icon|tojson }}), keyboard: true, riseOnHover: true,
                zIndexOffset: {{ this.z_index }},
                title: {{ this.title|tojson }}, alt: {{ this.title|tojson }}
            }).bindPopup({{ this.popup|tojson }}, {maxWidth: 340, autoPanPadding: [24, 24]})
              .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self, place: Place, z_index: int = 0, parent_name: str | None = None, anchor: tuple[float, float] | None = None
    ) -> None:
        super().__init__()
        self._name = "Marker"
        self.z_index = z_index
        self.title = f"{place.name} ({KIND_LABELS[place.kind].lower()})"
        self.popup = str(popup_html(place, parent_name))
        if presentation(place) == "point":
            self.location = [place.lat, place.lon]
            self.icon: dict[str, Any] = {
                "html": str(icon(place.kind, self.title)),
                "className": f"geomap-marker geomap-{place.kind}",
                "iconSize": [22, 22],
                "iconAnchor": [11, 11],
                "popupAnchor": [0, -10],
            }
        else:
            self.location = list(anchor or (place.lat, place.lon))
            self.icon = {"html": "", "className": f"geomap-marker geomap-name geomap-name-{place.kind}",
                         "iconSize": None, "popupAnchor": [0, -8]}  # fmt: skip


class Shape(Macro):
    """A GeoJSON outline or line. A line that stands for its place (a river) carries the
    place's popup, opened by a click or, once the line has the keyboard focus, by Enter, at
    ``anchor`` (the middle of its stretch in view)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoJSON({{ this.data|tojson }},
                {style: {{ this.style|tojson }}, interactive: {{ 'true' if this.popup is not none else 'false' }}})
                .addTo({{ this._parent.get_name() }});
            {%- if this.popup is not none %}
            {{ this.get_name() }}.bindPopup({{ this.popup|tojson }}, {maxWidth: 340, autoPanPadding: [24, 24]});
            {{ this.get_name() }}.eachLayer(function (layer) {
                layer.on("add", function () {
                    var path = layer.getElement();
                    path.setAttribute("tabindex", "0");
                    path.setAttribute("role", "button");
                    path.setAttribute("aria-label", {{ this.title|tojson }});
                    path.addEventListener("keydown", function (event) {
                        if (event.key === "Enter" || event.key === " ") {
                            event.preventDefault();
                            {{ this.get_name() }}.openPopup({{ this.anchor|tojson }});
                        }
                    });
                });
            });
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self, place: Place, anchor: Sequence[float] | None = None, *, tone: int = 0, focusable: bool = False
    ) -> None:
        super().__init__()
        self._name = "Shape"
        self.data = {"type": "Feature", "properties": {"id": place.id, "name": place.name}, "geometry": place.geometry}
        self.style = shape_style(place, tone)
        self.title = f"{place.name} ({KIND_LABELS[place.kind].lower()})"
        self.popup = str(popup_html(place)) if focusable else None
        self.anchor = list(anchor or (place.lat, place.lon))


class Labels(Macro):
    """Every place's label, placed in the browser by ``static/labels.js`` (no two
    overlapping, none over a symbol or a panel, again after every zoom) from ``items``
    (:func:`geomap.maps.labels.label_items`); ``targets`` are the elements whose layers the
    labels stand for, by item id (a town's marker, an area's focusable name, a river's
    line). The map's last script: the markers and panels it keeps off exist by then. The
    placer is the map's ``geomapLabels`` (``report()``, ``place()``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (map, items) {
                var targets = { {%- for id, layer in this.targets.items() %}{{ id|tojson }}: {{ layer.get_name() }}
                    {{- ", " if not loop.last }}{% endfor %}};
                items.forEach(function (item) { item.target = targets[item.id]; });
                map.geomapLabels = GeomapLabels.attach(map, items, {{ this.options|tojson }});
            })({{ this._parent.get_name() }}, {{ this.items|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self, items: Sequence[Mapping[str, Any]], targets: Mapping[str, MacroElement], options: Mapping[str, Any]
    ) -> None:
        super().__init__()
        self._name = "Labels"
        self.items, self.targets, self.options = list(items), dict(targets), dict(options)


class Control(Macro):
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

    def __init__(self, content: Markup, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "Control"
        self.content, self.position, self.css_class = str(content), position, css_class


class DetailInset(Macro):
    """The detail inset of a town (:class:`geomap.maps.detail.Detail`): a small map in a
    corner with the town's parts in their tones, the rivers crossing it and the names, over
    the offline basemap (``base``: :meth:`geomap.maps.basemap.Basemap.geojson`), and a box
    around the town on the map. Shown while the parts are too small on the map; the
    parts' own names on the map (``part_markers``) are shown only when they are not."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: "topright"});
            {{ this.get_name() }}.onAdd = function () {
                var div = L.DomUtil.create("div", "geomap-panel geomap-detail");
                div.setAttribute("role", "img");
                div.setAttribute("aria-label", {{ this.description|tojson }});
                L.DomUtil.create("p", "geomap-title", div).textContent = {{ this.title|tojson }};
                L.DomUtil.create("div", "geomap-detail-map", div);
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
            (function (map, control) {
                var inset = L.map(control.getContainer().querySelector(".geomap-detail-map"), {
                    zoomControl: false, attributionControl: false, dragging: false, scrollWheelZoom: false,
                    doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false, zoomSnap: 0.1
                });
                {%- if this.tiles %}
                L.tileLayer({{ this.tiles|tojson }}, {{ this.tile_options|tojson }}).addTo(inset);
                {%- endif %}
                {%- for shape in this.shapes %}
                L.geoJSON({{ shape.data|tojson }}, {style: {{ shape.style|tojson }}, interactive: false}).addTo(inset);
                {%- endfor %}
                {%- for name in this.names %}
                L.marker({{ name.at|tojson }}, {icon: L.divIcon({{ name.icon|tojson }}), interactive: false,
                                              keyboard: false}).addTo(inset);
                {%- endfor %}
                inset.fitBounds({{ this.bounds|tojson }});
                {%- if this.base %}
                geomapBasemap(inset, {{ this.base|tojson }});
                {%- endif %}
                L.control.scale({position: "bottomleft", imperial: false, maxWidth: 70}).addTo(inset);
                var box = L.rectangle({{ this.bounds|tojson }}, {color: "#222", weight: 1.5, fill: false,
                                                                interactive: false, className: "geomap-detail-box"});
                var parts = [{% for marker in this.part_markers %}{{ marker.get_name() }}{{ ", " if not loop.last }}{% endfor %}];
                function update() {
                    var corners = L.latLngBounds({{ this.smallest|tojson }});
                    var a = map.latLngToContainerPoint(corners.getSouthWest());
                    var b = map.latLngToContainerPoint(corners.getNorthEast());
                    var small = Math.min(Math.abs(b.x - a.x), Math.abs(b.y - a.y)) < {{ this.min_px }};
                    control.getContainer().style.display = small ? "" : "none";
                    if (small) { box.addTo(map); } else { box.remove(); }
                    parts.forEach(function (marker) {
                        var icon = marker.getElement();
                        if (icon) { icon.style.display = small ? "none" : ""; }
                    });
                }
                map.on("zoomend", update);
                map.whenReady(update);
            })({{ this._parent.get_name() }}, {{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self, detail: Detail, part_markers: Sequence[Marker], tones: Mapping[str, int],
        tiles: folium.TileLayer | None, base: Mapping[str, Any] | None = None,
    ) -> None:  # fmt: skip
        super().__init__()
        self._name = "DetailInset"
        town, parts = detail.town, detail.parts
        self.title = town.name
        names = ", ".join([*(p.name for p in parts), *(f"the {name}" for name, _, _ in detail.rivers)])
        self.description = f"Detail of {town.name}: {names}"
        self.tiles = tiles.tiles if tiles is not None else None
        self.tile_options = {
            k: v for k, v in (tiles.options if tiles is not None else {}).items() if k != "attribution"
        }
        # Classes of their own, so that the map's areas and the inset's are told apart.
        town_style = {**shape_style(town), "fillOpacity": 0.06, "className": "geomap-detail-area"}
        self.shapes: list[dict[str, Any]] = []
        if town.geometry is not None:
            self.shapes.append({"data": town.geometry, "style": town_style})
        self.shapes += [
            {"data": p.geometry, "style": {**shape_style(p, tone), "className": "geomap-detail-area"}}
            for p, tone in zip(parts, [tones.get(p.id, 0) for p in parts], strict=True)
        ]
        self.shapes += [{"data": line, "style": {"color": COLOURS["river"], "weight": 3, "opacity": 0.9}}
                        for _, line, _ in detail.rivers]  # fmt: skip
        self.names = [
            {"at": at, "icon": _name_icon(p.kind, p.name)} for p, at in zip(parts, detail.anchors, strict=True)
        ]
        self.names += [{"at": at, "icon": _name_icon("river", name)} for name, _, at in detail.rivers]
        self.bounds, self.smallest, self.min_px = detail.bounds, detail.smallest, MIN_PART_PX
        self.part_markers = list(part_markers)
        self.base = base  # the offline basemap's GeoJSON for the inset's view


def _name_icon(kind: Kind, name: str, classes: str = "") -> dict[str, Any]:
    """Leaflet ``divIcon`` options for a name written on the map, centred on its point, its
    box about as big as the text (:func:`geomap.maps.symbols.name_size`)."""
    width, height = name_size(kind, name)
    return {"html": str(render("name.html", name=name)), "className": f"{classes}geomap-name geomap-name-{kind}",
            "iconSize": [width, height], "iconAnchor": [width // 2, height // 2]}  # fmt: skip
