"""Lists split into pages (``page_size`` in site.yaml): where the pages go, what each shows, how
they link to each other, and what the sitemap and the canonical links say about them.

A generated site of 150 claims with pages of 8 has every kind of list over several pages.
"""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import lxml.etree
import pytest

from bench.corpus import generate
from digest.build import Options, build, load_site
from digest.urls import MARKER

from .conftest import build_into, write
from .edits import copy_site, same_tree, warm_and_cold
from .html import broken_links, local_links, pages, parse, resolve_link

SIZE = 8
CLAIMS = 150


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(content, site): the generated content built with pages of SIZE, under a sub-path."""
    root = tmp_path_factory.mktemp("paged")
    content = generate(root / "content", CLAIMS)
    with (content / "site.yaml").open("a", encoding="utf-8") as site_yaml:
        site_yaml.write(f"page_size: {SIZE}\n")
    assert build_into(content, root / "site", "--no-search", "--no-cache") == 0
    return content, root / "site"


def _listed(page: Path) -> list[str]:
    """The claims a page lists, as the file names of their links (``claims/x/index.html`` → x), in order."""
    document = parse(page)
    links = document.xpath(
        '//main//*[@class="claim-item-title"]/a/@href | //main//ol[@class="timeline"]/li/a[not(@class)]/@href'
    )
    return [re.fullmatch(r"(?:\.\./)*claims/([^/]+)/index\.html", href).group(1) for href in links]  # type: ignore[union-attr]


def _target(site: Path, page: Path, href: str) -> Path:
    """The file a relative link of a page leads to."""
    found = resolve_link(site, page, href)
    assert found is not None, f"{page}: {href} is rooted"
    return found[0]


def _pages_of(site: Path, path: str) -> list[Path]:
    """Every page of a list, first at the list's own folder, then page/2/, page/3/... in order."""
    found = [site / path / "index.html"]
    while (following := site / path / f"page/{len(found) + 1}/index.html").is_file():
        found.append(following)
    return found


def test_every_list_is_split_at_page_size_and_lists_each_claim_once_in_order(paged: tuple[Path, Path]) -> None:
    content, site = paged
    model = load_site(Options(content=content)).site
    lists = {
        "timeline/": [slug for month in model.timeline for slug in month.claims],
        **{f"verdicts/{key}/": list(slugs) for key, slugs in model.claims_by_verdict.items()},
        **{f"tags/{slug}/": list(tag.claims) for slug, tag in model.tags.items()},
        **{f"outlets/{slug}/": list(outlet.claims) for slug, outlet in model.outlets.items()},
        **{f"people/{slug}/": [*model.claims_by_person[slug], *model.claims_mentioning[slug]] for slug in model.people},
    }
    long = [path for path, slugs in lists.items() if len(slugs) > 2 * SIZE]
    assert len(long) > 10 and "timeline/" in long
    for path, slugs in lists.items():
        files = _pages_of(site, path)
        assert len(files) == max(1, math.ceil(len(slugs) / SIZE)), path
        assert not (site / path / f"page/{len(files) + 1}").exists()
        for number, page in enumerate(files):
            assert _listed(page) == slugs[number * SIZE : (number + 1) * SIZE], page
    assert not (site / "verdicts/false/page/1").exists()  # page 1 is the list's own URL


def test_counts_and_the_scorecard_on_the_first_page_cover_the_whole_list(paged: tuple[Path, Path]) -> None:
    content, site = paged
    model = load_site(Options(content=content)).site
    false = len(model.claims_by_verdict["false"])
    assert false > SIZE
    first = parse(site / "verdicts/false/index.html")
    assert f"{false} checks." in first.text_content()
    slug = max(model.people, key=lambda s: len(model.claims_by_person[s]))
    own, mentions = len(model.claims_by_person[slug]), len(model.claims_mentioning[slug])
    assert own > SIZE
    person = parse(site / f"people/{slug}/index.html")
    caption = person.xpath('//figure[@class="scorecard"]/figcaption')[0].text_content()
    assert caption.endswith(f": {own} checks")
    assert f"{own} checks of claims" in person.xpath('//section[@id="claims"]/p[@class="count"]')[0].text_content()
    later = parse(site / f"people/{slug}/page/2/index.html")
    assert later.xpath('//figure[@class="scorecard"]') == []  # the scorecard is on the first page only
    counts = " ".join(p.text_content() for p in later.xpath('//p[@class="count"]'))
    assert f"{own} checks of claims" in counts or f"{mentions} checks of claims made by others" in counts


def test_the_pager_links_every_page_accessibly(paged: tuple[Path, Path]) -> None:
    _, site = paged
    files = _pages_of(site, "timeline/")
    assert len(files) >= 10
    for number, page in enumerate(files, start=1):
        navs = parse(page).xpath('//nav[@aria-label="Pages of this list"]')
        assert len(navs) == 1, page
        nav = navs[0]
        current = nav.xpath('.//a[@aria-current="page"]')
        assert [a.text_content() for a in current] == [f"Page {number}{number}"]  # hidden words, shown number
        assert _target(site, page, current[0].get("href")) == page
        previous, following = nav.xpath('.//a[@rel="prev"]'), nav.xpath('.//a[@rel="next"]')
        assert [_target(site, page, a.get("href")) for a in previous] == files[number - 2 : number - 1][-1:]
        assert [_target(site, page, a.get("href")) for a in following] == files[number : number + 1]
        numbered = {_target(site, page, a.get("href")) for a in nav.xpath(".//a[not(@rel)]")}
        assert {files[0], files[-1], page} <= numbered  # first, last and this one, with a gap between
    short = parse(site / "verdicts/index.html")  # the scale is not a list split into pages
    assert short.xpath('//nav[@aria-label="Pages of this list"]') == []


def test_later_pages_have_titles_of_their_own_and_a_canonical_to_themselves(paged: tuple[Path, Path]) -> None:
    _, site = paged
    titles: dict[str, Path] = {}
    for page in pages(site):
        document = parse(page)
        title = document.findtext(".//title")
        if page.name == "404.html" or "/claims/" in page.as_posix():
            continue
        assert title not in titles, f"{page} has the title of {titles[title]}"
        titles[title] = page
    page = parse(site / "outlets/outlet-bravo/page/2/index.html")
    assert page.findtext(".//title") == "Checks citing Outlet Bravo · Page 2 · Synthetic Digest"
    canonical = page.xpath('//link[@rel="canonical"]/@href')
    assert canonical == ["https://example.org/bench/outlets/outlet-bravo/page/2/"]


def test_the_sitemap_lists_every_page_of_every_list(paged: tuple[Path, Path]) -> None:
    _, site = paged
    tree = lxml.etree.parse(str(site / "sitemap.xml"))
    locations = set(tree.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}))
    later = {p for p in pages(site) if "/page/" in p.relative_to(site).as_posix()}
    assert len(later) > 50
    for page in later:
        assert "https://example.org/bench/" + page.relative_to(site).as_posix().removesuffix("index.html") in locations


def test_every_link_of_every_page_resolves_from_disk(paged: tuple[Path, Path]) -> None:
    """The crawl of test_build, over the paged site: relative links that work from file://, at a
    host's root and under any sub-path alike."""
    _, site = paged
    broken, checked = broken_links(site, "/bench/")
    assert broken == []
    assert checked > 10_000


def test_at_a_hosts_root_the_canonical_and_sitemap_follow_and_links_stay_relative(
    paged: tuple[Path, Path], tmp_path: Path
) -> None:
    content, site = paged
    out = tmp_path / "root"
    assert build_into(content, out, "--no-search", "--no-cache", "--base-url", "https://example.net") == 0
    page = out / "timeline/page/2/index.html"
    assert parse(page).xpath('//link[@rel="canonical"]/@href') == ["https://example.net/timeline/page/2/"]
    assert "<loc>https://example.net/timeline/page/2/</loc>" in (out / "sitemap.xml").read_text()
    assert local_links(parse(page)) == local_links(parse(site / "timeline/page/2/index.html"))


def test_a_shorter_list_leaves_no_stale_page_behind(paged: tuple[Path, Path], tmp_path: Path) -> None:
    content, _ = paged
    copy = shutil.copytree(content, tmp_path / "content")
    out = tmp_path / "site"
    assert build_into(copy, out, "--no-search") == 0
    last = _pages_of(out, "timeline/")[-1]
    assert last.parent.name == str(math.ceil(CLAIMS / SIZE))
    site_yaml = copy / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace(f"page_size: {SIZE}\n", f"page_size: {SIZE * 2}\n"))
    assert build_into(copy, out, "--no-search") == 0  # a warm build, from the cache
    assert len(_pages_of(out, "timeline/")) == math.ceil(CLAIMS / (SIZE * 2))
    assert not last.exists()
    clean = tmp_path / "clean"
    assert build_into(copy, clean, "--no-search", "--no-cache") == 0
    assert sorted(p.relative_to(out) for p in out.rglob("*.html")) == sorted(
        p.relative_to(clean) for p in clean.rglob("*.html")
    )


def test_small_lists_are_one_page_without_a_pager(built_minimal: Path) -> None:
    assert not list(built_minimal.rglob("page/2"))
    for page in pages(built_minimal):
        assert parse(page).xpath('//nav[@aria-label="Pages of this list"]') == [], page


@pytest.mark.browser
def test_from_disk_the_pager_walks_the_pages_and_axe_finds_nothing(paged: tuple[Path, Path]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from .browser import WCAG_AA, chromium

    _, site = paged
    with chromium() as browser:
        page = browser.new_page()
        page.goto((site / "timeline/page/2/index.html").as_uri())
        violations = Axe().run(page, options=WCAG_AA).response["violations"]
        assert [violation["id"] for violation in violations] == []
        page.get_by_role("navigation", name="Pages of this list").get_by_role("link", name="Next page").click()
        assert page.url == (site / "timeline/page/3/index.html").as_uri()
        assert page.title() == "Timeline · Page 3 · Synthetic Digest"
        page.get_by_role("link", name="Page 1", exact=True).click()
        assert page.url == (site / "timeline/index.html").as_uri()


def test_a_staff_members_checks_go_on_over_pages_written_first(scratch: Path, tmp_path: Path) -> None:
    site_yaml = scratch / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "page_size: 1\n")
    write(scratch / "staff/dana.md", "---\nname: Dana Example\nrole: Fact-checker\n---\nDana checks claims.\n")
    for name, byline in (
        ("bob-said-sky-is-blue.md", "authors: [dana]"),
        ("2024/alice-said-sky-is-green.md", "editors: [dana]"),
    ):
        claim = scratch / "claims" / name
        claim.write_text(claim.read_text().replace("\n---\n", f"\n{byline}\n---\n", 1))
    out = tmp_path / "site"
    assert build_into(scratch, out, "--no-search") == 0
    first, second = _pages_of(out, "staff/dana/")
    assert [h.text_content() for h in parse(first).xpath("//main//h2")][:1] == ["Checks by Dana Example"]
    assert _listed(first) == ["bob-said-sky-is-blue"]
    assert [h.text_content() for h in parse(second).xpath("//main//section/h2")] == ["Checks edited by Dana Example"]
    assert _listed(second) == ["alice-said-sky-is-green"]


_LISTS = ("timeline/", "verdicts/", "tags/", "outlets/", "people/")
"""Where the lists split into pages are."""


def _inodes(site: Path) -> dict[str, int]:
    """Every file of a built site (but digest's mark on the folder) → its inode: a warm build writes a
    file anew (a new inode) or keeps it."""
    files = {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    return {path: inode for path, inode in files.items() if path != MARKER}


def _warm_build(content: Path, out: Path, clean: Path, back: bool = False) -> set[str]:
    """Build warm into ``out`` (with the build cache) and clean into ``clean``: the files the warm build
    wrote, after checking that both sites are the same bytes and that the build counted what it wrote.
    ``back``: the content is again as it was the build before last, whose site the cache kept whole:
    the files that changed are taken from it, none written."""
    before = _inodes(out)
    result = build(Options(content=content, out=out, jobs=1, cache=True))
    after = _inodes(out)
    written = {path for path, inode in after.items() if before.get(path) != inode}
    assert result.written == (0 if back else len(written))
    shutil.rmtree(clean, ignore_errors=True)
    build(Options(content=content, out=clean, jobs=1))
    assert same_tree(out, clean) == []
    return written


@pytest.fixture
def warm(paged: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """(content, site): a copy of the paged content, built with the build cache twice (the second
    time from the first's spare: nothing written)."""
    content = shutil.copytree(paged[0], tmp_path / "content")
    out = tmp_path / "site"
    build(Options(content=content, out=out, jobs=1, cache=True))
    assert _warm_build(content, out, tmp_path / "clean") == set()
    return content, out


def _claim_file(content: Path, slug: str) -> Path:
    return next(content.glob(f"claims/*/{slug}.md"))


def test_a_title_edit_writes_only_the_pages_of_its_lists_that_list_it(warm: tuple[Path, Path], tmp_path: Path) -> None:
    content, out = warm
    slug = _listed(out / "timeline/page/3/index.html")[1]
    path = _claim_file(content, slug)
    path.write_text(path.read_text().replace('title: "', 'title: "Edited ', 1))
    written = _warm_build(content, out, tmp_path / "clean")
    assert {"timeline/page/3/index.html", f"claims/{slug}/index.html"} <= written
    assert [p for p in written if p.startswith("timeline/")] == ["timeline/page/3/index.html"]
    listing = [p for p in written if p.startswith(_LISTS) and p.endswith(".html")]
    assert len(listing) >= 4  # its verdict, its person, its tags, its outlets
    for page in listing:  # a list's pages that do not list it are kept, whatever the list
        assert slug in _listed(out / page), page
    assert f"claims/{slug}/card.png" not in written  # a card does not show the title: kept
    shown = {p for p in written if p.endswith(".html")} - {"index.html", f"claims/{slug}/index.html"}
    for page in shown:  # besides the home page (it shows the whole site), only pages that show the claim
        assert slug in (out / page).read_text(), page
    assert all(p.endswith((".html", ".xml", ".json")) for p in written)  # and the feeds, sitemap and exports
    assert len(written) == 14, sorted(written)


def test_a_claim_moved_between_pages_moves_the_others_on_those_pages_only(
    warm: tuple[Path, Path], tmp_path: Path
) -> None:
    content, out = warm
    timeline = _pages_of(out, "timeline/")
    assert len(timeline) > 8
    slug = _listed(timeline[5])[2]  # on page 6: made the oldest claim, it goes last on the last page
    path = _claim_file(content, slug)
    text = path.read_text()
    path.write_text(re.sub(r"^claim_date: .*$", "claim_date: 1999-01-01", text, count=1, flags=re.MULTILINE))
    written = _warm_build(content, out, tmp_path / "clean")
    assert _listed(timeline[-1])[-1] == slug
    moved = sorted(p for p in written if p.startswith("timeline/"))
    assert moved == sorted(p.relative_to(out).as_posix() for p in timeline[5:])  # pages 1 to 5 are as they were
    path.write_text(text)  # and back
    back = _warm_build(content, out, tmp_path / "clean", back=True)
    assert sorted(p for p in back if p.startswith("timeline/")) == moved


def _dates_shown(site: Path) -> dict[str, str]:
    """Every page of a site → the date its theme printed (``page.meta.lastmod``)."""
    found = {}
    for page in pages(site):
        shown = parse(page).xpath('//p[@class="lastmod"]/text()')
        found[page.relative_to(site).as_posix()] = shown[0] if shown else ""
    return found


def test_a_theme_that_prints_each_pages_date_gets_it_right_on_warm_builds(tmp_path: Path) -> None:
    """``page.meta.lastmod`` of the pages dated by the whole site (indexes, scale, staff, search, free
    pages) or by the latest correction follows on a warm build, though those pages show no claim."""
    content, theme = copy_site(tmp_path)
    base = theme / "templates/base.html"
    base.write_text(base.read_text().replace("<main", '<p class="lastmod">{{ page.meta.lastmod }}</p>\n<main', 1))
    (content / "claims/bob-scheduled.md").unlink()  # published in 2099: the site's last change
    write(content / "staff/dana.md", "---\nname: Dana Example\nrole: Fact-checker\n---\nDana checks claims.\n")
    bob, alice = content / "claims/bob-said-sky-is-blue.md", content / "claims/2024/alice-said-sky-is-green.md"
    corrected = 'tags: [sky, weather]\ncorrections:\n  - {date: 2024-01-05, type: update, note: "Sourced."}'
    bob.write_text(bob.read_text().replace("tags: [sky, weather]", corrected))
    assert warm_and_cold(content, theme, tmp_path).differences == []
    dates = _dates_shown(tmp_path / "warm")
    assert dates["people/index.html"] == dates["verdicts/index.html"] == "2024-01-07"
    assert dates["corrections/index.html"] == dates["corrections/page/2/index.html"] == "2024-01-07"

    bob.write_text(bob.read_text().replace("published: 2024-01-04", "published: 2024-01-04\nupdated: 2024-02-01"))
    assert warm_and_cold(content, theme, tmp_path).differences == []  # the site's last change moved
    dates = _dates_shown(tmp_path / "warm")
    for path in ("people/index.html", "tags/index.html", "outlets/index.html", "staff/index.html"):
        assert dates[path] == "2024-02-01", path
    assert dates["verdicts/index.html"] == dates["search/index.html"] == dates["about/index.html"] == "2024-02-01"

    alice.write_text(alice.read_text().replace("{date: 2024-01-06", "{date: 2024-01-08"))
    assert warm_and_cold(content, theme, tmp_path).differences == []  # the latest correction moved, alone
    assert _dates_shown(tmp_path / "warm")["corrections/page/2/index.html"] == "2024-01-08"


def test_a_renamed_person_or_member_of_the_staff_is_renamed_on_the_index_page_that_lists_them(
    warm: tuple[Path, Path], tmp_path: Path
) -> None:
    """An index's pages show names and roles (not only what the site's indexes hold): renaming a person
    or a member of the staff writes the index page that lists them again, and only that one."""
    content, out = warm
    for number in range(SIZE + 2):
        write(content / f"staff/member-{number:02}.md", f"---\nname: Member {number:02}\nrole: Checker\n---\nChecks.\n")
    _warm_build(content, out, tmp_path / "clean")
    assert len(_pages_of(out, "people/")) == 5 and len(_pages_of(out, "staff/")) == 2
    person = content / "people/person-09.md"  # the second person of the index's second page
    person.write_text(person.read_text().replace("name: Person 09\n", "name: Person 09 Jr.\n"))
    written = _warm_build(content, out, tmp_path / "clean")
    assert "Person 09 Jr." in (out / "people/page/2/index.html").read_text()
    assert {p for p in written if p.startswith("people/") and "person-" not in p} == {"people/page/2/index.html"}
    member = content / "staff/member-09.md"  # on the staff index's second page
    member.write_text(member.read_text().replace("role: Checker", "role: Editor").replace("Member 09", "Member 09 Sr."))
    written = _warm_build(content, out, tmp_path / "clean")
    assert "Member 09 Sr." in (page := (out / "staff/page/2/index.html").read_text()) and "Editor" in page
    assert {p for p in written if p.startswith("staff/") and "member-" not in p} == {"staff/page/2/index.html"}
