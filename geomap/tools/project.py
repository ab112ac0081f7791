"""Many maps from one project file, rebuilt only when something they depend on changed.

A project file (``geomap.toml``) lists articles, the options of each map and the
corrections a user made by hand; :func:`build` turns it into maps in an output folder,
with an ``index.html`` linking them. Each map's inputs (the article as read, its
options, its corrections, the geomap version and the gazetteer file) are hashed into
a key kept in a manifest in the output folder; a map whose key is unchanged and whose
outputs all exist is skipped. Every file, the manifest included, is written atomically
and the manifest after each map, so an interrupted build loses at most the map in
progress and the next build resumes there.

    output_dir = "maps"            # relative to this file; default "outputs"
    title = "Maps for the report"  # heading of index.html

    [defaults]                     # every map, unless the map says otherwise
    formats = ["html", "geojson"]
    tiles = "OpenTopoMap"
    drop = ["Lincoln"]

    [[map]]
    article = "articles/mosul.txt" # path (relative to this file) or http(s) URL
    name = "mosul"                 # output file names; default: the article's file name
    title = "The battle for Mosul"
    add = ["Baghdad", { name = "Hammam al-Alil", lat = 36.16, lon = 43.26 }]
    pin = [{ name = "east Mosul", lat = 36.36, lon = 43.17 }]
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import logging
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from geomap.errors import NO_PLACES, EnvironmentFault, GeomapError
from geomap.fetch import DEFAULT_LIMITS, Limits, parse_size, read_file
from geomap.fsutil import atomic_write, check_writable, sweep_temporary
from geomap.geo import great_circle_km
from geomap.maps.export import DEFAULT_FRAGMENT_HEIGHT, DEFAULT_PNG_SIZE
from geomap.model import KINDS, Article, Candidate, Kind, Mention, Place, Sentence
from geomap.resolve.labels import place_label

if TYPE_CHECKING:
    from geomap.geocoders.base import CandidateSource

log = logging.getLogger(__name__)

PROJECT_FILE = "geomap.toml"
MANIFEST = ".geomap-build.json"
INDEX = "index.html"
DEFAULT_OUTPUT_DIR = "outputs"
#: Suffixes of the articles a folder build picks up.
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
#: A pinned or added place takes the identity (kind, country, outline) of a gazetteer
#: candidate of its name lying this close to the given point.
SNAP_KM = 100.0
#: File name of each format's output, after the map's name.
OUTPUT_SUFFIXES = {
    "html": ".html", "fragment": ".fragment.html", "iframe": ".iframe.html", "png": ".png", "pdf": ".pdf", "svg": ".svg",
    "geojson": ".geojson",
}  # fmt: skip
_MANIFEST_VERSION = 1
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")

Action = Literal["add", "drop", "pin"]
Status = Literal["built", "skipped", "failed"]


@dataclass(frozen=True)
class Correction:
    """A fix the geoparser cannot make itself, applied after every resolution.

    ``drop`` removes the places whose name, id or mention text is ``name``; ``pin``
    moves them to ``lat``/``lon``; ``add`` puts ``name`` on the map, at ``lat``/``lon``
    or, without them, where the gazetteer's best candidate for the name lies. Drops
    apply first, then pins, then additions, so that a drop and an add replace a place.
    """

    action: Action
    name: str
    lat: float | None = None
    lon: float | None = None
    kind: Kind | None = None  # for an added place the gazetteer does not know


@dataclass(frozen=True)
class MapSpec:
    """One map of a project: where the article is and how to draw it."""

    name: str  # output files are <output_dir>/<name><suffix>
    article: str  # absolute path or URL
    label: str  # the article as the user wrote it: shown in captions, errors and the index
    title: str | None = None  # None: the article's own title
    geocoder: str = "offline"
    geocoder_options: Mapping[str, str] = field(default_factory=dict)
    ranker: str = "context"
    tiles: str | None = "OpenStreetMap"
    formats: tuple[str, ...] = ("html",)
    cdn: bool = False  # link Leaflet instead of embedding it
    map_id: str | None = None
    size: tuple[int, int] = DEFAULT_PNG_SIZE  # figure (PNG, PDF) size in CSS pixels
    scale: float = 1.0  # device pixels per CSS pixel of a PNG
    source: str | None = None  # the caption's publisher, instead of the page's metadata
    date: str | None = None  # the caption's date, likewise
    credit: str | None = None  # who made the map, at the end of the caption
    height: str = DEFAULT_FRAGMENT_HEIGHT  # of a fragment or iframe
    corrections: tuple[Correction, ...] = ()
    origin: str = PROJECT_FILE  # the project file, named in the notes corrections leave

    def outputs(self, output_dir: Path) -> list[Path]:
        return [output_dir / f"{self.name}{OUTPUT_SUFFIXES[fmt]}" for fmt in self.formats]

    def options(self) -> dict[str, Any]:
        """Everything but the article that decides the outputs' bytes: part of the build key."""
        data = dataclasses.asdict(self)
        for key in ("article", "origin"):
            data.pop(key)
        data["geocoder_options"] = dict(sorted(self.geocoder_options.items()))
        return data


@dataclass(frozen=True)
class Project:
    maps: tuple[MapSpec, ...]
    output_dir: Path
    title: str = "Maps"
    path: Path | None = None  # the project file; None for a folder of articles
    limits: Limits = DEFAULT_LIMITS  # what each article and geocoder request may cost


@dataclass(frozen=True)
class MapOutcome:
    """What became of one map; ``reason`` says why it failed."""

    spec: MapSpec
    status: Status
    outputs: tuple[Path, ...] = ()
    places: int | None = None
    reason: str | None = None


@dataclass
class BuildResult:
    outcomes: list[MapOutcome]
    index: Path | None = None

    def _with(self, status: Status) -> list[MapOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def built(self) -> list[MapOutcome]:
        return self._with("built")

    @property
    def skipped(self) -> list[MapOutcome]:
        return self._with("skipped")

    @property
    def failed(self) -> list[MapOutcome]:
        return self._with("failed")

    def summary(self) -> str:
        return f"built {len(self.built)}, skipped {len(self.skipped)}, failed {len(self.failed)}"


# -- loading -----------------------------------------------------------------

_OPTION_KEYS = ("geocoder", "geocoder_options", "ranker", "tiles", "formats", "cdn", "inline_assets", "map_id", "size",
                "scale", "height", "source", "date", "credit")  # fmt: skip
_CORRECTION_KEYS: tuple[Action, ...] = ("drop", "pin", "add")  # the order they apply in
_TOP_KEYS = ("output_dir", "title", "allow_outside", "max_bytes", "fetch_timeout", "defaults", "map")
_DEFAULT_KEYS = (*_OPTION_KEYS, *_CORRECTION_KEYS)
_MAP_KEYS = ("article", "name", "title", *_OPTION_KEYS, *_CORRECTION_KEYS)
_ADD_KEYS = ("name", "lat", "lon", "kind")
_PIN_KEYS = ("name", "lat", "lon")


class ProjectError(GeomapError):
    """The project file is malformed; the message starts with ``file:line:``."""


class _Where:
    """Names the place in the project file a value came from, with its line when it can be found."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines: dict[tuple[str, str | None], int] = {}  # (table, key or None for its header) -> line
        table, maps = "top", 0
        for number, line in enumerate(text.splitlines(), 1):
            if re.match(r"\s*\[\[\s*map\s*\]\]", line):
                maps += 1
                table = f"map {maps}"
                self.lines[(table, None)] = number
            elif m := re.match(r"\s*\[\s*([^\]]+?)\s*\]", line):
                table = m.group(1) if m.group(1) == "defaults" else f"{table}.{m.group(1)}"
            elif m := re.match(r"""\s*(["']?)([A-Za-z0-9_-]+)\1\s*=""", line):
                self.lines.setdefault((table, m.group(2)), number)

    def error(self, table: str, key: str | None, message: str) -> ProjectError:
        line = self.lines.get((table, key)) or self.lines.get((table, None))
        where = f"{self.path}:{line}" if line else self.path
        return ProjectError(f"{where}: {message}")


def load(path: str | Path, *, overrides: Mapping[str, Any] | None = None) -> Project:
    """Read and check a project file. ``overrides`` (the same keys as ``[defaults]``)
    win over the file, for command-line options. Raises :class:`ProjectError` with the
    line (and column, for TOML syntax) of the first problem."""
    path = Path(path)
    if path.is_dir():
        raise ProjectError(f"{path} is a folder; a project file is a TOML file such as {PROJECT_FILE}")
    if not path.exists():
        raise ProjectError(f"no such project file: {path}")
    try:
        text = read_file(path).decode("utf-8")  # a regular file, within the size cap
    except UnicodeDecodeError:
        raise ProjectError(f"{path}: not UTF-8 text") from None
    except GeomapError as exc:
        raise ProjectError(str(exc)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{path}:{_toml_position(exc, text)}: {_toml_message(exc)}") from None
    where = _Where(str(path), text)
    _check_keys(data, _TOP_KEYS, where, "top", "at the top level")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise where.error("top", "defaults", "defaults must be a table: [defaults]")
    _check_keys(defaults, _DEFAULT_KEYS, where, "defaults", "in [defaults]")
    entries = data.get("map", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise where.error("top", "map", "map must be an array of tables: [[map]]")
    if not entries:
        raise ProjectError(f"{path}: no maps: add a [[map]] table with an article")
    base = path.parent.resolve()
    allow_outside = data.get("allow_outside", False)
    if not isinstance(allow_outside, bool):
        raise where.error("top", "allow_outside", f"allow_outside must be true or false, not {_show(allow_outside)}")
    inside = _Inside(base, allow_outside, where)
    output_dir = inside(base / _string(data, "output_dir", where, "top", "at the top level", DEFAULT_OUTPUT_DIR),
                        "top", "output_dir")  # fmt: skip
    title = _string(data, "title", where, "top", "at the top level", "Maps")
    limits = _limits(data, where)
    shared = _options(defaults, where, "defaults", "in [defaults]")
    shared_fixes = _corrections(defaults, where, "defaults", "in [defaults]")
    forced = _options(overrides or {}, _Where("the command line", ""), "top", "on the command line")
    specs: dict[str, MapSpec] = {}
    for number, entry in enumerate(entries, 1):
        table = f"map {number}"
        context = f"in [[map]] {number}"
        _check_keys(entry, _MAP_KEYS, where, table, context)
        label = _string(entry, "article", where, table, context, "")
        if not label:
            raise where.error(table, "article", f'[[map]] {number} needs an article: article = "path/or/url"')
        article = label if _is_url(label) else str(inside(base / label, table, "article"))
        context = f"in [[map]] {number} ({label})"
        name = _string(entry, "name", where, table, context, "") or _default_name(label)
        if not _NAME.fullmatch(name) or name.lower() == Path(INDEX).stem:
            raise where.error(table, "name", f"name {name!r} {context}: use letters, digits, '.', '_' and '-', "
                                             f"starting with a letter or digit, and not 'index'")  # fmt: skip
        if (other := specs.get(name.lower())) is not None:
            raise where.error(table, "name", f"two maps are named {name!r} ({other.label} and {label}): "
                                             f'give one of them name = "..."')  # fmt: skip
        own = _options(entry, where, table, context)
        settings = {**shared, **own, **forced}
        # geocoder options add up, so that --user-agent on the command line keeps the file's domain
        layers = (shared, own, forced)
        settings["geocoder_options"] = {k: v for layer in layers for k, v in layer.get("geocoder_options", {}).items()}
        fixes = (*shared_fixes, *_corrections(entry, where, table, context))
        corrections = tuple(sorted(fixes, key=lambda c: _CORRECTION_KEYS.index(c.action)))
        title_ = _string(entry, "title", where, table, context, "") or None
        specs[name.lower()] = MapSpec(name=name, article=article, label=label, title=title_, corrections=corrections,
                                      origin=path.name, **settings)  # fmt: skip
        _check_collisions(specs, where, table)
    return Project(maps=tuple(specs.values()), output_dir=output_dir, title=title, path=path, limits=limits)


class _Inside:
    """Resolves a project file's paths and refuses those outside its folder (symbolic links
    followed), unless the file says ``allow_outside = true``: a project shared with you
    must not write to, or publish, files anywhere else."""

    def __init__(self, base: Path, allowed: bool, where: _Where) -> None:
        self.base, self.allowed, self.where = base, allowed, where

    def __call__(self, path: Path, table: str, key: str) -> Path:
        resolved = path.resolve()
        if not self.allowed and not resolved.is_relative_to(self.base):
            raise self.where.error(table, key, f"{key} {resolved} is outside the project's folder {self.base}: "
                                               "set allow_outside = true at the top of the file to allow it")  # fmt: skip
        return resolved


def _check_collisions(specs: Mapping[str, MapSpec], where: _Where, table: str) -> None:
    """Two maps must not write the same file ("a" as a fragment and "a.fragment" as a page
    both write a.fragment.html), nor one the build's own files; names differing only in case
    collide too, on the file systems that ignore it."""
    owners: dict[str, MapSpec] = {}
    reserved = {INDEX.lower(), MANIFEST.lower()}
    for spec in specs.values():
        for file in (p.name for p in spec.outputs(Path())):
            if file.lower() in reserved:
                raise where.error(
                    table, "name", f"{spec.label}: its output {file} is the build's own file: rename the map"
                )
            if (other := owners.setdefault(file.lower(), spec)) is not spec:
                raise where.error(table, "name", f"{other.label} and {spec.label} would both write {file}: "
                                                 'give one of them another name = "..."')  # fmt: skip


def from_folder(
    folder: str | Path, *, output_dir: str | Path = DEFAULT_OUTPUT_DIR, overrides: Mapping[str, Any] | None = None
) -> Project:
    """A project of every article (.txt, .html, .htm) in ``folder``, not recursing,
    with default options and ``overrides``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise GeomapError(f"no such folder: {folder}")
    if Path(output_dir).resolve() == folder.resolve():
        raise GeomapError(f"the maps would be read back as articles: write them outside {folder} (-o DIR)")
    files = sorted(p for p in folder.iterdir()
                   if p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith(".") and p.is_file())  # fmt: skip
    if not files:
        raise GeomapError(f"no articles in {folder}: geomap reads {', '.join(ARTICLE_SUFFIXES)} files")
    settings = _options(overrides or {}, _Where("the command line", ""), "top", "on the command line")
    stems = [_default_name(p.name) for p in files]
    specs = []
    for file, stem in zip(files, stems):
        # a.txt and a.html in one folder: a-txt and a-html
        name = f"{stem}-{file.suffix.lstrip('.').lower()}" if stems.count(stem) > 1 else stem
        specs.append(MapSpec(name=name, article=str(file.resolve()), label=str(file), origin=str(folder), **settings))
    return Project(maps=tuple(specs), output_dir=Path(output_dir), title=f"Maps of {folder}")


def _toml_position(exc: tomllib.TOMLDecodeError, text: str) -> str:
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)  # Python 3.14+
    if line is None:
        if m := re.search(r"\(at line (\d+), column (\d+)\)", str(exc)):
            line, column = int(m.group(1)), int(m.group(2))
        else:  # "(at end of document)"
            lines = text.splitlines() or [""]
            line, column = len(lines), len(lines[-1]) + 1
    return f"{line}:{column}"


def _toml_message(exc: tomllib.TOMLDecodeError) -> str:
    message = getattr(exc, "msg", None) or str(exc)
    return re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)$", "", message)


def _check_keys(table: Mapping[str, Any], valid: Sequence[str], where: _Where, name: str, context: str) -> None:
    for key in table:
        if key not in valid:
            hint = _did_you_mean(key, valid) or f"; valid keys: {', '.join(valid)}"
            raise where.error(name, key, f"unknown key {key!r} {context}{hint}")


def _string(table: Mapping[str, Any], key: str, where: _Where, name: str, context: str, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise where.error(name, key, f"{key} {context} must be a string, not {_show(value)}")
    return value.strip()


def _limits(data: Mapping[str, Any], where: _Where) -> Limits:
    """``max_bytes`` (20000000 or "20MB") and ``fetch_timeout`` (seconds) at the top level."""
    size = data.get("max_bytes", DEFAULT_LIMITS.max_bytes)
    try:
        if isinstance(size, bool) or not isinstance(size, (int, str)):
            raise GeomapError("not a size")
        max_bytes = parse_size(str(size))
    except GeomapError:
        message = f'max_bytes must be a size such as "20MB" or 20000000, not {_show(size)}'
        raise where.error("top", "max_bytes", message) from None
    timeout = data.get("fetch_timeout", DEFAULT_LIMITS.timeout)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout < float("inf"):
        raise where.error(
            "top", "fetch_timeout", f"fetch_timeout must be a number of seconds above 0, not {_show(timeout)}"
        )
    return Limits(max_bytes=max_bytes, timeout=float(timeout))


def _options(table: Mapping[str, Any], where: _Where, name: str, context: str) -> dict[str, Any]:
    """The map options present in ``table``, checked and normalised to MapSpec fields."""
    from geomap.maps.export import FORMATS, css_length, png_scale, png_size
    from geomap.maps.render import checked_map_id

    out: dict[str, Any] = {}
    if "geocoder" in table:
        out["geocoder"] = _string(table, "geocoder", where, name, context, "").lower() or "offline"
    if "ranker" in table:
        out["ranker"] = _string(table, "ranker", where, name, context, "").lower()
    if out.get("ranker", "context") not in ("context", "population"):
        raise where.error(name, "ranker", f"ranker {context} must be 'context' or 'population', not {out['ranker']!r}")
    if "tiles" in table:
        tiles = _string(table, "tiles", where, name, context, "")
        out["tiles"] = None if tiles.lower() in ("", "none") else tiles
    # inline_assets, from before pages were self-contained by default, is the opposite of cdn.
    for key in ("cdn", "inline_assets"):
        if key in table:
            if not isinstance(table[key], bool):
                raise where.error(name, key, f"{key} {context} must be true or false, not {_show(table[key])}")
            out["cdn"] = table[key] if key == "cdn" else not table[key]
    for key in ("source", "date", "credit"):
        if key in table:
            out[key] = _string(table, key, where, name, context, "").strip() or None
    if "scale" in table:
        if isinstance(table["scale"], bool) or not isinstance(table["scale"], (int, float)):
            raise where.error(name, "scale", f"scale {context} must be a number, not {_show(table['scale'])}")
        try:
            out["scale"] = png_scale(str(table["scale"]))
        except GeomapError as exc:
            raise where.error(name, "scale", f"{exc} {context}") from None
    for key, parse in (("size", png_size), ("height", css_length), ("map_id", checked_map_id)):
        if key in table:
            value = _string(table, key, where, name, context, "")
            try:
                out[key] = parse(value)
            except GeomapError as exc:
                raise where.error(name, key, f"{exc} {context}") from None
    if "formats" in table:
        value = table["formats"]
        formats = [value] if isinstance(value, str) else value
        if not isinstance(formats, list) or not formats or not all(isinstance(f, str) for f in formats):
            raise where.error(name, "formats", f"formats {context} must be a list such as [\"html\", \"png\"], "
                                               f"not {_show(value)}")  # fmt: skip
        for fmt in formats:
            if fmt not in FORMATS:
                hint = _did_you_mean(fmt, FORMATS) or f"; use {', '.join(FORMATS)}"
                raise where.error(name, "formats", f"unknown format {fmt!r} {context}{hint}")
        out["formats"] = tuple(dict.fromkeys(formats))
    if "geocoder_options" in table:
        options = table["geocoder_options"]
        if not isinstance(options, dict) or not all(isinstance(v, str | int | float | bool) for v in options.values()):
            raise where.error(name, "geocoder_options", f"geocoder_options {context} must be a table of values, "
                                                        f"such as {{ user_agent = \"me@example.org\" }}")  # fmt: skip
        out["geocoder_options"] = {k: str(v) for k, v in options.items()}
    return out


def _corrections(table: Mapping[str, Any], where: _Where, name: str, context: str) -> list[Correction]:
    out: list[Correction] = []
    for action in _CORRECTION_KEYS:
        items = table.get(action, [])
        if not isinstance(items, list):
            raise where.error(name, action, f"{action} {context} must be a list, such as {_EXAMPLES[action]}")
        for item in items:
            out.append(_correction(action, item, where, name, context))
    return out


_EXAMPLES = {
    "add": '["Baghdad", { name = "Hammam al-Alil", lat = 36.16, lon = 43.26 }]',
    "drop": '["Lincoln"]',
    "pin": '[{ name = "Mosul", lat = 36.34, lon = 43.13 }]',
}


def _correction(action: Action, item: Any, where: _Where, name: str, context: str) -> Correction:
    def bad(detail: str) -> ProjectError:
        return where.error(name, action, f"{action} {context}: {detail}; write it as {_EXAMPLES[action]}")

    if isinstance(item, str) and action != "pin":
        if not item.strip():
            raise bad("an empty name")
        return Correction(action, item.strip())
    if not isinstance(item, dict) or action == "drop":
        raise bad(f"{_show(item)} is not a {'name' if action == 'drop' else 'place'}")
    valid = _ADD_KEYS if action == "add" else _PIN_KEYS
    for key in item:
        if key not in valid:
            raise bad(f"unknown key {key!r}{_did_you_mean(key, valid)}")
    label = item.get("name")
    if not isinstance(label, str) or not label.strip():
        raise bad("each place needs a name")
    lat, lon = item.get("lat"), item.get("lon")
    if (lat is None) != (lon is None) or (action == "pin" and lat is None):
        raise bad(f"{label!r} needs both lat and lon")
    if lat is not None:
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
            raise bad(f"lat and lon of {label!r} must be numbers")
        assert lon is not None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise bad(f"{label!r} at {lat}, {lon} is off the globe (lat -90..90, lon -180..180)")
    kind = item.get("kind")
    if kind is not None and kind not in KINDS:
        raise bad(f"unknown kind {kind!r}{_did_you_mean(str(kind), KINDS)}")
    return Correction(action, label.strip(), None if lat is None else float(lat),
                      None if lon is None else float(lon), kind)  # fmt: skip


def _did_you_mean(word: str, valid: Sequence[str]) -> str:
    """ " (did you mean 'x'?)" for the valid word closest to a misspelt one, or ""."""
    close = difflib.get_close_matches(word, valid, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _show(value: Any) -> str:
    return "a table" if isinstance(value, dict) else "a list" if isinstance(value, list) else repr(value)


def _is_url(location: str) -> bool:
    return bool(re.match(r"https?://", location, re.IGNORECASE))


def _default_name(location: str) -> str:
    """A file-name-safe name from an article's path or URL: its last part without suffix."""
    part = location.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] if _is_url(location) else Path(location).name
    stem = part.rsplit(".", 1)[0] if "." in part.lstrip(".") else part
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._")
    return name if name and name.lower() != "index" else f"map-{name or 'article'}".lower()


# -- corrections -------------------------------------------------------------


def apply_corrections(
    places: Sequence[Place], corrections: Iterable[Correction], article: Article, source: CandidateSource,
    *, origin: str = PROJECT_FILE,
) -> list[Place]:  # fmt: skip
    """``places`` with the hand corrections applied in order; each corrected place's
    note says so, so that the map explains itself. Corrections that match nothing are
    logged, not fatal: the article may have changed since they were written."""
    from geomap.text import normalize

    out = list(places)
    for fix in corrections:
        key = normalize(fix.name)
        hits = [i for i, p in enumerate(out) if _matches(p, fix.name, key, normalize)]
        if fix.action == "drop":
            if not hits:
                log.warning("%s: drop %r matched no place", article.source, fix.name)
            out = [p for i, p in enumerate(out) if i not in hits]
        elif fix.action == "pin":
            if not hits:
                log.warning(
                    "%s: pin %r matched no place (add puts a missing place on the map)", article.source, fix.name
                )
            for place in [out[i] for i in hits]:
                if place in out:  # not merged into an earlier one
                    out = _pin(out, out.index(place), fix, source, origin)
        elif hits or (added := _added(fix, article, source, origin)).id in {p.id for p in out}:
            log.warning("%s: add %r: already on the map (use pin to move it)", article.source, fix.name)
        else:
            out.append(added)
    return out


def _matches(place: Place, name: str, key: str, normalize: Callable[[str], str]) -> bool:
    """By name, mention text (any case or spelling) or place id ("geonames:99072")."""
    return (
        place.id.lower() == name.lower()
        or normalize(place.name) == key
        or any(normalize(m.text) == key for m in place.mentions)
    )


def _pin(places: list[Place], index: int, fix: Correction, source: CandidateSource, origin: str) -> list[Place]:
    assert fix.lat is not None and fix.lon is not None
    place = places[index]
    note = _join(place.note, f"pinned by hand in {origin} at {fix.lat:.5f}, {fix.lon:.5f}")
    pinned = replace(place, lat=fix.lat, lon=fix.lon, confidence=1.0, geometry=None, note=note)
    if place.kind == "district":
        # A district's area is cut from its city: a pin stands for itself.
        return [*places[:index], replace(pinned, geometry=_point(fix)), *places[index + 1 :]]
    own = Candidate(place.id, place.name, place.kind, place.lat, place.lon)
    names = dict.fromkeys((place.name, fix.name))
    snap = _nearest([own, *place.alternatives, *(c for n in names for c in _candidates(source, n))], fix)
    if snap is not None and snap.id != place.id:
        name = place_label(place.mentions, snap)
        pinned = replace(pinned, **{**_identity(snap), "name": name, "lat": fix.lat, "lon": fix.lon})
    elif snap is None:
        # The gazetteer knows no such place there: keep no outline or country of the wrong one.
        pinned = replace(pinned, id=f"pinned:{_slug(fix.name)}", kind=_bare_kind(place.kind), country_code=None,
                         country=None, admin1=None, population=0, geometry=_point(fix),
                         gazetteer_name=None)  # fmt: skip
    if pinned.id != place.id:
        # Another reading of the same name may already be that place: one place, both readings' mentions.
        same = [p for p in places if p.id == pinned.id]
        mentions = sorted({*pinned.mentions, *(m for p in same for m in p.mentions)}, key=lambda m: m.start)
        pinned = replace(pinned, mentions=tuple(mentions))
    out = [pinned if i == index else p for i, p in enumerate(places) if i == index or p.id != pinned.id]
    if pinned.id != place.id:  # districts follow their city
        out = [replace(p, parent=pinned.id) if p.parent == place.id else p for p in out]
    return out


def _added(fix: Correction, article: Article, source: CandidateSource, origin: str) -> Place:
    candidates = _candidates(source, fix.name)
    if fix.lat is None:
        if not candidates:
            raise GeomapError(f"add {fix.name!r}: the geocoder does not know it; give its lat and lon in {origin}")
        best: Candidate | None = candidates[0]
        lat, lon = candidates[0].lat, candidates[0].lon
    else:
        assert fix.lon is not None  # a correction has both or neither
        best = _nearest(candidates, fix)
        lat, lon = fix.lat, fix.lon
    mentions = _mentions_of(fix.name, article.text)
    note = f"added by hand in {origin}" + ("" if mentions else "; the article does not name it")
    if best is not None:
        identity = {**_identity(best), "name": place_label(mentions, best), "lat": lat, "lon": lon}
        return Place(mentions=mentions, confidence=1.0, note=note, **identity)
    return Place(id=f"added:{_slug(fix.name)}", name=fix.name, kind=fix.kind or "other", lat=lat, lon=lon,
                 mentions=mentions, confidence=1.0, geometry=_point(fix), note=note)  # fmt: skip


def _candidates(source: CandidateSource, name: str) -> list[Candidate]:
    try:
        return source.candidates(name)
    except GeomapError as exc:
        log.warning("cannot look up %r: %s", name, exc)
        return []


def _nearest(candidates: Iterable[Candidate], fix: Correction) -> Candidate | None:
    assert fix.lat is not None and fix.lon is not None
    scored = [(great_circle_km(c.lat, c.lon, fix.lat, fix.lon), i, c) for i, c in enumerate(candidates)]
    close = [s for s in scored if s[0] <= SNAP_KM]
    return min(close)[2] if close else None


def _identity(c: Candidate) -> dict[str, Any]:
    return {
        "id": c.id, "name": c.name, "gazetteer_name": c.name, "kind": c.kind, "lat": c.lat, "lon": c.lon,
        "geocoder": c.source,
        "country_code": c.country_code, "country": c.country, "admin1": c.admin1, "population": c.population,
    }  # fmt: skip


def _bare_kind(kind: Kind) -> Kind:
    """Outlined kinds keep their outline by id; a hand-placed point has none."""
    return "other" if kind in ("country", "region", "river", "lake", "sea", "continent") else kind


def _point(fix: Correction) -> dict[str, Any]:
    # A point geometry: no area is drawn or estimated for a place only a user located.
    return {"type": "Point", "coordinates": [fix.lon, fix.lat]}


def _mentions_of(name: str, text: str) -> tuple[Mention, ...]:
    """Every whole-word occurrence of ``name`` (case-sensitive, else in any case)."""
    from geomap.text import split_sentences

    pattern = rf"(?<!\w){re.escape(name)}(?!\w)"
    hits = list(re.finditer(pattern, text)) or list(re.finditer(pattern, text, re.IGNORECASE))
    if not hits:
        return ()
    sentences = split_sentences(text)
    out = []
    for hit in hits:
        sentence = next((s for s in sentences if s.start <= hit.start() < s.end),
                        Sentence(hit.start(), hit.end(), hit.group()))  # fmt: skip
        out.append(Mention(hit.group(), hit.start(), hit.end(), hit.group(), sentence))
    return tuple(out)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "place"


def _join(previous: str | None, note: str) -> str:
    return f"{previous}; {note}" if previous else note


# -- building ----------------------------------------------------------------


def build(
    project: Project,
    *,
    force: bool = False,
    cache: Path | bool = True,
    fallback: bool = True,
    allow_empty: bool = False,
    wait: bool = True,
    on_map: Callable[[MapOutcome], None] | None = None,
) -> BuildResult:
    """Build the project's maps whose inputs changed (all of them with ``force``), then
    write ``index.html``. A map that fails is recorded with its reason and the others
    go on; a map without places fails unless ``allow_empty``. An
    :class:`~geomap.errors.EnvironmentFault` (an output folder that cannot be written, no
    gazetteer) stops the build: every later map would fail alike. The output folder is
    locked for the build: another build of it waits (``wait=False``: refused), and the
    temporary files of a build that was killed are removed. ``cache`` and ``fallback``
    configure online geocoders (:func:`geomap.geocoders.get_source`); ``project.limits``
    bound each article and geocoder request; ``on_map`` hears of each map as it is done. KeyboardInterrupt stops the build, leaving every finished
    output and the manifest intact."""
    import geomap

    out_dir = project.output_dir
    check_writable(out_dir)
    try:
        geomap.default_gazetteer()  # every map needs it: missing, it is one error, not one per map
    except GeomapError as exc:
        raise EnvironmentFault(str(exc)) from None
    with _locked(out_dir, wait=wait):
        ours = {MANIFEST, INDEX, *(p.name for spec in project.maps for p in spec.outputs(out_dir))}
        for stale in sweep_temporary(out_dir, ours):
            log.info("removed %s, left by a build that was stopped", stale)
        manifest = read_manifest(out_dir)
        sources: dict[tuple[str, tuple[tuple[str, str], ...]], CandidateSource] = {}
        outcomes = []
        for spec in project.maps:
            outcome = _build_one(spec, out_dir, manifest, sources, force=force, cache=cache, fallback=fallback,
                                 allow_empty=allow_empty, limits=project.limits)  # fmt: skip
            outcomes.append(outcome)
            if outcome.status == "built":
                _write_manifest(out_dir, manifest)
            if on_map is not None:
                on_map(outcome)
        index = write_index(project, manifest, outcomes)
    return BuildResult(outcomes, index)


#: The lock file of an output folder; it stays (removing it would race with the next build).
LOCK = ".geomap-build.lock"


@contextmanager
def _locked(out_dir: Path, *, wait: bool) -> Iterator[None]:
    """Hold the output folder's lock, so that two builds never interleave their maps and
    manifest (each would record as current what the other overwrote). The lock is the
    operating system's (flock), so a build that is killed releases it."""
    import fcntl

    path = out_dir / LOCK
    try:
        handle = open(path, "a+b")  # noqa: SIM115 (held for the whole build)
    except OSError as exc:
        raise EnvironmentFault(f"cannot lock {out_dir}: cannot open {path}: {exc.strerror}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise EnvironmentFault(f"another geomap build is writing to {out_dir}; "
                                       "wait for it to finish, or run without --no-wait to wait") from None  # fmt: skip
            log.warning("another geomap build is writing to %s: waiting for it to finish", out_dir)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build_one(
    spec: MapSpec, out_dir: Path, manifest: dict[str, Any], sources: dict[Any, CandidateSource],
    *, force: bool, cache: Path | bool, fallback: bool, allow_empty: bool, limits: Limits,
) -> MapOutcome:  # fmt: skip
    import geomap

    outputs = spec.outputs(out_dir)
    try:
        article = replace(geomap.read(spec.article, limits=limits), source=spec.label)
        key = build_key(spec, article)
        entry = manifest["maps"].get(spec.name)
        if not force and entry and entry.get("key") == key and all(p.is_file() for p in outputs):
            return MapOutcome(spec, "skipped", tuple(outputs), entry.get("places"))
        source = _source(spec, sources, cache, fallback, limits)
        parsed = geomap.parse(article, geocoder=source, ranker=spec.ranker)
        places = apply_corrections(parsed, spec.corrections, article, source, origin=spec.origin)
        if not places and not allow_empty:
            return MapOutcome(spec, "failed", reason=f"{spec.label}: {NO_PLACES}")
        title = spec.title or article.title or spec.name
        _export(places, article, spec, outputs, title)
    except EnvironmentFault:
        raise
    except GeomapError as exc:
        return MapOutcome(spec, "failed", reason=_reason(spec, str(exc)))
    except Exception as exc:  # a bug on one article must not stop the others
        log.info("%s failed", spec.label, exc_info=True)
        return MapOutcome(spec, "failed", reason=_reason(spec, f"{type(exc).__name__}: {exc}"))
    manifest["maps"][spec.name] = {
        "key": key, "article": spec.label, "title": title, "places": len(places),
        "outputs": [p.name for p in outputs],
    }  # fmt: skip
    return MapOutcome(spec, "built", tuple(outputs), len(places))


def _reason(spec: MapSpec, message: str) -> str:
    # geomap.read names the absolute path; the user knows the article by what they wrote.
    return message.replace(spec.article, spec.label)


def _source(
    spec: MapSpec, sources: dict[Any, CandidateSource], cache: Path | bool, fallback: bool, limits: Limits
) -> CandidateSource:
    """One source per geocoder and options, shared by the maps that use it (one rate limit)."""
    import geomap

    if spec.geocoder == "offline" and not spec.geocoder_options:
        return geomap.default_gazetteer()
    key = (spec.geocoder, tuple(sorted(spec.geocoder_options.items())))
    if key not in sources:
        from geomap.geocoders.online import get_source

        sources[key] = get_source(spec.geocoder, options=spec.geocoder_options, cache=cache, fallback=fallback,
                                  limits=limits)  # fmt: skip
    return sources[key]


def _export(places: Sequence[Place], article: Article, spec: MapSpec, outputs: Sequence[Path], title: str) -> None:
    import geomap
    from geomap.maps.export import export
    from geomap.maps.panels import with_caption
    from geomap.maps.shapes import attach_shapes

    shaped = attach_shapes(places, geomap.default_gazetteer())
    article = with_caption(article, spec.source, spec.date)
    for fmt, path in zip(spec.formats, outputs):
        export(shaped, path, fmt, article=article, title=title, credit=spec.credit, tiles=spec.tiles, cdn=spec.cdn, map_id=spec.map_id,
               width=spec.size[0], height=spec.size[1], scale=spec.scale, fragment_height=spec.height,
               shapes=False)  # fmt: skip


def build_key(spec: MapSpec, article: Article) -> str:
    """A hash of everything a map's outputs depend on: the article as read, the map's
    options and corrections, the geomap version and the gazetteer file."""
    import geomap

    gazetteer = geomap.default_gazetteer().path
    stat = gazetteer.stat()
    payload = {
        "article": [article.text, article.title, article.date, article.source, article.publisher],
        "options": spec.options(),
        "geomap": geomap.__version__,
        "gazetteer": [str(gazetteer.resolve()), stat.st_size, stat.st_mtime_ns],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def read_manifest(out_dir: Path) -> dict[str, Any]:
    """The output folder's record of what was built from what; empty if missing or unreadable."""
    path = out_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return _empty_manifest()
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable %s (%s): every map is rebuilt", path, exc)
        return _empty_manifest()
    if not isinstance(data, dict) or data.get("version") != _MANIFEST_VERSION or not isinstance(data.get("maps"), dict):
        return _empty_manifest()
    return data


def _empty_manifest() -> dict[str, Any]:
    return {"version": _MANIFEST_VERSION, "maps": {}}


def _write_manifest(out_dir: Path, manifest: dict[str, Any]) -> None:
    atomic_write(out_dir / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def write_index(project: Project, manifest: Mapping[str, Any], outcomes: Sequence[MapOutcome]) -> Path:
    """``index.html`` in the output folder: every map of the project with its title,
    place count and outputs; a map that failed says why. No timestamps, so that an
    unchanged project gives the same bytes."""
    from urllib.parse import quote

    from geomap.markup import render

    failed = {o.spec.name: o.reason or "" for o in outcomes if o.status == "failed"}
    maps = []
    for spec in project.maps:
        entry = manifest["maps"].get(spec.name) or {}
        outputs = [{"href": quote(name), "format": _format_label(name)} for name in entry.get("outputs", [])]
        maps.append({"label": spec.label, "failed": failed.get(spec.name), "outputs": outputs,
                     "title": entry.get("title"), "places": entry.get("places"), "article": entry.get("article")})  # fmt: skip
    page = render("geomap.tools", "index.html", title=project.title, maps=maps)
    return atomic_write(project.output_dir / INDEX, page + "\n")  # Jinja drops the template's last newline


def _format_label(file_name: str) -> str:
    return next((fmt for fmt, suffix in sorted(OUTPUT_SUFFIXES.items(), key=lambda kv: -len(kv[1]))
                 if file_name.endswith(suffix)), file_name)  # fmt: skip
