"""The theme: a Jinja environment, the page plan rendered to bytes, plus feeds, sitemap and data.

``render_site(site, theme)`` returns the complete site as ``{relative path: bytes}``. Jinja runs
with autoescape and StrictUndefined, so content is escaped everywhere and a template typo fails
the build. Every link goes through the ``url`` filter, relative to the page being rendered.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2

from . import exports, feeds, sitemap
from .errors import ThemeError, UsageError
from .model import Site
from .pages import PageContext, plan_pages
from .urls import Target, absolute, file_for, relative, rooted, url_for

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


def long_date(day: date) -> str:
    """7 November 2024."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_name(day: date) -> str:
    """November 2024."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def environment(theme: Theme, site: Site, assets: Mapping[str, bytes]) -> jinja2.Environment:
    """The Jinja environment of a theme, with our filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(theme.templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    base_url = site.config.base_url
    versions = {path: hashlib.sha256(data).hexdigest()[:10] for path, data in assets.items()}

    @jinja2.pass_context
    def url(context: jinja2.runtime.Context, target: Target, fragment: str = "") -> str:
        meta = context["page"].meta
        path = url_for(target) + (f"#{fragment}" if fragment else "")
        if meta.rooted:
            return rooted(base_url, path)
        return relative(file_for(meta.path), path)

    @jinja2.pass_context
    def asset(context: jinja2.runtime.Context, path: str) -> str:
        if path not in versions:
            raise jinja2.TemplateRuntimeError(f"asset '{path}' is not in the theme's static folder")
        return f"{url(context, path)}?v={versions[path]}"

    env.filters |= {
        "url": url,
        "asset": asset,
        "absolute": lambda target: absolute(base_url, url_for(target)),
        "long_date": long_date,
        "month_name": month_name,
    }
    env.globals["site"] = site
    return env


def render_page(env: jinja2.Environment, page: PageContext) -> bytes:
    """One page context → HTML bytes."""
    return env.get_template(page.meta.template).render(page=page).encode("utf-8")


def render_site(site: Site, theme: Theme) -> dict[str, bytes]:
    """The whole site: every page, feed, data file and static file, as {relative path: bytes}."""
    assets = theme.static_files()
    env = environment(theme, site, assets)
    plan = plan_pages(site)
    files: dict[str, bytes] = dict(assets)
    try:
        for page in plan:
            files[file_for(page.meta.path)] = render_page(env, page)
    except Exception as error:  # a theme bug of any kind: name the template and line, not a traceback
        raise ThemeError(_describe(error)) from None
    files |= machine_files(site, ((p.meta.path, p.meta.lastmod) for p in plan if p.meta.sitemap))
    return files


def machine_files(site: Site, sitemap_pages: Iterable[tuple[str, date | None]]) -> dict[str, bytes]:
    """Feeds, sitemap, robots.txt and the JSON exports: everything the generator owns."""
    config = site.config
    files = {
        "feed.xml": feeds.claims_feed(site, "feed.xml", "", config.title, site.claims.values()),
        "corrections/feed.xml": feeds.corrections_feed(site, "corrections/feed.xml", "corrections/", site.corrections),
        "sitemap.xml": sitemap.sitemap(config.base_url, sitemap_pages),
        "robots.txt": sitemap.robots(config.base_url),
        "claims.json": exports.claims_json(site),
        "claimreview.json": exports.claimreview_json(site),
    }
    for person in site.people.values():
        path = url_for(person)
        claims = (site.claims[s] for s in site.claims_by_person[person.slug])
        files[f"{path}feed.xml"] = feeds.claims_feed(
            site, f"{path}feed.xml", path, f"{config.title}: {person.name}", claims
        )
    return files


def _describe(error: Exception) -> str:
    """``path:line: message`` for a template error, from Jinja's rewritten traceback."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"{error.filename or error.name}:{error.lineno}: {error.message}"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".html")]
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "theme"
    return f"{where}: {error}"
