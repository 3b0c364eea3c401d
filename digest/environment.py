"""Jinja's environment and templates, made cheaper for rendering ten thousand pages with one theme.

Two of Jinja's general mechanisms cost more than their use here needs; each is replaced by one that
gives the same output:

- A template's globals are a ChainMap over the environment's, copied key by key in Python into
  every render's context: here they are the environment's own dict (no template has globals of its
  own), which Python copies at once.
- Every value a template shows is escaped (a thousand on a claim page): markupsafe's ``escape``
  makes its Markup through a Python ``__new__`` and copies a value that already is Markup; here
  (``escape``) it makes the same Markup directly and gives Markup back as it is.
- ``{% from "_macros.html" import badge with context %}`` makes the macros' module again on every
  render (a list item's too: 40,000 of them at 10,000 claims). Here a module imported with context
  is made again only when one of the names it reads from its importer's context (and ``page`` and
  ``site``, which the ``url`` filter and ``claim_partials`` read) holds another object: the items
  of one page share the module of that page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from types import CodeType
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes
import markupsafe
from jinja2.compiler import Frame
from jinja2.utils import missing
from markupsafe import Markup

try:  # markupsafe 3's C function behind escape: the escaped text as a str
    from markupsafe._speedups import _escape_inner
except ImportError:  # markupsafe 2, or without its C speedups: its own escape for a str too
    _escape_inner = None  # type: ignore[assignment]

READ_BY_FILTERS = frozenset({"page", "site"})
"""What our filters and functions that take the template's context read from it (``url``,
``absolute``, ``claim_partials``)."""


new_str = str.__new__
"""``new_str(Markup, text)``: a Markup of ``text`` made directly, without Markup's Python ``__new__``."""


def escape(value: Any) -> Markup:
    """``markupsafe.escape``, the same Markup made cheaper: a str escaped into a Markup made directly,
    a Markup (already safe) given back as it is, anything else left to markupsafe."""
    kind = type(value)
    if kind is str and _escape_inner is not None:
        return new_str(Markup, _escape_inner(value))
    if kind is Markup:
        return value  # type: ignore[no-any-return]
    return markupsafe.escape(value)


class Template(jinja2.Template):
    """A template whose module, imported with context, is reused while what it reads is the same,
    and which escapes with ``escape`` above."""

    _reads: tuple[str, ...] | None
    """The names the template reads from its context; None: its module is never reused (it
    imports or includes other templates, or its source is not known)."""
    _last: tuple[tuple[Any, ...], jinja2.environment.TemplateModule] | None

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # the compiled code's module namespace, which its functions (root, blocks, macros) read
        template.root_render_func.__globals__["escape"] = escape
        return template

    def make_module(
        self,
        vars: dict[str, Any] | None = None,
        shared: bool = False,
        locals: Mapping[str, Any] | None = None,
    ) -> jinja2.environment.TemplateModule:
        reads = self.__dict__.get("_reads", missing)
        if reads is missing:
            reads = self._reads = _reads(self)
            self._last = None
        if not shared or vars is None or reads is None:
            return super().make_module(vars, shared, locals)
        given = locals or {}
        key = tuple(
            given[name] if given.get(name, missing) is not missing else vars.get(name, missing) for name in reads
        )
        last = self._last
        if last is not None and all(a is b for a, b in zip(last[0], key, strict=True)):
            return last[1]
        module = super().make_module(vars, shared, locals)
        self._last = (key, module)
        return module


def _reads(template: jinja2.Template) -> tuple[str, ...] | None:
    """The names a template reads from its context, sorted; None when it imports, includes or extends
    another template (which may read others) or its source cannot be read."""
    # Read from the loader when the module is first made: a template saved in the preview between its
    # compiling and that moment is parsed from its newer source until the theme's next load (a rare
    # race whose worst is one stale preview build).
    env = template.environment
    if env.loader is None or template.name is None:
        return None
    try:
        source = env.loader.get_source(env, template.name)[0]
        tree = env.parse(source, template.name)
        if any(tree.find(kind) for kind in _OTHERS):
            return None
        names = _Names(env)
        names.visit(tree)
    except (jinja2.TemplateError, OSError):
        return None
    return tuple(sorted(names.undeclared_identifiers | READ_BY_FILTERS))


_OTHERS = (jinja2.nodes.Import, jinja2.nodes.FromImport, jinja2.nodes.Include, jinja2.nodes.Extends)


class _Names(jinja2.meta.TrackingCodeGenerator):
    """Jinja's ``meta.find_undeclared_variables``, with the globals: it leaves them out, but ``site``
    and ``claim_partials`` are globals that change between renders."""

    def enter_frame(self, frame: Frame) -> None:
        jinja2.compiler.CodeGenerator.enter_frame(self, frame)
        loads = frame.symbols.loads.values()
        self.undeclared_identifiers.update(param for action, param in loads if action == "resolve")


class Environment(jinja2.Environment):
    """Jinja's environment with ``Template`` above, whose templates read its ``globals`` directly."""

    template_class = Template

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return super().make_globals(d) if d else self.globals
