"""Rules that span the fields of one claim, run on whatever fields could be read.

The field checks (``fields``) read each value on its own; these look at several at once: a date
before another, a slug listed twice, a rating history that changes nothing, a placeholder left in a
claim that is about to be published.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from . import fields as f


@functools.lru_cache(maxsize=4096)
def outlet_slug(name: str) -> str:
    """The slug of an outlet's page, from its name: 'The Kyiv Independent' → 'the-kyiv-independent'."""
    return f.slugify(name) or "outlet-" + hashlib.sha256(unicodedata.normalize("NFC", name).encode()).hexdigest()[:10]


def _unique(reader: f.Reader, values: tuple[str | None, ...], field: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value is None:
            continue
        if value in seen:
            reader.error(reader.lines[f"{field}.{index}"], f"'{value}' is listed twice in '{field}'")
        seen.add(value)


def check_claim(reader: f.Reader, slug: str, values: dict[str, Any], body: str, body_line: int) -> None:
    """Rules that span fields of one claim, run on whatever fields were read correctly."""
    lines = reader.lines
    for name in ("people", "related", "contradicts", "repeats", "tags", "authors", "editors"):
        _unique(reader, values.get(name, ()), name)
    for index, tag in enumerate(values.get("tags", ())):
        if tag is not None and (message := f.too_long(tag, "tag", "tags/<tag>/")):
            reader.error(lines[f"tags.{index}"], message)
    for index, source in enumerate(values.get("sources", ())):
        outlet = (source or {}).get("outlet")
        if outlet is not None and (message := f.too_long(outlet_slug(outlet), "outlet", "outlets/<outlet>/")):
            reader.error(lines[f"sources.{index}.outlet"], message)
    for name in ("related", "contradicts", "repeats"):
        for index, other in enumerate(values.get(name, ())):
            if other == slug:
                reader.error(lines[f"{name}.{index}"], f"a claim cannot list itself in '{name}'")
    for index, other in enumerate(values.get("people", ())):
        if other == values.get("person"):
            reader.error(lines[f"people.{index}"], f"'{other}' is already the claim's person; leave it out of 'people'")
    published = values.get("published")
    if published is not None and values.get("claim_date", published) > published:
        reader.error(lines["claim_date"], f"claim_date {values['claim_date']} is after published {published}")
    if published is not None and values.get("updated", published) < published:
        reader.error(lines["updated"], f"updated {values['updated']} is before published {published}")
    for index, entry in enumerate(values.get("corrections", ())):
        if entry is None:
            continue
        where = lines[f"corrections.{index}"]
        if published is not None and entry.get("date", published) < published:
            reader.error(where, f"correction dated {entry['date']} is before published {published}")
        if entry.get("type") == "rating-change" and "from" not in entry:
            reader.error(where, "a rating-change needs 'from: <verdict>', the verdict it replaces")
        if entry.get("type", "rating-change") != "rating-change" and "from" in entry:
            reader.error(
                lines[f"corrections.{index}.from"], "'from' belongs only to a correction of type rating-change"
            )
    _check_rating_changes(reader, values)
    if not values.get("draft", False):
        _check_placeholders(reader, values, body, body_line)
    if not body.strip():
        reader.error(body_line - 1, "the analysis is missing: write it in Markdown after the closing '---'")


PLACEHOLDER = re.compile(r"todo[ \t]*:", re.IGNORECASE)
"""How every value still to be written starts in a stub of ``digest new`` (and may in any file)."""
_BODY_PLACEHOLDER = re.compile(r"^[ \t]*todo[ \t]*:.*$", re.IGNORECASE | re.MULTILINE)
_EXAMPLE_HOSTS = re.compile(r"(?:.*\.)?example\.(?:com|org|net)|\.*|", re.IGNORECASE)
"""Hosts of no real source: the reserved example domains, and the ``https://...`` of a stub (a URL
that ends in ``...`` is one too)."""
_TEXT_FIELDS = ("title", "claim", "claimant", "summary")


def _check_placeholders(reader: f.Reader, values: dict[str, Any], body: str, body_line: int) -> None:
    """A claim that is not a draft must hold no placeholder: no TODO, no example URL."""
    found: list[tuple[str, str]] = [(name, values[name]) for name in _TEXT_FIELDS if name in values]
    for index, source in enumerate(values.get("sources", ())):
        for name in ("title", "outlet", "url", "archive_url"):
            if source is not None and name in source:
                found.append((f"sources.{index}.{name}", source[name]))
    for index, entry in enumerate(values.get("corrections", ())):
        if entry is not None and "note" in entry:
            found.append((f"corrections.{index}.note", entry["note"]))
    for path, value in found:
        name = path.rpartition(".")[2]
        if name in ("url", "archive_url"):
            if "xample." not in value.lower() and not value.rstrip("/").endswith(("...", "\u2026")):
                continue  # the usual case, found fast
            host = urlsplit(value).hostname or ""
            if _EXAMPLE_HOSTS.fullmatch(host) or value.rstrip("/").endswith(("...", "\u2026")):
                reader.error(
                    reader.lines[path],
                    f"{f.quoted(value)} in '{name}' is a placeholder, not a source's address: give the real "
                    "URL or remove the line (or keep 'draft: true' until then)",
                )
        elif PLACEHOLDER.match(value):
            reader.error(
                reader.lines[path],
                f"'{name}' still holds the placeholder {f.quoted(value)}: write it (or keep 'draft: true' until then)",
            )
    if "todo" not in body.lower():
        return  # the usual case, found fast
    for match in _BODY_PLACEHOLDER.finditer(body):
        reader.error(
            body_line + body.count("\n", 0, match.start()),
            f"the analysis still holds the placeholder {f.quoted(match.group().strip())}: write it "
            "(or keep 'draft: true' until then)",
        )


def _check_rating_changes(reader: f.Reader, values: dict[str, Any]) -> None:
    """Rated X on D1, changed to Y on D2...: in date order, each change must change something, and
    no two changes may share a date (which came first could not be told)."""
    changes = sorted(
        (entry["date"], index, entry["from"])
        for index, entry in enumerate(values.get("corrections", ()))
        if entry is not None and entry.get("type") == "rating-change" and "date" in entry and "from" in entry
    )
    for position, (day, index, before) in enumerate(changes):
        following = changes[position + 1] if position + 1 < len(changes) else None
        where = reader.lines[f"corrections.{index}"]
        if following is not None and following[0] == day:
            reader.error(
                reader.lines[f"corrections.{following[1]}"],
                f"two rating changes on {day}: which came first cannot be told; keep one, or date them apart",
            )
        after = following[2] if following is not None else values.get("verdict")
        if after is not None and after == before:
            to = "the next rating change's 'from'" if following is not None else "'verdict'"
            reader.error(
                where,
                f"the rating change on {day} is from '{before}' to '{after}' ({to}): a rating change must change "
                "the verdict; fix 'from', or make it an update",
            )
