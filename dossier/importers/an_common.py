"""What every Assemblée nationale page importer shares: author lines, question types, record assembly."""

from __future__ import annotations

import re

from ..errors import DossierError
from ..model import Author, Question, Source
from ..text import fold, squash
from .labels import read_type

_UID = re.compile(r"QANR5L(\d+)(QE|QOSD|QG)(\d+)")
_CIVILITY = re.compile(r"^(M\.|Mme|Mlle|MM\.)\s+(.+)$")
_TYPE_PHRASE = re.compile(r"^Question\s+(écrite|orale sans débat|au Gouvernement|orale)\b", re.I)


def uid_parts(text: str) -> tuple[int, str, int] | None:
    """Read legislature, type and number from an AN identifier such as QANR5L16QE200."""
    m = _UID.search(text)
    return (int(m[1]), m[2], int(m[3])) if m else None


def question_type(phrase: str, path: str) -> str:
    """Read QE, QOSD or QG from the page's own words ('Question écrite', 'QOSD')."""
    code = squash(phrase).upper()
    if code in ("QE", "QOSD", "QG"):
        return code
    try:
        return read_type(phrase)[0]
    except ValueError as exc:
        raise DossierError(str(exc), path) from None


def split_author(text: str, order: str) -> dict:
    """Read 'M. Name (A - B)' into author facts; order says what A and B are.

    order is 'region-group' (current pages: the split is at the first ' - ', group names hold
    dashes) or 'group-departement' (legacy pages: the split is at the last ' - ').
    """
    text = squash(text)
    m = re.fullmatch(r"(.+?)\s*\(\s*(.*?)\s*\)", text)
    who, inside = (m[1], m[2]) if m else (text, "")
    facts = civility_name(who)
    if " - " in inside or " – " in inside:
        parts = re.split(r"\s+[-–]\s+", inside)
        if order == "region-group":
            facts["author.region"], facts["author.group"] = parts[0], " - ".join(parts[1:])
        else:
            facts["author.group"], facts["author.departement"] = " - ".join(parts[:-1]), parts[-1]
    elif inside:
        facts["author.group"] = inside
    return {k: squash(v) for k, v in facts.items() if v and squash(v)}


def civility_name(text: str) -> dict:
    """'Mme Marie-Pierre Rixain' -> civility and name (civility None when the page gives none)."""
    text = squash(text)
    m = _CIVILITY.match(text)
    if not m:
        return {"author.name": text}
    civility = {"M.": "M.", "Mme": "Mme", "Mlle": "Mme"}.get(m[1])
    return {"author.civility": civility, "author.name": m[2]}


def family_first(name: str) -> str:
    """'Bricq Nicole' -> 'Nicole Bricq': the last word is the first name (compound ones are hyphenated)."""
    words = squash(name).split(" ")
    return " ".join([words[-1]] + words[:-1]) if len(words) > 1 else name


def make_question(path: str, kind: str, facts: dict, *, url: str | None = None, **fields) -> Question:
    """Assemble a Question from label facts; refuse it when number, type or author is missing."""
    facts = {**facts, **{k: v for k, v in fields.items() if v is not None}}
    for required, what in (("numero", "question number"), ("type", "question type"),
                           ("legislature", "legislature")):
        if facts.get(required) in (None, ""):
            raise DossierError(f"no {what} found on the page", path)
    if not facts.get("author.name") and not facts.get("author.id_an"):
        raise DossierError("no author found on the page", path)
    facts.setdefault("author.name", "")  # a PA id alone: the import takes the name from the deputies registry
    region = facts.pop("author.region", None)
    author = Author(**{k[7:]: v for k, v in facts.items() if k.startswith("author.")})
    values = {k: v for k, v in facts.items() if not k.startswith("author.")}
    extra = dict(values.pop("extra", None) or {})
    if region:
        extra["region"] = region
    if not values.get("title") and values.get("analyses"):
        values["title"] = values["analyses"][0]  # the AN's own heading for a question is its analyse
    if not values.get("question_text"):
        raise DossierError("no question text found on the page", path)
    return Question(author=author, sources=[Source(kind=kind, file=path, url=url)], extra=extra, **values)


def check_uid(path: str, uid: tuple | None, legislature, qtype, numero) -> None:
    """Refuse a page whose identifier contradicts what its text says (never a wrong number)."""
    if uid and uid != (legislature, qtype, numero):
        raise DossierError(f"the page's identifier says {uid} but its text says "
                           f"{(legislature, qtype, numero)}", path)


def is_label(text: str, *labels: str) -> bool:
    """True when text is one of the labels (accents, case and trailing colon ignored)."""
    folded = fold(squash(text)).rstrip(" :>").strip()
    return folded in labels
