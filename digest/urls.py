"""Where every page lives, and links between pages.

Internal links are relative and name the file (``../../people/putin/index.html``, made by
``relative`` from the page's depth for the theme's ``url`` filter and for Markdown), so one built
site works at a domain root, under any sub-path and opened from disk. Absolute URLs (canonical,
feeds, sitemap, JSON-LD) use the pretty form under base_url.

With ``languages:`` in site.yaml, the pages of each language but the first are under its code
(``uk/claims/x/``): ``url_for`` puts a claim, person, page or member of the staff in its own
language, and anything else in the language being rendered, except what all languages share.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .model import Claim, Page, Person, Staff
from .settings import Verdict
from .site import Outlet, Tag

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
MARKER = ".digest-build"
"""The file at the top of every site digest writes, the mark of a folder it made (``outfolder``);
published with it: hosts serve it as any file."""


class SitePath(str):
    """A site path already in its language (a claim's, a person's...): never put under another
    language's folder by ``url_for``."""

    __slots__ = ()


SHARED = ("static/", "pagefind/")
"""Site paths every language shares: the theme's files and the search index."""


def root(language: str) -> str:
    """Where the pages of a language are: ``uk/`` for a translation's language, ``""`` for the first."""
    return f"{language}/" if language else ""


FOLDERS = {"claim": CLAIMS, "person": PEOPLE, "page": HOME, "staff": STAFF}
"""The folder of each kind of record's pages, by the kind its content file is (``load``)."""


def record_url(kind: str, slug: str) -> str:
    """The site path of a record's page in the site's first language by its kind (``FOLDERS``) and
    slug (``claims/x/``): ``url_for`` without the record, for a file that failed to load or a claim's
    images before its record is made."""
    return f"{FOLDERS[kind]}{slug}/"


PAGED = "page/"
"""Where the pages of a long list after the first go: ``verdicts/false/page/2/``."""


def url_for(target: Target, number: int = 1, *, language: str = "") -> str:
    """The site path of a page (``claims/x/``), of a file (``feed.xml``), or a site path as given;
    with a ``number`` above 1, that page of a list split into pages (``people/putin/page/2/``).

    ``language`` is the code of the language being rendered when it is not the site's first ("" for
    the first): a page of it, and a path given as a string, are under ``<code>/`` (``uk/claims/x/``),
    except the paths every language shares (``SHARED``) and a path already under ``<code>/``. A
    claim, person, page or member of the staff is in its own language (its ``translation``): a list
    in Ukrainian links to the English page of a check not translated.
    """
    if number > 1:
        return f"{url_for(target, language=language)}{PAGED}{number}/"
    match target:
        case Claim():
            return SitePath(root(target.translation) + record_url("claim", target.slug))
        case Person():
            return SitePath(root(target.translation) + record_url("person", target.slug))
        case Staff():
            return SitePath(root(target.translation) + record_url("staff", target.slug))
        case Page():
            return SitePath(root(target.translation) + record_url("page", target.slug))
        case Verdict():
            return f"{root(language)}{SCALE}{target.key}/"
        case Tag():
            return f"{root(language)}{TAGS}{target.slug}/"
        case Outlet():
            return f"{root(language)}{OUTLETS}{target.slug}/"
        case str():
            if not language or isinstance(target, SitePath) or target.startswith((*SHARED, root(language))):
                return target
            return SitePath(root(language) + target)
    raise TypeError(f"no URL for {target!r}")


def in_language(path: str, language: str, first: str) -> SitePath:
    """The site path of a page of the first language (``claims/x/``) in another ("" or ``first``: the first)."""
    return SitePath(root("" if language == first else language) + path)


def claim_key(slug: str, language: str = "") -> str:
    """A claim page's search key: its slug, or ``<code>/<slug>`` for its page in another language."""
    return f"{language}/{slug}" if language else slug


def claim_file(key: str) -> str:
    """The file of a claim's page by its search key (``claim_key``): its slug (``claims/<slug>/index.html``), or
    ``<code>/<slug>`` for its page in another language (``<code>/claims/<slug>/index.html``)."""
    language, _, slug = key.rpartition("/")
    return file_for(f"{root(language)}{CLAIMS}{slug}/")


def former_url(target: Claim | Person, slug: str) -> str:
    """The site path a claim or a person had under a former slug: its redirect page."""
    return record_url("claim" if isinstance(target, Claim) else "person", slug)


def feed_for(target: Target, *, language: str = "") -> str:
    """The site path of a page's Atom feed: the home page's, the corrections' or a person's."""
    return url_for(target, language=language) + "feed.xml"


def card_for(claim: Claim) -> str:
    """Where a claim's social card is written: the claim page's og:image."""
    return url_for(claim) + "card.png"


def file_for(path: str) -> str:
    """The output file of a site path: ``claims/x/`` → ``claims/x/index.html``, ``""`` → ``index.html``."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def page_of(file: str) -> str:
    """The site path of an output file, ``file_for`` undone: ``claims/x/index.html`` → ``claims/x/``,
    ``index.html`` → ``""``; any other file is its own site path (``feed.xml``)."""
    if file == "index.html" or file.endswith("/index.html"):
        return file[: -len("index.html")]
    return file


def depth_of(path: str) -> int:
    """How many folders below the site root the page at a site path is: ``claims/x/`` → 2, ``""`` → 0."""
    return path.count("/")


def relative(path: str, depth: int) -> str:
    """The link to a site path from a page ``depth`` folders below the site root, naming its file
    (``relative("people/putin/", 2)`` → ``../../people/putin/index.html``): what the theme's ``url``
    filter and a Markdown link written from the site root (``/people/putin/``) become."""
    return "../" * depth + file_for(path)


def absolute(base_url: str, path: str, fragment: str = "") -> str:
    """The absolute URL of a site path, for canonical links, feeds, the sitemap and JSON-LD; with a
    ``fragment``, of an element of its page (a claim's correction: ``claims/x/#correction-2024-11-08``)."""
    return f"{base_url}{path}#{fragment}" if fragment else base_url + path


def rooted(base_url: str, path: str) -> str:
    """A link rooted at base_url's path (``/digest/claims/x/``): only for 404.html, served at any depth."""
    return (urlsplit(base_url).path or "/") + path
