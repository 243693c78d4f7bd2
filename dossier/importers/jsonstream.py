"""Read the questions of a JSON file of any size one at a time, in bounded memory.

The AN's open data comes as one JSON per question, `{"question": {…}}`, or as one export for a
whole legislature, `{"export": {"questionsEcrites": {"question": [{…}, {…}, …]}}}` (hundreds of
MB). Both are walked the same way: objects are entered key by key, and every value under a key
named "question" (an object, or each element of an array) is decoded alone and yielded, as is each
element of a top-level array. Other values are decoded and dropped.

Memory is bounded by the read buffer (CHUNK characters) plus the largest single question, capped
at MAX_ITEM characters: about 2 x 21 MB of text at worst, a few MB for real exports, whatever the
file's size. A question bigger than the cap is refused, not read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

from ..errors import DossierError

CHUNK = 1 << 20  # characters read at a time
MAX_ITEM = 20 << 20  # one question is a few kB; a value bigger than this is not a question
_DECODER = json.JSONDecoder()
_SPACE = " \t\r\n"


def questions(stream: TextIO, where: str) -> Iterator[dict]:
    """Yield each question object of a JSON text stream; raise DossierError where it is not valid JSON."""
    reader = _Reader(stream, where)
    c = reader.peek()
    if c == "{":
        yield from _object(reader)
    elif c == "[":
        yield from _array(reader, of_questions=True)
    else:
        raise reader.error("not a JSON object or array")
    if reader.peek():
        raise reader.error("extra data after the JSON value")


def _object(r: "_Reader") -> Iterator[dict]:
    r.take("{")
    if r.peek() == "}":
        r.take("}")
        return
    while True:
        key = r.value()
        if not isinstance(key, str):
            raise r.error("expected a key in double quotes")
        r.take(":")
        c = r.peek()
        if key == "question" and c == "{":
            yield _unwrap(r.value())
        elif c == "[":
            yield from _array(r, of_questions=key in ("question", "questions"))
        elif c == "{":
            yield from _object(r)
        else:
            r.value()
        if r.peek() == ",":
            r.take(",")
        else:
            r.take("}")
            return


def _array(r: "_Reader", of_questions: bool) -> Iterator[dict]:
    r.take("[")
    if r.peek() == "]":
        r.take("]")
        return
    while True:
        c = r.peek()
        if of_questions and c == "{":
            yield _unwrap(r.value())
        elif c == "{":
            yield from _object(r)
        elif c == "[":
            yield from _array(r, of_questions)
        else:
            r.value()
        if r.peek() == ",":
            r.take(",")
        else:
            r.take("]")
            return


def _unwrap(item):
    """A question, or {"question": question} around one."""
    if isinstance(item, dict) and set(item) == {"question"} and isinstance(item["question"], dict):
        return item["question"]
    return item


class _Reader:
    """A window on the stream: what is consumed is dropped, values are decoded with raw_decode."""

    def __init__(self, stream: TextIO, where: str):
        self.stream, self.where = stream, where
        self.buf, self.pos, self.eof, self.line = "", 0, False, 1

    def _fill(self) -> bool:
        if self.eof:
            return False
        self.line += self.buf.count("\n", 0, self.pos)
        chunk = self.stream.read(CHUNK)
        self.buf, self.pos = self.buf[self.pos:] + chunk, 0
        self.eof = not chunk
        return bool(chunk)

    def peek(self) -> str:
        """The next character that is not white space ('' at the end), without consuming it."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _SPACE:
                self.pos += 1
            if self.pos < len(self.buf) or not self._fill():
                return self.buf[self.pos:self.pos + 1]

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise self.error(f"expected '{char}'")
        self.pos += 1

    def value(self):
        """Decode the value at the current position, reading more until it is whole."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                cut = exc.msg.startswith("Unterminated string") or exc.pos >= len(self.buf) - 16
                if not cut or self.eof:  # a real syntax error, not a value cut by the chunk's end
                    raise DossierError(f"invalid JSON: {exc.msg}", self.where,
                                       self.line + self.buf.count("\n", 0, exc.pos)) from None
                if len(self.buf) - self.pos > MAX_ITEM:
                    raise DossierError(f"a value of more than {MAX_ITEM} characters is too big for one question",
                                       self.where, self.line + self.buf.count("\n", 0, self.pos)) from None
                self._fill()  # at the end of the stream, the next attempt reports the error
                continue
            if end == len(self.buf) and not self.eof and isinstance(value, (int, float)):
                self._fill()  # a number cut by the chunk's end: read on and decode it again
                continue
            self.pos = end
            return value

    def error(self, message: str) -> DossierError:
        return DossierError(f"invalid JSON: {message}", self.where, self.line + self.buf.count("\n", 0, self.pos))
