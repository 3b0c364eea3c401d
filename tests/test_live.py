"""The preview's incremental rebuilds always equal a clean build of the same content."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.build import LiveBuild, Options
from digest.watch import Changes, Watcher

from .conftest import TODAY, snapshot, write
from .edits import (
    EDITS,
    Edit,
    break_claim,
    build_options,
    change_title,
    change_verdict,
    clean_build,
    copy_site,
    same_tree,
    translate_claim,
    translate_person,
    untranslate_claim,
)


def setup(tmp: Path) -> tuple[Path, Path, LiveBuild]:
    content, theme = copy_site(tmp)
    live = LiveBuild(build_options(content, theme, tmp / "live"))
    assert live.run().error is None
    return content, theme, live


def files(*folders: Path) -> dict[Path, bytes | None]:
    """Every file (its bytes) and folder (None) under the folders."""
    return {p: None if p.is_dir() else p.read_bytes() for folder in folders for p in folder.resolve().rglob("*")}


def watched(edit: Edit, content: Path, theme: Path) -> Changes:
    """Make the edit; what the preview's watcher reports of it: the files made, changed or removed, and
    the folders made or removed (told alone, as the preview is told, not every file)."""
    before = files(content, theme)
    edit(content, theme)
    after = files(content, theme)
    watcher = Watcher(content, theme, lambda changes: None)  # never started: only told what changed
    try:
        for path in before.keys() | after.keys():
            if before.get(path, b"") != after.get(path, b"") or (path in before) != (path in after):
                watcher.note(path, is_directory=(before[path] if path in before else after[path]) is None)
        return watcher.take()
    finally:
        watcher.stop()  # its inotify instance, made with it, goes


def apply(edit: Edit, content: Path, theme: Path, live: LiveBuild, tmp: Path) -> list[str]:
    """Make the edit and rebuild live on what the watcher reports: how the result differs from what it
    should be (empty when the site equals a clean build, or when a broken claim was reported as an error)."""
    changes = watched(edit, content, theme)
    result = live.run(changed=changes.content, theme_changed=bool(changes.templates or changes.static))
    if (content / "claims/broken.md").exists():
        return [] if result.error is not None else ["a broken claim was not reported"]
    if result.error is not None:
        return [f"error: {result.error}"]
    clean_build(content, theme, tmp / "clean")
    return same_tree(tmp / "live", tmp / "clean")


@pytest.mark.slow
def test_every_kind_of_edit_in_turn(tmp_path: Path) -> None:
    content, theme, live = setup(tmp_path)
    for edit in [*EDITS, *EDITS]:
        assert apply(edit, content, theme, live, tmp_path) == [], edit.__name__


def test_translations_added_changed_and_removed_match_a_clean_build(tmp_path: Path) -> None:
    content, theme, live = setup(tmp_path)
    steps = [translate_claim, translate_person, translate_claim, change_title, untranslate_claim, translate_person]
    for step in steps:
        assert apply(step, content, theme, live, tmp_path) == [], step.__name__


def test_a_link_to_no_page_added_to_a_translation_is_reported(tmp_path: Path) -> None:
    """The preview once reused the last run's checks of the links when only a translation changed."""
    content, theme, live = setup(tmp_path)
    assert apply(translate_claim, content, theme, live, tmp_path) == []
    path = content / "claims/bob-said-sky-is-blue.uk.md"
    path.write_text(path.read_text() + "\n[Щось](/claims/no-such-claim/)\n")
    error = live.run(changed=[path]).error
    assert error is not None
    assert str(error).startswith("content/claims/bob-said-sky-is-blue.uk.md:8: link '/claims/no-such-claim/' leads")


def test_failed_rebuild_keeps_the_last_good_site(tmp_path: Path) -> None:
    content, theme, live = setup(tmp_path)
    before = snapshot(tmp_path / "live")
    break_claim(content, theme)
    result = live.run(changed=[content / "claims/broken.md"])
    assert result.error is not None and result.written == ()
    assert snapshot(tmp_path / "live") == before


def test_a_title_edit_writes_only_the_pages_that_show_it(tmp_path: Path) -> None:
    content, theme, live = setup(tmp_path)
    change_title(content, theme)
    result = live.run(changed=[content / "claims/bob-said-sky-is-blue.md"])
    written = set(result.written)
    assert "claims/bob-said-sky-is-blue/index.html" in written
    assert "claims/alice-said-sky-is-green/index.html" in written  # lists it as related
    assert "people/alice/index.html" not in written  # shows only Alice's claims
    assert "about/index.html" not in written and "static/style.css" not in written
    assert "claims/bob-said-sky-is-blue/card.png" not in written  # the card shows no title: kept
    change_verdict(content, theme)
    written = set(live.run(changed=[content / "claims/bob-said-sky-is-blue.md"]).written)
    assert "claims/bob-said-sky-is-blue/card.png" in written  # it shows the verdict: made again


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(EDITS), min_size=1, max_size=8))
def test_random_edit_sequences_match_a_clean_build(tmp_path_factory: pytest.TempPathFactory, edits: list[Edit]) -> None:
    tmp = tmp_path_factory.mktemp("live")
    content, theme, live = setup(tmp)
    for edit in edits:
        assert apply(edit, content, theme, live, tmp) == [], edit.__name__


def test_the_overlay_leaves_when_an_error_is_undone(tmp_path: Path) -> None:
    from contextlib import redirect_stderr, redirect_stdout
    from io import StringIO

    from digest.serve import Preview

    content, theme, _ = setup(tmp_path)
    with redirect_stdout(StringIO()), redirect_stderr(StringIO()):
        preview = Preview(Options(content=content, content_shown="content", theme=theme, today=TODAY, jobs=1))
        events = preview.events.subscribe()
        claim = content / "claims/bob-said-sky-is-blue.md"
        original = claim.read_text()
        try:
            write(claim, "---\ntitle: [\n---\n")  # broken before the first build
            assert preview.rebuild().error is not None
            assert b"event: failed" in events.get(timeout=1)
            write(claim, original)
            assert preview.rebuild(Changes(content=frozenset({claim}))).error is None
            built = events.get(timeout=1)
            assert b"event: built" in built and b"claims/bob-said-sky-is-blue/index.html" in built
            write(claim, "---\ntitle: [\n---\n")
            preview.rebuild(Changes(content=frozenset({claim})))
            assert b"event: failed" in events.get(timeout=1)
            write(claim, original)  # undone exactly: no page changes, the overlay must still go
            assert preview.rebuild(Changes(content=frozenset({claim}))).error is None
            assert events.get(timeout=1).startswith(b'event: built\ndata: {"changed": []')
        finally:
            preview.close()
