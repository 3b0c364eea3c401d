"""Save-to-reload latency of the preview, through the real watcher, measured in-process.

For each save: the file is written (the way editors save: a temporary file renamed over the
original), then we time (a) until the reload event for the page is sent to the browsers and
(b) until the rebuilt page is on disk with the new text (its modification time). Medians over
many saves, after a few warm-up saves.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

from digest.build import DEFAULT_THEME, Options
from digest.serve import Preview
from digest.watch import Watcher


def _save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.swp-bench")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def measure(content: Path, saves: int = 15, warmup: int = 3) -> dict[str, float]:
    """Median milliseconds from save to reload event and to page on disk, over ``saves`` saves."""
    work = Path(tempfile.mkdtemp(prefix="digest-bench-preview-"))
    try:
        shutil.copytree(content, work / "content")
        claim = sorted((work / "content/claims").rglob("*.md"))[0]
        original = claim.read_text(encoding="utf-8")
        page = None
        with redirect_stdout(StringIO()):
            preview = Preview(Options(content=work / "content", content_shown="content", theme=DEFAULT_THEME))
            first = preview.rebuild()
        assert first.error is None, first.error
        page = preview.live.options.out / "claims" / claim.stem / "index.html"
        events = preview.events.subscribe()
        watcher = Watcher(preview.options.content, preview.options.theme, preview.on_change, ignore=preview.folder)
        watcher.start()
        time.sleep(0.3)
        to_event: list[float] = []
        to_disk: list[float] = []
        try:
            for number in range(warmup + saves):
                marker = f"Latency probe {number}"
                text = original.replace("title: ", f"title: {marker} ", 1).replace(f'{marker} "', f'"{marker} ', 1)
                with redirect_stdout(StringIO()):
                    _save(claim, text)
                    written = time.perf_counter()
                    written_wall = time.time()
                    while True:
                        message = events.get(timeout=30)
                        if message and b"event: built" in message and f"claims/{claim.stem}/".encode() in message:
                            break
                    evented = time.perf_counter()
                    while marker not in page.read_text(encoding="utf-8"):
                        time.sleep(0.0005)
                    on_disk = written + (page.stat().st_mtime - written_wall)  # when the page was written
                    time.sleep(0.35)  # let the data files follow before the next save
                    while not events.empty():
                        events.get_nowait()
                if number >= warmup:
                    to_event.append((evented - written) * 1000)
                    to_disk.append((on_disk - written) * 1000)
        finally:
            watcher.stop()
            preview.close()
        return {
            "saves": saves,
            "to_reload_event_ms": round(statistics.median(to_event), 1),
            "to_page_on_disk_ms": round(statistics.median(to_disk), 1),
            "worst_to_reload_event_ms": round(max(to_event), 1),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
