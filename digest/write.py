"""Atomic output: the complete site goes to a temporary folder beside --out, then takes its place.

A build that fails or is killed leaves the previous --out exactly as it was. On Linux the swap is
one ``renameat2(RENAME_EXCHANGE)`` call; elsewhere two renames, with the old folder kept aside
until the new one is in place.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import OutputError


class Kept:
    """An output already in place, unchanged, in the folder being updated (see ``update_tree``)."""

    def __repr__(self) -> str:
        return "KEPT"


KEPT = Kept()

Output = bytes | Path | Kept
"""A file's bytes, an existing file with the same bytes (hard-linked), or KEPT."""

_TEMP_PREFIX = ".digest-"


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
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


def clean_stale(out: Path) -> None:
    """Remove temporary folders that a killed build left beside ``out``."""
    parent = out.parent
    prefix = f"{_TEMP_PREFIX}{out.name}-"
    if not parent.is_dir():
        return
    for entry in parent.iterdir():
        if entry.name.startswith(prefix) and entry.is_dir() and not entry.is_symlink():
            pid = entry.name[len(prefix) :].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_tree(folder: Path, files: Mapping[str, Output], previous: Path | None = None) -> int:
    """Write every file under ``folder``; returns how many were written rather than hard-linked.

    An output given as a Path, or whose bytes equal the file in ``previous``, is hard-linked.
    """
    made: set[str] = set()
    written = 0
    for relative in sorted(files):
        data = files[relative]
        assert not isinstance(data, Kept), relative
        target = folder / relative
        parent = os.path.dirname(relative)
        if parent and parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(parent)
        if isinstance(data, Path):
            try:
                os.link(data, target)
            except OSError:
                shutil.copyfile(data, target)
            continue
        if previous is not None and _same(previous / relative, data):
            try:
                os.link(previous / relative, target)
                continue
            except OSError:
                pass
        with open(target, "wb") as handle:
            handle.write(data)
        written += 1
    return written


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def write_site(out: Path, files: Mapping[str, Output]) -> int:
    """Replace ``out`` with exactly ``files``; raises OutputError and keeps ``out`` on any failure."""
    out = out.absolute()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(out)
        temp = Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}{out.name}-{os.getpid()}-", dir=out.parent))
    except OSError as error:
        raise OutputError(f"cannot write beside {out}: {error.strerror or error}") from None
    try:
        os.chmod(temp, 0o755)
        previous = out if out.is_dir() else None
        written = write_tree(temp, files, previous)
        if previous is None:
            os.rename(temp, out)
        elif _exchange(temp, out):
            shutil.rmtree(temp, ignore_errors=True)  # temp now holds the old site
        else:
            aside = temp.with_name(temp.name + "-old")
            os.rename(out, aside)
            os.rename(temp, out)
            shutil.rmtree(aside, ignore_errors=True)
    except OSError as error:
        shutil.rmtree(temp, ignore_errors=True)
        what = error.strerror or str(error)
        raise OutputError(f"cannot write the site to {out}: {what}; the previous site was left as it was") from None
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
