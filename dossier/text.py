"""Small text helpers shared by importers and the build: slugs, accent folding, French dates."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
_MONTH_NUMBERS = {unicodedata.normalize("NFC", m): i for i, m in enumerate(MONTHS, 1)}
_MONTH_NUMBERS.update({"fevrier": 2, "aout": 8, "decembre": 12})


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def fold(text: str) -> str:
    """Lower-case and strip accents, for matching: 'Électricité' -> 'electricite'."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold())).replace("\u2019", "'")


@functools.lru_cache(maxsize=4096)  # the same few hundred names (deputies, ministries, rubriques) all along
def slugify(text: str) -> str:
    """Make a URL slug: 'Julie Delpech' -> 'julie-delpech'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text).replace("œ", "oe").replace("æ", "ae")).strip("-")


def squash(text: str) -> str:
    """Collapse runs of white space (non-breaking ones included) to single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


_FRENCH_DATE = re.compile(r"^(1er|\d{1,2})\s+([a-zéûô]+)\s+(\d{4})$")


def parse_french_date(text: str) -> dt.date:
    """Read '21 mai 2024', '1er août 2024' or '21/05/2024'; raise ValueError otherwise."""
    text = squash(text).lower()
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = _FRENCH_DATE.match(text)
        if m and unicodedata.normalize("NFC", m[2]) in _MONTH_NUMBERS:
            day = 1 if m[1] == "1er" else int(m[1])
            return dt.date(int(m[3]), _MONTH_NUMBERS[unicodedata.normalize("NFC", m[2])], day)
    except ValueError:  # 31/02/2024: say which value, not only "day is out of range for month"
        pass
    raise ValueError(f"not a date: {text!r}")


def format_french_date(day: dt.date) -> str:
    """Write a date the French way: '21 mai 2024', '1er juin 2024'."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def ordinal(n: int, feminine: bool = True) -> str:
    """French abbreviated ordinal: 1re (or 1er), 2e, 3e."""
    if n == 1:
        return "1re" if feminine else "1er"
    return f"{n}e"


def circonscription_label(departement: str, number: int) -> str:
    """'Savoie', 2 -> 'Savoie (2e circonscription)'."""
    return f"{departement} ({ordinal(number)} circonscription)"


def add_months(day: dt.date, months: int) -> dt.date:
    """Add calendar months, clamping to the month's last day (31 Dec + 2 months -> 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
