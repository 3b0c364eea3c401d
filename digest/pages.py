"""Site → the plan of every HTML page: where it goes, what it shows, and what it depends on.

``plan_pages`` lists every page cheaply; ``page_context`` builds the context a template gets (each
page kind declares it as a frozen dataclass, listed in ``themes/README.md``); ``page_dependencies``
names the records a page shows, so a rebuild renders again only the pages whose records changed.
Nothing here knows Jinja: ``render`` turns contexts into bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from .cards import claim_alt, site_alt
from .images import share_copy
from .jsonld import claim_review, person_page, script_json
from .model import Claim, Correction, CorrectionEntry, Month, Page, Person, Site, Tally, Verdict
from .urls import url_for

LATEST = 20
"""Checks shown on the home page."""


@dataclass(frozen=True, slots=True)
class ShareImage:
    """The image a shared link shows (``og:image``, ``twitter:image``)."""

    path: str
    """Site path of the file."""
    alt: str
    width: int = 1200
    height: int = 630
    type: str = "image/png"


SITE_CARD = "card.png"
"""The site's social card: the share image of every page but a claim's."""


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
    image: ShareImage = ShareImage(SITE_CARD, "")
    """The page's share image: its claim's social card, else the site's."""


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
    """One person: bio, scorecard and their own claims, then the checks that mention them."""

    meta: Meta
    person: Person
    claims: tuple[Claim, ...]
    """Their own claims (``person`` is them), newest first: what the scorecard counts."""
    tally: Tally
    mentions: tuple[Claim, ...]
    """Claims by others that name them in ``people``, newest first: never in the scorecard."""


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
    mentions: int | None = None
    """People only: how many checks of others' claims mention them (not part of ``count``)."""


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
class SearchPage:
    """Full-text search (Pagefind), with filters by person and verdict."""

    meta: Meta


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
    | SearchPage
    | NotFoundPage
)


@dataclass(frozen=True, slots=True)
class Planned:
    """One page of the plan, before its context is built."""

    path: str
    """Site path: ``claims/x/``, ``""`` for the home page, ``404.html``."""
    kind: str
    """home, claim, person, people, scale, verdict, tags, tag, outlets, outlet, timeline, corrections,
    page or 404."""
    key: str = ""
    """The slug or verdict key of the page's subject, if it has one."""


SITE = "site"
"""Dependency on the settings, the scale, the footer's free pages and which claims are drafts."""
ALL = "all"
"""Dependency on every published claim and person (tallies, counts, the timeline)."""


def card_path(slug: str) -> str:
    """Where a claim's social card is written: the claim page's og:image."""
    return f"claims/{slug}/card.png"


def claim_id(slug: str) -> str:
    """The dependency id of a claim."""
    return f"claim:{slug}"


def person_id(slug: str) -> str:
    """The dependency id of a person."""
    return f"person:{slug}"


def page_id(slug: str) -> str:
    """The dependency id of a free page."""
    return f"page:{slug}"


def _latest(site: Site, slugs: Iterable[str]) -> date | None:
    return max((site.claims[s].modified for s in slugs), default=None)


def _listed(site: Site, slugs: Iterable[str]) -> list[str]:
    """A list of claims shows each claim and its speaker (its person)."""
    ids: list[str] = []
    for slug in slugs:
        claim = site.claims[slug]
        ids += (claim_id(slug), person_id(claim.person))
    return ids


def _claims_of(site: Site, planned: Planned) -> tuple[str, ...]:
    match planned.kind:
        case "verdict":
            return site.claims_by_verdict[planned.key]
        case "tag":
            return site.tags[planned.key].claims
        case "outlet":
            return site.outlets[planned.key].claims
        case "person":
            return (*site.claims_by_person[planned.key], *site.claims_mentioning[planned.key])
    return ()


def plan_pages(site: Site) -> tuple[Planned, ...]:
    """Every HTML page of the site, in a stable order."""
    plan = [Planned("", "home")]
    plan += [Planned(f"claims/{slug}/", "claim", slug) for slug in site.claims]
    plan += [Planned(f"people/{slug}/", "person", slug) for slug in site.people]
    plan.append(Planned("people/", "people"))
    plan.append(Planned("verdicts/", "scale"))
    plan += [Planned(f"verdicts/{key}/", "verdict", key) for key in site.verdicts]
    plan.append(Planned("tags/", "tags"))
    plan += [Planned(f"tags/{slug}/", "tag", slug) for slug in site.tags]
    plan.append(Planned("outlets/", "outlets"))
    plan += [Planned(f"outlets/{slug}/", "outlet", slug) for slug in site.outlets]
    plan.append(Planned("timeline/", "timeline"))
    plan.append(Planned("corrections/", "corrections"))
    plan += [Planned(f"{slug}/", "page", slug) for slug in site.pages]
    plan.append(Planned("search/", "search"))
    plan.append(Planned("404.html", "404"))
    return tuple(plan)


def page_dependencies(site: Site, planned: Planned) -> list[str]:
    """The ids of every record the page shows (besides SITE, which every page shows)."""
    match planned.kind:
        case "claim":
            claim = site.claims[planned.key]
            slug = claim.slug
            others = (*site.related[slug], *site.contradicts[slug], *site.contradicted_by[slug])
            return [claim_id(slug), *map(person_id, (claim.person, *claim.people)), *_listed(site, others)]
        case "person":
            return [person_id(planned.key), *_listed(site, _claims_of(site, planned))]
        case "verdict" | "tag" | "outlet":
            return _listed(site, _claims_of(site, planned))
        case "page":
            return [page_id(planned.key)]
        case "404" | "search":
            return []
    return [ALL]


ALWAYS = ("", "people/", "verdicts/", "tags/", "outlets/", "timeline/", "corrections/")
"""Pages that depend on ALL: they can change whenever any claim does."""


def pages_showing(site: Site, slug: str) -> set[str]:
    """The site paths of every page whose dependencies include the claim: the inverse of page_dependencies."""
    paths = set(ALWAYS)
    claim = site.claims.get(slug)
    if claim is None:
        return paths
    paths.add(f"claims/{slug}/")
    for other in (*site.related[slug], *site.contradicts[slug], *site.contradicted_by[slug]):
        paths.add(f"claims/{other}/")
    paths.update(f"people/{person}/" for person in (claim.person, *claim.people))
    paths.add(f"verdicts/{claim.verdict}/")
    paths.update(f"tags/{tag}/" for tag in claim.tags)
    paths.update(f"outlets/{source.outlet_slug}/" for source in claim.sources)
    return paths


def page_lastmod(site: Site, planned: Planned) -> date | None:
    """The last change to anything the page shows, for the sitemap."""
    match planned.kind:
        case "claim":
            return site.claims[planned.key].modified
        case "person" | "verdict" | "tag" | "outlet":
            return _latest(site, _claims_of(site, planned))
        case "corrections":
            return max((e.correction.date for e in site.corrections), default=None)
        case "page":
            return site.pages[planned.key].updated or site.modified
        case "404":
            return None
    return site.modified


def page_context(site: Site, planned: Planned) -> PageContext:
    """The context the page's template is rendered with."""
    return _CONTEXTS[planned.kind](site, planned)


def _meta(
    site: Site,
    planned: Planned,
    template: str,
    title: str,
    description: str,
    *,
    og_type: str = "website",
    jsonld: str | None = None,
    rooted: bool = False,
    sitemap: bool = True,
    feed: str | None = None,
    image: ShareImage | None = None,
) -> Meta:
    lastmod = page_lastmod(site, planned)
    image = image or ShareImage(SITE_CARD, site_alt(site))
    return Meta(planned.path, template, title, description, lastmod, og_type, jsonld, rooted, sitemap, feed, image)


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
            "claim.html",
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
    )


def _share_image(site: Site, claim: Claim) -> ShareImage:
    """The claim's own image as it appeared, when it has one; else its social card."""
    picture = claim.picture
    if picture is None:
        return ShareImage(card_path(claim.slug), claim_alt(site, claim))
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
            "person.html",
            person.name,
            f"{role}claims by {person.name} checked by {site.config.publisher.name}, and checks that mention them.",
            og_type="profile",
            jsonld=script_json(person_page(site, person)),
            feed=f"{planned.path}feed.xml",
        ),
        person=person,
        claims=tuple(site.claims[s] for s in site.claims_by_person[person.slug]),
        tally=site.tallies[person.slug],
        mentions=tuple(site.claims[s] for s in site.claims_mentioning[person.slug]),
    )


def _home(site: Site, planned: Planned) -> HomePage:
    config = site.config
    return HomePage(
        _meta(site, planned, "home.html", config.title, config.description, feed="feed.xml"),
        latest=tuple(site.claims[s] for s in list(site.claims)[:LATEST]),
        people=tuple(site.people.values()),
    )


def _index(
    heading: str, description: str, entries: Callable[[Site], Iterable[Entry]]
) -> Callable[[Site, Planned], IndexPage]:
    def build(site: Site, planned: Planned) -> IndexPage:
        return IndexPage(_meta(site, planned, "index.html", heading, description), heading, tuple(entries(site)))

    return build


def _scale(site: Site, planned: Planned) -> ScalePage:
    return ScalePage(
        _meta(site, planned, "scale.html", "Verdicts", "The rating scale and what each verdict means."), site.tally
    )


def _list(site: Site, planned: Planned) -> ClaimListPage:
    claims = tuple(site.claims[s] for s in _claims_of(site, planned))
    if planned.kind == "verdict":
        verdict = site.verdicts[planned.key]
        heading = f"Rated {verdict.label}"
        return ClaimListPage(
            _meta(site, planned, "list.html", heading, verdict.description),
            heading,
            verdict.description,
            claims,
            verdict,
        )
    if planned.kind == "tag":
        heading = f"Topic: {planned.key}"
        return ClaimListPage(
            _meta(site, planned, "list.html", heading, f"Checks about {planned.key}."), heading, "", claims
        )
    name = site.outlets[planned.key].name
    heading = f"Checks citing {name}"
    return ClaimListPage(_meta(site, planned, "list.html", heading, f"Checks that cite {name}."), heading, "", claims)


def _timeline(site: Site, planned: Planned) -> TimelinePage:
    meta = _meta(site, planned, "timeline.html", "Timeline", "Every claim by the date it was made.")
    return TimelinePage(meta, site.timeline)


def _corrections(site: Site, planned: Planned) -> CorrectionsPage:
    meta = _meta(
        site,
        planned,
        "corrections.html",
        "Corrections",
        "Every correction and re-rating, newest first.",
        feed="corrections/feed.xml",
    )
    return CorrectionsPage(meta, site.corrections)


def _free(site: Site, planned: Planned) -> FreePage:
    page = site.pages[planned.key]
    return FreePage(_meta(site, planned, "page.html", page.title, page.description or page.title), page)


def _search(site: Site, planned: Planned) -> SearchPage:
    description = "Search every check by words, person and verdict."
    return SearchPage(_meta(site, planned, "search.html", "Search", description))


def _not_found(site: Site, planned: Planned) -> NotFoundPage:
    meta = _meta(
        site, planned, "404.html", "Page not found", "There is no page at this address.", rooted=True, sitemap=False
    )
    return NotFoundPage(meta)


_CONTEXTS: dict[str, Callable[[Site, Planned], PageContext]] = {
    "home": _home,
    "claim": _claim,
    "person": _person,
    "people": _index(
        "People",
        "Everyone whose claims the digest checks, and everyone those checks mention.",
        lambda site: (
            Entry(p.name, url_for(p), len(site.claims_by_person[p.slug]), len(site.claims_mentioning[p.slug]))
            for p in site.people.values()
        ),
    ),
    "scale": _scale,
    "verdict": _list,
    "tags": _index(
        "Topics",
        "Every topic, with its checks.",
        lambda site: (Entry(t.slug, url_for(t), len(t.claims)) for t in site.tags.values()),
    ),
    "tag": _list,
    "outlets": _index(
        "Outlets",
        "Every news outlet the checks cite.",
        lambda site: (Entry(o.name, url_for(o), len(o.claims)) for o in site.outlets.values()),
    ),
    "outlet": _list,
    "timeline": _timeline,
    "corrections": _corrections,
    "page": _free,
    "search": _search,
    "404": _not_found,
}
