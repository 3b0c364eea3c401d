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
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock, table
from markdown_it.rules_core import StateCore, normalize
from markdown_it.rules_inline import text as text_rule
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_tail

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


ABSENT_OPTIONS = {
    "alerts": False,
    "inline_definitions": False,
    "store_labels": False,
    "strikethrough_single_tilde": False,
    "tasklists": False,
    "tasklists_editable": False,
}
"""Options that markdown-it-py's rules read with ``options.get(name, False)`` and that js-default
does not set: set to that same default, so that no lookup raises and catches a KeyError (its
options are a Mapping, whose ``get`` does that: 3 % of a file's time, in the list and strikethrough
rules). tests/test_markdown_speed.py compares the output with markdown-it-py's own."""


def _normalize(state: StateCore) -> None:
    """markdown-it's ``normalize`` (CR and CRLF to LF, NUL to U+FFFD), skipped when there is nothing
    to change, as in every content file (``frontmatter.decode`` has done both): its regular
    expression replaced every LF with an LF."""
    if "\r" in state.src or "\0" in state.src:
        normalize(state)


def _inline(state: StateCore) -> None:
    """markdown-it's ``inline`` rule, with a short way for plain text: content without a character
    that stops the ``text`` rule (``*``, ``[``, ``<``, a line end...) becomes one text token, which
    is what the inline parser would make of it after running every inline rule on it (the ``text``
    rule takes it whole, and the pairs rules find no delimiter). Most table cells, list items and
    headings are plain; paragraphs with a link or emphasis are parsed as before."""
    md = state.md
    stops = md.inline.terminator_re
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        content = token.content
        if content and not token.children and stops.search(content) is None:
            plain = Token("text", "", 0)
            plain.content = content
            token.children.append(plain)
        else:
            md.inline.parse(content, md, state.env, token.children)


PAIR_RULES = ("balance_pairs", "strikethrough", "emphasis", "fragments_join")
"""markdown-it's post-processing inline rules, which change nothing in a lone text token."""


def _plain_text_is_one_token(md: MarkdownIt) -> bool:
    """True when ``_inline``'s short way makes what markdown-it would: the ``text`` rule comes first
    and the post-processing rules are markdown-it's own (a plugin that adds one turns it off)."""
    first = md.inline.ruler.getRules("")[:1]
    pairs = tuple(rule.name for rule in md.inline.ruler2.__rules__ if rule.enabled)
    return first == [text_rule] and pairs == PAIR_RULES


def _table(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    """markdown-it's ``table`` rule, asked at the start of every block and every line of a paragraph,
    after its first checks made cheaper: a table needs a second line that starts with ``|``, ``-``
    or ``:`` (the rule returns False for anything else, as it does here)."""
    second = startLine + 1
    if second >= endLine:
        return False
    start = state.bMarks[second] + state.tShift[second]
    if start >= state.eMarks[second] or state.src[start] not in "|-:":
        return False
    return table(state, startLine, endLine, silent)


def _footnote_tail(state: StateCore) -> None:
    """mdit-py-plugins' ``footnote_tail``, run only when the text defines or uses a footnote (it
    copies the whole token list to find none)."""
    footnotes = state.env.get("footnotes")
    if footnotes and (footnotes.get("refs") or footnotes.get("list")):
        footnote_tail(state)


class _Renderer(RendererHTML):
    """markdown-it-py's HTML renderer, with the same output, that skips the attributes of a token that
    has none (most have none: asking cost a list and a call per token)."""

    def renderToken(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        if token.hidden:
            return ""
        nesting = token.nesting
        result = ("</" if nesting == -1 else "<") + token.tag
        if token.block and nesting != -1 and idx and tokens[idx - 1].hidden:
            result = "\n" + result
        if token.attrs:
            result += self.renderAttrs(token)
        if nesting == 0 and options["xhtmlOut"]:
            result += " /"
        if not token.block:
            return result + ">"
        if nesting == 1 and idx + 1 < len(tokens):
            following = tokens[idx + 1]
            if following.type == "inline" or following.hidden:
                return result + ">"  # a block holding inline content
            if following.nesting == -1 and following.tag == token.tag:
                return result + ">"  # an empty element: <li></li>
        return result + ">\n"

    @staticmethod
    def renderAttrs(token: Token) -> str:
        return "".join(f' {escapeHtml(key)}="{escapeHtml(str(value))}"' for key, value in token.attrs.items())


def _replace(ruler: Any, name: str, rule: Any) -> None:
    """Put ``rule`` in the place of markdown-it's rule ``name``, in the same chains (``Ruler.at``
    alone would forget which block rules may interrupt a paragraph, its ``alt``)."""
    alt = next(each.alt for each in ruler.__rules__ if each.name == name)
    ruler.at(name, rule, {"alt": list(alt)})


def _build(shortcuts: bool = True) -> MarkdownIt:
    """The renderer; ``shortcuts=False`` gives it without this module's shortcuts (markdown-it-py's
    own rules and renderer), which tests compare it with."""
    if not shortcuts:
        md = MarkdownIt("js-default").disable(IDLE_RULES)
    else:
        md = MarkdownIt("js-default", ABSENT_OPTIONS, renderer_cls=_Renderer).disable(IDLE_RULES)
        _replace(md.core.ruler, "normalize", _normalize)
        _replace(md.block.ruler, "table", _table)
    md.use(footnote_plugin)
    if shortcuts:
        _replace(md.core.ruler, "footnote_tail", _footnote_tail)
    md.use(anchors_plugin, min_level=1, max_level=3, slug_func=_heading_slug)
    md.use(demote_headings_plugin)
    md.use(safe_links_plugin)  # last: after the anchors plugin has given the headings their ids
    md.use(images_plugin, url_scheme)  # before the links rule: a claim's own images are checked as files, not links
    if shortcuts and _plain_text_is_one_token(md):
        _replace(md.core.ruler, "inline", _inline)
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
