"""The versions a render compares: of each template, and of every record a page can depend on.

An output's fingerprint is made of the versions of what it shows (``pages.page_dependencies``), of
its template and of the generator: ``render`` reuses an output whose fingerprint is unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import jinja2
import jinja2.meta

from . import __version__
from .messages import Key, Messages, used_messages
from .pages import ALL, KINDS, MODIFIED, SITE, Planned, claim_id, list_id, page_id, person_id, site_in, staff_id
from .site import Site
from .theme import Theme, parsed, template_sources


def digest_of(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=12).hexdigest()


def template_versions(theme: Theme, compiled: Path | None = None) -> tuple[dict[str, str], dict[Key, str]]:
    """Each template's version (a hash of its source and of every template it includes or extends),
    and the messages the templates use (for ``Theme.messages``).

    Finding them means parsing every template: with ``compiled`` (the folder of the compiled
    templates), both are kept there with a hash of every source, and parsed again only when one
    changes."""
    sources = template_sources(theme)
    if compiled is None:
        return _template_versions(theme, sources)
    key = digest_of(__version__, *(f"{name}\0{source}" for name, source in sources.items()))
    kept = compiled / "versions.json"
    with contextlib.suppress(OSError, ValueError, TypeError):
        known = json.loads(kept.read_bytes())
        if isinstance(known, dict) and known.get("key") == key and isinstance(known.get("versions"), dict):
            versions = {str(name): str(version) for name, version in known["versions"].items()}
            used = {(context, str(message)): str(where) for context, message, where in known["messages"]}
            return versions, used
    versions, used = _template_versions(theme, sources)
    with contextlib.suppress(OSError):
        temporary = kept.with_name(f".versions-{os.getpid()}.json")
        messages = [[context, message, where] for (context, message), where in used.items()]
        temporary.write_text(json.dumps({"key": key, "versions": versions, "messages": messages}), encoding="utf-8")
        os.replace(temporary, kept)
    return versions, used


def _template_versions(theme: Theme, sources: Mapping[str, str]) -> tuple[dict[str, str], dict[Key, str]]:
    trees = {name: tree for name, (_, tree) in parsed(theme).items()}
    uses = {name: {n for n in jinja2.meta.find_referenced_templates(tree) if n} for name, tree in trees.items()}

    def closure(name: str, seen: set[str]) -> set[str]:
        for used in uses.get(name, ()):
            if used not in seen:
                seen.add(used)
                closure(used, seen)
        return seen

    shared = {name for name in sources if name.startswith("_")}  # partials and macros, used by name at run time
    versions = {
        name: digest_of(*(sources.get(n, "") for n in sorted(closure(name, {name}) | shared))) for name in sources
    }
    return versions, used_messages(trees)


def language_key(language: str, key: str) -> str:
    """A dependency id in a language: ``uk:claim:x``; as it is in the first ("")."""
    return f"{language}:{key}" if language else key


def bare_key(key: str, codes: Iterable[str]) -> str:
    """A dependency id without its language (``uk:claim:x`` → ``claim:x``)."""
    language, _, rest = key.partition(":")
    return rest if rest and language in codes else key


def site_versions(site: Site, search: bool, messages: Callable[[str], Messages]) -> dict[str, str]:
    """The version of every record a page can depend on, and of SITE, ALL and MODIFIED, in every language
    (the words of each language, from ``messages``, are part of its SITE)."""
    versions = _language_versions(site, search, messages(site.config.language))
    for code, variant in site.translations.items():
        language = _language_versions(variant, search, messages(variant.config.language))
        versions |= {language_key(code, key): value for key, value in language.items()}
    return versions


def _language_versions(site: Site, search: bool, messages: Messages) -> dict[str, str]:
    """The versions of the site in one language; a record's names the languages it is in (its
    hreflang links and language switcher show them)."""
    versions = {claim_id(s): c.digest for s, c in site.claims.items()}
    versions |= {person_id(s): p.digest for s, p in site.people.items()}
    versions |= {page_id(s): p.digest for s, p in site.pages.items()}
    versions |= {staff_id(s): m.digest for s, m in site.staff.items()}
    for key, codes in site.translated.items():
        if key in versions:
            versions[key] += "+" + ",".join(codes)
    versions[SITE] = digest_of(
        __version__,
        site.config.digest,
        messages.digest,
        str(search),
        *(f"{s}={p.title}" for s, p in site.pages.items()),
        f"staff={bool(site.staff)}",
        *sorted(site.drafts),
        *([site.translation] if site.translation else []),
    )
    versions[ALL] = digest_of(*(f"{key}={value}" for key, value in versions.items()))
    versions[MODIFIED] = str(site.modified)
    return versions


def list_versions(site: Site, plan: Iterable[Planned]) -> dict[str, str]:
    """The version of the order of each list split into pages, on each of its pages (``list_id``):
    which claims the page lists, in which order, and what it shows of the whole list."""
    versions: dict[str, str] = {}
    for planned in plan:
        on_page = KINDS[planned.kind].on_page
        if on_page is not None:
            page = on_page(site_in(site, planned.language), planned)
            versions[language_key(planned.language, list_id(planned.path))] = digest_of(*page.claims, "", *page.figures)
    return versions
