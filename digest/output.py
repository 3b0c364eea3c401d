"""What a file of the built site is made of, as a render makes it and the writer writes it."""

from __future__ import annotations

from pathlib import Path


class Kept:
    """An output already in place, unchanged, in the folder being updated (see ``write.update_tree``)."""

    def __repr__(self) -> str:
        return "KEPT"


KEPT = Kept()

Output = bytes | Path | str | Kept
"""A file's bytes, an existing file with the same bytes (hard-linked; its path as a Path or, cheaper
to make by the ten thousand, a str), or KEPT."""
