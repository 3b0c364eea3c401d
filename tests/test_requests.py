"""No page load makes a request that fails: every page type in Chromium, search on, at a host's root
and under a sub-path, served as a static host serves it (404.html on a miss)."""

from __future__ import annotations

import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response

from .browser import chromium
from .conftest import PAGES_OF_EACH_KIND, ROOT, build_process, write
from .static_server import free_port, serving

PAGE_TYPES = {**PAGES_OF_EACH_KIND, "404": "claims/no-such-check/deeper/"}


@pytest.fixture(scope="module", params=["", "some/sub/path/"], ids=["root", "sub-path"])
def hosted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """content/ (with files of its own in static/) built with search, served at ``param`` under a host."""
    work = tmp_path_factory.mktemp("hosted")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    write(content / "static/CNAME", "facts.example.org\n")
    write(content / "static/.nojekyll", "")
    write(content / "static/documents/note.txt", "a document we checked\n")
    root = work / "www"
    site = root / request.param
    port = free_port()
    base = f"http://127.0.0.1:{port}/{request.param}"
    result = build_process(content, site, "--base-url", base)
    assert result.returncode == 0, result.stderr
    with serving(root, port, not_found=site / "404.html"):
        yield base, site


def _failures(page: Page, url: str) -> list[str]:
    """Load ``url``; every request of the load that failed or answered 4xx/5xx (but the page's own 404)."""
    failed: list[str] = []

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.url != url:
            failed.append(f"{response.status} {response.url}")

    page.on("requestfailed", lambda request: failed.append(f"failed {request.url}: {request.failure}"))
    page.on("response", on_response)
    page.goto(url, wait_until="networkidle")
    return failed


@pytest.mark.browser
def test_no_page_load_makes_a_failing_request(hosted: tuple[str, Path]) -> None:
    base, _ = hosted
    failures = []
    icons = set()
    with chromium() as browser:
        for kind, path in PAGE_TYPES.items():
            page = browser.new_page()
            requested: list[str] = []
            page.on("request", lambda request, seen=requested: seen.append(request.url))
            found = _failures(page, base + path)
            if kind == "search":
                page.wait_for_selector(".pagefind-ui__result", timeout=15_000)
                page.wait_for_load_state("networkidle")
            failures += [f"{kind}: {failure}" for failure in found]
            icons |= {url for url in requested if "favicon" in url}
            page.close()
    assert failures == []
    assert icons == {base + "static/favicon.svg"}  # the theme's icon, at the site's own path


def test_the_404_page_is_what_a_miss_gets(hosted: tuple[str, Path]) -> None:
    base, site = hosted
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(base + PAGE_TYPES["404"], timeout=10)
    assert answer.value.code == 404
    assert answer.value.read() == (site / "404.html").read_bytes()


def test_own_files_are_published_as_they_are(hosted: tuple[str, Path]) -> None:
    base, _ = hosted
    assert urllib.request.urlopen(base + "CNAME", timeout=10).read() == b"facts.example.org\n"
    assert urllib.request.urlopen(base + ".nojekyll", timeout=10).read() == b""
    assert urllib.request.urlopen(base + "documents/note.txt", timeout=10).read() == b"a document we checked\n"
    icon = urllib.request.urlopen(base + "static/favicon.png", timeout=10)
    assert icon.read(8) == b"\x89PNG\r\n\x1a\n"
