"""Site → the plan of every HTML page: where it goes, what it shows, and what it depends on.

``KINDS`` describes each kind of page once: its template, its context (a frozen dataclass of
``contexts``, listed in ``themes/README.md``, made by ``builders``), the records it shows
(``shows``), its last change and whether it lists claims. ``plan_pages`` lists every page cheaply;
``page_dependencies`` names the records a page shows, so a rebuild renders again only the pages
whose records changed, and ``pages_showing`` is its inverse. Nothing here knows Jinja: ``render``
turns contexts into bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from datetime import date

from . import builders, shows, urls
from .aliases import redirect_target
from .contexts import Entry, PageContext
from .model import Claim, Page, Person, Site, Staff
from .plan import ALL, SITE, Kind, PageKind, Planned, claim_id, page_id, person_id, staff_id
from .urls import Target, url_for

__all__ = [
    "ALL",
    "BASE_IDS",
    "KINDS",
    "SITE",
    "Kind",
    "PageKind",
    "Planned",
    "Showing",
    "claim_id",
    "page_context",
    "page_dependencies",
    "page_id",
    "page_ids",
    "page_lastmod",
    "pages_showing",
    "person_id",
    "plan_pages",
    "same_plan",
    "showing",
    "site_in",
    "staff_id",
]


def plan_pages(site: Site) -> tuple[Planned, ...]:
    """Every HTML page of the site, in a stable order: the order of ``Kind``, then each other
    language of ``languages:`` in its order (its pages under /<code>/)."""
    plan = _plan(site)
    for variant in site.translations.values():
        plan += _plan(variant)
    return tuple(plan)


def _plan(site: Site) -> list[Planned]:
    """The pages of the site in one language: in another than the first, only the claims, people, free
    pages and staff translated into it (a list links to the original of the others), and no 404 page."""
    plan: list[Planned] = []
    language = site.translation
    for kind, described in KINDS.items():
        if described.subjects is None:
            if not (language and kind is Kind.NOT_FOUND):
                plan.append(Planned(url_for(described.path, language=language), kind, language=language))
            continue
        for key, subject in described.subjects(site).items():
            if language and _original(site, kind, key, subject):
                continue
            plan.append(Planned(url_for(subject, language=language), kind, key, language))
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
    other than the first, each under the language's code (``uk:claim:x``)."""
    found = KINDS[planned.kind].dependencies(site_in(site, planned.language), planned.key)
    return [f"{planned.language}:{key}" for key in found] if planned.language else found


def page_lastmod(site: Site, planned: Planned) -> date | None:
    """The last change to anything the page shows, for the sitemap."""
    return KINDS[planned.kind].lastmod(site_in(site, planned.language), planned.key)


def page_context(site: Site, planned: Planned) -> PageContext:
    """The context the page's template is rendered with."""
    described = KINDS[planned.kind]
    return described.context(site_in(site, planned.language), planned, described)


Showing = dict[str, list[str]]
"""Every dependency id → the site paths of the pages that have it: ``page_dependencies`` inverted."""


def pages_showing(site: Site, slug: str, shown: Showing | None = None) -> set[str]:
    """The site paths of every page whose dependencies include the claim (or ALL), in every language: the inverse of
    ``page_dependencies``, made once per site (or given: ``showing(site)`` kept from an earlier run)."""
    shown = showing(site) if shown is None else shown
    found = {*shown.get(claim_id(slug), ()), *shown.get(ALL, ())}
    for code in site.translations:  # and the pages of the other languages that show it
        found.update((*shown.get(f"{code}:{claim_id(slug)}", ()), *shown.get(f"{code}:{ALL}", ())))
    return found


_INVERSES: list[tuple[Site, Showing]] = []
"""The inverses of the last sites asked about (a rebuild asks about the new site and the one before)."""


def showing(site: Site) -> Showing:
    """Every dependency id → the site paths of the pages that have it: ``plan_pages`` inverted."""
    for known, shown in _INVERSES:
        if known is site:
            return shown
    shown = {}
    for planned in plan_pages(site):
        for dependency in page_dependencies(site, planned):
            paths = shown.get(dependency)
            if paths is None:
                shown[dependency] = [planned.path]
            else:
                paths.append(planned.path)
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
    return None if ids is None else BASE_IDS.union(ids(site, planned.key))


def _staff_index(site: Site) -> Mapping[str, Target]:
    """The staff index is made only when the site has staff."""
    return {"": urls.STAFF} if site.staff else {}


def _list_kind(
    context: Callable[[Site, Planned, PageKind], PageContext],
    subjects: Callable[[Site], Mapping[str, Target]],
    claims: Callable[[Site, str], tuple[str, ...]],
) -> PageKind:
    """A page per verdict, tag or outlet listing its claims: it shows each claim and its person and
    changes when one of them does."""
    dependencies, lastmod = shows.listing(claims), shows.dated_by(claims)
    return PageKind(
        "list.html", context, dependencies, lastmod, subjects, lists=True, dated_by_claims=True, ids=shows.no_ids
    )


def _index_kind(subject: str, entries: Callable[[Site], Iterable[Entry]], path: str) -> PageKind:
    """The index of the people, tags or outlets, with their numbers of claims."""
    context = builders.index_context(subject, entries)
    return PageKind(
        "index.html", context, shows.showing_everything, shows.site_modified, path=path, lists=True, ids=shows.no_ids
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
    Kind.PERSON: PageKind(
        "person.html",
        builders.person_context,
        shows.person_dependencies,
        shows.dated_by(shows.claims_by_person),
        subjects=lambda site: site.people,
        lists=True,
        dated_by_claims=True,
    ),
    Kind.PEOPLE: _index_kind(
        "people",
        lambda site: (
            Entry(p.name, url_for(p), len(site.claims_by_person[p.slug]), len(site.claims_mentioning[p.slug]))
            for p in site.people.values()
        ),
        urls.PEOPLE,
    ),
    Kind.MEMBER: PageKind(
        "staff.html",
        builders.member_context,
        shows.member_dependencies,
        shows.dated_by(shows.signed),
        subjects=lambda site: site.staff,
        lists=True,
        dated_by_claims=True,
    ),
    Kind.STAFF: PageKind(
        "index.html",
        builders.index_context(
            "staff",
            lambda site: (
                Entry(m.name, url_for(m), len(shows.signed(site, m.slug)), note=m.role) for m in site.staff.values()
            ),
        ),
        lambda site, key: [ALL, *map(staff_id, site.staff)],
        shows.site_modified,
        subjects=_staff_index,
        lists=True,
        ids=shows.no_ids,
    ),
    Kind.SCALE: PageKind(
        "scale.html",
        builders.scale_context,
        shows.showing_everything,
        shows.site_modified,
        path=urls.SCALE,
        ids=lambda site, key: (verdict.key for verdict, _ in site.tally.counts),
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
    Kind.OUTLET: _list_kind(builders.outlet_context, lambda site: site.outlets, shows.claims_by_outlet),
    Kind.TIMELINE: PageKind(
        "timeline.html",
        builders.timeline_context,
        shows.showing_everything,
        shows.site_modified,
        path=urls.TIMELINE,
        lists=True,
        ids=lambda site, key: (month.anchor for month in site.timeline),
    ),
    Kind.CORRECTIONS: PageKind(
        "corrections.html",
        builders.corrections_context,
        shows.showing_everything,
        lambda site, key: max((e.correction.date for e in site.corrections), default=None),
        path=urls.CORRECTIONS,
        ids=shows.no_ids,
    ),
    Kind.PAGE: PageKind(
        "page.html",
        builders.free_context,
        lambda site, slug: [page_id(slug)],
        lambda site, slug: site.pages[slug].updated or site.modified,
        subjects=lambda site: site.pages,
    ),
    Kind.SEARCH: PageKind(
        "search.html", builders.search_context, shows.showing_nothing, shows.site_modified, path=urls.SEARCH
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
"""Every kind of page: its template, its context, what it shows and when it last changed."""
