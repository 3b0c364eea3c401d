"""Faults: a build killed mid-write, a full disk, a read-only output folder. Nothing is half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.corpus import generate
from digest.urls import MARKER

from .conftest import MINIMAL, build_into, snapshot

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small or read-only filesystem needs root")


@pytest.mark.slow
def test_a_build_killed_mid_write_leaves_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build_into(MINIMAL, out) == 0
    before = snapshot(out)
    corpus = generate(tmp_path / "big", 1500)
    process = subprocess.Popen(
        [sys.executable, "-m", "digest", "build", "--content", str(corpus), "--out", str(out), "--no-search"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    temporary: list[Path] = []
    while not temporary:
        assert process.poll() is None, "the build finished before it could be killed"
        assert time.monotonic() < deadline
        temporary = [p for p in tmp_path.iterdir() if p.name.startswith(".digest-site-") and any(p.rglob("*.html"))]
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert snapshot(out) == before
    # the next build clears what the killed one left beside the output folder
    time.sleep(0.5)  # its worker processes notice their parent is gone
    assert build_into(MINIMAL, out) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big", "site"]


@contextmanager
def mounted(target: Path, *how: str) -> Iterator[Path]:
    """``mount *how target`` for the time of a test; lazily unmounted after."""
    subprocess.run(["mount", *how, str(target)], check=True)
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    with mounted(disk, "-t", "tmpfs", "-o", "size=96k", "tmpfs"):
        yield disk


@needs_root
def test_a_full_disk_is_a_clear_error(small_disk: Path, run) -> None:
    out = small_disk / "site"
    (out / "old").mkdir(parents=True)
    (out / "old/index.html").write_text("previous build")
    (out / MARKER).write_text("made by digest")
    result = run("build", "--content", str(MINIMAL), "--out", str(out), "--no-search")
    assert result.code == 1
    assert result.err == (
        f"digest: error: cannot write the site to {out}: No space left on device; "
        "the previous site was left as it was\n"
    )
    assert snapshot(out) == {MARKER: b"made by digest", "old/index.html": b"previous build"}
    assert sorted(p.name for p in small_disk.iterdir()) == ["site"]


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    source, view = tmp_path / "source", tmp_path / "view"
    (source / "site").mkdir(parents=True)
    (source / "site/index.html").write_text("previous build")
    (source / "site" / MARKER).write_text("made by digest")
    view.mkdir()
    with mounted(view, "--bind", "-o", "ro", str(source)):
        yield view


@needs_root
def test_a_read_only_output_folder_is_a_clear_error(read_only: Path, run) -> None:
    out = read_only / "site"
    result = run("build", "--content", str(MINIMAL), "--out", str(out), "--no-search")
    assert result.code == 1
    assert result.err == f"digest: error: cannot write beside {out}: Read-only file system\n"
    assert snapshot(out) == {MARKER: b"made by digest", "index.html": b"previous build"}
