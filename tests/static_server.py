"""A plain static HTTP server for tests, as a host would serve the built site (under any path)."""

from __future__ import annotations

import functools
import http.server
import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    """A loopback port no one listens on now, for a server the test starts in a process of its own."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("LinkChecker", "allow")  # lets LinkChecker go faster than 10 requests a second
        super().end_headers()

    not_found: Path | None = None
    """A page to answer every miss with (status 404), as GitHub Pages and Netlify serve 404.html."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404 or self.not_found is None or not self.not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 64  # a search page fetches every shard of the index at once: 5 is too short a queue


@contextmanager
def serving(root: Path, port: int = 0, not_found: Path | None = None) -> Iterator[str]:
    """Serve a folder on loopback (every miss answered with ``not_found``, if given); yields the base
    URL; stops the server on exit."""
    handler = type("Handler", (_Handler,), {"not_found": not_found})
    server = _Server(("127.0.0.1", port), functools.partial(handler, directory=str(root)))
    with on_a_thread(server):
        yield f"http://127.0.0.1:{server.server_address[1]}/"


@contextmanager
def on_a_thread(server: socketserver.BaseServer) -> Iterator[None]:
    """Run a server on a thread of its own until the block ends, then stop it and close its socket."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@dataclass
class Published:
    """A built site served under a sub-path by the static server."""

    root: Path
    """The folder the static server serves."""
    site: Path
    """The built site, at root/some/sub/path/."""
    url: str
    """The site's URL under the sub-path."""
