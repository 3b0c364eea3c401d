"""The check as readers see it, in Chromium: the verdict in the first screen on a laptop and on a
phone, named in text, marked by more than colour, and a printout with the sources' addresses.

``make screenshots`` (``pytest -m screenshots``) also saves the claim, person, home, verdict and
staff pages at 1280 and 390 px wide, light and dark, into ``screenshots/`` (not in git).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from digest.config import load_config

from .browser import chromium
from .conftest import ROOT, build_into
from .static_server import serving

pytestmark = pytest.mark.browser

SCREENS = {"laptop": (1280, 800), "phone": (390, 844)}
"""Viewports: a common laptop screen, and a common phone held upright."""
SHOTS = {
    "claim": "claims/putin-congratulated-trump-through-acquaintances/",
    "claim-rerated": "claims/peskov-knew-of-no-plans-to-congratulate/",
    "person": "people/putin/",
    "home": "",
    "verdict": "verdicts/false/",
    "scale": "verdicts/",
    "staff": "staff/editorial-team/",
}
SCREENSHOTS = ROOT / "screenshots"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """content/ built and served over HTTP; its URL and folder."""
    site = tmp_path_factory.mktemp("look") / "site"
    assert build_into(ROOT / "content", site, "--no-search") == 0
    with serving(site) as url:
        yield url, site


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as opened:
        yield opened


def _claims(site: Path) -> dict[str, dict[str, object]]:
    return {c["slug"]: c for c in json.loads((site / "claims.json").read_text())["claims"]}


@pytest.mark.parametrize("screen", SCREENS)
def test_the_verdict_is_in_the_first_screen(served: tuple[str, Path], browser: Browser, screen: str) -> None:
    url, site = served
    width, height = SCREENS[screen]
    page = browser.new_page(viewport={"width": width, "height": height})
    late = []
    for slug in _claims(site):
        page.goto(f"{url}claims/{slug}/")
        for selector in (".verdict-big", ".meter"):
            box = page.locator(selector).bounding_box()
            assert box is not None and box["width"] > 0, (slug, selector)
            if box["y"] + box["height"] > height:
                late.append(f"{slug}: {selector} ends at {box['y'] + box['height']:.0f} px")
        # nothing wider than the screen: no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= width, slug
    page.close()
    assert late == [], f"below the first screen at {width}x{height}:\n" + "\n".join(late)


def test_the_verdict_is_named_in_text_and_marked_by_more_than_colour(
    served: tuple[str, Path], browser: Browser
) -> None:
    url, site = served
    scale = [v.label for v in load_config(ROOT / "content", "content").verdicts]
    assert len(scale) >= 6
    page = browser.new_page()
    for slug, record in _claims(site).items():
        label = record["verdict"]["label"]  # type: ignore[index]
        page.goto(f"{url}claims/{slug}/")
        # the verdict's region is named by its heading: what a screen reader announces
        region = page.get_by_role("region", name=re.compile(rf"^Our verdict\s*:\s*{re.escape(label)}$"))
        assert region.count() == 1, slug
        marked = region.locator('ol.meter > li[aria-current="true"]')
        assert marked.count() == 1 and " ".join(marked.text_content().split()) == f"This check: {label}", slug
        steps = region.locator("ol.meter > li").all_text_contents()
        assert [s.removeprefix("This check: ") for s in steps] == scale
        style = marked.evaluate(
            """e => { const s = getComputedStyle(e), o = getComputedStyle(e.nextElementSibling
                || e.previousElementSibling); return {weight: s.fontWeight, other: o.fontWeight,
                shadow: s.boxShadow, mark: getComputedStyle(e, '::after').borderBottomStyle}; }"""
        )
        assert int(style["weight"]) > int(style["other"]) and style["shadow"] != "none", (slug, style)
        assert style["mark"] == "solid", (slug, style)  # the pointer under the marked step
        how = region.get_by_role("link", name="How we rate claims")
        assert how.get_attribute("href") == "../../verdicts/index.html"
    page.close()


def test_the_printout_keeps_the_check_and_the_source_addresses(built_minimal: Path, browser: Browser) -> None:
    page = browser.new_page()
    page.emulate_media(media="print")
    page.goto((built_minimal / "claims/alice-said-sky-is-green/index.html").as_uri())
    shown = page.evaluate(
        """() => Object.fromEntries(['.site-header nav', '.search-box', '.site-footer nav', '.report',
            '.claim-box', '.verdict-box', '#analysis', '#sources'].map(s =>
            [s, getComputedStyle(document.querySelector(s)).display !== 'none']))"""
    )
    assert shown == {
        ".site-header nav": False,
        ".search-box": False,
        ".site-footer nav": False,
        ".report": False,
        ".claim-box": True,
        ".verdict-box": True,
        "#analysis": True,
        "#sources": True,
    }
    after = page.locator('#sources a[href^="https://"]').first.evaluate(
        "a => [a.href, getComputedStyle(a, '::after').content]"
    )
    assert after[1] == f'" <{after[0]}>"'
    # printers leave out backgrounds: no white label on a colour that will not be printed
    colours = page.evaluate(
        """() => ['.verdict-big', '.meter-step[aria-current]', '.badge'].map(s =>
            getComputedStyle(document.querySelector(s)).color)"""
    )
    assert colours == ["rgb(0, 0, 0)"] * 3
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.close()


@pytest.mark.screenshots
def test_screenshots(served: tuple[str, Path], browser: Browser) -> None:
    url, _ = served
    SCREENSHOTS.mkdir(exist_ok=True)
    taken = []
    for width, height in SCREENS.values():
        for scheme in ("light", "dark"):
            page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
            for name, path in SHOTS.items():
                page.goto(url + path)
                for part, full in (("top", False), ("full", True)):
                    target = SCREENSHOTS / f"{name}-{width}-{scheme}-{part}.png"
                    page.screenshot(path=str(target), full_page=full)
                    taken.append(target)
            page.close()
    assert all(re.fullmatch(r"[a-z-]+-\d+-(light|dark)-(top|full)\.png", p.name) for p in taken)
    assert all(p.stat().st_size > 5_000 for p in taken)
