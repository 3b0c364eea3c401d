"""The command line in-process: exit codes, one-line usage errors, check, new, python -m digest."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from datetime import date
from pathlib import Path

import pytest

from digest.urls import MARKER

from .conftest import MINIMAL, ROOT, build_process, write


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["build", "--content", "nowhere"], "digest: error: --content nowhere: no such folder"),
        (["check", "--content", "nowhere"], "digest: error: --content nowhere: no such folder"),
        (["build", "--bogus"], "digest: error: unrecognized arguments: --bogus (see 'digest --help')"),
        (["frobnicate"], "digest: error: argument COMMAND: invalid choice: 'frobnicate' (choose from "),
        ([], "digest: error: the following arguments are required: COMMAND (see 'digest --help')"),
    ],
)
def test_usage_errors_are_one_line(run, argv: list[str], message: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*argv)
    assert result.code == 2
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith(message)
    assert list(tmp_path.iterdir()) == []


def test_out_that_is_a_file(run, tmp_path: Path) -> None:
    (tmp_path / "site").write_text("not a folder")
    result = run("build", "--content", str(MINIMAL), "--out", str(tmp_path / "site"))
    assert result.code == 2
    assert result.err == f"digest: error: --out {tmp_path / 'site'}: is a file, not a folder\n"


def test_theme_that_is_not_a_theme(run, tmp_path: Path) -> None:
    result = run("build", "--content", str(MINIMAL), "--out", str(tmp_path / "site"), "--theme", str(tmp_path))
    assert result.code == 2
    assert result.err == f"digest: error: --theme {tmp_path}: not a theme (no templates/base.html)\n"


def test_broken_template_names_file_and_line(run, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes/default", theme, dirs_exist_ok=True)
    (theme / "templates/page.html").write_text(
        "{% extends 'base.html' %}{% block content %}\n{{ page.nope }}{% endblock %}\n"
    )
    result = run("build", "--content", str(MINIMAL), "--out", str(tmp_path / "site"), "--theme", str(theme))
    assert result.code == 1
    assert result.err.startswith(f"digest: error: {theme}/templates/page.html:2: ")
    assert "nope" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "site").exists()


def test_build_reports_what_it_did(run, tmp_path: Path) -> None:
    result = run("build", "--content", str(MINIMAL), "--out", str(tmp_path / "site"))
    assert result.code == 0
    assert result.out.startswith("built ") and f"into {tmp_path / 'site'} in " in result.out


def test_default_theme_from_any_directory(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("build", "--content", str(MINIMAL), "--out", "out")
    assert result.code == 0
    assert (tmp_path / "out/static/style.css").is_file()


def test_check_writes_nothing(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check", "--content", str(MINIMAL))
    assert result.code == 0
    assert result.out.startswith("2 claims, 2 people, 1 pages: no errors, ")
    assert list(tmp_path.iterdir()) == []


def test_check_with_drafts(run) -> None:
    result = run("check", "--content", str(MINIMAL), "--drafts")
    assert result.code == 0
    assert result.out.startswith("4 claims")


def test_symlink_outside_content_is_refused(scratch: Path, run, tmp_path: Path) -> None:
    outside = write(tmp_path / "elsewhere/secret.md", "---\nname: Secret\n---\n")
    os.symlink(outside, scratch / "people/secret.md")
    result = run("build", "--content", "content", "--out", "site")
    assert result.code == 1
    assert (
        result.err.splitlines()[0]
        == "content/people/secret.md:1: symlink leads outside the content folder; copy the file in instead"
    )


def test_symlink_inside_content_is_followed(scratch: Path, run) -> None:
    os.symlink(scratch / "people/alice.md", scratch / "people/alice-again.md")
    assert run("build", "--content", "content", "--out", "site").code == 0
    assert Path("site/people/alice-again/index.html").is_file()


def test_editor_junk_is_ignored(scratch: Path, run) -> None:
    for junk in (
        ".#bob-said-sky-is-blue.md",
        "bob-said-sky-is-blue.md~",
        ".bob-said-sky-is-blue.md.swp",
        "4913",
        "notes.txt",
    ):
        write(scratch / "claims" / junk, "garbage: [")
    assert run("build", "--content", "content", "--out", "site").code == 0


def test_new_writes_a_stub_that_checks(scratch: Path, run) -> None:
    result = run("new", "--content", "content", "--person", "bob", 'Bob says "the moon" is cheese!')
    assert result.code == 0
    path = Path(result.out.strip())
    today = date.today()
    assert path == Path(f"content/claims/{today:%Y-%m}/bob-says-the-moon-is-cheese.md")
    text = path.read_text()
    assert 'title: "Bob says \\"the moon\\" is cheese!"' in text
    assert f"claim_date: {today.isoformat()}" in text and "draft: true" in text
    assert run("check", "--content", "content").code == 0
    with_drafts = run("build", "--content", "content", "--out", "site", "--drafts")
    assert with_drafts.code == 0
    assert "the moon" in Path("site/claims/bob-says-the-moon-is-cheese/index.html").read_text()


def test_new_files_the_claim_under_its_date(scratch: Path, run) -> None:
    result = run("new", "--content", "content", "--person", "bob", "--date", "2023-02-28", "Bob spoke")
    assert result.code == 0
    path = Path(result.out.strip())
    assert path == Path("content/claims/2023-02/bob-spoke.md")
    text = path.read_text()
    assert "claim_date: 2023-02-28" in text and f"published: {date.today().isoformat()}" in text
    assert run("check", "--content", "content").code == 0
    for bad in ("2023-02-30", "28/02/2023", "2023-2-28"):
        refused = run("new", "--content", "content", "--person", "bob", "--date", bad, "Bob again")
        assert refused.code == 2
        assert f"'{bad}' is not a real date written YYYY-MM-DD" in refused.err
    future = run("new", "--content", "content", "--person", "bob", "--date", "2999-01-01", "Bob later")
    assert future.code == 2 and "cannot have been made after today" in future.err


def test_readme_examples_run_on_our_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"`digest new ([^`]*)`\s+writes `([^`]*)`", readme)
    assert example is not None
    shutil.copytree(ROOT / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    result = run("new", *shlex.split(example.group(1)))
    assert result.code == 0, result.err
    assert result.out.strip() == example.group(2)
    assert "draft: true" in Path(example.group(2)).read_text()
    assert run("check", "--content", "content").code == 0  # `make check`, as the README gives it


def test_serve_has_no_out_option(run) -> None:
    result = run("serve", "--out", "elsewhere")
    assert result.code == 2
    assert "unrecognized arguments: --out elsewhere" in result.err


def test_check_does_not_say_it_wrote_nothing(scratch: Path, run) -> None:
    write(scratch / "claims/x.md", "---\ntitle: X\nperson: q\n---\nBody\n")
    checked = run("check", "--content", "content")
    assert checked.code == 1
    assert checked.err.splitlines()[-1] == "digest: 7 errors"
    built = run("build", "--content", "content", "--out", "site")
    assert built.err.splitlines()[-1] == "digest: 7 errors; nothing was written"


def test_new_refuses_unknown_person_and_taken_slug(scratch: Path, run) -> None:
    unknown = run("new", "--content", "content", "--person", "alise", "Headline")
    assert unknown.code == 2
    assert unknown.err == "digest: error: unknown person 'alise'; did you mean 'alice'? (people: alice, bob)\n"
    taken = run("new", "--content", "content", "--person", "bob", "Bob said: sky is blue")
    assert taken.code == 2
    assert "a claim with the slug 'bob-said-sky-is-blue' already exists" in taken.err


def test_python_dash_m(tmp_path: Path) -> None:
    bad = tmp_path / "content"
    write(bad / "site.yaml", "title: T\nbase_url: https://e.org/\npublisher: {name: P}\n")
    write(bad / "people/p.md", "---\nname: P\n---\n")
    write(bad / "claims/x.md", "---\ntitle: X\nperson: q\n---\nBody\n")
    out = tmp_path / "out"
    write(out / "old.html", "previous")
    write(out / MARKER, "a site digest made before")
    result = build_process(bad, out, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"{bad}/claims/x.md:1: the front matter of a claim is missing the required field 'claim'"
    assert lines[-1] == "digest: 7 errors; nothing was written"
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "old.html"]


@pytest.mark.parametrize("out", [".", "..", "content", "content/sub"])
def test_out_must_not_swallow_the_project(scratch: Path, run, out: str) -> None:
    result = run("build", "--content", "content", "--out", out)
    assert result.code == 2
    assert result.err.startswith(f"digest: error: --out {out}: ")
    assert Path("content/site.yaml").is_file()


def test_out_must_not_hold_the_theme(scratch: Path, run, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "themes/default", tmp_path / "out/theme")
    result = run("build", "--content", "content", "--out", "out", "--theme", "out/theme")
    assert result.code == 2
    assert "would replace the theme" in result.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--port", "70000"], "argument --port: '70000' is not a port number (0 to 65535)"),
        (
            ["build", "--base-url", "example.org/digest/"],
            "argument --base-url: 'example.org/digest/' is not an absolute",
        ),
        (
            ["build", "--base-url", "javascript:alert(1)"],
            "argument --base-url: 'javascript:alert(1)' is not an absolute",
        ),
    ],
)
def test_bad_option_values(run, argv: list[str], message: str) -> None:
    result = run(*argv)
    assert result.code == 2
    assert result.err.startswith(f"digest: error: {message}")
