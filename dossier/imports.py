"""Turn saved source pages into records: recognise, parse, merge with existing records, then write.

Sources outside content/ are copied, unchanged, into content/sources/. A re-import merges into the
existing record: a value already in the record (a hand correction, or another source's) is kept and
a disagreement is reported; editorial fields (tags, summary, notes, extra) are never touched.
Every file is read and parsed before anything is written; a file that fails is reported and skipped.
How two records of one question merge is in merging.py.
"""

from __future__ import annotations

import dataclasses
import filecmp
import hashlib
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .errors import DossierError, Problems
from .importers import archive, describe_known, find_importer
from .importers.encoding import decode
from .importers.authors import registry, resolve_author
from .merging import merge
from .model import Deputy, Question
from .records import author_slug, deputy_path, dump_record, load_records, question_path, read_record

log = logging.getLogger(__name__)


@dataclass
class ImportResult:
    """What an import did: files it wrote, records unchanged, deputies left out."""

    written: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    deputies_not_cited: int = 0


def import_paths(paths: list[Path], content_dir: Path, config: Config, problems: Problems,
                 all_deputies: bool = False, progress=None) -> ImportResult:
    """Import source files and folders (recursively) into records under content_dir.

    `progress(questions, done, total)`, when given, is called as each question of an archive or
    export is imported; done and total count the bytes of its JSON.
    """
    copies: dict[Path, bytes] = {}
    questions: dict[str, Question] = {}
    deputies: dict[str, Deputy] = {}
    archives: list[Path] = []
    for path in _expand(paths, problems):
        if archive.is_archive(path):
            archives.append(path)
            continue
        try:
            data, records = _parse_file(path, content_dir, config, copies)
        except DossierError as err:
            problems.add(err.located(path))
            continue
        for record in records:
            _merge_into(questions if isinstance(record, Question) else deputies, record, path, problems)
    loading = Problems()
    existing = load_records(content_dir, loading)
    if loading.errors:  # a broken record cannot be merged into safely: fix it first
        problems.errors += loading.errors
        return ImportResult()
    by_id = registry([d for d, _ in existing.deputies] + list(deputies.values()))
    questions = _resolve_authors(questions, by_id, problems)
    on_disk = Existing({q.uid: p for q, p in existing.questions}, {d.slug: (d, p) for d, p in existing.deputies},
                       {author_slug(q.author) for q, _ in existing.questions})
    del existing
    result = ImportResult()
    for path in archives:
        _import_archive(path, content_dir, on_disk, questions, by_id, result, problems, progress)
    return _write(content_dir, copies, questions, deputies, on_disk, problems, all_deputies, result)


@dataclass
class Existing:
    """What is already under content/: question files by uid, deputies, and the deputies cited."""

    question_paths: dict
    deputies: dict
    cited: set


def _resolve_authors(questions: dict, by_id: dict, problems: Problems) -> dict:
    resolved = {}
    for uid, q in questions.items():
        try:
            resolved[uid] = resolve_author(q, by_id, q.sources[0].file)
        except DossierError as err:
            problems.add(err)
    return resolved


def _import_archive(path: Path, content_dir: Path, on_disk: Existing, batch: dict, by_id: dict,
                    result: ImportResult, problems: Problems, progress) -> None:
    """Stream an archive or export: each question is parsed, merged and written before the next is read."""
    try:
        archive.members(path)
    except DossierError as err:
        problems.add(err)
        return
    rel = _place_archive(path, content_dir, result)
    found = None
    for count, found in enumerate(archive.questions(path, rel), 1):
        if progress:
            progress(count, found.done, found.total)
        _import_one(found, path, content_dir, on_disk, batch, by_id, result, problems)
    if progress and found:
        progress(count, found.total, found.total)


def _import_one(found, path: Path, content_dir: Path, on_disk: Existing, batch: dict, by_id: dict,
                result: ImportResult, problems: Problems) -> None:
    """Import one question of an archive: resolve its author, merge it, write it."""
    try:
        if isinstance(found.record, DossierError):
            raise found.record
        question = resolve_author(found.record, by_id, found.where)
    except DossierError as err:
        problems.add(err)
        return
    if question.uid in batch:
        question, conflicts = merge(batch.pop(question.uid), question)
        _report(question.uid, conflicts, path, problems)
    on_disk.cited.add(author_slug(question.author))
    target = on_disk.question_paths.setdefault(question.uid, question_path(content_dir, question))
    current = (read_record(target, Question), target) if target.exists() else None
    text = _merged_text(current, question, problems)
    if text is None:
        result.unchanged.append(target)
    else:
        _write_if_changed(target, text.encode("utf-8"), result)


def _place_archive(path: Path, content_dir: Path, result: ImportResult) -> str:
    """Copy an archive into content/sources/ by streaming (never whole in memory); return its name."""
    resolved, root = path.resolve(), content_dir.resolve()
    if resolved.is_relative_to(root):
        return resolved.relative_to(root).as_posix()
    target = content_dir / "sources" / path.name
    if target.exists() and filecmp.cmp(target, path, shallow=False):
        result.unchanged.append(target)
    else:
        if target.exists():
            target = target.with_name(f"{path.stem}-{_file_digest(path)}{path.suffix}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        result.written.append(target)
    return target.relative_to(content_dir).as_posix()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:8]


def _expand(paths: list[Path], problems: Problems) -> list[Path]:
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            files.append(path)
        else:
            problems.error("no such file or folder", path)
    return files


def _parse_file(path: Path, content_dir: Path, config: Config, copies: dict) -> tuple[bytes, list]:
    data = path.read_bytes()
    text = decode(data, path)
    importer = find_importer(text)
    if importer is None:
        raise DossierError(f"not a source this tool can read; looked for: {describe_known()}", path)
    planned = dict(copies)
    rel = _place(path, data, content_dir, planned)
    try:
        records = [_resolve_legislature(r, config, path) for r in importer.parse(rel, text)]
    except DossierError as err:  # name the file the user gave; copy nothing of a refused file
        raise DossierError(err.message, path, err.line) from None
    copies.update(planned)
    log.info("%s: %s, %d record(s)", path, importer.KIND, len(records))
    return data, records


def _place(path: Path, data: bytes, content_dir: Path, copies: dict) -> str:
    """Return the source's name relative to content/, planning a copy when it lies outside."""
    resolved, root = path.resolve(), content_dir.resolve()
    if resolved.is_relative_to(root):
        return resolved.relative_to(root).as_posix()
    target = content_dir / "sources" / path.name
    if target.exists() and target.read_bytes() != data or copies.get(target, data) != data:
        digest = hashlib.sha256(data).hexdigest()[:8]
        target = target.with_name(f"{path.stem}-{digest}{path.suffix}")
    copies[target] = data
    return target.relative_to(content_dir).as_posix()


def _resolve_legislature(record, config: Config, path: Path):
    """Fill a legislature the page does not state from the calendar and the record's date."""
    if record.legislature is not None:
        return record
    day = record.date_question if isinstance(record, Question) else record.mandat_debut
    leg = config.legislature_on(day) if day else None
    if leg is None:
        if isinstance(record, Question):
            raise DossierError(f"the page does not give the legislature and {day} falls in none of "
                               f"'legislatures' in {config.path}", path)
        return record
    return dataclasses.replace(record, legislature=leg.number)


def _merge_into(batch: dict, record, path: Path, problems: Problems) -> None:
    key = record.uid if isinstance(record, Question) else record.slug
    if key in batch:
        batch[key], conflicts = merge(batch[key], record)
        _report(key, conflicts, path, problems)
    else:
        batch[key] = record


def _report(key: str, conflicts: list, path: Path, problems: Problems) -> None:
    for name, kept, other in conflicts:
        problems.warn(f"{key}: sources disagree on '{name}': {kept!r} vs {other!r}; kept the first", path)


def _write(content_dir: Path, copies: dict, questions: dict, deputies: dict, on_disk: Existing,
           problems: Problems, all_deputies: bool, result: ImportResult) -> ImportResult:
    cited = {author_slug(q.author) for q in questions.values()} | on_disk.cited
    outputs: dict[Path, str] = {}
    for uid, question in sorted(questions.items()):
        path = on_disk.question_paths.get(uid)
        current = (read_record(path, Question), path) if path and path.exists() else None
        outputs[path or question_path(content_dir, question)] = _merged_text(current, question, problems)
    for slug, deputy in sorted(deputies.items()):
        if not all_deputies and slug not in cited and slug not in on_disk.deputies:
            result.deputies_not_cited += 1
            continue
        outputs[on_disk.deputies.get(slug, (None, deputy_path(content_dir, deputy)))[1]] = _merged_text(
            on_disk.deputies.get(slug), deputy, problems)
    for target, data in sorted(copies.items()):
        _write_if_changed(target, data, result)
    for target, text in outputs.items():
        if text is None:
            result.unchanged.append(target)
        else:
            _write_if_changed(target, text.encode("utf-8"), result)
    return result


def _merged_text(on_disk, record, problems: Problems) -> str | None:
    """The record's new text, or None when merging changes nothing (the file stays as the editor left it)."""
    if on_disk is None:
        return dump_record(record)
    current, path = on_disk
    merged, conflicts = merge(current, record)
    for name, kept, other in conflicts:
        problems.warn(f"'{name}' differs from the source ({other!r}); kept the record's value {kept!r}", path)
    return None if merged == current else dump_record(merged)


def _write_if_changed(target: Path, data: bytes, result: ImportResult) -> None:
    if target.exists() and target.read_bytes() == data:
        result.unchanged.append(target)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    result.written.append(target)


