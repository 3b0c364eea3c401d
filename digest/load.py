"""content/ → checked claim, person, staff and page records, links between them still by slug.

Each file is read on its own (``load_file`` is a pure function of the file's bytes), so files can
be read in parallel and their records cached. Every problem of every file is collected before
anything is reported.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import fields as f
from .errors import Diagnostic, shown_path
from .files import KINDS, ContentFile, find_files, is_ignored
from .frontmatter import Document, NotRegularFile, SyntaxProblem, decode, read_regular, split
from .images import missing_alt
from .model import (
    CORRECTION_TYPES,
    SOURCE_ROLES,
    Claim,
    Correction,
    ImageRef,
    Page,
    Person,
    Refs,
    Source,
    Staff,
    Translation,
)
from .processes import die_with_parent
from .progress import Progress, counted
from .records import Lines
from .rules import check_claim, outlet_slug
from .settings import Limits, SiteConfig
from .stamps import Stamp, stamp

if TYPE_CHECKING:
    from .markdown import Markdown, SiteLink

RESERVED_SLUGS = frozenset(
    {"claims", "people", "staff", "verdicts", "tags", "outlets", "corrections", "timeline", "static", "pagefind"}
    | {"search"}
)
"""Top-level names the site itself uses; no free page may take one."""

_PARALLEL_FROM = 300
"""Read files in worker processes when there are at least this many."""

_SOURCE = {
    "title": f.Field(f.text, required=True),
    "outlet": f.Field(f.text, required=True),
    "date": f.Field(f.day),
    "role": f.Field(f.choice(*SOURCE_ROLES)),
    "url": f.Field(f.url),
    "archive_url": f.Field(f.url),
}
_CORRECTION = {
    "date": f.Field(f.day, required=True),
    "type": f.Field(f.choice(*CORRECTION_TYPES), required=True),
    "note": f.Field(f.text, required=True),
    "from": f.Field(f.key),
}


def _alt(r: f.Reader, node: yaml.Node, path: str) -> str | None:
    """An image's alt text: what it shows, for readers who cannot see it."""
    if isinstance(node, yaml.ScalarNode) and not str(node.value).strip():
        raise r.error(node, "the image's 'alt' is empty: say what it shows, e.g. alt: \"The post as it appeared\"")
    return f.text(r, node, path)


IMAGE_FIELDS = {
    "src": f.Field(f.text, required=True),
    "alt": f.Field(_alt, required=True),
    "caption": f.Field(f.text),
    "credit": f.Field(f.text),
}
CLAIM_FIELDS = {
    "title": f.Field(f.text, required=True),
    "claim": f.Field(f.text, required=True),
    "person": f.Field(f.slug, required=True),
    "claimant": f.Field(f.text),
    "people": f.Field(f.list_of(f.slug)),
    "claim_date": f.Field(f.day, required=True),
    "published": f.Field(f.day, required=True),
    "updated": f.Field(f.day),
    "verdict": f.Field(f.key, required=True),
    "summary": f.Field(f.text, required=True),
    "sources": f.Field(
        f.list_of(f.record(_SOURCE, "a source"), non_empty="a claim needs at least one source"), required=True
    ),
    "related": f.Field(f.list_of(f.slug)),
    "contradicts": f.Field(f.list_of(f.slug)),
    "repeats": f.Field(f.list_of(f.slug)),
    "tags": f.Field(f.list_of(f.slug)),
    "corrections": f.Field(f.list_of(f.record(_CORRECTION, "a correction"))),
    "draft": f.Field(f.boolean),
    "authors": f.Field(f.list_of(f.slug)),
    "editors": f.Field(f.list_of(f.slug)),
    "image": f.Field(f.record(IMAGE_FIELDS, "an image")),
    "aliases": f.Field(f.list_of(f.former_slug(""))),
}
PERSON_FIELDS = {
    "name": f.Field(f.text, required=True),
    "role": f.Field(f.text),
    "aliases": f.Field(f.list_of(f.text)),
    "same_as": f.Field(f.list_of(f.url)),
    "former_slugs": f.Field(f.list_of(f.former_slug("; other names of the person go in 'aliases'"))),
}
STAFF_FIELDS = {
    "name": f.Field(f.text, required=True),
    "role": f.Field(f.text),
    "same_as": f.Field(f.list_of(f.url)),
}
PAGE_FIELDS = {"title": f.Field(f.text, required=True), "description": f.Field(f.text), "updated": f.Field(f.day)}

Record = Claim | Person | Page | Staff | Translation


@dataclass(frozen=True, slots=True)
class Content:
    """Every record of a content folder, checked one file at a time, and the problems found."""

    config: SiteConfig
    claims: tuple[Claim, ...]
    people: tuple[Person, ...]
    pages: tuple[Page, ...]
    problems: tuple[Diagnostic, ...] = ()
    """Problems in single files; ``resolve_site`` adds its own and reports them all."""
    static: frozenset[str] = frozenset()
    """Site paths of the site's own files (content/static/), which links may lead to too."""
    failed: tuple[tuple[str, str, Failed], ...] = ()
    """(kind, slug, what was found) of every file that could not be read into a record."""
    slugs: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Every slug of each kind found on disk, including files that failed to load, so that a
    reference to a broken file is not also reported as a reference to a missing one."""
    staff: tuple[Staff, ...] = ()
    translations: tuple[Translation, ...] = ()
    """The translation files (``<slug>.<code>.md``), read but not yet checked against their originals."""


@dataclass(frozen=True, slots=True)
class Failed:
    """A content file that could not be read into a record."""

    diagnostics: tuple[Diagnostic, ...]
    draft: bool = False
    """True when the file says ``draft: true``: its problems then do not stop a build without drafts."""
    refs: Refs | None = None
    """What it still says about other records, for resolve to check (None if nothing could be read)."""

    @property
    def path(self) -> str:
        return self.diagnostics[0].path


Result = Record | Failed
"""What reading one file gives: its record, or its problems."""


@dataclass(slots=True)
class KnownFiles:
    """What a LiveBuild remembers of the content folder between runs.

    Each file's result is reused while its size, modification time and inode are unchanged. When
    the caller knows which paths changed (the preview's watcher does), only those are looked at:
    no walk of the folder, no stat of every file.
    """

    limits: Limits | None = None
    results: dict[str, tuple[Stamp | None, Result]] = field(default_factory=dict)
    """By the path of each file (see ContentFile.path)."""
    files: list[ContentFile] | None = None
    """The files found by the last walk, kept up to date with the changes reported since."""
    problems: list[Diagnostic] = field(default_factory=list)
    """Problems found by the last walk (symlinks leading out)."""

    def forget(self, paths: Iterable[str]) -> None:
        """Read these files again next time, even if their stamps look unchanged (two saves in one tick)."""
        for path in paths:
            self.results.pop(path, None)

    def invalidate(self) -> None:
        """Walk the whole folder next time: the changes reported were not all applied."""
        self.files = None


def load_content(
    content: Path,
    content_shown: str,
    config: SiteConfig,
    jobs: int | None = None,
    known: KnownFiles | None = None,
    changed: Collection[Path] | None = None,
    progress: Progress | None = None,
) -> Content:
    """Read and check every content file; the problems of single files travel in the result.

    ``changed`` lists the paths (relative to ``content``, or under it) that changed since the last
    call with the same ``known``; None means unknown, and the whole folder is looked at.
    """
    known = known if known is not None else KnownFiles()
    if known.limits != config.limits:
        known.limits, known.results, known.files = config.limits, {}, None
    files = None
    if changed is not None and known.files is not None:
        files = _apply_changes(known, content, content_shown, changed)
    if files is None:
        files, known.problems = find_files(content, content_shown, config.limits)
        stamps = {file.path: file.stamp or stamp(file.path) for file in files}
        fresh = [f for f in files if (cached := known.results.get(f.path)) is None or cached[0] != stamps[f.path]]
        for gone in known.results.keys() - stamps.keys():
            del known.results[gone]
    else:
        fresh = [file for file in files if file.path not in known.results]
        stamps = {file.path: stamp(file.path) for file in fresh}
    known.files = files
    for file, result in zip(fresh, _read_all(fresh, config.limits, jobs, progress), strict=True):
        known.results[file.path] = (stamps[file.path], result)
    problems = list(known.problems)
    records: list[Record] = []
    failed: list[tuple[str, str, Failed]] = []
    for file in files:
        result = known.results[file.path][1]
        if isinstance(result, Failed):
            problems.extend(result.diagnostics)
            failed.append((file.kind, _stem(file.path), result))
        else:
            records.append(result)
    slugs: dict[str, set[str]] = {kind: set() for kind in KINDS.values()}
    for file in files:
        slugs[file.kind].add(_stem(file.path))
    return Content(
        config=config,
        claims=tuple(r for r in records if isinstance(r, Claim)),
        people=tuple(r for r in records if isinstance(r, Person)),
        pages=tuple(r for r in records if isinstance(r, Page)),
        problems=tuple(problems),
        failed=tuple(failed),
        slugs={kind: frozenset(found) for kind, found in slugs.items()},
        staff=tuple(r for r in records if isinstance(r, Staff)),
        translations=tuple(r for r in records if isinstance(r, Translation)),
    )


def _apply_changes(
    known: KnownFiles, content: Path, content_shown: str, changed: Collection[Path]
) -> list[ContentFile] | None:
    """The cached file list with the changed paths added or removed; None when a walk is needed.

    A folder created, moved or removed, or a symlink, needs the walk (and its checks).
    """
    assert known.files is not None
    by_path = {file.path: file for file in known.files}
    for changed_path in changed:
        relative = changed_path.relative_to(content) if changed_path.is_relative_to(content) else changed_path
        if relative.is_absolute():
            return None
        path = content / relative
        key = str(path)
        parts = relative.parts
        if relative == Path("site.yaml"):
            continue
        if path.is_dir() or path.is_symlink():
            return None
        if not parts or parts[0] not in KINDS or any(is_ignored(part) for part in parts) or path.suffix != ".md":
            if not path.exists() and any(file.startswith(key + os.sep) for file in by_path):
                return None  # a folder that held content went away
            continue
        known.results.pop(key, None)
        if path.exists():
            by_path.setdefault(key, ContentFile(KINDS[parts[0]], key, shown_path(content_shown, relative.as_posix())))
        else:
            by_path.pop(key, None)
    return sorted(by_path.values(), key=lambda file: file.shown)


def _read_all(
    files: list[ContentFile], limits: Limits, jobs: int | None, progress: Progress | None = None
) -> list[Result]:
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers < 2 or len(files) < _PARALLEL_FROM:
        return list(counted((read_file(file, limits) for file in files), "reading content", len(files), progress))
    chunk = max(16, len(files) // (workers * 8))
    from concurrent.futures import ProcessPoolExecutor  # a warm build reads a few files, in this process

    from . import markdown  # noqa: F401  (imported once here, before the workers fork, not once in each)

    with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        results = pool.map(read_file, files, [limits] * len(files), chunksize=chunk)
        return list(counted(results, "reading content", len(files), progress))


def read_file(file: ContentFile, limits: Limits) -> Record | Failed:
    """Read one content file from disk → its record, or its diagnostics."""
    try:
        data = read_regular(file.path)
    except NotRegularFile as error:
        return Failed((Diagnostic(file.shown, 1, str(error)),))
    except OSError as error:
        return Failed((Diagnostic(file.shown, 1, f"cannot read file: {error.strerror or error}"),))
    return load_file(file.kind, file.shown, _stem(file.path), data, limits)


def _stem(path: str) -> str:
    """A content file's slug: its name without ``.md``."""
    return os.path.basename(path).removesuffix(".md")


def content_digest(data: bytes) -> str:
    """The version of a file's bytes."""
    return hashlib.blake2b(data, digest_size=12).hexdigest()


_DRAFT = re.compile(rb"^draft:[ \t]*(?:true|True|TRUE|yes|Yes|on|On)[ \t]*(?:#.*)?\r?$", re.MULTILINE)
"""``draft: true``, found in the bytes of a file whose front matter cannot be read."""
_DEPTH = {"claim": (2, 1), "person": (2, 0), "page": (1, 0), "staff": (2, 0)}
"""The folder depth of each kind's page, and how far its Markdown headings move down."""


def load_file(kind: str, shown: str, stem: str, data: bytes, limits: Limits) -> Record | Failed:
    """The bytes of one content file → its record, or every problem in it (with what it still says)."""
    file_digest = content_digest(data)
    if "." in stem:
        from .translations import load_translation  # it reads translations with this module's specs

        return load_translation(kind, shown, stem, data, limits)
    if not f.SLUG.fullmatch(stem):
        message = f"file name '{stem}.md' is not a slug; rename it to '{f.slug_hint(stem)}.md'"
        return Failed((Diagnostic(shown, 1, message),), _DRAFT.search(data) is not None)
    spec = {"claim": CLAIM_FIELDS, "person": PERSON_FIELDS, "page": PAGE_FIELDS, "staff": STAFF_FIELDS}[kind]
    try:
        document = split(decode(data, limits.max_file_bytes), limits.max_depth, spec)
    except SyntaxProblem as problem:
        return Failed((Diagnostic(shown, problem.line, problem.message),), _DRAFT.search(data) is not None)
    reader = f.Reader(shown, document.front_line)
    what = "a staff member" if kind == "staff" else f"a {kind}"
    values = reader.mapping(document.front, spec, f"the front matter of {what}", whole_file=True)
    body, links, images = read_body(reader, document, kind)
    if kind == "claim":
        check_claim(reader, stem, values, document.body, document.body_line)
    elif kind == "page" and stem in RESERVED_SLUGS:
        reserved = ", ".join(sorted(RESERVED_SLUGS))
        reader.error(1, f"'{stem}' is a name the site itself uses; rename the page (reserved: {reserved})")
    if reader.diagnostics:
        refs = _refs(kind, values, reader.lines, links, body.anchors, images)
        return Failed(tuple(reader.diagnostics), values.get("draft") is True, refs)
    made = Made(file_digest, body.html, links, body.anchors, images)
    if kind == "claim":
        return _claim(reader, stem, values, made)
    if kind == "person":
        return _person(reader, stem, values, made)
    if kind == "staff":
        return _staff(reader, stem, values, made)
    return _page(reader, stem, values, made)


def read_body(
    reader: f.Reader, document: Document, kind: str, deeper: int = 0
) -> tuple[Markdown, tuple[SiteLink, ...], tuple[ImageRef, ...]]:
    """A file's Markdown body rendered for its page (``deeper`` folders below its kind's, as a
    translation's page under /<code>/ is), with its links within the site and its images; their
    problems (a link the site cannot resolve, an image without alt text) go to ``reader``."""
    depth, shift = _DEPTH[kind]
    images: list[ImageRef] = []
    env = {"images": images, "line": document.body_line} if kind == "claim" else None
    from .markdown import render, site_links  # markdown-it only when a file is read: a warm build reads few

    body = render(document.body, depth=depth + deeper, shift=shift, env=env)
    links, problems = site_links(body.links, body.refused, document.body_line)
    for line, message in [*problems, *missing_alt(images)]:
        reader.error(line, message)
    return body, links, tuple(images)


@dataclass(frozen=True, slots=True)
class Made:
    """What every record gets from its file besides its fields."""

    digest: str
    html: str
    links: tuple[SiteLink, ...]
    anchors: tuple[str, ...]
    images: tuple[ImageRef, ...] = ()
    """A claim's images of its analysis (``images.images_plugin``)."""


def _refs(
    kind: str,
    values: dict[str, Any],
    lines: dict[str, int],
    links: tuple[SiteLink, ...],
    anchors: tuple[str, ...],
    images: tuple[ImageRef, ...],
) -> Refs:
    """What a file that failed still says about other records, for resolve to check."""
    if kind != "claim":
        return Refs(Lines(lines), links=links, anchors=anchors)
    corrections = values.get("corrections", ())
    return Refs(
        Lines(lines),
        person=values.get("person"),
        people=values.get("people", ()),
        verdict=values.get("verdict"),
        related=values.get("related", ()),
        contradicts=values.get("contradicts", ()),
        authors=values.get("authors", ()),
        editors=values.get("editors", ()),
        repeats=values.get("repeats", ()),
        previous_verdicts=tuple(
            (entry["from"], lines[f"corrections.{index}"])
            for index, entry in enumerate(corrections)
            if entry is not None and "from" in entry
        ),
        links=links,
        anchors=anchors,
        images=(*_image(values, lines), *images),
    )


def _image(values: dict[str, Any], lines: dict[str, int]) -> tuple[ImageRef, ...]:
    """The claim as it appeared (``image:``), if its front matter gives it."""
    image = values.get("image")
    if not image or "src" not in image:
        return ()
    src, alt = image["src"], image.get("alt", "")  # without alt only in a file that failed: its file is checked
    return (ImageRef(src, alt, lines["image.src"], image.get("caption"), image.get("credit")),)


def _claim(reader: f.Reader, slug: str, values: dict[str, Any], made: Made) -> Claim:
    lines = reader.lines
    published = values["published"]
    changes = corrections(values.get("corrections", ()), lines)
    return Claim(
        slug=slug,
        title=values["title"],
        claim=values["claim"],
        person=values["person"],
        claimant=values.get("claimant"),
        people=values.get("people", ()),
        claim_date=values["claim_date"],
        published=published,
        updated=values.get("updated"),
        verdict=values["verdict"],
        summary=values["summary"],
        sources=sources(values["sources"]),
        related=values.get("related", ()),
        contradicts=values.get("contradicts", ()),
        repeats=values.get("repeats", ()),
        tags=values.get("tags", ()),
        corrections=changes,
        draft=values.get("draft", False),
        body_html=made.html,
        modified=max([published, values.get("updated", published), *(c.date for c in changes)]),
        path=reader.path,
        digest=made.digest,
        lines=Lines(lines),
        links=made.links,
        anchors=made.anchors,
        authors=values.get("authors", ()),
        editors=values.get("editors", ()),
        image=next(iter(_image(values, lines)), None),
        images=made.images,
        aliases=values.get("aliases", ()),
    )


def sources(entries: Iterable[dict[str, Any]]) -> tuple[Source, ...]:
    """The sources of a claim's front matter, as its record holds them."""
    return tuple(
        Source(
            title=s["title"],
            outlet=s["outlet"],
            outlet_slug=outlet_slug(s["outlet"]),
            date=s.get("date"),
            role=s.get("role", "evidence"),
            url=s.get("url"),
            archive_url=s.get("archive_url"),
        )
        for s in entries
    )


def corrections(entries: Iterable[dict[str, Any]], lines: Mapping[str, int]) -> tuple[Correction, ...]:
    """The corrections of a claim's front matter, newest first, as its record holds them."""
    found = [
        Correction(e["date"], e["type"], e["note"], e.get("from"), lines[f"corrections.{index}"])
        for index, e in enumerate(entries)
    ]
    return tuple(sorted(found, key=lambda c: c.date, reverse=True))


def _person(reader: f.Reader, slug: str, values: dict[str, Any], made: Made) -> Person:
    return Person(
        slug=slug,
        name=values["name"],
        role=values.get("role", ""),
        aliases=values.get("aliases", ()),
        same_as=values.get("same_as", ()),
        body_html=made.html,
        path=reader.path,
        digest=made.digest,
        lines=Lines(reader.lines),
        links=made.links,
        anchors=made.anchors,
        former_slugs=values.get("former_slugs", ()),
    )


def _staff(reader: f.Reader, slug: str, values: dict[str, Any], made: Made) -> Staff:
    return Staff(
        slug=slug,
        name=values["name"],
        role=values.get("role", ""),
        same_as=values.get("same_as", ()),
        body_html=made.html,
        path=reader.path,
        digest=made.digest,
        lines=Lines(reader.lines),
        links=made.links,
        anchors=made.anchors,
    )


def _page(reader: f.Reader, slug: str, values: dict[str, Any], made: Made) -> Page:
    return Page(
        slug=slug,
        title=values["title"],
        description=values.get("description", ""),
        updated=values.get("updated"),
        body_html=made.html,
        path=reader.path,
        digest=made.digest,
        lines=Lines(reader.lines),
        links=made.links,
        anchors=made.anchors,
    )
