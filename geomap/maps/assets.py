"""What a map page is made of besides its data: markup from the Jinja2 templates in
``templates/`` (autoescaped: :mod:`geomap.markup`), the styles and scripts in
``static/``, and the Leaflet libraries, linked or inlined."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

import folium
from branca.element import Element, Figure
from markupsafe import Markup

from geomap import markup
from geomap.errors import GeomapError


class Literal(Element):
    """Markup or script written out as it is. Branca makes each rendered part an element
    whose text is compiled as a Jinja template again: that took most of a long map's
    rendering time, and ran any template syntax quoted from an article (``{{ ... }}``)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        # As a template, the text lost one trailing newline (Jinja's keep_trailing_newline is off).
        self.text = text.removesuffix("\n")

    def render(self, **kwargs: Any) -> str:
        return self.text


def render(template: str, /, **context: Any) -> Markup:
    """The markup of this package's ``templates/<template>`` filled with ``context``."""
    return markup.render("geomap.maps", template, **context)


@cache
def static_text(name: str) -> str:
    """A stylesheet or script of ``static/``."""
    return files("geomap.maps").joinpath("static", name).read_text(encoding="utf-8")


#: The map container, with the weight of an id: every rule of geomap's stylesheets starts here,
#: so that a host page's rules ("h3 {color: red}", "#main p") do not reach into the map.
SCOPE = ":is(.geomap-map,#geomap-scope)"


@cache
def scoped_css(name: str) -> str:
    """A stylesheet of ``static/`` with every selector scoped to the map container
    (:data:`SCOPE`); a selector whose first part names the container (``.geomap-map``,
    ``.leaflet-container``) is the container itself. The files hold flat rules only."""

    def scope(selector: str) -> str:
        selector = selector.strip()
        first = re.match(r"[^\s>+~]+", selector)
        if first and re.search(r"\.(?:geomap-map|leaflet-container)(?![\w-])", first.group()):
            rest = re.sub(r"\.(?:geomap-map|leaflet-container)(?![\w-])", "", first.group())
            return SCOPE + rest + selector[first.end() :]
        return f"{SCOPE} {selector}"

    css = re.sub(r"/\*.*?\*/\s*", "", static_text(name), flags=re.DOTALL)
    # Selector lists split at the commas outside parentheses (":is(h1,h2)" is one selector).
    return re.sub(
        r"(\s*)([^{}]+)\{",
        lambda m: m.group(1) + ",".join(scope(s) for s in re.split(r",(?![^()]*\))", m.group(2))) + "{",
        css,
    ).strip()


def set_assets(m: folium.Map, figure: Figure, cdn: bool = False) -> None:
    """Embed Leaflet (or, with ``cdn``, link it); the URLs are folium's own public asset
    lists, so they follow folium's versions, and the copies embedded are folium-offline's of
    those same URLs. No plugin: geomap's own scripts are in ``static/``."""
    leaflet_js = next(asset for asset in folium.Map.default_js if asset[0] == "leaflet")
    leaflet_css = next(asset for asset in folium.Map.default_css if asset[0] == "leaflet_css")
    js = [leaflet_js]
    css = [leaflet_css]
    if cdn:
        m.default_js, m.default_css = js, css
        return
    m.default_js, m.default_css = [], []
    bundled = _bundled_assets()
    for name, url in js + css:
        if url not in bundled:
            raise GeomapError(f"folium-offline has no copy of {url}; install the folium-offline release matching "
                              f"folium {folium.__version__}")  # fmt: skip
        tag = "script" if (name, url) in js else "style"
        figure.header.add_child(Literal(f"<{tag}>{bundled[url]}</{tag}>"), name=name)


def _bundled_assets() -> dict[str, str]:
    """folium-offline's copies of the libraries, by URL: the package keeps them in one
    module-level table and offers no other way to read them."""
    try:
        from offlinefolium.elements import _res
    except ImportError:
        raise GeomapError("a self-contained map needs the folium-offline package (pip install folium-offline), "
                          "or link Leaflet from CDNs with --cdn") from None  # fmt: skip
    return _res
