"""Rebuild in a long-lived process (the preview) by updating the last build instead of redoing it.

The last full build of the process leaves its work here: records, site data, page plan, caches.
When a save changes only the texts of existing questions (their front matter unchanged, and so
their titles, statuses, topics and related questions), the site's structure is the same (see
pagecache.py): the update renders the pages that read those texts, remakes their open data,
writes those files into the published folder, and keeps everything else. Anything else, or any
doubt (an error, a warning, a new or removed file, a changed status or relation), is left to a
full build, which reports it exactly as `python build.py` would. So the site is always the one a
full build makes; tests/test_session.py checks that after each kind of edit.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import DossierError, Problems
from .indexes import match_topics, question_status, related_questions
from .model import Question
from .opendata import QUESTIONS_JSON, _indented, _json, question_json_output, question_record
from .pagecache import tracked


@dataclass
class _Last:
    """What the last full build left: see Session.keep."""

    config: object
    as_of: object
    records: object
    site: object
    plan: list
    store: object
    pages: object
    inputs: object
    questions_json: bytes
    environment: object
    warnings: list
    related: object  # passages.RelatedIndex


class Session:
    """The last build of this process, updated in place for saves that change question texts only."""

    def __init__(self):
        self.last: _Last | None = None
        self._unsaved = False

    def keep(self, **last) -> None:
        self.last = _Last(**last)
        self.last.questions_json = bytearray(self.last.questions_json)  # updated in place
        self._unsaved = False

    def _positions(self, last: _Last) -> dict:
        """path -> index of the question record in last.records.questions (the same until a full build)."""
        if getattr(last, "positions", None) is None:
            last.positions = {str(path): i for i, (_, path) in enumerate(last.records.questions)}
        return last.positions

    def forget(self) -> None:
        """Drop the last build (the next is a full one), saving first the record of what is published."""
        if self.last is not None and self._unsaved:
            self.last.pages.save()
        self.last = None

    def quick(self, changed: list[Path], out_dir: Path):
        """Update the last build for these changed files; None when a full build is needed instead."""
        from .pipeline import BuildResult, publish_files, render_pages  # the pipeline imports this module

        last, started = self.last, time.perf_counter()
        if last is None or not changed or not out_dir.is_dir():
            return None
        position = self._positions(last)
        sources = str(last.config.path.parent / "content" / "sources") + os.sep  # never read by the build
        updates = {}  # path -> (index in records.questions, new record, digest, front digest, stat)
        for path in {str(p) for p in changed if not str(p).startswith(sources)}:
            if path not in position or not os.path.isfile(path):
                return None
            data, stat = _read(path)
            digest = hashlib.blake2b(data, digest_size=20).digest()
            if last.inputs.entries.get(path, (None,) * 5)[4] == digest:
                continue  # saved again unchanged
            end = data.find(b"\n---", 3)
            front = hashlib.blake2b(data[:end] if end > 0 else data, digest_size=20).digest()
            if last.store.digests.get(path, (None, None))[1] != front:
                return None  # the front matter changed: the structure may have
            try:
                record = _parse(data, Path(path))
            except DossierError:
                return None  # reported by the full build, as everywhere
            updates[path] = (position[path], record, digest, front, stat)
        pages = last.pages
        if not updates:  # saved again as it was
            return BuildResult(out_dir, len(last.plan), len(pages.new_files), {"update": time.perf_counter() - started},
                               list(last.warnings))
        config, site, problems = last.config, last.site, Problems()
        views = dict(site.questions)
        for path, (i, record, *_rest) in updates.items():
            old = views[record.uid] if record.uid in views else None
            if old is None or old.record.uid != last.records.questions[i][0].uid:
                return None
            view = replace(old, record=record)
            if (question_status(record, config, site.as_of, problems, Path(path)) != old.status
                    or match_topics(config.topics, record, problems, Path(path), last.store.memo) != old.topics):
                return None
            views[record.uid] = view
        if problems.errors or problems.warnings:
            return None
        related = related_questions(list(views), [v.record.question_text for v in views.values()], last.store.memo,
                                    last.related)
        if any(related.get(uid, ()) != v.related for uid, v in views.items()):
            return None
        site2 = replace(site, questions=views)
        changed_uids = {record.uid for _, record, *_ in updates.values()}
        pages = last.pages
        plan, outputs = [], set()
        for page in last.plan:
            if page.template == "question.html" and page.context["q"].uid in changed_uids:
                page = replace(page, context={"q": views[page.context["q"].uid]})
            plan.append(page)
        for output, reads in pages._new_pages.items():
            if changed_uids.intersection(reads):
                outputs.add(output)
        to_render = [page for page in plan if page.output in outputs]
        reads: dict = {}
        records_made: dict = {}
        files = render_pages(last.environment, replace(site2, questions=tracked(views)), to_render, problems,
                             records_made, 1, None, frozenset(), reads)
        if problems.errors or len(files) != len(to_render):
            return None
        questions_json = last.questions_json  # a bytearray: a record replaced moves only what follows it
        offsets = dict(pages.new_chunks)
        for uid in sorted(changed_uids, key=lambda u: offsets[u][0], reverse=True):  # from the end: offsets hold
            data = records_made.get(uid) or _json(question_record(views[uid]))
            files[question_json_output(views[uid])] = data
            start, end = offsets[uid]
            chunk = _indented(data)
            questions_json[start:end] = chunk
            shift = len(chunk) - (end - start)
            if shift:
                for other, (s, e) in offsets.items():
                    if s > start:
                        offsets[other] = (s + shift, e + shift)
                offsets[uid] = (start, start + len(chunk))
        files[QUESTIONS_JSON] = questions_json
        pages.new_chunks = {}  # until published: a failed publish leaves no stale offsets
        written = publish_files(out_dir, files, pages, certainly_changed={QUESTIONS_JSON})
        for path, (_, record, digest, _, _) in updates.items():  # only once published
            pages.texts[record.uid] = digest
        for output, page_read in reads.items():
            pages.rendered(output, page_read)
        for uid in changed_uids:
            pages.rendered(question_json_output(views[uid]), (uid,))
        pages.new_chunks = offsets
        for path, (i, record, digest, front, stat) in updates.items():
            last.records.questions[i] = (record, Path(path))
            last.store._new[(path, Question.__name__)] = (digest, record, front)
            last.store.digests[path] = (digest, front)
            last.inputs.entries[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, digest)
            last.inputs.digests[path] = digest
        last.site, last.plan = site2, plan
        self._unsaved = True  # saved before the next full build (forget): 0.1 s a save at 10,000 questions
        timings = {"update": time.perf_counter() - started}
        return BuildResult(out_dir, len(plan), len(pages.new_files), timings, list(last.warnings), changed=written,
                           rendered=len(to_render))


def _read(path: str):
    with open(path, "rb") as f:
        return f.read(), os.fstat(f.fileno())


def _parse(data: bytes, path: Path):
    from .records import parse_record

    return parse_record(data, path, Question)
