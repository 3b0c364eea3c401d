"""Site → the plan of every HTML page: where it goes, what it shows, and what it depends on.

``KINDS`` describes each kind of page once: its template, its context (a frozen dataclass of
``contexts``, listed in ``themes/README.md``, made by ``builders``), the records it shows
(``shows``), its last change and whether it lists claims. ``plan_pages`` lists every page cheaply;
``page_dependencies`` names the records a page shows, so a rebuild renders again only the pages
whose records changed, and ``pages_showing`` is its inverse. Nothing here knows Jinja: ``render``
turns contexts into bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sized
from dataclasses import fields
from datetime import date

from . import builders, shows, urls
from .aliases import redirect_target
from .contexts import Entry, PageContext
from .model import Claim, Page, Person, Staff
from .plan import (
    ALL,
    MODIFIED,
    SITE,
    Kind,
    OnPage,
    PageKind,
    Planned,
    claim_id,
    list_id,
    page_count,
    page_id,
    person_id,
    staff_id,
)
from .site import Site
from .urls import Target, url_for

__all__ = [
    "ALL",
    "BASE_IDS",
    "KINDS",
    "MODIFIED",
    "SITE",
    "Kind",
    "PageKind",
    "Planned",
    "Showing",
    "claim_id",
    "list_id",
    "page_context",
    "page_dependencies",
    "page_id",
    "page_ids",
    "page_lastmod",
    "pages_showing",
    "pages_with",
    "person_id",
    "plan_pages",
    "same_plan",
    "showing",
    "site_in",
    "staff_id",
]


def plan_pages(site: Site) -> tuple[Planned, ...]:
    """Every HTML page of the site, in a stable order: the order of ``Kind``, each list's pages in
    order after its first; then each other language of ``languages:`` in its order (its pages under
    /<code>/)."""
    plan = _plan(site)
    for variant in site.translations.values():
        plan += _plan(variant)
    return tuple(plan)


def _plan(site: Site) -> list[Planned]:
    """The pages of the site in one language: in another than the first, only the claims, people, free
    pages and staff translated into it (a list links to the original of the others), and no 404 page."""
    plan: list[Planned] = []
    language, size = site.translation, site.config.page_size
    for kind, described in KINDS.items():
        if language and kind is Kind.NOT_FOUND:
            continue
        subjects: Mapping[str, Target] = (
            {"": described.path} if described.subjects is None else described.subjects(site)
        )
        for key, subject in subjects.items():
            if language and _original(site, kind, key, subject):
                continue
            plan.append(Planned(url_for(subject, language=language), kind, key, language=language))
            if described.paged is not None:
                count = page_count(described.paged(site, key), size)
                plan += [
                    Planned(url_for(subject, number, language=language), kind, key, number, language)
                    for number in range(2, count + 1)
                ]
    return plan


def _original(site: Site, kind: Kind, key: str, subject: Target) -> bool:
    """True for a claim, person, page or member of the staff (or a redirect to one) not in the site's language."""
    if kind is Kind.REDIRECT:
        subject = redirect_target(site, site.redirects[key])
    return isinstance(subject, (Claim, Person, Page, Staff)) and subject.translation != site.translation


def site_in(site: Site, language: str) -> Site:
    """The site in a language of ``languages:`` ("" for the first)."""
    return site.translations[language] if language else site


def page_dependencies(site: Site, planned: Planned) -> list[str]:
    """The ids of every record the page shows (besides SITE, which every page shows); in a language
    other than the first, each under the language's code (``uk:claim:x``). A page of a list split
    into pages depends on its list's order there (``list_id``: an edit that moves a claim between
    pages changes it on each page it moves others on or off) and on the claims it lists, not on the
    whole list."""
    described = KINDS[planned.kind]
    shown = site_in(site, planned.language)
    if described.on_page is not None:
        page = described.on_page(shown, planned)
        found = [list_id(planned.path), *page.records, *shows.listed(shown, page.claims)]
    else:
        assert described.dependencies is not None
        found = described.dependencies(shown, planned.key)
    return [f"{planned.language}:{key}" for key in found] if planned.language else found


def page_lastmod(site: Site, planned: Planned) -> date | None:
    """The last change to anything the page shows, for the sitemap."""
    return shows.page_lastmod(site_in(site, planned.language), planned, KINDS[planned.kind])


def page_context(site: Site, planned: Planned) -> PageContext:
    """The context the page's template is rendered with."""
    described = KINDS[planned.kind]
    return described.context(site_in(site, planned.language), planned, described)


Showing = dict[str, list[str]]
"""Every dependency id → the site paths of the pages that have it: ``page_dependencies`` inverted."""


def pages_showing(site: Site, slug: str, shown: Showing | None = None) -> set[str]:
    """The site paths of every page whose dependencies include the claim (or ALL), in every language: the inverse of
    ``page_dependencies``, made once per site (or given: ``showing(site)`` kept from an earlier run)."""
    return pages_with(site, claim_id(slug), shown) | pages_with(site, ALL, shown)


def pages_with(site: Site, key: str, shown: Showing | None = None) -> set[str]:
    """The site paths of every page whose dependencies include ``key`` (a dependency id), in every language."""
    shown = showing(site) if shown is None else shown
    ids = [key, *(f"{code}:{key}" for code in site.translations)]  # and the pages of the other languages
    return {path for known in ids for path in shown.get(known, ())}


_INVERSES: list[tuple[Site, Showing]] = []
"""The inverses of the last sites asked about (a rebuild asks about the new site and the one before)."""


def showing(site: Site) -> Showing:
    """Every dependency id → the site paths of the pages that have it: ``plan_pages`` inverted."""
    for known, shown in _INVERSES:
        if known is site:
            return shown
    shown = {}
    for planned in plan_pages(site):
        path = planned.path
        for dependency in page_dependencies(site, planned):
            listed = shown.get(dependency)
            if listed is None:
                shown[dependency] = [path]
            else:
                listed.append(path)
    _INVERSES[:] = [*_INVERSES[-1:], (site, shown)]
    return shown


_INDEXES = tuple(item.name for item in fields(Site) if item.name not in ("claims", "modified"))
"""What the plan and every page's dependencies are made of, besides the claims' links."""


def same_plan(site: Site, before: Site) -> bool:
    """Whether both sites plan the same pages with the same dependencies, so that ``showing`` is the
    same for both: true when ``resolve`` reused the earlier site's indexes (claims whose links did not
    change swapped in), the only way two sites share them."""
    return all(getattr(site, name) is getattr(before, name) for name in _INDEXES)


BASE_IDS = frozenset({"main", "site-search"})
"""The ids every page has from ``base.html``."""


def page_ids(site: Site, planned: Planned) -> frozenset[str] | None:
    """Every element id a link may point to on the page, or None when the plan does not know them."""
    ids = KINDS[planned.kind].ids
    return None if ids is None else BASE_IDS.union(ids(site, planned))


def _staff_index(site: Site) -> Mapping[str, Target]:
    """The staff index is made only when the site has staff."""
    return {"": urls.STAFF} if site.staff else {}


def _list_kind(
    context: Callable[[Site, Planned, PageKind], PageContext],
    subjects: Callable[[Site], Mapping[str, Target]],
    claims: Callable[[Site, str], tuple[str, ...]],
    named: Callable[[Site, str], str] | None = None,
) -> PageKind:
    """A page per verdict, tag or outlet listing its claims: a page of it shows each claim it lists and
    its person, and is dated by them."""
    return PageKind(
        "list.html",
        context,
        subjects=subjects,
        lists=True,
        dated_by_claims=True,
        paged=_counting(claims),
        ids=shows.no_ids,
        on_page=shows.list_on_page(claims, named),
    )


def _staff_entries(site: Site) -> Iterable[Entry]:
    """The staff index: each member, their role and how many checks they signed."""
    return (Entry(m.name, url_for(m), len(shows.signed(site, m.slug)), note=m.role) for m in site.staff.values())


def _counting(entries: Callable[[Site, str], Sized]) -> Callable[[Site, str], int]:
    """How many entries a list has, for a kind split into pages."""
    return lambda site, key: len(entries(site, key))


def _profile_kind(
    template: str,
    context: Callable[[Site, Planned, PageKind], PageContext],
    claims: Callable[[Site, str], tuple[str, ...]],
    subjects: Callable[[Site], Mapping[str, Target]],
    on_page: Callable[[Site, Planned], OnPage],
) -> PageKind:
    """A person's or a staff member's page: one a subject, its ``claims`` split into pages, each page
    showing the subject and dated by the claims it lists (``on_page``), in two lists (see
    ``builders._two_lists``)."""
    return PageKind(
        template,
        context,
        subjects=subjects,
        lists=True,
        dated_by_claims=True,
        paged=_counting(claims),
        on_page=on_page,
    )


def _index_kind(subject: str, entries: Callable[[Site], Iterable[Entry]], path: str) -> PageKind:
    """The index of the people, tags or outlets, with their numbers of claims, dated by the site's last change."""
    context = builders.index_context(subject, entries)
    return PageKind(
        "index.html",
        context,
        lastmod=shows.site_modified,
        path=path,
        lists=True,
        paged=_counting(lambda site, key: tuple(entries(site))),
        ids=shows.no_ids,
        on_page=shows.index_on_page(entries),
    )


KINDS: dict[Kind, PageKind] = {
    Kind.HOME: PageKind(
        "home.html", builders.home_context, shows.showing_everything, shows.site_modified, path=urls.HOME, lists=True
    ),
    Kind.CLAIM: PageKind(
        "claim.html",
        builders.claim_context,
        shows.claim_dependencies,
        lambda site, slug: site.claims[slug].modified,
        subjects=lambda site: site.claims,
        dated_by_claims=True,
    ),
    Kind.PERSON: _profile_kind(
        "person.html",
        builders.person_context,
        shows.claims_by_person,
        lambda site: site.people,
        shows.person_on_page,
    ),
    Kind.PEOPLE: _index_kind(
        "people",
        lambda site: (
            Entry(p.name, url_for(p), len(site.claims_by_person[p.slug]), len(site.claims_mentioning[p.slug]))
            for p in site.people.values()
        ),
        urls.PEOPLE,
    ),
    Kind.MEMBER: _profile_kind(
        "staff.html",
        builders.member_context,
        shows.claims_by_member,
        lambda site: site.staff,
        shows.member_on_page,
    ),
    Kind.STAFF: PageKind(
        "index.html",
        builders.index_context("staff", _staff_entries),
        lastmod=shows.site_modified,
        subjects=_staff_index,
        lists=True,
        paged=lambda site, key: len(site.staff),
        ids=shows.no_ids,
        on_page=shows.index_on_page(_staff_entries),
    ),
    Kind.SCALE: PageKind(
        "scale.html",
        builders.scale_context,
        lastmod=shows.site_modified,
        path=urls.SCALE,
        ids=lambda site, planned: (verdict.key for verdict, _ in site.tally.counts),
        on_page=shows.scale_on_page,
    ),
    Kind.VERDICT: _list_kind(builders.verdict_context, lambda site: site.verdicts, shows.claims_by_verdict),
    Kind.TAGS: _index_kind(
        "tags",
        lambda site: (Entry(t.slug, url_for(t, language=site.translation), len(t.claims)) for t in site.tags.values()),
        urls.TAGS,
    ),
    Kind.TAG: _list_kind(builders.tag_context, lambda site: site.tags, shows.claims_by_tag),
    Kind.OUTLETS: _index_kind(
        "outlets",
        lambda site: (
            Entry(o.name, url_for(o, language=site.translation), len(o.claims)) for o in site.outlets.values()
        ),
        urls.OUTLETS,
    ),
    Kind.OUTLET: _list_kind(
        builders.outlet_context,
        lambda site: site.outlets,
        shows.claims_by_outlet,
        lambda site, key: site.outlets[key].name,
    ),
    Kind.TIMELINE: PageKind(
        "timeline.html",
        builders.timeline_context,
        path=urls.TIMELINE,
        lists=True,
        dated_by_claims=True,
        paged=shows.timeline_entries,
        ids=shows.timeline_ids,
        on_page=shows.timeline_on_page,
    ),
    Kind.CORRECTIONS: PageKind(
        "corrections.html",
        builders.corrections_context,
        lastmod=shows.latest_correction,
        path=urls.CORRECTIONS,
        paged=lambda site, key: len(site.corrections),
        ids=shows.no_ids,
        on_page=shows.corrections_on_page,
    ),
    Kind.PAGE: PageKind(
        "page.html",
        builders.free_context,
        shows.free_page_dependencies,
        shows.free_page_modified,
        subjects=lambda site: site.pages,
    ),
    Kind.SEARCH: PageKind(
        "search.html",
        builders.search_context,
        lastmod=shows.site_modified,
        path=urls.SEARCH,
        on_page=shows.search_on_page,
    ),
    Kind.REDIRECT: PageKind(
        "redirect.html",
        builders.redirect_context,
        shows.redirect_dependencies,
        lambda site, key: None,
        subjects=lambda site: {old: old for old in site.redirects},
        sitemap=False,
    ),
    Kind.NOT_FOUND: PageKind(
        "404.html",
        builders.not_found_context,
        shows.showing_nothing,
        lambda site, key: None,
        path=urls.NOT_FOUND,
        sitemap=False,
    ),
}
"""Every kind of page: its template, its context, what it shows (``dependencies``, or ``on_page`` for
a kind whose pages each show part of a list) and when it last changed (``lastmod``, or the claims on
the page for a kind ``dated_by_claims`` with ``on_page``)."""
