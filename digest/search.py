"""Full-text search: a Pagefind index of the claim pages, split into shards that a build keeps
while their claims are unchanged.

Only claim pages are indexed (the theme marks the indexed part of each with ``data-pagefind-body``,
and the filters and metadata with ``data-pagefind-filter`` / ``data-pagefind-meta``). Each claim
goes to one shard by a hash of its slug; each shard is a Pagefind bundle in ``pagefind/<n>/``, and
the search page merges them when it searches (``mergeIndex``), listed in ``pagefind/bundles.json``.
A shard is indexed again only when the fingerprint of one of its pages changed; the others are
kept from the previous output, so an edit re-indexes one shard (at most ``SHARD_MAX`` claims),
never the site. The pages are fed to Pagefind's indexing service (``pagefind --service``, the
program the ``pagefind_bin`` package carries) from the temporary folder, one shard at a time, so
its memory is that of one shard; a failed index leaves ``--out`` as it was.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib.util
import json
import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import OutputError, UsageError
from .progress import Progress

SHARD_MAX = 256
"""Claims per shard at most: the shard count is the power of two that keeps shards at 128 to 256
claims (one shard below 257), so it changes only when the site doubles or halves."""
FORMAT = "1"
"""Part of every shard's fingerprint: change it when the way shards are made changes."""
_SERVICES = min(os.cpu_count() or 1, 4)
"""Pagefind services run side by side on a cold build (Pagefind's service indexes on one core)."""
FOLDER = "pagefind"
BUNDLES = f"{FOLDER}/bundles.json"
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
"""Copied to ``pagefind/``, where the theme links them."""

Keep = Callable[[str, str], bool]
"""Keeps one file of the previous output under its fingerprint; False if it cannot be kept."""


def _executable() -> Path | None:
    """The Pagefind program (the pagefind[bin] package carries it; PAGEFIND_BINARY_PATH overrides)."""
    if importlib.util.find_spec("pagefind") is None:
        return None
    from pagefind.service import get_executable

    return get_executable()


def available() -> bool:
    """True if the Pagefind program is installed."""
    return _executable() is not None


def shard_count(claims: int) -> int:
    """How many shards ``claims`` claim pages go into."""
    count = 1
    while claims > count * SHARD_MAX:
        count *= 2
    return count


def shard_of(slug: str, count: int) -> int:
    """The shard of a claim: a hash of its slug, stable across runs and machines."""
    return int.from_bytes(hashlib.blake2b(slug.encode(), digest_size=4).digest(), "big") % count


@dataclass(frozen=True, slots=True)
class Shard:
    """One bundle of the index as a build left it."""

    fingerprint: str
    """Of its files: made from its pages' fingerprints when it was indexed."""
    files: tuple[str, ...]
    """Every file of the bundle, by site path."""
    primary: bool = False
    """The first bundle, which carries Pagefind's program."""
    pages: tuple[tuple[str, str], ...] = ()
    """(slug, fingerprint) of the claim pages whose text it holds, sorted: a page whose fingerprint
    changed since, but whose indexed text did not (a related claim's title in a list Pagefind
    ignores), leaves the shard as it is."""


OldPage = Callable[[str], Path | None]
"""Where the previous output holds a claim's page (by slug), if it is there untouched."""


@dataclass(slots=True)
class SearchIndex:
    """The index a build made: its shards by name, and the fingerprint of every file in it."""

    shards: dict[str, Shard] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    indexed: int = 0
    """Claim pages given to Pagefind by this build (the others' shards were kept)."""


def update_index(
    folder: Path,
    pages: Mapping[str, str],
    before: Mapping[str, Shard],
    keep: Keep,
    old_page: OldPage,
    progress: Progress | None = None,
) -> SearchIndex:
    """Write the index of the claim pages ``pages`` ({slug: page fingerprint}; the pages are in
    ``folder``) into ``folder/pagefind/``: shards of ``before`` whose pages are unchanged, or changed
    outside what Pagefind indexes, are kept (through ``keep``), the others indexed again. Raises if
    Pagefind is missing or fails."""
    count = shard_count(len(pages))
    members: dict[str, list[str]] = {}
    for slug in sorted(pages):
        members.setdefault(str(shard_of(slug, count)), []).append(slug)
    names = sorted(members, key=int)
    result = SearchIndex()
    todo: list[tuple[str, str, bool]] = []
    version = _version()
    for name in names:
        primary = name == names[0]
        current = tuple((slug, pages[slug]) for slug in members[name])
        old = before.get(name)
        if (
            old is not None
            and old.primary == primary
            and _same_text(old, current, folder, old_page)
            and all(keep(path, old.fingerprint) for path in old.files)
        ):
            result.shards[name] = Shard(old.fingerprint, old.files, primary, current)
            result.fingerprints.update(dict.fromkeys(old.files, old.fingerprint))
        else:
            fingerprint = _digest(FORMAT, version, str(primary), *(f"{s}={f}" for s, f in current))
            todo.append((name, fingerprint, primary))
    root = folder / FOLDER
    if todo:
        if _executable() is None:
            raise UsageError("search needs Pagefind: pip install 'pagefind[bin]' (or build with --no-search)")
        total = sum(len(members[name]) for name, _, _ in todo)
        if progress is not None:
            progress("indexing search", 0, total)
        lock = threading.Lock()
        waiting = list(todo)

        def work() -> None:
            """One Pagefind service indexing shards off the shared list until it is empty."""
            with _Service() as service:
                while True:
                    with lock:
                        if not waiting:
                            return
                        name, fingerprint, primary = waiting.pop(0)
                    try:
                        files = service.index_shard(folder, name, members[name], primary)
                    except BaseException:
                        with lock:
                            waiting.clear()  # the others stop after their current shard
                        raise
                    shard = Shard(fingerprint, files, primary, tuple((s, pages[s]) for s in members[name]))
                    with lock:
                        result.shards[name] = shard
                        result.fingerprints.update(dict.fromkeys(files, fingerprint))
                        result.indexed += len(members[name])
                        if progress is not None:
                            progress("indexing search", result.indexed, total)

        services = min(len(todo), _SERVICES)  # each indexes one shard at a time: one core, little memory
        with ThreadPoolExecutor(services) as pool:
            for running in [pool.submit(work) for _ in range(services)]:
                running.result()
    listing = json.dumps({"bundles": [f"{name}/" for name in names]}, separators=(",", ":")).encode()
    fingerprint = result.fingerprints[BUNDLES] = _digest(listing.decode())
    if not keep(BUNDLES, fingerprint):
        (root / "bundles.json").unlink(missing_ok=True)  # never write into a file the previous site shares
        root.mkdir(exist_ok=True)
        (root / "bundles.json").write_bytes(listing + b"\n")
    return result


def _same_text(old: Shard, current: tuple[tuple[str, str], ...], folder: Path, old_page: OldPage) -> bool:
    """Whether a shard's pages are those it was made of, each unchanged or changed only in parts
    Pagefind leaves out (``data-pagefind-ignore``)."""
    if [slug for slug, _ in old.pages] != [slug for slug, _ in current] or old.fingerprint == "":
        return False
    for (slug, before), (_, now) in zip(old.pages, current, strict=True):
        if before == now:
            continue
        previous = old_page(slug)
        if previous is None:
            return False
        try:
            then, new = previous.read_bytes(), (folder / f"claims/{slug}/index.html").read_bytes()
        except OSError:
            return False
        text = _indexed(new)
        if text is None or text != _indexed(then):
            return False
    return True


_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"))
_VOID |= {"track", "wbr"}


class _IndexedText(HTMLParser):
    """A page's markup with the elements marked ``data-pagefind-ignore`` left out, as a digest;
    ``unsure`` if an ignored element holds filters or metadata, which Pagefind still reads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.digest = hashlib.blake2b(digest_size=16)
        self.ignoring = 0
        """Open elements since the outermost ignored one began (0: not ignoring)."""
        self.unsure = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if self.ignoring:
            if any(name.startswith("data-pagefind-") for name in names):
                self.unsure = True
            if tag not in _VOID:
                self.ignoring += 1
            return
        if "data-pagefind-ignore" in names:
            if any(n.startswith("data-pagefind-") and n != "data-pagefind-ignore" for n in names):
                self.unsure = True
            self.ignoring = 0 if tag in _VOID else 1
            return
        self.digest.update(repr(("<", tag, attrs)).encode())

    def handle_endtag(self, tag: str) -> None:
        if self.ignoring:
            if tag not in _VOID:
                self.ignoring -= 1
            return
        self.digest.update(repr(("/", tag)).encode())

    def handle_data(self, data: str) -> None:
        if not self.ignoring:
            self.digest.update(repr(("d", data)).encode())


def _indexed(html: bytes) -> bytes | None:
    """The digest of what Pagefind can read of a page; None when unsure."""
    parser = _IndexedText()
    parser.feed(html.decode("utf-8", "replace"))
    parser.close()
    return None if parser.unsure else parser.digest.digest()


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=12).hexdigest()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind")
    except PackageNotFoundError:
        return "none"


class _Service:
    """Pagefind's indexing service (``pagefind --service``): base64 JSON messages, each ended by a
    comma, over its standard input and output, as Pagefind's own Python and Node packages speak it.

    Requests are sent as fast as they are made and the answers read by a thread meanwhile (the
    ``pagefind`` Python package waits 0.1 s before reading each answer: 17 minutes for 10,000 pages).
    """

    def __init__(self) -> None:
        environment = {**os.environ, "MALLOC_ARENA_MAX": "2"}  # fewer malloc arenas: a small address space
        try:
            self._process = subprocess.Popen(
                [str(_executable()), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=environment,
            )
        except OSError as error:
            raise OutputError(f"the search index failed: cannot start Pagefind: {error.strerror or error}") from None
        self._answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._sent = 0

    def _read(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        buffer = bytearray()
        while chunk := os.read(stream.fileno(), 1 << 16):
            buffer += chunk
            while (end := buffer.find(b",")) >= 0:
                self._answers.put(json.loads(base64.b64decode(bytes(buffer[:end]))))
                del buffer[: end + 1]
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
            payload: dict[str, Any] = answer["payload"]
            if payload.get("type") == "Error":
                raise OutputError(f"the search index failed: {payload.get('message')}")
            answers.append(payload)
        return answers

    def index_shard(self, folder: Path, name: str, slugs: list[str], primary: bool) -> tuple[str, ...]:
        """Index the claim pages of ``slugs`` into folder/pagefind/<name>/; the files written."""
        self._send({"type": "NewIndex", "config": {"keep_index_url": True}})
        index = self._collect(1)[0]["index_id"]
        for slug in slugs:
            path = f"claims/{slug}/index.html"
            try:
                html = (folder / path).read_text(encoding="utf-8")
            except OSError as error:
                raise OutputError(f"the search index failed: {path}: {error.strerror or error}") from None
            self._send({"type": "AddFile", "index_id": index, "url": f"/{path}", "file_contents": html})
        self._collect(len(slugs))
        # The files come back in the answer and are written here: Pagefind's WriteFiles answers
        # before its writes are done (an empty pagefind-entry.json was seen when the service ended).
        self._send({"type": "GetFiles", "index_id": index})
        self._send({"type": "DeleteIndex", "index_id": index})
        bundle = self._collect(2)[0]["files"]
        return _write_bundle(folder, name, bundle, primary)

    def __enter__(self) -> _Service:
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


def _write_bundle(folder: Path, name: str, bundle: list[dict[str, str]], primary: bool) -> tuple[str, ...]:
    """Write one shard's bundle into folder/pagefind/<name>/, leaving out what the search page never
    loads (the program but in the first bundle); the first's UI goes to ``pagefind/`` too. The
    bundle's files, by site path."""
    target = folder / FOLDER / name
    shutil.rmtree(target, ignore_errors=True)  # its files may be hard links into --out: never write into them
    files = []
    try:
        for entry in bundle:
            path = PurePosixPath(entry["path"])
            if path.is_absolute() or ".." in path.parts or path.name in _UNUSED:
                continue
            runtime = len(path.parts) == 1 and (path.name in _RUNTIME or path.name.startswith("wasm."))
            if runtime and not primary:
                continue
            data = base64.b64decode(entry["content"])
            written = target / path
            written.parent.mkdir(parents=True, exist_ok=True)
            written.write_bytes(data)
            files.append(f"{FOLDER}/{name}/{path}")
            if primary and path.name in _UI and len(path.parts) == 1:
                (folder / FOLDER / path.name).unlink(missing_ok=True)
                (folder / FOLDER / path.name).write_bytes(data)
                files.append(f"{FOLDER}/{path.name}")
    except OSError as error:
        raise OutputError(f"the search index failed: cannot write {target}: {error.strerror or error}") from None
    return tuple(sorted(files))
