"""The watcher: debounced bursts, editor junk ignored, changes by kind."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from digest.watch import Changes, Watcher


def collect(tmp_path: Path) -> tuple[Watcher, list[Changes], threading.Event]:
    content, theme = tmp_path / "content", tmp_path / "theme"
    (content / "claims").mkdir(parents=True)
    (theme / "static").mkdir(parents=True)
    (theme / "templates").mkdir()
    reports: list[Changes] = []
    seen = threading.Event()

    def on_change(changes: Changes) -> None:
        reports.append(changes)
        seen.set()

    return Watcher(content, theme, on_change, ignore=tmp_path / "out"), reports, seen


def test_junk_and_other_paths_are_ignored(tmp_path: Path) -> None:
    watcher, _, _ = collect(tmp_path)
    claims = watcher.content / "claims"
    for name in (".x.md.swp", "x.md~", ".#x.md", "4913", "#x.md#", "notes.txt", ".hidden.md", "x.md.swx"):
        watcher.note(claims / name)
    watcher.note(tmp_path / "out/index.html")
    watcher.note(tmp_path / "elsewhere.md")
    assert watcher.take() == Changes()


def test_kinds(tmp_path: Path) -> None:
    watcher, _, _ = collect(tmp_path)
    watcher.note(watcher.content / "claims/x.md")
    watcher.note(watcher.content / "site.yaml")
    watcher.note(watcher.theme / "templates/base.html")
    watcher.note(watcher.theme / "static/style.css")
    assert watcher.take() == Changes(
        content=frozenset({watcher.content / "claims/x.md", watcher.content / "site.yaml"}),
        templates=frozenset({watcher.theme / "templates/base.html"}),
        static=frozenset({watcher.theme / "static/style.css"}),
    )
    assert watcher.take() == Changes()  # taken: forgotten


def test_a_burst_of_saves_is_one_report(tmp_path: Path) -> None:
    watcher, reports, seen = collect(tmp_path)
    watcher.start()
    try:
        claims = watcher.content / "claims"
        for number in range(20):  # like a checkout: many files at once, each saved via a temporary file
            temporary = claims / f".claim-{number}.md.tmp"
            temporary.write_text("x")
            os.replace(temporary, claims / f"claim-{number}.md")
        assert seen.wait(5)
        time.sleep(0.3)
    finally:
        watcher.stop()
    assert len(reports) == 1
    assert reports[0].content == {claims / f"claim-{n}.md" for n in range(20)}
    assert reports[0].describe(watcher.content, watcher.theme) == "20 files changed"


def test_stylesheets_only() -> None:
    assert Changes(static=frozenset({Path("/t/static/style.css")})).stylesheets_only
    assert not Changes(static=frozenset({Path("/t/static/logo.svg")})).stylesheets_only
    assert not Changes(
        static=frozenset({Path("/t/static/a.css")}), content=frozenset({Path("/c/x.md")})
    ).stylesheets_only


def test_stop_before_start_is_quiet(tmp_path: Path) -> None:
    """Ctrl-C can reach the preview before its watcher has started: stopping must not raise."""
    watcher, reports, _ = collect(tmp_path)
    watcher.stop()
    assert reports == []
