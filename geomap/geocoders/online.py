"""Online candidate sources: Nominatim, or any geocoder geopy knows, with the gazetteer behind them.

Every source answers ``candidates(query, limit=...)`` with model Candidates, so the
resolver never knows which one it talks to. Online services are wrapped politely
(geopy's RateLimiter, one deadline and a size cap per request, retries with exponential
back-off on HTTP 429/5xx), their answers checked (coordinates, outlines, names: a service
is not trusted) and cached on disk (:mod:`geomap.geocoders.cache`), and when a service fails
the offline gazetteer answers instead, with a note on each candidate saying so: a map is
always produced, and it says where its places came from.
"""

from __future__ import annotations

import functools
import inspect
import logging
import math
import re
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from geopy.exc import ConfigurationError, GeocoderTimedOut, GeocoderUnavailable, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import SERVICE_TO_GEOCODER, Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geomap.errors import GeomapError
from geomap.fetch import DEFAULT_LIMITS, DEFAULT_TIMEOUT, Limits
from geomap.geocoders.base import CandidateSource
from geomap.geocoders.cache import GeocodeCache, open_cache
from geomap.geocoders.options import (
    SOURCE_OPTIONS,
    check_user_agent,
    config_options,
    config_path,
    env_options,
    geocoder_class,
    option_value,
    parameters,
    seconds,
)
from geomap.model import Candidate, Kind, NameType
from geomap.text import normalize

log = logging.getLogger("geomap")

PUBLIC_NOMINATIM = "nominatim.openstreetmap.org"
DEFAULT_MIN_DELAY = 1.0  # seconds between requests to an online service: Nominatim's policy maximum
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 2.0  # first wait before a retry; doubled each time
MAX_BACKOFF = 60.0  # a Retry-After longer than this is not waited for: fall back instead
MAX_FAILURES = 3  # consecutive failures after which a service is not asked again this run
#: Outlines are simplified to this fraction of their extent: ~2 km for Iraq, ~60 m for Mosul,
#: finer than a map at the zoom that shows the whole shape can draw.
SIMPLIFY_FRACTION = 1 / 500
#: An outline with more vertices than this is dropped rather than simplified: OSM's largest
#: city boundaries have a few thousand; a million would cost seconds and gain nothing on a map.
MAX_VERTICES = 100_000
#: Longer than any real place name (Bangkok's ceremonial one has 168 letters).
MAX_NAME = 300
#: Control characters, and format characters that reorder or hide text (bidi overrides).
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
#: What a geopy geocoder raises when it parses an answer that is not what it expects
#: (Nominatim's float("north"), a list where an object should be, ...).
_MALFORMED = (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError)

_OSM_TYPES = {"N": "node", "W": "way", "R": "relation"}
_REGION_TYPES = frozenset({"state", "province", "region", "county"})
_CITY_TYPES = frozenset({"city", "town", "village", "hamlet", "municipality"})
_DISTRICT_TYPES = frozenset({"suburb", "quarter", "neighbourhood", "city_district", "borough", "district"})
_RIVER_TYPES = frozenset({"river", "stream", "canal", "riverbank"})
_LAKE_TYPES = frozenset({"lake", "reservoir", "lagoon", "water"})
_SEA_TYPES = frozenset({"sea", "ocean", "bay", "strait"})
_KIND_CODES = {"continent": "CONT", "country": "PCLI", "city": "PPL", "district": "PPLX", "river": "STM", "lake": "LK"}
#: Words an abbreviation skips: "UAE" is United Arab Emirates, "DRC" Democratic Republic of the Congo.
_SMALL_WORDS = frozenset({"of", "the", "and", "de", "la"})


# -- reading geocoders' answers --------------------------------------------------


def candidate_from_location(location: Location, source_name: str, query: str) -> Candidate:
    """A Candidate for ``query`` from a geopy Location, reading the raw answer of Nominatim (and
    Nominatim-like services), Photon, the offline gazetteer, or anything else generically."""
    raw = location.raw if isinstance(location.raw, Mapping) else {}
    if "feature_code" in raw and "id" in raw:
        return _from_gazetteer(location, raw, source_name)
    if "osm_type" in raw or "place_id" in raw:
        found = _from_nominatim(location, raw, source_name)
    elif isinstance(raw.get("properties"), Mapping) and "osm_id" in raw["properties"]:
        found = _from_photon(location, raw, source_name)
    else:
        found = Candidate(
            id=f"{source_name}:{location.latitude:.5f},{location.longitude:.5f}",
            name=(location.address or "").split(",")[0].strip() or f"{location.latitude:.4f}, {location.longitude:.4f}",
            kind="other",
            lat=location.latitude,
            lon=location.longitude,
            importance=0.5,
            source=source_name,
            raw=dict(raw),
        )
    return replace(found, name_type=name_type(query, found.name), matched=normalize(query))


def name_type(query: str, name: str) -> NameType:
    """How ``query`` names a place called ``name``, judged as the gazetteer records it: its
    own name, an abbreviation of it (capitals that spell the initials: "U.S.", "UAE"), or
    another of its names. Online services do not say, so the rules get the same evidence."""
    if normalize(query) == normalize(name):
        return "name"
    letters = query.replace(".", "").replace(" ", "")
    initials = "".join(word[0] for word in normalize(name).split() if word not in _SMALL_WORDS)
    if letters.isupper() and 2 <= len(letters) <= 5 and letters.lower() in (initials, initials[: len(letters)]):
        return "abbreviation"
    return "alternate"


def _from_gazetteer(location: Location, raw: Mapping[str, Any], source_name: str) -> Candidate:
    return Candidate(
        id=raw["id"], name=raw["name"], kind=raw["kind"], lat=location.latitude, lon=location.longitude,
        country_code=raw.get("country_code"), country=raw.get("country"), admin1=raw.get("admin1"),
        population=int(raw.get("population") or 0), importance=float(raw.get("importance") or 0.0),
        source=source_name, name_type=raw.get("name_type") or "name", matched=raw.get("matched"),
        feature_code=raw.get("feature_code") or "", geometry=simplified(raw.get("geometry")), raw=raw,
    )  # fmt: skip


def _from_nominatim(location: Location, raw: Mapping[str, Any], source_name: str) -> Candidate:
    address = raw.get("address") or {}
    kind = osm_kind(raw.get("class") or raw.get("category"), raw.get("type"), raw.get("addresstype"))
    name = raw.get("name") or (raw.get("display_name") or location.address or "").split(",")[0].strip()
    country = address.get("country")
    admin1 = address.get("state") or address.get("province") or address.get("region")
    extratags = raw.get("extratags") or {}
    keep = {k: v for k, v in raw.items() if k not in ("geojson", "svg", "geotext", "geokml")}
    return Candidate(
        id=f"{source_name}:{raw.get('osm_type', 'place')}:{raw.get('osm_id', raw.get('place_id'))}",
        name=name,
        kind=kind,
        lat=location.latitude,
        lon=location.longitude,
        country_code=(address.get("country_code") or "").upper() or None,
        country=None if kind == "continent" else country,
        admin1=None if kind in ("continent", "country", "region") else admin1,
        population=_integer(extratags.get("population")),
        importance=_fraction(raw.get("importance")),
        source=source_name,
        feature_code=osm_feature_code(kind, raw.get("type"), raw.get("addresstype")),
        geometry=simplified(raw.get("geojson")),
        raw=keep,
    )


def _from_photon(location: Location, raw: Mapping[str, Any], source_name: str) -> Candidate:
    props = raw["properties"]
    kind = osm_kind(props.get("osm_key"), props.get("osm_value"), props.get("type"))
    return Candidate(
        id=f"{source_name}:{_OSM_TYPES.get(props.get('osm_type'), 'place')}:{props['osm_id']}",
        name=props.get("name") or (location.address or "").split(",")[0].strip(),
        kind=kind,
        lat=location.latitude,
        lon=location.longitude,
        country_code=(props.get("countrycode") or "").upper() or None,
        country=None if kind == "continent" else props.get("country"),
        admin1=None if kind in ("continent", "country", "region") else props.get("state"),
        importance=0.5,
        source=source_name,
        feature_code=osm_feature_code(kind, props.get("osm_value"), props.get("type")),
        raw=dict(raw),
    )


def osm_kind(osm_class: str | None, osm_type: str | None, addresstype: str | None) -> Kind:
    """geomap's kind of an OpenStreetMap object, from its class/type and Nominatim's addresstype."""
    kinds = {addresstype, osm_type}
    if osm_class == "waterway" or osm_type in _RIVER_TYPES:
        return "river"
    if osm_type in _LAKE_TYPES and osm_class in ("natural", "water", "landuse"):
        return "lake"
    if kinds & _SEA_TYPES and osm_class in ("natural", "place"):
        return "sea"
    if "continent" in kinds:
        return "continent"
    if "country" in kinds:
        return "country"
    if addresstype in _REGION_TYPES or osm_type in _REGION_TYPES:
        return "region"
    if kinds & _CITY_TYPES:
        return "city"
    if kinds & _DISTRICT_TYPES:
        return "district"
    return "other"


def osm_feature_code(kind: Kind, osm_type: str | None, addresstype: str | None) -> str:
    """The GeoNames feature code nearest an OpenStreetMap object, so that rules keyed on codes
    (a first-level region, a county) read online candidates as they read the gazetteer's."""
    kinds = {osm_type, addresstype}
    if kind == "region":
        if kinds & {"state", "province"}:
            return "ADM1"
        return "ADM2" if kinds & {"county", "district"} else "RGN"
    if kind == "sea":
        return {"ocean": "OCN", "bay": "BAY", "strait": "STRT"}.get(osm_type or "", "SEA")
    return _KIND_CODES.get(kind, "")


def simplified(geometry: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """An outline small enough for an HTML map: simplified relative to its size, coordinates
    rounded; None for points, which are drawn as markers."""
    if not geometry or geometry.get("type") in (None, "Point", "MultiPoint"):
        return None
    from shapely.geometry import mapping, shape

    from geomap.maps.shapes import rounded

    try:
        shp = shape(dict(geometry))
    except (ValueError, TypeError, AttributeError, IndexError):
        return None  # a geocoder's malformed shape is not worth failing a map for
    if shp.is_empty:
        return None
    minx, miny, maxx, maxy = shp.bounds
    tolerance = max(maxx - minx, maxy - miny) * SIMPLIFY_FRACTION
    if tolerance > 0:
        shp = shp.simplify(tolerance, preserve_topology=True)
    return rounded(mapping(shp))


def _integer(value: Any) -> int:
    try:
        return int(str(value).replace(",", "").replace(" ", "").split(".")[0])
    except ValueError:
        return 0


def _fraction(value: Any) -> float:
    try:
        return min(1.0, max(0.0, float(value)))
    except (TypeError, ValueError):
        return 0.5


# -- distrusting geocoders' answers -----------------------------------------------


def _short(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _shown(value: Any) -> str:
    return _short(repr(value))


def _coordinate(value: Any, bound: float) -> float | None:
    """A latitude or longitude from a number or numeric text, if finite and within ±``bound``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and abs(number) <= bound else None


def _vertices(geometry: Any, limit: int) -> int:
    """How many positions a GeoJSON geometry holds, counted up to just past ``limit``."""
    count, stack = 0, [geometry]
    while stack and count <= limit:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item[k] for k in ("coordinates", "geometries") if isinstance(item.get(k), list))
        elif isinstance(item, list) and item:
            first = item[0]
            if isinstance(first, (int, float)):
                count += 1  # a position
            elif isinstance(first, list) and first and isinstance(first[0], (int, float)):
                count += len(item)  # a line or ring of positions
            else:
                stack.extend(item)
    return count


def vetted(record: Any) -> tuple[dict[str, Any] | None, str | None]:
    """A geocoder's answer (as cached) that geomap may use, and what was wrong with it.

    Answers are untrusted. One without coordinates (geopy would place it at 0, 0), or whose
    coordinates are not numbers or not on Earth (geopy would wrap a longitude of 200), is
    refused: None and the reason. An outline of more than ``MAX_VERTICES`` vertices is
    dropped, with a note saying so."""
    if not (isinstance(record, Mapping) and isinstance(record.get("raw"), Mapping)
            and isinstance(record.get("address"), str)):  # fmt: skip
        return None, "not a geocoder's answer"
    raw = record["raw"]
    pairs = [(record.get("lat"), record.get("lon"))]
    if "lat" in raw or "lon" in raw:  # Nominatim's own text, before geopy read it
        pairs.append((raw.get("lat"), raw.get("lon")))
    for lat, lon in pairs:
        if lat in (None, "") or lon in (None, ""):
            return None, "no coordinates"
        if _coordinate(lat, 90) is None or _coordinate(lon, 180) is None:
            return None, f"coordinates {_shown(lat)}, {_shown(lon)} are not a point on Earth"
    if _coordinate(record["lat"], 90) == 0 and _coordinate(record["lon"], 180) == 0:
        return None, "no coordinates (0, 0)"
    for key in ("geojson", "geometry"):
        if isinstance(raw.get(key), Mapping) and _vertices(raw[key], MAX_VERTICES) > MAX_VERTICES:
            kept = {k: v for k, v in raw.items() if k != key}
            return {**record, "raw": kept}, f"its outline has more than {MAX_VERTICES:,} vertices: drawn as a point"
    return dict(record), None


def cleaned_names(candidate: Candidate) -> tuple[Candidate | None, str | None]:
    """The candidate with control and bidi characters taken out of its names, and a note if
    any were; None and the reason if a name is not text, holds markup or is absurdly long."""
    names = {"name": candidate.name, "country": candidate.country, "admin1": candidate.admin1,
             "country_code": candidate.country_code}  # fmt: skip
    changed: dict[str, Any] = {}
    for key, value in names.items():
        if value is None and key != "name":
            continue
        if not isinstance(value, str):
            return None, f"its {key} is not text"
        if "<" in value or ">" in value:
            return None, f"its {key} {_shown(value)} holds markup"
        if len(value) > MAX_NAME:
            return None, f"its {key} is {len(value):,} characters long"
        if _INVISIBLE.search(value):
            changed[key] = " ".join(_INVISIBLE.sub(lambda m: " " if m.group().isspace() else "", value).split())
    if not changed.get("name", candidate.name).strip():
        return None, "it has no name"
    if not changed:
        return candidate, None
    note = f"control characters taken out of {_shown(changed.get('name', candidate.name))}"
    return replace(candidate, **changed), note


# -- asking a geocoder politely ---------------------------------------------------


def _record(location: Location) -> dict[str, Any]:
    """What the cache keeps of a Location: enough to rebuild it exactly."""
    return {"address": location.address, "lat": location.latitude, "lon": location.longitude, "raw": location.raw}


def _location(record: Mapping[str, Any]) -> Location:
    return Location(record["address"], (record["lat"], record["lon"]), record["raw"])


def _status(exc: BaseException) -> int | None:
    """The HTTP status behind a geopy error (geopy chains the adapter's error as the cause)."""
    return getattr(exc.__cause__, "status_code", None)


def _waits_too_long(exc: GeopyError) -> bool:
    """A service asking to be left alone for more than ``MAX_BACKOFF`` is not waited for, nor asked again."""
    return (getattr(exc, "retry_after", None) or 0) > MAX_BACKOFF


def _retryable(exc: GeopyError) -> bool:
    """429 and 5xx are worth another try. A refused or unresolvable connection is not (the
    circuit breaker deals with a dead service), nor is a timeout, which has cost its full wait."""
    status = _status(exc)
    return status is not None and (status == 429 or status >= 500)


def _reason(exc: GeopyError, timeout: float | None) -> str:
    status = _status(exc)
    if status == 429:
        wait = getattr(exc, "retry_after", None)
        return f"rate limited, HTTP 429, asked to wait {wait:g} s" if wait else "rate limited, HTTP 429"
    if status is not None:
        return f"HTTP {status}"
    if isinstance(exc, GeocoderTimedOut):
        return f"timed out after {timeout:g} s" if timeout else "timed out"
    if isinstance(exc, GeocoderUnavailable):
        return "unreachable"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _service_name(geocoder: Geocoder) -> str:
    own = getattr(geocoder, "name", None)
    if isinstance(own, str):
        return own
    return next((n for n, cls in SERVICE_TO_GEOCODER.items() if type(geocoder) is cls), type(geocoder).__name__.lower())


class GeopySource:
    """Any geopy geocoder as a CandidateSource: rate-limited, retried, cached, with a fallback.

    ``min_delay`` defaults to 1 s for online services (the public Nominatim allows no
    more) and 0 for the offline gazetteer. After ``max_failures`` consecutive failures
    the service is not asked again by this instance (a circuit breaker), so a dead
    service costs a few timeouts, not one per place.
    """

    def __init__(
        self,
        geocoder: Geocoder,
        *,
        name: str | None = None,
        min_delay: float | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,  # seconds for each request, start to end
        max_retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
        cache: GeocodeCache | None = None,
        fallback: CandidateSource | None = None,
        max_failures: int = MAX_FAILURES,
        query_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.geocoder = geocoder
        self.name = name or _service_name(geocoder)
        offline = getattr(geocoder, "name", None) == "offline"
        self.min_delay = (0.0 if offline else DEFAULT_MIN_DELAY) if min_delay is None else min_delay
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.cache = cache
        self.fallback = fallback
        self.max_failures = max_failures
        # max_retries=0: the retries are ours, with back-off that grows and honours Retry-After.
        self._geocode = RateLimiter(
            geocoder.geocode,
            min_delay_seconds=self.min_delay,
            max_retries=0,
            error_wait_seconds=self.min_delay,
            swallow_exceptions=False,
        )
        params = inspect.signature(geocoder.geocode).parameters
        wanted = {"exactly_one": False, "geometry": "geojson", "addressdetails": True, "extratags": True}
        self._query = {k: v for k, v in wanted.items() if k in params}
        self._query.update(query_options or {})
        self._takes_limit = "limit" in params
        self._takes_timeout = "timeout" in params
        #: What besides the query changes the answer: the cache key (credentials are hashed there).
        self._identity = {"domain": getattr(geocoder, "domain", None), "api_key": getattr(geocoder, "api_key", None)}
        self._failures = 0
        self._broken: str | None = None  # why the service is no longer asked

    def candidates(self, query: str, *, limit: int = 10) -> list[Candidate]:
        if not query.strip():
            return []
        kwargs = {**self._query, "limit": limit} if self._takes_limit else dict(self._query)
        key = {**self._identity, **kwargs}
        records = self.cache.get(self.name, query, key) if self.cache else None
        fresh = records is None
        if records is None:
            if self._broken:
                return self._fall_back(query, limit, self._broken, quiet=True)
            try:
                found = self._ask(query, kwargs)
            except GeopyError as exc:
                return self._failed(query, limit, _reason(exc, self.timeout), final=_waits_too_long(exc))
            except _MALFORMED as exc:
                return self._failed(query, limit, f"unreadable answer: {_short(str(exc) or type(exc).__name__, 80)}")
            self._failures = 0
            records = [_record(loc) for loc in found]
        kept, candidates, refused = self._read(records[:limit], query)
        if refused and not kept:
            return self._fall_back(query, limit, f"no usable answer: {refused[0]}")
        if fresh and self.cache:
            self.cache.put(self.name, query, key, kept)  # only what was asked for, as it was checked
        return candidates

    def _read(self, records: list[Any], query: str) -> tuple[list[dict[str, Any]], list[Candidate], list[str]]:
        """The records geomap may use and their candidates, and the reasons others were refused;
        every record refused or cleaned is a warning."""
        kept, candidates, refused = [], [], []
        for record in records:
            checked, note = vetted(record)
            candidate, notes = None, [note] if note else []
            if checked is not None:
                try:
                    candidate, note = cleaned_names(candidate_from_location(_location(checked), self.name, query))
                except _MALFORMED as exc:
                    note = f"unreadable ({type(exc).__name__}: {_short(str(exc), 80)})"
                notes += [note] if note else []
            if candidate is None or checked is None:
                refused.append(notes[-1])
                log.warning("%s's answer for %r left out: %s", self.name, query, notes[-1])
                continue
            for note in notes:
                log.warning("%s's answer for %r: %s", self.name, query, note)
            kept.append(checked)
            candidates.append(candidate)
        return kept, candidates, refused

    def _ask(self, query: str, kwargs: Mapping[str, Any]) -> list[Location]:
        """The service's answer, retrying 429/5xx after 2, 4, 8... s (or the Retry-After it asks for)."""
        if self._takes_timeout:
            kwargs = {**kwargs, "timeout": self.timeout}
        for attempt in range(self.max_retries + 1):
            try:
                with warnings.catch_warnings():
                    # geopy warns (several lines on stderr) before refusing a latitude beyond 90;
                    # the refusal is reported, as an unreadable answer, in one line
                    warnings.simplefilter("ignore", UserWarning)
                    return self._geocode(query, **kwargs) or []
            except GeopyError as exc:
                if attempt == self.max_retries or not _retryable(exc):
                    raise
                wait = getattr(exc, "retry_after", None) or self.backoff * 2**attempt
                if wait > MAX_BACKOFF:
                    raise
                log.info("%s: %s for %r; retrying in %g s", self.name, _reason(exc, self.timeout), query, wait)
                time.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _failed(self, query: str, limit: int, reason: str, *, final: bool = False) -> list[Candidate]:
        """Fall back for this query; after ``max_failures`` in a row, or a ``final`` failure (a
        service that asks to be left alone for long), the service is not asked again."""
        self._failures += 1
        if final or self._failures >= self.max_failures:
            self._broken = (
                f"{reason}; not asked again" if final else f"{reason}; not asked again after {self._failures} failures"
            )
            if self.fallback is not None:
                why = reason if final else f"failed {self._failures} times in a row ({reason})"
                log.warning("%s %s; the remaining places are resolved with the offline gazetteer", self.name, why)
        return self._fall_back(query, limit, reason)

    def _fall_back(self, query: str, limit: int, reason: str, *, quiet: bool = False) -> list[Candidate]:
        if self.fallback is None:
            raise GeomapError(
                f"{self.name} failed for {query!r} ({reason}); try again later, or allow the "
                "offline fallback (drop --no-fallback), or use --geocoder offline"
            )
        note = f"{self.name} unavailable ({reason}); resolved with the offline gazetteer"
        (log.info if quiet else log.warning)("%r: %s", query, note)
        return [replace(c, note=note, source=self.fallback.name) for c in self.fallback.candidates(query, limit=limit)]


# -- choosing and configuring a geocoder ------------------------------------------


def _adapter_factory(max_bytes: int) -> Callable[..., Any]:
    """geomap's bounded adapter: one deadline per request, answers capped at ``max_bytes``."""
    from geomap.geocoders.adapter import BoundedAdapter

    return functools.partial(BoundedAdapter, max_bytes=max_bytes)


def get_source(
    name: str = "offline",
    *,
    options: Mapping[str, str] | None = None,
    cache: Path | None | bool = True,
    fallback: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> CandidateSource:
    """The candidate source called ``name``: "offline" (the shipped gazetteer, no network),
    "nominatim", or any service geopy knows (``geopy.geocoders.SERVICE_TO_GEOCODER``).

    Options come from, lowest first: the config file, environment variables, ``options``.
    Besides the geocoder's own options (api_key, domain, scheme, user_agent, language, ...)
    geomap reads min_delay, timeout (else ``limits.timeout``) and max_retries. Answers are
    read up to ``limits.max_bytes``.
    """
    service = name.strip().lower()
    if service == "offline":
        if options:
            raise GeomapError(
                f"the offline gazetteer takes no options (got {', '.join(sorted(options))}); "
                "they apply to an online geocoder such as --geocoder nominatim"
            )
        from geomap.gazetteer import Gazetteer

        return Gazetteer()
    cls = geocoder_class(service)
    explicit = {k: str(v) for k, v in (options or {}).items() if v is not None}
    merged = {k.strip().lower().replace("-", "_"): v for k, v in
              {**config_options(service), **env_options(service), **explicit}.items()}  # fmt: skip
    init_params, call_params = parameters(cls)
    unknown = sorted(set(merged) - init_params - call_params - set(SOURCE_OPTIONS))
    if unknown:
        valid = sorted(init_params | call_params | set(SOURCE_OPTIONS))
        raise GeomapError(f"unknown option {unknown[0]!r} for geocoder {service}; valid options: {', '.join(valid)}")
    if cls is Nominatim:
        check_user_agent(merged.get("user_agent"), service)
    timeout = seconds(merged, "timeout", limits.timeout)
    min_delay = seconds(merged, "min_delay", None)
    max_retries = int(seconds(merged, "max_retries", DEFAULT_RETRIES) or 0)
    try:
        geocoder = cls(
            **{k: option_value(v) for k, v in merged.items() if k in init_params},
            timeout=timeout,
            adapter_factory=_adapter_factory(limits.max_bytes),
        )
    except (TypeError, ConfigurationError) as exc:
        raise GeomapError(
            f"cannot set up geocoder {service}: {exc} (set its options with --api-key, --geocoder-option "
            f"KEY=VALUE, GEOMAP_{service.upper()}_<OPTION> or {config_path()})"
        ) from None
    fallback_source: CandidateSource | None = None
    if fallback:
        from geomap.gazetteer import Gazetteer

        fallback_source = Gazetteer()
    return GeopySource(
        geocoder, name=service, min_delay=min_delay, timeout=timeout, max_retries=max_retries,
        cache=open_cache(cache), fallback=fallback_source,
        query_options={k: option_value(v) for k, v in merged.items() if k in call_params},
    )  # fmt: skip
