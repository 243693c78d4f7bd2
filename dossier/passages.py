"""Questions that share passages: find them without comparing every pair, and highlight what they share.

A passage is a run of SHINGLE_WORDS words (accents and case folded). Finding related questions
uses a fixed sample of each text's runs (those whose hash is 0 modulo SAMPLE), indexed run ->
questions, so the work grows with the length of the texts, not with the number of pairs; runs found
in many questions are formulas ("interroge M. le ministre…"), not shared passages. Highlighting then
compares the full runs of a question with those of its few related questions only.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict

from markupsafe import Markup

from .text import fold

SHINGLE_WORDS = 8  # a shared run of this many words is a shared passage, not a turn of phrase
SAMPLE = 4  # keep one run in four for the index (a shared sentence still leaves several)
MIN_SHARED = 2  # sampled runs two questions must share to be related
_WORD = re.compile(r"\w+")
_TAG_SPLIT = re.compile(r"(<[^>]*>)")
_HTML_WORD = re.compile(r"&#?\w+;|(\w+)")  # words of escaped HTML text, entities skipped whole


def find_related(uids: list[str], texts: list[str]) -> dict[str, tuple]:
    """Map each uid to the uids of questions sharing whole passages with it, most shared first."""
    index: dict[int, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        for h in {h for h in shingles(text) if h % SAMPLE == 0}:
            index[h].append(i)
    too_common = max(10, len(texts) // 100)
    shared: dict[tuple, int] = defaultdict(int)
    for holders in index.values():
        if 1 < len(holders) <= too_common:
            for a in holders:
                for b in holders:
                    if a != b:
                        shared[a, b] += 1
    related: dict[str, list] = defaultdict(list)
    for (a, b), count in sorted(shared.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
        if count >= MIN_SHARED:
            related[uids[a]].append(uids[b])
    return {uid: tuple(found) for uid, found in related.items()}


def shingles(text: str) -> list[int]:
    """Hash every run of SHINGLE_WORDS consecutive words of a text, in order."""
    words = [fold(w) for w in _WORD.findall(text)]
    return [_hash(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]


def _hash(words: list[str]) -> int:
    return zlib.crc32(" ".join(words).encode("utf-8"))


def highlight(markup: Markup, others: list[str]) -> Markup:
    """Wrap in <mark> every run of words of this HTML that also occurs in one of the other texts."""
    wanted = {h for text in others for h in shingles(text)}
    if not wanted:
        return markup
    parts = _TAG_SPLIT.split(str(markup))
    words = [(i, m.start(1), m.end(1), fold(m[1])) for i in range(0, len(parts), 2)
             for m in _HTML_WORD.finditer(parts[i]) if m[1]]
    marked = [False] * len(words)
    for k in range(len(words) - SHINGLE_WORDS + 1):
        if _hash([w[3] for w in words[k:k + SHINGLE_WORDS]]) in wanted:
            marked[k:k + SHINGLE_WORDS] = [True] * SHINGLE_WORDS
    spans: dict[int, list] = defaultdict(list)  # part -> [start, end] of each marked run
    for k, (part, start, end, _) in enumerate(words):
        if not marked[k]:
            continue
        runs = spans[part]
        if runs and k and marked[k - 1] and words[k - 1][0] == part:
            runs[-1][1] = end
        else:
            runs.append([start, end])
    for part, runs in spans.items():
        text = parts[part]
        for start, end in reversed(runs):
            text = f"{text[:start]}<mark>{text[start:end]}</mark>{text[end:]}"
        parts[part] = text
    return Markup("".join(parts))

