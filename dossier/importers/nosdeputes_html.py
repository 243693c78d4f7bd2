"""Importer for a NosDéputés question page saved as HTML (www.nosdeputes.fr/16/question/QE/17941).

The page holds an `h1` with the deputy's name and "Question N° … au <ministère>", a `div.source`
linking to the AN's page of the question, `div#question` ("Question soumise le …", an e-mail alert
box, the text) and `div#reponse` ("Réponse", then "Réponse émise le …" and the answer, "Cette
question n'a pas encore de réponse." or "Retirée le … (motif)"). The alert box and the comments are
not content. Legislature and type come from the page's addresses (canonical link, AN link); with
no address to give it the legislature is left to the calendar, as for the page's text.
"""

from __future__ import annotations

import re

from bs4 import Tag

from ..errors import DossierError
from ..model import Author, Question, Source
from ..text import squash
from .html import complete_page, require, soup_of, to_markdown
from .nosdeputes_common import (BOILERPLATE, HEADER, SUBMITTED, answer_state, civility, date, identity, ministry,
                                unrecognised_answer)

KIND = "nosdeputes-html"
LOOKS_FOR = "a NosDéputés question page (h1 'Question N° … au …', div#question 'Question soumise le …')"

_NOT_CONTENT = re.compile(r"alerte|commentaire|connexion|login", re.I)


def detect(text: str) -> bool:
    head = text[:300000]
    return bool(re.search(r"<(html|body|div)\b", head[:5000], re.I) and re.search(r"id=[\"']question[\"']", head)
                and "Question soumise le" in head and re.search(r"Question N°\s*\d+", head))


def parse(path: str, text: str) -> list[Question]:
    """Read one NosDéputés question page (HTML) into a question record."""
    page = soup_of(complete_page(path, text))
    name, numero, asked = _heading(page, path)
    an_url = _source_url(page)
    legislature, qtype = identity(path, numero, [an_url or "", _canonical(page)])
    submitted, question_text = _question(page, path)
    return [Question(
        legislature=legislature,
        type=qtype,
        numero=numero,
        author=Author(name=name, civility=civility(question_text)),
        ministere_interroge=ministry(asked),
        date_question=submitted,
        **_answer(page, path),
        sources=[Source(kind=KIND, file=path, url=an_url)],
        question_text=question_text,
    )]


def _heading(page, path: str) -> tuple[str, int, str]:
    """The h1: the deputy's name on one line, 'Question N° 17941 au …' on the next."""
    for h1 in page.find_all("h1"):
        lines = [squash(line) for line in h1.get_text("\n").split("\n") if squash(line)]
        at = next((i for i, line in enumerate(lines) if re.match(HEADER, line)), None)
        if at is None:
            continue
        names = [line for line in lines[:at] if line not in BOILERPLATE]
        if not names:
            raise DossierError("no deputy name in the h1 above 'Question N° …'", path)
        m = re.match(HEADER, lines[at])
        return " ".join(names), int(m[1]), m[2]
    raise DossierError("no h1 with 'Question N° … au …' found", path)


def _source_url(page) -> str | None:
    box = page.find(class_="source")
    link = box.find("a", href=True) if isinstance(box, Tag) else None
    return squash(link["href"]) or None if link else None


def _canonical(page) -> str:
    link = page.find("link", rel="canonical", href=True) or page.find("meta", property="og:url", content=True)
    return (link.get("href") or link.get("content") or "") if link else ""


def _blocks(node) -> list[str]:
    """The Markdown blocks of a div, without the alert box, forms and comments."""
    for child in node.find_all(True):
        if not child.decomposed and (child.name == "form" or _NOT_CONTENT.search(" ".join(child.get("class") or [])
                                                                                   + " " + (child.get("id") or ""))):
            child.decompose()
    return [b for b in to_markdown(node).split("\n\n") if squash(b) and squash(b) not in BOILERPLATE]


def _question(page, path: str):
    box = require(page.find(id="question"), "div#question", path)
    blocks = _blocks(box)
    at = next((i for i, b in enumerate(blocks) if re.match(SUBMITTED, b)), None)
    if at is None:
        raise DossierError("no 'Question soumise le …' in div#question", path)
    text = "\n\n".join(blocks[at + 1:])
    if not text:
        raise DossierError("the question has no text after 'Question soumise le'", path)
    return date(re.match(SUBMITTED, blocks[at])[1], path), text


def _answer(page, path: str) -> dict:
    box = page.find(id="reponse")
    if not isinstance(box, Tag):
        raise DossierError("no div#reponse found (the answer, or 'Cette question n'a pas encore de réponse.')", path)
    blocks = _blocks(box)
    if blocks and re.fullmatch(r"Réponse\s*:?", squash(blocks[0])):
        blocks = blocks[1:]
    if not blocks:
        raise DossierError("nothing under the 'Réponse' heading", path)
    state = answer_state(re.sub(r"[*\\]", "", blocks[0]), path)
    if state is None:
        raise unrecognised_answer(blocks[0], path)
    status, facts = state
    if status == "answered":
        facts["answer_text"] = "\n\n".join(blocks[1:])
        if not facts["answer_text"]:
            raise DossierError("'Réponse émise le' is not followed by the answer's text", path)
    return facts
