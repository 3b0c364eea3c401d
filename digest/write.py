"""Atomic output: the complete site goes to a temporary folder beside --out, then takes its place.

A build that fails or is killed leaves the previous --out exactly as it was. On Linux the swap is
one ``renameat2(RENAME_EXCHANGE)`` call; elsewhere two renames, with the old folder kept aside
until the new one is in place. What --out may hold, the mark every site gets and the
version-control files a build never deletes are in ``outfolder``.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import OutputError
from .outfolder import MARKER_TEXT, TEMP_PREFIX, VCS, carry, clean_stale
from .output import Kept, Output
from .stamps import Stamp, stamp
from .urls import MARKER


@functools.cache
def _renameat2() -> Any:
    """glibc's renameat2, or None."""
    if not sys.platform.startswith("linux"):
        return None
    return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result != 0:
        code = ctypes.get_errno()
        if code in (errno.ENOSYS, errno.EINVAL):
            return False
        raise OSError(code, os.strerror(code), str(b))
    return True


@dataclass(frozen=True, slots=True)
class Spare:
    """A complete older site kept in the cache folder, with the fingerprint and stamp of each file.

    A build starts from it instead of an empty folder: every file whose fingerprint is unchanged
    (and which nobody touched since) stays, so a small edit writes a handful of files, not a site.
    """

    folder: Path
    files: Mapping[str, tuple[str, Stamp]]
    checked: frozenset[str] = frozenset()
    """Files known to be as recorded without looking again: each is the very file (the same inode,
    size and time) of --out just found unchanged, and no name in the spare's folders changed since."""


class SiteWriter:
    """Writes a complete site into a temporary folder beside ``out``, then swaps it in.

    Files are written as they come (by the renderer, and by its worker processes, which share
    nothing with this object but the folder), so the site never has to be held in memory whole.
    ``commit`` swaps the folder in; ``abort`` (or an exception in a ``with`` block) removes it,
    and ``out`` is left exactly as it was. Given a ``spare`` tree on the same file system, the
    writer starts from it and replaces only what changed, never writing into a file in place
    (files may be shared, as hard links, with the current ``out``).
    """

    def __init__(self, out: Path, spare: Spare | None = None) -> None:
        self.out = out.resolve() if out.is_symlink() else out.absolute()  # a symlink: replace what it points to
        self.previous = self.out if self.out.is_dir() else None
        self.kept: Mapping[str, tuple[str, Stamp]] = {}
        self._checked: frozenset[str] = frozenset()
        self.stamps: dict[str, Stamp] = {}
        """Stamps of the files kept from the spare, as they are (the parent process's writes only)."""
        self.retired: Path | None = None
        """After commit: the old site, moved aside (the caller keeps it as the next spare or removes it)."""
        self._carried: list[str] = []
        """Version-control files moved from ``out`` into the new site, put back if the swap fails."""
        self._spare: Path | None = None
        self.untouched = False
        """Whether the folder is still the spare as it came: every file written so far was kept from it."""
        self.kept_out = False
        """Whether ``keep_out`` left ``out`` as it was and gave the spare back, instead of a swap."""
        self.removed: list[str] = []
        """Paths ``prune`` removed from the spare."""
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            clean_stale(self.out)
            self.folder = Path(
                tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{self.out.name}-{os.getpid()}-", dir=self.out.parent)
            )
            os.chmod(self.folder, 0o755)
        except OSError as error:
            raise OutputError(f"cannot write beside {self.out}: {error.strerror or error}") from None
        self._folder = str(self.folder)
        if spare is not None:
            try:
                os.rename(spare.folder, self.folder)  # over the empty folder: same file system only
                self.kept, self._checked = spare.files, spare.checked
                self._spare, self.untouched = spare.folder, True
            except OSError:
                shutil.rmtree(spare.folder, ignore_errors=True)

    def write(self, relative: str, data: Output, fingerprint: str | None = None) -> bool:
        """Write one file; True if written, False if kept or hard-linked."""
        assert not isinstance(data, Kept), relative
        try:
            where = f"{self._folder}/{relative}"
            if self.kept:  # starting from a spare: keep its file, or replace it without writing into it
                old = self.kept.get(relative)
                if old is not None and old[0] == fingerprint and (relative in self._checked or stamp(where) == old[1]):
                    self.stamps[relative] = old[1]
                    return False
            self.untouched = False
            if isinstance(data, str):
                data = Path(data)
            if self.kept and os.path.lexists(where):
                return self._replace(self.folder / relative, data)
            target = self.folder / relative
            try:
                return self._write(target, relative, data)
            except FileNotFoundError:
                _make_folders(self._folder, relative)
                return self._write(target, relative, data)
        except OSError as error:
            raise OutputError(
                f"cannot write the site to {self.out}: {error.strerror or error}; the previous site was left as it was"
            ) from None

    def _replace(self, target: Path, data: bytes | Path) -> bool:
        """Put new content at ``target`` through a new file renamed over it: the old inode is left alone."""
        if isinstance(data, Path) and stamp(data) == stamp(target):
            return False  # already the same file (a hard link): rename() would do nothing and leave the temporary
        handle, temporary = tempfile.mkstemp(prefix=".", dir=target.parent)
        os.close(handle)
        try:
            if isinstance(data, Path):
                os.unlink(temporary)
                try:
                    os.link(data, temporary)
                except OSError:
                    shutil.copyfile(data, temporary)
            else:
                with open(temporary, "wb") as stream:
                    stream.write(data)
                os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            raise
        return not isinstance(data, Path)

    def _write(self, target: Path, relative: str, data: bytes | Path) -> bool:
        if isinstance(data, Path):
            try:
                os.link(data, target)
            except FileNotFoundError:
                raise
            except OSError:
                shutil.copyfile(data, target)
            return False
        if self.previous is not None and not self.kept and _same(self.previous / relative, data):
            try:
                os.link(self.previous / relative, target)
                return False
            except FileNotFoundError:
                raise
            except OSError:
                pass
        with open(target, "wb") as handle:
            handle.write(data)
        return True

    def prune(self, keep: Iterable[str]) -> None:
        """Remove what the spare had and the new site does not (a page gone, an old search index)."""
        wanted = set(keep)
        tops = {relative.split("/", 1)[0] for relative in wanted}
        for entry in self.folder.iterdir():
            if entry.name not in tops and entry.name != MARKER:
                self.untouched = False
                self.removed.append(entry.name)
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        for relative in sorted(self.kept.keys() - wanted, reverse=True):
            self.untouched = False
            self.removed.append(relative)
            path = self.folder / relative
            path.unlink(missing_ok=True)
            parent = path.parent
            while parent != self.folder and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent

    def keep_out(self) -> bool:
        """Leave ``out`` as it is and give the spare back untouched, instead of the swap: for a build
        that found ``out`` already holding the very site it made (the caller knows: every file there
        unchanged, with the new one's fingerprint, none missing or extra). False, and nothing done,
        if the spare was changed here (or there was none) or ``out`` lacks its mark: commit swaps then."""
        if not self.untouched or self._spare is None or not _same(self.out / MARKER, MARKER_TEXT):
            return False
        try:
            os.rename(self.folder, self._spare)
        except OSError:
            return False
        self.kept_out = True
        return True

    def commit(self) -> None:
        """Swap the new site in for ``out``, atomically where the system allows; ``out``'s
        version-control files go with it (moved in just before; put back if the swap fails, or by
        the next build's ``clean_stale`` if this one is killed in between)."""
        try:
            marker = self.folder / MARKER
            if not _same(marker, MARKER_TEXT):
                marker.unlink(missing_ok=True)  # never written in place: it may be a hard link
                marker.write_bytes(MARKER_TEXT)
            if self.previous is None or not self.out.exists():
                os.rename(self.folder, self.out)
                return
            self._carried = carry(self.out, self.folder, VCS)
            if exchange(self.folder, self.out):
                self.retired = self.folder  # the folder now holds the old site
            else:
                aside = self.folder.with_name(self.folder.name + "-old")
                os.rename(self.out, aside)
                try:
                    os.rename(self.folder, self.out)
                except OSError:
                    os.rename(aside, self.out)  # put the old site back before reporting
                    raise
                self.retired = aside
        except OSError as error:
            self.abort()
            raise OutputError(
                f"cannot write the site to {self.out}: {error.strerror or error}; the previous site was left as it was"
            ) from None

    def abort(self) -> None:
        """Remove the temporary folder; ``out`` stays as it was (its version-control files put back)."""
        if self._carried:
            try:
                carry(self.folder, self.out, self._carried)
            except OSError:
                return  # leave them where they are rather than delete them; the next build retries
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> SiteWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: object) -> None:
        if kind is None:
            if not self.kept_out:
                self.commit()
        elif not self.kept_out:
            self.abort()


def _make_folders(root: str, relative: str) -> None:
    """Make the folders of ``relative`` under ``root``, never ``root`` itself: a writer that outlived
    its build must not bring back a temporary folder the next build has cleared."""
    folder = root
    for part in relative.split("/")[:-1]:
        folder = f"{folder}/{part}"
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder)


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def write_site(out: Path, files: Mapping[str, Output]) -> int:
    """Replace ``out`` with exactly ``files``; raises OutputError and keeps ``out`` on any failure.

    Returns how many files were written rather than hard-linked.
    """
    with SiteWriter(out) as writer:
        written = sum(writer.write(relative, files[relative]) for relative in sorted(files))
    if writer.retired is not None:
        shutil.rmtree(writer.retired, ignore_errors=True)
    return written


def update_tree(out: Path, files: Mapping[str, Output], before: Iterable[str]) -> list[str]:
    """Bring ``out`` (which holds exactly the paths ``before``) to ``files``, in place.

    Only outputs given as bytes are written, each atomically (a temporary file, then a rename),
    so a reader never sees half a page; paths no longer in ``files`` are removed. For the
    preview, where rewriting the whole folder on every save would cost more than the save.
    Returns the paths written or removed.
    """
    changed: list[str] = []
    for relative, data in sorted((r, d) for r, d in files.items() if isinstance(d, bytes)):
        target = out / relative
        if relative in before and _same(target, data):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".", dir=target.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        changed.append(relative)
    for relative in sorted(set(before) - files.keys()):
        (out / relative).unlink(missing_ok=True)
        changed.append(relative)
        parent = (out / relative).parent
        while parent != out and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return changed
