"""Split a content file into YAML front matter and a Markdown body; compose the YAML into nodes.

Nodes, not a ``safe_load`` dict: they keep each key's line, show duplicate keys and keep the text
of a bare ``verdict: false``. Anchors, aliases and explicit tags are refused before composing, and
so is nesting deeper than the configured limit, so that no file can make the loader explode. These
rules are ours: they fire with our message whatever the PyYAML or libyaml version, even where the
library has limits of its own (libyaml refuses 1,000 levels of nesting, and reads ahead to do so).
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import yaml

try:  # libyaml is several times faster; PyYAML's wheels ship it, a source build may not
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

_TAGS: dict[str, str] = {}
"""The tag of each short plain scalar met (``title``, ``2024-11-06``, ``alice``): front matter repeats
its keys and many of its values in every file."""
_TAGS_MAX = 100_000


class _Loader(_SafeLoader):
    """The safe loader, whose tag for a plain scalar, a pure function of its text (the safe loader has
    no path resolvers), is worked out once per text: its regular expressions were a tenth of the
    YAML's time."""

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or not implicit[0] or value is None or len(value) > 64:
            return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
        tag = _TAGS.get(value)
        if tag is None:
            tag = _TAGS[value] = str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
            if len(_TAGS) > _TAGS_MAX:
                _TAGS.clear()
        return tag


_OPEN = re.compile(r"---[ \t]*(?:\n|$)")
_CLOSE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_STRUCTURE = "[{-:?"
"""Every level of YAML nesting needs one of these characters, so their count bounds the depth."""
_SCAN_THRESHOLD = 400
"""Below this many structure characters the tree is composed first, safely, and its depth checked after."""


class SyntaxProblem(Exception):
    """A problem with a file's bytes or syntax, at a 1-based line of the file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Document:
    """A content file split in two."""

    front: yaml.Node
    """The composed front matter: the top node (checked to be a mapping by the reader)."""
    front_line: int
    """File line of the first YAML line (2 for a file that starts with ``---``)."""
    body: str
    """The Markdown after the closing ``---``, with LF line ends."""
    body_line: int
    """File line of the body's first line."""


class NotRegularFile(OSError):
    """A content file that is a named pipe, a socket, a device or a folder: reading it could block
    for ever, so it is never read."""

    def __init__(self, mode: int) -> None:
        kinds = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}
        kind = kinds.get(stat.S_IFMT(mode), "a device")
        super().__init__(f"this is {kind}, not a regular file; remove it or put a file in its place")

    def __str__(self) -> str:
        return str(self.args[0])


def read_regular(path: str) -> bytes:
    """The bytes of a regular file; NotRegularFile for anything else, without ever blocking: the
    file is opened non-blocking and checked before a byte is read."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(mode)
        return stream.read()


def decode(data: bytes, max_bytes: int) -> str:
    """Bytes of a content file → text with LF line ends; refuse what is not plain UTF-8 text."""
    if len(data) > max_bytes:
        raise SyntaxProblem(
            1, f"file is {len(data):,} bytes, over the limit of {max_bytes:,} (limits.max_file_bytes in site.yaml)"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\0")
    if nul >= 0:
        raise SyntaxProblem(data.count(b"\n", 0, nul) + 1, "file contains a NUL byte; is it a binary file?")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SyntaxProblem(line, "file is not UTF-8 text; save it as UTF-8") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split(text: str, max_depth: int, fields: Collection[str] = ()) -> Document:
    """Text of a Markdown file with front matter → a Document; raises SyntaxProblem.

    ``fields`` are the front matter's field names: a key that is none of them and reads like prose
    (``Putin said: he would talk.``) is taken as the analysis, so the front matter was never closed.
    """
    opening = _OPEN.match(text)
    if opening is None:
        raise SyntaxProblem(1, "file must start with a '---' line that opens the YAML front matter")
    closing = _CLOSE.search(text, opening.end())
    if closing is None:
        raise _unclosed(text[opening.end() :], None, fields=fields) or SyntaxProblem(
            1, "front matter opened with '---' on line 1 is never closed; add a '---' line after it"
        )
    front_text = text[opening.end() : closing.start()]
    body = text[closing.end() + 1 :]
    body_line = front_text.count("\n") + 3
    try:
        node = compose(front_text, first_line=2, max_depth=max_depth)
    except SyntaxProblem as problem:
        raise _unclosed(front_text, body_line - 1, problem.line, fields) or problem from None
    if node is None:
        raise SyntaxProblem(1, "front matter is empty; it needs the fields of a claim, person or page")
    if isinstance(node, yaml.MappingNode) and fields:
        keys = {key.start_mark.line + 2 for key, _ in node.value if key.start_mark.column == 0}
        unclosed = _unclosed(front_text, body_line - 1, fields=fields, keys=keys)
        if unclosed is not None:
            raise unclosed
    return Document(front=node, front_line=2, body=body, body_line=body_line)


_YAML_LINE = re.compile(
    r"""(?:[ \t#]|-(?:[ \t]|$)|(?:[A-Za-z_][\w-]*|"[^"]*"|'[^']*')[ \t]*:(?:[ \t]|$)|\.\.\.[ \t]*$|$)"""
)
"""A line that may belong to front matter: indented, a comment, a list item, a ``key:`` or empty."""
_WORD = re.compile(r"\w")
_NEAR_CLOSE = re.compile(r"[ \t]*(?=[^\n]*[\u2013\u2014]|[^\n]*--|[ \t]+-)[-\u2013\u2014 \t]+")
"""A line that was probably meant as the closing '---': longer, indented, spaced, or dashes an
editor turned into en or em dashes."""


_KEY = re.compile(r"""([^ \t#'"-][^\n]*?)[ \t]*:(?:[ \t]|$)""")
"""A top-level ``key:`` line, whatever the key (prose such as ``Putin said: ...`` included)."""
_FIELD_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def _prose_key(line: str, after_gap: bool, fields: Collection[str]) -> bool:
    """A ``key: value`` line that is the analysis, not a field: the key is no field and no near miss
    of one (those are reported as unknown fields, with "did you mean"), and it is more than one word,
    capitalised, or comes after a blank line or a heading."""
    match = _KEY.match(line)
    if match is None or not fields:
        return False
    key = match.group(1)
    if key in fields or difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6):
        return False
    return after_gap or not _FIELD_NAME.fullmatch(key)


def _unclosed(
    front: str,
    closed_at: int | None,
    failed_at: int | None = None,
    fields: Collection[str] = (),
    keys: Collection[int] | None = None,
) -> SyntaxProblem | None:
    """The front matter was never closed, if its text says so: a near-miss '---', or prose (the
    analysis) where YAML was expected; None if it does not look like that.

    ``front`` starts on line 2; ``closed_at`` is the line of the '---' taken as the closing one.
    ``keys``, the lines of the top-level keys when the YAML could be read, limits the search to
    those lines and to prose that YAML read as a key (see _prose_key).
    """
    taken = f", so the '---' on line {closed_at} (a rule in the analysis?) was taken for its end" if closed_at else ""
    lines = front.split("\n")
    if keys is not None:
        return _prose_key_line(lines, [key for key in keys if failed_at is None or key <= failed_at], fields, taken)
    last_yaml = 1
    for number, line in enumerate(lines, start=2):
        if failed_at is not None and number > failed_at:
            break
        if _NEAR_CLOSE.fullmatch(line) and line.strip() != "":
            return SyntaxProblem(
                number,
                f"front matter opened with '---' on line 1 is never closed: line {number} ({line.strip()!r}) "
                f"was probably meant to close it{taken}; write exactly '---'",
            )
        if _prose_key(line, _after_gap(lines, number), fields) or (not _YAML_LINE.match(line) and _WORD.search(line)):
            return _analysis_at(lines, last_yaml, number, taken)
        if line.strip() and not line.startswith("#"):
            last_yaml = number
    return None


def _prose_key_line(
    lines: list[str], keys: Collection[int], fields: Collection[str], taken: str
) -> SyntaxProblem | None:
    """``_unclosed`` for front matter that YAML could read: the first of its top-level keys (by line)
    that is prose, if one is."""
    for number in sorted(keys):
        if _prose_key(lines[number - 2], _after_gap(lines, number), fields):
            last_yaml = next(
                (n for n in range(number - 1, 1, -1) if lines[n - 2].strip() and not lines[n - 2].startswith("#")), 1
            )
            return _analysis_at(lines, last_yaml, number, taken)
    return None


def _after_gap(lines: list[str], number: int) -> bool:
    """Whether line ``number`` of the front matter (which starts on line 2) follows a blank line or a comment."""
    return number > 2 and (not lines[number - 3].strip() or lines[number - 3].startswith("#"))


def _analysis_at(lines: list[str], last_yaml: int, number: int, taken: str) -> SyntaxProblem:
    """The analysis starts at line ``number``, or at the first line after the last YAML line
    (``last_yaml``) if that is earlier: Markdown headings read as YAML comments."""
    number = next((n for n in range(last_yaml + 1, number + 1) if lines[n - 2].strip()), number)
    return SyntaxProblem(
        number,
        f"front matter opened with '---' on line 1 is never closed: line {number} looks like the "
        f"analysis, not YAML{taken}; add a '---' line before line {number}",
    )


def compose(text: str, first_line: int, max_depth: int) -> yaml.Node | None:
    """YAML text → its node tree, refusing anchors, aliases, tags and deep nesting."""
    structure = sum(map(text.count, _STRUCTURE))
    try:
        if any(mark in text for mark in "&*!") or structure > _SCAN_THRESHOLD:
            _check_events(yaml.parse(text, Loader=_Loader), first_line, max_depth)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        raise _library_refusal(error, first_line, text, max_depth) from None
    if node is not None and structure > max_depth:
        _check_depth(node, first_line, max_depth)
    return node


def _check_events(events: Iterable[yaml.Event], first_line: int, max_depth: int) -> None:
    """Walk the parser's events, stopping at the first refused construct or at max_depth."""
    depth = 0
    for event in events:
        line = (event.start_mark.line if event.start_mark is not None else 0) + first_line
        if isinstance(event, yaml.AliasEvent):
            raise SyntaxProblem(line, f"YAML alias '*{event.anchor}' is not allowed; write the value out")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise SyntaxProblem(line, f"YAML anchor '&{anchor}' is not allowed; write the value out")
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise SyntaxProblem(line, f"YAML tag '{shown}' is not allowed; write a plain value")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > max_depth:
                raise _too_deep(line, max_depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_depth(top: yaml.Node, first_line: int, max_depth: int) -> None:
    """Refuse a composed tree nested deeper than max_depth, at the first such collection in the file."""
    collection = yaml.CollectionNode
    pending: list[tuple[yaml.Node, int]] = [(top, 1)] if isinstance(top, collection) else []
    while pending:  # the collections only, first in the file first
        node, depth = pending.pop()
        if depth > max_depth:
            raise _too_deep(first_line + node.start_mark.line, max_depth)
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair if isinstance(part, collection)]
        else:
            children = [child for child in node.value if isinstance(child, collection)]
        pending.extend((child, depth + 1) for child in reversed(children))


def _too_deep(line: int, max_depth: int) -> SyntaxProblem:
    return SyntaxProblem(line, f"YAML is nested more than {max_depth} levels deep (limits.max_depth in site.yaml)")


def _library_refusal(error: yaml.YAMLError, first_line: int, text: str, max_depth: int) -> SyntaxProblem:
    """The library refused the text: our own rules first, then its message.

    libyaml reads ahead, so it may refuse (its own nesting limit, say) before it has shown us the
    events where our rules fire. PyYAML's pure-Python parser, which has no limits of its own,
    reads the text again up to where the library stopped; a rule of ours broken there wins.
    """
    mark = getattr(error, "problem_mark", None)
    end = mark.index + 1 if mark is not None and isinstance(mark.index, int) else len(text)
    try:
        _check_events(yaml.parse(text[:end], Loader=yaml.SafeLoader), first_line, max_depth)
    except SyntaxProblem as problem:
        return problem
    except yaml.YAMLError:
        pass  # the text cut where the library stopped: the library's own message says more
    if isinstance(error, yaml.MarkedYAMLError):
        return _yaml_problem(error, first_line, text)
    return _reader_problem(error, first_line, text)


def _reader_problem(error: yaml.YAMLError, first_line: int, text: str) -> SyntaxProblem:
    """A problem with the characters themselves (a control character pasted from a PDF, say)."""
    position = getattr(error, "position", None)
    line = first_line + (text.count("\n", 0, position) if isinstance(position, int) else 0)
    character = getattr(error, "character", None)
    code = ord(character) if isinstance(character, str) and len(character) == 1 else character
    what = f"the control character U+{code:04X}" if isinstance(code, int) else "a character"
    return SyntaxProblem(line, f"invalid YAML: {what} is not allowed in YAML; remove it")


def _yaml_problem(error: yaml.MarkedYAMLError, first_line: int, text: str) -> SyntaxProblem:
    mark = error.problem_mark or error.context_mark
    line = first_line + (mark.line if mark is not None else 0)
    problem = error.problem or "invalid YAML"
    lines = text.split("\n")
    at = ""
    if mark is not None and mark.line < len(lines):
        at = lines[mark.line][mark.column : mark.column + 1]
    hint = ""
    if "mapping values are not allowed" in problem:
        hint = "; put a value that contains ': ' in quotes"
    elif at == "\t" or "'\\t'" in problem:
        problem = "found a tab character, which YAML does not allow for indentation"
        hint = "; indent with spaces"
    elif "could not find expected ':'" in problem or "expected <block end>" in problem:
        hint = "; check the indentation and the quotes on this line and the one before"
    return SyntaxProblem(line, f"invalid YAML: {problem}{hint}")
