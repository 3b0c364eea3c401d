"""The command line: ``digest build | serve | check | new``. The only module that prints or exits."""

from __future__ import annotations

import argparse
import atexit
import gc
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO
from urllib.parse import urlsplit

from . import __version__
from .errors import ContentError, Diagnostic, DigestError, UsageError

if TYPE_CHECKING:  # the pipeline is imported when a command needs it: `digest similar` does not
    from .build import Options


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError (one clear line, exit 2) instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="digest", description="Build a fact-checking site from Markdown claim files.")
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def site_options(command: argparse.ArgumentParser, writes: bool = True, out: bool = True) -> None:
        command.add_argument("--content", default="content", metavar="DIR", help="content folder (default: content)")
        command.add_argument("--theme", default=None, metavar="DIR", help="theme folder (default: the built-in theme)")
        if writes and out:
            command.add_argument("--out", default="site", metavar="DIR", help="output folder (default: site)")
        if writes:
            command.add_argument(
                "--base-url", default=None, metavar="URL", type=_base_url, help="override base_url of site.yaml"
            )
        command.add_argument("--drafts", action="store_true", help="include drafts and scheduled checks")
        command.add_argument("--quiet", "-q", action="store_true", help="print only problems")

    build_command = commands.add_parser("build", help="build the site")
    site_options(build_command)
    build_command.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    build_command.add_argument("--no-cache", action="store_true", help="neither use nor keep the build cache")
    build_command.add_argument(
        "--force",
        action="store_true",
        help="replace --out even if it holds files digest did not make (they are deleted; .git is kept)",
    )
    serve = commands.add_parser("serve", help="preview with live reload (drafts shown)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", default=8000, type=_port, help="port (default: 8000)")
    serve.add_argument("--open", action="store_true", help="open the preview in a browser")
    site_options(serve, out=False)  # the preview builds into a temporary folder of its own
    check_command = commands.add_parser("check", help="validate content without writing anything")
    site_options(check_command, writes=False)
    check_command.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    check_command.add_argument(
        "--links", action="store_true", help="also check that the sources' URLs answer (needs the network)"
    )
    check_command.add_argument(
        "--no-cache", action="store_true", help="neither use nor keep the cache of the files read by the last check"
    )
    new = commands.add_parser("new", help="write a new claim file with every field stubbed")
    new.add_argument("--person", required=True, metavar="SLUG", help="the person the claim belongs to")
    new.add_argument("--content", default="content", metavar="DIR", help="content folder (default: content)")
    new.add_argument(
        "--date",
        default=None,
        metavar="YYYY-MM-DD",
        type=_day,
        help="when the claim was made (default: today); the file goes under claims/<its year-month>/",
    )
    new.add_argument("headline", help="the headline of the check, or the claim as made")
    new.add_argument("--limit", default=5, type=_count, metavar="N", help="similar checks to list (default: 5)")
    similar = commands.add_parser("similar", help="list the checks whose claim is most like this text")
    similar.add_argument("text", help="a claim, as made")
    similar.add_argument("--content", default="content", metavar="DIR", help="content folder (default: content)")
    similar.add_argument("--limit", default=5, type=_count, metavar="N", help="checks to list (default: 5)")
    check_command.add_argument(
        "--similar",
        action="store_true",
        help="also list pairs of checks that look like the same claim but are not linked",
    )
    return parser


def _count(text: str) -> int:
    """A positive number."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number")
    return int(text)


def _port(text: str) -> int:
    """A TCP port number."""
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return int(text)


def _day(text: str) -> date:
    """A calendar date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else date.fromisoformat("invalid")
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a real date written YYYY-MM-DD, e.g. 2024-11-06") from None


def _base_url(text: str) -> str:
    """An absolute http(s) URL without query or fragment, as base_url must be."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise argparse.ArgumentTypeError(f"'{text}' is not an absolute http:// or https:// URL without ? or #")
    return text


def _options(args: argparse.Namespace) -> Options:
    from .build import DEFAULT_THEME, Options

    theme = getattr(args, "theme", None)
    return Options(
        content=Path(args.content),
        content_shown=args.content,
        out=Path(getattr(args, "out", "site")),
        theme=Path(theme) if theme else DEFAULT_THEME,
        base_url=getattr(args, "base_url", None),
        drafts=args.drafts,
        today=date.today(),
        search=args.command == "build" and not args.no_search,
        cache=args.command in ("build", "check") and not args.no_cache,
        force=args.command == "build" and args.force,
    )


def _similar(content: Path, shown: str, text: str, limit: int, stream: TextIO | None = None) -> None:
    """Print the checks most like ``text``: slug, speaker, date, verdict and the similarity figure
    (to standard output unless ``stream`` says otherwise)."""
    from .archive import known_claims
    from .similar import THRESHOLD, most_similar

    if not content.is_dir():
        raise UsageError(f"--content {shown}: no such folder")
    stream = stream or sys.stdout
    archive = known_claims(content, shown)
    if archive.problem is not None:
        print(f"digest: {archive.problem}", file=sys.stderr)
    matches = most_similar(text, archive.known, limit=limit)
    if not matches:
        print("No checked claim is like it.", file=stream)
        return
    print(
        f"Checks most like it (similarity 0-100; {THRESHOLD:.0f} or more looks like the same claim: list it",
        file=stream,
    )
    print("in 'repeats' if it is the same claim made again, else in 'related'):", file=stream)
    for match in matches:
        known = match.known
        mark = " *" if match.similarity >= THRESHOLD else ""
        print(
            f"  {match.similarity:5.1f}{mark}  {known.slug}  {known.speaker}, "
            f"{known.claim_date.isoformat()}, {known.verdict}  ({known.path})",
            file=stream,
        )


class _ProgressBars:
    """On a terminal, a bar for the stage under way (stage, files done of total), shown once the
    work has run for about a second and gone when it ends, leaving the summary line alone."""

    AFTER = 1.0

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.stage = ""
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            from tqdm import tqdm  # imported only when a terminal shows it

            delay = max(0.0, self.AFTER - (time.monotonic() - self.started))
            width = shutil.get_terminal_size().columns  # 80 where the terminal does not tell (tqdm would use 0)
            self.bar = tqdm(
                total=total, desc=stage, unit=" files", delay=delay, leave=False, file=sys.stderr, ncols=width
            )
            self.stage = stage
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _progress(quiet: bool) -> _ProgressBars | None:
    """Bars when a person watches (a terminal) and did not ask for quiet; none in CI or a pipe."""
    return _ProgressBars() if sys.stderr.isatty() and not quiet else None


def _check(options: Options, strict: bool, links: bool, quiet: bool, similar: bool = False) -> int:
    from .build import check

    bars = _progress(quiet)
    try:
        found = check(options, links=links, similar=similar, progress=bars)
    finally:
        if bars is not None:
            bars.close()
    for problem in found.cache_problems:
        print(f"digest: {problem}", file=sys.stderr)
    for skipped in () if quiet else found.resolved.skipped:
        print(skipped, file=sys.stderr)
    for warning in found.warnings:
        print(Diagnostic(warning.path, warning.line, warning.message) if strict else warning, file=sys.stderr)
    site = found.resolved.site
    count = len(found.warnings)
    advice = f"{count} warning{'s' if count != 1 else ''}" + (" (--strict: failing)" if strict and count else "")
    if not quiet:
        print(f"{len(site.claims)} claims, {len(site.people)} people, {len(site.pages)} pages: no errors, {advice}")
    return 1 if strict and count else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status (0 done, 1 content errors, 2 wrong usage)."""
    # The process ends with the command: the last cycle collection at exit would only walk every object
    # of the site (0.15 s at 10,000 claims, more than a warm build saves). Frozen, they are left alone.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    command = None
    try:
        args = _parser().parse_args(argv)
        command = args.command
        return _run(args)
    except ContentError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic, file=sys.stderr)
        count = sum(1 for diagnostic in error.diagnostics if not diagnostic.warning)
        advice = len(error.diagnostics) - count
        also = f", {advice} warning{'s' if advice != 1 else ''}" if advice else ""
        written = "" if command == "check" else "; nothing was written"  # check never writes
        print(f"digest: {count} error{'s' if count != 1 else ''}{also}{written}", file=sys.stderr)
        return error.exit_code
    except DigestError as error:
        print(f"digest: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130


def _say(line: str, problem: bool) -> None:
    """Print one line of the preview's log: problems to stderr, the rest to stdout, at once."""
    print(line, file=sys.stderr if problem else sys.stdout, flush=True)


def _run(args: argparse.Namespace) -> int:
    if args.command == "new":
        from .scaffold import new_claim

        path = new_claim(Path(args.content), args.person, args.headline, date.today(), args.date)
        print(path)  # alone on standard output, for scripts: `$EDITOR "$(digest new ...)"`
        _similar(Path(args.content), args.content, args.headline, args.limit, sys.stderr)
        return 0
    if args.command == "similar":
        _similar(Path(args.content), args.content, args.text, args.limit)
        return 0
    options = _options(args)
    if args.command == "serve":
        from .serve import serve

        return serve(replace(options, drafts=True), host=args.host, port=args.port, open_browser=args.open, say=_say)
    if args.command == "check":
        return _check(options, args.strict, args.links, args.quiet, args.similar)
    from .build import build

    bars = _progress(args.quiet)
    try:
        result = build(options, progress=bars)
    finally:
        if bars is not None:
            bars.close()
    if result.cache_problem is not None:
        print(f"digest: build cache unusable ({result.cache_problem}); building from scratch", file=sys.stderr)
    if args.quiet:
        for warning in result.warnings:
            print(warning, file=sys.stderr)
        return 0
    for skipped in result.skipped:
        print(skipped, file=sys.stderr)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    print(
        f"built {result.pages} pages ({result.files} files, {result.written} written) "
        f"into {options.out} in {result.seconds:.2f} s"
    )
    return 0
