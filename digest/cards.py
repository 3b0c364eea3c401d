"""Social cards: a 1200 by 630 PNG per claim (the claim, who made it, the verdict) and one for the site.

Shared links show them (Open Graph ``og:image``, Twitter ``summary_large_image``); the platforms
show PNG and JPEG, never SVG. ``claim_layout`` and ``site_layout`` place the text by the font's
own metrics (``cardtext``): each line is wrapped to the width it measures, a long text gets a
smaller size and then an ellipsis, and every line's box lies inside the margins. The layout is
data (each line with its box), which ``draw`` paints and the tests check. The fonts come with the
theme, so a card looks the same on every machine. A card is pixels: no text of the content can run
in it.

Pillow is imported only when a card is laid out or drawn: a rebuild that keeps every card never
pays for it. Cards are made by the ten thousand, so ``draw`` paints and compresses only the bands of
rows that hold something, reuses the bands every card shares (the site's name; a verdict's badge
with a person's name), and joins the compressed bands into one PNG (``bandpng``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .bandpng import Band, compressed, empty, png
from .cardtext import ELLIPSIS, Line, centred, clean, single, wrap
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
_FORMAT = b"bands-rle-1"
"""Part of the fonts' version, so that cards made by an older way of encoding are made again."""

WHITE = 15
"""Shades are palette indices: 0 is the background, WHITE white, and ON_BADGE + shade the same over
the badge. Text drawn on the image blends its index linearly, as the palette blends the colours:
16 steps are enough to smooth the edges, and keep the files a sixth smaller than 64."""
ON_BADGE = 16
_DIM = 10
"""The shade of the site's name at the top: a blue-grey."""
_LEADING = 1.2
_CLAIM_SIZES = (60, 52, 46, 40)
"""Sizes tried in turn for the claim, largest first: the first at which it fits whole is used."""
_CLAIM_TOP, _CLAIM_BOTTOM = 130, 428
_MOST_CHARACTERS = 1000
"""More than the largest card can show: a longer text is cut before it is measured."""
_BADGE_TOP, _BADGE_HEIGHT, _BADGE_PADDING = 492, 80, 28
_SITE_TOP, _SITE_BOTTOM = 150, BOTTOM
_LINES_KEPT, _BANDS_KEPT, _BANDS_SEEN = 10_000, 2_000, 8_192
"""Caps of what the fonts keep from card to card, so that a long ``digest serve`` does not grow: lines
shared, bands shared (a few kB each), bands drawn once (a band shared recurs well within that many)."""


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
        self.shared_bands: dict[tuple[object, ...], Band] = {}
        """Bands drawn and compressed, kept once seen twice (the site's name, a badge and a name), the
        first _BANDS_KEPT of them."""
        self.bands_seen: dict[tuple[object, ...], None] = {}
        """The last _BANDS_SEEN bands drawn once, oldest first."""
        self.lengths: dict[int, dict[str, float]] = {}
        """The advance of each word measured, by size of the bold font (words recur from card to card)."""
        self.shared_lines: dict[tuple[object, ...], Line] = {}
        """Lines every card of a site shares, laid out once (the site's name, a verdict, a person), the
        first _LINES_KEPT of them."""

    @classmethod
    def of_theme(cls, theme: Path) -> CardFonts:
        """The theme's own card fonts if it ships both, else the default theme's."""
        folder = theme / "fonts"
        own = all((folder / name).is_file() for name in ("card-regular.ttf", "card-bold.ttf"))
        return cls(folder if own else DEFAULT_FONTS)

    @cached_property
    def version(self) -> str:
        """A hash of the font files: cards are made again when a font changes."""
        digest = hashlib.blake2b(_FORMAT, digest_size=12)
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
    lines = [_shared(fonts, site.config.title, 30, False, LEFT, TOP + 8, RIGHT, _DIM)]
    quoted = f"“{clean(claim.claim)[:_MOST_CHARACTERS]}”"
    texts, font, pitch = _sized(quoted, fonts, _CLAIM_SIZES, _CLAIM_TOP, _CLAIM_BOTTOM, ELLIPSIS + "”")
    lines.extend(
        single(text, font, True, LEFT, _CLAIM_TOP + number * pitch, RIGHT, WHITE) for number, text in enumerate(texts)
    )
    who = f"— {clean(site.speaker(claim))}"
    lines.append(_shared(fonts, who, 32, False, LEFT, _CLAIM_TOP + len(texts) * pitch + 14, RIGHT, WHITE))
    label = _shared(fonts, verdict.label, 40, True, LEFT + _BADGE_PADDING, 0, RIGHT - 320, ON_BADGE + WHITE, True)
    badge = (LEFT, _BADGE_TOP, label.box[2] + _BADGE_PADDING, _BADGE_TOP + _BADGE_HEIGHT)
    lines += [label, _shared(fonts, person.name, 32, False, badge[2] + _BADGE_PADDING, 0, RIGHT, WHITE, True)]
    return Layout(tuple(lines), verdict.tone, badge)


def _shared(
    fonts: CardFonts, text: str, size: int, bold: bool, x: int, y: int, right: int, shade: int, badged: bool = False
) -> Line:
    """``single`` for the lines many cards share (the site's name, who made the claim, a verdict's
    label, a person's name), laid out once; ``badged``: centred in the badge's band."""
    key = (text, size, bold, x, y, right, shade, badged)
    line = fonts.shared_lines.get(key)
    if line is None:
        font = fonts.font(size, bold)
        line = single(clean(text), font, bold, x, y, right, shade)
        line = centred(line, font, _BADGE_TOP, _BADGE_HEIGHT) if badged else line
        if len(fonts.shared_lines) < _LINES_KEPT:
            fonts.shared_lines[key] = line
    return line


def site_layout(site: Site, fonts: CardFonts) -> Layout:
    """The card of every other page: the site's name and its description."""
    config = site.config
    lines = [single(clean(config.title), fonts.font(30, False), False, LEFT, TOP + 8, RIGHT, _DIM)]
    text = clean(config.description or config.title)[:_MOST_CHARACTERS]
    texts, font, pitch = _sized(text, fonts, _CLAIM_SIZES, _SITE_TOP, _SITE_BOTTOM, ELLIPSIS)
    lines.extend(
        single(line, font, True, LEFT, _SITE_TOP + number * pitch, RIGHT, WHITE) for number, line in enumerate(texts)
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
    layout always gives the same bytes. Only the bands of rows that hold ink are painted and
    compressed; the empty rows between them and the bands seen before are taken ready-made."""
    pieces: list[Band] = []
    row = 0
    for top, bottom, lines, badge in _bands_of(layout):
        if top > row:
            pieces.append(empty(top - row, WIDTH))
        pieces.append(_band(fonts, top, bottom, lines, badge))
        row = bottom
    if row < HEIGHT:
        pieces.append(empty(HEIGHT - row, WIDTH))
    return png(WIDTH, HEIGHT, pieces, _palette(layout.tone))


_ROW = WIDTH + 1
"""A row of the image data: its filter byte (0, none), then one palette index a pixel."""
_INK_MARGIN = 2
"""Rows above and below a line's ink box in its band, in case a glyph's pixels stray out of it (with the
shipped fonts none does, even marks stacked three high: tests/test_cards.py paints cards whole to check)."""


def _bands_of(
    layout: Layout,
) -> list[tuple[int, int, tuple[Line, ...], tuple[int, int, int, int] | None]]:
    """The layout cut into bands of rows, top to bottom: (first row, row after the last, the lines and
    the badge in it); no two bands share a row, and the rows between them are empty."""
    spans: list[tuple[int, int, Line | None]] = [(line.box[1], line.box[3], line) for line in layout.lines]
    if layout.badge is not None:
        spans.append((layout.badge[1], layout.badge[3] + 1, None))  # a rectangle's bottom row is painted
    bands: list[tuple[int, int, list[Line], bool]] = []
    for top, bottom, line in sorted(spans, key=lambda span: span[:2]):
        top, bottom = max(0, top - _INK_MARGIN), min(HEIGHT, bottom + _INK_MARGIN)
        if bands and top <= bands[-1][1]:
            first, last, lines, badged = bands[-1]
            bands[-1] = (first, max(last, bottom), lines, badged)
        else:
            bands.append((top, bottom, [], False))
        if line is None:
            bands[-1] = (*bands[-1][:3], True)
        else:
            bands[-1][2].append(line)
    return [(top, bottom, tuple(lines), layout.badge if badged else None) for top, bottom, lines, badged in bands]


def _band(
    fonts: CardFonts, top: int, bottom: int, lines: tuple[Line, ...], badge: tuple[int, int, int, int] | None
) -> Band:
    """The rows ``top`` to ``bottom`` with these lines and badge painted, compressed; kept once the
    same band (same text, same places) has been drawn twice."""
    key = (top, bottom, badge, *((line.text, line.x, line.y, line.size, line.bold, line.shade) for line in lines))
    band = fonts.shared_bands.get(key)
    if band is not None:
        return band
    from PIL import Image, ImageDraw

    # one column more on the left, never painted: each row of the bytes then starts with its filter byte
    image = Image.new("L", (_ROW, bottom - top), 0)
    pen = ImageDraw.Draw(image)
    if badge is not None:
        left, upper, right, lower = badge
        pen.rounded_rectangle((left + 1, upper - top, right + 1, lower - top), radius=10, fill=ON_BADGE)
    for line in lines:
        font = fonts.font(line.size, line.bold)
        pen.text((line.x + 1, line.y - top), line.text, font=font, fill=line.shade, anchor="la")
    band = compressed(image.tobytes())
    seen = fonts.bands_seen
    if key in seen:
        if len(fonts.shared_bands) < _BANDS_KEPT:
            fonts.shared_bands[key] = band
    else:
        seen[key] = None
        if len(seen) > _BANDS_SEEN:
            del seen[next(iter(seen))]
    return band


@cache
def _palette(tone: str) -> bytes:
    """Background to white in 16 steps, then the badge's colour to white in 16 steps."""
    badge = bytes.fromhex(TONES.get(tone, TONES["none"])[1:])
    palette: list[int] = []
    for start in (BACKGROUND, tuple(badge)):
        for step in range(WHITE + 1):
            palette.extend(round(c + (255 - c) * step / WHITE) for c in start)
    return bytes(palette)


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
        lines, whole = wrap(text, font, RIGHT - LEFT, most, ellipsis, fonts.lengths.setdefault(size, {}))
        if whole:
            break
    return lines, font, pitch
