"""Publishing-grade output, checked by the tools that read it: the W3C validator, axe-core in
Chromium, extruct, feedparser, LinkChecker and Pagefind's own search UI."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import extruct
import feedparser
import lxml.etree
import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from PIL import Image

from .browser import WCAG_AA, chromium
from .conftest import OUR_SCALE, PAGES_OF_EACH_KIND, ROOT, build_process
from .html import is_redirect, pages, parse
from .linkcheck import check_links, linkchecker
from .static_server import Published, free_port, serving
from .vnu import vnu_problems

SUB_PATH = "some/sub/path/"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Published]:
    """content/ built, its base_url under a sub-path, served by a plain static server.

    Without the search index, except for the tests of search: ``parametrize("published", ["search"], indirect=True)``.
    """
    root = tmp_path_factory.mktemp("www")
    port = free_port()
    base = f"http://127.0.0.1:{port}/{SUB_PATH}"
    site = root / SUB_PATH
    search = () if getattr(request, "param", None) == "search" else ("--no-search",)
    result = build_process(ROOT / "content", site, "--base-url", base, *search)
    assert result.returncode == 0, result.stderr
    with serving(root, port) as served:
        assert served == f"http://127.0.0.1:{port}/"
        yield Published(root, site, base)


@pytest.mark.java
def test_html_is_valid_for_the_w3c_validator(published: Published) -> None:
    # Every HTML page, and our own stylesheets (Pagefind's CSS is its own, and newer than vnu's CSS checker).
    report = vnu_problems(published.site, css=True)
    assert report == "", f"the W3C Nu HTML Checker (vnu) found errors:\n{report}"
    checked = len(pages(published.site))
    assert checked > 40


PAGE_TYPES = {**PAGES_OF_EACH_KIND, "404": "404.html"}


@pytest.mark.browser
@pytest.mark.parametrize("published", ["search"], indirect=True)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violations(published: Published, scheme: str) -> None:
    axe = Axe()
    found = []
    with chromium() as browser:
        page = browser.new_page(color_scheme=scheme)
        for kind, path in PAGE_TYPES.items():
            page.goto(published.url + path)
            if kind == "search":
                page.wait_for_selector(".pagefind-ui__result", timeout=10_000)
            for violation in axe.run(page, options=WCAG_AA).response["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.append(
                    f"{kind} ({scheme}): {violation['id']} ({violation['impact']}): {violation['help']} {targets}"
                )
    assert found == [], "axe-core found WCAG 2.1 AA problems:\n" + "\n".join(found)


@pytest.mark.browser
def test_an_old_address_opens_the_check_in_a_browser(published: Published) -> None:
    """A withdrawn check's address (an alias) under the sub-path lands on the check it was folded into."""
    with chromium() as browser:
        page = browser.new_page()
        page.goto(published.url + "claims/putin-congratulated-trump-in-sochi/")
        page.wait_for_url(published.url + "claims/putin-says-trump-wants-to-restore-relations/index.html")
        assert page.locator("h1").inner_text().startswith("Putin: Trump has spoken of restoring ties")
        # the redirect page itself, held still (its refresh removed) for axe-core
        old = published.url + "claims/putin-congratulated-trump-in-sochi/"
        html = (published.site / "claims/putin-congratulated-trump-in-sochi/index.html").read_text()
        still = re.sub(r'<meta http-equiv="refresh"[^>]*>', "", html)
        assert still != html
        page.route(old, lambda route: route.fulfill(body=still, content_type="text/html"))
        page.goto(old)
        assert page.url == old and page.locator("h1").inner_text() == "This page has moved"
        violations = Axe().run(page, options=WCAG_AA).response["violations"]
        assert [v["id"] for v in violations] == []


@pytest.mark.browser
def test_skip_link_and_visible_keyboard_focus(published: Published) -> None:
    with chromium() as browser:
        page = browser.new_page()
        page.goto(published.url)
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement; const r = e.getBoundingClientRect();
            const s = getComputedStyle(e); return {text: e.textContent, href: e.getAttribute('href'), top: r.top,
            visible: r.width > 1 && r.height > 1, outline: s.outlineStyle, width: s.outlineWidth}; }""")
        assert focused["text"] == "Skip to content" and focused["href"] == "#main"
        assert focused["visible"] and focused["top"] >= 0
        assert focused["outline"] != "none" and focused["width"] != "0px"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        landmarks = page.evaluate("""() => ['header', 'nav', 'main', 'footer', 'form[role=search]']
            .map(s => document.querySelectorAll(s).length)""")
        assert all(count >= 1 for count in landmarks), landmarks


def _claim_pages(site: Path) -> list[Path]:
    """Every claim page (the pages at old addresses only redirect)."""
    return [page for page in sorted((site / "claims").glob("*/index.html")) if not is_redirect(page)]


def test_claim_review_as_a_crawler_extracts_it(published: Published) -> None:
    claims = json.loads((published.site / "claims.json").read_text())["claims"]
    by_url = {c["claimReview"][0]["url"]: c for c in claims}
    assert len(_claim_pages(published.site)) == len(claims) >= 12
    for page in _claim_pages(published.site):
        url = published.url + str(page.parent.relative_to(published.site)) + "/"
        data = extruct.extract(page.read_text(), base_url=url, syntaxes=["json-ld"], uniform=True)["json-ld"]
        reviews = [d for d in data if d.get("@type") == "ClaimReview"]
        assert len(reviews) == 1, page
        review = reviews[0]
        record = by_url[url]
        # required by Google's fact-check guidance
        assert review["url"] == url == parse(page).xpath('//link[@rel="canonical"]/@href')[0]
        assert review["claimReviewed"] == record["text"]
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert rating["alternateName"] == record["claimReview"][0]["textualRating"]
        assert OUR_SCALE[rating["alternateName"]] == record["verdict"]["rating"]
        if record["verdict"]["rating"] is not None:
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
            assert (rating["worstRating"], rating["bestRating"]) == (1, 5)
        assert rating["ratingExplanation"] == record["summary"]
        # recommended
        desk = review["author"][0]  # the publisher first, then the staff who signed the check
        assert desk["@type"] == "Organization" and desk["name"] == "Example Fact Desk"
        assert [a["@type"] for a in review["author"][1:]] == ["Person"]
        assert review["datePublished"] == record["published"]
        assert date.fromisoformat(review["dateModified"]) >= date.fromisoformat(review["datePublished"])
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["datePublished"] == record["claimDate"]
        assert item["author"]["name"] == record["claimant"]
        appearances = [s for s in record["sources"] if s["role"] == "appearance"]
        if appearances:
            assert [a["headline"] for a in item["appearance"]] == [s["title"] for s in appearances]
            assert item["firstAppearance"]["headline"] in [s["title"] for s in appearances]


def test_appearance_is_the_first_source_with_a_url(built_minimal: Path) -> None:
    page = built_minimal / "claims/alice-said-sky-is-green/index.html"
    review = extruct.extract(page.read_text(), syntaxes=["json-ld"], uniform=True)["json-ld"][0]
    assert review["itemReviewed"]["appearance"][0]["url"] == "https://news.test/speech"
    assert review["itemReviewed"]["firstAppearance"]["url"] == "https://news.test/speech"


def test_person_pages_carry_schema_org_person(published: Published) -> None:
    for person in ("putin", "trump", "peskov", "zelenskyy"):
        page = published.site / "people" / person / "index.html"
        data = extruct.extract(page.read_text(), syntaxes=["json-ld"], uniform=True)["json-ld"]
        people = [d for d in data if d.get("@type") == "Person"]
        assert len(people) == 1 and people[0]["name"] and people[0]["url"].endswith(f"/people/{person}/")
    putin = extruct.extract((published.site / "people/putin/index.html").read_text(), syntaxes=["json-ld"])["json-ld"]
    assert putin[0]["sameAs"] == ["https://www.wikidata.org/wiki/Q7747"]


def test_every_feed_parses_with_complete_entries(published: Published) -> None:
    feeds = sorted(published.site.rglob("feed.xml"))
    people = len([p for p in (ROOT / "content" / "people").glob("*.md") if "." not in p.stem])  # not translations
    assert len(feeds) == 3 * (1 + people + 1)  # the site, each person, corrections: in each of our 3 languages
    scale = yaml.safe_load((ROOT / "content" / "site.yaml").read_text(encoding="utf-8"))["verdicts"]
    for feed in feeds:
        language = feed.relative_to(published.site).parts[0]
        labels = tuple(v["label"].get(language, v["label"]["en"]) for v in scale)  # a feed in its own language
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        assert parsed.feed.id and parsed.feed.updated_parsed and parsed.entries, feed
        for entry in parsed.entries:
            assert entry.id.startswith(published.url) and entry.link.startswith(published.url), feed
            assert entry.updated_parsed and entry.summary, feed
            if feed.parent.name != "corrections":
                assert entry.summary.startswith(labels), (feed, entry.summary)


def test_sitemap_follows_the_sitemaps_protocol(published: Published) -> None:
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    raw = (published.site / "sitemap.xml").read_bytes()
    assert len(raw) < 50_000_000
    root = lxml.etree.fromstring(raw)
    assert root.tag == f"{namespace}urlset"
    urls = list(root)
    assert 0 < len(urls) <= 50_000
    listed = set()
    used = {c["verdict"]["key"] for c in json.loads((published.site / "claims.json").read_text())["claims"]}
    for url in urls:
        assert url.tag == f"{namespace}url"
        children = [child.tag for child in url]
        location = url[0].text
        assert location.startswith(published.url) and 12 <= len(location) <= 2048
        listed.add(location)
        children = [tag for tag in children if tag.startswith(namespace)]  # not the xhtml:link alternates
        unused = re.fullmatch(re.escape(published.url) + r"(?:uk/|ru/)?verdicts/([a-z-]+)/", location)
        if unused and unused[1] not in used:  # a verdict no claim has yet: nothing on it ever changed
            assert children == [f"{namespace}loc"], children
            continue
        assert children == [f"{namespace}loc", f"{namespace}lastmod"], children
        lastmod = url[1].text
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod) and date.fromisoformat(lastmod)
    html_pages = {
        published.url + str(p.relative_to(published.site)).removesuffix("index.html")
        for p in pages(published.site)
        if p.name != "404.html"
    }
    assert listed == html_pages


@pytest.mark.slow
def test_no_broken_links_or_anchors_under_a_sub_path(published: Published, tmp_path: Path) -> None:
    links = check_links(published.url, tmp_path)
    assert links.problems == ""
    assert links.checked > 100


@pytest.mark.slow
def test_the_link_checker_can_fail(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site/index.html").write_text(
        '<!doctype html><html lang="en"><title>t</title><a href="missing.html">x</a><a href="other.html#nowhere">y</a>'
    )
    (tmp_path / "site/other.html").write_text('<!doctype html><html lang="en"><title>o</title><p id="here">o</p>')
    with serving(tmp_path) as url:
        result = linkchecker(url + "site/", tmp_path)
        links = check_links(url + "site/", tmp_path)
    assert result.returncode == 1
    assert "missing.html" in result.stdout and "nowhere" in result.stdout
    assert links.checked > 0 and "missing.html" in links.problems


@pytest.mark.browser
@pytest.mark.parametrize("published", ["search"], indirect=True)
def test_search_finds_claims_by_person_and_word(published: Published) -> None:
    assert (published.site / "pagefind/pagefind-ui.js").is_file()
    with chromium() as browser:
        page = browser.new_page()
        page.goto(published.url + "claims/putin-says-trump-wants-to-restore-relations/")
        box = page.locator("#site-search")
        box.fill("Peskov unreliable")
        box.press("Enter")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
        # the search box's visible label: the theme's words (data-label), set by search.js
        assert page.locator("label.search-label[for=search-query]").inner_text() == "Words to look for"
        titles = page.locator(".pagefind-ui__result-link").all_inner_texts()
        assert titles[0] == "Kremlin dismisses reports of secret congratulations as “unreliable”"
        hrefs = page.locator(".pagefind-ui__result-link").evaluate_all("links => links.map(a => a.href)")
        assert hrefs[0] == published.url + "claims/kremlin-calls-verstka-report-unreliable/index.html"
        # Pagefind's UI adds each filter as its data arrives: wait for both, then read them
        names = "() => [...document.querySelectorAll('.pagefind-ui__filter-name')].map(f => f.textContent.trim().toLowerCase())"
        page.wait_for_function(f"() => ({names})().length >= 2", timeout=15_000)
        assert {"person", "verdict"} <= set(page.evaluate(names))

        claims = json.loads((published.site / "claims.json").read_text())["claims"]
        count = "() => parseInt(document.querySelector('.pagefind-ui__message').textContent)"
        for name, value, matches in (
            (
                "person",
                "Volodymyr Zelenskyy",
                lambda c: "zelenskyy" in {c["person"]["slug"], *(p["slug"] for p in c["people"])},
            ),
            ("verdict", "Unverified", lambda c: c["verdict"]["label"] == "Unverified"),
        ):
            page.goto(published.url + "search/?q=Trump")
            page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
            unfiltered = page.evaluate(count)
            page.locator(".pagefind-ui__filter-name", has_text=name).click()
            page.locator(f'input.pagefind-ui__filter-checkbox[name="{name}"][value="{value}"]').check()
            page.wait_for_function(f"n => ({count})() < n", arg=unfiltered)
            expected = {c["claimReview"][0]["title"] for c in claims if matches(c)}
            shown = set(page.locator(".pagefind-ui__result-link").all_inner_texts())
            assert shown and shown <= expected, (name, shown - expected)


@pytest.mark.browser
@pytest.mark.parametrize("published", ["search"], indirect=True)
def test_search_results_name_the_speaker_and_show_the_verdict(published: Published) -> None:
    """Each result says who made the claim (claimant, else person: a report about Putin is not Putin's)
    and leads with its verdict badge, in the colour the scale gives it everywhere else."""
    claims = {c["slug"]: c for c in json.loads((published.site / "claims.json").read_text())["claims"]}
    with chromium() as browser:
        page = browser.new_page()
        page.goto(published.url + "search/?q=Putin")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
        results = page.locator(".pagefind-ui__result").all()
        assert len(results) >= 3
        for result in results:
            href = result.locator(".pagefind-ui__result-link").evaluate("a => a.href")
            slug = href.removesuffix("index.html").rstrip("/").rsplit("/", 1)[-1]
            speaker = result.locator(".result-speaker")
            assert " ".join(speaker.inner_text().split()) == claims[slug]["claimant"], slug
            badge = result.locator(".result-lead .badge")
            assert badge.inner_text() == claims[slug]["verdict"]["label"], slug
            claim_page = parse(published.site / "claims" / slug / "index.html")
            verdict = claim_page.xpath("//*[contains(@class, 'verdict-current')]/*[contains(@class, 'verdict-big')]")
            tone = [name for name in verdict[0].get("class").split() if name.startswith("tone-")]
            assert (badge.get_attribute("class") or "").split() == ["badge", *tone], slug  # the claim page's colour
            assert result.locator(".pagefind-ui__result-tag").count() == 0  # not repeated as Pagefind's tags


@pytest.mark.browser
@pytest.mark.parametrize("published", ["search"], indirect=True)
def test_search_excerpts_carry_no_screen_reader_only_text(published: Published) -> None:
    for page in (published.site / "claims").glob("*/index.html"):
        for hidden in parse(page).xpath("//*[@data-pagefind-body]//*[contains(@class, 'visually-hidden')]"):
            marked = hidden.xpath("ancestor-or-self::*[@data-pagefind-ignore]")
            assert marked, (page, hidden.text_content())  # left out of the index
    with chromium() as browser:
        page = browser.new_page()
        page.goto(published.url + "search/?q=check")  # the scale's "This check:" would lead every excerpt
        page.wait_for_selector(".pagefind-ui__result-excerpt", timeout=15_000)
        excerpts = page.locator(".pagefind-ui__result-excerpt").all_inner_texts()
        assert len(excerpts) >= 3
        assert [e for e in excerpts if "This check:" in e or "best first" in e or "Mostly true. Mixed." in e] == []


@pytest.mark.browser
@pytest.mark.parametrize("published", ["search"], indirect=True)
def test_search_lists_verdicts_in_the_scales_order_and_titles_as_links(published: Published) -> None:
    scale = list(OUR_SCALE)  # content/site.yaml's scale, best first
    with chromium() as browser:
        page = browser.new_page()
        page.goto(published.url + "search/?q=Trump")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
        page.locator(".pagefind-ui__filter-name", has_text="verdict").click()
        shown = page.evaluate("""() => [...document.querySelectorAll('input[name="verdict"]')]
            .map((box) => [box.getBoundingClientRect().top, box.value]).sort((a, b) => a[0] - b[0]).map((v) => v[1])""")
        assert len(shown) >= 3 and shown == [label for label in scale if label in shown]
        link = page.locator(".pagefind-ui__result-link").first
        style = link.evaluate("a => [getComputedStyle(a).textDecorationLine, getComputedStyle(a).color]")
        assert style[0] == "underline"  # the colour of every other link on the page
        assert style[1] == page.evaluate("() => getComputedStyle(document.querySelector('main .lead a, main a')).color")


@pytest.mark.browser
@pytest.mark.parametrize("published", ["search"], indirect=True)
def test_search_says_plainly_when_it_cannot_work(published: Published) -> None:
    """From the disk, or without JavaScript, the page says why there are no results instead of
    searching forever."""
    search_page = published.site / "search/index.html"
    with chromium() as browser:
        page = browser.new_page()
        page.goto(search_page.as_uri() + "?q=Putin")
        notice = page.locator("#search-unavailable")
        notice.wait_for(state="visible", timeout=10_000)
        assert "web server" in notice.inner_text()
        assert "Searching" not in page.locator("main").inner_text()
        context = browser.new_context(java_script_enabled=False)
        try:
            quiet = context.new_page()
            quiet.goto(published.url + "search/?q=Putin")
            text = quiet.locator("main").inner_text()
            assert "Search needs JavaScript" in text and "web server" not in text
        finally:
            context.close()


def test_open_graph_and_twitter_cards_on_every_page(published: Published) -> None:
    for page in pages(published.site):
        document = parse(page)
        meta = {m.get("property") or m.get("name"): m.get("content") for m in document.xpath("//meta")}
        for key in ("og:title", "og:description", "og:type", "og:image", "twitter:card", "twitter:image"):
            assert meta.get(key), (page, key)
        assert meta["twitter:card"] == "summary_large_image"
        image = meta["og:image"]
        assert image.startswith(published.url)
        assert (published.site / image.removeprefix(published.url)).is_file(), (page, image)


def test_each_claim_has_its_own_social_card(published: Published) -> None:
    """A 1200x630 PNG, the one kind of image every platform shows in a link preview, described in full."""
    claims = {c["slug"]: c for c in json.loads((published.site / "claims.json").read_text())["claims"]}
    cards = set()
    for slug, record in claims.items():
        card = published.site / "claims" / slug / "card.png"
        with Image.open(card) as image:
            assert (image.format, image.size) == ("PNG", (1200, 630))
        cards.add(card.read_bytes())
        document = parse(published.site / "claims" / slug / "index.html")
        meta = {m.get("property") or m.get("name"): m.get("content") for m in document.xpath("//meta")}
        assert meta["og:image"] == meta["twitter:image"] == f"{published.url}claims/{slug}/card.png"
        assert (meta["og:image:type"], meta["og:image:width"], meta["og:image:height"]) == ("image/png", "1200", "630")
        who = record["claimant"] or record["person"]["name"]
        alt = f"“{record['text']}” — {who}. Verdict: {record['verdict']['label']}."
        assert meta["og:image:alt"] == meta["twitter:image:alt"] == alt
    assert len(cards) == len(claims)
    home = {m.get("property"): m.get("content") for m in parse(published.site / "index.html").xpath("//meta")}
    assert home["og:image"] == f"{published.url}card.png"
    with Image.open(published.site / "card.png") as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))
    assert not list((published.site / "claims").rglob("*.svg")) and not (published.site / "card.svg").exists()
