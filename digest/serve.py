"""The edge: ``digest serve``, a preview server with live reload.

It gets a folder and a rebuild callable, never the model: ``LiveBuild`` rebuilds, ``Watcher``
says when, ``server.PreviewServer`` serves the folder over HTTP, and this module ties them
together: it tells open pages what changed (``server.Events``) and shows errors over the page
while the last good site stays up.
"""

from __future__ import annotations

import errno
import shutil
import signal
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .build import LiveBuild, Options, Rebuild, check_options
from .errors import ContentError, UsageError
from .server import LOOPBACK, Events, PreviewServer, served_path
from .watch import Changes, Watcher

Say = Callable[[str, bool], None]
"""Tells the user one line (True: a problem, for stderr); ``cli`` gives the one that prints."""


def _quiet(line: str, problem: bool) -> None:
    """Say nothing (the preview run from code: tests, the benchmark)."""


def report(rebuild: Rebuild, what: str) -> tuple[str, dict[str, Any]]:
    """The terminal line and the event for one rebuild."""
    stamp = time.strftime("%H:%M:%S")
    milliseconds = round(rebuild.seconds * 1000)
    if rebuild.error is not None:
        errors = (
            [str(d) for d in rebuild.error.diagnostics]
            if isinstance(rebuild.error, ContentError)
            else [f"digest: error: {rebuild.error}"]
        )
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        line = f"{stamp} {what}: {count}, last good site kept ({milliseconds} ms)"
        return "\n".join([*errors, line]), {"errors": errors}
    files = f"{len(rebuild.written)} file{'s' if len(rebuild.written) != 1 else ''}"
    line = f"{stamp} {what}: {files} written in {milliseconds} ms"
    return line, {"changed": list(rebuild.written)}


class Preview:
    """A LiveBuild into a temporary folder, the server over it and the events to open pages."""

    def __init__(self, options: Options, say: Say = _quiet) -> None:
        self.options = options
        self.say = say
        self.folder = Path(tempfile.mkdtemp(prefix="digest-preview-"))
        self.live = LiveBuild(replace(options, out=self.folder / "site", drafts=True))
        self.events = Events()
        self.server: PreviewServer | None = None
        self._lock = threading.Lock()
        self._failed = False

    def on_change(self, changes: Changes) -> None:
        """The watcher's callback: whatever happens, the watcher keeps watching."""
        try:
            self.rebuild(changes)
        except Exception as error:  # a bug must not stop the preview: report it and wait for the next save
            self.say(f"digest: internal error while rebuilding: {type(error).__name__}: {error}", True)
            self.events.publish("failed", {"errors": [f"digest: internal error: {type(error).__name__}: {error}"]})

    def rebuild(self, changes: Changes | None = None) -> Rebuild:
        """Run the build, tell the open pages as soon as the pages are written, print one line."""

        announced = False

        def pages_written(paths: tuple[str, ...]) -> None:
            nonlocal announced
            if paths:
                announced = True
                stylesheets_only = bool(changes and changes.stylesheets_only)
                self.events.publish("built", {"changed": list(paths), "stylesheets_only": stylesheets_only})

        with self._lock:
            result = self.live.run(
                changed=changes.content if changes else None,
                theme_changed=changes is not None and bool(changes.templates or changes.static),
                pages_written=pages_written,
            )
        what = changes.describe(self.options.content.resolve(), self.options.theme.resolve()) if changes else "built"
        line, data = report(result, what)
        self.say(line, result.error is not None)
        if result.error is not None:
            self.events.publish("failed", data)
            self._failed = True
            return result
        if self.server is not None and self.live.base_url:
            self.server.base_path = served_path(self.live.base_url)
        if self._failed and not announced:  # the error is fixed: clear the overlay even if no page changed
            self.events.publish("built", {"changed": [], "stylesheets_only": False})
        self._failed = False
        return result

    def listen(self, host: str, port: int) -> PreviewServer:
        """Open the server socket; UsageError if the port is taken."""
        (self.folder / "site").mkdir(exist_ok=True)
        base_path = served_path(self.live.base_url) if self.live.base_url else "/"
        try:
            self.server = PreviewServer((host, port), self.folder / "site", base_path, self.events)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise UsageError(f"port {port} is already in use; choose another with --port") from None
            raise UsageError(f"cannot listen on {host}:{port}: {error.strerror}") from None
        return self.server

    def close(self) -> None:
        """Stop serving and remove the temporary folder."""
        self.events.close()
        if self.server is not None:
            self.server.server_close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(
    options: Options, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False, say: Say = _quiet
) -> int:
    """Build with drafts into a temporary folder, serve it, rebuild on every change until Ctrl-C."""
    check_options(options, writing=True)
    preview = Preview(options, say)
    watcher: Watcher | None = None
    try:
        preview.rebuild()
        server = preview.listen(host, port)
        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{shown_host}:{server.server_address[1]}{server.base_path}"
        if host not in LOOPBACK:
            say(
                f"warning: serving on {host}, not on this machine only: whoever can reach it can read the "
                "preview, drafts included",
                True,
            )
        say(f"serving {url} (drafts shown; Ctrl-C stops)", False)
        watcher = Watcher(options.content, options.theme, preview.on_change, ignore=preview.folder)
        watcher.start()
        if open_browser:
            webbrowser.open(url)
        signal.signal(signal.SIGTERM, _stop)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        if watcher is not None:
            watcher.stop()
        preview.close()
    say("stopped", False)
    return 0
