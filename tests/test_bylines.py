"""Who checked it, and how to tell them they got it wrong: bylines, staff pages, error reports."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import build_into, write
from .edits import copy_site, warm_and_cold
from .html import json_ld, parse

JANET = (
    "---\nname: Janet Example\nrole: Fact-checker\nsame_as: [https://example.com/janet]\n---\nJanet checks claims.\n"
)
IVAN = "---\nname: Ivan Example\nrole: Reporter\n---\n"
OLGA = "---\nname: Olga Example\nrole: Editor\n---\nOlga edits the checks.\n"
BOB_CLAIM = "claims/bob-said-sky-is-blue.md"


def sign(content: Path, claim: str, lines: str) -> None:
    """Add front-matter lines to a claim of the minimal site."""
    path = content / claim
    text = path.read_text()
    end = text.index("\n---\n", 4)
    path.write_text(text[:end] + "\n" + lines + text[end:])


@pytest.fixture
def bylined(scratch: Path) -> Path:
    """The minimal site with three staff members; Bob's claim signed by two and edited by one."""
    write(scratch / "staff/janet.md", JANET)
    write(scratch / "staff/ivan.md", IVAN)
    write(scratch / "staff/olga.md", OLGA)
    sign(scratch, BOB_CLAIM, "authors: [janet, ivan]\neditors: [olga]")
    sign(scratch, "claims/2024/alice-said-sky-is-green.md", "authors: [olga]")
    return scratch


def _text(element) -> str:
    return " ".join(element.text_content().split())


def test_the_byline_names_and_links_the_staff(bylined: Path, tmp_path: Path) -> None:
    assert build_into(bylined, tmp_path / "out") == 0
    document = parse(tmp_path / "out/claims/bob-said-sky-is-blue/index.html")
    byline = document.xpath('//p[@class="byline"]')[0]
    assert _text(byline).startswith(
        "By Janet Example and Ivan Example · Edited by Olga Example · Published 4 January 2024"
    )
    links = {a.text_content(): a.get("href") for a in byline.xpath(".//a")}
    assert links == {
        "Janet Example": "../../staff/janet/index.html",
        "Ivan Example": "../../staff/ivan/index.html",
        "Olga Example": "../../staff/olga/index.html",
    }
    # the byline comes right under the headline, before the claim and the verdict
    order = [e.get("class") for e in document.xpath("//h1 | //p[@class='byline'] | //section[contains(@class, 'box')]")]
    assert order == [None, "byline", "claim-box", "verdict-box tone-edge-r5"]


def test_staff_pages_list_what_each_wrote_and_edited(bylined: Path, tmp_path: Path) -> None:
    assert build_into(bylined, tmp_path / "out") == 0
    olga = parse(tmp_path / "out/staff/olga/index.html")
    assert olga.xpath("//h1")[0].text_content() == "Olga Example"
    assert _text(olga.xpath('//p[@class="lead"]')[0]) == "Editor, Test Desk"
    written = olga.xpath('//section[@id="claims"]//h3/a/text()')
    edited = olga.xpath('//section[@aria-labelledby="edited-heading"]//h3/a/text()')
    assert (written, edited) == (["Alice said the sky is green"], ["Bob said the sky is blue"])
    janet = parse(tmp_path / "out/staff/janet/index.html")
    assert janet.xpath('//a[@rel="me"]/@href') == ["https://example.com/janet"]
    assert janet.xpath('//section[@aria-labelledby="edited-heading"]') == []  # edited nothing
    person = json_ld(janet)[0]
    assert person["@type"] == "Person" and person["worksFor"]["name"] == "Test Desk"
    index = parse(tmp_path / "out/staff/index.html")
    entries = [_text(li) for li in index.xpath('//ul[@class="index-list"]/li')]
    assert entries == [
        "Ivan Example, Reporter (1 check)",
        "Janet Example, Fact-checker (1 check)",
        "Olga Example, Editor (2 checks)",
    ]
    footer = parse(tmp_path / "out/index.html").xpath("//footer//a[text()='Our team']/@href")
    assert footer == ["staff/index.html"]
    sitemap = (tmp_path / "out/sitemap.xml").read_text()
    olga_modified = "2024-01-07"  # alice's claim, the later of the two, was last changed then
    assert f"<loc>https://example.com/sub/path/staff/olga/</loc>\n    <lastmod>{olga_modified}</lastmod>" in sitemap


def test_a_site_without_staff_has_no_staff_pages(built_minimal: Path) -> None:
    assert not (built_minimal / "staff").exists()
    assert parse(built_minimal / "index.html").xpath("//footer//a[text()='Our team']") == []
    byline = _text(parse(built_minimal / "claims/bob-said-sky-is-blue/index.html").xpath('//p[@class="byline"]')[0])
    assert byline == "Published 4 January 2024"


def test_claim_review_keeps_the_publisher_first_and_names_the_staff(bylined: Path, tmp_path: Path) -> None:
    assert build_into(bylined, tmp_path / "out") == 0
    review = json_ld(parse(tmp_path / "out/claims/bob-said-sky-is-blue/index.html"))[0]
    desk = {"@type": "Organization", "name": "Test Desk", "url": "https://example.com/"}
    assert review["author"][0] == desk
    assert [(a["@type"], a["name"], a["url"]) for a in review["author"][1:]] == [
        ("Person", "Janet Example", "https://example.com/sub/path/staff/janet/"),
        ("Person", "Ivan Example", "https://example.com/sub/path/staff/ivan/"),
    ]
    assert review["author"][1]["sameAs"] == ["https://example.com/janet"]
    assert review["author"][1]["jobTitle"] == "Fact-checker" and review["author"][1]["worksFor"] == desk
    assert [e["name"] for e in review["editor"]] == ["Olga Example"]
    unsigned = json_ld(parse(tmp_path / "out/claims/alice-said-sky-is-green/index.html"))[0]
    assert unsigned["author"][1]["name"] == "Olga Example" and "editor" not in unsigned
    exported = {c["slug"]: c for c in json.loads((tmp_path / "out/claims.json").read_text())["claims"]}
    assert [a["name"] for a in exported["bob-said-sky-is-blue"]["authors"]] == ["Janet Example", "Ivan Example"]
    assert exported["bob-said-sky-is-blue"]["editors"][0]["url"] == "https://example.com/sub/path/staff/olga/"


def test_check_warns_about_unsigned_checks(bylined: Path, run) -> None:
    result = run("check", "--content", "content")
    assert result.code == 0
    unsigned = [line for line in result.err.splitlines() if "no author" in line]
    assert unsigned == []  # bob's draft and scheduled checks are unsigned, but not published
    (bylined / BOB_CLAIM).write_text((bylined / BOB_CLAIM).read_text().replace("authors: [janet, ivan]\n", ""))
    result = run("check", "--content", "content")
    assert [line for line in result.err.splitlines() if "no author" in line] == [
        "content/claims/bob-said-sky-is-blue.md:1: warning: no author: sign the check with 'authors: [slug]' "
        "(a file in staff/), so readers know who checked it"
    ]


def _report(document) -> tuple[str, str]:
    section = document.xpath('//section[@class="report"]')[0]
    return section.xpath('.//a[@class="report-link"]/@href')[0], _text(section)


def test_report_an_error_by_mail_with_the_check_filled_in(scratch: Path, tmp_path: Path) -> None:
    site = scratch / "site.yaml"
    site.write_text(site.read_text() + "corrections_email: corrections@example.com\n")
    text = (scratch / BOB_CLAIM).read_text()
    (scratch / BOB_CLAIM).write_text(text.replace('"Bob said the sky is blue"', '"Bob & Ann: is it 100% “blue”? #sky"'))
    assert build_into(scratch, tmp_path / "out") == 0
    href, _ = _report(parse(tmp_path / "out/claims/bob-said-sky-is-blue/index.html"))
    parts = urlsplit(href)
    assert (parts.scheme, parts.path) == ("mailto", "corrections@example.com")
    assert " " not in href and "\n" not in href and "+" not in href  # RFC 6068: %20, never + or raw
    fields = parse_qs(parts.query, strict_parsing=True)
    assert fields["subject"] == ["Error report: Bob & Ann: is it 100% “blue”? #sky"]
    body = fields["body"][0]
    assert body.startswith(
        "Check: Bob & Ann: is it 100% “blue”? #sky\r\nhttps://example.com/sub/path/claims/bob-said-sky-is-blue/\r\n"
    )


def test_report_an_error_through_the_contact_page(scratch: Path, tmp_path: Path) -> None:
    assert build_into(scratch, tmp_path / "out") == 0
    href, text = _report(parse(tmp_path / "out/claims/bob-said-sky-is-blue/index.html"))
    assert href == "https://example.com/"  # no contact page and no address: the publisher's website
    assert "https://example.com/sub/path/claims/bob-said-sky-is-blue/" in text
    write(scratch / "pages/contact.md", "---\ntitle: Contact us\n---\nWrite to us.\n")
    assert build_into(scratch, tmp_path / "out2") == 0
    href, text = _report(parse(tmp_path / "out2/claims/bob-said-sky-is-blue/index.html"))
    assert href == "../../contact/index.html"
    assert "quoting this check's address: https://example.com/sub/path/claims/bob-said-sky-is-blue/" in text


def test_a_bad_corrections_email_is_an_error(scratch: Path, run) -> None:
    site = scratch / "site.yaml"
    site.write_text(site.read_text() + "corrections_email: corrections at example.com\n")
    result = run("check", "--content", "content")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "content/site.yaml:6: corrections_email 'corrections at example.com' is not an e-mail address such as "
        "corrections@example.org"
    )


def test_warm_builds_follow_staff_edits(tmp_path: Path) -> None:
    content, theme = copy_site(tmp_path)
    assert warm_and_cold(content, theme, tmp_path).differences == []
    write(content / "staff/janet.md", JANET)
    sign(content, BOB_CLAIM, "authors: [janet]")
    assert warm_and_cold(content, theme, tmp_path).differences == []
    write(content / "staff/janet.md", JANET.replace("Janet Example", "Janet Renamed"))
    assert warm_and_cold(content, theme, tmp_path).differences == []
    byline = parse(tmp_path / "warm/claims/bob-said-sky-is-blue/index.html").xpath('//p[@class="byline"]//a/text()')
    assert byline == ["Janet Renamed"]
    review = json.loads((tmp_path / "warm/claimreview.json").read_text())
    assert [r["author"][1]["name"] for r in review if isinstance(r["author"], list)] == ["Janet Renamed"]
    (content / BOB_CLAIM).write_text((content / BOB_CLAIM).read_text().replace("authors: [janet]\n", ""))
    assert warm_and_cold(content, theme, tmp_path).differences == []
    assert not (tmp_path / "warm/staff/janet/index.html").read_text().count("Bob said the sky is blue")


def test_links_to_staff_pages_are_checked_like_any_other(bylined: Path, run) -> None:
    """The staff pages are among the pages a Markdown link may lead to; a staff bio's links are checked too."""
    claim = bylined / BOB_CLAIM
    claim.write_text(claim.read_text() + "\nChecked by [Janet](/staff/janet/), see [Jane](/staff/jane/).\n")
    line = claim.read_text().splitlines().index("Checked by [Janet](/staff/janet/), see [Jane](/staff/jane/).") + 1
    (bylined / "staff/olga.md").write_text(OLGA + "\nOur [team](/staff/) and [her desk](/staf/olga/).\n")
    result = run("check", "--content", "content")
    assert result.code == 1
    assert result.err.splitlines()[:2] == [
        f"content/{BOB_CLAIM}:{line}: link '/staff/jane/' leads to no page of the site (/staff/jane/); "
        "did you mean '/staff/janet/'?",
        "content/staff/olga.md:7: link '/staf/olga/' leads to no page of the site (/staf/olga/); "
        "did you mean '/staff/olga/'?",
    ]


def test_a_claim_with_other_problems_still_has_its_byline_checked(bylined: Path, run) -> None:
    """A file that fails (here a bad verdict field) is still checked for unknown staff: one run, every problem."""
    path = bylined / BOB_CLAIM
    path.write_text(
        path.read_text()
        .replace("authors: [janet, ivan]", "authors: [janet, ivna]")
        .replace("published: 2024-01-04", "published: 2024-13-04")
    )
    result = run("check", "--content", "content")
    assert result.code == 1
    messages = [line.split(": ", 1)[1] for line in result.err.splitlines() if line.startswith(f"content/{BOB_CLAIM}")]
    assert any("2024-13-04" in message for message in messages)
    assert "unknown staff member 'ivna' in 'authors'; did you mean 'ivan'?" in messages
