"""Social cards: a 1200 by 630 PNG per claim (the claim, who made it, the verdict) and one for the site.

Shared links show them (Open Graph ``og:image``, Twitter ``summary_large_image``); the platforms
show PNG and JPEG, never SVG. ``claim_layout`` and ``site_layout`` place the text by the font's
own metrics: each line is wrapped to the width it measures, a long text gets a smaller size and
then an ellipsis, and every line's box lies inside the margins. The layout is data (each line
with its box), which ``draw`` paints and the tests check. The fonts come with the theme, so a
card looks the same on every machine. A card is pixels: no text of the content can run in it.

Pillow is imported only when a card is laid out or drawn: a rebuild that keeps every card never
pays for it.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Claim
from .site import Site

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

WIDTH, HEIGHT = 1200, 630
LEFT, TOP, RIGHT, BOTTOM = 60, 40, 1140, 590
"""The margins: every line's box lies inside them."""
MIME = "image/png"
BACKGROUND = (0x0D, 0x1B, 0x2A)
TONES = {"r5": "#1a7f37", "r4": "#3f6f12", "r3": "#8a5a00", "r2": "#b14a05", "r1": "#b42318", "none": "#57606a"}
"""Verdict colours, as in the default theme: white text on each has at least AA contrast."""
DEFAULT_FONTS = Path(__file__).resolve().parent.parent / "themes" / "default" / "fonts"
"""The default theme's fonts, used by a theme that ships none."""
COMPRESSION = 3
"""zlib level of the PNG. On the bench corpus a card takes 5.0 ms at 3 for 23 kB, 7.4 ms at 6 for
17 kB, 40 ms at 9 for 15 kB: 3, since cards are made by the ten thousand and fetched rarely."""

WHITE = 15
"""Shades are palette indices: 0 is the background, WHITE white, and _ON_BADGE + shade the same over
the badge. Text drawn on the image blends its index linearly, as the palette blends the colours:
16 steps are enough to smooth the edges, and keep the files a sixth smaller than 64."""
_ON_BADGE = 16
_DIM = 10
"""The shade of the site's name at the top: a blue-grey."""
_ELLIPSIS = "…"
_LEADING = 1.2
_CLAIM_SIZES = (60, 52, 46, 40)
"""Sizes tried in turn for the claim, largest first: the first at which it fits whole is used."""
_CLAIM_TOP, _CLAIM_BOTTOM = 130, 428
_MOST_CHARACTERS = 1000
"""More than the largest card can show: a longer text is cut before it is measured."""
_SLACK = 6
"""Pixels: a line whose width estimated from its words' advances is this close to the limit is measured."""
_BADGE_TOP, _BADGE_HEIGHT, _BADGE_PADDING = 492, 80, 28
_SITE_TOP, _SITE_BOTTOM = 150, BOTTOM


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text on a card."""

    text: str
    x: int
    y: int
    """Where the line starts: x at its left, y at the font's ascender line (Pillow's anchor ``la``)."""
    size: int
    bold: bool
    shade: int
    """Palette index of its colour: up to WHITE on the background, from _ON_BADGE on the badge."""
    box: tuple[int, int, int, int]
    """Left, top, right and bottom of its ink on the card, as Pillow measures it."""


@dataclass(frozen=True, slots=True)
class Layout:
    """Everything a card shows, placed."""

    lines: tuple[Line, ...]
    tone: str
    """The verdict's colour class, for the badge."""
    badge: tuple[int, int, int, int] | None = None
    """Left, top, right and bottom of the verdict's badge."""


class CardFonts:
    """The two fonts of the cards, from a theme's ``fonts/`` folder: ``card-regular.ttf`` and
    ``card-bold.ttf``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fonts: dict[tuple[int, bool], FreeTypeFont] = {}

    @classmethod
    def of_theme(cls, theme: Path) -> CardFonts:
        """The theme's own card fonts if it ships both, else the default theme's."""
        folder = theme / "fonts"
        own = all((folder / name).is_file() for name in ("card-regular.ttf", "card-bold.ttf"))
        return cls(folder if own else DEFAULT_FONTS)

    @cached_property
    def version(self) -> str:
        """A hash of the font files: cards are made again when a font changes."""
        digest = hashlib.blake2b(digest_size=12)
        for name in ("card-regular.ttf", "card-bold.ttf"):
            digest.update((self.folder / name).read_bytes())
        return digest.hexdigest()

    def font(self, size: int, bold: bool) -> FreeTypeFont:
        """The font at a size, loaded once. The basic layout engine, not Raqm: the same glyphs in the
        same places whichever libraries the machine has."""
        font = self._fonts.get((size, bold))
        if font is None:
            from PIL import ImageFont

            path = self.folder / ("card-bold.ttf" if bold else "card-regular.ttf")
            font = ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
            self._fonts[(size, bold)] = font
        return font


def claim_shows(site: Site, claim: Claim) -> str:
    """Everything a claim's card shows, in one string: the card is made again only when this changes
    (an edit of the title, the summary or the analysis keeps it)."""
    verdict = site.verdicts[claim.verdict]
    person = site.people[claim.person]
    return "\0".join((site.config.title, claim.claim, claim.claimant or "", verdict.label, verdict.tone, person.name))


def site_shows(site: Site) -> str:
    """Everything the site's card shows, in one string."""
    return "\0".join((site.config.title, site.config.description or ""))


def site_alt(site: Site) -> str:
    """What the site's card says, whole."""
    config = site.config
    return f"{config.title}: {config.description}" if config.description else config.title


def claim_layout(site: Site, claim: Claim, fonts: CardFonts) -> Layout:
    """The card of one claim: the site's name, the claim as made, who made it, the verdict and the person."""
    verdict = site.verdicts[claim.verdict]
    person = site.people[claim.person]
    lines = [_single(_clean(site.config.title), fonts.font(30, False), False, LEFT, TOP + 8, RIGHT, _DIM)]
    quoted = f"“{_clean(claim.claim)[:_MOST_CHARACTERS]}”"
    texts, font, pitch = _sized(quoted, fonts, _CLAIM_SIZES, _CLAIM_TOP, _CLAIM_BOTTOM, _ELLIPSIS + "”")
    lines.extend(
        _single(text, font, True, LEFT, _CLAIM_TOP + number * pitch, RIGHT, WHITE) for number, text in enumerate(texts)
    )
    who = f"— {_clean(site.speaker(claim))}"
    lines.append(_single(who, fonts.font(32, False), False, LEFT, _CLAIM_TOP + len(texts) * pitch + 14, RIGHT, WHITE))
    label_font = fonts.font(40, True)
    label = _single(_clean(verdict.label), label_font, True, LEFT + _BADGE_PADDING, 0, RIGHT - 320, _ON_BADGE + WHITE)
    label = _centred(label, label_font, _BADGE_TOP, _BADGE_HEIGHT)
    badge = (LEFT, _BADGE_TOP, label.box[2] + _BADGE_PADDING, _BADGE_TOP + _BADGE_HEIGHT)
    name_font = fonts.font(32, False)
    name = _single(_clean(person.name), name_font, False, badge[2] + _BADGE_PADDING, 0, RIGHT, WHITE)
    lines += [label, _centred(name, name_font, _BADGE_TOP, _BADGE_HEIGHT)]
    return Layout(tuple(lines), verdict.tone, badge)


def site_layout(site: Site, fonts: CardFonts) -> Layout:
    """The card of every other page: the site's name and its description."""
    config = site.config
    lines = [_single(_clean(config.title), fonts.font(30, False), False, LEFT, TOP + 8, RIGHT, _DIM)]
    text = _clean(config.description or config.title)[:_MOST_CHARACTERS]
    texts, font, pitch = _sized(text, fonts, _CLAIM_SIZES, _SITE_TOP, _SITE_BOTTOM, _ELLIPSIS)
    lines.extend(
        _single(line, font, True, LEFT, _SITE_TOP + number * pitch, RIGHT, WHITE) for number, line in enumerate(texts)
    )
    return Layout(tuple(lines), "none")


def claim_card(site: Site, claim: Claim, fonts: CardFonts) -> bytes:
    """The PNG of a claim's card."""
    return draw(claim_layout(site, claim, fonts), fonts)


def site_card(site: Site, fonts: CardFonts) -> bytes:
    """The PNG of the site's card."""
    return draw(site_layout(site, fonts), fonts)


def draw(layout: Layout, fonts: CardFonts) -> bytes:
    """Paint a layout: a palette PNG (a few dozen colours, no dithering), with no metadata, so the same
    layout always gives the same bytes."""
    from PIL import Image, ImageDraw

    card = Image.new("L", (WIDTH, HEIGHT), 0)  # palette indices; the palette is attached at the end
    pen = ImageDraw.Draw(card)
    if layout.badge is not None:
        pen.rounded_rectangle(layout.badge, radius=10, fill=_ON_BADGE)
    for line in layout.lines:
        pen.text((line.x, line.y), line.text, font=fonts.font(line.size, line.bold), fill=line.shade, anchor="la")
    card.putpalette(_palette(layout.tone))
    out = io.BytesIO()
    card.save(out, "PNG", compress_level=COMPRESSION)
    return out.getvalue()


def _palette(tone: str) -> list[int]:
    """Background to white in 16 steps, then the badge's colour to white in 16 steps."""
    badge = bytes.fromhex(TONES.get(tone, TONES["none"])[1:])
    palette: list[int] = []
    for start in (BACKGROUND, tuple(badge)):
        for step in range(WHITE + 1):
            palette.extend(round(c + (255 - c) * step / WHITE) for c in start)
    return palette


def _clean(text: str) -> str:
    """One line of plain text: whitespace runs made one space, control and format characters (bidi
    overrides, zero-width joiners) dropped, since the basic layout would draw them as boxes."""
    kept = "".join(c for c in text if c.isspace() or not unicodedata.category(c).startswith("C"))
    return " ".join(kept.split())


def _extent(font: FreeTypeFont, text: str) -> tuple[int, int]:
    """How far the ink of a line reaches left of its start (≥ 0) and right of it."""
    left, _, right, _ = font.getbbox(text, anchor="la")
    return max(0, -int(left)), int(right)


def _fits(font: FreeTypeFont, text: str, width: int) -> bool:
    before, after = _extent(font, text)
    return before + after <= width


def _single(text: str, font: FreeTypeFont, bold: bool, x: int, y: int, right: int, shade: int) -> Line:
    """A line starting at x (moved right by any overhang of its first glyph), cut with an ellipsis
    to end before ``right``."""
    width = right - x
    left, top, right_edge, bottom = (int(edge) for edge in font.getbbox(text, anchor="la"))
    if len(text) > width // 4 or max(0, -left) + right_edge > width:  # no glyph is 4 px narrow: the rest cannot show
        text = _shorten(text[: width // 4 + 1], font, width, _ELLIPSIS)
        left, top, right_edge, bottom = (int(edge) for edge in font.getbbox(text, anchor="la"))
    x += max(0, -left)
    return Line(text, x, y, int(font.size), bold, shade, (x + left, y + top, x + right_edge, y + bottom))


def _centred(line: Line, font: FreeTypeFont, top: int, height: int) -> Line:
    """The line moved down so that the font's ascent and descent sit centred in a band."""
    ascent, descent = font.getmetrics()
    y = top + (height - ascent - descent) // 2
    left, box_top, right, bottom = line.box
    box = (left, y + box_top - line.y, right, y + bottom - line.y)
    return Line(line.text, line.x, y, line.size, line.bold, line.shade, box)


def _shorten(text: str, font: FreeTypeFont, width: int, ellipsis: str) -> str:
    """The longest start of ``text`` that fits with the ellipsis after it: whole words when it can."""
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(" ,;:.\u2014\u2013-") + ellipsis
        if _fits(font, candidate, width):
            return candidate
    return _longest(words[0], font, width, ellipsis) + ellipsis


def _longest(text: str, font: FreeTypeFont, width: int, suffix: str = "") -> str:
    """The longest start of ``text`` that fits in ``width`` with ``suffix`` after it (bisected)."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _fits(font, text[:middle] + suffix, width):
            low = middle
        else:
            high = middle - 1
    return text[:low]


def _wrap(text: str, font: FreeTypeFont, width: int, most: int, ellipsis: str) -> tuple[list[str], bool]:
    """Greedy wrap by measured width into at most ``most`` lines; True when the whole text fits, else
    the last line ends with ``ellipsis``. A word wider than a line is cut where it fills one.

    A line's width is first estimated from its words' advances; only when the estimate is within
    _SLACK of the limit is the line itself measured, so every line kept is measured to fit."""
    most = max(1, most)
    space = font.getlength(" ")
    lines: list[str] = []
    current, length = "", 0.0
    words = text.split(" ")
    index = 0
    while index < len(words) and len(lines) <= most:
        word = words[index]
        candidate = f"{current} {word}" if current else word
        estimate = length + space + font.getlength(word) if current else font.getlength(word)
        if estimate <= width - _SLACK or (estimate <= width + _SLACK and _fits(font, candidate, width)):
            current, length, index = candidate, estimate, index + 1
        elif current:
            lines.append(current)
            current, length = "", 0.0
        else:  # one word wider than the line
            cut = _longest(word, font, width) or word[0]
            lines.append(cut)
            words[index] = word[len(cut) :]
    if current:
        lines.append(current)
    if index >= len(words) and len(lines) <= most:
        return lines, True
    kept = lines[:most]
    last = kept[-1]
    kept[-1] = last + ellipsis if _fits(font, last + ellipsis, width) else _shorten(last, font, width, ellipsis)
    return kept, False


def _sized(
    text: str, fonts: CardFonts, sizes: tuple[int, ...], top: int, bottom: int, ellipsis: str
) -> tuple[list[str], FreeTypeFont, int]:
    """The text wrapped at the largest size at which it fits whole between ``top`` and ``bottom``, else cut
    at the smallest; with the font and the line pitch. Sizes the text's length rules out are skipped."""
    length = fonts.font(sizes[-1], True).getlength(text) / sizes[-1]  # advance per pixel of size
    for size in sizes:
        font = fonts.font(size, True)
        pitch = round(size * _LEADING)
        most = (bottom - top) // pitch
        if size != sizes[-1] and length * size > most * (RIGHT - LEFT) * 0.98:
            continue  # too long to fit at this size even with no space lost at the line ends
        lines, whole = _wrap(text, font, RIGHT - LEFT, most, ellipsis)
        if whole:
            break
    return lines, font, pitch
