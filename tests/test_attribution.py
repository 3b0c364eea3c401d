"""Who said what: a scorecard counts only the claims a person made (``person``), the checks that
merely mention them (``people``) are listed apart, and every list names the speaker of each claim.

Expectations come from the content files themselves (front matter read with PyYAML), not from
the generator's own indexes, so a bug in those cannot hide here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import feedparser
import lxml.html
import pytest
import yaml

from .conftest import ROOT, build_into, write
from .edits import same_tree
from .html import pages, parse, resolve_link


@dataclass(frozen=True)
class Expected:
    """One published claim as its file states it."""

    slug: str
    person: str
    people: tuple[str, ...]
    speaker: str
    """Its claimant, else its person's name."""
    verdict: str


def _front(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8-sig")
    match = re.match(r"---\r?\n(.*?)\r?\n---", text, re.DOTALL)
    assert match, path
    front = yaml.safe_load(match.group(1))
    assert isinstance(front, dict), path
    return front


def expected_claims(content: Path, site: Path) -> dict[str, Expected]:
    """Every claim of a content folder that the built site published, with its speaker."""
    names = {p.stem: str(_front(p)["name"]) for p in (content / "people").glob("*.md") if p.stem.count(".") == 0}
    claims = {}
    for path in sorted((content / "claims").rglob("*.md")):
        if "." in path.stem or not (site / "claims" / path.stem / "index.html").is_file():
            continue  # a translation, a draft or a scheduled check
        front = _front(path)
        person = str(front["person"])
        people = tuple(str(p) for p in front.get("people") or ())  # type: ignore[attr-defined]
        claimant = front.get("claimant")
        verdict = front["verdict"]
        verdict = {True: "true", False: "false"}.get(verdict, verdict)  # type: ignore[call-overload]
        claims[path.stem] = Expected(path.stem, person, people, str(claimant or names[person]), str(verdict))
    assert claims
    return claims


def _slug_in(folder: str, site: Path, page: Path, href: str) -> str | None:
    """The slug of the page under ``folder`` (``claims``, ``people``) a link leads to, if it leads to one."""
    resolved = resolve_link(site, page, href)
    parts = resolved[0].relative_to(site).parts if resolved and resolved[0].is_relative_to(site) else ()
    return parts[1] if len(parts) == 3 and parts[0] == folder and parts[2] == "index.html" else None


def _claim_slug(site: Path, page: Path, href: str) -> str | None:
    return _slug_in("claims", site, page, href)


def _person_slug(site: Path, page: Path, href: str) -> str | None:
    return _slug_in("people", site, page, href)


def _listed(site: Path, page: Path, element: lxml.html.HtmlElement) -> list[str]:
    """The slugs of the claims listed (linked from a list item) inside an element, in order; an item
    that links to more than one claim is there as ``<one item: slug, slug>``, which no list expects."""
    slugs = []
    for item in element.xpath(".//li"):
        linked = sorted({_claim_slug(site, page, href) for href in item.xpath("./a/@href | ./*/a/@href")} - {None})
        slugs += linked if len(linked) <= 1 else [f"<one item: {', '.join(linked)}>"]  # type: ignore[arg-type]
    return slugs  # type: ignore[return-value]


def _scorecard(figure: lxml.html.HtmlElement) -> tuple[int | str, Counter[str]]:
    """The total a scorecard states in its caption (the caption itself if it states none), and its
    count for each verdict label."""
    caption = " ".join(figure.xpath("figcaption")[0].text_content().split())
    total = re.search(r": (\d+) checks?$", caption)
    counts: Counter[str] = Counter()
    for row in figure.xpath('.//table[@class="scorecard-table"]/tbody/tr'):
        counts[row.xpath("th")[0].text_content().strip()] = int(row.xpath("td")[0].text_content())
    return int(total.group(1)) if total else caption, counts


def _labels(content: Path) -> dict[str, str]:
    config = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    scale = config.get("verdicts") or [
        {"key": k, "label": v}
        for k, v in (
            ("true", "True"),
            ("mostly-true", "Mostly true"),
            ("mixed", "Mixed"),
            ("mostly-false", "Mostly false"),
            ("false", "False"),
            ("unverified", "Unverified"),
        )
    ]
    return {str({True: "true", False: "false"}.get(v["key"], v["key"])): _first(v["label"]) for v in scale}


def _first(label: str | dict[str, str]) -> str:
    """A label as the site's first language words it (site.yaml may word it per language)."""
    return label if isinstance(label, str) else next(iter(label.values()))


def scorecard_errors(content: Path, site: Path) -> list[str]:
    """How the scorecards (person pages and home page) differ from the claims whose person is them,
    by verdict, and the person pages' lists from those claims and the others that name them apart:
    empty when each counts and lists exactly those."""
    claims = expected_claims(content, site)
    labels = _labels(content)
    people = sorted(p.stem for p in (content / "people").glob("*.md") if "." not in p.stem)
    errors = []

    def differ(what: str, found: object, expected: object) -> None:
        if found != expected:
            errors.append(f"{what}: {found!r}, expected {expected!r}")

    def own_counts(slug: str) -> Counter[str]:
        counts = Counter(labels[c.verdict] for c in claims.values() if c.person == slug)
        return Counter({label: counts[label] for label in labels.values()})

    home = site / "index.html"
    cards = {}
    for card in parse(home).xpath('//li[@class="person-card"]'):
        slug = _person_slug(site, home, card.xpath(".//h3/a/@href")[0])
        cards[slug] = _scorecard(card.xpath('.//figure[@class="scorecard"]')[0])
    differ("the home page's cards", sorted(cards, key=str), people)
    index = parse(site / "people/index.html")
    for slug in people:
        own = [c.slug for c in claims.values() if c.person == slug]
        mentioning = [c.slug for c in claims.values() if slug in c.people and c.person != slug]
        expected = (len(own), own_counts(slug))
        page = site / "people" / slug / "index.html"
        document = parse(page)
        differ(f"{slug}: scorecard", _scorecard(document.xpath('//section[@id="scorecard"]//figure')[0]), expected)
        differ(f"{slug}: home page card", cards.get(slug), expected)
        differ(
            f"{slug}: own claims",
            sorted(_listed(site, page, document.xpath('//section[@id="claims"]')[0])),
            sorted(own),
        )
        section = document.xpath('//section[@id="mentions"]')
        differ(f"{slug}: mentions", sorted(_listed(site, page, section[0]) if section else []), sorted(mentioning))
        if section:
            count = " ".join(section[0].xpath('p[@class="count"]')[0].text_content().split())
            wanted = f"{len(mentioning)} check{'s' if len(mentioning) != 1 else ''} "
            if not count.startswith(wanted):
                errors.append(f"{slug}: mentions counted as {count!r}, expected {wanted!r}...")
        entries = [
            " ".join(li.text_content().split())
            for li in index.xpath("//main//li")
            if _person_slug(site, site / "people/index.html", li[0].get("href")) == slug
        ]
        plural = "s" if len(own) != 1 else ""
        wanted = f"({len(own)} own claim{plural} checked · mentioned in {len(mentioning)} other"
        if len(entries) != 1 or wanted not in entries[0]:
            errors.append(f"{slug}: people index entries {entries!r}, expected one with {wanted!r}")
    return errors


def speaker_errors(content: Path, site: Path) -> tuple[list[str], int]:
    """How the list items that link to a claim, in every page, fail to show that claim's speaker
    linked to the speaker's (the claim's person's) page: empty when none fails; and how many items
    were checked."""
    claims = expected_claims(content, site)
    errors = []
    checked = 0
    for page in pages(site):
        if page.is_relative_to(site / "pagefind") or page.name != "index.html":
            continue
        main = parse(page).xpath("//main")
        if not main:
            continue
        for item in main[0].xpath(".//li"):
            linked = {_claim_slug(site, page, href) for href in item.xpath(".//a/@href")} - {None}
            if not linked:
                continue
            checked += 1
            where = f"{page.relative_to(site)}: {lxml.html.tostring(item)!r}"
            if len(linked) != 1:
                errors.append(f"{where}: links to {len(linked)} claims")
                continue
            claim = claims[linked.pop()]  # type: ignore[index]
            speakers = item.xpath('.//*[contains(concat(" ", @class, " "), " claim-item-speaker ")]')
            if len(speakers) != 1:
                errors.append(f"{where}: {len(speakers)} speakers")
                continue
            links = speakers[0].xpath("descendant-or-self::a")
            if [a.text_content() for a in links] != [claim.speaker]:
                errors.append(f"{where}: speaker links {[a.text_content() for a in links]}, expected {claim.speaker!r}")
            elif _person_slug(site, page, links[0].get("href")) != claim.person:
                errors.append(f"{where}: the speaker links to {links[0].get('href')}, not to {claim.person}")
    return errors, checked


def feed_errors(content: Path, site: Path) -> list[str]:
    """The Atom entries that do not name the speaker of their claim, and the persons' feeds that hold
    more than their own claims: empty when none."""
    claims = expected_claims(content, site)
    errors = []
    languages = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8")).get("languages") or []
    others = {f"{code}/" for code in languages[1:]}
    for feed in sorted(site.rglob("feed.xml")):
        where = feed.relative_to(site)
        if where.parts[0] + "/" in others:
            continue  # a feed in another language words the speaker from its own catalog
        parsed = feedparser.parse(feed.read_bytes())
        if parsed.bozo or not parsed.entries:
            errors.append(f"{where}: does not parse, or has no entry")
        slugs = []
        for entry in parsed.entries:
            slug = entry.link.split("#")[0].rstrip("/").rsplit("/", 1)[-1]
            speaker = claims[slug].speaker
            wanted = f"On the claim by {speaker}: " if feed.parent.name == "corrections" else f" (claim by {speaker}): "
            if wanted not in entry.summary:
                errors.append(f"{where}: {entry.summary!r} does not say {wanted!r}")
            slugs.append(slug)
        if feed.parent.parent.name == "people":
            own = sorted(c.slug for c in claims.values() if c.person == feed.parent.name)
            if sorted(slugs) != own[: len(slugs)] or len(slugs) != min(len(own), 50):
                errors.append(f"{where}: entries {sorted(slugs)}, expected the person's own {own}")
    return errors


SCRATCH = {
    "site.yaml": "title: T\nbase_url: https://e.org/sub/\npublisher: {name: P}\n",
    "people/ann.md": "---\nname: Ann Able\nrole: Mayor\n---\n",
    "people/bob.md": "---\nname: Bob Baker\n---\n",
    "people/daily.md": "---\nname: The Daily\nrole: A newspaper\n---\n",
}


def _claim(slug: str, person: str, verdict: str, day: int, people: str = "[]", extra: str = "") -> str:
    return f"""---
title: "Check {slug}"
claim: "Claim {slug}."
person: {person}
people: {people}
claim_date: 2024-01-{day:02}
published: 2024-02-{day:02}
verdict: {verdict}
summary: "Summary of {slug}."
sources:
  - {{title: "Report", outlet: "The Daily"}}
related: [{"ann-own-false" if slug == "ann-own-true" else "ann-own-true"}]
tags: [town]
{extra}---
Analysis.
"""


SCRATCH_CLAIMS = {
    "ann-own-true": _claim(
        "ann-own-true", "ann", "true", 1, extra='corrections:\n  - {date: 2024-02-09, type: update, note: "More."}\n'
    ),
    "ann-own-false": _claim("ann-own-false", "ann", "false", 2, "[bob]"),
    "daily-about-ann": _claim(
        "daily-about-ann", "daily", "unverified", 3, "[ann, bob]", 'claimant: "The Daily, citing an unnamed aide"\n'
    ),
    "bob-about-ann": _claim("bob-about-ann", "bob", "mixed", 4, "[ann]"),
}


@pytest.fixture(scope="module")
def scratch_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small site written here: Ann's two claims, a newspaper's report about her, Bob's claim."""
    root = tmp_path_factory.mktemp("attribution")
    content = root / "content"
    for name, text in SCRATCH.items():
        write(content / name, text)
    for slug, text in SCRATCH_CLAIMS.items():
        write(content / "claims" / f"{slug}.md", text)
    assert build_into(content, root / "site", "--no-search") == 0
    return content, root / "site"


def test_a_scorecard_counts_only_the_persons_own_claims(scratch_site: tuple[Path, Path]) -> None:
    content, site = scratch_site
    assert scorecard_errors(content, site) == []
    ann = parse(site / "people/ann/index.html")
    total, counts = _scorecard(ann.xpath('//section[@id="scorecard"]//figure')[0])
    assert total == 2 and counts["True"] == 1 and counts["False"] == 1 and counts["Unverified"] == 0
    assert ann.xpath('//section[@id="claims"]//h3/a/text()') == ["Check ann-own-false", "Check ann-own-true"]
    mentions = ann.xpath('//section[@id="mentions"]')[0]
    assert mentions.xpath(".//h2/text()") == ["Checks that mention Ann Able"]
    assert mentions.xpath(".//h3/a/text()") == ["Check bob-about-ann", "Check daily-about-ann"]
    bob = parse(site / "people/bob/index.html")
    assert bob.xpath('//section[@id="claims"]//h3/a/text()') == ["Check bob-about-ann"]
    assert bob.xpath('//section[@id="mentions"]//h3/a/text()') == ["Check daily-about-ann", "Check ann-own-false"]
    daily = parse(site / "people/daily/index.html")
    assert _scorecard(daily.xpath('//section[@id="scorecard"]//figure')[0])[0] == 1
    assert not daily.xpath('//section[@id="mentions"]')


def test_a_report_about_a_person_is_never_presented_as_theirs(scratch_site: tuple[Path, Path]) -> None:
    content, site = scratch_site
    errors, checked = speaker_errors(content, site)
    assert errors == [] and checked > 20
    for page in ("index.html", "people/ann/index.html", "verdicts/unverified/index.html", "tags/town/index.html"):
        document = parse(site / page)
        item = next(
            li
            for li in document.xpath('//li[@class="claim-item"]')
            if "daily-about-ann" in li.xpath(".//h2/a/@href | .//h3/a/@href")[0]
        )
        meta = " ".join(item.xpath('.//p[@class="claim-item-meta"]')[0].text_content().split())
        assert meta.startswith("Claim by The Daily, citing an unnamed aide · made 3 January 2024"), (page, meta)
        assert "Ann" not in meta
    timeline = " ".join(parse(site / "timeline/index.html").text_content().split())
    assert "3 January 2024 The Daily, citing an unnamed aide: Check daily-about-ann" in timeline
    assert "Ann Able: Check daily-about-ann" not in timeline
    related = parse(site / "claims/ann-own-true/index.html").xpath('//section[@id="related"]')[0]
    assert "Claim by The Daily, citing an unnamed aide" in " ".join(related.text_content().split())
    claim = parse(site / "claims/daily-about-ann/index.html")
    assert " ".join(claim.xpath('//p[@class="kicker"]')[0].text_content().split()) == "Claim by The Daily, A newspaper"
    assert claim.xpath('//*[@data-pagefind-meta="speaker"]')[0].text_content() == "The Daily, citing an unnamed aide"


def test_atom_entries_name_the_speaker(scratch_site: tuple[Path, Path]) -> None:
    content, site = scratch_site
    assert feed_errors(content, site) == []
    ann = feedparser.parse((site / "people/ann/feed.xml").read_bytes())
    assert ann.feed.title == "T: claims by Ann Able"
    assert [e.title for e in ann.entries] == ["Check ann-own-false", "Check ann-own-true"]
    assert ann.entries[0].summary == "False (claim by Ann Able): Summary of ann-own-false."
    everything = feedparser.parse((site / "feed.xml").read_bytes())
    report = next(e for e in everything.entries if e.link.endswith("/daily-about-ann/"))
    assert report.summary == "Unverified (claim by The Daily, citing an unnamed aide): Summary of daily-about-ann."
    # the entry is the publisher's check (the feed's author); the speaker is not the author of it
    assert everything.feed.author == "P" and "author" not in report


def test_a_mention_moving_to_the_speaker_rebuilds_both_pages(tmp_path: Path) -> None:
    """Swapping person and people, or renaming a speaker whose claim another page lists, is a rebuild
    like any other: the warm output equals a clean one."""
    content = tmp_path / "content"
    for name, text in SCRATCH.items():
        write(content / name, text)
    for slug, text in SCRATCH_CLAIMS.items():
        write(content / "claims" / f"{slug}.md", text)
    warm, clean = tmp_path / "warm", tmp_path / "clean"
    assert build_into(content, warm, "--no-search") == 0
    path = content / "claims/daily-about-ann.md"
    for change in (
        lambda: write(path, path.read_text().replace("person: daily", "person: ann").replace("[ann, bob]", "[daily]")),
        lambda: write(content / "people/ann.md", "---\nname: Ann Archer\nrole: Mayor\n---\n"),  # on Bob's page
    ):
        change()
        assert build_into(content, warm, "--no-search") == 0
        assert build_into(content, clean, "--no-search", "--no-cache") == 0
        assert same_tree(warm, clean) == []
        assert scorecard_errors(content, warm) == []
        assert speaker_errors(content, warm)[0] == []
    assert "daily-about-ann" not in (warm / "people/bob/index.html").read_text()
    ann = parse(warm / "people/ann/index.html")
    assert "Check daily-about-ann" in ann.xpath('//section[@id="claims"]//h3/a/text()')
    assert not ann.xpath('//section[@id="mentions"]//a[contains(@href, "daily-about-ann")]')


def test_our_scorecards_count_only_own_claims(built_site: Path) -> None:
    assert scorecard_errors(ROOT / "content", built_site) == []


def test_every_list_of_our_site_names_the_speaker(built_site: Path) -> None:
    errors, checked = speaker_errors(ROOT / "content", built_site)
    assert errors == [] and checked > 100


def test_our_feeds_name_the_speaker(built_site: Path) -> None:
    assert feed_errors(ROOT / "content", built_site) == []


def test_our_claim_pages_give_search_the_speaker(built_site: Path) -> None:
    claims = expected_claims(ROOT / "content", built_site)
    for slug, claim in claims.items():
        document = parse(built_site / "claims" / slug / "index.html")
        meta = document.xpath('//*[@data-pagefind-meta="speaker"]')
        assert [" ".join(m.text_content().split()) for m in meta] == [claim.speaker], slug
