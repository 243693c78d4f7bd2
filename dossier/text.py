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
    return _without_marks(text.casefold())


def _without_marks(text: str) -> str:
    """fold() but the case folding: decomposed, accents dropped, typographic apostrophes plain."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).replace("\u2019", "'")


def folded_words(text: str, keep: str = "") -> list[str]:
    """The words of fold(text): its runs of word characters (and of those in `keep`), as
    re.findall(r"[\\w<keep>]+", fold(text)) finds them.

    A text that is Windows-1252 once case-folded (French prose: accents, œ, « », ’, €) is folded
    and split byte by byte, through a table made from fold itself: 0.11 ms for a generated record's
    5,600 characters, against 0.29 ms. The same words, since folding goes character by character there
    (each of these characters decomposes to a letter, a digit or a space, then marks; see
    _ByteFold). Any other text is folded whole."""
    table = _byte_fold(keep)
    folded = text.casefold()
    if "…" in folded:
        folded = folded.replace("…", "...")  # the one such character that folds to several, and is common
    try:
        data = folded.encode("cp1252")
    except UnicodeEncodeError:
        return table.words.findall(fold(text))
    if table.several.search(data):
        return table.words.findall(fold(text))
    return data.translate(table.bytes).decode("cp1252").split()


class _ByteFold:
    """For folded_words: each Windows-1252 byte to the byte of its character's fold, or to a space
    when that is not a word character; `several`: the bytes whose fold is more than one byte."""

    def __init__(self, keep: str):
        self.words = re.compile(rf"[\w{re.escape(keep)}]+")
        table, several = bytearray(range(256)), []
        for byte in range(256):
            try:
                char = bytes([byte]).decode("cp1252")
            except UnicodeDecodeError:  # five bytes stand for no character: never met
                continue
            folded = _without_marks(char)  # the text is case-folded before it is encoded
            try:
                encoded = folded.encode("cp1252")
            except UnicodeEncodeError:  # folds beyond the table: such a text is folded whole
                encoded = b""
            if len(encoded) != 1 or unicodedata.combining(unicodedata.normalize("NFKD", char)[0]):
                several.append(byte)
            else:
                table[byte] = encoded[0] if self.words.fullmatch(folded) else 32
        self.bytes = bytes(table)
        self.several = re.compile(b"[" + b"".join(re.escape(bytes([b])) for b in several) + b"]" if several else b"(?!)")


_byte_fold = functools.lru_cache(maxsize=None)(_ByteFold)  # one table per `keep`


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
