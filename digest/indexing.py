"""The search index made in a process of its own (``IndexProcess``), beside the build's.

A cold build begins its index while its pages render (``search.EarlyIndex``): the build process is
then busy rendering lists, writing feeds and saving its cache, in Python, and threads of its own that
fed Pagefind would wait for the interpreter's lock each time they read a page or an answer, leaving
Pagefind idle. A process of its own (``python -m digest.indexing``) runs ``indexer.Indexing`` instead:
the build sends it the bundles to make, a line each, and it answers with each bundle's files.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

from .errors import OutputError
from .indexer import Done, Indexing
from .processes import die_with_parent

_ROOT = str(Path(__file__).resolve().parent.parent)
"""The folder holding this package: the process imports it from there."""


class IndexProcess:
    """``indexer.Indexing`` in a process of its own, with its interface: ``add``, ``finish``, ``stop``,
    ``bundles``, ``indexed`` and ``done``."""

    def __init__(self, folder: Path) -> None:
        self.bundles: dict[str, tuple[str, ...]] = {}
        self.indexed = 0
        self.done: Done | None = None
        self._failure: str | None = None
        path = os.environ.get("PYTHONPATH")
        environment = {**os.environ, "PYTHONPATH": _ROOT if not path else f"{_ROOT}{os.pathsep}{path}"}
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "digest.indexing", str(folder), str(os.getpid())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=environment,
            )
        except OSError as error:
            raise OutputError(f"the search index failed: cannot start its process: {error.strerror}") from None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def add(self, bundle: str, pages: list[str], primary: bool) -> None:
        """Index ``pages`` into folder/``bundle``/ (see ``Indexing.add``)."""
        stream = self._process.stdin
        assert stream is not None
        try:
            stream.write(json.dumps([bundle, primary, pages]).encode() + b"\n")
            stream.flush()
        except OSError:
            pass  # the process ended: ``finish`` says why

    def finish(self) -> None:
        """Wait for every bundle given to be written; raises OutputError if one was not."""
        self._close()
        code = self._process.wait()
        self._reader.join()
        if self._failure is not None:
            raise OutputError(self._failure)
        if code != 0:
            raise OutputError(f"the search index failed: its process stopped (exit status {code})")

    def stop(self) -> None:
        """End the process and its Pagefind services now, writing nothing more (after ``finish``:
        nothing left to end); raises nothing."""
        if self._process.poll() is None:
            self._process.kill()
        self._close()
        self._process.wait()
        self._reader.join()

    def _close(self) -> None:
        if self._process.stdin is not None and not self._process.stdin.closed:
            with contextlib.suppress(OSError):
                self._process.stdin.close()

    def _read(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        for line in stream:
            told = json.loads(line)
            if "indexed" in told:
                self.indexed = told["indexed"]
                if self.done is not None:
                    self.done(self.indexed)
            elif "bundle" in told:
                self.bundles[told["bundle"]] = tuple(told["files"])
            elif self._failure is None:
                self._failure = told["failure"]
        stream.close()


def _serve(folder: Path, stdin: IO[bytes], stdout: IO[bytes]) -> int:
    """In the index's process: make the bundles read from ``stdin``, telling ``stdout`` of each."""
    lock = threading.Lock()

    def tell(message: object) -> None:
        with lock:
            stdout.write(json.dumps(message).encode() + b"\n")
            stdout.flush()

    indexing = Indexing(folder)
    indexing.done = lambda indexed: tell({"indexed": indexed})
    indexing.written = lambda bundle, files: tell({"bundle": bundle, "files": files})
    try:
        for line in stdin:
            bundle, primary, pages = json.loads(line)
            indexing.add(bundle, pages, primary)
        indexing.finish()
    except OutputError as error:
        tell({"failure": str(error)})
        return 1
    except Exception as error:  # any other failure still ends in one line
        tell({"failure": f"the search index failed: {type(error).__name__}: {error}"})
        return 1
    return 0


if __name__ == "__main__":
    die_with_parent(int(sys.argv[2]))
    sys.exit(_serve(Path(sys.argv[1]), sys.stdin.buffer, sys.stdout.buffer))
