"""The build cache: what ``digest build`` keeps in the user's cache folder, so that the next build
of the same content into the same place does only what changed.

One folder per (content, output, theme, settings) under ``$XDG_CACHE_HOME/digest/builds/`` (else
``~/.cache/digest/builds/``) holds:

- ``state.sqlite``: every content file's record (by path, with its size, time stamp and inode),
  the list items already rendered, the fingerprint and stamp of every file in ``--out``, and the
  order and versions of the claims in the JSON exports;
- ``templates/``: the theme's templates compiled by Jinja (each checked against its source);
- ``spare/``: the site before the current one. The next build starts from it and replaces only
  the files whose fingerprints changed, then the swapped-out site becomes the new spare; a build
  that finds ``--out`` already the site it makes swaps nothing, and the spare stays as it is.

Nothing in it is trusted blindly: a record is reused only while its file's stamp is unchanged, an
output only while its own stamp is; the generator's version is part of every fingerprint. Delete
the folder at any time: the next build is a cold one.

What a build restores from it and saves in it is ``warmstart``'s; how the state is pickled, its
records by reference to their rows, is ``pickles``'.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
import sqlite3
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .load import KnownFiles
from .pickles import CacheUnusable, collector_paused, dump_state, load_state, loads
from .stamps import Stamp, stamp
from .usercache import cache_folder
from .write import Spare

SCHEMA = 14
"""The version of what the cache holds: records and states of an older one are not read (4: staff
records, and claims with authors and editors; 5: claims with their images; 6: claims with repeats;
7: claims' aliases and people's former slugs; 8: verdicts worded per language, and the search
index's shards; 9: records in the state by reference, and the pages showing each record; 10:
settings with page_size, pages with their number; 11: translations and the Site in each language;
12: the records in the modules ``settings``, ``model`` and ``site``, the state in ``warmstart``
and ``pickles``, which pickles name; 13: settings with social_cards; 14: the pages showing each
record as a list of paths, and versions with the site's last change)."""
_BATCH = 5000
"""List items written to the database at a time."""
_FEW = 2000
"""List items read one by one (by slug) rather than with their whole group."""


ERRORS = (sqlite3.Error, OSError, CacheUnusable)
"""What a damaged, unreadable or unwritable cache raises: the build then goes on without it. Our
own code's errors are not among them: a bug on the warm path fails loudly, never turns cold."""


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
        self._whole: set[str] = set()
        """Groups of list items read whole."""
        self._asked: dict[str, set[str]] = {}
        """The items of each group read so far (those found and those not)."""
        self._pending: list[tuple[str, str, str, str]] = []
        self._outputs: dict[str, Any] | None = None
        """The output manifest as ``outputs`` read it."""
        self._spare_manifest: dict[str, Any] | None = None
        """The spare's manifest as ``spare`` read it."""
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

    def kept(self) -> bool:
        """Whether an earlier build kept anything here (without opening or making anything)."""
        return (self.folder / "state.sqlite").is_file()

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
        return loads(row[0]) if row else None

    def put(self, key: str, value: object) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, pickle.dumps(value, protocol=5)))

    # content files

    def files(self) -> KnownFiles:
        """The records of the content files as they were at the last build."""
        known = KnownFiles(limits=self.get("limits"))
        with collector_paused():
            for path, stamp_blob, result in self.db.execute("SELECT path, stamp, result FROM files"):
                kept = loads(stamp_blob)
                self._stamps[path] = kept
                known.results[path] = (kept, loads(result))
        return known

    def files_read_only(self) -> KnownFiles | None:
        """The records of the content files kept here, read without creating or changing anything
        (the cache of another command); None if there are none this version can use."""
        database = self.folder / "state.sqlite"
        if not database.is_file():
            return None
        try:
            with contextlib.closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as db:
                meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('schema', 'limits')"))
                if "schema" not in meta or loads(meta["schema"]) != (SCHEMA, __version__):
                    return None
                known = KnownFiles(limits=loads(meta["limits"]) if "limits" in meta else None)
                with collector_paused():
                    for path, stamp_blob, result in db.execute("SELECT path, stamp, result FROM files"):
                        known.results[path] = (loads(stamp_blob), loads(result))
            return known
        except ERRORS:
            return None

    def save_files(self, known: KnownFiles) -> bool:
        """Write the records that changed since ``files``; whether any had."""
        current = known.results
        gone = self._stamps.keys() - current.keys()
        paths = [path for path, entry in current.items() if self._stamps.get(path) != entry[0]]
        changed = (  # a generator: one row's pickle in memory at a time
            (path, pickle.dumps(current[path][0], protocol=5), pickle.dumps(current[path][1], protocol=5))
            for path in paths
        )
        self.db.executemany("DELETE FROM files WHERE path = ?", ((path,) for path in gone))
        self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", changed)
        self.put("limits", known.limits)
        return bool(gone or paths)

    # the resolved site and the render, referring to the records above

    def save_state(self, state: object) -> None:
        """Keep ``state`` (the resolved site, the last render's fingerprints...) with every record in
        it stored as a reference to its row in ``files``, not a copy."""
        self.put("state", dump_state(state))

    def state(self, records: Mapping[str, object]) -> Any:
        """The state saved by ``save_state``, its references resolved to ``records`` (by path);
        None if there is none, or if it refers to a record that is gone."""
        data = self.get("state")
        return load_state(data, records) if data is not None else None

    # rendered list items

    def partials(self, group: str, slugs: Collection[str]) -> dict[str, tuple[str, str]]:
        """The list items of one kind and link depth rendered before, {slug: (version, html)}: those of
        ``slugs`` at least. A short list reads its own items only (a page of a list, after an edit),
        a long one the whole group at once."""
        known = self._groups.setdefault(group, {})
        if group in self._whole:
            return known
        asked = self._asked.setdefault(group, set())
        missing = [slug for slug in slugs if slug not in asked]
        if not missing:
            return known
        try:
            if len(missing) > _FEW:
                rows = self.db.execute("SELECT slug, version, html FROM partials WHERE grp = ?", (group,))
                self._whole.add(group)
            else:
                rows = self.db.execute(
                    "SELECT slug, version, html FROM partials"
                    " WHERE grp = ? AND slug IN (SELECT value FROM json_each(?))",
                    (group, json.dumps(missing)),
                )
            known.update((slug, (version, html)) for slug, version, html in rows)
        except ERRORS as error:  # a damaged cache: render the items again
            self.problem = self.problem or str(error)
            self._whole.add(group)
        asked.update(missing)
        return known

    def keep_partial(self, group: str, slug: str, version: str, html: str) -> None:
        """Keep a rendered list item for later runs (written in batches, to hold little in memory)."""
        self._pending.append((group, slug, version, html))
        if len(self._pending) >= _BATCH:
            self.save_partials()

    def save_partials(self) -> None:
        """Write the items kept since the last call, in one transaction (in autocommit, each row
        would be a transaction of its own: a commit, its writes and locks, per item)."""
        if not self._pending:
            return
        alone = False  # inside ``save``'s transaction, or one of its own
        try:
            db = self.db
            alone = not db.in_transaction
            if alone:
                db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO partials VALUES (?, ?, ?, ?)", self._pending)
            if alone:
                db.execute("COMMIT")
        except ERRORS as error:  # a cache that cannot keep them renders them again next time
            self.problem = self.problem or str(error)
            if alone:
                with contextlib.suppress(*ERRORS):  # none open: nothing to undo
                    db.execute("ROLLBACK")
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

    def outputs(self, out: Path, found: Mapping[str, Stamp] | None = None) -> tuple[dict[str, tuple[str, Stamp]], bool]:
        """The files of ``out`` as the last build left them, with their fingerprints, leaving out the
        ones touched since; and whether ``out`` is exactly as it was left (no file added or removed:
        every folder's time stamp unchanged), which it must be to become the next spare. ``found``:
        the stamps of what is in ``out`` if they were taken already (``stamps.tree_stamps``)."""
        with collector_paused():
            recorded = self._outputs = self.get("outputs") or {"files": {}, "folders": {}}
        now = _stamps_now(out, found)
        files = {path: entry for path, entry in recorded["files"].items() if now(path) == entry[1]}
        intact = len(files) == len(recorded["files"]) and _folders_unchanged(out, recorded["folders"], found)
        return files, intact

    def spare(self, out: Mapping[str, tuple[str, Stamp]]) -> Spare | None:
        """The site before the current one, to start the next build from, if it is there untouched.
        ``out``: the files of --out just found unchanged (see ``outputs``), with their stamps."""
        try:
            manifest, top = self.get("spare"), self.get("spare-top")
        except ERRORS as error:
            self.problem = self.problem or str(error)
            return None
        if manifest is None or not self.spare_folder.is_dir():
            return None
        manifest["folders"][""] = top
        if not _folders_unchanged(self.spare_folder, manifest["folders"]):
            shutil.rmtree(self.spare_folder, ignore_errors=True)
            return None
        self._spare_manifest = manifest
        files = manifest["files"]
        # Unchanged files are hard links shared by both sites: one look at --out's tells of the spare's
        # too (the same inode is the same file, and no name in the spare changed: its folders are as they were)
        checked = frozenset(path for path, entry in out.items() if (files.get(path) or (None, None))[1] == entry[1])
        return Spare(self.spare_folder, files, checked)

    def save_outputs(
        self,
        out: Path,
        fingerprints: Mapping[str, str],
        retired: Path | None,
        intact: bool,
        known: Mapping[str, Stamp] | None = None,
        removed: Iterable[str] = (),
    ) -> None:
        """Record the new site's files (``known`` gives the stamps of those kept from the spare, as the
        spare's manifest had them; ``removed`` the paths the writer removed from it), and keep the
        swapped-out site (if it was intact) as the next spare."""
        known = known or {}
        root = str(out)
        files = {}
        for path, fingerprint in fingerprints.items():
            found = known.get(path) or stamp(f"{root}/{path}")
            if found is not None:
                files[path] = (fingerprint, found)
        folders = _folders(files)
        before = self._spare_manifest["folders"] if known and self._spare_manifest is not None else {}
        # a folder of the spare in which nothing was written, made or removed is as the spare's manifest
        # says (checked at the start): only the others are looked at again (the top one always is)
        fresh = _folders([*(path for path in files if path not in known), *removed])
        stamps = {f: before[f] if f in before and f not in fresh else stamp(f"{root}/{f}") for f in folders}
        shutil.rmtree(self.spare_folder, ignore_errors=True)
        self.put("spare", None)
        if retired is not None:
            try:
                if not intact or self._outputs is None:
                    raise OSError("the old site was changed by hand: not a spare")
                os.rename(retired, self.spare_folder)
                # intact: its files and folders are as recorded (a rename changes none but the top one),
                # so the manifest of --out read at the start is the spare's, copied as it is stored
                self.db.execute("INSERT OR REPLACE INTO meta SELECT 'spare', value FROM meta WHERE key = 'outputs'")
                self.put("spare-top", stamp(self.spare_folder))
            except OSError:  # not usable, or on another file system: the next build writes everything
                shutil.rmtree(retired, ignore_errors=True)
        self.put("outputs", {"files": files, "folders": stamps})

    def spare_given_back(self) -> None:
        """The spare went back to its place untouched (the build left --out as it was): its manifest
        holds, its top folder's stamp taken again (the renames there and back)."""
        manifest = self._spare_manifest
        top = stamp(self.spare_folder)
        if manifest is not None and manifest["folders"].get("") != top:
            self.put("spare-top", top)

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


def _folders(files: Iterable[str]) -> set[str]:
    """Every folder that holds one of the files, the top one (``""``) included."""
    folders = {""}
    for path in files:
        parent = path.rpartition("/")[0]
        while parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    return folders


def _folders_unchanged(
    root: Path, recorded: Mapping[str, Stamp | None], found: Mapping[str, Stamp] | None = None
) -> bool:
    now = _stamps_now(root, found)
    return bool(recorded) and all(now(folder) == known for folder, known in recorded.items())


def _stamps_now(root: Path, found: Mapping[str, Stamp] | None) -> Callable[[str], Stamp | None]:
    """The stamp of a path in ``root``: from ``found`` (taken earlier in this build) if it has it, else
    looked at now (one not there is gone, or could not be looked at then)."""
    base = str(root)
    if not found:
        return lambda path: stamp(f"{base}/{path}")
    return lambda path: found[path] if path in found else stamp(f"{base}/{path}")
