"""The files the generator owns beside the pages: the sitemap, robots.txt, the feeds, the site's
social card and the JSON exports, each with its fingerprint and how to make it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from . import __version__, cards, exports, feeds, jsonld, sitemap, urls
from .builders import alternates
from .contexts import Alternate
from .export_lines import ExportLines
from .messages import FEED_PERSON, Messages
from .pages import ALL, SITE, claim_id, person_id, plan_pages
from .site import Site
from .urls import feed_for, url_for
from .versions import digest_of, language_key


def data_files(
    first: Site,
    versions: Mapping[str, str],
    touched: set[str] | None,
    lastmods: Mapping[str, date | None],
    lines: ExportLines,
    messages: Callable[[str], Messages],
    fonts: cards.CardFonts,
) -> Iterable[tuple[str, str, Callable[[], bytes]]]:
    """(path, fingerprint, how to make it) for each file the generator owns, in a render of
    ``first`` (and its translations) with these ``versions`` of its records, ``touched`` claims
    since the last (None: any may be) and pages last changed on ``lastmods``."""
    everything = digest_of(
        __version__, *(versions[language_key(code, key)] for code in ("", *first.translations) for key in (SITE, ALL))
    )
    pages = lastmods.items()
    if first.translations:
        yield "sitemap.xml", everything, lambda: sitemap.sitemap(first.config.base_url, pages, _alternates(first))
    else:
        yield "sitemap.xml", everything, lambda: sitemap.sitemap(first.config.base_url, pages)
    for site in (first, *first.translations.values()):
        yield from _language_files(site, versions, touched, lines, messages, fonts)


def _language_files(
    site: Site,
    versions: Mapping[str, str],
    touched: set[str] | None,
    lines: ExportLines,
    messages: Callable[[str], Messages],
    fonts: cards.CardFonts,
) -> Iterable[tuple[str, str, Callable[[], bytes]]]:
    """The feeds, the site's card and the JSON exports of the site in one language."""
    language = site.translation
    touched, site_version = (
        (touched, versions[SITE]) if not language else (None, versions[language_key(language, SITE)])
    )
    yield from _machine_files(site, versions, messages(site.config.language))
    card = digest_of(__version__, fonts.version, cards.site_shows(site))
    yield url_for(urls.SITE_CARD, language=language), card, lambda: cards.site_card(site, fonts)
    everything = digest_of(__version__, versions[language_key(language, SITE)], versions[language_key(language, ALL)])
    if language:  # the exports' lines are kept for the first language only
        yield (
            url_for("claims.json", language=language),
            everything,
            lambda: exports.claims_json(
                site, [exports.line(exports.claim_record(site, c)) for c in site.claims.values()]
            ),
        )
        yield (
            url_for("claimreview.json", language=language),
            everything,
            lambda: exports.claimreview_json(
                [exports.line(jsonld.claim_review(site, c)) for c in site.claims.values()]
            ),
        )
        return
    yield (
        "claims.json",
        everything,
        lambda: exports.claims_json(site, lines.lines("claim", site, site_version, touched, exports.claim_record)),
    )
    yield (
        "claimreview.json",
        everything,
        lambda: exports.claimreview_json(lines.lines("review", site, site_version, touched, jsonld.claim_review)),
    )


def _alternates(site: Site) -> dict[str, tuple[Alternate, ...]]:
    """The pages in each language, by site path, of every page in more than one."""
    found: dict[str, tuple[Alternate, ...]] = {}
    for planned in plan_pages(site):
        others = alternates(site, planned)
        if others:
            found[planned.path] = others
    return found


def _machine_files(
    site: Site, versions: Mapping[str, str], words: Messages
) -> Iterable[tuple[str, str, Callable[[], bytes]]]:
    """(path, fingerprint, how to make it) for the feeds and robots.txt."""
    config, language = site.config, site.translation
    everything = digest_of(__version__, versions[language_key(language, SITE)], versions[language_key(language, ALL)])
    home, corrections = feed_for(urls.HOME, language=language), feed_for(urls.CORRECTIONS, language=language)
    page, fixes = url_for(urls.HOME, language=language), url_for(urls.CORRECTIONS, language=language)
    yield home, everything, lambda: feeds.claims_feed(site, words, home, page, config.title, site.claims.values())
    yield (
        corrections,
        everything,
        lambda: feeds.corrections_feed(site, words, corrections, fixes, site.corrections),
    )
    if not language:
        yield "robots.txt", digest_of(__version__, versions[SITE]), lambda: sitemap.robots(config.base_url)
    for person in site.people.values():
        if person.translation != language:
            continue  # its page, and so its feed, is in its own language only
        path = feed_for(person)
        slugs = site.claims_by_person[person.slug][: feeds.FEED_SIZE]
        fingerprint = digest_of(
            __version__,
            versions[language_key(language, SITE)],
            versions[language_key(language, person_id(person.slug))],
            *(f"{s}={versions[language_key(language, claim_id(s))]}" for s in slugs),
        )

        def make(person: Any = person, path: str = path, slugs: tuple[str, ...] = slugs) -> bytes:
            title = words.text(FEED_PERSON, site=config.title, name=person.name)
            return feeds.claims_feed(site, words, path, url_for(person), title, (site.claims[s] for s in slugs))

        yield path, fingerprint, make
