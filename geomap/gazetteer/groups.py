"""Places news names that none of the gazetteer's sources lists: oceans and seas, and
regions made of whole countries or states ("the Middle East", "the Balkans", "New England").

Without them "Middle East" finds only a Baltimore neighbourhood and "Atlantic" a town in
Iowa. The tables are hand-made, so each row is small and checkable: a water body is a
point in its middle (tests check that it lies off every country's land), and a group is
its members, whose union gives its outline and point. Ids are positions in the tables,
so rows are only ever appended.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geomap.gazetteer.features import Feature, bbox, geojson
from geomap.gazetteer.naturalearth import is_bare
from geomap.gazetteer.schema import HAND_ID_BASE
from geomap.model import NAME_TYPES
from geomap.text import normalize

#: GeoNames feature code -> importance: an ocean outranks a town named after it
#: ("Atlantic", Iowa), a sea outranks most, a gulf or strait a little less.
WATER_IMPORTANCE = {"OCN": 0.92, "SEA": 0.82, "GULF": 0.78, "BAY": 0.78, "STRT": 0.76}

#: (name, GeoNames feature code, lat, lon, other names). The point is the water's middle,
#: rounded, away from islands.
WATERS: tuple[tuple[str, str, float, float, tuple[str, ...]], ...] = (
    ("Atlantic Ocean", "OCN", 10.0, -25.0, ("Atlantic",)),
    ("Pacific Ocean", "OCN", 0.0, -160.0, ("Pacific",)),
    ("Indian Ocean", "OCN", -15.0, 75.0, ()),
    ("Arctic Ocean", "OCN", 85.0, 0.0, ("Arctic",)),
    ("Southern Ocean", "OCN", -62.0, 90.0, ("Antarctic Ocean",)),
    ("Mediterranean Sea", "SEA", 35.0, 18.0, ("Mediterranean",)),
    ("Caribbean Sea", "SEA", 15.0, -75.0, ()),
    ("Red Sea", "SEA", 20.0, 38.5, ()),
    ("Black Sea", "SEA", 43.5, 34.0, ()),
    ("Caspian Sea", "SEA", 42.0, 50.5, ("Caspian",)),
    ("North Sea", "SEA", 56.0, 3.0, ()),
    ("Baltic Sea", "SEA", 55.5, 18.0, ("Baltic",)),
    ("Arabian Sea", "SEA", 15.0, 63.0, ()),
    ("South China Sea", "SEA", 13.0, 114.0, ()),
    ("East China Sea", "SEA", 29.0, 125.0, ()),
    ("Sea of Japan", "SEA", 40.0, 135.0, ("East Sea",)),
    ("Yellow Sea", "SEA", 36.0, 123.0, ()),
    ("Philippine Sea", "SEA", 20.0, 130.0, ()),
    ("Aegean Sea", "SEA", 38.8, 25.3, ("Aegean",)),
    ("Adriatic Sea", "SEA", 42.8, 15.2, ("Adriatic",)),
    ("Ionian Sea", "SEA", 38.0, 18.5, ()),
    ("Tyrrhenian Sea", "SEA", 40.0, 12.5, ()),
    ("Ligurian Sea", "SEA", 43.7, 8.8, ()),
    ("Sea of Marmara", "SEA", 40.75, 28.2, ()),
    ("Sea of Azov", "SEA", 46.3, 36.5, ()),
    ("Irish Sea", "SEA", 53.7, -5.3, ()),
    ("Celtic Sea", "SEA", 50.5, -7.5, ()),
    ("Norwegian Sea", "SEA", 68.0, 3.0, ()),
    ("Barents Sea", "SEA", 74.0, 40.0, ()),
    ("Kara Sea", "SEA", 75.0, 70.0, ()),
    ("Greenland Sea", "SEA", 76.0, -5.0, ()),
    ("Labrador Sea", "SEA", 58.0, -54.0, ()),
    ("Beaufort Sea", "SEA", 72.0, -145.0, ()),
    ("Chukchi Sea", "SEA", 69.0, -171.0, ()),
    ("Bering Sea", "SEA", 58.0, -178.0, ()),
    ("Sea of Okhotsk", "SEA", 53.0, 150.0, ()),
    ("Java Sea", "SEA", -5.0, 110.5, ()),
    ("Andaman Sea", "SEA", 11.0, 96.5, ()),
    ("Timor Sea", "SEA", -11.0, 127.0, ()),
    ("Arafura Sea", "SEA", -9.5, 135.0, ()),
    ("Coral Sea", "SEA", -15.0, 155.0, ()),
    ("Tasman Sea", "SEA", -40.0, 160.0, ()),
    ("Persian Gulf", "GULF", 27.0, 51.0, ("Arabian Gulf", "Gulf")),
    ("Gulf of Oman", "GULF", 24.5, 58.5, ()),
    ("Gulf of Aden", "GULF", 12.5, 48.0, ()),
    ("Gulf of Mexico", "GULF", 25.0, -90.0, ("Gulf",)),
    ("Gulf of Guinea", "GULF", 2.0, 3.0, ()),
    ("Gulf of Thailand", "GULF", 10.0, 102.0, ()),
    ("Gulf of Tonkin", "GULF", 20.0, 107.5, ()),
    ("Gulf of Alaska", "GULF", 57.0, -145.0, ()),
    ("Gulf of California", "GULF", 27.5, -111.0, ()),
    ("Gulf of Sidra", "GULF", 31.5, 18.5, ("Gulf of Sirte",)),
    ("Gulf of St. Lawrence", "GULF", 48.3, -61.0, ("Gulf of Saint Lawrence",)),
    ("Gulf of Bothnia", "GULF", 62.0, 20.0, ()),
    ("Gulf of Finland", "GULF", 59.8, 26.0, ()),
    ("Bay of Bengal", "BAY", 15.0, 88.0, ()),
    ("Bay of Biscay", "BAY", 45.5, -4.0, ()),
    ("Hudson Bay", "BAY", 59.0, -86.0, ()),
    ("English Channel", "STRT", 50.2, -1.5, ()),
    ("Strait of Hormuz", "STRT", 26.6, 56.6, ("Straits of Hormuz",)),
    ("Taiwan Strait", "STRT", 24.5, 119.5, ()),
    ("Strait of Malacca", "STRT", 3.3, 100.5, ("Straits of Malacca",)),
)

#: (name, members, other names). A member is an ISO country code, a continent ("AF*":
#: every country GeoNames puts there) or a code to leave out ("-EG"). Members follow the
#: usual definitions, the UN's subregions where there is one.
COUNTRY_GROUPS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Middle East", ("AE", "BH", "CY", "EG", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "YE"),
     ("Mideast", "Mid-East")),
    ("Levant", ("IL", "JO", "LB", "PS", "SY"), ()),
    ("Gulf States", ("AE", "BH", "KW", "OM", "QA", "SA"), ("Persian Gulf States", "Arab Gulf States")),
    ("Arabian Peninsula", ("AE", "BH", "KW", "OM", "QA", "SA", "YE"), ()),
    ("North Africa", ("DZ", "EG", "EH", "LY", "MA", "SD", "TN"), ("Northern Africa",)),
    ("Maghreb", ("DZ", "LY", "MA", "MR", "TN"), ()),
    ("Sub-Saharan Africa", ("AF*", "-DZ", "-EG", "-EH", "-LY", "-MA", "-SD", "-TN"), ()),
    ("West Africa", ("BF", "BJ", "CI", "CV", "GH", "GM", "GN", "GW", "LR", "ML", "MR", "NE", "NG", "SL", "SN", "TG"),
     ("Western Africa",)),
    ("East Africa", ("BI", "DJ", "ER", "ET", "KE", "RW", "SO", "SS", "TZ", "UG"), ("Eastern Africa",)),
    ("Horn of Africa", ("DJ", "ER", "ET", "SO"), ()),
    ("Central Africa", ("AO", "CD", "CF", "CG", "CM", "GA", "GQ", "ST", "TD"), ()),
    ("Southern Africa", ("BW", "LS", "NA", "SZ", "ZA"), ()),
    ("Sahel", ("BF", "ML", "MR", "NE", "TD"), ()),
    ("Caribbean", ("AG", "BB", "BS", "CU", "DM", "DO", "GD", "HT", "JM", "KN", "LC", "PR", "TT", "VC"), ()),
    ("Central America", ("BZ", "CR", "GT", "HN", "NI", "PA", "SV"), ()),
    ("Latin America", ("AR", "BO", "BR", "CL", "CO", "CR", "CU", "DO", "EC", "GT", "HN", "HT", "MX", "NI", "PA", "PE",
                       "PR", "PY", "SV", "UY", "VE"), ()),
    ("Americas", ("NA*", "SA*"), ()),
    ("Scandinavia", ("DK", "NO", "SE"), ()),
    ("Nordic countries", ("DK", "FI", "IS", "NO", "SE"), ("Nordics",)),
    ("Baltic states", ("EE", "LT", "LV"), ("Baltics",)),
    ("Balkans", ("AL", "BA", "BG", "HR", "ME", "MK", "RS", "XK"), ("Balkan Peninsula",)),
    ("Benelux", ("BE", "LU", "NL"), ()),
    ("Iberian Peninsula", ("ES", "PT"), ("Iberia",)),
    ("British Isles", ("GB", "IE"), ()),
    ("Western Europe", ("AT", "BE", "CH", "DE", "FR", "LI", "LU", "MC", "NL"), ()),
    # Without Russia, whose Asian part would put the point in Siberia.
    ("Eastern Europe", ("BG", "BY", "CZ", "HU", "MD", "PL", "RO", "SK", "UA"), ()),
    ("Central Europe", ("AT", "CH", "CZ", "DE", "HU", "LI", "PL", "SI", "SK"), ()),
    ("Caucasus", ("AM", "AZ", "GE"), ("South Caucasus",)),
    ("Central Asia", ("KG", "KZ", "TJ", "TM", "UZ"), ()),
    ("South Asia", ("AF", "BD", "BT", "IN", "LK", "MV", "NP", "PK"), ("Southern Asia",)),
    ("Southeast Asia", ("BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "TL", "VN"),
     ("South-East Asia", "South East Asia")),
    ("East Asia", ("CN", "JP", "KP", "KR", "MN", "TW"), ("Eastern Asia",)),
    ("Korean Peninsula", ("KP", "KR"), ()),
    ("Australasia", ("AU", "NZ"), ()),
)  # fmt: skip

#: (name, member states, other names): regions of the United States, the Census
#: Bureau's where it has them.
STATE_GROUPS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("New England", ("CT", "MA", "ME", "NH", "RI", "VT"), ()),
    ("Midwest", ("IA", "IL", "IN", "KS", "MI", "MN", "MO", "ND", "NE", "OH", "SD", "WI"), ("Middle West",)),
    ("West Coast", ("CA", "OR", "WA"), ()),
    ("East Coast", ("CT", "DE", "FL", "GA", "MA", "MD", "ME", "NC", "NH", "NJ", "NY", "RI", "SC", "VA"),
     ("Eastern Seaboard",)),
    ("Pacific Northwest", ("ID", "OR", "WA"), ()),
    ("Mid-Atlantic", ("DE", "MD", "NJ", "NY", "PA"), ()),
    ("Deep South", ("AL", "GA", "LA", "MS", "SC"), ()),
    ("Gulf Coast", ("AL", "FL", "LA", "MS", "TX"), ()),
)  # fmt: skip

COUNTRY_GROUP_IMPORTANCE = 0.85
STATE_GROUP_IMPORTANCE = 0.75
#: A country's parts farther than this (degrees) from its largest part are left out of
#: its groups: French Guiana is not in Western Europe, nor the Canaries in Iberia.
OVERSEAS_DEGREES = 15.0


def _hand_id(table: int, row: int) -> int:
    """Stable negative ids, apart from Natural Earth's: a table's rows are numbered from
    table * 1000, so appending to one table never renumbers another."""
    return -(HAND_ID_BASE + table * 1000 + row)


def _add_names(f: Feature, name: str, others: Iterable[str]) -> None:
    f.add_name(name, "name")
    for other in others:
        f.add_name(other)


#: Oceans Natural Earth splits at the equator: the parts whose union outlines them.
WATER_PARTS: dict[str, tuple[str, ...]] = {
    "Atlantic Ocean": ("North Atlantic Ocean", "South Atlantic Ocean"),
    "Pacific Ocean": ("North Pacific Ocean", "South Pacific Ocean"),
}
#: A Natural Earth marine area of a water's name farther than this (degrees) from its
#: point is another water of the same name.
WATER_MATCH_DEGREES = 5.0


def water_features(marine: Sequence[Feature] = ()) -> tuple[list[Feature], set[int]]:
    """The waters of :data:`WATERS`, each outlined by the Natural Earth marine area
    (``marine``) of its name nearest its point, or by the union of its
    :data:`WATER_PARTS`; a water keeps its own point and id. Returns the waters and the
    ids of the marine areas they stand for (the parts stay features of their own)."""
    from shapely.geometry import Point, shape
    from shapely.ops import unary_union

    by_key: dict[str, list[Feature]] = {}
    outlines = {m.id: shape(m.geometry) for m in marine if m.geometry is not None}
    for m in marine:
        for key in m.names:
            if m.id in outlines:
                by_key.setdefault(key, []).append(m)
    out, replaced = [], set()
    for row, (name, fcode, lat, lon, others) in enumerate(WATERS):
        f = Feature(_hand_id(0, row), name, fcode, lat, lon, importance=WATER_IMPORTANCE[fcode])
        _add_names(f, name, others)
        point = Point(lon, lat)
        if name in WATER_PARTS:
            parts = [outlines[m.id] for part in WATER_PARTS[name] for m in by_key.get(normalize(part), [])]
            outline = unary_union(parts) if parts else None
        else:
            near = sorted(
                (outlines[m.id].distance(point), m.id, m)
                for key in sorted(f.names)
                if len(key.split()) > 1 or is_bare(key)  # not a lone generic word ("Gulf")
                for m in by_key.get(key, [])
            )
            match = near[0] if near and near[0][0] <= WATER_MATCH_DEGREES else None
            outline = outlines[match[1]] if match else None
            if match:
                replaced.add(match[2].id)
                for key, code in match[2].names.items():
                    f.names.setdefault(key, max(code, NAME_TYPES.index("alternate")))
        if outline is not None and not outline.is_empty:
            f.bbox, f.geometry = bbox(outline), geojson(outline, 4)
        out.append(f)
    return out, replaced


def members(spec: Iterable[str], continents: Mapping[str, str]) -> set[str]:
    """Country codes of a group: its codes, every country of a "XX*" continent, less "-XX"."""
    codes: set[str] = set()
    for item in spec:
        if item.endswith("*"):
            codes |= {cc for cc, continent in continents.items() if continent == item[:-1]}
        elif not item.startswith("-"):
            codes.add(item)
    return codes - {item[1:] for item in spec if item.startswith("-")}


def country_group_features(continents: Mapping[str, str], shapes: Mapping[str, Any]) -> list[Feature]:
    """``continents``: country code -> continent code; ``shapes``: code -> shapely geometry.
    A group's outline is its members' union and its point that union's centroid."""
    from shapely.ops import unary_union

    out = []
    for row, (name, spec, others) in enumerate(COUNTRY_GROUPS):
        codes = sorted(members(spec, continents))
        union = unary_union([_home(shapes[cc]).simplify(0.02) for cc in codes if cc in shapes])
        if union.is_empty:
            continue  # a partial Natural Earth directory: none of its members
        outline = union.simplify(0.05)
        point = union.centroid
        f = Feature(
            _hand_id(1, row), name, "RGN", round(point.y, 5), round(point.x, 5),
            importance=COUNTRY_GROUP_IMPORTANCE, bbox=bbox(outline), geometry=geojson(outline, 4),
        )  # fmt: skip
        _add_names(f, name, others)
        out.append(f)
    return out


def _home(geom: Any) -> Any:
    """A country without its overseas parts."""
    from shapely.geometry import MultiPolygon

    parts = list(getattr(geom, "geoms", [geom]))
    main = max(parts, key=lambda p: p.area).centroid
    return MultiPolygon([p for p in parts if p.centroid.distance(main) <= OVERSEAS_DEGREES])


def state_group_features(regions: Iterable[Feature]) -> list[Feature]:
    """US regions at the mean of their states' points (no state outlines ship here)."""
    states = {r.a1: r for r in regions if r.cc == "US" and r.fcode == "ADM1"}
    out = []
    for row, (name, codes, others) in enumerate(STATE_GROUPS):
        parts = [states[code] for code in codes if code in states]
        if not parts:
            continue
        boxes = [p.bbox for p in parts if p.bbox]
        f = Feature(
            _hand_id(2, row), name, "RGN",
            round(sum(p.lat for p in parts) / len(parts), 5), round(sum(p.lon for p in parts) / len(parts), 5),
            sum(p.population for p in parts), "US", importance=STATE_GROUP_IMPORTANCE,
            bbox=(min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
            if boxes else None,
        )  # fmt: skip
        _add_names(f, name, others)
        out.append(f)
    return out


@dataclass(frozen=True, slots=True)
class NewsRegion:
    """A row of ``regions.toml``: a named region that no source has as one place."""

    name: str
    others: tuple[str, ...]
    source: str
    members: tuple[str, ...] = ()  # GeoNames division codes: "SD.47", "IQ.15.98612"
    outline: str = ""  # "country part": outlined by the part of the country's polygon holding its towns
    admin0: str = ""  # NAME of a Natural Earth admin-0 polygon without an ISO code
    capital: int = 0  # GeoNames id of the town it is placed at
    countries: tuple[str, ...] = ()  # ISO codes of the countries it became: "Soviet Union"
    abbreviations: tuple[str, ...] = ()  # "USSR": found as a country's "U.S." is
    natural_earth: str = ""  # name of the Natural Earth feature that is this place under another name


#: Importance of a named region: with the states and provinces it is made of.
NEWS_REGION_IMPORTANCE = 0.75


def news_regions() -> list[NewsRegion]:
    """The rows of ``regions.toml`` (beside this module), in order."""
    import tomllib
    from importlib.resources import files

    data = tomllib.loads(files("geomap.gazetteer").joinpath("regions.toml").read_text(encoding="utf-8"))
    return [
        NewsRegion(
            name=row["name"],
            others=tuple(row.get("others", ())),
            source=row["source"],
            members=tuple(row.get("members", ())),
            outline=row.get("outline", ""),
            admin0=row.get("admin0", ""),
            capital=int(row.get("capital", 0)),
            countries=tuple(row.get("countries", ())),
            abbreviations=tuple(row.get("abbreviations", ())),
            natural_earth=row.get("natural_earth", ""),
        )
        for row in data["region"]
    ]


def news_region_features(
    division_towns: Mapping[str, Sequence[Feature]],
    divisions: Mapping[str, Feature],
    country_shapes: Mapping[str, Any],
    admin0_shapes: Mapping[str, Any],
    towns: Mapping[int, Feature],
) -> list[Feature]:
    """Features for :func:`news_regions`. ``division_towns``: GeoNames division code ->
    its towns; ``divisions``: code -> the division's feature (which a "country part"
    outline of the same name goes to); ``country_shapes``: ISO code -> polygon;
    ``admin0_shapes``: Natural Earth NAME -> polygon of the de facto states; ``towns``:
    GeoNames id -> town. A row whose pieces are missing (a partial build) is left out."""
    from shapely.geometry import MultiPoint, shape
    from shapely.ops import polylabel, unary_union

    out = []
    for row, region in enumerate(news_regions()):
        if region.natural_earth:
            continue  # a name of a Natural Earth feature (:func:`name_natural_earth_features`)
        f = Feature(_hand_id(3, row), region.name, "RGN", 0.0, 0.0, importance=NEWS_REGION_IMPORTANCE)
        _add_names(f, region.name, region.others)
        for abbreviation in region.abbreviations:
            f.add_name(abbreviation, "abbreviation")
        outline = None
        if region.members:
            inside = [t for code in region.members for t in division_towns.get(code, ())]
            if not inside:
                continue
            hull = MultiPoint([(t.lon, t.lat) for t in inside]).convex_hull
            f.lat, f.lon = round(hull.centroid.y, 5), round(hull.centroid.x, 5)
            f.population = sum(t.population for t in inside)
            countries = {t.cc for t in inside}
            f.cc = countries.pop() if len(countries) == 1 else None
            f.bbox = bbox(MultiPoint([(t.lon, t.lat) for t in inside]))
            member_outlines = [divisions[c].geometry if c in divisions else None for c in region.members]
            if region.outline == "country part" and f.cc is not None and f.cc in country_shapes:
                held = MultiPoint([(t.lon, t.lat) for t in inside])
                parts = getattr(country_shapes[f.cc], "geoms", [country_shapes[f.cc]])
                outline = unary_union([p for p in parts if p.distance(held) < 0.05])
            elif all(member_outlines):
                outline = unary_union([shape(g) for g in member_outlines if g is not None])
        elif region.admin0:
            if region.admin0 not in admin0_shapes:
                continue
            outline = admin0_shapes[region.admin0]
            largest = max(getattr(outline, "geoms", [outline]), key=lambda g: g.area)
            point = polylabel(largest, tolerance=0.01)
            f.lat, f.lon = round(point.y, 5), round(point.x, 5)
        elif region.countries:
            if not all(cc in country_shapes for cc in region.countries):
                continue
            outline = unary_union([country_shapes[cc] for cc in region.countries])
            f.lat, f.lon = round(outline.centroid.y, 5), round(outline.centroid.x, 5)  # as the country groups
            f.importance = COUNTRY_GROUP_IMPORTANCE
        elif region.capital:
            town = towns.get(region.capital)
            if town is None:
                continue
            f.lat, f.lon, f.cc = town.lat, town.lon, town.cc
        if outline is not None and not outline.is_empty:
            simple = outline.simplify(0.01)
            same = divisions.get(region.members[0]) if len(region.members) == 1 else None
            if same is not None and normalize(same.name) in {*f.names, normalize(region.name)}:
                same.bbox, same.geometry = bbox(simple), geojson(simple, 4)
                continue  # the division itself ("Gaza Strip") takes the outline
            f.bbox, f.geometry = bbox(simple), geojson(simple, 4)
        out.append(f)
    return out


def name_natural_earth_features(features: Sequence[Feature]) -> None:
    """Give the rows of :func:`news_regions` placed by ``natural_earth`` to that feature: the
    row's name is its English name and own name ("Apennines" for "Appennini"), the others
    other names; so do all the pieces of that name (a river Natural Earth draws in pieces)."""
    by_name: dict[str, list[Feature]] = {}
    for f in features:
        if f.id < 0 and -f.id < HAND_ID_BASE:
            by_name.setdefault(f.name, []).append(f)
    for region in news_regions():
        for feature in by_name.get(region.natural_earth, []) if region.natural_earth else []:
            feature.english = region.name
            _add_names(feature, region.name, region.others)
