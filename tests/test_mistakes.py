"""Mistakes an editor makes that the rules in tests/invalid/ cannot hold as plain files: special
files, drafts beside published checks, several mistakes in one file, links checked against the
pages the build makes."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

from digest.build import LiveBuild, Options
from digest.errors import ContentError

from .conftest import TODAY, build_process, write


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("where", ["claims/2024/waiting.md", "site.yaml"])
def test_a_named_pipe_is_an_error_and_never_blocks(scratch: Path, where: str) -> None:
    (scratch / where).unlink(missing_ok=True)
    os.mkfifo(scratch / where)
    out = scratch.parent / "site"
    result = build_process(scratch, out, "--no-search", timeout=60)
    assert result.returncode == 1, result.stderr
    assert f"{scratch}/{where}:1: this is a named pipe (FIFO), not a regular file" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX") or sys.platform == "win32", reason="needs Unix sockets")
def test_a_socket_is_an_error(scratch: Path, run) -> None:
    path = scratch / "claims" / "s.md"
    os.chdir(scratch)  # a Unix socket's path must be short
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("claims/s.md")
        result = run("check", "--content", ".")
    assert result.code == 1
    assert "claims/s.md:1: this is a socket, not a regular file; remove it or put a file in its place" in result.err
    assert not path.is_file()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_seen_by_the_preview_never_blocks(scratch: Path) -> None:
    live = LiveBuild(Options(content=scratch, content_shown="content", out=scratch.parent / "out", today=TODAY))
    assert live.run().error is None
    os.mkfifo(scratch / "claims" / "pipe.md")
    result = live.run(changed=[scratch / "claims" / "pipe.md"])
    assert isinstance(result.error, ContentError)
    assert [str(d) for d in result.error.diagnostics] == [
        "content/claims/pipe.md:1: this is a named pipe (FIFO), not a regular file; remove it or put a file in its place"
    ]


def test_a_time_on_a_date_is_accepted_and_only_the_date_is_used(scratch: Path, run) -> None:
    claim = scratch / "claims" / "bob-said-sky-is-blue.md"
    text = claim.read_text()
    assert "published: 2024-01-04\n" in text
    claim.write_text(text.replace("published: 2024-01-04\n", "published: 2024-01-04 23:30:00-05:00\n"))
    assert run("build", "--content", "content", "--out", "site", "--no-search").code == 0
    page = (scratch.parent / "site/claims/bob-said-sky-is-blue/index.html").read_text()
    assert 'Published <time datetime="2024-01-04">' in page


def test_an_unfinished_stub_never_publishes(scratch: Path, run) -> None:
    made = run("new", "--content", "content", "--person", "bob", "--date", "2024-01-03", "Bob spoke")
    assert made.code == 0
    stub = Path(made.out.strip())
    assert run("check", "--content", "content").code == 0  # a draft may hold placeholders
    text = stub.read_text()
    stub.write_text(text.replace("draft: true\n", "").replace("# url: https://...", "url: https://..."))
    lines = stub.read_text().splitlines()

    def line_of(start: str) -> int:
        return next(number for number, line in enumerate(lines, start=1) if line.strip().startswith(start))

    result = run("build", "--content", "content", "--out", "site", "--no-search")
    assert result.code == 1
    shown = "content/claims/2024-01/bob-spoke.md"
    found = [line for line in result.err.splitlines() if line.startswith(shown)]
    assert [line.split(": ", 1)[0] for line in found] == [
        f"{shown}:{line_of('claim:')}",
        f"{shown}:{line_of('summary:')}",
        f"{shown}:{line_of('- title:')}",
        f"{shown}:{line_of('outlet:')}",
        f"{shown}:{line_of('url:')}",
        *(f"{shown}:{number}" for number, line in enumerate(lines, start=1) if line.startswith("TODO:")),
    ]
    assert all("placeholder" in line for line in found)
    assert f"{shown}:{line_of('url:')}: 'https://...' in 'url' is a placeholder" in result.err
    assert not (scratch.parent / "site").exists()


BROKEN_DRAFT = """---
title: "Carol's draft"
claim: "Something."
person: bob
claim_date: 2024-01-02
published: 2024-01-05
verdict: flase
summary: "Summary."
sources:
  - {title: "A source", outlet: Example Times}
draft: true
---
See [nothing](/claims/nothing/).
"""
UNREADABLE_DRAFT = "---\ntitle: [unclosed\ndraft: true\n---\nBody.\n"


def test_a_broken_draft_does_not_stop_the_published_checks(scratch: Path, run) -> None:
    write(scratch / "claims/carol-draft.md", BROKEN_DRAFT)
    write(scratch / "claims/dave-draft.md", UNREADABLE_DRAFT)
    warnings = [
        "content/claims/carol-draft.md:7: warning: draft, not published: verdict 'flase' is not on the scale; "
        "did you mean 'false'?",
        "content/claims/carol-draft.md:13: warning: draft, not published: link '/claims/nothing/' leads to no "
        "page of the site (/claims/nothing/)",
    ]
    built = run("build", "--content", "content", "--out", "site", "--no-search")
    assert built.code == 0, built.err
    lines = built.err.splitlines()
    assert [line for line in lines if "carol-draft" in line] == [
        "content/claims/carol-draft.md: skipped: draft (build --drafts to include it)",
        *warnings,
    ]
    assert "content/claims/dave-draft.md: skipped: draft with problems (see the warnings)" in lines
    assert any(
        line.startswith("content/claims/dave-draft.md:3: warning: draft, not published: invalid YAML") for line in lines
    )
    site = scratch.parent / "site"
    assert (site / "claims/bob-said-sky-is-blue/index.html").is_file()
    assert not (site / "claims/carol-draft").exists() and not (site / "claims/dave-draft").exists()

    checked = run("check", "--content", "content")
    assert checked.code == 0
    assert all(warning in checked.err.splitlines() for warning in warnings)
    strict = run("check", "--content", "content", "--strict")
    assert strict.code == 1
    assert warnings[0].replace("warning: ", "") in strict.err.splitlines()

    for command in (("build", "--out", "site2", "--no-search"), ("check",)):
        with_drafts = run(*command, "--content", "content", "--drafts")
        assert with_drafts.code == 1
        assert warnings[0].replace("warning: draft, not published: ", "") in with_drafts.err.splitlines()
    assert not (scratch.parent / "site2").exists()


def test_a_broken_published_check_still_fails_the_build(scratch: Path, run) -> None:
    write(scratch / "claims/carol.md", BROKEN_DRAFT.replace("draft: true\n", ""))
    built = run("build", "--content", "content", "--out", "site", "--no-search")
    assert built.code == 1
    assert "content/claims/carol.md:7: verdict 'flase' is not on the scale; did you mean 'false'?" in built.err
    assert not (scratch.parent / "site").exists()


def test_links_to_the_sites_own_files_resolve(scratch: Path, run) -> None:
    """And a link naming a page's file (``/people/index.html``) is to the page, while a file whose name
    merely ends in index.html (``docs/myindex.html``) is itself."""
    write(scratch / "static/docs/report.pdf", "%PDF-1.4")
    write(scratch / "static/docs/myindex.html", "<p>Reports.</p>")
    claim = scratch / "claims/bob-said-sky-is-blue.md"
    claim.write_text(
        claim.read_text()
        + "\n[The report](/docs/report.pdf) and [another](/docs/other.pdf); [people](/people/index.html), "
        "[the scale](../../verdicts/index.html), [reports](../../docs/myindex.html).\n"
    )
    line = len(claim.read_text().splitlines())
    result = run("check", "--content", "content")
    assert result.code == 1
    assert result.err.splitlines()[:-1] == [
        f"content/claims/bob-said-sky-is-blue.md:{line}: link '/docs/other.pdf' leads to no page of the site "
        "(/docs/other.pdf); did you mean '/docs/report.pdf'?"
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_among_the_sites_own_files_is_an_error(scratch: Path) -> None:
    (scratch / "static").mkdir()
    os.mkfifo(scratch / "static" / "CNAME")
    result = build_process(scratch, scratch.parent / "site", "--no-search", timeout=60)
    assert result.returncode == 1
    assert f"{scratch}/static/CNAME:1: this is a named pipe (FIFO), not a regular file" in result.stderr
