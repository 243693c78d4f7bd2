"""Read and write record files (YAML front matter + Markdown) and merge re-imports into them."""

from __future__ import annotations

import dataclasses
import difflib
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from . import frontmatter
from .errors import DossierError, Problems
from .model import CIVILITIES, QUESTION_TYPES, SOURCE_KINDS, Author, Deputy, Page, Question, Source, record_fields
from .text import slugify

QUESTION_HEADING = "## Texte de la question"
ANSWER_HEADING = "## Texte de la réponse"
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Records:
    """Everything under content/ the build reads, each record with the file it came from."""

    questions: list  # (Question, Path), in file order
    deputies: list  # (Deputy, Path)
    pages: dict  # slug -> (Page, Path)


# ---------------------------------------------------------------- reading


def load_records(content_dir: Path, problems: Problems, read=None) -> Records:
    """Read every record under content/, reporting every problem found in any of them.

    `read(path, cls)` reads one file (default: read_record); the preview passes a cache.
    """
    read = read or read_record
    questions = _load_dir(content_dir / "questions", Question, problems, read)
    deputies = _load_dir(content_dir / "deputies", Deputy, problems, read)
    pages = {path.stem: (page, path) for page, path in _load_dir(content_dir / "pages", Page, problems, read)}
    _check_unique(questions, lambda q: q.uid, "question", problems)
    _check_unique(deputies, lambda d: d.slug, "deputy", problems)
    return Records(questions, deputies, pages)


def _load_dir(folder: Path, cls, problems: Problems, read) -> list:
    found = []
    for path in sorted(folder.glob("*.md"), key=_name) if folder.is_dir() else []:  # by name: Paths compare slower
        try:
            found.append((read(path, cls), path))
        except DossierError as err:
            problems.add(err)
    return found


def _name(path: Path) -> str:
    return path.name


def _check_unique(found: list, key, what: str, problems: Problems) -> None:
    by_key: dict = {}
    for record, path in found:
        by_key.setdefault(key(record), []).append(path)
    for k, paths in sorted(by_key.items()):
        if len(paths) > 1:
            names = ", ".join(str(p) for p in paths)
            problems.error(f"{what} {k} has {len(paths)} records: {names}", paths[0])


def read_record(path: Path, cls):
    """Read one record file into a model object; raise one error listing every bad field."""
    return parse_record(path.read_bytes(), path, cls)


def parse_record(data: bytes, path: Path, cls):
    """Make a model object of a record file's bytes (path: for messages)."""
    try:
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as files read as text
    except UnicodeDecodeError as exc:
        raise DossierError(f"not UTF-8 text (byte {exc.start})", path) from None
    doc = frontmatter.split(text, path)
    errors: list[DossierError] = []
    values = _read_fields(cls, doc.data, doc.key_lines, (), path, errors)
    if cls is Question:
        values.update(_read_question_body(doc, path, errors))
    else:
        values["body"] = doc.body
    if errors:
        raise errors[0] if len(errors) == 1 else _combined(errors)
    return cls(**values)


def _combined(errors: list[DossierError]) -> DossierError:
    first, rest = errors[0], errors[1:]
    lines = [first.message] + [f"{e.path}:{e.line}: {e.message}" if e.line else e.message for e in rest]
    return DossierError("\n".join(lines), first.path, first.line)


def _read_fields(cls, data: dict, lines: dict, prefix: tuple, path: Path, errors: list) -> dict:
    specs = {f.name: f for f in record_fields(cls)}
    values = {}
    for key in data:
        if key not in specs:
            close = difflib.get_close_matches(str(key), specs, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            errors.append(DossierError(f"unknown field '{_dotted(prefix, key)}' ({hint}put anything else under "
                                       "'extra:')", path, lines.get(prefix + (key,))))
    for name, f in specs.items():
        where = prefix + (name,)
        line = lines.get(where) or lines.get(prefix) or 1
        raw = data.get(name)
        if raw is None or raw == "":
            if f.metadata["required"]:
                errors.append(DossierError(f"missing required field '{_dotted(prefix, name)}'", path, line))
            continue
        try:
            values[name] = _coerce(f.metadata["kind"], raw, _dotted(prefix, name), where, lines, path, errors)
        except DossierError as err:
            errors.append(err.located(path, line))
    return values


def _dotted(prefix: tuple, name) -> str:
    return ".".join(str(p) for p in prefix + (name,))


def _coerce(kind: str, raw, name: str, where: tuple, lines: dict, path: Path, errors: list):
    if kind in ("str", "url"):
        if not isinstance(raw, str):
            raise DossierError(f"'{name}' must be text, not {_yaml_type(raw)}: {raw!r} (quote it)")
        if kind == "url" and not re.match(r"^https?://", raw):
            raise DossierError(f"'{name}' must be an http(s) address: {raw!r}")
        return raw
    if kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise DossierError(f"'{name}' must be a whole number: {raw!r}")
        return raw
    if kind == "date":
        return _date(raw, name)
    if kind == "slug":
        if not isinstance(raw, str) or not _SLUG.match(raw):
            raise DossierError(f"'{name}' must be a slug of a-z, 0-9 and '-': {raw!r}")
        return raw
    if kind == "civility":
        if raw not in CIVILITIES:
            raise DossierError(f"'{name}' must be one of {', '.join(CIVILITIES)}: {raw!r}")
        return raw
    if kind == "question_type":
        if raw not in QUESTION_TYPES:
            raise DossierError(f"'{name}' must be one of {', '.join(QUESTION_TYPES)}: {raw!r}")
        return raw
    if kind == "source_kind":
        if raw not in SOURCE_KINDS:
            raise DossierError(f"'{name}' must be one of {', '.join(SOURCE_KINDS)}: {raw!r}")
        return raw
    if kind == "list_str":
        items = _list(raw, name)
        for item in items:
            if not isinstance(item, str):
                raise DossierError(f"'{name}' must be a list of text items: {item!r}")
        return items
    if kind == "list_date":
        return [_date(item, name) for item in _list(raw, name)]
    if kind == "dict":
        if not isinstance(raw, dict):
            raise DossierError(f"'{name}' must be a mapping")
        return raw
    if kind == "author":
        if not isinstance(raw, dict):
            raise DossierError(f"'{name}' must be a mapping with at least 'name'")
        return Author(**_read_fields(Author, raw, lines, where, path, errors))
    if kind == "sources":
        sources = []
        for i, item in enumerate(_list(raw, name)):
            if not isinstance(item, dict):
                raise DossierError(f"'{name}' items must be mappings with 'kind', 'file', 'url'")
            sources.append(Source(**_read_fields(Source, item, lines, where + (i,), path, errors)))
        return sources
    raise AssertionError(f"unknown field kind {kind}")


def _list(raw, name: str) -> list:
    if not isinstance(raw, list):
        raise DossierError(f"'{name}' must be a list")
    return raw


def _date(raw, name: str) -> dt.date:
    text = str(raw)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise DossierError(f"'{name}' is not a date (YYYY-MM-DD): '{text}'")


def _yaml_type(raw) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a mapping"}.get(
        type(raw), type(raw).__name__)


def _read_question_body(doc: frontmatter.Document, path: Path, errors: list) -> dict:
    body = doc.body
    question, sep, answer = body.partition("\n" + ANSWER_HEADING + "\n")
    if not sep and body.startswith(ANSWER_HEADING + "\n"):
        question, answer = "", body[len(ANSWER_HEADING) + 1:]
    question = question.strip()
    if question.startswith(QUESTION_HEADING):
        question = question[len(QUESTION_HEADING):].strip()
    if not question:
        errors.append(DossierError(f"the question has no text: write it under '{QUESTION_HEADING}'",
                                   path, doc.body_line))
    return {"question_text": question, "answer_text": answer.strip() or None}


# ---------------------------------------------------------------- writing


def question_path(content_dir: Path, question: Question) -> Path:
    return content_dir / "questions" / f"{question.key}.md"


def deputy_path(content_dir: Path, deputy: Deputy) -> Path:
    return content_dir / "deputies" / f"{deputy.slug}.md"


def dump_record(record) -> str:
    """Write a Question or Deputy as record text, keys in model order, dates as YYYY-MM-DD."""
    data = {f.name: _plain(getattr(record, f.name)) for f in record_fields(type(record))}
    if isinstance(record, Question):
        body = f"{QUESTION_HEADING}\n\n{record.question_text}"
        if record.answer_text:
            body += f"\n\n{ANSWER_HEADING}\n\n{record.answer_text}"
    else:
        body = record.body
    return frontmatter.dump(data, body)


def _plain(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def author_slug(author: Author) -> str:
    """Return the deputy slug of a question's author."""
    return author.slug or slugify(author.name)
