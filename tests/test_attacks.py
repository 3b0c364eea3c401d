"""What an attacker would try: content that escapes its page or its folder, resource bombs, random
garbage, and a flood of requests at the preview while it rebuilds."""

from __future__ import annotations

import io
import json
import shutil
import socket
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from digest.build import DEFAULT_THEME, Options
from digest.cli import main
from digest.errors import Diagnostic
from digest.loadfile import Failed, load_file
from digest.model import Claim
from digest.serve import Preview
from digest.settings import Limits
from digest.urls import MARKER

from .browser import chromium
from .conftest import CLAIM_FIELDS, HOSTILE_CLAIM, MINIMAL, build_into, build_process, write
from .html import parse
from .static_server import serving

CLAIM_HEAD = "---\n" + CLAIM_FIELDS


def claim_file(sources: str, body: str = "Body.\n") -> str:
    return f"{CLAIM_HEAD}sources:\n{sources}---\n{body}"


def test_unicode_normalisation_collision_names_both_files(scratch: Path, run) -> None:
    composed = unicodedata.normalize("NFC", "Café Times")
    decomposed = unicodedata.normalize("NFD", "Café Times")
    assert composed != decomposed
    write(scratch / "claims/one.md", claim_file(f'  - {{title: "A", outlet: "{composed}"}}\n'))
    write(scratch / "claims/two.md", claim_file(f'  - {{title: "B", outlet: "{decomposed}"}}\n'))
    result = run("build", "--content", "content", "--out", "site")
    assert result.code == 1
    line = result.err.splitlines()[0]
    assert line.startswith("content/claims/two.md:10: outlet 'Cafe")
    assert "(content/claims/one.md:10) would share the page outlets/cafe-times/" in line


def test_names_cannot_leave_the_output_folder(scratch: Path, tmp_path: Path) -> None:
    outlets = ["../../../../etc/passwd", "..", ".", "/", "\\..\\..\\windows", "%2e%2e%2f", "CON", "\u202eevil", "日本"]
    sources = "".join(f'  - {{title: "S{n}", outlet: {json.dumps(o)}}}\n' for n, o in enumerate(outlets))
    write(scratch / "claims/paths.md", claim_file(sources))
    assert build_into(scratch, tmp_path / "out") == 0
    made = {p.resolve() for p in (tmp_path / "out").rglob("*")}
    assert all(p.is_relative_to((tmp_path / "out").resolve()) for p in made)
    assert {p.name for p in tmp_path.iterdir()} == {"content", "out"}
    outlet_pages = sorted(p.parent.name for p in (tmp_path / "out/outlets").glob("*/index.html"))
    assert all(name and "/" not in name and not name.startswith(".") for name in outlet_pages)
    assert len(outlet_pages) == len(outlets) + 2  # the minimal site's own two outlets


def test_too_many_files_is_a_clear_error(scratch: Path, run) -> None:
    (scratch / "site.yaml").write_text((scratch / "site.yaml").read_text() + "limits: {max_files: 10}\n")
    for number in range(12):
        write(scratch / f"claims/bulk/c{number}.md", claim_file('  - {title: "A", outlet: "B"}\n'))
    result = run("check", "--content", "content")
    assert result.code == 1
    assert result.err.splitlines()[0] == "content/claims:1: more than 10 content files (limits.max_files in site.yaml)"


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        "[" * 200_000,
        "*a" * 200_000,
        "> " * 100_000 + "x",
        "- " * 100_000 + "x",
        "`" * 200_000,
        "<" * 200_000,
        "[a](" * 100_000,
        "\n".join(f"| {'a|' * 200}" for _ in range(500)),
        "![" * 100_000,
        "&#" * 200_000,
    ],
    ids=["brackets", "emphasis", "quotes", "lists", "backticks", "angles", "links", "table", "images", "entities"],
)
def test_pathological_markdown_stays_bounded(body: str, tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "content")
    write(tmp_path / "content/claims/bomb.md", claim_file('  - {title: "A", outlet: "B"}\n', body + "\n"))
    result = build_process(tmp_path / "content", tmp_path / "out", "--no-search", timeout=120)  # a hang fails
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def hostile_search(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("hostile-search")
    shutil.copytree(MINIMAL, root / "content")
    payload = HOSTILE_CLAIM.replace("alert(2)", "window.pwned=2").replace("Body ", "Zanzibarquux body ")
    write(root / "content/claims/hostile.md", payload)
    assert build_into(root / "content", root / "www/site") == 0
    return root / "www"


def test_social_cards_are_inert(hostile_search: Path) -> None:
    """A card is pixels: a PNG with no text chunk, and no SVG carries content text anywhere."""
    site = hostile_search / "site"
    card = (site / "claims/hostile/card.png").read_bytes()
    with Image.open(io.BytesIO(card)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))
        assert image.info == {}  # no tEXt, iTXt or zTXt chunk: no text at all
    assert b"script" not in card.lower()
    assert not list((site / "claims").rglob("*.svg")) and not (site / "card.svg").exists()
    page = parse(site / "claims/hostile/index.html")
    assert "Claim </script><script>" in page.xpath('string(//meta[@property="og:image:alt"]/@content)')


@pytest.mark.browser
def test_search_results_are_inert(hostile_search: Path) -> None:
    with serving(hostile_search) as url, chromium() as browser:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url + "site/search/?q=Zanzibarquux")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
        page.wait_for_timeout(500)
        assert page.evaluate("window.pwned") is None
        assert dialogs == []
        assert page.locator(".pagefind-ui__results img").count() == 0
        assert page.locator(".pagefind-ui__results script").count() == 0


FRONT_KEYS = st.sampled_from(
    [
        "title",
        "claim",
        "person",
        "people",
        "claim_date",
        "published",
        "verdict",
        "summary",
        "sources",
        "related",
        "tags",
        "corrections",
        "draft",
        "claimant",
        "updated",
        "sorces",
        "x",
        "",
        "1",
        "true",
    ]
)
SCALARS = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.dates(),
    st.sampled_from(["alice", "bob", "true", "false", "no", "1:30", "2024-09-31", "~"]),
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(FRONT_KEYS, inner, max_size=4), max_leaves=12
)


def unclean(result: object) -> list[str]:
    """What is wrong with what a file of random bytes loaded into: nothing for a claim, or for errors
    that each name the file, a line and a message."""
    if isinstance(result, Claim):
        return []
    if not isinstance(result, Failed):
        return [f"neither a claim nor errors: {result!r}"]
    if not result.diagnostics:
        return ["failed without a diagnostic"]
    return [
        repr(d)
        for d in result.diagnostics
        if not (isinstance(d, Diagnostic) and d.line >= 1 and d.message and str(d).startswith("c.md:"))
    ]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.dictionaries(FRONT_KEYS, VALUES, max_size=12), st.text(max_size=200))
def test_random_front_matter_gives_a_record_or_clean_errors(front: dict[str, object], body: str) -> None:
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, default_flow_style=None) + "---\n" + body
    assert unclean(load_file("claim", "c.md", "c", text.encode(), Limits())) == []


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_give_clean_errors(data: bytes) -> None:
    assert unclean(load_file("claim", "c.md", "c", b"---\n" + data, Limits())) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_random_text_gives_clean_errors(text: str) -> None:
    assert unclean(load_file("claim", "c.md", "c", text.encode("utf-8", "surrogatepass"), Limits())) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(FRONT_KEYS, VALUES, max_size=12), st.text(max_size=300))
def test_random_claims_build_or_fail_cleanly(
    tmp_path_factory: pytest.TempPathFactory, front: dict[str, object], body: str
) -> None:
    root = tmp_path_factory.mktemp("random")
    shutil.copytree(MINIMAL, root / "content")
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    (root / "content/claims/random.md").write_text(text, encoding="utf-8", errors="surrogatepass")
    (root / "site").mkdir()
    (root / "site/keep").write_text("previous")
    (root / "site" / MARKER).write_text("a site digest made before")
    stderr = StringIO()
    with redirect_stdout(StringIO()), redirect_stderr(stderr):
        code = main(["build", "--content", str(root / "content"), "--out", str(root / "site"), "--no-search"])
    assert code in (0, 1), stderr.getvalue()
    assert "Traceback" not in stderr.getvalue()
    if code == 1:
        assert sorted(p.name for p in (root / "site").iterdir()) == [MARKER, "keep"]
        lines = stderr.getvalue().splitlines()
        assert all(line.startswith(str(root / "content")) for line in lines[:-1]), lines
    else:
        assert (root / "site/index.html").is_file()


def _get(port: int, path: str, host: str = "127.0.0.1") -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]), data


def test_a_burst_of_requests_during_rebuilds(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "content")
    (tmp_path / "secret.txt").write_text("TOP-SECRET")
    with redirect_stdout(StringIO()):
        preview = Preview(Options(content=tmp_path / "content", content_shown="content", theme=DEFAULT_THEME))
        assert preview.rebuild().error is None
    server = preview.listen("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    port = server.server_address[1]
    claim = tmp_path / "content/claims/bob-said-sky-is-blue.md"
    original = claim.read_text()
    stop = threading.Event()

    def keep_rebuilding() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            claim.write_text(original.replace("Bob said", f"Bob said ({number})"))
            with redirect_stdout(StringIO()):
                preview.rebuild()

    rebuilder = threading.Thread(target=keep_rebuilding, daemon=True)
    rebuilder.start()
    paths = [
        "/sub/path/",
        "/sub/path/claims/bob-said-sky-is-blue/",
        "/sub/path/feed.xml",
        "/sub/path/nowhere/",
        "/sub/path/%2e%2e/%2e%2e/secret.txt",
        "/sub/path/..%2f..%2fsecret.txt",
        "/../secret.txt",
    ]
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=64) as pool:
            answers = list(pool.map(lambda n: _get(port, paths[n % len(paths)]), range(1000)))
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        rebuilder.join(30)
    try:
        assert len(answers) == 1000 and elapsed < 120
        for number, (status, data) in enumerate(answers):
            assert b"TOP-SECRET" not in data
            path = paths[number % len(paths)]
            expected = 200 if path in paths[:3] else 404
            assert status == expected, (path, status)
        assert _get(port, "/sub/path/")[0] == 200  # still up
        assert _get(port, "/sub/path/", host="evil.example")[0] == 403
    finally:
        server.shutdown()
        preview.close()
        thread.join(5)
