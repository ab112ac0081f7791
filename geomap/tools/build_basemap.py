"""Build the offline basemap (``geomap/data/basemap.zip``) from Natural Earth's layers.

    python -m geomap.tools.build_basemap [--naturalearth DIR] [--output FILE]

Country outlines (1:50m) are simplified as a coverage at each level of detail
(:data:`geomap.maps.basemap.LEVELS`), so that neighbours keep sharing their borders; land,
coastlines and land borders are derived from the simplified outlines, so that they meet
exactly. Lakes and rivers (1:10m) keep what Natural Earth shows at the level's zooms, seas
(1:10m) are kept only coarsely (they place sea names), towns with their label ranks. Coordinates
are quantised and delta-coded (:func:`geomap.maps.basemap.encode`) and the archive's members
are written in a fixed order with fixed dates, so a rebuild is byte-identical.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import time
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from geomap.errors import GeomapError
from geomap.fsutil import atomic_write, package_data
from geomap.gazetteer.build import DEFAULT_NATURALEARTH
from geomap.gazetteer.naturalearth import shapes as _shapes
from geomap.maps.basemap import CREDIT, DATA_FILE, FORMAT, LEVELS, MEMBERS, Level, encode, member_name, parts

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: The Natural Earth layers read, besides the 1:50m countries (a shapefile).
GEOJSON_LAYERS = ("ne_10m_rivers_lake_centerlines", "ne_10m_lakes", "ne_50m_admin_1_states_provinces",
                  "ne_10m_geography_marine_polys", "ne_10m_populated_places_simple")  # fmt: skip
#: Seas only place their names, so one coarse outline (degrees) serves every level.
SEA_TOLERANCE = 0.03
SEA_QUANTUM = 0.01
#: Towns and label points are kept to about 100 m.
POINT_QUANTUM = 0.001
#: Countries, states and label points that Natural Earth marks with this are not real places.
_MISSING = ("-99", "", None)
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)

Row = list[Any]


def build(source: Path) -> dict[str, bytes]:
    """The archive's members, by name: every layer at its levels, and ``meta.json``."""
    if not source.is_dir():
        raise GeomapError(f"Natural Earth directory not found: {source} (pass --naturalearth DIR)")
    countries = _countries(source)
    rivers = [(f["properties"], _geometry(f)) for f in _features(source, "ne_10m_rivers_lake_centerlines")]
    lakes = [(f["properties"], _geometry(f)) for f in _features(source, "ne_10m_lakes")]
    members: dict[str, bytes] = {}
    for level in LEVELS:
        outlines = _coverage([g for _, g in countries], level)
        if level.name in MEMBERS["land"]:
            land = shapely.union_all([g for g in outlines if g is not None])
            _add(members, "land", level.name, level.quantum, [[g] for g in _polygons(land, level)])
            _add(members, "borders", level.name, level.quantum, _internal_edges([outlines]))
        if level.name in MEMBERS["countries"]:
            rows = [[*props, g] for props, g in zip((p for p, _ in countries), _polygon_list(outlines, level))
                    if g is not None]  # fmt: skip
            _add(members, "countries", level.name, level.quantum, rows)
        _add(members, "rivers", level.name, level.quantum, _rivers(rivers, level))
        _add(members, "lakes", level.name, level.quantum, _lakes(lakes, level))
    continent = next(level for level in LEVELS if level.name == "continent")
    states = [(f["properties"], _geometry(f)) for f in _features(source, "ne_50m_admin_1_states_provinces")]
    by_country: dict[str, list[BaseGeometry]] = {}
    for props, geometry in states:
        by_country.setdefault(props["adm0_a3"], []).append(geometry)
    covers = [_coverage(group, continent) for _, group in sorted(by_country.items())]
    _add(members, "admin1", "", continent.quantum, _internal_edges(covers))
    _add(members, "regions", "", POINT_QUANTUM, _regions(states))
    _add(members, "seas", "", SEA_QUANTUM, _seas(source))
    _add(members, "towns", "", POINT_QUANTUM, _towns(source))
    members["meta.json"] = _json({"format": FORMAT, "credit": CREDIT, "source": _versions(source),
                                  "levels": [level._asdict() for level in LEVELS]})  # fmt: skip
    return members


def write(members: dict[str, bytes], output: Path) -> Path:
    """A zip of ``members`` in name order with fixed dates and modes: equal members give equal bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name], compresslevel=9)
    return atomic_write(output, buffer.getvalue())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geomap.tools.build_basemap", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--naturalearth",
        type=Path,
        default=DEFAULT_NATURALEARTH,
        help=f"folder of Natural Earth layers (default: {DEFAULT_NATURALEARTH})",
    )
    parser.add_argument("--output", type=Path, default=None, help=f"default: the package's data/{DATA_FILE}")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        path = write(build(args.naturalearth), args.output or package_data(DATA_FILE))
    except GeomapError as exc:
        print(f"build_basemap: {exc}", file=sys.stderr)
        return 2
    print(f"{path}: {path.stat().st_size / 1e6:.2f} MB in {time.perf_counter() - start:.1f} s")
    return 0


# --- layers -----------------------------------------------------------------------------------


def _countries(source: Path) -> list[tuple[list[Any], BaseGeometry]]:
    """([iso, name, labelrank, min_label], outline) for each Natural Earth country, in file order.
    The name is the shortest of Natural Earth's short and long names that has no abbreviation
    ("United States", not "United States of America"; "Central African Republic", not "…Rep.")."""
    out = []
    for rec, geometry in _shapes(source / "ne_50m_admin_0_countries"):
        names = [n for n in (rec["NAME"], rec["NAME_LONG"]) if "." not in n] or [rec["NAME_LONG"]]
        iso = rec["ISO_A2_EH"] if rec["ISO_A2_EH"] not in _MISSING else ""
        out.append(([iso, min(names, key=len), int(rec["LABELRANK"]), float(rec["MIN_LABEL"])], geometry))
    return out


def _rivers(rivers: list[tuple[dict[str, Any], BaseGeometry]], level: Level) -> list[Row]:
    rows = []
    for props, geometry in rivers:
        if props["min_zoom"] <= level.river_zoom:
            line = shapely.simplify(geometry, level.tolerance)
            if line.length > level.tolerance:
                rows.append([int(props["scalerank"]), float(props["min_zoom"]), line])
    return rows


def _lakes(lakes: list[tuple[dict[str, Any], BaseGeometry]], level: Level) -> list[Row]:
    rows = []
    for props, geometry in lakes:
        if props["min_zoom"] <= level.river_zoom:
            outline = shapely.simplify(shapely.make_valid(geometry), level.tolerance)
            polygons = _polygons(outline, level)
            if polygons:
                rows.append([props["name"] or "", float(props["min_zoom"]), float(props["min_label"]),
                             shapely.MultiPolygon(polygons)])  # fmt: skip
    return rows


def _seas(source: Path) -> list[Row]:
    rows = []
    for f in _features(source, "ne_10m_geography_marine_polys"):
        props = f["properties"]
        outline = shapely.simplify(shapely.make_valid(_geometry(f)), SEA_TOLERANCE)
        polygons = [p for p in parts([outline], shapely.Polygon) if p.area > SEA_TOLERANCE**2]
        if props["name"] and polygons:
            rows.append([props["name"], props["featurecla"], float(props["min_label"]), float(props["max_label"]),
                         shapely.set_precision(shapely.MultiPolygon(polygons), SEA_QUANTUM)])  # fmt: skip
    return rows


def _towns(source: Path) -> list[Row]:
    """Populated places with their GeoNames id (the gazetteer's, so an article's own towns can
    be left out), whether a national capital, and the ranks that say when to label them."""
    rows = []
    for f in _features(source, "ne_10m_populated_places_simple"):
        p = f["properties"]
        ident = f"geonames:{int(p['geonameid'])}" if p["geonameid"] and p["geonameid"] > 0 else f"ne:{p['name']}"
        rows.append([ident, p["name"], int(p["adm0cap"] == 1), float(p["min_zoom"]), int(p["labelrank"]),
                     int(p["pop_max"]), shapely.Point(p["longitude"], p["latitude"])])  # fmt: skip
    return rows


def _regions(states: list[tuple[dict[str, Any], BaseGeometry]]) -> list[Row]:
    """Label points of the states and provinces whose outlines Natural Earth has at 1:50m."""
    return [
        [p["name"], float(p["min_label"]), shapely.Point(p["longitude"], p["latitude"])] for p, _ in states if p["name"]
    ]


# --- geometry ---------------------------------------------------------------------------------


def _coverage(outlines: list[BaseGeometry], level: Level) -> list[BaseGeometry | None]:
    """Outlines simplified together (shared edges stay shared), without the parts smaller than
    the level keeps; None where nothing is left."""
    simple = shapely.make_valid(shapely.coverage_simplify(np.array(outlines, dtype=object), level.tolerance))
    out: list[BaseGeometry | None] = []
    for geometry in simple:
        kept = [p for p in parts([geometry], shapely.Polygon) if p.area >= level.min_area]
        out.append(shapely.MultiPolygon(kept) if kept else None)
    return out


def _internal_edges(coverages: list[list[BaseGeometry | None]]) -> list[Row]:
    """The edges shared by two polygons of a coverage (land borders; state lines), merged into
    lines: every edge of every outline, less the outer boundary of their union."""
    rows: list[Row] = []
    for cover in coverages:
        polygons = [g for g in cover if g is not None]
        edges = shapely.union_all(shapely.boundary(np.array(polygons, dtype=object)))
        inner = shapely.line_merge(shapely.difference(edges, shapely.boundary(shapely.union_all(polygons))))
        rows += [[line] for line in parts([inner], shapely.LineString) if line.length > 0]
    return rows


def _polygon_list(outlines: list[BaseGeometry | None], level: Level) -> list[BaseGeometry | None]:
    out: list[BaseGeometry | None] = []
    for geometry in outlines:
        polygons = _polygons(geometry, level) if geometry is not None else []
        out.append(shapely.MultiPolygon(polygons) if polygons else None)
    return out


def _polygons(geometry: BaseGeometry, level: Level) -> list[shapely.Polygon]:
    """The polygons of ``geometry`` on the level's grid (snapped, so still valid), largest first,
    without those smaller than the level keeps."""
    snapped = shapely.set_precision(geometry, level.quantum)
    kept = [p for p in parts([snapped], shapely.Polygon) if p.area >= max(level.min_area, 1e-12)]
    return sorted(kept, key=lambda p: (-p.area, p.bounds))


def _add(members: dict[str, bytes], layer: str, level: str, quantum: float, rows: list[Row]) -> None:
    """A layer's two members: its attributes (rows of attributes, each ending in its geometry)
    and its geometries, encoded."""
    counts, blob = encode(layer, [row[-1] for row in rows], quantum)
    payload = {"quantum": quantum, "counts": counts, "rows": [row[:-1] for row in rows]}
    members[member_name(layer, level, ".json")] = _json(payload)
    members[member_name(layer, level, ".bin")] = blob


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _features(source: Path, layer: str) -> Iterator[dict[str, Any]]:
    path = source / f"{layer}.json.gz"
    if not path.exists():
        raise GeomapError(f"Natural Earth layer not found: {path} (pass --naturalearth DIR)")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        yield from (f for f in json.load(fh)["features"] if f.get("geometry"))


def _geometry(feature: dict[str, Any]) -> BaseGeometry:
    return shapely.geometry.shape(feature["geometry"])


def _versions(source: Path) -> str:
    version = (source / "ne_50m_admin_0_countries.VERSION.txt").read_text(encoding="utf-8").strip()
    return f"Natural Earth {version} (1:50m countries, states, land); 1:10m lakes, rivers, seas and towns"


if __name__ == "__main__":
    sys.exit(main())
