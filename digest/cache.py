"""The build cache: what ``digest build`` keeps in the user's cache folder, so that the next build
of the same content into the same place does only what changed.

One folder per (content, output, theme, settings) under ``$XDG_CACHE_HOME/digest/builds/`` (else
``~/.cache/digest/builds/``) holds:

- ``state.sqlite``: every content file's record (by path, with its size, time stamp and inode),
  the list items already rendered, the fingerprint and stamp of every file in ``--out``, and the
  order and versions of the claims in the JSON exports;
- ``templates/``: the theme's templates compiled by Jinja (each checked against its source);
- ``spare/``: the site before the current one. The next build starts from it and replaces only
  the files whose fingerprints changed, then the swapped-out site becomes the new spare.

Nothing in it is trusted blindly: a record is reused only while its file's stamp is unchanged, an
output only while its own stamp is; the generator's version is part of every fingerprint. Delete
the folder at any time: the next build is a cold one.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import pickle
import shutil
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import __version__
from .exports import read_lines
from .images import Known, measured
from .load import Failed, FileCache
from .model import Claim, Page, Person, Staff
from .render import Rendered, Renderer
from .resolve import Resolved
from .stamps import Stamp, stamp
from .usercache import cache_folder
from .write import SiteWriter, Spare

SCHEMA = 9
"""The version of what the cache holds: records and states of an older one are not read (4: staff
records, and claims with authors and editors; 5: claims with their images; 6: claims with repeats;
7: claims' aliases and people's former slugs; 8: verdicts worded per language; 9: translations and
the Site in each language)."""
_BATCH = 5000
"""List items written to the database at a time."""


class CacheUnusable(Exception):
    """A stored value that no longer unpickles (a damaged row, a class that changed)."""


ERRORS = (sqlite3.Error, OSError, CacheUnusable)
"""What a damaged, unreadable or unwritable cache raises: the build then goes on without it. Our
own code's errors are not among them: a bug on the warm path fails loudly, never turns cold."""


def _loads(data: bytes) -> Any:
    """Unpickle a stored value; CacheUnusable for anything unpickling raises on damaged or stale data."""
    try:
        return pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError) as error:
        raise CacheUnusable(f"a stored value cannot be read: {error}") from error


def build_key(*parts: object) -> str:
    """The name of one build's cache folder."""
    return hashlib.blake2b(repr((__version__, SCHEMA, *parts)).encode(), digest_size=10).hexdigest()


class BuildCache:
    """The cache of one build configuration. Loaded at the start of a build, saved after its commit."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.spare_folder = folder / "spare"
        self._db: sqlite3.Connection | None = None
        self._stamps: dict[str, Stamp | None] = {}
        self._groups: dict[str, dict[str, tuple[str, str]]] = {}
        self._pending: list[tuple[str, str, str, str]] = []
        self._outputs: dict[str, Any] | None = None
        """The output manifest as ``outputs`` read it."""
        self.problem: str | None = None
        """Why a part of the cache could not be used, if one could not."""

    @classmethod
    def for_build(cls, content: Path, out: Path, theme: Path, *settings: object) -> BuildCache:
        """The cache folder of building ``content`` into ``out`` with ``theme`` and these settings."""
        key = build_key(str(content.resolve()), str(out.absolute()), str(theme.resolve()), *settings)
        return cls(cache_folder() / "builds" / key)

    @classmethod
    def for_check(cls, content: Path, content_shown: str) -> BuildCache:
        """The cache folder of checking ``content`` (named ``content_shown`` in diagnostics): a check
        keeps only its files' records, which depend on nothing else."""
        return cls(cache_folder() / "checks" / build_key(str(content.resolve()), content_shown))

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.folder / "state.sqlite", isolation_level=None)
            self._db.executescript(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);"
                "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, stamp BLOB, result BLOB);"
                "CREATE TABLE IF NOT EXISTS partials (grp TEXT, slug TEXT, version TEXT, html TEXT,"
                " PRIMARY KEY (grp, slug));"
            )
            if self.get("schema") != (SCHEMA, __version__):
                self._db.executescript("DELETE FROM meta; DELETE FROM files; DELETE FROM partials;")
                self.put("schema", (SCHEMA, __version__))
                shutil.rmtree(self.spare_folder, ignore_errors=True)
        return self._db

    def get(self, key: str) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return _loads(row[0]) if row else None

    def put(self, key: str, value: object) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, pickle.dumps(value, protocol=5)))

    # content files

    def files(self) -> FileCache:
        """The records of the content files as they were at the last build."""
        cache = FileCache(limits=self.get("limits"))
        with _collector_paused():
            for path, stamp_blob, result in self.db.execute("SELECT path, stamp, result FROM files"):
                known = _loads(stamp_blob)
                self._stamps[path] = known
                cache.results[path] = (known, _loads(result))
        return cache

    def files_read_only(self) -> FileCache | None:
        """The records of the content files kept here, read without creating or changing anything
        (the cache of another command); None if there are none this version can use."""
        database = self.folder / "state.sqlite"
        if not database.is_file():
            return None
        try:
            with contextlib.closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as db:
                meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('schema', 'limits')"))
                if "schema" not in meta or _loads(meta["schema"]) != (SCHEMA, __version__):
                    return None
                cache = FileCache(limits=_loads(meta["limits"]) if "limits" in meta else None)
                with _collector_paused():
                    for path, stamp_blob, result in db.execute("SELECT path, stamp, result FROM files"):
                        cache.results[path] = (_loads(stamp_blob), _loads(result))
            return cache
        except ERRORS:
            return None

    def save_files(self, cache: FileCache) -> None:
        """Write the records that changed since ``files``."""
        current = cache.results
        gone = self._stamps.keys() - current.keys()
        changed = (  # a generator: one row's pickle in memory at a time
            (path, pickle.dumps(entry[0], protocol=5), pickle.dumps(entry[1], protocol=5))
            for path, entry in current.items()
            if self._stamps.get(path) != entry[0]
        )
        self.db.executemany("DELETE FROM files WHERE path = ?", ((path,) for path in gone))
        self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", changed)
        self.put("limits", cache.limits)

    # the resolved site and the render, referring to the records above

    def save_state(self, state: object) -> None:
        """Keep ``state`` (the resolved site, the last render's fingerprints...) with every record in
        it stored as a reference to its row in ``files``, not a copy."""
        buffer = io.BytesIO()
        _RecordPickler(buffer, protocol=5).dump(state)
        self.put("state", buffer.getvalue())

    def state(self, records: Mapping[str, object]) -> Any:
        """The state saved by ``save_state``, its references resolved to ``records`` (by path);
        None if there is none, or if it refers to a record that is gone."""
        data = self.get("state")
        if data is None:
            return None
        try:
            with _collector_paused():
                return _RecordUnpickler(io.BytesIO(data), records).load()
        except (KeyError, pickle.UnpicklingError, AttributeError, EOFError):
            return None

    # rendered list items

    def partials(self, group: str) -> dict[str, tuple[str, str]]:
        """The list items of one kind and link depth rendered before: {slug: (version, html)}."""
        if group not in self._groups:
            try:
                rows = self.db.execute("SELECT slug, version, html FROM partials WHERE grp = ?", (group,))
                self._groups[group] = {slug: (version, html) for slug, version, html in rows}
            except ERRORS as error:  # a damaged cache: render the items again
                self.problem = self.problem or str(error)
                self._groups[group] = {}
        return self._groups[group]

    def keep_partial(self, group: str, slug: str, version: str, html: str) -> None:
        """Keep a rendered list item for later runs (written in batches, to hold little in memory)."""
        self._pending.append((group, slug, version, html))
        if len(self._pending) >= _BATCH:
            self.save_partials()

    def save_partials(self) -> None:
        try:
            self.db.executemany("INSERT OR REPLACE INTO partials VALUES (?, ?, ?, ?)", self._pending)
        except ERRORS as error:  # a cache that cannot keep them renders them again next time
            self.problem = self.problem or str(error)
        self._pending.clear()

    def templates_folder(self) -> Path | None:
        """Where the theme's compiled templates are kept; None if it cannot be made."""
        folder = self.folder / "templates"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return folder

    # the output folder and the spare

    def outputs(self, out: Path) -> tuple[dict[str, tuple[str, Stamp]], bool]:
        """The files of ``out`` as the last build left them, with their fingerprints, leaving out the
        ones touched since; and whether ``out`` is exactly as it was left (no file added or removed:
        every folder's time stamp unchanged), which it must be to become the next spare."""
        with _collector_paused():
            recorded = self._outputs = self.get("outputs") or {"files": {}, "folders": {}}
        root = str(out)
        files = {path: entry for path, entry in recorded["files"].items() if stamp(f"{root}/{path}") == entry[1]}
        intact = len(files) == len(recorded["files"]) and _folders_unchanged(out, recorded["folders"])
        return files, intact

    def spare(self) -> Spare | None:
        """The site before the current one, to start the next build from, if it is there untouched."""
        try:
            manifest = self.get("spare")
        except ERRORS as error:
            self.problem = self.problem or str(error)
            return None
        if manifest is None or not self.spare_folder.is_dir():
            return None
        if not _folders_unchanged(self.spare_folder, manifest["folders"]):
            shutil.rmtree(self.spare_folder, ignore_errors=True)
            return None
        return Spare(self.spare_folder, manifest["files"])

    def save_outputs(
        self,
        out: Path,
        fingerprints: Mapping[str, str],
        retired: Path | None,
        intact: bool,
        known: Mapping[str, Stamp] | None = None,
    ) -> None:
        """Record the new site's files (``known`` gives the stamps already known), and keep the
        swapped-out site (if it was intact) as the next spare."""
        previous = self._outputs if self._outputs is not None else self.get("outputs")
        known = known or {}
        root = str(out)
        files = {}
        for path, fingerprint in fingerprints.items():
            found = known.get(path) or stamp(f"{root}/{path}")
            if found is not None:
                files[path] = (fingerprint, found)
        folders = {folder: stamp(f"{root}/{folder}") for folder in _folders(files)}
        shutil.rmtree(self.spare_folder, ignore_errors=True)
        self.put("spare", None)
        if retired is not None:
            try:
                if not intact or previous is None:
                    raise OSError("the old site was changed by hand: not a spare")
                os.rename(retired, self.spare_folder)
                # intact: its folders are as recorded (a rename changes none of them but the top one)
                kept = {**previous["folders"], "": stamp(self.spare_folder)}
                self.put("spare", {"files": previous["files"], "folders": kept})
            except OSError:  # not usable, or on another file system: the next build writes everything
                shutil.rmtree(retired, ignore_errors=True)
        self.put("outputs", {"files": files, "folders": folders})

    def begin(self) -> None:
        """Start one transaction for all the writes of a save: a crash leaves the last complete state."""
        self.db.execute("BEGIN")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def reset(self) -> None:
        """Forget everything (a damaged cache): the folder is removed."""
        try:
            self.close()
        except sqlite3.Error:
            self._db = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def close(self) -> None:
        if self._db is not None:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            self._db.close()
            self._db = None


@dataclass(frozen=True, slots=True)
class BuildState:
    """What a build keeps of itself in the cache for the next one (records stay in their rows)."""

    resolved: Resolved
    versions: dict[str, str]
    templates: dict[str, str]
    data: set[str]
    lastmods: dict[str, date | None]


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
        self._intact = False

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

    def restore(self) -> tuple[FileCache, BuildState | None]:
        """The content records of the last build and its state; nothing without a usable cache."""
        if self.cache is None:
            return FileCache(), None
        try:
            files = self.cache.files()
            records = {result.path: result for _, result in files.results.values() if not isinstance(result, Failed)}
            state = self.cache.state(records)
            return files, state if isinstance(state, BuildState) else None
        except ERRORS as error:
            self._drop(error)
            return FileCache(), None

    def restore_files(self, builds: Iterable[BuildCache]) -> FileCache:
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

    def save_files(self, files: FileCache) -> None:
        """Keep the content records alone (all a check keeps); a cache that cannot be written is dropped."""
        if self.cache is None:
            return
        try:
            self.cache.begin()
            self.cache.save_files(files)
            self.cache.commit()
        except ERRORS as error:
            self._drop(error)

    def previous(self, renderer: Renderer, out: Path, state: BuildState | None) -> tuple[Rendered | None, Spare | None]:
        """What the last build left in ``out`` (only the files untouched since), as a render's
        previous; and the site before it to start writing from, if ``out`` is as that build left it."""
        if self.cache is None or not out.is_dir():
            return None, None
        try:
            kept, self._intact = self.cache.outputs(out)
            if not kept:
                return None, None
            exports = self.cache.get("exports") or {}
            for kind, name in (("claim", "claims.json"), ("review", "claimreview.json")):
                if name in kept and kind in exports:
                    lines = read_lines((out / name).read_bytes(), kind)
                    order, versions = exports[kind]
                    if lines is not None:
                        renderer.export_lines.seed(kind, order, versions, lines)
            root = str(out)
            previous = Rendered(
                files={path: f"{root}/{path}" for path in kept},
                fingerprints={path: entry[0] for path, entry in kept.items()},
            )
            if state is not None:
                previous.site, previous.versions, previous.templates = (
                    state.resolved.site,
                    state.versions,
                    state.templates,
                )
                previous.data, previous.lastmods = state.data, state.lastmods
            return previous, self.cache.spare() if self._intact else None
        except ERRORS as error:
            self._drop(error)
            self._intact = False
            return None, None

    def save(
        self, files: FileCache, renderer: Renderer, rendered: Rendered, writer: SiteWriter, resolved: Resolved
    ) -> None:
        """Keep what the next build needs; a cache that cannot be written is dropped, never an error."""
        if self.cache is None:
            if writer.retired is not None:
                shutil.rmtree(writer.retired, ignore_errors=True)
            return
        cache = self.cache
        try:
            cache.begin()
            cache.save_files(files)
            cache.save_partials()
            cache.put("exports", {kind: renderer.export_lines.versions(kind) for kind in ("claim", "review")})
            cache.put("images", dict(measured(resolved.site.claims.values())))
            cache.save_outputs(writer.out, rendered.fingerprints, writer.retired, self._intact, writer.stamps)
            state = BuildState(resolved, rendered.versions, rendered.templates, rendered.data, rendered.lastmods)
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


class _RecordPickler(pickle.Pickler):
    def persistent_id(self, obj: object) -> str | None:
        if isinstance(obj, (Claim, Person, Page, Staff)) and not obj.translation:
            return obj.path
        return None  # a translation merged into its original is no row's record: kept whole


class _RecordUnpickler(pickle.Unpickler):
    def __init__(self, stream: io.BytesIO, records: Mapping[str, object]) -> None:
        super().__init__(stream)
        self.records = records

    def persistent_load(self, pid: object) -> object:
        return self.records[str(pid)]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector while tens of thousands of records are unpickled: it would walk
    them again and again (a quarter of the time), and they make no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _folders(files: Iterable[str]) -> set[str]:
    """Every folder that holds one of the files, the top one (``""``) included."""
    folders = {""}
    for path in files:
        parent = path.rpartition("/")[0]
        while parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    return folders


def _folders_unchanged(root: Path, recorded: Mapping[str, Stamp | None]) -> bool:
    base = str(root)
    return bool(recorded) and all(stamp(f"{base}/{folder}") == known for folder, known in recorded.items())
