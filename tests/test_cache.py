"""The build cache: a warm `digest build` gives exactly what a cold one gives, whatever happened since."""

from __future__ import annotations

import pickle
import sqlite3
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import digest.cache
from digest.build import Options, build, warm_start
from digest.cache import cache_folder
from digest.errors import ContentError
from digest.loadfile import load_file
from digest.model import Claim
from digest.pickles import dump_state, load_state
from digest.settings import Limits

from .conftest import MINIMAL, TODAY
from .edits import (
    EDITS,
    Edit,
    Warm,
    build_options,
    change_title,
    copy_site,
    edit_between_builds,
    translate_claim,
    translate_person,
    untranslate_claim,
    warm_and_cold,
)


def test_warm_builds_write_only_what_changed(tmp_path: Path) -> None:
    content, theme = copy_site(tmp_path)
    cold = warm_and_cold(content, theme, tmp_path)
    assert cold.differences == [] and cold.written == cold.files
    for _ in range(2):  # nothing changed: nothing written; and again, now from the spare
        assert warm_and_cold(content, theme, tmp_path) == Warm([], cold.files, 0)
    EDITS[0](content, theme)  # change a title
    edited = warm_and_cold(content, theme, tmp_path)
    assert edited.differences == [] and 0 < edited.written < cold.files


def test_warm_builds_follow_translations_added_changed_and_removed(tmp_path: Path) -> None:
    content, theme = copy_site(tmp_path)
    assert warm_and_cold(content, theme, tmp_path).differences == []
    steps = [translate_claim, translate_person, translate_claim, change_title, untranslate_claim, translate_person]
    for step in steps:  # added, added, changed, its original changed, removed, removed
        step(content, theme)
        warm = warm_and_cold(content, theme, tmp_path)
        assert warm.differences == [], step.__name__
        if step is change_title:  # a claim's edit writes its pages in each language, not the whole site
            assert 0 < warm.written < warm.files, warm
    assert (tmp_path / "warm/uk/index.html").is_file() and not (tmp_path / "warm/uk/people/alice").exists()


def test_a_translated_checks_link_follows_a_translation_of_its_target_going_away(tmp_path: Path) -> None:
    """Bob's Ukrainian check links to Alice: to her Ukrainian page while she has one, to her page in
    English once it is gone. A warm build once kept the old link (CI, session 5: the language's site
    was planned with the last build's languages in it)."""
    content, theme = copy_site(tmp_path)
    for step in (translate_claim, translate_person, translate_person):  # Bob's added; Alice's added, removed
        step(content, theme)
        assert warm_and_cold(content, theme, tmp_path).differences == [], step.__name__
    page = (tmp_path / "warm/uk/claims/bob-said-sky-is-blue/index.html").read_text()
    assert 'href="../../../people/alice/index.html"' in page and not (tmp_path / "warm/uk/people/alice").exists()


def test_a_link_to_no_page_added_to_a_translation_fails_a_warm_build_as_a_clean_one(tmp_path: Path) -> None:
    """Only Bob's Ukrainian check changes, and links to no page: a warm build once reused the last
    build's checks of the links (no claim had changed) and published the link a clean build refuses."""
    content, theme = copy_site(tmp_path)
    translate_claim(content, theme)
    assert warm_and_cold(content, theme, tmp_path).differences == []
    path = content / "claims/bob-said-sky-is-blue.uk.md"
    path.write_text(path.read_text() + "\n[Щось](/claims/no-such-claim/)\n")
    message = r"^content/claims/bob-said-sky-is-blue\.uk\.md:8: link '/claims/no-such-claim/' leads to no page"
    for cache in (True, False):
        with pytest.raises(ContentError, match=message):
            build(build_options(content, theme, tmp_path / "warm", cache=cache))


def test_each_warm_build_leaves_an_intact_site_and_spare_for_the_next(tmp_path: Path) -> None:
    content, theme = copy_site(tmp_path)
    first = warm_and_cold(content, theme, tmp_path)
    assert first.differences == []
    files = first.files
    for _ in range(3):
        assert warm_and_cold(content, theme, tmp_path).differences == []
        cache = warm_start(build_options(content, theme, tmp_path / "warm", cache=True)).cache
        assert cache is not None
        try:
            recorded, intact = cache.outputs(tmp_path / "warm")
            assert intact and len(recorded) == files
            spare = cache.spare(recorded)
            assert spare is not None and len(spare.files) == files and spare.checked
        finally:
            cache.close()


def test_a_build_that_changes_nothing_leaves_the_output_and_the_spare_in_place(tmp_path: Path) -> None:
    """Once --out and the spare both hold the site, a build with nothing to change swaps nothing:
    --out stays the same folder; what is touched by hand after that is still found and made again."""
    content, theme = copy_site(tmp_path)
    for _ in range(3):
        assert warm_and_cold(content, theme, tmp_path).differences == []
    out = tmp_path / "warm"
    spares = list((cache_folder() / "builds").glob("*/spare"))
    folders = (out.stat().st_ino, [spare.stat().st_ino for spare in spares])
    again = warm_and_cold(content, theme, tmp_path)
    assert (again.differences, again.written) == ([], 0)
    assert (out.stat().st_ino, [spare.stat().st_ino for spare in spares]) == folders
    (out / "people/alice/index.html").write_text("vandalised")
    assert warm_and_cold(content, theme, tmp_path).differences == []
    assert out.stat().st_ino != folders[0]  # this one swapped
    EDITS[0](content, theme)
    assert warm_and_cold(content, theme, tmp_path).differences == []
    assert warm_and_cold(content, theme, tmp_path).differences == []


def test_outputs_touched_by_hand_are_made_again(tmp_path: Path) -> None:
    content, theme = copy_site(tmp_path)
    assert warm_and_cold(content, theme, tmp_path).differences == []
    assert warm_and_cold(content, theme, tmp_path).differences == []
    page = tmp_path / "warm/people/alice/index.html"
    page.write_text("vandalised")
    (tmp_path / "warm/extra.html").write_text("left by hand")
    assert (
        warm_and_cold(content, theme, tmp_path).differences == []
    )  # same bytes as a cold build: the page restored, the extra file gone
    assert warm_and_cold(content, theme, tmp_path).differences == []  # and the next one, started from the spare


def test_a_damaged_spare_is_not_used(tmp_path: Path) -> None:
    content, theme = copy_site(tmp_path)
    for _ in range(3):
        assert warm_and_cold(content, theme, tmp_path).differences == []
    spares = list((cache_folder() / "builds").glob("*/spare"))
    assert spares
    for spare in spares:
        (spare / "index.html").write_text("damaged")
        (spare / "junk.txt").write_text("junk")
    EDITS[0](content, theme)
    assert warm_and_cold(content, theme, tmp_path).differences == []
    assert warm_and_cold(content, theme, tmp_path).differences == []


def test_settings_have_their_own_cache(tmp_path: Path) -> None:
    content, theme = copy_site(tmp_path)
    assert warm_and_cold(content, theme, tmp_path).differences == []
    other = build(
        Options(
            content=content,
            content_shown="content",
            out=tmp_path / "warm",
            theme=theme,
            today=TODAY,
            jobs=1,
            cache=True,
            drafts=False,
        )
    )
    assert other.written > 0
    assert not (tmp_path / "warm/claims/bob-draft").exists()


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(EDITS), min_size=1, max_size=7))
def test_random_edits_between_warm_builds(tmp_path_factory: pytest.TempPathFactory, edits: list[Edit]) -> None:
    tmp = tmp_path_factory.mktemp("cache")
    content, theme = copy_site(tmp)
    assert warm_and_cold(content, theme, tmp).differences == []
    for edit in edits:
        if edit_between_builds(edit, content, theme):
            assert warm_and_cold(content, theme, tmp).differences == []


def test_a_damaged_cache_is_dropped_not_an_error(tmp_path: Path) -> None:
    content, theme = copy_site(tmp_path)
    assert warm_and_cold(content, theme, tmp_path).differences == []
    for database in (cache_folder() / "builds").glob("*/state.sqlite"):
        database.write_bytes(b"this is not a database" * 100)
    assert warm_and_cold(content, theme, tmp_path).differences == []  # cold again, same bytes
    assert warm_and_cold(content, theme, tmp_path).differences == []


def test_a_damaged_cache_is_told_in_one_line(tmp_path: Path, run) -> None:
    content, theme = copy_site(tmp_path)
    argv = (
        "build",
        "--no-search",
        "--drafts",
        "--content",
        str(content),
        "--theme",
        str(theme),
        "--out",
        str(tmp_path / "out"),
    )
    assert run(*argv).err == ""
    for database in (cache_folder() / "builds").glob("*/state.sqlite"):
        database.write_bytes(b"this is not a database" * 100)
    damaged = run(*argv)
    assert damaged.code == 0
    assert damaged.err.splitlines() == [
        "digest: build cache unusable (DatabaseError: file is not a database); building from scratch"
    ]
    again = run(*argv)  # the cache was made again
    assert (again.code, again.err) == (0, "")


def test_a_bug_on_the_warm_path_is_not_taken_for_a_damaged_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, theme = copy_site(tmp_path)
    assert warm_and_cold(content, theme, tmp_path).differences == []

    def broken(*args: object) -> None:
        raise TypeError("a bug of ours")

    monkeypatch.setattr("digest.export_lines.ExportLines.seed", broken)
    with pytest.raises(TypeError, match="a bug of ours"):
        build(build_options(content, theme, tmp_path / "warm", cache=True))


def test_site_wide_dates_follow_in_warm_builds(tmp_path: Path) -> None:
    content, theme = copy_site(tmp_path)
    assert warm_and_cold(content, theme, tmp_path).differences == []
    claim = content / "claims/bob-said-sky-is-blue.md"
    claim.write_text(
        claim.read_text().replace(
            "tags: [sky, weather]",
            'tags: [sky, weather]\ncorrections:\n  - {date: 2025-06-01, type: update, note: "Later."}',
        )
    )
    assert (
        warm_and_cold(content, theme, tmp_path).differences == []
    )  # the sitemap's dates for search/ and free pages move too
    assert "<lastmod>2025-06-01</lastmod>" in (tmp_path / "warm/sitemap.xml").read_text()


def test_records_come_back_from_the_cache_whole() -> None:
    """Records are pickled their own way (packed line numbers, no dataclass fields() per object):
    a round trip gives back every field, the line numbers diagnostics point at included."""
    path = MINIMAL / "claims/bob-said-sky-is-blue.md"
    claim = load_file("claim", "claims/x.md", path.stem, path.read_bytes(), Limits())
    assert isinstance(claim, Claim) and claim.sources
    again = pickle.loads(pickle.dumps(claim, protocol=5))
    assert again == claim
    assert [getattr(again, name.name) for name in fields(Claim)] == [getattr(claim, n.name) for n in fields(Claim)]
    assert dict(again.lines) == dict(claim.lines) and again.lines.get("verdict", 0) > 1


class _Stale:
    """Pickles as a record of a class that has since gained a field: its values one short."""

    def __reduce__(self) -> tuple[object, ...]:
        return object.__new__, (Claim,), ("one value",)


def test_a_state_of_records_whose_class_changed_is_not_used() -> None:
    assert load_state(dump_state({"site": _Stale()}), {}) is None


def _kept_items() -> set[tuple[str, str, str]]:
    """The list items the build cache holds: (group, slug, version)."""
    (database,) = (cache_folder() / "builds").glob("*/state.sqlite")
    with sqlite3.connect(database) as db:
        return set(db.execute("SELECT grp, slug, version FROM partials"))


def test_list_items_saved_in_batches_while_rendering_are_all_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large site saves its list items in batches as it renders, each batch in a transaction of
    its own (before the save's): the cache keeps every item, as with one batch, and builds from it
    stay the bytes of a clean build."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # this test's caches alone
    content, theme = copy_site(tmp_path / "one")
    assert warm_and_cold(content, theme, tmp_path / "one").differences == []
    whole = _kept_items()
    for database in (cache_folder() / "builds").glob("*/state.sqlite"):
        database.unlink()  # the next copy's cache is then the only one
    monkeypatch.setattr(digest.cache, "_BATCH", 3)
    content, theme = copy_site(tmp_path / "batches")
    assert warm_and_cold(content, theme, tmp_path / "batches").differences == []
    assert len(whole) > 3 * 4 and _kept_items() == whole
    change_title(content, theme)
    assert warm_and_cold(content, theme, tmp_path / "batches").differences == []
