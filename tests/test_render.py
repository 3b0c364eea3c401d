"""The page plan: what each page depends on, and its inverse used by incremental rebuilds."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import generate
from digest.build import Options, build, load_site
from digest.pages import page_ids, pages_showing, plan_pages

from .conftest import MINIMAL, ROOT, TODAY, snapshot
from .html import ids, parse


@pytest.mark.parametrize("source", ["minimal", "content", pytest.param("corpus", marks=pytest.mark.slow)])
def test_pages_showing_a_claim_are_its_page_its_lists_and_the_site_wide_pages(source: str, tmp_path: Path) -> None:
    """A claim is shown on its page, the pages of the claims that link it, its people's, its
    staff's (who wrote and edited it), its verdict's, its tags' and its outlets' pages, the redirect
    pages of its former slugs, and the pages that show the whole site (the staff index among them
    when there is staff); of a list split into pages, every page (an edit can move the claims)."""
    folder = {"minimal": MINIMAL, "content": ROOT / "content"}.get(source) or generate(tmp_path / "c", 300)
    site = load_site(Options(content=folder, content_shown="c", drafts=True, today=TODAY, jobs=1)).site
    site_wide = {"", "people/", "verdicts/", "tags/", "outlets/", "timeline/", "corrections/"}
    site_wide |= {"staff/"} if site.staff else set()
    later: dict[str, set[str]] = {}  # a list's first page → its other pages
    for planned in plan_pages(site):
        if planned.number > 1:
            later.setdefault(planned.path.rsplit("page/", 1)[0], set()).add(planned.path)
    assert later or source != "corpus"
    for slug, claim in site.claims.items():
        linked = (*site.related[slug], *site.contradicts[slug], *site.contradicted_by[slug])
        expected = {
            f"claims/{slug}/",
            *(f"claims/{other}/" for other in linked),
            *(f"people/{person}/" for person in (claim.person, *claim.people)),
            *(f"staff/{member}/" for member in (*claim.authors, *claim.editors)),
            f"verdicts/{claim.verdict}/",
            *(f"tags/{tag}/" for tag in claim.tags),
            *(f"outlets/{source.outlet_slug}/" for source in claim.sources),
            *(f"claims/{alias}/" for alias in claim.aliases),
        }
        expected |= site_wide
        expected |= {page for first in expected for page in later.get(first, ())}
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
