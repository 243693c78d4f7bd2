"""Live preview: rebuild into a private folder on every save, serve it with livereload, show errors in the page.

The preview never writes the published site/: each rebuild goes into a temporary folder, through the
ordinary build (which writes nothing when it fails), so the last good site stays served. While the
dossier has errors, every page carries an overlay naming each file and line; the next good save
clears it. Source pages saved into content/sources/ are imported into records before rebuilding.
"""

from __future__ import annotations

import asyncio
import errno
import html
import logging
import mimetypes
import os
import signal
import tempfile
import time
from pathlib import Path
from typing import Callable

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher
from tornado import escape, ioloop, web

from .config import load_config
from .errors import BuildFailed, DossierError, Problems
from .imports import import_paths
from .inotify import Inotify
from .pipeline import build
from .session import Session
from .render import make_environment

log = logging.getLogger(__name__)
EVENT_PAUSE = 0.01  # after hearing a change, wait this long for the rest of the same save
POLL_SECONDS = 0.05  # shortest pause between two checks of the watched files
POLL_PAUSE_FACTOR = 3  # pause at least 3 times as long as a check takes: a large dossier costs at most 1/4 of a core
BUILD_COOKIE = "dossier-preview-build"  # which build the browser's page comes from
ERROR_CSS = "/__preview__/error.css"  # the overlay's stylesheet, served from 'self' like the site's


class Preview:
    """The dossier being previewed: its last good build, the errors of the last attempt."""

    def __init__(self, config_path: Path, site_dir: Path, base_url: str, strict: bool = False):
        self.config_path, self.site_dir, self.base_url, self.strict = config_path, site_dir, base_url, strict
        self.root = config_path.parent
        self.sources_dir = self.root / "content" / "sources"
        self.errors: list[str] = []  # 'file:line: message', paths relative to the project
        self.generation = 0  # counts finished rebuilds, good or bad: a page older than this is stale
        self._pending_sources: set[Path] = set()
        self.imported: list[Path] = []  # records written by imports since the watcher last looked
        self._warnings: list[str] = []
        self.rendered = 0  # pages the last good rebuild rendered (the others had not changed)
        self._templates = make_environment(self.root / "templates", reload=True)  # compiled once, again when changed
        self.session = Session()  # the last good build, updated in place by saves that change texts only

    def rebuild(self, changed: list[Path] = ()) -> None:
        """Import changed sources, then build into the preview folder; never raise, keep the errors."""
        start = time.perf_counter()
        errors: list = []
        try:
            imported_before = len(self.imported)
            errors += self._import_sources(changed)
            # A save that changes question texts alone updates the last build (session.py); anything else
            # is a build, whose caches (records, pages) live beside the preview folder, as for `python build.py`.
            result = None
            if not errors and changed:
                result = self.session.quick(list(changed) + self.imported[imported_before:], self.site_dir)
            if result is None:
                self.session.forget()
                result = build(self.config_path, self.site_dir, self.base_url, strict=self.strict, search=False,
                               environment=self._templates, session=self.session)
            self.rendered = result.rendered
            self._log_warnings(result.warnings)
        except BuildFailed as failed:
            errors += failed.errors
        except DossierError as err:
            errors.append(err)
        except Exception as exc:  # a bug in the build must not stop the preview either
            log.exception("the build crashed")
            errors.append(DossierError(f"the build crashed: {type(exc).__name__}: {exc}"))
        if errors:
            self.session.forget()  # the next save is a full build, which says what is still wrong
        self.errors = list(dict.fromkeys(self._relative(err) for err in errors))  # import and build may agree
        self.generation += 1
        for line in self.errors:
            log.error("error: %s", line)
        if errors:
            log.error("%d error(s); the preview keeps the last good build.", len(errors))
        else:
            log.info("Rebuilt in %.2f s.", time.perf_counter() - start)

    def _import_sources(self, changed) -> list[DossierError]:
        """Import new or changed source pages; keep them pending until an import succeeds."""
        self._pending_sources.update(p for p in changed if p.is_relative_to(self.sources_dir))
        self._pending_sources = {p for p in self._pending_sources if p.is_file()}
        if not self._pending_sources:
            return []
        problems = Problems()
        result = import_paths(sorted(self._pending_sources), self.root / "content", load_config(self.config_path),
                              problems)
        self.imported += result.written
        for path in result.written:
            log.info("Imported: %s", self._shown(path))
        if not problems.errors:
            self._pending_sources.clear()
        return problems.errors

    def _log_warnings(self, warnings: list) -> None:
        lines = [self._relative(w) for w in warnings]
        if lines != self._warnings:  # say each warning once, not at every save
            for line in lines:
                log.warning("warning: %s", line)
        self._warnings = lines

    def _relative(self, err: DossierError) -> str:
        """The error as 'file:line: message', the file named from the project's folder."""
        return str(DossierError(err.message, self._shown(err.path), err.line) if err.path else err)

    def _shown(self, path: Path) -> Path:
        root = self.root.absolute()
        return path.relative_to(root) if path.is_absolute() and path.is_relative_to(root) else path

    def page(self, url_path: str) -> tuple[int, str, bytes] | str:
        """Find the preview file for a URL path: (status, type, bytes), or a URL to redirect to."""
        site = self.site_dir.resolve()
        if not site.is_dir():  # no good build yet: the errors alone
            return 500, "text/html; charset=utf-8", EMPTY_PAGE
        target = (site / url_path.lstrip("/")).resolve()
        if not target.is_relative_to(site):
            target = site / "404.html/missing"
        if target.is_dir():
            if url_path and not url_path.endswith("/"):
                return "/" + url_path + "/"
            target = target / "index.html"
        status = 200
        if not target.is_file():
            status, target = 404, site / "404.html"
        if not target.is_file():
            return status, "text/html; charset=utf-8", EMPTY_PAGE
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        kind += "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("json", "xml")) else ""
        return status, kind, target.read_bytes()


# ---------------------------------------------------------------- what the browser receives


def decorate(page: bytes, errors: list[str], port: int) -> bytes:
    """Add the reload script (from 'self', so the site's CSP allows it) and, on errors, the overlay."""
    script = f'<script src="/livereload.js?port={port}" async></script>'.encode()  # async: never delays the page
    if errors:
        script += f'<link rel="stylesheet" href="{ERROR_CSS}">'.encode()
    head, sep, rest = page.partition(b"</head>")
    if not sep:
        return page
    page = head + script + sep + rest
    if errors:
        body = page.find(b"<body")
        start = page.find(b">", body) + 1 if body >= 0 else len(head + script + sep)
        page = page[:start] + error_overlay(errors).encode("utf-8") + page[start:]
    return page


def error_overlay(errors: list[str]) -> str:
    """The block that lists the errors above the last good page."""
    items = "".join(f"<li><pre>{html.escape(e)}</pre></li>" for e in errors)
    return (f'<div class="dossier-preview-error" role="alert" lang="en"><details open>'
            f"<summary>The preview could not be rebuilt: {len(errors)} error(s)</summary>"
            f"<ol>{items}</ol><p>Below: the last good build. Save a fix and this page reloads by itself.</p>"
            f"</details></div>")


# An empty page, for when there is no good build to show: the errors go into it like into any page.
EMPTY_PAGE = (b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Preview</title></head>'
              b"<body></body></html>")



class PageHandler(web.RequestHandler):
    """Serve the preview folder; HTML pages get the reload script and, on errors, the overlay."""

    def initialize(self, preview: Preview, port: int):
        self.preview, self.port = preview, port

    def get(self, url_path: str):
        found = self.preview.page(url_path)
        if isinstance(found, str):
            return self.redirect(found)
        status, kind, body = found
        if kind.startswith("text/html"):
            body = decorate(body, self.preview.errors, self.port)
            self.set_cookie(BUILD_COOKIE, str(self.preview.generation), samesite="Strict")
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.set_header("Cache-Control", "no-store")
        self.finish(body)


class ErrorStyleHandler(web.RequestHandler):
    """Serve the overlay's stylesheet (from 'self': the site's CSP forbids inline styles)."""

    def get(self):
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.finish(OVERLAY_CSS)


class ReloadHandler(LiveReloadHandler):
    """livereload's socket, plus: a page built before the latest rebuild reloads as soon as it connects.

    Without this, a save made while the browser is between loading a page and connecting would be lost.
    """

    preview: Preview | None = None

    def on_message(self, message):
        super().on_message(message)
        stale = self.get_cookie(BUILD_COOKIE) != str(self.preview.generation)
        if stale and escape.json_decode(message).get("command") == "info":
            self.send_message({"command": "reload", "path": "*", "liveCSS": True})


class RebuildingWatcher(Watcher):
    """livereload's polling watcher, made to poll often and to rebuild once per round of changes."""

    def __init__(self, preview: Preview):
        super().__init__()
        self.preview = preview
        self._changed: list[Path] | None = None  # None: nothing changed in this round
        self._inotify: Inotify | None = None  # set by start() where the kernel tells of changes
        self._pending = None  # the call after a pause for the rest of a save's events
        self._acknowledged: dict[str, int] = {}  # path -> mtime of records the preview's import wrote

    def note(self, paths=None) -> None:
        """Record changed files (livereload passes none when a file was deleted)."""
        self._changed = (self._changed or []) + [Path(p) for p in paths or []]

    def start(self, callback) -> bool:
        """Hear changes from the kernel where it can tell (inotify), else check now and after each pause
        (longer when checking takes long)."""
        self._callback, self._timer, self._scan_seconds = callback, None, 0.0
        self._inotify = self._open_inotify()
        if self._inotify is not None:
            ioloop.IOLoop.current().add_handler(self._inotify.fd, self._on_events, ioloop.IOLoop.READ)
        else:
            self._poll()
        return True

    def _open_inotify(self) -> Inotify | None:
        inotify = Inotify.open()
        if inotify is None:
            return None
        root = self.preview.root
        try:
            for folder in (root / "content", root / "templates"):
                if folder.is_dir():
                    inotify.watch_tree(str(folder))
            inotify.watch_folder(str(self.preview.config_path.parent))
        except OSError as exc:  # e.g. the system's limit of watches: poll instead
            log.debug("polling for changes: %s", exc)
            inotify.close()
            return None
        return inotify

    def _on_events(self, fd, events) -> None:
        paths = self._inotify.read()
        if paths is not None:
            paths = [p for p in dict.fromkeys(paths) if self._relevant(p)]
            if not paths:
                return
        self.note(paths)  # None: the kernel dropped events, anything may have changed
        if self._pending is None:  # a save is often several events: take them together
            self._pending = ioloop.IOLoop.current().call_later(EVENT_PAUSE, self._on_quiet)

    def _on_quiet(self) -> None:
        self._pending = None
        try:
            self._callback()
        except Exception:  # keep watching whatever happened
            log.exception("the watcher failed")

    def _relevant(self, path: str) -> bool:
        root, config = self.preview.root, self.preview.config_path
        if _ignored(path) or path == str(config):
            return path == str(config)
        if not any(path.startswith(str(root / folder) + os.sep) for folder in ("content", "templates")):
            return False
        try:
            return self._acknowledged.pop(path) != os.stat(path).st_mtime_ns
        except (KeyError, OSError):
            return True

    def stop(self) -> None:
        if self._timer is not None:
            ioloop.IOLoop.current().remove_timeout(self._timer)
        if self._pending is not None:
            ioloop.IOLoop.current().remove_timeout(self._pending)
        if self._inotify is not None:
            ioloop.IOLoop.current().remove_handler(self._inotify.fd)
            self._inotify.close()

    def _poll(self) -> None:
        try:
            self._callback()
        except Exception:  # keep watching whatever happened
            log.exception("the watcher failed")
        pause = max(POLL_SECONDS, POLL_PAUSE_FACTOR * self._scan_seconds)
        self._timer = ioloop.IOLoop.current().call_later(pause, self._poll)

    def examine(self):
        if self._inotify is not None:
            filepath, delay = (str(self._changed[-1]) if self._changed else "*"), None
        else:
            started = time.perf_counter()
            filepath, delay = super().examine()
            self._scan_seconds = time.perf_counter() - started
        if self._changed is None:
            return None, delay
        changed, self._changed = self._changed, None
        had_errors = bool(self.preview.errors)
        self.preview.rebuild(changed)
        self._acknowledge(self.preview.imported)
        self.preview.imported = []
        if had_errors or self.preview.errors or not str(filepath).endswith(".css"):
            filepath = "*"  # a whole-page reload; livereload swaps stylesheets alone for a .css path
        return filepath, delay


    def _acknowledge(self, written: list[Path]) -> None:
        """Take the records the preview's own import wrote as seen: the rebuild that imported them
        has read them already, so they must not set off another one (a whole rebuild, on a large dossier)."""
        for path in map(str, written):
            if self._inotify is not None and os.path.isfile(path):
                self._acknowledged[path] = os.stat(path).st_mtime_ns
            for pattern, task in self._tasks.items():
                folder = pattern.split("**", 1)[0]
                if "**" in pattern and path.startswith(folder) and os.path.isfile(path):
                    task["mtimes"][path] = os.path.getmtime(path)


def _ignored(path: str) -> bool:
    """Editors' backup and lock files."""
    name = Path(path).name
    return name.endswith("~") or name.startswith(("#", ".#"))


# ---------------------------------------------------------------- the server


def serve(config_path: Path, host: str = "127.0.0.1", port: int = 5500, strict: bool = False,
          on_ready: Callable[[str], None] = lambda url: None) -> None:
    """Serve a live preview of the dossier until interrupted; raise DossierError when the port is taken."""
    try:
        asyncio.run(_serve(config_path, host, port, strict, on_ready))
    except KeyboardInterrupt:  # where the loop cannot catch the signal itself
        pass


async def _serve(config_path: Path, host: str, port: int, strict: bool, on_ready) -> None:
    address = f"[{host}]" if ":" in host else host
    url = f"http://{address}:{port}/"
    with _preview_folder() as tmp:
        preview = Preview(config_path, Path(tmp) / "site", url, strict)
        server = _listen(preview, host, port)
        preview.rebuild()
        watcher = _watch(preview)
        on_ready(url)
        await _until_interrupted()
        watcher.stop()
        server.stop()
        for waiter in list(LiveReloadHandler.waiters):
            waiter.close()


def _preview_folder() -> tempfile.TemporaryDirectory:
    """A temporary folder, in memory where the system has one: writing 1,000 pages to disk takes seconds."""
    memory = Path("/dev/shm")
    where = str(memory) if memory.is_dir() and os.access(memory, os.W_OK) else None
    return tempfile.TemporaryDirectory(prefix="dossier-preview-", dir=where)


def _listen(preview: Preview, host: str, port: int):
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # else saves within 3 s of the last reload never reach the browser
    ReloadHandler.preview = preview
    app = web.Application([
        (r"/livereload", ReloadHandler),
        (r"/livereload.js", LiveReloadJSHandler),
        (ERROR_CSS, ErrorStyleHandler),
        (r"/(.*)", PageHandler, {"preview": preview, "port": port}),
    ])
    try:
        return app.listen(port, address=host)
    except OSError as exc:
        reason = "it is already in use" if exc.errno == errno.EADDRINUSE else exc.strerror
        raise DossierError(f"cannot serve on {host}:{port}: {reason}; choose another port with --port") from None


def _watch(preview: Preview) -> RebuildingWatcher:
    watcher = RebuildingWatcher(preview)
    root = preview.root
    for pattern in (root / "content" / "**" / "*", root / "templates" / "**" / "*"):
        watcher.watch(str(pattern), watcher.note, ignore=_ignored)
    watcher.watch(str(preview.config_path), watcher.note)
    LiveReloadHandler.watcher = watcher
    LiveReloadHandler.start_tasks()
    return watcher


async def _until_interrupted() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, AttributeError, ValueError):  # Windows: Ctrl-C raises KeyboardInterrupt
            pass
    await stop.wait()


OVERLAY_CSS = """\
.dossier-preview-error { position: fixed; z-index: 2147483647; top: 0; left: 0; right: 0;
  max-height: 70vh; overflow: auto; background: #fff5f5; color: #1a1a1a; border-bottom: 4px solid #b00020;
  box-shadow: 0 4px 16px rgba(0, 0, 0, .3); font: 16px/1.4 system-ui, sans-serif; padding: .5rem 1rem; }
.dossier-preview-error summary { cursor: pointer; font-weight: bold; color: #b00020; }
.dossier-preview-error ol { margin: .5rem 0; padding-left: 1.5rem; }
.dossier-preview-error pre { margin: 0; white-space: pre-wrap; font: 14px/1.4 ui-monospace, monospace; }
.dossier-preview-error p { margin: .25rem 0; }
"""
