"""content/ → checked claim, person, staff and page records, links between them still by slug.

Each file is read on its own (``loadfile.load_file`` is a pure function of the file's bytes), so
files can be read in parallel and their records kept from run to run (``KnownFiles``). Every problem of every
file is collected before anything is reported.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostic, shown_path
from .files import KINDS, ContentFile, find_files, is_ignored
from .frontmatter import NotRegularFile, read_regular
from .loadfile import Failed, Record, Result, load_file
from .model import Claim, Page, Person, Staff, Translation
from .processes import die_with_parent
from .progress import Progress, counted
from .settings import Limits, SiteConfig
from .stamps import Stamp, stamp

_PARALLEL_FROM = 300
"""Read files in worker processes when there are at least this many."""


@dataclass(frozen=True, slots=True)
class Content:
    """Every record of a content folder, checked one file at a time, and the problems found."""

    config: SiteConfig
    claims: tuple[Claim, ...]
    people: tuple[Person, ...]
    pages: tuple[Page, ...]
    problems: tuple[Diagnostic, ...] = ()
    """Problems in single files; ``resolve_site`` adds its own and reports them all."""
    static: frozenset[str] = frozenset()
    """Site paths of the site's own files (content/static/), which links may lead to too."""
    failed: tuple[tuple[str, str, Failed], ...] = ()
    """(kind, slug, what was found) of every file that could not be read into a record."""
    slugs: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Every slug of each kind found on disk, including files that failed to load, so that a
    reference to a broken file is not also reported as a reference to a missing one."""
    staff: tuple[Staff, ...] = ()
    translations: tuple[Translation, ...] = ()
    """The translation files (``<slug>.<code>.md``), read but not yet checked against their originals."""


@dataclass(slots=True)
class KnownFiles:
    """What a LiveBuild remembers of the content folder between runs.

    Each file's result is reused while its size, modification time and inode are unchanged. When
    the caller knows which paths changed (the preview's watcher does), only those are looked at:
    no walk of the folder, no stat of every file.
    """

    limits: Limits | None = None
    results: dict[str, tuple[Stamp | None, Result]] = field(default_factory=dict)
    """By the path of each file (see ContentFile.path)."""
    files: list[ContentFile] | None = None
    """The files found by the last walk, kept up to date with the changes reported since."""
    problems: list[Diagnostic] = field(default_factory=list)
    """Problems found by the last walk (symlinks leading out)."""

    def forget(self, paths: Iterable[str]) -> None:
        """Read these files again next time, even if their stamps look unchanged (two saves in one tick)."""
        for path in paths:
            self.results.pop(path, None)

    def invalidate(self) -> None:
        """Walk the whole folder next time: the changes reported were not all applied."""
        self.files = None


def load_content(
    content: Path,
    content_shown: str,
    config: SiteConfig,
    jobs: int | None = None,
    known: KnownFiles | None = None,
    changed: Collection[Path] | None = None,
    progress: Progress | None = None,
    found: tuple[list[ContentFile], list[Diagnostic]] | None = None,
) -> Content:
    """Read and check every content file; the problems of single files travel in the result.

    ``changed`` lists the paths (relative to ``content``, or under it) that changed since the last
    call with the same ``known``; None means unknown, and the whole folder is looked at (or was
    already: ``found``, what ``files.find_files`` found in it in this build).
    """
    known = known if known is not None else KnownFiles()
    if known.limits != config.limits:
        known.limits, known.results, known.files = config.limits, {}, None
    files = None
    if changed is not None and known.files is not None:
        files = _apply_changes(known, content, content_shown, changed)
    if files is None:
        files, known.problems = found if found is not None else find_files(content, content_shown, config.limits)
        stamps = {file.path: file.stamp or stamp(file.path) for file in files}
        fresh = [f for f in files if (cached := known.results.get(f.path)) is None or cached[0] != stamps[f.path]]
        for gone in known.results.keys() - stamps.keys():
            del known.results[gone]
    else:
        fresh = [file for file in files if file.path not in known.results]
        stamps = {file.path: stamp(file.path) for file in fresh}
    known.files = files
    for file, result in zip(fresh, _read_all(fresh, config.limits, jobs, progress), strict=True):
        known.results[file.path] = (stamps[file.path], result)
    problems = list(known.problems)
    records: list[Record] = []
    failed: list[tuple[str, str, Failed]] = []
    for file in files:
        result = known.results[file.path][1]
        if isinstance(result, Failed):
            problems.extend(result.diagnostics)
            failed.append((file.kind, _stem(file.path), result))
        else:
            records.append(result)
    slugs: dict[str, set[str]] = {kind: set() for kind in KINDS.values()}
    for file in files:
        slugs[file.kind].add(_stem(file.path))
    return Content(
        config=config,
        claims=tuple(r for r in records if isinstance(r, Claim)),
        people=tuple(r for r in records if isinstance(r, Person)),
        pages=tuple(r for r in records if isinstance(r, Page)),
        problems=tuple(problems),
        failed=tuple(failed),
        slugs={kind: frozenset(found) for kind, found in slugs.items()},
        staff=tuple(r for r in records if isinstance(r, Staff)),
        translations=tuple(r for r in records if isinstance(r, Translation)),
    )


def _apply_changes(
    known: KnownFiles, content: Path, content_shown: str, changed: Collection[Path]
) -> list[ContentFile] | None:
    """The file list the last run found, with the changed paths added or removed; None when a walk is needed.

    A folder created, moved or removed, or a symlink, needs the walk (and its checks).
    """
    assert known.files is not None
    by_path = {file.path: file for file in known.files}
    for changed_path in changed:
        relative = changed_path.relative_to(content) if changed_path.is_relative_to(content) else changed_path
        if relative.is_absolute():
            return None
        path = content / relative
        key = str(path)
        parts = relative.parts
        if relative == Path("site.yaml"):
            continue
        if path.is_dir() or path.is_symlink():
            return None
        if not parts or parts[0] not in KINDS or any(is_ignored(part) for part in parts) or path.suffix != ".md":
            if not path.exists() and any(file.startswith(key + os.sep) for file in by_path):
                return None  # a folder that held content went away
            continue
        known.results.pop(key, None)
        if path.exists():
            by_path.setdefault(key, ContentFile(KINDS[parts[0]], key, shown_path(content_shown, relative.as_posix())))
        else:
            by_path.pop(key, None)
    return sorted(by_path.values(), key=lambda file: file.shown)


def _read_all(
    files: list[ContentFile], limits: Limits, jobs: int | None, progress: Progress | None = None
) -> list[Result]:
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers < 2 or len(files) < _PARALLEL_FROM:
        return list(counted((read_file(file, limits) for file in files), "reading content", len(files), progress))
    chunk = max(16, len(files) // (workers * 8))
    from concurrent.futures import ProcessPoolExecutor  # a warm build reads a few files, in this process

    from . import markdown  # noqa: F401  (imported once here, before the workers fork, not once in each)

    with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        results = pool.map(read_file, files, [limits] * len(files), chunksize=chunk)
        return list(counted(results, "reading content", len(files), progress))


def read_file(file: ContentFile, limits: Limits) -> Record | Failed:
    """Read one content file from disk → its record, or its diagnostics."""
    try:
        data = read_regular(file.path)
    except NotRegularFile as error:
        return Failed((Diagnostic(file.shown, 1, str(error)),))
    except OSError as error:
        return Failed((Diagnostic(file.shown, 1, f"cannot read file: {error.strerror or error}"),))
    return load_file(file.kind, file.shown, _stem(file.path), data, limits)


def _stem(path: str) -> str:
    """A content file's slug: its name without ``.md``."""
    return os.path.basename(path).removesuffix(".md")
