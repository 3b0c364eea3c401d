"""Records → one Site: every slug checked, every cross-reference indexed in both directions.

After ``resolve_site`` no lookup can fail: a claim's person, its people, its verdict and its
related claims all exist. Drafts and scheduled checks (``published`` after today) are checked like
every other claim, then left out unless drafts are asked for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from .aliases import check_former_slugs, redirects
from .errors import ContentError, Diagnostic
from .fields import quoted, suggest
from .images import image_paths
from .load import Content
from .model import (
    Claim,
    CorrectionEntry,
    Month,
    Outlet,
    Page,
    Person,
    Refs,
    Site,
    Staff,
    Tag,
    Tally,
    Verdict,
    claim_refs,
    latest_change,
)
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
    claims = _unique_slugs(content.claims, "claim", problems)
    people = _unique_slugs(content.people, "person", problems)
    pages = _unique_slugs(content.pages, "page", problems)
    staff = _unique_slugs(content.staff, "staff", problems)
    verdicts = {v.key: v for v in content.config.verdicts}
    check_former_slugs(content, "claim", claims.values(), problems)
    check_former_slugs(content, "person", people.values(), problems)
    known_claims = content.slugs.get("claim", frozenset()) | claims.keys()
    known_people = content.slugs.get("person", frozenset()) | people.keys()
    known_staff = content.slugs.get("staff", frozenset()) | staff.keys()
    for claim in claims.values():
        _check_refs(claim.path, claim_refs(claim), known_claims, known_people, known_staff, verdicts, problems)
    for kind, _, failed in content.failed:
        if kind == "claim" and failed.refs is not None:
            _check_refs(failed.path, failed.refs, known_claims, known_people, known_staff, verdicts, problems)
    _check_repeats(claims, problems)
    _check_outlets(sorted(claims.values(), key=lambda claim: claim.draft), problems)  # a clash lands on a draft

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
    site = _index(content, chosen, people, pages, staff, verdicts, today)
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


R = TypeVar("R", Claim, Person, Page, Staff)


def _unique_slugs(records: Sequence[R], kind: str, problems: list[Diagnostic]) -> dict[str, R]:
    by_slug: dict[str, list[R]] = defaultdict(list)
    for record in records:
        by_slug[record.slug].append(record)
    for slug, group in by_slug.items():
        for record in group[1:] if len(group) > 1 else ():
            problems.append(
                Diagnostic(record.path, 1, f"{kind} slug '{slug}' is already used by {group[0].path}; rename one")
            )
    return {slug: group[0] for slug, group in sorted(by_slug.items())}


def _check_refs(
    path: str,
    refs: Refs,
    claims: Set[str],
    people: Set[str],
    staff: Set[str],
    verdicts: Mapping[str, Verdict],
    problems: list[Diagnostic],
) -> None:
    """Every slug a claim's file names must exist: its person and people, its verdict, its related
    claims. Runs on what could be read of a file that has other problems too."""

    def problem(field: str, message: str) -> None:
        problems.append(Diagnostic(path, refs.lines.get(field, 1), message))

    if refs.person is not None and refs.person not in people:
        problem("person", f"unknown person '{refs.person}'{suggest(refs.person, people)}")
    for index, slug in enumerate(refs.people):
        if slug is not None and slug not in people:
            problem(f"people.{index}", f"unknown person '{slug}' in 'people'{suggest(slug, people)}")
    for field in ("authors", "editors"):
        for index, slug in enumerate(getattr(refs, field)):
            if slug is not None and slug not in staff:
                hint = suggest(slug, staff) or f"; write staff/{slug}.md (name, role) or fix the slug"
                problem(f"{field}.{index}", f"unknown staff member '{slug}' in '{field}'{hint}")
    if refs.verdict is not None and refs.verdict not in verdicts:
        problem("verdict", f"verdict '{refs.verdict}' is not on the scale{_scale_hint(refs.verdict, verdicts)}")
    for field in ("related", "contradicts", "repeats"):
        for index, slug in enumerate(getattr(refs, field)):
            if slug is not None and slug not in claims:
                problem(f"{field}.{index}", f"unknown claim '{slug}' in '{field}'{suggest(slug, claims)}")
    for previous, line in refs.previous_verdicts:
        if previous not in verdicts:
            message = f"verdict '{previous}' in 'from' is not on the scale{_scale_hint(previous, verdicts)}"
            problems.append(Diagnostic(path, line, message))


def _check_repeats(claims: Mapping[str, Claim], problems: list[Diagnostic]) -> None:
    """A claim repeats only earlier claims (or claims of the same day), and never goes round in a circle."""
    earlier: dict[str, list[str]] = {}
    for slug, claim in claims.items():
        earlier[slug] = []
        for index, other in enumerate(claim.repeats):
            target = claims.get(other)
            if target is None:
                continue  # unknown: reported by _check_claim
            if target.claim_date > claim.claim_date:
                problems.append(
                    Diagnostic(
                        claim.path,
                        claim.lines.get(f"repeats.{index}", 1),
                        f"'{other}' in 'repeats' was made {target.claim_date.isoformat()}, after this claim "
                        f"({claim.claim_date.isoformat()}); a claim repeats only earlier ones: "
                        f"list '{slug}' in the 'repeats' of '{other}' instead",
                    )
                )
            else:
                earlier[slug].append(other)
    for cycle in _cycles(earlier):
        claim = claims[cycle[0]]
        index = claim.repeats.index(cycle[1])
        circle = " → ".join((*cycle, cycle[0]))
        message = f"'repeats' goes round in a circle: {circle}; remove one of these links"
        problems.append(Diagnostic(claim.path, claim.lines.get(f"repeats.{index}", 1), message))


def _cycles(graph: Mapping[str, Sequence[str]]) -> list[tuple[str, ...]]:
    """Every distinct cycle found by a depth-first walk of the graph, each starting at its smallest node."""
    found: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(graph):
        if start in state:
            continue
        path: list[str] = [start]
        state[start] = 1
        stack = [iter(graph[start])]
        while stack:
            following = next(stack[-1], None)
            if following is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(following) == 1:
                cycle = path[path.index(following) :]
                first = cycle.index(min(cycle))
                found.add(tuple(cycle[first:] + cycle[:first]))
            elif following not in state:
                state[following] = 1
                path.append(following)
                stack.append(iter(graph.get(following, ())))
    return sorted(found)


def _scale_hint(key: str, verdicts: Mapping[str, Verdict]) -> str:
    hint = suggest(key, verdicts)
    return hint or f" (the scale: {', '.join(verdicts)})"


def _check_outlets(claims: Iterable[Claim], problems: list[Diagnostic]) -> None:
    """Two different outlet names must not share a page."""
    first: dict[str, tuple[str, Claim, int]] = {}
    for claim in claims:
        for index, source in enumerate(claim.sources):
            known = first.setdefault(source.outlet_slug, (source.outlet, claim, index))
            if known[0] != source.outlet:
                where = f"{known[1].path}:{known[1].lines.get(f'sources.{known[2]}.outlet', 1)}"  # only now: unpacking
                problems.append(  # every claim's lines would cost a warm build a quarter of a second
                    Diagnostic(
                        claim.path,
                        claim.lines.get(f"sources.{index}.outlet", 1),
                        f"outlet {quoted(source.outlet)} and outlet {quoted(known[0])} ({where}) "
                        f"would share the page "
                        f"outlets/{source.outlet_slug}/; spell the outlet the same way in both",
                    )
                )


def _index(
    content: Content,
    claims: list[Claim],
    people: Mapping[str, Person],
    pages: Mapping[str, Page],
    staff: Mapping[str, Staff],
    verdicts: Mapping[str, Verdict],
    today: date,
) -> Site:
    published = {c.slug: c for c in claims}
    order = {slug: index for index, slug in enumerate(published)}

    def ordered(slugs: Iterable[str]) -> tuple[str, ...]:
        chosen = {s for s in slugs if s in published}
        return tuple(sorted(chosen, key=order.__getitem__)) if chosen else ()

    by_person: dict[str, list[str]] = defaultdict(list)
    mentioning: dict[str, list[str]] = defaultdict(list)
    by_verdict: dict[str, list[str]] = defaultdict(list)
    by_tag: dict[str, list[str]] = defaultdict(list)
    by_outlet: dict[str, list[str]] = defaultdict(list)
    by_author: dict[str, list[str]] = defaultdict(list)
    by_editor: dict[str, list[str]] = defaultdict(list)
    outlet_names: dict[str, str] = {}
    related: dict[str, set[str]] = defaultdict(set)
    contradicted_by: dict[str, set[str]] = defaultdict(set)
    repeated_by: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        by_person[claim.person].append(claim.slug)
        for slug in claim.people:  # never the person, never twice: load checks both
            mentioning[slug].append(claim.slug)
        by_verdict[claim.verdict].append(claim.slug)
        for slug in claim.authors:
            by_author[slug].append(claim.slug)
        for slug in claim.editors:
            by_editor[slug].append(claim.slug)
        for tag in claim.tags:
            by_tag[tag].append(claim.slug)
        for source in claim.sources:
            outlet_names[source.outlet_slug] = source.outlet
        for outlet in dict.fromkeys(source.outlet_slug for source in claim.sources):
            by_outlet[outlet].append(claim.slug)
        for other in claim.related:
            related[claim.slug].add(other)
            related[other].add(claim.slug)
        for other in claim.contradicts:
            contradicted_by[other].add(claim.slug)
        for other in claim.repeats:
            if other in published:
                repeated_by[other].add(claim.slug)

    def tally(slugs: Iterable[str]) -> Tally:
        counts: dict[str, int] = defaultdict(int)
        for slug in slugs:
            counts[published[slug].verdict] += 1
        return Tally(tuple((v, counts[v.key]) for v in verdicts.values()), sum(counts.values()))

    months: dict[date, list[Claim]] = defaultdict(list)
    for claim in claims:
        months[claim.claim_date.replace(day=1)].append(claim)
    timeline = tuple(
        Month(start, tuple(c.slug for c in sorted(group, key=lambda c: (-c.claim_date.toordinal(), c.slug))))
        for start, group in sorted(months.items(), reverse=True)
    )
    corrections = tuple(
        sorted(
            (
                CorrectionEntry(c.slug, correction, anchor)
                for c in claims
                for correction, anchor in zip(c.corrections, c.correction_ids, strict=True)
            ),
            key=lambda e: (-e.correction.date.toordinal(), order[e.claim], e.correction.kind),
        )
    )
    sorted_people = dict(sorted(people.items(), key=lambda item: (item[1].name.casefold(), item[0])))
    sorted_staff = dict(sorted(staff.items(), key=lambda item: (item[1].name.casefold(), item[0])))
    chains = _chains(published)
    return Site(
        config=content.config,
        claims=published,
        people=sorted_people,
        pages=dict(sorted(pages.items(), key=lambda item: (item[1].title.casefold(), item[0]))),
        verdicts=dict(verdicts),
        tags={t: Tag(t, tuple(by_tag[t])) for t in sorted(by_tag)},
        outlets={
            s: Outlet(s, outlet_names[s], tuple(by_outlet[s]))
            for s in sorted(by_outlet, key=lambda s: (outlet_names[s].casefold(), s))
        },
        claims_by_person={p: tuple(by_person.get(p, ())) for p in sorted_people},
        claims_mentioning={p: tuple(mentioning.get(p, ())) for p in sorted_people},
        claims_by_verdict={v: tuple(by_verdict.get(v, ())) for v in verdicts},
        related={s: ordered(related[s]) if s in related else () for s in published},
        contradicts={s: ordered(c.contradicts) if c.contradicts else () for s, c in published.items()},
        contradicted_by={s: ordered(contradicted_by[s]) if s in contradicted_by else () for s in published},
        repeats={s: _by_date(published, c.repeats) if c.repeats else () for s, c in published.items()},
        repeated_by={s: _by_date(published, repeated_by[s]) if s in repeated_by else () for s in published},
        repeat_chains=chains,
        repeat_counts={p: _repeat_count(chains, published, by_person.get(p, ())) for p in sorted_people},
        tallies={p: tally(by_person.get(p, ())) for p in sorted_people},
        tally=tally(published),
        timeline=timeline,
        corrections=corrections,
        drafts=frozenset(c.slug for c in claims if c.draft or c.published > today),
        modified=latest_change(published.values()),
        staff=sorted_staff,
        claims_by_author={s: tuple(by_author.get(s, ())) for s in sorted_staff},
        claims_by_editor={s: tuple(by_editor.get(s, ())) for s in sorted_staff},
    )


def _by_date(published: Mapping[str, Claim], slugs: Iterable[str]) -> tuple[str, ...]:
    """The published ones of the claims, by claim date, oldest first (then by slug)."""
    chosen = [published[s] for s in set(slugs) if s in published]
    return tuple(c.slug for c in sorted(chosen, key=lambda c: (c.claim_date, c.slug)))


def _chains(published: Mapping[str, Claim]) -> dict[str, tuple[str, ...]]:
    """Every published claim linked by ``repeats`` → all checks of the same claim, oldest first."""
    links: dict[str, set[str]] = defaultdict(set)
    for claim in published.values():
        for other in claim.repeats:
            if other in published:
                links[claim.slug].add(other)
                links[other].add(claim.slug)
    chains: dict[str, tuple[str, ...]] = {}
    for start in sorted(links):
        if start in chains:
            continue
        members, todo = {start}, [start]
        while todo:
            for other in links[todo.pop()] - members:
                members.add(other)
                todo.append(other)
        chain = _by_date(published, members)
        chains.update(dict.fromkeys(chain, chain))
    return dict(sorted(chains.items()))


def _repeat_count(chains: Mapping[str, tuple[str, ...]], published: Mapping[str, Claim], own: Iterable[str]) -> int:
    """How many checks repeat a claim of the person's: in each chain, those after their first claim in it."""
    firsts: dict[tuple[str, ...], int] = {}
    for slug in own:
        chain = chains.get(slug)
        if chain is not None:
            position = chain.index(slug)
            firsts[chain] = min(firsts.get(chain, position), position)
    return sum(len(chain) - 1 - position for chain, position in firsts.items())
