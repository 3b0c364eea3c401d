"""A site in several languages: ``languages:`` in site.yaml, translations by file name.

tests/sites/languages is the minimal site in English, Ukrainian and Russian: one check translated
into both, its person and the about page into Ukrainian, the other check not translated.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import GREEN, LANGUAGES, MINIMAL, build_into, write
from .html import local_links, pages, parse, resolve_link

BASE = "https://example.com/sub/path/"
BLUE = "claims/bob-said-sky-is-blue/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("languages") / "site"
    assert build_into(LANGUAGES, out, "--no-search") == 0
    return out


def _alternates(page: Path) -> dict[str, str]:
    """hreflang → href of a page's alternate links."""
    return {link.get("hreflang"): link.get("href") for link in parse(page).xpath("//head/link[@hreflang]")}


def _switcher(page: Path) -> list[str]:
    return [item.text_content().strip() for item in parse(page).xpath("//nav[@class='languages']//li")]


def _page_at(site: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    return site / url.removeprefix(BASE) / "index.html"


def test_each_language_has_its_pages_under_its_folder(site: Path) -> None:
    for code in ("uk", "ru"):
        for path in ("", "people/", "verdicts/false/", "tags/sky/", "timeline/", "corrections/", GREEN):
            page = site / code / path / "index.html"
            assert parse(page).get("lang") == code, page
    assert parse(site / "index.html").get("lang") == "en"
    assert parse(site / GREEN / "index.html").get("lang") == "en"
    # only what is translated exists in a language: no page for the untranslated check, the
    # person without a Russian translation, a draft's translation, and one 404 page for the host
    assert (site / "uk/people/alice/index.html").is_file() and (site / "uk/about/index.html").is_file()
    for missing in ("uk/" + BLUE, "ru/people/alice/", "ru/about/", "uk/people/bob/", "uk/claims/bob-draft/"):
        assert not (site / missing).exists(), missing
    assert not (site / "uk/404.html").exists()


def test_hreflang_pairs_are_reciprocal(site: Path) -> None:
    checked = 0
    for page in pages(site):
        if page.name == "404.html":
            continue
        alternates = _alternates(page)
        if not alternates:
            continue
        assert alternates["x-default"] == alternates["en"]
        own = [code for code, url in alternates.items() if code != "x-default" and _page_at(site, url) == page]
        assert own == [parse(page).get("lang")], page  # a page lists itself, in its own language
        for code, url in alternates.items():
            other = _page_at(site, url)
            assert other.is_file(), (page, code, url)
            assert _alternates(other) == alternates, (page, other)
            checked += 1
    assert checked > 100


def test_switcher_lists_only_the_languages_a_page_exists_in(site: Path) -> None:
    assert _switcher(site / GREEN / "index.html") == ["English", "Українська", "Русский"]
    assert _switcher(site / "uk/people/alice/index.html") == ["English", "Українська"]
    assert _switcher(site / "people/alice/index.html") == ["English", "Українська"]
    assert _switcher(site / "uk/about/index.html") == ["English", "Українська"]
    assert _switcher(site / "ru/index.html") == ["English", "Українська", "Русский"]
    for untranslated in (BLUE, "people/bob/"):
        assert _switcher(site / untranslated / "index.html") == []
        assert _alternates(site / untranslated / "index.html") == {}
    # the current language is marked, the others are links to the same page in theirs
    switcher = parse(site / "uk" / GREEN / "index.html").xpath("//nav[@class='languages']")[0]
    assert [span.get("lang") for span in switcher.xpath(".//span[@aria-current='page']")] == ["uk"]
    links = {a.get("hreflang"): a.get("href") for a in switcher.xpath(".//a")}
    assert links == {"en": f"../../../{GREEN}index.html", "ru": f"../../../ru/{GREEN}index.html"}


def test_a_translation_shows_its_texts_and_its_originals_facts(site: Path) -> None:
    page = parse(site / "uk" / GREEN / "index.html")
    text = page.text_content()
    assert "Аліса сказала, що небо зелене" in page.findtext(".//h1")
    assert "Небо зелене." in text and "Фотографії" in text
    assert "Аліса Приклад" in text  # its person, translated
    assert "Alice's speech" in text and "Science Weekly" in text  # the sources are the original's
    assert page.xpath("//*[@class='translated-note']"), "a translated check says its quotations are translated"
    assert not parse(site / GREEN / "index.html").xpath("//*[@class='translated-note']")
    review = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    assert review["inLanguage"] == "uk"
    assert review["url"] == BASE + "uk/" + GREEN
    assert review["claimReviewed"] == "Небо зелене."
    assert review["reviewRating"]["ratingValue"] == 1  # the verdict is the original's
    english = json.loads(parse(site / GREEN / "index.html").xpath("//script[@type='application/ld+json']")[0].text)
    assert english["inLanguage"] == "en"


def test_staff_pages_and_bylines_follow_the_language(site: Path) -> None:
    assert _switcher(site / "uk/staff/dana/index.html") == ["English", "Українська"]
    assert "Дана Приклад" in parse(site / "uk/staff/dana/index.html").findtext(".//h1")
    byline = parse(site / "uk" / GREEN / "index.html").xpath("//a[@rel='author']")[0]
    assert (byline.text, byline.get("href")) == ("Дана Приклад", "../../../uk/staff/dana/index.html")
    assert parse(site / "ru" / GREEN / "index.html").xpath("//a[@rel='author']")[0].text == "Dana Example"
    assert not (site / "ru/staff/dana").exists() and (site / "ru/staff/index.html").is_file()


def test_lists_in_a_language_show_every_check_the_untranslated_in_english(site: Path) -> None:
    home = parse(site / "uk/index.html")
    titles = {item.text_content().strip(): item for item in home.xpath("//*[@class='claim-item-title']")}
    assert set(titles) == {"Аліса сказала, що небо зелене", "Bob said the sky is blue"}
    assert titles["Bob said the sky is blue"].get("lang") == "en"
    assert titles["Аліса сказала, що небо зелене"].get("lang") is None
    links = {a.text_content(): a.get("href") for a in home.xpath("//*[@class='claim-item-title']/a")}
    assert links["Bob said the sky is blue"] == f"../{BLUE}index.html"  # the English page: the only one
    assert links["Аліса сказала, що небо зелене"] == f"../uk/{GREEN}index.html"
    # a person's record counts every check, translated or not: the same scorecard in every language
    alice = parse(site / "uk/people/alice/index.html").text_content()
    assert "Аліса сказала, що небо зелене" in alice and "Alice said" not in alice
    for code in ("", "uk/", "ru/"):
        assert (site / code / "verdicts/true/index.html").read_text().count("claim-item-title") == 1


def test_lists_split_into_pages_in_every_language(site: Path) -> None:
    # page_size: 1 in the fixture: the topic "sky" lists two checks, on two pages in each language
    for code in ("", "uk/", "ru/"):
        second = site / code / "tags/sky/page/2/index.html"
        assert second.is_file(), second
        pager = [resolve_link(site, second, href)[0] for href in parse(second).xpath("//nav[@class='pager']//a/@href")]
        assert pager and {path.relative_to(site).as_posix() for path in pager} == {
            f"{code}tags/sky/index.html",
            f"{code}tags/sky/page/2/index.html",
        }
    assert _alternates(site / "uk/tags/sky/page/2/index.html")["en"] == BASE + "tags/sky/page/2/"


def test_every_link_of_every_language_leads_to_a_page(site: Path) -> None:
    for page in pages(site):
        for link in local_links(parse(page)):
            if page.name == "404.html":
                continue
            target, _ = resolve_link(site, page, link)
            assert target.is_file(), (page, link)


def test_feeds_exports_and_cards_in_each_language(site: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(site / "uk/feed.xml").getroot()
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "uk"
    entries = {e.findtext(f"{atom}title"): e.find(f"{atom}link").get("href") for e in feed.iter(f"{atom}entry")}
    assert entries == {"Аліса сказала, що небо зелене": BASE + "uk/" + GREEN, "Bob said the sky is blue": BASE + BLUE}
    assert (site / "uk/people/alice/feed.xml").is_file() and not (site / "uk/people/bob/feed.xml").exists()
    data = json.loads((site / "uk/claims.json").read_text())
    assert data["site"]["language"] == "uk"
    codes = {c["slug"]: c["claimReview"][0]["languageCode"] for c in data["claims"]}
    assert codes == {"alice-said-sky-is-green": "uk", "bob-said-sky-is-blue": "en"}
    english = json.loads((site / "claims.json").read_text())
    assert {c["claimReview"][0]["languageCode"] for c in english["claims"]} == {"en"}
    assert (site / "uk" / GREEN / "card.png").read_bytes() != (site / GREEN / "card.png").read_bytes()
    og = parse(site / "uk" / GREEN / "index.html").xpath("//meta[@property='og:image']")[0].get("content")
    assert og == BASE + "uk/" + GREEN + "card.png"
    assert (site / "uk/card.png").is_file()


def test_sitemap_lists_every_language_with_its_alternates(site: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(site / "sitemap.xml").getroot()
    urls = {u.findtext("s:loc", namespaces=ns): u for u in root.findall("s:url", ns)}
    assert BASE + "uk/" + GREEN in urls and BASE + "ru/" in urls and BASE + "uk/" + BLUE not in urls
    for loc in urls:
        assert _page_at(site, loc).is_file() or loc.endswith(".html"), loc
    links = {x.get("hreflang"): x.get("href") for x in urls[BASE + "uk/" + GREEN].findall("x:link", ns)}
    assert links == {
        "en": BASE + GREEN,
        "uk": BASE + "uk/" + GREEN,
        "ru": BASE + "ru/" + GREEN,
        "x-default": BASE + GREEN,
    }
    assert urls[BASE + BLUE].findall("x:link", ns) == []
    assert len((site / "robots.txt").read_text().splitlines()) == 4 and not (site / "uk/robots.txt").exists()


def test_a_site_without_languages_shows_no_trace_of_them(built_minimal: Path) -> None:
    for page in pages(built_minimal):
        html = page.read_text()
        assert "hreflang" not in html and 'class="languages"' not in html and "inLanguage" not in html, page
        assert "translated-note" not in html and ' lang="en"' not in html.split("\n", 2)[2], page
    assert "xhtml" not in (built_minimal / "sitemap.xml").read_text()
    assert sorted(p.name for p in built_minimal.iterdir() if len(p.name) == 2) == []


def test_language_is_the_first_of_languages(tmp_path: Path) -> None:
    shutil.copytree(LANGUAGES, tmp_path / "content")
    site_yaml = tmp_path / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("languages: [en, uk, ru]", "language: en\nlanguages: [uk, en]"))
    assert build_into(tmp_path / "content", tmp_path / "out", "--no-search") == 1


def test_the_first_language_may_be_any(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "content")
    site_yaml = tmp_path / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("language: en", "languages: [uk, en]"))
    write(tmp_path / "content/people/bob.en.md", "---\nname: Bob in English\n---\n")
    assert build_into(tmp_path / "content", tmp_path / "out", "--no-search") == 0
    assert parse(tmp_path / "out/index.html").get("lang") == "uk"
    assert parse(tmp_path / "out/en/people/bob/index.html").get("lang") == "en"
    assert _switcher(tmp_path / "out/people/bob/index.html") == ["Українська", "English"]


def test_a_translations_links_lead_to_their_pages_in_its_language(site: Path) -> None:
    # from the site root or relative, as the original writes them: to the page in Ukrainian where
    # there is one (a translated person, a list), else to the first language's (an untranslated check)
    body = parse(site / "uk" / GREEN / "index.html")
    links = {a.text_content(): a.get("href") for a in body.xpath("//a[@href]")}
    assert links["Алісу"] == "../../people/alice/index.html"
    assert links["шкалу"] == "../../verdicts/false/index.html"
    assert links["Боба"] == "../../../people/bob/index.html"
    assert links["його слова"] == "../../../claims/bob-said-sky-is-blue/"
    assert links["стрічку"] == "../../../feed.xml"  # a file, not a page: as written
    assert links["Фотографії"] == "https://example.com/photos"
    about = {a.text_content(): a.get("href") for a in parse(site / "uk/about/index.html").xpath("//a[@href]")}
    assert about["шкалу"] == "../verdicts/index.html"
    # a heading the Ukrainian check has under another id (#докази) is on the English page; the
    # theme's ids are on both
    assert about["докази"] == "../../claims/alice-said-sky-is-green/index.html#evidence"
    assert about["джерела"] == "../claims/alice-said-sky-is-green/index.html#sources"
    # the English page links as before
    english = {a.text_content(): a.get("href") for a in parse(site / "about/index.html").xpath("//a[@href]")}
    assert english["the scale"] == "../verdicts/index.html"


def test_a_translation_words_its_corrections_notes(site: Path) -> None:
    # the Ukrainian translation gives the notes of its original's corrections in Ukrainian; the
    # Russian one gives none, so its page shows the original's notes
    ukrainian = (site / "uk" / GREEN / "index.html").read_text(encoding="utf-8")
    assert "Нові фото." in ukrainian and "Додано думку Боба." in ukrainian and "New photos." not in ukrainian
    listed = (site / "uk/corrections/index.html").read_text(encoding="utf-8")  # one a page
    assert "Додано думку Боба." in listed and "Added Bob" not in listed
    assert "Нові фото." in (site / "uk/corrections/page/2/index.html").read_text(encoding="utf-8")
    assert "Нові фото." in (site / "uk/corrections/feed.xml").read_text(encoding="utf-8")
    assert "New photos." in (site / "ru" / GREEN / "index.html").read_text(encoding="utf-8")
    english = (site / GREEN / "index.html").read_text(encoding="utf-8")
    assert "New photos." in english and "Нові фото." not in english


def test_the_sites_title_and_description_in_each_language(site: Path) -> None:
    # title: {en: ..., uk: ..., ru: ...}; the description has no ru: the Russian pages say the English
    words = {
        "": ("Minimal Digest", "A tiny content folder in three languages, for tests."),
        "uk": ("Мінімальний дайджест", "Крихітна тека вмісту трьома мовами, для тестів."),
        "ru": ("Минимальный дайджест", "A tiny content folder in three languages, for tests."),
    }
    cards = set()
    for code, (title, description) in words.items():
        folder = site / code if code else site
        home = parse(folder / "index.html")
        assert home.xpath("string(//head/title)") == title
        assert home.xpath("string(//meta[@property='og:site_name']/@content)") == title
        assert home.xpath("string(//h1)").strip() == title
        assert description in home.xpath("string(//p[@class='lead'])")
        page = parse(folder / "people/index.html")
        assert page.xpath("string(//head/title)").endswith(" · " + title)
        assert page.xpath("string(//meta[@property='og:image:alt']/@content)") == f"{title}: {description}"
        feed = ET.parse(folder / "feed.xml").getroot()
        atom = "{http://www.w3.org/2005/Atom}"
        assert feed.findtext(f"{atom}title") == title and feed.findtext(f"{atom}subtitle") == description
        assert json.loads((folder / "claims.json").read_text(encoding="utf-8"))["site"]["title"] == title
        cards.add((folder / "card.png").read_bytes())
    assert len(cards) == 3  # the site's card in each language's words


def test_a_worded_title_needs_the_sites_language(tmp_path: Path, run) -> None:
    shutil.copytree(LANGUAGES, tmp_path / "content")
    site_yaml = tmp_path / "content/site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text(text.replace("{en: Minimal Digest, uk:", "{uk:"), encoding="utf-8")
    result = run("check", "--content", str(tmp_path / "content"))
    assert result.code == 1
    assert "site.yaml:1: title has no 'en' (the site's language); it has uk, ru" in result.err


def test_translated_people_and_pages_say_their_quotations_are_translated(site: Path) -> None:
    """Not only checks: a person's or a free page's translated text quotes the English reports too."""
    note = "//*[@class='translated-note']"
    for translated in ("uk/people/alice/", "uk/about/"):
        assert parse(site / translated / "index.html").xpath(note), translated
    for original in ("people/alice/", "about/", "people/bob/"):
        assert not parse(site / original / "index.html").xpath(note), original
