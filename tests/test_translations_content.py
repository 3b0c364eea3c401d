"""Our Ukrainian and Russian translations against their English originals.

A translation, ``<slug>.<lang>.md`` beside ``<slug>.md``, sets only text; its facts come from the
original. tests/test_content.py checks every quotation of an original against the English seed
reports word for word. A translated quotation cannot be checked that way: it is our rendering of
the English report's words (the theme says so on every translated check), not the speaker's own
words. What can be checked is that a translation says no more and no less than its original:

- it sets only text fields, and every text field its original has;
- each field holds as many quotations as the same field of the original, and a quotation left in
  English (a report's headline) is one of the original's, word for word;
- it gives the same numbers and the same days and months as the original;
- its links lead where the original's do.

House style, which these tests rely on: quotations in Ukrainian and Russian are in «guillemets»,
quotations inside them in „low-high quotes“; the only other words in guillemets are the names below.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from .contenttext import CONTENT, MONTHS, dates_written, normalized, quotations, split

LANGUAGES = ("uk", "ru")
TEXT_FIELDS = {
    "claims": ("title", "claim", "claimant", "summary"),
    "people": ("name", "role"),
    "pages": ("title", "description"),
    "staff": ("name", "role"),
}
"""The text a translation gives (besides its body and a claim's image alt and caption)."""
IMAGE_TEXT = ("alt", "caption")

NAMES_IN_QUOTES = re.compile(r"[«„](?:Вьорстк\w*|Вёрстк\w*|Кремль — Білий дім|Кремль — Белый дом)[»“]")
"""Names that Ukrainian and Russian put in quotes where English does not: an outlet, our digest."""

# A month in any case form (nominative, genitive, locative): the Ukrainian stem, then the Russian one.
_MONTH_STEMS = [
    ("січ", "январ"), ("лют", "феврал"), ("берез", "март"), ("квіт", "апрел"), ("трав", "ма"), ("черв", "июн"),
    ("лип", "июл"), ("серп", "август"), ("верес", "сентябр"), ("жовт", "октябр"), ("листопад", "ноябр"),
    ("груд", "декабр"),
]  # fmt: skip
_ENDINGS = r"(?:ень|ня|ні|ий|ого|ому|а|і|ь|я|е|й)?"
MONTH_WORD = {
    month: re.compile(rf"\b(?:(\d{{1,2}})\s+)?(?:{uk}|{ru}){_ENDINGS}\b", re.IGNORECASE)
    for month, (uk, ru) in enumerate(_MONTH_STEMS, start=1)
}


@dataclass(frozen=True)
class Translation:
    path: Path
    lang: str
    kind: str
    meta: dict[str, Any]
    body: str
    original: Path

    @property
    def original_meta_body(self) -> tuple[dict[str, Any], str]:
        return split(self.original)

    def texts(self) -> Iterator[tuple[str, str, str]]:
        """(field, this translation's text, the original's text) for every text it translates."""
        meta, body = self.original_meta_body
        for field in TEXT_FIELDS[self.kind]:
            if field in self.meta:
                yield field, str(self.meta[field]), str(meta.get(field) or "")
        for field in IMAGE_TEXT:
            if field in (self.meta.get("image") or {}):
                yield f"image.{field}", str(self.meta["image"][field]), str((meta.get("image") or {}).get(field) or "")
        yield "body", self.body, body


def _translations() -> list[Translation]:
    found = []
    for kind in TEXT_FIELDS:
        for path in sorted((CONTENT / kind).rglob("*.*.md")):
            slug, lang = path.name.removesuffix(".md").rsplit(".", 1)
            found.append(Translation(path, lang, kind, *split(path), path.with_name(f"{slug}.md")))
    return found


TRANSLATIONS = _translations()
IDS = [str(t.path.relative_to(CONTENT)) for t in TRANSLATIONS]


def translated_quotations(text: str) -> list[str]:
    """The quotations of a Ukrainian or Russian text: its «» spans, names in quotes left out."""
    return [normalized(q) for q in re.findall(r"«([^«»]+)»", NAMES_IN_QUOTES.sub("", text))]


def is_english(text: str) -> bool:
    return re.search(r"[A-Za-z]", text) is not None and re.search(r"[\u0400-\u04FF]", text) is None


def numbers(text: str) -> Counter[str]:
    """Every number written in text (links' targets left out), 4,5 and 4.5 alike."""
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return Counter(n.replace(",", ".") for n in re.findall(r"\d+(?:[.,]\d+)?", text))


def translated_dates(text: str) -> set[tuple[int | None, int]]:
    """(day or None, month) for every month a Ukrainian or Russian text names."""
    return {(int(day) if day else None, month) for month, word in MONTH_WORD.items() for day in word.findall(text)}


def english_dates(text: str) -> set[tuple[int | None, int]]:
    return {(day, month) for day, month, _ in dates_written(text)}


def link_targets(text: str) -> list[str]:
    return sorted(re.findall(r"\]\(([^)\s]+)\)", text))


def test_there_are_translations_of_what_issue_17_asks_for() -> None:
    """Issue 17, item 5: in Ukrainian the four person pages, about, methodology and five checks; in
    Russian at least two checks."""
    have = {(t.lang, t.kind, t.path.name.split(".")[0]) for t in TRANSLATIONS}
    for slug in ("putin", "peskov", "zelenskyy", "trump"):
        assert ("uk", "people", slug) in have, slug
    assert {("uk", "pages", "about"), ("uk", "pages", "methodology")} <= have
    assert sum(1 for lang, kind, _ in have if (lang, kind) == ("uk", "claims")) >= 5
    assert sum(1 for lang, kind, _ in have if (lang, kind) == ("ru", "claims")) >= 2


@pytest.mark.parametrize("tr", TRANSLATIONS, ids=IDS)
def test_a_translation_has_an_original_and_a_language_of_the_site(tr: Translation) -> None:
    assert tr.original.is_file(), f"{tr.path.name}: no {tr.original.name} beside it"
    assert tr.lang in LANGUAGES, tr.path.name


@pytest.mark.parametrize("tr", TRANSLATIONS, ids=IDS)
def test_a_translation_sets_text_only_and_all_of_it(tr: Translation) -> None:
    original, _ = tr.original_meta_body
    fields = set(tr.meta)
    assert fields <= {*TEXT_FIELDS[tr.kind], "image"}, f"{tr.path.name}: sets {fields - set(TEXT_FIELDS[tr.kind])}"
    assert fields & {*TEXT_FIELDS[tr.kind], "image"} == set(original) & {*TEXT_FIELDS[tr.kind], "image"}, (
        f"{tr.path.name}: translates {sorted(fields)}, the original has {sorted(set(original))}"
    )
    assert set(tr.meta.get("image") or {}) <= set(IMAGE_TEXT), f"{tr.path.name}: an image's src and credit are facts"
    assert tr.body.strip(), f"{tr.path.name}: no body"


@pytest.mark.parametrize("tr", TRANSLATIONS, ids=IDS)
def test_each_quotation_of_the_original_is_a_quotation_of_the_translation(tr: Translation) -> None:
    for field, text, original in tr.texts():
        ours, theirs = translated_quotations(text), quotations(original)
        assert len(ours) == len(theirs), f"{tr.path.name} {field}: {len(ours)} quotations, the original {len(theirs)}"
        left_in_english = [q for q in ours if is_english(q)]
        assert all(q in theirs for q in left_in_english), (
            f"{tr.path.name} {field}: {left_in_english} not the original's"
        )
        stray = re.sub(r"«[^«»]*»", "", NAMES_IN_QUOTES.sub("", text))
        assert not re.search(r'["“”„]', stray), f"{tr.path.name} {field}: a quotation outside «»"


@pytest.mark.parametrize("tr", TRANSLATIONS, ids=IDS)
def test_a_translation_gives_the_numbers_and_dates_of_the_original(tr: Translation) -> None:
    ours = "\n".join(text for _, text, _ in tr.texts())
    theirs = "\n".join(original for _, _, original in tr.texts())
    assert numbers(ours) == numbers(theirs), f"{tr.path.name}: {numbers(ours)} != {numbers(theirs)}"
    assert translated_dates(ours) == english_dates(theirs), tr.path.name


@pytest.mark.parametrize("tr", TRANSLATIONS, ids=IDS)
def test_a_translation_links_where_the_original_does(tr: Translation) -> None:
    _, body = tr.original_meta_body
    assert link_targets(tr.body) == link_targets(body), tr.path.name


OTHER_LETTERS = {"uk": "ыэъё", "ru": "іїєґ"}
"""Letters of the other language only: Russian's in a Ukrainian text, Ukrainian's in a Russian one."""
OTHER_NAMES = {
    "uk": ("Дмитри", "Песков", "Владимир", "Путин", "Зеленск", "Харрис", "Вёрстк"),
    "ru": ("Дмитро", "Дмитра", "Пєсков", "Володимир", "Путін", "Зеленськ", "Гарріс", "Вьорстк"),
}
"""How the other language begins our people's names (so Пескова and Вьорстки are caught too)."""


@pytest.mark.parametrize("tr", TRANSLATIONS, ids=IDS)
def test_a_translation_is_in_one_language(tr: Translation) -> None:
    """A name or a sentence left in the other language (Песков in Ukrainian, Пєсков in Russian) is caught."""
    for field, text, _ in tr.texts():
        words = set(re.findall(r"[\w’]+", text))
        wrong = sorted(
            {w for w in words if set(w.lower()) & set(OTHER_LETTERS[tr.lang])}
            | {w for w in words if w.startswith(OTHER_NAMES[tr.lang])}
        )
        assert wrong == [], f"{tr.path.name} {field}: {wrong} are not {tr.lang}"


def _verdict_words(lang: str) -> dict[str, tuple[str, str]]:
    """key → (label, description) in lang, from site.yaml's verdicts (``label: {en: ..., uk: ...}``); {} if
    site.yaml does not word its scale in that language."""
    config = yaml.safe_load((CONTENT / "site.yaml").read_text(encoding="utf-8"))
    words = {}
    for verdict in config.get("verdicts") or ():
        label, description = verdict.get("label"), verdict.get("description")
        if isinstance(label, dict) and lang in label:
            words[str(verdict["key"]).lower()] = (
                label[lang],
                description[lang] if isinstance(description, dict) else "",
            )
    return words


@pytest.mark.parametrize("tr", [t for t in TRANSLATIONS if t.kind == "claims"], ids=lambda t: t.path.name)
def test_a_check_ends_on_its_verdict_in_the_language_of_site_yaml(tr: Translation) -> None:
    """The analysis closes with the verdict in bold, as the original does: in the words site.yaml gives it."""
    words = _verdict_words(tr.lang)
    if not words:
        pytest.skip(f"site.yaml does not word its verdicts in {tr.lang}")
    original, _ = tr.original_meta_body
    assert re.findall(r"\*\*([^*]+)\*\*", tr.body)[-1] == words[str(original["verdict"]).lower()][0], tr.path.name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_methodology_page_lists_the_verdicts_in_the_words_of_site_yaml(lang: str) -> None:
    words = _verdict_words(lang)
    if not words:
        pytest.skip(f"site.yaml does not word its verdicts in {lang}")
    _, body = split(CONTENT / "pages" / f"methodology.{lang}.md")
    rows = {tuple(cell.strip() for cell in row.strip("|").split("|")) for row in re.findall(r"^\|.*\|$", body, re.M)}
    assert [w for w in words.values() if w not in rows] == []


def test_what_these_tests_catch() -> None:
    """The checks above fail on the mistakes they are for."""
    original = 'Peskov called the claims "unreliable"; see The Kyiv Independent\'s "Putin, Russian officials".'
    assert len(translated_quotations("Пєсков назвав ці твердження недостовірними")) != len(quotations(original))
    assert translated_quotations("«Вьорстка» пише, що «через знайомих»") == ["через знайомих"]
    assert not is_english("недостовірними") and is_english("Putin, Russian officials")
    assert numbers("близько 60 млрд доларів, 4,5 млрд") == numbers("about $60 billion, $4.5 billion")
    assert numbers("425 млн доларів") != numbers("$452 million")
    assert translated_dates("7 листопада 2024 року, у вересні") == english_dates("7 November 2024, in September")
    assert translated_dates("7 ноября, в январе 2021 года") == english_dates("7 November, in January 2021")
    assert translated_dates("6 листопада") != english_dates("7 November")
    assert len(MONTHS) == len(MONTH_WORD) == 12
    assert link_targets("див. [перевірку](/claims/a/)") != link_targets("see [check](/claims/b/)")
    assert set("«Вёрстка»".lower()) & set(OTHER_LETTERS["uk"]) and set("Пєсков".lower()) & set(OTHER_LETTERS["ru"])
    assert not set("Дмитрий Песков".lower()) & set(OTHER_LETTERS["ru"])
    assert all(w.startswith(OTHER_NAMES["uk"]) for w in ("Пескова", "Дмитрия", "Путина"))
    assert not any(w.startswith(OTHER_NAMES["ru"]) for w in ("Дмитрий", "Пескова", "Путина", "Зеленского"))
