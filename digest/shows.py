"""What each kind of page shows: the claims it lists, the ids of the records it depends on, and its
last change, for the table of kinds in ``pages``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from .contexts import Entry
from .plan import ALL, MODIFIED, OnPage, PageKind, Planned, claim_id, page_id, person_id, staff_id
from .site import Month, Site

_T = TypeVar("_T")


def listed(site: Site, slugs: Iterable[str]) -> list[str]:
    """A list of claims shows each claim and its speaker (its person)."""
    ids: list[str] = []
    for slug in slugs:
        claim = site.claims[slug]
        ids += (claim_id(slug), person_id(claim.person))
    return ids


def _latest(site: Site, slugs: Iterable[str]) -> date | None:
    return max((site.claims[s].modified for s in slugs), default=None)


def claim_dependencies(site: Site, slug: str) -> list[str]:
    """A claim page shows the claim, its people and staff, and the claims it links to."""
    claim = site.claims[slug]
    others = (*site.related[slug], *site.contradicts[slug], *site.contradicted_by[slug], *chain(site, slug))
    return [
        claim_id(slug),
        *map(person_id, (claim.person, *claim.people)),
        *map(staff_id, dict.fromkeys((*claim.authors, *claim.editors))),
        *listed(site, others),
    ]


def person_on_page(site: Site, planned: Planned) -> OnPage:
    """A page of a person's list shows the person, the lengths of both parts of the list (their claims,
    then the checks that mention them) and how often their claims were repeated; the first also their
    scorecard (their claims' verdicts, counted)."""
    slug = planned.key
    own, others = site.claims_by_person[slug], site.claims_mentioning[slug]
    figures = [str(len(own)), str(len(others)), str(site.repeat_counts[slug])]
    if planned.number == 1:
        tally = site.tallies[slug]
        figures += [str(tally.total), *(f"{verdict.key}={count}" for verdict, count in tally.counts)]
    return OnPage(on_page(site, planned.number, (*own, *others)), tuple(figures), (person_id(slug),))


def member_on_page(site: Site, planned: Planned) -> OnPage:
    """A page of a staff member's list shows the member and the counts of the checks they wrote and edited."""
    written, edited = site.claims_by_author[planned.key], site.claims_by_editor[planned.key]
    shown = on_page(site, planned.number, claims_by_member(site, planned.key))
    return OnPage(shown, (str(len(written)), str(len(edited))), (staff_id(planned.key),))


def list_on_page(
    claims: Callable[[Site, str], tuple[str, ...]], named: Callable[[Site, str], str] | None = None
) -> Callable[[Site, Planned], OnPage]:
    """A page of a verdict's, a tag's or an outlet's list shows its claims there, the list's length
    and the list's name (``named``; a verdict's is the scale's, in SITE)."""

    def shown(site: Site, planned: Planned) -> OnPage:
        slugs = claims(site, planned.key)
        figures = (str(len(slugs)),) if named is None else (str(len(slugs)), named(site, planned.key))
        return OnPage(on_page(site, planned.number, slugs), figures)

    return shown


def index_on_page(entries: Callable[[Site], Iterable[Entry]]) -> Callable[[Site, Planned], OnPage]:
    """A page of an index (people, staff, tags, outlets) shows its entries there (names, links,
    counts, roles) and how many the index has: no record besides; it is dated by the site's last change."""

    def shown(site: Site, planned: Planned) -> OnPage:
        every = tuple(entries(site))
        return OnPage((), (str(len(every)), *map(repr, on_page(site, planned.number, every))), (MODIFIED,))

    return shown


def corrections_on_page(site: Site, planned: Planned) -> OnPage:
    """A page of the corrections shows its corrections there, each with its claim, how many there are
    and the date of the latest (the page's date)."""
    shown = on_page(site, planned.number, site.corrections)
    corrections = (f"{e.correction.date}|{e.correction.kind}|{e.correction.note}" for e in shown)
    figures = (str(len(site.corrections)), str(latest_correction(site, "")), *corrections)
    return OnPage(tuple(entry.claim for entry in shown), figures)


def scale_on_page(site: Site, planned: Planned) -> OnPage:
    """The scale shows each verdict's number of claims: no record besides; it is dated by the site's last change."""
    return OnPage((), tuple(f"{verdict.key}={count}" for verdict, count in site.tally.counts), (MODIFIED,))


def search_on_page(site: Site, planned: Planned) -> OnPage:
    """The search page shows no record but the scale as the index it searches words it (the first
    language's in a language with no check of its own); it is dated by the site's last change. Unlike
    other figures, the scale follows the claims (whether one is translated): a warm build keeps these
    versions only with the same plan (``pages.same_plan``), never true of a site in several languages,
    whose translations are made anew every build; in one language the scale is the site's own."""
    return OnPage((), tuple(f"{verdict.key}={verdict.label}" for verdict in site.search_scale()), (MODIFIED,))


def timeline_on_page(site: Site, planned: Planned) -> OnPage:
    """A page of the timeline shows its claims under their months' headings (made of their dates) and
    the number of claims (the pager)."""
    shown = tuple(slug for month in timeline_page(site, planned.number) for slug in month.claims)
    return OnPage(shown, (str(timeline_entries(site, "")),))


def page_lastmod(site: Site, planned: Planned, described: PageKind) -> date | None:
    """The last change to anything the page shows: for a page of a list split into pages dated by its
    claims, to the claims it lists."""
    if described.lastmod is not None:
        return described.lastmod(site, planned.key)
    assert described.on_page is not None
    return _latest(site, described.on_page(site, planned).claims)


def chain(site: Site, slug: str) -> tuple[str, ...]:
    """Every check of the same claim as this one (itself included), oldest first; () when made once."""
    return site.repeat_chains.get(slug, ())


def redirect_dependencies(site: Site, key: str) -> list[str]:
    """A redirect shows the claim or person it leads to."""
    redirect = site.redirects[key]
    return [claim_id(redirect.slug) if redirect.kind == "claim" else person_id(redirect.slug)]


def showing_everything(site: Site, key: str) -> list[str]:
    """The page shows every published claim and person."""
    return [ALL]


def showing_nothing(site: Site, key: str) -> list[str]:
    """The page shows no record (besides SITE)."""
    return []


def site_modified(site: Site, key: str) -> date | None:
    """The page is dated by the site's last change: it depends on MODIFIED, or on ALL."""
    return site.modified


def free_page_dependencies(site: Site, slug: str) -> list[str]:
    """A free page shows itself; without an ``updated:`` date, it is dated by the site's last change."""
    return [page_id(slug)] if site.pages[slug].updated else [page_id(slug), MODIFIED]


def free_page_modified(site: Site, slug: str) -> date | None:
    """A free page's ``updated:`` date, else the site's last change."""
    return site.pages[slug].updated or site.modified


def latest_correction(site: Site, key: str) -> date | None:
    """The pages of the corrections are dated by the latest correction (``corrections_on_page`` shows it)."""
    return max((entry.correction.date for entry in site.corrections), default=None)


def claims_by_verdict(site: Site, key: str) -> tuple[str, ...]:
    """The claims of a verdict page."""
    return site.claims_by_verdict[key]


def claims_by_tag(site: Site, key: str) -> tuple[str, ...]:
    """The claims of a tag page."""
    return site.tags[key].claims


def claims_by_outlet(site: Site, key: str) -> tuple[str, ...]:
    """The claims of an outlet page."""
    return site.outlets[key].claims


def claims_by_person(site: Site, key: str) -> tuple[str, ...]:
    """A person's own claims, then the checks that mention them."""
    return (*site.claims_by_person[key], *site.claims_mentioning[key])


def claims_by_member(site: Site, key: str) -> tuple[str, ...]:
    """A staff member's page: the claims they wrote, then those they edited (one they did both is in each)."""
    return (*site.claims_by_author[key], *site.claims_by_editor[key])


def signed(site: Site, slug: str) -> tuple[str, ...]:
    """The claims a member of the staff wrote or edited, newest first."""
    signed = {*site.claims_by_author[slug], *site.claims_by_editor[slug]}
    return tuple(s for s in site.claims if s in signed) if signed else ()


def no_ids(site: Site, planned: Planned) -> tuple[str, ...]:
    """No ids of its own."""
    return ()


def on_page(site: Site, number: int, entries: tuple[_T, ...]) -> tuple[_T, ...]:
    """The entries of a list that page ``number`` of it shows (``page_size`` a page)."""
    size = site.config.page_size
    return entries[(number - 1) * size : number * size]


def timeline_entries(site: Site, key: str) -> int:
    """How many claims the timeline lists."""
    return sum(len(month.claims) for month in site.timeline)


def timeline_page(site: Site, number: int) -> tuple[Month, ...]:
    """The months page ``number`` of the timeline shows, each with its claims on that page; a month
    whole on the page is the site's own (its list items are then reused as a group)."""
    size = site.config.page_size
    start, end = (number - 1) * size, number * size
    months: list[Month] = []
    seen = 0
    for month in site.timeline:
        first, seen = seen, seen + len(month.claims)
        if seen <= start:
            continue
        if first >= end:
            break
        whole = start <= first and seen <= end
        months.append(month if whole else Month(month.start, month.claims[max(0, start - first) : end - first]))
    return tuple(months)


def timeline_ids(site: Site, planned: Planned) -> Iterable[str]:
    """The ids of a page of the timeline: its months' headings."""
    return (month.anchor for month in timeline_page(site, planned.number))
