"""Data for others: claims.json and claimreview.json.

Field names follow Google's Fact Check Tools API where it has one (``text``, ``claimant``,
``claimDate``, ``claimReview[].textualRating``, ``reviewDate``...), so aggregators can read the
file as they read that API; the digest's own fields sit beside them. README.md documents both.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Claim
from .site import Site
from .urls import absolute, url_for

SCHEMA_VERSION = 1


def line(value: Any) -> bytes:
    """A value as one line of UTF-8 JSON (the C encoder: no indent)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _array(lines: list[bytes], before: bytes = b"", after: bytes = b"\n") -> bytes:
    """A JSON array with one item per line, between ``before`` and ``after``: diffable, and fast to
    write (one join, not a copy per concatenation: at 10,000 claims the array is tens of MB)."""
    if not lines:
        return before + b"[]" + after
    return b"".join((before, b"[\n", b",\n".join(lines), b"\n]", after))


def claim_record(site: Site, claim: Claim) -> dict[str, Any]:
    """One claim with every field, its references resolved to names and canonical URLs."""
    base = site.config.base_url
    verdict = site.verdicts[claim.verdict]
    person = site.people[claim.person]

    def claim_link(slug: str) -> dict[str, str]:
        return {"slug": slug, "url": absolute(base, url_for(site.claims[slug]))}

    def staff_link(slug: str) -> dict[str, str]:
        member = site.staff[slug]
        return {"slug": slug, "name": member.name, "role": member.role, "url": absolute(base, url_for(member))}

    return {
        "text": claim.claim,
        "claimant": site.speaker(claim),
        "claimDate": claim.claim_date.isoformat(),
        "claimReview": [
            {
                "publisher": {"name": site.config.publisher.name, "site": site.config.publisher.url},
                "url": absolute(base, url_for(claim)),
                "title": claim.title,
                "reviewDate": claim.published.isoformat(),
                "textualRating": verdict.label,
                "languageCode": site.language_of(claim),
            }
        ],
        "slug": claim.slug,
        "person": {"slug": person.slug, "name": person.name, "url": absolute(base, url_for(person))},
        "people": [
            {"slug": p, "name": site.people[p].name, "url": absolute(base, url_for(site.people[p]))}
            for p in claim.people
        ],
        "verdict": {"key": verdict.key, "label": verdict.label, "rating": verdict.rating},
        "authors": [staff_link(s) for s in claim.authors],
        "editors": [staff_link(s) for s in claim.editors],
        "summary": claim.summary,
        "published": claim.published.isoformat(),
        "updated": claim.updated.isoformat() if claim.updated else None,
        "modified": claim.modified.isoformat(),
        "sources": [
            {
                "title": s.title,
                "outlet": s.outlet,
                "outletUrl": absolute(base, url_for(site.outlets[s.outlet_slug], language=site.translation)),
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
        "repeats": [claim_link(s) for s in site.repeats[claim.slug]],
        "repeatedBy": [claim_link(s) for s in site.repeated_by[claim.slug]],
        "tags": list(claim.tags),
        "corrections": [
            {
                "date": c.date.isoformat(),
                "type": c.kind,
                "note": c.note,
                "from": c.previous_verdict,
                "url": absolute(base, url_for(claim), anchor),
            }
            for c, anchor in zip(claim.corrections, claim.correction_ids, strict=True)
        ],
    }


def claims_json(site: Site, lines: list[bytes]) -> bytes:
    """Every published claim, newest first, from the lines of claim_record."""
    header = {
        "version": SCHEMA_VERSION,
        "site": {"title": site.config.title, "url": site.config.base_url, "language": site.config.language},
    }
    return _array(lines, line(header)[:-1] + b',"claims":', b"}\n")


def claimreview_json(lines: list[bytes]) -> bytes:
    """The ClaimReview object of every claim page, as a JSON array, newest first (lines of claim_review)."""
    return _array(lines)


def read_lines(data: bytes, kind: str) -> list[bytes] | None:
    """The claim lines of a claims.json (kind "claim") or claimreview.json ("review") written by
    ``claims_json`` or ``claimreview_json``; None if the file is not in that form."""
    if kind == "claim":
        start, end = data.find(b',"claims":[\n'), b"\n]}\n"
        begin = start + len(b',"claims":[\n')
    else:
        start, end = (0 if data.startswith(b"[\n") else -1), b"\n]\n"
        begin = 2
    if start < 0 or not data.endswith(end):
        return None
    return data[begin : len(data) - len(end)].split(b",\n")
