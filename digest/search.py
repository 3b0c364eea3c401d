"""Full-text search: a Pagefind index of the claim pages, split into shards that a build keeps
while their claims are unchanged.

Only claim pages are indexed (the theme marks the indexed part of each with ``data-pagefind-body``,
and the filters and metadata with ``data-pagefind-filter`` / ``data-pagefind-meta``). Each claim
goes to one shard of its language by a hash of its search key; each shard is a Pagefind bundle, in
``pagefind/<n>/`` for the first language and ``pagefind/<code>/<n>/`` for another, and the search page
merges its language's (``mergeIndex``), listed by language in ``pagefind/bundles.json``. A shard never
mixes languages: Pagefind, asked for a language a bundle does not have, searches the bundle's largest
one, and a Ukrainian search would find English pages.
A shard is indexed again only when the fingerprint of one of its pages changed; the others are
kept from the previous output, so an edit re-indexes one shard (at most ``SHARD_MAX`` claims),
never the site. The pages are fed to Pagefind's indexing services (``indexer``: the indexed part of
each page only) from the temporary folder, one shard at a time per service, and one thread writes the
bundles they make: the memory held is that of a few shards (one being indexed by each service,
SERVICES at most waiting to be written); a failed index leaves ``--out`` as it was.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError
from .indexer import SERVICES, Service, executable, indexed_part, pagefind_version, write_bundle
from .progress import Progress
from .urls import claim_file

SHARD_MAX = 256
"""Claims per shard at most: the shard count is the power of two that keeps shards at 128 to 256
claims (one shard below 257), so it changes only when the site doubles or halves."""
FORMAT = "3"
"""Part of every shard's fingerprint: change it when the way shards are made changes (2: a shard
per language; 3: Pagefind given the indexed part of each page, ``indexer.indexed_part``)."""
FOLDER = "pagefind"
BUNDLES = f"{FOLDER}/bundles.json"

Keep = Callable[[str, str], bool]
"""Keeps one file of the previous output under its fingerprint; False if it cannot be kept."""


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
    """The first bundle of its language, which carries Pagefind's program."""
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


def language_of(key: str) -> str:
    """The language of a shard or a search key (``claim_key``): ``<code>`` of ``<code>/...``, "" for the
    first language."""
    return key.rpartition("/")[0]


def shards(keys: Iterable[str]) -> dict[str, list[str]]:
    """The claim pages (search keys) of each shard, sorted, by shard name (``<n>`` in the first
    language, ``<code>/<n>`` in another), in the shards' order: the first language's, then the others'
    by code. A language's shard count comes from its own page count."""
    languages: dict[str, list[str]] = {}
    for key in sorted(keys):
        languages.setdefault(language_of(key), []).append(key)
    result: dict[str, list[str]] = {}
    for code in sorted(languages):
        count = shard_count(len(languages[code]))
        members: dict[int, list[str]] = {}
        for key in languages[code]:
            members.setdefault(shard_of(key, count), []).append(key)
        prefix = f"{code}/" if code else ""
        result.update((f"{prefix}{n}", members[n]) for n in sorted(members))
    return result


def primaries(names: Iterable[str]) -> set[str]:
    """The shards that carry Pagefind's program: the first of each language's."""
    first: dict[str, str] = {}
    for name in names:
        first.setdefault(language_of(name), name)
    return set(first.values())


def update_index(
    folder: Path,
    language: str,
    pages: Mapping[str, str],
    before: Mapping[str, Shard],
    keep: Keep,
    old_page: OldPage,
    progress: Progress | None = None,
) -> SearchIndex:
    """Write the index of the claim pages ``pages`` ({search key: page fingerprint}; the pages are in
    ``folder``) into ``folder/pagefind/``, with ``bundles.json`` listing the shards by language
    (``language``: the first's code): shards of ``before`` whose pages are unchanged, or changed
    outside what Pagefind indexes, are kept (through ``keep``), the others indexed again. Raises if
    Pagefind is missing or fails."""
    members = shards(pages)
    names = list(members)
    first = primaries(names)
    result = SearchIndex()
    todo: list[tuple[str, str, bool]] = []
    version = pagefind_version()
    for name in names:
        primary = name in first
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
        if executable() is None:
            raise UsageError("search needs Pagefind: pip install 'pagefind[bin]' (or build with --no-search)")
        _index_shards(folder, todo, members, pages, result, progress)
    bundles: dict[str, list[str]] = {}
    for name in names:
        bundles.setdefault(language_of(name) or language, []).append(f"{name}/")
    listing = json.dumps({"bundles": bundles}, separators=(",", ":")).encode()
    fingerprint = result.fingerprints[BUNDLES] = _digest(listing.decode())
    if not keep(BUNDLES, fingerprint):
        (root / "bundles.json").unlink(missing_ok=True)  # never write into a file the previous site shares
        root.mkdir(exist_ok=True)
        (root / "bundles.json").write_bytes(listing + b"\n")
    return result


def _index_shards(
    folder: Path,
    todo: list[tuple[str, str, bool]],
    members: Mapping[str, list[str]],
    pages: Mapping[str, str],
    result: SearchIndex,
    progress: Progress | None,
) -> None:
    """Index the shards ``todo`` ((name, fingerprint, primary)) into ``result``: Pagefind services
    side by side, each indexing one shard at a time (one core, the memory of one shard), while one
    thread writes the bundles they made, so that no service waits for the disk unless SERVICES
    bundles already wait to be written. After a failure the services stop after their current
    shard, and nothing more is written."""
    total = sum(len(members[name]) for name, _, _ in todo)
    if progress is not None:
        progress("indexing search", 0, total)
    lock = threading.Lock()
    waiting = list(todo)
    failed = threading.Event()
    room = threading.Semaphore(SERVICES)
    """Bundles made and not yet written, SERVICES at most: a slow disk holds the services back."""

    def stop() -> None:
        failed.set()
        with lock:
            waiting.clear()  # the services stop after their current shard

    def write(name: str, fingerprint: str, primary: bool, made: list[dict[str, str]]) -> None:
        try:
            if failed.is_set():
                return  # the build fails: a bundle written now would be thrown away
            files = write_bundle(folder, f"{FOLDER}/{name}", made, primary)
        except BaseException:
            stop()
            raise
        finally:
            room.release()
        shard = Shard(fingerprint, files, primary, tuple((s, pages[s]) for s in members[name]))
        with lock:
            result.shards[name] = shard
            result.fingerprints.update(dict.fromkeys(files, fingerprint))

    with ThreadPoolExecutor(1) as writer:
        writes: list[Future[None]] = []

        def work() -> None:
            """One Pagefind service indexing shards off the shared list until it is empty."""
            with Service() as service:
                while True:
                    with lock:
                        if not waiting:
                            return
                        name, fingerprint, primary = waiting.pop(0)
                    try:
                        made = service.index(folder, [claim_file(key) for key in members[name]])
                    except BaseException:
                        stop()
                        raise
                    room.acquire()
                    with lock:
                        writes.append(writer.submit(write, name, fingerprint, primary, made))
                        result.indexed += len(members[name])
                        if progress is not None:
                            progress("indexing search", result.indexed, total)

        services = min(len(todo), SERVICES)
        with ThreadPoolExecutor(services) as pool:
            for running in [pool.submit(work) for _ in range(services)]:
                running.result()
        for written in writes:
            written.result()


def _same_text(old: Shard, current: tuple[tuple[str, str], ...], folder: Path, old_page: OldPage) -> bool:
    """Whether a shard's pages are those it was made of, each unchanged or changed only in parts
    Pagefind is not given (``indexed_part``: outside the indexed element, or ignored in it)."""
    if [slug for slug, _ in old.pages] != [slug for slug, _ in current] or old.fingerprint == "":
        return False
    for (slug, before), (_, now) in zip(old.pages, current, strict=True):
        if before == now:
            continue
        previous = old_page(slug)
        if previous is None:
            return False
        try:
            then, new = previous.read_text(encoding="utf-8"), (folder / claim_file(slug)).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        if indexed_part(then) != indexed_part(new):
            return False
    return True


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=12).hexdigest()
