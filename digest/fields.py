"""Typed reading of composed YAML nodes: each value checked, each problem a Diagnostic on its line.

A spec maps field names to a ``Field`` (how to read the value, and whether it is required). The
Reader never guesses: a bare ``no`` in a text field, or ``1:30`` that YAML 1.1 reads as 90, is an
error that says what YAML made of it and how to quote it, never a silently changed value.
"""

from __future__ import annotations

import calendar
import difflib
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import yaml

from .errors import Diagnostic

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_DATE = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
    r"(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]*)?)?"
    r"(?:[ \t]*(?:[Zz]|[+-]([0-9]{1,2})(?::?([0-9]{2}))?))?)?"
)
"""A date, optionally with the time of a YAML timestamp (``2024-11-08 14:30:00+02:00``): only the
date is used, as written, with no time-zone conversion."""
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MISSING = object()
_SPACE = re.compile(r"\s")


def quoted(value: object, limit: int = 60) -> str:
    """A value from a file, quoted for a one-line message: control characters escaped, long ones cut."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "'" + _CONTROL.sub(lambda match: repr(match.group())[1:-1], text) + "'"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class Invalid(Exception):
    """Raised by a field reader after it has recorded its diagnostic."""


def suggest(word: str, options: Any) -> str:
    """``"; did you mean 'sources'?"`` for a near miss among options, else an empty string."""
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


class Reader:
    """Reads one file's nodes, collecting diagnostics and the line of every field."""

    def __init__(self, path: str, first_line: int) -> None:
        self.path = path
        self.first_line = first_line
        self.diagnostics: list[Diagnostic] = []
        self.lines: dict[str, int] = {}

    def line(self, node: yaml.Node) -> int:
        """The 1-based file line where a node starts."""
        return int(node.start_mark.line) + self.first_line

    def error(self, where: yaml.Node | int, message: str) -> Invalid:
        """Record a diagnostic; return an Invalid for the caller to raise."""
        line = where if isinstance(where, int) else self.line(where)
        self.diagnostics.append(Diagnostic(self.path, line, message))
        return Invalid(message)

    def mapping(
        self, node: yaml.Node, spec: Mapping[str, Field], what: str, prefix: str = "", whole_file: bool = False
    ) -> dict[str, Any]:
        """Read a mapping node by its spec → {field: value} of every field that was read correctly.

        Problems are recorded, never raised, so that one run reports all of them: a caller checks
        ``diagnostics`` before trusting the values. A missing field is reported on the mapping's
        first line, or on line 1 for ``whole_file``.
        """
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping of 'field: value' lines, not {_kind(node)}")
            return {}
        values: dict[str, Any] = {}
        nodes: dict[str, yaml.Node] = {}
        failed: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, f"a field name in {what} must be plain text")
                continue
            key = key_node.value
            if key in nodes:
                first = self.line(nodes[key])
                self.error(key_node, f"{quoted(key)} is given twice in {what} (first on line {first}); keep one")
                continue
            nodes[key] = key_node
            if key not in spec:
                hint = suggest(key, spec)
                self.error(key_node, f"unknown field {quoted(key)} in {what}{hint}")
                failed.add(hint.partition("'")[2].partition("'")[0])  # the field it suggests is not "missing"
                continue
            self.lines[prefix + key] = self.line(key_node)
            before = len(self.diagnostics)
            try:
                value = spec[key].read(self, value_node, prefix + key)
            except Invalid:
                failed.add(key)
                continue
            if len(self.diagnostics) > before:
                failed.add(key)
            if value is not None:
                values[key] = value
        for key, field in spec.items():
            if not field.required or key in values or key in failed:
                continue
            if key in nodes:
                self.error(nodes[key], f"'{key}' is required and must have a value")
            else:
                self.error(1 if whole_file else node, f"{what} is missing the required field '{key}'")
        return values


Read = Callable[[Reader, yaml.Node, str], Any]


@dataclass(frozen=True, slots=True)
class Field:
    """How to read one field of a spec."""

    read: Read
    required: bool = False


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return quoted(node.value)


def _name(path: str) -> str:
    """The field a dotted path ends in: ``sources.0.url`` → ``url``, ``tags.2`` → ``tags``."""
    return next(part for part in reversed(path.split(".")) if not part.isdigit())


def _scalar(r: Reader, node: yaml.Node, path: str) -> str | None:
    """The text of a scalar as written; None for an empty (null) value."""
    if not isinstance(node, yaml.ScalarNode):
        raise r.error(node, f"'{_name(path)}' must be text, not {_kind(node)}")
    if not node.style:
        kind = node.tag.rsplit(":", 1)[-1]
        if kind == "null":
            return None
        if kind == "bool":
            meaning = "true" if node.value.lower() in ("yes", "y", "true", "on") else "false"
            raise r.error(
                node,
                f"YAML reads {quoted(node.value)} in '{_name(path)}' as the boolean {meaning}; "
                f'put it in quotes if you mean the text: "{node.value}"',
            )
        if kind in ("int", "float") and not _PLAIN_NUMBER.fullmatch(node.value):
            try:
                number = f"the number {yaml.safe_load(node.value)}"
            except (ValueError, yaml.YAMLError):
                number = "a number"
            raise r.error(
                node,
                f"YAML 1.1 reads {quoted(node.value)} in '{_name(path)}' as {number}; "
                f'put it in quotes if you mean the text: "{node.value}"',
            )
    return str(node.value)


def text(r: Reader, node: yaml.Node, path: str) -> str | None:
    """A line of text; surrounding spaces removed."""
    value = _scalar(r, node, path)
    if value is None:
        return None
    value = value.strip()
    if not value:
        raise r.error(node, f"'{_name(path)}' is empty; give a value or remove the line")
    return value


def slug(r: Reader, node: yaml.Node, path: str) -> str | None:
    """A slug: lower-case letters, digits and single hyphens."""
    return _slug(r, node, path, "use lower-case letters, digits and hyphens", "")


def former_slug(advice: str) -> Read:
    """A slug the record had before (an old file name), whose address will redirect; ``advice`` tells
    an editor who wrote something else (a name, a title) where that belongs."""

    def read(r: Reader, node: yaml.Node, path: str) -> str | None:
        return _slug(r, node, path, "list former slugs, the old file names without '.md'", advice)

    return read


def _slug(r: Reader, node: yaml.Node, path: str, how: str, advice: str) -> str | None:
    """A slug, or an error that says ``how`` to write one, with an example made of the value."""
    value = text(r, node, path)
    if value is not None and not SLUG.fullmatch(value):
        example = slug_hint(value)
        raise r.error(node, f"{quoted(value)} in '{_name(path)}' is not a slug: {how} (e.g. '{example}'){advice}")
    return value


def slugify(text: str) -> str:
    """The one way a text becomes a slug: 'Café Le Monde!' → 'cafe-le-monde' (may be empty)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


NAME_MAX = 255
"""The most bytes a file or folder name may have on the common file systems (ext4, APFS, NTFS...)."""


def too_long(name: str, what: str, page: str) -> str | None:
    """The message for a name that would make a file or folder name over NAME_MAX bytes, else None.

    ``page`` shows where the name goes (``tags/<name>/``)."""
    size = len(name.encode("utf-8"))
    if size <= NAME_MAX:
        return None
    return (
        f"{what} {quoted(name)} would make the folder name in {page} {size} bytes long, but a file system "
        f"allows at most {NAME_MAX}: shorten it"
    )


def slug_hint(value: str) -> str:
    """A slug suggested for a name that is not one: 'Bad_Name' → 'bad-name'."""
    return slugify(value) or "my-slug"


def key(r: Reader, node: yaml.Node, path: str) -> str | None:
    """A verdict key exactly as written: a bare ``true`` or ``false`` is its text, not a boolean."""
    if not isinstance(node, yaml.ScalarNode):
        raise r.error(node, f"'{_name(path)}' must be a verdict key, not {_kind(node)}")
    value = str(node.value).strip()
    if not node.style and node.tag.endswith(":null"):
        return None
    return value.lower() if not node.style and node.tag.endswith(":bool") else value


def day(r: Reader, node: yaml.Node, path: str) -> date | None:
    """A calendar date, written 2024-11-06; a timestamp's date is used."""
    if not isinstance(node, yaml.ScalarNode):
        raise r.error(node, f"'{_name(path)}' must be a date like 2024-11-06, not {_kind(node)}")
    if not node.style and node.tag.endswith(":null"):
        return None
    if _DAY.fullmatch(node.value):  # the usual 2024-11-06: a real date, or the checks below say why not
        try:
            return date(int(node.value[:4]), int(node.value[5:7]), int(node.value[8:]))
        except ValueError:
            pass
    match = _DATE.fullmatch(node.value.strip())
    if match is None:
        raise r.error(
            node, f"{quoted(node.value)} in '{_name(path)}' is not a date; write it as YYYY-MM-DD, e.g. 2024-11-06"
        )
    year, month, number = map(int, match.groups()[:3])
    hour, minute, second, zone_hour, zone_minute = (int(part or 0) for part in match.groups()[3:])
    for value, limit, what in (
        (hour, 23, "hour"),
        (minute, 59, "minute"),
        (second, 59, "second"),
        (zone_hour, 23, "time-zone hour"),
        (zone_minute, 59, "time-zone minute"),
    ):
        if value > limit:
            raise r.error(
                node,
                f"{quoted(node.value)} in '{_name(path)}' is not a real date-time: there is no {what} {value}; "
                "the time is not needed, write the date alone (YYYY-MM-DD)",
            )
    if year < 1:
        raise r.error(node, f"{quoted(node.value)} in '{_name(path)}' is not a real date: there is no year 0")
    if not 1 <= month <= 12:
        raise r.error(node, f"{quoted(node.value)} in '{_name(path)}' is not a real date: there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= number <= last:
        raise r.error(
            node,
            f"{quoted(node.value)} in '{_name(path)}' is not a real date: "
            f"{calendar.month_name[month]} {year} has {last} days",
        )
    return date(year, month, number)


def url(r: Reader, node: yaml.Node, path: str) -> str | None:
    """An absolute http or https URL."""
    value = text(r, node, path)
    if value is None:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:  # a host with an unclosed '[' (an IPv6 address, to urllib)
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc or _SPACE.search(value):
        raise r.error(node, f"{quoted(value)} in '{_name(path)}' is not an absolute http:// or https:// URL")
    return value


def boolean(r: Reader, node: yaml.Node, path: str) -> bool | None:
    """true or false."""
    if not isinstance(node, yaml.ScalarNode) or not (not node.style and node.tag.endswith((":bool", ":null"))):
        raise r.error(node, f"'{_name(path)}' must be true or false, not {_kind(node)}")
    return None if node.tag.endswith(":null") else node.value.lower() in ("yes", "y", "true", "on")


def integer(r: Reader, node: yaml.Node, path: str) -> int | None:
    """A whole number, or nothing (null)."""
    if not isinstance(node, yaml.ScalarNode) or node.style:
        raise r.error(node, f"'{_name(path)}' must be a whole number, not {_kind(node)}")
    if node.tag.endswith(":null"):
        return None
    if not re.fullmatch(r"-?[0-9]+", node.value):
        raise r.error(node, f"'{_name(path)}' must be a whole number, not {quoted(node.value)}")
    return int(node.value)


def choice(*options: str) -> Read:
    """One of the given words."""

    def read(r: Reader, node: yaml.Node, path: str) -> str | None:
        value = text(r, node, path)
        if value is not None and value not in options:
            listed = ", ".join(options)
            raise r.error(
                node, f"{quoted(value)} is not a valid '{_name(path)}' (one of: {listed}){suggest(value, options)}"
            )
        return value

    return read


def list_of(item: Read, non_empty: str = "") -> Read:
    """A YAML list whose items are read by ``item``; an item that is wrong is None in its place.

    An empty list reads as absent, or is an error with the ``non_empty`` explanation.
    """

    def read(r: Reader, node: yaml.Node, path: str) -> tuple[Any, ...] | None:
        if isinstance(node, yaml.ScalarNode) and not node.style and node.tag.endswith(":null"):
            empty, values = True, ()
        elif not isinstance(node, yaml.SequenceNode):
            raise r.error(node, f"'{_name(path)}' must be a list, e.g. [a, b] or one '- item' per line")
        else:
            empty, values = not node.value, tuple(_items(r, node, path, item))
        if empty and non_empty:
            raise r.error(node, f"'{_name(path)}' is empty: {non_empty}")
        return values or None

    return read


def _items(r: Reader, node: yaml.SequenceNode, path: str, item: Read) -> list[Any]:
    """Each item read, in place; None in the place of an item that was wrong (and reported)."""
    values: list[Any] = []
    for index, child in enumerate(node.value):
        r.lines[f"{path}.{index}"] = r.line(child)
        try:
            value = item(r, child, f"{path}.{index}")
        except Invalid:
            value = None
        else:
            if value is None:
                r.error(child, f"item {index + 1} of '{_name(path)}' is empty")
        values.append(value)
    return values


def record(spec: Mapping[str, Field], what: str) -> Read:
    """A nested mapping read by its own spec → {field: value} of the fields read correctly."""

    def read(r: Reader, node: yaml.Node, path: str) -> dict[str, Any]:
        return r.mapping(node, spec, what, prefix=f"{path}.")

    return read
