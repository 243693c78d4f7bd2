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
    motif = squash(m[2]) if m[2] else None
    return parse_french_date(m[1]), motif[:1].upper() + motif[1:] if motif else None


def read_date(value: str) -> tuple:
    """'12/02/2013' or '12 février 2013' -> date."""
    return (parse_french_date(value),)


def read_date_list(value: str) -> tuple:
    """A renewal date, as a one-item list (a page may give several)."""
    return ([parse_french_date(value)],)


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
    "date de signalement": (("date_signalement",), read_date),
    "question signalee le": (("date_signalement",), read_date),
    "question signalee au gouvernement le": (("date_signalement",), read_date),
    "date de renouvellement": (("dates_renouvellement",), read_date_list),
    "question renouvelee le": (("dates_renouvellement",), read_date_list),
    "date de changement d'attribution": (("date_changement_attribution",), read_date),
    "question retiree le": (("date_cloture", "motif_cloture"), read_closing),
}


def _accent_tolerant(key: str) -> str:
    classes = {"e": "[eéèêë]", "a": "[aàâä]", "i": "[iîï]", "o": "[oôö]", "u": "[uùûü]", "c": "[cç]", "'": "['’]"}
    return "".join(classes.get(c, r"\s+" if c == " " else re.escape(c)) for c in key)


# A label inside a line of text: followed by ':' or '>' (legacy pages), longest labels first.
_INLINE = re.compile(r"(?<![\w'’])(" + "|".join(_accent_tolerant(k) for k in sorted(LABELS, key=len, reverse=True))
                     + r")\s*[:>]\s*", re.I)


def split_labels(line: str) -> list[tuple[str, str]]:
    """Split 'Rubrique : État Tête d'analyse : financement' into (label, value) pairs."""
    found = list(_INLINE.finditer(line))
    return [(m[1], line[m.end():found[i + 1].start() if i + 1 < len(found) else len(line)].strip())
            for i, m in enumerate(found)]


def label_key(label: str) -> str:
    """Normalise a page label for lookup: accents, case, apostrophes, trailing colon."""
    return squash(fold(label).replace("’", "'")).rstrip(" :")
