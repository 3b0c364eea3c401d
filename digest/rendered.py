"""What a render made (``Rendered``: every output and its fingerprint, and what the next render
compares), and how an output is kept in it or handed to the writer (``Sink``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from .output import KEPT, Output
from .pages import Showing
from .site import Site

Sink = Callable[[str, Output, str], bool]
"""Takes one output as soon as it is made, with its fingerprint; True if it wrote it (False: kept or
hard-linked)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered site: every output file and its fingerprint, and what the next render compares.

    ``Renderer.render_pages`` makes one of the pages alone (the preview writes them first), or of
    the whole site ``with_data``; ``Renderer.render_data`` returns the whole site's, the generator's
    own files added to the pages'."""

    files: dict[str, Output] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    site: Site | None = None
    """The site rendered, and the versions of its records and templates: what the next render compares."""
    versions: dict[str, str] = field(default_factory=dict)
    templates: dict[str, str] = field(default_factory=dict)
    data: frozenset[str] = frozenset()
    """Paths of the generator's own files (feeds, sitemap, exports): ``render_data`` makes them, or
    ``render_pages`` ``with_data``."""
    written: int = 0
    """With a sink: how many outputs it wrote rather than hard-linked."""
    touched: set[str] | None = None
    """The claims whose list items and export lines may have changed since the previous render;
    None when any may have."""
    lastmods: dict[str, date | None] = field(default_factory=dict)
    """The last change of each page in the sitemap (its lastmod), by site path, in the plan's order."""
    showing: Showing | None = None
    """Which pages show each record (``pages.showing(site)``), if it was needed: kept for the next render."""


@dataclass(slots=True)
class Outputs:
    """The outputs of a render as they are made, each taken from the previous render where its
    fingerprint is unchanged; a ``Rendered`` is made of them once they are all there."""

    previous: Rendered | None
    sink: Sink | None
    """With a sink (a SiteWriter's ``write``), each output goes to it as soon as it is made and
    KEPT stands in its place."""
    files: dict[str, Output] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    written: int = 0
    """With a sink: how many outputs it wrote rather than hard-linked."""

    def keep_or(self, path: str, fingerprint: str, make: Callable[[], bytes] | bytes) -> None:
        """Take the output from the previous render if its fingerprint is unchanged; otherwise make it."""
        self.fingerprints[path] = fingerprint
        if not self.reuse(path, fingerprint):
            self.store(path, make if isinstance(make, bytes) else make())

    def reuse(self, path: str, fingerprint: str) -> bool:
        """Keep the previous render's output at ``path`` if it had this fingerprint; whether it did."""
        previous = self.previous
        if previous is not None and previous.fingerprints.get(path) == fingerprint and path in previous.files:
            self.store(path, previous.files[path])
            return True
        return False

    def store(self, path: str, data: Output) -> None:
        """Keep an output, or hand it to the sink and keep KEPT."""
        if self.sink is None:
            self.files[path] = data
        else:
            self.written += self.sink(path, data, self.fingerprints.get(path, ""))
            self.files[path] = KEPT
