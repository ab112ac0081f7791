"""Named peaks, volcanoes and passes from Natural Earth's elevation points (public domain).

The layer ``ne_10m_geography_regions_elevation_points`` gives about 650 named summits with
their elevation, a few passes ("Khyber Pass") and depressions ("Death Valley"); its spot
heights have no name and its polar stations are not places news names. Labels are map
labels: "Mt. Hood", "Borah Pk.", "Volcán Popocatépetl", "Monte Etna", "Aoraki/Mt. Cook".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from geomap.gazetteer import naturalearth as ne
from geomap.gazetteer.features import Feature

LAYER = "ne_10m_geography_regions_elevation_points"
#: Natural Earth's ``featurecla`` -> GeoNames feature code.
CODES = {"mountain": "MT", "pass": "PASS", "depression": "DPR"}
#: Foreign words for "mount" before a peak's name: "Monte Etna" is "Mount Etna" in English.
_MOUNT = re.compile(r"(?:Gora|Monte|Pik|Jabal|Jebel|Djebel|Gunung|Kuh-e) (.+)")
#: Foreign words for "volcano", "hill" or "snowy peak" that English drops: "Volcán
#: Popocatépetl" is "Popocatépetl", "Cerro Aconcagua" "Aconcagua".
_DROPPED = re.compile(r"(?:Volcán|Volcan|Vulkan|Cerro|Nevado|Pico) (.+)")
#: The highest summit on Earth, whose importance is 1 on the elevation scale.
EVEREST_METRES = 8848.0


def importance(scalerank: float, elevation: float) -> float:
    """Natural Earth's scalerank (0.75 less 0.04 a rank, as its other physical features),
    or the elevation, whichever ranks the peak higher: Mount Rainier and Ararat (scalerank 9)
    rank by their 4,000 and 5,000 metres with a town of about 30,000 people."""
    by_height = 0.3 + 0.4 * min(1.0, max(0.0, elevation) / EVEREST_METRES)
    return round(max(ne.importance(scalerank, ne.PHYSICAL_BASE), by_height), 4)


def _label(text: str) -> str:
    """A map label as a name: "Borah Pk." -> "Borah Peak", "Mt. Hood" -> "Mount Hood"."""
    return ne.clean_name(re.sub(r"\bPk\.", "Peak", text.strip()), "MT")


def names(label: str, alternate: str | None) -> tuple[str, str | None, list[str], list[str]]:
    """The peak's name, its English name where the name starts with a foreign word, its
    other names (the parts of "Aoraki/Mt. Cook", ``name_alt``) and the bare names inside
    them ("Kilimanjaro" in "Mount Kilimanjaro", "Popocatépetl" in "Volcán Popocatépetl")."""
    parts = [_label(p) for p in label.split("/") if p.strip()]
    if alternate:
        parts += [_label(p) for p in alternate.split("/") if p.strip()]
    name, others = parts[0], parts[1:]
    english = None
    if m := _MOUNT.fullmatch(name):
        english = f"Mount {m.group(1)}"
    elif m := _DROPPED.fullmatch(name):
        english = m.group(1)
    cores = []
    for form in (name, *others, *([english] if english else [])):
        if (m := re.fullmatch(r"Mount (.+)", form) or _MOUNT.fullmatch(form) or _DROPPED.fullmatch(form)) is not None:
            cores.append(m.group(1))
    return name, english, others, cores


def peaks(naturalearth: Path) -> Iterator[Feature]:
    """The layer's named summits, passes and depressions as points. The bare name inside
    "Mount Kilimanjaro" or "Volcán Popocatépetl" is indexed only where it is no English word
    or person's name (not "Hood", "Etna", "Washington"), as for Natural Earth's ranges and
    lakes; a one-word label that is a word ("Fuji") is only another name, found with support."""
    used: set[int] = set()
    for rec, geom in sorted(ne.layer(naturalearth, LAYER), key=lambda rg: (str(rg[0].get("name")), rg[1].wkb)):
        fcode = CODES.get(rec.get("featurecla") or "")
        label = (rec.get("name") or "").strip()
        if fcode is None or not label:
            continue
        name, english, others, cores = names(label, rec.get("name_alt"))
        fid = ne.stable_id("peak", name, round(geom.x, 1), round(geom.y, 1))
        while fid in used:
            fid -= 1
        used.add(fid)
        f = Feature(
            fid, name, fcode, round(geom.y, 5), round(geom.x, 5),
            importance=importance(float(rec.get("scalerank") or 9), float(rec.get("elevation") or 0)), english=english,
        )  # fmt: skip
        f.add_name(name, "name" if " " in name or ne.plain(name) else "alternate")
        f.add_name(english, "name")
        if fcode == "MT" and " " not in name:
            f.add_name(f"Mount {name}", "name")  # "Mount Fuji", "Mount Denali"
        for other in others:
            f.add_name(other)
        for core in cores:
            if all(map(ne.plain, core.split())):
                f.add_name(core, "name")
        yield f
