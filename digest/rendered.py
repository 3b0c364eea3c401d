"""What a render made (``Rendered``: every output and its fingerprint, and what the next render
compares), and how an output is kept in it or handed to the writer (``Sink``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from .model import Site
from .pages import Showing
from .write import KEPT, Output

Sink = Callable[[str, Output, str], bool]
"""Takes one output as soon as it is made, with its fingerprint; True if it wrote it (False: kept or
hard-linked)."""


@dataclass(slots=True)
class Rendered:
    """A rendered site: every output file and its fingerprint."""

    files: dict[str, Output] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    site: Site | None = None
    """The site rendered, and the versions of its records and templates: what the next render compares."""
    versions: dict[str, str] = field(default_factory=dict)
    templates: dict[str, str] = field(default_factory=dict)
    data: set[str] = field(default_factory=set)
    """Paths of the files ``render_data`` made (feeds, sitemap, exports)."""
    written: int = 0
    """With a sink: how many outputs it wrote rather than hard-linked."""
    touched: set[str] | None = None
    """The claims whose list items and export lines may have changed since the previous render;
    None when any may have."""
    lastmods: dict[str, date | None] = field(default_factory=dict)
    """The last change of each page in the sitemap (its lastmod), by site path, in the plan's order."""
    showing: Showing | None = None
    """Which pages show each record (``pages.showing(site)``), if it was needed: kept for the next render."""


def keep_or(
    result: Rendered,
    previous: Rendered | None,
    path: str,
    fingerprint: str,
    make: Callable[[], bytes] | bytes,
    sink: Sink | None,
) -> None:
    """Take the output from ``previous`` if its fingerprint is unchanged; otherwise make it."""
    result.fingerprints[path] = fingerprint
    if previous is not None and previous.fingerprints.get(path) == fingerprint and path in previous.files:
        store(result, path, previous.files[path], sink)
    else:
        store(result, path, make if isinstance(make, bytes) else make(), sink)


def store(result: Rendered, path: str, data: Output, sink: Sink | None) -> None:
    """Keep an output in the result, or hand it to the sink and keep KEPT."""
    if sink is None:
        result.files[path] = data
    else:
        result.written += sink(path, data, result.fingerprints.get(path, ""))
        result.files[path] = KEPT
