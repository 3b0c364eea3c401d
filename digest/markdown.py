"""The one Markdown renderer: markdown-it-py's js-default preset (raw HTML off) and our plugins.

Links may only use http, https or mailto (or be relative); anything else (javascript:, data:,
vbscript:, in any case or encoding) is left as plain text. Links written from the site root
(``[the scale](/verdicts/)``) are made relative to the page, as every internal link is.
Headings move down to fit under the page's own (the page title stays the only h1), and get ids
that never clash with the ids a theme uses.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.footnote import footnote_plugin

from .images import images_plugin

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
THEME_IDS = frozenset(
    {
        "main",
        "content",
        "analysis",
        "sources",
        "corrections",
        "updates",
        "related",
        "people",
        "claims",
        "mentions",
        "site-search",
        "search-query",
        "search",
        "tags",
        "scorecard",
        "verdict",
        "history",
    }
)
THEME_ID_PREFIXES = ("correction-", "fn", "month-", "tally-")
"""Element ids (and id prefixes, and any id ending in ``-heading``) a theme may use; a body heading
that would take one gets ``-section``."""

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]+")


def is_safe_url(url: str) -> bool:
    """True if a link target is relative or uses a scheme on SAFE_SCHEMES, however it is encoded."""
    cleaned = url
    for _ in range(3):  # percent-encoding may be nested; three rounds decode any real URL
        decoded = unquote(cleaned)
        if decoded == cleaned:
            break
        cleaned = decoded
    cleaned = _INVISIBLE.sub("", cleaned).lower()
    scheme = _SCHEME.match(cleaned)
    return scheme is None or scheme.group(1) in SAFE_SCHEMES


def _heading_slug(text: str) -> str:
    slug = slugify(text) or "section"
    taken = slug in THEME_IDS or slug.startswith(THEME_ID_PREFIXES) or slug.endswith("-heading")
    return f"{slug}-section" if taken else slug


def _demote_headings(state: StateCore) -> None:
    """Headings move ``shift`` levels down, and never above h2: the page's title is its one h1."""
    shift = state.env.get("shift", 0)
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(max(int(token.tag[1]) + shift, 2), 6)}"


def demote_headings_plugin(md: MarkdownIt) -> None:
    """Move headings down to fit under the page's own headings (``shift`` in the render env)."""
    md.core.ruler.push("demote_headings", _demote_headings)


def safe_links_plugin(md: MarkdownIt) -> None:
    """Refuse every link and image whose scheme is not on SAFE_SCHEMES."""
    md.validateLink = is_safe_url  # type: ignore[method-assign]


def _site_links(state: StateCore) -> None:
    """Links written from the site root (``/verdicts/``) become relative to the page's folder."""
    depth = state.env.get("depth")
    if depth is None:
        return
    prefix = "../" * depth
    for block in state.tokens:
        for token in block.children or ():
            if token.type not in ("link_open", "image"):
                continue
            name = "href" if token.type == "link_open" else "src"
            target = str(token.attrGet(name) or "")
            if target.startswith("/") and not target.startswith("//"):
                path, mark, fragment = target[1:].partition("#")
                if path == "" or path.endswith("/"):
                    path += "index.html"
                token.attrSet(name, prefix + path + mark + fragment)


def site_links_plugin(md: MarkdownIt) -> None:
    """Rewrite site-rooted links so the site works under any sub-path and from disk."""
    md.core.ruler.push("site_links", _site_links)


def _build() -> MarkdownIt:
    md = MarkdownIt("js-default")
    md.use(safe_links_plugin)
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=3, slug_func=_heading_slug)
    md.use(demote_headings_plugin)
    md.use(site_links_plugin)
    md.use(images_plugin)
    return md


_MD = _build()


def render(text: str, depth: int, shift: int = 0, env: dict[str, Any] | None = None) -> str:
    """Markdown → HTML that is safe to put into any page ``depth`` folders below the site root.

    Headings move ``shift`` levels down (a claim's analysis sits under an h2 of its own) and
    never above h2. ``env`` passes more to the plugins (``images`` gathers a claim's images).
    """
    return str(_MD.render(text, {**(env or {}), "depth": depth, "shift": shift}))
