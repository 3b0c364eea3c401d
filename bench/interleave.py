"""Cold builds beside Hugo, interleaved round after round, for ratios that the machine's drift does not
bend: this machine's speed moved by 40 % within an hour (Hugo alone took 10.4 s, then 14.5-18.4 s),
so a ratio is read within a round, and reported as the median over rounds.

    python -m bench.interleave --rounds 5
    python -m bench.interleave --rounds 5 --tree before=/path/to/another/checkout

Each round times Hugo, then the Pagefind CLI over Hugo's output, then for each tree (this checkout
by default, named ``this``) ``digest build --no-search`` and ``digest build``, each with an empty
cache and a new ``--out``, on the corpus without social cards (which Hugo does not make). A tree
is another checkout of digest: its own code and theme, run from its folder with this
checkout's Python environment.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from .__main__ import _hugo_round, corpus, timed
from .hugo import write_hugo_site

HERE = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.interleave", description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=PATH", help="another checkout to time")
    parser.add_argument("--work", type=Path, default=None, help="folder for the outputs and caches")
    args = parser.parse_args()
    trees = {"this": HERE}
    for given in args.tree:
        name, _, path = given.partition("=")
        if not name or not (Path(path) / "digest" / "__init__.py").is_file():
            parser.error(f"--tree {given}: not NAME=PATH of a checkout of digest")
        trees[name] = Path(path).resolve()
    for root in trees.values():  # as installing does: no run pays for compiling (see bench/README.md)
        compileall.compile_dir(root / "digest", quiet=1)
    content = corpus(args.claims, cards=False)
    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="digest-interleave-", dir=args.work))
    try:
        site = write_hugo_site(content, work / "hugo")
        times: dict[str, list[float]] = {}
        for number in range(1, args.rounds + 1):
            for name, seconds in _round(trees, content, site, work):
                times.setdefault(name, []).append(seconds)
                print(f"round {number}: {name} {seconds:.2f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _report(times, trees)


def _round(trees: dict[str, Path], content: Path, site: Path, work: Path) -> list[tuple[str, float]]:
    """One round: Hugo, Hugo + the Pagefind CLI, then each tree without and with search."""
    out, cache = work / "out", work / "cache"
    python = sys.executable

    def fresh() -> dict[str, str]:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        return {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}

    built, indexed = _hugo_round(site, out, fresh())
    made = [("Hugo", built.seconds), ("Hugo + Pagefind", built.seconds + indexed.seconds)]
    for name, root in trees.items():
        for mode, extra in (("--no-search", ["--no-search"]), ("default", [])):
            env = {**fresh(), "PYTHONPATH": str(root)}
            command = [python, "-m", "digest", "build", "-q", *extra, "--content", str(content), "--out", str(out)]
            made.append((f"{name} {mode}", timed(command, env, cwd=root).seconds))
    return made


def _report(times: dict[str, list[float]], trees: dict[str, Path]) -> None:
    """Medians, and each tree's ratios: of the medians, and per round (to Hugo without search, to
    Hugo + Pagefind with it)."""
    print("\nmedians (s): " + ", ".join(f"{name} {statistics.median(runs):.2f}" for name, runs in times.items()))
    for name in trees:
        for mode, against in (("--no-search", "Hugo"), ("default", "Hugo + Pagefind")):
            ours, theirs = times[f"{name} {mode}"], times[against]
            rounds = ", ".join(f"{a / b:.2f}" for a, b in zip(ours, theirs, strict=True))
            ratio = statistics.median(ours) / statistics.median(theirs)
            print(f"{name} {mode}: {ratio:.2f}x {against} (medians); per round {rounds}")


if __name__ == "__main__":
    main()
