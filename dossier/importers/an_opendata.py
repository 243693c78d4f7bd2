"""Importer for the Assemblée nationale open data questions (JSON, one question per file or per archive member).

`{"question": {uid, identifiant: {numero, legislature}, type, indexationAN, auteur: {identite:
{acteurRef}, groupe}, minInt, minAttribs: {minAttrib}, textesQuestion, textesReponse, cloture,
signalement, renouvellements}}`. Any field may be an object or a list, null or missing; dates are ISO
or DD/MM/YYYY. The author is given by `acteurRef` only (a PA id): the import resolves the name
through the deputies registry, and refuses the question when the registry does not know it.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from ..errors import DossierError
from ..model import Question
from ..text import parse_french_date, squash
from .an_common import make_question, question_type, uid_parts
from .html import soup_of, to_markdown
from .lines import escape_markdown

KIND = "an-opendata"
LOOKS_FOR = "AN open-data JSON: {\"question\": {\"uid\": \"QANR5L…\", …}} (or a zip archive of them)"


def detect(text: str) -> bool:
    head = text.lstrip()[:3000]
    return head.startswith("{") and re.search(r'"uid"\s*:\s*"QANR5L\d+(QE|QOSD|QG)\d+"', head) is not None


def parse(path: str, text: str) -> list[Question]:
    """Read one open-data question file into a question record (author to be resolved)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DossierError(f"invalid JSON: {exc.msg}", path, exc.lineno) from None
    q = data.get("question") if isinstance(data, dict) else None
    if not isinstance(q, dict):
        raise DossierError("no 'question' object in the JSON", path)
    return [read_question(path, q)]


def read_question(path: str, q: dict) -> Question:
    """Turn one open-data 'question' object into a Question."""
    ident = _one(q.get("identifiant"))
    uid = uid_parts(str(q.get("uid") or ""))
    numero, legislature = _int(ident.get("numero"), path), _int(ident.get("legislature"), path)
    qtype = question_type(str(q.get("type") or ""), path) if q.get("type") else None
    if uid and (numero, legislature, qtype) != (uid[2], uid[0], uid[1]):
        raise DossierError(f"uid {q.get('uid')} contradicts identifiant/type "
                           f"({legislature}, {qtype}, {numero})", path)
    index = _one(q.get("indexationAN"))
    author = _one(q.get("auteur"))
    group = _one(author.get("groupe"))
    ref = _str(_one(author.get("identite")).get("acteurRef"))
    if not ref:
        raise DossierError("no auteur.identite.acteurRef: the author is unknown", path)
    facts = {"numero": numero, "legislature": legislature, "type": qtype,
             "author.id_an": ref,
             "author.group": _str(group.get("developpe")), "author.group_abbr": _str(group.get("abrege")),
             "rubrique": _str(index.get("rubrique")), "tete_analyse": _str(index.get("teteAnalyse")),
             "analyses": [a for a in map(_str, _many(_one(index.get("analyses")).get("analyse"))) if a],
             "ministere_interroge": _ministry(q.get("minInt")),
             **_attribution(q.get("minAttribs"), path), **_texts(q, path), **_closing(q.get("cloture"), path),
             "date_signalement": _date(_one(_one(q.get("signalement")).get("infoJO")).get("dateJO"), path),
             "dates_renouvellement": _renewals(q.get("renouvellements"), path)}
    url = f"https://www.assemblee-nationale.fr/dyn/{legislature}/questions/QANR5L{legislature}{qtype}{numero}"
    return make_question(path, KIND, {k: v for k, v in facts.items() if v not in (None, [])}, url=url)


def _one(value) -> dict:
    """An object that may come as a list (take the last) or null."""
    if isinstance(value, list):
        value = value[-1] if value else None
    return value if isinstance(value, dict) else {}


def _many(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _str(value) -> str | None:
    if isinstance(value, dict):  # {"#text": ...} or {"@xsi:nil": "true"}
        value = value.get("#text")
    return squash(str(value)) or None if value is not None else None


def _int(value, path: str) -> int | None:
    text = _str(value)
    if text is None:
        return None
    if not text.isdigit():
        raise DossierError(f"not a number: {text!r}", path)
    return int(text)


def _date(value, path: str) -> dt.date | None:
    text = _str(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10]) if re.match(r"\d{4}-\d{2}-\d{2}", text) else parse_french_date(text)
    except ValueError:
        raise DossierError(f"not a date: {text!r}", path) from None


def _ministry(value) -> str | None:
    node = _one(value)
    node = _one(node.get("denomination")) or node
    return _str(node.get("developpe")) or _str(node.get("abrege"))


def _attribution(value, path: str) -> dict:
    attribs = _many(_one(value).get("minAttrib"))
    if not attribs:
        return {}
    facts = {"ministere_attributaire": _ministry(attribs[-1])}
    if len(attribs) > 1:
        facts["date_changement_attribution"] = _date(_one(_one(attribs[-1]).get("infoJO")).get("dateJO"), path)
        facts["extra"] = {"attributions": [_ministry(a) for a in attribs]}
    return facts


def _texts(q: dict, path: str) -> dict:
    asked = _one(_one(q.get("textesQuestion")).get("texteQuestion"))
    answer = _one(_one(q.get("textesReponse")).get("texteReponse"))
    jo_q, jo_a = _one(asked.get("infoJO")), _one(answer.get("infoJO"))
    return {"question_text": _rich(asked.get("texte")), "date_question": _date(jo_q.get("dateJO"), path),
            "page_question": _int(jo_q.get("pageJO"), path), "answer_text": _rich(answer.get("texte")) or None,
            "date_reponse": _date(jo_a.get("dateJO"), path), "page_reponse": _int(jo_a.get("pageJO"), path)}


def _rich(value) -> str:
    text = _str(value) if not isinstance(value, str) else value
    if not text or not text.strip():
        return ""
    if "<" in text:
        return to_markdown(soup_of(text))
    return "\n\n".join(escape_markdown(squash(p)) for p in re.split(r"\n\s*\n|\n", text) if p.strip())


def _closing(value, path: str) -> dict:
    node = _one(value)
    when = _date(node.get("dateCloture"), path)
    return {"date_cloture": when, "motif_cloture": _str(node.get("libelleCloture"))} if when else {}


def _renewals(value, path: str) -> list:
    items = _many(_one(value).get("renouvellement")) if isinstance(value, dict) else _many(value)
    dates = [_date(_one(_one(r).get("infoJO")).get("dateJO") or _one(r).get("dateRenouvellement"), path)
             for r in items]
    return [d for d in dates if d]
