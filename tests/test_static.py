"""content/static/: our own files, copied to the site as they are, never over a file the site makes."""

from __future__ import annotations

import os
from pathlib import Path

from digest.watch import Changes, Watcher

from .conftest import write

OWN = {
    "CNAME": b"facts.example.org\n",
    ".nojekyll": b"",
    "favicon.ico": b"\x00\x00\x01\x00 not really an icon",
    "documents/report.pdf": b"%PDF-1.4 a document we checked",
    ".well-known/security.txt": b"Contact: mailto:desk@example.org\n",
    "claims/bob-said-sky-is-blue/screenshot.png": b"\x89PNG not really",
}
JUNK = ["documents/.report.pdf.swp", "CNAME~", ".#CNAME", ".DS_Store", "#notes#", ".git/config", "4913"]


def own_files(out: Path) -> dict[str, bytes]:
    """The files of a built site that the site did not make from content and theme."""
    made = {"404.html", "card.png", "claimreview.json", "claims.json", "feed.xml", "robots.txt", "sitemap.xml"}
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
        and not p.name.endswith((".html", ".xml", ".svg"))
        and p.name != "card.png"  # the claims' social cards
        and str(p.relative_to(out)) not in made
        and not str(p.relative_to(out)).startswith(("static/", ".digest-build"))
    }


def test_own_files_are_copied_as_they_are(scratch: Path, run) -> None:
    for relative, data in OWN.items():
        (scratch / "static" / relative).parent.mkdir(parents=True, exist_ok=True)
        (scratch / "static" / relative).write_bytes(data)
    for relative in JUNK:
        write(scratch / "static" / relative, "junk")
    result = run("build", "--content", "content", "--out", "site", "--no-search")
    assert result.code == 0, result.err
    assert own_files(Path("site")) == OWN
    assert Path("site/claims/bob-said-sky-is-blue/index.html").is_file()  # beside a page of its own


def test_a_path_the_site_makes_is_an_error_naming_both(scratch: Path, run) -> None:
    write(scratch / "static/feed.xml", "<feed/>")
    write(scratch / "static/static/style.css", "body {}")
    write(scratch / "static/people/bob/index.html", "<p>mine</p>")
    write(scratch / "static/.digest-build", "mine")
    write(scratch / "static/pagefind/pagefind.js", "mine")
    expected = [
        "content/static/.digest-build:1: collides with .digest-build, which the site makes "
        "(digest's mark of a folder it made); rename it",
        "content/static/feed.xml:1: collides with feed.xml, which the site makes (a feed or data file); rename it",
        "content/static/pagefind/pagefind.js:1: collides with the search index (pagefind/); rename or remove it",
        "content/static/people/bob/index.html:1: collides with people/bob/index.html, which the site makes "
        "(the person page /people/bob/); rename it",
        "content/static/static/style.css:1: collides with static/style.css, which the site makes "
        "(the theme's static/style.css); rename it",
    ]
    result = run("build", "--content", "content", "--out", "site", "--no-search")
    assert result.code == 1
    # the search index is refused while loading, the others once the site's own paths are known
    assert result.err.splitlines()[:-1] == [expected[2]]
    os.remove(scratch / "static/pagefind/pagefind.js")
    for command in (("build", "--out", "site", "--no-search"), ("check",)):
        result = run(*command[:1], "--content", "content", *command[1:])
        assert result.code == 1
        lines = [line for line in result.err.splitlines() if "skipped" not in line]
        written = "; nothing was written" if command[0] == "build" else ""  # check never writes
        assert lines == [*expected[:2], *expected[3:], f"digest: 4 errors{written}"]
    assert not Path("site").exists()
    assert "Traceback" not in result.err


def test_symlinks_leading_outside_are_refused(scratch: Path, tmp_path: Path, run) -> None:
    write(tmp_path / "secret.txt", "SECRET")
    (scratch / "static").mkdir()
    os.symlink(tmp_path / "secret.txt", scratch / "static/leak.txt")
    os.symlink(scratch / "people/bob.md", scratch / "static/bob.md")  # inside content: copied
    result = run("build", "--content", "content", "--out", "site", "--no-search")
    assert result.code == 1
    assert result.err.splitlines()[-2:] == [
        "content/static/leak.txt:1: symlink leads outside the content folder; copy the file in instead",
        "digest: 1 error; nothing was written",
    ]
    os.remove(scratch / "static/leak.txt")
    assert run("build", "--content", "content", "--out", "site", "--no-search").code == 0
    assert Path("site/bob.md").read_bytes() == (scratch / "people/bob.md").read_bytes()


def test_the_watcher_sees_own_files_hidden_ones_included(tmp_path: Path) -> None:
    content, theme = tmp_path / "content", tmp_path / "theme"
    watcher = Watcher(content, theme, lambda changes: None)
    own = (".nojekyll", "CNAME", "documents/report.pdf", "documents")
    for name in own:
        watcher.note(content / "static" / name, is_directory=name == "documents")
    for name in ("CNAME~", ".CNAME.swp", ".#CNAME", "4913"):
        watcher.note(content / "static" / name)
    watcher.note(content / ".hidden.md")  # outside static/, hidden files are still not content
    assert watcher.take() == Changes(content=frozenset(content / "static" / name for name in own))
