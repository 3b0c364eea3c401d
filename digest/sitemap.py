"""sitemap.xml and robots.txt, for crawlers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from .contexts import Alternate
from .urls import absolute

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def _escape(text: str) -> str:
    """``xml.sax.saxutils.escape``, without importing urllib.request and http.client with it."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def sitemap(
    base_url: str,
    pages: Iterable[tuple[str, date | None]],
    alternates: Mapping[str, tuple[Alternate, ...]] | None = None,
) -> bytes:
    """A sitemap of (site path, last modified) pairs, in the order given; with ``alternates`` (a
    site with ``languages:``), each page in more than one language lists every version of itself
    (``xhtml:link``, as search engines read hreflang in sitemaps), and ``x-default``: the first's.

    Written as text rather than through ElementTree: it is one flat list, every value is escaped,
    and at tens of thousands of pages the tree costs more than the rest of a rebuild.
    """
    opening = (
        f'<urlset xmlns="{SITEMAP}">' if alternates is None else f'<urlset xmlns="{SITEMAP}" xmlns:xhtml="{XHTML}">'
    )
    lines = ["<?xml version='1.0' encoding='utf-8'?>", opening]
    for path, lastmod in pages:
        modified = f"\n    <lastmod>{lastmod.isoformat()}</lastmod>" if lastmod is not None else ""
        links = ""
        versions = alternates.get(path, ()) if alternates is not None else ()
        for alternate in (*versions, *([Alternate("x-default", versions[0].path)] if versions else [])):
            href = _escape(absolute(base_url, alternate.path)).replace('"', "&quot;")
            links += f'\n    <xhtml:link rel="alternate" hreflang="{alternate.language}" href="{href}"/>'
        lines.append(f"  <url>\n    <loc>{_escape(absolute(base_url, path))}</loc>{modified}{links}\n  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def robots(base_url: str) -> bytes:
    """robots.txt: everything may be crawled; the sitemap is named."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(base_url, 'sitemap.xml')}\n".encode()
