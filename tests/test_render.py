"""The page plan: what each page depends on, and its inverse used by incremental rebuilds."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from bench.corpus import generate
from digest.build import Options, build, load_site
from digest.pages import claim_id, page_dependencies, pages_showing, plan_pages

from .conftest import MINIMAL, ROOT, TODAY


def inverse(site) -> dict[str, set[str]]:
    shown: dict[str, set[str]] = defaultdict(set)
    for planned in plan_pages(site):
        for dependency in page_dependencies(site, planned):
            shown[dependency].add(planned.path)
    return shown


@pytest.mark.parametrize("source", ["minimal", "content", pytest.param("corpus", marks=pytest.mark.slow)])
def test_pages_showing_is_the_inverse_of_page_dependencies(source: str, tmp_path: Path) -> None:
    folder = {"minimal": MINIMAL, "content": ROOT / "content"}.get(source) or generate(tmp_path / "c", 300)
    site = load_site(Options(content=folder, content_shown="c", drafts=True, today=TODAY, jobs=1)).site
    shown = inverse(site)
    always = {p.path for p in plan_pages(site) if "all" in page_dependencies(site, p)}
    for slug in site.claims:
        assert pages_showing(site, slug) == shown[claim_id(slug)] | always, slug


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
        trees[name] = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert len(trees["serial"]) > 1000
    assert sum(1 for path in trees["serial"] if path.endswith("/card.png")) == 500
    assert trees["parallel"] == trees["serial"]
    assert trees["cached"] == trees["serial"]
