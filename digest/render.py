"""The theme: Jinja renders the page plan to bytes; the generator adds feeds, sitemap and data.

``Renderer(theme).render(site, previous)`` returns the complete site as ``{path: bytes}``. Each
output has a fingerprint made of the versions of the records it shows, the templates it uses and
the generator: an output whose fingerprint is unchanged since ``previous`` is reused instead of
rendered again, so a rebuild costs what changed. Jinja runs with autoescape and StrictUndefined:
content is escaped everywhere and a template typo fails the build. Every link goes through the
``url`` filter, relative to the page being rendered.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from markupsafe import Markup

from . import __version__, cards, exports, feeds, images, jsonld, sitemap
from .cache import BuildCache
from .errors import DigestError, ThemeError, UsageError
from .model import Claim, Site
from .pages import (
    ALL,
    SITE,
    SITE_CARD,
    Planned,
    card_path,
    claim_id,
    page_context,
    page_dependencies,
    page_id,
    page_lastmod,
    pages_showing,
    person_id,
    plan_pages,
)
from .processes import die_with_parent
from .static import StaticFile, check_collisions
from .urls import Target, absolute, file_for, rooted, url_for
from .write import KEPT, MARKER, Output

Sink = Callable[[str, Output, str], bool]
"""Takes one output as soon as it is made, with its fingerprint; True if it wrote it (False: kept or
hard-linked)."""

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_UNKNOWN: Any = object()
_DATED_BY_CLAIMS = frozenset({"claim", "person", "verdict", "tag", "outlet"})
"""Page kinds whose last change is that of the claims they show (see pages.page_lastmod)."""
_PARALLEL_FROM = 400


@dataclass(frozen=True, slots=True)
class Card:
    """A claim's social card to make: rendered with the pages (in the worker processes, for a whole
    site), since writing ten thousand small files is a cost worth sharing between cores."""

    slug: str

    @property
    def path(self) -> str:
        return card_path(self.slug)


Job = Planned | Card
"""Render in worker processes when at least this many pages must be rendered."""


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme folder: ``templates/*.html`` and ``static/``."""

    root: Path

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"

    def check(self) -> None:
        """Raise UsageError unless the folder looks like a theme."""
        if not (self.templates / "base.html").is_file():
            raise UsageError(f"--theme {self.root}: not a theme (no templates/base.html)")

    def static_files(self) -> dict[str, bytes]:
        """Every static file, by its path in the built site (``static/style.css``)."""
        if not self.static.is_dir():
            return {}
        return {
            "static/" + path.relative_to(self.static).as_posix(): path.read_bytes()
            for path in sorted(self.static.rglob("*"))
            if path.is_file() and not path.name.startswith(".")
        }


@dataclass(slots=True)
class Rendered:
    """A rendered site: every output file, its fingerprint, and how many were rendered anew."""

    files: dict[str, Output] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    rendered: int = 0
    site: Site | None = None
    """The site rendered, and the versions of its records and templates: what the next render compares."""
    versions: dict[str, str] = field(default_factory=dict)
    templates: dict[str, str] = field(default_factory=dict)
    data: set[str] = field(default_factory=set)
    """Paths of the files ``render_data`` made (feeds, sitemap, exports)."""
    written: int = 0
    """With a sink: how many outputs it wrote rather than hard-linked."""


def long_date(day: date) -> str:
    """7 November 2024."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_name(day: date) -> str:
    """November 2024."""
    return f"{MONTHS[day.month - 1]} {day.year}"


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: Target, fragment: str = "") -> str:
    """The link from the page being rendered to a page, a file or a site path (``"feed.xml"``)."""
    meta = context["page"].meta
    path, mark, written = url_for(target).partition("#")
    suffix = f"#{fragment}" if fragment else mark + written
    if meta.rooted:
        return rooted(context["site"].config.base_url, path) + suffix
    return str("../" * meta.path.count("/") + file_for(path) + suffix)


@jinja2.pass_context
def _absolute(context: jinja2.runtime.Context, target: Target) -> str:
    return absolute(context["site"].config.base_url, url_for(target))


def environment(theme: Theme, compiled: Path | None = None) -> jinja2.Environment:
    """The Jinja environment of a theme, with our filters; templates compile once and are reused,
    across builds too when ``compiled`` names a folder to keep their bytecode in (Jinja checks
    each against its template's source before use)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(theme.templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled is not None else None,
    )
    env.filters |= {
        "url": _url,
        "absolute": _absolute,
        "long_date": long_date,
        "month_name": month_name,
        "image_attributes": lambda picture, lazy=False: images.image_attributes(picture, lazy).items(),
    }
    return env


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=12).hexdigest()


def template_versions(env: jinja2.Environment, theme: Theme) -> dict[str, str]:
    """Each template's version: a hash of its source and of every template it includes or extends."""
    loader = env.loader
    assert loader is not None
    sources: dict[str, str] = {}
    uses: dict[str, set[str]] = {}
    for name in env.list_templates(extensions=["html"]):
        source = loader.get_source(env, name)[0]
        sources[name] = source
        try:
            uses[name] = {n for n in jinja2.meta.find_referenced_templates(env.parse(source)) if n}
        except jinja2.TemplateSyntaxError as error:
            raise ThemeError(_describe(error)) from None

    def closure(name: str, seen: set[str]) -> set[str]:
        for used in uses.get(name, ()):
            if used not in seen:
                seen.add(used)
                closure(used, seen)
        return seen

    shared = {name for name in sources if name.startswith("_")}  # partials and macros, used by name at run time
    return {name: _digest(*(sources.get(n, "") for n in sorted(closure(name, {name}) | shared))) for name in sources}


class Renderer:
    """Renders sites with one theme, reusing every output whose inputs did not change."""

    def __init__(self, theme: Theme, search: bool = False, store: BuildCache | None = None) -> None:
        self.theme = theme
        self.store = store
        """The build cache, where list items rendered by an earlier run are kept."""
        self.search = search
        """Whether the site gets a Pagefind index: the search page and box say so."""
        self.env = environment(theme, store.templates_folder() if store is not None else None)
        self.env.globals["search"] = search
        self.assets = theme.static_files()
        self.fonts = cards.CardFonts.of_theme(theme.root)
        """The social cards' fonts: the theme's, else the default theme's."""
        self.templates = template_versions(self.env, theme)
        self.env.globals["claim_partials"] = self._claim_partials
        self._site_version = ""
        self._touched: set[str] | None = None
        """Claims whose export lines may have changed since the last render; None when any may have."""
        self._exports: dict[str, tuple[list[str], list[bytes]]] = {}
        self._groups: dict[tuple[int, tuple[Any, ...]], tuple[Any, str, Markup]] = {}
        self.lastmods: dict[str, date | None] = {}
        """Each page's last change as of the last render (the sitemap's lastmod), by site path."""
        self._plan: tuple[Planned, ...] = ()
        self._sink: Sink | None = None
        self._partials: dict[tuple[Any, ...], tuple[str, str]] = {}
        self._lines: dict[tuple[str, str], tuple[str, bytes]] = {}
        self._static: Mapping[str, StaticFile] = {}

    @jinja2.pass_context
    def _claim_partials(
        self, context: jinja2.runtime.Context, template: str, claims: Iterable[Claim | str], **options: Any
    ) -> Markup:
        """A partial template rendered for each claim, joined: each is rendered once per claim and link depth.

        Lists show the same claim on many pages (its person's, its verdict's, its tags'...), and the
        HTML is the same wherever the pages sit at the same depth. An item is reused while its
        version (the theme's, the settings', its claim's and its people's) is unchanged: from
        memory, or from the build cache of an earlier run.
        """
        page = context["page"]
        site: Site = context["site"]
        people = site.people
        where = (template, page.meta.path.count("/"), page.meta.rooted, *sorted(options.items()))
        version = self._site_version + self.templates.get(template, "")
        group = self._groups.get((id(claims), where))
        if (
            group is not None
            and group[0] is claims
            and group[1] == version
            and self._touched is not None
            and not any((c if isinstance(c, str) else c.slug) in self._touched for c in claims)
        ):
            return group[2]  # the same tuple of the same claims (a month of the timeline), none of them touched
        compiled = self.env.get_template(template)
        stored = self.store.partials(repr(where)) if self.store is not None else {}
        parts = []
        for item in claims:
            claim = site.claims[item] if isinstance(item, str) else item
            key = (claim.slug, where)
            current = version + claim.digest + "".join(people[p].digest for p in (claim.person, *claim.people))
            cached = self._partials.get(key) or stored.get(claim.slug)
            if cached is not None and cached[0] == current:
                parts.append(Markup(cached[1]))
                continue
            html = Markup(compiled.render(page=page, claim=claim, **options))
            self._partials[key] = (current, html)
            if self.store is not None:
                self.store.keep_partial(repr(where), claim.slug, current, html)  # the same string, no copy
            parts.append(html)
        joined = Markup("\n".join(parts))
        if isinstance(claims, tuple) and claims and isinstance(claims[0], str):
            # a tuple of slugs kept by the site (a month of the timeline): the same object next time.
            # Lists of claims are made afresh for each page, so caching them would only hold memory.
            self._groups[(id(claims), where)] = (claims, version, joined)
        return joined

    def _line(self, kind: str, site: Site, claim: Claim, make: Callable[[Site, Claim], dict[str, Any]]) -> bytes:
        """One claim's line of claims.json or claimreview.json, made again only when what it shows changed."""
        slug = claim.slug
        people = site.people
        version = "|".join(
            (
                self._site_version,
                claim.digest,
                *(people[p].digest for p in (claim.person, *claim.people)),
                ",".join(site.related[slug]),
                ",".join(site.contradicts[slug]),
                ",".join(site.contradicted_by[slug]),
            )
        )
        cached = self._lines.get((kind, slug))
        if cached is not None and cached[0] == version:
            return cached[1]
        line = exports.line(make(site, claim))
        self._lines[(kind, slug)] = (version, line)
        return line

    def seed_lines(self, kind: str, order: list[str], versions: list[str], lines: list[bytes]) -> None:
        """Lines of an export written by an earlier run (read back from the output folder)."""
        if len(order) == len(versions) == len(lines):
            for slug, version, line in zip(order, versions, lines, strict=True):
                self._lines[(kind, slug)] = (version, line)
            self._exports[kind] = (list(order), list(lines))

    def line_versions(self, kind: str) -> tuple[list[str], list[str]]:
        """The order and versions of the last export's lines, for seed_lines in a later run."""
        order = self._exports.get(kind, ([], []))[0]
        return order, [self._lines[(kind, slug)][0] for slug in order]

    def render(
        self,
        site: Site,
        previous: Rendered | None = None,
        jobs: int | None = None,
        sink: Sink | None = None,
        static: Mapping[str, StaticFile] | None = None,
    ) -> Rendered:
        """The whole site, with the site's own ``static`` files (content/static/) as they are;
        outputs unchanged since ``previous`` are taken from it.

        With a ``sink`` (a SiteWriter's ``write``), each output goes to it as soon as it is made,
        from the worker processes too, and the result keeps KEPT in its place: the site is never
        held in memory whole.
        """
        result = self.render_pages(site, previous, jobs, sink, static)
        self.render_data(result, previous, sink)
        return result

    def render_pages(
        self,
        site: Site,
        previous: Rendered | None = None,
        jobs: int | None = None,
        sink: Sink | None = None,
        static: Mapping[str, StaticFile] | None = None,
    ) -> Rendered:
        """The pages, the claims' social cards, the theme's and the site's own static files;
        ``render_data`` adds the rest (the preview writes these first). An own file at a path the
        site makes is a ContentError, raised before anything is rendered."""
        self._sink = sink
        self.env.globals["site"] = site
        versions = _versions(site, self.search)
        self._site_version = versions[SITE]
        result = Rendered()
        plan = plan_pages(site)
        self._static = static or {}
        if self._static:
            check_collisions(self._static, self._generated(site, plan, versions))
        for path, data in self.assets.items():
            fingerprint = hashlib.blake2b(data, digest_size=12).hexdigest()
            self._keep_or(result, previous, path, fingerprint, data)
        for path, own in self._static.items():
            fingerprint = hashlib.blake2b(own.data, digest_size=12).hexdigest()
            self._keep_or(result, previous, path, fingerprint, own.data)
        kept = self.store.folder / "images" if self.store is not None else None
        for path, fingerprint, make in images.outputs(site.claims.values(), kept):
            self._keep_or(result, previous, path, fingerprint, make)
        self._touched = None
        affected = self._affected(site, versions, previous)
        lastmods: dict[str, date | None] = {}
        todo: list[Job] = []
        for planned in plan:
            path = file_for(planned.path)
            unaffected = affected is not None and path not in affected and previous is not None
            if unaffected and path in previous.fingerprints:  # type: ignore[union-attr]
                result.fingerprints[path] = previous.fingerprints[path]  # type: ignore[union-attr]
                self._store(result, path, previous.files[path])  # type: ignore[union-attr]
                # a page that lists claims changes its date only when one of them changes; the others
                # (free pages, search) follow the whole site's date: ask again
                known = self.lastmods.get(planned.path, _UNKNOWN) if planned.kind in _DATED_BY_CLAIMS else _UNKNOWN
                lastmods[planned.path] = page_lastmod(site, planned) if known is _UNKNOWN else known
                continue
            lastmods[planned.path] = page_lastmod(site, planned)
            fingerprint = self._fingerprint(versions, _TEMPLATES[planned.kind], page_dependencies(site, planned))
            result.fingerprints[path] = fingerprint
            if previous is not None and previous.fingerprints.get(path) == fingerprint and path in previous.files:
                self._store(result, path, previous.files[path])
            else:
                todo.append(planned)
        todo.extend(self._cards(site, versions, previous, result))
        for path, output in self._render_pages(site, todo, jobs, result.fingerprints):
            if isinstance(output, bool):  # written by a worker, straight to the sink
                result.files[path] = KEPT
                result.written += output
            else:
                self._store(result, path, output)
        result.rendered += len(todo)
        self.lastmods = lastmods
        self._plan = plan
        result.site, result.versions, result.templates = site, versions, self.templates
        return result

    def render_data(self, result: Rendered, previous: Rendered | None = None, sink: Sink | None = None) -> None:
        """Add the feeds, the sitemap, robots.txt and the JSON exports to a result of ``render_pages``."""
        assert result.site is not None
        self._sink = sink
        for path, fingerprint, make in self._machine_files(result.site, self._plan, result.versions, previous):
            self._keep_or(result, previous, path, fingerprint, make)
            result.data.add(path)

    def check_static(self, site: Site, static: Mapping[str, StaticFile]) -> None:
        """Raise ContentError if one of the site's own files takes a path the site makes (for ``check``)."""
        if static:
            check_collisions(static, self._generated(site, plan_pages(site), _versions(site, self.search)))

    def _generated(self, site: Site, plan: Iterable[Planned], versions: Mapping[str, str]) -> dict[str, str]:
        """Every path the site makes itself, with what makes it (for collisions with its own files)."""
        generated = {MARKER: "digest's mark of a folder it made"}
        generated |= {path: f"the theme's {path}" for path in self.assets}
        generated |= {file_for(p.path): f"the {p.kind} page /{p.path}" for p in plan}
        generated |= {card_path(slug): "a claim's social card" for slug in site.claims}
        generated |= {path: "an image of a check" for path, _, _ in images.outputs(site.claims.values(), None)}
        generated |= {path: "a feed or data file" for path, _, _ in self._machine_files(site, (), versions, None)}
        return generated

    def _affected(self, site: Site, versions: Mapping[str, str], previous: Rendered | None) -> set[str] | None:
        """The pages that can have changed since ``previous``, when only claims changed; else None (all).

        A page shows a claim only where ``pages_showing`` says (a test checks it is the exact inverse
        of ``page_dependencies``), so after an edit of claims only, every other page is as it was.
        """
        if previous is None or previous.site is None or previous.templates != self.templates:
            return None
        before = previous.versions
        changed = {key for key in versions.keys() | before.keys() if versions.get(key) != before.get(key)}
        changed.discard(ALL)
        if any(not key.startswith("claim:") for key in changed):
            return None
        affected: set[str] = set()
        touched: set[str] = set()
        for key in changed:
            slug = key.removeprefix("claim:")
            touched.add(slug)
            for shown in (site, previous.site):
                affected.update(file_for(path) for path in pages_showing(shown, slug))
                if slug in shown.claims:
                    touched.update(shown.related[slug], shown.contradicts[slug], shown.contradicted_by[slug])
        self._touched = touched
        return affected

    def _keep_or(
        self,
        result: Rendered,
        previous: Rendered | None,
        path: str,
        fingerprint: str,
        make: Callable[[], bytes] | bytes,
    ) -> None:
        """Take the output from ``previous`` if its fingerprint is unchanged; otherwise make it."""
        result.fingerprints[path] = fingerprint
        if previous is not None and previous.fingerprints.get(path) == fingerprint and path in previous.files:
            self._store(result, path, previous.files[path])
        else:
            self._store(result, path, make if isinstance(make, bytes) else make())
            result.rendered += 1

    def _store(self, result: Rendered, path: str, data: Output) -> None:
        """Keep an output in the result, or hand it to the sink and keep KEPT."""
        if self._sink is None:
            result.files[path] = data
        else:
            result.written += self._sink(path, data, result.fingerprints.get(path, ""))
            result.files[path] = KEPT

    def _fingerprint(self, versions: Mapping[str, str], template: str, dependencies: Iterable[str]) -> str:
        parts = (f"{d}={versions[d]}" for d in dependencies)
        return _digest(self.templates.get(template, ""), versions[SITE], *parts)

    def render_page(self, site: Site, planned: Planned) -> bytes:
        """One page → HTML bytes; raises ThemeError naming the template and line if the theme fails."""
        page = page_context(site, planned)
        self.env.globals["site"] = site
        try:
            return self.env.get_template(page.meta.template).render(page=page).encode("utf-8")
        except Exception as error:  # a theme bug of any kind: name the template and line, not a traceback
            raise ThemeError(_describe(error)) from None

    def make(self, site: Site, job: Job) -> tuple[str, bytes]:
        """One page or card → (output path, bytes)."""
        if isinstance(job, Card):
            return job.path, cards.claim_card(site, site.claims[job.slug], self.fonts)
        return file_for(job.path), self.render_page(site, job)

    def _cards(
        self, site: Site, versions: Mapping[str, str], previous: Rendered | None, result: Rendered
    ) -> Iterable[Card]:
        """The claims' social cards: each unchanged one kept from ``previous``, the others to make."""
        before = previous.fingerprints if previous is not None else {}
        files = previous.files if previous is not None else {}
        touched = self._touched
        for slug, claim in site.claims.items():
            path = card_path(slug)  # no Card for each kept one
            known = before.get(path)
            if known is not None and touched is not None and slug not in touched:
                fingerprint = known
            else:  # what the card shows, not the claim's version: most edits keep the card
                fingerprint = _digest(__version__, self.fonts.version, cards.claim_shows(site, claim))
            result.fingerprints[path] = fingerprint
            if known == fingerprint and path in files:
                self._store(result, path, files[path])
            else:
                yield Card(slug)

    def _render_pages(
        self, site: Site, todo: list[Job], jobs: int | None, fingerprints: Mapping[str, str]
    ) -> Iterable[tuple[str, bytes | bool]]:
        workers = min(jobs if jobs is not None else (os.cpu_count() or 1), 8)
        if workers < 2 or len(todo) < _PARALLEL_FROM or multiprocessing.get_start_method() != "fork":
            return (self.make(site, job) for job in todo)
        return _render_in_workers(self, site, todo, workers, fingerprints)

    def _machine_files(
        self, site: Site, plan: tuple[Planned, ...], versions: Mapping[str, str], previous: Rendered | None
    ) -> Iterable[tuple[str, str, Callable[[], bytes]]]:
        """(path, fingerprint, how to make it) for each file the generator owns."""
        yield from _machine_files(site, versions)
        card = _digest(__version__, self.fonts.version, cards.site_shows(site))
        yield SITE_CARD, card, lambda: cards.site_card(site, self.fonts)
        everything = _digest(__version__, versions[SITE], versions[ALL])
        pages = ((p.path, self.lastmods[p.path]) for p in plan if p.kind != "404")
        yield "sitemap.xml", everything, lambda: sitemap.sitemap(site.config.base_url, pages)
        yield (
            "claims.json",
            everything,
            lambda: exports.claims_json(site, self._export_lines("claim", site, exports.claim_record)),
        )
        yield (
            "claimreview.json",
            everything,
            lambda: exports.claimreview_json(self._export_lines("review", site, jsonld.claim_review)),
        )

    def _export_lines(self, kind: str, site: Site, make: Callable[[Site, Claim], dict[str, Any]]) -> list[bytes]:
        """Every claim's line of an export: the previous lines with the touched claims' made again, when
        only some claims changed and the order did not; else each line from the per-claim cache."""
        order = list(site.claims)
        previous = self._exports.get(kind)
        if self._touched is not None and previous is not None and previous[0] == order:
            lines = list(previous[1])
            index = {slug: number for number, slug in enumerate(order)}
            for slug in self._touched:
                if slug in index:
                    lines[index[slug]] = self._line(kind, site, site.claims[slug], make)
        else:
            lines = [self._line(kind, site, claim, make) for claim in site.claims.values()]
        self._exports[kind] = (order, lines)
        return lines


_TEMPLATES = {
    "home": "home.html",
    "claim": "claim.html",
    "person": "person.html",
    "people": "index.html",
    "scale": "scale.html",
    "verdict": "list.html",
    "tags": "index.html",
    "tag": "list.html",
    "outlets": "index.html",
    "outlet": "list.html",
    "timeline": "timeline.html",
    "corrections": "corrections.html",
    "page": "page.html",
    "search": "search.html",
    "404": "404.html",
}
"""The template of each page kind (the contexts in ``pages`` name the same ones)."""

_WORKER: tuple[Renderer, Site, list[Job], Mapping[str, str]] | None = None


def _render_chunk(bounds: tuple[int, int]) -> list[tuple[str, bytes | bool]] | DigestError:
    """In a worker: render some pages and cards; with a sink, write them there and return only whether
    each was written."""
    assert _WORKER is not None
    renderer, site, todo, fingerprints = _WORKER
    renderer.store = None  # a forked copy must not use the parent's database connection
    sink = renderer._sink
    done: list[tuple[str, bytes | bool]] = []
    try:
        for job in todo[bounds[0] : bounds[1]]:
            path, data = renderer.make(site, job)
            done.append((path, sink(path, data, fingerprints.get(path, "")) if sink is not None else data))
    except DigestError as error:
        return error
    return done


_LISTS = frozenset({"home", "person", "verdict", "tag", "outlet", "timeline", "people", "tags", "outlets"})


def _render_in_workers(
    renderer: Renderer, site: Site, todo: list[Job], workers: int, fingerprints: Mapping[str, str]
) -> list[tuple[str, bytes | bool]]:
    """Render pages and cards in forked worker processes that share the site and the compiled templates.

    The parent renders the pages that list claims meanwhile, so that its cache of list items is
    full for the rebuilds that follow (the preview's first save is then as quick as the next).
    """
    global _WORKER
    lists = [job for job in todo if isinstance(job, Planned) and job.kind in _LISTS]
    rest = [job for job in todo if not (isinstance(job, Planned) and job.kind in _LISTS)]
    _WORKER = (renderer, site, rest, fingerprints)
    helpers = workers  # the parent's share (the lists) is short: it would idle, not the cores
    size = max(50, len(rest) // (helpers * 6))
    chunks = [(start, min(start + size, len(rest))) for start in range(0, len(rest), size)]
    results: list[tuple[str, bytes | bool]] = []
    try:
        with multiprocessing.get_context("fork").Pool(helpers, die_with_parent, (os.getpid(),)) as pool:
            pending = pool.imap(_render_chunk, chunks)
            results.extend(renderer.make(site, job) for job in lists)
            for chunk in pending:
                if isinstance(chunk, DigestError):
                    raise chunk
                results.extend(chunk)
    finally:
        _WORKER = None
    return results


def _versions(site: Site, search: bool) -> dict[str, str]:
    """The version of every record a page can depend on, and of SITE and ALL."""
    versions = {claim_id(s): c.digest for s, c in site.claims.items()}
    versions |= {person_id(s): p.digest for s, p in site.people.items()}
    versions |= {page_id(s): p.digest for s, p in site.pages.items()}
    versions[SITE] = _digest(
        __version__,
        site.config.digest,
        str(search),
        *(f"{s}={p.title}" for s, p in site.pages.items()),
        *sorted(site.drafts),
    )
    versions[ALL] = _digest(*(f"{key}={value}" for key, value in versions.items()))
    return versions


def _machine_files(site: Site, versions: Mapping[str, str]) -> Iterable[tuple[str, str, Callable[[], bytes]]]:
    """(path, fingerprint, how to make it) for the feeds and robots.txt."""
    config = site.config
    everything = _digest(__version__, versions[SITE], versions[ALL])
    yield "feed.xml", everything, lambda: feeds.claims_feed(site, "feed.xml", "", config.title, site.claims.values())
    yield (
        "corrections/feed.xml",
        everything,
        lambda: feeds.corrections_feed(site, "corrections/feed.xml", "corrections/", site.corrections),
    )
    yield "robots.txt", _digest(__version__, versions[SITE]), lambda: sitemap.robots(config.base_url)
    for person in site.people.values():
        path = f"{url_for(person)}feed.xml"
        slugs = site.claims_by_person[person.slug][: feeds.FEED_SIZE]
        fingerprint = _digest(
            __version__,
            versions[SITE],
            versions[person_id(person.slug)],
            *(f"{s}={versions[claim_id(s)]}" for s in slugs),
        )

        def make(person: Any = person, path: str = path, slugs: tuple[str, ...] = slugs) -> bytes:
            title = f"{config.title}: claims by {person.name}"
            return feeds.claims_feed(site, path, url_for(person), title, (site.claims[s] for s in slugs))

        yield path, fingerprint, make


def _describe(error: Exception) -> str:
    """``path:line: message`` for a template error, from Jinja's rewritten traceback."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"{error.filename or error.name}:{error.lineno}: {error.message}"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".html")]
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "theme"
    return f"{where}: {error}"
