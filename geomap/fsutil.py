"""Files: atomic output (a reader never sees a half-written map) and the data shipped in the package."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    The rename is atomic on POSIX and Windows, so an interrupted run leaves either
    the old file or the new one, never a truncated mix.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp makes the file private (0600); a map is as readable as any new file
        # (or as the one it replaces), so that a web server can serve an output folder.
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def package_data(name: str) -> Path:
    """A file shipped in ``geomap/data``, found with importlib.resources so that an installed
    wheel works like a checkout."""
    from importlib.resources import files

    return Path(str(files("geomap").joinpath("data", name)))
