"""The claims' lines of claims.json and claimreview.json, made again only when what they show changed.

A warm build seeds them from the exports the last build wrote (read back from the output folder,
only when an export must be made again), with the versions the build cache kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import exports
from .model import Claim
from .site import Site

Make = Callable[[Site, Claim], dict[str, Any]]
"""Makes one claim's record: ``exports.claim_record`` or ``jsonld.claim_review``."""
Read = Callable[[], "list[bytes] | None"]
"""Reads back the lines of an export an earlier run wrote; None if they cannot be had."""


class ExportLines:
    """Each export's lines, by kind ("claim" for claims.json, "review" for claimreview.json)."""

    def __init__(self) -> None:
        self._lines: dict[tuple[str, str], tuple[str, bytes]] = {}
        self._exports: dict[str, tuple[list[str], list[bytes]]] = {}
        self._seeds: dict[str, tuple[list[str], list[str], Read]] = {}

    def seed(self, kind: str, order: list[str], versions: list[str], read: Read) -> None:
        """Lines of an export written by an earlier run, with their order and versions; ``read`` reads
        them back (from the output folder) when the export is made again, not before: a build that
        keeps it never parses it."""
        self._seeds[kind] = (order, versions, read)

    def _sow(self, kind: str) -> None:
        """Read back the seeded lines of an export, before it is made again."""
        seeded = self._seeds.pop(kind, None)
        if seeded is None:
            return
        order, versions, read = seeded
        lines = read()
        if lines is not None and len(order) == len(versions) == len(lines):
            for slug, version, line in zip(order, versions, lines, strict=True):
                self._lines[(kind, slug)] = (version, line)
            self._exports[kind] = (list(order), list(lines))

    def versions(self, kind: str) -> tuple[list[str], list[str]]:
        """The order and versions of the last export's lines, for ``seed`` in a later run."""
        if kind in self._seeds:  # kept as it was: never read back
            order, versions, _ = self._seeds[kind]
            return list(order), list(versions)
        order = self._exports.get(kind, ([], []))[0]
        return order, [self._lines[(kind, slug)][0] for slug in order]

    def lines(self, kind: str, site: Site, site_version: str, touched: set[str] | None, make: Make) -> list[bytes]:
        """Every claim's line of an export: the previous lines with the touched claims' made again, when
        only some claims changed and the order did not; else each line from the per-claim cache."""
        self._sow(kind)
        order = list(site.claims)
        previous = self._exports.get(kind)
        if touched is not None and previous is not None and previous[0] == order:
            lines = list(previous[1])
            index = {slug: number for number, slug in enumerate(order)}
            for slug in touched:
                if slug in index:
                    lines[index[slug]] = self._line(kind, site, site_version, site.claims[slug], make)
        else:
            lines = [self._line(kind, site, site_version, claim, make) for claim in site.claims.values()]
        self._exports[kind] = (order, lines)
        return lines

    def _line(self, kind: str, site: Site, site_version: str, claim: Claim, make: Make) -> bytes:
        slug = claim.slug
        people = site.people
        version = "|".join(
            (
                site_version,
                claim.digest,
                *(people[p].digest for p in (claim.person, *claim.people)),
                *(site.staff[s].digest for s in (*claim.authors, *claim.editors)),
                ",".join(site.related[slug]),
                ",".join(site.contradicts[slug]),
                ",".join(site.contradicted_by[slug]),
                ",".join(site.repeats[slug]),
                ",".join(site.repeated_by[slug]),
            )
        )
        cached = self._lines.get((kind, slug))
        if cached is not None and cached[0] == version:
            return cached[1]
        line = exports.line(make(site, claim))
        self._lines[(kind, slug)] = (version, line)
        return line
