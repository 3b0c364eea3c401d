"""The edits the incremental-build tests make to a copy of tests/sites/minimal, and how they compare
a rebuilt site with a clean build."""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from digest.build import Options, build

from .conftest import MINIMAL, ROOT, TODAY, write


def same_tree(left: Path, right: Path) -> list[str]:
    """Differences between two folders, as relative paths (empty when byte-identical)."""
    differences = []
    comparison = filecmp.dircmp(left, right)
    stack = [(comparison, "")]
    while stack:
        current, prefix = stack.pop()
        differences += [prefix + name for name in current.left_only + current.right_only + current.funny_files]
        _, mismatch, errors = filecmp.cmpfiles(current.left, current.right, current.common_files, shallow=False)
        differences += [prefix + name for name in mismatch + errors]
        stack += [(sub, f"{prefix}{name}/") for name, sub in current.subdirs.items()]
    return sorted(differences)


def paged(content: Path) -> Path:
    """Split the copy's lists into pages of two, so that edits move claims between pages, add pages and
    remove them (bob's page, the timeline, the tags, the corrections take two pages or more)."""
    site = content / "site.yaml"
    site.write_text(site.read_text() + "page_size: 2\n")
    return content


def copy_site(tmp: Path) -> tuple[Path, Path]:
    """Copies of the minimal site, its lists split into pages of two, and of the default theme in tmp,
    to edit: (content, theme). The theme prints each page's date (``page.meta.lastmod``, in a comment),
    so that a warm build must get it right on every page."""
    content, theme = tmp / "content", tmp / "theme"
    shutil.copytree(MINIMAL, content)
    paged(content)
    shutil.copytree(ROOT / "themes/default", theme)
    base = theme / "templates/base.html"
    base.write_text(base.read_text().replace("<main", "<!-- {{ page.meta.lastmod }} -->\n<main", 1))
    return content, theme


def build_options(content: Path, theme: Path, out: Path, cache: bool = False) -> Options:
    """How the incremental-build tests build: drafts included, a fixed today, one process."""
    return Options(
        content=content, content_shown="content", out=out, theme=theme, today=TODAY, jobs=1, cache=cache, drafts=True
    )


def clean_build(content: Path, theme: Path, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    build(build_options(content, theme, out))


@dataclass(frozen=True)
class Warm:
    """A warm build beside a cold one of the same content."""

    differences: list[str]
    """How the warm site differs from the cold one, and any temporary folder left behind: empty when right."""
    files: int
    written: int


def warm_and_cold(content: Path, theme: Path, tmp: Path) -> Warm:
    """Build warm (with the build cache) into tmp/warm and cold into tmp/cold, and compare them."""
    warm = build(build_options(content, theme, tmp / "warm", cache=True))
    shutil.rmtree(tmp / "cold", ignore_errors=True)
    build(build_options(content, theme, tmp / "cold"))
    left = [p.name for p in tmp.iterdir() if p.name.startswith(".digest")]
    return Warm(same_tree(tmp / "warm", tmp / "cold") + sorted(left), warm.files, warm.written)


Edit = Callable[[Path, Path], None]


def change_title(content: Path, theme: Path) -> None:
    path = content / "claims/bob-said-sky-is-blue.md"
    path.write_text(path.read_text().replace('title: "Bob said', 'title: "Bob once said'))


def toggle(path: Path, one: str, other: str) -> None:
    """Replace ``one`` by ``other`` in a file, or back if it holds ``other``."""
    text = path.read_text()
    path.write_text(text.replace(one, other) if one in text else text.replace(other, one))


def update_claim(content: Path, theme: Path) -> None:
    """Give the latest check an ``updated:`` date, or take it away: the site's last change moves."""
    toggle(
        content / "claims/bob-scheduled.md", "published: 2099-01-01\nupdated: 2099-02-01\n", "published: 2099-01-01\n"
    )


def change_verdict(content: Path, theme: Path) -> None:
    toggle(content / "claims/bob-said-sky-is-blue.md", "verdict: true", "verdict: mixed")


def add_claim(content: Path, theme: Path) -> None:
    number = len(list((content / "claims").rglob("*.md")))
    write(
        content / f"claims/new/added-{number}.md",
        f"""---
title: "Added {number}"
claim: "Something new."
person: alice
people: [bob]
claim_date: 2024-02-0{number % 9 + 1}
published: 2024-03-01
verdict: mostly-true
summary: "New."
sources: [{{title: "S", outlet: "Fresh Outlet {number % 2}"}}]
related: [bob-said-sky-is-blue]
tags: [fresh]
---
Added.
""",
    )


def delete_claim(content: Path, theme: Path) -> None:
    added = sorted((content / "claims").rglob("added-*.md"))
    if added:
        added[0].unlink()


def rename_claim(content: Path, theme: Path) -> None:
    added = sorted((content / "claims").rglob("added-*.md"))
    if added:
        added[-1].rename(added[-1].with_name(added[-1].stem + "-renamed.md"))


def swap_speaker(content: Path, theme: Path) -> None:
    """The claim moves to the person it only mentioned (an attribution fixed), or back."""
    toggle(
        content / "claims/2024/alice-said-sky-is-green.md",
        "person: alice\npeople: [bob]\n",
        'person: bob\nclaimant: "Bob, quoting Alice"\npeople: [alice]\n',
    )


def link_repeat(content: Path, theme: Path) -> None:
    """Bob's claim is marked as a repeat of Alice's earlier one, or unmarked: both pages, both people's counts."""
    toggle(
        content / "claims/bob-said-sky-is-blue.md",
        "tags: [sky, weather]\n---",
        "tags: [sky, weather]\nrepeats: [alice-said-sky-is-green]\n---",
    )


def repeat_in_added(content: Path, theme: Path) -> None:
    """The newest added claim turns its related link into a repeat (a longer chain), or back."""
    added = sorted((content / "claims").rglob("added-*.md"))
    if added:
        toggle(added[-1], "related: [bob-said-sky-is-blue]", "repeats: [bob-said-sky-is-blue]")


def move_claim(content: Path, theme: Path) -> None:
    """Bob's draft becomes his oldest claim, in a month of its own, or his newest again: it moves
    between the pages of his list and of the timeline."""
    toggle(content / "claims/bob-draft.md", "claim_date: 2024-01-03", "claim_date: 2023-12-30")


def change_page_size(content: Path, theme: Path) -> None:
    """Pages of two become pages of three, or back: pages appear and disappear."""
    toggle(content / "site.yaml", "page_size: 2\n", "page_size: 3\n")


def edit_person(content: Path, theme: Path) -> None:
    toggle(content / "people/bob.md", "name: Bob Example", "name: Robert Example")


def add_person(content: Path, theme: Path) -> None:
    write(content / "people/carol.md", "---\nname: Carol\n---\nNew person.\n")


def rename_person(content: Path, theme: Path) -> None:
    for old, new in (("carol", "caroline"), ("caroline", "carol")):
        if (content / f"people/{old}.md").exists():
            (content / f"people/{old}.md").rename(content / f"people/{new}.md")
            return


def delete_person(content: Path, theme: Path) -> None:
    for name in ("carol", "caroline"):
        (content / f"people/{name}.md").unlink(missing_ok=True)


DANA = "---\nname: Dana Example\nrole: Fact-checker\n---\nDana checks claims.\n"


def sign_claim(content: Path, theme: Path) -> None:
    """Sign Bob's claim by a staff member (written first if need be), or take the byline off."""
    if not (content / "staff/dana.md").exists():
        write(content / "staff/dana.md", DANA)
    claim = content / "claims/bob-said-sky-is-blue.md"
    toggle(claim, "tags: [sky, weather]\n---", "tags: [sky, weather]\nauthors: [dana]\n---")


def edit_staff(content: Path, theme: Path) -> None:
    path = content / "staff/dana.md"
    if not path.exists():
        write(path, DANA)
    toggle(path, "name: Dana Example", "name: Dana Renamed")


def change_template(content: Path, theme: Path) -> None:
    path = theme / "templates/list.html"
    path.write_text(path.read_text() + "\n{# touched #}<!-- v -->\n")


def change_site(content: Path, theme: Path) -> None:
    toggle(content / "site.yaml", "title: Minimal Digest\n", "title: Minimal Digest 2\n")


def change_css(content: Path, theme: Path) -> None:
    path = theme / "static/style.css"
    path.write_text(path.read_text() + "\n/* touched */\n")


def add_static(content: Path, theme: Path) -> None:
    """A file of our own (and a hidden one, and editor junk beside them, which must not be published)."""
    number = len(list((content / "static").rglob("*"))) if (content / "static").is_dir() else 0
    write(content / f"static/documents/file-{number}.txt", f"document {number}\n")
    write(content / "static/.nojekyll", "")
    write(content / f"static/documents/.file-{number}.txt.swp", "junk")


def change_static(content: Path, theme: Path) -> None:
    """The same size each time: only the bytes tell the versions apart."""
    path = content / "static/CNAME"
    before = path.read_text() if path.exists() else ""
    write(path, "facts.example.net\n" if before == "facts.example.org\n" else "facts.example.org\n")


def remove_static(content: Path, theme: Path) -> None:
    files = sorted(p for p in (content / "static").rglob("*") if p.is_file()) if (content / "static").is_dir() else []
    if files:
        files[len(files) // 2].unlink()


def alias_claim(content: Path, theme: Path) -> None:
    """A claim gets a former slug, then a second one, then none: redirect pages come and go."""
    path = content / "claims/bob-said-sky-is-blue.md"
    text = path.read_text()
    one, two = "aliases: [bob-sky]\n", "aliases: [bob-blue, bob-sky]\n"
    if two in text:
        path.write_text(text.replace(two, ""))
    elif one in text:
        path.write_text(text.replace(one, two))
    else:
        path.write_text(text.replace("tags: [sky, weather]\n", "tags: [sky, weather]\n" + one))


def former_slug_person(content: Path, theme: Path) -> None:
    toggle(content / "people/alice.md", "aliases: [Alice]\nformer_slugs: [alice-old]\n", "aliases: [Alice]\n")


def break_claim(content: Path, theme: Path) -> None:
    write(content / "claims/broken.md", "---\ntitle: [\n---\n")


def fix_claim(content: Path, theme: Path) -> None:
    (content / "claims/broken.md").unlink(missing_ok=True)


SHOT = "\n![A shot of the sky](shot.png)\n"


def _shot(path: Path, width: int) -> None:
    Image.new("RGB", (width, width // 2), (10, width % 256, 200)).save(path)


def add_image(content: Path, theme: Path) -> None:
    """An image in the analysis (made wide enough for narrower copies), beside the claim's file."""
    shot, claim = content / "claims/shot.png", content / "claims/bob-said-sky-is-blue.md"
    if not shot.exists():
        _shot(shot, 1100)
    if SHOT not in claim.read_text():
        claim.write_text(claim.read_text() + SHOT)


def change_image(content: Path, theme: Path) -> None:
    """The image file alone changes: its claim's page and copies must follow."""
    shot = content / "claims/shot.png"
    if shot.exists():
        with Image.open(shot) as image:
            width = image.width
        _shot(shot, 600 if width == 1100 else 1100)


def remove_image(content: Path, theme: Path) -> None:
    claim = content / "claims/bob-said-sky-is-blue.md"
    claim.write_text(claim.read_text().replace(SHOT, ""))
    (content / "claims/shot.png").unlink(missing_ok=True)


def _two_languages(content: Path) -> None:
    """site.yaml lists English and Ukrainian (and keeps listing them: a translation needs its language)."""
    path = content / "site.yaml"
    path.write_text(path.read_text().replace("language: en\n", "languages: [en, uk]\n"))


BOB_UK = """---
title: "Боб сказав, що небо блакитне"
claim: "Небо блакитне."
summary: "Так і є."
---
Боб має рацію, не те що [Аліса](/people/alice/).
"""
"""Its link to Alice's page leads to her page in Ukrainian while she has one (``translate_person``)."""


def translate_claim(content: Path, theme: Path) -> None:
    """Bob's check gets a Ukrainian translation, or its title changes: both pages' hreflang, the lists in uk."""
    _two_languages(content)
    path = content / "claims/bob-said-sky-is-blue.uk.md"
    if path.exists():
        toggle(path, 'title: "Боб сказав', 'title: "Боб колись сказав')
    else:
        write(path, BOB_UK)


def untranslate_claim(content: Path, theme: Path) -> None:
    (content / "claims/bob-said-sky-is-blue.uk.md").unlink(missing_ok=True)


def translate_person(content: Path, theme: Path) -> None:
    """Alice's Ukrainian page comes, or goes: her name in the uk lists, her feed in uk."""
    _two_languages(content)
    path = content / "people/alice.uk.md"
    if path.exists():
        path.unlink()
    else:
        write(path, "---\nname: Аліса Приклад\nrole: Мерка\n---\nАліса — мерка.\n")


EDITS: list[Edit] = [
    change_title,
    change_verdict,
    update_claim,
    add_claim,
    delete_claim,
    rename_claim,
    swap_speaker,
    link_repeat,
    repeat_in_added,
    move_claim,
    change_page_size,
    edit_person,
    add_person,
    rename_person,
    delete_person,
    sign_claim,
    edit_staff,
    change_template,
    change_site,
    translate_claim,
    untranslate_claim,
    translate_person,
    change_css,
    break_claim,
    fix_claim,
    add_static,
    change_static,
    remove_static,
    add_image,
    change_image,
    remove_image,
    alias_claim,
    former_slug_person,
]


THEME_EDITS: tuple[Edit, ...] = (change_template, change_css)
"""The edits made to the theme rather than the content."""


def edit_between_builds(edit: Edit, content: Path, theme: Path) -> bool:
    """Make one edit as an editor would between two builds; False when it left a claim broken, so
    that there is no site to compare (the build reports the claim instead)."""
    edit(content, theme)
    if (content / "claims/broken.md").exists():
        return False
    if edit in THEME_EDITS:
        os.utime(theme / "templates/base.html")
    return True
