"""Front matter, one small case per line: the value read, or the message and line of the error."""

from __future__ import annotations

from datetime import date

import pytest

from digest.errors import Diagnostic
from digest.loadfile import Failed, load_file
from digest.model import Claim, Person
from digest.settings import Limits

from .conftest import CLAIM_FIELDS

BASE = CLAIM_FIELDS + 'sources: [{title: "A", outlet: "B"}]\n'


def claim(extra: str = "", base: str = BASE, body: str = "Body.\n") -> Claim | Failed:
    text = f"---\n{base}{extra}---\n{body}"
    return load_file("claim", "c.md", "c", text.encode(), Limits())


def messages(result: object) -> list[str]:
    assert isinstance(result, Failed), f"expected errors, got {result!r}"
    return [str(d) for d in result.diagnostics]


@pytest.mark.parametrize(
    ("extra", "field", "value"),
    [
        ("", "verdict", "false"),
        ("tags: [a, b-2]\n", "tags", ("a", "b-2")),
        ("updated: 2024-01-06 10:30:00\n", "updated", date(2024, 1, 6)),
        ("updated: '2024-01-06'\n", "updated", date(2024, 1, 6)),
        ("claimant: 1984\n", "claimant", "1984"),
        ("claimant: 'no'\n", "claimant", "no"),
        ('claimant: "1:30"\n', "claimant", "1:30"),
        ("claimant:\n", "claimant", None),
        ("draft: false\n", "draft", False),
        ("people: []\n", "people", ()),
    ],
)
def test_values(extra: str, field: str, value: object) -> None:
    result = claim(extra)
    assert isinstance(result, Claim), result
    assert getattr(result, field) == value


def test_bare_true_is_a_verdict_key() -> None:
    result = claim(base=BASE.replace('verdict: "false"', "verdict: true"))
    assert isinstance(result, Claim) and result.verdict == "true"


def test_bare_false_is_a_verdict_key() -> None:
    result = claim(base=BASE.replace('verdict: "false"', "verdict: False"))
    assert isinstance(result, Claim) and result.verdict == "false"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("updated: 2024-13-01\n", "c.md:10: '2024-13-01' in 'updated' is not a real date: there is no month 13"),
        (
            "updated: 6/11/2024\n",
            "c.md:10: '6/11/2024' in 'updated' is not a date; write it as YYYY-MM-DD, e.g. 2024-11-06",
        ),
        ("updated: [2024-01-06]\n", "c.md:10: 'updated' must be a date like 2024-11-06, not a list"),
        ("draft: maybe\n", "c.md:10: 'draft' must be true or false, not 'maybe'"),
        ("tags: sky\n", "c.md:10: 'tags' must be a list, e.g. [a, b] or one '- item' per line"),
        ("tags: [sky, sky]\n", "c.md:10: 'sky' is listed twice in 'tags'"),
        (
            "tags: [on]\n",
            "c.md:10: YAML reads 'on' in 'tags' as the boolean true; put it in quotes if you mean the text: \"on\"",
        ),
        (
            "claimant: 010\n",
            "c.md:10: YAML 1.1 reads '010' in 'claimant' as the number 8; put it in quotes if you mean the text: \"010\"",
        ),
        ("claimant: ''\n", "c.md:10: 'claimant' is empty; give a value or remove the line"),
        ("people: [alice]\n", "c.md:10: 'alice' is already the claim's person; leave it out of 'people'"),
        ("related: [c]\n", "c.md:10: a claim cannot list itself in 'related'"),
        ("tags: [~]\n", "c.md:10: item 1 of 'tags' is empty"),
        (
            "\ttags: [a]\n",
            "c.md:10: invalid YAML: found a tab character, which YAML does not allow for indentation; indent with spaces",
        ),
    ],
)
def test_errors(extra: str, message: str) -> None:
    assert messages(claim(extra)) == [message]


def test_every_problem_of_a_file_is_reported() -> None:
    result = claim("sorces: []\nupdated: 2024-02-30\ntags: [A]\n")
    assert messages(result) == [
        "c.md:10: unknown field 'sorces' in the front matter of a claim; did you mean 'sources'?",
        "c.md:11: '2024-02-30' in 'updated' is not a real date: February 2024 has 29 days",
        "c.md:12: 'A' in 'tags' is not a slug: use lower-case letters, digits and hyphens (e.g. 'a')",
    ]


def test_source_fields() -> None:
    result = claim(
        base=BASE.replace(
            'sources: [{title: "A", outlet: "B"}]\n',
            "sources:\n  - title: A\n    outlet: B\n    rol: evidence\n    role: witness\n",
        )
    )
    assert messages(result) == [
        "c.md:12: unknown field 'rol' in a source; did you mean 'role'?",
        "c.md:13: 'witness' is not a valid 'role' (one of: evidence, appearance)",
    ]


@pytest.mark.parametrize("url", ["https://[x/a", "https://x.org/a b", "ftp://x.org/", "https:///a"])
def test_a_source_url_that_is_no_url_is_an_error(url: str) -> None:
    sources = f'sources: [{{title: "A", outlet: "B", url: "{url}"}}]\n'
    result = claim(base=BASE.replace('sources: [{title: "A", outlet: "B"}]\n', sources))
    assert messages(result) == [f"c.md:9: '{url}' in 'url' is not an absolute http:// or https:// URL"]


def test_bom_and_crlf_are_fine() -> None:
    text = ("\ufeff---\n" + BASE + "---\nBody line one.\nline two.\n").replace("\n", "\r\n")
    result = load_file("claim", "c.md", "c", text.encode("utf-8"), Limits())
    assert isinstance(result, Claim)
    assert result.title == "T"
    assert "\r" not in result.body_html


def test_bom_keeps_line_numbers() -> None:
    text = "\ufeff---\n" + BASE + "verdict: x\n---\nBody.\n"
    assert messages(load_file("claim", "c.md", "c", text.encode(), Limits())) == [
        "c.md:10: 'verdict' is given twice in the front matter of a claim (first on line 7); keep one"
    ]


def test_nothing_before_front_matter() -> None:
    assert messages(load_file("claim", "c.md", "c", b"\n---\ntitle: x\n---\n", Limits())) == [
        "c.md:1: file must start with a '---' line that opens the YAML front matter"
    ]


def test_front_matter_must_be_a_mapping() -> None:
    assert messages(load_file("person", "p.md", "p", b"---\n- a\n- b\n---\n", Limits())) == [
        "p.md:2: the front matter of a person must be a mapping of 'field: value' lines, not a list"
    ]


def test_empty_front_matter() -> None:
    assert messages(load_file("person", "p.md", "p", b"---\n---\nbio\n", Limits())) == [
        "p.md:1: front matter is empty; it needs the fields of a claim, person or page"
    ]


def test_person_minimal() -> None:
    result = load_file("person", "p.md", "p", b"---\nname: P\n---\n", Limits())
    assert isinstance(result, Person) and result.name == "P" and result.aliases == ()


def test_deep_nesting_is_refused_quickly() -> None:
    depth = 100_000
    text = f"---\ntitle: {'[' * depth}{']' * depth}\n---\n"
    assert messages(load_file("page", "p.md", "p", text.encode(), Limits())) == [
        "p.md:2: YAML is nested more than 20 levels deep (limits.max_depth in site.yaml)"
    ]


@pytest.mark.parametrize(
    ("front", "max_depth", "line"),
    [
        ("title: " + "[" * 21 + "]" * 21, 20, 2),  # few structure characters: checked on the composed tree
        ("title: x\nkeys:\n" + "".join("  " * i + f"k{i}:\n" for i in range(25)) + "  " * 25 + "v\n", 20, 24),
        ("a: [[[x]]]\nb: [[y]]\n", 3, 2),
        ("a: [[x]]\nb: [[[y]]]\n", 3, 3),
        ("title: " + "[" * 5000 + "]" * 5000, 200, 2),  # past libyaml's own limit of 1,000 levels
        ("title: " + "{a: " * 5000 + "}" * 5000, 20, 2),
    ],
)
def test_nesting_limit_is_ours(front: str, max_depth: int, line: int) -> None:
    text = f"---\n{front}\n---\n"
    assert messages(load_file("page", "p.md", "p", text.encode(), Limits(max_depth=max_depth))) == [
        f"p.md:{line}: YAML is nested more than {max_depth} levels deep (limits.max_depth in site.yaml)"
    ]


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    text = "---\n" + "\n".join(lines) + "\n---\n"
    assert messages(load_file("page", "p.md", "p", text.encode(), Limits())) == [
        "p.md:2: YAML anchor '&a0' is not allowed; write the value out"
    ]


def test_limit_on_file_size() -> None:
    result = load_file("page", "p.md", "p", b"---\ntitle: x\n---\n" + b"a" * 100, Limits(max_file_bytes=50))
    assert messages(result) == ["p.md:1: file is 117 bytes, over the limit of 50 (limits.max_file_bytes in site.yaml)"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "claimant: 0x_\n",
            "c.md:10: YAML 1.1 reads '0x_' in 'claimant' as a number; put it in quotes if you mean the text: \"0x_\"",
        ),
        ("updated: 0000-01-01\n", "c.md:10: '0000-01-01' in 'updated' is not a real date: there is no year 0"),
        (
            'claimant: "a\x07b" & more\n',
            "c.md:10: invalid YAML: the control character U+0007 is not allowed in YAML; remove it",
        ),
        (
            'claimant: "a\x0cb"\n',
            "c.md:10: invalid YAML: the control character U+000C is not allowed in YAML; remove it",
        ),
    ],
)
def test_inputs_that_used_to_escape_as_tracebacks(extra: str, message: str) -> None:
    assert messages(claim(extra)) == [message]


def test_a_diagnostic_is_always_one_line() -> None:
    """Every character that splitlines(), an editor or a terminal takes for a line end is escaped."""
    breaks = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
    shown = str(Diagnostic("a.md", 3, f"verdict '0{breaks}0' is not on the scale"))
    assert shown.splitlines() == [shown]
    assert shown == "a.md:3: verdict '0\\r\\n\\x0b\\x0c\\x1c\\x1d\\x1e\\x85\\u2028\\u20290' is not on the scale"
