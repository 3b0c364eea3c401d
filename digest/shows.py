"""What each kind of page shows: the claims it lists, the ids of the records it depends on, and its
last change, for the table of kinds in ``pages``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from .plan import ALL, Planned, claim_id, person_id, staff_id
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


def person_dependencies(site: Site, slug: str) -> list[str]:
    """A person's page shows the person, the claims it lists, and the repeats of their claims (the count)."""
    chained = [claim_id(other) for own in site.claims_by_person[slug] for other in chain(site, own)]  # the count
    return [person_id(slug), *listed(site, claims_by_person(site, slug)), *chained]


def chain(site: Site, slug: str) -> tuple[str, ...]:
    """Every check of the same claim as this one (itself included), oldest first; () when made once."""
    return site.repeat_chains.get(slug, ())


def member_dependencies(site: Site, slug: str) -> list[str]:
    """A staff member's page shows them and the claims they signed."""
    return [staff_id(slug), *listed(site, signed(site, slug))]


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
    """The page changes with the site."""
    return site.modified


def listing(claims: Callable[[Site, str], tuple[str, ...]]) -> Callable[[Site, str], list[str]]:
    """The dependencies of a page that lists claims: each claim and its person."""
    return lambda site, key: listed(site, claims(site, key))


def dated_by(claims: Callable[[Site, str], tuple[str, ...]]) -> Callable[[Site, str], date | None]:
    """The last change of a page that lists claims: the last change to one of them."""
    return lambda site, key: _latest(site, claims(site, key))


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
