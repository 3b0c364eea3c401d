"""The theme: Jinja renders the page plan to bytes; the generator adds feeds, sitemap and data.

``renderer.render_data(renderer.render_pages(site, previous), previous)`` returns the complete site
as ``{path: bytes}`` (``Rendered``), the pages first, then the generator's own files (what the
preview does: it writes the pages first); ``render_pages(site, previous, with_data=True)`` returns
it too, the generator's files made in this process while worker processes render pages. Each
output has a fingerprint made of the versions of the records it shows, the templates it uses and
the generator: an output whose fingerprint is unchanged since ``previous`` is reused instead of
rendered again, so a rebuild costs what changed. Jinja runs with autoescape and StrictUndefined:
content is escaped everywhere and a template typo fails the build. Every link goes through the
``url`` filter, relative to the page being rendered.

The jobs around it have modules of their own: ``versions`` (the versions of the templates and
records that fingerprints are made of), ``rendered`` (``Rendered``, what a render made, and the
``Sink``), ``datafiles`` (the feeds, sitemap, site card and JSON exports), ``items`` (the list
items, rendered once per claim), ``export_lines`` (the claims' lines of the JSON exports),
``workers`` (forked worker processes).
The renderer gets the sink it writes to and returns what it made (``Rendered``); the build cache
reaches it only through the ``ItemStore`` protocol.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from . import __version__, cards, images
from .datafiles import data_files
from .errors import ThemeError
from .export_lines import ExportLines
from .items import Items, ItemStore, ListItems
from .messages import Messages
from .model import Claim
from .output import KEPT
from .pages import (
    ALL,
    KINDS,
    MODIFIED,
    SITE,
    Planned,
    Showing,
    list_id,
    page_context,
    page_dependencies,
    page_lastmod,
    pages_showing,
    pages_with,
    plan_pages,
    same_plan,
    showing,
    site_in,
)
from .progress import Progress, counted
from .rendered import Outputs, Rendered, Sink
from .site import Site
from .static import StaticFile, check_collisions
from .theme import Theme, describe, load_templates
from .urls import MARKER, card_for, file_for
from .versions import bare_key, digest_of, language_key, list_versions, site_versions, template_versions

_UNKNOWN: Any = object()
_PARALLEL_FROM = 400
"""Render in worker processes when at least this many pages must be rendered."""
STAGE = "rendering pages"
"""The stage ``render`` reports to its progress callback."""


@dataclass(frozen=True, slots=True)
class Card:
    """A claim's social card to make: rendered with the pages (in the worker processes, for a whole
    site), since writing ten thousand small files is a cost worth sharing between cores."""

    claim: Claim
    language: str = ""
    """The code of the claim's language when it is not the site's first: its card is in it."""

    @property
    def path(self) -> str:
        return card_for(self.claim)


Job = Planned | Card
"""Something to render: a page or a claim's social card."""


class Renderer:
    """Renders sites with one theme, reusing every output whose inputs did not change."""

    def __init__(
        self,
        theme: Theme,
        search: bool = False,
        store: ItemStore | None = None,
        compiled: Path | None = None,
        kept_images: Path | None = None,
    ) -> None:
        self.theme = theme
        self.search = search
        """Whether the site gets a Pagefind index: the search page and box say so."""
        self.compiled = compiled
        """Where the templates' bytecode is kept across builds, if anywhere."""
        self._environments: dict[str, jinja2.Environment] = {}
        self._messages: dict[str, Messages] = {}
        self.assets = theme.static_files()
        self.fonts = cards.CardFonts.of_theme(theme.root)
        """The social cards' fonts: the theme's, else the default theme's."""
        self.kept_images = kept_images
        """Where copies of the checks' images made by earlier builds are kept, if anywhere."""
        self.templates, self.used = template_versions(theme, compiled)
        """Each template's version, and the messages the templates use."""
        self.items = ListItems(self.templates, store)
        """The list items, rendered once per claim and link depth."""
        self.export_lines = ExportLines()
        """The claims' lines of claims.json and claimreview.json, made once per claim version."""

    def messages(self, language: str) -> Messages:
        """The theme's catalog of a language, read and checked complete once (ThemeError if it
        lacks a message): the words of the generator's own output (feeds) in that language."""
        messages = self._messages.get(language)
        if messages is None:
            messages = self._messages[language] = self.theme.messages(language, self.used)
        return messages

    def environment(self, language: str) -> jinja2.Environment:
        """The Jinja environment that renders the theme in a language (``site.config.language``, or
        one of ``languages:``), made once; ThemeError if the language's catalog lacks a message."""
        env = self._environments.get(language)
        if env is None:
            env = self.theme.environment(language, self.compiled, self.used)
            env.globals["search"] = self.search
            self._environments[language] = env
        return env

    def render_pages(
        self,
        site: Site,
        previous: Rendered | None = None,
        jobs: int | None = None,
        sink: Sink | None = None,
        static: Mapping[str, StaticFile] | None = None,
        progress: Progress | None = None,
        with_data: bool = False,
    ) -> Rendered:
        """The pages, the claims' social cards, the theme's and the site's own ``static`` files
        (content/static/, as they are); ``render_data`` returns them with the rest (the preview writes
        these first), and so does this ``with_data``, making the generator's files in this process
        while worker processes render pages (else they would be made alone, after the pages). Outputs
        unchanged since ``previous`` are taken from it. An own file at a path the site makes is a
        ContentError, raised before anything is rendered.

        With a ``sink`` (a SiteWriter's ``write``), each output goes to it as soon as it is made,
        from the worker processes too, and the result keeps KEPT in its place: the site is never
        held in memory whole.
        """
        self.environment(site.config.language)  # made once here, not in each worker process
        versions = site_versions(site, self.search, self.messages)
        plan = plan_pages(site)
        versions |= self._list_versions(site, plan, previous)
        if static:
            check_collisions(static, self._generated(site, plan, versions))
        affected, touched, known_showing = self._affected(site, versions, previous)
        items = self.items.prepare(
            {code: versions[language_key(code, SITE)] for code in ("", *site.translations)}, touched
        )
        out = Outputs(previous, sink)
        for path, data in self.assets.items():
            out.keep_or(path, hashlib.blake2b(data, digest_size=12).hexdigest(), data)
        for path, own in (static or {}).items():
            out.keep_or(path, hashlib.blake2b(own.data, digest_size=12).hexdigest(), own.data)
        for path, fingerprint, make in images.outputs(_translated_claims(site), self.kept_images):
            out.keep_or(path, fingerprint, make)
        lastmods: dict[str, date | None] = {}
        todo: list[Job] = []
        for planned in plan:
            described = KINDS[planned.kind]
            path = file_for(planned.path)
            unaffected = affected is not None and path not in affected and previous is not None
            if unaffected and path in previous.fingerprints:  # type: ignore[union-attr]
                out.fingerprints[path] = previous.fingerprints[path]  # type: ignore[union-attr]
                out.store(path, previous.files[path])  # type: ignore[union-attr]
                # a page that lists claims changes its date only when one of them changes; the others
                # (free pages, search) follow the whole site's date: ask again
                if described.sitemap:
                    known = previous.lastmods.get(planned.path, _UNKNOWN) if described.dated_by_claims else _UNKNOWN  # type: ignore[union-attr]
                    lastmods[planned.path] = page_lastmod(site, planned) if known is _UNKNOWN else known
                continue
            if described.sitemap:
                lastmods[planned.path] = page_lastmod(site, planned)
            fingerprint = self._fingerprint(
                versions, described.template, page_dependencies(site, planned), planned.language
            )
            out.fingerprints[path] = fingerprint
            if not out.reuse(path, fingerprint):
                todo.append(planned)
        todo.extend(self._cards(site, versions, out, touched))
        made: set[str] = set()

        def make_data() -> None:
            if with_data:
                made.update(self._data(site, versions, touched, lastmods, out))

        for path, output in self._render_pages(site, items, todo, jobs, out.fingerprints, sink, progress, make_data):
            if isinstance(output, bool):  # already handed to the sink (by a worker or the parent)
                out.files[path] = KEPT
                out.written += output
            else:
                out.store(path, output)
        return Rendered(
            out.files,
            out.fingerprints,
            site=site,
            versions=versions,
            templates=self.templates,
            written=out.written,
            touched=touched,
            lastmods=lastmods,
            showing=known_showing,
            data=frozenset(made),
        )

    def render_data(self, pages: Rendered, previous: Rendered | None = None, sink: Sink | None = None) -> Rendered:
        """The result of ``render_pages`` with the feeds, the sitemap, robots.txt and the JSON exports."""
        site = pages.site
        assert site is not None
        out = Outputs(previous, sink, dict(pages.files), dict(pages.fingerprints), pages.written)
        data = self._data(site, pages.versions, pages.touched, pages.lastmods, out)
        return replace(pages, files=out.files, fingerprints=out.fingerprints, written=out.written, data=frozenset(data))

    def _data(
        self,
        site: Site,
        versions: Mapping[str, str],
        touched: set[str] | None,
        lastmods: Mapping[str, date | None],
        out: Outputs,
    ) -> list[str]:
        """Make the generator's own files into ``out`` (each kept if unchanged): their paths."""
        made = data_files(site, versions, touched, lastmods, self.export_lines, self.messages, self.fonts)
        paths = []
        for path, fingerprint, make in made:
            out.keep_or(path, fingerprint, make)
            paths.append(path)
        return paths

    def check_static(self, site: Site, static: Mapping[str, StaticFile]) -> None:
        """Raise ContentError if one of the site's own files takes a path the site makes (for ``check``)."""
        if static:
            versions = site_versions(site, self.search, self.messages)
            check_collisions(static, self._generated(site, plan_pages(site), versions))

    def _generated(self, site: Site, plan: Iterable[Planned], versions: Mapping[str, str]) -> dict[str, str]:
        """Every path the site makes itself, with what makes it (for collisions with its own files)."""
        generated = {MARKER: "digest's mark of a folder it made"}
        generated |= {path: f"the theme's {path}" for path in self.assets}
        generated |= {file_for(p.path): f"the {p.kind.value} page /{p.path}" for p in plan}
        generated |= {card_for(claim): "a claim's social card" for _, _, claim in _cards_of(site)}
        generated |= {path: "an image of a check" for path, _, _ in images.outputs(_translated_claims(site), None)}
        made = data_files(site, versions, None, {}, self.export_lines, self.messages, self.fonts)
        generated |= {path: "a feed or data file" for path, _, _ in made}
        return generated

    def _affected(
        self, site: Site, versions: Mapping[str, str], previous: Rendered | None
    ) -> tuple[set[str] | None, set[str] | None, Showing | None]:
        """The pages that can have changed since ``previous`` when only claims changed (with them, lists' orders and
        the site's last change), and the claims whose list items and export lines may have changed; else (None,
        None): any may have. Third, which pages show each record of ``site``, when known (made, or the previous one's).

        A page shows a claim only where ``pages_showing`` (the inverse of ``page_dependencies``)
        says, so after an edit of claims only, every other page is as it was. The inverse costs a
        walk over every page's dependencies: it is taken from ``previous`` where it can be (an edit
        that changed no link keeps the plan, see ``same_plan``).
        """
        if previous is None or previous.site is None or previous.templates != self.templates:
            return None, None, None
        before = previous.versions
        changed = {key for key in versions.keys() | before.keys() if versions.get(key) != before.get(key)}
        codes = {*site.translations, *previous.site.translations}
        changed = {bare_key(key, codes) for key in changed} - {ALL}  # a claim changed in any language: its slug
        kept = previous.showing if same_plan(site, previous.site) else None
        if any(not key.startswith(("claim:", "list:")) for key in changed - {MODIFIED}):
            return None, None, kept
        affected: set[str] = set()
        touched: set[str] = set()
        for key in [key for key in changed if key.startswith("list:")]:  # a list's order on one of its pages
            affected.add(file_for(key.removeprefix("list:")))
            changed.remove(key)
        if not changed:
            return affected, touched, kept
        old = previous.showing if previous.showing is not None else showing(previous.site)
        new = old if same_plan(site, previous.site) else showing(site)
        if MODIFIED in changed:  # the pages dated by the site's last change, in every language
            changed.remove(MODIFIED)
            affected.update(file_for(path) for path in pages_with(site, MODIFIED, new))
        for key in changed:
            slug = key.removeprefix("claim:")
            touched.add(slug)
            for shown, inverse in ((site, new), (previous.site, old)):
                affected.update(file_for(path) for path in pages_showing(shown, slug, inverse))
                if slug in shown.claims:
                    touched.update(shown.related[slug], shown.contradicts[slug], shown.contradicted_by[slug])
                    touched.update(shown.repeats[slug], shown.repeated_by[slug])
        return affected, touched, new

    def _list_versions(self, site: Site, plan: Iterable[Planned], previous: Rendered | None) -> dict[str, str]:
        """The versions of the lists' orders on their pages: the previous render's when both sites have the same
        plan. They are made of the indexes, the people, the staff and the settings (``OnPage.figures``: names, roles
        on an index's pages), all the same then only because ``resolve`` keeps the indexes only when no link of a
        claim and none of those records changed; never of the site's last change (MODIFIED, a dependency apart)."""
        if previous is None or previous.site is None or not same_plan(site, previous.site):
            return list_versions(site, plan)
        before = previous.versions
        keys = (language_key(p.language, list_id(p.path)) for p in plan if KINDS[p.kind].on_page is not None)
        kept: dict[str, str] = {}
        for key in keys:
            version = before.get(key)
            if version is None:  # kept by a digest that made none for this page: make them all
                return list_versions(site, plan)
            kept[key] = version
        return kept

    def _fingerprint(
        self, versions: Mapping[str, str], template: str, dependencies: Iterable[str], language: str = ""
    ) -> str:
        parts = (f"{d}={versions[d]}" for d in dependencies)
        return digest_of(self.templates.get(template, ""), versions[language_key(language, SITE)], *parts)

    def render_page(self, site: Site, planned: Planned, items: Items | None = None) -> bytes:
        """One page → HTML bytes, its lists' items from ``items`` (by default, those of a page
        alone: ``digest check``'s home page); raises ThemeError naming the template and line if the
        theme fails."""
        if items is None:
            items = self.items.prepare({}, None)
        page = page_context(site, planned)
        shown = site_in(site, planned.language)
        env = self.environment(shown.config.language)
        env.globals |= {"site": shown, "claim_partials": items.render}
        try:
            return env.get_template(page.meta.template).render(page=page).encode("utf-8")
        except Exception as error:  # a theme bug of any kind: name the template and line, not a traceback
            raise ThemeError(describe(error)) from None

    def make(self, site: Site, job: Job, items: Items) -> tuple[str, bytes]:
        """One page or card → (output path, bytes)."""
        if isinstance(job, Card):
            return job.path, cards.claim_card(site_in(site, job.language), job.claim, self.fonts)
        return file_for(job.path), self.render_page(site, job, items)

    def _cards(
        self,
        site: Site,
        versions: Mapping[str, str],
        out: Outputs,
        touched: set[str] | None,
    ) -> Iterable[Card]:
        """The claims' social cards: each unchanged one kept from the previous render, the others to make."""
        before = out.previous.fingerprints if out.previous is not None else {}
        for language, shown, claim in _cards_of(site):
            path = card_for(claim)  # no Card for each kept one
            known = before.get(path)
            if known is not None and touched is not None and claim.slug not in touched:
                fingerprint = known
            else:  # what the card shows, not the claim's version: most edits keep the card
                fingerprint = digest_of(__version__, self.fonts.version, cards.claim_shows(shown, claim))
            out.fingerprints[path] = fingerprint
            if not out.reuse(path, fingerprint):
                yield Card(claim, language)

    def _render_pages(
        self,
        site: Site,
        items: Items,
        todo: list[Job],
        jobs: int | None,
        fingerprints: Mapping[str, str],
        sink: Sink | None,
        progress: Progress | None,
        meanwhile: Callable[[], None],
    ) -> Iterable[tuple[str, bytes | bool]]:
        """Render ``todo``; ``meanwhile`` is called in this process while workers render, or after."""
        workers = min(jobs if jobs is not None else (os.cpu_count() or 1), 8)
        if workers < 2 or len(todo) < _PARALLEL_FROM:
            return _then(counted((self.make(site, job, items) for job in todo), STAGE, len(todo), progress), meanwhile)
        import multiprocessing  # a warm build renders a few pages in this process: it imports neither

        from .workers import Workers, render_in_workers

        if multiprocessing.get_start_method() != "fork":
            return _then(counted((self.make(site, job, items) for job in todo), STAGE, len(todo), progress), meanwhile)
        for code in ("", *site.translations):  # compiled here once, not again in each worker process
            load_templates(self.environment(site_in(site, code).config.language))
        lists = [job for job in todo if isinstance(job, Planned) and KINDS[job.kind].lists]
        rest = [job for job in todo if not (isinstance(job, Planned) and KINDS[job.kind].lists)]
        made = Workers(functools.partial(self.make, items=items), self.items.detach, sink)
        return render_in_workers(made, site, lists, rest, workers, fingerprints, meanwhile, progress, STAGE)


def _then(made: Iterable[tuple[str, bytes]], last: Callable[[], None]) -> Iterator[tuple[str, bytes]]:
    """What ``made`` yields, then ``last`` called."""
    yield from made
    last()


def _translated_claims(site: Site) -> Iterable[Claim]:
    """Every claim of the site in every language it is in: each once."""
    yield from site.claims.values()
    for variant in site.translations.values():
        yield from (claim for claim in variant.claims.values() if claim.translation)


def _cards_of(site: Site) -> Iterable[tuple[str, Site, Claim]]:
    """(language, the site in it, claim) of every claim's social card: one in each language it is in;
    none with ``social_cards: false``."""
    if not site.config.social_cards:
        return
    for claim in site.claims.values():
        yield "", site, claim
    for code, variant in site.translations.items():
        yield from ((code, variant, claim) for claim in variant.claims.values() if claim.translation)
