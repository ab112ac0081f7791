"""Options of online geocoders: from the config file, the environment and the command line.

Options are text wherever they come from; this module checks them against what the geopy
class accepts, so that a misspelt option is refused with the valid ones named.
"""

from __future__ import annotations

import difflib
import inspect
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from geopy.geocoders import SERVICE_TO_GEOCODER
from geopy.geocoders import options as geopy_options
from geopy.geocoders.base import Geocoder

from geomap.errors import GeomapError

#: Options geomap itself reads (not the geocoder): politeness and patience.
SOURCE_OPTIONS = ("min_delay", "timeout", "max_retries")
#: Geocoder arguments that cannot come from text, or that geomap sets itself.
_RESERVED = frozenset(
    {"self", "query", "exactly_one", "timeout", "limit", "geometry", "ssl_context", "adapter_factory"}
)


def config_path() -> Path:
    """``$GEOMAP_CONFIG``, else ``config.toml`` in the platform's user config directory."""
    env = os.environ.get("GEOMAP_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("geomap")) / "config.toml"


def config_options(service: str) -> dict[str, str]:
    """Options for ``service`` from the config file: plain keys of ``[geocoder]`` (e.g. a
    user_agent for every service), overridden by the ``[geocoder.<service>]`` table."""
    path = config_path()
    if not path.is_file():
        if "GEOMAP_CONFIG" in os.environ:
            raise GeomapError(f"config file {path} (from GEOMAP_CONFIG) does not exist")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise GeomapError(f"config file {path} is not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GeomapError(f"cannot read config file {path}: {exc}") from None
    table = data.get("geocoder", {})
    specific = table.get(service, {}) if isinstance(table, dict) else None
    if not isinstance(specific, dict):
        raise GeomapError(f"config file {path}: [geocoder] and [geocoder.{service}] must be tables of options")
    common = {k: v for k, v in table.items() if not isinstance(v, dict)}
    return {k: _text(v) for k, v in {**common, **specific}.items()}


def env_options(service: str) -> dict[str, str]:
    """Options from ``GEOMAP_USER_AGENT`` and ``GEOMAP_<SERVICE>_<OPTION>`` variables."""
    found = {"user_agent": os.environ["GEOMAP_USER_AGENT"]} if os.environ.get("GEOMAP_USER_AGENT") else {}
    prefix = f"GEOMAP_{service.upper()}_"
    found.update({k[len(prefix) :].lower(): v for k, v in os.environ.items() if k.startswith(prefix) and v})
    return found


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def option_value(text: str) -> Any:
    """Option text as the geocoder wants it: booleans for true/false, else the text."""
    return {"true": True, "false": False}.get(text.strip().lower(), text)


def seconds(options: Mapping[str, str], name: str, default: float | None) -> float | None:
    if name not in options:
        return default
    try:
        value = float(options[name])
    except ValueError:
        value = -1.0
    if value < 0:
        raise GeomapError(f"geocoder option {name} wants a number of seconds >= 0, got {options[name]!r}")
    return value


def geocoder_class(service: str) -> type[Geocoder]:
    """geopy's class for a service name; an unknown name is refused naming the nearest one."""
    cls = SERVICE_TO_GEOCODER.get(service)
    if cls is None:
        known = ["offline", *sorted(SERVICE_TO_GEOCODER)]
        close = difflib.get_close_matches(service, known, n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise GeomapError(f"unknown geocoder {service!r}; {hint}choose one of: {', '.join(known)}")
    return cls


def parameters(cls: type[Geocoder]) -> tuple[set[str], set[str]]:
    """Options a geocoder accepts from text: its constructor's, then its geocode() call's."""
    init = {p for p in inspect.signature(cls.__init__).parameters if p not in _RESERVED}
    call = {p for p in inspect.signature(cls.geocode).parameters if p not in _RESERVED}
    return init, call - init


def check_user_agent(user_agent: str | None, service: str) -> None:
    """Nominatim's usage policy requires a user agent naming the application and a contact."""
    if user_agent and user_agent.strip() and user_agent.strip() != geopy_options.default_user_agent:
        return
    raise GeomapError(
        f"{service} requires a user agent that identifies you (its usage policy): pass "
        "--user-agent 'myapp/1.0 (me@example.org)', set GEOMAP_USER_AGENT, or put user_agent = \"...\" "
        f"under [geocoder.{service}] in {config_path()}"
    )
