"""The search index in shards: a warm build's index answers every search as a clean build's does,
whatever was edited in between, read through Pagefind's own JavaScript in Chromium."""

from __future__ import annotations

import base64
import gzip
import html
import json
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from digest import indexer, search
from digest.build import Options, build
from digest.errors import OutputError
from digest.indexer import UNREADABLE
from digest.outfolder import TEMP_PREFIX
from digest.progress import Progress

from .browser import chromium
from .edits import (
    EDITS,
    Edit,
    build_options,
    change_title,
    copy_site,
    edit_between_builds,
    same_tree,
    translate_claim,
    untranslate_claim,
)
from .static_server import serving

QUERIES = {
    "en": ["sky", "blue", "green", "added", "bob", "once", "new", "said", "alice", "fresh"],
    "uk": ["небо", "боб", "колись", "аліса", "сказав"],
}
"""The words searched in each language of the index (a language no query lists gets the English ones)."""
ANSWERS = """async ([bundles, language, queries]) => {
  document.documentElement.lang = language;  // Pagefind searches the pages of the page's language
  const pagefind = await import(bundles[0] + "pagefind.js");
  await pagefind.options({ bundlePath: bundles[0], baseUrl: "/" });
  for (const bundle of bundles.slice(1)) await pagefind.mergeIndex(bundle, { baseUrl: "/" });
  const answers = { filters: await pagefind.filters() };
  for (const query of queries) {
    const found = await pagefind.search(query);
    const data = await Promise.all(found.results.map((result) => result.data()));
    answers[query] = data.map((page) => [page.url, page.meta, page.filters, page.excerpt]).sort();
  }
  return answers;
}"""


def options(content: Path, theme: Path, out: Path, cache: bool) -> Options:
    """The incremental-build tests' options, with the search index."""
    return replace(build_options(content, theme, out, cache), search=True)


def bundles(site: Path) -> dict[str, list[str]]:
    """The bundles of each language of the index that site/pagefind/bundles.json lists, each checked to
    hold pages of that language only (Pagefind would search another's in a bundle without its own)."""
    listing: dict[str, list[str]] = json.loads((site / "pagefind/bundles.json").read_text())["bundles"]
    for language, names in listing.items():
        for name in names:
            entry = json.loads((site / f"pagefind/{name}pagefind-entry.json").read_text())
            assert list(entry["languages"]) == [language.lower()], name  # Pagefind's codes are lower case
    return listing


def all_bundles(site: Path) -> list[str]:
    """Every bundle of the index, in every language."""
    return [name for names in bundles(site).values() for name in names]


def answers(browser: Browser, root: Path, site: str) -> dict[str, Any]:
    """Every query's results (and the filters' counts) from the index of root/site, as Pagefind's JS
    gives them, merging the shards that bundles.json lists for each language of the index, as a page
    in that language searches."""
    listing = bundles(root / site)
    for attempt in (1, 2):
        with serving(root) as url:
            context = browser.new_context()  # nothing cached from an earlier build
            try:
                result: dict[str, Any] = {}
                for language, names in listing.items():
                    page = context.new_page()  # Pagefind's module anew, for the page's language
                    page.goto(url)
                    queries = QUERIES.get(language, QUERIES["en"])
                    shards = [f"/{site}/pagefind/{name}" for name in names]
                    result[language] = page.evaluate(ANSWERS, [shards, language, queries])
                return result
            except PlaywrightError as error:
                # Seen twice in many runs on a machine under a load of 20: one fetch of the test server
                # failed ("Failed to load Pagefind metadata"), and the same files answered when asked again.
                if attempt == 2 or "Failed to load" not in str(error):
                    raise
            finally:
                context.close()
    raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def small_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    """One claim a shard at most: the minimal site's handful of claims makes several shards."""
    monkeypatch.setattr(search, "SHARD_MAX", 1)


def test_shard_count_doubles_with_the_site() -> None:
    assert [search.shard_count(n) for n in (0, 1, 256, 257, 512, 513, 10_000, 20_000)] == [1, 1, 1, 2, 2, 4, 64, 128]
    slugs = [f"claim-{n:06d}" for n in range(10_000)]
    sizes = [0] * 64
    for slug in slugs:
        sizes[search.shard_of(slug, 64)] += 1
    assert min(sizes) > 100 and max(sizes) < 220  # a hash spreads them evenly
    assert search.shard_of("putin-said-x", 8) == search.shard_of("putin-said-x", 8)


def agree(browser: Browser, content: Path, theme: Path, tmp: Path) -> int:
    """A warm build into tmp/warm and a clean one into tmp/cold: the same bytes outside the index,
    the same answers to every query; returns how many claim pages the warm build indexed."""
    warm = build(options(content, theme, tmp / "warm", cache=True))
    assert warm.files > 0
    shutil.rmtree(tmp / "cold", ignore_errors=True)
    build(options(content, theme, tmp / "cold", cache=False))
    assert [p for p in same_tree(tmp / "warm", tmp / "cold") if not p.startswith("pagefind/")] == []
    assert answers(browser, tmp, "warm") == answers(browser, tmp, "cold")
    return warm.indexed


@pytest.mark.browser
def test_an_edit_reindexes_only_its_shard(tmp_path: Path, browser: Browser, small_shards: None) -> None:
    content, theme = copy_site(tmp_path)
    claims = agree(browser, content, theme, tmp_path)
    assert claims >= 4
    shards = all_bundles(tmp_path / "warm")
    assert 3 <= len(shards) <= search.shard_count(claims)  # a shard no claim hashes to is left out
    assert agree(browser, content, theme, tmp_path) == 0  # nothing changed: the index is kept whole
    before = {p: p.read_bytes() for p in (tmp_path / "warm/claims").glob("*/index.html")}
    change_title(content, theme)  # the claim's page, and those that list it as related, change
    indexed = agree(browser, content, theme, tmp_path)
    changed = [p for p, html in before.items() if p.read_bytes() != html]
    assert len(changed) >= 2  # its own page and a related one, whose list Pagefind ignores
    assert 1 <= indexed < claims and indexed <= 2  # only the edited claim's shard (up to 2 claims hash to one)
    found = answers(browser, tmp_path, "warm")["en"]
    assert "Bob once said the sky is blue" in [meta["title"] for _, meta, _, _ in found["once"]]
    assert {url for url, *_ in found["sky"]} >= {"/claims/bob-said-sky-is-blue/index.html"}


@pytest.mark.browser
def test_an_edit_of_a_translation_reindexes_only_its_languages_shard(
    tmp_path: Path, browser: Browser, small_shards: None
) -> None:
    content, theme = copy_site(tmp_path)
    translate_claim(content, theme)
    agree(browser, content, theme, tmp_path)
    assert agree(browser, content, theme, tmp_path) == 0
    translate_claim(content, theme)  # the Ukrainian title changes
    assert agree(browser, content, theme, tmp_path) == 1  # its page, alone in the Ukrainian shard
    found = answers(browser, tmp_path, "warm")["uk"]
    assert [meta["title"] for _, meta, _, _ in found["колись"]] == ["Боб колись сказав, що небо блакитне"]


def test_only_the_first_shard_of_each_language_carries_pagefinds_program(tmp_path: Path, small_shards: None) -> None:
    content, theme = copy_site(tmp_path)
    translate_claim(content, theme)
    build(options(content, theme, tmp_path / "site", cache=False))
    listing = bundles(tmp_path / "site")
    assert listing["uk"] == ["uk/0/"] and len(listing["en"]) >= 3  # one Ukrainian page: one shard
    for language, names in listing.items():
        first, *others = (tmp_path / "site/pagefind" / name for name in names)
        assert (first / "pagefind.js").is_file() and list(first.glob("wasm.*")), language
        for bundle in others:
            assert sorted(p.name for p in bundle.iterdir() if p.is_file() and not p.name.endswith(".pf_meta")) == [
                "pagefind-entry.json"
            ]
    first = tmp_path / "site/pagefind" / listing["en"][0]
    assert (tmp_path / "site/pagefind/pagefind-ui.js").read_bytes() == (first / "pagefind-ui.js").read_bytes()
    assert not (tmp_path / "site/pagefind/uk/pagefind-ui.js").exists()  # the theme links the UI once


SEARCHING = {"en": "Searching for", "uk": "Пошук за запитом", "ru": "Поиск по запросу"}
"""How Pagefind's UI begins its message while it searches, in each language of the test."""
ENGLISH_SCALE = ["True", "Mostly true", "Mixed", "Mostly false", "False", "Unverified"]
SHOWN_VERDICTS = """() => [...document.querySelectorAll('input[name="verdict"]')]
  .map((box) => [box.getBoundingClientRect().top, box.value]).sort((a, b) => a[0] - b[0]).map((v) => v[1])"""
"""The verdict filter's values, top to bottom, as the page shows them."""
JANUARY = "january"
"""In the dates of every English check, and in no Ukrainian page (its dates say "січня")."""
FOUND = """([searching]) => {
  const message = document.querySelector(".pagefind-ui__message");
  const searched = message !== null && message.textContent.trim() !== "" && !message.textContent.includes(searching);
  // each result shows a placeholder until its page's data is loaded
  return searched && document.querySelector(".pagefind-ui__loading") === null;
}"""


@pytest.mark.browser
def test_the_search_page_finds_the_pages_of_its_own_language_only(
    tmp_path: Path, browser: Browser, small_shards: None
) -> None:
    """One claim a shard: every English shard lacks a Ukrainian page, and Pagefind, asked for Ukrainian
    in one of them, would search its English pages. Through the theme's search page: a Ukrainian search
    finds Ukrainian pages only, an English one English pages only, and a language with no check of its
    own (ru) searches the first language's, its results marked as English."""
    content, theme = copy_site(tmp_path)
    translate_claim(content, theme)
    config = content / "site.yaml"
    config.write_text(config.read_text().replace("languages: [en, uk]", "languages: [en, uk, ru]"))
    build(options(content, theme, tmp_path / "site", cache=False))
    assert list(bundles(tmp_path / "site")) == ["en", "uk"] and len(bundles(tmp_path / "site")["en"]) >= 3
    found: dict[str, list[str]] = {}
    with serving(tmp_path) as url:
        page = browser.new_page()
        for language, prefix, query in [
            ("en", "", JANUARY),
            ("uk", "uk/", "небо"),
            ("uk", "uk/", JANUARY),
            ("ru", "ru/", JANUARY),
        ]:
            page.goto(f"{url}site/{prefix}search/?q={query}")
            page.wait_for_function(FOUND, arg=[SEARCHING[language]], timeout=20_000)
            links = page.locator(".pagefind-ui__result-link")
            found[f"{prefix}{query}"] = sorted(links.evaluate_all("links => links.map(a => new URL(a.href).pathname)"))
            results = page.locator(".pagefind-ui__results")
            marked = results.get_attribute("lang") if results.count() else None
            assert marked == ("en" if language == "ru" else None), language
            if language == "ru":  # the English index's verdicts (the filter's values): in colour, in order
                badges = page.locator(".result-lead .badge").evaluate_all(
                    "bs => bs.map(b => [b.textContent, b.className])"
                )
                tones = dict(zip(ENGLISH_SCALE, ["r5", "r4", "r3", "r2", "r1", "none"], strict=True))
                assert badges and all(kind == f"badge tone-{tones[label]}" for label, kind in badges), badges
                page.locator(".pagefind-ui__filter-name", has_text="verdict").click()
                shown = page.evaluate(SHOWN_VERDICTS)
                assert len(shown) >= 2 and shown == [label for label in ENGLISH_SCALE if label in shown]
        page.close()
    english = found.pop(JANUARY)
    assert english and all(path.startswith("/site/claims/") for path in english)
    assert "/site/claims/bob-said-sky-is-blue/index.html" in english
    assert found == {
        "uk/небо": ["/site/uk/claims/bob-said-sky-is-blue/index.html"],
        f"uk/{JANUARY}": [],  # every English check has the word: the Ukrainian search does not look in them
        f"ru/{JANUARY}": english,
    }


def test_the_search_page_names_the_verdicts_as_the_index_it_searches_words_them(tmp_path: Path) -> None:
    """A language's search page searches the first language's index until the language has a check of
    its own, then its own: its scale (the verdict filter's values, which colour the badges and order the
    filter) follows, in warm builds as in clean ones."""
    content, theme = copy_site(tmp_path)
    english, ukrainian = ENGLISH_SCALE, ["Правда", "Переважно правда", "Напівправда", "Переважно неправда"]

    def scale(site: str) -> list[str]:
        found = re.search(r'data-verdicts="([^"]*)"', (tmp_path / site / "uk/search/index.html").read_text())
        assert found is not None
        return json.loads(html.unescape(found.group(1)))

    for edit, words in [(None, english), (translate_claim, ukrainian), (untranslate_claim, english)]:
        if edit is not None:
            edit(content, theme)
        else:
            config = content / "site.yaml"
            config.write_text(config.read_text().replace("language: en\n", "languages: [en, uk]\n"))
        build(options(content, theme, tmp_path / "warm", cache=True))
        shutil.rmtree(tmp_path / "cold", ignore_errors=True)
        build(options(content, theme, tmp_path / "cold", cache=False))
        assert scale("warm")[: len(words)] == words and scale("cold") == scale("warm")
        assert [p for p in same_tree(tmp_path / "warm", tmp_path / "cold") if not p.startswith("pagefind/")] == []


def test_a_site_in_one_language_with_a_region_searches_its_own_shards(tmp_path: Path, browser: Browser) -> None:
    """``language: en-GB``: bundles.json lists the shards under the code as site.yaml spells it, and the
    search page (``<html lang="en-GB">``) finds them as its own: results, none marked with a language."""
    content, theme = copy_site(tmp_path)
    config = content / "site.yaml"
    config.write_text(config.read_text().replace("language: en\n", "language: en-GB\n"))
    build(options(content, theme, tmp_path / "site", cache=False))
    assert list(bundles(tmp_path / "site")) == ["en-GB"]
    with serving(tmp_path) as url:
        page = browser.new_page()
        page.goto(f"{url}site/search/?q={JANUARY}")
        page.wait_for_function(FOUND, arg=[SEARCHING["en"]], timeout=20_000)
        assert page.locator(".pagefind-ui__result-link").count() > 0
        assert page.locator(".pagefind-ui__results").get_attribute("lang") is None
        page.close()


def failed_build_leaves_out(
    tmp_path: Path, breaking: Callable[[], None], message: str, progress: Progress | None = None
) -> None:
    """After a build with search, an edit and ``breaking``: the next build (told ``progress``) fails
    with ``message``, leaves the site as it was and no temporary folder beside it."""
    content, theme = copy_site(tmp_path)
    build(options(content, theme, tmp_path / "site", cache=False))
    shutil.copytree(tmp_path / "site", tmp_path / "before")
    claim = content / "claims/bob-said-sky-is-blue.md"
    claim.write_text(claim.read_text().replace("sky is blue", "sky is grey"))
    breaking()
    with pytest.raises(OutputError, match=message):
        build(options(content, theme, tmp_path / "site", cache=False), progress)
    assert same_tree(tmp_path / "site", tmp_path / "before") == []
    assert list(tmp_path.glob(f"{TEMP_PREFIX}*")) == []


def test_pagefind_stopping_fails_the_build_and_leaves_out(
    tmp_path: Path, small_shards: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopping = tmp_path / "pagefind"  # reads a little of the first request, and stops
    stopping.write_text("#!/bin/sh\nhead -c 100 > /dev/null\nexit 3\n")
    stopping.chmod(0o755)
    breaking = lambda: monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(stopping))  # noqa: E731
    failed_build_leaves_out(tmp_path, breaking, "the search index failed: Pagefind stopped")


def test_a_bundle_that_cannot_be_written_fails_the_build_and_leaves_out(tmp_path: Path, small_shards: None) -> None:
    occupied: list[Path] = []

    def occupy(stage: str, done: int, total: int) -> None:
        """When the indexing starts: a file where each bundle but the first is to be written, in the
        folder the new site is written to, beside --out."""
        if stage == "indexing search" and done == 0:
            (folder,) = tmp_path.glob(f"{TEMP_PREFIX}site-*")
            (folder / "pagefind").mkdir()
            _, *others = all_bundles(tmp_path / "before")
            for shard in others:  # the shards of the build before: the edit moves no claim to another
                occupied.append(folder / f"pagefind/{shard}")
                occupied[-1].write_bytes(b"")

    # the bundles are written by a thread of their own, while the services go on with other shards
    message = r"the search index failed: cannot write \S+/pagefind/[1-9][0-9]*: (File exists|Not a directory)$"
    failed_build_leaves_out(tmp_path, lambda: None, message, occupy)
    assert len(occupied) >= 2


FAKE_PAGEFIND = """#!{python}
# Speaks the protocol of Pagefind's service, but the answers are {answers}.
import base64, json, sys
files = {files}
buffer = b""
while chunk := sys.stdin.buffer.read1(1 << 16):
    *messages, buffer = (buffer + chunk).split(b",")
    for message in messages:
        request = json.loads(base64.b64decode(message))
        kind = request["payload"]["type"]
        payload = {{"NewIndex": {{"index_id": 1}}, "GetFiles": {{"files": files}}}}.get(kind, {{}})
        answer = json.dumps({{"message_id": request["message_id"], "payload": {{"type": kind, **payload}}}})
        sys.stdout.buffer.write({answer})
    sys.stdout.flush()
"""
FAKE_ANSWERS = {  # what the fake writes for each answer, the files of the bundle it gives
    "not base64": ('b"!!!,"', "[]"),
    "without an index": ('base64.b64encode(json.dumps({"payload": {}}).encode()) + b","', "[]"),
    "a file without its path": ('base64.b64encode(answer.encode()) + b","', '[{"content": "e30="}]'),
    "a file not in base64": (
        'base64.b64encode(answer.encode()) + b","',
        '[{"path": "pagefind-entry.json", "content": "e30"}]',
    ),
}


@pytest.mark.parametrize("answers", FAKE_ANSWERS)
def test_an_answer_of_pagefind_that_cannot_be_read_fails_the_build_in_one_line(
    tmp_path: Path, answers: str, small_shards: None, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    """Whether the service's answer or the bundle it gives cannot be read (the bundle is read on the
    thread that writes the bundles): one line, exit 1, --out as it was."""
    answer, files = FAKE_ANSWERS[answers]
    fake = tmp_path / "pagefind"
    fake.write_text(FAKE_PAGEFIND.format(python=sys.executable, answers=answers, answer=answer, files=files))
    fake.chmod(0o755)
    breaking = lambda: monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))  # noqa: E731
    failed_build_leaves_out(tmp_path, breaking, f"^{re.escape(UNREADABLE)}$")
    site = tmp_path / "site"
    result = run(
        "build", "--content", str(tmp_path / "content"), "--theme", str(tmp_path / "theme"), "--out", str(site)
    )
    assert (result.code, result.err) == (1, f"digest: error: {UNREADABLE}\n")
    assert same_tree(site, tmp_path / "before") == []


@pytest.mark.browser
@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(EDITS), min_size=1, max_size=5))
def test_random_edits_keep_search_answers_those_of_a_clean_build(
    tmp_path_factory: pytest.TempPathFactory, browser: Browser, small_shards: None, edits: list[Edit]
) -> None:
    tmp = tmp_path_factory.mktemp("search")
    content, theme = copy_site(tmp)
    agree(browser, content, theme, tmp)
    for edit in edits:
        if edit_between_builds(edit, content, theme):
            agree(browser, content, theme, tmp)


def test_the_index_holds_what_a_check_says_not_the_labels_every_check_carries(searchable_site: Path) -> None:
    """What Pagefind indexed of each English check (its fragments): the claim and the summary are
    there; the theme's labels, which every check carries, are not (data-pagefind-ignore)."""
    claims = {c["slug"]: c for c in json.loads((searchable_site / "claims.json").read_text())["claims"]}
    indexed = {}
    for bundle in bundles(searchable_site)["en"]:
        for fragment in (searchable_site / "pagefind" / bundle / "fragment").glob("*.pf_fragment"):
            text = gzip.decompress(fragment.read_bytes()).decode()
            entry = json.loads(text[text.index("{") :])
            indexed[entry["url"]] = entry["content"]
    assert set(indexed) == {f"/claims/{slug}/index.html" for slug in claims}
    labels = (
        "If your time is short",
        "Our verdict",
        "How we rate claims",
        "All checks rated",
        "Where the claim appeared",
    )
    for slug, claim in claims.items():
        content = indexed[f"/claims/{slug}/index.html"]
        assert claim["summary"] in content and claim["text"] in content, slug
        assert [label for label in labels if label in content] == [], slug


def test_a_page_that_is_not_utf8_fails_the_index_with_its_path(tmp_path: Path) -> None:
    """The service reads the pages the build wrote (UTF-8); anything else is an OutputError, not a traceback."""
    (tmp_path / "page").mkdir()
    (tmp_path / "page/index.html").write_bytes(b"<html><body><h1>caf\xe9</h1></body></html>")
    with indexer.Service() as service, pytest.raises(OutputError, match=r"page/index\.html: not UTF-8"):
        service.index(tmp_path, ["page/index.html"])


def made_index(folder: Path, pages: list[str]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """What Pagefind makes of ``pages``: each page's fragment (its anchors without their text) by URL,
    and the word index's files by path."""
    with indexer.Service() as service:
        files = service.index(folder, pages)
    fragments: dict[str, Any] = {}
    words: dict[str, bytes] = {}
    for file in files:
        data = base64.b64decode(file["content"])
        if file["path"].endswith(".pf_fragment"):
            text = gzip.decompress(data).decode()
            entry = json.loads(text[text.index("{") :])
            entry["anchors"] = [{k: v for k, v in anchor.items() if k != "text"} for anchor in entry["anchors"]]
            fragments[entry["url"]] = entry
        elif file["path"].startswith("index/"):
            words[file["path"]] = data
    return fragments, words


def test_pagefind_indexes_the_part_it_is_given_as_it_would_the_whole_page(
    searchable_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every check of the real content, in each language: given only ``indexed_part`` of the page,
    Pagefind makes the same index as of the whole page (text, words, filters, metadata, anchors; an
    anchor's text may differ: Pagefind puts an ignored element's words in its heading's), from less than
    half the markup."""
    found = searchable_site.glob("**/claims/*/index.html")  # with the redirects of renamed checks
    pages = sorted(str(p.relative_to(searchable_site)) for p in found if "data-pagefind-body" in p.read_text())
    assert len(pages) >= 30 and any(not page.startswith("claims/") for page in pages)  # translations too
    for page in pages:
        whole = (searchable_site / page).read_text(encoding="utf-8")
        assert len(indexer.indexed_part(whole)) < len(whole) / 2, page
    made = made_index(searchable_site, pages)
    monkeypatch.setattr(indexer, "indexed_part", lambda page: page)
    assert made == made_index(searchable_site, pages)
    assert len(made[0]) == len(pages)


PAGE = """<!doctype html>
<html lang="en"><head><title>T</title><meta name="x" content="y"></head>
<body><nav><a href="/">Home</a></nav>
<article class="claim" data-pagefind-body>
<h1>Claim</h1>
<div class="box" data-pagefind-ignore><div>Label</div> <span>more</span></div>
<p data-pagefind-ignore>A label in a paragraph</p>
<section data-pagefind-ignore><a data-pagefind-filter="person">Bob</a></section>
<p>Text</p>
</article>
<footer>Footer</footer></body></html>"""


def test_the_part_given_to_pagefind_leaves_out_what_it_would_not_index() -> None:
    part = indexer.indexed_part(PAGE)
    assert part == (
        '<!doctype html>\n<html lang="en"><body><article class="claim" data-pagefind-body>\n<h1>Claim</h1>\n\n'
        "<p data-pagefind-ignore>A label in a paragraph</p>\n"  # a p may end without </p>: kept
        '<section data-pagefind-ignore><a data-pagefind-filter="person">Bob</a></section>\n'  # a filter: kept
        "<p>Text</p>\n</article></body></html>"
    )


@pytest.mark.parametrize(
    "page",
    [
        PAGE.replace("<h1>", "<h1 data-pagefind-meta='title'>").replace("<nav>", "<nav data-pagefind-filter='x'>"),
        PAGE.replace("<footer>", "<footer data-pagefind-body>"),  # two indexed elements
        PAGE.replace("<h1>", "<!-- </article> --><h1>"),  # a comment
        PAGE.replace("<p>Text</p>", "<script>let a = '</div>'</script>"),
        PAGE.replace('<article class="claim" data-pagefind-body>', '<p class="claim" data-pagefind-body>'),
        PAGE.replace("</article>", ""),  # never ends
        PAGE.replace('<html lang="en">', ""),
        PAGE.replace(" data-pagefind-body", ""),
        PAGE.replace("<nav>", "<nav DATA-PAGEFIND-META='site:Desk'>"),
        PAGE.replace('<a data-pagefind-filter="person">', '<a DATA-PAGEFIND-FILTER="person">'),  # in an ignored one
        PAGE.replace("<nav>", "<nav><h1>Site</h1>"),  # Pagefind's title: the page's first h1
        PAGE.replace("<h1>Claim</h1>", "<h2>Claim</h2>"),  # no h1: the title is <title>'s
        PAGE.replace("<footer>", "<footer><img src='/a.png' alt='A'>"),  # Pagefind's image
        PAGE.replace("<p>Text</p>", "<svg><section/></svg>"),
        PAGE.replace("<h1>", '<h1 title="</div>">'),
        PAGE.replace("<span>more</span></div>", "<span>more</span></DIV>"),
        PAGE.replace("<span>more</span></div>", "<span>more</span></dIv>"),
        PAGE.replace("<span>more</span></div>", "<span>more</span></div >"),
    ],
    ids=[
        "mark outside",
        "two bodies",
        "comment",
        "script",
        "p",
        "unended",
        "no html tag",
        "no body",
        "mark in capitals",
        "mark in capitals inside",
        "h1 outside",
        "no h1",
        "image outside",
        "svg",
        "tag in a value",
        "capitals",
        "a capital",
        "end tag with a space",
    ],
)
def test_a_page_the_cut_is_unsure_of_goes_to_pagefind_whole(page: str) -> None:
    assert indexer.indexed_part(page) == page


def test_what_comes_before_and_after_the_element_is_read_apart() -> None:
    """Text before the element and text after it, which would make a mark if they were one."""
    element = '<article class="claim" data-pagefind-body>'
    for before, after in (("data-", "pagefind-"), ("x <h", "1"), ("x <i", "mg")):
        page = PAGE.replace(element, before + element).replace("</article>", "</article>" + after)
        assert indexer.indexed_part(page) == indexer.indexed_part(PAGE)


@pytest.mark.parametrize(
    "kept",
    [
        "<h1 data-pagefind-ignore>Claim</h1>",  # the title
        "<div data-pagefind-ignore><img src='/a.png' alt='A'></div>",  # the image
        '<div title=\'"\' x=" data-pagefind-ignore">Kept value</div>',  # the mark is in a value
    ],
)
def test_an_ignored_element_pagefind_reads_is_given_to_it(kept: str) -> None:
    part = indexer.indexed_part(PAGE.replace("<h1>Claim</h1>", f"<h1>Claim</h1>{kept}" if "h1" not in kept else kept))
    assert kept in part and "<nav>" not in part  # cut, but that element kept


def test_an_ignored_element_ends_at_its_own_end_tag() -> None:
    nested = PAGE.replace(
        '<div class="box" data-pagefind-ignore><div>Label</div> <span>more</span></div>',
        "<div data-pagefind-ignore><div><div>a</div></div><divx></divx></div><div>kept</div>"
        "<span>Seen <span data-pagefind-ignore>not<span>:</span></span> seen</span>"
        "<p>data-pagefind-ignore is text here</p>"
        "<div title=\"a data-pagefind-ignore\">a value</div><section title='x' data-pagefind-ignore>y</section>",
    )
    part = indexer.indexed_part(nested)
    assert "<h1>Claim</h1>\n<div>kept</div><span>Seen  seen</span><p>data-pagefind-ignore is text here</p>" in part
    assert '<div title="a data-pagefind-ignore">a value</div>\n' in part  # in a value: not a mark
    assert "not" not in part.replace("data-pagefind-ignore is text", "") and "<section title='x'" not in part
