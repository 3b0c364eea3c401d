"""Integration: build content/ and the minimal site, and assert on the files and the HTML."""

from __future__ import annotations

import gc
import json
import os
from datetime import date
from pathlib import Path

import feedparser
import lxml.etree
import pytest

from digest.build import Options, build
from digest.errors import ContentError

from .conftest import MINIMAL, OUR_SCALE, ROOT, build_into, snapshot, write
from .edits import same_tree
from .html import broken_links, ids, json_ld, local_links, pages, parse, resolve_link

CLAIMS = sorted(p.stem for p in (ROOT / "content" / "claims").rglob("*.md") if "." not in p.stem)  # not translations
VERDICT_KEYS = {"true", "mostly-true", "mixed", "mostly-false", "false", "unverified", "not-rated"}
PEOPLE = sorted(p.stem for p in (ROOT / "content" / "people").glob("*.md") if "." not in p.stem)
FOLDERS = ("", "uk/", "ru/")
"""Where each language of our content is served: English at the root, the others under /<code>/."""


def folder_of(site: Path, page: Path) -> str:
    """The language folder a built page is in: "" for the first language's, "uk/" for a Ukrainian page."""
    first = page.relative_to(site).parts[0] + "/"
    return first if first in FOLDERS else ""


def test_every_page_of_the_table_exists(built_site: Path) -> None:
    expected = [
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "feed.xml",
        "corrections/feed.xml",
        "claims.json",
        "claimreview.json",
        "verdicts/index.html",
        "corrections/index.html",
        "timeline/index.html",
        "people/index.html",
        "tags/index.html",
        "outlets/index.html",
        "about/index.html",
        "methodology/index.html",
        "corrections-policy/index.html",
        "static/style.css",
    ]
    expected += [f"claims/{slug}/index.html" for slug in CLAIMS]
    expected += [f"people/{slug}/index.html" for slug in PEOPLE]
    expected += [f"people/{slug}/feed.xml" for slug in PEOPLE]
    expected += [f"verdicts/{key}/index.html" for key in VERDICT_KEYS]
    expected += ["tags/us-election-2024/index.html", "outlets/the-kyiv-independent/index.html"]
    missing = [path for path in expected if not (built_site / path).is_file()]
    assert missing == []


def test_real_content_has_enough_claims() -> None:
    assert len(CLAIMS) >= 12
    assert {"peskov", "putin", "trump", "zelenskyy", "verstka"} <= set(PEOPLE)


@pytest.mark.parametrize("fixture", ["built_site", "built_minimal"])
def test_every_internal_link_resolves(fixture: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(fixture)
    broken, checked = broken_links(site, "/digest/" if fixture == "built_site" else "/sub/path/")
    assert broken == []
    assert checked > 100


def test_links_are_relative_except_404(built_site: Path) -> None:
    for page in pages(built_site):
        if page == built_site / "404.html":
            continue
        rooted = [link for link in local_links(parse(page)) if link.startswith("/")]
        assert rooted == [], page


def test_404_links_are_rooted_at_base_path(built_site: Path) -> None:
    links = local_links(parse(built_site / "404.html"))
    assert links and all(link.startswith("/digest/") or link.startswith("#") for link in links)


def test_claim_review_on_every_claim_page(built_site: Path) -> None:
    scale = OUR_SCALE
    for slug in CLAIMS:
        document = parse(built_site / "claims" / slug / "index.html")
        reviews = json_ld(document)
        assert len(reviews) == 1, slug
        review = reviews[0]
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["url"] == f"https://example.org/digest/claims/{slug}/"
        canonical = document.xpath('//link[@rel="canonical"]/@href')
        assert canonical == [review["url"]]
        date.fromisoformat(review["datePublished"])
        assert review["dateModified"] >= review["datePublished"]
        assert review["claimReviewed"]
        desk = {"@type": "Organization", "name": "Example Fact Desk", "url": "https://example.org/"}
        assert review["author"] == [
            desk,
            {
                "@type": "Person",
                "name": "Example Fact Desk editorial team",
                "jobTitle": "Editorial team",
                "url": "https://example.org/digest/staff/editorial-team/",
                "worksFor": desk,
            },
        ]
        rating = review["reviewRating"]
        assert rating["alternateName"] in scale
        assert rating["ratingExplanation"]
        if scale[rating["alternateName"]] is None:
            assert "ratingValue" not in rating and "bestRating" not in rating
        else:
            assert rating["ratingValue"] == scale[rating["alternateName"]]
            assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        date.fromisoformat(item["datePublished"])
        assert item["author"]["name"]
        assert set(review) == {
            "@context",
            "@type",
            "url",
            "datePublished",
            "dateModified",
            "claimReviewed",
            "author",
            "reviewRating",
            "itemReviewed",
            "inLanguage",  # our content is in three languages: each review says which it is in
        }
        assert review["inLanguage"] == "en", slug


def test_claim_review_details(built_site: Path) -> None:
    review = json_ld(parse(built_site / "claims/peskov-knew-of-no-plans-to-congratulate/index.html"))[0]
    assert review["dateModified"] == "2026-12-01"  # its latest correction: the headline's clarification
    assert review["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "Dmitry Peskov",
        "jobTitle": "Kremlin spokesperson",
        "url": "https://example.org/digest/people/peskov/",
    }
    assert review["itemReviewed"]["firstAppearance"]["publisher"]["name"] == "The Kyiv Independent"
    claimant = json_ld(parse(built_site / "claims/putin-congratulated-trump-through-acquaintances/index.html"))[0]
    assert claimant["itemReviewed"]["author"]["name"] == "Verstka, as relayed by The Kyiv Independent"


def test_no_claim_review_on_lists(built_site: Path) -> None:
    for page in pages(built_site):
        if page.parent.parent.name == "claims":
            continue
        reviews = [r for r in json_ld(parse(page)) if r.get("@type") == "ClaimReview"]
        assert reviews == [], page


def test_person_page_has_person_schema(built_site: Path) -> None:
    data = json_ld(parse(built_site / "people/putin/index.html"))
    assert data == [
        {
            "@context": "https://schema.org",
            "@type": "Person",
            "name": "Vladimir Putin",
            "jobTitle": "President of Russia",
            "sameAs": ["https://www.wikidata.org/wiki/Q7747"],
            "url": "https://example.org/digest/people/putin/",
        }
    ]


@pytest.mark.parametrize("feed", ["feed.xml", "people/putin/feed.xml", "corrections/feed.xml"])
def test_feeds_parse(built_site: Path, feed: str) -> None:
    parsed = feedparser.parse((built_site / feed).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries
    for entry in parsed.entries:
        assert entry.id.startswith("https://example.org/digest/claims/")
        assert entry.link.startswith("https://example.org/digest/claims/")
        assert entry.updated_parsed
        assert entry.summary


def test_site_feed_summaries_lead_with_verdict_and_speaker(built_site: Path) -> None:
    parsed = feedparser.parse((built_site / "feed.xml").read_bytes())
    entry = next(e for e in parsed.entries if e.id.endswith("/peskov-knew-of-no-plans-to-congratulate/"))
    assert entry.summary.startswith("Unverified (claim by Dmitry Peskov): ")


def test_sitemap_lists_every_page(built_site: Path) -> None:
    tree = lxml.etree.parse(str(built_site / "sitemap.xml"))
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = tree.xpath("//s:url/s:loc/text()", namespaces=namespace)
    assert all(loc.startswith("https://example.org/digest/") for loc in locations)
    html_pages = {
        "https://example.org/digest/" + str(p.relative_to(built_site)).removesuffix("index.html")
        for p in pages(built_site)
        if p.name != "404.html"
    }
    assert set(locations) == html_pages
    # Only the page of a verdict no claim has yet goes without a date: nothing on it ever changed.
    undated = set(tree.xpath("//s:url[not(s:lastmod)]/s:loc/text()", namespaces=namespace))
    used = {c["verdict"]["key"] for c in json.loads((built_site / "claims.json").read_text())["claims"]}
    assert undated == {f"https://example.org/digest/{f}verdicts/{key}/" for f in FOLDERS for key in VERDICT_KEYS - used}


def test_claim_page_links_everything(built_site: Path) -> None:
    page = built_site / "claims/putin-congratulated-trump-through-acquaintances/index.html"
    links = set(local_links(parse(page)))
    assert {
        "../../people/putin/index.html",
        "../../people/trump/index.html",
        "../../people/peskov/index.html",
        "../../people/verstka/index.html",
        "../../verdicts/unverified/index.html",
        "../../verdicts/index.html#unverified",
        "../../tags/us-election-2024/index.html",
        "../../outlets/the-kyiv-independent/index.html",
        "../../claims/russian-officials-congratulated-trump-informally/index.html",
        "../../claims/kremlin-calls-verstka-report-unreliable/index.html",
    } <= links


def test_related_and_contradicts_show_on_both_pages(built_site: Path) -> None:
    text = (built_site / "claims/putin-congratulated-trump-through-acquaintances/index.html").read_text()
    assert "Contradicted by" in text and "kremlin-calls-verstka-report-unreliable" in text
    other = (built_site / "claims/kremlin-calls-verstka-report-unreliable/index.html").read_text()
    assert "Contradicts" in other and "putin-congratulated-trump-through-acquaintances" in other
    # related is declared only in the debt check's file, and shows on the other page too
    assert (
        "pentagon-announced-425-million-package"
        in (built_site / "claims/biden-administration-moves-to-cancel-ukraine-debt/index.html").read_text()
    )
    assert (
        "biden-administration-moves-to-cancel-ukraine-debt"
        in (built_site / "claims/pentagon-announced-425-million-package/index.html").read_text()
    )


def test_person_page_lists_own_claims_then_those_that_mention_them(built_minimal: Path) -> None:
    document = parse(built_minimal / "people/bob/index.html")
    assert document.xpath('//section[@id="claims"]//h3/a/text()') == ["Bob said the sky is blue"]
    assert document.xpath('//section[@id="mentions"]//h3/a/text()') == ["Alice said the sky is green"]
    assert document.xpath('//h2[@id="mentions-heading"]/text()') == ["Checks that mention Bob Example"]
    assert not parse(built_minimal / "people/alice/index.html").xpath('//section[@id="mentions"]')
    counts = dict(
        zip(
            document.xpath('//table[@class="scorecard-table"]//th[@scope="row"]//a/text()'),
            document.xpath('//table[@class="scorecard-table"]//td/text()'),
            strict=True,
        )
    )
    assert counts["True"] == "1" and counts["False"] == "0" and counts["Mixed"] == "0"  # Alice's claim is hers


def test_verdict_badge_is_text_and_links_to_scale(built_site: Path) -> None:
    for page in pages(built_site):
        for badge in parse(page).xpath('//a[contains(concat(" ", @class, " "), " badge ")]'):
            assert badge.text_content().strip(), page
            resolved = resolve_link(built_site, page, badge.get("href"))
            scale = built_site / folder_of(built_site, page) / "verdicts/index.html"  # in the page's language
            assert resolved is not None and resolved[0] == scale, page
            assert resolved[1], page  # the verdict's own entry on the scale


def test_scale_page_explains_every_verdict(built_site: Path) -> None:
    document = parse(built_site / "verdicts/index.html")
    assert ids(document) >= {"true", "mostly-true", "mixed", "mostly-false", "false", "unverified"}
    assert "Neither confirmed nor refuted" in document.text_content()


def test_home_page(built_site: Path) -> None:
    document = parse(built_site / "index.html")
    text = document.text_content()
    assert "Latest checks" in text and "People" in text and "The scale" in text
    assert len(document.xpath('//ul[@class="claim-list"]/li')) == len(CLAIMS)
    assert len(document.xpath('//figure[@class="scorecard"]')) == len(PEOPLE)


def test_no_javascript_needed(searchable_site: Path) -> None:
    built_site = searchable_site  # the search page's scripts come with the index
    for page in pages(built_site):
        if page.is_relative_to(built_site / "pagefind"):
            continue
        scripts = parse(page).xpath("//script")
        folder = folder_of(built_site, page)
        if page == built_site / folder / "search/index.html":  # search needs JavaScript; the page says so without
            up = "../" * (1 + folder.count("/"))
            assert [s.get("src") for s in scripts] == [f"{up}pagefind/pagefind-ui.js", f"{up}static/search.js"]
            assert parse(page).xpath("//noscript")
            continue
        assert all(s.get("type") == "application/ld+json" for s in scripts), page


def test_open_graph_and_canonical_are_absolute(built_site: Path) -> None:
    for page in pages(built_site):
        if page.name == "404.html":
            continue
        document = parse(page)
        url = document.xpath('//meta[@property="og:url"]/@content')
        assert url and url[0].startswith("https://example.org/digest/"), page
        assert document.xpath('//link[@rel="canonical"]/@href') == url


def test_drafts_and_scheduled_are_skipped(built_minimal: Path, run, tmp_path: Path) -> None:
    assert not (built_minimal / "claims/bob-draft").exists()
    assert not (built_minimal / "claims/bob-scheduled").exists()
    result = run("build", "--content", str(MINIMAL), "--out", str(tmp_path / "out"))
    assert result.code == 0
    assert f"{MINIMAL}/claims/bob-draft.md: skipped: draft (build --drafts to include it)" in result.err
    assert f"{MINIMAL}/claims/bob-scheduled.md: skipped: scheduled for 2099-01-01" in result.err
    with_drafts = run("build", "--content", str(MINIMAL), "--out", str(tmp_path / "drafts"), "--drafts")
    assert with_drafts.code == 0
    assert "Draft" in (tmp_path / "drafts/claims/bob-draft/index.html").read_text()
    assert (tmp_path / "drafts/claims/bob-scheduled/index.html").is_file()


def test_two_builds_give_the_same_bytes(tmp_path: Path) -> None:
    # Pagefind's index is left out: its filter and metadata files are not byte-stable between runs
    # (a known limitation of Pagefind, its issue #638); everything the generator writes is.
    assert build_into(ROOT / "content", tmp_path / "one") == 0
    assert build_into(ROOT / "content", tmp_path / "two", "--no-cache") == 0  # every card made again
    differences = same_tree(tmp_path / "one", tmp_path / "two")
    assert [path for path in differences if not path.startswith("pagefind/")] == []
    assert (tmp_path / "one/pagefind").is_dir() and (tmp_path / "two/pagefind").is_dir()


def test_rebuild_removes_stale_pages_and_writes_nothing_else(scratch: Path, tmp_path: Path) -> None:
    assert build_into(scratch, tmp_path / "site") == 0
    (scratch / "claims/bob-said-sky-is-blue.md").unlink()
    text = (scratch / "claims/2024/alice-said-sky-is-green.md").read_text()
    text = text.replace("related: [bob-said-sky-is-blue]\ncontradicts: [bob-said-sky-is-blue]\n", "")
    (scratch / "claims/2024/alice-said-sky-is-green.md").write_text(text)
    assert build_into(scratch, tmp_path / "site") == 0
    assert not (tmp_path / "site/claims/bob-said-sky-is-blue").exists()
    assert not (tmp_path / "site/tags/weather").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_failed_build_leaves_previous_output(scratch: Path, tmp_path: Path, run) -> None:
    assert build_into(scratch, tmp_path / "site") == 0
    before = snapshot(tmp_path / "site")
    write(scratch / "claims/bad.md", "---\ntitle: x\n---\n")
    result = run("build", "--content", "content", "--out", "site")
    assert result.code == 1
    assert result.err.startswith("content/claims/bad.md:1: the front matter of a claim is missing the required field")
    after = snapshot(tmp_path / "site")
    assert after == before


def test_hard_links_unchanged_files(scratch: Path, tmp_path: Path) -> None:
    options = Options(content=scratch, content_shown="content", out=tmp_path / "site")
    first = build(options)
    assert first.written == first.files
    inode = os.stat(tmp_path / "site/people/alice/index.html").st_ino
    second = build(options)
    assert second.written == 0
    assert os.stat(tmp_path / "site/people/alice/index.html").st_ino == inode


def test_a_build_leaves_nothing_frozen_for_the_collector(scratch: Path, tmp_path: Path) -> None:
    """A build freezes what lives all build long (the records, the site), so that collections and its
    forked workers skip it; a process that goes on (a script, the tests) gets it back, failed or not."""
    options = Options(content=scratch, content_shown="content", out=tmp_path / "site")
    gc.unfreeze()
    build(options)
    assert gc.get_freeze_count() == 0
    write(scratch / "claims/bad.md", "---\ntitle: x\n---\n")
    with pytest.raises(ContentError):
        build(options)
    assert gc.get_freeze_count() == 0


def test_claims_json_reads_back(built_site: Path) -> None:
    data = json.loads((built_site / "claims.json").read_text())
    assert [c["slug"] for c in data["claims"]] and len(data["claims"]) == len(CLAIMS)
    record = next(c for c in data["claims"] if c["slug"] == "peskov-knew-of-no-plans-to-congratulate")
    assert record["claimReview"][0]["textualRating"] == "Unverified"
    assert record["claimant"] == "Dmitry Peskov"
    assert [(c["type"], c.get("from")) for c in record["corrections"]] == [("clarification", None), ("rating-change", "false")]
    reviews = json.loads((built_site / "claimreview.json").read_text())
    assert len(reviews) == len(CLAIMS) and all(r["@type"] == "ClaimReview" for r in reviews)
