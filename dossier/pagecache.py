"""Render again only the pages whose inputs changed.

A page is a function of the site's *structure* and of the questions it reads. The structure is
everything but the questions' texts: the code, the templates and their assets, the config, the
options, every deputy and editorial page record, every question record's front matter, and what
the index derives from the texts (titles, statuses, topics, related questions). Its digest is
`structure_digest`; any change to it renders every page again.

Within one structure, a question's text can reach a page only through `site.questions`, which is a
`Tracking` mapping while pages render: every question a page looks up is noted, and reading all of
them (`.values()`, `.items()`) makes the page depend on all. A page's key is then the digest of the
structure and of the record files of the questions it read. At the next build, a page whose key is
unchanged is not rendered: its bytes are taken from the published site, after checking them
against the digest recorded when they were written (a hand-edited output file is rendered again).

So an edit to a question's text renders its own page and feed, the pages that list or quote it,
and the pages that read every question; an edit anywhere else renders everything, as before.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from .indexes import QuestionView, SiteData

ALL = "*"  # a page that read every question


def _digest(*parts) -> bytes:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        h.update(b"\0")
    return h.digest()


class Tracking(dict):
    """site.questions while pages render: notes which questions are looked up."""

    touched: set = set()
    read_all = False

    def __getitem__(self, uid):
        Tracking.touched.add(uid)
        return dict.__getitem__(self, uid)

    def get(self, uid, default=None):
        Tracking.touched.add(uid)
        return dict.get(self, uid, default)

    def values(self):
        Tracking.read_all = True
        return dict.values(self)

    def items(self):
        Tracking.read_all = True
        return dict.items(self)

    def __reduce__(self):  # a plain dict when pickled
        return dict, (dict(self),)


def start_page(context: dict) -> None:
    Tracking.touched = {v.uid for v in context.values() if isinstance(v, QuestionView)}
    Tracking.read_all = False


def page_reads():
    """What the page rendered since start_page read: ALL, or the sorted uids."""
    return ALL if Tracking.read_all else tuple(sorted(Tracking.touched))


def structure_digest(site: SiteData, question_files: dict, other_files: list, root: Path, code: str,
                     options: tuple) -> bytes:
    """The digest of all a page may depend on, but the questions' texts (see the module's doc).

    `question_files`: uid -> (file digest, front-matter digest); `other_files`: the digests of the
    deputy and editorial page records.
    """
    h = hashlib.blake2b(digest_size=20)
    h.update(_digest(code, options, sorted(other_files)))
    templates = root / "templates"
    for path in sorted(templates.rglob("*")) if templates.is_dir() else []:
        if path.is_file():
            h.update(_digest(str(path.relative_to(templates)), path.read_bytes()))
    photos = root / "content" / "deputies" / "photos"
    for path in sorted(photos.iterdir()) if photos.is_dir() else []:
        if path.is_file():
            h.update(_digest(path.name, path.read_bytes()))
    h.update(site.config.path.read_bytes())
    for uid, v in site.questions.items():
        h.update(_digest(uid, question_files[uid][1], v.title, v.topics, v.related, v.status))
    return h.digest()


class PageCache:
    """The pages of the last build: what each read, its key, the digest of its bytes."""

    def __init__(self, file: Path, out_dir: Path, structure: bytes, question_files: dict):
        self.file, self.out_dir, self.structure = file, out_dir, structure
        self.texts = {uid: digests[0] for uid, digests in question_files.items()}
        self._old = self._load()
        self._new: dict[str, tuple] = {}
        self.reused: set[str] = set()  # outputs whose bytes were read back from the published site

    def _load(self) -> dict:
        try:
            with self.file.open("rb") as f:
                structure, pages = pickle.load(f)
        except Exception:  # missing, truncated, from another version: render everything
            return {}
        return pages if structure == self.structure and isinstance(pages, dict) else {}

    def key(self, reads) -> bytes | None:
        if reads == ALL:
            return _digest(self.structure, ALL, tuple(self.texts.items()))
        if any(uid not in self.texts for uid in reads):
            return None
        return _digest(self.structure, tuple((uid, self.texts[uid]) for uid in reads))

    def cached(self, output: str) -> bytes | None:
        """The page's bytes from the published site, if nothing it read has changed since."""
        known = self._old.get(output)
        if known is None:
            return None
        reads, key, digest = known
        if key != self.key(reads):
            return None
        try:
            data = (self.out_dir / output).read_bytes()
        except OSError:
            return None
        if hashlib.blake2b(data, digest_size=20).digest() != digest:
            return None
        self._new[output] = known
        self.reused.add(output)
        return data

    def rendered(self, output: str, reads, data: bytes) -> None:
        key = self.key(reads)
        if key is not None:
            self._new[output] = (reads, key, hashlib.blake2b(data, digest_size=20).digest())

    def save(self) -> None:
        partial = self.file.with_name(self.file.name + ".tmp")
        with partial.open("wb") as f:
            pickle.dump((self.structure, self._new), f, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(self.file)
