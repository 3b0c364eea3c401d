"""A theme folder and its Jinja environment per language: templates, filters and message catalogs.

``Theme(root).environment(language)`` is how anything renders a template: a Jinja environment
with autoescape and StrictUndefined, our filters (``url``, ``absolute``, ``image_attributes``),
and the language's words installed from the theme's catalog (``messages``): ``_``, ``gettext``,
``ngettext``, ``pgettext``, ``npgettext`` and the filters ``long_date``, ``month_name``,
``number``. Every message the templates or the generator use must be in that catalog: a missing
one is a ThemeError naming it and the catalog file, raised here, before anything is rendered.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.nodes
from babel import Locale, UnknownLocaleError

from . import images, urls
from .environment import Environment
from .errors import ThemeError, UsageError
from .messages import Key, Messages, check_complete, install, load_messages, used_messages
from .urls import Target, absolute, depth_of, relative, rooted, url_for


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme folder: ``templates/*.html``, ``static/`` and ``messages/<language>.po``."""

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

    def messages(self, language: str, used: Mapping[Key, str] | None = None) -> Messages:
        """The catalog of a language (``site.config.language``, or one of ``languages:``), checked
        complete: ThemeError naming each message the templates or the generator use that it lacks.

        For the generator's own words (feeds): ``messages.text(FEED_PERSON, site=..., name=...)``,
        ``messages.long_date(day)``.
        """
        messages = load_messages(self.root, language)
        if used is None:  # the messages the templates use, unless the caller knows them (the renderer keeps them)
            used = used_messages({name: tree for name, (_, tree) in parsed(self).items()})
        check_complete(messages, used)
        return messages

    def environment(
        self, language: str, compiled: Path | None = None, used: Mapping[Key, str] | None = None
    ) -> jinja2.Environment:
        """The Jinja environment that renders this theme's templates in ``language``.

        How to use it, for a page in Ukrainian::

            env = theme.environment("uk")            # ThemeError if uk.po lacks a message
            env.globals["site"] = site               # what every template gets (see themes/README.md)
            html = env.get_template("claim.html").render(page=context)

        Templates then write ``{{ _("Our verdict") }}``, ``{{ day | long_date }}`` ("7 листопада
        2024"), ``{% trans count=n %}{{ count }} check{% pluralize %}{{ count }} checks{% endtrans %}``
        ("5 перевірок"); ``language`` (a global) is the language tag. Make one environment per
        language and keep it: templates compile once per environment (and once across builds with
        ``compiled``, a folder for their bytecode).
        """
        messages = self.messages(language, used)
        env = environment(self, compiled, salt=f"{language}:{messages.digest}")
        install(env, messages)
        return env


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: Target, fragment: str = "") -> str:
    """The link from the page being rendered to a page, a file or a site path (``"feed.xml"``)."""
    meta = context["page"].meta
    site = context["site"]
    if meta.rooted:
        path, mark, written = url_for(target, language=site.translation).partition("#")
        return rooted(site.config.base_url, path) + (f"#{fragment}" if fragment else mark + written)
    # Pages link to the same few hundred things thousands of times: each link is made once per depth.
    key = (target if isinstance(target, str) else id(target), type(target), depth_of(meta.path))
    links = _links(context.environment, site)
    known = links.get(key)  # kept with its target, so that an id in a key is never another object's
    if known is None:
        path, mark, written = url_for(target, language=site.translation).partition("#")
        known = links[key] = (target, relative(path, key[2]), mark + written)
    return known[1] + (f"#{fragment}" if fragment else known[2])


def _links(env: jinja2.Environment, site: object) -> dict[tuple[object, type, int], tuple[object, str, str]]:
    """The links made for pages of ``site`` in an environment (a language's), by target and depth:
    (target, link, fragment); made anew for another site (the preview's next build)."""
    made: tuple[object, dict[tuple[object, type, int], tuple[object, str, str]]] | None = getattr(env, "links", None)
    if made is None or made[0] is not site:
        made = (site, {})
        env.links = made  # type: ignore[attr-defined]
    return made[1]


@jinja2.pass_context
def _absolute(context: jinja2.runtime.Context, target: Target) -> str:
    site = context["site"]
    return absolute(site.config.base_url, url_for(target, language=site.translation))


def environment(theme: Theme, compiled: Path | None = None, salt: str = "") -> jinja2.Environment:
    """The Jinja environment of a theme, with our filters but no language (``Theme.environment``
    adds one); templates compile once and are reused, across builds too when ``compiled`` names a
    folder to keep their bytecode in (Jinja checks each against its template's source before use,
    and ``salt``, the language and its catalog's version, keeps each language's apart: their
    messages are compiled in)."""
    env = Environment(
        loader=jinja2.FileSystemLoader(theme.templates),
        cache_size=-1,  # a plain dict of the theme's few templates: looked up once per page and list item
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_Bytecode(str(compiled), salt) if compiled is not None else None,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # a {% trans %} block's lines are joined by one space
    env.filters |= {
        "url": _url,
        "absolute": _absolute,
        "image_attributes": lambda picture, lazy=False: images.image_attributes(picture, lazy).items(),
        "language_name": _language_name,
    }
    env.globals["staff_index"] = urls.STAFF
    env.globals["site_root"] = urls.SitePath("")  # the root of the whole site, in whichever language a page is
    return env


def load_templates(env: jinja2.Environment) -> None:
    """Compile (or read the bytecode of) every template of an environment now: before forking worker
    processes, which would each compile them again. A template that fails is left to the page that uses it."""
    for name in env.list_templates(extensions=["html"]):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            continue


def _language_name(code: str) -> str:
    """A language's name in itself, from Unicode's CLDR: ``uk`` → Українська (the language switcher)."""
    try:
        name = Locale.parse(code, sep="-").get_display_name(code.replace("-", "_")) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


class _Bytecode(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in a folder, apart for each salt."""

    def __init__(self, directory: str, salt: str) -> None:
        super().__init__(directory)
        self.salt = salt

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self.salt}|{name}", filename)


_PARSED: dict[Path, tuple[jinja2.Environment, dict[str, tuple[str, jinja2.nodes.Template]]]] = {}
"""Per theme folder: an environment that only parses, and each template's last source and tree."""


def template_sources(theme: Theme) -> dict[str, str]:
    """Every template's source, by name (read, not parsed)."""
    env, _ = _PARSED.setdefault(theme.root, (environment(theme), {}))
    loader = env.loader
    assert loader is not None
    return {name: loader.get_source(env, name)[0] for name in env.list_templates(extensions=["html"])}


def parsed(theme: Theme) -> dict[str, tuple[str, jinja2.nodes.Template]]:
    """Every template's source and syntax tree, by name; a template is parsed again only when its
    source changed. ThemeError (``template:line: message``) for a syntax error."""
    env, trees = _PARSED.setdefault(theme.root, (environment(theme), {}))
    loader = env.loader
    assert loader is not None
    result = {}
    for name in env.list_templates(extensions=["html"]):
        source = loader.get_source(env, name)[0]
        known = trees.get(name)
        if known is None or known[0] != source:
            try:
                known = trees[name] = (source, env.parse(source, name))
            except jinja2.TemplateSyntaxError as error:
                raise ThemeError(describe(error)) from None
        result[name] = known
    return result


def describe(error: Exception) -> str:
    """``path:line: message`` for a template error, from Jinja's rewritten traceback."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"{error.filename or error.name}:{error.lineno}: {error.message}"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".html")]
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "theme"
    return f"{where}: {error}"
