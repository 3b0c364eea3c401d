"""digest.environment: a macros' module imported with context is made again exactly when what it reads changed."""

from __future__ import annotations

import datetime

import jinja2
import markupsafe

from digest.environment import Environment

MACROS = """{% set made = tick() %}{% macro show() %}{{ page }}/{{ site }}{% endmacro %}"""
ITEM = """{% from "_macros.html" import show with context %}{{ show() }}:{{ claim }}"""
READS_CLAIM = """{% macro show() %}{{ page }}-{{ claim }}{% endmacro %}"""
ITEM_READS_CLAIM = """{% from "_reads_claim.html" import show with context %}{{ show() }}"""


def _environment() -> tuple[Environment, list[int]]:
    made: list[int] = []
    env = Environment(
        loader=jinja2.DictLoader(
            {
                "_macros.html": MACROS,
                "item.html": ITEM,
                "_reads_claim.html": READS_CLAIM,
                "item_reads_claim.html": ITEM_READS_CLAIM,
            }
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["tick"] = lambda: made.append(1) or ""
    return env, made


def test_module_shared_by_renders_that_read_the_same() -> None:
    env, made = _environment()
    env.globals["site"] = "s1"
    item = env.get_template("item.html")
    page = "p1"
    assert [item.render(page=page, claim=c) for c in ("a", "b", "c")] == ["p1/s1:a", "p1/s1:b", "p1/s1:c"]
    assert len(made) == 1  # the claims differ, but the macros do not read `claim`


def test_module_made_again_for_another_page_or_global() -> None:
    env, made = _environment()
    env.globals["site"] = "s1"
    item = env.get_template("item.html")
    assert item.render(page="p1", claim="a") == "p1/s1:a"
    assert item.render(page="p2", claim="a") == "p2/s1:a"
    env.globals["site"] = "s2"  # a global the renderer sets per site (the preview's next build)
    assert item.render(page="p2", claim="a") == "p2/s2:a"
    assert len(made) == 3


def test_module_reading_an_importers_variable_follows_it() -> None:
    env, _ = _environment()
    env.globals["site"] = "s"
    item = env.get_template("item_reads_claim.html")
    assert [item.render(page="p", claim=c) for c in ("a", "b")] == ["p-a", "p-b"]


def test_globals_changed_after_loading_are_seen() -> None:
    env, _ = _environment()
    template = env.from_string("{{ site }}")
    env.globals["site"] = "later"
    assert template.render() == "later"


def test_escape_gives_what_markupsafe_gives() -> None:
    from digest.environment import escape

    class Html:
        def __html__(self) -> str:
            return "<b>kept</b>"

    values = ["", "plain", "<a href=\"x\">'&'</a>", "Українська <", markupsafe.Markup("<i>safe</i>"), 3, None]
    values += [datetime.date(2024, 11, 6), Html()]
    for value in values:
        made = escape(value)
        assert type(made) is markupsafe.Markup and made == markupsafe.escape(value), value


def test_templates_escape_with_it() -> None:
    env, _ = _environment()
    template = env.from_string("{{ text }}|{{ safe }}|{{ number }}")
    assert template.render(text="<&>", safe=markupsafe.Markup("<i>"), number=2) == "&lt;&amp;&gt;|<i>|2"
