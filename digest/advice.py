"""``digest check`` advice: what a fact-checking desk should fix, though the site builds without it.

Each rule gives a warning as ``path:line: warning: message``; ``--strict`` makes them errors, for
CI. The rules follow the IFCN Code of Principles (sources, methodology, corrections policy,
funding, contact, who does the work) and Google's guidance for ClaimReview (a short claimReviewed that states the
claim, not the verdict).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

from .errors import Diagnostic
from .fields import quoted
from .load import Content
from .site import Site
from .urls import file_for, url_for

CLAIM_LENGTH = 75
"""Google shows at most this many characters of claimReviewed."""
TRANSPARENCY = {
    "methodology": ("method",),
    "corrections policy": ("correction",),
    "about (with funding)": ("about", "funding"),
    "contact": ("contact",),
}
"""Pages every fact-checking site should have, and words that identify them by slug or title."""


def advise(site: Site, content: Content, home_html: bytes | None = None) -> list[Diagnostic]:
    """Every warning about a site that resolved without errors."""
    warnings: list[Diagnostic] = []

    def warn(path: str, line: int, message: str) -> None:
        warnings.append(Diagnostic(path, line, message, warning=True))

    for claim in site.claims.values():
        for index, source in enumerate(claim.sources):
            if source.url and not source.archive_url:
                warn(
                    claim.path,
                    claim.lines.get(f"sources.{index}.url", 1),
                    f"source {quoted(source.title)} has a url but no archive_url; archive it so readers can check it "
                    "if the page changes or disappears",
                )
        verdict = site.verdicts[claim.verdict]
        outlets = sorted({source.outlet for source in claim.sources})
        if verdict.rating is not None and len(outlets) < 2:
            warn(
                claim.path,
                claim.lines.get("verdict", 1),
                f"verdict '{verdict.label}' rests on {len(outlets)} outlet{'s' if len(outlets) != 1 else ''} "
                f"({', '.join(outlets)}); "
                "back it with at least two independent outlets",
            )
        if len(claim.claim) > CLAIM_LENGTH:
            warn(
                claim.path,
                claim.lines.get("claim", 1),
                f"claim is {len(claim.claim)} characters; search results show at most {CLAIM_LENGTH}: shorten it",
            )
        for label in {v.label for v in site.verdicts.values()}:
            if re.search(rf"\b{re.escape(label)}\b", claim.claim, re.IGNORECASE):
                warn(
                    claim.path,
                    claim.lines.get("claim", 1),
                    f"claim contains the verdict label '{label}'; state the claim as it was made, not the verdict",
                )
        if not claim.authors:
            warn(
                claim.path,
                1,
                "no author: sign the check with 'authors: [slug]' (a file in staff/), so readers know who checked it",
            )
        slug = claim.slug
        linked = site.related[slug] or site.contradicts[slug] or site.contradicted_by[slug]
        if not (linked or slug in site.repeat_chains):
            warn(
                claim.path,
                1,
                "no related claims; link at least one with related, contradicts or repeats, "
                "so readers can follow the story",
            )
    for person in site.people.values():
        if not (site.claims_by_person[person.slug] or site.claims_mentioning[person.slug]):
            warn(person.path, 1, f"no published claims are by or about {person.name}")
    warnings += _transparency(site, content, home_html)
    return sorted(warnings)


def _transparency(site: Site, content: Content, home_html: bytes | None) -> Iterable[Diagnostic]:
    """A warning for each transparency page that is missing, or not linked from the footer."""
    where = content.config.path or "site.yaml"
    links = _links(home_html) if home_html is not None else None
    for what, words in TRANSPARENCY.items():
        pages = [p for p in site.pages.values() if any(w in p.slug or w in p.title.lower() for w in words)]
        if not pages:
            yield Diagnostic(
                where,
                1,
                f"no {what} page: add one under pages/ (the IFCN Code of Principles asks for it)",
                warning=True,
            )
        elif links is not None and not any(file_for(url_for(p)) in links for p in pages):
            yield Diagnostic(pages[0].path, 1, f"the {what} page is not linked from the page footer", warning=True)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: set[str] = set()
        self.footer = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "footer":
            self.footer += 1
        elif tag == "a" and self.footer:
            href = dict(attrs).get("href")
            if href:
                self.links.add(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "footer":
            self.footer -= 1


def _links(html: bytes) -> set[str]:
    """The hrefs inside <footer> of a page."""
    parser = _Links()
    parser.feed(html.decode("utf-8", "replace"))
    return parser.links


def unlinked_repeats(site: Site) -> list[Diagnostic]:
    """Pairs of published checks that look like the same claim but no repeats, related or contradicts
    link joins, most alike first, each at the later claim's ``claim`` line."""
    from .similar import Known, similar_pairs

    known = [
        Known(
            c.slug,
            c.claim,
            site.speaker(c),
            c.claim_date,
            site.verdicts[c.verdict].label,
            c.path,
            c.lines.get("claim", 1),
        )
        for c in site.claims.values()
    ]
    linked = {
        slug: {
            *site.related[slug],
            *site.contradicts[slug],
            *site.contradicted_by[slug],
            *site.repeat_chains.get(slug, ()),
        }
        for slug in site.claims
    }
    return [
        Diagnostic(
            pair.later.path,
            pair.later.line,
            f"claim looks like the same claim as '{pair.earlier.slug}' ({pair.earlier.path}:{pair.earlier.line}, "
            f"similarity {pair.similarity:.0f}): if it is, list it in 'repeats'; if not, link it with 'related'",
            warning=True,
        )
        for pair in similar_pairs(known, linked)
    ]
