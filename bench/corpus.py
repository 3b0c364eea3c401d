"""A deterministic synthetic content folder at any scale, in the format of docs/design.md.

``python -m bench.corpus OUT --claims 10000`` writes OUT/site.yaml, ~40 people, free pages and
the claims in monthly sub-folders: bodies of 300-700 words with links, lists, quotes and tables,
1-4 sources, tags, related claims. The same arguments always give the same bytes. Also used by
tests that need a site at scale.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

_VOCABULARY = """
the minister said that government report budget war peace talks border army aid sanctions
election vote parliament president spokesperson statement interview claim evidence source
document official figure percent million billion record increase decrease agreement treaty
ceasefire offensive region city village energy gas oil grain exports imports economy
inflation court ruling law decree press conference summit meeting delegation ambassador
embassy according to data shows however although because therefore meanwhile earlier later
since analysts experts observers reporters outlet newspaper television channel video post
checked verified confirmed denied disputed unclear misleading accurate false true partly
"""
WORDS = _VOCABULARY.split()
_UKRAINIAN = """
міністр сказав що уряд звіт бюджет війна мир переговори кордон армія допомога санкції вибори
голосування парламент президент речник заява інтерв'ю твердження докази джерело документ
офіційний показник відсоток мільйон мільярд рекорд зростання зниження угода договір перемир'я
наступ область місто село енергія газ нафта зерно експорт імпорт економіка інфляція суд рішення
закон указ пресконференція саміт зустріч делегація посол посольство за даними однак хоча тому
перевірено підтверджено спростовано неточно правда неправда частково
"""
UKRAINIAN_WORDS = _UKRAINIAN.split()
VERDICTS = ("true", "mostly-true", "mixed", "mostly-false", "false", "unverified")
OUTLETS = tuple(
    f"Outlet {name}"
    for name in (
        "Alpha",
        "Bravo",
        "Charlie",
        "Delta",
        "Echo",
        "Foxtrot",
        "Golf",
        "Hotel",
        "India",
        "Juliet",
        "Kilo",
        "Lima",
        "Mike",
        "November",
        "Oscar",
        "Papa",
        "Quebec",
        "Romeo",
        "Sierra",
        "Tango",
    )
)
TAGS = tuple(f"topic-{n}" for n in range(60))
PEOPLE = 40

SITE = """title: Synthetic Digest
description: A generated corpus for benchmarks and tests at scale.
base_url: https://example.org/bench/
language: en
publisher: {name: Bench Desk, url: https://example.org/}
limits: {max_files: 1000000}
"""


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 18)) for _ in range(sentences))


def body(rng: random.Random, index: int, total: int) -> str:
    """300-700 words of Markdown with headings, links, a list, a quote and a table."""
    other = rng.randrange(total)
    parts = [
        _paragraph(rng, 4),
        f"See [an earlier check](/claims/claim-{other:06d}/) and [the source](https://example.org/source/{index}).",
        "## What the evidence shows",
        _paragraph(rng, 5),
        "\n".join(f"- {_sentence(rng, rng.randint(5, 10))}" for _ in range(rng.randint(3, 6))),
        f"> {_sentence(rng, 14)} {_sentence(rng, 10)}",
        "| Year | Figure | Change |\n| --- | ---: | ---: |\n"
        + "\n".join(
            f"| {2015 + i} | {rng.randint(1, 999)} | {rng.randint(-50, 50)}% |" for i in range(rng.randint(3, 6))
        ),
        "## Why this verdict",
        _paragraph(rng, rng.randint(4, 14)),
    ]
    return "\n\n".join(parts) + "\n"


def claim_file(rng: random.Random, index: int, total: int) -> tuple[str, str]:
    """(relative path, text) of one synthetic claim."""
    start = date(2015, 1, 1)
    claim_date = start + timedelta(days=index * 3650 // max(total, 1))
    published = claim_date + timedelta(days=rng.randint(0, 20))
    person = f"person-{rng.randrange(PEOPLE):02d}"
    others = sorted({f"person-{rng.randrange(PEOPLE):02d}" for _ in range(rng.randint(0, 2))} - {person})
    related = sorted({f"claim-{rng.randrange(total):06d}" for _ in range(rng.randint(0, 3))} - {f"claim-{index:06d}"})
    tags = sorted({rng.choice(TAGS) for _ in range(rng.randint(1, 3))})
    sources = []
    for number in range(rng.randint(1, 4)):
        sources.append(
            f'  - title: "{_sentence(rng, 6)[:-1]}"\n'
            f"    outlet: {rng.choice(OUTLETS)}\n"
            f"    date: {claim_date.isoformat()}\n"
            + ("    role: appearance\n" if number == 0 else "")
            + f"    url: https://news.test/articles/{index}/{number}\n"
        )
    corrections = ""
    if index % 25 == 0:
        corrected = (published + timedelta(days=2)).isoformat()
        corrections = f'corrections:\n  - {{date: {corrected}, type: update, note: "Added a source."}}\n'
    text = (
        "---\n"
        f'title: "{_sentence(rng, 9)[:-1]}"\n'
        f'claim: "{_sentence(rng, 14)}"\n'
        f"person: {person}\n"
        f"people: [{', '.join(others)}]\n"
        f"claim_date: {claim_date.isoformat()}\n"
        f"published: {published.isoformat()}\n"
        f"verdict: {rng.choice(VERDICTS)}\n"
        f'summary: "{_sentence(rng, 20)}"\n'
        "sources:\n" + "".join(sources) + f"related: [{', '.join(related)}]\n"
        f"tags: [{', '.join(tags)}]\n" + corrections + "---\n" + body(rng, index, total)
    )
    return f"claims/{claim_date:%Y-%m}/claim-{index:06d}.md", text


def _ukrainian(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(UKRAINIAN_WORDS) for _ in range(words)).capitalize() + "."


def translation_file(index: int, total: int, relative: str, seed: int) -> tuple[str, str]:
    """(relative path, text) of the Ukrainian translation of one synthetic claim: its texts and body only."""
    rng = random.Random(f"{seed}-uk-{index}")  # its own random numbers: the English corpus stays the same
    paragraphs = [" ".join(_ukrainian(rng, rng.randint(8, 18)) for _ in range(5)) for _ in range(4)]
    other = rng.randrange(total)
    text = (
        "---\n"
        f'title: "{_ukrainian(rng, 9)[:-1]}"\n'
        f'claim: "{_ukrainian(rng, 14)}"\n'
        f'summary: "{_ukrainian(rng, 20)}"\n'
        "---\n"
        f"{paragraphs[0]}\n\nДив. [попередню перевірку](/claims/claim-{other:06d}/).\n\n"
        "## Що показують докази\n\n" + "\n\n".join(paragraphs[1:]) + "\n"
    )
    return relative.removesuffix(".md") + ".uk.md", text


def translated(index: int, share: float) -> bool:
    """Whether claim ``index`` has a translation, for ``share`` of the claims spread evenly."""
    return int((index + 1) * share) > int(index * share)


def generate(root: Path, claims: int, seed: int = 1, translated_share: float = 0.0) -> Path:
    """Write the corpus under root (which must not exist or be empty); return root. With a
    ``translated_share`` above 0, the site is in English and Ukrainian (``languages: [en, uk]``):
    that share of the claims, and every person, have a Ukrainian translation."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    site = SITE.replace("language: en\n", "languages: [en, uk]\n") if translated_share > 0 else SITE
    (root / "site.yaml").write_text(site, encoding="utf-8")
    (root / "people").mkdir(exist_ok=True)
    for number in range(PEOPLE):
        (root / "people" / f"person-{number:02d}.md").write_text(
            f"---\nname: Person {number:02d}\nrole: Official number {number}\n---\n{_paragraph(rng, 3)}\n",
            encoding="utf-8",
        )
        if translated_share > 0:
            (root / "people" / f"person-{number:02d}.uk.md").write_text(
                f"---\nname: Особа {number:02d}\nrole: Посадовець номер {number}\n---\nКоротка біографія.\n",
                encoding="utf-8",
            )
    (root / "pages").mkdir(exist_ok=True)
    for slug in ("about", "methodology"):
        (root / "pages" / f"{slug}.md").write_text(f"---\ntitle: {slug.capitalize()}\n---\n{_paragraph(rng, 5)}\n")
    for index in range(claims):
        relative, text = claim_file(rng, index, claims)
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if translated_share > 0 and translated(index, translated_share):
            relative, text = translation_file(index, claims, relative, seed)
            (root / relative).write_text(text, encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--translated",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="add a second language (uk): this share of the claims (0-1), and every person, translated",
    )
    args = parser.parse_args()
    if not 0 <= args.translated <= 1:
        parser.error("--translated: a share between 0 and 1")
    generate(args.out, args.claims, args.seed, args.translated)


if __name__ == "__main__":
    main()
