"""The content's records: a claim, a person, a member of the staff or a free page as its file
declares it (links to others still by slug), and what a file that could not be read still says
about others (``Refs``).

Entities refer to each other by slug; ``site.Site`` (built once, by ``resolve.resolve_site``) holds
the indexes in both directions. How records are declared is in ``records``, site.yaml's in
``settings``. This module imports nothing of the theme.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from datetime import date

from .records import Lines, record

CORRECTION_TYPES = ("correction", "update", "clarification", "rating-change")
SOURCE_ROLES = ("evidence", "appearance")


@record
class ContentRecord:
    """What every record of a content file has, whatever its kind: its slug, its Markdown body, where
    it was read from and its version (given by keyword, after the fields of its kind)."""

    _: KW_ONLY
    slug: str
    """Its file's name without ``.md`` (a translation's: its original's): its address and how other
    files name it."""
    body_html: str
    """Its Markdown body, rendered."""
    path: str
    """Shown path of the source file, for diagnostics."""
    digest: str = ""
    """A hash of the source file's bytes: the record's version, for incremental rebuilds."""
    lines: Lines = field(default_factory=Lines, compare=False)
    links: tuple[tuple[int, str, bool], ...] = ()
    """Links and images of its Markdown within the site: (file line, target as written, image?)."""
    anchors: tuple[str, ...] = ()
    """The ids of the headings of its Markdown."""
    translation: str = ""
    """The language code of a translation (``<slug>.<code>.md`` merged into its original); "" for the
    original, in the site's first language."""


@record
class Source:
    """Where a claim appeared, or evidence about it."""

    title: str
    outlet: str
    outlet_slug: str
    """Derived from the outlet's name: the slug of its page under /outlets/."""
    date: date | None
    role: str
    """``appearance`` (where the claim was made) or ``evidence``."""
    url: str | None
    archive_url: str | None


@record
class Correction:
    """A dated change to a published check."""

    date: date
    kind: str
    """One of CORRECTION_TYPES (``type:`` in front matter)."""
    note: str
    previous_verdict: str | None = None
    """For a rating change: the verdict key before it (``from:`` in front matter)."""
    line: int = field(default=1, compare=False)
    """Where it is written in the claim's file, for diagnostics."""


@record
class Person(ContentRecord):
    """Someone whose claims the digest checks (people/<slug>.md); its body is the biography."""

    name: str
    role: str
    aliases: tuple[str, ...]
    """Other names the person goes by (``Putin``): shown and searched, never addresses."""
    same_as: tuple[str, ...]
    """URLs that identify the person elsewhere (Wikidata...), for schema.org sameAs."""
    former_slugs: tuple[str, ...] = ()
    """Slugs the person had before (``former_slugs:``): each old address redirects to the page."""


@dataclass(frozen=True, slots=True)
class Redirect:
    """Where an old address leads: a claim's (``aliases``) or a person's (``former_slugs``) page."""

    kind: str
    """``claim`` or ``person``."""
    slug: str


@record
class Staff(ContentRecord):
    """Someone who writes or edits the checks (staff/<slug>.md): named on the checks they sign; its
    body is their short biography."""

    name: str
    role: str
    """What they do at the desk: "Fact-checker", "Editor"."""
    same_as: tuple[str, ...]
    """URLs that identify them elsewhere (a profile, Wikidata...), for schema.org sameAs."""


@record
class ImageRef:
    """An image a claim shows, as written: ``image:`` in its front matter or ``![alt](src)`` in its analysis."""

    src: str
    """A path from the claim's file (``screenshot.png``), or from content/static/ when it starts with ``/``."""
    alt: str
    line: int
    caption: str | None = None
    credit: str | None = None


@record
class Picture:
    """An image checked and measured (by ``images.attach_images``): what a page needs to show it."""

    ref: ImageRef
    path: str
    """Site path of the copy shown: ``claims/<slug>/<file name>``."""
    width: int
    height: int
    type: str
    """Its MIME type: image/png, image/jpeg, image/gif or image/webp."""
    variants: tuple[tuple[str, int, int], ...]
    """Narrower copies for ``srcset``: (site path, width, height), narrowest first."""
    source: str
    """The file on disk."""
    digest: str
    """A hash of the file's bytes."""


@record
class Claim(ContentRecord):
    """One checked claim (claims/**/<slug>.md); its body is the analysis."""

    title: str
    """The headline of the check."""
    claim: str
    """The claim as made (schema.org claimReviewed)."""
    person: str
    """Slug of the person whose page the claim belongs to."""
    claimant: str | None
    """Who made the claim, when not the person."""
    people: tuple[str, ...]
    """Slugs of the others involved."""
    claim_date: date
    published: date
    updated: date | None
    verdict: str
    """Key on the scale."""
    summary: str
    sources: tuple[Source, ...]
    related: tuple[str, ...]
    """Claim slugs as written in this file; see Site.related for both directions."""
    contradicts: tuple[str, ...]
    repeats: tuple[str, ...]
    """Earlier checks of the same claim (by the same or another speaker), as written in this file; see
    Site.repeats, Site.repeated_by and Site.repeat_chains."""
    tags: tuple[str, ...]
    corrections: tuple[Correction, ...]
    """Newest first."""
    draft: bool
    modified: date
    """The last date the check changed: published, updated or the latest correction."""
    authors: tuple[str, ...] = ()
    """Slugs of the staff who wrote the check (its byline)."""
    editors: tuple[str, ...] = ()
    """Slugs of the staff who edited it."""
    image: ImageRef | None = None
    """The claim as it appeared (front matter ``image:``)."""
    images: tuple[ImageRef, ...] = ()
    """The images of the analysis, in order; its HTML marks each with ``data-digest-image="<index>"``."""
    picture: Picture | None = None
    """``image`` checked and measured, once ``images.attach_images`` has run."""
    pictures: tuple[Picture, ...] = ()
    """``images`` checked and measured, likewise."""
    aliases: tuple[str, ...] = ()
    """Slugs the claim had before (``aliases:``): each old address redirects to the check."""

    @property
    def rating_changes(self) -> tuple[Correction, ...]:
        """Rating changes, oldest first."""
        return tuple(sorted((c for c in self.corrections if c.kind == "rating-change"), key=lambda c: c.date))

    @property
    def correction_ids(self) -> tuple[str, ...]:
        """Element ids of the corrections on the claim page, in the order of ``corrections``."""
        seen: dict[str, int] = {}
        ids = []
        for correction in self.corrections:
            base = f"correction-{correction.date.isoformat()}"
            seen[base] = seen.get(base, 0) + 1
            ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
        return tuple(ids)

    @property
    def is_corrected(self) -> bool:
        """True when a correction or a rating change was made after publication."""
        return any(c.kind in ("correction", "rating-change") for c in self.corrections)


@record
class Page(ContentRecord):
    """A free page: about, methodology, corrections policy (pages/<slug>.md)."""

    title: str
    description: str
    updated: date | None
    """When the page last changed, for the sitemap."""


@record
class Translation(ContentRecord):
    """A translation file (``<slug>.<code>.md``) as read, before ``translations.py`` merges it into its
    original: its ``slug`` is its original's, its ``translation`` the code in its file name."""

    kind: str
    """claim, person, page or staff."""
    texts: tuple[tuple[str, str], ...]
    """(field, translated text) of each text field it sets: ``title``, ``image.alt``..."""
    facts: tuple[tuple[str, int, object], ...]
    """(field, line, value) of each fact it repeats, read as its original's record holds it: the merge
    checks each against the original."""
    images: tuple[ImageRef, ...] = ()
    """The images of its analysis: some of its original's (by ``src``), with alt text of its own."""


@record
class Refs:
    """What a file that could not be read into a record still says about others: resolve checks it
    too, so that one run reports every problem of the file."""

    lines: Lines
    person: str | None = None
    people: tuple[str | None, ...] = ()
    verdict: str | None = None
    related: tuple[str | None, ...] = ()
    contradicts: tuple[str | None, ...] = ()
    authors: tuple[str | None, ...] = ()
    editors: tuple[str | None, ...] = ()
    repeats: tuple[str | None, ...] = ()
    previous_verdicts: tuple[tuple[str, int], ...] = ()
    """The ``from`` of each rating change, with its line."""
    links: tuple[tuple[int, str, bool], ...] = ()
    anchors: tuple[str, ...] = ()
    images: tuple[ImageRef, ...] = ()
    """A claim's images (``image:`` and those of its analysis): their files are checked too."""


def claim_refs(claim: Claim) -> Refs:
    """What a claim says about other records."""
    return Refs(
        lines=claim.lines,
        person=claim.person,
        people=claim.people,
        verdict=claim.verdict,
        related=claim.related,
        contradicts=claim.contradicts,
        authors=claim.authors,
        editors=claim.editors,
        repeats=claim.repeats,
        previous_verdicts=tuple((c.previous_verdict, c.line) for c in claim.corrections if c.previous_verdict),
        links=claim.links,
        anchors=claim.anchors,
    )
