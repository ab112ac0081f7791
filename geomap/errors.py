"""One exception type for every failure a user can cause or fix, and one way to quote untrusted text.

The CLI turns a :class:`GeomapError` into a one-line message and exit code 2,
so library code raises it (never ``SystemExit``) wherever the input is at fault.
Everything the CLI prints about an input passes through :func:`printable`.
"""

from __future__ import annotations

import re

#: Why an article without places gets no map (``--allow-empty`` draws one anyway).
NO_PLACES = "no places found: nothing written (--allow-empty writes an empty map)"


class GeomapError(Exception):
    """A problem with the user's input or environment, explained in one line."""


#: Characters that act on a terminal rather than show: C0 and C1 controls (ESC starts the
#: sequences that retitle a window or rewrite a line), DEL, and Unicode's invisible and
#: bidirectional format characters, which can make text read other than it is.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def printable(text: object) -> str:
    """``text`` safe to print: every control or bidi character as an escape (``\\x1b``,
    ``\\n``, ``\\u202e``). Messages quote untrusted text (file names, URLs, place names);
    printed through this, they stay one line and cannot drive the terminal."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


class EnvironmentFault(GeomapError):
    """The machine, not the input, is at fault (an output folder that cannot be written, a
    missing gazetteer): every later map would fail the same way, so a build stops at the first."""
