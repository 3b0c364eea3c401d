"""Full-text search: a Pagefind index of the claim pages, split into shards that a build keeps
while their claims are unchanged.

Only claim pages are indexed (the theme marks the indexed part of each with ``data-pagefind-body``,
and the filters and metadata with ``data-pagefind-filter`` / ``data-pagefind-meta``). Each claim
goes to one shard by a hash of its slug; each shard is a Pagefind bundle in ``pagefind/<n>/``, and
the search page merges them when it searches (``mergeIndex``), listed in ``pagefind/bundles.json``.
A shard is indexed again only when the fingerprint of one of its pages changed; the others are
kept from the previous output, so an edit re-indexes one shard (at most ``SHARD_MAX`` claims),
never the site. The pages are fed to Pagefind's indexing services (``indexer``) from the temporary
folder, one shard at a time per service, and one thread writes the bundles they make: the memory
held is that of a few shards (one being indexed by each service, SERVICES at most waiting to be
written); a failed index leaves ``--out`` as it was.

A cold build (no shard to keep) begins its index while the pages render (``EarlyIndex``): the render
makes the claim pages shard by shard, and each shard goes to Pagefind, in a process of its own
(``indexing``), as soon as its pages are written, so that Pagefind uses the cores the render and
the build's one-process phases leave idle. A warm build indexes the shards it must after the render.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .errors import UsageError
from .indexer import Indexing, executable, pagefind_version
from .indexing import IndexProcess
from .progress import Progress
from .urls import claim_file

SHARD_MAX = 256
"""Claims per shard at most: the shard count is the power of two that keeps shards at 128 to 256
claims (one shard below 257), so it changes only when the site doubles or halves."""
FORMAT = "1"
"""Part of every shard's fingerprint: change it when the way shards are made changes."""
FOLDER = "pagefind"
BUNDLES = f"{FOLDER}/bundles.json"
STAGE = "indexing search"
"""The stage ``update_index`` reports to its progress callback."""

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


def shards(keys: Iterable[str]) -> dict[str, list[str]]:
    """The claim pages (search keys) of each shard, sorted, by shard name, in the shards' order."""
    keys = sorted(keys)
    count = shard_count(len(keys))
    members: dict[str, list[str]] = {}
    for slug in keys:
        members.setdefault(str(shard_of(slug, count)), []).append(slug)
    return {name: members[name] for name in sorted(members, key=int)}


class EarlyIndex:
    """A cold build's index begun while its pages are rendered: each shard goes to Pagefind as soon as
    its pages are all written (``written``), and ``order`` ranks the pages so that the render makes them
    shard by shard; ``update_index`` takes what was indexed and indexes the rest. As a context, it
    ends the index's process, and its services, unless ``update_index`` took them to their end (a
    failed build, a site without claims)."""

    def __init__(self, folder: Path, keys: Iterable[str]) -> None:
        self.members = shards(keys)
        self.indexing = IndexProcess(folder)
        self.given: set[str] = set()
        """The shards given to Pagefind so far."""
        self.order = {claim_file(key): rank for rank, name in enumerate(self.members) for key in self.members[name]}
        """Each claim page's rank: its shard's."""
        self._shard = {claim_file(key): name for name, keys in self.members.items() for key in keys}
        self._left = {name: {claim_file(key) for key in keys} for name, keys in self.members.items()}

    def written(self, path: str) -> None:
        """Told that the page at ``path`` is written: its shard is given to Pagefind if it was the last."""
        name = self._shard.get(path)
        if name is None:
            return
        left = self._left[name]
        left.discard(path)
        if not left and name not in self.given:
            self.give(name)

    def give(self, name: str) -> None:
        """Give a shard to Pagefind."""
        self.given.add(name)
        pages = [claim_file(key) for key in self.members[name]]
        self.indexing.add(f"{FOLDER}/{name}", pages, name == next(iter(self.members)))

    def __enter__(self) -> EarlyIndex:
        return self

    def __exit__(self, *exception: object) -> None:
        self.indexing.stop()


def update_index(
    folder: Path,
    pages: Mapping[str, str],
    before: Mapping[str, Shard],
    keep: Keep,
    old_page: OldPage,
    progress: Progress | None = None,
    early: EarlyIndex | None = None,
) -> SearchIndex:
    """Write the index of the claim pages ``pages`` ({slug: page fingerprint}; the pages are in
    ``folder``) into ``folder/pagefind/``: shards of ``before`` whose pages are unchanged, or changed
    outside what Pagefind indexes, are kept (through ``keep``), the others indexed again, taking those
    that ``early`` (begun without ``before``) indexed. Raises if Pagefind is missing or fails."""
    members = shards(pages)
    names = list(members)
    result = SearchIndex()
    todo: list[tuple[str, str, bool]] = []
    version = pagefind_version()
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
    if early is not None and (before or early.members != members):
        early.indexing.stop()  # not the index to make: its shards are made again
        early = None
    if todo:
        if executable() is None:
            raise UsageError("search needs Pagefind: pip install 'pagefind[bin]' (or build with --no-search)")
        _index_shards(folder, todo, members, pages, result, progress, early)
    listing = json.dumps({"bundles": [f"{name}/" for name in names]}, separators=(",", ":")).encode()
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
    early: EarlyIndex | None,
) -> None:
    """Index the shards ``todo`` ((name, fingerprint, primary)) into ``result``, those ``early`` has
    not begun with its services, the others with new ones (``Indexing``)."""
    total = sum(len(members[name]) for name, _, _ in todo)
    indexing: Indexing | IndexProcess = early.indexing if early is not None else Indexing(folder)
    try:
        if progress is not None:
            progress(STAGE, indexing.indexed, total)
            indexing.done = lambda indexed: progress(STAGE, indexed, total)
        for name, _, primary in todo:
            if early is None:
                indexing.add(f"{FOLDER}/{name}", [claim_file(key) for key in members[name]], primary)
            elif name not in early.given:
                early.give(name)
        indexing.finish()
    except BaseException:
        indexing.stop()  # the services end after their current shard
        raise
    for name, fingerprint, primary in todo:
        files = indexing.bundles[f"{FOLDER}/{name}"]
        result.shards[name] = Shard(fingerprint, files, primary, tuple((s, pages[s]) for s in members[name]))
        result.fingerprints.update(dict.fromkeys(files, fingerprint))
    result.indexed = total


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
            then, new = previous.read_bytes(), (folder / claim_file(slug)).read_bytes()
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
