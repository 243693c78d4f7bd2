"""Importer for the current Assemblée nationale question page (assemblee-nationale.fr/dyn/{leg}/questions/…).

The page gives "Question écrite n°200 : <title>", "16ème Législature", links "Publication de la
question au Journal Officiel du …, page …", "Question de : Mme X (Région - Groupe)", the question and
answer texts, then a "Données clés" box of "Label : value" lines (read through labels.LABELS) ending
with "Dates :" or "Date(s) clé(s) :" and lines such as "Question publiée le …".
"""

from __future__ import annotations

import re

from ..errors import DossierError
from ..model import Question
from ..text import parse_french_date, squash
from .an_common import check_uid, make_question, question_type, split_author, uid_parts
from .html import complete_page, apply_label, require, soup_of, text_of, to_markdown

KIND = "an-html"
LOOKS_FOR = "an assemblee-nationale.fr question page ('Données clés' box, QANR5L… identifier)"

_HEADING = re.compile(r"^Question\s+(écrite|orale sans débat|au Gouvernement)\s+n°\s*(\d+)\s*:?", re.I)
_JO_LINK = re.compile(r"Publication de la (question|réponse) au Journal Officiel\s+du\s+(.+?),\s*page\s*(\d+)", re.I)
_DATE_LINE = re.compile(r"^(.+?\ble)\s+(\d.+)$")


def detect(text: str) -> bool:
    head = text[:200000]
    return bool(re.search(r"<(html|body|div)\b", head, re.I) and "Données clés" in head
                and re.search(r"QANR5L\d+(QE|QOSD|QG)\d+", head))


def parse(path: str, text: str) -> list[Question]:
    """Read one current-layout AN question page into a question record."""
    page = soup_of(complete_page(path, text))
    block = page.find(attrs={"data-id": re.compile(r"QANR5L")}) or page
    heading = require(block.find(string=_HEADING), "'Question écrite n°… :' heading", path)
    m = _HEADING.match(squash(heading))
    facts = {"type": question_type(m[1], path), "numero": int(m[2])}
    facts.update(_key_data(page, path))
    facts.update(_jo_links(block))
    legislature = _legislature(block, path)
    uid = uid_parts(block.get("data-id", "") if block is not page else "") or uid_parts(_og_url(page))
    check_uid(path, uid, legislature, facts["type"], facts["numero"])
    question, answer = _texts(block, path)
    return [make_question(path, KIND, facts, url=_og_url(page) or None, legislature=legislature,
                          title=text_of(heading.parent.find("span")) or None,
                          question_text=question, answer_text=answer)]


def _og_url(page) -> str:
    meta = page.find("meta", attrs={"property": "og:url"})
    return meta.get("content", "") if meta else ""


def _legislature(block, path: str) -> int:
    found = require(block.find(string=re.compile(r"\d+\s*(ème|e)\s+Législature", re.I)), "'NNème Législature'", path)
    return int(re.search(r"(\d+)", found)[1])


def _jo_links(block) -> dict:
    """The JO links at the top give dates and pages: 'du 26 juillet 2022, page 3501'."""
    facts = {}
    for link in block.find_all("a"):
        m = _JO_LINK.search(text_of(link))
        if m:
            kind = "question" if m[1].lower() == "question" else "reponse"
            facts[f"date_{kind}"], facts[f"page_{kind}"] = parse_french_date(m[2]), int(m[3])
    return facts


def _key_data(page, path: str) -> dict:
    """Read the 'Données clés' box: one 'Label : value' paragraph per fact, dates one per line."""
    title = require(page.find(string=re.compile(r"^\s*Données clés\s*$")), "'Données clés' box", path)
    box = title.find_parent(class_=re.compile("grid-item")) or title.parent.parent.parent
    facts: dict = {"extra": {}}
    for para in box.find_all("p"):
        label = squash("".join(s for s in para.find_all(string=True, recursive=False))).rstrip(" :")
        values = [text_of(s) for s in para.find_all("span", class_="_regular")] or [text_of(para)]
        if re.fullmatch(r"Dates?|Date\(s\) clé\(s\)", label, re.I):
            for line in values:
                _date_line(facts, line, path)
        elif label.lower() == "auteur":
            facts.update(split_author(values[0], "region-group"))
            link = para.find("a", attrs={"data-document-id": re.compile(r"^PA\d+")})
            if link:
                facts["author.id_an"] = link["data-document-id"]
        elif label and not apply_label(facts, label, " ".join(values), path):
            facts["extra"][label] = " ".join(values)
    return facts


def _date_line(facts: dict, line: str, path: str) -> None:
    m = _DATE_LINE.match(line)
    if not m or not apply_label(facts, m[1], m[2], path):
        facts["extra"].setdefault("dates", []).append(line)


def _texts(block, path: str) -> tuple[str, str | None]:
    """The question under 'Question de :', the answer under 'Réponse publiée le …'."""
    asker = require(block.find(string=re.compile(r"^\s*Question de\s*:?\s*$")), "'Question de :' line", path)
    question = asker.find_parent("p").find_next_sibling("p")
    answer_head = block.find(string=re.compile(r"Réponse\s+publiée\s+le", re.I))
    answer = answer_head.find_parent("p").find_next_sibling("p") if answer_head else None
    if question is None:
        raise DossierError("no question text after 'Question de :'", path)
    return to_markdown(question), (to_markdown(answer) or None) if answer else None
