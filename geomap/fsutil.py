"""Files: atomic output (a reader never sees a half-written map) and the data shipped in the package."""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Collection
from pathlib import Path

from geomap.errors import EnvironmentFault, GeomapError, printable

#: The temporary files of :func:`atomic_write`: ".<name>.<8 random characters>.tmp" (mkstemp's).
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp")


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    The rename is atomic on POSIX and Windows, so an interrupted run leaves either
    the old file or the new one, never a truncated mix. A folder that cannot be made or
    written, or a full disk, is an :class:`EnvironmentFault` naming the path; a folder
    where the file should be is a :class:`GeomapError` (that one output is wrong).
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _fault(target, exc) from None
    try:
        # mkstemp makes the file private (0600); a map is as readable as any new file
        # (or as the one it replaces), so that a web server can serve an output folder.
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _fault(target, exc) from None
        raise
    return target


def check_writable(folder: Path) -> None:
    """Make ``folder`` if need be and prove it writable by writing a file there (permission
    bits say nothing for root, nor for a read-only or full file system)."""
    atomic_write(folder / ".geomap-write-test", b"")
    (folder / ".geomap-write-test").unlink()


def sweep_temporary(folder: Path, names: Collection[str]) -> list[Path]:
    """Remove the temporary files that :func:`atomic_write` left for ``names`` in ``folder``
    when its process was killed; return them. Only call it while no other process can be
    writing those names (a build holds the folder's lock)."""
    swept = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match and match.group("name") in names and entry.is_file() and not entry.is_symlink():
            entry.unlink(missing_ok=True)
            swept.append(entry)
    return swept


def _fault(target: Path, exc: OSError) -> GeomapError:
    """One line naming the path and what is wrong with it, without Python's errno prefix."""
    where = printable(target)
    if exc.errno == errno.EISDIR or (exc.errno in (errno.EEXIST, errno.ENOTEMPTY) and target.is_dir()):
        return GeomapError(f"cannot write {where}: it is a folder")
    culprit = next((p for p in (target.parent, *target.parent.parents) if p.exists() and not p.is_dir()), None)
    if culprit is not None:
        return EnvironmentFault(f"cannot write {where}: {printable(culprit)} is a file, not a folder")
    reason = {errno.EACCES: "permission denied", errno.EPERM: "permission denied", errno.EROFS: "read-only file system",
              errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded"}.get(exc.errno or 0)  # fmt: skip
    return EnvironmentFault(f"cannot write {where}: {reason or (exc.strerror or str(exc)).lower()}")


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def package_data(name: str) -> Path:
    """A file shipped in ``geomap/data``, found with importlib.resources so that an installed
    wheel works like a checkout."""
    from importlib.resources import files

    return Path(str(files("geomap").joinpath("data", name)))
