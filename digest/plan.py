"""The words of the page plan: the kinds of page, a planned page, what describes a kind, and the
ids of the records a page can depend on.

``pages`` holds the table of kinds (``KINDS``) and plans the site with these; ``shows`` says which
records each page shows and ``builders`` makes each page's context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum

from .contexts import PageContext
from .site import Site
from .urls import Target


class Kind(Enum):
    """The kinds of page, in the order the plan lists them; ``KINDS`` describes each."""

    HOME = "home"
    CLAIM = "claim"
    PERSON = "person"
    PEOPLE = "people"
    MEMBER = "member"
    STAFF = "staff"
    SCALE = "scale"
    VERDICT = "verdict"
    TAGS = "tags"
    TAG = "tag"
    OUTLETS = "outlets"
    OUTLET = "outlet"
    TIMELINE = "timeline"
    CORRECTIONS = "corrections"
    PAGE = "page"
    SEARCH = "search"
    REDIRECT = "redirect"
    NOT_FOUND = "404"


@dataclass(frozen=True, slots=True)
class Planned:
    """One page of the plan, before its context is built."""

    path: str
    """Site path: ``claims/x/``, ``""`` for the home page, ``404.html``."""
    kind: Kind
    key: str = ""
    """The slug or verdict key of the page's subject, if it has one."""
    number: int = 1
    """Which page of its list, from 1, when the kind's list is split into pages."""
    language: str = ""
    """The code of its language when it is not the site's first (its ``path`` is under /<code>/)."""


@dataclass(frozen=True, slots=True)
class PageKind:
    """Everything about one kind of page."""

    template: str
    context: Callable[[Site, Planned, PageKind], PageContext]
    """The context its template is rendered with (given the page and this description of its kind)."""
    dependencies: Callable[[Site, str], list[str]] | None = None
    """The ids of the records a page of the kind shows (by its key), besides SITE; None for a kind
    with ``on_page``, whose pages depend on what it says. A page dated by the site's last change
    (``lastmod``) depends on MODIFIED, or on ALL, which changes with it."""
    lastmod: Callable[[Site, str], date | None] | None = None
    """The last change to anything the page shows (by its key), for the sitemap and ``meta.lastmod``;
    None for a kind with ``on_page`` that is ``dated_by_claims``: each page by the claims it lists."""
    subjects: Callable[[Site], Mapping[str, Target]] | None = None
    """One page per subject (claim, person...), at ``url_for(subject)``; None: one page, at ``path``."""
    path: str = ""
    lists: bool = False
    """It lists claims with the theme's list items: the parent process renders it, keeping them."""
    dated_by_claims: bool = False
    """Its last change is the last change of the claims it shows (not of the whole site): it follows
    its dependencies, so a page kept unchanged keeps its date."""
    sitemap: bool = True
    """Listed in sitemap.xml."""
    paged: Callable[[Site, str], int] | None = None
    """How many entries a page of the kind lists (by its key), when the list is split into pages of
    ``page_size``: page 1 at the page's own path, the others at ``url_for(subject, number)``."""
    ids: Callable[[Site, Planned], Iterable[str]] | None = None
    """The element ids of its template (besides ``BASE_IDS``) that a link may point to, when the
    plan knows them all; None for pages whose ids come from Markdown or are not all known here."""
    on_page: Callable[[Site, Planned], OnPage] | None = None
    """What one page of the kind shows, so that it depends on its own claims and its list's order there
    (``list_id``), not on the whole list: every kind whose lists are split into pages has it (and the
    scale, whose counts are all it shows, and the search page, whose scale is all it shows); None: the
    page depends on what ``dependencies`` names."""

    def __post_init__(self) -> None:
        assert (self.dependencies is None) == (self.on_page is not None), self.template
        assert (self.lastmod is None) == (self.on_page is not None and self.dated_by_claims), self.template


@dataclass(frozen=True, slots=True)
class OnPage:
    """What one page of a list split into pages shows."""

    claims: tuple[str, ...]
    """The claims it lists, in order."""
    figures: tuple[str, ...]
    """What it shows of the whole list besides them (its length, the lengths of its parts, its name, a
    person's scorecard on the first page, an index's entries with their names and roles, the latest
    correction's date): with ``claims``, the list's order as this page sees it, the version of its
    ``list_id``. It is made of the site's indexes and of the people, staff and settings; a warm build
    that keeps the indexes (``pages.same_plan``) keeps these versions, which holds only because
    ``resolve`` keeps them only when no link of a claim changed and none of those records did."""
    records: tuple[str, ...] = ()
    """The ids of the other records it shows: the list's subject (a person, a member of the staff);
    MODIFIED on a page dated by the site's last change."""


def page_count(entries: int, size: int) -> int:
    """How many pages a list of ``entries`` takes at ``size`` a page: one, even when empty."""
    return max(1, -(-entries // size))


SITE = "site"
"""Dependency on the settings, the scale, the footer's free pages and which claims are drafts."""
ALL = "all"
"""Dependency on every published claim and person (tallies, counts, the timeline)."""
MODIFIED = "modified"
"""Dependency on the site's last change (``Site.modified``): the date of the pages dated by it."""


def claim_id(slug: str) -> str:
    """The dependency id of a claim."""
    return f"claim:{slug}"


def person_id(slug: str) -> str:
    """The dependency id of a person."""
    return f"person:{slug}"


def staff_id(slug: str) -> str:
    """The dependency id of a member of the staff."""
    return f"staff:{slug}"


def list_id(path: str) -> str:
    """The dependency id of the order of a list on one of its pages (by the page's site path): which
    claims it lists there, in which order, and the whole list's figures it shows."""
    return f"list:{path}"


def page_id(slug: str) -> str:
    """The dependency id of a free page."""
    return f"page:{slug}"
