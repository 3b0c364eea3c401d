"""--out as digest keeps it: the mark of a site digest made, the guard, what a killed build left.

Every site written gets a ``.digest-build`` file at its top: the mark of a folder digest made,
which a later build may replace. A folder without it that holds anything but version-control
files is refused (``guard_out``) unless the user forces it. Whatever the case, the folder's
version-control files (``.git`` and the like) are moved into the new site before the swap
(``write.SiteWriter.commit``), and put back wherever a failed or killed build left them
(``clean_stale``): a build never deletes them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError
from .urls import MARKER

TEMP_PREFIX = ".digest-"
"""How the temporary folders a build writes beside --out begin (``<prefix><out>-<pid>-...``)."""

MARKER_TEXT = b"Made by digest: 'digest build' replaces this folder whole. Keep your own files in content/static/.\n"
VCS = (".git", ".gitignore", ".gitattributes", ".hg", ".hgignore", ".svn")
"""Version-control files at the top of --out: never deleted, carried over into every new site."""


def guard_out(out: Path, force: bool) -> None:
    """Raise UsageError if ``out`` holds files that digest did not make and ``force`` is not given.

    An empty folder, one holding only version-control files, and one with digest's marker are fine.
    """
    try:
        names = [entry.name for entry in os.scandir(out)] if out.is_dir() else []
    except OSError as error:
        raise UsageError(f"--out {out}: cannot be read: {error.strerror or error}") from None
    if force or MARKER in names or all(name in VCS for name in names):
        return
    raise UsageError(
        f"--out {out}: holds files digest did not make (no {MARKER}); choose an empty or new folder, "
        "or add --force to replace them (.git is kept)"
    )


def carry(source: Path, target: Path, names: Iterable[str]) -> list[str]:
    """Move the entries ``names`` of ``source`` that ``target`` lacks into ``target``; the names moved."""
    moved = []
    for name in names:
        if os.path.lexists(source / name) and not os.path.lexists(target / name):
            os.rename(source / name, target / name)
            moved.append(name)
    return moved


def clean_stale(out: Path) -> None:
    """Remove temporary folders that a killed build left beside ``out``, after putting back in ``out``
    the version-control files it was carrying (a build killed just before its swap)."""
    parent = out.parent
    prefix = f"{TEMP_PREFIX}{out.name}-"
    if not parent.is_dir():
        return
    for entry in parent.iterdir():
        if entry.name.startswith(prefix) and entry.is_dir() and not entry.is_symlink():
            pid = entry.name[len(prefix) :].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                if out.is_dir() and not out.is_symlink():
                    carry(entry, out, VCS)
                if not any(os.path.lexists(entry / name) for name in VCS):  # never delete them
                    shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
