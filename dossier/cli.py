"""The command line: parse arguments, call the package, turn problems into messages and exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from .errors import BuildFailed, DossierError, Problems
from .freshness import InputScan, build_date, build_options, is_up_to_date, state_file

# The build's and the importers' modules are imported where they are used: a build with nothing to
# do, or --help, then answers without loading them.

log = logging.getLogger("dossier")
EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


DEFAULTS = {"config": Path("config.yaml"), "strict": False, "quiet": False, "verbose": False,
            "out": None, "base_url": None, "all_deputies": False, "no_search": False, "force": False,
            "jobs": None, "host": "127.0.0.1", "port": 5500}
_TAKES_VALUE = {"--config", "--out", "--base-url", "--host", "--port", "--jobs", "-j"}


def parser() -> argparse.ArgumentParser:
    """The argument parser; options are accepted before or after the command."""
    S = argparse.SUPPRESS  # defaults are filled after parsing, so a command never resets an option
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=S, metavar="FILE",
                        help="site configuration (default: config.yaml); content/ and templates/ sit beside it")
    common.add_argument("--strict", action="store_true", default=S, help="treat warnings as errors")
    common.add_argument("-q", "--quiet", action="store_true", default=S, help="print errors only")
    common.add_argument("-v", "--verbose", action="store_true", default=S, help="print each stage")
    common.add_argument("-j", "--jobs", type=_positive, default=S, metavar="N",
                        help="processes rendering pages (default: one per available core); "
                             "the output is the same whatever N")
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--out", type=Path, default=S, metavar="DIR",
                        help="output folder (default: site/ beside the config)")
    output.add_argument("--base-url", default=S, metavar="URL",
                        help="public address of the site, e.g. https://example.org/dossier/ "
                             "(default: base_url in the config)")
    output.add_argument("--no-search", action="store_true", default=S,
                        help="skip the search index (faster builds while drafting)")
    output.add_argument("--force", action="store_true", default=S,
                        help="build even if nothing changed since the last build")
    top = argparse.ArgumentParser(
        prog="python build.py", parents=[common, output],
        description="Build a static site from a dossier of parliamentary questions.",
        epilog="Without a command, 'build' runs. 'python build.py COMMAND --help' tells more.")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("build", parents=[common, output], help="build the site from content/ (the default)")
    i = commands.add_parser("import", parents=[common], help="turn saved source pages (PATH...) into records")
    i.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders (read recursively)")
    i.add_argument("--all-deputies", action="store_true", default=S,
                   help="keep every deputy of a deputies file, not only those the questions cite")
    s = commands.add_parser("serve", parents=[common],
                            help="preview the site while editing: rebuild and reload the browser on every save",
                            description="Serve a live preview: content/, templates/ and the config are watched; "
                                        "source pages saved into content/sources/ are imported; errors show in "
                                        "the page. The published site/ is never touched.")
    s.add_argument("--host", default=S, metavar="HOST", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=S, metavar="N", help="port to listen on (default: 5500)")
    return top


def _positive(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1: '{text}'")
    return int(text)


def _first_positional(argv: list[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _TAKES_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if _first_positional(argv) is None and not {"-h", "--help"} & set(argv):
        argv.append("build")
    args = parser().parse_args(argv)
    for name, value in DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, value)
    logging.basicConfig(level=logging.ERROR if args.quiet else logging.WARNING, format="%(message)s", stream=sys.stderr)
    if args.verbose:  # our own stages and files only, not the libraries' debugging
        logging.getLogger("dossier").setLevel(logging.DEBUG)
    try:
        return {"build": _build, "import": _import, "serve": _serve}[args.command](args)
    except BuildFailed as failed:
        for err in failed.errors:
            print(f"error: {err}", file=sys.stderr)
        print(f"{len(failed.errors)} error(s); nothing was written.", file=sys.stderr)
        return EXIT_ERRORS
    except DossierError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_ERRORS


def _build(args) -> int:
    inputs = None
    if not args.force:
        start = time.perf_counter()
        out_dir = args.out or args.config.parent / "site"
        options = build_options(args.base_url, args.strict, build_date(), not args.no_search)
        built_before = state_file(out_dir).is_file()  # else up to date it cannot be, and records can wait
        inputs = InputScan(args.config, out_dir, defer_records=not built_before)
        if built_before and is_up_to_date(out_dir, inputs.fingerprint(options)):
            if inputs.hashed:
                inputs.save()
            if not args.quiet:
                print(f"Nothing changed since the last build: {out_dir} is up to date "
                      f"({time.perf_counter() - start:.2f} s; --force builds anyway).")
            return EXIT_OK
    from .pipeline import build

    bar = ProgressBar("Rendering", "pages") if sys.stderr.isatty() and not args.quiet else None
    try:
        result = build(args.config, args.out, args.base_url, strict=args.strict, search=not args.no_search,
                       force=args.force, jobs=args.jobs, progress=bar, inputs=inputs)
    finally:
        if bar:
            bar.close()
    for warning in result.warnings:
        log.warning("warning: %s", warning)
    if not args.quiet:
        total = sum(result.timings.values())
        if result.unchanged:
            print(f"Nothing changed since the last build: {result.out_dir} is up to date ({total:.2f} s; "
                  "--force builds anyway).")
        else:
            print(f"Built {result.pages} pages into {result.out_dir} in {total:.2f} s: {result.files} files, "
                  f"{result.changed} new or changed, {result.files - result.changed} unchanged.")
    return EXIT_OK


class ProgressBar:
    """A progress bar on the terminal, drawn only once the work has taken a second (short work stays quiet)."""

    DELAY = 1.0

    def __init__(self, doing: str, unit: str):
        self.doing, self.unit = doing, unit
        self.started = time.monotonic()
        self.drawn = False

    def __call__(self, done: int, total: int, count: int | None = None) -> None:
        if not self.drawn and time.monotonic() - self.started < self.DELAY:
            return
        self.drawn = True
        share = min(done, total) / max(total, 1)
        filled = int(30 * share)
        counted = f"{count if count is not None else done} {self.unit}"
        print(f"\r{self.doing} [{'#' * filled}{'.' * (30 - filled)}] {int(100 * share):3d} % - {counted}",
              end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.drawn:
            print(file=sys.stderr, flush=True)


def _import(args) -> int:
    from .config import load_config
    from .imports import import_paths

    config = load_config(args.config)
    problems = Problems()
    bar = ProgressBar("Importing", "questions") if sys.stderr.isatty() and not args.quiet else None
    try:
        result = import_paths(args.paths, args.config.parent / "content", config, problems, args.all_deputies,
                              bar and (lambda count, done, total: bar(done, total, count)))
    finally:
        if bar:
            bar.close()
    for warning in problems.warnings:
        log.warning("warning: %s", warning)
    for err in problems.errors:
        print(f"error: {err}", file=sys.stderr)
    if not args.quiet:
        print(f"Imported: {len(result.written)} file(s) written, {len(result.unchanged)} unchanged"
              + (f", {result.deputies_not_cited} deputies left out (no question cites them;"
                 " --all-deputies keeps them)" if result.deputies_not_cited else "") + ".")
    if problems.errors or (args.strict and problems.warnings):
        print(f"{len(problems.errors)} file(s) refused.", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def _serve(args) -> int:
    if not args.quiet:  # each rebuild says what it did
        logging.getLogger("dossier.serve").setLevel(logging.DEBUG if args.verbose else logging.INFO)
    if not args.verbose:  # a request for a missing page is the editor's business, not an alarm
        logging.getLogger("tornado.access").setLevel(logging.ERROR)

    def ready(url: str) -> None:
        if not args.quiet:
            print(f"Serving the preview on {url} (Ctrl-C to stop)", flush=True)

    from .serve import serve  # here, so that building does not load the web server

    serve(args.config, args.host, args.port, strict=args.strict, on_ready=ready)
    return EXIT_OK
