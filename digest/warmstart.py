"""A build's start from the last one (``WarmStart``): ``restore`` the records and the state the
last build kept in its ``cache.BuildCache``, find what it left in ``--out`` (``previous``, a
``LastSite``), ``save`` what the next build needs (``BuildState``). A cache that cannot be used
is dropped and the build goes on without it.

What is on disk (``OnDisk``: the content files and what is in ``--out``, with their stamps) is
looked at ``ahead``, in a forked copy of the build while it unpickles the cache: system calls on
one core, unpickling on the other (at 10,000 claims 3-4 % off a warm build; bench/README.md)."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .cache import ERRORS, BuildCache
from .errors import Diagnostic
from .exports import read_lines
from .files import ContentFile, find_files
from .images import Known, measured
from .load import KnownFiles
from .loadfile import Failed
from .outfolder import VCS
from .output import Output
from .pages import Showing
from .processes import Ahead
from .render import Renderer
from .rendered import Rendered
from .resolve import Resolved
from .search import SearchIndex, Shard
from .settings import Limits
from .stamps import Stamp, tree_stamps
from .write import SiteWriter, Spare


@dataclass(frozen=True, slots=True)
class BuildState:
    """What a build keeps of itself in the cache for the next one (records stay in their rows)."""

    resolved: Resolved
    versions: dict[str, str]
    templates: dict[str, str]
    data: frozenset[str]
    lastmods: dict[str, date | None]
    showing: Showing | None = None
    """Which pages show each record, if the build needed it: an edit that keeps the plan reuses it."""
    search: dict[str, Shard] = field(default_factory=dict)
    """The search index's shards as this build wrote them."""


@dataclass(frozen=True, slots=True)
class LastSite:
    """What the last build left in ``--out``, as this build found it (``WarmStart.previous``)."""

    rendered: Rendered | None = None
    """The last render as a render's previous: only the files untouched since are in it."""
    spare: Spare | None = None
    """The site before it, to start writing from, if ``--out`` is as that build left it."""
    intact: bool = False
    """Whether every file in ``--out`` is as the last build left it, none missing or extra."""

    def same_site(self, rendered: Rendered) -> bool:
        """Whether --out, as this build found it, already is the site it made: every file there as the
        last build left it, none missing or extra, each with the new one's fingerprint."""
        return self.intact and self.rendered is not None and self.rendered.fingerprints == rendered.fingerprints


@dataclass(frozen=True, slots=True)
class OnDisk:
    """What a warm build found on disk at its start (``WarmStart.ahead``)."""

    content: tuple[list[ContentFile], list[Diagnostic]]
    """The content files with their stamps, and the problems of the walk (``files.find_files``)."""
    out: dict[str, Stamp]
    """The stamp of every file and folder in ``--out`` but its version-control files (``stamps.tree_stamps``)."""


def _look(content: Path, content_shown: str, limits: Limits, out: Path) -> OnDisk:
    return OnDisk(find_files(content, content_shown, limits), tree_stamps(out, VCS))


class WarmStart:
    """A build's start from the last one: ``restore`` what it left, ``save`` what the next needs.

    Without a cache (``--no-cache``) it restores nothing and saves nothing. A cache that cannot be
    used is reset and the build goes on without it; ``problem`` says why, for the one line the
    command prints.
    """

    def __init__(self, cache: BuildCache | None) -> None:
        self.cache = cache
        self.problem: str | None = None
        """Why the cache could not be used, if it could not."""

    @property
    def compiled(self) -> Path | None:
        """Where the theme's compiled templates are kept, if anywhere."""
        return self.cache.templates_folder() if self.cache is not None else None

    @property
    def images(self) -> Path | None:
        """Where the copies of the checks' images are kept (by content and width), if anywhere."""
        return self.cache.folder / "images" if self.cache is not None else None

    def known_images(self) -> Known:
        """The images earlier builds read (size and format by content hash), so none is decoded twice."""
        if self.cache is None:
            return {}
        try:
            known = self.cache.get("images")
        except ERRORS as error:
            self._drop(error)
            return {}
        return dict(known) if isinstance(known, dict) else {}

    def ahead(self, content: Path, content_shown: str, limits: Limits, out: Path) -> Ahead[OnDisk] | None:
        """Start looking at the content files and at ``out`` in a forked copy, if an earlier build kept
        a cache to compare them with (a cold build has nothing to unpickle meanwhile)."""
        if self.cache is None or not self.cache.kept() or not out.is_dir():
            return None
        return Ahead(functools.partial(_look, content, content_shown, limits, out))

    def restore(self) -> tuple[KnownFiles, BuildState | None]:
        """The content records of the last build and its state; nothing without a usable cache."""
        if self.cache is None:
            return KnownFiles(), None
        try:
            files = self.cache.files()
            records = {result.path: result for _, result in files.results.values() if not isinstance(result, Failed)}
            state = self.cache.state(records)
            return files, state if isinstance(state, BuildState) else None
        except ERRORS as error:
            self._drop(error)
            return KnownFiles(), None

    def restore_files(self, builds: Iterable[BuildCache]) -> KnownFiles:
        """A check's start: the records its last check kept, else those of the first of ``builds``
        (caches of builds of the same folder) that has any, read without changing it."""
        files, _ = self.restore()
        if self.cache is None or files.results:
            return files
        for build in builds:
            found = build.files_read_only()
            if found is not None and found.results:
                return found
        return files

    def save_files(self, files: KnownFiles) -> None:
        """Keep the content records alone (all a check keeps); a cache that cannot be written is dropped."""
        if self.cache is None:
            return
        try:
            self.cache.begin()
            self.cache.save_files(files)
            self.cache.commit()
        except ERRORS as error:
            self._drop(error)

    def previous(
        self, renderer: Renderer, out: Path, state: BuildState | None, found: Mapping[str, Stamp] | None = None
    ) -> LastSite:
        """What the last build, which left ``state``, left in ``out`` (``found``: its stamps, if taken)."""
        if self.cache is None or not out.is_dir():
            return LastSite()
        try:
            kept, intact = self.cache.outputs(out, found)
            if not kept:
                return LastSite()
            exports = self.cache.get("exports") or {}
            for kind, name in (("claim", "claims.json"), ("review", "claimreview.json")):
                if name in kept and kind in exports:
                    order, versions = exports[kind]
                    renderer.export_lines.seed(kind, order, versions, functools.partial(_read_lines, out / name, kind))
            root = str(out)
            files: dict[str, Output] = {path: f"{root}/{path}" for path in kept}
            fingerprints = {path: entry[0] for path, entry in kept.items()}
            if state is None:
                previous = Rendered(files, fingerprints)
            else:
                previous = Rendered(
                    files,
                    fingerprints,
                    site=state.resolved.site,
                    versions=state.versions,
                    templates=state.templates,
                    data=state.data,
                    lastmods=state.lastmods,
                    showing=state.showing,
                )
            return LastSite(previous, self.cache.spare(kept) if intact else None, intact)
        except ERRORS as error:
            self._drop(error)
            return LastSite()

    def save(
        self,
        files: KnownFiles,
        restored: BuildState | None,
        last: LastSite,
        renderer: Renderer,
        rendered: Rendered,
        writer: SiteWriter,
        resolved: Resolved,
        search: SearchIndex | None = None,
    ) -> None:
        """Keep what the next build needs (``restored`` and ``last``: what ``restore`` and ``previous``
        found); a cache that cannot be written is dropped, never an error."""
        if self.cache is None:
            if writer.retired is not None:
                shutil.rmtree(writer.retired, ignore_errors=True)
            return
        cache = self.cache
        try:
            cache.begin()
            records_changed = cache.save_files(files)
            cache.save_partials()
            cache.put("exports", {kind: renderer.export_lines.versions(kind) for kind in ("claim", "review")})
            cache.put("images", dict(measured(resolved.site.claims.values())))
            if writer.kept_out:  # nothing moved: --out and the spare are as their manifests say
                cache.spare_given_back()
            else:
                cache.save_outputs(
                    writer.out, rendered.fingerprints, writer.retired, last.intact, writer.stamps, writer.removed
                )
            state = BuildState(
                resolved,
                rendered.versions,
                rendered.templates,
                rendered.data,
                rendered.lastmods,
                rendered.showing,
                search.shards if search is not None else {},
            )
            if records_changed or not _same_state(restored, state):
                cache.save_state(state)
            cache.commit()
        except ERRORS as error:
            if writer.retired is not None:
                shutil.rmtree(writer.retired, ignore_errors=True)
            self._drop(error)

    def close(self) -> None:
        """Close the cache's database; ``problem`` then also tells of any part that was not usable."""
        if self.cache is not None:
            self.problem = self.problem or self.cache.problem
            self.cache.close()

    def _drop(self, error: Exception) -> None:
        assert self.cache is not None
        self.problem = self.problem or f"{type(error).__name__}: {error}"
        self.cache.reset()


def _read_lines(path: Path, kind: str) -> list[bytes] | None:
    """The claims' lines of an export in the output folder; None if it cannot be read (made anew then)."""
    try:
        return read_lines(path.read_bytes(), kind)
    except OSError:
        return None


def _same_state(kept: BuildState | None, state: BuildState) -> bool:
    """Whether the state kept is the new one: the same content records (none changed), the same day
    and the same render of the same plan."""
    return (
        kept is not None
        and kept.resolved.today == state.resolved.today
        and kept.resolved.drafts == state.resolved.drafts
        and kept.showing is state.showing
        and kept.search == state.search
        and (kept.versions, kept.templates, kept.data, kept.lastmods)
        == (state.versions, state.templates, state.data, state.lastmods)
    )
