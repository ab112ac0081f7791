"""An offline vector basemap, so that a map needs neither tiles nor a network: Natural
Earth's land and sea, coastlines, borders, lakes, rivers and names, for the view a map shows.

:mod:`geomap.tools.build_basemap` writes the data into the package (``data/basemap.zip``): each
layer at a few levels of detail, simplified for its scale and quantised. :func:`draw` picks the
level for the view's zoom, clips every layer to the (padded) view, simplifies it to half a
pixel and places the labels that fit without overlapping: neighbouring countries on their
visible area, seas, lakes, context towns by Natural Earth's ranks. :func:`locator_svg` draws
the small map of the region, with the frame outlined, for a locator inset.

Positions are Web Mercator pixels, as in Leaflet, so that what is chosen here is what the
map shows: :func:`fit` mirrors Leaflet's ``fitBounds`` to get the view a frame opens at.
"""

from __future__ import annotations

import functools
import html
import json
import math
import zipfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geomap.errors import GeomapError
from geomap.fsutil import package_data

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from shapely import MultiPolygon, Polygon

    from geomap.model import Place

#: The credit Natural Earth asks for; the renderer adds it to the map's attribution.
CREDIT = "Made with Natural Earth"
#: Version of the data file's layout; the builder writes it, :func:`draw` checks it.
FORMAT = 1
DATA_FILE = "basemap.zip"
TILE = 256  # Web Mercator pixels across the world at zoom 0
MAX_LAT = 85.0511287798  # the latitude where Web Mercator's square world ends


class Level(NamedTuple):
    """One level of detail: used for views up to ``max_zoom``, simplified with ``tolerance``
    (degrees, about half a pixel at that zoom) on a grid of ``quantum`` degrees."""

    name: str
    max_zoom: float
    tolerance: float
    quantum: float
    min_area: float  # square degrees: smaller islands and lakes are dropped
    river_zoom: float  # rivers and lakes that Natural Earth shows from this zoom or less are kept


LEVELS = (
    Level("world", 3.5, 0.08, 0.01, 0.02, 3.0),
    Level("continent", 5.5, 0.015, 0.002, 0.0005, 5.0),
    Level("region", math.inf, 0.002, 0.001, 0.00005, 7.0),
)

#: Each layer's attributes, in the order the builder writes them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "land": (),
    "borders": (),
    "admin1": (),
    "countries": ("iso", "name", "labelrank", "min_label"),
    "lakes": ("name", "min_zoom", "min_label"),
    "rivers": ("scalerank", "min_zoom"),
    "seas": ("name", "kind", "min_label", "max_label"),
    "towns": ("id", "name", "capital", "min_zoom", "labelrank", "population"),
    "regions": ("name", "min_label"),
}
#: The levels each layer is stored at ("" for one member serving every level); a view uses the
#: layer's first level at least as fine as its own. Natural Earth's 1:50m land is already
#: continent-scale data (simplifying it for that scale would save a tenth), so land and
#: borders have a world level and a full-detail one; country outlines only place names and
#: tint insets, so the continent's detail serves closer views too; the 1:10m lakes and
#: rivers have all three levels; state lines, thin and dotted, one.
MEMBERS: dict[str, tuple[str, ...]] = {
    "land": ("world", "region"),
    "borders": ("world", "region"),
    "countries": ("world", "continent"),
    "rivers": tuple(level.name for level in LEVELS),
    "lakes": tuple(level.name for level in LEVELS),
    "admin1": ("",),
    "seas": ("",),
    "towns": ("",),
    "regions": ("",),
}
POLYGON_LAYERS = ("land", "countries", "lakes", "seas")
POINT_LAYERS = ("towns", "regions")

#: Label sizes in pixels by ``size`` (0 is the largest), and how wide a letter is on average
#: as a fraction of the size: capitals with letter spacing for countries, lower case for the rest.
FONT_PX = (16, 13, 11)
LETTER_WIDTH = {"country": 0.78, "region": 0.72, "sea": 0.6, "lake": 0.6, "town": 0.56, "capital": 0.6}
#: The inset's colours, written into the SVG so that it looks right on any page (those of
#: ``basemap.css``; the frame in the renderer's accent colour).
LOCATOR_COLOURS = {"sea": "#d3e3ec", "land": "#f2efe8", "highlight": "#d9d2c3", "border": "#a49f97", "frame": "#D55E00"}
#: At most one context town per this many square pixels of map.
TOWN_AREA_PX = 80_000
#: Towns must be this many zoom levels more important than Natural Earth would label at the view.
TOWN_ZOOM_MARGIN = 1.0
#: A town's dot and its label stay this far (pixels) from every label already placed.
LABEL_GAP = 4

_Part = TypeVar("_Part", bound=BaseGeometry)
Kind = Literal["country", "region", "sea", "lake", "town", "capital"]
Box = tuple[float, float, float, float]  # left, top, right, bottom in the view's pixels
Anchor = Literal["center", "right", "left", "above", "below"]


class Frame(NamedTuple):
    """A lat/lon box. ``east`` may exceed 180 for a frame across the antimeridian."""

    south: float
    west: float
    north: float
    east: float

    def padded(self, fraction: float) -> Frame:
        """The frame grown by ``fraction`` of its height and width on each side, within Web
        Mercator's latitudes and at most once round the world."""
        dy, dx = (self.north - self.south) * fraction, min((self.east - self.west) * (1 + 2 * fraction), 360.0) / 2
        middle = (self.west + self.east) / 2
        return Frame(max(-MAX_LAT, self.south - dy), middle - dx, min(MAX_LAT, self.north + dy), middle + dx)


@dataclass(frozen=True, slots=True)
class View:
    """What a map of ``width`` × ``height`` pixels shows when centred on (lat, lon) at ``zoom``."""

    lat: float
    lon: float
    zoom: float
    width: int
    height: int

    @property
    def scale(self) -> float:
        """Pixels per Web Mercator unit (the world is ``TILE`` units wide)."""
        return float(2.0**self.zoom)

    @property
    def degrees_per_pixel(self) -> float:
        """Degrees of latitude in one pixel at the view's centre (the finest scale in view)."""
        return 360.0 / (TILE * self.scale) * math.cos(math.radians(self.lat))

    @property
    def frame(self) -> Frame:
        """The lat/lon box the view shows."""
        (west, south), (east, north) = self.lonlat(np.array([[0.0, self.height], [self.width, 0.0]])).tolist()
        return Frame(south, west, north, east)

    def pixels(self, lonlat: NDArray[np.float64]) -> NDArray[np.float64]:
        """Pixel positions (x right, y down, from the top left corner) of lon/lat rows."""
        return np.asarray(_mercator(lonlat) * self.scale - self._origin(), dtype=np.float64)

    def lonlat(self, pixels: NDArray[np.float64]) -> NDArray[np.float64]:
        """The inverse of :meth:`pixels`."""
        return _unmercator((pixels + self._origin()) / self.scale)

    def _origin(self) -> NDArray[np.float64]:
        """The top left corner in world pixels at the view's zoom."""
        centre = _mercator(np.array([[self.lon, self.lat]]))[0] * self.scale
        return np.asarray(centre - (self.width / 2, self.height / 2), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Label:
    """A name to print: ``anchor`` says where the text sits relative to the point (towns have
    a dot at the point, the other kinds are centred on it); ``lines`` are printed one under another."""

    lines: tuple[str, ...]
    lat: float
    lon: float
    kind: Kind
    size: int
    anchor: Anchor
    id: str


@dataclass(frozen=True, slots=True)
class Basemap:
    """What to draw under a map: GeoJSON geometries (empty ones are None) clipped to ``bounds``,
    rivers by importance (index 0 the least), and the labels, most important first."""

    view: View
    bounds: Frame
    land: dict[str, Any] | None
    coast: dict[str, Any] | None
    borders: dict[str, Any] | None
    admin1: dict[str, Any] | None
    lakes: dict[str, Any] | None
    rivers: tuple[dict[str, Any] | None, ...]
    labels: tuple[Label, ...]
    credit: str = CREDIT

    def geojson(self) -> dict[str, Any]:
        """One FeatureCollection for the client (``static/basemap.js``): each feature's
        ``layer`` property says how to draw it, labels are Points with their text."""
        features: list[dict[str, Any]] = []
        for layer in ("land", "admin1", "rivers", "lakes", "borders", "coast"):
            geometries = self.rivers if layer == "rivers" else (getattr(self, layer),)
            for rank, geometry in enumerate(geometries):
                if geometry is not None:
                    props: dict[str, Any] = {"layer": layer} | ({"rank": rank} if layer == "rivers" else {})
                    features.append({"type": "Feature", "properties": props, "geometry": geometry})
        for label in self.labels:
            props = {"layer": "label", "kind": label.kind, "size": label.size, "anchor": label.anchor,
                     "lines": list(label.lines)}  # fmt: skip
            point = {"type": "Point", "coordinates": [label.lon, label.lat]}
            features.append({"type": "Feature", "properties": props, "geometry": point})
        bbox = [self.bounds.west, self.bounds.south, self.bounds.east, self.bounds.north]
        return {"type": "FeatureCollection", "bbox": bbox, "features": features}


def fit(
    frame: Frame,
    size: tuple[int, int],
    *,
    padding: tuple[int, int, int, int] = (0, 0, 0, 0),
    snap: float = 1.0,
    max_zoom: float = 18.0,
) -> View:
    """The view Leaflet's ``fitBounds(frame, {paddingTopLeft: [left, top], paddingBottomRight:
    [right, bottom], maxZoom})`` opens at on a ``size`` map with ``zoomSnap: snap``
    (``padding`` is left, top, right, bottom), so that the basemap is chosen for the zoom the
    reader sees. Snap 0 keeps the exact zoom."""
    width, height = size
    left, top, right, bottom = padding
    corners = _mercator(np.array([[frame.west, frame.south], [frame.east, frame.north]]))
    dx, dy = max(corners[1, 0] - corners[0, 0], 1e-9), max(corners[0, 1] - corners[1, 1], 1e-9)
    zoom = math.log2(max(min((width - left - right) / dx, (height - top - bottom) / dy), 1e-9))
    if snap > 0:
        zoom = math.floor(round(zoom / (snap / 100)) * (snap / 100) / snap) * snap
    zoom = max(0.0, min(zoom, max_zoom))
    centre = (corners[0] + corners[1]) / 2 * 2**zoom + ((right - left) / 2, (bottom - top) / 2)
    lon, lat = _unmercator(centre[None, :] / 2**zoom)[0]
    return View(float(lat), float(lon), zoom, width, height)


def draw(
    view: View,
    *,
    skip: Collection[str] = (),
    avoid: Iterable[tuple[float, float]] = (),
    keep_clear: Iterable[Box] = (),
    pad: float = 0.25,
) -> Basemap:
    """The basemap for ``view``, clipped to its frame padded by ``pad`` of its size on each side
    (room to pan). Labels leave out the places named in ``skip`` (ids such as
    ``geonames:99072`` or ``iso:IQ``, or names, in any case: see :func:`skip_ids`), keep off
    the ``avoid`` points (lat, lon: the article's own places; no context town within 40 px)
    and out of the ``keep_clear`` boxes (left, top, right, bottom in the view's pixels: the
    title panel, the legend, the inset)."""
    level = _level(view.zoom)
    bounds = view.frame.padded(pad)
    tolerance = view.degrees_per_pixel / 2
    digits = max(0, math.ceil(-math.log10(view.degrees_per_pixel / 2)))
    land_parts = _polygons(_clip("land", level.name, bounds), tolerance)
    land = _multi(land_parts)
    coast = _lines(_clip("land", level.name, bounds, boundary=True), tolerance)
    lake_rows = [i for i, row in _rows("lakes", level.name, bounds) if row["min_zoom"] <= view.zoom + 1]
    lakes = _multi(_polygons(_clip("lakes", level.name, bounds, lake_rows), tolerance))
    rivers = _rivers(view, level, bounds, tolerance)
    admin1 = _lines(_clip("admin1", "", bounds), tolerance) if view.zoom >= 3.5 else None
    labels = _Labels(view, skip, avoid, keep_clear, land_parts).place(level.name)
    return Basemap(
        view,
        bounds,
        land=_geojson(land, digits),
        coast=_geojson(coast, digits),
        borders=_geojson(_lines(_clip("borders", level.name, bounds), tolerance), digits),
        admin1=_geojson(admin1, digits),
        lakes=_geojson(lakes, digits),
        rivers=tuple(_geojson(r, digits) for r in rivers),
        labels=labels,
    )


def skip_ids(places: Iterable[Place]) -> frozenset[str]:
    """What :func:`draw` should not label for an article's places: their ids and names, and
    ``iso:XX`` for its countries (Natural Earth's countries carry no GeoNames id)."""
    out: set[str] = set()
    for place in places:
        out |= {place.id, place.name.casefold()}
        if place.kind == "country" and place.country_code:
            out.add(f"iso:{place.country_code.upper()}")
    return frozenset(out)


def locator_svg(
    frame: Frame,
    size: tuple[int, int] = (150, 150),
    *,
    highlight: Collection[str] = (),
    title: str = "Locator map",
    span: float = 6.0,
    points: Sequence[tuple[float, float]] = (),
) -> str:
    """A small map of the region around ``frame`` (which takes about 1/``span`` of its width),
    as an SVG element: land, borders, the ``highlight`` countries (ISO codes) tinted, and the
    frame outlined (a ring when it would be too small to see). For a locator inset. The
    ``points`` (lat, lon: places far from the frame) are marked with dots numbered from 1,
    and the region drawn reaches them too, up to the whole world."""
    width, height = size
    lats = [frame.south, frame.north, *(lat for lat, _ in points)]
    lons = [frame.west, frame.east, *(lon for _, lon in points)]
    inner = fit(Frame(min(lats), min(lons), max(lats), max(lons)), size, snap=0)
    zoom = max(math.log2(width / TILE), min(inner.zoom - math.log2(span), math.log2(width * 360 / TILE / 25)))
    view = View(inner.lat, inner.lon, zoom, width, height)
    level = _level(zoom)
    bounds = view.frame.padded(0.05)
    tolerance = view.degrees_per_pixel / 2
    land = _multi(_polygons(_clip("land", level.name, bounds), tolerance))
    tinted = [i for i, row in _rows("countries", level.name, bounds) if row["iso"] in highlight]
    countries = _multi(_polygons(_clip("countries", level.name, bounds, tinted), tolerance))
    borders = _lines(_clip("borders", level.name, bounds), tolerance)
    (x0, y1), (x1, y0) = view.pixels(np.array([[frame.west, frame.south], [frame.east, frame.north]]))
    stroke = f'fill="none" stroke="{LOCATOR_COLOURS["frame"]}" stroke-width="2"'
    if max(x1 - x0, y1 - y0) < 8:
        mark = f'<circle cx="{(x0 + x1) / 2:.1f}" cy="{(y0 + y1) / 2:.1f}" r="5" {stroke}/>'
    else:
        mark = f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" {stroke}/>'
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{LOCATOR_COLOURS["frame"]}" stroke="#fff" stroke-width="1"/>'
        f'<text x="{x:.1f}" y="{y + 3:.1f}" text-anchor="middle" font-size="9" font-weight="700" fill="#fff" '
        f'font-family="system-ui,sans-serif">{n}</text>'
        for n, (x, y) in enumerate(
            view.pixels(np.array([[lon, lat] for lat, lon in points], dtype=float).reshape(-1, 2)).tolist(), 1
        )
    )
    title_text = html.escape(title)
    return (
        f'<svg class="geomap-locator" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{title_text}">'
        f'<rect width="{width}" height="{height}" fill="{LOCATOR_COLOURS["sea"]}"/>'
        f'<path d="{_svg_path(land, view)}" fill="{LOCATOR_COLOURS["land"]}"/>'
        f'<path d="{_svg_path(countries, view)}" fill="{LOCATOR_COLOURS["highlight"]}"/>'
        f'<path d="{_svg_path(borders, view)}" fill="none" stroke="{LOCATOR_COLOURS["border"]}" stroke-width=".5"/>'
        f"{mark}{dots}</svg>"
    )


# --- labels -----------------------------------------------------------------------------------


class _Labels:
    """Places labels most important first, each only where it fits and overlaps none placed
    before it nor the boxes kept clear: towns (whose places are fixed), then the names of
    areas, which can move (countries, seas, lakes), then states."""

    def __init__(
        self, view: View, skip: Collection[str], avoid: Iterable[tuple[float, float]], keep_clear: Iterable[Box],
        land: Sequence[Polygon],
    ) -> None:  # fmt: skip
        self.view = view
        self.frame = view.frame
        self.skip = {s.casefold() for s in skip}
        points = np.array([(lon, lat) for lat, lon in avoid], dtype=float).reshape(-1, 2)
        self.avoid = [(float(x), float(y)) for x, y in view.pixels(points)]
        self.taken: list[Box] = [*keep_clear, *((x - 12, y - 12, x + 12, y + 12) for x, y in self.avoid)]
        self.land = land
        self.labels: list[Label] = []

    def place(self, level: str) -> tuple[Label, ...]:
        zoom = self.view.zoom
        self._towns()
        countries = [(i, r) for i, r in _rows("countries", level, self.frame) if r["min_label"] <= zoom + 1.5]
        for i, row in sorted(countries, key=lambda ir: (ir[1]["labelrank"], ir[0])):
            if not self._skipped(f"iso:{row['iso']}", row["name"]):
                pieces = _clip("countries", level, self.frame, [i])
                self._area(pieces, row["name"], "country", f"iso:{row['iso']}", None)
        for i, row in _rows("seas", "", self.frame):
            if row["min_label"] <= zoom + 1 <= row["max_label"] + 2 and not self._skipped("", row["name"]):
                sea = _clip("seas", "", self.frame, [i])
                size = 0 if row["kind"] == "ocean" else 1
                self._area(sea, _sea_name(row["name"]), "sea", _sea_name(row["name"]), size, clear_of_land=True)
        for i, row in _rows("lakes", level, self.frame):
            if row["name"] and row["min_label"] <= zoom and not self._skipped("", row["name"]):
                self._area(_clip("lakes", level, self.frame, [i]), row["name"], "lake", row["name"], 1)
        if zoom >= 3.5:
            for row in _points("regions", self.frame):
                if row["min_label"] <= zoom + 1 and not self._skipped("", row["name"]):
                    self._point(row, "region", 2, ("center",), row["name"])
        return tuple(self.labels)

    def _skipped(self, key: str, name: str) -> bool:
        return key.casefold() in self.skip or name.casefold() in self.skip

    def _towns(self) -> None:
        """Context towns: capitals first, then by Natural Earth's zoom and label ranks, a
        zoom level more selective than Natural Earth, at most one per :data:`TOWN_AREA_PX`."""
        limit = max(3, round(self.view.width * self.view.height / TOWN_AREA_PX))
        rows = [r for r in _points("towns", self.frame) if r["min_zoom"] <= self.view.zoom - TOWN_ZOOM_MARGIN]
        rows.sort(key=lambda r: (not r["capital"], r["min_zoom"], r["labelrank"], -r["population"], r["id"]))
        placed = 0
        for row in rows:
            if placed == limit:
                break
            if self._skipped(row["id"], row["name"]):
                continue
            x, y = self.view.pixels(np.array([[row["lon"], row["lat"]]]))[0]
            if any(math.hypot(x - ax, y - ay) < 40 for ax, ay in self.avoid):
                continue
            kind: Kind = "capital" if row["capital"] else "town"
            size = 1 if row["capital"] or row["labelrank"] <= 2 else 2
            placed += self._point(row, kind, size, ("right", "left", "above", "below"), row["id"])

    def _point(self, row: dict[str, Any], kind: Kind, size: int, anchors: Sequence[Anchor], key: str) -> bool:
        """A label by a point (a town's dot, or a state's label point): the first of ``anchors`` that fits."""
        x, y = self.view.pixels(np.array([[row["lon"], row["lat"]]]))[0]
        w, h = _text_size((row["name"],), kind, size)
        dot = (x - 3, y - 3, x + 3, y + 3)
        if kind in ("town", "capital") and not self._free(dot):
            return False
        gap = 5
        corners: dict[Anchor, tuple[float, float]] = {
            "center": (x - w / 2, y - h / 2), "right": (x + gap, y - h / 2), "left": (x - gap - w, y - h / 2),
            "above": (x - w / 2, y - gap - h), "below": (x - w / 2, y + gap),
        }  # fmt: skip
        for anchor in anchors:
            left, top = corners[anchor]
            box = (left, top, left + w, top + h)
            if self._free(box):
                self.taken += [box, dot]
                lat, lon = round(row["lat"], 4), round(row["lon"], 4)
                self.labels.append(Label((row["name"],), lat, lon, kind, size, anchor, key))
                return True
        return False

    def _area(
        self,
        pieces: Sequence[BaseGeometry],
        name: str,
        kind: Kind,
        key: str,
        largest: int | None,
        clear_of_land: bool = False,
    ) -> None:
        """A label on an area (a country's visible part, a sea), on one line or broken at a
        space, in the largest size that fits from ``largest`` down (None: by the visible area)."""
        words = name.split()
        layouts = [(name,)] + [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words))]
        layouts.sort(key=lambda ls: max(map(len, ls)) + 4 * len(ls))  # two lines if much narrower
        smallest = [_text_size(layout, kind, len(FONT_PX) - 1) for layout in layouts]
        if not pieces or not self._room(pieces, min(w for w, _ in smallest), min(h for _, h in smallest)):
            return
        outline = shapely.MultiPolygon(parts(pieces, shapely.Polygon))
        simple = shapely.simplify(outline, self.view.degrees_per_pixel, preserve_topology=False)
        region = _polygonal(shapely.make_valid(self._pixels(simple)))
        if largest is None:
            largest = 0 if region.area > 120_000 else 1 if region.area > 20_000 else 2
        for size in range(largest, len(FONT_PX)):
            for layout in layouts:
                w, h = _text_size(layout, kind, size)
                spot = self._fit(region, w, h, self._land_pixels if clear_of_land else None)
                if spot is not None:
                    x, y = spot
                    self.taken.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2))
                    ((lon, lat),) = self.view.lonlat(np.array([spot])).tolist()
                    self.labels.append(Label(layout, round(lat, 4), round(lon, 4), kind, size, "center", key))
                    return

    def _fit(
        self, region: MultiPolygon, w: float, h: float, obstacle: BaseGeometry | None
    ) -> tuple[float, float] | None:
        """The centre for a ``w`` × ``h`` box that lies in ``region`` (or nearly: a letter may
        touch a border), off ``obstacle`` and clear of the labels placed: of the region's pole
        of inaccessibility and a grid over it, those wholly inside first, then the nearest the
        pole (the middle of the region)."""
        minx, miny, maxx, maxy = region.bounds
        if maxx - minx < w * 0.9 or maxy - miny < h * 0.9 or region.area < w * h:
            return None
        pole = shapely.get_point(shapely.maximum_inscribed_circle(region, 2.0), 0)
        xs = np.linspace(minx + w / 2, maxx - w / 2, 9) if maxx - minx > w else np.array([(minx + maxx) / 2])
        ys = np.linspace(miny + h / 2, maxy - h / 2, 7) if maxy - miny > h else np.array([(miny + maxy) / 2])
        cx = np.concatenate([[pole.x], np.repeat(xs, len(ys))])
        cy = np.concatenate([[pole.y], np.tile(ys, len(xs))])
        shapely.prepare(region)
        inside = shapely.contains(region, shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
        # Nearly inside: the box without a tenth of it at each end.
        nearly = shapely.contains(region, shapely.box(cx - 0.4 * w, cy - 0.4 * h, cx + 0.4 * w, cy + 0.4 * h))
        if obstacle is not None:
            clear = ~shapely.intersects(obstacle, shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
            inside, nearly = inside & clear, nearly & clear
        near = np.hypot(cx - pole.x, cy - pole.y)
        for i in np.lexsort((near, ~inside)):
            if not nearly[i]:
                break
            box = (cx[i] - w / 2, cy[i] - h / 2, cx[i] + w / 2, cy[i] + h / 2)
            if self._free(box):
                return float(cx[i]), float(cy[i])
        return None

    def _room(self, pieces: Sequence[BaseGeometry], w: float, h: float) -> bool:
        """Whether the pieces' bounding box in pixels could hold a ``w`` × ``h`` label (a cheap
        test that spares the tiny areas the work of :meth:`_fit`)."""
        west, south, east, north = shapely.total_bounds(np.array(pieces, dtype=object))
        (x0, y0), (x1, y1) = self.view.pixels(np.array([[west, north], [east, south]]))
        return bool(x1 - x0 >= w * 0.9 and y1 - y0 >= h * 0.9)

    @functools.cached_property
    def _land_pixels(self) -> BaseGeometry:
        """The land in view, in pixels, prepared: sea names keep off it."""
        land = shapely.simplify(self._pixels(shapely.MultiPolygon(self.land)), 1.0)
        shapely.prepare(land)
        return land

    def _pixels(self, geometry: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geometry, self.view.pixels)

    def _free(self, box: Box) -> bool:
        """Whether ``box`` is inside the view and clear (by :data:`LABEL_GAP`) of every box taken."""
        if box[0] < 2 or box[1] < 2 or box[2] > self.view.width - 2 or box[3] > self.view.height - 2:
            return False
        g = LABEL_GAP
        return not any(box[0] < t[2] + g and t[0] < box[2] + g and box[1] < t[3] + g and t[1] < box[3] + g
                       for t in self.taken)  # fmt: skip


def _text_size(lines: Sequence[str], kind: Kind, size: int) -> tuple[float, float]:
    """An estimate of the text's box in pixels (``basemap.css`` sets the fonts)."""
    px = FONT_PX[size]
    return max(len(line) for line in lines) * px * LETTER_WIDTH[kind] + 4, len(lines) * px * 1.2


def _sea_name(name: str) -> str:
    """Natural Earth writes oceans in capitals ("NORTH ATLANTIC OCEAN")."""
    return name.title() if name.isupper() else name


# --- geometry ---------------------------------------------------------------------------------


def _level(zoom: float) -> Level:
    return next(level for level in LEVELS if zoom <= level.max_zoom)


def _rivers(view: View, level: Level, bounds: Frame, tolerance: float) -> list[BaseGeometry | None]:
    """Rivers in three classes by Natural Earth's scale rank (major, middle, minor), keeping
    only those Natural Earth shows at a zoom at least one below the view's."""
    classes: list[list[int]] = [[], [], []]
    for i, row in _rows("rivers", level.name, bounds):
        if row["min_zoom"] <= view.zoom - 1:
            classes[0 if row["scalerank"] > 6 else 1 if row["scalerank"] > 3 else 2].append(i)
    return [_lines(_clip("rivers", level.name, bounds, rows), tolerance) for rows in classes]


def _clip(
    layer: str, level: str, frame: Frame, rows: Sequence[int] | None = None, *, boundary: bool = False
) -> list[BaseGeometry]:
    """The layer's geometries (or only ``rows``; or their boundaries) cut to ``frame``; a frame
    past ±180° also gets the data from the other side of the antimeridian, shifted."""
    data = _data(layer, level)
    out: list[BaseGeometry] = []
    for shift, west, east, hits in _query(data, frame):
        if rows is not None:
            hits = np.intersect1d(hits, np.asarray(rows, dtype=hits.dtype))
        source = data.boundaries if boundary else data.geometries
        clipped = shapely.clip_by_rect(source[np.sort(hits)], west, frame.south, east, frame.north)
        parts = [g for g in clipped if not g.is_empty]
        out += [shapely.affinity.translate(g, xoff=shift) for g in parts] if shift else parts
    return out


def _query(data: _Layer, frame: Frame) -> Iterator[tuple[float, float, float, NDArray[np.intp]]]:
    """(shift, west, east, indices) for each piece of the frame's longitudes within the data's
    -180..180 (a frame past ±180° has two): the features whose bounding boxes meet that piece."""
    for shift in (-360.0, 0.0, 360.0):
        west, east = max(frame.west - shift, -180.0), min(frame.east - shift, 180.0)
        if west < east:
            yield shift, west, east, data.tree.query(shapely.box(west, frame.south, east, frame.north))


def _rows(layer: str, level: str, frame: Frame) -> list[tuple[int, dict[str, Any]]]:
    """(index, attributes) of the layer's features whose bounding boxes meet ``frame``."""
    data = _data(layer, level)
    hits = {int(i) for *_, indices in _query(data, frame) for i in indices}
    return [(i, data.rows[i]) for i in sorted(hits)]


def _points(layer: str, frame: Frame) -> list[dict[str, Any]]:
    """A point layer's rows inside ``frame``, with ``lat`` and ``lon`` (shifted across the antimeridian)."""
    data = _data(layer, "")
    out = []
    for shift, _, _, indices in _query(data, frame):
        for i in indices:
            point = data.geometries[i]
            out.append({**data.rows[i], "lat": point.y, "lon": point.x + shift})
    return sorted(out, key=lambda r: (r["name"], r["lat"], r["lon"]))


def _polygons(pieces: Sequence[BaseGeometry], tolerance: float) -> list[Polygon]:
    """The polygons among clipped pieces, each simplified to ``tolerance`` degrees."""
    polygons = parts(pieces, shapely.Polygon)
    return (
        [p for p in shapely.simplify(polygons, tolerance, preserve_topology=True) if not p.is_empty] if polygons else []
    )


def parts(geometries: Iterable[BaseGeometry], kind: type[_Part]) -> list[_Part]:
    """The simple parts of type ``kind``, however nested (clipping and make_valid make
    collections, which may hold lines and points besides polygons)."""
    flat = shapely.get_parts(shapely.get_parts(np.array(list(geometries), dtype=object)))
    return [p for p in flat if isinstance(p, kind)]


def _polygonal(geometry: BaseGeometry) -> MultiPolygon:
    return shapely.MultiPolygon(parts([geometry], shapely.Polygon))


def _multi(polygons: Sequence[Polygon]) -> MultiPolygon | None:
    return shapely.MultiPolygon(list(polygons)) if polygons else None


def _lines(pieces: Sequence[BaseGeometry], tolerance: float) -> BaseGeometry | None:
    """The lines among clipped pieces, simplified to ``tolerance`` degrees, as one geometry."""
    lines = parts(pieces, shapely.LineString)
    simple = [p for p in shapely.simplify(lines, tolerance, preserve_topology=False) if p.length > 0] if lines else []
    return shapely.MultiLineString(simple) if simple else None


def _geojson(geometry: BaseGeometry | None, digits: int) -> dict[str, Any] | None:
    """GeoJSON with coordinates rounded to ``digits`` places (the nearest doubles to short decimals)."""
    if geometry is None or geometry.is_empty:
        return None
    return dict(mapping(shapely.transform(geometry, lambda xy: np.round(xy, digits))))


def _svg_path(geometry: BaseGeometry | None, view: View) -> str:
    """SVG path data for polygons (closed rings) or lines, in the view's pixels, to 0.1 px."""
    if geometry is None or geometry.is_empty:
        return ""
    out = []
    for part in shapely.get_parts(geometry):
        rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
        for ring in rings:
            xy = np.round(view.pixels(np.asarray(ring.coords)), 1)
            points = " ".join(f"{x:g} {y:g}" for x, y in xy)
            out.append(f"M{points}{'Z' if part.geom_type == 'Polygon' else ''}")
    return "".join(out)


def _mercator(lonlat: NDArray[np.float64]) -> NDArray[np.float64]:
    """Web Mercator units (0..TILE across the world, y down) of lon/lat rows."""
    lon, lat = lonlat[:, 0], np.clip(lonlat[:, 1], -MAX_LAT, MAX_LAT)
    x = (lon + 180.0) / 360.0 * TILE
    y = (1.0 - np.arcsinh(np.tan(np.radians(lat))) / math.pi) / 2.0 * TILE
    return np.column_stack([x, y])


def _unmercator(xy: NDArray[np.float64]) -> NDArray[np.float64]:
    lon = xy[:, 0] / TILE * 360.0 - 180.0
    lat = np.degrees(np.arctan(np.sinh(math.pi * (1.0 - 2.0 * xy[:, 1] / TILE))))
    return np.column_stack([lon, lat])


# --- the data file ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layer:
    geometries: NDArray[np.object_]
    rows: list[dict[str, Any]]
    tree: shapely.STRtree
    boundaries: NDArray[np.object_] = field(repr=False)


def member_name(layer: str, level: str, suffix: str) -> str:
    """The file in the archive that holds ``layer`` at ``level`` ("" for unlevelled layers):
    ``.json`` for its attributes, ``.bin`` for its geometries."""
    return f"{layer}.{level}{suffix}" if level else f"{layer}{suffix}"


def geometry_type(layer: str) -> shapely.GeometryType:
    """Every geometry of a layer has one type, so that a layer decodes in one call."""
    if layer in POLYGON_LAYERS:
        return shapely.GeometryType.MULTIPOLYGON
    return shapely.GeometryType.POINT if layer in POINT_LAYERS else shapely.GeometryType.MULTILINESTRING


def encode(layer: str, geometries: Sequence[BaseGeometry], quantum: float) -> tuple[list[int], bytes]:
    """A layer's geometries as (counts, bytes) on a grid of ``quantum`` degrees: the coordinates
    as integers, each line or ring's first point absolute and the rest as steps from the one
    before (small numbers), then the part counts of the ragged-array offsets; all zigzag-coded
    unsigned 32-bit, stored byte plane by byte plane, which deflate packs well. ``counts`` says
    how many numbers each of those arrays has (none for an empty layer)."""
    if not geometries:
        return [], b""
    kind = geometry_type(layer)
    same = np.empty(len(geometries), dtype=object)
    for i, geometry in enumerate(geometries):
        if kind == shapely.GeometryType.MULTIPOLYGON:
            same[i] = _polygonal(geometry)
        elif kind == shapely.GeometryType.MULTILINESTRING:
            same[i] = shapely.MultiLineString(parts([geometry], shapely.LineString))
        else:
            same[i] = geometry
    _, coords, offsets = shapely.to_ragged_array(same)
    grid = np.round(coords / quantum).astype(np.int64)
    steps = grid.copy()
    steps[1:] -= grid[:-1]
    starts = offsets[0][:-1] if offsets else np.array([0])
    steps[starts] = grid[starts]
    arrays = [steps.ravel(), *(np.diff(o) for o in offsets)]
    values = np.concatenate(arrays)
    zigzag = ((values << 1) ^ (values >> 63)).astype("<u4")
    return [len(a) for a in arrays], zigzag.view(np.uint8).reshape(-1, 4).T.tobytes()


def decode(layer: str, counts: list[int], blob: bytes, quantum: float) -> NDArray[np.object_]:
    """The inverse of :func:`encode`: shapely geometries, built in one call."""
    if not counts:
        return np.empty(0, dtype=object)
    zigzag = np.frombuffer(blob, np.uint8).reshape(4, -1).T.copy().view("<u4").ravel().astype(np.int64)
    values = (zigzag >> 1) ^ -(zigzag & 1)
    arrays = np.split(values, np.cumsum(counts)[:-1])
    steps = arrays[0].reshape(-1, 2)
    offsets = tuple(np.concatenate([[0], np.cumsum(a)]) for a in arrays[1:])
    starts = offsets[0][:-1] if offsets else np.array([0])
    total = np.cumsum(steps, axis=0)
    before = total[starts] - steps[starts]  # what the running sum carries into each ring
    lengths = np.diff(np.append(starts, len(steps)))
    coords = (total - np.repeat(before, lengths, axis=0)) * quantum
    return np.asarray(shapely.from_ragged_array(geometry_type(layer), coords, offsets or None), dtype=object)


@functools.cache
def _archive() -> zipfile.ZipFile:
    """The data file, opened once; checked for the layout this module reads."""
    path = package_data(DATA_FILE)
    if not path.is_file():
        raise GeomapError(f"the basemap data file is missing from the package ({path}): rebuild it with "
                          f"python -m geomap.tools.build_basemap")  # fmt: skip
    archive = zipfile.ZipFile(path)
    meta = json.loads(archive.read("meta.json"))
    if meta.get("format") != FORMAT:
        raise GeomapError(f"the basemap data file has format {meta.get('format')}, not {FORMAT}: "
                          f"rebuild it with python -m geomap.tools.build_basemap")  # fmt: skip
    return archive


def _data(layer: str, level: str) -> _Layer:
    """The layer as stored for ``level``: at that level, or the next finer one it has."""
    stored = MEMBERS[layer]
    if stored != ("",):
        names = [lv.name for lv in LEVELS]
        level = next((s for s in stored if names.index(s) >= names.index(level)), stored[-1])
    return _layer(layer, level if stored != ("",) else "")


@functools.cache
def _layer(layer: str, level: str) -> _Layer:
    """One member of the data file, decoded into shapely geometries with a spatial index."""
    archive = _archive()
    payload = json.loads(archive.read(member_name(layer, level, ".json")))
    blob = archive.read(member_name(layer, level, ".bin"))
    geometries = decode(layer, payload["counts"], blob, payload["quantum"])
    rows = [dict(zip(COLUMNS[layer], row, strict=True)) for row in payload["rows"]]
    boundaries = shapely.boundary(geometries) if layer in POLYGON_LAYERS else geometries
    return _Layer(geometries, rows, shapely.STRtree(geometries), boundaries)
