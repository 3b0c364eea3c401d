"""The preview: a real server process, a real browser, real file edits."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from digest.server import EVENTS_PATH

from .browser import chromium
from .conftest import MINIMAL
from .static_server import free_port

CLAIM = "claims/bob-said-sky-is-blue.md"


class Served:
    """A running `digest serve` process."""

    def __init__(self, root: Path, *extra: str) -> None:
        self.root = root
        self.port = free_port()
        self.log = root / f"serve-{self.port}.log"
        self.stream = self.log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "digest", "serve", "--content", "content", "--port", str(self.port), *extra],
            cwd=root,
            stdout=self.stream,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        deadline = time.monotonic() + 30
        while "serving http://" not in self.output():
            assert self.process.poll() is None, self.output()
            assert time.monotonic() < deadline, self.output()
            time.sleep(0.05)
        self.url = re.search(r"serving (http://\S+)", self.output()).group(1)

    def output(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def stop(self) -> int:
        """Ctrl-C, by process id; the exit status."""
        try:
            os.kill(self.process.pid, signal.SIGINT)
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            raise
        finally:
            self.stream.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    shutil.copytree(MINIMAL, tmp_path / "content")
    server = Served(tmp_path)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.stop()
        server.stream.close()


def edit(path: Path, old: str, new: str) -> None:
    """Save a file the way editors do: write a temporary file, then rename it over the original."""
    text = path.read_text()
    assert old in text
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text.replace(old, new))
    os.replace(temporary, path)


def open_page(browser: Browser, url: str) -> Page:
    """A page at url once its stream of the preview's events is open: the server tells only the pages
    it has subscribed, so an edit saved before (the page loaded, its stream still on its way) would
    never reach it."""
    page = browser.new_page()
    with page.expect_response(lambda response: response.url.endswith(EVENTS_PATH)):
        page.goto(url)
    return page


def test_serves_the_site_under_base_path_with_drafts(served: Served) -> None:
    assert served.url.endswith(f":{served.port}/sub/path/")
    page = urllib.request.urlopen(served.url + "claims/bob-draft/").read().decode()
    assert "Draft" in page and "/__digest__/reload.js" in page


@pytest.mark.browser
def test_edits_show_in_the_browser_and_errors_overlay(served: Served) -> None:
    claim = served.root / "content" / CLAIM
    with chromium() as browser:
        page = open_page(browser, served.url + "claims/bob-said-sky-is-blue/")
        assert page.locator("h1").inner_text() == "Bob said the sky is blue"

        edit(claim, 'title: "Bob said the sky is blue"', 'title: "Bob now says the sky is teal"')
        page.wait_for_function(
            "document.querySelector('h1').textContent === 'Bob now says the sky is teal'", timeout=10_000
        )

        edit(claim, "verdict: true", "verdict: flase")
        overlay = page.locator("#digest-preview-errors")
        overlay.wait_for(timeout=10_000)
        text = overlay.inner_text()
        assert (
            "content/claims/bob-said-sky-is-blue.md:7: verdict 'flase' is not on the scale; did you mean 'false'?"
            in text
        )
        assert page.locator("h1").inner_text() == "Bob now says the sky is teal"  # last good page underneath

        edit(claim, "verdict: flase", "verdict: mixed")
        overlay.wait_for(state="detached", timeout=10_000)
        page.wait_for_function(
            "document.querySelector('.verdict-current .verdict-big').textContent === 'Mixed'", timeout=10_000
        )
    assert "bob-said-sky-is-blue.md:7: verdict 'flase'" in served.output()
    assert re.search(
        r"\d\d:\d\d:\d\d claims/bob-said-sky-is-blue.md changed: \d+ files written in \d+ ms", served.output()
    )


@pytest.mark.browser
def test_stylesheet_change_swaps_without_reload(served: Served, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(Path(__file__).resolve().parent.parent / "themes/default", theme)
    served.stop()
    server = Served(tmp_path, "--theme", str(theme))
    try:
        with chromium() as browser:
            page = open_page(browser, server.url)
            page.evaluate("window.marker = 'kept'")
            css = theme / "static/style.css"
            css.write_text(css.read_text() + "\nbody { background: rgb(1, 2, 3) !important; }\n")
            page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=10_000)
            assert page.evaluate("window.marker") == "kept"
    finally:
        server.stop()


def test_ctrl_c_stops_cleanly(served: Served) -> None:
    assert served.stop() == 0
    assert served.output().rstrip().endswith("stopped")
    assert "Traceback" not in served.output()


def test_port_in_use_is_a_usage_error(served: Served, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "digest", "serve", "--content", "content", "--port", str(served.port)],
        cwd=served.root,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert f"digest: error: port {served.port} is already in use; choose another with --port" in result.stderr


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # let the 302 through as an answer, to look at


@pytest.mark.parametrize(
    ("base_url", "home"), [("https://example.org/", "/"), ("https://example.com/sub/path/", "/sub/path/")]
)
def test_the_host_root_opens_the_home_page(tmp_path: Path, base_url: str, home: str) -> None:
    """GET / shows the home page when base_url is a host's root, and leads to it when it is a sub-path."""
    shutil.copytree(MINIMAL, tmp_path / "content")
    server = Served(tmp_path, "--base-url", base_url)
    try:
        root = f"http://127.0.0.1:{server.port}"
        assert server.url == root + home
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            answer = opener.open(root + "/", timeout=10)
            status, location = answer.status, answer.headers.get("Location")
        except urllib.error.HTTPError as error:
            status, location = error.code, error.headers.get("Location")
        if home == "/":
            assert (status, location) == (200, None)
        else:
            assert (status, location) == (302, home)
        # followed as a browser does: the home page, in at most one hop
        page = urllib.request.urlopen(root + "/", timeout=10)
        assert page.status == 200 and page.url == root + home
        assert "<h1" in (body := page.read().decode()) and "Minimal Digest" in body
    finally:
        server.stop()
