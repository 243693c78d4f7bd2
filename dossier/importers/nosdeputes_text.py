"""Importer for the text of a NosDéputés question page, as copied or scraped from the browser.

The page holds, in order: a photo caption, the deputy's name, "Question N° … au <ministère>",
"Question soumise le <date>", an e-mail alert box, the question text, "Réponse" followed by the
answer ("Réponse émise le …"), "Cette question n'a pas encore de réponse." or "Retirée le … (motif)",
then the comments box and log-in links. Only the question's own facts are kept.
NosDéputés publishes pages for written questions only (its URLs read /question/QE/<n>).
"""

from __future__ import annotations

import re

from ..errors import DossierError
from ..model import Author, Question, Source
from ..text import parse_french_date, squash
from .lines import Lines, escape_markdown, paragraphs

KIND = "nosdeputes-text"
LOOKS_FOR = "'Question N° … au …' and 'Question soumise le …' lines"

_HEADER = r"^Question N°\s*(\d+)\s+(?:aux\s+|au\s+|à la\s+|à l['’]\s*)(.+?)\s*$"
_SUBMITTED = r"^Question soumise le\s+(.+?)\s*$"
_ANSWER_HEADING = r"^Réponse\s*$"
_NO_ANSWER = "Cette question n'a pas encore de réponse."
_ANSWERED = r"^Réponse émise le\s+(.+?)\s*$"
_WITHDRAWN = r"^Retirée le\s+(.+?)\s*\((.+)\)\s*$"
_END_OF_CONTENT = r"^(Aucun commentaire|\d+ commentaires?|Commentaires?\b|Inscription\s*$)"
BOILERPLATE = {
    "Photo issue du site de l'Assemblée nationale ou de Wikipedia",
    "Être alerté lorsque cette", "question aura une réponse", "e-mail", "par e-mail",
    "Être alerté lorsque cette question aura une réponse",
}
_CIVILITY = re.compile(r"^(M\.|Mme)\s")


def detect(text: str) -> bool:
    return bool(re.search(_HEADER, text, re.M) and re.search(_SUBMITTED, text, re.M))


def parse(path: str, text: str) -> list[Question]:
    """Read one NosDéputés question page (text) into a question record."""
    lines = Lines.of(path, text)
    head, header = lines.require(_HEADER, "'Question N° … au …' line")
    when, submitted = lines.require(_SUBMITTED, "'Question soumise le …' line", head)
    reply_at, _ = lines.require(_ANSWER_HEADING, "'Réponse' heading", when)
    body = [line for line in lines.items[when + 1:reply_at] if squash(line) not in BOILERPLATE]
    question_text = "\n\n".join(escape_markdown(p) for p in paragraphs(body))
    if not question_text:
        raise lines.error("the question has no text between 'Question soumise le' and 'Réponse'", when)
    return [Question(
        legislature=None,  # not on the page: the import resolves it from the date and the calendar
        type="QE",
        numero=int(header[1]),
        author=Author(name=_author_name(lines, head), civility=_civility(question_text)),
        ministere_interroge=_ministry(header[2]),
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


def _civility(question_text: str) -> str | None:
    m = _CIVILITY.match(question_text)
    return m[1] if m else None


def _ministry(text: str) -> str:
    # NosDéputés lower-cases "État" in ministry names ("Secrétariat d'état au numérique").
    return re.sub(r"\bd(['’])état\b", r"d\1État", squash(text))


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
    if line == _NO_ANSWER:
        return {}
    m = re.match(_ANSWERED, line)
    if m:
        text = "\n\n".join(escape_markdown(p) for p in paragraphs(rest[first + 1:]))
        if not text:
            raise lines.error("'Réponse émise le' is not followed by the answer's text", at)
        return {"date_reponse": _date(lines, at, m[1]), "answer_text": text}
    m = re.match(_WITHDRAWN, line)
    if m:
        return {"date_cloture": _date(lines, at, m[1]), "motif_cloture": squash(m[2])}
    raise DossierError(f"unrecognised answer line: '{line}' (looked for 'Réponse émise le …', "
                       f"'{_NO_ANSWER}' or 'Retirée le … (motif)')", lines.path, at + 1)
