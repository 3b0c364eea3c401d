"""The preview's HTTP server: one site folder served at the base URL's path, with live reload.

``PreviewServer`` serves the folder ``serve.Preview`` builds into, adds the reload script
(``preview.js``) to its HTML, and streams ``Events`` (Server-Sent Events) to open pages: what
changed, or the errors to show over the page.

Safety, since the preview runs beside an editor's mail: only GET and HEAD; nothing outside the
site folder (encoded or double-encoded ``..``, backslashes, NUL and symlinks are refused); a Host
header that names neither the bound address nor localhost is refused (DNS rebinding).
"""

from __future__ import annotations

import html
import ipaddress
import json
import mimetypes
import queue
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .urls import NOT_FOUND, file_for

SCRIPT_PATH = "/__digest__/reload.js"
EVENTS_PATH = "/__digest__/events"
_SCRIPT = (Path(__file__).with_name("preview.js")).read_bytes()
_KEEPALIVE = 15.0
"""Seconds between comments on an idle event stream, so proxies and browsers keep it open."""
LOOPBACK = {"localhost", "127.0.0.1", "::1"}


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
    if name in LOOPBACK or name == bound.lower():
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
        if relative and not relative.endswith("/") and (root / relative).is_dir():
            self._redirect("/" + path.lstrip("/") + "/")  # never //host/: that would leave the preview
            return
        target = root / file_for(relative)
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


# The preview's own page, for the editor and never published: shown while no site could be built,
# maybe because site.yaml (the language) or the theme's catalogs are what is wrong, so its words
# cannot come from them; it frames the diagnostics, which are English as in the terminal.
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
