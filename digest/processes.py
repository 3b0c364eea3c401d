"""Worker processes that end with the build that started them.

A build killed with SIGKILL cannot stop its workers; left alone they would go on writing pages
into the killed build's temporary folder, even after the next build has cleared it. On Linux
each worker asks the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``).
``Aside`` runs work whose result the build never reads in a forked copy of it: a cold build keeps
the similar claims' index so, on the core that resolving the site leaves free. ``Ahead`` runs work
whose result the build reads later: a warm build looks at content/ and --out so, while it unpickles
its cache.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

_PR_SET_PDEATHSIG = 1
_T = TypeVar("_T")


def die_with_parent(parent: int) -> None:
    """Worker initializer: end this process when ``parent`` (the build) dies."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # no prctl: the write guard in write.py still holds
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _forking() -> bool:
    """Whether work can be forked off: on Linux, unless multiprocessing was told not to fork (it is not
    imported for this: a warm build imports none of it)."""
    imported = sys.modules.get("multiprocessing")
    return sys.platform.startswith("linux") and (imported is None or imported.get_start_method() == "fork")


def _fork(work: Callable[[], object]) -> int | None:
    """Run ``work`` in a forked copy of this process, which leaves as soon as it is done (no exit
    handler, no buffer flushed twice; exit code 0 if the work returned, 1 if it raised, or if this
    process died first). The copy's pid; None where processes are not forked (``_forking``) or no
    process could be had."""
    if not _forking():
        return None
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:
        status = 1
        try:
            die_with_parent(parent)
            work()
            status = 0
        finally:
            os._exit(status)
    return pid


def _exit_code(pid: int) -> int | None:
    """Wait for a copy made by ``_fork`` to end: its exit code, None if it cannot be had."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return None
    return os.waitstatus_to_exitcode(status)


class Aside:
    """``work`` run in a forked copy of this process, which goes on meanwhile; ``wait`` for it to end.

    For work whose result this process never reads (it only writes a file of its own, and reports
    nothing), and that must not use what this process has open. Where processes are not forked (not
    Linux, another start method, or a fork that fails) it runs here, at once.
    """

    def __init__(self, work: Callable[[], object]) -> None:
        self._work = work
        self._pid = _fork(work)
        if self._pid is None:
            work()

    def wait(self) -> None:
        """Wait for the copy to end; if it failed (a bug in the work), do the work again here, so that
        the failure shows as it would have without the copy."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        if _exit_code(pid) not in (0, None):
            self._work()


class Ahead(Generic[_T]):
    """``work`` done in a forked copy of this process while this one goes on; ``result`` is what it
    returned, pickled back through a pipe.

    For work that only looks (at files on disk), uses nothing this process has open and returns
    plain data. Where processes are not forked, or the copy fails, ``result`` does the work here,
    so that a failure shows as it would have without the copy. ``close`` ends a copy whose result
    was never asked for (the build failed first).
    """

    def __init__(self, work: Callable[[], _T]) -> None:
        self._work = work
        self._pid: int | None = None
        self._pipe: int | None = None
        try:
            reading, writing = os.pipe()
        except OSError:  # the work is done here, when asked for
            return

        def send() -> None:  # in the copy
            os.close(reading)
            data = memoryview(pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL))
            while data:
                data = data[os.write(writing, data) :]

        pid = _fork(send)
        os.close(writing)
        if pid is None:
            os.close(reading)
            return
        self._pid, self._pipe = pid, reading

    def result(self) -> _T:
        """What the work returned: read from the copy (waiting for it to end), else done here."""
        if self._pid is None:
            return self._work()
        chunks = []
        assert self._pipe is not None
        while chunk := os.read(self._pipe, 1 << 20):
            chunks.append(chunk)
        if self._ended() == 0:
            try:
                result: _T = pickle.loads(b"".join(chunks))
                return result
            except (pickle.UnpicklingError, EOFError, ValueError):  # cut short: the copy failed after all
                pass
        return self._work()

    def close(self) -> None:
        """End the copy if its result was not read."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._ended()

    def _ended(self) -> int | None:
        """Wait for the copy to end (its pipe closed): its exit code, None if it cannot be had."""
        pid, self._pid = self._pid, None
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        return _exit_code(pid) if pid is not None else None
