"""A plain static HTTP server for tests, as a host would serve the built site (under any path)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("LinkChecker", "allow")  # lets LinkChecker go faster than 10 requests a second
        super().end_headers()

    def log_message(self, *args: object) -> None:
        return


@contextmanager
def serving(root: Path, port: int = 0) -> Iterator[str]:
    """Serve a folder on loopback; yields the base URL; stops the server on exit."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
