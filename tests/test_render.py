"""The page plan: what each page depends on, and its inverse used by incremental rebuilds."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from bench.corpus import generate
from digest.build import Options, build, load_site
from digest.pages import page_ids, pages_showing, plan_pages

from .conftest import MINIMAL, ROOT, TODAY, snapshot
from .html import ids, parse


@pytest.mark.parametrize("source", ["minimal", "content", pytest.param("corpus", marks=pytest.mark.slow)])
def test_pages_showing_a_claim_are_its_page_its_lists_and_the_site_wide_pages(source: str, tmp_path: Path) -> None:
    """A claim is shown on its page, the pages of the claims that link it, the redirect pages of its
    former slugs, the home page (which shows the whole site), and, of each list that lists it (its
    people's, its staff's, its verdict's, its tags', its outlets', the timeline, the corrections of
    it), the page it is listed on: of a list split into pages, that page only (a page depends on the
    list's order there, which an edit that moves claims changes, not on the claims of other pages)."""
    folder = {"minimal": MINIMAL, "content": ROOT / "content"}.get(source) or generate(tmp_path / "c", 300)
    site = load_site(Options(content=folder, content_shown="c", drafts=True, today=TODAY, jobs=1)).site
    size = site.config.page_size
    timeline = [slug for month in site.timeline for slug in month.claims]
    corrections = [entry.claim for entry in site.corrections]

    def listed_on(path: str, slugs: Sequence[str], slug: str) -> set[str]:
        """The pages of a list (first at ``path``) that list the claim."""
        numbers = {index // size + 1 for index, listed in enumerate(slugs) if listed == slug}
        return {path if number == 1 else f"{path}page/{number}/" for number in numbers}

    assert source != "corpus" or len(timeline) > 2 * size
    for slug, claim in site.claims.items():
        linked = (*site.related[slug], *site.contradicts[slug], *site.contradicted_by[slug])
        expected = {"", f"claims/{slug}/", *(f"claims/{other}/" for other in linked)}
        expected |= {f"claims/{alias}/" for alias in claim.aliases}
        for person in (claim.person, *claim.people):
            expected |= listed_on(
                f"people/{person}/", (*site.claims_by_person[person], *site.claims_mentioning[person]), slug
            )
        for member in (*claim.authors, *claim.editors):
            expected |= listed_on(
                f"staff/{member}/", (*site.claims_by_author[member], *site.claims_by_editor[member]), slug
            )
        expected |= listed_on(f"verdicts/{claim.verdict}/", site.claims_by_verdict[claim.verdict], slug)
        for tag in claim.tags:
            expected |= listed_on(f"tags/{tag}/", site.tags[tag].claims, slug)
        for outlet in {source.outlet_slug for source in claim.sources}:
            expected |= listed_on(f"outlets/{outlet}/", site.outlets[outlet].claims, slug)
        expected |= listed_on("timeline/", timeline, slug) | listed_on("corrections/", corrections, slug)
        folders = ("", *(f"{code}/" for code in site.config.languages[1:]))  # the same pages in each language
        assert pages_showing(site, slug) ^ {f + page for f in folders for page in expected} == set(), slug


@pytest.mark.slow
def test_pages_and_cards_made_in_worker_processes_are_the_ones_made_in_one(tmp_path: Path) -> None:
    """Past a few hundred pages a build forks workers that write pages and cards themselves: the
    site must be the same bytes as one process makes, with the cache and without."""
    corpus = generate(tmp_path / "c", 500)
    trees = {}
    for name, jobs, cache in (("serial", 1, False), ("parallel", 2, False), ("cached", 2, True)):
        out = tmp_path / name
        options = Options(content=corpus, content_shown="c", out=out, today=TODAY, jobs=jobs, cache=cache)
        result = build(options)
        assert result.written == result.files
        trees[name] = snapshot(out)
    assert len(trees["serial"]) > 1000
    assert sum(1 for path in trees["serial"] if path.endswith("/card.png")) == 500
    assert trees["parallel"] == trees["serial"]
    assert trees["cached"] == trees["serial"]


@pytest.mark.parametrize("source", ["content", "paged"])
def test_the_ids_the_plan_knows_are_the_ids_of_the_built_pages(source: str, tmp_path: Path) -> None:
    """Links to ``/verdicts/#false`` or ``/timeline/#month-2024-11`` are checked against
    ``page_ids``: they must be every id the theme puts on those pages, no more and no fewer; on a
    list split into pages, those of each page (a month of the timeline on the page that shows it)."""
    folder = ROOT / "content"
    if source == "paged":
        folder = generate(tmp_path / "c", 120)
        (folder / "site.yaml").write_text((folder / "site.yaml").read_text() + "page_size: 10\n")
    options = Options(content=folder, content_shown="c", out=tmp_path / "site", today=TODAY, jobs=1)
    build(options)
    site = load_site(options).site
    known = {planned.path: page_ids(site, planned) for planned in plan_pages(site)}
    checked = {path: found for path, found in known.items() if found is not None}
    assert {"verdicts/", "timeline/", "people/", "tags/", "verdicts/false/", "corrections/"} <= checked.keys()
    assert source != "paged" or {"timeline/page/2/", "timeline/page/12/", "verdicts/false/page/2/"} <= checked.keys()
    assert "false" in checked["verdicts/"] and any(id.startswith("month-") for id in checked["timeline/"])
    for path, found in checked.items():
        assert ids(parse(tmp_path / "site" / path / "index.html")) == found, path
