"""Maps as files for reports: a page, an embeddable fragment or iframe, a figure (PNG, PDF
or SVG) rendered by headless Chromium, or GeoJSON for GIS tools.

Folium is only imported for the formats that draw a map, so GeoJSON export stays light.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from geomap.errors import GeomapError
from geomap.fsutil import atomic_write
from geomap.maps.chromium import shared_browser
from geomap.model import Article, Place

if TYPE_CHECKING:
    import folium

    from geomap.maps.elements import GeoFigure

log = logging.getLogger(__name__)

FORMATS = ("html", "fragment", "iframe", "png", "pdf", "svg", "geojson")
#: The formats that are pictures of the map, made by Chromium: static, without controls.
FIGURES = ("png", "pdf", "svg")
#: A figure's side in CSS pixels: smaller is unreadable, larger runs Chromium out of memory.
PNG_SIDE = (100, 8000)
DEFAULT_PNG_SIZE = (1200, 800)
#: Device pixels per CSS pixel of a PNG: 1 to 4 (2 for high-DPI screens and print).
SCALES = (1.0, 4.0)
#: Seconds a figure waits for its basemap tiles; tiles not there by then leave the offline basemap.
TILE_WAIT = 4.0
DEFAULT_FRAGMENT_HEIGHT = "480px"
#: CSS lengths a fragment or iframe may be given as its height (it is written into a style).
_CSS_LENGTH = re.compile(r"(?:\d+(?:\.\d+)?|\.\d+)(?:px|em|rem|vh|%|cm|mm|in|pt)")
_SUFFIXES = {".html": "html", ".htm": "html", ".png": "png", ".pdf": "pdf", ".svg": "svg", ".geojson": "geojson",
             ".json": "geojson"}  # fmt: skip
#: Header elements of a full page that must not leak into someone else's page.
_PAGE_ONLY = ("meta_http", "geomap_page")


def export(
    places: Sequence[Place],
    path: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    article: Article | None = None,
    tiles: str | None = "OpenStreetMap",
    cdn: bool = False,
    title: str | None = None,
    map_id: str | None = None,
    width: int = DEFAULT_PNG_SIZE[0],
    height: int = DEFAULT_PNG_SIZE[1],
    scale: float = 1.0,
    fragment_height: str = DEFAULT_FRAGMENT_HEIGHT,
    shapes: bool = True,
    credit: str | None = None,
) -> Path:
    """Write ``places`` to ``path`` as ``fmt`` (default: from the suffix: .html, .png, .pdf,
    .geojson/.json; fragment and iframe must be asked for) and return the path.

    Figures (PNG, PDF, SVG) are ``width`` × ``height`` CSS pixels (a PNG has ``scale`` device
    pixels to each), drawn without interactive controls. With ``shapes``, places lacking a
    geometry get one from the shipped gazetteer first
    (:func:`geomap.maps.shapes.attach_shapes`; a no-op for places already shaped).
    ``credit`` ends the caption ("Map: J. Doe").
    """
    target = Path(path)
    fmt = fmt or _SUFFIXES.get(target.suffix.lower())
    if fmt is None:
        raise GeomapError(f"cannot tell the format from {target.name!r}: pass one of {', '.join(FORMATS)}")
    if fmt not in FORMATS:
        raise GeomapError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt in FIGURES:
        _checked_size(width, height)
        _checked_scale(scale)
    if shapes:
        from geomap import default_gazetteer
        from geomap.maps.shapes import attach_shapes

        places = attach_shapes(places, default_gazetteer())
    m = None
    if fmt != "geojson":
        from geomap.maps.render import make_map

        m = make_map(
            places, article=article, tiles=tiles, title=title, cdn=cdn and fmt not in FIGURES, map_id=map_id,
            figure=(width, height) if fmt in FIGURES else None, credit=credit,
        )  # fmt: skip
    document = render_document(
        m, places, fmt, width=width, height=height, scale=scale, fragment_height=fragment_height
    )  # fmt: skip
    return atomic_write(target, document)


@overload
def render_document(
    m: folium.Map | None,
    places: Sequence[Place],
    fmt: Literal["png", "pdf", "svg"],
    *,
    width: int = DEFAULT_PNG_SIZE[0],
    height: int = DEFAULT_PNG_SIZE[1],
    scale: float = 1.0,
    fragment_height: str = DEFAULT_FRAGMENT_HEIGHT,
    timeout: float = 60.0,
) -> bytes: ...


@overload
def render_document(
    m: folium.Map | None,
    places: Sequence[Place],
    fmt: Literal["html", "fragment", "iframe", "geojson"],
    *,
    width: int = DEFAULT_PNG_SIZE[0],
    height: int = DEFAULT_PNG_SIZE[1],
    scale: float = 1.0,
    fragment_height: str = DEFAULT_FRAGMENT_HEIGHT,
    timeout: float = 60.0,
) -> str: ...


@overload
def render_document(
    m: folium.Map | None,
    places: Sequence[Place],
    fmt: str,
    *,
    width: int = DEFAULT_PNG_SIZE[0],
    height: int = DEFAULT_PNG_SIZE[1],
    scale: float = 1.0,
    fragment_height: str = DEFAULT_FRAGMENT_HEIGHT,
    timeout: float = 60.0,
) -> str | bytes: ...


def render_document(
    m: folium.Map | None,
    places: Sequence[Place],
    fmt: str,
    *,
    width: int = DEFAULT_PNG_SIZE[0],
    height: int = DEFAULT_PNG_SIZE[1],
    scale: float = 1.0,
    fragment_height: str = DEFAULT_FRAGMENT_HEIGHT,
    timeout: float = 60.0,
) -> str | bytes:
    """The text (or the bytes of a figure) of ``m`` in ``fmt``; ``places`` feed GeoJSON,
    which needs no map. A fragment is one ``div`` plus its styles and scripts, with no page
    styles, sized by ``fragment_height``; any number of copies of it can share a page.
    Figures are best drawn from a map made with ``figure=(width, height)``, which has no
    controls and opens at the view its basemap was drawn for."""
    if fmt == "geojson":
        return json.dumps(feature_collection(places), ensure_ascii=False, indent=1) + "\n"
    if fmt not in FORMATS:
        raise GeomapError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if m is None:
        raise GeomapError(f"the {fmt} format needs a map")
    fragment_height = css_length(fragment_height)
    figure = _figure(m)
    # Folium's layers queue their addTo() call afresh on every render: start clean, so
    # that rendering one map twice (an .html, then a fragment) gives the same text.
    figure.script._children.clear()
    page = figure.render()
    if fmt == "html":
        return page
    if fmt == "iframe":
        label = html.escape(getattr(m, "label", None) or "Map", quote=True)
        return (
            f'<iframe title="{label}" srcdoc="{html.escape(page, quote=True)}" loading="lazy" '
            f'sandbox="allow-scripts allow-popups" style="width:100%;height:{html.escape(fragment_height)};border:0">'
            "</iframe>\n"
        )
    if fmt == "fragment":
        return _fragment(m, fragment_height)
    return picture(page, fmt, width=width, height=height, scale=scale, timeout=timeout)


def png_size(text: str) -> tuple[int, int]:
    """``"1600x900"`` as (width, height), within :data:`PNG_SIDE`."""
    m = re.fullmatch(r"\s*(\d+)\s*[x×]\s*(\d+)\s*", text)
    if not m:
        raise GeomapError(f"PNG size {text!r} is not WIDTHxHEIGHT in pixels, such as 1600x900")
    return _checked_size(int(m.group(1)), int(m.group(2)))


def _checked_size(width: int, height: int) -> tuple[int, int]:
    low, high = PNG_SIDE
    if not (low <= width <= high and low <= height <= high):
        raise GeomapError(f"PNG size {width}x{height} is out of range ({low} to {high} pixels a side)")
    return width, height


def png_scale(text: str) -> float:
    """``"2"`` as 2.0, within :data:`SCALES`."""
    try:
        value = float(text)
    except ValueError:
        raise GeomapError(f"scale {text!r} is not a number such as 2") from None
    return _checked_scale(value)


def _checked_scale(scale: float) -> float:
    low, high = SCALES
    if not low <= scale <= high:
        raise GeomapError(f"scale {scale:g} is out of range ({low:g} to {high:g} device pixels a CSS pixel)")
    return scale


def css_length(text: str) -> str:
    """A fragment's height as a CSS length ("600px", "70vh"); a bare number is pixels."""
    value = text.strip()
    if re.fullmatch(r"\d+", value):
        value += "px"
    if not _CSS_LENGTH.fullmatch(value):
        raise GeomapError(f"height {text!r} is not a CSS length such as 600px, 40em or 70vh")
    return value


def _fragment(m: folium.Map, height: str) -> str:
    figure = _figure(m)
    head = "".join(el.render() for name, el in figure.header._children.items() if name not in _PAGE_ONLY)
    return (
        f'<div class="geomap-figure" style="position:relative;width:100%;height:{html.escape(height)}">\n'
        f"{head}\n{figure.html.render()}\n<script>\n{figure.scoped_script()}\n</script>\n</div>\n"
    )


def _figure(m: folium.Map) -> GeoFigure:
    """The page a map is drawn on: make_map always puts it on a GeoFigure."""
    from geomap.maps.elements import GeoFigure

    figure = m.get_root()
    assert isinstance(figure, GeoFigure)
    return figure


def feature_collection(places: Sequence[Place]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: a Point per place, and the drawn outline or line of
    each place that has one (``"role": "area"``), with the place's properties."""
    features = []
    for place in places:
        props = place.as_dict()
        props["mentions"] = [
            {"text": m.text, "sentence": m.sentence.text, "start": m.start, "end": m.end,
             "sentence_start": m.start - m.sentence.start, "sentence_end": m.end - m.sentence.start}
            for m in place.mentions
        ]  # fmt: skip
        point = {"type": "Point", "coordinates": [place.lon, place.lat]}
        features.append(
            {"type": "Feature", "id": place.id, "geometry": point, "properties": {**props, "role": "point"}}
        )
        if place.geometry is not None and place.geometry.get("type") != "Point":
            area = {**props, "role": "area"}
            features.append({"type": "Feature", "id": f"{place.id}/area", "geometry": dict(place.geometry),
                             "properties": area})  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def picture(
    page: str, fmt: str = "png", *, width: int = DEFAULT_PNG_SIZE[0], height: int = DEFAULT_PNG_SIZE[1],
    scale: float = 1.0, tile_wait: float = TILE_WAIT, timeout: float = 60.0,
) -> bytes:  # fmt: skip
    """``page`` pictured by headless Chromium at ``width`` × ``height`` CSS pixels, as PNG
    (``scale`` device pixels to each), PDF (one sheet of that size) or SVG (static/svg.js), once its maps
    are ready (``static/ready.js``). Tile layers not loaded within ``tile_wait`` seconds are
    taken off, with a warning, leaving the offline basemap."""
    _checked_size(width, height)
    _checked_scale(scale)
    browser = shared_browser()
    browser.timeout = timeout
    tab = browser.page(width, height, scale)
    try:
        tab.open(page)
        for report in tab.evaluate(f"window.geomapReady ? geomapReady({round(tile_wait * 1000)}) : []"):
            if report["tiles"] in ("timeout", "failed"):
                why = "some could not be loaded" if report["tiles"] == "failed" else f"not all came in {tile_wait:g} s"
                log.warning("basemap tiles left out (%s): the figure shows the offline basemap", why)
        if fmt == "svg":
            from geomap.maps.assets import static_text  # not at the top: GeoJSON export loads no folium

            svg: str = tab.evaluate(static_text("svg.js") + "\ngeomapSvg()")
            return svg.encode()
        return tab.screenshot() if fmt == "png" else tab.pdf(width, height)
    finally:
        tab.close()
