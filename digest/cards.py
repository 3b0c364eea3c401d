"""Social cards: an SVG image per claim (the claim, the person, the verdict) and one for the site.

Shared links show them (Open Graph ``og:image``, Twitter ``summary_large_image``). Built as text
with every value escaped; the layout wraps the claim to fit and never runs off the card.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from .feeds import xml_text
from .model import Claim, Site

WIDTH, HEIGHT = 1200, 630
TONES = {"r5": "#1a7f37", "r4": "#3f6f12", "r3": "#8a5a00", "r2": "#b14a05", "r1": "#b42318", "none": "#57606a"}
"""Verdict colours, as in the default theme: white text on each has at least AA contrast."""


def wrap(text: str, width: int, lines: int) -> list[str]:
    """Greedy word wrap to ``width`` characters, at most ``lines`` lines, the last cut with an ellipsis."""
    words = text.split()
    result: list[str] = []
    current = ""
    for word in words:
        while len(word) > width:  # a word longer than a line: cut it
            if current:
                result.append(current)
                current = ""
            result.append(word[:width])
            word = word[width:]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width:
            current = candidate
        else:
            result.append(current)
            current = word
    if current:
        result.append(current)
    if len(result) > lines:
        result = result[:lines]
        result[-1] = result[-1][: width - 1].rstrip() + "…"
    return result


def _lines(lines: list[str], x: int, y: int, size: int, spacing: float, weight: str = "normal") -> str:
    return "".join(
        f'<text x="{x}" y="{round(y + number * size * spacing)}" font-size="{size}" font-weight="{weight}">'
        f"{escape(line)}</text>"
        for number, line in enumerate(lines)
    )


def _card(site: Site, body: str, label: str) -> bytes:
    title = escape(xml_text(site.config.title))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(xml_text(label), {chr(34): "&quot;"})}">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#0d1b2a"/>'
        f'<g fill="#ffffff" font-family="system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif">'
        f'<text x="60" y="80" font-size="30" fill="#9fb3c8">{title}</text>{body}</g></svg>\n'
    )
    return svg.encode("utf-8")


def claim_card(site: Site, claim: Claim) -> bytes:
    """The card of one claim: the claim as made, who made it, and the verdict."""
    verdict = site.verdicts[claim.verdict]
    person = site.people[claim.person]
    who = site.speaker(claim)
    quoted = wrap(f"“{xml_text(claim.claim)}”", 38, 4)
    badge_width = 40 + 24 * len(verdict.label)
    colour = TONES.get(verdict.tone, TONES["none"])
    body = (
        _lines(quoted, 60, 190, 54, 1.22, "bold")
        + _lines(wrap(f"— {xml_text(who)}", 60, 1), 60, 190 + round(len(quoted) * 54 * 1.22) + 10, 32, 1.2)
        + f'<rect x="60" y="500" width="{badge_width}" height="72" rx="10" fill="{colour}"/>'
        + f'<text x="80" y="548" font-size="40" font-weight="bold">{escape(xml_text(verdict.label))}</text>'
        + _lines(wrap(xml_text(person.name), 30, 1), 60 + badge_width + 30, 548, 32, 1.2)
    )
    return _card(site, body, f"{claim.claim} — {who}. Verdict: {verdict.label}.")


def site_card(site: Site) -> bytes:
    """The card of every other page: the site's title and description."""
    config = site.config
    body = _lines(wrap(xml_text(config.description or config.title), 40, 5), 60, 220, 50, 1.25, "bold")
    return _card(site, body, f"{config.title}: {config.description}")
