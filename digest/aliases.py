"""Former slugs: a claim's ``aliases`` and a person's ``former_slugs``, checked, and the old
addresses they keep working (each a redirect page, planned by ``pages``).

An old address can lead to one page only: a former slug that is a slug in use, or that two files
list, is an error naming both files. A person's ``aliases`` are other names, not addresses: the
person's former slugs have their own field, so that a name is never taken for an address.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .errors import Diagnostic
from .load import Content
from .model import Claim, Person, Redirect
from .site import Site
from .urls import former_url, url_for

FIELDS = {"claim": "aliases", "person": "former_slugs"}
"""The field that lists a record's former slugs, by kind."""


def former_slugs(record: Claim | Person) -> tuple[str, ...]:
    """The slugs the record had before."""
    return record.aliases if isinstance(record, Claim) else record.former_slugs


def check_former_slugs(
    content: Content, kind: str, records: Iterable[Claim | Person], problems: list[Diagnostic]
) -> None:
    """Report every former slug of the kind that is a slug in use, the record's own, or another's."""
    records = list(records)
    field = FIELDS[kind]
    owners = {record.slug: record.path for record in records}
    for failed_kind, slug, failed in content.failed:
        if failed_kind == kind:
            owners.setdefault(slug, failed.path)
    listed: dict[str, str] = {}
    for record in records:
        for index, old in enumerate(former_slugs(record)):
            line = record.lines.get(f"{field}.{index}", record.lines.get(field, 1))
            message = None
            if old == record.slug:
                message = f"'{field}' lists '{old}', this {kind}'s own slug: list only the slugs its file had before"
            elif old in owners:
                message = (
                    f"'{field}' lists '{old}', the slug of {owners[old]}: an address can lead to one page only; "
                    "remove it here or rename that file"
                )
            elif listed.get(old) == record.path:
                message = f"'{field}' lists '{old}' twice"
            elif old in listed:
                message = (
                    f"'{field}' lists '{old}', which {listed[old]} lists too: an old address can lead to one page "
                    "only; keep it in one file"
                )
            else:
                listed[old] = record.path
            if message is not None:
                problems.append(Diagnostic(record.path, line, message))


def redirects(site: Site) -> dict[str, Redirect]:
    """The old address of every former slug of a published claim or a person → where it leads."""
    moved: dict[str, Redirect] = {}
    records: list[Claim | Person] = [*site.claims.values(), *site.people.values()]
    for record in records:
        kind = "claim" if isinstance(record, Claim) else "person"
        for old in former_slugs(record):
            moved[former_url(record, old)] = Redirect(kind, record.slug)
    return moved


def moved(site: Site) -> Mapping[str, str]:
    """Old address → the site path it now leads to, for the link checker."""
    return {old: url_for(redirect_target(site, redirect)) for old, redirect in site.redirects.items()}


def redirect_target(site: Site, redirect: Redirect) -> Claim | Person:
    """The claim or person an old address leads to."""
    return site.claims[redirect.slug] if redirect.kind == "claim" else site.people[redirect.slug]
