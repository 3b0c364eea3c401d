"""What the front matter of each kind of content file may hold: its fields, the reader of each
(``fields``), which are required (``FIELDS``, by kind); and the names a free page may not take."""

from __future__ import annotations

import yaml

from . import fields as f
from .model import CORRECTION_TYPES, SOURCE_ROLES

RESERVED_SLUGS = frozenset(
    {"claims", "people", "staff", "verdicts", "tags", "outlets", "corrections", "timeline", "static", "pagefind"}
    | {"search"}
)
"""Top-level names the site itself uses; no free page may take one."""

_SOURCE = {
    "title": f.Field(f.text, required=True),
    "outlet": f.Field(f.text, required=True),
    "date": f.Field(f.day),
    "role": f.Field(f.choice(*SOURCE_ROLES)),
    "url": f.Field(f.url),
    "archive_url": f.Field(f.url),
}
_CORRECTION = {
    "date": f.Field(f.day, required=True),
    "type": f.Field(f.choice(*CORRECTION_TYPES), required=True),
    "note": f.Field(f.text, required=True),
    "from": f.Field(f.key),
}


def _alt(r: f.Reader, node: yaml.Node, path: str) -> str | None:
    """An image's alt text: what it shows, for readers who cannot see it."""
    if isinstance(node, yaml.ScalarNode) and not str(node.value).strip():
        raise r.error(node, "the image's 'alt' is empty: say what it shows, e.g. alt: \"The post as it appeared\"")
    return f.text(r, node, path)


IMAGE_FIELDS = {
    "src": f.Field(f.text, required=True),
    "alt": f.Field(_alt, required=True),
    "caption": f.Field(f.text),
    "credit": f.Field(f.text),
}
CLAIM_FIELDS = {
    "title": f.Field(f.text, required=True),
    "claim": f.Field(f.text, required=True),
    "person": f.Field(f.slug, required=True),
    "claimant": f.Field(f.text),
    "people": f.Field(f.list_of(f.slug)),
    "claim_date": f.Field(f.day, required=True),
    "published": f.Field(f.day, required=True),
    "updated": f.Field(f.day),
    "verdict": f.Field(f.key, required=True),
    "summary": f.Field(f.text, required=True),
    "sources": f.Field(
        f.list_of(f.record(_SOURCE, "a source"), non_empty="a claim needs at least one source"), required=True
    ),
    "related": f.Field(f.list_of(f.slug)),
    "contradicts": f.Field(f.list_of(f.slug)),
    "repeats": f.Field(f.list_of(f.slug)),
    "tags": f.Field(f.list_of(f.slug)),
    "corrections": f.Field(f.list_of(f.record(_CORRECTION, "a correction"))),
    "draft": f.Field(f.boolean),
    "authors": f.Field(f.list_of(f.slug)),
    "editors": f.Field(f.list_of(f.slug)),
    "image": f.Field(f.record(IMAGE_FIELDS, "an image")),
    "aliases": f.Field(f.list_of(f.former_slug(""))),
}
PERSON_FIELDS = {
    "name": f.Field(f.text, required=True),
    "role": f.Field(f.text),
    "aliases": f.Field(f.list_of(f.text)),
    "same_as": f.Field(f.list_of(f.url)),
    "former_slugs": f.Field(f.list_of(f.former_slug("; other names of the person go in 'aliases'"))),
}
STAFF_FIELDS = {
    "name": f.Field(f.text, required=True),
    "role": f.Field(f.text),
    "same_as": f.Field(f.list_of(f.url)),
}
PAGE_FIELDS = {"title": f.Field(f.text, required=True), "description": f.Field(f.text), "updated": f.Field(f.day)}

FIELDS = {"claim": CLAIM_FIELDS, "person": PERSON_FIELDS, "page": PAGE_FIELDS, "staff": STAFF_FIELDS}
"""The fields of each kind's front matter."""
