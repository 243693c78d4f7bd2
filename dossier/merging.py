"""Merge records of one question (or deputy) read from several sources, or re-imported into a record.

A fact one side lacks is filled from the other; a real disagreement keeps the first value and is
returned, to be reported, never silently resolved. Editorial fields and fields the editor listed
under `corrected:` are never changed by a source.
"""

from __future__ import annotations

import dataclasses
import re

from .model import Author

EDITORIAL = {"tags", "summary", "notes", "extra", "sources"}


def merge(old, new):
    """Merge a newly imported record into an existing one; return it and the disagreements."""
    conflicts: list = []
    values = {}
    for f in dataclasses.fields(old):
        a, b = getattr(old, f.name), getattr(new, f.name)
        if f.name == "sources":
            values[f.name] = a + [s for s in b if s not in a]
        elif f.name in EDITORIAL or f.name in getattr(old, "corrected", ()):
            values[f.name] = a  # editorial, or corrected by hand: the source never changes it
        elif isinstance(a, Author):
            values[f.name], sub = merge(a, b)
            conflicts += [(f"author.{n}", x, y) for n, x, y in sub]
        else:
            values[f.name] = _merge_value(f.name, a, b, conflicts)
    return type(old)(**values), conflicts


def _merge_value(name: str, a, b, conflicts: list):
    if a in (None, [], "", {}):
        return b
    if b in (None, [], "", {}) or a == b:
        return a
    if isinstance(a, str) and isinstance(b, str) and _same_words(a, b):
        return a  # the same text, written differently (Markdown escapes, line breaks, case of a label)
    conflicts.append((name, a, b))
    return a


def _same_words(a: str, b: str) -> bool:
    words = lambda s: re.sub(r"[\\*_`\s]+", " ", re.sub(r"<[^>]+>|&\w+;", " ", s)).strip().casefold()
    return words(a) == words(b)
