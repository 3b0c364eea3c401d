"""Atom feeds: the site's, each person's and the corrections feed, built as XML trees."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from xml.etree import ElementTree as ET

from .model import Claim, CorrectionEntry, Site
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


def claims_feed(site: Site, path: str, page: str, title: str, claims: Iterable[Claim]) -> bytes:
    """An Atom feed of the newest claims: one entry per check, its summary led by the verdict and the speaker.

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
        _sub(entry, "summary", f"{verdict.label} (claim by {site.speaker(claim)}): {claim.summary}", type="text")
        _sub(entry, "category", term=verdict.key, label=verdict.label)
        for tag in claim.tags:
            _sub(entry, "category", term=tag)
    return _serialise(feed)


def corrections_feed(site: Site, path: str, page: str, entries: Iterable[CorrectionEntry]) -> bytes:
    """An Atom feed of corrections and re-ratings, newest first."""
    chosen = list(entries)[:FEED_SIZE]
    title = f"{site.config.title}: corrections"
    feed = _feed(site, path, page, title, max((e.correction.date for e in chosen), default=None))
    base = site.config.base_url
    for item in chosen:
        claim = site.claims[item.claim]
        correction = item.correction
        entry = _sub(feed, "entry")
        _sub(entry, "id", absolute(base, url_for(claim)) + "#" + item.anchor)
        _sub(entry, "title", f"{correction.kind.replace('-', ' ').capitalize()}: {claim.title}")
        _sub(entry, "link", rel="alternate", type="text/html", href=absolute(base, url_for(claim)) + "#" + item.anchor)
        _sub(entry, "updated", _stamp(correction.date))
        summary = correction.note
        if correction.kind == "rating-change" and correction.previous_verdict:
            before = site.verdicts[correction.previous_verdict].label
            summary = f"Rating changed from {before} to {site.verdicts[claim.verdict].label}. {summary}"
        summary = f"On the claim by {site.speaker(claim)}: {summary}"
        _sub(entry, "summary", summary, type="text")
    return _serialise(feed)
