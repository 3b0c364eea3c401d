"""Our own content against the two seed reports it is drawn from.

Every source must be one of the reports, or an item a report itself names; every quotation must be
in a report the check lists, word for word; every claim is filed under a speaker with a people file;
every date is one the reports give. The reports live outside the repository (they are not ours to
publish): set DIGEST_SEEDS to their folder, or keep them at ../shared/seeds beside the checkout.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT
from .contenttext import CONTENT, dates_written, normalized, quotations, split

KI = "000_4ec64edaf07fae84.txt"  # The Kyiv Independent, 7 Nov 2024
SOCHI = "003_1ba0435f5934cda3.txt"  # the report of Putin's Sochi remarks, outlet not named in the text


def _seed_folder() -> Path | None:
    candidates = [os.environ.get("DIGEST_SEEDS", ""), str(ROOT.parent / "shared" / "seeds"), "/work/shared/seeds"]
    return next((Path(c) for c in candidates if c and (Path(c) / KI).is_file()), None)


SEEDS = _seed_folder()
pytestmark = pytest.mark.skipif(SEEDS is None, reason="the seed reports are not here: set DIGEST_SEEDS to their folder")


@dataclass(frozen=True)
class Allowed:
    """A source our content may cite: which report it is, or names it, and in what words."""

    seed: str
    """The seed report that is this source or names it."""
    date: date | None
    """The date to give the source: the report's own, or None when the report gives the item none."""
    naming: tuple[str, ...]
    """Words of the seed (or of the seeds' README, for what only it records) that name the source."""


# (outlet, title) → the report that is this source, or that names it. The second report names no
# outlet (seeds/README.md: "outlet not named in the text"), so our content says exactly that rather
# than guess; its title and date are its own.
ALLOWED: dict[tuple[str, str], Allowed] = {
    ("The Kyiv Independent", "Putin, Russian officials secretly congratulate Trump, media reports"): Allowed(
        KI,
        date(2024, 11, 7),
        ("Putin, Russian officials secretly congratulate Trump, media reports", "Kyiv Independent", "November 7, 2024"),
    ),
    (
        "Outlet not named in our copy",
        "Putin Congratulates Trump on Election Win, Welcomes Opportunity for Renewed Dialogue",
    ): Allowed(
        SOCHI,
        date(2024, 11, 7),
        (
            "Putin Congratulates Trump on Election Win, Welcomes Opportunity for Renewed Dialogue",
            "outlet not named in the text",
            "7 Nov 2024",
        ),
    ),
    # Items of The Kyiv Independent's own shown on the page of its report: a news-feed item, undated
    # on the page (only "11:54 PM"), and a link to another article, also undated.
    ("The Kyiv Independent", "Biden seeks to cancel over $4.5 billion of Ukraine's debt"): Allowed(
        KI, None, ("News Feed", "Biden seeks to cancel over $4.5 billion of Ukraine's debt")
    ),
    ("The Kyiv Independent", "Trump to call Putin, seek quick deal to end Russia-Ukraine war, says Volker"): Allowed(
        KI, None, ("Trump to call Putin, seek quick deal to end Russia-Ukraine war, says Volker",)
    ),
}

# Every date each report gives, as the report writes it (checked against its text below).
SEED_DATES: dict[str, dict[date, str]] = {
    KI: {
        date(2024, 11, 7): "November 7, 2024",  # publication
        date(2024, 11, 6): "Nov. 6",  # Verstka's report; Trump's win, in the linked article
        date(2024, 11, 5): "Nov. 5",  # the vote
        date(2024, 11, 20): "Nov. 20",  # Matthew Miller's statement, in the news feed
        date(2017, 11, 11): "Nov. 11, 2017",  # the photo caption
    },
    SOCHI: {
        date(2024, 11, 7): "Nov. 7",  # Putin in Sochi; the report's date (seeds/README.md)
        date(2024, 11, 6): "Nov. 6",  # Peskov to reporters; Zelenskyy's post on X
        date(2025, 1, 20): "Jan. 20, 2025",  # the inauguration
    },
}
# Months (and bare months) the reports give without a day.
SEED_MONTHS: dict[str, set[tuple[int, int | None]]] = {
    KI: set(),
    SOCHI: {(1, 2021), (9, None)},  # "in January 2021", "In September"
}


def seed_text(name: str) -> str:
    assert SEEDS is not None
    return normalized((SEEDS / name).read_text(encoding="utf-8"))


def unquoted(text: str, seeds: list[str]) -> list[str]:
    """The quotations in text that none of the seeds holds word for word."""
    return [q.strip(" ,.") for q in quotations(text) if not any(q.strip(" ,.") in seed_text(s) for s in seeds)]


@dataclass(frozen=True)
class Check:
    path: Path
    meta: dict[str, Any]
    body: str

    @property
    def seeds(self) -> list[str]:
        """The seed reports behind the check's sources."""
        return sorted(
            {ALLOWED[(s["outlet"], s["title"])].seed for s in self.sources if (s["outlet"], s["title"]) in ALLOWED}
        )

    @property
    def sources(self) -> list[dict[str, Any]]:
        return list(self.meta["sources"])

    @property
    def texts(self) -> Iterator[str]:
        """Everything we write in the check: title, claim, summary, analysis, correction notes."""
        yield from (self.meta["title"], self.meta["claim"], self.meta["summary"], self.body)
        yield from (c["note"] for c in self.meta.get("corrections") or ())


def originals(files: Iterator[Path]) -> list[Path]:
    """The files that are not translations: a translation, <slug>.<lang>.md, has a dot in its stem
    (tests/test_translations_content.py checks those against their originals)."""
    return sorted(p for p in files if "." not in p.stem)


CHECKS = [Check(p, *split(p)) for p in originals((CONTENT / "claims").rglob("*.md"))]
PEOPLE = {p.stem: split(p) for p in originals((CONTENT / "people").glob("*.md"))}
PAGES = {p.stem: split(p) for p in originals((CONTENT / "pages").glob("*.md"))}
IDS = [c.path.stem for c in CHECKS]


def test_the_allow_list_names_what_the_reports_name() -> None:
    assert SEEDS is not None
    readme = normalized((SEEDS / "README.md").read_text(encoding="utf-8"))
    for (outlet, title), allowed in ALLOWED.items():
        for words in allowed.naming:
            assert normalized(words) in seed_text(allowed.seed) or normalized(words) in readme, (outlet, title, words)
        assert normalized(title) in seed_text(allowed.seed), title


def test_the_date_lists_are_the_reports_dates() -> None:
    assert SEEDS is not None
    readme = normalized((SEEDS / "README.md").read_text(encoding="utf-8"))
    for seed, dates in SEED_DATES.items():
        for written in dates.values():
            assert written in seed_text(seed) or written in readme, written


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_every_source_is_a_report_or_named_by_one(check: Check) -> None:
    for source in check.sources:
        key = (source["outlet"], source["title"])
        assert key in ALLOWED, f"{check.path.name}: {key} is neither one of the two reports nor named by one"
        assert source.get("date") == ALLOWED[key].date, f"{check.path.name}: {key} dated {source.get('date')}"
        assert "url" not in source and "archive_url" not in source, f"{check.path.name}: no URL is known for {key}"


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_every_quotation_is_in_a_report_the_check_lists(check: Check) -> None:
    missing = [q for text in check.texts for q in unquoted(text, check.seeds)]
    assert missing == [], f"{check.path.name}: not word for word in {check.seeds}"


def test_person_bodies_quote_the_reports_word_for_word() -> None:
    for slug, (_, body) in PEOPLE.items():
        assert unquoted(body, [KI, SOCHI]) == [], slug


def test_a_changed_quotation_is_caught() -> None:
    assert unquoted('Trump called him "greatest salesman on earth".', [KI]) == []
    assert unquoted('Trump called him "the greatest salesman on earth".', [KI]) == ["the greatest salesman on earth"]
    assert unquoted("Peskov: it was “unreliable” information", [SOCHI]) == ["unreliable"]  # wrong report


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_every_claim_is_filed_under_a_speaker_with_a_role(check: Check) -> None:
    person = check.meta["person"]
    assert person in PEOPLE, f"{check.path.name}: no people file for '{person}'"
    meta, _ = PEOPLE[person]
    assert str(meta.get("role") or "").strip(), f"people/{person}.md: say what the speaker is (role)"
    claimant = check.meta.get("claimant")
    if claimant:  # the detail names the speaker, never someone else
        names = [meta["name"], *(meta.get("aliases") or ())]
        assert any(name.removeprefix("The ") in claimant for name in names), (
            f"{check.path.name}: {claimant!r} is not {person}"
        )
    assert person not in (check.meta.get("people") or ()), (
        f"{check.path.name}: the speaker is not also someone it is about"
    )


def _reported_dates(seeds: list[str]) -> set[date]:
    return {d for s in seeds for d in SEED_DATES[s]}


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_claim_dates_are_dates_the_reports_give(check: Check) -> None:
    assert check.meta["claim_date"] in _reported_dates(check.seeds), (
        f"{check.path.name}: claim_date not in {check.seeds}"
    )


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_our_own_dates_come_after_what_they_record(check: Check) -> None:
    """published, updated and correction dates are the desk's; none may precede the claim or a source."""
    facts = [check.meta["claim_date"], *(s["date"] for s in check.sources if s.get("date"))]
    ours = [
        check.meta["published"],
        check.meta.get("updated"),
        *(c["date"] for c in check.meta.get("corrections") or ()),
    ]
    assert all(d >= max(facts) for d in ours if d), check.path.name


def _written_date_is_reported(written: tuple[int | None, int, int | None], seeds: list[str]) -> bool:
    day, month, year = written
    if day is None:
        return any((month, year) in SEED_MONTHS[s] or (month, None) in SEED_MONTHS[s] for s in seeds) or any(
            d.month == month and year in (None, d.year) for d in _reported_dates(seeds)
        )
    return any(d.day == day and d.month == month and year in (None, d.year) for d in _reported_dates(seeds))


def test_every_date_in_the_text_is_a_reported_date() -> None:
    written: list[tuple[str, str, list[str]]] = [(c.path.name, t, c.seeds) for c in CHECKS for t in c.texts]
    written += [(f"people/{slug}.md", body, [KI, SOCHI]) for slug, (_, body) in PEOPLE.items()]
    written += [(f"pages/{slug}.md", body, [KI, SOCHI]) for slug, (_, body) in PAGES.items()]
    wrong = [
        (name, w)
        for name, text, seeds in written
        for w in dates_written(text)
        if not _written_date_is_reported(w, seeds)
    ]
    assert wrong == []


def test_a_date_the_reports_do_not_give_is_caught() -> None:
    assert _written_date_is_reported(next(dates_written("on 6 November 2024")), [KI])
    assert not _written_date_is_reported(next(dates_written("on 8 November 2024")), [KI, SOCHI])
    assert not _written_date_is_reported(next(dates_written("in February 2022")), [KI, SOCHI])
