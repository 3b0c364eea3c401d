"""A warm build looks at content/ and --out ahead, in a forked copy of itself (``processes.Ahead``),
while it unpickles its cache: what the copy finds is what the build would have found itself."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

import digest.load
import digest.processes
import digest.warmstart
from digest.build import build, warm_start
from digest.files import find_files
from digest.processes import Ahead
from digest.settings import Limits
from digest.stamps import stamp, tree_stamps

from .edits import EDITS, build_options, copy_site, warm_and_cold


def test_the_work_is_done_in_a_copy_and_its_result_read_back() -> None:
    parent = os.getpid()
    ahead = Ahead(lambda: {"pid": os.getpid(), "data": list(range(100_000))})  # more than a pipe holds
    result = ahead.result()
    assert result["pid"] != parent and result["data"] == list(range(100_000))


def test_where_processes_are_not_forked_the_work_is_done_here_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(digest.processes, "_forking", lambda: False)
    done: list[int] = []
    ahead = Ahead(lambda: done.append(os.getpid()) or "result")
    assert done == []  # not at once: when the result is asked for
    assert ahead.result() == "result" and done == [os.getpid()]


def test_work_that_fails_in_the_copy_is_done_again_here() -> None:
    """A bug in the work shows as it would without the copy: done here, it raises here."""
    parent = os.getpid()

    def work() -> str:
        if os.getpid() != parent:
            raise RuntimeError("a bug in the copy")
        return "here"

    assert Ahead(work).result() == "here"
    with pytest.raises(ZeroDivisionError):
        Ahead(lambda: 1 / 0).result()


def test_a_copy_whose_result_is_never_read_is_ended(tmp_path: Path) -> None:
    started = tmp_path / "started"

    def work() -> None:
        started.write_text(str(os.getpid()))
        signal.pause()

    ahead = Ahead(work)
    while not started.exists() or not started.read_text():
        pass
    pid = int(started.read_text())
    ahead.close()
    with pytest.raises(ProcessLookupError):  # ended and waited for: not even a zombie is left
        os.kill(pid, 0)


def test_tree_stamps_are_the_stamps_of_every_file_and_folder(tmp_path: Path) -> None:
    root = tmp_path / "out"
    (root / "a/b").mkdir(parents=True)
    (root / "a/b/index.html").write_text("page")
    (root / "top.txt").write_text("top")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/inside.txt").write_text("not walked")
    (root / "linked").symlink_to(tmp_path / "elsewhere")
    (root / "file-link").symlink_to(root / "top.txt")
    (root / "dangling").symlink_to(tmp_path / "missing")
    found = tree_stamps(root)
    expected = ["", "a", "a/b", "a/b/index.html", "file-link", "linked", "top.txt"]
    assert sorted(found) == expected  # the dangling link has no stamp; nothing through the linked folder
    assert all(found[path] == stamp(root / path if path else root) for path in expected)
    assert tree_stamps(tmp_path / "missing") == {}


def test_a_publishing_checkouts_version_control_files_are_not_looked_at(tmp_path: Path) -> None:
    """--out may be a Git checkout (GitHub Pages): the walk leaves its .git alone, thousands of files."""
    content, theme = copy_site(tmp_path)
    out = tmp_path / "out"
    build(build_options(content, theme, out, cache=True))
    (out / ".git/objects/ab").mkdir(parents=True)
    (out / ".git/objects/ab/cdef").write_text("an object")
    (out / ".gitignore").write_text("*.tmp\n")
    ahead = warm_start(build_options(content, theme, out, cache=True)).ahead(content, "content", Limits(), out)
    assert ahead is not None
    found = ahead.result()
    assert found.out and not [path for path in found.out if path.startswith(".git")]
    assert "index.html" in found.out and "people/alice/index.html" in found.out
    assert [file.path for file in found.content[0]] == [
        file.path for file in find_files(content, "content", Limits())[0]
    ]


def test_a_warm_build_walks_in_a_copy_and_finds_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy walks; the build finds the edited claim and the page changed by hand in --out."""
    content, theme = copy_site(tmp_path)
    assert warm_and_cold(content, theme, tmp_path).differences == []
    walkers = tmp_path / "walkers"

    def walk(*args: object) -> object:
        with walkers.open("a") as log:
            log.write(f"{os.getpid()}\n")
        return find_files(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(digest.warmstart, "find_files", walk)
    monkeypatch.setattr(digest.load, "find_files", walk)  # where the build would walk without the copy
    EDITS[0](content, theme)  # a title changed
    (tmp_path / "warm/people/alice/index.html").write_text("vandalised")
    warm = warm_and_cold(content, theme, tmp_path)
    assert warm.differences == [] and 0 < warm.written < warm.files
    warm_walk, *cold_walks = (int(pid) for pid in walkers.read_text().split())
    assert warm_walk != os.getpid()  # the warm build walked once, in a copy
    assert cold_walks == [os.getpid()]  # the cold build it is compared with (no cache) walked here


def test_a_build_that_fails_before_reading_the_copy_leaves_none_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, theme = copy_site(tmp_path)
    out = tmp_path / "out"
    build(build_options(content, theme, out, cache=True))

    def restore(self: object) -> object:
        raise KeyboardInterrupt  # the user gave up while the cache was read

    monkeypatch.setattr(digest.warmstart.WarmStart, "restore", restore)
    children = _children()
    with pytest.raises(KeyboardInterrupt):
        build(build_options(content, theme, out, cache=True))
    assert _children() == children


def test_without_a_cache_or_before_the_first_build_nothing_is_looked_at_ahead(tmp_path: Path) -> None:
    content, theme = copy_site(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    first = warm_start(build_options(content, theme, out, cache=True))
    assert first.ahead(content, "content", Limits(), out) is None  # a cold build: nothing to unpickle meanwhile
    build(build_options(content, theme, out, cache=True))
    assert digest.warmstart.WarmStart(None).ahead(content, "content", Limits(), out) is None
    warm = warm_start(build_options(content, theme, out, cache=True))
    ahead = warm.ahead(content, "content", Limits(), out)
    assert ahead is not None
    ahead.close()


def _children() -> set[int]:
    """The processes this one started that are still there (zombies included)."""
    me = os.getpid()
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == me:
                found.add(int(entry.name))
    return found
