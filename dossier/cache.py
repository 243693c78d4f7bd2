"""A content-addressed cache of parsed records, kept beside the output between builds.

Parsing YAML is most of the time spent reading records. The cache maps each record file, by the
digest of its bytes, to the object read from it, under the digest of the package's own code: a
record is taken from the cache only if its file holds exactly the bytes it was read from, by this
very code. So a stale or foreign cache can cost a re-read, never a stale page. Unreadable cache
files are ignored; files that no longer exist are dropped at the next save.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
from pathlib import Path

from .freshness import save_atomically
from .records import parse_record

PACKAGE = Path(__file__).parent
PARSE_AHEAD_FROM = 200  # record files to parse below which starting processes costs more than it saves


def code_digest() -> str:
    """The digest of the package's Python code: a new version reads every record again."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(f"{path.relative_to(PACKAGE)}\0".encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


class RecordStore:
    """Read records through the cache file; save() keeps what changed."""

    def __init__(self, file: Path, known: dict | None = None):
        """`known`: path -> digest of the file's bytes, from a scan of the inputs (freshness.InputScan):
        a record whose digest is known and cached is not read at all."""
        self.file, self.known = file, known or {}
        self.version = code_digest()
        self._old = self._load()
        self._new: dict[tuple, tuple] = {}
        self._new_memos: dict[tuple, object] = {}
        self.hits = self.misses = 0
        self.digests: dict[str, tuple] = {}  # path -> (digest of the file, digest of its front matter alone)
        self._parsed: dict[tuple, tuple] = {}  # (path, class name) -> (digest, record, front digest): parse_ahead
        self.ahead: dict[tuple, object] = {}  # (kind, key) -> value derived ahead (parse_ahead), for memo

    def _load(self) -> dict:
        """Read the cache: pickles (version, entries, memos, whole), those of a whole save (whole
        true) first, then the changes of later builds (see save)."""
        self._old_memos: dict = {}
        self._whole = False  # the file was read to its end without a fault: changes may be appended to it
        try:
            with self.file.open("rb") as f:
                version, entries, memos, whole = pickle.load(f)
                if version != self.version or not isinstance(entries, dict) or not isinstance(memos, dict) \
                        or whole is not True:
                    return {}
                self._base_size = f.tell()
                while f.peek(1):
                    version, more, more_memos, whole = pickle.load(f)
                    if version != self.version:
                        raise ValueError(version)
                    entries.update(more)
                    memos.update(more_memos)
                    if whole:
                        self._base_size = f.tell()
                self._size = f.tell()
        except Exception:  # missing, truncated, from another Python or version: start afresh
            return {}
        self._old_memos, self._whole = memos, True
        return entries

    def memo(self, kind: str, key: bytes, compute):
        """What `compute()` gives, kept between builds under (kind, key): key must be a digest of every
        input of compute (the code's own digest is the store's version). A value derived ahead under
        (kind, key) in the parsing processes (parse_ahead) is taken instead of computing it."""
        entry = (kind, key)
        if entry in self._new_memos:
            return self._new_memos[entry]
        if entry in self._old_memos:
            value = self._old_memos[entry]
        elif entry in self.ahead:
            value = self.ahead.pop(entry)
        else:
            value = compute()
        self._new_memos[entry] = value
        return value

    def _holds(self, path: str, cls) -> bool:
        """Is the record of this file, as the input scan found it, in the cache?"""
        known = self._old.get((path, cls.__name__))
        return known is not None and known[0] == self.known.get(path)

    def read(self, path: Path, cls):
        key = (str(path), cls.__name__)
        known = self._old.get(key)
        if self._holds(key[0], cls):
            self.hits += 1
            self._new[key] = known
            self.digests[key[0]] = (known[0], known[2])
            return known[1]
        parsed = self._parsed.pop(key, None)
        if parsed is None:
            data = path.read_bytes()
            digest, front = _digests(data)
        else:
            digest, record, front = parsed
        if known is not None and known[0] == digest and known[2] == front:
            self.hits += 1
            self._new[key] = known
            self.digests[key[0]] = (digest, front)
            return known[1]
        self.misses += 1
        if parsed is None:
            record = parse_record(data, path, cls)  # errors are not cached: raised at every build
        self._new[key] = (digest, record, front)
        self.digests[key[0]] = (digest, front)
        return record

    def parse_ahead(self, folder: Path, cls, jobs: int, derive=None) -> None:
        """Parse in `jobs` processes the record files of `folder` that the cache does not hold, for
        read() to take: YAML parsing is most of a first build's reading (2.7 s at 10,000 questions,
        in one process). A file that fails to parse is left to read(), which reports it as ever.
        The files are those of the input scan (`known`): listing the folder again cost 60 ms at
        10,000 questions, for a build after an edit that parses one file. `derive(record)`, when
        given, runs there too on each record parsed, and returns [(kind, key, value)]: what
        memo(kind, key, ...) then gives without computing it (a first build's topic matching, 1.3 s at
        10,000 questions in one process, shared by the parsing processes)."""
        if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        prefix = os.path.join(str(folder), "")
        paths = [Path(path) for path in self.known if path.startswith(prefix) and path.endswith(".md")
                 and os.sep not in path[len(prefix):] and not self._holds(path, cls)]
        if len(paths) < PARSE_AHEAD_FROM:
            return
        global _DERIVE
        _DERIVE = derive  # inherited by the processes as they fork, not sent with every file
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for path, parsed in zip(paths, pool.imap(_parse_ahead, [(path, cls) for path in paths], chunksize=64)):
                    if parsed[1] is not None:
                        self._parsed[(str(path), cls.__name__)] = parsed[:3]
                        self.ahead.update(((kind, key), value) for kind, key, value in parsed[3])
        finally:
            _DERIVE = None

    def save(self) -> None:
        """Keep what this build read and derived. When most of the cache is still of use, only the
        changes are appended (rewriting 10,000 parsed records for one edit costs a second); now and
        then, or when the file is not whole, it is written afresh (atomically)."""
        changed = {key: entry for key, entry in self._new.items() if self._old.get(key) is not entry}
        new_memos = {key: value for key, value in self._new_memos.items() if key not in self._old_memos}
        stale = len(self._old.keys() - self._new.keys()) + len(self._old_memos.keys() - self._new_memos.keys())
        if not changed and not new_memos and not stale:
            return  # every record and derived value as it was
        if self._whole and stale <= (len(self._new) + len(self._new_memos)) // 4 and self._size < 2 * self._base_size:
            with self.file.open("ab") as f:
                pickle.dump((self.version, changed, new_memos, False), f, protocol=pickle.HIGHEST_PROTOCOL)
            return
        save_atomically(self.file, self._write_whole)

    SAVE_CHUNK = 1000  # entries per pickle: a pickler remembers every object it wrote (~4 KB per record)

    def _write_whole(self, f) -> None:
        """Everything, in pickles of SAVE_CHUNK entries and memos: one pickle of 10,000 records would
        hold ~40 MB of the pickler's memory of what it wrote, at the build's end."""
        entries, memos = list(self._new.items()), list(self._new_memos.items())
        for start in range(0, max(len(entries), len(memos), 1), self.SAVE_CHUNK):
            end = start + self.SAVE_CHUNK
            pickle.dump((self.version, dict(entries[start:end]), dict(memos[start:end]), True), f,
                        protocol=pickle.HIGHEST_PROTOCOL)


def _digests(data: bytes) -> tuple[bytes, bytes]:
    """The digests of a record file's bytes and of its front matter alone (all but the texts)."""
    end = data.find(b"\n---", 3)
    return (hashlib.blake2b(data, digest_size=20).digest(),
            hashlib.blake2b(data[:end] if end > 0 else data, digest_size=20).digest())


_DERIVE = None  # parse_ahead's `derive`, in the parsing processes


def _parse_ahead(job: tuple) -> tuple:
    """(digest, record, front digest, derived) of a record file, or Nones when it fails to be read or
    parsed: read() then reads it again in the build's own process, and reports why as without
    parse_ahead. `derived`: what _DERIVE made of the record ([] when it fails: then computed later)."""
    path, cls = job
    try:
        data = path.read_bytes()
        digest, front = _digests(data)
        record = parse_record(data, path, cls)
    except Exception:  # unreadable, or gone since the scan: read() meets it in turn
        return None, None, None, []
    try:
        derived = _DERIVE(record) if _DERIVE is not None else []
    except Exception:  # whatever it is, the build's own process meets it where it computes the value
        derived = []
    return digest, record, front, derived
