"""Importer for Assemblée nationale question pages saved or copied as plain text, current or legacy layout.

A browser's text keeps the page's words but not its layout: a label and its value may share a line
("Ministère interrogé > Économie et finances") or not ("Question publiée au JO le :" then "21/08/2012"
then "page :" then "4774"). Lines are first joined back into "label value" lines, then read by the
same label table as the HTML pages: legacy and "FICHE QUESTION" pages through
`an_legacy.facts_of_lines`; current pages by their "Question écrite n°… :" heading, "Question de :",
"Données clés" and "Dates" lines. Menus and footers around the question are ignored.
"""

from __future__ import annotations

import re

from ..errors import DossierError
from ..model import Question
from ..text import parse_french_date, squash
from .an_common import make_question, question_type, split_author
from .an_legacy import OLDEST_MARK, facts_of_lines, looks_like_legacy, page_url
from .html import apply_label
from .lines import escape_markdown, paragraphs

KIND = "an-text"
LOOKS_FOR = ("an AN question page as text ('Question N° … de …' and 'Texte de la question', "
             "or 'Question écrite n°…', 'Question de :' and 'Données clés')")

_HEADING = re.compile(r"^Question\s+(écrite|orale sans débat|au Gouvernement)\s+n°\s*(\d+)\s*:?\s*(.*)$", re.I)
_LEGISLATURE = re.compile(r"(\d+)\s*(?:ème|e)\s+Législature", re.I)
_JO = re.compile(r"Publication de la (question|réponse) au Journal Officiel\s+du\s+(.+?),\s*page\s*(\d+)", re.I)
_ANSWER = re.compile(r"^Réponse\s+publiée\s+le\s+(\d.+)$", re.I)
_DATES = re.compile(r"^(Dates?|Date\(s\) clé\(s\))\s*:?$", re.I)
_DATE_LINE = re.compile(r"^(.+?\ble)\s*:?\s+(\d.+)$")
_TEXT_HEAD = re.compile(r"^Texte\s+de\s+la\s+(question|r[ée]ponse)\s*:?$", re.I)
_END = re.compile(r"^(Imprimer|Format PDF|partager|Données clés|Haut de page|Retour en haut|Retour à la recherche|©.*|LCP)$", re.I)
_SECTIONS = re.compile(r"^(Données clés|Dates?|Date\(s\) clé\(s\)|Question de)\s*:?$", re.I)


def detect(text: str) -> bool:
    if re.search(r"<(html|body|div|table)\b", text[:5000], re.I) or re.search(r"^#+\s", text, re.M):
        return False  # HTML and Markdown have their own importers
    if looks_like_legacy(text):
        return True
    return bool(re.search(r"^\s*Données clés\s*$", text, re.M) and re.search(r"^\s*Question de\s*:", text, re.M)
                and re.search(r"^\s*Question\s+(écrite|orale sans débat|au Gouvernement)\s+n°\s*\d+", text, re.M | re.I))


def parse(path: str, text: str) -> list[Question]:
    """Read one AN question page saved as text into a question record."""
    raw = [squash(line) for line in text.replace("\r\n", "\n").split("\n")]
    starts = [i for i, line in enumerate(raw) if line]
    lines, firsts = _joined([raw[i] for i in starts])
    if any(_TEXT_HEAD.match(line) for line in lines):
        try:
            facts = facts_of_lines(path, lines, oldest=OLDEST_MARK in text)
        except DossierError as err:  # its line counts joined lines: give the file's own
            raise DossierError(err.message, path, starts[firsts[err.line - 1]] + 1 if err.line else None) from None
        question, answer = _legacy_texts(raw)
    else:
        facts, question, answer = _current(path, lines, raw)
    return [make_question(path, KIND, facts, url=page_url(text), question_text=question, answer_text=answer or None)]


def joined_lines(lines: list[str]) -> list[str]:
    """Join a label ending in ':' or '>' with its value, and a 'page : N' line with its date."""
    return _joined(lines)[0]


def _joined(lines: list[str]) -> tuple[list[str], list[int]]:
    """The joined lines, and the index in `lines` where each begins."""
    out: list[str] = []
    firsts: list[int] = []
    for i, line in enumerate(lines):
        if out and (_open(out[-1]) or re.match(r"^page\s*:", line, re.I) or re.fullmatch(r"[)(]", line)):
            out[-1] = squash(f"{out[-1]} {line}")
        else:
            out.append(line)
            firsts.append(i)
    return out, firsts


def _open(line: str) -> bool:
    """A line still waiting for its value: 'Rubrique >', 'page :', 'Question publiée le'."""
    if _SECTIONS.match(line) or _TEXT_HEAD.match(line):
        return False
    return bool(re.search(r"[:>]$", line) or re.search(r"\b(publiée|retirée|signalée|renouvelée) le$", line, re.I))


def _block(raw: list[str], start: int) -> tuple[str, int]:
    """The paragraphs of raw lines from `start` up to an end marker; return the Markdown and where it stopped."""
    end = start
    while end < len(raw) and not (_END.match(raw[end]) or _TEXT_HEAD.match(raw[end]) or _ANSWER.match(raw[end])):
        end += 1
    return "\n\n".join(escape_markdown(p) for p in paragraphs(raw[start:end])), end


def _legacy_texts(raw: list[str]) -> tuple[str, str]:
    heads = {m[1][0].lower(): i for i, line in enumerate(raw) if (m := _TEXT_HEAD.match(line))}
    question, _ = _block(raw, heads["q"] + 1)
    answer = _block(raw, heads["r"] + 1)[0] if "r" in heads else ""
    return question, answer


def _current(path: str, lines: list[str], raw: list[str]) -> tuple[dict, str, str]:
    """A current page: heading, JO publications, 'Question de :', texts, 'Données clés', 'Dates'."""
    at = next((i for i, line in enumerate(lines) if _HEADING.match(line)), None)
    if at is None:
        raise DossierError("no 'Question écrite n°… :' heading found", path)
    m = _HEADING.match(lines[at])
    facts: dict = {"type": question_type(m[1], path), "numero": int(m[2]), "extra": {}}
    title = m[3] or (lines[at + 1] if at + 1 < len(lines) and not _LEGISLATURE.search(lines[at + 1]) else "")
    if title:
        facts["title"] = title
    leg = _LEGISLATURE.search(" ".join(lines[at:at + 4]))
    if leg:
        facts["legislature"] = int(leg[1])
    for kind, day, page in _JO.findall(" ".join(lines)):
        key = "question" if kind.lower() == "question" else "reponse"
        facts[f"date_{key}"], facts[f"page_{key}"] = _date(day, path), int(page)
    _key_data(path, lines, facts)
    asker = next((i for i, line in enumerate(raw) if re.match(r"^Question de\s*:", line)), None)
    if asker is None:
        raise DossierError("no 'Question de :' line found", path)
    author_at = asker + 1 + next(i for i, line in enumerate(raw[asker + 1:] + ["x"]) if line)
    if not facts.get("author.name"):
        facts.update(split_author(raw[author_at] if author_at < len(raw) else "", "region-group"))
    question, stop = _block(raw, author_at + 1)
    answer = ""
    if stop < len(raw) and (m := _ANSWER.match(raw[stop])):
        facts.setdefault("date_reponse", _date(m[1], path))
        answer, _ = _block(raw, stop + 1)
    return facts, question, answer


def _key_data(path: str, lines: list[str], facts: dict) -> None:
    start = next((i for i, line in enumerate(lines) if re.fullmatch(r"Données clés\s*:?", line)), None)
    if start is None:
        raise DossierError("no 'Données clés' found", path)
    in_dates = False
    for i, line in enumerate(lines[start + 1:], start + 2):
        if _END.match(line):
            break
        if _DATES.match(line):
            in_dates = True
            continue
        label, _, value = line.partition(":") if not in_dates else ("", "", "")
        if in_dates:
            m = _DATE_LINE.match(line)
            if not m or not apply_label(facts, m[1], m[2], path):
                break  # past the dates: the page's footer
        elif re.fullmatch(r"Auteur\s*", label):
            facts.update(split_author(value, "region-group"))
        elif value.strip() and not apply_label(facts, label, value, path):
            facts["extra"][squash(label)] = squash(value)
        elif not value.strip():
            break


def _date(text: str, path: str):
    try:
        return parse_french_date(text)
    except ValueError:
        raise DossierError(f"not a date: '{text}'", path) from None
