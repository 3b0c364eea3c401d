"""The caches that make `digest similar`, `digest new` and `digest check` quick: the similar-claims
index (never stale, made again when missing or damaged) and the records a check keeps."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

import digest.archive
import digest.build
import digest.load
from digest.processes import Aside
from digest.usercache import cache_folder

from .conftest import build_into, write

SKY = "The sky is blue"


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of each test's own, so that each starts without an index."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _index() -> Path:
    (found,) = (cache_folder() / "similar").glob("*.sqlite")
    return found


def _listed(out: str) -> list[list[str]]:
    """The lines of checks `digest similar` lists: figure, mark (if any), slug..."""
    return [line.split()[:3] for line in out.splitlines() if line.startswith("  ")]


def _count_reads(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[str]:
    """Count the files read through ``module.name`` (their paths, in order)."""
    read: list[str] = []
    original = getattr(module, name)

    def counting(file: digest.load.ContentFile, *args: object) -> object:
        read.append(file.path)
        return original(file, *args)

    monkeypatch.setattr(module, name, counting)
    return read


def test_a_missing_index_is_made_again_without_a_word(scratch: Path, run) -> None:
    first = run("similar", SKY, "--content", "content")
    assert first.code == 0 and first.err == ""
    index = _index()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    again = run("similar", SKY, "--content", "content")
    assert (again.code, again.out, again.err) == (0, first.out, "")
    assert _index().is_file()


@pytest.mark.parametrize("damage", ["not a database", "a row changed by hand"])
def test_a_damaged_index_is_made_again_with_one_line(scratch: Path, run, damage: str) -> None:
    first = run("similar", SKY, "--content", "content")
    assert _listed(first.out)[0] == ["100.0", "*", "bob-said-sky-is-blue"]
    index = _index()
    if damage == "not a database":
        index.write_bytes(b"\0garbage\n" * 100)
    else:
        with sqlite3.connect(index) as db:
            db.execute("UPDATE entries SET size = 'big' WHERE path LIKE 'claims/%'")
    damaged = run("similar", SKY, "--content", "content")
    assert (damaged.code, damaged.out) == (0, first.out)
    (line,) = damaged.err.splitlines()
    assert line.startswith("digest: the similar-claims index could not be read (")
    assert line.endswith("); made it again from the claim files")
    assert "Traceback" not in damaged.err
    assert run("similar", SKY, "--content", "content").err == ""  # made again: used as it is


def test_new_says_so_too_when_the_index_is_damaged(scratch: Path, run) -> None:
    run("similar", SKY, "--content", "content")
    _index().write_bytes(b"garbage")
    result = run("new", "--person", "alice", SKY, "--content", "content")
    assert result.code == 0 and result.out.strip().endswith("the-sky-is-blue.md")
    lines = result.err.splitlines()
    assert lines[0].startswith("digest: the similar-claims index could not be read (")
    assert lines[3].split()[:3] == ["100.0", "*", "bob-said-sky-is-blue"]


def test_an_edited_claim_is_found_by_its_new_text_never_the_old(scratch: Path, run) -> None:
    path = scratch / "claims/bob-said-sky-is-blue.md"
    assert build_into(scratch, scratch.parent / "site", "--no-search") == 0  # the build fills the index
    assert _listed(run("similar", SKY, "--content", "content").out)[0][2] == "bob-said-sky-is-blue"
    text = path.read_text(encoding="utf-8")
    assert "The sky is blue" in text
    edited = text.replace("The sky is blue", "The sea is wide")  # the same size: only the time stamp tells
    assert len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(1, 1))
    found = _listed(run("similar", "The sea is wide", "--content", "content").out)
    assert found[0] == ["100.0", "*", "bob-said-sky-is-blue"]
    assert all(figure != "100.0" for figure, *_ in _listed(run("similar", SKY, "--content", "content").out))


@pytest.mark.parametrize("command", ["check", "build", "large build"])
def test_check_and_build_keep_the_index_so_that_similar_reads_no_file(
    scratch: Path, run, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    if command == "check":
        assert run("check", "--content", "content").code == 0
    else:
        if command == "large build":  # a cold build of a large site keeps the index in a copy of itself
            monkeypatch.setattr(digest.build, "_ASIDE_FROM", 1)
            keep = digest.build.keep_index
            pids = scratch.parent / "pids"

            def keep_index(*args: object) -> object:
                with pids.open("a") as stream:  # written by the copy: its own memory is gone with it
                    stream.write(f"{os.getpid()}\n")
                return keep(*args)  # type: ignore[arg-type]

            monkeypatch.setattr(digest.build, "keep_index", keep_index)
        assert build_into(scratch, scratch.parent / "site", "--no-search") == 0
        if command == "large build":
            kept_by = (scratch.parent / "pids").read_text().split()
            assert len(kept_by) == 1 and kept_by[0] != str(os.getpid())
    read = _count_reads(monkeypatch, digest.archive, "read_entry")
    result = run("similar", SKY, "--content", str(scratch))  # the same folder, named another way
    assert result.code == 0 and result.err == ""
    assert _listed(result.out)[0] == ["100.0", "*", "bob-said-sky-is-blue"]
    assert read == []
    write(scratch / "claims/carol-says-sky-is-blue.md", (scratch / "claims/bob-said-sky-is-blue.md").read_text())
    again = run("similar", SKY, "--content", "content")
    assert read == ["content/claims/carol-says-sky-is-blue.md"]  # the new file alone
    assert sorted(slug for figure, _, slug in _listed(again.out) if figure == "100.0") == [
        "bob-said-sky-is-blue",
        "carol-says-sky-is-blue",
    ]


def test_a_second_check_reads_only_the_files_changed_and_says_the_same(
    scratch: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = _count_reads(monkeypatch, digest.load, "read_file")
    first = run("check", "--similar", "--content", "content")
    assert first.code == 0 and len(read) > 5
    read.clear()
    second = run("check", "--similar", "--content", "content")
    assert (second.code, second.out, second.err) == (first.code, first.out, first.err)
    assert read == []
    path = scratch / "claims/bob-said-sky-is-blue.md"
    path.write_text(path.read_text().replace("verdict: true", "verdict: ture"))
    broken = run("check", "--similar", "--content", "content")
    assert read == [str(Path("content/claims/bob-said-sky-is-blue.md"))]
    assert broken.code == 1
    assert "content/claims/bob-said-sky-is-blue.md:7: verdict 'ture' is not on the scale" in broken.err
    uncached = run("check", "--similar", "--no-cache", "--content", "content")
    assert (uncached.code, uncached.err) == (broken.code, broken.err)


def test_a_damaged_check_cache_is_dropped_with_one_line(scratch: Path, run) -> None:
    first = run("check", "--content", "content")
    (database,) = (cache_folder() / "checks").glob("*/state.sqlite")
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.write_bytes(b"garbage" * 200)
    damaged = run("check", "--content", "content")
    assert (damaged.code, damaged.out) == (0, first.out)
    problems = [line for line in damaged.err.splitlines() if line.startswith("digest:")]
    assert problems == ["digest: check cache unusable (DatabaseError: file is not a database); read every file again"]
    assert damaged.err.replace(problems[0] + "\n", "") == first.err
    assert run("check", "--content", "content").err == first.err


def test_check_without_the_cache_keeps_nothing(scratch: Path, run) -> None:
    result = run("check", "--similar", "--no-cache", "--content", "content")
    assert result.code == 0
    assert not cache_folder().exists()


def test_the_first_check_after_a_build_starts_from_its_records_and_leaves_them(
    scratch: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build", "--no-search", "--content", "content").code == 0  # into ./site, as `make build`
    (database,) = (cache_folder() / "builds").glob("*/state.sqlite")
    kept = database.read_bytes()
    read = _count_reads(monkeypatch, digest.load, "read_file")
    result = run("check", "--similar", "--content", "content")
    assert read == []
    assert database.read_bytes() == kept
    uncached = run("check", "--similar", "--no-cache", "--content", "content")
    assert len(read) > 5  # the check without the cache read every file, and said the same
    assert (result.code, result.out, result.err) == (uncached.code, uncached.out, uncached.err)


def test_work_set_aside_that_fails_in_the_copy_is_done_again_here(tmp_path: Path) -> None:
    """A bug in the work a build sets aside (the index) shows as it would without the copy."""
    parent, done = os.getpid(), tmp_path / "done"

    def work() -> None:
        if os.getpid() != parent:
            raise RuntimeError("a bug")
        done.write_text("here")

    aside = Aside(work)
    assert not done.exists()  # the copy failed; the work waits for ``wait``
    aside.wait()
    assert done.read_text() == "here"
