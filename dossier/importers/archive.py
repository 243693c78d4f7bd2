"""Stream the questions of AN open-data collections: zip archives (Questions_ecrites.json.zip and the
like) and whole-legislature JSON exports, one question at a time.

An archive holds one JSON per question (`json/QANR5L…json`) or one export for the whole
legislature (`{"export": {"questionsEcrites": {"question": [...]}}}`); an export may also come
unzipped. Every JSON is walked by `jsonstream`, so memory stays bounded by the largest question,
whatever the size of the collection. A bad question is reported with the collection's name, the
member's and the line, and skipped; a member that is not valid JSON stops at the error.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DossierError
from . import an_opendata, jsonstream

KIND = an_opendata.KIND
_EXPORT = re.compile(r'^\s*(\[\s*\{|\{.*?"questions?"\s*:\s*\[)', re.S)  # a list of questions
_UID = re.compile(r'"uid"\s*:\s*"QANR5L\d+(QE|QOSD|QG)\d+"')


@dataclass(frozen=True)
class Found:
    """One question read from a collection (or the error that refused it), and how far the reading is."""

    where: str  # collection:member, for messages
    record: object  # Question or DossierError
    done: int  # bytes of JSON read so far
    total: int  # bytes of JSON in the collection


def is_archive(path: Path) -> bool:
    """True when the file is a zip archive or a whole-legislature JSON export (by its first bytes, not its name)."""
    with path.open("rb") as f:
        head = f.read(65536)
    if head.startswith(b"PK\x03\x04"):
        return True
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    return _EXPORT.match(text) is not None and _UID.search(text) is not None


def members(path: Path) -> list[zipfile.ZipInfo | None]:
    """The JSON members of an archive ([None] for an unzipped export); raise when it is not readable."""
    if not _is_zip(path):
        return [None]
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir() and i.filename.lower().endswith(".json")]
    except (zipfile.BadZipFile, OSError) as exc:
        raise DossierError(f"not a readable zip archive: {exc}", path) from None
    if not infos:
        raise DossierError("the archive holds no .json question files", path)
    return infos


def questions(path: Path, rel: str) -> Iterator[Found]:
    """Yield every question of the collection; `rel` names the source in records."""
    infos = members(path)
    total = sum(i.file_size for i in infos if i) if _is_zip(path) else path.stat().st_size
    done = 0
    with (zipfile.ZipFile(path) if _is_zip(path) else contextlib.nullcontext()) as zf:
        for info in infos:
            where = f"{path}:{info.filename}" if info else str(path)
            with (zf.open(info) if info else path.open("rb")) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict")
                for record in _records(text, where, rel):
                    yield Found(where, record, min(done + _tell(raw), total - 1), total)  # whole once all is imported
            done += info.file_size if info else total


def _records(text, where: str, rel: str) -> Iterator[object]:
    count = 0
    try:
        for q in jsonstream.questions(text, where):
            count += 1
            try:
                if not isinstance(q, dict):
                    raise DossierError("a 'question' that is not an object", where)
                yield an_opendata.read_question(rel, q)
            except DossierError as err:
                yield DossierError(err.message, f"{where}#{q.get('uid') or count}" if isinstance(q, dict)
                                   else where, err.line)
    except UnicodeDecodeError:
        yield DossierError("not UTF-8 JSON", where)
    except (DossierError, zipfile.BadZipFile, OSError, EOFError) as exc:
        err = exc if isinstance(exc, DossierError) else DossierError(str(exc) or type(exc).__name__)
        yield DossierError(err.message, where, err.line)
        return
    if count == 0:
        yield DossierError(f"not an open-data question; looked for: {an_opendata.LOOKS_FOR}", where)


def _is_zip(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"PK\x03\x04"


def _tell(raw) -> int:
    try:
        return raw.tell()
    except (OSError, ValueError):
        return 0

