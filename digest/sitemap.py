"""sitemap.xml and robots.txt, for crawlers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .urls import absolute

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _escape(text: str) -> str:
    """``xml.sax.saxutils.escape``, without importing urllib.request and http.client with it."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def sitemap(base_url: str, pages: Iterable[tuple[str, date | None]]) -> bytes:
    """A sitemap of (site path, last modified) pairs, in the order given.

    Written as text rather than through ElementTree: it is one flat list, every value is escaped,
    and at tens of thousands of pages the tree costs more than the rest of a rebuild.
    """
    lines = ["<?xml version='1.0' encoding='utf-8'?>", f'<urlset xmlns="{SITEMAP}">']
    for path, lastmod in pages:
        modified = f"\n    <lastmod>{lastmod.isoformat()}</lastmod>" if lastmod is not None else ""
        lines.append(f"  <url>\n    <loc>{_escape(absolute(base_url, path))}</loc>{modified}\n  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def robots(base_url: str) -> bytes:
    """robots.txt: everything may be crawled; the sitemap is named."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(base_url, 'sitemap.xml')}\n".encode()
