"""Translations by file name: ``<slug>.<code>.md`` is the ``<code>`` version of ``<slug>.md``.

A translation sets the texts a reader reads (``TEXTS``) and the body; every fact (verdict, person,
dates, sources, tags, links between checks...) comes from its original. It may repeat a fact, as a
copied file does, but only with the original's value: a translation that contradicts its original
is an error at its line, as is a translation without an original or in a language that
``languages:`` does not list.

``load_translation`` reads one file (a pure function of its bytes, like ``loadfile.load_file``);
``with_translations`` checks them all against their originals and makes the Site of each language
of ``languages:`` after the first: the same claims, in the same order, each the translation where
there is one and the original where there is not.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from html import unescape
from typing import Any
from urllib.parse import unquote

from . import fields as f
from .errors import Diagnostic
from .frontmatter import SyntaxProblem, decode, split
from .images import mark_pictures
from .loadfile import Failed, corrections, read_body, sources
from .model import Claim, Page, Person, Picture, Staff, Translation
from .pages import plan_pages
from .records import Lines
from .settings import Limits
from .site import CorrectionEntry, Site, Tally
from .specs import FIELDS, IMAGE_FIELDS
from .urls import page_of, root, url_for

TEXTS = {
    "claim": ("title", "claim", "claimant", "summary", "image.alt", "image.caption"),
    "person": ("name", "role"),
    "page": ("title", "description"),
    "staff": ("name", "role"),
}
"""The fields a translation may set to its own value, by kind; it also sets the body (required for a claim),
and a claim's the ``note`` of each of its original's corrections (``_correction_problems``)."""
_FOLDERS = {"claim": "claims", "person": "people", "page": "pages", "staff": "staff"}

Record = Claim | Person | Page | Staff


def _optional(spec: Mapping[str, f.Field]) -> dict[str, f.Field]:
    """A spec with nothing required: a translation gives only what it translates."""
    return {name: f.Field(field.read) for name, field in spec.items()}


_TRANSLATION_SPECS = {kind: _optional(spec) for kind, spec in FIELDS.items()}
_TRANSLATION_SPECS["claim"]["image"] = f.Field(f.record(_optional(IMAGE_FIELDS), "an image"))


def is_translation(stem: str) -> bool:
    """True for the stem of a translation's file name: ``<slug>.<code>``."""
    return "." in stem


def load_translation(kind: str, shown: str, stem: str, data: bytes, limits: Limits) -> Translation | Failed:
    """The bytes of a translation file → what it translates and the facts it repeats, or its problems."""
    slug, _, language = stem.rpartition(".")
    if not f.SLUG.fullmatch(slug) or not language:
        message = f"file name '{stem}.md' is neither a slug nor a translation '<slug>.<language code>.md'"
        return Failed((Diagnostic(shown, 1, message),))
    spec = _TRANSLATION_SPECS[kind]
    try:
        document = split(decode(data, limits.max_file_bytes), limits.max_depth, spec)
    except SyntaxProblem as problem:
        return Failed((Diagnostic(shown, problem.line, problem.message),))
    reader = f.Reader(shown, document.front_line)
    values = reader.mapping(document.front, spec, "the front matter of a translation", whole_file=True)
    body, links, images = read_body(reader, document, kind, deeper=1)  # its page is under /<code>/
    if kind == "claim" and not document.body.strip():
        reader.error(1, "the analysis is empty: a translation of a check translates its analysis too")
    if reader.diagnostics:
        return Failed(tuple(reader.diagnostics))
    texts = [(name, values[name]) for name in TEXTS[kind] if "." not in name and name in values]
    image = values.get("image", {})
    texts += [(f"image.{name}", image[name]) for name in ("alt", "caption") if name in image]
    return Translation(
        kind=kind,
        slug=slug,
        translation=language,
        texts=tuple(texts),
        facts=tuple(_facts(kind, values, reader.lines)),
        body_html=body.html,
        path=shown,
        digest=hashlib.blake2b(data, digest_size=12).hexdigest(),
        lines=Lines(reader.lines),
        links=links,
        anchors=body.anchors,
        images=images,
    )


def _facts(kind: str, values: dict[str, Any], lines: Mapping[str, int]) -> Iterable[tuple[str, int, object]]:
    """(field, line, value as the original's record holds it) of each fact the translation repeats."""
    for name, value in values.items():
        if name in TEXTS[kind]:
            continue
        if name == "sources":
            yield name, lines[name], sources(value)
        elif name == "corrections":
            yield name, lines[name], corrections(value, lines)
        elif name == "image":
            yield from (
                (f"image.{part}", lines[f"image.{part}"], value[part]) for part in ("src", "credit") if part in value
            )
        else:
            yield name, lines[name], tuple(value) if isinstance(value, list) else value


def _fact_of(record: Record, name: str) -> object:
    """A fact of an original record, as ``_facts`` reads it from a translation."""
    if name.startswith("image."):
        image = getattr(record, "image", None)
        return getattr(image, name.removeprefix("image."), None) if image is not None else None
    return getattr(record, name)


def check_translations(
    languages: tuple[str, ...], translations: Iterable[Translation], originals: Mapping[str, Mapping[str, Record]]
) -> list[Diagnostic]:
    """Every problem of the translations: in no language of ``languages:``, without an original, or
    contradicting it."""
    problems: list[Diagnostic] = []
    seen: set[tuple[str, str, str]] = set()
    for translation in translations:
        language, kind, slug = translation.translation, translation.kind, translation.slug
        original = originals[kind].get(slug)
        folder = _FOLDERS[kind]
        if not languages:
            message = (
                f"'{language}' is a translation, but site.yaml lists no languages; "
                f"add languages: [<first>, {language}] to site.yaml"
            )
        elif language not in languages:
            message = f"language '{language}' is not in languages ({', '.join(languages)}) in site.yaml"
        elif language == languages[0]:
            message = f"'{language}' is the site's first language: {folder}/{slug}.md is already in it"
        elif original is None:
            where = f"{folder}/**/{slug}.md" if kind == "claim" else f"{folder}/{slug}.md"
            message = f"a translation of '{slug}', but there is no {kind} '{slug}' ({where}) to translate"
        elif (language, kind, slug) in seen:
            message = f"a second translation of '{slug}' into '{language}'; keep one"
        else:
            seen.add((language, kind, slug))
            for name, line, value in translation.facts:
                if name == "corrections" and isinstance(original, Claim):
                    problems += _correction_problems(translation.path, line, value, original)
                elif value != (fact := _fact_of(original, name)):
                    message = (
                        f"'{name}' contradicts its original {original.path}{_shown(fact)}: a translation takes "
                        f"the facts from its original; remove '{name}' or give the original's value"
                    )
                    problems.append(Diagnostic(translation.path, line, message))
            problems += _image_problems(translation, original)
            continue
        problems.append(Diagnostic(translation.path, 1, message))
    return problems


def _correction_problems(path: str, line: int, translated: object, original: Claim) -> list[Diagnostic]:
    """A translation's corrections: the original's, one for one, with the ``note`` translated."""
    assert isinstance(translated, tuple)
    theirs = original.corrections
    if len(translated) != len(theirs):
        message = (
            f"'corrections' contradicts its original {original.path}: it lists {len(theirs)}, this "
            f"translation {len(translated)}; a translation gives each of its original's corrections "
            "(same date, type and from) with the note translated"
        )
        return [Diagnostic(path, line, message)]
    return [
        Diagnostic(
            path,
            mine.line,
            f"this correction contradicts its original {original.path} (date {f.quoted(fact.date)}, type "
            f"{f.quoted(fact.kind)}"
            + (f", from {f.quoted(fact.previous_verdict)}" if fact.previous_verdict else "")
            + "): a translation gives each correction's date, type and from as its original does, "
            "and translates only its note",
        )
        for mine, fact in zip(translated, theirs, strict=True)
        if replace(mine, note=fact.note) != fact
    ]


def _shown(fact: object) -> str:
    """`` (its value)`` for a message, when it is short to write: a text, a date, a list of slugs."""
    if isinstance(fact, tuple) and all(isinstance(item, str) for item in fact):
        return f" ([{', '.join(fact)}])"
    if isinstance(fact, bool):
        return f" ({str(fact).lower()})"
    if isinstance(fact, (str, date)):
        return f" ({f.quoted(fact)})"
    return ""


def _image_problems(translation: Translation, original: Record) -> list[Diagnostic]:
    """A translated analysis may show its original's images (with its own alt text), and no others."""
    theirs = {ref.src for ref in original.images} if isinstance(original, Claim) else set()
    listed = ", ".join(sorted(theirs)) or "none"
    return [
        Diagnostic(
            translation.path,
            ref.line,
            f"image '{ref.src}' is not in the analysis of its original ({listed}): "
            "a translation shows its original's images",
        )
        for ref in translation.images
        if ref.src not in theirs
    ]


def with_translations(site: Site, translations: Iterable[Translation]) -> Site:
    """The site with its Site in each other language of ``languages:`` (checked translations only)."""
    languages = site.config.languages
    if len(languages) < 2:
        return site
    by_language: dict[str, dict[str, Translation]] = {code: {} for code in languages[1:]}
    for translation in translations:
        by_language[translation.translation][f"{translation.kind}:{translation.slug}"] = translation
    translated: dict[str, list[str]] = {}
    for code in languages[1:]:
        for key in sorted(by_language[code]):
            translated.setdefault(key, [languages[0]]).append(code)
    shared = {key: tuple(codes) for key, codes in sorted(translated.items())}
    variants = {code: _linked(site, _in_language(site, code, by_language[code], shared)) for code in languages[1:]}
    return replace(site, translations=variants, translated=shared)


def _in_language(
    site: Site, code: str, translations: Mapping[str, Translation], shared: Mapping[str, tuple[str, ...]]
) -> Site:
    """The site in one language: each record its translation where there is one."""

    def pick(kind: str, records: Mapping[str, Record]) -> dict[str, Any]:
        return {
            slug: _merged(record, translations[f"{kind}:{slug}"], code) if f"{kind}:{slug}" in translations else record
            for slug, record in records.items()
        }

    claims = pick("claim", site.claims)
    people = pick("person", site.people)
    pages = pick("page", site.pages)
    staff = pick("staff", site.staff)

    def worded(tally: Tally) -> Tally:
        return replace(tally, counts=tuple((verdict.in_language(code), count) for verdict, count in tally.counts))

    return replace(
        site,
        config=site.config.in_language(code),
        verdicts={key: verdict.in_language(code) for key, verdict in site.verdicts.items()},
        tally=worded(site.tally),
        tallies={slug: worded(tally) for slug, tally in site.tallies.items()},
        claims=claims,
        corrections=tuple(_worded(entry, claims[entry.claim]) for entry in site.corrections),
        people=dict(sorted(people.items(), key=lambda item: (item[1].name.casefold(), item[0]))),
        pages=dict(sorted(pages.items(), key=lambda item: (item[1].title.casefold(), item[0]))),
        staff=dict(sorted(staff.items(), key=lambda item: (item[1].name.casefold(), item[0]))),
        translation=code,
        translated=shared,
        translations={},  # a language's site has none of its own (the one it came from may be a last build's)
    )


def _worded(entry: CorrectionEntry, claim: Claim) -> CorrectionEntry:
    """A correction of the site's list, as its claim in the language gives it (its note translated)."""
    if not claim.translation:
        return entry
    return replace(entry, correction=dict(zip(claim.correction_ids, claim.corrections, strict=True))[entry.anchor])


def _merged(original: Record, translation: Translation, code: str) -> Any:
    """The original with the translation's texts and body: the record of its page in ``code``."""
    texts = dict(translation.texts)
    changes: dict[str, Any] = {name: value for name, value in texts.items() if "." not in name}
    digest = hashlib.blake2b(f"{original.digest}\0{translation.digest}".encode(), digest_size=12).hexdigest()
    changes |= {
        "body_html": translation.body_html,
        "translation": code,
        "digest": digest,
        "links": translation.links,
        "anchors": translation.anchors,
        "path": translation.path,
        "lines": translation.lines,
    }
    if isinstance(original, Claim):
        changes["corrections"] = next(
            (value for name, _, value in translation.facts if name == "corrections"), original.corrections
        )
        if original.image is not None:
            image = replace(
                original.image,
                alt=texts.get("image.alt", original.image.alt),
                caption=texts.get("image.caption", original.image.caption),
            )
            changes["image"] = image
            if original.picture is not None:
                changes["picture"] = _moved(replace(original.picture, ref=image), code)
        theirs = {picture.ref.src: picture for picture in original.pictures}
        pictures = tuple(
            _moved(replace(theirs[ref.src], ref=replace(theirs[ref.src].ref, alt=ref.alt)), code)
            for ref in translation.images
        )
        changes["images"], changes["pictures"] = translation.images, pictures
        changes["body_html"] = mark_pictures(translation.body_html, pictures)
    return replace(original, **changes)


def _moved(picture: Picture, code: str) -> Picture:
    """A picture's copies beside the translated page (its srcset names them relative to the page)."""
    prefix = root(code)
    variants = tuple((prefix + path, width, height) for path, width, height in picture.variants)
    return replace(picture, path=prefix + picture.path, variants=variants)


_HREF = re.compile(r'href="([^"#?:]*)([^"]*)"')
"""A link's target in rendered Markdown: (path, then its ?query or #fragment); none with a scheme."""


def _linked(first: Site, site: Site) -> Site:
    """The site in a language, each translated body's links within the site leading to their page in
    that language where it exists there (every page but the checks, people, pages and staff not
    translated into it), else to the first language's: as written, a link from the site root leads
    to the first language, a relative one to the folder of the language. A link to a heading the
    translated page does not have (``#evidence``, where its heading is ``#докази``) stays with the
    first language's page, which has it."""
    pages = frozenset(planned.path for planned in plan_pages(site))
    lost: dict[str, frozenset[str]] = {}
    for name in ("claims", "people", "pages", "staff"):
        originals: Mapping[str, Record] = getattr(first, name)
        for slug, record in getattr(site, name).items():
            if record.translation and (ids := frozenset(originals[slug].anchors) - frozenset(record.anchors)):
                lost[url_for(record)] = ids

    def fixed(records: Mapping[str, Record]) -> dict[str, Any]:
        return {slug: _relinked(record, site.translation, pages, lost) for slug, record in records.items()}

    return replace(
        site,
        claims=fixed(site.claims),
        people=fixed(site.people),
        pages=fixed(site.pages),
        staff=fixed(site.staff),
    )


def _relinked(record: Record, code: str, pages: frozenset[str], lost: Mapping[str, frozenset[str]]) -> Record:
    """A translated record with its body's links within the site in ``code`` where they can be
    (``lost``: the heading ids of the originals that each translated page has not)."""
    if record.translation != code or not record.links:
        return record
    page, prefix = url_for(record), root(code)

    def swap(match: re.Match[str]) -> str:
        written, rest = match.groups()
        if not written or written.startswith("/") or rest.startswith(":"):
            return match.group(0)  # this very page, another host, or a scheme (https:, mailto:)
        joined = posixpath.normpath(posixpath.join(page, written))
        if joined.startswith(".."):
            return match.group(0)
        joined = "" if joined == "." else joined + ("/" if written.endswith("/") else "")
        path = page_of(joined)
        first = path.removeprefix(prefix)
        fragment = unquote(unescape(rest.partition("#")[2]))
        there = prefix + first
        target = there if there in pages and fragment not in lost.get(there, ()) else first
        if target == path:
            return match.group(0)
        moved = target + joined.removeprefix(path)
        relative = posixpath.relpath(moved or ".", page) + ("/" if moved.endswith("/") or not moved else "")
        return f'href="{relative}{rest}"'

    html = _HREF.sub(swap, record.body_html)
    if html == record.body_html:
        return record
    digest = hashlib.blake2b(f"{record.digest}\0{html}".encode(), digest_size=12).hexdigest()
    return replace(record, body_html=html, digest=digest)
