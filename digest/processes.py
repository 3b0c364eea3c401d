"""Worker processes that end with the build that started them.

A build killed with SIGKILL cannot stop its workers; left alone they would go on writing pages
into the killed build's temporary folder, even after the next build has cleared it. On Linux
each worker asks the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``).
``Aside`` runs work the build does not wait for in a forked copy of it (``build`` keeps the
similar claims' index so, on the core the serial steps after reading leave free).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
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
    Linux, or another start method) it runs here, at once.
    """

    def __init__(self, work: Callable[[], object]) -> None:
        self._pid: int | None = None
        if not sys.platform.startswith("linux") or multiprocessing.get_start_method() != "fork":
            work()
            return
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the copy: do the work and leave at once (no exit handler, no buffer of the parent's flushed)
            status = 1
            try:
                die_with_parent(parent)
                work()
                status = 0
            finally:
                os._exit(status)
        self._pid = pid

    def wait(self) -> None:
        if self._pid is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = None
