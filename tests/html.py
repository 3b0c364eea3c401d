"""Helpers for asserting on built HTML: parse, find links, read JSON-LD."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html


def parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def pages(site: Path) -> list[Path]:
    """Every page of the site but the redirect pages of old addresses (see ``redirect_pages``)."""
    return [page for page in sorted(site.rglob("*.html")) if not is_redirect(page)]


def redirect_pages(site: Path) -> list[Path]:
    """The pages at old addresses (a claim's aliases, a person's former_slugs), which only redirect."""
    return [page for page in sorted(site.rglob("*.html")) if is_redirect(page)]


def is_redirect(page: Path) -> bool:
    return b'<meta http-equiv="refresh"' in page.read_bytes()


def local_links(document: lxml.html.HtmlElement) -> list[str]:
    """Every href and src that points inside the site (no scheme, no host)."""
    links = []
    for element in document.iter():
        for name in ("href", "src"):
            value = element.get(name)
            if value is None:
                continue
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                continue
            links.append(value)
    return links


def resolve_link(site: Path, page: Path, link: str, root_path: str | None = None) -> tuple[Path, str] | None:
    """The file a local link leads to, and its fragment. ``root_path`` maps rooted links (``/sub/x/``,
    made for 404.html only); None for a rooted link it does not map."""
    parts = urlsplit(link)
    path = unquote(parts.path)
    if path.startswith("/"):
        if root_path is None or not path.startswith(root_path):
            return None
        target = site / path[len(root_path) :]
    elif path == "":
        target = page
    else:
        target = Path(posixpath.normpath(posixpath.join(str(page.parent), path)))
    if target.is_dir() or str(target).endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def ids(document: lxml.html.HtmlElement) -> set[str]:
    return {element.get("id") for element in document.iter() if element.get("id")}


def json_ld(document: lxml.html.HtmlElement) -> list[Any]:
    return [json.loads(s.text) for s in document.xpath('//script[@type="application/ld+json"]')]
