"""content/static/: the site's own files (CNAME, favicon, documents), copied to the site as they are.

Every file under ``content/static/`` goes to the same path in the site (``static/CNAME`` →
``CNAME``), hidden files included (``.nojekyll`` and ``.well-known/`` are publishing files), editor
junk and version-control folders left out. A symlink that leads outside the content folder is
refused, as for content files; a path the site itself makes is an error naming both.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Diagnostic, shown_path
from .folders import walk
from .frontmatter import NotRegularFile, read_regular

FOLDER = "static"
"""The folder of the content folder that holds the site's own files."""

_JUNK = re.compile(
    r"(^\.#|~$|^#.*#$|\.sw[a-p]$|\.sw[x-z]$|\.tmp$|^4913$|^\.DS_Store$|^\._|^Thumbs\.db$|^desktop\.ini$)"
)
_VCS = frozenset({".git", ".hg", ".svn"})
_RESERVED = {"pagefind": "the search index (pagefind/)"}


def is_junk(name: str) -> bool:
    """True for a name under static/ that is never published: an editor's backup, swap or lock file,
    a system's leftovers, a version-control folder. Other hidden files (``.nojekyll``) are published."""
    return name in _VCS or _JUNK.search(name) is not None


@dataclass(frozen=True, slots=True)
class StaticFile:
    """One of the site's own files."""

    shown: str
    """Its display path, for diagnostics (``content/static/CNAME``)."""
    data: bytes


def find_static(content: Path, display: str) -> tuple[dict[str, StaticFile], list[Diagnostic]]:
    """Every file under ``content/static/`` by its path in the site, sorted; and the problems found."""
    top = content / FOLDER
    files: dict[str, StaticFile] = {}
    problems: list[Diagnostic] = []
    if not top.is_dir():
        return files, problems
    root = os.path.realpath(content)
    for entry, inner in walk(str(top), FOLDER, root, is_junk, display, problems, report_unreadable=True):
        relative, shown = inner.removeprefix(f"{FOLDER}/"), shown_path(display, inner)
        try:
            if not entry.is_file():  # a named pipe, a socket, a device: never read, and said so
                problems.append(Diagnostic(shown, 1, str(NotRegularFile(entry.stat().st_mode))))
                continue
        except OSError:
            continue
        reserved = _RESERVED.get(relative.split("/", 1)[0])
        if reserved is not None:
            problems.append(Diagnostic(shown, 1, f"collides with {reserved}; rename or remove it"))
            continue
        try:
            files[relative] = StaticFile(shown, read_regular(entry.path))  # never blocks on a named pipe
        except NotRegularFile as error:
            problems.append(Diagnostic(shown, 1, str(error)))
        except OSError as error:
            problems.append(Diagnostic(shown, 1, f"cannot be read: {error.strerror or error}"))
    return files, problems


def check_collisions(own: Mapping[str, StaticFile], generated: Mapping[str, str]) -> None:
    """Raise ContentError naming each own file whose path the site makes itself (``generated``: path →
    what makes it)."""
    problems = [
        Diagnostic(static.shown, 1, f"collides with {path}, which the site makes ({generated[path]}); rename it")
        for path, static in own.items()
        if path in generated
    ]
    if problems:
        raise ContentError(sorted(problems))
