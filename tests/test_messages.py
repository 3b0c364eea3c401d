"""The theme's words: message catalogs per language, complete; a missing message fails the build with its
name and catalog; dates in Babel's month forms; plural forms; verdicts worded per language in site.yaml."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from digest.build import DEFAULT_THEME
from digest.messages import GENERATOR, load_messages, used_messages
from digest.theme import Theme, parsed

from .conftest import build_into, write

CATALOGS = DEFAULT_THEME / "messages"
LANGUAGES = ("en", "uk", "ru")


def _entries(language: str) -> dict[str, object]:
    """msgid (the singular for a plural) → msgstr (a tuple of forms for a plural), fuzzy ones left out."""
    with (CATALOGS / f"{language}.po").open("rb") as file:
        catalog = read_po(file)
    return {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in catalog if m.id and not m.fuzzy}


def test_every_message_the_theme_and_generator_use_is_in_every_catalog() -> None:
    used = used_messages({name: tree for name, (_, tree) in parsed(Theme(DEFAULT_THEME)).items()})
    assert len(used) > 100  # the templates' words are messages, not literal English
    assert set(GENERATOR) <= set(used)
    for language in LANGUAGES:
        assert load_messages(DEFAULT_THEME, language).lacking(used) == [], language


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_uk_and_ru_translate_every_english_message(language: str) -> None:
    english, other = _entries("en"), _entries(language)
    assert sorted(set(english) - set(other)) == []
    empty = [msgid for msgid, string in other.items() if not all(string if isinstance(string, tuple) else [string])]
    assert empty == []
    plurals = {msgid: string for msgid, string in other.items() if isinstance(string, tuple)}
    assert plurals and all(len(forms) == 3 for forms in plurals.values())  # one, few, many
    # every placeholder of the English text is kept (a translation may not drop the speaker or a link)
    for msgid, string in other.items():
        wanted = set(re.findall(r"%\(\w+\)s", msgid))
        for form in string if isinstance(string, tuple) else (string,):
            assert set(re.findall(r"%\(\w+\)s", form)) >= wanted - {"%(num)s"}, (language, msgid, form)


@pytest.mark.parametrize(
    ("language", "long", "month"),
    [
        ("en", "7 November 2024", "November 2024"),
        ("uk", "7 листопада 2024", "листопад 2024"),  # Babel's genitive in a date, nominative alone
        ("ru", "7 ноября 2024", "ноябрь 2024"),
    ],
)
def test_dates_are_written_with_babels_month_forms(language: str, long: str, month: str) -> None:
    messages = Theme(DEFAULT_THEME).messages(language)
    assert messages.long_date(date(2024, 11, 7)) == long
    assert messages.month_name(date(2024, 11, 7)) == month


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("en", {1: "1 check", 2: "2 checks", 5: "5 checks", 21: "21 checks"}),
        (
            "uk",
            {
                1: "1 перевірка",
                2: "2 перевірки",
                5: "5 перевірок",
                11: "11 перевірок",
                21: "21 перевірка",
                24: "24 перевірки",
            },
        ),
        (
            "ru",
            {
                1: "1 проверка",
                2: "2 проверки",
                5: "5 проверок",
                11: "11 проверок",
                21: "21 проверка",
                112: "112 проверок",
            },
        ),
    ],
)
def test_plural_forms(language: str, forms: dict[int, str]) -> None:
    messages = Theme(DEFAULT_THEME).messages(language)
    got = {n: messages.plural_text("%(num)s check", "%(num)s checks", n) for n in forms}
    assert got == forms


def _theme_copy(tmp_path: Path) -> Path:
    theme = tmp_path / "theme"
    shutil.copytree(DEFAULT_THEME, theme)
    return theme


def _without(catalog: Path, msgid: str) -> None:
    """Remove one message (its msgid and msgstr lines) from a catalog."""
    text = catalog.read_text(encoding="utf-8")
    entry = f'msgid "{msgid}"\nmsgstr "{msgid}"\n'
    assert entry in text
    catalog.write_text(text.replace(entry, ""), encoding="utf-8")


def test_a_missing_message_fails_the_build_naming_it_and_the_catalog(scratch: Path, tmp_path: Path, run) -> None:
    theme = _theme_copy(tmp_path)
    _without(theme / "messages" / "en.po", "Latest checks")
    out = tmp_path / "out"
    result = run("build", "--content", str(scratch), "--out", str(out), "--theme", str(theme), "--no-search")
    assert result.code == 1
    assert (
        f"{theme / 'messages' / 'en.po'}:1: no message 'Latest checks' in this catalog, used in home.html:"
        in result.err
    )
    assert "Traceback" not in result.err
    assert not out.exists()  # nothing half-written
    result = run("check", "--content", str(scratch), "--theme", str(theme))
    assert result.code == 1 and "no message 'Latest checks'" in result.err


def test_a_missing_generator_message_fails_too(scratch: Path, tmp_path: Path, run) -> None:
    theme = _theme_copy(tmp_path)
    _without(theme / "messages" / "en.po", "Rating change")  # a feed's word, used by no template literal
    result = run("build", "--content", str(scratch), "--out", str(tmp_path / "out"), "--theme", str(theme))
    assert result.code == 1
    assert "en.po:1: no message 'Rating change' in this catalog, used in the generator" in result.err


def test_a_language_without_a_catalog_is_an_error(scratch: Path, tmp_path: Path, run) -> None:
    site = scratch / "site.yaml"
    site.write_text(site.read_text().replace("language: en", "language: de"))
    result = run("build", "--content", str(scratch), "--out", str(tmp_path / "out"), "--no-search")
    assert result.code == 1
    assert "messages/de.po:1: the theme has no messages for the site's language 'de'" in result.err
    assert "its catalogs: en, ru, uk" in result.err


def test_a_regional_tag_uses_its_languages_catalog(scratch: Path, tmp_path: Path) -> None:
    site = scratch / "site.yaml"
    site.write_text(site.read_text().replace("language: en", "language: en-GB"))
    assert build_into(scratch, tmp_path / "out", "--no-search") == 0
    home = (tmp_path / "out" / "index.html").read_text()
    assert '<html lang="en-GB">' in home and "Latest checks" in home


def test_a_ukrainian_site_reads_in_ukrainian(scratch: Path, tmp_path: Path) -> None:
    site = scratch / "site.yaml"
    site.write_text(site.read_text().replace("language: en", "language: uk"))
    assert build_into(scratch, tmp_path / "out", "--no-search") == 0
    out = tmp_path / "out"
    home = (out / "index.html").read_text()
    assert '<html lang="uk">' in home
    assert "Останні перевірки" in home and "Latest checks" not in home
    claim = (out / "claims" / "bob-said-sky-is-blue" / "index.html").read_text()
    assert "Наш вердикт" in claim
    assert '<span class="verdict-big tone-r5">Правда</span>' in claim  # the default scale, in Ukrainian
    assert '<time datetime="2024-01-04">4 січня 2024</time>' in claim  # Babel's genitive month
    timeline = (out / "timeline" / "index.html").read_text()
    assert "січень 2024" in timeline  # the month standing alone
    feed = (out / "people" / "bob" / "feed.xml").read_text()
    assert "Minimal Digest: заяви — " in feed


SCALE = """verdicts:
  - {key: "true", label: {en: "True", uk: "Правда", ru: "Правда"}, rating: 2, description: {en: "Accurate.", uk: "Точно."}}
  - {key: "false", label: "False", rating: 1}
"""


def test_verdicts_may_be_worded_per_language(scratch: Path, tmp_path: Path) -> None:
    site = scratch / "site.yaml"
    site.write_text(site.read_text() + SCALE)
    from digest.config import load_config

    config = load_config(scratch, "content")
    true, false = config.verdicts
    assert (true.label, true.description) == ("True", "Accurate.")
    assert true.in_language("uk").label == "Правда" and true.in_language("uk").description == "Точно."
    assert true.in_language("ru").description == "Accurate."  # not given in Russian: the site language's
    assert false.label == "False" and false.in_language("uk") == false  # a plain text stays valid
    uk = scratch / "site.yaml"
    uk.write_text(uk.read_text().replace("language: en", "language: uk"))
    true = load_config(scratch, "content").verdicts[0]
    assert (true.label, true.in_language("en").label) == ("Правда", "True")


def test_the_default_scale_is_worded_in_english_ukrainian_and_russian(scratch: Path) -> None:
    from digest.config import load_config

    labels = [v.label for v in load_config(scratch, "content").verdicts]
    assert labels == ["True", "Mostly true", "Mixed", "Mostly false", "False", "Unverified"]
    verdicts = load_config(scratch, "content").verdicts
    russian = ["Правда", "В основном правда", "Полуправда"]
    assert [v.in_language("ru").label for v in verdicts][:3] == russian


def test_a_worded_verdict_needs_the_sites_language(scratch: Path, tmp_path: Path, run) -> None:
    site = scratch / "site.yaml"
    write(site, site.read_text() + 'verdicts:\n  - {key: "true", label: {uk: "Правда"}, rating: 1}\n')
    result = run("check", "--content", str(scratch))
    assert result.code == 1
    assert "site.yaml:7: verdict 'true': label has no 'en' (the site's language); it has uk" in result.err


def test_a_warm_build_follows_a_change_of_language_and_of_a_catalog(scratch: Path, tmp_path: Path) -> None:
    """Messages without values are compiled into the templates: the kept bytecode must not mix languages."""
    out = tmp_path / "out"
    assert build_into(scratch, out, "--no-search") == 0
    assert "Latest checks" in (out / "index.html").read_text()
    site = scratch / "site.yaml"
    site.write_text(site.read_text().replace("language: en", "language: uk"))
    assert build_into(scratch, out, "--no-search") == 0
    assert "Останні перевірки" in (out / "index.html").read_text()
    theme = _theme_copy(tmp_path)
    catalog = theme / "messages" / "uk.po"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace('msgstr "Останні перевірки"', 'msgstr "Нові перевірки"'),
        encoding="utf-8",
    )
    assert build_into(scratch, out, "--no-search", "--theme", str(theme)) == 0
    assert "Нові перевірки" in (out / "index.html").read_text()
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace('msgstr "Нові перевірки"', 'msgstr "Свіжі перевірки"'),
        encoding="utf-8",
    )
    assert build_into(scratch, out, "--no-search", "--theme", str(theme)) == 0
    assert "Свіжі перевірки" in (out / "index.html").read_text()
