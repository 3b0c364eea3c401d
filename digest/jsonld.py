"""schema.org data for crawlers and fact-check aggregators: ClaimReview and Person, as dicts.

Serialised once by ``script_json``, which escapes ``<``, ``>`` and ``&`` so that no text in the
content can close the script element that carries it.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Claim, Person, Picture, Source, Staff
from .site import Site
from .urls import absolute, url_for

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(value: Any) -> str:
    """JSON that is safe inside <script type="application/ld+json">."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)


def claim_review(site: Site, claim: Claim) -> dict[str, Any]:
    """The ClaimReview of a claim page, with exactly the properties docs/design.md lists."""
    verdict = site.verdicts[claim.verdict]
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label}
    if verdict.rating is not None:
        rating |= {"ratingValue": verdict.rating, "bestRating": site.best_rating, "worstRating": site.worst_rating}
    rating["ratingExplanation"] = claim.summary
    reviewed: dict[str, Any] = {
        "@type": "Claim",
        "datePublished": claim.claim_date.isoformat(),
        "author": _claimant(site, claim),
    }
    appearances = appearance_sources(claim)
    if appearances:
        reviewed["appearance"] = [_creative_work(s) for s in appearances]
        reviewed["firstAppearance"] = _creative_work(first_appearance(claim) or appearances[0])
    if claim.picture is not None:
        reviewed["appearance"] = [*reviewed.get("appearance", ()), _image_object(site, claim.picture)]
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute(site.config.base_url, url_for(claim)),
        "datePublished": claim.published.isoformat(),
        "dateModified": claim.modified.isoformat(),
        "claimReviewed": claim.claim,
        "author": _authors(site, claim),
        "reviewRating": rating,
        "itemReviewed": reviewed,
    }
    if site.config.languages:  # a site in several languages says which each review is in
        review["inLanguage"] = site.language_of(claim)
    if claim.editors:
        review["editor"] = [staff_member(site, site.staff[s]) for s in claim.editors]
    return review


def _authors(site: Site, claim: Claim) -> dict[str, Any] | list[dict[str, Any]]:
    """The publisher, and after it the staff who wrote the check: Google reads the organisation (the
    first author), schema.org allows several, and each Person says whom it works for."""
    if not claim.authors:
        return organisation(site)
    return [organisation(site), *(staff_member(site, site.staff[s]) for s in claim.authors)]


def _image_object(site: Site, picture: Picture) -> dict[str, Any]:
    """The claim as it appeared, in a picture: a schema.org ImageObject."""
    url = absolute(site.config.base_url, picture.path)
    image: dict[str, Any] = {"@type": "ImageObject", "contentUrl": url, "url": url}
    image |= {"width": picture.width, "height": picture.height, "encodingFormat": picture.type}
    image["description"] = picture.ref.alt
    if picture.ref.caption:
        image["caption"] = picture.ref.caption
    if picture.ref.credit:
        image["creditText"] = picture.ref.credit
    return image


def appearance_sources(claim: Claim) -> list[Source]:
    """Where the claim appeared: its sources with ``role: appearance``, else the first source with a URL."""
    appearances = [s for s in claim.sources if s.role == "appearance"]
    if not appearances:
        appearances = [s for s in claim.sources if s.url][:1]
    return appearances


def first_appearance(claim: Claim) -> Source | None:
    """The earliest dated source where the claim appeared (file order breaks ties and undated ones)."""
    appearances = appearance_sources(claim)
    dated = [s for s in appearances if s.date is not None]
    if dated:
        return min(dated, key=lambda s: s.date or claim.claim_date)
    return appearances[0] if appearances else None


def organisation(site: Site) -> dict[str, Any]:
    """The publisher as a schema.org Organization."""
    publisher = site.config.publisher
    result: dict[str, Any] = {"@type": "Organization", "name": publisher.name}
    if publisher.url:
        result["url"] = publisher.url
    return result


def person(site: Site, who: Person | Staff) -> dict[str, Any]:
    """A schema.org Person: for a person page, as the author of that person's claims, and for a
    member of the staff."""
    result: dict[str, Any] = {"@type": "Person", "name": who.name}
    if who.role:
        result["jobTitle"] = who.role
    if who.same_as:
        result["sameAs"] = list(who.same_as)
    result["url"] = absolute(site.config.base_url, url_for(who))
    return result


def staff_member(site: Site, member: Staff) -> dict[str, Any]:
    """A member of the staff as a schema.org Person who works for the publisher."""
    return {**person(site, member), "worksFor": organisation(site)}


def staff_page(site: Site, member: Staff) -> dict[str, Any]:
    """The JSON-LD of a staff member's page."""
    return {"@context": "https://schema.org"} | staff_member(site, member)


def person_page(site: Site, who: Person) -> dict[str, Any]:
    """The JSON-LD of a person page."""
    return {"@context": "https://schema.org"} | person(site, who)


def _claimant(site: Site, claim: Claim) -> dict[str, Any]:
    if claim.claimant:
        return {"@type": "Organization", "name": claim.claimant}
    return person(site, site.people[claim.person])


def _creative_work(source: Source) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "headline": source.title}
    if source.url:
        work["url"] = source.url
    if source.date:
        work["datePublished"] = source.date.isoformat()
    work["publisher"] = {"@type": "Organization", "name": source.outlet}
    return work
