"""Lines of text on a social card, fitted by the font's own metrics: measured, wrapped to a width,
cut with an ellipsis when they do not fit, each with the box of its ink. ``cards`` places them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

ELLIPSIS = "…"
_SLACK = 6
"""Pixels: a line whose width estimated from its words' advances is this close to the limit is measured."""
_WORDS_KEPT = 20_000
"""Words whose advance is kept, a size: enough for most of a site's vocabulary, a megabyte or two."""


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
    """Palette index of its colour: up to ``cards.WHITE`` on the background, from ``cards.ON_BADGE`` on the badge."""
    box: tuple[int, int, int, int]
    """Left, top, right and bottom of its ink on the card, as Pillow measures it."""


def clean(text: str) -> str:
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


def single(text: str, font: FreeTypeFont, bold: bool, x: int, y: int, right: int, shade: int) -> Line:
    """A line starting at x (moved right by any overhang of its first glyph), cut with an ellipsis
    to end before ``right``."""
    width = right - x
    left, top, right_edge, bottom = (int(edge) for edge in font.getbbox(text, anchor="la"))
    if len(text) > width // 4 or max(0, -left) + right_edge > width:  # no glyph is 4 px narrow: the rest cannot show
        text = _shorten(text[: width // 4 + 1], font, width, ELLIPSIS)
        left, top, right_edge, bottom = (int(edge) for edge in font.getbbox(text, anchor="la"))
    x += max(0, -left)
    return Line(text, x, y, int(font.size), bold, shade, (x + left, y + top, x + right_edge, y + bottom))


def centred(line: Line, font: FreeTypeFont, top: int, height: int) -> Line:
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


def wrap(
    text: str, font: FreeTypeFont, width: int, most: int, ellipsis: str, lengths: dict[str, float]
) -> tuple[list[str], bool]:
    """Greedy wrap by measured width into at most ``most`` lines; True when the whole text fits, else
    the last line ends with ``ellipsis``. A word wider than a line is cut where it fills one.

    A line's width is first estimated from its words' advances; only when the estimate is within
    _SLACK of the limit is the line itself measured, so every line kept is measured to fit."""
    most = max(1, most)
    space = font.getlength(" ")
    measured = lengths.get
    lines: list[str] = []
    current, length = "", 0.0
    words = text.split(" ")
    index = 0
    while index < len(words) and len(lines) <= most:
        word = words[index]
        candidate = f"{current} {word}" if current else word
        advance = measured(word)
        if advance is None:
            advance = font.getlength(word)
            if len(lengths) < _WORDS_KEPT:
                lengths[word] = advance
        estimate = length + space + advance if current else advance
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
