"""Hostile content comes out inert everywhere it is shown: pages, attributes, JSON-LD, feeds, data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
import lxml.etree
import pytest
from markdown_it import MarkdownIt

from digest.markdown import IDLE_RULES, render

from .conftest import HOSTILE, HOSTILE_CLAIM, MINIMAL, build_into, write
from .html import json_ld, pages, parse

UNSAFE_LINKS = """[click](javascript:alert(5)) [upper](JaVaScRiPt:alert(6)) [entity](&#106;avascript:alert(7))
[encoded](javascript%3Aalert(8)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==)
[vb](vbscript:msgbox(10)) [spaced]( javascript:alert(11)) ![img](data:image/svg+xml,<svg onload=alert(12)>)
[ref][r] <javascript:alert(15)> ![pic](vbscript:x)

[r]: javascript:alert(16)"""
"""Links that are refused: each is an error at its line, so they never reach a built page; the
renderer keeps only their text all the same."""

BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(MINIMAL, root / "content")
    write(root / "content/claims/hostile.md", HOSTILE_CLAIM.replace("{unsafe}", ""))
    write(
        root / "content/people/alice.md",
        f"---\nname: {json.dumps('Alice ' + HOSTILE)}\nrole: {json.dumps(HOSTILE)}\n---\n{HOSTILE}\n",
    )
    assert build_into(root / "content", root / "site") == 0
    return root / "site"


def test_no_script_runs_in_any_page(hostile_site: Path) -> None:
    for page in pages(hostile_site):
        if page.is_relative_to(hostile_site / "pagefind"):
            continue  # Pagefind's own bundle, not made from content
        document = parse(page)
        for script in document.xpath("//script"):
            if script.get("src") in ("../pagefind/pagefind-ui.js", "../static/search.js"):
                assert page.parent.name == "search" and not (script.text or "").strip(), page  # the theme's search
                continue
            assert script.get("type") == "application/ld+json", page
            json.loads(script.text)  # the whole element is one JSON value: nothing broke out
        for element in document.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (page, element.tag, name)
                if name in ("href", "src", "action", "formaction"):
                    assert not value.strip().lower().startswith(BAD_SCHEMES), (page, value)
        assert document.xpath("//img[@onerror]") == []


def test_text_is_shown_escaped(hostile_site: Path) -> None:
    document = parse(hostile_site / "claims/hostile/index.html")
    assert document.xpath("//h1")[0].text_content() == "Title " + HOSTILE
    body = document.xpath('//section[@id="analysis"]')[0].text_content()
    assert "<script>alert(4)</script>" in body
    assert "onclick" in body  # shown as text, not as an attribute


def test_json_ld_carries_the_text_exactly(hostile_site: Path) -> None:
    review = json_ld(parse(hostile_site / "claims/hostile/index.html"))[0]
    assert review["claimReviewed"] == "Claim " + HOSTILE
    assert review["itemReviewed"]["author"]["name"] == "Claimant " + HOSTILE
    raw = (hostile_site / "claims/hostile/index.html").read_text()
    script = raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script


def test_feeds_and_data_parse(hostile_site: Path) -> None:
    for feed in ("feed.xml", "people/alice/feed.xml", "corrections/feed.xml"):
        parsed = feedparser.parse((hostile_site / feed).read_bytes())
        assert not parsed.bozo
        lxml.etree.fromstring((hostile_site / feed).read_bytes())
    entry = next(e for e in feedparser.parse((hostile_site / "feed.xml").read_bytes()).entries if "hostile" in e.id)
    assert entry.title == "Title " + HOSTILE
    data = json.loads((hostile_site / "claims.json").read_text())
    assert any(c["text"] == "Claim " + HOSTILE for c in data["claims"])
    lxml.etree.fromstring((hostile_site / "sitemap.xml").read_bytes())


def test_refused_links_are_errors_at_their_lines(tmp_path: Path, run) -> None:
    shutil.copytree(MINIMAL, tmp_path / "content")
    write(tmp_path / "content/claims/hostile.md", HOSTILE_CLAIM.replace("{unsafe}", UNSAFE_LINKS))
    result = run("build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "site"))
    assert result.code == 1
    found = [line.split(": ", 1) for line in result.err.splitlines()[:-1]]
    first = HOSTILE_CLAIM.splitlines().index("{unsafe}") + 1
    expected = {
        (first, "javascript:"): 3,
        (first + 1, "javascript:"): 1,
        (first + 1, "data:"): 1,
        (first + 2, "vbscript:"): 1,
        (first + 2, "javascript:"): 1,
        (first + 3, "javascript:"): 2,
        (first + 3, "vbscript:"): 1,
    }
    counted: dict[tuple[int, str], int] = {}
    for where, message in found:
        path, number = where.rsplit(":", 1)
        assert path.endswith("claims/hostile.md"), where
        scheme = message.split("uses the scheme '", 1)[1].split("'", 1)[0]
        key = (int(number), scheme)
        counted[key] = counted.get(key, 0) + 1
    assert counted == expected
    assert not (tmp_path / "site").exists()


def test_the_renderer_keeps_only_the_text_of_refused_links() -> None:
    rendered = render(UNSAFE_LINKS, depth=1)
    assert "<a" not in rendered.html and "<img" not in rendered.html
    assert "click" in rendered.html and "upper" in rendered.html
    assert len(rendered.refused) == 10 and rendered.links == ()


def test_the_markdown_rules_turned_off_exist_and_were_idle() -> None:
    """The rules the renderer turns off are rules of the markdown-it-py installed, and with js-default's
    options (no raw HTML, no linkify, no typographer) they changed nothing: raw HTML, bare URLs,
    quotes and (c) come out the same with them on."""
    known = {rule for chain in MarkdownIt("js-default").get_all_rules().values() for rule in chain}
    assert set(IDLE_RULES) <= known
    text = (
        f"{HOSTILE}\n\n<div onclick=x>block</div>\n\n"
        "Inline <b>bold</b> <!-- note --> https://example.org and www.example.org; \"quoted\" 'single' "
        "(c) (tm) +- -- --- ... ?!!!\n\n- <span>item</span>\n"
    )
    with_them = MarkdownIt("js-default").render(text)
    assert MarkdownIt("js-default").disable(IDLE_RULES).render(text) == with_them
    assert "&lt;div onclick=x&gt;" in with_them and "&quot;quoted&quot;" in with_them
    assert "<a" not in render(text, depth=1).html
