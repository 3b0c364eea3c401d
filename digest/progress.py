"""How the pipeline tells the command line what it is doing, for a progress display on a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Progress = Callable[[str, int, int], None]
"""Told (stage, done, total) as a stage goes: ``("rendering pages", 1200, 10137)``."""

T = TypeVar("T")


def counted(items: Iterable[T], stage: str, total: int, progress: Progress | None, every: int = 50) -> Iterator[T]:
    """``items``, telling ``progress`` how many went by every ``every`` of them and at the end."""
    if progress is None:
        yield from items
        return
    done = 0
    progress(stage, 0, total)
    for item in items:
        yield item
        done += 1
        if done % every == 0:
            progress(stage, done, total)
    progress(stage, done, total)
