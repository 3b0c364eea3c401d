"""Where every page lives, and links between pages.

Internal links are relative and name the file (``../../people/putin/index.html``, made by the
theme's ``url`` filter from the page's depth), so one built site works at a domain root, under any
sub-path and opened from disk. Absolute URLs (canonical,
feeds, sitemap, JSON-LD) use the pretty form under base_url.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .model import Claim, Outlet, Page, Person, Staff, Tag, Verdict

Target = Claim | Person | Staff | Verdict | Tag | Outlet | Page | str

# The site paths of the pages that are one of a kind, and the folders of the others.
HOME = ""
CLAIMS = "claims/"
PEOPLE = "people/"
STAFF = "staff/"
SCALE = "verdicts/"
TAGS = "tags/"
OUTLETS = "outlets/"
TIMELINE = "timeline/"
CORRECTIONS = "corrections/"
SEARCH = "search/"
NOT_FOUND = "404.html"
SITE_CARD = "card.png"
"""The site's social card: the share image of every page but a claim's."""


PAGED = "page/"
"""Where the pages of a long list after the first go: ``verdicts/false/page/2/``."""


def url_for(target: Target, number: int = 1) -> str:
    """The site path of a page (``claims/x/``), of a file (``feed.xml``), or a site path as given;
    with a ``number`` above 1, that page of a list split into pages (``people/putin/page/2/``)."""
    if number > 1:
        return f"{url_for(target)}{PAGED}{number}/"
    match target:
        case Claim():
            return f"{CLAIMS}{target.slug}/"
        case Person():
            return f"{PEOPLE}{target.slug}/"
        case Staff():
            return f"{STAFF}{target.slug}/"
        case Verdict():
            return f"{SCALE}{target.key}/"
        case Tag():
            return f"{TAGS}{target.slug}/"
        case Outlet():
            return f"{OUTLETS}{target.slug}/"
        case Page():
            return f"{target.slug}/"
        case str():
            return target
    raise TypeError(f"no URL for {target!r}")


def former_url(target: Claim | Person, slug: str) -> str:
    """The site path a claim or a person had under a former slug: its redirect page."""
    return f"{CLAIMS if isinstance(target, Claim) else PEOPLE}{slug}/"


def feed_for(target: Target) -> str:
    """The site path of a page's Atom feed: the home page's, the corrections' or a person's."""
    return url_for(target) + "feed.xml"


def card_for(claim: Claim) -> str:
    """Where a claim's social card is written: the claim page's og:image."""
    return url_for(claim) + "card.png"


def file_for(path: str) -> str:
    """The output file of a site path: ``claims/x/`` → ``claims/x/index.html``, ``""`` → ``index.html``."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def absolute(base_url: str, path: str) -> str:
    """The absolute URL of a site path, for canonical links, feeds, the sitemap and JSON-LD."""
    return base_url + path


def rooted(base_url: str, path: str) -> str:
    """A link rooted at base_url's path (``/digest/claims/x/``): only for 404.html, served at any depth."""
    return (urlsplit(base_url).path or "/") + path
