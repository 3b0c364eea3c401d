"""What a template gets: one frozen context per kind of page, the theme's side of the contract.

``themes/README.md`` lists these fields; ``builders`` makes them from the Site (for the table of
kinds in ``pages``), ``render`` hands each to its template as ``page``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import Claim, Correction, Page, Person, Staff
from .settings import Verdict
from .site import CorrectionEntry, Month, Outlet, Tag, Tally
from .urls import SITE_CARD


@dataclass(frozen=True, slots=True)
class ShareImage:
    """The image a shared link shows (``og:image``, ``twitter:image``)."""

    path: str
    """Site path of the file."""
    alt: str
    width: int = 1200
    height: int = 630
    type: str = "image/png"


@dataclass(frozen=True, slots=True)
class Alternate:
    """The page in one language of ``languages:`` (hreflang, the language switcher)."""

    language: str
    """Its code: ``uk``."""
    path: str
    """Site path of the page in that language."""


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page stands in a list split into pages (``page_size`` in site.yaml)."""

    number: int
    """This page's number, from 1."""
    paths: tuple[str, ...]
    """The site path of every page of the list, in order: the first at the list's own URL."""

    @property
    def count(self) -> int:
        """How many pages the list takes."""
        return len(self.paths)

    @property
    def previous(self) -> str | None:
        """The site path of the page before, if any."""
        return self.paths[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        """The site path of the page after, if any."""
        return self.paths[self.number] if self.number < len(self.paths) else None

    @property
    def links(self) -> tuple[tuple[int, str] | None, ...]:
        """The pages to link by number: the first, the last, and two either side of this one; None
        where numbers are left out (shown as a gap)."""
        count = len(self.paths)
        kept = sorted({1, count, *range(max(1, self.number - 2), min(count, self.number + 2) + 1)})
        links: list[tuple[int, str] | None] = []
        for number in kept:
            if links and links[-1] is not None and number - links[-1][0] > 1:
                links.append(None)
            links.append((number, self.paths[number - 1]))
        return tuple(links)


@dataclass(frozen=True, slots=True)
class Meta:
    """What every page has."""

    path: str
    """Site path: ``claims/x/``, ``""`` for the home page, ``404.html``."""
    template: str
    title: str
    """The name of what the page shows (a claim's title, a person's name); empty where the template
    words the title itself (the scale, the timeline, the indexes...): every sentence is the theme's."""
    description: str
    """Empty where the template words the description (most pages)."""
    lastmod: date | None
    """For the sitemap: the last change to anything the page shows."""
    og_type: str = "website"
    jsonld: str | None = None
    """Serialised schema.org data, already safe for a script element."""
    rooted: bool = False
    """Links rooted at base_url's path instead of relative (404.html only)."""
    sitemap: bool = True
    """Listed in sitemap.xml."""
    feed: str | None = None
    """Site path of the Atom feed for this page, if it has one."""
    image: ShareImage = ShareImage(SITE_CARD, "")
    """The page's share image: its claim's social card, else the site's."""
    alternates: tuple[Alternate, ...] = ()
    """The page in each language it exists in, the site's first language first, itself included;
    () when it exists in one only (a site without ``languages:``, a check not translated)."""
    pager: Pager | None = None
    """Where the page stands in its list, for the kinds whose lists are split into pages."""


@dataclass(frozen=True, slots=True)
class RatingStep:
    """One verdict in a claim's history: "Rated X on D"."""

    verdict: Verdict
    date: date


@dataclass(frozen=True, slots=True)
class Notice:
    """A correction as shown on its claim page, with its element id."""

    correction: Correction
    id: str
    previous: Verdict | None
    """For a rating change, the verdict it replaced."""


@dataclass(frozen=True, slots=True)
class Repeated:
    """A claim made again and again: its first check, and every check of it by claim date."""

    first: Claim
    chain: tuple[Claim, ...]
    """Every check of the claim, oldest first, the first included."""

    @property
    def times(self) -> int:
        """How many times it was made again after the first."""
        return len(self.chain) - 1


@dataclass(frozen=True, slots=True)
class HomePage:
    """The digest: latest checks, people with tallies, the scale."""

    meta: Meta
    latest: tuple[Claim, ...]
    people: tuple[Person, ...]
    most_repeated: tuple[Repeated, ...] = ()
    """The claims made most often (at least twice), most often first: up to five."""


@dataclass(frozen=True, slots=True)
class ClaimPage:
    """One check."""

    meta: Meta
    claim: Claim
    person: Person
    people: tuple[Person, ...]
    verdict: Verdict
    history: tuple[RatingStep, ...]
    """Every verdict the claim has had, oldest first; one step when never re-rated."""
    notices: tuple[Notice, ...]
    """Corrections and rating changes, newest first: shown near the top."""
    updates: tuple[Notice, ...]
    """Updates and clarifications, newest first: shown below the analysis."""
    related: tuple[Claim, ...]
    contradicts: tuple[Claim, ...]
    contradicted_by: tuple[Claim, ...]
    draft: bool
    authors: tuple[Staff, ...] = ()
    """Who wrote the check (its byline)."""
    editors: tuple[Staff, ...] = ()
    """Who edited it."""
    contact: Page | None = None
    """The contact page, if the site has one: where readers report an error when site.yaml gives no
    ``corrections_email``."""
    address: str = ""
    """The check's absolute URL, for the error report."""
    repeats: tuple[Claim, ...] = ()
    """Earlier checks of the same claim that this one repeats, oldest first."""
    repeated_by: tuple[Claim, ...] = ()
    """Later checks that repeat this one, oldest first."""
    repeat_chain: tuple[Claim, ...] = ()
    """Every check of the same claim, this one included, by claim date; empty when made only once."""


@dataclass(frozen=True, slots=True)
class StaffPage:
    """One member of the staff: who they are, and the checks they wrote and edited."""

    meta: Meta
    member: Staff
    written: tuple[Claim, ...]
    """The checks they wrote, on this page (the pages list these first, then the ones they edited)."""
    edited: tuple[Claim, ...]
    """The checks they edited, on this page."""
    written_count: int = 0
    """How many checks they wrote, on every page."""
    edited_count: int = 0
    """How many checks they edited, on every page."""


@dataclass(frozen=True, slots=True)
class PersonPage:
    """One person: bio, scorecard and their own claims, then the checks that mention them."""

    meta: Meta
    person: Person
    claims: tuple[Claim, ...]
    """Their own claims (``person`` is them), newest first, on this page: what the scorecard counts."""
    tally: Tally
    mentions: tuple[Claim, ...]
    """Claims by others that name them in ``people``, newest first, on this page: never in the scorecard.
    The pages list their own claims first, then the mentions."""
    repeated: int = 0
    """How many later checks repeat one of their claims (Site.repeat_counts): never in the scorecard."""
    claim_count: int = 0
    """How many claims of their own, on every page."""
    mention_count: int = 0
    """How many checks that mention them, on every page."""


@dataclass(frozen=True, slots=True)
class ClaimListPage:
    """Claims that share a verdict, a tag or an outlet (the one of the three that is not None)."""

    meta: Meta
    claims: tuple[Claim, ...]
    """The claims on this page."""
    count: int
    """How many claims on every page."""
    verdict: Verdict | None = None
    tag: Tag | None = None
    outlet: Outlet | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """A line of an index page: a link and how many claims are behind it."""

    label: str
    path: str
    count: int
    mentions: int | None = None
    """People only: how many checks of others' claims mention them (not part of ``count``)."""
    note: str = ""
    """A few words after the link (a staff member's role)."""


@dataclass(frozen=True, slots=True)
class IndexPage:
    """People, staff, tags or outlets, each with its number of claims."""

    meta: Meta
    subject: str
    """What it lists: ``people``, ``staff``, ``tags`` or ``outlets`` (the template words its title)."""
    entries: tuple[Entry, ...]
    """The entries on this page."""


@dataclass(frozen=True, slots=True)
class ScalePage:
    """The verdict scale: every verdict, its definition and its count."""

    meta: Meta
    tally: Tally


@dataclass(frozen=True, slots=True)
class FreePage:
    """About, methodology, corrections policy..."""

    meta: Meta
    page: Page


@dataclass(frozen=True, slots=True)
class TimelinePage:
    """Every claim by claim date, by month."""

    meta: Meta
    months: tuple[Month, ...]
    """The months on this page, each with the claims of it on this page (a month may go on over two pages)."""


@dataclass(frozen=True, slots=True)
class CorrectionsPage:
    """Every correction and re-rating, newest first."""

    meta: Meta
    entries: tuple[CorrectionEntry, ...]
    """The corrections on this page."""


@dataclass(frozen=True, slots=True)
class SearchPage:
    """Full-text search (Pagefind), with filters by person and verdict."""

    meta: Meta
    scale: tuple[Verdict, ...]
    """The scale as the index the page searches words it (``Site.search_scale``)."""


@dataclass(frozen=True, slots=True)
class RedirectPage:
    """The old address of a claim or a person (a former slug): sends the reader to the page."""

    meta: Meta
    target: Claim | Person
    label: str
    """The claim's title or the person's name."""


@dataclass(frozen=True, slots=True)
class NotFoundPage:
    """404.html."""

    meta: Meta


PageContext = (
    HomePage
    | ClaimPage
    | StaffPage
    | PersonPage
    | ClaimListPage
    | IndexPage
    | ScalePage
    | FreePage
    | TimelinePage
    | CorrectionsPage
    | SearchPage
    | RedirectPage
    | NotFoundPage
)
