"""The cold cost of the social cards alone: every claim's card and the site's, made in one process.

    python -m bench.cards CONTENT     prints the wall and processor seconds, and the cards' bytes

A cold build makes them in its worker processes with the pages; this times them apart, once the
site is loaded, so that `make bench` can report what cards add to a cold build (on one core).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from digest import cards
from digest.build import DEFAULT_THEME, Options, load_site


def measure(content: Path) -> tuple[float, float, int]:
    """Seconds (wall and processor) to lay out, draw and encode every card of a content folder, and
    their bytes."""
    site = load_site(Options(content=content)).site
    fonts = cards.CardFonts.of_theme(DEFAULT_THEME)
    started, processor = time.perf_counter(), time.process_time()
    size = len(cards.site_card(site, fonts))
    for claim in site.claims.values():
        size += len(cards.claim_card(site, claim, fonts))
    return time.perf_counter() - started, time.process_time() - processor, size


if __name__ == "__main__":
    wall, processor, size = measure(Path(sys.argv[1]))
    print(f"{wall:.3f} {processor:.3f} {size}")
