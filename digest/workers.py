"""Rendering in forked worker processes that share the site and the compiled templates.

Past a few hundred pages a build forks workers; each renders a share of the pages and cards and,
with a sink, writes them itself. The parent renders the pages that list claims meanwhile (and, with
a sink, writes each as it is made), so that its list items (``items.ListItems``) are all made for
the rebuilds that follow.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import DigestError
from .output import Output
from .processes import die_with_parent
from .progress import Progress, counted
from .site import Site

Made = tuple[str, bytes | bool]
"""An output path, and its bytes (or, with a sink, whether it was written: by a worker or by the parent)."""


@dataclass(frozen=True, slots=True)
class Workers:
    """What a worker needs: how to make a job, what to drop once forked, where outputs go."""

    make: Callable[[Site, Any], tuple[str, bytes]]
    """One job (a page or a card) → (output path, bytes)."""
    detach: Callable[[], None]
    """Called in each worker first: a forked copy must not use the parent's database connection."""
    sink: Callable[[str, Output, str], bool] | None


_WORKER: tuple[Workers, Site, list[Any], Mapping[str, str]] | None = None


def _render_chunk(bounds: tuple[int, int]) -> list[Made] | DigestError:
    """In a worker: render some jobs (``_made``)."""
    assert _WORKER is not None
    workers, site, todo, fingerprints = _WORKER
    workers.detach()
    try:
        return [_made(workers, site, job, fingerprints) for job in todo[bounds[0] : bounds[1]]]
    except DigestError as error:
        return error


def _made(workers: Workers, site: Site, job: Any, fingerprints: Mapping[str, str]) -> Made:
    """One job rendered; with a sink, written there at once (only whether it was written is kept)."""
    path, data = workers.make(site, job)
    if workers.sink is None:
        return path, data
    return path, workers.sink(path, data, fingerprints.get(path, ""))


def render_in_workers(
    workers: Workers,
    site: Site,
    lists: list[Any],
    rest: list[Any],
    count: int,
    fingerprints: Mapping[str, str],
    meanwhile: Callable[[], None],
    progress: Progress | None = None,
    stage: str = "",
) -> list[Made]:
    """Render ``rest`` in ``count`` forked processes while the parent renders ``lists``, then calls
    ``meanwhile``; tell ``progress`` how many are done as they come."""
    global _WORKER
    _WORKER = (workers, site, rest, fingerprints)
    size = max(50, len(rest) // (count * 6))  # the parent's share (the lists) is short: it would idle, not the cores
    chunks = [(start, min(start + size, len(rest))) for start in range(0, len(rest), size)]
    results: list[Made] = []
    try:
        with multiprocessing.get_context("fork").Pool(count, die_with_parent, (os.getpid(),)) as pool:
            pending = pool.imap(_render_chunk, chunks)
            total = len(lists) + len(rest)
            # the lists are written as they are made, while the workers render: not after them, with a core idle
            results.extend(counted((_made(workers, site, job, fingerprints) for job in lists), stage, total, progress))
            meanwhile()
            for chunk in pending:
                if isinstance(chunk, DigestError):
                    raise chunk
                results.extend(chunk)
                if progress is not None:
                    progress(stage, len(results), total)
    finally:
        _WORKER = None
    return results
