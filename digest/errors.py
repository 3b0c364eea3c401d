"""Diagnostics and the exceptions that carry them.

The exception tree::

    DigestError                 anything the command line reports without a traceback
    ├── UsageError              a wrong option or a folder that is not what it should be (exit 2)
    ├── ThemeError              a template that does not render: ``template:line: message`` (exit 1)
    ├── OutputError             the output folder cannot be written: disk full, read-only (exit 1)
    └── ContentError            every content problem of one run, as Diagnostics (exit 1)

A Diagnostic is data: a shown path (a file as the user named it), a 1-based line and a message. Its ``str()`` is the
``path:line: message`` form that docs/design.md promises editors and their tools.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

_BREAKS = re.compile("[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
"""Every character that ends a line for str.splitlines(), an editor or a terminal: escaped in a diagnostic."""


def shown_path(content_shown: str, relative: str) -> str:
    """The path an editor sees: the --content argument as typed, joined with a path inside it."""
    return os.path.join(content_shown, relative) if content_shown not in ("", ".") else relative


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem (or, with ``warning``, one piece of advice) found in one file."""

    path: str
    """The file as the editor would type it: the --content argument joined with the path inside it."""
    line: int
    """1-based line in the file; 1 for a problem with the whole file."""
    message: str
    """What is wrong, what was expected and, where possible, a fix."""
    warning: bool = False
    """True for advice (`digest check` warnings); False for an error that stops a build."""

    def __str__(self) -> str:
        prefix = "warning: " if self.warning else ""
        message = _BREAKS.sub(lambda found: repr(found.group())[1:-1], self.message)  # always one line
        return f"{self.path}:{self.line}: {prefix}{message}"


class DigestError(Exception):
    """Base of every error the command line reports without a traceback."""

    exit_code = 1


class UsageError(DigestError):
    """The command was called wrongly: a bad option, a missing folder, an --out that is a file."""

    exit_code = 2


class ThemeError(DigestError):
    """A template failed to render; the message names the template and line."""


class OutputError(DigestError):
    """The site could not be written (disk full, read-only folder); the previous output is kept."""


class ContentError(DigestError):
    """The content has problems; holds every diagnostic of the run, sorted by file and line."""

    exit_code = 1

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(sorted(set(diagnostics)))
        super().__init__("\n".join(map(str, self.diagnostics)))
