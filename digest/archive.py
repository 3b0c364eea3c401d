"""What we have checked, read quickly: slug, claim, speaker, date and verdict of every claim file.

``digest new`` and ``digest similar`` compare a new claim with every checked one while the editor
waits, so they do not load and validate the whole content folder (seconds at ten thousand claims).
They read only the front matter lines they need (``claim:``, ``person:``...), and keep what they read
in a small index in the user's cache folder, each file's entry reused while its size, time stamp
and inode are unchanged. A file whose lines are not simple one-line values is read by the full loader.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from .cache import cache_folder
from .config import load_config
from .load import ContentFile, find_files, read_file
from .model import Claim, Limits, Person
from .similar import Known, normalise
from .stamps import Stamp

_FIELDS = ("claim", "claimant", "person", "claim_date", "verdict", "draft", "name")
_LINE = re.compile(r"^(claim|claimant|person|claim_date|verdict|draft|name):[ \t]*(.*?)[ \t]*$")
INDEX_VERSION = 1
"""Changes when the index's entries change form (or ``normalise`` changes)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """The front matter values a file gives the similarity, and the line of its ``claim``."""

    values: dict[str, str]
    line: int


class _Unusual(Exception):
    """A value that is not a simple one-line scalar: read the file with the full loader."""


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
    plain = re.sub(r"\s+#.*$", "", text)
    if not plain or plain[0] in "|>[{&*!%@`":
        raise _Unusual
    return plain


def read_entry(file: ContentFile, limits: Limits) -> Entry | None:
    """A claim's or person's values, read from its front matter lines; None for a file that does not load."""
    entry = _read_entry(file, limits)
    if entry is not None and "claim" in entry.values:
        entry.values["normalised"] = normalise(entry.values["claim"])
    return entry


def _read_entry(file: ContentFile, limits: Limits) -> Entry | None:
    try:
        with open(file.path, encoding="utf-8-sig") as stream:
            text = stream.read(limits.max_file_bytes)
        lines = text.split("\n")
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
        return _loaded(file, limits)


def _loaded(file: ContentFile, limits: Limits) -> Entry | None:
    record = read_file(file, limits)
    if isinstance(record, Claim):
        values = {
            "claim": record.claim,
            "person": record.person,
            "claim_date": record.claim_date.isoformat(),
            "verdict": record.verdict,
            "draft": "true" if record.draft else "false",
        }
        if record.claimant:
            values["claimant"] = record.claimant
        return Entry(values, record.lines.get("claim", 1))
    if isinstance(record, Person):
        return Entry({"name": record.name}, 1)
    return None


def _index_path(content: Path) -> Path:
    key = hashlib.blake2b(os.path.realpath(content).encode(), digest_size=10).hexdigest()
    return cache_folder() / "similar" / f"{key}.pickle"


def known_claims(content: Path, display: str) -> list[Known]:
    """Every claim of the content folder that is not a draft, as the similarity needs it.

    Files that do not load are left out: ``digest check`` reports them.
    """
    config = load_config(content, display)
    labels = {verdict.key: verdict.label for verdict in config.verdicts}
    files, _ = find_files(content, display, config.limits)
    index_path = _index_path(content)
    index: dict[str, tuple[Stamp | None, Entry | None]] = {}
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        stored = pickle.loads(index_path.read_bytes())
        if stored[0] == (INDEX_VERSION, config.limits):
            index = stored[1]
    fresh: dict[str, tuple[Stamp | None, Entry | None]] = {}
    for file in files:
        if file.kind not in ("claim", "person"):
            continue
        cached = index.get(file.path)
        if cached is not None and cached[0] == file.stamp:
            fresh[file.path] = cached
        else:
            fresh[file.path] = (file.stamp, read_entry(file, config.limits))
    if fresh != index:
        with contextlib.suppress(OSError):
            index_path.parent.mkdir(parents=True, exist_ok=True)
            temporary = index_path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(pickle.dumps(((INDEX_VERSION, config.limits), fresh), protocol=5))
            os.replace(temporary, index_path)
    names = {}
    for file in files:
        entry = fresh.get(file.path, (None, None))[1]
        if file.kind == "person" and entry is not None and "name" in entry.values:
            names[os.path.basename(file.path).removesuffix(".md")] = entry.values["name"]
    known = []
    for file in files:
        entry = fresh.get(file.path, (None, None))[1]
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
    return known
