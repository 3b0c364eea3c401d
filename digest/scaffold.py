"""``digest new``: a claim file with every field stubbed, ready to fill in.

Every value still to be written starts with ``TODO:`` (in the body too), and the stub is a draft:
the checks refuse a published claim that still holds one (see ``load.PLACEHOLDER``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .errors import UsageError
from .fields import slugify, suggest

_TEMPLATE = """\
---
title: {title}
claim: "TODO: the claim as it was made"
person: {person}  # the speaker, who said or wrote it: the claim counts in their scorecard
# claimant: "the speaker in more detail, e.g. an outlet citing its source"
people: []  # who the claim is about: listed on their pages as checks that mention them
claim_date: {claim_date}
published: {today}
verdict: unverified
summary: "TODO: the verdict in one or two sentences"
sources:
  - title: "TODO: title of the article, post or video"
    outlet: "TODO: outlet"
    date: {claim_date}
    role: appearance
    # url: https://...
    # archive_url: https://web.archive.org/...
related: []
contradicts: []
repeats: []  # earlier checks of the same claim (digest new lists the likeliest when it writes this file)
tags: []
corrections: []
authors: []  # staff slugs (files in staff/): who wrote the check
editors: []  # and who edited it
draft: true
# image: {{src: appearance.png, alt: "The post as it appeared", caption: "...", credit: "..."}}  # beside this file
---
TODO: what was claimed, where and when.

## What the evidence shows

TODO: what each source shows.

## Why this verdict

TODO: how the evidence leads to the verdict.
"""


def slug_from(headline: str) -> str:
    """A slug from a headline: 'Putin "congratulated" Trump!' → 'putin-congratulated-trump'."""
    words = slugify(headline).split("-")
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 60 and slug:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def new_claim(content: Path, person: str, headline: str, today: date, claim_date: date | None = None) -> Path:
    """Write content/claims/<yyyy-mm>/<slug>.md, filed under the month of the claim's date (``claim_date``,
    else today); refuse an unknown person or a slug already taken."""
    claim_date = claim_date or today
    if claim_date > today:
        raise UsageError(f"--date {claim_date}: a claim cannot have been made after today ({today})")
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
    path = content / "claims" / f"{claim_date:%Y-%m}" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    title = '"' + headline.replace("\\", "\\\\").replace('"', '\\"') + '"'
    stub = _TEMPLATE.format(title=title, person=person, today=today.isoformat(), claim_date=claim_date.isoformat())
    path.write_text(stub, encoding="utf-8")
    return path
