"""A content-addressed cache of parsed records, kept beside the output between builds.

Parsing YAML is most of the time spent reading records. The cache maps each record file, by the
digest of its bytes, to the object read from it, under the digest of the package's own code: a
record is taken from the cache only if its file holds exactly the bytes it was read from, by this
very code. So a stale or foreign cache can cost a re-read, never a stale page. Unreadable cache
files are ignored; files that no longer exist are dropped at the next save.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from .records import parse_record

PACKAGE = Path(__file__).parent


def code_digest() -> str:
    """The digest of the package's Python code: a new version reads every record again."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(f"{path.relative_to(PACKAGE)}\0".encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


class RecordStore:
    """Read records through the cache file; save() writes it back (atomically) when it changed."""

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

    def _load(self) -> dict:
        try:
            with self.file.open("rb") as f:
                version, entries, memos = pickle.load(f)
        except Exception:  # missing, truncated, from another Python or version: start afresh
            self._old_memos: dict = {}
            return {}
        if version != self.version or not isinstance(entries, dict) or not isinstance(memos, dict):
            self._old_memos = {}
            return {}
        self._old_memos = memos
        return entries

    def memo(self, kind: str, key: bytes, compute):
        """What `compute()` gives, kept between builds under (kind, key): key must be a digest of every
        input of compute (the code's own digest is the store's version)."""
        entry = (kind, key)
        if entry in self._new_memos:
            return self._new_memos[entry]
        value = self._old_memos[entry] if entry in self._old_memos else compute()
        self._new_memos[entry] = value
        return value

    def read(self, path: Path, cls):
        key = (str(path), cls.__name__)
        known = self._old.get(key)
        if known is not None and known[0] == self.known.get(key[0]):
            self.hits += 1
            self._new[key] = known
            self.digests[key[0]] = (known[0], known[2])
            return known[1]
        data = path.read_bytes()
        digest = hashlib.blake2b(data, digest_size=20).digest()
        end = data.find(b"\n---", 3)  # the front matter: all but the texts
        front = hashlib.blake2b(data[:end] if end > 0 else data, digest_size=20).digest()
        if known is not None and known[0] == digest:
            self.hits += 1
            record = known[1]
        else:
            self.misses += 1
            record = parse_record(data, path, cls)  # errors are not cached: raised at every build
        self._new[key] = (digest, record, front)
        self.digests[key[0]] = (digest, front)
        return record

    def save(self) -> None:
        unchanged = self.misses == 0 and len(self._new) == len(self._old)
        if unchanged and self._new_memos.keys() == self._old_memos.keys():
            return  # every record and derived value as it was
        partial = self.file.with_name(self.file.name + ".tmp")
        with partial.open("wb") as f:
            pickle.dump((self.version, self._new, self._new_memos), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, self.file)
