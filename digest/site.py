"""The resolved Site: every published record, every cross-reference checked, and the tables
derived from them (tags, outlets, tallies, the timeline, the corrections), built once by
``resolve.resolve_site`` so that templates only display them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field
from datetime import date

from .model import Claim, Correction, Page, Person, Redirect, Staff
from .records import record
from .settings import SiteConfig, Verdict


@record
class Tag:
    """A topic, with the claims that carry it (newest first)."""

    slug: str
    claims: tuple[str, ...]


@record
class Outlet:
    """A news outlet cited as a source, with the claims that cite it (newest first)."""

    slug: str
    name: str
    claims: tuple[str, ...]


@record
class Tally:
    """How many claims of one person (or of the whole site) got each verdict, in scale order."""

    counts: tuple[tuple[Verdict, int], ...]
    total: int


@record
class Month:
    """One month of the timeline: its first day and its claims by claim date, newest first."""

    start: date
    claims: tuple[str, ...]

    @property
    def anchor(self) -> str:
        """The id of the month's heading on the timeline: ``month-2024-11``."""
        return f"month-{self.start.isoformat()[:7]}"


@record
class CorrectionEntry:
    """A correction with the claim it belongs to, for the site-wide corrections page and feed."""

    claim: str
    correction: Correction
    anchor: str
    """The correction's element id on the claim page."""


def latest_change(claims: Iterable[Claim]) -> date | None:
    """The latest date any of the claims changed: Site.modified."""
    return max((c.modified for c in claims), default=None)


@record
class Site:
    """Everything a build publishes, every cross-reference resolved. Built by resolve_site."""

    config: SiteConfig
    claims: Mapping[str, Claim]
    """Published claims, newest first (published date, then claim date, then slug)."""
    people: Mapping[str, Person]
    """By name."""
    pages: Mapping[str, Page]
    """By title."""
    verdicts: Mapping[str, Verdict]
    """In scale order, best first."""
    tags: Mapping[str, Tag]
    outlets: Mapping[str, Outlet]
    claims_by_person: Mapping[str, tuple[str, ...]]
    """Each person's own claims (those whose ``person``, the speaker, is them), newest first: their record."""
    claims_mentioning: Mapping[str, tuple[str, ...]]
    """Claims by others that name each person in ``people``, newest first: never in their record."""
    claims_by_verdict: Mapping[str, tuple[str, ...]]
    related: Mapping[str, tuple[str, ...]]
    """Related claims in both directions, newest first."""
    contradicts: Mapping[str, tuple[str, ...]]
    """Claims this claim's file says it contradicts."""
    contradicted_by: Mapping[str, tuple[str, ...]]
    """Claims whose files say they contradict this one."""
    repeats: Mapping[str, tuple[str, ...]]
    """Earlier checks of the same claim that this claim's file lists in ``repeats``, oldest first."""
    repeated_by: Mapping[str, tuple[str, ...]]
    """Later checks whose files say they repeat this one, oldest first."""
    repeat_chains: Mapping[str, tuple[str, ...]]
    """For a claim linked by ``repeats`` either way: every check of the same claim (the links followed
    to their ends), by claim date, oldest first, itself included. Absent for a claim made only once."""
    repeat_counts: Mapping[str, int]
    """Each person's: how many later checks repeat a claim of theirs (each later check counted once per
    chain, whoever made it)."""
    tallies: Mapping[str, Tally]
    """Each person's scorecard: the verdicts of their own claims (``claims_by_person``) only."""
    tally: Tally
    """The whole site's verdict tally."""
    timeline: tuple[Month, ...]
    """Claims by claim date, grouped by month, newest month first."""
    corrections: tuple[CorrectionEntry, ...]
    """Every correction of every claim, newest first."""
    drafts: frozenset[str] = frozenset()
    """Slugs of claims published only because drafts were asked for (shown with a banner)."""
    modified: date | None = None
    """The latest change to any published claim: the date of the site's feed and of the pages that
    show the whole site (see ``latest_change``)."""
    staff: Mapping[str, Staff] = field(default_factory=dict)
    """The people who write and edit the checks, by name."""
    claims_by_author: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The claims each staff member wrote, newest first."""
    claims_by_editor: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The claims each staff member edited, newest first."""
    redirects: Mapping[str, Redirect] = field(default_factory=dict)
    """Old addresses (``claims/old-slug/``) of published claims and of people, and where each leads."""
    translation: str = ""
    """The code of the language this Site is in when it is not the first of ``languages:`` (its pages
    are under /<code>/); "" for the first. Its claims, people, pages and staff are the translations
    where they exist, else the originals (see ``translations.py``)."""
    translations: Mapping[str, Site] = field(default_factory=dict)
    """The first language's Site only: the Site in each other language of ``languages:``, by code."""
    translated: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The codes of the languages a claim, person, page or member of the staff exists in (the first
    included), by its dependency id (``claim:<slug>``): only those with a translation."""

    def language_of(self, record: Claim | Person | Page | Staff) -> str:
        """The code of the language a record is in."""
        return record.translation or self.first_language

    @property
    def first_language(self) -> str:
        """The site's first language: the one served at the root."""
        return self.config.languages[0] if self.config.languages else self.config.language

    @property
    def language(self) -> str:
        """The code of the language of this Site's pages."""
        return self.config.language

    @property
    def contact_page(self) -> Page | None:
        """The free page that tells readers how to reach the desk: the first whose slug or title says contact."""
        return next((p for p in self.pages.values() if "contact" in p.slug or "contact" in p.title.lower()), None)

    def search_scale(self) -> tuple[Verdict, ...]:
        """The scale as the search index this site's search page searches words it (the values of its
        verdict filter): in a language with no check of its own, the page searches the first language's
        index, whose verdicts are in the first language's words (``config`` keeps them)."""
        if self.translation and not any(claim.translation for claim in self.claims.values()):
            return self.config.verdicts
        return tuple(self.verdicts.values())

    def speaker(self, claim: Claim) -> str:
        """Who made the claim, as every list names them: its ``claimant`` if given, else its person's name."""
        return claim.claimant or self.people[claim.person].name

    @property
    def best_rating(self) -> int | None:
        """The highest rating on the scale (schema.org bestRating)."""
        ratings = [v.rating for v in self.verdicts.values() if v.rating is not None]
        return max(ratings) if ratings else None

    @property
    def worst_rating(self) -> int | None:
        """The lowest rating on the scale (schema.org worstRating)."""
        ratings = [v.rating for v in self.verdicts.values() if v.rating is not None]
        return min(ratings) if ratings else None
