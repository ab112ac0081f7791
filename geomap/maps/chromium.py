"""Headless Chromium, the renderer behind PNG export and the browser tests: found on the
machine, started with everything that could reach the network turned off, always killed."""

from __future__ import annotations

import atexit
import base64
import contextlib
import fcntl
import glob
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

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


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
    JSON messages ended by a NUL byte, on the child's file descriptors 3 and 4), so that an export
    decides itself when a page is ready (instead of ``--screenshot``, which waits for every
    request, such as a tile server that never answers), and so that one browser serves many
    figures. No port is opened."""

    def __init__(self, timeout: float = 60.0) -> None:
        browser = find_chromium()
        if browser is None:
            raise GeomapError(BROWSER_HINT)
        self.timeout = timeout
        self._work = tempfile.TemporaryDirectory(prefix="geomap-chromium-")
        commands_r, self._commands = os.pipe()
        self._replies, replies_w = os.pipe()
        command = chromium_command(browser, str(Path(self._work.name) / "profile"), "--remote-debugging-pipe",
                                   "--disable-features=Translate,MediaRouter", "about:blank")  # fmt: skip
        # Chromium reads commands on fd 3 and writes replies on fd 4. posix_spawn moves the pipe
        # ends there (from above 4, so that neither move undoes the other); every other descriptor
        # of this process is close-on-exec. A session of its own, so that close() kills the helpers.
        low_r, low_w = (
            fcntl.fcntl(commands_r, fcntl.F_DUPFD_CLOEXEC, 5),
            fcntl.fcntl(replies_w, fcntl.F_DUPFD_CLOEXEC, 5),
        )
        actions: list[tuple[Any, ...]] = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
        actions += [(os.POSIX_SPAWN_DUP2, low_r, 3), (os.POSIX_SPAWN_DUP2, low_w, 4)]
        try:
            self._pid = os.posix_spawn(browser, command, os.environ, file_actions=actions, setsid=True)
        except OSError as exc:
            raise GeomapError(f"cannot run Chromium ({browser}): {exc}") from None
        finally:
            for fd in (commands_r, replies_w, low_r, low_w):
                os.close(fd)
        self._exit: int | None = None
        self.executable = browser
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Send one command and return its result; events read meanwhile are kept for :meth:`events`."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._commands, json.dumps(message).encode() + b"\0")
        except OSError:
            raise GeomapError(f"Chromium ({self.executable}) stopped unexpectedly") from None
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise GeomapError(f"Chromium refused {method}: {reply['error'].get('message', reply['error'])}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self._events.append(reply)

    def events(self, session: str, method: str) -> list[dict[str, Any]]:
        """The parameters of the events ``method`` received so far for ``session``."""
        return [e.get("params", {}) for e in self._events if e.get("sessionId") == session and e["method"] == method]

    def wait_event(self, session: str, method: str) -> dict[str, Any]:
        """Wait for the next event ``method`` of ``session`` not yet waited for."""
        deadline = time.monotonic() + self.timeout
        while True:
            for i, event in enumerate(self._events):
                if event.get("sessionId") == session and event["method"] == method:
                    del self._events[i]
                    params: dict[str, Any] = event.get("params", {})
                    return params
            self._events.append(self._read(deadline))

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._replies], [], [], max(0.0, left))
            if not ready:
                self.close()
                raise GeomapError(f"Chromium ({self.executable}) did not finish within {self.timeout:.0f} s")
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                self.close()
                raise GeomapError(f"Chromium ({self.executable}) stopped unexpectedly")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    @property
    def alive(self) -> bool:
        if self._exit is None and os.waitpid(self._pid, os.WNOHANG) != (0, 0):
            self._exit = -1
        return self._exit is None

    def page(self, width: int, height: int, scale: float = 1.0) -> Page:
        """A new tab whose viewport is ``width`` × ``height`` CSS pixels at ``scale`` device pixels each."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, target, session, Path(self._work.name) / f"{target}.html")
        for method in ("Page.enable", "Network.enable", "Runtime.enable"):
            self.call(method, session=session)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False}, session)  # fmt: skip
        return page

    def close(self) -> None:
        """Stop Chromium and its helpers, and remove its profile."""
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._exit = -signal.SIGKILL
        for fd in (self._commands, self._replies):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._work.cleanup()


class Page:
    """One tab of a :class:`Browser`."""

    def __init__(self, browser: Browser, target: str, session: str, file: Path) -> None:
        self.browser, self.target, self.session, self.file = browser, target, session, file

    def open(self, html: str) -> None:
        """Load ``html`` (from a file, as a reader's browser would) until its scripts have run (not
        until every image has come: a tile server that holds its answers must not hold the figure)."""
        self.file.write_text(html, encoding="utf-8")
        self.browser.call("Page.navigate", {"url": self.file.as_uri()}, self.session)
        self.browser.wait_event(self.session, "Page.domContentEventFired")

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression, after the promise it gives (if any) settles."""
        reply = self.browser.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                        "returnByValue": True}, self.session)  # fmt: skip
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text", "error")
            raise GeomapError(f"the map's page failed in Chromium: {text.splitlines()[0]}")
        return reply["result"].get("value")

    def requested(self) -> list[str]:
        """The URLs the page asked for so far."""
        return [e["request"]["url"] for e in self.browser.events(self.session, "Network.requestWillBeSent")]

    def screenshot(self) -> bytes:
        """PNG bytes of the viewport."""
        data = self.browser.call("Page.captureScreenshot", {"format": "png"}, self.session)["data"]
        return base64.b64decode(data)

    def pdf(self, width: int, height: int) -> bytes:
        """The page printed on one sheet of ``width`` × ``height`` CSS pixels, backgrounds included."""
        inches = {"paperWidth": width / 96, "paperHeight": height / 96}
        margins = {f"margin{side}": 0 for side in ("Top", "Bottom", "Left", "Right")}
        data = self.browser.call("Page.printToPDF", {**inches, **margins, "printBackground": True,
                                                      "pageRanges": "1"}, self.session)["data"]  # fmt: skip
        return base64.b64decode(data)

    def close(self) -> None:
        if self.browser.alive:
            self.browser.call("Target.closeTarget", {"targetId": self.target})
        self.file.unlink(missing_ok=True)


_shared: Browser | None = None


def shared_browser() -> Browser:
    """One browser for the process, started on first use and stopped at exit: the second figure
    of a run costs no start-up."""
    global _shared
    if _shared is None or not _shared.alive or _shared.executable != find_chromium():
        if _shared is not None:
            _shared.close()
        _shared = Browser()
        atexit.register(_shared.close)
    return _shared
