"""Old addresses keep working: a claim's ``aliases`` and a person's ``former_slugs`` become small
redirect pages, out of the sitemap, the search index and the data."""

from __future__ import annotations

import gzip
import json
import posixpath
import re
from pathlib import Path

from .conftest import build_into, write
from .html import parse, redirect_pages

WITHDRAWN = {
    "putin-congratulated-trump-in-sochi": "putin-says-trump-wants-to-restore-relations",
    "us-military-aid-to-ukraine-about-60-billion": "pentagon-announced-425-million-package",
    "zelenskyy-presented-victory-plan-to-both-campaigns": "zelenskyy-congratulated-trump-peace-through-strength",
}
"""The three withdrawn checks of docs/content-audit.md and the checks they were folded into."""


def _redirect(site: Path, path: str) -> tuple[str, str, str, str, str]:
    """(meta refresh delay, its target, canonical URL, plain link, robots) of the redirect page at a
    site path; each is on the page once."""
    document = parse(site / path / "index.html")
    (refresh,) = document.xpath('//meta[@http-equiv="refresh"]/@content')
    delay, _, target = refresh.partition("; url=")
    (canonical,) = document.xpath('//link[@rel="canonical"]/@href')
    (link,) = document.xpath("//main//a/@href")
    (robots,) = document.xpath('//meta[@name="robots"]/@content')
    return delay, target, canonical, link, robots


def _lands_on(site: Path, path: str, target: str) -> Path | None:
    """The file a relative link on the page at ``path`` opens from disk; None if it is not relative."""
    if target.startswith(("/", "http")):
        return None
    return (site / posixpath.normpath(posixpath.join(path, target))).resolve()


def test_withdrawn_addresses_lead_to_the_checks_they_were_folded_into(built_site: Path) -> None:
    for old, new in WITHDRAWN.items():
        path = f"claims/{old}/"
        delay, target, canonical, link, robots = _redirect(built_site, path)
        assert delay == "0"
        assert _lands_on(built_site, path, target) == (built_site / "claims" / new / "index.html").resolve()
        assert link == target
        assert canonical == f"https://example.org/digest/claims/{new}/"
        assert robots == "noindex"
        title = parse(built_site / "claims" / new / "index.html").xpath("//h1")[0].text_content().strip()
        assert title in parse(built_site / path / "index.html").xpath("//main")[0].text_content()
    assert len(redirect_pages(built_site)) == 3 * len(WITHDRAWN)  # in each of our three languages


def test_redirects_are_left_out_of_the_sitemap_and_the_data(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text()
    data = (built_site / "claims.json").read_text() + (built_site / "claimreview.json").read_text()
    feed = (built_site / "feed.xml").read_text()
    for old, new in WITHDRAWN.items():
        assert f"claims/{new}/" in sitemap
        assert old not in sitemap and old not in data and old not in feed
    assert {c["slug"] for c in json.loads((built_site / "claims.json").read_text())["claims"]}.isdisjoint(WITHDRAWN)


def test_redirects_are_left_out_of_the_search_index(searchable_site: Path) -> None:
    indexed = set()
    counted: dict[str, int] = {}
    listing = json.loads((searchable_site / "pagefind" / "bundles.json").read_text())["bundles"]
    for bundle in (name for names in listing.values() for name in names):
        shard = searchable_site / "pagefind" / bundle  # the index comes in shards (digest/search.py)
        for fragment in (shard / "fragment").glob("*.pf_fragment"):
            text = gzip.decompress(fragment.read_bytes()).decode()
            indexed.add(json.loads(text[text.index("{") :])["url"])
        for code, language in json.loads((shard / "pagefind-entry.json").read_text())["languages"].items():
            counted[code] = counted.get(code, 0) + language["page_count"]
    claims = {c["slug"] for c in json.loads((searchable_site / "claims.json").read_text())["claims"]}
    # every check is translated into both of our other languages, and each has its own index
    assert indexed == {f"/{f}claims/{slug}/index.html" for f in ("", "uk/", "ru/") for slug in claims}
    assert counted == dict.fromkeys(("en", "uk", "ru"), len(claims))


def test_a_person_keeps_old_addresses_under_a_sub_path(scratch: Path, tmp_path: Path, run) -> None:
    person = scratch / "people" / "bob.md"
    person.write_text(person.read_text().replace("name: Bob Example", "name: Bob Example\nformer_slugs: [robert]"))
    claim = scratch / "claims" / "bob-said-sky-is-blue.md"
    claim.write_text(claim.read_text().replace("tags: [sky, weather]", "tags: [sky, weather]\naliases: [bob-sky]"))
    write(
        scratch / "pages" / "links.md", "---\ntitle: Links\n---\n[Bob](/people/robert/) and [sky](/claims/bob-sky/)\n"
    )
    base = "https://example.org/some/sub/path/"
    result = run("build", "--content", "content", "--out", "site", "--no-search", "--base-url", base)
    assert result.code == 0, result.err
    assert [line for line in result.err.splitlines() if "warning" in line] == [
        "content/pages/links.md:4: warning: link '/claims/bob-sky/' leads to an old address, which redirects: "
        "write '/claims/bob-said-sky-is-blue/'",
        "content/pages/links.md:4: warning: link '/people/robert/' leads to an old address, which redirects: "
        "write '/people/bob/'",
    ]
    site = tmp_path / "site"
    for path, new in (("people/robert/", "people/bob/"), ("claims/bob-sky/", "claims/bob-said-sky-is-blue/")):
        delay, target, canonical, link, _ = _redirect(site, path)
        assert delay == "0"
        assert _lands_on(site, path, target) == (site / new / "index.html").resolve()
        assert canonical == base + new and link == target
        # served under the sub-path, the relative target resolves to the page's URL there
        assert posixpath.normpath(posixpath.join(f"/some/sub/path/{path}", target)) == f"/some/sub/path/{new}index.html"
    assert "robert" not in (site / "sitemap.xml").read_text() and "bob-sky" not in (site / "sitemap.xml").read_text()
    links = parse(site / "links" / "index.html").xpath("//main//a/@href")
    assert "../people/robert/index.html" in links  # the link works, through its redirect


def test_a_draft_makes_no_redirect_but_a_title_change_shows_on_a_warm_build(scratch: Path, tmp_path: Path) -> None:
    draft = scratch / "claims" / "bob-draft.md"
    draft.write_text(draft.read_text().replace("draft: true", "draft: true\naliases: [old-draft]"))
    claim = scratch / "claims" / "bob-said-sky-is-blue.md"
    claim.write_text(claim.read_text().replace("tags: [sky, weather]", "tags: [sky, weather]\naliases: [bob-sky]"))
    assert build_into(scratch, tmp_path / "site", "--no-search") == 0
    assert not (tmp_path / "site" / "claims" / "old-draft").exists()
    claim.write_text(claim.read_text().replace('title: "Bob said the sky is blue"', 'title: "Bob: the sky is blue"'))
    assert build_into(scratch, tmp_path / "site", "--no-search") == 0
    assert "Bob: the sky is blue" in (tmp_path / "site" / "claims" / "bob-sky" / "index.html").read_text()
    claim.write_text(re.sub(r"aliases: \[bob-sky\]", "aliases: [bob-blue]", claim.read_text()))
    assert build_into(scratch, tmp_path / "site", "--no-search") == 0
    assert not (tmp_path / "site" / "claims" / "bob-sky").exists()
    assert (tmp_path / "site" / "claims" / "bob-blue" / "index.html").is_file()
