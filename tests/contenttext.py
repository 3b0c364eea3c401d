"""Reading our content's text: its files, quotations, dates written in words; shared by the content
tests of the originals (test_content.py) and of their translations (test_translations_content.py)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .conftest import ROOT

CONTENT = ROOT / "content"
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
]  # fmt: skip


def normalized(text: str) -> str:
    """Curly quotes and apostrophes made straight, every run of white space one space."""
    text = unicodedata.normalize("NFC", text)
    text = text.translate(str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'"}))
    return " ".join(text.split())


def quotations(text: str) -> list[str]:
    """Every passage between double quotes, straight or curly, in text."""
    text = text.translate(str.maketrans({"“": '"', "”": '"'}))
    return [normalized(q) for q in re.findall(r'"([^"]+)"', text)]


def split(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def dates_written(text: str) -> Iterator[tuple[int | None, int, int | None]]:
    """(day, month, year) for every '7 November 2024', '7 November', 'January 2021' or 'September'."""
    months = "|".join(MONTHS)
    for day, month, year in re.findall(rf"\b(?:(\d{{1,2}}) )?({months})(?: (\d{{4}}))?\b", text):
        yield (int(day) if day else None, MONTHS.index(month) + 1, int(year) if year else None)
