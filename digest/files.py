"""content/ as files on disk: which files are content, of which kind, found with their stamps.

Light on purpose (no Markdown, no templates): ``digest similar`` walks the content folder with it
while the editor waits.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, shown_path
from .folders import walk
from .frontmatter import NotRegularFile
from .records import fast_pickle
from .settings import Limits
from .stamps import Stamp

KINDS = {"claims": "claim", "people": "person", "pages": "page", "staff": "staff"}
"""Content sub-folder → the kind of record its files hold."""
_IGNORED = re.compile(r"(^\.|~$|^#.*#$|\.sw[a-p]$|\.sw[x-z]$|\.tmp$|^4913$)")
"""Hidden files, editor backups, swap and lock files: never content."""


def is_ignored(name: str) -> bool:
    """True for a file or folder name that is never content: hidden, an editor's backup, swap or lock file."""
    return _IGNORED.search(name) is not None


@fast_pickle  # a warm build's walk comes back pickled from a copy of it (``warmstart.OnDisk``)
@dataclass(frozen=True, slots=True)
class ContentFile:
    """A file found under content/, before it is read."""

    kind: str
    """claim, person, page or staff."""
    path: str
    """Its path as found (the content folder's path, then the path inside it): a str, as building ten
    thousand Path objects costs a warm build more than reading the records."""
    shown: str
    """Its shown path, for diagnostics."""
    stamp: Stamp | None = None
    """Its stamp when it was found, if known."""


def find_files(content: Path, content_shown: str, limits: Limits) -> tuple[list[ContentFile], list[Diagnostic]]:
    """Every content file under claims/, people/, pages/ and staff/, sorted; symlinks out of content/ refused.

    One ``scandir`` walk, which also gives each file's stamp: no other system call per file.
    """
    root = os.path.realpath(content)
    found: list[ContentFile] = []
    problems: list[Diagnostic] = []
    for folder, kind in KINDS.items():
        top = str(content / folder)  # normalised like a Path's, so a walk and a change name a file alike
        if not os.path.isdir(top):
            continue
        for entry, relative in walk(top, folder, root, is_ignored, content_shown, problems):
            if not entry.name.endswith(".md"):
                continue
            try:
                status = entry.stat()
            except OSError:
                continue
            shown = shown_path(content_shown, relative)
            if not stat.S_ISREG(status.st_mode):
                problems.append(Diagnostic(shown, 1, str(NotRegularFile(status.st_mode))))
                continue
            found.append(ContentFile(kind, entry.path, shown, (status.st_size, status.st_mtime_ns, status.st_ino)))
            if len(found) > limits.max_files:
                message = f"more than {limits.max_files:,} content files (limits.max_files in site.yaml)"
                return [], [Diagnostic(shown_path(content_shown, folder), 1, message)]
    return sorted(found, key=lambda file: file.shown), problems
