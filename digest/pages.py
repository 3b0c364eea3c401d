"""Site → the plan of every HTML page: where it goes, what it shows, and what it depends on.

``KINDS`` describes each kind of page once: its template, its context (a frozen dataclass of
``contexts``, listed in ``themes/README.md``), the records it shows, its last change and whether it
lists claims. ``plan_pages`` lists every page cheaply; ``page_dependencies`` names the records a
page shows, so a rebuild renders again only the pages whose records changed, and ``pages_showing``
is its inverse. Nothing here knows Jinja: ``render`` turns contexts into bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from enum import Enum

from . import urls
from .aliases import redirect_target
from .cards import claim_alt, site_alt
from .contexts import (
    ClaimListPage,
    ClaimPage,
    CorrectionsPage,
    Entry,
    FreePage,
    HomePage,
    IndexPage,
    Meta,
    NotFoundPage,
    Notice,
    PageContext,
    PersonPage,
    RatingStep,
    RedirectPage,
    Repeated,
    ScalePage,
    SearchPage,
    ShareImage,
    StaffPage,
    TimelinePage,
)
from .images import share_copy
from .jsonld import claim_review, person_page, script_json, staff_page
from .model import Claim, Site
from .urls import Target, absolute, card_for, feed_for, url_for

LATEST = 20
"""Checks shown on the home page."""
MOST_REPEATED = 5
"""Claims shown on the home page as the most repeated."""


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


SITE = "site"
"""Dependency on the settings, the scale, the footer's free pages and which claims are drafts."""
ALL = "all"
"""Dependency on every published claim and person (tallies, counts, the timeline)."""


def claim_id(slug: str) -> str:
    """The dependency id of a claim."""
    return f"claim:{slug}"


def person_id(slug: str) -> str:
    """The dependency id of a person."""
    return f"person:{slug}"


def staff_id(slug: str) -> str:
    """The dependency id of a member of the staff."""
    return f"staff:{slug}"


def page_id(slug: str) -> str:
    """The dependency id of a free page."""
    return f"page:{slug}"


def plan_pages(site: Site) -> tuple[Planned, ...]:
    """Every HTML page of the site, in a stable order: the order of ``Kind``."""
    plan: list[Planned] = []
    for kind, described in KINDS.items():
        if described.subjects is None:
            plan.append(Planned(described.path, kind))
        else:
            plan += [Planned(url_for(subject), kind, key) for key, subject in described.subjects(site).items()]
    return tuple(plan)


def page_dependencies(site: Site, planned: Planned) -> list[str]:
    """The ids of every record the page shows (besides SITE, which every page shows)."""
    return KINDS[planned.kind].dependencies(site, planned.key)


def page_lastmod(site: Site, planned: Planned) -> date | None:
    """The last change to anything the page shows, for the sitemap."""
    return KINDS[planned.kind].lastmod(site, planned.key)


def page_context(site: Site, planned: Planned) -> PageContext:
    """The context the page's template is rendered with."""
    return KINDS[planned.kind].context(site, planned)


Showing = dict[str, list[str]]
"""Every dependency id → the site paths of the pages that have it: ``page_dependencies`` inverted."""


def pages_showing(site: Site, slug: str, shown: Showing | None = None) -> set[str]:
    """The site paths of every page whose dependencies include the claim (or ALL): the inverse of
    ``page_dependencies``, made once per site (or given: ``showing(site)`` kept from an earlier run)."""
    shown = showing(site) if shown is None else shown
    return {*shown.get(claim_id(slug), ()), *shown.get(ALL, ())}


_INVERSES: list[tuple[Site, Showing]] = []
"""The inverses of the last sites asked about (a rebuild asks about the new site and the one before)."""


def showing(site: Site) -> Showing:
    """Every dependency id → the site paths of the pages that have it: ``plan_pages`` inverted."""
    for known, shown in _INVERSES:
        if known is site:
            return shown
    shown = {}
    for planned in plan_pages(site):
        for dependency in KINDS[planned.kind].dependencies(site, planned.key):
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


def _listed(site: Site, slugs: Iterable[str]) -> list[str]:
    """A list of claims shows each claim and its speaker (its person)."""
    ids: list[str] = []
    for slug in slugs:
        claim = site.claims[slug]
        ids += (claim_id(slug), person_id(claim.person))
    return ids


def _latest(site: Site, slugs: Iterable[str]) -> date | None:
    return max((site.claims[s].modified for s in slugs), default=None)


def _claim_dependencies(site: Site, slug: str) -> list[str]:
    claim = site.claims[slug]
    others = (*site.related[slug], *site.contradicts[slug], *site.contradicted_by[slug], *_chain(site, slug))
    return [
        claim_id(slug),
        *map(person_id, (claim.person, *claim.people)),
        *map(staff_id, dict.fromkeys((*claim.authors, *claim.editors))),
        *_listed(site, others),
    ]


def _person_dependencies(site: Site, slug: str) -> list[str]:
    chained = [claim_id(other) for own in site.claims_by_person[slug] for other in _chain(site, own)]  # the count
    return [person_id(slug), *_listed(site, _claims_by_person(site, slug)), *chained]


def _chain(site: Site, slug: str) -> tuple[str, ...]:
    """Every check of the same claim as this one (itself included), oldest first; () when made once."""
    return site.repeat_chains.get(slug, ())


def _member_dependencies(site: Site, slug: str) -> list[str]:
    return [staff_id(slug), *_listed(site, _signed(site, slug))]


def _showing_everything(site: Site, key: str) -> list[str]:
    return [ALL]


def _showing_nothing(site: Site, key: str) -> list[str]:
    return []


def _site_modified(site: Site, key: str) -> date | None:
    return site.modified


def _listing(claims: Callable[[Site, str], tuple[str, ...]]) -> Callable[[Site, str], list[str]]:
    """The dependencies of a page that lists claims: each claim and its person."""
    return lambda site, key: _listed(site, claims(site, key))


def _dated_by(claims: Callable[[Site, str], tuple[str, ...]]) -> Callable[[Site, str], date | None]:
    """The last change of a page that lists claims: the last change to one of them."""
    return lambda site, key: _latest(site, claims(site, key))


def _meta(
    site: Site,
    planned: Planned,
    title: str,
    description: str,
    *,
    og_type: str = "website",
    jsonld: str | None = None,
    rooted: bool = False,
    feed: str | None = None,
    image: ShareImage | None = None,
) -> Meta:
    image = image or ShareImage(urls.SITE_CARD, site_alt(site))
    described = KINDS[planned.kind]
    lastmod = described.lastmod(site, planned.key)
    sitemap = described.sitemap
    return Meta(
        planned.path, described.template, title, description, lastmod, og_type, jsonld, rooted, sitemap, feed, image
    )


def _claim(site: Site, planned: Planned) -> ClaimPage:
    claim = site.claims[planned.key]
    verdicts = site.verdicts
    notices = tuple(
        Notice(c, id_, verdicts[c.previous_verdict] if c.previous_verdict else None)
        for c, id_ in zip(claim.corrections, claim.correction_ids, strict=True)
    )
    return ClaimPage(
        meta=_meta(
            site,
            planned,
            claim.title,
            f"{verdicts[claim.verdict].label}: {claim.summary}",
            og_type="article",
            jsonld=script_json(claim_review(site, claim)),
            image=_share_image(site, claim),
        ),
        claim=claim,
        person=site.people[claim.person],
        people=tuple(site.people[p] for p in claim.people),
        verdict=verdicts[claim.verdict],
        history=_history(site, claim),
        notices=tuple(n for n in notices if n.correction.kind in ("correction", "rating-change")),
        updates=tuple(n for n in notices if n.correction.kind not in ("correction", "rating-change")),
        related=tuple(site.claims[s] for s in site.related[claim.slug]),
        contradicts=tuple(site.claims[s] for s in site.contradicts[claim.slug]),
        contradicted_by=tuple(site.claims[s] for s in site.contradicted_by[claim.slug]),
        draft=claim.slug in site.drafts,
        authors=tuple(site.staff[s] for s in claim.authors),
        editors=tuple(site.staff[s] for s in claim.editors),
        contact=site.contact_page,
        address=absolute(site.config.base_url, planned.path),
        repeats=tuple(site.claims[s] for s in site.repeats[claim.slug]),
        repeated_by=tuple(site.claims[s] for s in site.repeated_by[claim.slug]),
        repeat_chain=tuple(site.claims[s] for s in _chain(site, claim.slug)),
    )


def _share_image(site: Site, claim: Claim) -> ShareImage:
    """The claim's own image as it appeared, when it has one; else its social card."""
    picture = claim.picture
    if picture is None:
        return ShareImage(card_for(claim), claim_alt(site, claim))
    path, width, height = share_copy(picture)
    return ShareImage(path, picture.ref.alt, width, height, picture.type)


def _history(site: Site, claim: Claim) -> tuple[RatingStep, ...]:
    """Rated X on D1, changed to Y on D2...: each change's ``from`` is the verdict before it."""
    changes = claim.rating_changes
    if not changes:
        return (RatingStep(site.verdicts[claim.verdict], claim.published),)
    steps = [RatingStep(site.verdicts[changes[0].previous_verdict or claim.verdict], claim.published)]
    for change, following in zip(changes, [*changes[1:], None], strict=True):
        after = following.previous_verdict if following and following.previous_verdict else claim.verdict
        steps.append(RatingStep(site.verdicts[after], change.date))
    return tuple(steps)


def _person(site: Site, planned: Planned) -> PersonPage:
    person = site.people[planned.key]
    role = f"{person.role}: " if person.role else ""
    return PersonPage(
        meta=_meta(
            site,
            planned,
            person.name,
            f"{role}claims by {person.name} checked by {site.config.publisher.name}, and checks that mention them.",
            og_type="profile",
            jsonld=script_json(person_page(site, person)),
            feed=feed_for(person),
        ),
        person=person,
        claims=tuple(site.claims[s] for s in site.claims_by_person[person.slug]),
        tally=site.tallies[person.slug],
        mentions=tuple(site.claims[s] for s in site.claims_mentioning[person.slug]),
        repeated=site.repeat_counts[person.slug],
    )


def _member(site: Site, planned: Planned) -> StaffPage:
    member = site.staff[planned.key]
    role = f"{member.role} at " if member.role else ""
    return StaffPage(
        meta=_meta(
            site,
            planned,
            member.name,
            f"{member.name}, {role}{site.config.publisher.name}: the checks they wrote and edited.",
            og_type="profile",
            jsonld=script_json(staff_page(site, member)),
        ),
        member=member,
        written=tuple(site.claims[s] for s in site.claims_by_author[member.slug]),
        edited=tuple(site.claims[s] for s in site.claims_by_editor[member.slug]),
    )


def _home(site: Site, planned: Planned) -> HomePage:
    config = site.config
    return HomePage(
        _meta(site, planned, config.title, config.description, feed=feed_for(urls.HOME)),
        latest=tuple(site.claims[s] for s in list(site.claims)[:LATEST]),
        people=tuple(site.people.values()),
        most_repeated=_most_repeated(site),
    )


def _most_repeated(site: Site) -> tuple[Repeated, ...]:
    """The chains of repeats, longest first (then the most recently repeated), up to MOST_REPEATED."""
    chains = set(site.repeat_chains.values())
    ranked = sorted(chains, key=lambda chain: (-len(chain), -site.claims[chain[-1]].claim_date.toordinal(), chain))
    return tuple(
        Repeated(site.claims[chain[0]], tuple(site.claims[s] for s in chain)) for chain in ranked[:MOST_REPEATED]
    )


def _index(
    heading: str, description: str, entries: Callable[[Site], Iterable[Entry]]
) -> Callable[[Site, Planned], IndexPage]:
    def build(site: Site, planned: Planned) -> IndexPage:
        return IndexPage(_meta(site, planned, heading, description), heading, tuple(entries(site)))

    return build


def _scale(site: Site, planned: Planned) -> ScalePage:
    return ScalePage(_meta(site, planned, "Verdicts", "The rating scale and what each verdict means."), site.tally)


def _verdict(site: Site, planned: Planned) -> ClaimListPage:
    verdict = site.verdicts[planned.key]
    meta = _meta(site, planned, verdict.label, verdict.description)
    return ClaimListPage(meta, tuple(site.claims[s] for s in site.claims_by_verdict[planned.key]), verdict=verdict)


def _tag(site: Site, planned: Planned) -> ClaimListPage:
    tag = site.tags[planned.key]
    meta = _meta(site, planned, tag.slug, "")
    return ClaimListPage(meta, tuple(site.claims[s] for s in tag.claims), tag=tag)


def _outlet(site: Site, planned: Planned) -> ClaimListPage:
    outlet = site.outlets[planned.key]
    meta = _meta(site, planned, outlet.name, "")
    return ClaimListPage(meta, tuple(site.claims[s] for s in outlet.claims), outlet=outlet)


def _timeline(site: Site, planned: Planned) -> TimelinePage:
    meta = _meta(site, planned, "Timeline", "Every claim by the date it was made.")
    return TimelinePage(meta, site.timeline)


def _corrections(site: Site, planned: Planned) -> CorrectionsPage:
    meta = _meta(
        site,
        planned,
        "Corrections",
        "Every correction and re-rating, newest first.",
        feed=feed_for(urls.CORRECTIONS),
    )
    return CorrectionsPage(meta, site.corrections)


def _free(site: Site, planned: Planned) -> FreePage:
    page = site.pages[planned.key]
    return FreePage(_meta(site, planned, page.title, page.description or page.title), page)


def _search(site: Site, planned: Planned) -> SearchPage:
    description = "Search every check by words, person and verdict."
    return SearchPage(_meta(site, planned, "Search", description))


def _redirect(site: Site, planned: Planned) -> RedirectPage:
    moved = redirect_target(site, site.redirects[planned.key])
    label = moved.title if isinstance(moved, Claim) else moved.name
    return RedirectPage(_meta(site, planned, label, f"This page has moved: {label}"), moved, label)


def _redirect_dependencies(site: Site, key: str) -> list[str]:
    redirect = site.redirects[key]
    return [claim_id(redirect.slug) if redirect.kind == "claim" else person_id(redirect.slug)]


def _not_found(site: Site, planned: Planned) -> NotFoundPage:
    meta = _meta(site, planned, "Page not found", "There is no page at this address.", rooted=True)
    return NotFoundPage(meta)


@dataclass(frozen=True, slots=True)
class PageKind:
    """Everything about one kind of page."""

    template: str
    context: Callable[[Site, Planned], PageContext]
    """The context its template is rendered with."""
    dependencies: Callable[[Site, str], list[str]]
    """The ids of the records a page of the kind shows (by its key), besides SITE."""
    lastmod: Callable[[Site, str], date | None]
    """The last change to anything the page shows, for the sitemap."""
    subjects: Callable[[Site], Mapping[str, Target]] | None = None
    """One page per subject (claim, person...), at ``url_for(subject)``; None: one page, at ``path``."""
    path: str = ""
    lists: bool = False
    """It lists claims with the theme's list items: the parent process renders it, keeping them."""
    dated_by_claims: bool = False
    """Its last change is the last change of the claims it shows (not of the whole site)."""
    sitemap: bool = True
    """Listed in sitemap.xml."""
    ids: Callable[[Site, str], Iterable[str]] | None = None
    """The element ids of its template (besides ``BASE_IDS``) that a link may point to, when the
    plan knows them all; None for pages whose ids come from Markdown or are not all known here."""


BASE_IDS = frozenset({"main", "site-search"})
"""The ids every page has from ``base.html``."""


def page_ids(site: Site, planned: Planned) -> frozenset[str] | None:
    """Every element id a link may point to on the page, or None when the plan does not know them."""
    ids = KINDS[planned.kind].ids
    return None if ids is None else BASE_IDS.union(ids(site, planned.key))


def _claims_by_verdict(site: Site, key: str) -> tuple[str, ...]:
    return site.claims_by_verdict[key]


def _claims_by_tag(site: Site, key: str) -> tuple[str, ...]:
    return site.tags[key].claims


def _claims_by_outlet(site: Site, key: str) -> tuple[str, ...]:
    return site.outlets[key].claims


def _claims_by_person(site: Site, key: str) -> tuple[str, ...]:
    """A person's own claims, then the checks that mention them."""
    return (*site.claims_by_person[key], *site.claims_mentioning[key])


def _signed(site: Site, slug: str) -> tuple[str, ...]:
    """The claims a member of the staff wrote or edited, newest first."""
    signed = {*site.claims_by_author[slug], *site.claims_by_editor[slug]}
    return tuple(s for s in site.claims if s in signed) if signed else ()


def _staff_index(site: Site) -> Mapping[str, Target]:
    """The staff index is made only when the site has staff."""
    return {"": urls.STAFF} if site.staff else {}


def _list_kind(
    context: Callable[[Site, Planned], PageContext],
    subjects: Callable[[Site], Mapping[str, Target]],
    claims: Callable[[Site, str], tuple[str, ...]],
) -> PageKind:
    """A page per verdict, tag or outlet listing its claims: it shows each claim and its person and
    changes when one of them does."""
    dependencies, lastmod = _listing(claims), _dated_by(claims)
    return PageKind("list.html", context, dependencies, lastmod, subjects, lists=True, dated_by_claims=True, ids=_none)


def _index_kind(heading: str, description: str, entries: Callable[[Site], Iterable[Entry]], path: str) -> PageKind:
    """The index of the people, tags or outlets, with their numbers of claims."""
    context = _index(heading, description, entries)
    return PageKind("index.html", context, _showing_everything, _site_modified, path=path, lists=True, ids=_none)


def _none(site: Site, key: str) -> tuple[str, ...]:
    """No ids of its own."""
    return ()


KINDS: dict[Kind, PageKind] = {
    Kind.HOME: PageKind("home.html", _home, _showing_everything, _site_modified, path=urls.HOME, lists=True),
    Kind.CLAIM: PageKind(
        "claim.html",
        _claim,
        _claim_dependencies,
        lambda site, slug: site.claims[slug].modified,
        subjects=lambda site: site.claims,
        dated_by_claims=True,
    ),
    Kind.PERSON: PageKind(
        "person.html",
        _person,
        _person_dependencies,
        _dated_by(_claims_by_person),
        subjects=lambda site: site.people,
        lists=True,
        dated_by_claims=True,
    ),
    Kind.PEOPLE: _index_kind(
        "People",
        "Everyone whose claims the digest checks, and everyone those checks mention.",
        lambda site: (
            Entry(p.name, url_for(p), len(site.claims_by_person[p.slug]), len(site.claims_mentioning[p.slug]))
            for p in site.people.values()
        ),
        urls.PEOPLE,
    ),
    Kind.MEMBER: PageKind(
        "staff.html",
        _member,
        _member_dependencies,
        _dated_by(_signed),
        subjects=lambda site: site.staff,
        lists=True,
        dated_by_claims=True,
    ),
    Kind.STAFF: PageKind(
        "index.html",
        _index(
            "Our team",
            "The people who write and edit the checks.",
            lambda site: (
                Entry(m.name, url_for(m), len(_signed(site, m.slug)), note=m.role) for m in site.staff.values()
            ),
        ),
        lambda site, key: [ALL, *map(staff_id, site.staff)],
        _site_modified,
        subjects=_staff_index,
        lists=True,
        ids=_none,
    ),
    Kind.SCALE: PageKind(
        "scale.html",
        _scale,
        _showing_everything,
        _site_modified,
        path=urls.SCALE,
        ids=lambda site, key: (verdict.key for verdict, _ in site.tally.counts),
    ),
    Kind.VERDICT: _list_kind(_verdict, lambda site: site.verdicts, _claims_by_verdict),
    Kind.TAGS: _index_kind(
        "Topics",
        "Every topic, with its checks.",
        lambda site: (Entry(t.slug, url_for(t), len(t.claims)) for t in site.tags.values()),
        urls.TAGS,
    ),
    Kind.TAG: _list_kind(_tag, lambda site: site.tags, _claims_by_tag),
    Kind.OUTLETS: _index_kind(
        "Outlets",
        "Every news outlet the checks cite.",
        lambda site: (Entry(o.name, url_for(o), len(o.claims)) for o in site.outlets.values()),
        urls.OUTLETS,
    ),
    Kind.OUTLET: _list_kind(_outlet, lambda site: site.outlets, _claims_by_outlet),
    Kind.TIMELINE: PageKind(
        "timeline.html",
        _timeline,
        _showing_everything,
        _site_modified,
        path=urls.TIMELINE,
        lists=True,
        ids=lambda site, key: (month.anchor for month in site.timeline),
    ),
    Kind.CORRECTIONS: PageKind(
        "corrections.html",
        _corrections,
        _showing_everything,
        lambda site, key: max((e.correction.date for e in site.corrections), default=None),
        path=urls.CORRECTIONS,
        ids=_none,
    ),
    Kind.PAGE: PageKind(
        "page.html",
        _free,
        lambda site, slug: [page_id(slug)],
        lambda site, slug: site.pages[slug].updated or site.modified,
        subjects=lambda site: site.pages,
    ),
    Kind.SEARCH: PageKind("search.html", _search, _showing_nothing, _site_modified, path=urls.SEARCH),
    Kind.REDIRECT: PageKind(
        "redirect.html",
        _redirect,
        _redirect_dependencies,
        lambda site, key: None,
        subjects=lambda site: {old: old for old in site.redirects},
        sitemap=False,
    ),
    Kind.NOT_FOUND: PageKind(
        "404.html", _not_found, _showing_nothing, lambda site, key: None, path=urls.NOT_FOUND, sitemap=False
    ),
}
"""Every kind of page: its template, its context, what it shows and when it last changed."""
