"""Site → the plan of every HTML page: where it goes, which template shows it, and its context.

Each page kind declares its context as a frozen dataclass; ``themes/README.md`` lists their
fields. Nothing here knows Jinja: ``render`` turns these contexts into bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import jsonld
from .model import Claim, Correction, CorrectionEntry, Month, Page, Person, Site, Tally, Verdict
from .urls import url_for

LATEST = 20
"""Checks shown on the home page."""


@dataclass(frozen=True, slots=True)
class Meta:
    """What every page has."""

    path: str
    """Site path: ``claims/x/``, ``""`` for the home page, ``404.html``."""
    template: str
    title: str
    description: str
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
class HomePage:
    """The digest: latest checks, people with tallies, the scale."""

    meta: Meta
    latest: tuple[Claim, ...]
    people: tuple[Person, ...]


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


@dataclass(frozen=True, slots=True)
class PersonPage:
    """One person: bio, tally, every claim by and about them."""

    meta: Meta
    person: Person
    claims: tuple[Claim, ...]
    tally: Tally


@dataclass(frozen=True, slots=True)
class ClaimListPage:
    """Claims that share a verdict, a tag or an outlet."""

    meta: Meta
    heading: str
    lead: str
    claims: tuple[Claim, ...]
    verdict: Verdict | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """A line of an index page: a link and how many claims are behind it."""

    label: str
    path: str
    count: int


@dataclass(frozen=True, slots=True)
class IndexPage:
    """People, tags or outlets, each with its number of claims."""

    meta: Meta
    heading: str
    entries: tuple[Entry, ...]


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


@dataclass(frozen=True, slots=True)
class CorrectionsPage:
    """Every correction and re-rating, newest first."""

    meta: Meta
    entries: tuple[CorrectionEntry, ...]


@dataclass(frozen=True, slots=True)
class NotFoundPage:
    """404.html."""

    meta: Meta


PageContext = (
    HomePage
    | ClaimPage
    | PersonPage
    | ClaimListPage
    | IndexPage
    | ScalePage
    | FreePage
    | TimelinePage
    | CorrectionsPage
    | NotFoundPage
)


def _latest(site: Site, slugs: tuple[str, ...]) -> date | None:
    return max((site.claims[s].modified for s in slugs), default=None)


def claim_page(site: Site, claim: Claim) -> ClaimPage:
    """The context of one claim's page."""
    verdicts = site.verdicts
    notices = tuple(
        Notice(c, id_, verdicts[c.previous_verdict] if c.previous_verdict else None)
        for c, id_ in zip(claim.corrections, claim.correction_ids, strict=True)
    )
    return ClaimPage(
        meta=Meta(
            path=url_for(claim),
            template="claim.html",
            title=claim.title,
            description=f"{verdicts[claim.verdict].label}: {claim.summary}",
            lastmod=claim.modified,
            og_type="article",
            jsonld=jsonld.script_json(jsonld.claim_review(site, claim)),
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
    )


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


def person_page(site: Site, person: Person) -> PersonPage:
    """The context of one person's page."""
    slugs = site.claims_by_person[person.slug]
    return PersonPage(
        meta=Meta(
            path=url_for(person),
            template="person.html",
            title=person.name,
            description=f"{person.role + ': ' if person.role else ''}every claim by and about {person.name} "
            f"checked by {site.config.publisher.name}.",
            lastmod=_latest(site, slugs),
            og_type="profile",
            jsonld=jsonld.script_json(jsonld.person_page(site, person)),
            feed=f"{url_for(person)}feed.xml",
        ),
        person=person,
        claims=tuple(site.claims[s] for s in slugs),
        tally=site.tallies[person.slug],
    )


def plan_pages(site: Site) -> tuple[PageContext, ...]:
    """Every HTML page of the site, in a stable order."""
    config = site.config
    everything = tuple(site.claims)
    pages: list[PageContext] = [
        HomePage(
            Meta("", "home.html", config.title, config.description, _latest(site, everything), feed="feed.xml"),
            latest=tuple(site.claims[s] for s in everything[:LATEST]),
            people=tuple(site.people.values()),
        )
    ]
    pages += [claim_page(site, claim) for claim in site.claims.values()]
    pages += [person_page(site, person) for person in site.people.values()]
    pages.append(
        IndexPage(
            Meta(
                "people/", "index.html", "People", "Everyone whose claims the digest checks.", _latest(site, everything)
            ),
            heading="People",
            entries=tuple(Entry(p.name, url_for(p), len(site.claims_by_person[p.slug])) for p in site.people.values()),
        )
    )
    pages.append(
        ScalePage(
            Meta(
                "verdicts/",
                "scale.html",
                "Verdicts",
                "The rating scale and what each verdict means.",
                _latest(site, everything),
            ),
            tally=site.tally,
        )
    )
    for verdict in site.verdicts.values():
        slugs = site.claims_by_verdict[verdict.key]
        pages.append(
            ClaimListPage(
                Meta(
                    url_for(verdict), "list.html", f"Rated {verdict.label}", verdict.description, _latest(site, slugs)
                ),
                heading=f"Rated {verdict.label}",
                lead=verdict.description,
                claims=tuple(site.claims[s] for s in slugs),
                verdict=verdict,
            )
        )
    pages.append(
        IndexPage(
            Meta("tags/", "index.html", "Topics", "Every topic, with its checks.", _latest(site, everything)),
            heading="Topics",
            entries=tuple(Entry(t.slug, url_for(t), len(t.claims)) for t in site.tags.values()),
        )
    )
    for tag in site.tags.values():
        pages.append(
            ClaimListPage(
                Meta(
                    url_for(tag),
                    "list.html",
                    f"Topic: {tag.slug}",
                    f"Checks about {tag.slug}.",
                    _latest(site, tag.claims),
                ),
                heading=f"Topic: {tag.slug}",
                lead="",
                claims=tuple(site.claims[s] for s in tag.claims),
            )
        )
    pages.append(
        IndexPage(
            Meta("outlets/", "index.html", "Outlets", "Every news outlet the checks cite.", _latest(site, everything)),
            heading="Outlets",
            entries=tuple(Entry(o.name, url_for(o), len(o.claims)) for o in site.outlets.values()),
        )
    )
    for outlet in site.outlets.values():
        pages.append(
            ClaimListPage(
                Meta(
                    url_for(outlet),
                    "list.html",
                    f"Citing {outlet.name}",
                    f"Checks that cite {outlet.name}.",
                    _latest(site, outlet.claims),
                ),
                heading=f"Checks citing {outlet.name}",
                lead="",
                claims=tuple(site.claims[s] for s in outlet.claims),
            )
        )
    pages.append(
        TimelinePage(
            Meta(
                "timeline/",
                "timeline.html",
                "Timeline",
                "Every claim by the date it was made.",
                _latest(site, everything),
            ),
            months=site.timeline,
        )
    )
    pages.append(
        CorrectionsPage(
            Meta(
                "corrections/",
                "corrections.html",
                "Corrections",
                "Every correction and re-rating, newest first.",
                max((e.correction.date for e in site.corrections), default=None),
                feed="corrections/feed.xml",
            ),
            entries=site.corrections,
        )
    )
    for page in site.pages.values():
        pages.append(
            FreePage(
                Meta(
                    url_for(page),
                    "page.html",
                    page.title,
                    page.description or page.title,
                    page.updated or site.modified,
                ),
                page=page,
            )
        )
    pages.append(
        NotFoundPage(
            Meta(
                "404.html",
                "404.html",
                "Page not found",
                "There is no page at this address.",
                None,
                rooted=True,
                sitemap=False,
            )
        )
    )
    return tuple(pages)
