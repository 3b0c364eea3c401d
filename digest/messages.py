"""The theme's words in each language: gettext catalogs read with Babel, and dates and numbers
formatted for the language with Babel's CLDR data (month names and their grammatical forms:
"7 листопада 2024", "листопад 2024").

A theme keeps one catalog per language in ``messages/<language>.po`` (``en.po``, ``uk.po``,
``ru.po``). The message ids are the English wording, as gettext has it, but they are only keys:
every word a reader sees comes from a catalog, the English one included, and nothing falls back
to the id. A message that the templates or the generator use and the language's catalog lacks
(or leaves empty, or marks fuzzy) is a ThemeError naming the message and the catalog file, raised
before anything is rendered.

Templates use Jinja's i18n extension (``{{ _("Verdicts") }}``, ``{{ _("Claims by %(name)s",
name=person.name) }}``, ``{% trans count=n %}{{ count }} check{% pluralize %}{{ count }}
checks{% endtrans %}``, ``pgettext``) and the filters ``long_date``, ``month_name`` and
``number``; the generator's own words (feeds) are the ``GENERATOR`` messages, used through
``Messages.text`` and ``Messages.plural_text``.
"""

from __future__ import annotations

import gettext
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import babel
import jinja2
import jinja2.ext
import jinja2.nodes
from babel.dates import format_date
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal
from markupsafe import Markup

from .environment import escape, new_str
from .errors import ThemeError

FOLDER = "messages"
"""The folder of a theme that holds its catalogs, one ``<language>.po`` each."""

Key = tuple[str | None, str]
"""A message's context (None for none) and id: the singular for a plural message."""


def N_(message: str) -> str:
    """Mark a message id of the generator for extraction (pybabel's ``-k N_``); returns it as it is."""
    return message


LONG_DATE = N_("d MMMM y")
"""The pattern of ``long_date`` in CLDR's date fields (Babel's ``format_date``): "7 November 2024"."""
MONTH_YEAR = N_("LLLL y")
"""The pattern of ``month_name``: "November 2024" (``LLLL``: the month's name standing alone)."""

FEED_PERSON = N_("%(site)s: claims by %(name)s")
FEED_CORRECTIONS = N_("%(site)s: corrections")
FEED_SUMMARY = N_("%(verdict)s (claim by %(speaker)s): %(summary)s")
FEED_CORRECTION_TITLE = N_("%(kind)s: %(title)s")
FEED_RATING_CHANGED = N_("Rating changed from %(before)s to %(after)s. %(note)s")
FEED_ON_CLAIM = N_("On the claim by %(speaker)s: %(summary)s")
TRANSLATED_CHECK = N_(
    "Translated from English. Quotations are our translation of the English-language reports cited, "
    "not the speaker's own words."
)
"""The note on a check shown in another language than its sources' (English): for the languages' pages."""
CORRECTION_KINDS = {
    "correction": N_("Correction"),
    "update": N_("Update"),
    "clarification": N_("Clarification"),
    "rating-change": N_("Rating change"),
}
"""The name of each kind of correction (``corrections[].type``)."""

GENERATOR: tuple[Key, ...] = tuple(
    (None, message)
    for message in (
        LONG_DATE,
        MONTH_YEAR,
        FEED_PERSON,
        FEED_CORRECTIONS,
        FEED_SUMMARY,
        FEED_CORRECTION_TITLE,
        FEED_RATING_CHANGED,
        FEED_ON_CLAIM,
        TRANSLATED_CHECK,
        *CORRECTION_KINDS.values(),
    )
)
"""Every message the generator itself uses (besides the templates'): a theme's catalogs need them too."""


class MissingMessage(ThemeError):
    """A message the theme or the generator uses is not in the language's catalog."""


@dataclass(frozen=True, slots=True)
class Messages:
    """One language's catalog: its messages, its plural rule and Babel's locale for dates and numbers."""

    language: str
    """The language tag the catalog is for, as site.yaml gives it (``en``, ``uk``, ``en-GB``)."""
    path: Path
    """The catalog file: ``themes/default/messages/uk.po``."""
    locale: babel.Locale
    singular: Mapping[Key, str]
    plural: Mapping[Key, tuple[str, ...]]
    """Each plural message's forms, as many as the language has (Ukrainian: one, few, many)."""
    choose: Callable[[int], int]
    """The plural rule: a number → the index of its form (the catalog's ``Plural-Forms``)."""
    forms: int
    """How many plural forms the language has."""
    digest: str
    """A hash of the catalog file: pages are rendered again when it changes."""
    dates: dict[tuple[str, date], str] = field(default_factory=dict, compare=False)
    """Dates written before, by pattern: a site writes the same few hundred days thousands of times."""

    def gettext(self, message: str) -> str:
        """The translation of a message; MissingMessage if the catalog has none."""
        return self.pgettext(None, message)

    def pgettext(self, context: str | None, message: str) -> str:
        """The translation of a message in a context (``pgettext("menu", "People")``)."""
        found = self.singular.get((context, message))
        if found is None:
            raise MissingMessage(self.missing_line((context, message)))
        return found

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form of a plural message for ``count``: "%(num)s перевірка / перевірки / перевірок"."""
        return self.npgettext(None, singular, plural, count)

    def npgettext(self, context: str | None, singular: str, plural: str, count: int) -> str:
        """The form of a plural message in a context for ``count``."""
        found = self.plural.get((context, singular))
        if found is None:
            raise MissingMessage(self.missing_line((context, singular)))
        return found[min(self.choose(count), len(found) - 1)]

    def text(self, message: str, context: str | None = None, **values: object) -> str:
        """A message with its ``%(name)s`` placeholders filled (for the generator: feeds)."""
        return self.pgettext(context, message) % values

    def plural_text(self, singular: str, plural: str, count: int, **values: object) -> str:
        """A plural message for ``count`` with its placeholders (``%(num)s`` is the count) filled."""
        return self.ngettext(singular, plural, count) % {"num": count, **values}

    def long_date(self, day: date) -> str:
        """A date as the language writes it in full: "7 November 2024", "7 листопада 2024"."""
        return self._date(LONG_DATE, day)

    def month_name(self, day: date) -> str:
        """A date's month and year: "November 2024", "листопад 2024"."""
        return self._date(MONTH_YEAR, day)

    def _date(self, pattern: str, day: date) -> str:
        written = self.dates.get((pattern, day))
        if written is None:
            written = self.dates[(pattern, day)] = format_date(day, self.gettext(pattern), locale=self.locale)
        return written

    def correction_kind(self, kind: str) -> str:
        """The name of a kind of correction (``update`` → "Update")."""
        return self.gettext(CORRECTION_KINDS[kind])

    def number(self, value: float) -> str:
        """A number with the language's digit grouping and decimal sign."""
        return format_decimal(value, locale=self.locale)

    def missing_line(self, key: Key, where: str = "") -> str:
        """``catalog:1: no message ...``: what a missing message is reported as."""
        context, message = key
        within = f" (context {context!r})" if context else ""
        used = f", used in {where}" if where else ""
        return f"{self.path}:1: no message {message!r}{within} in this catalog{used}"

    def lacking(self, used: Mapping[Key, str]) -> list[str]:
        """The lines reporting each used message (key → where) the catalog lacks, in the order given."""
        return [
            self.missing_line(key, where)
            for key, where in used.items()
            if key not in self.singular and key not in self.plural
        ]


_LOADED: dict[tuple[Path, int, int], Messages] = {}
"""Catalogs read, by file, modification time and size: a rebuild reads only an edited one again."""


def catalog_path(theme: Path, language: str) -> Path | None:
    """The catalog of a language in a theme: ``<language>.po`` (``en-GB.po`` or ``en_GB.po``), else
    that of its primary language (``en.po`` for ``en-GB``); None when the theme has neither."""
    folder = theme / FOLDER
    primary = language.split("-")[0]
    for name in dict.fromkeys((language, language.replace("-", "_"), primary)):
        path = folder / f"{name}.po"
        if path.is_file():
            return path
    return None


def load_messages(theme: Path, language: str) -> Messages:
    """The catalog of a language in a theme folder; ThemeError if the theme has none for it or it is
    not a valid catalog."""
    path = catalog_path(theme, language)
    if path is None:
        raise ThemeError(
            f"{theme / FOLDER / (language + '.po')}:1: the theme has no messages for the site's language "
            f"{language!r} (site.yaml's language); its catalogs: {', '.join(languages(theme)) or 'none'}"
        )
    status = path.stat()
    known = _LOADED.get((path, status.st_mtime_ns, status.st_size))
    if known is not None and known.language == language:
        return known
    messages = _read(path, language)
    _LOADED[(path, status.st_mtime_ns, status.st_size)] = messages
    return messages


def languages(theme: Path) -> list[str]:
    """The languages a theme has catalogs for."""
    return sorted(path.stem for path in (theme / FOLDER).glob("*.po"))


def _locale(language: str, path: Path) -> babel.Locale:
    """Babel's locale for a language tag, else for the catalog's language."""
    for tag in (language, path.stem):
        try:
            return babel.Locale.parse(tag.replace("-", "_"))
        except (ValueError, babel.UnknownLocaleError):
            continue
    raise ThemeError(f"{path}:1: Babel knows no locale {language!r}: dates and numbers cannot be written in it")


def _read(path: Path, language: str) -> Messages:
    data = path.read_bytes()
    locale = _locale(language, path)
    try:
        catalog = read_po(iter(data.splitlines(keepends=True)), locale=locale, abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as error:
        raise ThemeError(f"{path}:1: not a gettext catalog: {error}") from None
    singular: dict[Key, str] = {}
    plural: dict[Key, tuple[str, ...]] = {}
    forms = catalog.num_plurals
    for entry in catalog:
        if not entry.id or entry.fuzzy:
            continue  # the header; a fuzzy translation is a guess not yet checked: not used
        if isinstance(entry.id, str):
            if isinstance(entry.string, str) and entry.string:
                singular[(entry.context, entry.id)] = entry.string
        else:
            strings = tuple(entry.string) if isinstance(entry.string, (tuple, list)) else ()
            if len(strings) == forms and all(strings):
                plural[(entry.context, entry.id[0])] = strings
    return Messages(
        language=language,
        path=path,
        locale=locale,
        singular=singular,
        plural=plural,
        choose=gettext.c2py(catalog.plural_expr),
        forms=forms,
        digest=hashlib.blake2b(data, digest_size=12).hexdigest(),
    )


def used_messages(templates: Mapping[str, jinja2.nodes.Template]) -> dict[Key, str]:
    """Every message the templates (name → syntax tree) use, with where first (``home.html:7``), then
    the generator's own (``GENERATOR``)."""
    used: dict[Key, str] = {}
    for name, tree in sorted(templates.items()):
        for line, function, message in jinja2.ext.extract_from_ast(tree, jinja2.ext.GETTEXT_FUNCTIONS):
            key = _key(function, message)
            if key is not None:
                used.setdefault(key, f"{name}:{line}")
    for key in GENERATOR:
        used.setdefault(key, "the generator")
    return used


def _key(function: str, message: str | tuple[str | None, ...] | None) -> Key | None:
    """The key of an extracted call, or None when its id is not a literal (``_(page.heading)``)."""
    strings = (message,) if isinstance(message, str) or message is None else message
    context = None
    if function in ("pgettext", "npgettext"):
        context, strings = strings[0], strings[1:]
    if not strings or strings[0] is None:
        return None
    return (context, strings[0])


def check_complete(messages: Messages, used: Mapping[Key, str]) -> None:
    """Raise MissingMessage, naming every message the catalog lacks and the file, if it lacks any."""
    lacking = messages.lacking(used)
    if lacking:
        raise MissingMessage("\n".join(lacking))


def install(env: jinja2.Environment, messages: Messages) -> None:
    """Give a Jinja environment (with the i18n extension) one language: ``_``, ``gettext``,
    ``ngettext``, ``pgettext``, ``npgettext``, ``correction_kind(kind)``, ``language`` (its tag) and
    the filters ``long_date``, ``month_name``, ``number``."""
    env.install_gettext_callables(  # type: ignore[attr-defined]
        messages.gettext,
        messages.ngettext,
        newstyle=True,
        pgettext=messages.pgettext,
        npgettext=messages.npgettext,
    )
    # The same as Jinja's "new style" callables (a Markup, its values escaped into it), without
    # their lookups through the template's context: pages call them tens of thousands of times.
    marked = _Marked(messages)
    env.extend(constant_messages=marked.bare)
    env.add_extension(ConstantMessages)
    env.globals |= {
        "_": marked.gettext,
        "gettext": marked.gettext,
        "ngettext": marked.ngettext,
        "pgettext": marked.pgettext,
        "npgettext": marked.npgettext,
    }
    env.filters |= {"long_date": messages.long_date, "month_name": messages.month_name, "number": messages.number}
    env.globals["language"] = messages.language
    env.globals["correction_kind"] = messages.correction_kind


_CONSTANT = re.compile(r"""\{\{ _\((?:"([^"\\\n]*)"|'([^'\\\n]*)')\) \}\}""")
"""``{{ _("Latest checks") }}``: a message with no values, which reads the same on every page."""
_SYNTAX = re.compile(r"[{%#}]")


class ConstantMessages(jinja2.ext.Extension):
    """Writes each message without values (``{{ _("Latest checks") }}``) into its template as text
    before the template is compiled, for the environment's one language: a page then costs no call
    for it. A message the catalog lacks is left as a call, which fails as any missing message does.
    (The compiled templates differ by language and catalog: ``theme.environment`` keeps their
    bytecode apart.)"""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        constants: Mapping[Key, Markup] | None = getattr(self.environment, "constant_messages", None)
        if not constants:
            return source

        def written(found: re.Match[str]) -> str:
            text = constants.get((None, found.group(1) if found.group(1) is not None else found.group(2)))
            if text is None or "\n" in text:
                return found.group(0)
            return str(text) if not _SYNTAX.search(text) else "{% raw %}" + text + "{% endraw %}"

        return _CONSTANT.sub(written, source)


class _Marked:
    """A catalog's messages for templates: as Markup, with their ``%(name)s`` values escaped in.

    The same as Jinja's "new style" gettext, faster: a message without values is made once, and
    values are escaped one by one rather than through Markup's ``%`` (pages call these tens of
    thousands of times)."""

    def __init__(self, messages: Messages) -> None:
        self.messages = messages
        self.bare: dict[Key, Markup] = {}
        """Each message as it reads with no values (``%%`` made ``%``), where it needs none."""
        for key, text in messages.singular.items():
            try:
                self.bare[key] = Markup(text % {})
            except (KeyError, ValueError, TypeError):
                continue  # it has placeholders: shown only with its values

    def gettext(self, message: str, **values: object) -> Markup:
        return self.pgettext(None, message, **values)

    def pgettext(self, context: str | None, message: str, **values: object) -> Markup:
        if not values:
            found = self.bare.get((context, message))
            if found is not None:
                return found
        return _fill(self.messages.pgettext(context, message), values)

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> Markup:
        return self.npgettext(None, singular, plural, count, **values)

    def npgettext(self, context: str | None, singular: str, plural: str, count: int, **values: object) -> Markup:
        values.setdefault("num", count)
        return _fill(self.messages.npgettext(context, singular, plural, count), values)


def _fill(text: str, values: Mapping[str, object]) -> Markup:
    """A message with its values escaped into it, as Markup (made directly: ``text`` is a str)."""
    return new_str(Markup, text % {name: escape(value) for name, value in values.items()})
