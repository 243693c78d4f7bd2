"""Questions that share passages: find them without comparing every pair, and highlight what they share.

A passage is a run of SHINGLE_WORDS words (accents and case folded). Finding related questions
uses a fixed sample of each text's runs (those whose first word hashes to 0 modulo SAMPLE), indexed run ->
questions, so the work grows with the length of the texts, not with the number of pairs; runs found
in many questions are formulas ("interroge M. le ministre…"), not shared passages. Highlighting then
compares the full runs of a question with those of its few related questions only.
"""

from __future__ import annotations

import hashlib
import operator
import re
import zlib
from array import array
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import chain, combinations, compress

from markupsafe import Markup

from .text import fold

SHINGLE_WORDS = 8  # a shared run of this many words is a shared passage, not a turn of phrase
SAMPLE = 2  # keep about one run in two for the index (a shared sentence still leaves several)
MIN_SHARED = 4  # sampled runs two questions must share to be related (about 15 words in a row)...
MIN_SHARE = 0.03  # ...and this share of the shorter one's sampled runs
MAX_HOLDERS = 20  # a run found in more questions than this is a formula, not a shared passage
MAX_RELATED = 10  # related questions listed per question, most shared first
_WORD = re.compile(r"\w+")
_TAG_SPLIT = re.compile(r"(<[^>]*>)")
_HTML_WORD = re.compile(r"&#?\w+;|(\w+)")  # words of escaped HTML text, entities skipped whole


def find_related(uids: list[str], texts: list[str], memo=None) -> dict[str, tuple]:
    """Map each uid to the uids of questions sharing whole passages with it, most shared first.

    `memo(kind, key, compute)`, when given, keeps each text's sampled runs between builds."""
    samples = []
    for text in texts:
        if memo is None:
            samples.append(set(sampled_shingles(text)))
        else:
            key = hashlib.blake2b(text.encode("utf-8"), digest_size=20).digest()
            samples.append(set(array("q", memo("shingles", key,
                                               lambda t=text: array("q", sampled_shingles(t)).tobytes()))))
    sizes = [len(sampled) for sampled in samples]
    # Most runs belong to one text: count them all first (in C), and index only the shared ones.
    counts = Counter(chain.from_iterable(samples))
    shared_runs = {h for h, n in counts.items() if 1 < n <= MAX_HOLDERS}
    index: dict[int, list[int]] = defaultdict(list)
    for i, sampled in enumerate(samples):
        for h in sampled & shared_runs:
            index[h].append(i)
    shared: Counter = Counter()
    for holders in index.values():
        shared.update(combinations(holders, 2))  # holders are in increasing order: pairs (a, b), a < b
    scored: dict[int, list] = defaultdict(list)
    for (a, b), count in shared.items():
        if count >= MIN_SHARED and count >= MIN_SHARE * min(sizes[a], sizes[b]):
            scored[a].append((-count, uids[b]))
            scored[b].append((-count, uids[a]))
    return {uids[i]: tuple(uid for _, uid in sorted(found)[:MAX_RELATED]) for i, found in sorted(scored.items())}


def shingles(text: str) -> list[int]:
    """Hash every run of SHINGLE_WORDS consecutive words of a text, in order."""
    return _windows(_codes(_WORD.findall(fold(text))))


def sampled_shingles(text: str) -> list[int]:
    """The runs kept for the index: those whose first word's CRC is 0 modulo SAMPLE (stable everywhere)."""
    codes = _codes(_WORD.findall(fold(text)))
    keep = map(operator.not_, map(SAMPLE.__rmod__, codes))  # codes[i] % SAMPLE == 0, computed in C
    return list(map(hash, compress(_runs(codes), keep)))


def _codes(folded_words: list[str]) -> list[int]:
    """A stable number per word (CRC-32: the same in every process, unlike str hashes)."""
    return list(map(_code, folded_words))


@lru_cache(maxsize=1 << 18)  # a vocabulary, not a text: words recur from one question to the next
def _code(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


def _runs(codes: list[int]):
    """Each run of SHINGLE_WORDS consecutive codes, as a tuple (hashing tuples of ints is stable too)."""
    return zip(*(codes[k:] for k in range(SHINGLE_WORDS)))


def _windows(codes: list[int]) -> list[int]:
    return list(map(hash, _runs(codes)))


def highlight(markup: Markup, others: list[str]) -> Markup:
    """Wrap in <mark> every run of words of this HTML that also occurs in one of the other texts."""
    wanted = {h for text in others for h in shingles(text)}
    if not wanted:
        return markup
    parts = _TAG_SPLIT.split(str(markup))
    words = [(i, m.start(1), m.end(1), fold(m[1])) for i in range(0, len(parts), 2)
             for m in _HTML_WORD.finditer(parts[i]) if m[1]]
    marked = [False] * len(words)
    for k, h in enumerate(_windows(_codes([w[3] for w in words]))):
        if h in wanted:
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

