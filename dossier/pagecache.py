"""Render again only the pages whose inputs changed.

A page is a function of the site's *structure* and of the question texts it reads. The structure is
everything but the questions' texts: the code, the templates and their assets, the config, the
options, every deputy and editorial page record, every question record's front matter, and what
the index derives from the texts (titles, statuses, topics, related questions). Its digest is
`structure_digest`; any change to it renders every page again.

Within one structure, a question's text (`question_text`, `answer_text`) reaches a page only when
the page reads that attribute of the question's record. While pages render, `site.questions` holds
stand-ins for the views whose records note such reads (`tracked`); a page whose context holds a
question (its own page) counts as reading that question's texts. The cache keeps, with the
structure's digest, what each page read and the digest of every question's record file. At the
next build, in the same structure, a page none of whose questions' record files changed is not
rendered: its file in the published site is kept, after checking that its size and modification
time are those recorded when it was written (a hand-edited output file is rendered again).

So an edit to a question's text renders its own page and the pages that quote it (related
questions highlight the passages they share); lists of questions, which show only front-matter
facts, are not rendered again. An edit anywhere else renders everything, as before.
"""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
from dataclasses import FrozenInstanceError
from pathlib import Path

from .freshness import save_atomically
from .indexes import QuestionView, SiteData
from .model import Question


def _digest(*parts) -> bytes:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        h.update(b"\0")
    return h.digest()


_touched: set = set()  # uids whose texts the page being rendered read


class _NotingRecord(Question):
    """A question record as pages see it while they render: the record itself, reads of its texts noted.

    It shares the record's attributes (its very __dict__), not a copy of them: a page listing every
    question (the question index) makes one per question, and copying a record's ~30 attributes cost
    ~3 KB each in the rendering process that made it (150 MB at 50,000 questions). Every other
    attribute is read as fast as the record's own: a stand-in answering through __getattr__ made
    each read raise and catch an AttributeError first (a topic page listing 1,000 questions took 35 %
    longer, a question's feed 25 %)."""

    @property
    def question_text(self) -> str:
        _touched.add(self.uid)
        return self.__dict__["question_text"]

    @question_text.setter
    def question_text(self, value: str) -> None:  # as a dataclass sets its fields (dataclasses.replace)
        self.__dict__["question_text"] = value

    @property
    def answer_text(self) -> str | None:
        _touched.add(self.uid)
        return self.__dict__["answer_text"]

    @answer_text.setter
    def answer_text(self, value: str | None) -> None:
        self.__dict__["answer_text"] = value

    def __setattr__(self, name, value):  # frozen as the record is: its attributes are the record's own
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce_ex__(self, protocol):
        """Copied or pickled as the record itself, texts and all: a read of them."""
        _touched.add(self.uid)
        return _itself, (_shared(Question, self),)


def _itself(obj):
    return obj


def _shared(cls, record: Question):
    """A `cls` whose attributes are the record's own (its __dict__, shared)."""
    made = object.__new__(cls)
    object.__setattr__(made, "__dict__", record.__dict__)
    return made


def _noting(record: Question) -> _NotingRecord:
    return _shared(_NotingRecord, record)


def _noting_view(view):
    """A copy of the view (a few slots) whose record is a _NotingRecord."""
    handed = copy.copy(view)
    object.__setattr__(handed, "record", _noting(view.record))
    return handed


class tracked(dict):
    """site.questions while pages render (uid -> view): each view handed out is a copy of the view
    whose record (a _NotingRecord) notes when its texts are read. They are made as they are asked
    for: most rebuilds render few pages."""

    def __init__(self, questions: dict):
        super().__init__(questions)
        self._handed: dict = {}

    def __getitem__(self, uid):
        view = self._handed.get(uid)
        if view is None:
            view = self._handed[uid] = _noting_view(dict.__getitem__(self, uid))
        return view

    def get(self, uid, default=None):
        return self[uid] if uid in self else default

    def values(self):
        return [self[uid] for uid in self]

    def items(self):
        return [(uid, self[uid]) for uid in self]

    def __reduce__(self):  # the original views when pickled
        return dict, (dict(dict.items(self)),)


def start_page(context: dict) -> None:
    _touched.clear()
    _touched.update(v.uid for v in context.values() if isinstance(v, QuestionView))


def page_reads() -> tuple:
    """The uids of the questions whose texts the page rendered since start_page read, sorted."""
    return tuple(sorted(_touched))


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
    """The files of the last build: what each page read and its key, and each file's digest, size and time.

    The record of every published file (`files`, output -> (digest, size, mtime_ns)) is also what lets
    a build publish in place (see pipeline.publish): a file whose size and time are as recorded holds
    the bytes recorded, unless someone rewrote it keeping both, which no editor does.
    """

    def __init__(self, file: Path, out_dir: Path, structure: bytes, question_files: dict):
        self.file, self.out_dir, self.structure = file, out_dir, structure
        self._prefix = os.path.join(out_dir, "")
        self.texts = {uid: digests[0] for uid, digests in question_files.items()}
        self._pages, self.files, self.chunks, self._texts = self._load()
        self._new_pages: dict[str, tuple] = {}  # output -> uids whose texts it read
        self.new_files: dict[str, tuple] = {}  # filled by publish()
        self.new_chunks: dict[str, tuple] = {}
        self.kept: set[str] = set()  # outputs left as published: nothing they read has changed

    def _load(self) -> tuple[dict, dict, dict, dict]:
        """The last build's pages (output -> uids read), files, chunks and texts (uid -> record file digest)."""
        try:
            with self.file.open("rb") as f:
                structure, pages, files, chunks, texts = pickle.load(f)
            if not all(isinstance(x, dict) for x in (pages, files, chunks, texts)):
                raise ValueError
        except Exception:  # missing, truncated, from another version: render and write everything
            return {}, {}, {}, {}
        return (pages if structure == self.structure else {}), files, chunks, texts

    def unchanged(self, reads: tuple) -> bool:
        """Are the texts of these questions those the last build read (their record files the same)?
        Comparing the files' digests, not a digest of them per page: 21,000 pages at 10,000 questions."""
        old, new = self._texts, self.texts
        for uid in reads:
            digest = new.get(uid)
            if digest is None or old.get(uid) != digest:
                return False
        return True

    def published(self, output: str, files: dict | None = None) -> bool:
        """Does the published file hold the bytes recorded at the last build (same size and time)?"""
        known = (self.files if files is None else files).get(output)
        if known is None:
            return False
        try:
            stat = os.stat(self._prefix + output)
        except OSError:
            return False
        return known[1] == stat.st_size and known[2] == stat.st_mtime_ns

    def cached(self, output: str) -> bool:
        """Is the published file what rendering the page now would give (nothing it read has changed)?"""
        reads = self._pages.get(output)
        if reads is None or not self.unchanged(reads) or not self.published(output):
            return False
        self._new_pages[output] = reads
        self.kept.add(output)
        return True

    def rendered(self, output: str, reads: tuple) -> None:
        if all(uid in self.texts for uid in reads):
            self._new_pages[output] = reads

    def save(self) -> None:
        save_atomically(self.file, lambda f: pickle.dump((self.structure, self._new_pages, self.new_files,
                                                          self.new_chunks, self.texts), f,
                                                         protocol=pickle.HIGHEST_PROTOCOL))

    def forget(self) -> None:
        """Before the published site changes in place: until save(), nothing of it is trusted."""
        self.file.unlink(missing_ok=True)
