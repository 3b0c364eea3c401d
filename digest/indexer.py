"""Pagefind's indexing service (``pagefind --service``, the program the ``pagefind[bin]`` package
carries), spoken to directly: ``Service`` indexes a list of pages into the files of one bundle of the
search index, ``write_bundle`` writes them. ``search`` decides what goes into which bundle.
"""

from __future__ import annotations

import base64
import contextlib
import importlib.util
import json
import os
import queue
import re
import shutil
import subprocess
import threading
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import OutputError

SERVICES = min((os.cpu_count() or 1) + 1, 4)
"""Pagefind services to run side by side on a cold build: Pagefind's service indexes on one core, and
waits while its next shard is read and sent, so one more than the cores (four at most) keeps them busy (on 2 cores,
the index of 10,000 checks in 12.65 s instead of 13.17, medians of five)."""
_RUNTIME = ("pagefind.js", "pagefind-worker.js", "pagefind-ui.js", "pagefind-ui.css")
"""What the search page loads from the first bundle besides its index (and the ``wasm.*`` files)."""
_UNUSED = (
    "pagefind-component-ui.css",
    "pagefind-component-ui.js",
    "pagefind-highlight.js",
    "pagefind-modular-ui.css",
    "pagefind-modular-ui.js",
)
_UI = ("pagefind-ui.js", "pagefind-ui.css")
"""Copied to the folder above the first bundle (``pagefind/``), where the theme links them (once: not
above another language's first bundle, ``pagefind/<code>/<n>``)."""
UNREADABLE = "the search index failed: Pagefind gave an answer that cannot be read"
_MARK = "data-pagefind-"
_BODY = "data-pagefind-body"
_IGNORE = "data-pagefind-ignore"
_CLOSED = frozenset(("article", "aside", "blockquote", "div", "figure", "footer", "header", "main", "nav", "section"))
_CLOSED |= {"ol", "span", "ul", "h1", "h2", "h3", "h4", "h5", "h6"}
"""Elements whose end tag HTML never leaves out (a ``p`` or an ``li`` may end without one), and which hold no
raw text: their end is the matching end tag."""
_UNFOLLOWED = re.compile(
    rb"<(?:!|script|style|textarea|title|noscript|template|iframe|xmp|svg|math|noframes|noembed"
    rb"|/?[a-z0-9]*+[A-Z]|/[a-z0-9]++\s)"  # possessive: a name's letters never give way (no backtracking)
)
"""Markup the cut does not follow: a comment or raw text (where a tag may be text), foreign content (an
element may close itself), a capital in a tag's name or a space in an end tag (an end tag the cut would
not find)."""
_IN_VALUE = re.compile(rb"""=\s*(?:"[^"]*<|'[^']*<)""")
"""A ``<`` in an attribute's value: a tag that is not one."""
_START_TAG = re.compile(r"""[a-z0-9]+(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s+""")
"""A start tag's name and attributes, up to the name of the next one."""
_MARK_BYTES = _MARK.encode()
_READ_ANYWHERE = (_MARK_BYTES, b"<h1", b"<img")
"""What Pagefind reads wherever it is (its marks; the first ``h1``, the title; the first image after
it, the image): the cut must leave them all, and at least one ``h1`` (without, the title is
``<title>``'s)."""


def executable() -> Path | None:
    """The Pagefind program (the pagefind[bin] package carries it; PAGEFIND_BINARY_PATH overrides)."""
    if importlib.util.find_spec("pagefind") is None:
        return None
    from pagefind.service import get_executable

    return get_executable()


def pagefind_version() -> str:
    """The version of the installed Pagefind package: part of every bundle's fingerprint."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind")
    except PackageNotFoundError:
        return "none"


class Service:
    """Pagefind's indexing service (``pagefind --service``): base64 JSON messages, each ended by a
    comma, over its standard input and output, as Pagefind's own Python and Node packages speak it.

    Requests are sent as fast as they are made and the answers read by a thread meanwhile (the
    ``pagefind`` Python package waits 0.1 s before reading each answer: 17 minutes for 10,000 pages).
    """

    def __init__(self) -> None:
        environment = {**os.environ, "MALLOC_ARENA_MAX": "2"}  # fewer malloc arenas: a small address space
        try:
            self._process = subprocess.Popen(
                [str(executable()), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=environment,
            )
        except OSError as error:
            raise OutputError(f"the search index failed: cannot start Pagefind: {error.strerror or error}") from None
        self._answers: queue.Queue[bytes | None] = queue.Queue()
        """Each answer as it came (decoded by ``_collect``, which can fail the build), None at the end."""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._sent = 0

    def _read(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        buffer = bytearray()
        while chunk := os.read(stream.fileno(), 1 << 16):
            start = len(buffer)  # an answer ends at the first comma: none before this
            buffer += chunk
            while (end := buffer.find(b",", start)) >= 0:
                self._answers.put(bytes(buffer[:end]))
                del buffer[: end + 1]
                start = 0
        self._answers.put(None)

    def _send(self, payload: dict[str, Any]) -> None:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}).encode()
        stream = self._process.stdin
        assert stream is not None
        try:
            stream.write(base64.b64encode(message) + b",")
        except OSError:
            raise OutputError("the search index failed: Pagefind stopped") from None

    def _collect(self, count: int) -> list[dict[str, Any]]:
        """The next ``count`` answers; raises OutputError on the first error."""
        stream = self._process.stdin
        assert stream is not None
        try:
            stream.flush()
        except OSError:
            raise OutputError("the search index failed: Pagefind stopped") from None
        answers = []
        for _ in range(count):
            answer = self._answers.get()
            if answer is None:
                code = self._process.wait()
                raise OutputError(f"the search index failed: Pagefind stopped (exit status {code})")
            payload = _payload(answer)
            if payload.get("type") == "Error":
                raise OutputError(f"the search index failed: {payload.get('message')}")
            answers.append(payload)
        return answers

    def index(self, folder: Path, pages: list[str]) -> list[dict[str, str]]:
        """Index the pages ``pages`` (site paths in ``folder``) as one bundle: its files, as Pagefind
        gives them (``write_bundle`` writes them), so that the service can go on to the next bundle
        while they are written."""
        self._send({"type": "NewIndex", "config": {"keep_index_url": True}})
        index = _field(self._collect(1)[0], "index_id")
        for path in pages:
            try:
                html = indexed_part((folder / path).read_text(encoding="utf-8"))
            except OSError as error:
                raise OutputError(f"the search index failed: {path}: {error.strerror or error}") from None
            except UnicodeDecodeError:  # a page the build did not write (ours are UTF-8)
                raise OutputError(f"the search index failed: {path}: not UTF-8") from None
            self._send({"type": "AddFile", "index_id": index, "url": f"/{path}", "file_contents": html})
        self._collect(len(pages))
        # The files come back in the answer and are written by the caller: Pagefind's WriteFiles answers
        # before its writes are done (an empty pagefind-entry.json was seen when the service ended).
        self._send({"type": "GetFiles", "index_id": index})
        self._send({"type": "DeleteIndex", "index_id": index})
        files: list[dict[str, str]] = _field(self._collect(2)[0], "files")
        return files

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exception: object) -> None:
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join()
        if self._process.stdout is not None:
            self._process.stdout.close()


def indexed_part(page: str) -> str:
    """What Pagefind is given of a page: its ``<html>`` tag (the language) and the element marked
    ``data-pagefind-body`` with the elements in it marked ``data-pagefind-ignore`` left out. When
    everything of the page that Pagefind reads is in that element (its marks, its ``h1`` and images),
    this is what Pagefind indexes of the page, for less than half the markup to parse (a check's page:
    17 KB, this 7 KB; Pagefind's processor time 17 % less). The whole page when the cut is unsure: not
    one such element, a mark or an ``h1`` or an image outside it, markup the cut does not follow
    (``_UNFOLLOWED``). An ignored element that holds a mark, an ``h1`` or an image stays."""
    body = page.find(_BODY)
    if body < 0 or page.find(_BODY, body + 1) >= 0:
        return page
    start, end = _element(page, body)
    html = page.find("<html")
    if start < 0 or end < 0 or html < 0 or (opened := page.find(">", html)) < 0:
        return page
    part = page[start:end]
    # bytes: quick; the two sides joined by a ">", which no needle holds, so none is made by the join
    markup, outside = part.encode(), (page[:start] + ">" + page[end:]).encode().lower()
    if any(read in outside for read in _READ_ANYWHERE) or b"<h1" not in markup:
        return page  # a mark, h1 or image outside the element (in any case); no h1: <title> is the title
    # in capitals inside it: a mark (Pagefind reads DATA-PAGEFIND- too), or a tag (_UNFOLLOWED: <H1, <IMG)
    if markup.lower().count(_MARK_BYTES) != markup.count(_MARK_BYTES):
        return page
    if _UNFOLLOWED.search(markup) or _IN_VALUE.search(markup):
        return page
    kept = [page[: opened + 1], "<body>"]
    copied = at = 0
    while (mark := part.find(_IGNORE, at)) >= 0:
        begin, after = _element(part, mark)
        if (
            begin < copied
            or part.count(_MARK, begin, after) != part.count(_IGNORE, begin, after)
            or part.find("<h1", begin, after) >= 0
            or part.find("<img", begin, after) >= 0
        ):
            at = mark + len(_IGNORE)  # not an element the cut can follow, or one Pagefind reads: it stays
            continue
        kept.append(part[copied:begin])
        copied = at = after
    kept += [part[copied:], "</body></html>"]
    return "".join(kept)


def _element(page: str, mark: int) -> tuple[int, int]:
    """Where the element whose start tag has ``page[mark]`` as an attribute's name begins and ends
    (after its end tag); (-1, -1) when the mark is not an attribute's name in a start tag (it may be
    text, or in an attribute's value), or the element is not one of ``_CLOSED``."""
    start = page.rfind("<", 0, mark)
    if start < 0 or not _START_TAG.fullmatch(page, start + 1, mark):
        return -1, -1
    name = (page[start + 1 : mark].split() or [""])[0]
    if name not in _CLOSED:
        return -1, -1
    opening, closing = f"<{name}", f"</{name}>"
    depth, at = 0, start
    while (end := page.find(closing, at)) >= 0:
        while (inner := page.find(opening, at, end)) >= 0:
            at = inner + len(opening)
            if page[at] in " \t\n\r/>":
                depth += 1
        depth -= 1
        at = end + len(closing)
        if depth == 0:
            return start, at
    return -1, -1


def _write_new(path: str, data: bytes) -> None:
    """Write a file that is not there (its bundle's folder was emptied), without Python's buffered
    file object (which asks whether each file is a terminal)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


def _payload(answer: bytes) -> dict[str, Any]:
    """What one answer of the service says; OutputError if it is not base64 JSON with a payload."""
    try:
        payload = json.loads(base64.b64decode(answer))["payload"]
    except (KeyError, TypeError, ValueError):  # binascii.Error and JSONDecodeError are ValueErrors
        payload = None
    if not isinstance(payload, dict):
        raise OutputError(UNREADABLE)
    return payload


def _field(payload: dict[str, Any], name: str) -> Any:
    """A field of an answer's payload; OutputError if it has none."""
    if name not in payload:
        raise OutputError(UNREADABLE)
    return payload[name]


def write_bundle(folder: Path, bundle: str, files: list[dict[str, str]], primary: bool) -> tuple[str, ...]:
    """Write one bundle's ``files`` (as the service gives them) into folder/``bundle``/, leaving out
    what the search page never loads, and the program but in a ``primary`` bundle (a language's
    first), whose UI also goes to the folder above it, where the theme links it, if that folder is the
    index's (``pagefind/0``, not another language's ``pagefind/uk/0``). The files written, by site path; OutputError
    if one cannot be written or read (a file without a path, or content that is not base64)."""
    target = folder / bundle
    above = PurePosixPath(bundle).parent
    ui = primary and len(above.parts) == 1
    shutil.rmtree(target, ignore_errors=True)  # its files may be hard links into --out: never write into them
    written = []
    folders: set[PurePosixPath] = set()  # made already: a bundle has thousands of files in a few folders
    try:
        for entry in files:
            path = PurePosixPath(entry["path"])
            if path.is_absolute() or ".." in path.parts or path.name in _UNUSED:
                continue
            runtime = len(path.parts) == 1 and (path.name in _RUNTIME or path.name.startswith("wasm."))
            if runtime and not primary:
                continue
            data = base64.b64decode(entry["content"])
            if path.parent not in folders:
                (target / path.parent).mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            _write_new(f"{target}/{path}", data)
            written.append(f"{bundle}/{path}")
            if ui and path.name in _UI and len(path.parts) == 1:
                (folder / above / path.name).unlink(missing_ok=True)
                (folder / above / path.name).write_bytes(data)
                written.append(f"{above}/{path.name}")
    except OSError as error:
        raise OutputError(f"the search index failed: cannot write {target}: {error.strerror or error}") from None
    except (KeyError, TypeError, ValueError):  # binascii.Error is a ValueError
        raise OutputError(UNREADABLE) from None
    return tuple(sorted(written))
