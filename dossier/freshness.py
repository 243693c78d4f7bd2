"""Is the site already built from these very inputs? Answered without loading the build's machinery,
so that a build with nothing to do returns at once (see cli._build)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import time
from pathlib import Path
from stat import S_ISREG

from .errors import BuildFailed, DossierError

PACKAGE = Path(__file__).parent


def build_options(base_url: str | None, strict: bool, as_of: dt.date, search: bool) -> tuple:
    """The options that change the output (not --jobs nor the cache, which never do)."""
    return (base_url, strict, as_of.isoformat(), search)


def cache_file(out_dir: Path, name: str) -> Path:
    """A file of the build's caches: all live in one folder beside the output (.site.cache/ for site/),
    which may be deleted at will (the next build is then a full one)."""
    folder = out_dir.with_name(f".{out_dir.name}.cache")
    if folder.is_file():  # the record cache of earlier versions
        folder.unlink()
    return folder / name


def save_atomically(path: Path, write) -> None:
    """Write a cache file whole or not at all: `write(f)` into a file beside it, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    with partial.open("wb") as f:
        write(f)
    os.replace(partial, path)


def state_file(out_dir: Path) -> Path:
    """Where the fingerprint of the last successful build into out_dir is kept."""
    return cache_file(out_dir, "state")


def is_up_to_date(out_dir: Path, fingerprint: str) -> bool:
    state = state_file(out_dir)
    return out_dir.is_dir() and state.is_file() and state.read_text(encoding="utf-8") == fingerprint


RACY_NS = 2_000_000_000  # a file changed this close to the scan that hashed it is hashed again


class InputScan:
    """Every file a build reads, with the digest of its bytes.

    The digests of the last scan are kept beside the output (`.site.cache/inputs`) with each file's size,
    times and inode: a file whose four are unchanged is not read again (as git does, ctime included,
    which no program can set back). A file changed within RACY_NS of the scan that hashed it is
    hashed again, so that a second edit in the same tick of a coarse clock is not missed either.
    """

    def __init__(self, config_path: Path, out_dir: Path, defer_records: bool = False):
        """With `defer_records`, and when there is no earlier scan to compare with, the record files
        (content/questions/*.md, content/deputies/*.md) are not read now: their digests are None
        until the build gives those of the bytes it parsed (see provide), as it reads them anyway
        (hashing 10,000 of them here took 0.5 s of a first build, in one process). Only for a build
        that needs no fingerprint before it has read its records, and reads them through the
        record cache (RecordStore keeps each file's digest)."""
        self.config_path, self.file = config_path, cache_file(out_dir, "inputs")
        self.started = time.time_ns()
        known, trusted_before = self._load()
        content = config_path.parent / "content"  # spelt as _input_files spells the paths
        deferred = {str(content / "questions"), str(content / "deputies")} if defer_records and not known else ()
        self.entries: dict[str, tuple] = {}  # path -> (size, mtime_ns, ctime_ns, inode, digest)
        self.hashed = 0  # files read this time
        for path, stat in _input_files(config_path):
            key = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
            old = known.get(path)
            if old is not None and old[:4] == key and max(key[1], key[2]) < trusted_before:
                self.entries[path] = old
            elif deferred and path.endswith(".md") and os.path.dirname(path) in deferred:  # a record file
                self.entries[path] = key + (None,)
            else:
                self.hashed += 1
                self.entries[path] = key + (_file_digest(path),)
        self.digests = {path: entry[4] for path, entry in self.entries.items()}

    def provide(self, digests: dict) -> None:
        """The digests of files whose reading was deferred (path -> digest of the bytes the build read)."""
        for path, digest in self.digests.items():
            if digest is None and path in digests:
                self.digests[path] = digests[path]
                self.entries[path] = self.entries[path][:4] + (digests[path],)

    def _complete(self) -> None:
        """Read the deferred files the build did not give (gone since the scan: b"", never a match)."""
        for path, digest in self.digests.items():
            if digest is None:
                try:
                    self.digests[path] = _file_digest(path)
                except OSError:
                    self.digests[path] = b""
                self.entries[path] = self.entries[path][:4] + (self.digests[path],)

    def _load(self) -> tuple[dict, int]:
        try:
            with self.file.open("rb") as f:
                started, entries = pickle.load(f)
            if isinstance(entries, dict) and isinstance(started, int):
                return entries, started - RACY_NS
        except Exception:  # missing or damaged: hash everything
            pass
        return {}, 0

    def fingerprint(self, options: tuple) -> str:
        """Sum up everything a build reads: the bytes of every file under content/ (but the sources,
        which the build never reads), templates/ and the package's own code, the config, and the options."""
        self._complete()
        digest = hashlib.sha256(repr(options).encode("utf-8"))
        for path, entry in self.entries.items():
            digest.update(f"{path}\0".encode("utf-8"))
            digest.update(entry[4])
        return digest.hexdigest()

    def save(self) -> None:
        self._complete()
        save_atomically(self.file, lambda f: pickle.dump((self.started, self.entries), f, protocol=pickle.HIGHEST_PROTOCOL))


def _file_digest(path: str) -> bytes:
    with open(path, "rb") as f:
        return hashlib.blake2b(f.read(), digest_size=20).digest()


def _input_files(config_path: Path):
    """(path, stat) of every input file, in a fixed order."""
    root = config_path.parent  # paths spelt as the build spells them: Path(root / "content" / name)
    sources = str(root / "content" / "sources")
    if config_path.is_file():  # else the build says it is missing
        yield str(config_path), os.stat(config_path)
    for top in (str(root / "content"), str(root / "templates"), str(PACKAGE)):
        for folder, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and os.path.join(folder, d) != sources)
            for name in sorted(names):
                path = os.path.join(folder, name)
                stat = os.stat(path)
                if S_ISREG(stat.st_mode):
                    yield path, stat


def build_date() -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError):
            raise BuildFailed([DossierError(f"SOURCE_DATE_EPOCH must be a number of seconds: '{epoch}'")]) from None
    return dt.date.today()
