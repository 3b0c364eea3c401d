"""One broken site per validation rule: the exact ``path:line: message`` lines, exit 1, nothing written.

Each ``invalid/<rule>/content/`` holds only the files that break the rule; they are laid over a
copy of ``sites/minimal`` so that everything else is valid. ``expected.txt`` lists every line the
build must print, in order (warnings among them, as ``path:line: warning: message``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digest.urls import MARKER

from .conftest import MINIMAL

INVALID = Path(__file__).resolve().parent / "invalid"
RULES = sorted(p.name for p in INVALID.iterdir() if (p / "expected.txt").is_file())


@pytest.mark.parametrize("rule", RULES)
def test_rule(rule: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:
    shutil.copytree(MINIMAL, tmp_path / "content")
    shutil.copytree(INVALID / rule / "content", tmp_path / "content", dirs_exist_ok=True)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "keep.html").write_text("previous build")
    (tmp_path / "site" / MARKER).write_text("a site digest made before")
    monkeypatch.chdir(tmp_path)

    result = run("build", "--content", "content", "--out", "site")

    expected = (INVALID / rule / "expected.txt").read_text(encoding="utf-8").splitlines()
    lines = result.err.splitlines()
    assert result.code == 1
    assert lines[:-1] == expected
    errors = sum(1 for line in expected if ": warning: " not in line)
    warnings = len(expected) - errors
    also = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    assert lines[-1] == f"digest: {errors} error{'s' if errors != 1 else ''}{also}; nothing was written"
    assert "Traceback" not in result.err
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == [MARKER, "keep.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


@pytest.mark.parametrize("rule", RULES)
def test_check_reports_the_same(rule: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:
    shutil.copytree(MINIMAL, tmp_path / "content")
    shutil.copytree(INVALID / rule / "content", tmp_path / "content", dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)

    result = run("check", "--content", "content")

    expected = (INVALID / rule / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.code == 1
    assert result.err.splitlines()[:-1] == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]
