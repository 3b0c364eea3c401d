"""Images in checks: the claim as it appeared (``image:``) and images in the analysis, measured,
offered in narrower copies, re-encoded as pixels only, and named in the share tags and ClaimReview."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from digest.build import LiveBuild, Options
from digest.errors import ContentError

from .conftest import MINIMAL, TODAY, build_into, write
from .edits import same_tree
from .html import json_ld, parse

CLAIM = "claims/bob-said-sky-is-blue"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("images")
    content = root / "content"
    shutil.copytree(MINIMAL, content)
    Image.new("RGB", (2000, 1000), (200, 30, 30)).save(content / "claims/post.jpg", quality=90)
    Image.new("RGB", (300, 200), (20, 200, 30)).save(content / "claims/small.png")
    turned = Image.new("RGB", (300, 200), (20, 20, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned a quarter: 200 wide, 300 high
    exif[0x010F] = "A camera maker that must not be published"
    turned.save(content / "claims/turned.jpg", exif=exif)
    polyglot = content / "claims/polyglot.png"
    Image.new("RGB", (40, 30), (1, 2, 3)).save(polyglot)
    polyglot.write_bytes(polyglot.read_bytes() + b"<html><script>alert(1)</script></html>")  # a PNG, and HTML after it
    (content / "static/img").mkdir(parents=True)
    Image.new("RGB", (1000, 500), (20, 20, 230)).save(content / "static/img/logo.png")
    claim = (content / "claims/bob-said-sky-is-blue.md").read_text()
    claim = claim.replace(
        "tags: [sky, weather]\n",
        "tags: [sky, weather]\n"
        'image: {src: post.jpg, alt: "Bob\'s post as it appeared", caption: "The post", credit: "Screenshot: Test Desk"}\n',
    )
    claim = claim.replace(
        "Bob is right.",
        "Bob is right.\n\n![A small green square](small.png)\n\n![A photograph taken sideways](turned.jpg)\n\n"
        "![The logo](/img/logo.png)\n\n![An image elsewhere](https://example.com/x.png)\n\n![A PNG with HTML](polyglot.png)"
        "\n\n[The post, full size](post.jpg)",
    )
    write(content / "claims/bob-said-sky-is-blue.md", claim)
    alice = content / "people/alice.md"
    alice.write_text(alice.read_text() + f"\n[Bob's post]({'/' + CLAIM}/post-960w.jpg)\n")
    assert build_into(content, root / "site", "--no-search") == 0
    return root / "site"


def _images(site: Path) -> dict[str, dict[str, str]]:
    document = parse(site / CLAIM / "index.html")
    return {img.get("alt"): dict(img.attrib) for img in document.xpath("//img")}


def test_the_claim_as_it_appeared_follows_the_claim_and_verdict(built: Path) -> None:
    document = parse(built / CLAIM / "index.html")
    [figure] = document.xpath('//div[@class="claim-top"]/following-sibling::figure[@class="claim-image"]')
    [img] = figure.xpath(".//img")
    assert img.get("alt") == "Bob's post as it appeared"
    assert (img.get("width"), img.get("height")) == ("2000", "1000")
    assert img.get("srcset") == "post-480w.jpg 480w, post-960w.jpg 960w, post-1600w.jpg 1600w, post.jpg 2000w"
    assert img.get("loading") is None  # at the top of the page: not lazy
    assert (built / CLAIM / img.get("src").removeprefix("../../" + CLAIM + "/")).is_file()
    assert " ".join(figure.xpath("string(.//figcaption)").split()) == "The post Screenshot: Test Desk"
    for name, width in (("post-480w.jpg", 480), ("post-960w.jpg", 960), ("post-1600w.jpg", 1600), ("post.jpg", 2000)):
        with Image.open(built / CLAIM / name) as image:
            assert image.size == (width, width // 2), name


def test_images_in_the_analysis_are_measured_and_lazy(built: Path) -> None:
    images = _images(built)
    small = images["A small green square"]
    assert (small["src"], small["width"], small["height"], small["loading"]) == ("small.png", "300", "200", "lazy")
    assert "srcset" not in small  # narrower than every copy
    logo = images["The logo"]  # from content/static/, written from the site root
    assert logo["src"] == "logo.png" and logo["srcset"] == "logo-480w.png 480w, logo-960w.png 960w, logo.png 1000w"
    assert logo["loading"] == "lazy"
    turned = images["A photograph taken sideways"]
    assert (turned["width"], turned["height"]) == ("200", "300")
    with Image.open(built / CLAIM / "turned.jpg") as image:
        assert image.size == (200, 300)  # turned upright
        assert dict(image.getexif()) == {}  # and nothing of the camera's is published
    assert images["An image elsewhere"] == {"src": "https://example.com/x.png", "alt": "An image elsewhere"}


def test_the_claims_image_is_its_share_image_and_in_its_claim_review(built: Path) -> None:
    document = parse(built / CLAIM / "index.html")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in document.xpath("//meta")}
    url = f"https://example.com/sub/path/{CLAIM}/"
    assert meta["og:image"] == meta["twitter:image"] == url + "post-1600w.jpg"
    assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:type"]) == ("1600", "800", "image/jpeg")
    assert meta["og:image:alt"] == "Bob's post as it appeared"
    [review] = json_ld(document)
    [picture] = [a for a in review["itemReviewed"]["appearance"] if a["@type"] == "ImageObject"]
    assert picture["contentUrl"] == url + "post.jpg"
    assert (picture["width"], picture["height"], picture["caption"]) == (2000, 1000, "The post")
    other = parse(built / "claims/alice-said-sky-is-green/index.html")
    assert other.xpath('string(//meta[@property="og:image"]/@content)').endswith("/card.png")


def test_every_copy_is_pixels_only(built: Path) -> None:
    assert b"<script" not in (built / CLAIM / "polyglot.png").read_bytes()  # decoded and encoded again
    for path in (built / CLAIM).iterdir():
        if path.suffix in (".png", ".jpg"):
            with Image.open(path) as image:
                assert image.format in ("PNG", "JPEG")
                assert not {"exif", "comment", "icc_profile"} & set(image.info), path
    assert json.loads((built / "claims.json").read_text())  # the exports still build


def test_links_may_lead_to_the_copies_of_images(built: Path) -> None:
    """The link checker knows the copies' paths: the build above passed with these links in it."""
    claim = parse(built / CLAIM / "index.html")
    assert claim.xpath('//a[text()="The post, full size"]/@href') == ["post.jpg"]
    alice = parse(built / "people/alice/index.html")
    [href] = alice.xpath('//a[text()="Bob\'s post"]/@href')
    assert href == f"../../{CLAIM}/post-960w.jpg" and (built / CLAIM / "post-960w.jpg").is_file()


def test_each_image_problem_is_told_once_at_its_line(scratch: Path, run) -> None:
    """A claim's own image files are checked as files (one message each), even when the file has other
    problems; its images with a scheme as links; a link to an image copy that is not made leads to no page."""
    claim = scratch / "claims/bob-said-sky-is-blue.md"
    claim.write_text(
        claim.read_text() + "\n![Gone](gone.png)\n\n![Script](javascript:alert(1))\n\n![Data](data:image/png;base64,AA)\n"
    )
    alice = scratch / "people/alice.md"
    alice.write_text(alice.read_text() + f"\n[Bob's post]({'/' + CLAIM}/gone.png)\n")
    result = run("check", "--content", "content")
    assert result.code == 1
    problems = [line for line in result.err.splitlines() if line.startswith("content/")]
    lines = len(claim.read_text().splitlines())
    allowed = "use http:, https:, mailto: or a link within the site"
    assert problems == [
        f"content/claims/bob-said-sky-is-blue.md:{lines - 4}: image 'gone.png' not found: put the file beside the "
        "claim, or under content/static/ and write '/name'",
        f"content/claims/bob-said-sky-is-blue.md:{lines - 2}: image 'javascript:alert(1)' uses the scheme "
        f"'javascript:', which is not allowed: {allowed}",
        f"content/claims/bob-said-sky-is-blue.md:{lines}: image 'data:image/png;base64,AA' uses the scheme 'data:', "
        f"which is not allowed: {allowed}",
        f"content/people/alice.md:{len(alice.read_text().splitlines())}: link '/{CLAIM}/gone.png' leads to no page "
        f"of the site (/{CLAIM}/gone.png); did you mean '/claims/alice-said-sky-is-green/card.png'?",
    ], result.err


def test_the_preview_tells_of_a_link_to_an_image_that_was_renamed(scratch: Path) -> None:
    """A rebuild that reuses the last site still checks links against the images' new copies."""
    Image.new("RGB", (40, 30), (1, 2, 3)).save(scratch / "claims/shot.png")
    claim = scratch / "claims/bob-said-sky-is-blue.md"
    claim.write_text(claim.read_text() + "\n![A shot](shot.png)\n")
    alice = scratch / "people/alice.md"
    alice.write_text(alice.read_text() + f"\n[Bob's shot]({'/' + CLAIM}/shot.png)\n")
    live = LiveBuild(Options(content=scratch, content_shown="content", out=scratch.parent / "out", today=TODAY))
    assert live.run().error is None
    (scratch / "claims/shot.png").rename(scratch / "claims/renamed.png")
    claim.write_text(claim.read_text().replace("(shot.png)", "(renamed.png)"))
    result = live.run(changed=[claim, scratch / "claims/shot.png", scratch / "claims/renamed.png"])
    assert isinstance(result.error, ContentError)
    assert [str(d) for d in result.error.diagnostics] == [
        f"content/people/alice.md:{len(alice.read_text().splitlines())}: link '/{CLAIM}/shot.png' leads to no page "
        f"of the site (/{CLAIM}/shot.png); did you mean '/{CLAIM}/card.png'?"
    ]


def test_image_copies_are_the_same_bytes_in_every_build(built: Path, tmp_path: Path) -> None:
    """Made again without the cache's copies, every copy and card is the same file."""
    assert build_into(built.parent / "content", tmp_path / "again", "--no-search", "--no-cache") == 0
    assert same_tree(built, tmp_path / "again") == []
    assert (tmp_path / "again" / CLAIM / "post-480w.jpg").is_file()
