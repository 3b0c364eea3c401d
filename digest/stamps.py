"""File stamps: what tells, without reading a file, that nobody changed it since we last looked."""

from __future__ import annotations

import os
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
