"""The build state pickled with every content record in it stored as a reference to the record's
row (by path), not a copy: ``dump_state`` and ``load_state``, and the unpickling of any stored
value (``loads``: ``CacheUnusable`` for what damaged or stale data raises)."""

from __future__ import annotations

import contextlib
import gc
import io
import pickle
from collections.abc import Iterator, Mapping
from typing import Any

from .model import Claim, Page, Person, Staff


class CacheUnusable(Exception):
    """A stored value that no longer unpickles (a damaged row, a class that changed)."""


def loads(data: bytes) -> Any:
    """Unpickle a stored value; CacheUnusable for anything unpickling raises on damaged or stale data."""
    try:
        return pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError) as error:
        raise CacheUnusable(f"a stored value cannot be read: {error}") from error


def dump_state(state: object) -> bytes:
    """``state`` (the resolved site, the last render's fingerprints...) pickled with every record in
    it stored as a reference to its row, by path."""
    buffer = io.BytesIO()
    _RecordPickler(buffer, protocol=5).dump(state)
    return buffer.getvalue()


def load_state(data: bytes, records: Mapping[str, object]) -> Any:
    """A state pickled by ``dump_state``, its references resolved to ``records`` (by path); None if it
    refers to a record that is gone, or if it no longer unpickles (a record class that changed: its
    number of fields)."""
    try:
        with collector_paused():
            return _RecordUnpickler(io.BytesIO(data), records).load()
    except (KeyError, pickle.UnpicklingError, AttributeError, EOFError, TypeError, ValueError, IndexError):
        return None


def _stored(path: str) -> object:
    """Stands, in a saved state, for the record of the content file at ``path`` (see _RecordPickler)."""
    raise CacheUnusable(f"a reference to the record of {path} read outside a state")


def _reference(record: Claim | Person | Page | Staff) -> Any:
    if record.translation:  # a translation merged into its original is no row's record: kept whole
        return record.__reduce_ex__(5)
    return _stored, (record.path,)


class _RecordPickler(pickle.Pickler):
    """Pickles records as references to their rows, by path. Through the dispatch table, which the
    pickler looks up by type in C, rather than ``persistent_id``, which it would call in Python for
    each of the state's hundreds of thousands of objects (four times the whole dump's time)."""

    dispatch_table = {Claim: _reference, Person: _reference, Page: _reference, Staff: _reference}  # noqa: RUF012


class _RecordUnpickler(pickle.Unpickler):
    def __init__(self, stream: io.BytesIO, records: Mapping[str, object]) -> None:
        super().__init__(stream)
        self.records = records

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == (__name__, _stored.__name__):
            return self.records.__getitem__
        return super().find_class(module, name)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector while tens of thousands of records are unpickled: it would walk
    them again and again (a quarter of the time), and they make no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
