"""The open data of the site (data/questions.json, deputies.json, topics.json), per the shared schema."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import tempfile

from .indexes import QuestionView, SiteData
from .render import sanitised_html


CSV_COLUMNS = ("uid", "legislature", "type", "numero", "url", "title", "author.name", "author.civility",
               "author.group", "author.group_abbr", "author.circonscription", "status", "status_inferred",
               "rubrique", "ministere_interroge", "ministere_attributaire", "date_question", "page_question",
               "date_reponse", "page_reponse", "date_cloture", "motif_cloture", "date_echeance",
               "delai_reponse_jours", "hors_delai", "topics", "related")


QUESTIONS_JSON = "data/questions.json"


class Parts(list):
    """A file's bytes as a list of parts, written one after the other: bytes, or Stored bytes.
    `changed`: known to differ from the published file's bytes (which need not then be hashed to
    tell whether to write it)."""

    changed = False

    def pieces(self):
        """The parts as bytes, read one at a time."""
        for part in self:
            yield part.read() if isinstance(part, Stored) else part


class Stored:
    """Bytes that lie in a file, read when they are written out: a question's part of
    data/questions.json, set aside in a Spool or found in the published file. A cold build at
    10,000 questions so keeps 95 MB out of memory."""

    __slots__ = ("file", "start", "length")

    def __init__(self, file, start: int, length: int):
        self.file, self.start, self.length = file, start, length

    def __len__(self) -> int:
        return self.length

    def read(self) -> bytes:
        data = os.pread(self.file.fileno(), self.length, self.start)
        if len(data) != self.length:
            raise OSError(f"{getattr(self.file, 'name', 'a spool file')} is shorter than expected")
        return data


class Spool:
    """An unnamed temporary file that bytes are appended to and read back from (as Stored).

    It lies in `folder` (beside the output, not in a /tmp that may be memory) and disappears when
    closed, or when the process ends however it ends."""

    def __init__(self, folder):
        self._file = tempfile.TemporaryFile(dir=folder, buffering=0)
        self._end = 0

    def add(self, data: bytes) -> Stored:
        view = memoryview(data)
        while view:
            view = view[self._file.write(view):]
        stored = Stored(self._file, self._end, len(data))
        self._end += len(data)
        return stored

    def close(self) -> None:
        self._file.close()


SITE_WIDE = ("data/questions.csv", "data/deputies.json", "data/topics.json")  # made of front-matter facts alone


def question_json_output(view: QuestionView) -> str:
    return f"{view.url.lstrip('/')}question.json"


def open_data_files(site: SiteData, records: dict | None = None, kept: frozenset = frozenset(),
                    chunks: dict | None = None, sink=None, whole: bool = True) -> tuple[dict, dict[str, tuple], bytes | None]:
    """Return the open-data files (path -> bytes, written the same way every time), where each
    question's record lies in data/questions.json (uid -> (start, end)), and that file's bytes.

    `records` holds question records already made as JSON bytes (uid -> bytes), e.g. while rendering
    the pages; they are taken out of it as they are used. Files named in `kept` are left as
    published: a question's question.json, or one of SITE_WIDE; `chunks` then gives the bytes of
    kept questions' records in the published data/questions.json. With a `sink`, each file is
    handed to it as soon as it is made and the result maps path -> what the sink returned;
    `records` may then hold (what the sink returned, part of data/questions.json) for questions
    whose question.json was written while rendering. Unless `whole`, data/questions.json is made
    of Parts, never joined (95 MB at 10,000 questions), and its bytes are not returned.
    """
    records, chunks = records if records is not None else {}, chunks or {}
    files: dict = {}
    items = []
    differs = len(chunks) != len(site.questions)  # from the published file: a question more or less
    for uid, v in site.questions.items():
        output = question_json_output(v)
        if output in kept and uid in chunks:
            items.append(chunks[uid])
            continue
        made = records.pop(uid, None)
        if isinstance(made, tuple):  # written already
            files[output] = made[0]
            items.append(made[1])
            continue
        data = made or _json(question_record(v))
        if output not in kept:
            files[output] = sink(output, data) if sink else data
        items.append(_indented(data))
        if chunks and not differs and not sink and not whole:  # only Parts say whether they changed
            differs = uid not in chunks or len(chunks[uid]) != len(items[-1]) or chunks[uid].read() != items[-1]
    if not whole:
        parts, offsets = _json_list_parts(items)
        if chunks:
            parts = _published_runs(parts, next(iter(chunks.values())).file)
        if sink:
            files[QUESTIONS_JSON] = sink.write_parts(QUESTIONS_JSON, parts)
        else:
            files[QUESTIONS_JSON] = Parts(parts)
            files[QUESTIONS_JSON].changed = bool(chunks) and differs
        questions_json = None
    else:
        questions_json, offsets = _json_list_of(items)
        files[QUESTIONS_JSON] = sink(QUESTIONS_JSON, questions_json) if sink else questions_json
    del items
    made = {
        "data/questions.csv": lambda: _csv(map(_facts, site.questions.values())),
        "data/deputies.json": lambda: _json([deputy_record(person, uids) for person, uids in site.deputies.values()]),
        "data/topics.json": lambda: _json([
            {"slug": t.topic.slug, "title": t.topic.title, "description": t.topic.description,
             "parent": t.topic.parent, "url": t.url, "questions": list(t.questions)}
            for t in site.topics.values()]),
    }
    for name, make in made.items():
        if name not in kept:
            files[name] = sink(name, make()) if sink else make()
    return files, dict(zip(site.questions, offsets)), questions_json


def question_record(view: QuestionView) -> dict:
    """One question as open data: facts as the sources give them, None where they do not."""
    q = view.record
    record = _facts(view)
    tail = {key: record.pop(key) for key in ("topics", "tags", "related", "sources")}
    record.update({
        "question_text": plain_text(q.question_text), "answer_text": plain_text(q.answer_text) or None,
        "question_html": str(sanitised_html(q.question_text)),
        "answer_html": str(sanitised_html(q.answer_text)) or None,
    })
    return record | tail


def _facts(view: QuestionView) -> dict:
    """A question's open-data record but its texts (all the CSV file needs)."""
    q, s, a = view.record, view.status, view.author
    return {
        "uid": q.uid, "legislature": q.legislature, "type": q.type, "numero": q.numero,
        "url": view.url, "title": view.title,
        "author": {"name": a.name, "civility": a.civility, "slug": a.slug, "id_an": a.id_an,
                   "group": a.group, "group_abbr": a.group_abbr, "departement": a.departement,
                   "circonscription": a.circonscription, "url": a.url},
        "status": s.code, "status_inferred": s.inferred,
        "rubrique": q.rubrique, "tete_analyse": q.tete_analyse, "analyses": list(q.analyses),
        "ministere_interroge": q.ministere_interroge, "ministere_attributaire": q.ministere_attributaire,
        "date_question": _iso(q.date_question), "page_question": q.page_question,
        "date_reponse": _iso(q.date_reponse), "page_reponse": q.page_reponse,
        "date_signalement": _iso(q.date_signalement),
        "dates_renouvellement": [_iso(d) for d in q.dates_renouvellement],
        "date_changement_attribution": _iso(q.date_changement_attribution),
        "date_cloture": _iso(q.date_cloture), "motif_cloture": s.motif,
        "date_echeance": _iso(s.deadline),
        "delai_reponse_jours": s.delay_days, "hors_delai": s.late,
        "topics": list(view.topics), "tags": list(q.tags), "related": list(view.related),
        "sources": [{"kind": src.kind, "url": src.url, "file": src.file} for src in q.sources],
    }


def deputy_record(person, uids: tuple) -> dict:
    return {"slug": person.slug, "name": person.name, "civility": person.civility, "id_an": person.id_an,
            "group": person.group, "group_abbr": person.group_abbr, "departement": person.departement,
            "circonscription": person.circonscription, "url": person.url, "url_an": person.url_an,
            "url_nosdeputes": person.url_nosdeputes, "questions": list(uids)}


_BLOCK_END = re.compile(r"</(?:p|li|tr|h[2-6]|blockquote|pre|table|ul|ol|dl|dd|dt)>|<br\s*/?>|<hr\s*/?>")
_CELL_END = re.compile(r"</t[dh]>")
_TAG = re.compile(r"<[^>]*>")


def plain_text(markdown_text: str | None) -> str:
    """Markdown to plain text, blocks separated by blank lines (from the sanitised HTML: known tags only)."""
    if not markdown_text:
        return ""
    text = _CELL_END.sub(" ", _BLOCK_END.sub("\n\n", str(sanitised_html(markdown_text))))
    blocks = (" ".join(html.unescape(_TAG.sub("", block)).split()) for block in text.split("\n\n"))
    return "\n\n".join(b for b in blocks if b)


def _csv(questions) -> bytes:
    """One row per question (an iterable of _facts, made as they are written), the main facts; lists
    joined with '|', unknown facts empty."""
    out = io.StringIO()
    out.write("\ufeff")  # BOM: spreadsheets then read the accents right
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for q in questions:
        row = []
        for column in CSV_COLUMNS:
            value = q["author"][column[7:]] if column.startswith("author.") else q[column]
            row.append("|".join(value) if isinstance(value, list) else "" if value is None else
                       str(value).lower() if isinstance(value, bool) else value)
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _indented(item: bytes) -> bytes:
    """The _json of an item as it stands in a list: indented one step further (JSON strings hold no raw
    line breaks, so every line break is a line of the item), as json.dumps would."""
    return b" " + item[:-1].replace(b"\n", b"\n ")


def _json_list_of(items: list[bytes]) -> tuple[bytes, list[tuple[int, int]]]:
    """_json of a list, from its items already _indented, with where each lies in it."""
    parts, offsets = _json_list_parts(items)
    return b"".join(Parts(parts).pieces()), offsets


def _json_list_parts(items: list[bytes]) -> tuple[list[bytes], list[tuple[int, int]]]:
    """_json_list_of in parts, not joined."""
    if not items:
        return [_json([])], []
    offsets, position, parts = [], 2, [b"[\n"]
    for item in items:
        offsets.append((position, position + len(item)))
        position += len(item) + len(_BETWEEN)
        parts += (item, _BETWEEN)
    parts[-1] = b"\n]\n"
    return parts, offsets


_BETWEEN = b",\n"  # between two items of a list
RUN_MAX = 1 << 24  # bytes of the published data/questions.json read at once


def _published_runs(parts: list, published) -> list:
    """The parts of data/questions.json, each run of records kept from the `published` file that
    lay there one after the other (the separator between them) made one Stored part, of at most
    RUN_MAX bytes: at 50,000 questions, a few dozen reads instead of 50,000. Two records of that
    file lay one after the other when the second starts len(_BETWEEN) bytes after the first ends:
    the file is _json_list_parts' (its record's digest, size and time are on record; a record is
    longer than the separator)."""
    runs: list = []
    for part in parts:
        if isinstance(part, Stored) and part.file is published and len(runs) >= 2 and runs[-1] is _BETWEEN:
            last = runs[-2]
            if isinstance(last, Stored) and last.file is published \
                    and last.start + last.length + len(_BETWEEN) == part.start \
                    and last.length + len(_BETWEEN) + part.length <= RUN_MAX:
                runs.pop()
                runs[-1] = Stored(published, last.start, last.length + len(_BETWEEN) + part.length)
                continue
        runs.append(part)
    return runs


def _json_list(items: list[bytes]) -> bytes:
    """_json of a list, made from the _json of its items."""
    return _json_list_of([_indented(item) for item in items])[0]
