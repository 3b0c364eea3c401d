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

from . import __version__, exports, feeds, sitemap
from .errors import ThemeError, UsageError
from .model import Site
from .pages import (
    ALL,
    SITE,
    Planned,
    claim_id,
    page_context,
    page_dependencies,
    page_id,
    page_lastmod,
    person_id,
    plan_pages,
)
from .urls import Target, absolute, file_for, rooted, url_for
from .write import Output

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
_PARALLEL_FROM = 400
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


def environment(theme: Theme) -> jinja2.Environment:
    """The Jinja environment of a theme, with our filters; templates compile once and are reused."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(theme.templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters |= {"url": _url, "absolute": _absolute, "long_date": long_date, "month_name": month_name}
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

    return {name: _digest(*(sources.get(n, "") for n in sorted(closure(name, {name})))) for name in sources}


class Renderer:
    """Renders sites with one theme, reusing every output whose inputs did not change."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self.env = environment(theme)
        self.assets = theme.static_files()
        self.templates = template_versions(self.env, theme)

    def render(self, site: Site, previous: Rendered | None = None, jobs: int | None = None) -> Rendered:
        """The whole site; outputs unchanged since ``previous`` are taken from it."""
        self.env.globals["site"] = site
        versions = _versions(site)
        result = Rendered()
        for path, data in self.assets.items():
            fingerprint = hashlib.blake2b(data, digest_size=12).hexdigest()
            self._keep_or(result, previous, path, fingerprint, data)
        plan = plan_pages(site)
        todo: list[Planned] = []
        for planned in plan:
            path = file_for(planned.path)
            fingerprint = self._fingerprint(versions, _TEMPLATES[planned.kind], page_dependencies(site, planned))
            result.fingerprints[path] = fingerprint
            if previous is not None and previous.fingerprints.get(path) == fingerprint and path in previous.files:
                result.files[path] = previous.files[path]
            else:
                todo.append(planned)
        for path, data in self._render_pages(site, todo, jobs):
            result.files[path] = data
        result.rendered = len(todo)
        for path, fingerprint, make in _machine_files(site, plan, versions):
            self._keep_or(result, previous, path, fingerprint, make)
        return result

    @staticmethod
    def _keep_or(
        result: Rendered, previous: Rendered | None, path: str, fingerprint: str, make: Callable[[], bytes] | bytes
    ) -> None:
        """Take the output from ``previous`` if its fingerprint is unchanged; otherwise make it."""
        result.fingerprints[path] = fingerprint
        if previous is not None and previous.fingerprints.get(path) == fingerprint and path in previous.files:
            result.files[path] = previous.files[path]
        else:
            result.files[path] = make if isinstance(make, bytes) else make()
            result.rendered += 1

    def _fingerprint(self, versions: Mapping[str, str], template: str, dependencies: Iterable[str]) -> str:
        parts = (f"{d}={versions[d]}" for d in dependencies)
        return _digest(self.templates.get(template, ""), versions[SITE], *parts)

    def render_page(self, site: Site, planned: Planned) -> bytes:
        """One page → HTML bytes; raises ThemeError naming the template and line if the theme fails."""
        page = page_context(site, planned)
        try:
            return self.env.get_template(page.meta.template).render(page=page).encode("utf-8")
        except Exception as error:  # a theme bug of any kind: name the template and line, not a traceback
            raise ThemeError(_describe(error)) from None

    def _render_pages(self, site: Site, todo: list[Planned], jobs: int | None) -> Iterable[tuple[str, bytes]]:
        workers = min(jobs if jobs is not None else (os.cpu_count() or 1), 8)
        if workers < 2 or len(todo) < _PARALLEL_FROM or multiprocessing.get_start_method() != "fork":
            return ((file_for(p.path), self.render_page(site, p)) for p in todo)
        return _render_in_workers(self, site, todo, workers)


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
    "404": "404.html",
}
"""The template of each page kind (the contexts in ``pages`` name the same ones)."""

_WORKER: tuple[Renderer, Site, list[Planned]] | None = None


def _render_chunk(bounds: tuple[int, int]) -> list[tuple[str, bytes]] | str:
    assert _WORKER is not None
    renderer, site, todo = _WORKER
    try:
        return [(file_for(p.path), renderer.render_page(site, p)) for p in todo[bounds[0] : bounds[1]]]
    except ThemeError as error:
        return str(error)


def _render_in_workers(renderer: Renderer, site: Site, todo: list[Planned], workers: int) -> list[tuple[str, bytes]]:
    """Render pages in forked worker processes that share the site and the compiled templates."""
    global _WORKER
    _WORKER = (renderer, site, todo)
    size = max(50, len(todo) // (workers * 6))
    chunks = [(start, min(start + size, len(todo))) for start in range(0, len(todo), size)]
    results: list[tuple[str, bytes]] = []
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for chunk in pool.imap(_render_chunk, chunks):
                if isinstance(chunk, str):
                    raise ThemeError(chunk)
                results.extend(chunk)
    finally:
        _WORKER = None
    return results


def _versions(site: Site) -> dict[str, str]:
    """The version of every record a page can depend on, and of SITE and ALL."""
    versions = {claim_id(s): c.digest for s, c in site.claims.items()}
    versions |= {person_id(s): p.digest for s, p in site.people.items()}
    versions |= {page_id(s): p.digest for s, p in site.pages.items()}
    versions[SITE] = _digest(
        __version__, site.config.digest, *(f"{s}={p.title}" for s, p in site.pages.items()), *sorted(site.drafts)
    )
    versions[ALL] = _digest(*(f"{key}={value}" for key, value in versions.items()))
    return versions


def _machine_files(
    site: Site, plan: tuple[Planned, ...], versions: Mapping[str, str]
) -> Iterable[tuple[str, str, Callable[[], bytes]]]:
    """(path, fingerprint, how to make it) for each file the generator owns."""
    config = site.config
    everything = _digest(__version__, versions[SITE], versions[ALL])
    yield "feed.xml", everything, lambda: feeds.claims_feed(site, "feed.xml", "", config.title, site.claims.values())
    yield (
        "corrections/feed.xml",
        everything,
        lambda: feeds.corrections_feed(site, "corrections/feed.xml", "corrections/", site.corrections),
    )
    yield (
        "sitemap.xml",
        everything,
        lambda: sitemap.sitemap(config.base_url, ((p.path, page_lastmod(site, p)) for p in plan if p.kind != "404")),
    )
    yield "robots.txt", _digest(__version__, versions[SITE]), lambda: sitemap.robots(config.base_url)
    yield "claims.json", everything, lambda: exports.claims_json(site)
    yield "claimreview.json", everything, lambda: exports.claimreview_json(site)
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
            title = f"{config.title}: {person.name}"
            return feeds.claims_feed(site, path, url_for(person), title, (site.claims[s] for s in slugs))

        yield path, fingerprint, make


def render_site(site: Site, theme: Theme, jobs: int | None = None) -> dict[str, Output]:
    """The whole site rendered from scratch, as {relative path: bytes}."""
    return Renderer(theme).render(site, jobs=jobs).files


def _describe(error: Exception) -> str:
    """``path:line: message`` for a template error, from Jinja's rewritten traceback."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"{error.filename or error.name}:{error.lineno}: {error.message}"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".html")]
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "theme"
    return f"{where}: {error}"
