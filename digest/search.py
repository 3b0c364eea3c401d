"""Full-text search: Pagefind indexes the built site before it is swapped in.

Only claim pages are indexed (the theme marks their article with ``data-pagefind-body``), with
filters by person and verdict. Pagefind is a separate program (the ``pagefind_bin`` package
carries it); it runs on the temporary folder, so a failed index leaves ``--out`` as it was.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from .errors import OutputError, UsageError


def available() -> bool:
    """True if the Pagefind program is installed (the pagefind[bin] package)."""
    return importlib.util.find_spec("pagefind_bin") is not None


def index_site(folder: Path) -> None:
    """Write the search index into folder/pagefind/; raises if Pagefind is missing or fails."""
    if not available():
        raise UsageError("search needs Pagefind: pip install 'pagefind[bin]' (or build with --no-search)")
    command = [sys.executable, "-m", "pagefind_bin", "--site", str(folder), "--keep-index-url", "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise OutputError(f"the search index failed: {detail[-1] if detail else result.returncode}")
