"""The map's Folium elements: the map itself, markers, shapes, panels, the locator
inset and scripts. Each writes its own JavaScript from a small template; the markup
they carry (popups, panels) comes from :mod:`geomap.maps.assets`' templates."""

from __future__ import annotations

from typing import Any

import folium
from branca.element import MacroElement
from folium.template import Template
from markupsafe import Markup

from geomap.maps.popup import popup_html
from geomap.maps.symbols import KIND_LABELS, icon, shape_style
from geomap.model import Place

#: Labels longer than this are cut, with an ellipsis; the popup has the full name.
LABEL_LENGTH = 24


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


class Script(MacroElement):
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


class Marker(MacroElement):
    """A place's keyboard-focusable marker, with its permanent label and its popup."""

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
        self.title = f"{place.name} ({KIND_LABELS[place.kind].lower()})"
        self.label = place.name if len(place.name) <= LABEL_LENGTH else place.name[: LABEL_LENGTH - 1] + "…"
        self.icon = {
            "html": str(icon(place.kind, self.title)),
            "className": f"geomap-marker geomap-{place.kind}",
            "iconSize": [22, 22],
            "iconAnchor": [11, 11],
            "popupAnchor": [0, -10],
        }
        self.popup = str(popup_html(place, parent_name))


class Shape(MacroElement):
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
        self.style = shape_style(place)
        self.label = place.name
        self.label_line = label_line


class Control(MacroElement):
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


class MiniMap(MacroElement):
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
