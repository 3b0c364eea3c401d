"""LinkChecker over a served site: every link and anchor of every page, shared by the publishing tests."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LINKCHECKER_CONFIG = "[checking]\nmaxrequestspersecond=1000\nthreads=10\n[filtering]\ncheckextern=0\n[AnchorCheck]\n"


# LinkChecker run as root switches to the user nobody, who cannot read a virtual environment made
# in a private folder (as CI's clean clone is): it then finds none of its plugins, AnchorCheck
# included, and silently checks no anchors. The tests run it without that switch.
RUN_LINKCHECKER = """
import sys
import linkcheck.command.linkchecker as command
command.drop_privileges = lambda: None
sys.argv = ["linkchecker", *sys.argv[1:]]
sys.exit(command.linkchecker())
"""


def linkchecker(url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG)
    command = [sys.executable, "-c", RUN_LINKCHECKER, "-f", str(config), "--no-status", "-o", "text", url]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)


def counts(result: subprocess.CompletedProcess[str]) -> tuple[int, int, int] | None:
    """(URLs checked, warnings, errors) from LinkChecker's summary line; None if it printed none."""
    summary = re.search(
        r"(\d+) links? in (\d+) URLs? checked\. (\d+) warnings? found\. (\d+) errors? found", result.stdout
    )
    return (int(summary.group(2)), int(summary.group(3)), int(summary.group(4))) if summary else None


@dataclass(frozen=True)
class Links:
    """What LinkChecker found over a site: how many URLs it checked, and its report when it found a
    warning or an error (or printed no summary: then nothing was checked)."""

    checked: int
    problems: str


def check_links(url: str, tmp_path: Path) -> Links:
    """Every link and anchor of the site served at ``url``, checked by LinkChecker."""
    result = linkchecker(url, tmp_path)
    found = counts(result)
    if found is None:
        return Links(0, result.stdout + result.stderr)
    checked, warnings, errors = found
    clean = (warnings, errors) == (0, 0) and result.returncode == 0
    return Links(checked, "" if clean else result.stdout)
