"""The records of site.yaml (``SiteConfig``, its verdict scale, publisher and limits), as
``config.load_config`` reads and checks them."""

from __future__ import annotations

from dataclasses import replace

from .records import record


@record
class Verdict:
    """One step of the rating scale."""

    key: str
    """Its slug, used in front matter (``verdict: mostly-false``) and in URLs."""
    label: str
    """What readers see: "Mostly false"."""
    rating: int | None
    """Its schema.org ratingValue; None for a verdict outside the scale, such as "Unverified"."""
    description: str
    """What the verdict means, shown on the scale page."""
    tone: str
    """A colour class from the rating: ``r5`` (best) to ``r1`` (worst), ``none`` when unrated."""
    translations: tuple[tuple[str, str, str], ...] = ()
    """(language, label, description) for each language site.yaml words it in besides the site's
    (``label: {en: False, uk: Неправда}``); ``in_language`` picks one."""

    def in_language(self, language: str) -> Verdict:
        """The verdict worded in a language: its label and description there, where site.yaml
        gives them (each falls back to the site language's)."""
        for tag, label, description in self.translations:
            if tag == language:
                return replace(self, label=label or self.label, description=description or self.description)
        return self


@record
class Publisher:
    """The organisation that publishes the checks (schema.org author of each ClaimReview)."""

    name: str
    url: str | None


@record
class Limits:
    """Bounds on content, so that no file can exhaust time or memory (``limits:`` in site.yaml)."""

    max_file_bytes: int = 5_000_000
    """A content file larger than this is an error."""
    max_files: int = 200_000
    """More content files than this is an error."""
    max_depth: int = 20
    """YAML nested deeper than this is an error."""


PAGE_SIZE = 50
"""Entries on a page of a list when site.yaml gives no ``page_size``: at 10,000 claims a page stays
well under 150 KB."""


@record
class SiteConfig:
    """site.yaml, checked."""

    title: str
    description: str
    base_url: str
    """Absolute, ending in ``/``; used only where an absolute URL is required."""
    language: str
    publisher: Publisher
    verdicts: tuple[Verdict, ...]
    """The scale, best first."""
    limits: Limits
    path: str = ""
    """Shown path of site.yaml, for diagnostics."""
    digest: str = ""
    """A hash of site.yaml and the options that change it: its version, for incremental rebuilds."""
    corrections_email: str | None = None
    """Where readers report an error in a check: each check links to it, its title and URL filled in."""
    languages: tuple[str, ...] = ()
    """``languages:`` in site.yaml: the first is served at the root, each other one under /<code>/;
    () for a site in one language (``language``). In a translation's Site, ``language`` is its code."""
    page_size: int = PAGE_SIZE
    """How many entries a page of a list shows (``page_size:``); longer lists go on to ``page/2/``..."""
    social_cards: bool = True
    """Whether each claim gets its own card (``social_cards:``); without, its page shares the site's."""
    translations: tuple[tuple[str, str, str], ...] = ()
    """(language, title, description) for each language site.yaml words them in besides the site's
    (``title: {en: Digest, uk: Дайджест}``); ``in_language`` picks one."""

    def in_language(self, language: str) -> SiteConfig:
        """site.yaml as a language's Site reads it: that language, and the title and description
        worded in it where site.yaml gives them (each falls back to the site language's)."""
        for tag, title, description in self.translations:
            if tag == language:
                return replace(
                    self, language=language, title=title or self.title, description=description or self.description
                )
        return replace(self, language=language)
