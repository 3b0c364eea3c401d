"""One content file's bytes → its record, or every problem in it (``Failed``, with what it still
says about other records): ``load_file`` is a pure function of the bytes, so files can be read in
parallel and their records kept. The front matter is read by the specs of ``specs``, the body
by ``read_body``; the record is made of both.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from . import fields as f
from . import urls
from .errors import Diagnostic
from .frontmatter import Document, SyntaxProblem, decode, split
from .images import missing_alt
from .model import Claim, Correction, ImageRef, Page, Person, Refs, Source, Staff, Translation
from .records import Lines
from .rules import check_claim, outlet_slug
from .settings import Limits
from .specs import FIELDS, RESERVED_SLUGS

if TYPE_CHECKING:
    from .markdown import Markdown, SiteLink


Record = Claim | Person | Page | Staff | Translation


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


def content_digest(data: bytes) -> str:
    """The version of a file's bytes."""
    return hashlib.blake2b(data, digest_size=12).hexdigest()


_DRAFT = re.compile(rb"^draft:[ \t]*(?:true|True|TRUE|yes|Yes|on|On)[ \t]*(?:#.*)?\r?$", re.MULTILINE)
"""``draft: true``, found in the bytes of a file whose front matter cannot be read."""
_SHIFT = {"claim": 1}
"""How far each kind's Markdown headings move down on its page (a claim page's own headings come first)."""


def load_file(kind: str, shown: str, stem: str, data: bytes, limits: Limits) -> Record | Failed:
    """The bytes of one content file → its record, or every problem in it (with what it still says)."""
    file_digest = content_digest(data)
    if "." in stem:
        from .translations import load_translation  # it reads translations with the specs of ``specs``

        return load_translation(kind, shown, stem, data, limits)
    if not f.SLUG.fullmatch(stem):
        message = f"file name '{stem}.md' is not a slug; rename it to '{f.slug_hint(stem)}.md'"
        return Failed((Diagnostic(shown, 1, message),), _DRAFT.search(data) is not None)
    spec = FIELDS[kind]
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
    read = ReadFrom(
        slug=stem,
        body_html=body.html,
        path=reader.path,
        digest=file_digest,
        lines=Lines(reader.lines),
        links=links,
        anchors=body.anchors,
    )
    if kind == "claim":
        return _claim(values, read, reader.lines, images)
    if kind == "person":
        return _person(values, read)
    if kind == "staff":
        return _staff(values, read)
    return _page(values, read)


def read_body(
    reader: f.Reader, document: Document, kind: str, deeper: int = 0
) -> tuple[Markdown, tuple[SiteLink, ...], tuple[ImageRef, ...]]:
    """A file's Markdown body rendered for its page (``deeper`` folders below its kind's, as a
    translation's page under /<code>/ is), with its links within the site and its images; their
    problems (a link the site cannot resolve, an image without alt text) go to ``reader``."""
    depth = urls.depth_of(urls.record_url(kind, "slug"))  # the folder depth of the kind's pages
    images: list[ImageRef] = []
    env = {"images": images, "line": document.body_line} if kind == "claim" else None
    from .markdown import render, site_links  # markdown-it only when a file is read: a warm build reads few

    body = render(document.body, depth=depth + deeper, shift=_SHIFT.get(kind, 0), env=env)
    links, problems = site_links(body.links, body.refused, document.body_line)
    for line, message in [*problems, *missing_alt(images)]:
        reader.error(line, message)
    return body, links, tuple(images)


class ReadFrom(TypedDict):
    """The fields of ``model.ContentRecord``: what every record gets from its file besides its front
    matter."""

    slug: str
    body_html: str
    path: str
    digest: str
    lines: Lines
    links: tuple[SiteLink, ...]
    anchors: tuple[str, ...]


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


def _claim(values: dict[str, Any], read: ReadFrom, lines: dict[str, int], images: tuple[ImageRef, ...]) -> Claim:
    published = values["published"]
    changes = corrections(values.get("corrections", ()), lines)
    return Claim(
        **read,
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
        modified=max([published, values.get("updated", published), *(c.date for c in changes)]),
        authors=values.get("authors", ()),
        editors=values.get("editors", ()),
        image=next(iter(_image(values, lines)), None),
        images=images,
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


def _person(values: dict[str, Any], read: ReadFrom) -> Person:
    return Person(
        **read,
        name=values["name"],
        role=values.get("role", ""),
        aliases=values.get("aliases", ()),
        same_as=values.get("same_as", ()),
        former_slugs=values.get("former_slugs", ()),
    )


def _staff(values: dict[str, Any], read: ReadFrom) -> Staff:
    return Staff(
        **read,
        name=values["name"],
        role=values.get("role", ""),
        same_as=values.get("same_as", ()),
    )


def _page(values: dict[str, Any], read: ReadFrom) -> Page:
    return Page(
        **read,
        title=values["title"],
        description=values.get("description", ""),
        updated=values.get("updated"),
    )
