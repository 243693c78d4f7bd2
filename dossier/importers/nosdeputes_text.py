"""Importer for the text of a NosDéputés question page, as copied or scraped from the browser.

The page holds, in order: a photo caption, the deputy's name, "Question N° … au <ministère>",
"Question soumise le <date>", an e-mail alert box, the question text, "Réponse" followed by the
answer ("Réponse émise le …"), "Cette question n'a pas encore de réponse." or "Retirée le … (motif)",
then the comments box and log-in links. Only the question's own facts are kept.
NosDéputés publishes pages for written questions only (its URLs read /question/QE/<n>).
"""

from __future__ import annotations

import re

from ..model import Author, Question, Source
from ..text import parse_french_date, squash
from .lines import Lines, escape_markdown, paragraphs
from .nosdeputes_common import (BOILERPLATE, HEADER, SUBMITTED, answer_state, civility, ministry,
                                unrecognised_answer)

KIND = "nosdeputes-text"
LOOKS_FOR = "'Question N° … au …' and 'Question soumise le …' lines"

_ANSWER_HEADING = r"^Réponse\s*$"
_END_OF_CONTENT = r"^(Aucun commentaire|\d+ commentaires?|Commentaires?\b|Inscription\s*$)"


def detect(text: str) -> bool:
    return bool(re.search(HEADER, text, re.M) and re.search(SUBMITTED, text, re.M))


def parse(path: str, text: str) -> list[Question]:
    """Read one NosDéputés question page (text) into a question record."""
    lines = Lines.of(path, text)
    head, header = lines.require(HEADER, "'Question N° … au …' line")
    when, submitted = lines.require(SUBMITTED, "'Question soumise le …' line", head)
    reply_at, _ = lines.require(_ANSWER_HEADING, "'Réponse' heading", when)
    body = [line for line in lines.items[when + 1:reply_at] if squash(line) not in BOILERPLATE]
    question_text = "\n\n".join(escape_markdown(p) for p in paragraphs(body))
    if not question_text:
        raise lines.error("the question has no text between 'Question soumise le' and 'Réponse'", when)
    return [Question(
        legislature=None,  # not on the page: the import resolves it from the date and the calendar
        type="QE",
        numero=int(header[1]),
        author=Author(name=_author_name(lines, head), civility=civility(question_text)),
        ministere_interroge=ministry(header[2]),
        date_question=_date(lines, when, submitted[1]),
        **_answer(lines, reply_at),
        sources=[Source(kind=KIND, file=path)],
        question_text=question_text,
    )]


def _author_name(lines: Lines, head: int) -> str:
    for i in range(head - 1, -1, -1):
        line = squash(lines.items[i])
        if line and line not in BOILERPLATE:
            return line
    raise lines.error("no deputy name above the 'Question N°' line", head)


def _date(lines: Lines, index: int, text: str):
    try:
        return parse_french_date(text)
    except ValueError:
        raise lines.error(f"not a date: '{text}'", index) from None


def _answer(lines: Lines, reply_at: int) -> dict:
    end = lines.find(_END_OF_CONTENT, reply_at + 1)
    stop = end[0] if end else len(lines.items)
    rest = [line for line in lines.items[reply_at + 1:stop]]
    first = next((i for i, line in enumerate(rest) if line.strip()), None)
    if first is None:
        raise lines.error("nothing under the 'Réponse' heading", reply_at)
    line, at = squash(rest[first]), reply_at + 1 + first
    state = answer_state(line, lines.path, at + 1)
    if state is None:
        raise unrecognised_answer(line, lines.path, at + 1)
    status, facts = state
    if status == "answered":
        text = "\n\n".join(escape_markdown(p) for p in paragraphs(rest[first + 1:]))
        if not text:
            raise lines.error("'Réponse émise le' is not followed by the answer's text", at)
        facts["answer_text"] = text
    return facts
