"""List items: the partial template a list shows for each claim, rendered once per claim, language and
link depth.

Lists show the same claim on many pages (its person's, its verdict's, its tags'...), and the HTML
is the same wherever the pages sit at the same depth. An item is reused while its version (the
theme's, the settings', its claim's and its people's) is unchanged: from memory, or from the
build cache of an earlier run. Templates call it as ``claim_partials(template, claims, **options)``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import jinja2
from markupsafe import Markup

from .model import Claim
from .site import Site


class ItemStore(Protocol):
    """Where list items rendered by earlier runs are kept (the build cache)."""

    def partials(self, group: str, slugs: Collection[str]) -> Mapping[str, tuple[str, str]]:
        """The items of one template and link depth, {slug: (version, html)}: those of ``slugs`` at least."""
        ...

    def keep_partial(self, group: str, slug: str, version: str, html: str) -> None:
        """Keep an item for later runs."""
        ...


class ListItems:
    """The list items of one theme, kept between renders."""

    def __init__(self, templates: Mapping[str, str], store: ItemStore | None) -> None:
        self.templates = templates
        """Each template's version."""
        self.store = store
        self._groups: dict[tuple[int, tuple[Any, ...]], tuple[Any, str, Markup]] = {}
        self._partials: dict[tuple[Any, ...], tuple[str, str]] = {}

    def prepare(self, site_versions: Mapping[str, str], touched: set[str] | None) -> Items:
        """The list items of one render: ``site_versions``, the version of the settings in each
        language (by code, "" for the first), and ``touched``, the claims that may have changed
        since the last render (None: any may have)."""
        return Items(self, site_versions, touched)

    def detach(self) -> None:
        """In a forked worker: stop using the store (the parent's database connection)."""
        self.store = None

    def render(
        self,
        context: jinja2.runtime.Context,
        template: str,
        claims: Iterable[Claim | str],
        options: Mapping[str, Any],
        site_versions: Mapping[str, str],
        touched: set[str] | None,
    ) -> Markup:
        """The partial template rendered for each claim (or slug), joined (see ``Items``)."""
        page = context["page"]
        site: Site = context["site"]
        people = site.people
        language = context.environment.globals.get("language", "")  # the environment's: one per language
        where = (template, language, page.meta.path.count("/"), page.meta.rooted, *sorted(options.items()))
        version = site_versions.get(site.translation, "") + self.templates.get(template, "")
        group = self._groups.get((id(claims), where))
        if (
            group is not None
            and group[0] is claims
            and group[1] == version
            and touched is not None
            and not any((c if isinstance(c, str) else c.slug) in touched for c in claims)
        ):
            return group[2]  # the same tuple of the same claims (a month of the timeline), none of them touched
        compiled = context.environment.get_template(template)
        if not isinstance(claims, (tuple, list)):
            claims = list(claims)  # read twice below
        slugs = [c if isinstance(c, str) else c.slug for c in claims]
        stored = self.store.partials(repr(where), slugs) if self.store is not None else {}
        parts: list[str] = []  # each item's HTML, safe: joined into one Markup
        for item in claims:
            claim = site.claims[item] if isinstance(item, str) else item
            key = (claim.slug, where)
            current = version + claim.digest + "".join(people[p].digest for p in (claim.person, *claim.people))
            cached = self._partials.get(key) or stored.get(claim.slug)
            if cached is not None and cached[0] == current:
                parts.append(cached[1])
                continue
            html = compiled.render(page=page, claim=claim, **options)
            self._partials[key] = (current, html)
            if self.store is not None:
                self.store.keep_partial(repr(where), claim.slug, current, html)  # the same string, no copy
            parts.append(html)
        joined = Markup("\n".join(parts))
        if isinstance(claims, tuple) and claims and isinstance(claims[0], str):
            # a tuple of slugs kept by the site (a month of the timeline): the same object next time.
            # Lists of claims are made afresh for each page, so caching them would only hold memory.
            self._groups[(id(claims), where)] = (claims, version, joined)
        return joined


@dataclass(frozen=True, slots=True)
class Items:
    """The list items of one render (``ListItems.prepare``): its ``render`` is the templates'
    ``claim_partials(template, claims, **options)``."""

    items: ListItems
    site_versions: Mapping[str, str]
    """The version of the settings in each language (by code, "" for the first)."""
    touched: set[str] | None
    """The claims that may have changed since the last render; None when any may have."""

    @jinja2.pass_context
    def render(
        self, context: jinja2.runtime.Context, template: str, claims: Iterable[Claim | str], **options: Any
    ) -> Markup:
        """The partial template rendered for each claim (or slug), joined."""
        return self.items.render(context, template, claims, options, self.site_versions, self.touched)
