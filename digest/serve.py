"""The edge: ``digest serve``, a preview server with live reload.

It gets a folder and a rebuild callable, never the model: ``LiveBuild`` rebuilds, ``Watcher``
says when, and this module serves the folder over HTTP, tells open pages what changed over
Server-Sent Events and shows errors over the page while the last good site stays up.

Safety, since the preview runs beside an editor's mail: only GET and HEAD; nothing outside the
site folder (encoded or double-encoded ``..``, backslashes, NUL and symlinks are refused); a Host
header that names neither the bound address nor localhost is refused (DNS rebinding).
"""

from __future__ import annotations

import errno
import html
import ipaddress
import json
import mimetypes
import queue
import shutil
import signal
import socket
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .build import LiveBuild, Options, Rebuild, check_options
from .errors import ContentError, UsageError
from .urls import NOT_FOUND
from .watch import Changes, Watcher

SCRIPT_PATH = "/__digest__/reload.js"
EVENTS_PATH = "/__digest__/events"
_SCRIPT = (Path(__file__).with_name("preview.js")).read_bytes()
_KEEPALIVE = 15.0
"""Seconds between comments on an idle event stream, so proxies and browsers keep it open."""
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}

Say = Callable[[str, bool], None]
"""Tells the user one line (True: a problem, for stderr); ``cli`` gives the one that prints."""


def _quiet(line: str, problem: bool) -> None:
    """Say nothing (the preview run from code: tests, the benchmark)."""


class Events:
    """Server-Sent Events to every open page; remembers the current error so new pages show it too."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: set[queue.SimpleQueue[bytes | None]] = set()
        self._failure: bytes | None = None

    def publish(self, name: str, data: dict[str, Any]) -> None:
        """Send one event to every client."""
        message = f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()
        with self._lock:
            self._failure = message if name == "failed" else None
            for client in self._clients:
                client.put(message)

    def subscribe(self) -> queue.SimpleQueue[bytes | None]:
        """A queue of messages for one new client, starting with the current error, if any."""
        client: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        with self._lock:
            if self._failure is not None:
                client.put(self._failure)
            self._clients.add(client)
        return client

    def unsubscribe(self, client: queue.SimpleQueue[bytes | None]) -> None:
        """Stop sending to a client whose page went away."""
        with self._lock:
            self._clients.discard(client)

    def close(self) -> None:
        """End every stream (at shutdown)."""
        with self._lock:
            for client in self._clients:
                client.put(None)


def safe_relative(path: str) -> str | None:
    """The relative file path a URL path asks for, or None if it could lead outside the site."""
    decoded = path
    for _ in range(4):  # undo double and triple encoding before looking for "..", "\\" and NUL
        if "\0" in decoded or "\\" in decoded:
            return None
        if any(part in ("..", ".") for part in decoded.split("/")):
            return None
        again = unquote(decoded)
        if again == decoded:
            break
        decoded = again
    else:
        return None
    if "%" in path and unquote(decoded) != decoded:
        return None
    return decoded.lstrip("/")


def host_allowed(header: str | None, bound: str) -> bool:
    """True if a Host header names the bound address or localhost (not a rebinding attacker's name)."""
    if not header:
        return False
    if header.startswith("["):
        name = header[1 : header.find("]")] if "]" in header else ""
    else:
        name = header.rsplit(":", 1)[0] if header.count(":") == 1 else header
    name = name.lower().rstrip(".")
    if name in _LOOPBACK or name == bound.lower():
        return True
    if bound in ("", "0.0.0.0", "::"):
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True
    return False


class PreviewHandler(BaseHTTPRequestHandler):
    """Serves the site folder at the base URL's path, with the reload script added to HTML."""

    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = 20
    server_version = "digest-preview"
    sys_version = ""

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self.command not in ("GET", "HEAD"):
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED, headers={"Allow": "GET, HEAD"})
            return False
        if not host_allowed(self.headers.get("Host"), self.server.bound_host):
            self.send_error(HTTPStatus.FORBIDDEN, "Host not allowed")
            return False
        return True

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        body = f"{code} {message or HTTPStatus(code).phrase}\n".encode()
        self.close_connection = True
        try:
            self.send_response(code, message)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and code >= 200:
                self.wfile.write(body)
        except OSError:
            pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, _SCRIPT, "text/javascript; charset=utf-8")
            return
        if path == EVENTS_PATH:
            self._stream()
            return
        base = self.server.base_path
        if base != "/" and (path in ("/", "") or path + "/" == base):
            self._redirect(base)  # a sub-path site: the host's root leads to it (at the root, "/" is the home page)
            return
        if not path.startswith(base):
            self._not_found()
            return
        relative = safe_relative(path[len(base) :])
        if relative is None:
            self._not_found()
            return
        root = self.server.root
        target = root / relative
        if target.is_dir() and relative and not relative.endswith("/"):
            self._redirect("/" + path.lstrip("/") + "/")  # never //host/: that would leave the preview
            return
        if relative == "" or relative.endswith("/"):
            target = target / "index.html"
        if not self._inside(target) or not target.is_file():
            self._not_found()
            return
        try:
            data = target.read_bytes()
        except OSError:
            self._not_found()
            return
        self._send(HTTPStatus.OK, data, _content_type(target))

    def _inside(self, target: Path) -> bool:
        try:
            real = target.resolve(strict=True)
        except (OSError, RuntimeError):
            return False
        return real.is_relative_to(self.server.root.resolve())

    def _not_found(self) -> None:
        page = self.server.root / NOT_FOUND
        data = page.read_bytes() if page.is_file() else _ERROR_PAGE
        self._send(HTTPStatus.NOT_FOUND, data, "text/html; charset=utf-8")

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        if content_type.startswith("text/html"):
            data = _inject(data, self.server.base_path)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _stream(self) -> None:
        """Server-Sent Events until the page goes away or the server stops."""
        events = self.server.events
        client = events.subscribe()
        self.close_connection = True
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while True:
                try:
                    message = client.get(timeout=_KEEPALIVE)
                except queue.Empty:
                    message = b": keep-alive\n\n"
                if message is None:
                    return
                self.wfile.write(message)
                self.wfile.flush()
        except OSError:
            return
        finally:
            events.unsubscribe(client)

    def log_message(self, format: str, *args: Any) -> None:
        return  # the terminal shows rebuilds, not requests


_ERROR_PAGE = b"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>No site yet</title></head>
<body><h1>No site yet</h1><p>The content has errors, so there is nothing to show yet; they are listed below and in
the terminal. This page reloads once they are fixed.</p></body></html>
"""


def served_path(base_url: str) -> str:
    """The path the preview serves the site at: base_url's, percent-encoded as requests carry it."""
    return quote(unquote(urlsplit(base_url).path) or "/", safe="/")


def _inject(data: bytes, base: str) -> bytes:
    """Add the reload script before </body> (or at the end)."""
    tag = f'<script src="{SCRIPT_PATH}" data-base="{html.escape(unquote(base))}"></script>'.encode()
    index = data.rfind(b"</body>")
    return data[:index] + tag + data[index:] if index >= 0 else data + tag


def _content_type(path: Path) -> str:
    if path.suffix == ".xml":
        return "application/xml; charset=utf-8" if path.name == "sitemap.xml" else "application/atom+xml; charset=utf-8"
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    textual = guessed.startswith("text/") or guessed.endswith(("json", "javascript"))
    return f"{guessed}; charset=utf-8" if textual else guessed


class PreviewServer(ThreadingHTTPServer):
    """A threading HTTP server over one folder, with the event stream."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], root: Path, base_path: str, events: Events) -> None:
        self.root = root
        self.base_path = base_path
        self.events = events
        self.bound_host = address[0]
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, PreviewHandler)


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
        if host not in _LOOPBACK:
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
