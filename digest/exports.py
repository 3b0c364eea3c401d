"""Data for others: claims.json and claimreview.json.

Field names follow Google's Fact Check Tools API where it has one (``text``, ``claimant``,
``claimDate``, ``claimReview[].textualRating``, ``reviewDate``...), so aggregators can read the
file as they read that API; the digest's own fields sit beside them. README.md documents both.
"""

from __future__ import annotations

import json
from typing import Any

from . import jsonld
from .model import Claim, Site
from .urls import absolute, url_for

SCHEMA_VERSION = 1


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _array(items: list[Any]) -> str:
    """A JSON array with one item per line: diffable, and fast to write (the C encoder, no indent)."""
    return "[\n" + ",\n".join(map(_line, items)) + "\n]" if items else "[]"


def claim_record(site: Site, claim: Claim) -> dict[str, Any]:
    """One claim with every field, its references resolved to names and canonical URLs."""
    base = site.config.base_url
    verdict = site.verdicts[claim.verdict]
    person = site.people[claim.person]

    def claim_link(slug: str) -> dict[str, str]:
        return {"slug": slug, "url": absolute(base, url_for(site.claims[slug]))}

    return {
        "text": claim.claim,
        "claimant": claim.claimant or person.name,
        "claimDate": claim.claim_date.isoformat(),
        "claimReview": [
            {
                "publisher": {"name": site.config.publisher.name, "site": site.config.publisher.url},
                "url": absolute(base, url_for(claim)),
                "title": claim.title,
                "reviewDate": claim.published.isoformat(),
                "textualRating": verdict.label,
                "languageCode": site.config.language,
            }
        ],
        "slug": claim.slug,
        "person": {"slug": person.slug, "name": person.name, "url": absolute(base, url_for(person))},
        "people": [
            {"slug": p, "name": site.people[p].name, "url": absolute(base, url_for(site.people[p]))}
            for p in claim.people
        ],
        "verdict": {"key": verdict.key, "label": verdict.label, "rating": verdict.rating},
        "summary": claim.summary,
        "published": claim.published.isoformat(),
        "updated": claim.updated.isoformat() if claim.updated else None,
        "modified": claim.modified.isoformat(),
        "sources": [
            {
                "title": s.title,
                "outlet": s.outlet,
                "outletUrl": absolute(base, f"outlets/{s.outlet_slug}/"),
                "date": s.date.isoformat() if s.date else None,
                "role": s.role,
                "url": s.url,
                "archiveUrl": s.archive_url,
            }
            for s in claim.sources
        ],
        "related": [claim_link(s) for s in site.related[claim.slug]],
        "contradicts": [claim_link(s) for s in site.contradicts[claim.slug]],
        "contradictedBy": [claim_link(s) for s in site.contradicted_by[claim.slug]],
        "tags": list(claim.tags),
        "corrections": [
            {
                "date": c.date.isoformat(),
                "type": c.kind,
                "note": c.note,
                "from": c.previous_verdict,
                "url": absolute(base, url_for(claim)) + "#" + anchor,
            }
            for c, anchor in zip(claim.corrections, claim.correction_ids, strict=True)
        ],
    }


def claims_json(site: Site) -> bytes:
    """Every published claim, newest first."""
    header = {
        "version": SCHEMA_VERSION,
        "site": {"title": site.config.title, "url": site.config.base_url, "language": site.config.language},
    }
    claims = _array([claim_record(site, claim) for claim in site.claims.values()])
    return (_line(header)[:-1] + ',"claims":' + claims + "}\n").encode("utf-8")


def claimreview_json(site: Site) -> bytes:
    """The ClaimReview object of every claim page, as a JSON array, newest first."""
    return (_array([jsonld.claim_review(site, claim) for claim in site.claims.values()]) + "\n").encode("utf-8")
