"""What the NosDéputés importers share: page boilerplate, ministry spelling, addresses, the answer line.

NosDéputés addresses say which question a page is: https://www.nosdeputes.fr/16/question/QE/17941
(older legislatures on archive hosts such as 2012-2017.nosdeputes.fr/question/QE/1234), and its pages
link to the AN's own (questions.assemblee-nationale.fr/q16/16-17941QE.htm or
assemblee-nationale.fr/dyn/16/questions/QANR5L16QE17941).
"""

from __future__ import annotations

import re

from ..errors import DossierError
from ..text import parse_french_date, squash
from .an_common import uid_parts

BOILERPLATE = {
    "Photo issue du site de l'Assemblée nationale ou de Wikipedia",
    "Être alerté lorsque cette", "question aura une réponse", "e-mail", "par e-mail",
    "Être alerté lorsque cette question aura une réponse",
}
HEADER = r"^Question N°\s*(\d+)\s+(?:aux\s+|au\s+|à la\s+|à l['’]\s*)(.+?)\s*$"
SUBMITTED = r"^Question soumise le\s+(.+?)\s*$"
NO_ANSWER = "Cette question n'a pas encore de réponse."
ANSWERED = r"^Réponse émise le\s+(.+?)\s*$"
WITHDRAWN = r"^Retirée le\s+(.+?)\s*\((.+)\)\s*$"
_CIVILITY = re.compile(r"^(M\.|Mme)\s")
_NOSDEPUTES = re.compile(r"nosdeputes\.fr/(?:(\d+)/)?question/(QE|QOSD|QG)/(\d+)", re.I)
_ARCHIVE_HOST = re.compile(r"(\d{4})-\d{4}\.nosdeputes\.fr", re.I)
_ARCHIVE_LEGISLATURES = {"2007": 13, "2012": 14, "2017": 15}  # the archived sites of past legislatures
_AN_LEGACY = re.compile(r"questions\.assemblee-nationale\.fr/q(\d+)/\1-(\d+)(QE|QOSD|QG)\b", re.I)


def ministry(text: str) -> str:
    """The ministry as written, with the capital NosDéputés drops ('Secrétariat d'état' -> d'État)."""
    return re.sub(r"\bd(['’])état\b", r"d\1État", squash(text))


def civility(question_text: str) -> str | None:
    """M. or Mme, from the question's first words ('Mme Julie Delpech interroge …'), else None."""
    m = _CIVILITY.match(question_text)
    return m[1] if m else None


def url_parts(url: str) -> tuple[int | None, str, int] | None:
    """(legislature, type, number) a NosDéputés or AN question address gives; legislature may be None."""
    m = _NOSDEPUTES.search(url)
    if m:
        host = _ARCHIVE_HOST.search(url)
        leg = int(m[1]) if m[1] else _ARCHIVE_LEGISLATURES.get(host[1]) if host else None
        return leg, m[2].upper(), int(m[3])
    m = _AN_LEGACY.search(url)
    if m:
        return int(m[1]), m[3].upper(), int(m[2])
    return uid_parts(url)


def identity(path: str, numero: int, urls: list[str]) -> tuple[int | None, str]:
    """Legislature and type from the page's addresses; refuse addresses that contradict each other or the number.

    NosDéputés publishes written questions only: with no address to say otherwise, the type is QE.
    """
    found = [(url, parts) for url in urls if url and (parts := url_parts(url))]
    for url, (_, _, number) in found:
        if number != numero:
            raise DossierError(f"the address {url} is of question {number}, not {numero}", path)
    legislatures = {leg for _, (leg, _, _) in found if leg is not None}
    types = {qtype for _, (_, qtype, _) in found}
    if len(legislatures) > 1 or len(types) > 1:
        raise DossierError(f"the page's addresses disagree: {', '.join(url for url, _ in found)}", path)
    return (legislatures.pop() if legislatures else None), (types.pop() if types else "QE")


def date(text: str, path: str, line: int | None = None):
    """A French date ('21 mai 2024'), or an error naming the file."""
    try:
        return parse_french_date(text)
    except ValueError:
        raise DossierError(f"not a date: '{text}'", path, line) from None


def answer_state(line: str, path: str, line_no: int | None = None) -> tuple[str, dict] | None:
    """Read the first line under 'Réponse': ('pending'|'answered'|'withdrawn', facts), or None."""
    line = squash(line)
    if line == NO_ANSWER:
        return "pending", {}
    m = re.match(ANSWERED, line)
    if m:
        return "answered", {"date_reponse": date(m[1], path, line_no)}
    m = re.match(WITHDRAWN, line)
    if m:
        motif = squash(m[2])
        return "withdrawn", {"date_cloture": date(m[1], path, line_no), "motif_cloture": motif[:1].upper() + motif[1:]}
    return None


def unrecognised_answer(line: str, path: str, line_no: int | None = None) -> DossierError:
    return DossierError(f"unrecognised answer line: '{squash(line)}' (looked for 'Réponse émise le …', "
                        f"'{NO_ANSWER}' or 'Retirée le … (motif)')", path, line_no)
