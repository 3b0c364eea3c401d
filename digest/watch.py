"""The edge: watch the content folder and the theme, and report what changed, debounced.

Editors save through temporary files and renames, and a `git checkout` touches hundreds of files
at once: events are collected until the folders are quiet for a moment, then reported together
as one ``Changes``. Hidden files, backups and swap files are ignored (under content/static/, only
the junk: a hidden file there is published), and so is the output folder.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .files import is_ignored
from .static import FOLDER, is_junk

QUIET = 0.03
"""Seconds without an event before a burst is reported."""
LONGEST = 0.5
"""A burst is reported after this many seconds even if events keep coming."""
_CONTENT_SUFFIXES = (".md", ".yaml", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
"""Files under content/ whose change can change the site: records, settings and the images claims show."""


@dataclass(frozen=True, slots=True)
class Changes:
    """Paths that changed since the last report, by kind."""

    content: frozenset[Path] = frozenset()
    """Content files: claims, people, pages and site.yaml."""
    templates: frozenset[Path] = frozenset()
    static: frozenset[Path] = frozenset()

    def __bool__(self) -> bool:
        """Whether anything changed."""
        return bool(self.content or self.templates or self.static)

    @property
    def stylesheets_only(self) -> bool:
        """Only CSS files changed: the open pages can swap their stylesheets without reloading."""
        return (
            bool(self.static)
            and not self.content
            and not self.templates
            and all(p.suffix == ".css" for p in self.static)
        )

    def describe(self, content: Path, theme: Path) -> str:
        """A short account for the terminal: ``claims/x.md changed`` or ``3 files changed``."""
        paths = sorted(self.content | self.templates | self.static)
        if len(paths) == 1:
            path = paths[0]
            root = content if path.is_relative_to(content) else theme
            return f"{path.relative_to(root) if path.is_relative_to(root) else path} changed"
        return f"{len(paths)} files changed"


class _Collector(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed", "closed_no_write") or (
            event.is_directory and event.event_type == "modified"
        ):
            return  # reads, and a folder's own timestamp: nothing to rebuild
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self.watcher.note(Path(os.fsdecode(raw)), is_directory=event.is_directory)


class Watcher:
    """Watches content/ and the theme; calls ``on_change`` with each debounced burst, on its own thread."""

    def __init__(self, content: Path, theme: Path, on_change: Callable[[Changes], None], ignore: Path | None = None):
        self.content = content.resolve()
        self.theme = theme.resolve()
        self.ignore = ignore.resolve() if ignore is not None else None
        self.on_change = on_change
        self._pending: dict[str, set[Path]] = {"content": set(), "templates": set(), "static": set()}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._first = 0.0
        self._last = 0.0
        self._stopped = threading.Event()
        self._observer = Observer()
        self._thread = threading.Thread(target=self._loop, name="digest-watch", daemon=True)

    def start(self) -> None:
        """Start watching."""
        handler = _Collector(self)
        self._observer.schedule(handler, str(self.content), recursive=True)
        if not self.theme.is_relative_to(self.content):
            self._observer.schedule(handler, str(self.theme), recursive=True)
        self._observer.start()
        self._thread.start()

    def stop(self) -> None:
        """Stop watching; waits for a report in progress to finish."""
        self._stopped.set()
        self._wake.set()
        self._observer.stop()
        if self._observer.is_alive():  # Ctrl-C may come before start() has run
            self._observer.join(timeout=5)
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def note(self, path: Path, is_directory: bool = False) -> None:
        """Record one changed path (called by watchdog's thread, or by tests)."""
        if self.ignore and path.is_relative_to(self.ignore):
            return
        if path.is_relative_to(self.content / FOLDER):  # the site's own files: any name but junk
            if is_junk(path.name):
                return
            kind = "content"
        elif is_ignored(path.name):
            return
        elif path.is_relative_to(self.theme):
            relative = path.relative_to(self.theme)
            kind = "static" if relative.parts[:1] == ("static",) else "templates"
        elif path.is_relative_to(self.content):
            if path == self.content or (not is_directory and path.suffix.lower() not in _CONTENT_SUFFIXES):
                return  # an editor's temporary file, or something that is not content
            kind = "content"
        else:
            return
        now = time.monotonic()
        with self._lock:
            if not any(self._pending.values()):
                self._first = now
            self._pending[kind].add(path)
            self._last = now
        self._wake.set()

    def take(self) -> Changes:
        """The changes noted since the last report, which are then forgotten."""
        with self._lock:
            pending = {kind: frozenset(paths) for kind, paths in self._pending.items()}
            for paths in self._pending.values():
                paths.clear()
        return Changes(**pending)

    def _loop(self) -> None:
        while not self._stopped.is_set():
            self._wake.wait()
            self._wake.clear()
            while not self._stopped.is_set():
                with self._lock:
                    quiet = time.monotonic() - self._last
                    waited = time.monotonic() - self._first
                if quiet >= QUIET or waited >= LONGEST:
                    break
                time.sleep(min(QUIET - quiet, LONGEST - waited) if quiet < QUIET else 0.005)
            changes = self.take()
            if changes and not self._stopped.is_set():
                self.on_change(changes)
