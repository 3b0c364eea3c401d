"""The Site's indexes and tables, built from the published claims in one pass: each person's,
verdict's, tag's, outlet's and staff member's claims, related and contradicting claims in both
directions, the chains of repeats, the tallies, the timeline and the corrections (``index_site``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from .load import Content
from .model import Claim, Page, Person, Staff
from .settings import Verdict
from .site import CorrectionEntry, Month, Outlet, Site, Tag, Tally, latest_change


def index_site(
    content: Content,
    claims: list[Claim],
    people: Mapping[str, Person],
    pages: Mapping[str, Page],
    staff: Mapping[str, Staff],
    verdicts: Mapping[str, Verdict],
    today: date,
) -> Site:
    """The Site of the published ``claims`` (newest first), every index and table built."""
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
