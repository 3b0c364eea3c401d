"""A site in three languages, checked by the tools that read it, as content/ is in test_publishing:
the W3C validator, axe-core in Chromium, LinkChecker and Pagefind's search UI in Ukrainian."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from .browser import WCAG_AA, chromium
from .conftest import GREEN, LANGUAGES, build_process
from .html import pages
from .linkcheck import check_links
from .static_server import Published, serving
from .vnu import vnu_problems

SUB_PATH = "in/three/languages/"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Published]:
    """tests/sites/languages built under a sub-path and served; with the search index for the tests of search."""
    root = tmp_path_factory.mktemp("www")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    base = f"http://127.0.0.1:{port}/{SUB_PATH}"
    search = () if getattr(request, "param", None) == "search" else ("--no-search",)
    result = build_process(LANGUAGES, root / SUB_PATH, "--base-url", base, *search)
    assert result.returncode == 0, result.stderr
    with serving(root, port):
        yield Published(root, root / SUB_PATH, base)


@pytest.mark.java
def test_translated_pages_are_valid_for_the_w3c_validator(published: Published) -> None:
    report = vnu_problems(published.site)
    assert report == "", f"the W3C Nu HTML Checker (vnu) found errors:\n{report}"
    assert len([page for page in pages(published.site) if "/uk/" in str(page)]) > 15


TRANSLATED = {
    "uk home": "uk/",
    "uk claim": f"uk/{GREEN}",
    "uk person": "uk/people/alice/",
    "uk free page": "uk/about/",
    "uk verdict": "uk/verdicts/false/",
    "uk timeline": "uk/timeline/",
    "ru claim": f"ru/{GREEN}",
    "en claim with translations": GREEN,
    "uk search": "uk/search/?q=небо",
}


@pytest.mark.browser
@pytest.mark.parametrize("published", ["search"], indirect=True)
def test_translated_pages_have_no_accessibility_violations(published: Published) -> None:
    axe = Axe()
    found = []
    with chromium() as browser:
        page = browser.new_page()
        for kind, path in TRANSLATED.items():
            page.goto(published.url + path)
            if kind.endswith("search"):
                page.wait_for_selector(".pagefind-ui__result", timeout=15_000)
            for violation in axe.run(page, options=WCAG_AA).response["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.append(f"{kind}: {violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    assert found == [], "axe-core found WCAG 2.1 AA problems:\n" + "\n".join(found)


@pytest.mark.slow
def test_no_broken_links_or_anchors_in_any_language(published: Published, tmp_path: Path) -> None:
    links = check_links(published.url, tmp_path)
    assert links.problems == ""
    assert links.checked > 60


@pytest.mark.browser
@pytest.mark.parametrize("published", ["search"], indirect=True)
def test_search_in_ukrainian_finds_the_ukrainian_check(published: Published) -> None:
    with chromium() as browser:
        page = browser.new_page()
        page.goto(published.url + "uk/")
        box = page.locator("#site-search")
        box.fill("зелене")
        box.press("Enter")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
        titles = page.locator(".pagefind-ui__result-link").all_inner_texts()
        hrefs = page.locator(".pagefind-ui__result-link").evaluate_all("links => links.map(a => a.href)")
        assert titles == ["Аліса сказала, що небо зелене"]
        assert hrefs == [published.url + f"uk/{GREEN}index.html"]
        # the English search looks in the English pages only
        page.goto(published.url + "search/?q=green")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
        hrefs = page.locator(".pagefind-ui__result-link").evaluate_all("links => links.map(a => a.href)")
        assert hrefs == [published.url + f"{GREEN}index.html"]
