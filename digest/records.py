"""How the model's records are declared: ``record`` (a frozen, slotted dataclass that pickles
fast) and ``Lines`` (where each field of a content file was written, kept packed).

The records themselves are in ``settings`` (site.yaml), ``model`` (the content files) and ``site``
(the resolved Site and its tables).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from itertools import repeat
from operator import attrgetter
from typing import TypeVar, dataclass_transform

_T = TypeVar("_T")


class Lines(Mapping[str, int]):
    """Where each field was written: ``{"verdict": 12, "related.0": 20, "sources.1.url": 31}``.

    Kept packed in one string until a diagnostic asks: the build cache loads every record on every
    build, and thirty small objects per record were a quarter of that time.
    """

    __slots__ = ("_lines", "_packed")

    def __init__(self, lines: Mapping[str, int] | None = None, packed: str | None = None) -> None:
        self._lines: dict[str, int] | None = None
        self._packed: str | None = packed or ""
        if lines is not None:
            self._lines, self._packed = dict(lines), None

    def _unpacked(self) -> dict[str, int]:
        if self._lines is None:
            parts = self._packed.split("\0") if self._packed else []
            self._lines = {parts[i]: int(parts[i + 1]) for i in range(0, len(parts), 2)}
        return self._lines

    def __getitem__(self, key: str) -> int:
        return self._unpacked()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._unpacked())

    def __len__(self) -> int:
        return len(self._unpacked())

    def __reduce__(self) -> tuple[Callable[..., Lines], tuple[None, str]]:
        if self._packed is None:  # field paths never hold a NUL: a key with one is unknown, so an error
            self._packed = "\0".join(f"{key}\0{line}" for key, line in self._unpacked().items())
        return Lines, (None, self._packed)

    def __repr__(self) -> str:
        return f"Lines({self._unpacked()!r})"


def fast_pickle(cls: type[_T]) -> type[_T]:
    """Pickle a frozen, slotted dataclass fast: the build cache loads tens of thousands of records
    per build, and the dataclass default looks up ``fields()`` for every one of them."""
    names = tuple(item.name for item in fields(cls))  # type: ignore[arg-type]
    values = attrgetter(*names) if len(names) > 1 else (lambda self: (getattr(self, names[0]),))
    assign = object.__setattr__

    def __getstate__(self: object) -> tuple[object, ...]:
        return values(self)

    def __setstate__(self: object, state: tuple[object, ...]) -> None:
        if len(state) != len(names):
            raise ValueError(f"{cls.__name__}: {len(state)} values for {len(names)} fields")
        deque(map(assign, repeat(self, len(names)), names, state), 0)  # the loop in C: 15% of a warm load

    cls.__getstate__, cls.__setstate__ = __getstate__, __setstate__  # type: ignore[method-assign,attr-defined]
    return cls


@dataclass_transform(frozen_default=True)
def record(cls: type[_T]) -> type[_T]:
    """A record of the model: a frozen, slotted dataclass that pickles fast."""
    return fast_pickle(dataclass(frozen=True, slots=True)(cls))
