"""Importer for the legacy Assemblée nationale question pages: questions.assemblee-nationale.fr (13th-15th
legislatures) and the older "FICHE QUESTION" table pages (11th-12th), both saved as HTML.

Both lay out one fact per line as "Label > value" or "Label : value" (several on one line in the
oldest pages), read through labels.LABELS; "Question N° 3200 de M. X (Groupe - Département)" gives
the number and author (the oldest pages write the family name first); "Texte de la question" and
"Texte de la réponse" head the texts. `facts_of_lines` also serves the same pages saved as text.
"""

from __future__ import annotations

import re

from ..errors import DossierError
from ..model import Question
from ..text import fold, squash
from .an_common import family_first, make_question, question_type, split_author, uid_parts
from .html import complete_page, apply_label, block_lines, soup_of, to_markdown
from .labels import split_labels

KIND = "an-html"
LOOKS_FOR = "a legacy AN question page ('Question N° … de …', 'Ministère interrogé', 'Texte de la question')"

_LEGISLATURE = re.compile(r"(\d+)\s*(?:ème|e|è)\s+législature", re.I)
_HEADER = re.compile(r"Question\s+N°\s*:?\s*(\d+)\s+de\s+(.+?\))", re.I)
_TYPE = re.compile(r"(Question écrite|Question orale sans débat|Question au Gouvernement|QE|QOSD|QG)\b", re.I)
_TEXT_HEAD = re.compile(r"^\s*Texte\s+de\s+la\s+(question|r[ée]ponse)\s*:?\s*$", re.I)
OLDEST_MARK = "FICHE QUESTION"


def detect(text: str) -> bool:
    return bool(re.search(r"<(html|body|table|div)\b", text[:5000], re.I) and looks_like_legacy(text))


def looks_like_legacy(text: str) -> bool:
    """The legacy markers, shared with the plain-text importer."""
    return bool(re.search(r"Question\s+N°\s*:?\s*\d+", text) and re.search(r"Minist[èe]re\s+interrog[ée]", text, re.I)
                and re.search(r"Texte\s+de\s+la\s+question", text, re.I))


def parse(path: str, text: str) -> list[Question]:
    """Read one legacy or oldest-layout AN question page (HTML) into a question record."""
    page = soup_of(complete_page(path, text))
    root = page.find(class_="contenu-principal") or page.body or page
    facts = facts_of_lines(path, block_lines(root), oldest=OLDEST_MARK in text)
    question, answer = _texts(root, path)
    return [make_question(path, KIND, facts, url=page_url(text), question_text=question, answer_text=answer)]


def facts_of_lines(path: str, lines: list[str], oldest: bool) -> dict:
    """Read every fact above 'Texte de la question' from the page's lines."""
    end = next((i for i, line in enumerate(lines) if _TEXT_HEAD.match(line)), None)
    if end is None:
        raise DossierError("no 'Texte de la question' heading found", path)
    head = lines[:end]
    joined = squash(" ".join(head))
    m = _HEADER.search(joined)
    if not m:
        raise DossierError("no 'Question N° … de M./Mme … (…)' line found", path)
    facts = split_author(m[2], "group-departement")
    if oldest:
        facts["author.name"] = family_first(facts["author.name"])
    facts["numero"] = int(m[1])
    leg = _LEGISLATURE.search(joined)
    if leg:
        facts["legislature"] = int(leg[1])
    kind = _TYPE.match(joined[m.end():].strip())  # the type follows the author's line
    if kind:
        facts["type"] = question_type(kind[1], path)
    for i, line in enumerate(head):
        for label, value in split_labels(line):
            if value:
                apply_label(facts, label, value, path, i + 1)
    return facts


def _texts(root, path: str) -> tuple[str, str | None]:
    heads = {fold(m[1])[0]: node for node in root.find_all(string=_TEXT_HEAD) if (m := _TEXT_HEAD.match(node))}
    if "q" not in heads:
        raise DossierError("no 'Texte de la question' heading found", path)
    question = _section(heads["q"])
    answer = _section(heads["r"]) if "r" in heads else ""
    return question, answer or None


def _section(heading) -> str:
    """The Markdown of what follows a heading, up to the next heading or the end of its container."""
    element = heading.parent
    while element is not None:
        parts = []
        for sibling in element.find_next_siblings():
            if sibling.find(string=_TEXT_HEAD) or sibling.find(string=re.compile("Imprimer|Format PDF")):
                break
            parts.append(to_markdown(sibling))
        text = "\n\n".join(p for p in parts if p)
        if text or element.name in ("body", "html", "section"):
            return text
        element = element.parent
    return ""


def page_url(text: str) -> str | None:
    """The AN address a saved page names (legacy detail link or QANR5L… identifier), if any."""
    m = re.search(r"questions/detail/(\d+)/(qe|qosd|qg)/(\d+)", text, re.I)
    if m:
        return f"https://questions.assemblee-nationale.fr/q{m[1]}/{m[1]}-{m[3]}{m[2].upper()}.htm"
    uid = uid_parts(text)
    return f"https://www.assemblee-nationale.fr/dyn/{uid[0]}/questions/QANR5L{uid[0]}{uid[1]}{uid[2]}" if uid else None
