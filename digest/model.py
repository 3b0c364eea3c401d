"""The site model: frozen records for everything the content declares, and the resolved Site.

Entities refer to each other by slug. ``Site`` (built once, by ``resolve.resolve_site``) holds the
indexes in both directions, the tallies and the sort orders, so templates only display them.
This module imports nothing of the theme.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from itertools import repeat
from operator import attrgetter
from typing import TypeVar, dataclass_transform

_T = TypeVar("_T")


class Lines(Mapping[str, int]):
    """Where each field was written: ``{"verdict": 12, "related.0": 20, "sources.1.url": 31}``.

    Kept packed in one string until a diagnostic asks: the build cache loads every record on every
    build, and thirty small objects per record were a quarter of that time.
    """

    __slots__ = ("_lines", "_packed")

    def __init__(self, lines: Mapping[str, int] | None = None, packed: str | None = None) -> None:
        self._lines: dict[str, int] | None = None
        self._packed: str | None = packed or ""
        if lines is not None:
            self._lines, self._packed = dict(lines), None

    def _unpacked(self) -> dict[str, int]:
        if self._lines is None:
            parts = self._packed.split("\0") if self._packed else []
            self._lines = {parts[i]: int(parts[i + 1]) for i in range(0, len(parts), 2)}
        return self._lines

    def __getitem__(self, key: str) -> int:
        return self._unpacked()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._unpacked())

    def __len__(self) -> int:
        return len(self._unpacked())

    def __reduce__(self) -> tuple[Callable[..., Lines], tuple[None, str]]:
        if self._packed is None:  # field paths never hold a NUL: a key with one is unknown, so an error
            self._packed = "\0".join(f"{key}\0{line}" for key, line in self._unpacked().items())
        return Lines, (None, self._packed)

    def __repr__(self) -> str:
        return f"Lines({self._unpacked()!r})"


CORRECTION_TYPES = ("correction", "update", "clarification", "rating-change")
SOURCE_ROLES = ("evidence", "appearance")


def fast_pickle(cls: type[_T]) -> type[_T]:
    """Pickle a frozen, slotted dataclass fast: the build cache loads tens of thousands of records
    per build, and the dataclass default looks up ``fields()`` for every one of them."""
    names = tuple(item.name for item in fields(cls))  # type: ignore[arg-type]
    values = attrgetter(*names) if len(names) > 1 else (lambda self: (getattr(self, names[0]),))
    assign = object.__setattr__

    def __getstate__(self: object) -> tuple[object, ...]:
        return values(self)

    def __setstate__(self: object, state: tuple[object, ...]) -> None:
        if len(state) != len(names):
            raise ValueError(f"{cls.__name__}: {len(state)} values for {len(names)} fields")
        deque(map(assign, repeat(self, len(names)), names, state), 0)  # the loop in C: 15% of a warm load

    cls.__getstate__, cls.__setstate__ = __getstate__, __setstate__  # type: ignore[method-assign,attr-defined]
    return cls


@dataclass_transform(frozen_default=True)
def record(cls: type[_T]) -> type[_T]:
    """A record of the model: a frozen, slotted dataclass that pickles fast."""
    return fast_pickle(dataclass(frozen=True, slots=True)(cls))


@record
class Verdict:
    """One step of the rating scale."""

    key: str
    """Its slug, used in front matter (``verdict: mostly-false``) and in URLs."""
    label: str
    """What readers see: "Mostly false"."""
    rating: int | None
    """Its schema.org ratingValue; None for a verdict outside the scale, such as "Unverified"."""
    description: str
    """What the verdict means, shown on the scale page."""
    tone: str
    """A colour class from the rating: ``r5`` (best) to ``r1`` (worst), ``none`` when unrated."""
    translations: tuple[tuple[str, str, str], ...] = ()
    """(language, label, description) for each language site.yaml words it in besides the site's
    (``label: {en: False, uk: Неправда}``); ``in_language`` picks one."""

    def in_language(self, language: str) -> Verdict:
        """The verdict worded in a language: its label and description there, where site.yaml
        gives them (each falls back to the site language's)."""
        for tag, label, description in self.translations:
            if tag == language:
                return replace(self, label=label or self.label, description=description or self.description)
        return self


@record
class Publisher:
    """The organisation that publishes the checks (schema.org author of each ClaimReview)."""

    name: str
    url: str | None


@record
class Limits:
    """Bounds on content, so that no file can exhaust time or memory (``limits:`` in site.yaml)."""

    max_file_bytes: int = 5_000_000
    """A content file larger than this is an error."""
    max_files: int = 200_000
    """More content files than this is an error."""
    max_depth: int = 20
    """YAML nested deeper than this is an error."""


PAGE_SIZE = 50
"""Entries on a page of a list when site.yaml gives no ``page_size``: at 10,000 claims a page stays
well under 150 KB."""


@record
class SiteConfig:
    """site.yaml, checked."""

    title: str
    description: str
    base_url: str
    """Absolute, ending in ``/``; used only where an absolute URL is required."""
    language: str
    publisher: Publisher
    verdicts: tuple[Verdict, ...]
    """The scale, best first."""
    limits: Limits
    path: str = ""
    """Display path of site.yaml, for diagnostics."""
    digest: str = ""
    """A hash of site.yaml and the options that change it: its version, for incremental rebuilds."""
    corrections_email: str | None = None
    """Where readers report an error in a check: each check links to it, its title and URL filled in."""
    languages: tuple[str, ...] = ()
    """``languages:`` in site.yaml: the first is served at the root, each other one under /<code>/;
    () for a site in one language (``language``). In a translation's Site, ``language`` is its code."""
    page_size: int = PAGE_SIZE
    """How many entries a page of a list shows (``page_size:``); longer lists go on to ``page/2/``..."""
    social_cards: bool = True
    """Whether each claim gets its own card (``social_cards:``); without, its page shares the site's."""
    translations: tuple[tuple[str, str, str], ...] = ()
    """(language, title, description) for each language site.yaml words them in besides the site's
    (``title: {en: Digest, uk: Дайджест}``); ``in_language`` picks one."""

    def in_language(self, language: str) -> SiteConfig:
        """site.yaml as a language's Site reads it: that language, and the title and description
        worded in it where site.yaml gives them (each falls back to the site language's)."""
        for tag, title, description in self.translations:
            if tag == language:
                return replace(
                    self, language=language, title=title or self.title, description=description or self.description
                )
        return replace(self, language=language)


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
class Person:
    """Someone whose claims the digest checks (people/<slug>.md)."""

    slug: str
    name: str
    role: str
    aliases: tuple[str, ...]
    """Other names the person goes by (``Putin``): shown and searched, never addresses."""
    same_as: tuple[str, ...]
    """URLs that identify the person elsewhere (Wikidata...), for schema.org sameAs."""
    body_html: str
    """The biography, rendered."""
    path: str
    """Display path of the source file, for diagnostics."""
    digest: str = ""
    """A hash of the source file's bytes: the record's version, for incremental rebuilds."""
    lines: Lines = field(default_factory=Lines, compare=False)
    links: tuple[tuple[int, str, bool], ...] = ()
    """Links and images of its Markdown within the site: (file line, target as written, image?)."""
    anchors: tuple[str, ...] = ()
    """The ids of the headings of its Markdown."""
    former_slugs: tuple[str, ...] = ()
    """Slugs the person had before (``former_slugs:``): each old address redirects to the page."""
    translation: str = ""
    """The language code of a translation (``<slug>.<code>.md`` merged into its original); "" for the
    original, in the site's first language."""


@dataclass(frozen=True, slots=True)
class Redirect:
    """Where an old address leads: a claim's (``aliases``) or a person's (``former_slugs``) page."""

    kind: str
    """``claim`` or ``person``."""
    slug: str


@record
class Staff:
    """Someone who writes or edits the checks (staff/<slug>.md): named on the checks they sign."""

    slug: str
    name: str
    role: str
    """What they do at the desk: "Fact-checker", "Editor"."""
    same_as: tuple[str, ...]
    """URLs that identify them elsewhere (a profile, Wikidata...), for schema.org sameAs."""
    body_html: str
    """The short biography, rendered."""
    path: str
    """Display path of the source file, for diagnostics."""
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
class Claim:
    """One checked claim (claims/**/<slug>.md)."""

    slug: str
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
    body_html: str
    """The analysis, rendered."""
    modified: date
    """The last date the check changed: published, updated or the latest correction."""
    path: str
    digest: str = ""
    """A hash of the source file's bytes: the record's version, for incremental rebuilds."""
    lines: Lines = field(default_factory=Lines, compare=False)
    links: tuple[tuple[int, str, bool], ...] = ()
    """Links and images of its Markdown within the site: (file line, target as written, image?)."""
    anchors: tuple[str, ...] = ()
    """The ids of the headings of its Markdown."""
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
    translation: str = ""
    """The language code of a translation (``<slug>.<code>.md`` merged into its original); "" for the
    original, in the site's first language."""

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
class Page:
    """A free page: about, methodology, corrections policy (pages/<slug>.md)."""

    slug: str
    title: str
    description: str
    updated: date | None
    """When the page last changed, for the sitemap."""
    body_html: str
    path: str
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
class Translation:
    """A translation file (``<slug>.<code>.md``) as read, before ``translations.py`` merges it into its original."""

    kind: str
    """claim, person, page or staff."""
    slug: str
    """The slug of its original."""
    language: str
    """The code in its file name."""
    texts: tuple[tuple[str, str], ...]
    """(field, translated text) of each text field it sets: ``title``, ``image.alt``..."""
    facts: tuple[tuple[str, int, object], ...]
    """(field, line, value) of each fact it repeats, read as its original's record holds it: the merge
    checks each against the original."""
    body_html: str
    path: str
    digest: str = ""
    lines: Lines = field(default_factory=Lines, compare=False)
    links: tuple[tuple[int, str, bool], ...] = ()
    anchors: tuple[str, ...] = ()
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


@record
class Tag:
    """A topic, with the claims that carry it (newest first)."""

    slug: str
    claims: tuple[str, ...]


@record
class Outlet:
    """A news outlet cited as a source, with the claims that cite it (newest first)."""

    slug: str
    name: str
    claims: tuple[str, ...]


@record
class Tally:
    """How many claims of one person (or of the whole site) got each verdict, in scale order."""

    counts: tuple[tuple[Verdict, int], ...]
    total: int


@record
class Month:
    """One month of the timeline: its first day and its claims by claim date, newest first."""

    start: date
    claims: tuple[str, ...]

    @property
    def anchor(self) -> str:
        """The id of the month's heading on the timeline: ``month-2024-11``."""
        return f"month-{self.start.isoformat()[:7]}"


@record
class CorrectionEntry:
    """A correction with the claim it belongs to, for the site-wide corrections page and feed."""

    claim: str
    correction: Correction
    anchor: str
    """The correction's element id on the claim page."""


def latest_change(claims: Iterable[Claim]) -> date | None:
    """The latest date any of the claims changed: Site.modified."""
    return max((c.modified for c in claims), default=None)


@record
class Site:
    """Everything a build publishes, every cross-reference resolved. Built by resolve_site."""

    config: SiteConfig
    claims: Mapping[str, Claim]
    """Published claims, newest first (published date, then claim date, then slug)."""
    people: Mapping[str, Person]
    """By name."""
    pages: Mapping[str, Page]
    """By title."""
    verdicts: Mapping[str, Verdict]
    """In scale order, best first."""
    tags: Mapping[str, Tag]
    outlets: Mapping[str, Outlet]
    claims_by_person: Mapping[str, tuple[str, ...]]
    """Each person's own claims (those whose ``person``, the speaker, is them), newest first: their record."""
    claims_mentioning: Mapping[str, tuple[str, ...]]
    """Claims by others that name each person in ``people``, newest first: never in their record."""
    claims_by_verdict: Mapping[str, tuple[str, ...]]
    related: Mapping[str, tuple[str, ...]]
    """Related claims in both directions, newest first."""
    contradicts: Mapping[str, tuple[str, ...]]
    """Claims this claim's file says it contradicts."""
    contradicted_by: Mapping[str, tuple[str, ...]]
    """Claims whose files say they contradict this one."""
    repeats: Mapping[str, tuple[str, ...]]
    """Earlier checks of the same claim that this claim's file lists in ``repeats``, oldest first."""
    repeated_by: Mapping[str, tuple[str, ...]]
    """Later checks whose files say they repeat this one, oldest first."""
    repeat_chains: Mapping[str, tuple[str, ...]]
    """For a claim linked by ``repeats`` either way: every check of the same claim (the links followed
    to their ends), by claim date, oldest first, itself included. Absent for a claim made only once."""
    repeat_counts: Mapping[str, int]
    """Each person's: how many later checks repeat a claim of theirs (each later check counted once per
    chain, whoever made it)."""
    tallies: Mapping[str, Tally]
    """Each person's scorecard: the verdicts of their own claims (``claims_by_person``) only."""
    tally: Tally
    """The whole site's verdict tally."""
    timeline: tuple[Month, ...]
    """Claims by claim date, grouped by month, newest month first."""
    corrections: tuple[CorrectionEntry, ...]
    """Every correction of every claim, newest first."""
    drafts: frozenset[str] = frozenset()
    """Slugs of claims published only because drafts were asked for (shown with a banner)."""
    modified: date | None = None
    """The latest change to any published claim: the date of the site's feed and of the pages that
    show the whole site (see ``latest_change``)."""
    staff: Mapping[str, Staff] = field(default_factory=dict)
    """The people who write and edit the checks, by name."""
    claims_by_author: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The claims each staff member wrote, newest first."""
    claims_by_editor: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The claims each staff member edited, newest first."""
    redirects: Mapping[str, Redirect] = field(default_factory=dict)
    """Old addresses (``claims/old-slug/``) of published claims and of people, and where each leads."""
    translation: str = ""
    """The code of the language this Site is in when it is not the first of ``languages:`` (its pages
    are under /<code>/); "" for the first. Its claims, people, pages and staff are the translations
    where they exist, else the originals (see ``translations.py``)."""
    translations: Mapping[str, Site] = field(default_factory=dict)
    """The first language's Site only: the Site in each other language of ``languages:``, by code."""
    translated: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The codes of the languages a claim, person, page or member of the staff exists in (the first
    included), by its dependency id (``claim:<slug>``): only those with a translation."""

    def language_of(self, record: Claim | Person | Page | Staff) -> str:
        """The code of the language a record is in."""
        return record.translation or self.first_language

    @property
    def first_language(self) -> str:
        """The site's first language: the one served at the root."""
        return self.config.languages[0] if self.config.languages else self.config.language

    @property
    def language(self) -> str:
        """The code of the language of this Site's pages."""
        return self.config.language

    @property
    def contact_page(self) -> Page | None:
        """The free page that tells readers how to reach the desk: the first whose slug or title says contact."""
        return next((p for p in self.pages.values() if "contact" in p.slug or "contact" in p.title.lower()), None)

    def speaker(self, claim: Claim) -> str:
        """Who made the claim, as every list names them: its ``claimant`` if given, else its person's name."""
        return claim.claimant or self.people[claim.person].name

    @property
    def best_rating(self) -> int | None:
        """The highest rating on the scale (schema.org bestRating)."""
        ratings = [v.rating for v in self.verdicts.values() if v.rating is not None]
        return max(ratings) if ratings else None

    @property
    def worst_rating(self) -> int | None:
        """The lowest rating on the scale (schema.org worstRating)."""
        ratings = [v.rating for v in self.verdicts.values() if v.rating is not None]
        return min(ratings) if ratings else None
