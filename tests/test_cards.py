"""Social cards: 1200x630 PNGs whose text, laid out by the shipped font's metrics, never leaves the card."""

from __future__ import annotations

import io
import itertools
import json
import shutil
import subprocess
import sys
import unicodedata
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from bench.corpus import generate
from digest import cards
from digest.build import Options, load_site
from digest.model import Claim
from digest.site import Site

from .conftest import MINIMAL, ROOT, TODAY, build_into, write
from .html import is_redirect, parse

FONTS = cards.CardFonts(cards.DEFAULT_FONTS)
PNG_CHUNKS = [b"IHDR", b"PLTE", b"IDAT", b"IEND"]


def _site(content: Path) -> Site:
    return load_site(Options(content=content, content_shown="content", today=TODAY)).site


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The 1,000-claim bench corpus."""
    return _site(generate(tmp_path_factory.mktemp("corpus") / "content", 1000))


@pytest.fixture(scope="module")
def extremes_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Claims no editor should write, and a scale with a long label: the card must still hold them."""
    content = tmp_path_factory.mktemp("extremes") / "content"
    shutil.copytree(MINIMAL, content)
    config = (content / "site.yaml").read_text()
    long_label = "Mostly false, with important context missing from every version of it"
    write(
        content / "site.yaml",
        config
        + "verdicts:\n"
        + "".join(
            f'  - {{key: "{key}", label: "{long_label if key == "false" else key}", rating: {rating}, description: "D."}}\n'
            for key, rating in (("true", 5), ("mixed", 3), ("mostly-false", 2), ("false", 1), ("unverified", "null"))
        ),
    )
    write(content / "people/wide.md", f"---\nname: {'Wolfeschlegelsteinhausenbergerdorff ' * 6}\n---\n")
    claims = {
        "one-long-word": ("W" * 400, None),
        "cyrillic": ("Путін привітав Трампа через знайомих, а не телефоном. " * 12, None),
        "very-long": ("A claim that goes on and on, " * 200, "Someone " * 100),
        "mixed-scripts": ("Ω≈ç√∫ 日本語 עברית العربية 🙂 \u202eevil\u202c " * 10, "\u200b" * 5 + "Claimant"),
        "wide-glyphs": ("WWWW MMMM ———— " * 30, None),
    }
    for slug, (text, claimant) in claims.items():
        write_claim(content, slug, text, claimant)
    return content


def write_claim(content: Path, slug: str, text: str, claimant: str | None) -> None:
    """A claim of the extremes' person, with the false verdict (its label the long one)."""
    write(
        content / f"claims/{slug}.md",
        "---\n"
        f"title: {json.dumps(slug)}\n"
        f"claim: {json.dumps(text, ensure_ascii=False)}\n"
        + (f"claimant: {json.dumps(claimant, ensure_ascii=False)}\n" if claimant else "")
        + "person: wide\nclaim_date: 2024-01-03\npublished: 2024-01-04\nverdict: false\n"
        'summary: "S."\nsources:\n  - {title: "T", outlet: "O"}\n---\nBody.\n',
    )


@pytest.fixture(scope="module")
def extremes(extremes_content: Path) -> Site:
    return _site(extremes_content)


@pytest.fixture(scope="module")
def marks(extremes_content: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The extremes, and claims whose ink reaches far above and below the line: Vietnamese capitals
    with two marks, accents stacked on capitals, marks stacked above and below. Their lines' boxes may
    overlap (the ink of stacked marks does), so they are not part of the extremes."""
    content = tmp_path_factory.mktemp("marks") / "content"
    shutil.copytree(extremes_content, content)
    write_claim(content, "vietnamese", "Ấn Độ ỐNG Ỗ Ặ Ễ Ỹ quỹ gặp Quyết định Ậy " * 8, "Ẫ Ỵ Ợ")
    write_claim(content, "stacked", "Ȁ̈̈̈ q̣̣̣̣ Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇ ÅÉÎ gjpqy Ǳ ﬁ ḈṨ " * 6, "Ǻ̈̈ Çę̣̣ Ŋ̈")
    return _site(content)


def _longest(site: Site) -> Claim:
    return max(site.claims.values(), key=lambda c: (len(c.claim), c.slug))


def outside(layout: cards.Layout) -> list[str]:
    """Every line whose box leaves the margins, the badge if it does, and each pair of lines that
    overlap: empty when the layout stays inside."""
    problems = [
        f"{line} leaves the margins"
        for line in layout.lines
        if not (line.box[0] >= cards.LEFT and line.box[2] <= cards.RIGHT)
        or not (line.box[1] >= cards.TOP and line.box[3] <= cards.BOTTOM)
    ]
    if layout.badge is not None:
        left, top, right, bottom = layout.badge
        if not (cards.LEFT <= left < right <= cards.RIGHT and cards.TOP <= top < bottom <= cards.BOTTOM):
            problems.append(f"the badge {layout.badge} leaves the margins")
    ordered = sorted((line.box for line in layout.lines), key=lambda box: (box[1], box[0]))
    for upper, lower in itertools.pairwise(ordered):
        overlap_x = upper[0] < lower[2] and lower[0] < upper[2]
        if overlap_x and lower[1] < upper[3]:
            problems.append(f"{upper} and {lower} overlap")
    return problems


def drawn_outside(png: bytes) -> list[str]:
    """What the pixels tell: not a 1200x630 palette PNG, ink outside the margins, or nothing drawn
    inside; empty when the card is right."""
    image = Image.open(io.BytesIO(png))
    if (image.format, image.size, image.mode) != ("PNG", (1200, 630), "P"):
        return [f"a {image.format} of {image.size} in mode {image.mode}"]
    outside = image.copy()
    outside.paste(0, (cards.LEFT, cards.TOP, cards.RIGHT, cards.BOTTOM))
    problems = [f"ink outside the margins, within {outside.getbbox()}"] if outside.getbbox() is not None else []
    return problems + (["nothing drawn"] if image.getbbox() is None else [])


def shown_as(text: str) -> str:
    """Text as a card shows it: on one line, white space runs made one space, control and format
    characters (bidi overrides, zero-width spaces) left out, since the font would draw them as boxes."""
    kept = "".join(c for c in text if c.isspace() or not unicodedata.category(c).startswith("C"))
    return " ".join(kept.split())


def _text(layout: cards.Layout, first: int, last: int) -> str:
    return " ".join(line.text for line in layout.lines[first:last])


@pytest.mark.parametrize("which", ["content", "corpus", "extremes"])
def test_every_card_stays_inside_its_margins(which: str, request: pytest.FixtureRequest) -> None:
    site = _site(ROOT / "content") if which == "content" else request.getfixturevalue(which)
    for claim in site.claims.values():
        assert outside(cards.claim_layout(site, claim, FONTS)) == [], claim.slug
    assert drawn_outside(cards.claim_card(site, _longest(site), FONTS)) == []
    assert outside(cards.site_layout(site, FONTS)) == []
    assert drawn_outside(cards.site_card(site, FONTS)) == []


def painted_whole(layout: cards.Layout) -> bytes:
    """The layout painted by Pillow on one image of the whole card, nothing clipped: the pixels a card
    painted in bands must have."""
    image = Image.new("L", (cards.WIDTH, cards.HEIGHT), 0)
    pen = ImageDraw.Draw(image)
    if layout.badge is not None:
        pen.rounded_rectangle(layout.badge, radius=10, fill=cards.ON_BADGE)
    for line in layout.lines:
        pen.text((line.x, line.y), line.text, font=FONTS.font(line.size, line.bold), fill=line.shade, anchor="la")
    return image.tobytes()


@pytest.mark.parametrize("which", ["content", "marks"])
def test_a_card_painted_in_bands_loses_no_ink(which: str, request: pytest.FixtureRequest) -> None:
    """Each band is painted apart, a few rows around its lines' ink boxes: no glyph (accents above
    capitals, marks stacked above and below, descenders) may be cut at the edge of its band."""
    site = _site(ROOT / "content") if which == "content" else request.getfixturevalue(which)
    layouts = [cards.claim_layout(site, claim, FONTS) for claim in site.claims.values()]
    for layout in [*layouts, cards.site_layout(site, FONTS)]:
        painted = Image.open(io.BytesIO(cards.draw(layout, FONTS))).tobytes()
        assert painted == painted_whole(layout), layout.lines[1].text[:40]


def test_the_claim_is_shown_whole_or_cut_with_an_ellipsis(extremes: Site) -> None:
    for site in (_site(ROOT / "content"), extremes):
        for claim in site.claims.values():
            layout = cards.claim_layout(site, claim, FONTS)
            lines = [line for line in layout.lines if line.bold and line.shade == cards.WHITE]
            shown = " ".join(line.text for line in lines)
            quoted = f"“{shown_as(claim.claim)}”"
            if shown.endswith("…”"):
                prefix = shown.removesuffix("…”")
                assert quoted.replace(" ", "").startswith(prefix.replace(" ", "")), claim.slug
                assert len(prefix) < len(quoted)
            else:
                assert shown.replace(" ", "") == quoted.replace(" ", ""), claim.slug
    cut = cards.claim_layout(extremes, extremes.claims["cyrillic"], FONTS)
    assert [line.text for line in cut.lines[-3:]] == [
        "— Wolfeschlegelsteinhausenbergerdorff…",  # whole words while one fits
        "Mostly false, with important…",  # no comma before the ellipsis
        "Wolfeschlegelstei…",  # else cut inside the word
    ]
    assert cut.lines[1].text.startswith("“Путін привітав Трампа")


def test_a_short_claim_is_large_and_a_long_one_smaller(corpus: Site) -> None:
    content = _site(ROOT / "content")
    sizes = {claim.slug: cards.claim_layout(content, claim, FONTS).lines[1].size for claim in content.claims.values()}
    assert max(sizes.values()) == 60
    longest = cards.claim_layout(corpus, _longest(corpus), FONTS)
    assert longest.lines[1].size < 60


def test_the_shipped_font_has_cyrillic() -> None:
    # every letter of the Ukrainian and Russian alphabets, in both weights the cards use
    letters = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяёъыэ’«»—"
    for bold in (True, False):
        font = FONTS.font(40, bold)
        missing = font.getmask("\u0378").getbbox()  # unassigned: drawn as the font's "no glyph" box
        for letter in letters + letters.upper():
            assert font.getmask(letter).getbbox() != missing, (letter, bold)
    assert (cards.DEFAULT_FONTS / "LICENSE").read_text().count("Permission is hereby granted") == 2


def test_cards_are_the_same_bytes_in_another_process_and_carry_no_metadata(
    extremes: Site, extremes_content: Path
) -> None:
    claim = extremes.claims["cyrillic"]
    png = cards.claim_card(extremes, claim, FONTS)
    assert png == cards.claim_card(extremes, claim, FONTS)
    chunks, offset = [], 8
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    while offset < len(png):
        length = int.from_bytes(png[offset : offset + 4], "big")
        chunks.append(png[offset + 4 : offset + 8])
        offset += 12 + length
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND"
    assert set(chunks) == set(PNG_CHUNKS)  # no tIME, tEXt, pHYs: nothing from the clock or the machine
    script = (
        "import sys; from pathlib import Path; from digest import cards; from digest.build import Options, load_site; "
        "from datetime import date; "
        "site = load_site(Options(content=Path(sys.argv[1]), today=date(2026, 1, 1))).site; "
        "sys.stdout.buffer.write(cards.claim_card(site, site.claims['cyrillic'], cards.CardFonts(cards.DEFAULT_FONTS)))"
    )
    other = subprocess.run([sys.executable, "-c", script, str(extremes_content)], capture_output=True, check=True)
    assert other.stdout == png


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.com/sub/path/"])
def test_without_social_cards_every_page_shares_the_site_card(tmp_path: Path, base_url: str) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINIMAL, content)
    write(content / "site.yaml", (content / "site.yaml").read_text() + "social_cards: false\n")
    out = tmp_path / "site"
    assert build_into(content, out, "--no-search", "--base-url", base_url) == 0
    assert not list((out / "claims").rglob("card.png"))
    assert drawn_outside((out / "card.png").read_bytes()) == []
    claims = [page for page in (out / "claims").glob("*/index.html") if not is_redirect(page)]
    assert claims
    for page in [*claims, out / "index.html"]:
        meta = {m.get("property") or m.get("name"): m.get("content") for m in parse(page).xpath("//meta")}
        assert meta["og:image"] == meta["twitter:image"] == base_url + "card.png", page
        assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:type"]) == ("1200", "630", "image/png")
        assert meta["og:image:alt"] == meta["twitter:image:alt"] == "Minimal Digest: A tiny content folder for tests."
    # the default: each claim its own card, named by its page
    write(
        content / "site.yaml", (content / "site.yaml").read_text().replace("social_cards: false", "social_cards: true")
    )
    assert build_into(content, out, "--no-search", "--base-url", base_url) == 0
    for page in claims:
        card = page.parent / "card.png"
        assert drawn_outside(card.read_bytes()) == [], card
        image = parse(page).xpath('string(//meta[@property="og:image"]/@content)')
        assert image == base_url + card.relative_to(out).as_posix()


def test_a_card_is_a_well_formed_png(corpus: Site) -> None:
    """Each chunk's CRC and the image data's Adler-32 check out (the cards are assembled from bands
    compressed apart), and the rows decompress to the pixels Pillow reads."""
    for claim in [*corpus.claims.values()][:50]:
        png = cards.claim_card(corpus, claim, FONTS)
        chunks, offset = {}, 8
        while offset < len(png):
            length = int.from_bytes(png[offset : offset + 4], "big")
            kind, data = png[offset + 4 : offset + 8], png[offset + 8 : offset + 8 + length]
            assert int.from_bytes(png[offset + 8 + length : offset + 12 + length], "big") == zlib.crc32(kind + data)
            chunks[kind] = data
            offset += 12 + length
        rows = zlib.decompress(chunks[b"IDAT"])  # raises on a wrong Adler-32
        assert len(rows) == cards.HEIGHT * (cards.WIDTH + 1)
        assert rows[:: cards.WIDTH + 1] == bytes(cards.HEIGHT)  # every row unfiltered
        pixels = b"".join(
            rows[row * (cards.WIDTH + 1) + 1 : (row + 1) * (cards.WIDTH + 1)] for row in range(cards.HEIGHT)
        )
        assert Image.open(io.BytesIO(png)).tobytes() == pixels


def test_what_the_fonts_keep_from_card_to_card_is_bounded(corpus: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long ``digest serve`` draws cards without end: the lines and bands kept stay under their caps,
    and a card drawn once the caps are reached is the same bytes."""
    claims = [*corpus.claims.values()][:40]
    expected = [cards.claim_card(corpus, claim, cards.CardFonts(cards.DEFAULT_FONTS)) for claim in claims]
    monkeypatch.setattr(cards, "_LINES_KEPT", 3)
    monkeypatch.setattr(cards, "_BANDS_KEPT", 1)
    monkeypatch.setattr(cards, "_BANDS_SEEN", 8)
    fonts = cards.CardFonts(cards.DEFAULT_FONTS)
    assert [cards.claim_card(corpus, claim, fonts) for claim in claims] == expected
    assert (len(fonts.shared_lines), len(fonts.shared_bands), len(fonts.bands_seen)) == (3, 1, 8)
