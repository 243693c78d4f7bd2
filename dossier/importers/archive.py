"""Stream the questions of an AN open-data zip archive (Questions_ecrites.json.zip and the like), one member at a time.

Each member is one question's JSON (the AN publishes `json/QANR5L…json` files); members are read
and parsed one by one, so an archive of any size imports in bounded memory. A bad member is
reported with the archive's name and the member's, and skipped.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import DossierError
from . import an_opendata

KIND = an_opendata.KIND
MAX_MEMBER = 20 * 1024 * 1024  # one question is a few kB; a bigger member is not a question file


def is_archive(path: Path) -> bool:
    """True when the file is a zip archive (checked by its first bytes, not its name)."""
    with path.open("rb") as f:
        return f.read(4) == b"PK\x03\x04"


def members(path: Path) -> list[str]:
    """The JSON members of the archive, in archive order; raise when it is not a readable zip."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = [i.filename for i in zf.infolist() if not i.is_dir() and i.filename.lower().endswith(".json")]
    except (zipfile.BadZipFile, OSError) as exc:
        raise DossierError(f"not a readable zip archive: {exc}", path) from None
    if not names:
        raise DossierError("the archive holds no .json question files", path)
    return names


def questions(path: Path, rel: str) -> Iterator[tuple[str, object]]:
    """Yield (member, Question or DossierError) for each JSON member; `rel` names the source in records."""
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.is_dir() or not info.filename.lower().endswith(".json"):
                continue
            where = f"{path}:{info.filename}"
            try:
                if info.file_size > MAX_MEMBER:
                    raise DossierError(f"member of {info.file_size} bytes is too big for one question", where)
                text = zf.read(info).decode("utf-8-sig")
                if not an_opendata.detect(text):
                    raise DossierError(f"not an open-data question; looked for: {an_opendata.LOOKS_FOR}", where)
                yield info.filename, an_opendata.parse(rel, text)[0]
            except UnicodeDecodeError:
                yield info.filename, DossierError("not UTF-8 JSON", where)
            except (DossierError, zipfile.BadZipFile, OSError) as exc:
                err = exc if isinstance(exc, DossierError) else DossierError(str(exc))
                yield info.filename, DossierError(err.message, where, err.line)
