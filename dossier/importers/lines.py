"""Line-oriented selectors for text sources: a required lookup that finds nothing raises, naming what."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import DossierError


@dataclass(frozen=True)
class Lines:
    """The lines of a source file, with lookups that report the file and line."""

    path: str
    items: tuple[str, ...]

    @classmethod
    def of(cls, path: str, text: str) -> "Lines":
        return cls(path, tuple(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")))

    def find(self, pattern: str, start: int = 0, end: int | None = None) -> tuple[int, re.Match] | None:
        """Return (index, match) of the first line from `start` matching `pattern`, or None."""
        rx = re.compile(pattern)
        for i in range(start, len(self.items) if end is None else end):
            m = rx.search(self.items[i])
            if m:
                return i, m
        return None

    def require(self, pattern: str, what: str, start: int = 0, end: int | None = None) -> tuple[int, re.Match]:
        """Like find, but a miss is an error naming the file and what was looked for."""
        found = self.find(pattern, start, end)
        if found is None:
            raise DossierError(f"no {what} found (looked for /{pattern}/)", self.path)
        return found

    def error(self, message: str, index: int) -> DossierError:
        return DossierError(message, self.path, index + 1)


def paragraphs(lines: list[str]) -> list[str]:
    """Group lines into paragraphs separated by blank lines, each joined with spaces."""
    out, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")  # | : pipe tables
_MD_LINE_START = re.compile(r"^(\s*)(#|>|[-+] |~~~)", re.M)  # ~~~ : a fenced code block
_MD_NUMBERED = re.compile(r"^(\s*\d+)([.)] )", re.M)
_MD_RULE = re.compile(r"^(\s*)([-=])(?=[-=\s]*$)", re.M)  # '---' is a rule, '===' under a line a heading
_ENTITY = re.compile(r"&(#?\w+;)")


def escape_markdown(text: str) -> str:
    """Make plain text safe to store as Markdown: it renders back to exactly the same text."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"&amp;\1", text).replace("<", "&lt;")
    text = _MD_LINE_START.sub(lambda m: m[1] + "\\" + m[2], text)
    text = _MD_RULE.sub(lambda m: m[1] + ("\\-" if m[2] == "-" else "&#61;"), text)
    return _MD_NUMBERED.sub(lambda m: m[1] + "\\" + m[2], text)
