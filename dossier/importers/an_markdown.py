"""Importer for an Assemblée nationale question page saved as Markdown.

The page reads: "NNème législature", the title as a level-2 heading, "Question écrite n° N",
then level-3 sections "Texte de la question", "Texte de la réponse", "Données clés" and
"Date(s) clé(s)" (or "Dates"), whose "**Label :** value" lines are read through `labels.LABELS`.
"""

from __future__ import annotations

import re

from ..errors import DossierError
from ..model import Author, Question, Source
from ..text import squash
from .labels import LABELS, label_key
from .lines import Lines

KIND = "an-markdown"
LOOKS_FOR = "a Markdown 'Données clés' section with '**Auteur :**'"

_LEGISLATURE = r"(\d+)\s*(?:ème|e)\s+législature"
_TITLE = r"^##\s+(.+?)\s*$"
_SECTION = r"^###\s+(.+?)\s*$"
_LABEL_LINE = re.compile(r"^\*\*(.+?)\s*:?\s*\*\*\s*:?\s*(.*)$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_FACT_SECTIONS = ("donnees cles", "date(s) cle(s)", "dates", "dates cles")


def detect(text: str) -> bool:
    return bool(re.search(r"^#+\s*Données clés", text, re.M) and re.search(r"\*\*Auteur\s*:?\s*\*\*", text))


def parse(path: str, text: str) -> list[Question]:
    """Read one AN question page (Markdown) into a question record."""
    lines = Lines.of(path, text)
    _, legislature = lines.require(_LEGISLATURE, "'NNème législature' line")
    _, title = lines.require(_TITLE, "title ('## …' heading)")
    sections = _sections(lines)
    if "texte de la question" not in sections:
        raise DossierError("no 'Texte de la question' section (looked for '### Texte de la question')", path)
    facts, extra = _facts(lines, sections)
    for required in ("numero", "type", "author.name"):
        if required not in facts:
            raise DossierError(f"no '{required}' in 'Données clés' (looked for its label)", path)
    author = Author(**{k[7:]: v for k, v in facts.items() if k.startswith("author.")})
    fields = {k: v for k, v in facts.items() if not k.startswith("author.")}
    answer = _section_text(lines, sections.get("texte de la reponse"))
    return [Question(
        legislature=int(legislature[1]),
        title=squash(title[1]),
        author=author,
        sources=[Source(kind=KIND, file=path)],
        question_text=_section_text(lines, sections["texte de la question"]),
        answer_text=answer or None,
        extra=extra,
        **fields,
    )]


def _sections(lines: Lines) -> dict[str, tuple[int, int]]:
    """Map each '### ' section (folded title) to its (first, end) line range."""
    starts = [(i, label_key(m[1])) for i, line in enumerate(lines.items) if (m := re.match(_SECTION, line))]
    ends = [i for i, _ in starts[1:]] + [len(lines.items)]
    return {name: (start + 1, end) for (start, name), end in zip(starts, ends)}


def _section_text(lines: Lines, span: tuple[int, int] | None) -> str:
    if span is None:
        return ""
    return "\n".join(lines.items[span[0]:span[1]]).strip()


def _facts(lines: Lines, sections: dict) -> tuple[dict, dict]:
    """Read every '**Label :** value' line of the fact sections through the label table."""
    facts: dict = {}
    extra: dict = {}
    for name in _FACT_SECTIONS:
        first, end = sections.get(name, (0, 0))
        for i in range(first, end):
            m = _LABEL_LINE.match(lines.items[i])
            if not m:
                continue
            label, value = m[1], _plain(m[2])
            entry = LABELS.get(label_key(label))
            if entry is None:
                extra[squash(label)] = value  # an unknown label is kept, never dropped
                continue
            targets, reader = entry
            try:
                values = reader(value)
            except ValueError as exc:
                raise lines.error(f"'{squash(label)}': {exc}", i) from None
            for target, value in zip(targets, values):
                if isinstance(value, list):
                    facts[target] = facts.get(target, []) + value
                elif value is not None:
                    facts[target] = value
    return facts, extra


def _plain(value: str) -> str:
    """Strip inline Markdown and HTML from a label's value: links, <sup>, emphasis."""
    return squash(_TAG.sub("", _LINK.sub(r"\1", value)).replace("**", ""))

