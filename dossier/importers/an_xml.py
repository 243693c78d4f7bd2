"""Importer for the Assemblée nationale per-question XML export (legacy '…QE.htm/vue/xml').

Root `QUESTION TYPE="QE"`; `LEGISLATURE`; a first `DEPOT NUMERO` with `DATE_JO`, `PAGE_JO`; `AUTEUR`
(`ID_ACTEUR`, `CIVILITE`, `NOM`, `PRENOM`); `GROUPE SIGLE` with `LIBELLE`; `CIRCONSCRIPTION` with
`DEPARTEMENT`; `INDEXATION_AN RUBRIQUE` with `TETE_ANALYSE` and `ANALYSE/ANA`; `MINI` (asked);
`MINA/ORDRE` (successive attributions, the last current); a `DEPOT` with `TEXTE_DEPOT`; `SIGNALEMENT`;
`RENOUVELLEMENT/ORDRE`; `CLOTURE`; `REPONSE` (`TEXTE_REPONSE` as HTML, `DATE_JO_REPONSE`,
`PAGE_JO_REPONSE`). Dates are DD/MM/YYYY; an empty element means unknown.
"""

from __future__ import annotations

import re

from ..errors import DossierError
from ..model import Question
from ..text import parse_french_date, squash
from .an_common import civility_name, make_question, question_type
from .encoding import xml_root
from .html import soup_of, to_markdown

KIND = "an-xml"
LOOKS_FOR = "XML with a root <QUESTION TYPE=…> holding <LEGISLATURE> and <DEPOT NUMERO=…>"


def detect(text: str) -> bool:
    head = text.lstrip()[:2000]
    return head.startswith("<") and re.search(r"<QUESTION\b[^>]*\bTYPE\s*=", head) is not None


def parse(path: str, text: str) -> list[Question]:
    """Read one AN XML question into a question record."""
    root = xml_root(path, text, "QUESTION")
    facts = {"type": question_type(root.get("TYPE", ""), path), **_author(root), **_filing(root, path),
             **_indexation(root), **_ministries(root, path), **_closing(root, path), **_answer(root, path)}
    facts["legislature"] = _int(_text(root, "LEGISLATURE"), "LEGISLATURE", path)
    facts["date_signalement"] = _date(_text(root, "SIGNALEMENT/DATE_JO") or _text(root, "SIGNALEMENT"), path)
    facts["dates_renouvellement"] = [d for o in root.findall("RENOUVELLEMENT/ORDRE")
                                     if (d := _date(_text(o, "DATE_RENOUVELLEMENT"), path))]
    return [make_question(path, KIND, {k: v for k, v in facts.items() if v is not None})]


def _text(node, xpath: str) -> str:
    found = node.find(xpath)
    return squash("".join(found.itertext())) if found is not None else ""


def _date(value: str, path: str):
    if not value:
        return None
    try:
        return parse_french_date(value)
    except ValueError:
        raise DossierError(f"not a date (DD/MM/YYYY): '{value}'", path) from None


def _int(value: str, what: str, path: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise DossierError(f"<{what}> is not a number: '{value}'", path)
    return int(value)


def _author(root) -> dict:
    facts = civility_name(f"{_text(root, 'AUTEUR/CIVILITE')} {_text(root, 'AUTEUR/PRENOM')} {_text(root, 'AUTEUR/NOM')}")
    ident = _text(root, "AUTEUR/ID_ACTEUR")
    group = root.find("GROUPE")
    facts.update({
        "author.id_an": (ident if ident.startswith("PA") else f"PA{ident}") if ident else None,
        "author.group": _text(root, "GROUPE/LIBELLE") or None,
        "author.group_abbr": (group.get("SIGLE") or None) if group is not None else None,
        "author.departement": _text(root, "CIRCONSCRIPTION/DEPARTEMENT") or None,
    })
    circo = root.find("CIRCONSCRIPTION")
    number = circo.get("NUMERO_CIRCONSCRIPTION", "") if circo is not None else ""
    if number.isdigit() and facts["author.departement"]:
        suffix = "re" if number == "1" else "e"
        facts["author.circonscription"] = f"{facts['author.departement']} ({int(number)}{suffix} circonscription)"
    return {k: v for k, v in facts.items() if v}


def _filing(root, path: str) -> dict:
    """The numbered DEPOT gives number, date and page; a DEPOT with TEXTE_DEPOT the text."""
    numbered = next((d for d in root.findall("DEPOT") if d.get("NUMERO")), None)
    if numbered is None:
        raise DossierError("no <DEPOT NUMERO=…> element: the question number is unknown", path)
    texts = [d.find("TEXTE_DEPOT") for d in root.findall("DEPOT") if d.find("TEXTE_DEPOT") is not None]
    return {"numero": _int(numbered.get("NUMERO").strip(), "DEPOT NUMERO", path),
            "date_question": _date(_text(numbered, "DATE_JO"), path),
            "page_question": _int(_text(numbered, "PAGE_JO"), "PAGE_JO", path),
            "question_text": _rich("".join(texts[0].itertext())) if texts else ""}


def _indexation(root) -> dict:
    index = root.find("INDEXATION_AN")
    if index is None:
        return {}
    return {"rubrique": squash(index.get("RUBRIQUE", "")) or None,
            "tete_analyse": _text(index, "TETE_ANALYSE") or None,
            "analyses": [squash("".join(a.itertext())) for a in index.findall("ANALYSE/ANA") if "".join(a.itertext()).strip()]}


def _ministry(node) -> str | None:
    return (_text(node, "DEVELOPPE") or _text(node, "ABREGE") or None) if node is not None else None


def _ministries(root, path: str) -> dict:
    orders = sorted(root.findall("MINA/ORDRE"), key=lambda o: int(o.get("NUMERO", "0") or 0))
    facts = {"ministere_interroge": _ministry(root.find("MINI"))}
    if orders:
        facts["ministere_attributaire"] = _ministry(orders[-1])
        if len(orders) > 1:
            dated = [e for e in orders[-1] if "DATE" in e.tag]
            facts["date_changement_attribution"] = _date(_text(orders[-1], dated[0].tag), path) if dated else None
            facts["extra"] = {"attributions": [_ministry(o) for o in orders]}
    return facts


def _closing(root, path: str) -> dict:
    closing = root.find("CLOTURE")
    if closing is None or not _text(closing, "DATE_JO"):
        return {}
    return {"date_cloture": _date(_text(closing, "DATE_JO"), path), "motif_cloture": _text(closing, "LIBELLE") or None}


def _answer(root, path: str) -> dict:
    answer = root.find("REPONSE")
    if answer is None:
        return {}
    return {"answer_text": _rich("".join(answer.find("TEXTE_REPONSE").itertext()))
            if answer.find("TEXTE_REPONSE") is not None else None,
            "date_reponse": _date(_text(answer, "DATE_JO_REPONSE"), path),
            "page_reponse": _int(_text(answer, "PAGE_JO_REPONSE"), "PAGE_JO_REPONSE", path)}


def _rich(value: str) -> str:
    """Question and answer texts are HTML (the answer may hold tables): keep paragraphs and tables."""
    return to_markdown(soup_of(value)) if value.strip() else ""
