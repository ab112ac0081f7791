"""Headless Chromium, the renderer behind PNG export and the browser tests: found on the
machine, started with everything that could reach the network turned off, always killed."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from geomap.errors import GeomapError

_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
_PLAYWRIGHT_GLOBS = ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/chrome-*/headless_shell")

BROWSER_HINT = (
    "PNG export needs Chromium: install it with 'apt-get install chromium' (or 'playwright install chromium'), "
    "or set GEOMAP_CHROMIUM to a Chromium or Chrome executable"
)


def find_chromium() -> str | None:
    """A Chromium-family browser: $GEOMAP_CHROMIUM, one on PATH, or a Playwright download."""
    if env := os.environ.get("GEOMAP_CHROMIUM"):
        return env if shutil.which(env) or Path(env).is_file() else None
    for name in _BROWSERS:
        if found := shutil.which(name):
            return found
    cache = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    for pattern in _PLAYWRIGHT_GLOBS:
        if hits := sorted(glob.glob(str(cache / pattern)), reverse=True):
            return hits[0]
    return None


def chromium_command(browser: str, profile: str, *extra: str) -> list[str]:
    """Headless Chromium with everything that could reach the network or vary between
    runs turned off; ``extra`` says what to do (``--dump-dom``, ``--screenshot=...``)."""
    return [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
        "--force-device-scale-factor=1", f"--user-data-dir={profile}", *extra,
    ]  # fmt: skip


def run_chromium(page: str, *args: str, output: str | None = None, timeout: float = 60.0) -> tuple[str, bytes | None]:
    """Run headless Chromium on ``page`` (HTML text) in a scratch directory; return its
    standard output (the DOM, with ``--dump-dom``) and the bytes of the file named
    ``output`` that it wrote there (``{output}`` in ``args`` is that file's path)."""
    browser = find_chromium()
    if browser is None:
        raise GeomapError(BROWSER_HINT)
    with tempfile.TemporaryDirectory(prefix="geomap-chromium-") as work:
        source = Path(work) / "map.html"
        source.write_text(page, encoding="utf-8")
        target = Path(work) / (output or "unused")
        extra = [a.replace("{output}", str(target)) for a in args]
        command = chromium_command(browser, str(Path(work) / "profile"), *extra, source.as_uri())
        # A session of its own, so that a timeout kills Chromium's helper processes too.
        try:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True)  # fmt: skip
        except OSError as exc:
            raise GeomapError(f"cannot run Chromium ({browser}): {exc}") from None
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise GeomapError(f"Chromium ({browser}) did not finish within {timeout:.0f} s") from None
        if output is not None and not target.is_file():
            detail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise GeomapError(f"Chromium wrote no {output} (exit {proc.returncode}): {detail[0]}")
        return stdout.decode("utf-8", "replace"), target.read_bytes() if output is not None else None
