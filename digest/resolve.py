"""Records → one Site: every slug checked, every cross-reference indexed in both directions.

After ``resolve_site`` no lookup can fail: a claim's person, its people, its verdict and its
related claims all exist. Drafts and scheduled checks (``published`` after today) are checked like
every other claim, then left out unless drafts are asked for.

The checks of cross-references are ``crossrefs``' (links within the site: ``sitelinks``), the
Site's indexes and tables are built by ``indexes.index_site``, its other languages by
``translations``; this module runs them in order and reuses the last result where it can.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from .aliases import check_former_slugs, redirects
from .crossrefs import check_outlets, check_refs, check_repeats, unique_slugs
from .errors import ContentError, Diagnostic
from .images import image_paths
from .indexes import index_site
from .load import Content
from .model import Claim, Page, Person, Staff, Translation, claim_refs
from .site import Site, latest_change
from .sitelinks import check_links, targets
from .translations import check_translations, with_translations
from .urls import record_url, url_for


@dataclass(frozen=True, slots=True)
class Skipped:
    """A claim left out of the build, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: skipped: {self.reason}"


@dataclass(frozen=True, slots=True)
class Resolved:
    """The site and what was left out of it."""

    site: Site
    skipped: tuple[Skipped, ...]
    content: Content | None = None
    """What the site was resolved from, and with which settings: for the next incremental resolve."""
    today: date | None = None
    drafts: bool = False
    warnings: tuple[Diagnostic, ...] = ()
    """Problems that do not stop the build: in drafts left out of it, and links to a missing heading."""


def resolve_site(content: Content, today: date, drafts: bool = False, previous: Resolved | None = None) -> Resolved:
    """Check every cross-reference and build the Site, with its Site in each other language of
    ``languages:``; raises ContentError with every problem.

    With the ``previous`` result of the same settings, an edit that changed no cross-reference
    (the usual save in the preview: a title, a summary, the analysis) reuses its indexes.
    """
    if previous is not None and not content.problems:
        reused = _reuse(content, today, drafts, previous)
        if reused is not None and not _translation_problems(content):
            return replace(reused, site=with_translations(reused.site, content.translations))
    resolved = _resolve(content, today, drafts)
    if not content.translations and not content.config.languages:
        return resolved
    return replace(resolved, site=with_translations(resolved.site, content.translations))


def _translation_problems(content: Content) -> list[Diagnostic]:
    """The problems of the translations, and of a free page that takes a language's folder."""
    known = {kind: content.slugs.get(kind, frozenset()) for kind in ("claim", "person", "page", "staff")}
    originals: dict[str, dict[str, Claim | Person | Page | Staff]] = {
        "claim": {c.slug: c for c in content.claims},
        "person": {p.slug: p for p in content.people},
        "page": {p.slug: p for p in content.pages},
        "staff": {m.slug: m for m in content.staff},
    }
    readable = [t for t in content.translations if t.slug in originals[t.kind] or t.slug not in known[t.kind]]
    problems = check_translations(content.config.languages, readable, originals)
    for page in content.pages:
        if page.slug in content.config.languages[1:]:
            message = f"'{page.slug}' is the folder of a language in languages (site.yaml); rename the page"
            problems.append(Diagnostic(page.path, 1, message))
    return problems


def _resolve(content: Content, today: date, drafts: bool) -> Resolved:
    """resolve_site without the other languages, and without reuse."""
    problems: list[Diagnostic] = list(content.problems)
    if content.translations or content.config.languages:
        problems += _translation_problems(content)
    claims = unique_slugs(content.claims, "claim", problems)
    people = unique_slugs(content.people, "person", problems)
    pages = unique_slugs(content.pages, "page", problems)
    staff = unique_slugs(content.staff, "staff", problems)
    verdicts = {v.key: v for v in content.config.verdicts}
    check_former_slugs(content, "claim", claims.values(), problems)
    check_former_slugs(content, "person", people.values(), problems)
    known_claims = content.slugs.get("claim", frozenset()) | claims.keys()
    known_people = content.slugs.get("person", frozenset()) | people.keys()
    known_staff = content.slugs.get("staff", frozenset()) | staff.keys()
    for claim in claims.values():
        check_refs(claim.path, claim_refs(claim), known_claims, known_people, known_staff, verdicts, problems)
    for kind, _, failed in content.failed:
        if kind == "claim" and failed.refs is not None:
            check_refs(failed.path, failed.refs, known_claims, known_people, known_staff, verdicts, problems)
    check_repeats(claims, problems)
    check_outlets(sorted(claims.values(), key=lambda claim: claim.draft), problems)  # a clash lands on a draft

    skipped: list[Skipped] = []
    chosen: list[Claim] = []
    unpublished: dict[str, str] = {}
    for claim in claims.values():
        if claim.draft and not drafts:
            skipped.append(Skipped(claim.path, "draft (build --drafts to include it)"))
            unpublished[url_for(claim)] = "a draft"
        elif claim.published > today and not drafts:
            skipped.append(Skipped(claim.path, f"scheduled for {claim.published.isoformat()}"))
            unpublished[url_for(claim)] = f"scheduled for {claim.published.isoformat()}"
        else:
            chosen.append(claim)
    chosen.sort(key=lambda c: (-c.published.toordinal(), -c.claim_date.toordinal(), c.slug))
    site = index_site(content, chosen, people, pages, staff, verdicts, today)
    site = replace(site, redirects=redirects(site))
    _check_site_links(content, site, claims.values(), unpublished, problems)
    errors, warnings = _drafts_apart(content, claims.values(), drafts, problems, skipped)
    if errors:
        raise ContentError([*errors, *warnings])  # the warnings too: one run shows everything
    return Resolved(
        site=site,
        skipped=tuple(sorted(skipped, key=lambda s: s.path)),
        content=content,
        today=today,
        drafts=drafts,
        warnings=tuple(sorted(set(warnings))),
    )


def _check_site_links(
    content: Content, site: Site, claims: Iterable[Claim], unpublished: Mapping[str, str], problems: list[Diagnostic]
) -> None:
    """Every link within the site, of every file, against the pages this build makes."""
    broken = {record_url(kind, slug) for kind, slug, _ in content.failed}
    found = targets(site, content.static, unpublished, broken)
    records: list[Claim | Person | Page | Staff] = [*claims, *content.people, *content.pages, *content.staff]
    for record in records:
        if record.links:
            check_links(record.path, url_for(record), record.links, record.anchors, found, problems)
    originals: dict[str, tuple[Claim | Person | Page | Staff, ...]] = {
        "claim": content.claims,
        "person": content.people,
        "page": content.pages,
        "staff": content.staff,
    }
    for translation in content.translations:
        if translation.links:
            original = next((r for r in originals[translation.kind] if r.slug == translation.slug), None)
            if original is not None:
                check_links(
                    translation.path, url_for(original), translation.links, translation.anchors, found, problems
                )
    for kind, slug, failed in content.failed:
        if failed.refs is not None and failed.refs.links:
            refs = failed.refs
            check_links(failed.path, record_url(kind, slug), refs.links, refs.anchors, found, problems)


def _drafts_apart(
    content: Content, claims: Iterable[Claim], drafts: bool, problems: list[Diagnostic], skipped: list[Skipped]
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(errors, warnings): without --drafts, a draft's problems are warnings, as the draft is left out."""
    warnings = [problem for problem in problems if problem.warning]
    errors = [problem for problem in problems if not problem.warning]
    if drafts:
        return errors, warnings
    failed = {failed.path for kind, _, failed in content.failed if kind == "claim" and failed.draft}
    skipped += [Skipped(path, "draft with problems (see the warnings)") for path in sorted(failed)]
    left_out = failed | {claim.path for claim in claims if claim.draft}
    kept = [error for error in errors if error.path not in left_out]
    warnings += [
        Diagnostic(error.path, error.line, f"draft, not published: {error.message}", warning=True)
        for error in errors
        if error.path in left_out
    ]
    return kept, warnings


def _links(claim: Claim) -> tuple[object, ...]:
    """Everything about a claim that the site's indexes, orders and checks depend on."""
    return (
        claim.person,
        claim.people,
        claim.verdict,
        claim.tags,
        tuple(s.outlet for s in claim.sources),
        claim.related,
        claim.contradicts,
        claim.repeats,
        claim.published,
        claim.claim_date,
        claim.draft,
        claim.corrections,
        claim.path,
        claim.authors,
        claim.editors,
        tuple(target for _, target, _ in claim.links),
        claim.anchors,
        tuple(image_paths(claim)),  # links may lead to its images' copies
        claim.aliases,
    )


def _translation_links(translation: Translation) -> tuple[object, ...]:
    """What the check of a translation's links depends on: they are checked only by a whole resolve."""
    return (translation.kind, translation.slug, translation.path, translation.links, translation.anchors)


def _reuse(content: Content, today: date, drafts: bool, previous: Resolved) -> Resolved | None:
    """The previous site with changed claims swapped in, if no claim changed any of its links; else None."""
    before = previous.content
    if (
        before is None
        or (today, drafts) != (previous.today, previous.drafts)
        or content.config != before.config
        or content.static != before.static
        or len(content.claims) != len(before.claims)
        or any(a is not b for a, b in zip(content.people, before.people, strict=False))
        or any(a is not b for a, b in zip(content.pages, before.pages, strict=False))
        or any(a is not b for a, b in zip(content.staff, before.staff, strict=False))
        or (len(content.people), len(content.pages), len(content.staff))
        != (len(before.people), len(before.pages), len(before.staff))
        or list(map(_translation_links, content.translations)) != list(map(_translation_links, before.translations))
    ):
        return None
    site = previous.site
    swapped: dict[str, Claim] = {}
    for new, old in zip(content.claims, before.claims, strict=True):
        if new is old:
            continue
        if new.slug != old.slug or _links(new) != _links(old):
            return None
        swapped[new.slug] = new
    if any(slug not in site.claims for slug in swapped):
        return None  # a draft or a scheduled check changed: skipped either way, but keep it simple
    paths = {claim.path for claim in swapped.values()}
    if any(warning.path in paths for warning in previous.warnings):
        return None  # its warnings may have moved to other lines
    claims = {slug: swapped.get(slug, claim) for slug, claim in site.claims.items()}
    site = replace(site, claims=claims, modified=latest_change(claims.values()))
    return Resolved(site, previous.skipped, content, today, drafts, previous.warnings)
