"""The cross-references between records checked, each problem a Diagnostic on its line: one slug
a record (``unique_slugs``), every slug a claim's file names (``check_refs``, run on what could be
read of a file with other problems too), ``repeats`` in date order and never in a circle
(``check_repeats``), two outlet names never on one page (``check_outlets``). Links within the site
are ``sitelinks``'."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set
from typing import TypeVar

from .errors import Diagnostic
from .fields import quoted, suggest
from .model import Claim, Page, Person, Refs, Staff
from .settings import Verdict

R = TypeVar("R", Claim, Person, Page, Staff)


def unique_slugs(records: Sequence[R], kind: str, problems: list[Diagnostic]) -> dict[str, R]:
    by_slug: dict[str, list[R]] = defaultdict(list)
    for record in records:
        by_slug[record.slug].append(record)
    for slug, group in by_slug.items():
        for record in group[1:] if len(group) > 1 else ():
            problems.append(
                Diagnostic(record.path, 1, f"{kind} slug '{slug}' is already used by {group[0].path}; rename one")
            )
    return {slug: group[0] for slug, group in sorted(by_slug.items())}


def check_refs(
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


def check_repeats(claims: Mapping[str, Claim], problems: list[Diagnostic]) -> None:
    """A claim repeats only earlier claims (or claims of the same day), and never goes round in a circle."""
    earlier: dict[str, list[str]] = {}
    for slug, claim in claims.items():
        earlier[slug] = []
        for index, other in enumerate(claim.repeats):
            target = claims.get(other)
            if target is None:
                continue  # unknown: reported by check_refs
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


def check_outlets(claims: Iterable[Claim], problems: list[Diagnostic]) -> None:
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
