"""--out is never a place to lose files: a folder digest did not make is refused, and .git always survives."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from digest.outfolder import MARKER_TEXT
from digest.urls import MARKER

from .conftest import MINIMAL, build_process, snapshot, write


def git(folder: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-C", str(folder), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def pages_checkout(tmp_path: Path) -> Path:
    """A GitHub Pages checkout: a git repository holding a CNAME and an old page, committed."""
    out = tmp_path / "pages"
    write(out / "CNAME", "facts.example.org\n")
    write(out / "index.html", "<p>the old site</p>")
    git(out, "init", "-q", "-b", "gh-pages")
    git(out, "add", "-A")
    git(out, "commit", "-q", "-m", "old site")
    return out


def test_a_folder_digest_did_not_make_is_refused(pages_checkout: Path, run) -> None:
    before = snapshot(pages_checkout)
    result = run("build", "--content", str(MINIMAL), "--out", str(pages_checkout), "--no-search")
    assert result.code == 2
    assert result.err == (
        f"digest: error: --out {pages_checkout}: holds files digest did not make (no {MARKER}); "
        "choose an empty or new folder, or add --force to replace them (.git is kept)\n"
    )
    assert snapshot(pages_checkout) == before
    assert sorted(p.name for p in pages_checkout.parent.iterdir()) == ["pages"]  # no temporary folder either


def test_force_replaces_the_folder_but_keeps_git(pages_checkout: Path, tmp_path: Path, run) -> None:
    head = git(pages_checkout, "rev-parse", "HEAD")
    content = tmp_path / "content"
    shutil.copytree(MINIMAL, content)
    write(content / "static/CNAME", "facts.example.org\n")
    write(content / "static/.nojekyll", "")
    for attempt in range(3):  # forced once, then as a folder digest made (from the cache's spare, too)
        extra = ("--force",) if attempt == 0 else ()
        result = run("build", "--content", str(content), "--out", str(pages_checkout), "--no-search", *extra)
        assert result.code == 0, result.err
        assert git(pages_checkout, "rev-parse", "HEAD") == head
        assert git(pages_checkout, "log", "--format=%s") == "old site"
        assert (pages_checkout / "CNAME").read_text() == "facts.example.org\n"
        assert (pages_checkout / ".nojekyll").is_file()
        assert (pages_checkout / MARKER).read_bytes() == MARKER_TEXT
        assert (pages_checkout / "claims/bob-said-sky-is-blue/index.html").is_file()
        assert "the old site" not in (pages_checkout / "index.html").read_text()
    status = {line.strip() for line in git(pages_checkout, "status", "--porcelain").splitlines()}
    assert {"M index.html", "?? .digest-build"} <= status
    assert not any("CNAME" in line for line in status)  # the same CNAME as committed: git sees no change
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "pages"]


@pytest.mark.parametrize("holding", [(), (".git",), (".git", ".gitignore")])
def test_an_empty_folder_or_a_bare_checkout_is_used_as_is(tmp_path: Path, run, holding: tuple[str, ...]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    if holding:
        git(out, "init", "-q")
        if ".gitignore" in holding:
            write(out / ".gitignore", "*.tmp\n")
    result = run("build", "--content", str(MINIMAL), "--out", str(out), "--no-search")
    assert result.code == 0, result.err
    assert (out / "index.html").is_file()
    assert all((out / name).exists() for name in holding)


def test_help_names_force(capsys: pytest.CaptureFixture[str]) -> None:
    from digest.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--help"])
    assert exit_info.value.code == 0
    assert "--force" in capsys.readouterr().out


def _build_killed(where: str, content: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """A forced build that kills itself (SIGKILL) at ``where``: just before the swap, or just after."""
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        import digest.write as write
        real = write.exchange
        def exchange(a, b):
            if {where!r} == "after":
                real(a, b)
            os.kill(os.getpid(), signal.SIGKILL)
        write.exchange = exchange
        from digest.cli import main
        sys.exit(main(["build", "--content", {str(content)!r}, "--out", {str(out)!r}, "--no-search", "--force"]))
        """
    )
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_build_killed_at_the_swap_never_loses_git(pages_checkout: Path, tmp_path: Path, where: str) -> None:
    head = git(pages_checkout, "rev-parse", "HEAD")
    killed = _build_killed(where, MINIMAL, pages_checkout)
    assert killed.returncode == -signal.SIGKILL
    if where == "before":  # .git is in the temporary folder beside --out: the next build puts it back
        assert not (pages_checkout / ".git").exists()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".digest-pages-")]
    result = build_process(MINIMAL, pages_checkout, "--no-search", "--force")
    assert result.returncode == 0, result.stderr
    assert git(pages_checkout, "rev-parse", "HEAD") == head
    assert git(pages_checkout, "log", "--format=%s") == "old site"
    assert (pages_checkout / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages"]


def test_a_failed_swap_puts_git_back(pages_checkout: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:
    import digest.write

    def broken(a: Path, b: Path) -> bool:
        raise OSError(5, os.strerror(5), str(b))

    monkeypatch.setattr(digest.write, "exchange", broken)
    before = snapshot(pages_checkout)
    result = run("build", "--content", str(MINIMAL), "--out", str(pages_checkout), "--no-search", "--force")
    assert result.code == 1
    assert result.err.startswith(f"digest: error: cannot write the site to {pages_checkout}: ")
    assert snapshot(pages_checkout) == before
    assert sorted(p.name for p in pages_checkout.parent.iterdir()) == ["pages"]
