"""Progress on long work: bars on a terminal (a pty here), only the summary in a pipe, only problems
with --quiet."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest

from bench.corpus import generate

from .conftest import MINIMAL, build_process, write


def on_a_terminal(argv: list[str]) -> tuple[int, str, str]:
    """Run ``python -m digest`` with its standard error on a pseudo-terminal, as in a person's shell;
    (exit status, what the terminal showed, standard output)."""
    leader, follower = os.openpty()
    termios.tcsetwinsize(follower, (24, 100))  # rows and columns, as a terminal window has
    shown = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the process ended and the terminal closed
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "digest", *argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=follower,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        os.close(follower)
        reader.join(10)
        os.close(leader)
    return process.returncode, shown.decode("utf-8", "replace"), process.stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Content big enough that a build takes more than the second after which progress shows."""
    return generate(tmp_path_factory.mktemp("progress") / "content", 1500)


@pytest.mark.slow  # a 1,500-claim corpus, built
def test_a_long_build_on_a_terminal_shows_its_stages_then_the_summary(tmp_path: Path, corpus: Path) -> None:
    code, shown, out = on_a_terminal(["build", "--content", str(corpus), "--out", str(tmp_path / "site")])
    assert code == 0, shown
    assert re.search(r"rendering pages: +\d+%.*\d+/\d+ \[.*files/s", shown), shown
    assert re.search(r"indexing search: +\d+%.*\d+/1500 \[", shown), shown
    assert re.fullmatch(r"built \d+ pages \(\d+ files, \d+ written\) into .* in [\d.]+ s\n", out)
    assert "\n" not in shown.replace("\r\n", "").strip("\r ")  # the bars are gone, no line left behind


def test_a_quick_build_on_a_terminal_shows_no_bars(tmp_path: Path) -> None:
    argv = ["build", "--content", str(MINIMAL), "--out", str(tmp_path / "site"), "--no-search"]
    code, shown, out = on_a_terminal(argv)
    assert code == 0 and "%" not in shown and out.startswith("built ")


@pytest.mark.slow  # a 4,000-claim corpus, checked
def test_a_long_check_on_a_terminal_shows_its_progress(tmp_path: Path) -> None:
    # Its own corpus, larger than the builds': on two idle cores a check reads 1,500 files within the
    # second after which progress shows; --no-cache, or it starts from the records of an earlier check.
    corpus = generate(tmp_path / "content", 4000)
    code, shown, out = on_a_terminal(["check", "--content", str(corpus), "--no-cache"])
    assert code == 0 and re.search(r"reading content: +\d+%.*/4\d\d\d \[", shown), shown
    assert re.match(r"4000 claims, \d+ people, \d+ pages: no errors", out)


@pytest.mark.slow  # a 1,500-claim corpus, built
def test_not_on_a_terminal_only_the_summary(tmp_path: Path, corpus: Path) -> None:
    result = build_process(corpus, tmp_path / "site")  # a pipe, as in CI
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout.startswith("built ") and len(result.stdout.splitlines()) == 1


@pytest.mark.slow  # a 1,500-claim corpus, built
def test_quiet_prints_only_problems(run, tmp_path: Path, corpus: Path) -> None:
    code, shown, out = on_a_terminal(["build", "--quiet", "--content", str(corpus), "--out", str(tmp_path / "site")])
    assert code == 0 and shown == "" and out == ""
    assert (tmp_path / "site/index.html").is_file()
    quiet_check = run("check", "-q", "--content", str(MINIMAL))
    assert quiet_check.code == 0 and quiet_check.out == ""
    problems = quiet_check.err.splitlines()
    assert problems and all(": warning: " in line for line in problems)  # the advice stays, the summary goes
    content = tmp_path / "content"
    shutil.copytree(MINIMAL, content)
    write(content / "claims/broken.md", "---\ntitle: [\n---\n")
    broken = run("build", "--quiet", "--content", str(content), "--out", str(tmp_path / "other"))
    assert broken.code == 1 and "claims/broken.md:" in broken.err and broken.out == ""
