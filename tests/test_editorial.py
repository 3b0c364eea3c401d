"""The life of a claim: corrections and re-ratings, scorecards, timeline, and `digest check` advice."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import feedparser
import pytest

from .conftest import MINIMAL, ROOT, build_into, write
from .html import parse
from .static_server import on_a_thread

CLAIM = MINIMAL / "claims/2024/alice-said-sky-is-green.md"


def test_rating_change_is_at_the_top_with_its_history(built_minimal: Path) -> None:
    document = parse(built_minimal / "claims/alice-said-sky-is-green/index.html")
    article = document.xpath("//article")[0]
    order = [
        e.get("id") or e.get("class") for e in article.iter() if e.get("id") in ("corrections", "analysis", "updates")
    ]
    assert order == ["corrections", "analysis", "updates"]
    notice = document.xpath('//p[@id="correction-2024-01-06"]')[0].text_content()
    assert "Rating changed" in " ".join(notice.split()) and "Mostly false" in notice and "New photos." in notice
    history = " ".join(document.xpath('//p[@id="history"]')[0].text_content().split())
    assert history == "Rating history: Rated Mostly false on 5 January 2024, changed to False on 6 January 2024."
    update = " ".join(document.xpath('//li[@id="correction-2024-01-07"]')[0].text_content().split())
    assert update == "Update, 7 January 2024: Added Bob's view."


def test_chained_rating_changes(scratch: Path, tmp_path: Path) -> None:
    text = (
        CLAIM.read_text()
        .replace(
            '  - {date: 2024-01-07, type: update, note: "Added Bob\'s view."}',
            '  - {date: 2024-01-07, type: update, note: "Added Bob\'s view."}\n'
            '  - {date: 2024-01-09, type: rating-change, from: false, note: "Photos were edited."}',
        )
        .replace("verdict: false", "verdict: mixed")
    )
    write(scratch / "claims/2024/alice-said-sky-is-green.md", text)
    assert build_into(scratch, tmp_path / "out") == 0
    document = parse(tmp_path / "out/claims/alice-said-sky-is-green/index.html")
    history = " ".join(document.xpath('//p[@id="history"]')[0].text_content().split())
    assert history == (
        "Rating history: Rated Mostly false on 5 January 2024, changed to False on 6 January 2024, changed to Mixed on 9 January 2024."
    )
    notices = [p.get("id") for p in document.xpath('//aside[@class="notices"]/p')]
    assert notices == ["correction-2024-01-09", "correction-2024-01-06"]  # newest first


def test_markers_where_claims_are_listed(built_minimal: Path) -> None:
    for page in (
        "index.html",
        "people/alice/index.html",
        "verdicts/false/index.html",
        "tags/sky/index.html",
        "timeline/index.html",
    ):
        text = (built_minimal / page).read_text()
        assert '<span class="marker">Corrected</span>' in text, page


def test_corrections_page_and_feed(built_minimal: Path) -> None:
    items = [
        " ".join(li.text_content().split())
        for li in parse(built_minimal / "corrections/index.html").xpath('//ul[@class="corrections-list"]/li')
    ]
    assert items[0].startswith("Update, 7 January 2024: Alice said the sky is green (claim by Alice Example).")
    assert items[1].startswith("Rating change, 6 January 2024: Alice said the sky is green (claim by Alice Example).")
    assert "Rated Mostly false before this change; now False." in items[1]
    feed = feedparser.parse((built_minimal / "corrections/feed.xml").read_bytes())
    assert not feed.bozo
    assert [e.title for e in feed.entries] == [
        "Update: Alice said the sky is green",
        "Rating change: Alice said the sky is green",
    ]
    assert (
        feed.entries[1].summary
        == "On the claim by Alice Example: Rating changed from Mostly false to False. New photos."
    )
    assert feed.entries[1].link.endswith("/claims/alice-said-sky-is-green/#correction-2024-01-06")


def test_date_modified_follows_the_last_change(built_minimal: Path) -> None:
    import json

    review = json.loads(
        parse(built_minimal / "claims/alice-said-sky-is-green/index.html")
        .xpath('//script[@type="application/ld+json"]')[0]
        .text
    )
    assert review["dateModified"] == "2024-01-07"


def test_scorecard_is_an_svg_chart_with_a_table(built_minimal: Path) -> None:
    for page in ("people/bob/index.html", "index.html"):
        document = parse(built_minimal / page)
        figure = document.xpath('//figure[@class="scorecard"]')[0]
        caption = figure.xpath("figcaption")[0]
        assert figure.get("aria-labelledby") == caption.get("id")
        svg = figure.xpath(".//svg")[0]
        assert svg.get("aria-hidden") == "true"  # the table beside it is what screen readers read
        assert len(svg.xpath(".//rect")) == 6
        rows = figure.xpath(".//table//tbody/tr")
        assert len(rows) == 6
    bob = parse(built_minimal / "people/bob/index.html").xpath('//figure[@class="scorecard"]')[0]
    widths = [float(r.get("width")) for r in bob.xpath(".//rect")]
    assert widths == [150.0, 0, 0, 0, 0, 0]  # True 1; Alice's False claim only mentions Bob: not his record


def test_timeline_by_month_with_person_and_verdict(built_site: Path) -> None:
    document = parse(built_site / "timeline/index.html")
    months = [h.text_content() for h in document.xpath("//main//h2")]
    assert months == ["November 2024"]
    entries = document.xpath('//ol[@class="timeline"]/li')
    assert len(entries) == len([p for p in (ROOT / "content" / "claims").rglob("*.md") if "." not in p.stem])
    dates = [li.xpath("time/@datetime")[0] for li in entries]
    assert dates == sorted(dates, reverse=True)
    first = " ".join(entries[0].text_content().split())
    assert "Matthew Miller" in first  # the newest claim is the State Department spokesperson's own
    claims = {c["slug"]: c for c in json.loads((built_site / "claims.json").read_text())["claims"]}
    for entry in entries:  # led by who made the claim: its claimant, else its person
        slug = entry.xpath("a[2]/@href")[0].split("/")[-2]
        assert entry.xpath('a[@class="claim-item-speaker"]')[0].text_content() == claims[slug]["claimant"]
    assert all(li.xpath('.//a[contains(@class, "badge")]') for li in entries)


def test_our_content_has_a_correction_and_a_rerating(built_site: Path) -> None:
    items = " ".join(parse(built_site / "corrections/index.html").text_content().split())
    assert "Rating change, 21 November 2024: Peskov: not aware of any plans for Putin to congratulate Trump (claim by " in items
    assert (
        "Update, 9 November 2024: Verstka: Putin congratulated Trump “through acquaintances”, not in an official call"
        " (claim by " in items
    )


ADVICE_SITE = {
    "site.yaml": "title: T\nbase_url: https://e.org/\npublisher: {name: P}\n",
    "people/ann.md": "---\nname: Ann\n---\n",
    "people/lonely.md": "---\nname: Lonely\n---\n",
    "claims/long.md": """---
title: "Long"
claim: "This claim is stated at great length, far beyond what a search result can show, and is false."
person: ann
claim_date: 2024-01-01
published: 2024-01-02
verdict: "false"
summary: "S"
sources:
  - {title: "A", outlet: "One", url: "https://news.test/a"}
  - {title: "B", outlet: "Two", url: "https://news.test/b", archive_url: "https://web.archive.org/b"}
---
Body.
""",
    "claims/thin.md": """---
title: "Thin"
claim: "Short claim."
person: ann
claim_date: 2024-01-01
published: 2024-01-02
verdict: "true"
summary: "S"
sources:
  - {title: "A", outlet: "One"}
related: [long]
---
Body.
""",
    "pages/about.md": "---\ntitle: About us\n---\nWho we are.\n",
}


@pytest.fixture
def advice_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in ADVICE_SITE.items():
        write(tmp_path / "content" / name, text)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "content"


EXPECTED_ADVICE = [
    "content/claims/long.md:1: warning: no author: sign the check with 'authors: [slug]' (a file in staff/), so readers know who checked it",
    "content/claims/long.md:3: warning: claim contains the verdict label 'False'; state the claim as it was made, not the verdict",
    "content/claims/long.md:3: warning: claim is 93 characters; search results show at most 75: shorten it",
    "content/claims/long.md:10: warning: source 'A' has a url but no archive_url; archive it so readers can check it if the page changes or disappears",
    "content/claims/thin.md:1: warning: no author: sign the check with 'authors: [slug]' (a file in staff/), so readers know who checked it",
    "content/claims/thin.md:7: warning: verdict 'True' rests on 1 outlet (One); back it with at least two independent outlets",
    "content/people/lonely.md:1: warning: no published claims are by or about Lonely",
    "content/site.yaml:1: warning: no contact page: add one under pages/ (the IFCN Code of Principles asks for it)",
    "content/site.yaml:1: warning: no corrections policy page: add one under pages/ (the IFCN Code of Principles asks for it)",
    "content/site.yaml:1: warning: no methodology page: add one under pages/ (the IFCN Code of Principles asks for it)",
]


def test_check_warns(advice_site: Path, run) -> None:
    result = run("check", "--content", "content")
    assert result.code == 0
    assert result.err.splitlines() == EXPECTED_ADVICE
    assert result.out == "2 claims, 2 people, 1 pages: no errors, 10 warnings\n"


def test_check_strict_fails(advice_site: Path, run) -> None:
    result = run("check", "--content", "content", "--strict")
    assert result.code == 1
    assert result.err.splitlines() == [line.replace(": warning: ", ": ", 1) for line in EXPECTED_ADVICE]
    assert result.out.endswith("10 warnings (--strict: failing)\n")


def test_related_claims_count_both_ways(advice_site: Path, run) -> None:
    # thin lists long as related: neither is reported as having no related claims
    assert "no related claims" not in run("check", "--content", "content").err
    (advice_site / "claims/thin.md").write_text(ADVICE_SITE["claims/thin.md"].replace("related: [long]\n", ""))
    err = run("check", "--content", "content").err
    assert "content/claims/long.md:1: warning: no related claims" in err
    assert "content/claims/thin.md:1: warning: no related claims" in err


def test_footer_must_link_transparency_pages(advice_site: Path, run, tmp_path: Path) -> None:
    import shutil

    theme = tmp_path / "theme"
    shutil.copytree(Path(__file__).resolve().parent.parent / "themes/default", theme)
    base = theme / "templates/base.html"
    base.write_text(base.read_text().replace("{% for free in site.pages.values() %}", "{% for free in [] %}"))
    result = run("check", "--content", "content", "--theme", str(theme))
    assert (
        "content/pages/about.md:1: warning: the about (with funding) page is not linked from the page footer"
        in result.err
    )


class _Sources(http.server.BaseHTTPRequestHandler):
    asked: ClassVar[list[str]] = []

    def do_HEAD(self) -> None:
        _Sources.asked.append(self.path)
        self.send_response(200 if self.path == "/alive" else 404 if self.path == "/dead" else 405)
        self.end_headers()

    def do_GET(self) -> None:
        _Sources.asked.append("GET " + self.path)
        self.send_response(200 if self.path == "/get-only" else 410)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def sources_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Sources)
    with on_a_thread(server):
        _Sources.asked.clear()
        yield f"http://127.0.0.1:{server.server_address[1]}"


def test_links(advice_site: Path, run, sources_server: str) -> None:
    claim = ADVICE_SITE["claims/thin.md"].replace(
        '  - {title: "A", outlet: "One"}',
        f'  - {{title: "A", outlet: "One", url: "{sources_server}/alive", archive_url: "https://web.archive.org/a"}}\n'
        f'  - {{title: "B", outlet: "Two", url: "{sources_server}/dead", archive_url: "https://web.archive.org/b"}}\n'
        f'  - {{title: "C", outlet: "Two", url: "{sources_server}/get-only", archive_url: "https://web.archive.org/c"}}\n'
        f'  - {{title: "D", outlet: "Two", url: "{sources_server}/gone"}}',
    )
    (advice_site / "claims/thin.md").write_text(claim)
    long = (advice_site / "claims/long.md").read_text()
    (advice_site / "claims/long.md").write_text(
        long.replace(', url: "https://news.test/a"', "").replace(
            ', url: "https://news.test/b", archive_url: "https://web.archive.org/b"', ""
        )
    )  # no network in tests
    first = run("check", "--content", "content", "--links")
    dead = [line for line in first.err.splitlines() if "is dead" in line]
    assert dead == [
        f"content/claims/thin.md:11: warning: source url {sources_server}/dead is dead: HTTP 404; archived copy: https://web.archive.org/b",
        f"content/claims/thin.md:13: warning: source url {sources_server}/gone is dead: HTTP 410; no archive_url to fall back on",
    ]
    asked = len(_Sources.asked)
    second = run("check", "--content", "content", "--links")
    assert [line for line in second.err.splitlines() if "is dead" in line] == dead
    assert len(_Sources.asked) == asked  # answered from the cache
    assert (advice_site.parent / "cache/digest/links.json").is_file()


@pytest.mark.slow
def test_links_to_a_server_that_is_not_http(advice_site: Path, run) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def banner() -> None:
        for _ in range(2):  # HEAD, then GET
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
            connection.close()

    thread = threading.Thread(target=banner, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    long = (
        ADVICE_SITE["claims/long.md"]
        .replace('"https://news.test/a"', f'"http://127.0.0.1:{port}/"')
        .replace(', url: "https://news.test/b", archive_url: "https://web.archive.org/b"', "")
    )
    (advice_site / "claims/long.md").write_text(long)
    try:
        result = run("check", "--content", "content", "--links")
    finally:
        listener.close()
        thread.join(5)
    assert result.code == 0 and "Traceback" not in result.err
    assert f"source url http://127.0.0.1:{port}/ is dead: unreachable (" in result.err
