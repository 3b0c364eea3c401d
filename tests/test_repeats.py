"""Repeated claims: ``repeats`` shown on both claim pages with the whole chain by date, counted on
person pages and the home page, exported both ways; scorecards still count each own claim once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from digest.build import Options, load_site
from digest.pages import claim_id, page_dependencies, pages_showing, plan_pages
from digest.versions import list_versions

from .conftest import MINIMAL, TODAY, build_into, write
from .html import parse

CHAIN = ["alice-said-sky-is-green", "bob-repeats-green-sky", "alice-repeats-green-sky-again"]


def claim(slug: str, person: str, day: str, verdict: str, repeats: str, claimant: str = "") -> str:
    return f"""---
title: "{slug}"
claim: "The sky over Exampleton is green."
person: {person}
{f'claimant: "{claimant}"' if claimant else ""}
claim_date: {day}
published: {day}
verdict: {verdict}
summary: "It is not."
sources: [{{title: "A post", outlet: Example Times}}]
repeats: [{repeats}]
---
Said again.
"""


@pytest.fixture(scope="module")
def chained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The minimal site with Alice's claim made again by Bob (on the radio), then by Alice."""
    root = tmp_path_factory.mktemp("repeats")
    content = root / "content"
    shutil.copytree(MINIMAL, content)
    write(
        content / "claims/bob-repeats-green-sky.md",
        claim(CHAIN[1], "bob", "2024-02-01", "mostly-false", CHAIN[0], claimant="Bob, on the radio"),
    )
    write(
        content / "claims/alice-repeats-green-sky-again.md", claim(CHAIN[2], "alice", "2024-03-01", "false", CHAIN[1])
    )
    assert build_into(content, root / "site") == 0
    return content, root / "site"


def section_items(site: Path, slug: str, heading_id: str) -> list[str]:
    """The text of each item of the list that follows a heading of the repeats section."""
    page = parse(site / f"claims/{slug}/index.html")
    heading = page.get_element_by_id(heading_id)
    return [" ".join(item.text_content().split()) for item in heading.getnext().findall("li")]


def test_each_page_shows_what_it_repeats_and_what_repeats_it(chained: tuple[Path, Path]) -> None:
    _, site = chained
    assert section_items(site, CHAIN[1], "repeats-earlier") == [
        "2 January 2024: Alice Example, Alice said the sky is green False"
    ]
    assert section_items(site, CHAIN[1], "repeated-by") == [f"1 March 2024: Alice Example, {CHAIN[2]} False"]
    first = parse(site / f"claims/{CHAIN[0]}/index.html")
    assert first.get_element_by_id("repeats-earlier", None) is None
    assert section_items(site, CHAIN[0], "repeated-by") == [
        f"1 February 2024: Bob, on the radio, {CHAIN[1]} Mostly false"
    ]
    last = parse(site / f"claims/{CHAIN[2]}/index.html")
    assert last.get_element_by_id("repeated-by", None) is None
    assert "Repeats an earlier claim" in last.get_element_by_id("repeats-earlier").text_content()


def test_every_page_of_the_chain_shows_the_whole_chain_by_date(chained: tuple[Path, Path]) -> None:
    _, site = chained
    expected = [
        "2 January 2024: Alice Example,",
        "1 February 2024: Bob, on the radio,",
        "1 March 2024: Alice Example,",
    ]
    for slug in CHAIN:
        items = section_items(site, slug, "repeat-chain")
        assert [item[: len(start)] for item, start in zip(items, expected, strict=True)] == expected
        current = [item for item in items if "this check" in item]
        assert len(current) == 1 and current[0].startswith(expected[CHAIN.index(slug)])
        page = parse(site / f"claims/{slug}/index.html")
        links = [
            a.get("href") for a in page.get_element_by_id("repeats").iter("a") if "badge" not in a.get("class", "")
        ]
        assert set(links) == {f"../../claims/{other}/index.html" for other in CHAIN if other != slug}


def test_a_claim_made_once_has_no_repeats_section(chained: tuple[Path, Path]) -> None:
    _, site = chained
    assert parse(site / "claims/bob-said-sky-is-blue/index.html").get_element_by_id("repeats", None) is None


def test_claims_json_carries_repeats_both_ways(chained: tuple[Path, Path]) -> None:
    _, site = chained
    records = {c["slug"]: c for c in json.loads((site / "claims.json").read_text())["claims"]}
    assert [r["slug"] for r in records[CHAIN[1]]["repeats"]] == [CHAIN[0]]
    assert [r["slug"] for r in records[CHAIN[1]]["repeatedBy"]] == [CHAIN[2]]
    assert records[CHAIN[0]]["repeats"] == [] and [r["slug"] for r in records[CHAIN[0]]["repeatedBy"]] == [CHAIN[1]]
    assert records[CHAIN[2]]["repeatedBy"] == []
    assert records[CHAIN[2]]["repeats"][0]["url"] == f"https://example.com/sub/path/claims/{CHAIN[1]}/"
    assert records["bob-said-sky-is-blue"]["repeats"] == records["bob-said-sky-is-blue"]["repeatedBy"] == []


def test_person_pages_count_repeats_and_scorecards_count_own_claims_once(chained: tuple[Path, Path]) -> None:
    content, site = chained
    alice = parse(site / "people/alice/index.html")
    assert "made again 2 times in later checks" in alice.get_element_by_id("repeated").text_content()
    bob = parse(site / "people/bob/index.html")
    assert "made again 1 time in later checks" in bob.get_element_by_id("repeated").text_content()
    resolved = load_site(Options(content=content, content_shown="content", today=TODAY, jobs=1)).site
    for person in ("alice", "bob"):
        own = [c for c in resolved.claims.values() if c.person == person]
        assert resolved.tallies[person].total == len(own) == len(resolved.claims_by_person[person])
        caption = parse(site / f"people/{person}/index.html").get_element_by_id(f"tally-{person}-caption")
        assert caption.text_content().endswith(f"{len(own)} check{'s' if len(own) != 1 else ''}")


def test_home_page_lists_the_most_repeated_claim(chained: tuple[Path, Path]) -> None:
    _, site = chained
    items = parse(site / "index.html").get_element_by_id("most-repeated").findall(".//li")
    text = " ".join(items[0].text_content().split())
    assert len(items) == 1
    assert text.startswith("Alice said the sky is green False: first made by Alice Example on 2 January 2024")
    assert text.endswith("made again 2 times")


def test_pages_showing_is_the_inverse_of_page_dependencies_with_repeats(
    chained: tuple[Path, Path], tmp_path: Path
) -> None:
    content, _ = chained
    site = load_site(Options(content=content, content_shown="content", drafts=True, today=TODAY, jobs=1)).site
    shown: dict[str, set[str]] = {}
    always = set()
    for planned in plan_pages(site):
        dependencies = page_dependencies(site, planned)
        if "all" in dependencies:
            always.add(planned.path)
        for dependency in dependencies:
            shown.setdefault(dependency, set()).add(planned.path)
    for slug in site.claims:
        assert pages_showing(site, slug) == shown.get(claim_id(slug), set()) | always, slug
    # Bob's count of repeats is part of his pages' order (list_id), which Alice's later repeat changes:
    # it is an index of the site, not a record, so his page does not depend on her claim's record
    assert "people/bob/" not in pages_showing(site, CHAIN[2])
    without = tmp_path / "without"
    shutil.copytree(content, without)
    (without / "claims/alice-repeats-green-sky-again.md").unlink()
    before = load_site(Options(content=without, content_shown="content", drafts=True, today=TODAY, jobs=1)).site
    bob = next(planned for planned in plan_pages(site) if planned.path == "people/bob/")
    assert list_versions(site, [bob]) != list_versions(before, [bob])
