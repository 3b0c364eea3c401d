"""Links within the site, from Markdown (analyses, biographies, free pages), checked against the
pages the build makes.

At load, each file's render lists its links with their lines, and ``markdown.site_links`` reports
refused schemes and addresses written without ``https://``. The links within the site
(``/claims/x/``, ``../y/``, ``#heading``) are kept on the record and checked here once the site is
resolved, against the planned pages (``pages.plan_pages``): a link to no page is an error, with the
closest page as a suggestion; a link to a heading that is not on its page is a warning. A link to
an old address (a former slug, ``aliases``) works through its redirect page, with a warning naming
the new address.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from .aliases import moved
from .errors import Diagnostic
from .fields import quoted
from .images import image_paths
from .model import Claim, Page, Person, Staff
from .pages import page_ids, plan_pages
from .site import Site
from .urls import CORRECTIONS, HOME, NOT_FOUND, SITE_CARD, card_for, feed_for, page_of, url_for

if TYPE_CHECKING:
    from .markdown import SiteLink

_UNCHECKED = ("static/", "pagefind/")
"""Folders whose files come from the theme or the search index, not from the content: not checked."""


@dataclass(frozen=True, slots=True)
class Targets:
    """Every path the build makes, and what a link may point to on each page."""

    paths: Set[str]
    """Site paths of the pages and files (``claims/x/``, ``feed.xml``)."""
    anchors: Mapping[str, Set[str]]
    """The heading ids of each page that shows Markdown (claims, people, staff, free pages), and every id
    of the pages whose ids the plan knows (``pages.page_ids``: the scale, the timeline, the lists)."""
    unpublished: Mapping[str, str]
    """Paths of claims on disk that are not published in this build, and why (``a draft``)."""
    broken: Set[str]
    """Paths of records whose files have problems of their own: links to them are not checked."""
    moved: Mapping[str, str]
    """Old addresses (former slugs) → the paths they redirect to: a link to one works, with a warning."""
    exact: Set[str] = frozenset()
    """Paths whose ``anchors`` are all their ids (not only their Markdown headings)."""


def targets(site: Site, static: Set[str], unpublished: Mapping[str, str], broken: Set[str]) -> Targets:
    """The paths the build makes: the planned pages, the files beside them and the site's own
    files (``static``, from content/static/)."""
    plan = plan_pages(site)
    paths = {planned.path for planned in plan} | static
    paths.update((feed_for(HOME), feed_for(CORRECTIONS), "sitemap.xml", "robots.txt", NOT_FOUND, SITE_CARD))
    paths.update(("claims.json", "claimreview.json"))
    paths.update(feed_for(person) for person in site.people.values())
    paths.update(card_for(claim) for claim in site.claims.values() if site.config.social_cards)
    paths.update(path for claim in site.claims.values() for path in image_paths(claim))
    records: list[Claim | Person | Page | Staff] = [
        *site.claims.values(),
        *site.people.values(),
        *site.pages.values(),
        *site.staff.values(),
    ]
    anchors: dict[str, Set[str]] = {url_for(record): frozenset(record.anchors) for record in records}
    exact = {planned.path: ids for planned in plan if (ids := page_ids(site, planned)) is not None}
    return Targets(frozenset(paths), anchors | exact, unpublished, broken, moved(site), frozenset(exact))


def check_links(
    path: str,
    page: str,
    links: Iterable[SiteLink],
    own: Iterable[str],
    found: Targets,
    problems: list[Diagnostic],
) -> None:
    """Check the links within the site of one file, shown on the page at site path ``page`` whose
    Markdown has the heading ids ``own``."""
    paths = found.paths
    for line, target, image in links:
        if target[:1] == "/" and target[1:] in paths and target[1:2] != "/" and target[1:] not in found.moved:
            continue  # the usual link, found fast: a page from the site root, no #heading
        what = "image" if image else "link"
        parts = urlsplit(target)
        written = unquote(parts.path)
        if target.startswith("/"):
            joined = written.lstrip("/")
        elif written:
            joined = posixpath.normpath(
                posixpath.join(page if page.endswith("/") else posixpath.dirname(page), written)
            )
            if joined.startswith("../") or joined == "..":
                problems.append(Diagnostic(path, line, f"{what} {quoted(target)} leads out of the site"))
                continue
            joined = "" if joined == "." else joined + ("/" if written.endswith("/") else "")
        else:
            joined = page  # only a #fragment (or ?query): this very page
        site_path = page_of(joined)
        if site_path.startswith(_UNCHECKED):
            continue
        if site_path not in found.paths and site_path != page:
            message = _missing(target, site_path, found, not target.startswith("/") and written != "")
            if message is not None:
                problems.append(Diagnostic(path, line, f"{what} {quoted(target)} {message}"))
            continue
        if site_path in found.moved:
            new = found.moved[site_path]
            message = f"{what} {quoted(target)} leads to an old address, which redirects: write '/{new}'"
            problems.append(Diagnostic(path, line, message, warning=True))
            site_path = new
        fragment = unquote(parts.fragment)
        anchors = frozenset(own) if site_path == page else found.anchors.get(site_path)
        if fragment and anchors is not None and not _known_id(fragment, anchors, site_path in found.exact):
            listed = ", ".join(sorted(anchors)) or "none"
            problems.append(
                Diagnostic(
                    path,
                    line,
                    f"{what} {quoted(target)}: no heading '#{fragment}' on /{site_path}"
                    + (f"; did you mean '#{close}'?" if (close := _close(fragment, anchors)) else "")
                    + f" (its headings: {listed})",
                    warning=True,
                )
            )


def _missing(target: str, site_path: str, found: Targets, relative: bool) -> str | None:
    """Why a path is not a page of the site, and the fix; None when its file has problems of its own."""
    if site_path in found.broken:
        return None
    if site_path in found.unpublished:
        return f"leads to a claim that is {found.unpublished[site_path]}, not published in this build"
    if site_path + "/" in found.paths:
        return f"needs a '/' at the end: write '/{site_path}/'"
    close = _close(site_path, found.paths)
    if relative:
        example = f"'/{close}'" if close else "'/claims/<slug>/'"
        return (
            f"leads to no page of the site (/{site_path}, from this page): write it from the site root, e.g. {example}"
        )
    return f"leads to no page of the site (/{site_path})" + (f"; did you mean '/{close}'?" if close else "")


def _close(word: str, options: Iterable[str]) -> str | None:
    """The closest of the options in the same section (the same first folder), if one is close."""
    section = word.partition("/")[0]
    same = [option for option in options if option.partition("/")[0] == section] or list(options)
    match = difflib.get_close_matches(word, same, n=1, cutoff=0.6)
    return match[0] if match else None


@cache
def _theme_ids() -> tuple[frozenset[str], tuple[str, ...]]:
    """The ids a theme may give pages (headings included), and their prefixes; markdown-it is imported
    with them only when a link is checked (a warm build checks none)."""
    from .markdown import THEME_ID_PREFIXES, THEME_IDS

    headings = (f"{name}-heading" for name in (*THEME_IDS, "latest", "scale"))
    return frozenset((*THEME_IDS, *headings)), THEME_ID_PREFIXES


def _known_id(fragment: str, anchors: Set[str], exact: bool) -> bool:
    """True for an id of the page: one of ``anchors`` when they are ``exact``, else a heading of the
    page or an id the theme gives pages of its kind."""
    if fragment in anchors or exact:
        return fragment in anchors
    ids, prefixes = _theme_ids()
    return fragment in ids or fragment.startswith(prefixes) or fragment.endswith("-caption")
