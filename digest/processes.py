"""Worker processes that end with the build that started them.

A build killed with SIGKILL cannot stop its workers; left alone they would go on writing pages
into the killed build's temporary folder, even after the next build has cleared it. On Linux
each worker asks the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``).
``Aside`` runs work whose result the build never reads in a forked copy of it: a cold build keeps
the similar claims' index so, on the core that resolving the site leaves free.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Worker initializer: end this process when ``parent`` (the build) dies."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # no prctl: the write guard in write.py still holds
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


class Aside:
    """``work`` run in a forked copy of this process, which goes on meanwhile; ``wait`` for it to end.

    For work whose result this process never reads (it only writes a file of its own, and reports
    nothing), and that must not use what this process has open. Where processes are not forked (not
    Linux, another start method, or a fork that fails) it runs here, at once.
    """

    def __init__(self, work: Callable[[], object]) -> None:
        import multiprocessing  # only a cold build of a large site forks: the other commands import none of it

        self._work = work
        self._pid: int | None = None
        if sys.platform.startswith("linux") and multiprocessing.get_start_method() == "fork":
            parent = os.getpid()
            with contextlib.suppress(OSError):  # no process to spare: the work is done here below
                self._pid = os.fork()
            if self._pid == 0:  # the copy: do the work and leave at once (no exit handler, no buffer flushed twice)
                status = 1
                try:
                    die_with_parent(parent)
                    work()
                    status = 0
                finally:
                    os._exit(status)
        if self._pid is None:
            work()

    def wait(self) -> None:
        """Wait for the copy to end; if it failed (a bug in the work), do the work again here, so that
        the failure shows as it would have without the copy."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return
        if os.waitstatus_to_exitcode(status) != 0:
            self._work()
