"""Importer for the NosDéputés per-question API output, JSON or XML (…/16/question/QE/17941/json or /xml).

`{"questionecrite": {numero, legislature, date, date_cloture, ministere, themes, question, reponse,
motif_retrait, source, url_nosdeputes, parlementaire, …}}`, or the XML equivalent: a `<questionecrite>`
root with the same child elements. `ministere` reads "interrogé / attribué", `themes` "rubrique /
tête d'analyse / analyse"; a value that does not split that way is kept whole under `extra`, never
guessed. `date_cloture` closes the question: with a `reponse` it is the answer's date (the date
NosDéputés shows as "Réponse émise le"), with a `motif_retrait` the withdrawal's. The author is
`parlementaire` (a name, or an object with `nom`), else the question's own first words ("Mme Julie
Delpech interroge …"). The source URL kept is the AN page (`source`), else NosDéputés'.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from ..errors import DossierError
from ..model import Author, Question, Source
from ..text import parse_french_date, squash
from .encoding import xml_root
from .html import soup_of, to_markdown
from .lines import escape_markdown
from .nosdeputes_common import civility, identity, ministry

KIND = "nosdeputes-api"
LOOKS_FOR = "NosDéputés API output: {\"questionecrite\": {…}} (JSON) or a <questionecrite> root (XML)"

_JSON = re.compile(r'^\{\s*"questionecrite"\s*:\s*\{')
_XML = re.compile(r"^(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<questionecrite\b", re.S)
_AUTHOR = re.compile(r"^(M\.|Mme)\s+((?:[A-ZÀ-Ý][\w'’-]*\s+){0,3}[A-ZÀ-Ý][\w'’-]*)\s+"
                     r"(?:interroge|attire|appelle|alerte|souhaite|demande)\b")


def detect(text: str) -> bool:
    head = text.lstrip()[:2000]
    return bool(_JSON.match(head) or _XML.match(head))


def parse(path: str, text: str) -> list[Question]:
    """Read one NosDéputés API question (JSON or XML) into a question record."""
    fields = _xml_fields(path, text) if text.lstrip().startswith("<") else _json_fields(path, text)
    return [read_question(path, fields)]


def _json_fields(path: str, text: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DossierError(f"invalid JSON: {exc.msg}", path, exc.lineno) from None
    q = data.get("questionecrite") if isinstance(data, dict) else None
    if not isinstance(q, dict):
        raise DossierError("no 'questionecrite' object in the JSON", path)
    return q


def _xml_fields(path: str, text: str) -> dict:
    root = xml_root(path, text, "questionecrite")
    fields: dict = {}
    for child in root:
        fields[child.tag] = "".join(child.itertext()) if len(child) == 0 else {c.tag: "".join(c.itertext()) for c in child}
    return fields


def read_question(path: str, q: dict) -> Question:
    """Turn the fields of one 'questionecrite' into a Question."""
    numero = _int(q.get("numero"), "numero", path)
    if numero is None:
        raise DossierError("no 'numero': the question number is unknown", path)
    source, page = _str(q.get("source")), _str(q.get("url_nosdeputes"))
    legislature, qtype = identity(path, numero, [source or "", page or ""])
    stated = _int(q.get("legislature"), "legislature", path)
    if legislature is not None and stated is not None and stated != legislature:
        raise DossierError(f"'legislature' is {stated} but the addresses say {legislature}", path)
    question_text, answer_text = _rich(q.get("question")), _rich(q.get("reponse")) or None
    if not question_text:
        raise DossierError("no 'question' text", path)
    extra: dict = {}
    facts = {**_ministries(q.get("ministere"), extra), **_themes(q.get("themes"), extra),
             **_closing(q, answer_text, path)}
    return Question(
        legislature=stated if stated is not None else legislature,
        type=qtype,
        numero=numero,
        title=facts["analyses"][0] if facts.get("analyses") else None,  # as for AN pages: the analyse
        author=_author(q, question_text, path),
        date_question=_date(q.get("date"), "date", path),
        sources=[Source(kind=KIND, file=path, url=source or page)],
        extra=extra,
        question_text=question_text,
        answer_text=answer_text,
        **facts,
    )


def _str(value) -> str | None:
    return squash(str(value)) or None if value not in (None, "", [], {}) else None


def _int(value, what: str, path: str) -> int | None:
    text = _str(value)
    if text is None:
        return None
    if not text.isdigit():
        raise DossierError(f"'{what}' is not a number: {text!r}", path)
    return int(text)


def _date(value, what: str, path: str) -> dt.date | None:
    text = _str(value)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text[:10]) if re.match(r"\d{4}-\d{2}-\d{2}", text) else parse_french_date(text)
    except ValueError:
        raise DossierError(f"'{what}' is not a date: {text!r}", path) from None


def _author(q: dict, question_text: str, path: str) -> Author:
    who = q.get("parlementaire") or q.get("auteur")
    name = _str(who.get("nom")) if isinstance(who, dict) else _str(who)
    if name is None:
        m = _AUTHOR.match(question_text)
        if m is None:
            raise DossierError("no author: no 'parlementaire' and the question does not open with "
                               "'M./Mme First Family interroge|attire|appelle …'", path)
        name = m[2]
    name = re.sub(r"^(M\.|Mme)\s+", "", name)
    return Author(name=name, civility=civility(question_text),
                  group_abbr=_str(q.get("parlementaire_groupe_acronyme")), slug=_str(q.get("parlementaire_slug")))


def _ministries(value, extra: dict) -> dict:
    text = _str(value)
    if text is None:
        return {}
    parts = [squash(p) for p in text.split(" / ")]
    if len(parts) == 2 and all(parts):
        return {"ministere_interroge": ministry(parts[0]), "ministere_attributaire": ministry(parts[1])}
    if len(parts) == 1:
        return {"ministere_interroge": ministry(text)}
    extra["ministere"] = text  # not 'interrogé / attribué': which is which is unknown
    return {}


def _themes(value, extra: dict) -> dict:
    text = _str(value)
    if text is None:
        return {}
    parts = [squash(p) for p in text.split(" / ")]
    if len(parts) > 3 or not all(parts):
        extra["themes"] = text  # not 'rubrique / tête d'analyse / analyse'
        return {}
    facts = dict(zip(("rubrique", "tete_analyse"), parts))
    if len(parts) == 3:
        facts["analyses"] = [parts[2]]
    return facts


def _closing(q: dict, answer_text: str | None, path: str) -> dict:
    closed = _date(q.get("date_cloture"), "date_cloture", path)
    motif = _str(q.get("motif_retrait"))
    if motif:
        return {"date_cloture": closed, "motif_cloture": motif[:1].upper() + motif[1:]}
    if answer_text:
        return {"date_reponse": closed}
    return {"date_cloture": closed} if closed else {}


def _rich(value) -> str:
    if isinstance(value, dict):
        value = value.get("#text")
    if not isinstance(value, str) or not value.strip():
        return ""
    if re.search(r"<(p|br|div|table|em|strong|b|i|ul|ol|li)\b", value, re.I):
        return to_markdown(soup_of(value))
    return "\n\n".join(escape_markdown(squash(p)) for p in re.split(r"\n", value) if p.strip())
