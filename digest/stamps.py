"""File stamps: what tells, without reading a file, that nobody changed it since we last looked."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

Stamp = tuple[int, int, int]
"""Size, modification time in nanoseconds, inode: an editor's save-by-rename changes the inode."""


def stamp(path: Path | str) -> Stamp | None:
    """The stamp of a file, or None if it is not there."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns, status.st_ino)


def tree_stamps(root: Path | str, leave_out: Collection[str] = ()) -> dict[str, Stamp]:
    """The stamp of every file and folder under ``root``, by its path there (``""`` is ``root``), as
    ``stamp`` gives them: symlinks followed, but no folder walked through one. ``leave_out``: names at
    the top not looked at (a publishing checkout's ``.git``, thousands of files no build wrote). Empty
    if ``root`` is not there; what cannot be looked at is left out (``stamp`` it to know)."""
    top = stamp(root)
    if top is None:
        return {}
    found = {"": top}
    pending = [("", str(root))]
    while pending:
        under, folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if not under and entry.name in leave_out:
                        continue
                    inner = f"{under}/{entry.name}" if under else entry.name
                    try:
                        status = entry.stat()
                        if entry.is_dir(follow_symlinks=False):
                            pending.append((inner, entry.path))
                    except OSError:
                        continue
                    found[inner] = (status.st_size, status.st_mtime_ns, status.st_ino)
        except OSError:
            continue
    return found
