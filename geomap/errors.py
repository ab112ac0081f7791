"""One exception type for every failure a user can cause or fix.

The CLI turns a :class:`GeomapError` into a one-line message and exit code 2,
so library code raises it (never ``SystemExit``) wherever the input is at fault.
"""

from __future__ import annotations


class GeomapError(Exception):
    """A problem with the user's input or environment, explained in one line."""
