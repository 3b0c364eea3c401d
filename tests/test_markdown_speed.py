"""The renderer's shortcuts (digest/markdown.py: plain inline text, the table rule's first checks,
footnote_tail and normalize skipped when idle, option defaults, the renderer) change no output:
the same HTML, links, refused links and heading ids as markdown-it-py's own rules and renderer."""

from __future__ import annotations

import random

import pytest

from digest import markdown
from digest.markdown import _build, _plain_text_is_one_token, render

FRAGMENTS = [
    "Plain text, with commas. And dots",
    "# Heading",
    "### Third *level*",
    "Setext\n===",
    "- a\n- b",
    "- a\n\n- b",
    "* x\n  > quote\n* y",
    "- a\n  - nested",
    "1) one\n2) two",
    "> quote\n> - in a list",
    "| Year | Figure |\n| --- | ---: |\n| 2015 | 77 |\n| 2016 | -16% |",
    "a | b\n--|--\nc | d",
    "|x|\n|-|\n|\\|y|",
    "```\ncode\n```",
    "    indented code",
    "***",
    "[link](/claims/x/) and [another](https://e.org/a?b=1&c=2)",
    "![img](/static/a.png)",
    "[bad](javascript:alert(1))",
    "<b>html</b> & <div>",
    "a  \nhard break",
    "soft\nbreak",
    "**bold** _em_ ~~strike~~ ~one~",
    '`code` "quoted"',
    "note[^1]\n\n[^1]: the note",
    "inline^[note]",
    "[ref]\n\n[ref]: /x 'title'",
    "<https://auto.link>",
    "&amp; &copy;",
    "- [ ] task",
    "text\r\nwith CRLF\r\n",
    "cr\ronly",
    "nul\0char",
    "\u00e9t\u00e9 \u200b \u00a0",
]
SEPARATORS = ["\n", "\n\n", "\n\n", " ", "\n  ", "\n> "]


def _documents(count: int) -> list[str]:
    chance = random.Random(16)
    documents = []
    for _ in range(count):
        parts = chance.choices(FRAGMENTS, k=chance.randint(1, 6))
        documents.append("".join(part + chance.choice(SEPARATORS) for part in parts))
    return documents


def test_the_shortcuts_are_on() -> None:
    """The plain-text shortcut is on with the plugins used (a plugin with a pairs rule turns it off)."""
    assert _plain_text_is_one_token(_build())


@pytest.mark.parametrize("depth", [0, 2])
def test_the_shortcuts_change_no_output(depth: int, monkeypatch: pytest.MonkeyPatch) -> None:
    documents = _documents(1500)
    fast = [render(text, depth, shift=1, env={"images": [], "line": 5}) for text in documents]
    monkeypatch.setattr(markdown, "_MD", _build(shortcuts=False))
    plain = [render(text, depth, shift=1, env={"images": [], "line": 5}) for text in documents]
    assert fast == plain
    assert any("<table>" in each.html for each in fast) and any(each.refused for each in fast)
