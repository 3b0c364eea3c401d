"""``digest new``: a claim file with every field stubbed, ready to fill in."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from .errors import UsageError
from .fields import suggest

_TEMPLATE = """\
---
title: {title}
claim: "TODO: the claim as it was made"
person: {person}  # the speaker, who said or wrote it: the claim counts in their scorecard
# claimant: "the speaker in more detail, e.g. an outlet citing its source"
people: []  # who the claim is about: listed on their pages as checks that mention them
claim_date: {today}
published: {today}
verdict: unverified
summary: "TODO: the verdict in one or two sentences"
sources:
  - title: "TODO: title of the article, post or video"
    outlet: "TODO: outlet"
    date: {today}
    role: appearance
    # url: https://...
    # archive_url: https://web.archive.org/...
related: []
contradicts: []
tags: []
corrections: []
draft: true
# image: {{src: appearance.png, alt: "The post as it appeared", caption: "...", credit: "..."}}  # beside this file
---
What was claimed, where and when.

## What the evidence shows

## Why this verdict
"""


def slug_from(headline: str) -> str:
    """A slug from a headline: 'Putin "congratulated" Trump!' → 'putin-congratulated-trump'."""
    ascii_text = unicodedata.normalize("NFKD", headline).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-").split("-")
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 60 and slug:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def new_claim(content: Path, person: str, headline: str, today: date) -> Path:
    """Write content/claims/<yyyy-mm>/<slug>.md; refuse an unknown person or a slug already taken."""
    if not content.is_dir():
        raise UsageError(f"--content {content}: no such folder")
    people = sorted(p.stem for p in (content / "people").glob("*.md"))
    if person not in people:
        raise UsageError(f"unknown person '{person}'{suggest(person, people)} (people: {', '.join(people) or 'none'})")
    slug = slug_from(headline)
    if not slug:
        raise UsageError(f"cannot make a file name from the headline {headline!r}; use some letters or digits")
    taken = [p for p in (content / "claims").rglob(f"{slug}.md")]
    if taken:
        raise UsageError(f"a claim with the slug '{slug}' already exists: {taken[0]}")
    path = content / "claims" / f"{today:%Y-%m}" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    title = '"' + headline.replace("\\", "\\\\").replace('"', '\\"') + '"'
    path.write_text(_TEMPLATE.format(title=title, person=person, today=today.isoformat()), encoding="utf-8")
    return path
