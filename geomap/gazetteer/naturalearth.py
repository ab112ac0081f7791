"""Natural Earth layers for the gazetteer builder (public domain; "Made with Natural Earth").

The 1:50m shapefiles give country polygons, river centre lines and lake polygons; the
gzip GeoJSON layers beside them (see the directory's SOURCE.md) add 1:10m rivers and lakes,
physical regions (islands, deserts, ranges, peninsulas, ...), marine areas (seas, gulfs,
bays, straits, ...), a label point for each first-level division and 1:50m admin-1 polygons.
A GeoJSON layer that is missing is skipped, so an older Natural Earth directory still builds.

Natural Earth labels are map labels: some are in capitals, some abbreviated
("CAUCASUS MTS.", "Falkland Is.") and some in the local language ("Golfo de California").
:func:`clean_name` turns them into names and :func:`english_form` gives the English form
of a foreign generic word, which is indexed and shown as the English name.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from geomap.errors import GeomapError
from geomap.gazetteer.features import Feature, bbox, geojson
from geomap.geo import to_local_km
from geomap.model import NAME_TYPES
from geomap.text import normalize

#: The GeoJSON layers read (each optional), as named in the Natural Earth directory.
LAYERS = (
    "ne_10m_rivers_lake_centerlines", "ne_10m_lakes", "ne_10m_geography_regions_polys",
    "ne_10m_geography_marine_polys", "ne_10m_admin_1_label_points", "ne_50m_admin_1_states_provinces",
    "ne_10m_populated_places_simple", "ne_10m_geography_regions_elevation_points",
)  # fmt: skip

#: Natural Earth's ``featurecla`` of a physical region -> GeoNames feature code. Continents
#: are GeoNames' own; "Dragons-be-here" is a joke polygon.
PHYSICAL_CODES = {
    "Island": "ISL", "Island group": "ISLS", "Range/mtn": "MTS", "Plateau": "PLAT", "Desert": "DSRT",
    "Pen/cape": "PEN", "Peninsula": "PEN", "Geoarea": "RGN", "Coast": "CST", "Plain": "PLN", "Delta": "DLTA",
    "Basin": "BSND", "Valley": "VAL", "Lowland": "LOWL", "Tundra": "TUND", "Isthmus": "ISTH", "Wetlands": "WTLD",
    "Gorge": "GRGE", "Foothills": "HLLS", "Lake": "LKS", "Depression": "DPR",
}  # fmt: skip
#: Natural Earth's ``featurecla`` of a marine area -> GeoNames feature code. "generic"
#: areas have no name; "river" ones are estuaries of rivers the river layers already hold.
MARINE_CODES = {
    "ocean": "OCN", "sea": "SEA", "gulf": "GULF", "bay": "BAY", "strait": "STRT", "channel": "CHNM",
    "sound": "SD", "fjord": "FJD", "inlet": "INLT", "lagoon": "LGN", "reef": "RF",
}  # fmt: skip

#: Importance of a feature of scalerank 0, less 0.04 a rank (floor 0.2): the world's great
#: rivers, ranges and deserts rank with large cities, a small island with a village.
PHYSICAL_BASE = 0.75
MARINE_BASE = {"OCN": 0.9, "SEA": 0.82, "GULF": 0.78, "BAY": 0.76}
MARINE_DEFAULT_BASE = 0.74
RIVER_BASE, LAKE_BASE = 0.75, 0.7

#: Pieces of one feature (same name) closer than this many degrees are one feature.
MERGE_GAP = 0.5
#: A physical region or marine area of this scalerank or more (a small island, a minor
#: range, a bay), and a lake only the 1:10m layer has, is known by a bare name only in
#: context ("Palmerston"): that name is indexed as another name, which the recogniser maps
#: only with support ("in X"). A river only the 1:10m layer has is indexed by its full
#: forms alone ("Republican River", "River Lune"): bare, such names are mostly words,
#: people or viruses ("Republican", "Fly", "Ebola").
MINOR_RANK = 4
#: A river only the 1:10m layer has is known by its bare name, as another name, if it is of
#: this scalerank or less ("Tiber", "Chao Phraya") and that name is no word or person's:
#: smaller ones are mostly "Ebola", "English", "James" in the news.
MINOR_RIVER_RANK = 7

#: Map abbreviations in Natural Earth labels, spelled out (after title-casing).
_ABBREVIATIONS = {
    "Mts.": "Mountains", "Mts": "Mountains", "Mt.": "Mount", "Ra.": "Range", "Is.": "Islands", "I.": "Island",
    "Isands": "Islands", "Pen.": "Peninsula", "Plat.": "Plateau", "Arch.": "Archipelago", "Cord.": "Cordillera",
    "Str.": "Strait", "Sd.": "Sound", "Pén.": "Péninsule", "Psa.": "Presa", "L.": "Lake",
}  # fmt: skip
#: An isthmus's "Is." is "Istmo" ("Is. de Panamá"); an island's first "N."/"S." a direction.
_CLASS_ABBREVIATIONS = {"ISTH": {"Is.": "Istmo"}, "ISL": {"N.": "North", "S.": "South"}}
_SMALL_WORDS = frozenset({"of", "the", "and", "de", "del", "la", "las", "los", "le", "les", "du", "des", "da", "do",
                          "dos", "das", "al", "di", "y", "e", "van", "von"})  # fmt: skip

#: A foreign generic word before a name, and the English pattern it becomes.
_ENGLISH = tuple(
    (re.compile(pattern), english)
    for pattern, english in (
        (r"(?:Golfo|Golfe) (?:de la |de |del |du |d’|d')(.+)", "Gulf of {}"),
        (r"(?:Bahía|Baía|Bahia|Baie) (?:de la |de |del |do |da |des |du |d’|d')(.+)", "Bay of {}"),
        (r"(?:Estrecho|Détroit) (?:de la |de |du |d’|d')(.+)", "Strait of {}"),
        (r"(?:Desierto|Deserto|Désert) (?:de |del |do |du |d’|d')(.+)", "{} Desert"),
        (r"(?:Península|Peninsula|Péninsule) (?:de |del |du |d’|d')(.+)", "{} Peninsula"),
        (r"(?:Istmo|Isthme) (?:de |du |d’|d')(.+)", "Isthmus of {}"),
        (r"(?:Isla|Ilha|Île|Ile) (?:de |do |da |d’|d')(.+)", "{} Island"),
        (r"(?:Lago|Lac|Ozero) (?:de |di |del |du |d’|d')?(.+)", "Lake {}"),
    )
)
#: Generic words a bare name lacks: "Geneva" is bare, "Lake Geneva" and "Red Sea" are not.
GENERIC_WORDS = frozenset({
    "lake", "lakes", "lago", "lac", "river", "sea", "ocean", "gulf", "bay", "strait", "straits", "channel",
    "sound", "mountains", "mountain", "mount", "range", "ranges", "desert", "island", "islands", "isle",
    "peninsula", "plateau", "basin", "valley", "delta", "plain", "plains", "lowland", "coast", "isthmus",
    "canal", "reservoir", "lagoon", "fjord", "archipelago", "highlands", "hills", "bight", "passage", "reef",
})  # fmt: skip


# --------------------------------------------------------------------------- reading


def shapes(path: Path) -> Iterator[tuple[dict[str, Any], Any]]:
    """Records and shapely geometries of a 1:50m shapefile (``path`` without suffix)."""
    import shapefile
    from shapely.geometry import shape

    if not path.with_suffix(".shp").exists():
        raise GeomapError(f"Natural Earth layer not found: {path}.shp (pass --naturalearth DIR)")
    with shapefile.Reader(str(path), encoding="utf-8") as reader:
        for sr in reader.iterShapeRecords():
            if sr.shape.shapeType != shapefile.NULL:
                yield sr.record.as_dict(), shape(sr.shape.__geo_interface__)


def layer(naturalearth: Path, name: str) -> list[tuple[dict[str, Any], Any]]:
    """Properties and valid shapely geometries of a gzip GeoJSON layer; [] when it is absent."""
    from shapely.geometry import shape
    from shapely.validation import make_valid

    path = naturalearth / f"{name}.json.gz"
    if not path.is_file():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    out = []
    for feature in data["features"]:
        if feature.get("geometry"):
            geom = shape(feature["geometry"])
            out.append((feature["properties"], geom if geom.is_valid else make_valid(geom)))
    return out


def country_shapes(naturalearth: Path) -> tuple[dict[str, tuple[dict[str, Any], Any]], dict[str, Any]]:
    """ISO alpha-2 -> (record, polygon); France and Norway have ISO_A2 -99, hence _EH. Then
    NAME -> polygon of the rows with no ISO code at all: de facto states ("N. Cyprus")."""
    out: dict[str, tuple[dict[str, Any], Any]] = {}
    uncoded: dict[str, Any] = {}
    for rec, geom in shapes(naturalearth / "ne_50m_admin_0_countries"):
        cc = rec.get("ISO_A2_EH") or rec.get("ISO_A2")
        if cc and cc != "-99":
            out.setdefault(cc, (rec, geom))
        elif rec.get("NAME"):
            uncoded[rec["NAME"]] = geom
    return out, uncoded


# --------------------------------------------------------------------------- names


def clean_name(label: str, fcode: str = "") -> str:
    """A Natural Earth label as a name: spaces collapsed, capitals title-cased, map
    abbreviations spelled out ("CAUCASUS MTS." -> "Caucasus Mountains")."""
    words = label.split()
    if label.upper() == label:
        words = [w.lower() if i and w.lower() in _SMALL_WORDS else w.title() for i, w in enumerate(words)]
    extra = _CLASS_ABBREVIATIONS.get(fcode, {})
    out = []
    for i, w in enumerate(words):
        if w in extra and (i == 0 or fcode != "ISL"):
            out.append(extra[w])
        else:
            out.append(_ABBREVIATIONS.get(w, w))
    return " ".join(out)


def english_form(name: str) -> str | None:
    """The English form of a name that starts with a foreign generic word
    ("Desierto de Atacama" -> "Atacama Desert"), else None."""
    for pattern, english in _ENGLISH:
        if m := pattern.fullmatch(name):
            return english.format(m.group(1))
    return None


def is_bare(key: str) -> bool:
    """A normalised name without a generic word ("geneva", not "lake geneva")."""
    return not GENERIC_WORDS.intersection(key.split())


@cache
def _words() -> frozenset[str]:
    """Lower-case English words (Webster's Second, via english-words) and the first names
    and surnames of geomap's lexicon."""
    from english_words import get_english_words_set

    from geomap.recognize.vocabulary import load

    lexicon = load()
    words = frozenset(w for w in get_english_words_set(["web2"], lower=False) if w.islower())
    return words | lexicon.first_names | lexicon.surnames


def plain(word: str) -> bool:
    """A proper name that is no English word, person's name or adjective of origin:
    "Titicaca", "Gobi", "Moselle", but not "Superior", "Victoria", "Syrian", "Republican"."""
    key = word.casefold()
    return key not in _words() and not key.endswith(("ian", "yan", "ese", "ic"))


def core(name: str) -> str | None:
    """The proper name inside a generic one, which news also uses alone: "Lake Geneva" ->
    "Geneva", "Gobi Desert" -> "Gobi", "Zagros Mountains" -> "Zagros", "Karakoram Range" ->
    "Karakoram"; None unless it is
    :func:`plain` ("Lake Superior", "Syrian Desert")."""
    m = re.fullmatch(r"(?:Lake|Lago|Lac|Ozero|Loch) (\w[\w'’-]*)", name) or re.fullmatch(
        r"(\w[\w'’-]*) (?:Desert|Mountains|Range)", name
    )
    return m.group(1) if m and m.group(1)[:1].isupper() and plain(m.group(1)) else None


def river_forms(name: str, *, minor: bool) -> list[str]:
    """ "Tigris" is also written "River Tigris", and a river of Spanish or Portuguese America
    "Rio Negro". A major river's "Tigris River" is left to the recogniser, which reads
    "River" as a feature word beside the name; a minor river, whose bare name is only
    another name, is found by its "X River" too."""
    if not is_bare(normalize(name)):
        return []
    return [f"River {name}", f"Rio {name}", *([f"{name} River"] if minor else [])]


def range_forms(name: str, *, minor: bool = False) -> list[str]:
    """Ranges named after an adjective are also its plural: "Appalachian Mountains" ->
    "Appalachians", "Rocky Mountains" -> "Rockies"; so is a major range named after a
    proper name: "Ural Mountains" -> "Urals" (not a minor one's "Blue Mountains" -> "Blues")."""
    m = re.fullmatch(r"([A-Z]\w+) Mountains", name)
    if m is None:
        return []
    core = m.group(1)
    if core.endswith("an"):
        return [core + "s"]
    if core.endswith("y"):
        return [core[:-1] + "ies"]
    if not minor and not core.endswith("s"):
        return [core + "s"]
    return []


def stable_id(*parts: object) -> int:
    """A negative id for a feature Natural Earth gives none (its 1:10m layers): below
    every ne_id (~1.16e9), so the two never meet, and stable while the name stays."""
    return -(zlib.crc32("|".join(map(str, parts)).encode()) % 900_000_000 + 1)


# --------------------------------------------------------------------------- geometry


def importance(scalerank: float, base: float) -> float:
    """Natural Earth's scalerank: 0-1 for the world's great features."""
    return round(max(0.2, base - 0.04 * scalerank), 4)


def clusters(items: list[tuple[Any, Any]], gap: float = MERGE_GAP) -> list[list[tuple[Any, Any]]]:
    """Connected groups of (record, geometry) closer than ``gap`` degrees (union-find)."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i][1].distance(items[j][1]) < gap:
                parent[root(j)] = root(i)
    groups: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    for i, item in enumerate(items):
        groups[root(i)].append(item)
    return [groups[k] for k in sorted(groups)]


def _tolerance(geom: Any, low: float, high: float) -> float:
    """Simplification in proportion to size: 1/200 of the bbox diagonal, within [low, high]."""
    minx, miny, maxx, maxy = geom.bounds
    return min(high, max(low, ((maxx - minx) ** 2 + (maxy - miny) ** 2) ** 0.5 / 200))


def _area_feature(fid: int, name: str, fcode: str, geom: Any, weight: float, low: float, high: float) -> Feature:
    """A feature for an area: outline simplified by size, point inside its largest part."""
    from shapely.ops import polylabel

    simple = geom.simplify(_tolerance(geom, low, high))
    if simple.is_empty:
        simple = geom
    if not simple.is_valid:  # simplified parts that now overlap
        simple = simple.buffer(0)
    largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    point = polylabel(largest, tolerance=max(_tolerance(largest, 0.0005, 0.05) / 4, 0.0005))
    return Feature(
        fid, name, fcode, round(point.y, 5), round(point.x, 5), importance=weight,
        bbox=bbox(simple), geometry=geojson(simple, 4),
    )  # fmt: skip


# --------------------------------------------------------------------------- rivers and lakes

_NAME_FIELDS = ("name", "name_en", "name_alt", "namealt", "name_local")
#: A river's upper course that Natural Earth names as a river of its own ("Verkhniy Yenisey").
_UPPER_COURSE = re.compile(r"(?:Upper|Verkhniy|Verkhnyaya|Verkhneye)\s+(.+)")


def _names_of(rec: dict[str, Any]) -> list[str]:
    """The names a record gives in English or its own language (not the dozens of other
    languages Natural Earth lists, whose short forms are noise: "Ren", "Lakes")."""
    out: list[str] = []
    for key in _NAME_FIELDS:
        for k in (key, key.upper()):
            value = rec.get(k)
            if isinstance(value, str) and value.strip():
                out.extend(v.strip() for v in value.split("|") if v.strip())
    return out


@dataclass(slots=True)
class _River:
    name: str
    segments: list[tuple[dict[str, Any], Any]]


def rivers(naturalearth: Path) -> Iterator[Feature]:
    """River centre lines, one feature per river: segments sharing an English name and
    lying within :data:`MERGE_GAP` of each other are merged. The 1:50m rivers keep their
    ne_id; a 1:10m river is added where no 1:50m river of its name ("St." being "Saint") lies
    within the gap, else its names are the 1:50m river's too ("St. Lawrence", "Tiber"). An
    upper course named apart and meeting its river ("Verkhniy Yenisey", the Yenisey
    above the Angara, past Krasnoyarsk) is also drawn as part of that river."""
    from shapely.geometry import shape

    known: dict[str, list[tuple[Any, Feature]]] = defaultdict(list)
    uppers: list[tuple[Any, _River, str]] = []
    major = []
    for river in _river_clusters(shapes(naturalearth / "ne_50m_rivers_lake_centerlines")):
        feature = _river_feature(river, -int(river.segments[0][0]["ne_id"]), minor=False)
        assert feature.geometry is not None
        known[_river_key(river.name)].append((shape(feature.geometry), feature))
        major.append(feature)
        upper = _UPPER_COURSE.fullmatch(river.name)
        if upper:
            uppers.append((shape(feature.geometry), river, _river_key(upper[1])))
    for line, river, key in uppers:
        mains = [f for k, f in known.get(key, []) if k.distance(line) < MERGE_GAP]
        if mains:
            _extend(mains[0], river, course=True)
    used: set[int] = set()
    minor = []
    for river in _river_clusters(layer(naturalearth, "ne_10m_rivers_lake_centerlines")):
        lines = [g for _, g in river.segments]
        same = [
            f for k, f in known.get(_river_key(river.name), []) if any(k.distance(line) < MERGE_GAP for line in lines)
        ]
        if same:
            _extend(same[0], river)
            continue
        start = min(part.coords[0] for line in lines for part in getattr(line, "geoms", [line]))
        fid = stable_id("river", river.name, round(start[0], 1), round(start[1], 1))
        while fid in used:
            fid -= 1
        used.add(fid)
        minor.append(_river_feature(river, fid, minor=True))
    yield from major
    yield from minor


def _extend(feature: Feature, river: _River, *, course: bool = False) -> None:
    """A river takes the names of the 1:10m ``river`` it is and the stretches that only the
    1:10m lines draw, or, when ``river`` is its upper ``course``, all of its lines and none of
    its names (they meet at one point)."""
    from shapely.geometry import shape
    from shapely.ops import linemerge

    assert feature.geometry is not None
    own = shape(feature.geometry)
    extra = [
        part for _, g in river.segments for part in getattr(g, "geoms", [g]) if course or part.distance(own) > 0.01
    ]
    if extra:
        lines = [*getattr(own, "geoms", [own]), *(e.simplify(0.005) for e in extra)]
        merged = linemerge(lines)
        feature.bbox, feature.geometry = bbox(merged), geojson(merged)
    for rec, _ in [] if course else river.segments:
        for alt in _names_of(rec):
            feature.add_name(alt)


def _river_key(name: str) -> str:
    """A river's name for matching the layers: "St. Lawrence" is the 1:50m "Saint Lawrence"."""
    return re.sub(r"\bst\b", "saint", normalize(name))


def _river_clusters(records: Iterable[tuple[dict[str, Any], Any]]) -> Iterator[_River]:
    groups: dict[str, list[tuple[dict[str, Any], Any]]] = defaultdict(list)
    for rec, geom in records:
        name = (rec.get("name_en") or rec.get("name") or "").strip()
        if name:
            groups[name].append((rec, geom))
    for name in sorted(groups):
        segments = sorted(groups[name], key=lambda rg: (str(rg[0].get("ne_id", "")), rg[1].wkb))
        for cluster in clusters(segments):
            yield _River(name, cluster)


def _river_feature(river: _River, fid: int, *, minor: bool) -> Feature:
    from shapely.ops import linemerge, nearest_points

    merged = linemerge([part for _, g in river.segments for part in getattr(g, "geoms", [g])]).simplify(0.005)
    point = nearest_points(merged, merged.centroid)[0]
    rank = min(float(r["scalerank"]) for r, _ in river.segments)
    f = Feature(
        fid, river.name, "STM", round(point.y, 5), round(point.x, 5), importance=importance(rank, RIVER_BASE),
        bbox=bbox(merged), geometry=geojson(merged),
    )  # fmt: skip
    if not minor or not is_bare(normalize(river.name)):
        f.add_name(river.name, "name")
        for rec, _ in river.segments:
            for alt in _names_of(rec):
                f.add_name(alt)
    elif rank <= MINOR_RIVER_RANK:  # "the Tiber", "the Chao Phraya", with support
        for alt in (river.name, *(a for rec, _ in river.segments for a in _names_of(rec))):
            if is_bare(normalize(alt)) and any(plain(w) for w in alt.split()):
                f.add_name(alt)
    for form in river_forms(river.name, minor=minor):
        f.add_name(form, "name")
    return f


def lakes(naturalearth: Path) -> Iterator[Feature]:
    """Lake polygons: the 1:50m lakes with their ne_id and English name, then the 1:10m
    lakes that no 1:50m lake of the same name overlaps. The 1:50m pieces of one name within
    :data:`MERGE_GAP` are one lake (the Dead Sea's two basins), with the first piece's ne_id."""
    from shapely.ops import unary_union

    known: dict[str, list[Any]] = defaultdict(list)
    pieces: dict[str, list[tuple[dict[str, Any], Any]]] = defaultdict(list)
    for rec, geom in shapes(naturalearth / "ne_50m_lakes"):
        name = (rec.get("name") or rec.get("name_en") or "").strip()
        if name:
            pieces[name].append((rec, geom))
    for name in sorted(pieces):
        for cluster in clusters(sorted(pieces[name], key=lambda rg: int(rg[0]["ne_id"]))):
            rec, geom = cluster[0][0], unary_union([g for _, g in cluster])
            english = _lake_english(name, (rec.get("name_en") or "").strip())
            rank = min(float(r["scalerank"]) for r, _ in cluster)
            f = _lake_feature(-int(rec["ne_id"]), name, "LK", geom, rank, rec, english)
            for key in f.names:
                known[key].append(geom)
            yield f
    used: set[int] = set()
    for rec, geom in sorted(
        layer(naturalearth, "ne_10m_lakes"), key=lambda rg: (str(rg[0].get("name") or ""), rg[1].wkb)
    ):
        name = clean_name((rec.get("name") or "").strip())
        if not name or any(g.intersects(geom) for g in known.get(normalize(name), [])):
            continue
        fcode = "RSV" if rec.get("featurecla") == "Reservoir" else "LK"
        point = geom.representative_point()
        fid = stable_id("lake", name, round(point.x, 1), round(point.y, 1))
        while fid in used:
            fid -= 1
        used.add(fid)
        f = _lake_feature(fid, name, fcode, geom, float(rec["scalerank"]), rec, english_form(name))
        if is_bare(normalize(name)):
            f.names[normalize(name)] = NAME_TYPES.index("alternate")
            f.add_name(f"Lake {name}", "name")
        yield f


def _lake_english(name: str, name_en: str) -> str | None:
    """A lake's English name where its own is not English: Natural Earth's ``name_en``,
    which is at times the bare core ("Constance" for the Bodensee, "Lake" added), or the
    English form of a foreign generic word ("Lago Titicaca")."""
    if not is_bare(normalize(name)) and english_form(name) is None:
        return None  # already English: "Flathead Lake", "Lake Ladoga"
    if name_en and normalize(name_en) != normalize(name):
        return name_en if not is_bare(normalize(name_en)) else f"Lake {name_en}"
    return english_form(name)


def _lake_feature(
    fid: int, name: str, fcode: str, geom: Any, scalerank: float, rec: dict[str, Any], english: str | None
) -> Feature:
    geom = geom.simplify(0.005)
    point = geom.representative_point()
    f = Feature(
        fid, name, fcode, round(point.y, 5), round(point.x, 5), importance=importance(scalerank, LAKE_BASE),
        bbox=bbox(geom), geometry=geojson(geom), english=english,
    )  # fmt: skip
    f.add_name(name, "name")
    for alt in (*_names_of(rec), *([english] if english else [])):
        if inner := core(alt):
            f.add_name(inner)
    if inner := core(name):
        f.add_name(inner)
    return f


# --------------------------------------------------------------------------- areas


def physical_regions(naturalearth: Path) -> Iterator[Feature]:
    """Islands, island groups, ranges, deserts, plateaus, peninsulas, basins, ... with
    their outlines. Pieces of one name within :data:`MERGE_GAP` are one feature. Natural
    Earth draws a land region (not an island) as the place for its label, often a few
    strips along it (the Himalayas' six pieces lie from Ladakh to Assam, most of their area
    in Ladakh): where the pieces cover less than :data:`SPARSE` of their hull, the region is
    the land within that hull."""
    yield from _areas(
        layer(naturalearth, "ne_10m_geography_regions_polys"), PHYSICAL_CODES, "region", 0.005, 0.05,
        land=[g for _, g in layer(naturalearth, "ne_50m_land")],
    )  # fmt: skip


def marine_areas(naturalearth: Path) -> Iterator[Feature]:
    """Oceans, seas, gulfs, bays, straits, channels, sounds, fjords and lagoons."""
    yield from _areas(layer(naturalearth, "ne_10m_geography_marine_polys"), MARINE_CODES, "marine", 0.01, 0.1)


#: A land region whose pieces cover less than this share of their convex hull is drawn as
#: the land within the hull (:func:`physical_regions`).
SPARSE = 0.5
#: A land region narrower than this (after :func:`_spread`) is drawn by Natural Earth as a
#: strip to carry its label (the Simpson Desert's 2 km by 60 km, the Qizilqum's): it is placed
#: at a point and has no outline, which a map would draw as a sliver. A range keeps its strip,
#: which runs along its crest as a river's line runs along its course (the Urals' 1,600 km).
STRIP_KM = 10.0
#: Physical regions whose polygons are their own land or water, never spread to a hull.
_OWN_OUTLINE = frozenset({"ISL", "ISLS", "LKS"})


def _width_km(geom: Any) -> float:
    """The width of the narrowest rectangle around ``geom``, in kilometres."""
    box: Any = to_local_km(geom, geom.centroid.y, geom.centroid.x).minimum_rotated_rectangle
    if box.geom_type != "Polygon":
        return 0.0  # a line or a point: no width at all
    corners = list(box.exterior.coords)
    return min(math.dist(corners[0], corners[1]), math.dist(corners[1], corners[2]))


def _spread(geom: Any, land: Any) -> Any:
    """The land within the convex hull of a region's pieces, with the pieces themselves."""
    from shapely.ops import unary_union

    hull = geom.convex_hull
    near = [land.geometries[i] for i in land.query(hull)]
    inside = unary_union([hull.intersection(g) for g in near]) if near else None
    if inside is None or inside.is_empty:
        return geom
    spread = unary_union([inside, geom])
    return spread if spread.is_valid else spread.buffer(0)


def _areas(
    records: list[tuple[dict[str, Any], Any]],
    codes: dict[str, str],
    tag: str,
    low: float,
    high: float,
    land: list[Any] | None = None,
) -> Iterator[Feature]:
    from shapely import STRtree
    from shapely.ops import unary_union

    tree = STRtree(land) if land else None

    groups: dict[tuple[str, str], list[tuple[dict[str, Any], Any]]] = defaultdict(list)
    for rec, geom in records:
        fcode = codes.get(rec.get("featurecla") or "")
        label = (rec.get("name") or "").strip()
        if fcode and label:
            name = clean_name(label, fcode)
            if fcode == "LGN" and not re.search(r"\b(Lake|Lago|Lagoa|Lac)\b", name):
                fcode = "SEA"  # a lagoon open to the sea ("Waddenzee") is sea; a "Lake Pontchartrain" a lake
            groups[(name, fcode)].append((rec, geom))
    used: set[int] = set()
    for (name, fcode), members in sorted(groups.items()):
        ordered = sorted(members, key=lambda rg: rg[1].wkb)
        for cluster in clusters(ordered, gap=MERGE_GAP):
            geom = unary_union([g for _, g in cluster])
            point = geom.representative_point()
            fid = stable_id(tag, name, fcode, round(point.x), round(point.y))
            while fid in used:
                fid -= 1
            used.add(fid)
            if tree is not None and fcode not in _OWN_OUTLINE and geom.area < SPARSE * geom.convex_hull.area:
                geom = _spread(geom, tree)
            rank = min(float(r.get("scalerank") or 0) for r, _ in cluster)
            base = MARINE_BASE.get(fcode, MARINE_DEFAULT_BASE) if tag == "marine" else PHYSICAL_BASE
            f = _area_feature(fid, name, fcode, geom, importance(rank, base), low, high)
            if tree is not None and fcode not in _OWN_OUTLINE | {"MTS"} and _width_km(geom) < STRIP_KM:
                f.bbox = f.geometry = None  # a strip for a label, not the region's outline
            english = english_form(name)
            f.english = english
            f.add_name(name, "alternate" if rank >= MINOR_RANK and is_bare(normalize(name)) else "name")
            for rec, _ in cluster:
                for alt in (rec.get("name"), rec.get("namealt"), rec.get("name_alt")):
                    if isinstance(alt, str):
                        f.add_name(clean_name(alt, fcode))
            for alt in (english, *range_forms(name, minor=rank >= MINOR_RANK), core(name), core(english or "")):
                f.add_name(alt)
            if name.startswith("The "):
                f.add_name(name[4:])
            if fcode == "OCN" and name.endswith(" Ocean") and name.count(" ") > 1:
                f.add_name(name.removesuffix(" Ocean"))  # "South Pacific"; not "Indian", "Southern"
            yield f


# --------------------------------------------------------------------------- admin-1


@dataclass(slots=True)
class LabelPoints:
    """A first-level division's name as Natural Earth spells it, and its label points: one
    per part of a division in several parts (Texas has one on Padre Island)."""

    name: str
    points: list[tuple[float, float]]  # (lat, lon)


def admin1_label_points(naturalearth: Path) -> dict[tuple[str, str], LabelPoints]:
    """(country code, normalised name) -> the label points of each first-level division."""
    out: dict[tuple[str, str], LabelPoints] = {}
    for rec, geom in layer(naturalearth, "ne_10m_admin_1_label_points"):
        cc, label = rec.get("iso_a2") or "", (rec.get("name") or "").strip()
        if len(cc) == 2 and label and "minor island" not in (rec.get("featurecla") or ""):
            entry = out.setdefault((cc, normalize(label)), LabelPoints(label, []))
            entry.points.append((round(geom.y, 5), round(geom.x, 5)))
    return out


def admin1_polygons(naturalearth: Path) -> dict[int, Any]:
    """GeoNames id -> outline of the first-level divisions the 1:50m layer has."""
    out = {}
    for rec, geom in layer(naturalearth, "ne_50m_admin_1_states_provinces"):
        gn = rec.get("gn_id")
        if isinstance(gn, (int, float)) and gn > 0:
            out[int(gn)] = geom
    return out
