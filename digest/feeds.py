"""Atom feeds: the site's, each person's and the corrections feed, built as XML trees."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from xml.etree import ElementTree as ET

from .messages import (
    CORRECTION_KINDS,
    FEED_CORRECTION_TITLE,
    FEED_CORRECTIONS,
    FEED_ON_CLAIM,
    FEED_RATING_CHANGED,
    FEED_SUMMARY,
    Messages,
)
from .model import Claim
from .site import CorrectionEntry, Site
from .urls import absolute, url_for

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
"""The newest entries a feed carries."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text with the characters XML cannot carry removed."""
    return _NOT_XML.sub("", value)


def _stamp(day: date | None) -> str:
    return f"{(day or date(1970, 1, 1)).isoformat()}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = xml_text(text)
    return element


def _feed(site: Site, path: str, page: str, title: str, updated: date | None) -> ET.Element:
    base = site.config.base_url
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": site.config.language})
    _sub(feed, "id", absolute(base, path))
    _sub(feed, "title", title)
    if site.config.description:
        _sub(feed, "subtitle", site.config.description)
    _sub(feed, "updated", _stamp(updated))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=absolute(base, path))
    _sub(feed, "link", rel="alternate", type="text/html", href=absolute(base, page))
    author = _sub(feed, "author")
    _sub(author, "name", site.config.publisher.name)
    if site.config.publisher.url:
        _sub(author, "uri", site.config.publisher.url)
    _sub(feed, "generator", "digest")
    return feed


def _serialise(feed: ET.Element) -> bytes:
    ET.register_namespace("", ATOM)
    ET.indent(feed)
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True)) + b"\n"


def claims_feed(site: Site, words: Messages, path: str, page: str, title: str, claims: Iterable[Claim]) -> bytes:
    """An Atom feed of the newest claims: one entry per check, its summary led by the verdict and the
    speaker, worded by the catalog ``words``.

    The speaker goes in the summary, which every feed reader shows, not in the entry's ``author``:
    that is who wrote the entry (the publisher, the feed's author), never the person checked.
    """
    chosen = list(claims)[:FEED_SIZE]
    feed = _feed(site, path, page, title, max((c.modified for c in chosen), default=None))
    base = site.config.base_url
    for claim in chosen:
        verdict = site.verdicts[claim.verdict]
        entry = _sub(feed, "entry")
        _sub(entry, "id", absolute(base, url_for(claim)))
        _sub(entry, "title", claim.title)
        _sub(entry, "link", rel="alternate", type="text/html", href=absolute(base, url_for(claim)))
        _sub(entry, "published", _stamp(claim.published))
        _sub(entry, "updated", _stamp(claim.modified))
        summary = words.text(FEED_SUMMARY, verdict=verdict.label, speaker=site.speaker(claim), summary=claim.summary)
        _sub(entry, "summary", summary, type="text")
        _sub(entry, "category", term=verdict.key, label=verdict.label)
        for tag in claim.tags:
            _sub(entry, "category", term=tag)
    return _serialise(feed)


def corrections_feed(site: Site, words: Messages, path: str, page: str, entries: Iterable[CorrectionEntry]) -> bytes:
    """An Atom feed of corrections and re-ratings, newest first, worded by the catalog ``words``."""
    chosen = list(entries)[:FEED_SIZE]
    title = words.text(FEED_CORRECTIONS, site=site.config.title)
    feed = _feed(site, path, page, title, max((e.correction.date for e in chosen), default=None))
    base = site.config.base_url
    for item in chosen:
        claim = site.claims[item.claim]
        correction = item.correction
        entry = _sub(feed, "entry")
        _sub(entry, "id", absolute(base, url_for(claim), item.anchor))
        kind = words.text(CORRECTION_KINDS[correction.kind])
        _sub(entry, "title", words.text(FEED_CORRECTION_TITLE, kind=kind, title=claim.title))
        _sub(entry, "link", rel="alternate", type="text/html", href=absolute(base, url_for(claim), item.anchor))
        _sub(entry, "updated", _stamp(correction.date))
        summary = correction.note
        if correction.kind == "rating-change" and correction.previous_verdict:
            before = site.verdicts[correction.previous_verdict].label
            after = site.verdicts[claim.verdict].label
            summary = words.text(FEED_RATING_CHANGED, before=before, after=after, note=summary)
        summary = words.text(FEED_ON_CLAIM, speaker=site.speaker(claim), summary=summary)
        _sub(entry, "summary", summary, type="text")
    return _serialise(feed)
