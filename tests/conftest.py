"""Shared fixtures and helpers: one build of content/ for the whole run, scratch sites in tmp_path, the
test claims, building in-process or as a user does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

from digest.cli import main

# CI (`.ci/run`) sets HYPOTHESIS_PROFILE=ci: the property tests try the same examples on every run, so
# that a CI result can be reproduced and a landing is not refused by a case no earlier run tried. Runs
# without it (`make test` on a workstation) explore new random examples each time: report what they find.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Builds keep a cache in the user's cache folder: the tests keep theirs in a folder of their own.
_CACHE = tempfile.mkdtemp(prefix="digest-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)


ROOT = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).resolve().parent / "sites" / "minimal"
LANGUAGES = Path(__file__).resolve().parent / "sites" / "languages"
"""The minimal site in English, Ukrainian and Russian (see tests/test_languages.py)."""
GREEN = "claims/alice-said-sky-is-green/"
"""LANGUAGES' check translated into both other languages."""
OUR_SCALE = {
    "True": 5,
    "Mostly true": 4,
    "Mixed": 3,
    "Mostly false": 2,
    "False": 1,
    "Unverified": None,
    "Not rated": None,
}
"""The verdicts of content/site.yaml, best first: label → schema.org rating (None: unrated)."""
PAGES_OF_EACH_KIND = {
    "home": "",
    "claim": "claims/peskov-knew-of-no-plans-to-congratulate/",
    "person": "people/putin/",
    "people": "people/",
    "staff member": "staff/editorial-team/",
    "staff": "staff/",
    "scale": "verdicts/",
    "verdict": "verdicts/false/",
    "tag": "tags/kremlin/",
    "tags": "tags/",
    "outlet": "outlets/the-kyiv-independent/",
    "outlets": "outlets/",
    "free page": "methodology/",
    "timeline": "timeline/",
    "corrections": "corrections/",
    "search": "search/?q=Peskov",
}
"""A page of content/'s site of each kind a reader opens (the 404 page aside), by kind: its site path."""
TODAY = date(2026, 1, 1)
"""A fixed 'today' for builds that must not depend on the clock."""
CLAIM_FIELDS = """title: "T"
claim: "C"
person: alice
claim_date: 2024-01-02
published: 2024-01-05
verdict: "false"
summary: "S"
"""
"""The required front-matter lines of a claim of the minimal site, but its sources."""
HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>\"'&amp;"
"""Text that would run or break out of its element if any page showed it unescaped."""
HOSTILE_CLAIM = f"""---
title: {json.dumps("Title " + HOSTILE)}
claim: {json.dumps("Claim " + HOSTILE)}
person: alice
claimant: {json.dumps("Claimant " + HOSTILE)}
claim_date: 2024-01-02
published: 2024-01-05
verdict: mixed
summary: {json.dumps("Summary " + HOSTILE)}
sources:
  - title: {json.dumps("Source " + HOSTILE)}
    outlet: {json.dumps("Outlet " + HOSTILE)}
    url: "https://news.test/?q=\\"><script>alert(3)</script>"
tags: [sky]
corrections:
  - {{date: 2024-01-06, type: correction, note: {json.dumps("Note " + HOSTILE)}}}
---
Body {HOSTILE}

<script>alert(4)</script>

{{unsafe}}
<a href="javascript:alert(13)">raw</a> <div onclick="alert(14)">div</div>
"""
"""A claim of the minimal site with HOSTILE in every field; ``{unsafe}`` marks a line for more."""


@dataclass
class Run:
    """The outcome of one in-process ``digest`` command."""

    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]):
    """Call ``digest`` in-process: ``run("build", "--content", ...)`` → Run."""

    def call(*argv: str) -> Run:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return call


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the minimal site at tmp_path/content, with tmp_path as the working directory."""
    shutil.copytree(MINIMAL, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    yield tmp_path / "content"


def write(path: Path, text: str) -> Path:
    """Write a file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones and ``.git`` included), by its path there, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build_into(content: Path, out: Path, *extra: str) -> int:
    """Build a content folder into out with the default theme; the exit status."""
    return main(["build", "--content", str(content), "--out", str(out), *extra])


def build_process(
    content: Path, out: Path, *extra: str, timeout: float | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Build as a user does, in a process of its own (``python -m digest build``); its output as text."""
    command = [sys.executable, "-m", "digest", "build", "--content", str(content), "--out", str(out), *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=cwd, check=False)


# The shared builds skip the search index (Pagefind takes most of a small build's time); the
# tests of search build their own with it, as `digest build` does by default.
@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content/ built once for the whole run, without the search index."""
    out = tmp_path_factory.mktemp("built") / "site"
    assert build_into(ROOT / "content", out, "--no-search") == 0
    return out


@pytest.fixture(scope="session")
def searchable_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content/ built once for the whole run, as `digest build` does: search index included."""
    out = tmp_path_factory.mktemp("searchable") / "site"
    assert build_into(ROOT / "content", out) == 0
    return out


@pytest.fixture(scope="session")
def built_minimal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal test site built once for the whole run, without the search index."""
    out = tmp_path_factory.mktemp("minimal") / "site"
    assert build_into(MINIMAL, out, "--no-search") == 0
    return out
