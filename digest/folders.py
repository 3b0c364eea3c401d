"""Walking a folder of content/: everything in it in a stable order, symlinks that leave the content folder refused.

Content files (``files``) and the site's own files (``static``) are found the same way; what each
keeps of what the walk finds is its own business.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from .errors import Diagnostic, shown_path

OUTSIDE = "symlink leads outside the content folder; copy the file in instead"


def walk(
    top: str,
    under: str,
    root: str,
    skip: Callable[[str], bool],
    display: str,
    problems: list[Diagnostic],
    report_unreadable: bool = False,
    seen: set[str] | None = None,
) -> Iterator[tuple[os.DirEntry[str], str]]:
    """(entry, its path inside content/) of everything under ``top`` that is not a folder, sorted by
    name, depth first; ``under`` is ``top``'s own path inside content/.

    Names that ``skip`` matches are left out, folders with all they hold. A symlink that leads
    outside ``root`` (the content folder's real path) is left out and reported in ``problems``; one
    that stays inside is followed, each real folder once. A folder that cannot be read is left out,
    and reported too when ``report_unreadable``.
    """
    seen = set() if seen is None else seen
    real = os.path.realpath(top)
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(top), key=lambda entry: entry.name)
    except OSError as error:
        if report_unreadable:
            message = f"folder cannot be read: {error.strerror or error}"
            problems.append(Diagnostic(shown_path(display, under), 1, message))
        return
    for entry in entries:
        if skip(entry.name):
            continue
        inner = f"{under}/{entry.name}"
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            if target != root and not target.startswith(root + os.sep):
                problems.append(Diagnostic(shown_path(display, inner), 1, OUTSIDE))
                continue
        try:
            folder = entry.is_dir()
        except OSError:
            continue
        if folder:
            yield from walk(entry.path, inner, root, skip, display, problems, report_unreadable, seen)
        else:
            yield entry, inner
