"""site.yaml → SiteConfig, with the default verdict scale."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from . import fields as f
from .errors import ContentError, Diagnostic, shown_path
from .frontmatter import NotRegularFile, SyntaxProblem, compose, decode, read_regular
from .settings import PAGE_SIZE, Limits, Publisher, SiteConfig, Verdict

DEFAULT_SCALE: tuple[dict[str, Any], ...] = tuple(
    yaml.safe_load((Path(__file__).parent / "scale.yaml").read_text(encoding="utf-8"))
)
"""The scale when site.yaml has none (``scale.yaml``), worded in English, Ukrainian and Russian (a
site in another language gets the English words)."""

_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*")
"""A language of ``languages:``: a BCP 47 tag in lower case, as it appears in URLs (``/uk/``) and file names."""
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

_PUBLISHER = {"name": f.Field(f.text, required=True), "url": f.Field(f.url)}


def _worded(r: f.Reader, node: Any, path: str) -> dict[str, str] | None:
    """A text, or the same text in several languages: a mapping of language tag → text
    (``label: {en: False, uk: Неправда, ru: Неправда}``). A plain text is keyed ``""``."""
    if not isinstance(node, yaml.MappingNode):
        value = f.text(r, node, path)
        return None if value is None else {"": value}
    worded: dict[str, str] = {}
    for key, value_node in node.value:
        tag = str(key.value)
        if not _LANGUAGE.fullmatch(tag):
            raise r.error(key, f"'{tag}' in {path} is not a language tag such as en, uk or en-GB")
        value = f.text(r, value_node, f"{path}.{tag}")
        if value is not None:
            worded[tag] = value
    if not worded:
        raise r.error(node, f"'{path}' is empty; give a text, or one per language ({{en: ..., uk: ...}})")
    return worded


_VERDICT = {
    "key": f.Field(f.key, required=True),
    "label": f.Field(_worded, required=True),
    "rating": f.Field(f.integer),
    "description": f.Field(_worded),
}
_MAX_DEPTH = 500
"""The deepest limits.max_depth: libyaml refuses 1,000 levels with its own message, whatever ours says."""
_LIMITS = {"max_file_bytes": f.Field(f.integer), "max_files": f.Field(f.integer), "max_depth": f.Field(f.integer)}
_SITE = {
    "title": f.Field(_worded, required=True),
    "description": f.Field(_worded),
    "base_url": f.Field(f.url),
    "language": f.Field(f.text),
    "languages": f.Field(f.list_of(f.text)),
    "publisher": f.Field(f.record(_PUBLISHER, "publisher"), required=True),
    "verdicts": f.Field(f.list_of(f.record(_VERDICT, "a verdict"))),
    "limits": f.Field(f.record(_LIMITS, "limits")),
    "corrections_email": f.Field(f.text),
    "page_size": f.Field(f.integer),
    "social_cards": f.Field(f.boolean),
}
_MAX_PAGE_SIZE = 1000
"""The largest page_size: a longer page is what pagination is for avoiding."""


def load_config(content: Path, content_shown: str, base_url: str | None = None) -> SiteConfig:
    """Read and check content/site.yaml; raises ContentError. ``base_url`` overrides the file's."""
    path = content / "site.yaml"
    shown = shown_path(content_shown, "site.yaml")
    reader = f.Reader(shown, first_line=1)
    try:
        data = read_regular(str(path))
    except FileNotFoundError:
        raise ContentError([Diagnostic(shown, 1, "site.yaml is missing; every content folder needs one")]) from None
    except NotRegularFile as error:
        raise ContentError([Diagnostic(shown, 1, str(error))]) from None
    except OSError as error:
        raise ContentError([Diagnostic(shown, 1, f"cannot read site.yaml: {error.strerror}")]) from None
    try:
        node = compose(decode(data, Limits().max_file_bytes), first_line=1, max_depth=Limits().max_depth)
    except SyntaxProblem as problem:
        raise ContentError([Diagnostic(shown, problem.line, problem.message)]) from None
    if node is None:
        raise ContentError([Diagnostic(shown, 1, "site.yaml is empty; it needs at least title and publisher")])
    values = reader.mapping(node, _SITE, "site.yaml", whole_file=True)
    language = values.get("language", "en")
    if not _LANGUAGE.fullmatch(language):
        reader.error(reader.lines["language"], f"'{language}' is not a language tag such as en, uk or en-GB")
    languages = _languages(reader, values.get("languages"), values.get("language"))
    language = languages[0] if languages else language
    scale = _scale(reader, values.get("verdicts"), language)
    for name in ("title", "description"):
        worded = values.get(name)
        if worded is not None and _own(worded, language) is None:
            given = ", ".join(worded)
            reader.error(reader.lines[name], f"{name} has no '{language}' (the site's language); it has {given}")
    email = values.get("corrections_email")
    if email is not None and not _EMAIL.fullmatch(email):
        message = f"corrections_email {f.quoted(email)} is not an e-mail address such as corrections@example.org"
        reader.error(reader.lines["corrections_email"], message)
    base = base_url or values.get("base_url")
    if base is None and "base_url" not in reader.lines:
        reader.error(1, "base_url is missing: feeds, the sitemap and canonical links need the site's absolute URL")
    limits = Limits(**values.get("limits", {}))
    for name in ("max_file_bytes", "max_files", "max_depth"):
        if getattr(limits, name) < 1:
            reader.error(reader.lines[f"limits.{name}"], f"limits.{name} must be a positive number")
    if limits.max_depth > _MAX_DEPTH:
        reader.error(
            reader.lines["limits.max_depth"],
            f"limits.max_depth must be at most {_MAX_DEPTH}; YAML libraries refuse deeper nesting on their own",
        )
    page_size = values.get("page_size")
    if page_size is not None and not 1 <= page_size <= _MAX_PAGE_SIZE:
        message = f"'page_size' must be from 1 to {_MAX_PAGE_SIZE} (entries on a page of a list), not {page_size}"
        reader.error(reader.lines["page_size"], message)
    if reader.diagnostics:
        raise ContentError(reader.diagnostics)
    assert base is not None
    publisher = values["publisher"]
    title, titles = _words(values["title"], language)
    description, descriptions = _words(values.get("description", {"": ""}), language)
    others = sorted(titles.keys() | descriptions.keys())
    return SiteConfig(
        title=title,
        description=description,
        base_url=base if base.endswith("/") else base + "/",
        language=languages[0] if languages else language,
        publisher=Publisher(name=publisher["name"], url=publisher.get("url")),
        verdicts=scale,
        limits=limits,
        path=shown,
        digest=hashlib.blake2b(data + (base or "").encode(), digest_size=12).hexdigest(),
        corrections_email=email,
        languages=languages,
        page_size=PAGE_SIZE if page_size is None else page_size,
        social_cards=values.get("social_cards") is not False,
        translations=tuple((tag, titles.get(tag, ""), descriptions.get(tag, "")) for tag in others),
    )


def _languages(reader: f.Reader, codes: tuple[str | None, ...] | None, language: str | None) -> tuple[str, ...]:
    """``languages:``: codes, the first served at the root; ``language:``, if also given, must be the first."""
    if codes is None or None in codes:
        return ()
    seen: set[str] = set()
    for index, code in enumerate(codes):
        assert code is not None
        where = reader.lines.get(f"languages.{index}", reader.lines.get("languages", 1))
        if not LANGUAGE_CODE.fullmatch(code):
            reader.error(where, f"'{code}' is not a language code such as en, uk or pt-br (lower case, as in URLs)")
        elif code in seen:
            reader.error(where, f"language '{code}' is listed twice")
        seen.add(code)
    if language is not None and language != codes[0]:
        message = (
            f"language '{language}' is not the first of languages ({codes[0]}); "
            "remove 'language': the first of languages is the site's language"
        )
        reader.error(reader.lines["language"], message)
    return tuple(c for c in codes if c is not None)


def _scale(reader: f.Reader, entries: tuple[dict[str, Any], ...] | None, language: str) -> tuple[Verdict, ...]:
    """The verdicts of site.yaml (or the default scale), each with its colour tone, worded in the
    site's language and with its other languages' words."""
    if entries is not None and None in entries:
        return ()  # a broken entry has been reported; the scale cannot be used
    chosen = entries or DEFAULT_SCALE
    seen: set[str] = set()
    for index, entry in enumerate(chosen):
        if "key" not in entry:
            continue
        where = reader.lines.get(f"verdicts.{index}.key", 1)
        if not f.SLUG.fullmatch(entry["key"]):
            reader.error(where, f"verdict key '{entry['key']}' is not a slug (lower-case letters, digits, hyphens)")
        if message := f.too_long(entry["key"], "verdict key", "verdicts/<key>/"):
            reader.error(where, message)
        if entry["key"] in seen:
            reader.error(where, f"verdict key '{entry['key']}' is on the scale twice")
        seen.add(entry["key"])
        for name in ("label", "description"):
            worded = entry.get(name, {"": ""})
            if entries and _own(worded, language) is None:
                where = reader.lines.get(f"verdicts.{index}.{name}", 1)
                given = ", ".join(worded)
                reader.error(
                    where, f"verdict '{entry['key']}': {name} has no '{language}' (the site's language); it has {given}"
                )
    if reader.diagnostics:
        return ()
    ratings = [e["rating"] for e in chosen if e.get("rating") is not None]
    best, worst = (max(ratings), min(ratings)) if ratings else (0, 0)

    def tone(rating: int | None) -> str:
        if rating is None:
            return "none"
        if best == worst:
            return "r3"
        return f"r{1 + round(4 * (rating - worst) / (best - worst))}"

    scale = []
    for e in chosen:
        label, labels = _words(e.get("label", {"": ""}), language)
        description, descriptions = _words(e.get("description", {"": ""}), language)
        others = sorted(labels.keys() | descriptions.keys())
        translations = tuple((tag, labels.get(tag, ""), descriptions.get(tag, "")) for tag in others)
        scale.append(Verdict(e["key"], label, e.get("rating"), description, tone(e.get("rating")), translations))
    return tuple(scale)


def _words(worded: dict[str, str], language: str) -> tuple[str, dict[str, str]]:
    """A text of site.yaml worded per language (``_worded``): the text in the site's language (the
    English if it has none, as the default scale has), and by language the others."""
    own = _own(worded, language)
    own = "en" if own is None else own
    return worded.get(own, ""), {tag: text for tag, text in worded.items() if tag not in ("", own)}


def _own(worded: dict[str, str], language: str) -> str | None:
    """The key of a worded text that is in the site's language: ``""`` (a plain text), the language
    (``en-GB``) or its primary language (``en``); None when it has none of them."""
    return next((tag for tag in ("", language, language.split("-")[0]) if tag in worded), None)
