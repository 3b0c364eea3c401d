"""``digest check --links``: are the sources' URLs still there? Opt-in; it needs the network.

Each URL is asked for once (HEAD, then GET if the server refuses HEAD), redirects followed; the
answers are kept for a week in the user's cache folder, so a second run asks again only for what
it has not seen lately. A dead source is reported with its archived copy, if the claim gives one.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import __version__
from .errors import Diagnostic
from .site import Site
from .usercache import cache_folder

MAX_AGE = 7 * 24 * 3600
"""Seconds an answer stays good in the cache."""
TIMEOUT = 15.0


def probe(url: str, timeout: float = TIMEOUT) -> str | None:
    """None if the URL answers with success (after redirects); else what went wrong."""
    headers = {"User-Agent": f"digest-link-check/{__version__}"}
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue  # some servers refuse HEAD: ask again with GET
            return f"HTTP {error.code}"
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            return f"unreachable ({reason})"
    return None


def _checked_at(entry: object) -> float:
    """When a cached answer was got; minus infinity for none or a damaged one."""
    at = entry.get("at") if isinstance(entry, dict) else None
    return float(at) if isinstance(at, (int, float)) else float("-inf")


def check_links(
    site: Site, cache: Path | None = None, ask: Callable[[str], str | None] = probe, now: float | None = None
) -> list[Diagnostic]:
    """A warning for every source whose URL is dead, with its archived copy when there is one."""
    now = time.time() if now is None else now
    store = (cache or cache_folder()) / "links.json"
    try:
        known: dict[str, dict[str, object]] = json.loads(store.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    urls = sorted({s.url for c in site.claims.values() for s in c.sources if s.url})
    stale = [url for url in urls if now - _checked_at(known.get(url)) > MAX_AGE]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for url, problem in zip(stale, pool.map(ask, stale), strict=True):
            known[url] = {"at": now, "problem": problem}
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        temporary = store.with_suffix(".tmp")
        temporary.write_text(json.dumps(known, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, store)
    except OSError:
        pass  # the cache is a convenience: a read-only home must not fail the check
    warnings = []
    for claim in site.claims.values():
        for index, source in enumerate(claim.sources):
            problem = str(known.get(source.url, {}).get("problem") or "") if source.url else ""
            if problem:
                copy = (
                    f"; archived copy: {source.archive_url}"
                    if source.archive_url
                    else "; no archive_url to fall back on"
                )
                warnings.append(
                    Diagnostic(
                        claim.path,
                        claim.lines.get(f"sources.{index}.url", 1),
                        f"source url {source.url} is dead: {problem}{copy}",
                        warning=True,
                    )
                )
    return warnings
