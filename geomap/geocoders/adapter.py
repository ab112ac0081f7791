"""geopy's HTTP layer with geomap's limits: one deadline per request, answers capped in size.

geopy's own adapters apply their timeout to each socket read (a service that drips bytes
never times out), read an answer whole however large it is, and, through urllib3's retries,
silently wait out a ``Retry-After`` of an hour. This adapter sends each request through
:func:`geomap.fetch.fetch` and turns its failures into the exceptions geopy expects, so
that :class:`~geomap.geocoders.online.GeopySource` reports and retries them as before.
"""

from __future__ import annotations

import json
import ssl
from typing import Any

from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import GeocoderParseError, GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable

from geomap.fetch import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    Limits,
    Unreachable,
    fetch,
)


class BoundedAdapter(BaseSyncAdapter):
    """A geopy adapter whose requests end by their timeout and read at most ``max_bytes``."""

    def __init__(
        self,
        *,
        proxies: dict[str, str] | None = None,
        ssl_context: ssl.SSLContext | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        # geopy passes None for the system's proxies, a mapping (possibly empty: none) otherwise
        self.proxies = (
            None if proxies is None else {k: v if "://" in v else f"http://{v}" for k, v in proxies.items() if v}
        )
        self.ssl_context = ssl_context
        self.max_bytes = max_bytes

    def get_json(self, url: str, *, timeout: float | None, headers: dict[str, str]) -> Any:
        text = self.get_text(url, timeout=timeout, headers=headers)
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            raise GeocoderParseError("the answer is not JSON") from None

    def get_text(self, url: str, *, timeout: float | None, headers: dict[str, str]) -> str:
        limits = Limits(max_bytes=self.max_bytes, timeout=timeout or DEFAULT_TIMEOUT)
        try:
            download = fetch(url, limits=limits, headers=headers, ssl_context=self.ssl_context, proxies=self.proxies)
        except HTTPStatusError as exc:
            raise AdapterHTTPError(exc.reason, status_code=exc.status, headers=exc.headers, text=exc.text) from None
        except FetchTimeout as exc:
            raise GeocoderTimedOut(exc.reason) from None
        except Unreachable as exc:
            raise GeocoderUnavailable(exc.reason) from None
        except FetchError as exc:
            raise GeocoderServiceError(exc.reason) from None
        try:
            return download.data.decode(download.charset or "utf-8")
        except (LookupError, UnicodeDecodeError):
            raise GeocoderParseError(f"the answer is not {download.charset or 'UTF-8'} text") from None
