"""What we have checked, read quickly: slug, claim, speaker, date and verdict of every claim file.

``digest new`` and ``digest similar`` compare a new claim with every checked one while the editor
waits, so they neither load and validate the whole content folder (seconds at ten thousand claims)
nor import Markdown or templates. They keep the values they need in an index in the user's cache
folder (``similar/<key>.sqlite``, one per content folder): a row per claim or person file, by its
path inside the content folder, used only while the file's size, time stamp and inode are the
row's. A file changed since is read again, so the index is never stale. ``digest check`` and
``digest build``, which read every file anyway, bring the rows up to date from their records
(``keep_index``), so that a lookup after them reads no file at all. Otherwise a row comes from the
file's front matter lines (``claim:``, ``person:``...), or from the full loader for a file whose
lines are not simple one-line values. An index that cannot be read is rebuilt, and says why.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .config import load_config
from .files import KINDS, ContentFile, find_files
from .model import Claim, Person
from .settings import Limits
from .similar import Known, normalise
from .stamps import Stamp, stamp
from .usercache import cache_folder

if TYPE_CHECKING:
    from .load import KnownFiles

_HEAD = 8192
"""Characters read first: the front matter of almost every file (the rest is read if it is not)."""
_CLOSING = re.compile(r"\n---\r?\n")
_COMMENT = re.compile(r"\s+#.*$")
_LINE = re.compile(r"^(claim|claimant|person|claim_date|verdict|draft|name):[ \t]*(.*?)[ \t]*$")
INDEX_VERSION = 2
"""Changes when the index's rows change form (or ``normalise`` changes): an older index is rebuilt."""
_VALUES = ("claim", "normalised", "claimant", "person", "claim_date", "verdict", "draft", "name")
"""The values a row may hold (``normalised``: the claim as ``similar.normalise`` gives it)."""
_TABLES = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS entries (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, inode INTEGER, "
    "line INTEGER, claim TEXT, normalised TEXT, claimant TEXT, person TEXT, claim_date TEXT, verdict TEXT, "
    "draft TEXT, name TEXT);"
)


@dataclass(frozen=True, slots=True)
class Entry:
    """The values a file gives the similarity (none for a file that does not load), and the line of its ``claim``."""

    values: dict[str, str]
    line: int = 1


Row = tuple[Stamp, Entry]
"""A file's stamp when it was read, and what it gave."""


class _Unusual(Exception):
    """A value that is not a simple one-line scalar: read the file with the full loader."""


class _Damaged(Exception):
    """A row that is not as the index writes them."""


def _scalar(text: str) -> str:
    if text.startswith('"'):
        if len(text) < 2 or not text.endswith('"'):
            raise _Unusual
        inner = text[1:-1]
        if "\\" in inner or '"' in inner:
            value = yaml.safe_load(text)
            if not isinstance(value, str):
                raise _Unusual
            return value
        return inner
    if text.startswith("'"):
        if len(text) < 2 or not text.endswith("'"):
            raise _Unusual
        return text[1:-1].replace("''", "'")
    plain = _COMMENT.sub("", text) if "#" in text else text
    if not plain or plain[0] in "|>[{&*!%@`":
        raise _Unusual
    return plain


def read_entry(file: ContentFile, limits: Limits) -> Entry:
    """A claim's or person's values, read from its front matter lines; no values for a file that does not load."""
    entry = _read_entry(file, limits)
    if "claim" in entry.values and "normalised" not in entry.values:
        entry.values["normalised"] = normalise(entry.values["claim"])
    return entry


def _read_entry(file: ContentFile, limits: Limits) -> Entry:
    try:
        with open(file.path, encoding="utf-8-sig") as stream:
            text = stream.read(min(_HEAD, limits.max_file_bytes))
            closing = _CLOSING.search(text)
            if closing is None:
                text += stream.read(limits.max_file_bytes - len(text))
                closing = _CLOSING.search(text)
        lines = (text[: closing.end()] if closing else text).split("\n")  # the front matter's lines
        if lines[0].rstrip("\r") != "---":
            raise _Unusual
        values: dict[str, str] = {}
        line_of_claim = 1
        for number, raw in enumerate(lines[1:], start=2):
            line = raw.rstrip("\r")
            if line == "---":
                break
            found = _LINE.match(line)
            if found is None:
                continue
            if (
                number < len(lines)
                and lines[number].startswith((" ", "\t"))
                and not lines[number].lstrip().startswith("-")
            ):
                raise _Unusual  # a value that goes on over the next line
            values[found.group(1)] = _scalar(found.group(2))
            if found.group(1) == "claim":
                line_of_claim = number
        else:
            raise _Unusual
        return Entry(values, line_of_claim)
    except (_Unusual, UnicodeDecodeError, yaml.YAMLError, OSError):
        from .load import read_file  # the full loader, with Markdown: only for unusual files

        return _from_record(read_file(file, limits)) or Entry({})


def _from_record(record: object) -> Entry | None:
    """A loaded claim's or person's values; None for anything else (a page, a file that failed)."""
    if isinstance(record, Claim):
        values = {
            "claim": record.claim,
            "normalised": normalise(record.claim),
            "person": record.person,
            "claim_date": record.claim_date.isoformat(),
            "verdict": record.verdict,
            "draft": "true" if record.draft else "false",
        }
        if record.claimant:
            values["claimant"] = record.claimant
        return Entry(values, record.lines.get("claim", 1))
    if isinstance(record, Person):
        return Entry({"name": record.name})
    return None


class SimilarIndex:
    """The index of one content folder: a row per claim or person file, by its path inside the folder."""

    def __init__(self, content: Path, limits: Limits) -> None:
        key = hashlib.blake2b(os.path.realpath(content).encode(), digest_size=10).hexdigest()
        self.path = cache_folder() / "similar" / f"{key}.sqlite"
        self.settings = repr((INDEX_VERSION, limits))
        self.problem: str | None = None
        """Why the index could not be used or kept, if it could not: one line for the command to print."""

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            db.executescript(f"PRAGMA journal_mode=WAL; {_TABLES}")
        except sqlite3.Error:
            db.close()
            raise
        return db

    def read(self) -> dict[str, Row]:
        """Every row; none without an index, or with one kept for another version or other limits.
        An index that cannot be read is removed, and ``problem`` says why."""
        try:
            return {row[0]: _row(row) for row in self._select("*")}
        except _Damaged as error:
            self._damaged(error)
            return {}

    def stamps(self) -> dict[str, Stamp]:
        """The stamp of every row, as ``read`` finds them (what a build or a check compares)."""
        found = {}
        for path, *stamp_of in self._select("path, size, mtime, inode"):
            if not all(type(number) is int for number in stamp_of):
                self._damaged(_Damaged(f"the row of {path} is not as it was written"))
                return {}
            found[path] = (stamp_of[0], stamp_of[1], stamp_of[2])
        return found

    def _select(self, columns: str) -> list[tuple[Any, ...]]:
        if not self.path.exists():
            return []
        try:
            with contextlib.closing(self._connect()) as db:
                settings = db.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
                rows = db.execute(f"SELECT {columns} FROM entries").fetchall() if settings == (self.settings,) else None
        except sqlite3.Error as error:
            self._damaged(error)
            return []
        if rows is None:
            self._remove()  # kept by another version of digest, or for other limits: start again
            return []
        return rows

    def _damaged(self, error: Exception) -> None:
        """Remove an index that cannot be read, and say why: it is made again."""
        self.problem = f"the similar-claims index could not be read ({error}); made it again from the claim files"
        self._remove()

    def write(self, changed: Mapping[str, Row], gone: Iterable[str]) -> None:
        """Keep the rows that changed and forget the files that are gone; an index that cannot be
        written is left as it was (``problem`` says why), never an error."""
        gone = list(gone)
        if not changed and not gone:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.closing(self._connect()) as db:
                db.execute("BEGIN")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('settings', ?)", (self.settings,))
                db.executemany("DELETE FROM entries WHERE path = ?", ((path,) for path in gone))
                db.executemany(
                    f"INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?{', ?' * len(_VALUES)})",
                    (
                        (path, *found, entry.line, *(entry.values.get(name) for name in _VALUES))
                        for path, (found, entry) in changed.items()
                    ),
                )
                db.execute("COMMIT")
        except (OSError, sqlite3.Error) as error:
            self.problem = self.problem or f"the similar-claims index could not be saved ({error})"

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.remove(f"{self.path}{suffix}")


def _row(row: tuple[Any, ...]) -> Row:
    path, size, mtime, inode, line, *values = row
    if type(size) is not int or type(mtime) is not int or type(inode) is not int or type(line) is not int:
        raise _Damaged(f"the row of {path} is not as it was written")
    found = {}
    for name, value in zip(_VALUES, values, strict=True):
        if value is not None:
            if type(value) is not str:
                raise _Damaged(f"the row of {path} is not as it was written")
            found[name] = value
    return (size, mtime, inode), Entry(found, line)


def _inside(content: Path) -> int:
    """How many characters of a content file's path (``ContentFile.path``) come before its path
    inside the content folder: paths are made as ``str(content / folder)``, normalised like this."""
    return len(str(content / "x")) - 1


@dataclass(frozen=True, slots=True)
class Archive:
    """The checked claims, as the similarity needs them."""

    known: list[Known]
    problem: str | None = None
    """Why the index could not be used or kept, if it could not."""


def known_claims(content: Path, content_shown: str) -> Archive:
    """Every claim of the content folder that is not a draft, as the similarity needs it.

    Files that do not load are left out: ``digest check`` reports them.
    """
    config = load_config(content, content_shown)
    labels = {verdict.key: verdict.label for verdict in config.verdicts}
    files, _ = find_files(content, content_shown, config.limits)
    index = SimilarIndex(content, config.limits)
    stored = index.read()
    skip = _inside(content)
    entries: dict[str, Entry] = {}
    changed: dict[str, Row] = {}
    for file in files:
        found = file.stamp or stamp(file.path)
        if file.kind not in ("claim", "person") or found is None:
            continue
        inside = file.path[skip:]
        row = stored.get(inside)
        if row is None or row[0] != found:
            row = changed[inside] = (found, read_entry(file, config.limits))
        entries[file.path] = row[1]
    index.write(changed, stored.keys() - {file.path[skip:] for file in files})
    names = {}
    for file in files:
        entry = entries.get(file.path)
        if file.kind == "person" and entry is not None and "name" in entry.values:
            names[os.path.basename(file.path).removesuffix(".md")] = entry.values["name"]
    known = []
    for file in files:
        entry = entries.get(file.path)
        if file.kind != "claim" or entry is None:
            continue
        values = entry.values
        try:
            if values.get("draft", "false").lower() == "true" or values["verdict"] not in labels:
                continue
            known.append(
                Known(
                    slug=os.path.basename(file.path).removesuffix(".md"),
                    claim=values["claim"],
                    speaker=values.get("claimant") or names[values["person"]],
                    claim_date=date.fromisoformat(values["claim_date"][:10]),
                    verdict=labels[values["verdict"]],
                    path=file.shown,
                    line=entry.line,
                    text=values.get("normalised") or normalise(values["claim"]),
                )
            )
        except (KeyError, ValueError):
            continue  # a field missing or wrong: check reports it
    return Archive(known, index.problem)


def keep_index(content: Path, files: KnownFiles) -> str | None:
    """Bring the index of ``content`` up to date from the records a check or a build has just read
    (``files``: every file of the folder, as ``load_content`` left them); why it could not, if it could not.

    A file that failed to load keeps its old row, which its new stamp no longer matches: a lookup
    reads it itself.
    """
    if files.limits is None:
        return None
    index = SimilarIndex(content, files.limits)
    stored = index.stamps()
    skip = _inside(content)
    changed: dict[str, Row] = {}
    current = set()
    for path, (found, result) in files.results.items():
        inside = path[skip:]
        if found is None or KINDS.get(inside.partition("/")[0]) not in ("claim", "person"):
            continue
        current.add(inside)
        if stored.get(inside) == found:
            continue
        entry = _from_record(result)
        if entry is not None:
            changed[inside] = (found, entry)
    index.write(changed, stored.keys() - current)
    return index.problem
