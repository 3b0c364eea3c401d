"""The pipeline, in order: load and check content, resolve one Site, render it, write it out.

``build`` reads like the table of contents of the generator; ``check`` is the same pipeline with
nothing rendered or written; ``LiveBuild`` keeps the pipeline's state between runs for the preview.
"""

from __future__ import annotations

import functools
import gc
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from . import urls
from .archive import keep_index
from .cache import BuildCache
from .config import load_config
from .errors import Diagnostic, DigestError, UsageError
from .images import Known, attach_images, image_problems
from .load import Content, KnownFiles, load_content
from .outfolder import guard_out
from .output import KEPT
from .pages import Kind, Planned
from .processes import Aside
from .progress import Progress
from .render import Renderer
from .rendered import Rendered
from .resolve import Resolved, Skipped, resolve_site
from .search import SearchIndex, update_index
from .static import StaticFile, find_static
from .theme import Theme
from .warmstart import BuildState, WarmStart
from .write import SiteWriter, update_tree, write_site

DEFAULT_THEME = Path(__file__).resolve().parent.parent / "themes" / "default"
"""The default theme, found from any working directory."""


_ASIDE_FROM = 1000
"""Content files from which a cold build keeps the similar claims' index in a copy of itself."""


@dataclass(frozen=True, slots=True)
class Options:
    """What a build or a check is asked to do."""

    content: Path = Path("content")
    content_shown: str = "content"
    """--content as typed, the prefix of every path in diagnostics."""
    out: Path = Path("site")
    theme: Path = DEFAULT_THEME
    base_url: str | None = None
    drafts: bool = False
    today: date = field(default_factory=date.today)
    """Scheduled checks published after this day are skipped."""
    jobs: int | None = None
    """Worker processes; None for one per core."""
    search: bool = False
    """Index the built site with Pagefind (``digest build`` does, unless --no-search)."""
    cache: bool = False
    """Use the caches in the user's cache folder (``digest build`` and ``digest check`` do, unless --no-cache)."""
    force: bool = False
    """Replace --out even if it holds files digest did not make (its version-control files are kept)."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did."""

    files: int
    written: int
    """Files written anew rather than hard-linked from the previous output."""
    pages: int
    skipped: tuple[Skipped, ...]
    seconds: float
    cache_problem: str | None = None
    """Why the build cache could not be used, if it could not: the build went on without it."""
    warnings: tuple[Diagnostic, ...] = ()
    """Problems that did not stop the build (a draft left out, a link to a missing heading)."""
    indexed: int = 0
    """Claim pages indexed for search anew (the other shards of the index were kept)."""


def warm_start(options: Options) -> WarmStart:
    """The build cache of the same content, output, theme and settings; none with --no-cache."""
    return WarmStart(_build_cache(options) if options.cache else None)


def _build_cache(options: Options) -> BuildCache:
    settings = (options.content_shown, options.base_url, options.drafts, options.search)
    return BuildCache.for_build(options.content, options.out, options.theme, *settings)


def check_start(options: Options) -> WarmStart:
    """The records of the content files as the last check of the same folder read them; none with --no-cache."""
    return WarmStart(BuildCache.for_check(options.content, options.content_shown) if options.cache else None)


def check_options(options: Options, writing: bool) -> None:
    """Raise UsageError for a --content, --theme or --out that cannot be used."""
    if not options.content.is_dir():
        raise UsageError(f"--content {options.content_shown}: no such folder")
    if not os.access(options.content, os.R_OK | os.X_OK):
        raise UsageError(f"--content {options.content_shown}: folder cannot be read")
    if writing:
        Theme(options.theme).check()
        if options.out.exists() and not options.out.is_dir():
            raise UsageError(f"--out {options.out}: is a file, not a folder")
        out = options.out.resolve()
        content = options.content.resolve()
        if out == content or content in out.parents:
            raise UsageError(f"--out {options.out}: must not be inside the content folder")
        for what, folder in (
            ("the content folder", content),
            ("the theme", options.theme.resolve()),
            ("the current folder", Path.cwd().resolve()),
        ):
            if folder == out or out in folder.parents:
                raise UsageError(f"--out {options.out}: would replace {what}; choose a folder of its own")


def with_static(options: Options, content: Content) -> tuple[Content, dict[str, StaticFile]]:
    """The site's own files (content/static/), their problems added to the content's."""
    static, problems = find_static(options.content, options.content_shown)
    content = replace(content, problems=(*content.problems, *problems), static=frozenset(static))
    return content, static


def load_site(options: Options, progress: Progress | None = None) -> Resolved:
    """Load, check and resolve the content; raises ContentError with every problem."""
    return _load_site(options, progress=progress)[0]


def _load_site(
    options: Options, files: KnownFiles | None = None, progress: Progress | None = None
) -> tuple[Resolved, dict[str, StaticFile]]:
    config = load_config(options.content, options.content_shown, options.base_url)
    loaded = load_content(options.content, options.content_shown, config, options.jobs, files, progress=progress)
    content, static = with_static(options, loaded)
    return resolve_site(with_images(content, options), today=options.today, drafts=options.drafts), static


def with_images(content: Content, options: Options, known: Known | None = None) -> Content:
    """The content with every claim's images checked and measured; their problems added to the others."""
    claims, problems = attach_images(content.claims, options.content, options.content_shown, known)
    failed = [
        (slug, result.path, result.refs.images)
        for kind, slug, result in content.failed
        if kind == "claim" and result.refs is not None and result.refs.images
    ]
    problems += image_problems(failed, options.content, options.content_shown, known)
    if not problems and all(new is old for new, old in zip(claims, content.claims, strict=True)):
        return content
    return replace(content, claims=tuple(claims), problems=(*content.problems, *problems))


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What a check found: the resolved site and the advice about it."""

    resolved: Resolved
    warnings: tuple[Diagnostic, ...]
    cache_problems: tuple[str, ...] = ()
    """Why a cache could not be used or kept, if one could not (the check went on without it)."""


def check(
    options: Options, links: bool = False, similar: bool = False, progress: Progress | None = None
) -> CheckResult:
    """Validate content and cross-references, and advise; write nothing but caches in the user's
    cache folder: the records of the files read (with ``options.cache``: the next check reads only
    the files changed since), the similar-claims index, and the link cache.

    ``similar`` adds a warning for each pair of checks that look like the same claim but are not linked.
    """
    check_options(options, writing=False)
    warm = check_start(options)
    # the first check of a folder starts from the records of its build (`digest build` with these
    # options, search on or off), if there is one
    files = warm.restore_files(_build_cache(replace(options, search=search)) for search in (True, False))
    index_problem = None
    try:
        resolved, static = _load_site(options, files, progress)
    finally:  # the records are kept even when the content has errors: the next check reads only what changed
        warm.save_files(files)
        warm.close()
        if options.cache:
            index_problem = keep_index(options.content, files)
    problems = [f"check cache unusable ({warm.problem}); read every file again"] if warm.problem else []
    problems += [index_problem] if index_problem else []
    assert resolved.content is not None
    theme = Theme(options.theme)
    home = None
    if (theme.templates / "base.html").is_file():
        renderer = Renderer(theme)
        renderer.check_static(resolved.site, static)
        home = renderer.render_page(resolved.site, Planned(urls.HOME, Kind.HOME))
    from .advice import advise  # only checks need these: a build does not import them
    from .links import check_links

    warnings = [*resolved.warnings, *advise(resolved.site, resolved.content, home)]
    if links:
        warnings += check_links(resolved.site)
    alike: list[Diagnostic] = []
    if similar:
        from .advice import unlinked_repeats

        alike = unlinked_repeats(resolved.site)  # most alike first: not sorted by path
    return CheckResult(resolved, (*sorted(warnings), *alike), tuple(problems))


def _index(
    writer: SiteWriter,
    rendered: Rendered,
    previous: Rendered | None,
    state: BuildState | None,
    progress: Progress | None,
) -> SearchIndex:
    """Index the claim pages for search, keeping the shards of the last build whose pages are unchanged."""
    assert rendered.site is not None
    fingerprints = rendered.fingerprints
    site = rendered.site
    keys = [*map(urls.claim_key, site.claims)]
    for code, variant in site.translations.items():
        keys += [urls.claim_key(slug, code) for slug, claim in variant.claims.items() if claim.translation]
    pages = {key: fingerprints[urls.claim_file(key)] for key in keys}

    def keep(path: str, fingerprint: str) -> bool:
        if previous is None or previous.fingerprints.get(path) != fingerprint or path not in previous.files:
            return False
        writer.write(path, previous.files[path], fingerprint)
        return True

    def old_page(slug: str) -> Path | None:
        path = urls.claim_file(slug)
        kept = previous.files.get(path) if previous is not None else None
        return Path(kept) if isinstance(kept, str) else None

    before = state.search if state is not None and previous is not None else {}
    index = update_index(writer.folder, rendered.site.config.language, pages, before, keep, old_page, progress)
    for path, fingerprint in index.fingerprints.items():
        rendered.fingerprints[path] = fingerprint
        rendered.files[path] = KEPT
    return index


def build(options: Options, progress: Progress | None = None) -> BuildResult:
    """Build the site into --out, replacing it whole, or raise and leave it as it was.

    With ``options.cache``, the build cache of the same content, output, theme and settings is
    used: only changed content files are read, only changed outputs are rendered, and the new site
    is made from the one before last (kept in the cache) by replacing what changed.
    """
    started = time.perf_counter()
    check_options(options, writing=True)
    guard_out(options.out, options.force)
    warm = warm_start(options)
    aside: Aside | None = None
    ahead = None
    try:
        config = load_config(options.content, options.content_shown, options.base_url)
        ahead = warm.ahead(options.content, options.content_shown, config.limits, options.out)
        files, state = warm.restore()
        gc.freeze()  # the records just loaded live all build long and make no cycles: collections skip them
        found = ahead.result() if ahead is not None else None
        content = load_content(
            options.content,
            options.content_shown,
            config,
            options.jobs,
            files,
            progress=progress,
            found=found.content if found is not None else None,
        )
        gc.freeze()  # the records read on a cold build (or a warm one's changed files), as long-lived as those restored
        if options.cache:  # the similar claims' index from the records just read: `digest similar` reads no file
            index = functools.partial(keep_index, options.content, files)
            # a cold build writes every row (0.4 s at 10,000 claims): a copy of the process does, on the core
            # that resolving leaves free; a warm one writes a few, here (a copy would cost more)
            if state is None and len(files.results) >= _ASIDE_FROM:
                aside = Aside(index)
            else:
                index()
        content, static = with_static(options, content)
        content = with_images(content, options, warm.known_images())
        before = state.resolved if state is not None else None
        resolved = resolve_site(content, today=options.today, drafts=options.drafts, previous=before)
        # the site too lives all build long: the render workers, forked later, do not scan it in their
        # collections either (which wrote into each object's page, making the worker a copy of it)
        gc.freeze()
        renderer = Renderer(Theme(options.theme), options.search, warm.cache, warm.compiled, warm.images)
        last = warm.previous(renderer, options.out, state, found.out if found is not None else None)
        previous = last.rendered
        with SiteWriter(options.out, last.spare) as writer:
            rendered = renderer.render_pages(
                resolved.site,
                previous,
                jobs=options.jobs,
                sink=writer.write,
                static=static,
                progress=progress,
                with_data=True,
            )
            search = _index(writer, rendered, previous, state, progress) if options.search else None
            writer.prune(rendered.files)
            if search is None and last.same_site(rendered):
                writer.keep_out()  # --out already is this site: no swap, the spare stays as it was
        warm.save(files, state, last, renderer, rendered, writer, resolved, search)
    finally:
        try:
            if ahead is not None:
                ahead.close()
            if aside is not None:
                aside.wait()
        finally:
            gc.unfreeze()
            warm.close()
    return BuildResult(
        files=len(rendered.files),
        written=rendered.written,
        pages=sum(1 for path in rendered.files if path.endswith(".html")),
        skipped=resolved.skipped,
        seconds=time.perf_counter() - started,
        cache_problem=warm.problem,
        warnings=resolved.warnings,
        indexed=search.indexed if search is not None else 0,
    )


@dataclass(frozen=True, slots=True)
class Rebuild:
    """What one run of a LiveBuild did."""

    written: tuple[str, ...]
    """Output paths written or removed."""
    seconds: float
    error: DigestError | None = None
    """Why the run failed, if it did; the output folder then still holds the last good site."""


class LiveBuild:
    """A build kept in memory between runs, for the preview.

    Each run re-reads only the content files that changed on disk, resolves the whole site again
    (cheap, and the only way to be sure every cross-reference is right) and renders only the
    outputs whose fingerprints changed, so the folder always equals a clean build of the content.
    """

    def __init__(self, options: Options) -> None:
        self.options = options
        self.known = KnownFiles()
        """The content records of the last run."""
        self.images: Known = {}
        """Images read so far, by content: each is decoded once."""
        self.renderer: Renderer | None = None
        self.rendered: Rendered | None = None
        self.resolved: Resolved | None = None
        self.base_url: str | None = None
        """base_url of the last good build."""

    def run(
        self,
        changed: Iterable[Path] | None = None,
        theme_changed: bool = False,
        pages_written: Callable[[tuple[str, ...]], None] | None = None,
    ) -> Rebuild:
        """Rebuild into options.out; a failure is reported in the result, never raised.

        ``changed`` names the content paths that changed (files or folders, absolute or relative to
        the content folder): only they are looked at, and each is read again even if its size and
        time stamp look the same (two saves within one clock tick). None looks at everything.

        Pages and static files are written first and reported to ``pages_written`` (the preview
        reloads the open page then); the feeds, the sitemap and the exports follow.
        """
        started = time.perf_counter()
        options = self.options
        root = options.content.resolve()
        paths = None
        if changed is not None:
            paths = [
                path.relative_to(root) if path.is_absolute() and path.is_relative_to(root) else path for path in changed
            ]
            self.known.forget(str(options.content / relative) for relative in paths)
        try:
            if self.renderer is None or theme_changed:
                theme = Theme(options.theme)
                theme.check()
                self.renderer = Renderer(theme)
            config = load_config(options.content, options.content_shown, options.base_url)
            content = load_content(options.content, options.content_shown, config, options.jobs, self.known, paths)
            content, static = with_static(options, content)
            content = with_images(content, options, self.images)
            resolved = resolve_site(content, today=options.today, drafts=options.drafts, previous=self.resolved)
            site = resolved.site
            previous = self.rendered
            jobs = options.jobs if previous is None else 1
            pages = self.renderer.render_pages(site, previous, jobs=jobs, static=static)
            if previous is None:
                rendered = self.renderer.render_data(pages)
                write_site(options.out, rendered.files)
                written = tuple(sorted(rendered.files))
                if pages_written is not None:
                    pages_written(written)
            else:
                written_pages = update_tree(options.out, pages.files, previous.files.keys() - previous.data)
                if pages_written is not None:
                    pages_written(tuple(written_pages))
                rendered = self.renderer.render_data(pages, previous)
                data = {path: rendered.files[path] for path in rendered.data}
                written = (*written_pages, *update_tree(options.out, data, previous.data))
        except DigestError as error:
            self.known.invalidate()
            return Rebuild((), time.perf_counter() - started, error)
        self.rendered = replace(rendered, files=dict.fromkeys(rendered.files, KEPT))
        self.resolved = resolved
        gc.collect(1)
        gc.freeze()  # what the next run keeps is long-lived: keep the collector from scanning it on every save
        self.base_url = site.config.base_url
        return Rebuild(written, time.perf_counter() - started)
