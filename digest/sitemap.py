"""sitemap.xml and robots.txt, for crawlers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from xml.etree import ElementTree as ET

from .urls import absolute

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(base_url: str, pages: Iterable[tuple[str, date | None]]) -> bytes:
    """A sitemap of (site path, last modified) pairs, in the order given."""
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for path, lastmod in pages:
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = absolute(base_url, path)
        if lastmod is not None:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = lastmod.isoformat()
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def robots(base_url: str) -> bytes:
    """robots.txt: everything may be crawled; the sitemap is named."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(base_url, 'sitemap.xml')}\n".encode()
