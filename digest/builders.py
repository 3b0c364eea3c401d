"""The context of each kind of page, made from the Site: what its template gets as ``page``.

Each builder takes the site, the planned page and the description of its kind (``plan.PageKind``,
from the table in ``pages``) and returns the frozen context of ``contexts``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from . import urls
from .aliases import redirect_target
from .cards import site_alt
from .contexts import (
    Alternate,
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
    Pager,
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
from .model import Claim
from .plan import Kind, PageKind, Planned, page_count
from .shows import chain, on_page, page_lastmod, timeline_page
from .site import Site
from .urls import absolute, card_for, feed_for, in_language, url_for

LATEST = 20
"""Checks shown on the home page."""
MOST_REPEATED = 5
"""Claims shown on the home page as the most repeated."""


def _meta(
    site: Site,
    planned: Planned,
    described: PageKind,
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
    lastmod = page_lastmod(site, planned, described)
    sitemap, pager = described.sitemap, _pager(site, planned, described)
    return Meta(
        planned.path,
        described.template,
        title,
        description,
        lastmod,
        og_type,
        jsonld,
        rooted,
        sitemap,
        feed,
        image,
        alternates(site, planned),
        pager,
    )


_RECORD_IDS = {Kind.CLAIM: "claim", Kind.PERSON: "person", Kind.MEMBER: "staff", Kind.PAGE: "page"}


def alternates(site: Site, planned: Planned) -> tuple[Alternate, ...]:
    """The page in every language it exists in, the first language's first; () for a page in one only."""
    languages = site.config.languages
    if len(languages) < 2 or planned.kind in (Kind.REDIRECT, Kind.NOT_FOUND):
        return ()
    kind = _RECORD_IDS.get(planned.kind)
    codes = site.translated.get(f"{kind}:{planned.key}", ()) if kind is not None else languages
    if len(codes) < 2:
        return ()
    path = planned.path.removeprefix(urls.root(planned.language))
    return tuple(Alternate(code, in_language(path, code, languages[0])) for code in codes)


def _pager(site: Site, planned: Planned, described: PageKind) -> Pager | None:
    """Where the page stands in its list, for a kind whose lists are split into pages."""
    if described.paged is None:
        return None
    subject = described.path if described.subjects is None else described.subjects(site)[planned.key]
    first = url_for(subject, language=site.translation)
    count = page_count(described.paged(site, planned.key), site.config.page_size)
    return Pager(
        planned.number, tuple(url_for(first, number, language=site.translation) for number in range(1, count + 1))
    )


def claim_context(site: Site, planned: Planned, described: PageKind) -> ClaimPage:
    """One check."""
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
            described,
            claim.title,
            "",  # worded by the template, as every sentence a reader sees
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
        repeat_chain=tuple(site.claims[s] for s in chain(site, claim.slug)),
    )


def _share_image(site: Site, claim: Claim) -> ShareImage:
    """The claim's own image as it appeared, when it has one; else its social card (whose alt text
    the template words), or the site's without cards of claims (``social_cards: false``)."""
    picture = claim.picture
    if picture is None and not site.config.social_cards:
        return ShareImage(urls.SITE_CARD, site_alt(site))
    if picture is None:
        return ShareImage(card_for(claim), "")
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


def person_context(site: Site, planned: Planned, described: PageKind) -> PersonPage:
    """One person: scorecard, their claims, the checks that mention them."""
    person = site.people[planned.key]
    own, others = site.claims_by_person[person.slug], site.claims_mentioning[person.slug]
    claims, mentions = _two_lists(site, planned, own, others)
    return PersonPage(
        meta=_profile(site, planned, described, person.name, person_page(site, person), feed_for(person)),
        person=person,
        claims=claims,
        tally=site.tallies[person.slug],
        mentions=mentions,
        repeated=site.repeat_counts[person.slug],
        claim_count=len(own),
        mention_count=len(others),
    )


def _profile(
    site: Site, planned: Planned, described: PageKind, name: str, jsonld: dict[str, Any], feed: str | None = None
) -> Meta:
    """The meta of a person's or a staff member's page: a profile, named after them."""
    return _meta(site, planned, described, name, "", og_type="profile", jsonld=script_json(jsonld), feed=feed)


def _two_lists(
    site: Site, planned: Planned, first: tuple[str, ...], then: tuple[str, ...]
) -> tuple[tuple[Claim, ...], tuple[Claim, ...]]:
    """The claims of two lists shown one after the other (a person's own, then those that mention
    them) that the page shows: the pages go through the first, then the second."""
    listed = on_page(site, planned.number, (*first, *then))
    split = max(0, len(first) - (planned.number - 1) * site.config.page_size)
    return tuple(site.claims[s] for s in listed[:split]), tuple(site.claims[s] for s in listed[split:])


def member_context(site: Site, planned: Planned, described: PageKind) -> StaffPage:
    """One member of the staff and the checks they signed."""
    member = site.staff[planned.key]
    written, edited = _two_lists(site, planned, site.claims_by_author[member.slug], site.claims_by_editor[member.slug])
    return StaffPage(
        meta=_profile(site, planned, described, member.name, staff_page(site, member)),
        member=member,
        written=written,
        edited=edited,
        written_count=len(site.claims_by_author[member.slug]),
        edited_count=len(site.claims_by_editor[member.slug]),
    )


def home_context(site: Site, planned: Planned, described: PageKind) -> HomePage:
    """The digest's home page."""
    config = site.config
    return HomePage(
        _meta(
            site,
            planned,
            described,
            config.title,
            config.description,
            feed=feed_for(urls.HOME, language=site.translation),
        ),
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


def index_context(
    subject: str, entries: Callable[[Site], Iterable[Entry]]
) -> Callable[[Site, Planned, PageKind], IndexPage]:
    """The builder of an index page (``people``, ``staff``, ``tags``, ``outlets``: the template words
    its title) with these entries."""

    def build(site: Site, planned: Planned, described: PageKind) -> IndexPage:
        listed = on_page(site, planned.number, tuple(entries(site)))
        return IndexPage(_meta(site, planned, described, "", ""), subject, listed)

    return build


def scale_context(site: Site, planned: Planned, described: PageKind) -> ScalePage:
    """The verdict scale."""
    meta = _meta(site, planned, described, "", "")
    return ScalePage(meta, site.tally)


def verdict_context(site: Site, planned: Planned, described: PageKind) -> ClaimListPage:
    """The claims with one verdict."""
    verdict = site.verdicts[planned.key]
    meta = _meta(site, planned, described, verdict.label, verdict.description)
    return ClaimListPage(meta, *_claims_on_page(site, planned, site.claims_by_verdict[planned.key]), verdict=verdict)


def _claims_on_page(site: Site, planned: Planned, slugs: tuple[str, ...]) -> tuple[tuple[Claim, ...], int]:
    """The claims of a list on this page, and how many the list has."""
    return tuple(site.claims[s] for s in on_page(site, planned.number, slugs)), len(slugs)


def tag_context(site: Site, planned: Planned, described: PageKind) -> ClaimListPage:
    """The claims with one tag."""
    tag = site.tags[planned.key]
    meta = _meta(site, planned, described, tag.slug, "")
    return ClaimListPage(meta, *_claims_on_page(site, planned, tag.claims), tag=tag)


def outlet_context(site: Site, planned: Planned, described: PageKind) -> ClaimListPage:
    """The claims citing one outlet."""
    outlet = site.outlets[planned.key]
    meta = _meta(site, planned, described, outlet.name, "")
    return ClaimListPage(meta, *_claims_on_page(site, planned, outlet.claims), outlet=outlet)


def timeline_context(site: Site, planned: Planned, described: PageKind) -> TimelinePage:
    """Every claim by claim date."""
    meta = _meta(site, planned, described, "", "")
    return TimelinePage(meta, timeline_page(site, planned.number))


def corrections_context(site: Site, planned: Planned, described: PageKind) -> CorrectionsPage:
    """Every correction, newest first."""
    meta = _meta(site, planned, described, "", "", feed=feed_for(urls.CORRECTIONS, language=site.translation))
    return CorrectionsPage(meta, on_page(site, planned.number, site.corrections))


def free_context(site: Site, planned: Planned, described: PageKind) -> FreePage:
    """A free page (about, methodology...)."""
    page = site.pages[planned.key]
    return FreePage(_meta(site, planned, described, page.title, page.description or page.title), page)


def search_context(site: Site, planned: Planned, described: PageKind) -> SearchPage:
    """The search page."""
    return SearchPage(_meta(site, planned, described, "", ""), site.search_scale())


def redirect_context(site: Site, planned: Planned, described: PageKind) -> RedirectPage:
    """The old address of a claim or a person."""
    moved = redirect_target(site, site.redirects[planned.key])
    label = moved.title if isinstance(moved, Claim) else moved.name
    return RedirectPage(_meta(site, planned, described, label, ""), moved, label)


def not_found_context(site: Site, planned: Planned, described: PageKind) -> NotFoundPage:
    """404.html."""
    meta = _meta(site, planned, described, "", "", rooted=True)
    return NotFoundPage(meta)
