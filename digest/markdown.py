"""The one Markdown renderer: markdown-it-py's js-default preset (raw HTML off) and our plugins.

Links may only use http, https or mailto (or be relative); anything else (javascript:, data:,
vbscript:, in any case or encoding) is never a link: only its text is kept, and the render names
it among its ``refused`` links, so that load reports it at its line. Links written from the site
root (``[the scale](/verdicts/)``) are made relative to the page, as every internal link is; the
render lists every link and image with its line, and the ids of its headings, from the same tokens,
so that resolve can check them against the pages the build makes. A claim's own images (files
beside it or under content/static/) are not links: ``images.images_plugin`` takes them first, and
the images stage checks each file.
Headings move down to fit under the page's own (the page title stays the only h1), and get ids
that never clash with the ids a theme uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.footnote import footnote_plugin

from .fields import quoted
from .images import LOCAL, images_plugin
from .urls import relative

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


def url_scheme(url: str) -> str | None:
    """The scheme of a link target, lower-case, however it is encoded; None for a relative one."""
    cleaned = url
    for _ in range(3):  # percent-encoding may be nested; three rounds decode any real URL
        decoded = unquote(cleaned)
        if decoded == cleaned:
            break
        cleaned = decoded
    cleaned = _INVISIBLE.sub("", cleaned).lower()
    scheme = _SCHEME.match(cleaned)
    return scheme.group(1) if scheme else None


def is_safe_url(url: str) -> bool:
    """True if a link target is relative or uses a scheme on SAFE_SCHEMES, however it is encoded."""
    scheme = url_scheme(url)
    return scheme is None or scheme in SAFE_SCHEMES


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


def _accept(url: str) -> bool:
    return True


def _links(state: StateCore) -> None:
    """One pass over the links and images: each one whose scheme is not on SAFE_SCHEMES becomes its
    text alone and goes into the env's ``refused``; the others go into ``links``, and those written
    from the site root (``/verdicts/``) become relative to the page's folder. Each is listed as
    (line, target as written, image?); the heading ids go into ``anchors``."""
    depth = state.env.get("depth", 0)
    links = state.env.setdefault("links", [])
    refused = state.env.setdefault("refused", [])
    anchors = state.env.setdefault("anchors", [])
    for block in state.tokens:
        if block.type == "heading_open":
            anchors.append(str(block.attrGet("id") or ""))
        if not block.children or ("[" not in block.content and "<" not in block.content):
            continue  # every link, image and autolink starts with one of these
        line = block.map[0] if block.map else 0
        closing: list[bool] = []  # for each open link: was it refused?
        for token in block.children:
            kind = token.type
            if kind == "softbreak" or kind == "hardbreak":
                line += 1
            elif kind == "image" and token.meta.get(LOCAL):
                continue  # a claim's own image file: the images stage checks it
            elif kind == "link_open" or kind == "image":
                image = kind == "image"
                name = "src" if image else "href"
                target = str(token.attrGet(name) or "")
                safe = is_safe_url(target)
                if not image:
                    closing.append(not safe)
                if not safe:
                    refused.append((line, target, image))
                    alt = "".join(child.content for child in token.children or ()) if image else ""
                    token.type, token.tag, token.attrs, token.content, token.children = "text", "", {}, alt, None
                    continue
                links.append((line, target, image))
                if target.startswith("/") and not target.startswith("//"):
                    path, mark, fragment = target[1:].partition("#")
                    token.attrSet(name, relative(path, depth) + mark + fragment)
            elif kind == "link_close" and closing.pop():
                token.type, token.tag, token.content = "text", "", ""


def _render_safely(self: RendererHTML, tokens: Sequence[Token], index: int, options: OptionsDict, env: EnvType) -> str:
    """The last guard: a link or image that reached the renderer with a refused scheme loses it."""
    token = tokens[index]
    name = "src" if token.type == "image" else "href"
    if not is_safe_url(str(token.attrGet(name) or "")):
        token.attrSet(name, "")
    if token.type == "image":
        token.attrSet("alt", self.renderInlineAsText(token.children or [], options, env))
    return self.renderToken(tokens, index, options, env)


def safe_links_plugin(md: MarkdownIt) -> None:
    """Refuse every link and image whose scheme is not on SAFE_SCHEMES: only its text is kept; list
    the others, and make those written from the site root relative, so that the site works under
    any sub-path and from disk.

    markdown-it's own ``validateLink`` would leave the whole ``[text](url)`` as text with no trace;
    one core rule does the same check on every link and image token, and says which and where.
    """
    md.validateLink = _accept  # type: ignore[method-assign]
    md.core.ruler.push("links", _links)
    md.add_render_rule("link_open", _render_safely)
    md.add_render_rule("image", _render_safely)


IDLE_RULES = ["linkify", "replacements", "smartquotes", "html_block", "html_inline"]
"""Rules of js-default that return at once with its options (linkify, typographer and raw HTML off):
turned off, so that no file pays for asking them; the HTML is the same. If ``linkify`` or
``typographer`` is ever turned on, take its rules off this list, or the option does nothing (raw HTML
stays off: content never puts markup of its own in a page). ``disable`` raises ValueError on a name
markdown-it-py does not know: a rule an upgrade renames fails the import rather than running unseen;
the version is locked in requirements/*.txt, and tests/test_hostile.py checks that these rules exist
and were idle."""


def _build() -> MarkdownIt:
    md = MarkdownIt("js-default").disable(IDLE_RULES)
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=3, slug_func=_heading_slug)
    md.use(demote_headings_plugin)
    md.use(safe_links_plugin)  # last: after the anchors plugin has given the headings their ids
    md.use(images_plugin, url_scheme)  # before the links rule: a claim's own images are checked as files, not links
    return md


_MD = _build()


Link = tuple[int, str, bool]
"""A link or image in Markdown: (0-based line in the text, its target as written, whether an image)."""


@dataclass(frozen=True, slots=True)
class Markdown:
    """Markdown rendered, with what it links to: one parse gives both."""

    html: str
    links: tuple[Link, ...]
    """Every link and image that was kept."""
    refused: tuple[Link, ...]
    """Every link and image refused for its scheme (kept as text only)."""
    anchors: tuple[str, ...]
    """The ids of its headings."""


def render(text: str, depth: int, shift: int = 0, env: dict[str, Any] | None = None) -> Markdown:
    """Markdown → HTML that is safe to put into any page ``depth`` folders below the site root.

    Headings move ``shift`` levels down (a claim's analysis sits under an h2 of its own) and
    never above h2. ``env`` passes more to the plugins (``images`` gathers a claim's images).
    """
    env = {**(env or {}), "depth": depth, "shift": shift}
    html = _MD.render(text, env)
    return Markdown(str(html), tuple(env["links"]), tuple(env["refused"]), tuple(env["anchors"]))


SiteLink = tuple[int, str, bool]
"""A link within the site, as kept on a record: (file line, target as written, whether an image)."""

_ANY_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_COMMON_TLDS = "com|org|net|gov|edu|int|mil|info|news|io|eu|uk|us|ru|ua|de|fr|pl|by|kz|ge|md"
_BARE_DOMAIN = re.compile(
    rf"(?:www\.[^/?#\s]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{{2,}}(?=[/?#])|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{_COMMON_TLDS}))"
    r"(?:[/?#].*)?",
    re.IGNORECASE,
)
"""An address of another site written without ``https://``: a browser would take it for a path here."""


def site_links(
    links: Iterable[Link], refused: Iterable[Link], body_line: int
) -> tuple[tuple[SiteLink, ...], list[tuple[int, str]]]:
    """A render's links → (the links within the site, with file lines; the problems, as (line, message))."""
    problems: list[tuple[int, str]] = []
    for line, target, image in refused:
        what = "image" if image else "link"
        scheme = url_scheme(target)
        shown = f"the scheme '{scheme}:'" if scheme else "a scheme"
        allowed = ", ".join(f"{name}:" for name in sorted(SAFE_SCHEMES))
        problems.append(
            (
                body_line + line,
                f"{what} {quoted(target)} uses {shown}, which is not allowed: use {allowed} or a link within the site",
            )
        )
    internal: list[SiteLink] = []
    for line, target, image in links:
        if _ANY_SCHEME.match(target) or target.startswith("//"):
            continue  # http, https, mailto: another site's business
        if _BARE_DOMAIN.fullmatch(target):
            what = "image" if image else "link"
            problems.append(
                (
                    body_line + line,
                    f"{what} {quoted(target)} has no 'https://', so it would point into this site; "
                    f"write 'https://{target}'",
                )
            )
            continue
        internal.append((body_line + line, target, image))
    return tuple(internal), problems
