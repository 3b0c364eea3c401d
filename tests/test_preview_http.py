"""The preview server at the HTTP level: what it serves, and every way of asking for more."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from digest.server import Events, PreviewServer, host_allowed, safe_relative, served_path

from .static_server import on_a_thread

SECRET = "TOP-SECRET-OUTSIDE-THE-SITE"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PreviewServer]:
    site = tmp_path / "site"
    (site / "claims/x").mkdir(parents=True)
    (site / "claims/x/index.html").write_text("<html><body><h1>claim</h1></body></html>")
    (site / "index.html").write_text("<html><body>home</body></html>")
    (site / "404.html").write_text("<html><body>not here</body></html>")
    (site / "feed.xml").write_text("<feed/>")
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets/index.html").write_text(SECRET)
    os.symlink(tmp_path / "secret.txt", site / "link-file.txt")
    os.symlink(tmp_path / "secrets", site / "link-dir")
    with running(site, "/sub/") as preview:
        yield preview


@contextmanager
def running(site: Path, base: str) -> Iterator[PreviewServer]:
    """A preview server of ``site`` at ``base`` on a loopback port, on a thread, until the block ends."""
    preview = PreviewServer(("127.0.0.1", 0), site, base, Events())
    with on_a_thread(preview):
        try:
            yield preview
        finally:
            preview.events.close()  # the event streams end first: closing the server waits for them


def request(server: PreviewServer, raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes; the status, headers and body of the answer."""
    with socket.create_connection(server.server_address[:2], timeout=10) as connection:
        connection.sendall(raw)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body


def get(
    server: PreviewServer, path: str, host: str = "127.0.0.1", method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    raw = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1")
    return request(server, raw)


def test_serves_pages_with_the_reload_script(server: PreviewServer) -> None:
    status, headers, body = get(server, "/sub/claims/x/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body.endswith(b'<script src="/__digest__/reload.js" data-base="/sub/"></script></body></html>')
    assert headers["Cache-Control"] == "no-store"


def test_same_urls_as_a_static_host(server: PreviewServer) -> None:
    assert get(server, "/")[0:2] == (302, get(server, "/")[1]) and get(server, "/")[1]["Location"] == "/sub/"
    status, headers, _ = get(server, "/sub/claims/x")
    assert (status, headers["Location"]) == (302, "/sub/claims/x/")
    assert get(server, "/sub/claims/x/index.html")[0] == 200
    assert get(server, "/sub/feed.xml")[1]["Content-Type"] == "application/atom+xml; charset=utf-8"
    status, _, body = get(server, "/sub/nowhere/")
    assert status == 404 and b"not here" in body and b"reload.js" in body


def test_head_has_no_body(server: PreviewServer) -> None:
    status, headers, body = get(server, "/sub/", method="HEAD")
    assert status == 200 and int(headers["Content-Length"]) > 0 and body == b""


@pytest.mark.parametrize(
    "path",
    [
        "/sub/../secret.txt",
        "/sub/%2e%2e/secret.txt",
        "/sub/%2E%2E/secret.txt",
        "/sub/%252e%252e/secret.txt",
        "/sub/%25252e%25252e/secret.txt",
        "/sub/..%2fsecret.txt",
        "/sub/..%252fsecret.txt",
        "/sub/%2e%2e%2fsecret.txt",
        "/sub/..\\secret.txt",
        "/sub/%2e%2e%5csecret.txt",
        "/sub/claims/x/../../../secret.txt",
        "/sub/./../secret.txt",
        "/sub/index.html%00.txt",
        "/sub/%00/../secret.txt",
        "/sub/link-file.txt",
        "/sub/link-dir/",
        "/sub/link-dir/index.html",
        "/sub//etc/passwd",
        "//etc/passwd",
        "/sub/%2fetc%2fpasswd",
        f"/sub/{'../' * 20}etc/passwd",
    ],
)
def test_nothing_outside_the_site_is_served(server: PreviewServer, path: str) -> None:
    status, _, body = get(server, path)
    assert status in (400, 404), (path, status)
    assert SECRET.encode() not in body and b"root:" not in body


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example", "localhost.evil.example", ""]
)
def test_foreign_host_headers_are_refused(server: PreviewServer, host: str) -> None:
    status, _, body = get(server, "/sub/", host=host)
    assert status == 403
    assert b"home" not in body


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "LOCALHOST:8000", "[::1]:8000", "localhost."])
def test_local_host_headers_are_served(server: PreviewServer, host: str) -> None:
    assert get(server, "/sub/", host=host)[0] == 200


def test_request_without_host_is_refused(server: PreviewServer) -> None:
    assert request(server, b"GET /sub/ HTTP/1.0\r\n\r\n")[0] == 403


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND"])
def test_only_get_and_head(server: PreviewServer, method: str) -> None:
    status, headers, _ = get(server, "/sub/", method=method)
    assert status == 405
    assert headers["Allow"] == "GET, HEAD"


def test_oversized_requests_are_refused(server: PreviewServer) -> None:
    assert get(server, "/sub/" + "a" * 70_000)[0] == 414
    many = "".join(f"X-{n}: y\r\n" for n in range(200))
    assert request(server, f"GET /sub/ HTTP/1.1\r\nHost: localhost\r\n{many}\r\n".encode())[0] == 431
    long_header = f"GET /sub/ HTTP/1.1\r\nHost: localhost\r\nX-Big: {'b' * 70_000}\r\n\r\n".encode()
    assert request(server, long_header)[0] == 431


def test_safe_relative() -> None:
    assert safe_relative("/claims/x/") == "claims/x/"
    assert safe_relative("/claims/%C3%A9t%C3%A9/") == "claims/été/"
    for bad in ("/../x", "/%2e%2e/x", "/%252e%252e/x", "/a\\b", "/a%00b", "/a/./b"):
        assert safe_relative(bad) is None, bad


def test_host_allowed() -> None:
    assert host_allowed("localhost:8000", "127.0.0.1")
    assert host_allowed("192.168.1.5:8000", "192.168.1.5")
    assert not host_allowed("evil.example", "192.168.1.5")
    assert host_allowed("192.168.1.5", "0.0.0.0")
    assert not host_allowed("evil.example", "0.0.0.0")
    assert not host_allowed(None, "127.0.0.1")


def test_no_redirect_leaves_the_preview(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "people").mkdir(parents=True)
    (site / "people/index.html").write_text("<html><body>people</body></html>")
    with running(site, "/") as preview:
        status, headers, _ = get(preview, "//people")
    assert status == 302 and headers["Location"] == "/people/"


def test_a_base_path_that_is_not_ascii(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body>home</body></html>")
    base = served_path("https://example.org/дайджест/")
    assert base == "/%D0%B4%D0%B0%D0%B9%D0%B4%D0%B6%D0%B5%D1%81%D1%82/"
    with running(site, base) as preview:
        home = get(preview, "/")
        status, _, body = get(preview, base)
    assert home[1]["Location"] == base
    assert status == 200 and b'data-base="/\xd0\xb4' in body
