"""The declared table from Assemblée nationale page labels to record fields.

Labels changed over the years; each maps to the fields it fills and the function that reads its
value. A test checks that every target is a field of the model, so nothing read is silently lost.
"""

from __future__ import annotations

import re

from ..text import fold, parse_french_date, squash


def read_text(value: str) -> tuple:
    return (squash(value) or None,)


def read_type(value: str) -> tuple:
    folded = fold(value)
    for code, words in (("QOSD", "orale sans debat"), ("QG", "au gouvernement"), ("QE", "ecrite")):
        if words in folded:
            return (code,)
    raise ValueError(f"unknown question type: '{value}'")


def read_number(value: str) -> tuple:
    m = re.fullmatch(r"\s*(\d+)\s*", value)
    if not m:
        raise ValueError(f"not a question number: '{value}'")
    return (int(m[1]),)


def read_civility_name(value: str) -> tuple:
    m = re.fullmatch(r"\s*(M\.|Mme)\s+(.+?)\s*", squash(value))
    return (m[1], m[2]) if m else (None, squash(value))


def read_circonscription(value: str) -> tuple:
    """'Savoie (2e circonscription) - Les Républicains' -> departement, circonscription, group."""
    m = re.fullmatch(r"(.+?)\s*\((\d+)\s*(?:e|er|re|ème)\s+circonscription\)\s*(?:[-–]\s*(.+))?", squash(value))
    if not m:
        raise ValueError(f"not a circonscription: '{value}'")
    number = int(m[2])
    suffix = "re" if number == 1 else "e"
    return m[1], f"{m[1]} ({number}{suffix} circonscription)", m[3] or None


def read_jo(value: str) -> tuple:
    """'21 mai 2024, page 3999' -> date, page (page may be absent)."""
    m = re.fullmatch(r"(.+?)(?:\s*,?\s*page\s*:?\s*(\d+))?", squash(value))
    return parse_french_date(m[1]), int(m[2]) if m[2] else None


def read_closing(value: str) -> tuple:
    """'11 juin 2024 (Fin de mandat)' -> date, motif."""
    m = re.fullmatch(r"(.+?)\s*(?:\((.+)\))?", squash(value))
    return parse_french_date(m[1]), squash(m[2]) if m[2] else None


# folded label -> (fields filled, reader). Fields are Question fields or 'author.<field>'.
LABELS: dict[str, tuple[tuple[str, ...], object]] = {
    "auteur": (("author.civility", "author.name"), read_civility_name),
    "circonscription": (("author.departement", "author.circonscription", "author.group"), read_circonscription),
    "type de question": (("type",), read_type),
    "numero de la question": (("numero",), read_number),
    "rubrique": (("rubrique",), read_text),
    "tete d'analyse": (("tete_analyse",), read_text),
    "analyse": (("analyses",), lambda v: ([squash(v)] if squash(v) else [],)),
    "ministere interroge": (("ministere_interroge",), read_text),
    "ministere attributaire": (("ministere_attributaire",), read_text),
    "ministere repondant": (("ministere_attributaire",), read_text),
    "question publiee au jo le": (("date_question", "page_question"), read_jo),
    "question publiee le": (("date_question", "page_question"), read_jo),
    "reponse publiee au jo le": (("date_reponse", "page_reponse"), read_jo),
    "reponse publiee le": (("date_reponse", "page_reponse"), read_jo),
    "date de signalement": (("date_signalement",), lambda v: (parse_french_date(v),)),
    "date de changement d'attribution": (("date_changement_attribution",), lambda v: (parse_french_date(v),)),
    "question retiree le": (("date_cloture", "motif_cloture"), read_closing),
}


def label_key(label: str) -> str:
    """Normalise a page label for lookup: accents, case, apostrophes, trailing colon."""
    return squash(fold(label).replace("’", "'")).rstrip(" :")
