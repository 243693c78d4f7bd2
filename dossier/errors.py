"""One error type that carries a file and a line, and a collector that lists them all."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)


class DossierError(Exception):
    """A problem in the user's input, located by file and line where known."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def located(self, path: Path | str | None, line: int | None = None) -> "DossierError":
        """Return this error with a path (and line) filled in where it had none."""
        return DossierError(self.message, self.path or path, self.line if self.line else line)

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message


class BuildFailed(Exception):
    """Raised once, after collecting, when any error was found."""

    def __init__(self, errors: list[DossierError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class Problems:
    """Collect errors and warnings so that all of them are reported at once."""

    errors: list[DossierError] = field(default_factory=list)
    warnings: list[DossierError] = field(default_factory=list)

    def error(self, message: str, path=None, line=None) -> None:
        self.errors.append(DossierError(message, path, line))

    def warn(self, message: str, path=None, line=None) -> None:
        self.warnings.append(DossierError(message, path, line))

    def add(self, err: DossierError) -> None:
        self.errors.append(err)

    def raise_if_any(self, strict: bool = False) -> None:
        """Stop with every error found (warnings too when strict)."""
        found = self.errors + (self.warnings if strict else [])
        if found:
            raise BuildFailed(sorted(found, key=_sort_key))

    def log_warnings(self) -> None:
        for w in sorted(self.warnings, key=_sort_key):
            log.warning("%s", w)


def _sort_key(err: DossierError):
    return (str(err.path or ""), err.line or 0, err.message)
