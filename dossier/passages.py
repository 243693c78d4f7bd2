"""Questions that share passages: find them without comparing every pair, and highlight what they share.

A passage is a run of SHINGLE_WORDS words (accents and case folded). Finding related questions
uses a fixed sample of each text's runs (those whose first word hashes to 0 modulo SAMPLE), indexed run ->
questions, so the work grows with the length of the texts, not with the number of pairs; runs found
in many questions are formulas ("interroge M. le ministre…"), not shared passages. Highlighting then
compares the full runs of a question with those of its few related questions only.
"""

from __future__ import annotations

import copyreg
import hashlib
import multiprocessing
import operator
import pickle
import re
import sys
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import accumulate, chain, combinations, compress, repeat
from operator import sub

from markupsafe import Markup

from .memory import release_freed_memory
from .text import fold, folded_words

SHINGLE_WORDS = 8  # a shared run of this many words is a shared passage, not a turn of phrase
SAMPLE = 2  # keep about one run in two for the index (a shared sentence still leaves several)
MIN_SHARED = 4  # sampled runs two questions must share to be related (about 15 words in a row)...
MIN_SHARE = 0.03  # ...and this share of the shorter one's sampled runs
MAX_HOLDERS = 20  # a run found in more questions than this is a formula, not a shared passage
MAX_RELATED = 10  # related questions listed per question, most shared first
PAIRS_AT_ONCE = 1 << 20  # pairs of holders made in one array while indexing (8 MB)
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


class RelatedIndex:
    """find_related kept between builds: a call redoes only what the texts that changed affect.

    `related(uids, keys, sampled)` returns exactly `find_related(uids, texts)`. The first call builds
    everything. Later calls compare each uid's key with the previous call's (in C: ~3 ms at 10,000
    texts) and apply only the differences: texts taken out, added, or whose key changed. A text
    whose key changed keeps its holder id, so only the runs it gained or lost are touched (a dozen
    for a sentence added, not its 300). Then the texts whose pairs can have changed are recounted:
    those added, and the holders of any run that crosses MAX_HOLDERS. Pickle the index between
    builds.

    What it keeps, and why. These figures come from the 10,000-question benchmark corpus (whole
    record bodies, bench/related_bench.py): 3.07 M sampled runs, 1.83 M distinct, of which 1.58 M
    belong to one text, 246 k to 2..MAX_HOLDERS texts and 7 k to more (674 k holdings). 1.3 M pairs
    of texts share a run, and 3.3 k pairs qualify. The pickled index is 38 MB and unpickles in ~16 ms.
    - Each text's runs, as array("q") bytes per key, as `sampled` gave them (24 MB). `sampled` is
      only called for new keys, and a text's runs are needed to take it out again.
    - Runs held by one text: only a sorted multiset of 30-bit tags (run >> 34), searched with
      bisect, and no holder (30-bit tags take half the room of the runs). The first call sorts all
      runs with their holders in numpy arrays (~1 s at 10,000 texts, see _rebuild). When an added
      text holds a run whose tag is there, the one holder is found by searching the runs bytes
      (~11 ms at 10,000 texts), once per holder and update. There may be no holder: tags collide on
      0.15 % of lookups. The tags of runs that stop being held by one text are taken out exactly at
      the next merge.
    - Runs held by 2..MAX_HOLDERS texts: sorted runs, offsets and holders (CSR arrays).
    - Runs held by more texts: their count only (a dict of 7 k entries). When one falls back to
      MAX_HOLDERS, its holders are found by searching the runs bytes.
    - The arrays are kept as bytes and read through memoryviews, so unpickling them costs one copy
      of raw bytes. By contrast, a dict of 1.58 M ints takes ~600 ms to unpickle and a dict of
      253 k tuples ~210 ms.
    - The runs an update touches go into a small dict (`_over`, run -> array of holders). It
      overrides the arrays, which are rewritten (slice copies, ~0.1 s) once it holds MERGE_AT runs.
    - Only the pairs that qualify are kept, not the counts of all 1.3 M pairs (a dict too slow to
      unpickle). A pair's count changes only when one of its texts changes, or when a run the two
      share crosses MAX_HOLDERS. Either way the texts involved are recounted from their runs.
    Holder ids are small ints: the position at the last full build, with freed ids reused.

    A uid given twice is told apart by its rank, (uid, k), just as find_related tells texts apart
    by position, and the result follows find_related (first position, last value).
    Not thread-safe: run one call at a time, and pickle only between calls. If `sampled` raises, the
    index is left as it was. Any other exception from `related` leaves it unusable: start a new one.
    """

    MERGE_AT = 1 << 13  # runs held in the overlay before it is folded into the arrays
    REBUILD_SHARE = 0.25  # more changed texts than this share of the corpus: build from scratch

    def __init__(self):
        self._reset()

    def __getstate__(self, whole=lambda v: v if isinstance(v, bytes) else v.tobytes()):
        state = {k: v for k, v in self.__dict__.items() if k not in _VIEWS and k not in ("_ids", "_held")}
        state["_base"] = {k: whole(v) for k, v in self._base.items()}
        return state

    def __reduce_ex__(self, protocol):
        """With protocol 5 (the build's), the arrays are written from their own memory, not copied
        first (30 MB at 10,000 questions, at the end of the build, where its memory peaks); they
        are read back as bytes or bytearrays."""
        if protocol < 5:
            return super().__reduce_ex__(protocol)
        return copyreg.__newobj__, (type(self),), self.__getstate__(pickle.PickleBuffer)

    def __setstate__(self, state):
        if state.get("_params") != _params():  # another format or other constants: start over
            self._reset()
            return
        self.__dict__.update(state)
        self._ids = {name: h for h, name in enumerate(self._names) if name is not None}
        self._held = {name: self._keys[h] for name, h in self._ids.items()}
        self._view()

    def related(self, uids: list[str], keys: list, sampled) -> dict[str, tuple]:
        """Same result as find_related(uids, texts) (same dict, same order of items), where keys[i]
        is a digest of texts[i] and sampled(i) returns the sampled runs of texts[i] (an iterable of
        ints, e.g. array('q'), or the bytes of an array('q')); sampled(i) is called only for texts
        whose key is new to the index (see holds)."""
        if len(keys) != len(uids):
            raise ValueError("RelatedIndex.related: one key per uid")
        if self._params != _params():  # other constants (or Python): the stored runs may differ
            self._reset()
        names = _names(uids)
        held, now = self._held, dict(zip(names, keys))
        if now == held:
            gone = new = []
        else:  # compared in C: these run at every call, over every text
            changed = map(operator.ne, map(now.get, held), held.values())
            gone = list(map(self._ids.__getitem__, compress(held, changed)))
            new = list(compress(range(len(names)), map(operator.ne, map(held.get, names), keys)))
        fresh: dict = {}
        for i in new:  # every call to `sampled` before the index changes: if one fails, nothing has
            key = keys[i]
            if key not in self._runs and key not in fresh:
                runs = sampled(i)
                fresh[key] = runs if isinstance(runs, bytes) else \
                    (runs if isinstance(runs, array) and runs.typecode == "q" else array("q", runs)).tobytes()
        self._runs.update(fresh)
        del fresh
        dropped = [self._keys[h] for h in gone]  # their runs go too, unless another text has them
        if not held or len(gone) + len(new) > self.REBUILD_SHARE * len(names):
            self._rebuild(names, uids, keys)
            dropped = self._runs.keys() - set(keys)
        elif gone or new:
            self._update(gone, [(names[i], uids[i], keys[i]) for i in new])
        live = set(keys) if len(dropped) > 8 else now.values()
        for key in [key for key in dropped if key not in live]:
            self._runs.pop(key, None)
        found = list(map(self._related.get, map(self._ids.__getitem__, names)))
        return dict(compress(zip(uids, found), found))  # a repeated uid: first place, last value

    # ------------------------------------------------------------ state

    def holds(self, key) -> bool:
        """Are the runs of the text of this key in the index (related() then does not sample it)?"""
        return self._params == _params() and key in self._runs

    def _reset(self):
        self._params = _params()
        self._runs: dict = {}  # key -> bytes of array("q"): the sampled runs of that text
        self._names: list = []  # holder id -> name (uid, or (uid, k) for a repeat), None once freed
        self._uids: list = []
        self._keys: list = []
        self._sizes: list = []  # holder id -> number of distinct sampled runs
        self._free: list = []  # freed holder ids
        self._ids: dict = {}  # name -> holder id
        self._held: dict = {}  # name -> key
        # Sorted tags of the runs held by one text; sorted runs held by 2..MAX_HOLDERS, offsets, holders.
        self._base = {"s_tags": b"", "m_runs": b"", "m_start": bytes(4), "m_hold": b""}
        self._lifted: set = set()  # runs of the overlay whose tag in s_tags goes at the next merge
        self._crowd: dict = {}  # run -> number of holders, for runs held by more than MAX_HOLDERS
        self._over: dict = {}  # run -> array("i") of its holders, overriding the arrays
        self._partners: dict = {}  # holder -> {holder: shared runs}, the pairs that qualify, both ways
        self._related: dict = {}  # holder -> tuple of uids, most shared first
        self._view()

    def _view(self):
        for name, code in _VIEWS.items():
            self.__dict__[name] = memoryview(self._base[name[1:]]).cast("B").cast(code)

    # ------------------------------------------------------------ full build

    def _rebuild(self, names: list, uids: list, keys: list):
        """Index every text (the first call, or when many texts changed), in sorted numpy arrays.

        All texts' runs go into one array (holder id = position in `keys`). It is read in 16
        ranges of run values, in increasing order: each range's runs are sorted with their holders
        (stable: a run's holders stay in increasing order, so a run repeated in a text is next to
        its first), and what is kept of each range is put end to end: the results are sorted as if
        all runs had been sorted at once, with a sixteenth of the memory for the sorting. Runs and
        their holder counts come from the boundaries; pairs of holders sharing a run are counted as
        int64 codes (a * n + b). At 10,000 texts: ~1 s and ~60 MB, against ~4 s and 0.35 GB with sets
        and Counters of Python ints (bench/related_bench.py)."""
        import numpy as np  # here only: the first build pays its import, an update does not

        n = len(keys)
        blocks = [np.frombuffer(self._runs[key], dtype=np.int64) for key in keys]  # views, not copies
        runs = np.concatenate(blocks) if blocks else np.empty(0, np.int64)
        ends = np.cumsum(np.fromiter(map(len, blocks), dtype=np.int64, count=n))  # holder h: up to ends[h]
        del blocks
        sizes = np.zeros(n, np.int64)  # distinct runs of each holder
        s_tags, m_runs, counts, m_hold, codes, crowd = [], [], [], [], [], {}
        ranges = (runs >> 60).astype(np.int8)  # the 16 ranges of values, in increasing order
        for value_range in range(-8, 8):
            at = np.flatnonzero(ranges == value_range)
            part = runs[at]
            order = np.argsort(part, kind="stable")
            part, holders = part[order], np.searchsorted(ends, at[order], side="right").astype(np.int32)
            del at, order
            if len(part):  # a run repeated in one text counts once
                once = np.concatenate(([True], (part[1:] != part[:-1]) | (holders[1:] != holders[:-1])))
                part, holders = part[once], holders[once]
                del once
            sizes += np.bincount(holders, minlength=n)
            starts = _starts(part, np)
            held = np.diff(starts, append=len(part))  # holders of each distinct run
            first = part[starts]
            del part, starts
            s_tags.append((first[held == 1] >> _TAG).astype(np.int32))  # sorted, as the runs are
            big = held > MAX_HOLDERS
            crowd.update(zip(first[big].tolist(), held[big].tolist()))
            shared = (held >= 2) & ~big
            m_runs.append(first[shared])
            counts.append(held[shared])
            m_hold.append(holders[np.repeat(shared, held)])
            del first, held, holders, big, shared
            offsets = np.concatenate(([0], np.cumsum(counts[-1])[:-1])).astype(np.intp)
            for k in np.unique(counts[-1]).tolist():  # each pair (a, b), a < b, of holders of a shared run
                rows, (a, b) = offsets[counts[-1] == k], np.triu_indices(k, 1)
                step = max(1, PAIRS_AT_ONCE // len(a))  # runs of many holders make many pairs: a few at a time
                for row in range(0, len(rows), step):
                    table = m_hold[-1][rows[row:row + step, None] + np.arange(k)].astype(np.int64)
                    code = table[:, a]
                    code *= n
                    code += table[:, b]
                    codes.append(code.ravel())
                    del table, code
        del runs, ends, ranges
        s_tags = array("i", np.concatenate(s_tags).tobytes())
        m_runs = array("q", np.concatenate(m_runs).tobytes())
        counts = np.concatenate(counts)
        m_start = array("i", np.concatenate(([0], np.cumsum(counts))).astype(np.int32).tobytes())
        m_hold = np.concatenate(m_hold)
        pairs, together = _counted(codes, np, MIN_SHARED)  # empties codes
        a, b = np.divmod(pairs, n) if n else (pairs, pairs)
        keep = together >= MIN_SHARE * np.minimum(sizes[a], sizes[b])
        partners: dict = defaultdict(dict)
        for a, b, count in zip(a[keep].tolist(), b[keep].tolist(), together[keep].tolist()):
            partners[a][b] = count
            partners[b][a] = count
        self._names, self._uids, self._keys, self._sizes = list(names), list(uids), list(keys), sizes.tolist()
        self._free, self._ids, self._held = [], dict(zip(names, range(n))), dict(zip(names, keys))
        self._base = {"s_tags": s_tags, "m_runs": m_runs, "m_start": m_start, "m_hold": array("i", m_hold.tobytes())}
        self._view()
        self._crowd, self._over, self._lifted = crowd, {}, set()
        self._partners = dict(partners)
        self._related = {h: self._ranked(h) for h in self._partners}

    # ------------------------------------------------------------ incremental update

    def _update(self, gone: list, new: list):
        """Take out the holders `gone`, add the texts `new` (name, uid, key); recount what that changes."""
        over, crowd, partners = self._over, self._crowd, self._partners
        dirty: set = set()  # holders whose related uids may have changed
        minus: dict = defaultdict(list)  # run -> holders taken out
        coming = {name for name, _, _ in new}
        edited: dict = {}  # name -> (holder, old runs): a text edited keeps its holder id
        for h in gone:
            name, runs = self._names[h], self._distinct(self._keys[h])
            if name in coming:
                edited[name] = (h, runs)
            else:
                for run in runs:
                    minus[run].append(h)
                self._free.append(h)
            for p in partners.pop(h, ()):
                self._unpair(p, h, dirty)
            self._related.pop(h, None)
            del self._ids[name], self._held[name]
            self._names[h] = self._uids[h] = self._keys[h] = None
            self._sizes[h] = 0
        added = []  # (name, uid, key, holder id or None, its runs, those it did not hold before)
        for name, uid, key in new:
            mine = self._distinct(key)
            h, old = edited.get(name, (None, set()))
            for run in old - mine:
                minus[run].append(h)
            added.append((name, uid, key, h, mine, mine - old))  # the runs in both stay as they are
        touched = set(minus).union(*(more for *_, more in added))
        # Every touched run's holders before this update: an array, or None for a crowd run.
        before: dict = {}
        unknown = []  # runs whose tag says one text may hold them: which one is searched for
        for run in touched:
            if run in crowd:
                before[run] = None
                continue
            holders = self._holders(run)
            if holders is None:  # held by one text or none
                if run in minus:  # by the one going
                    holders = array("i", minus[run])
                    self._lifted.add(run)
                elif _has(self._s_tags, run >> _TAG):
                    unknown.append(run)
                    continue
                else:
                    holders = array("i")
            before[run] = holders
        if unknown and edited:  # a text edited in this call may keep it: its key is cleared, not searched
            left = set(unknown)
            for h, old in edited.values():
                for run in left.intersection(old):  # kept: a run it dropped is in `minus`
                    before[run] = array("i", [h])
                    self._lifted.add(run)
                left.difference_update(old)
            unknown = [run for run in unknown if run in left]
        if unknown:
            found = _Finder(self).locate(unknown, single=True)
            for run in unknown:
                holders = before[run] = found.get(run) or array("i")
                if holders:
                    self._lifted.add(run)
        recount: set = set()
        plus: dict = defaultdict(list)  # run -> holders added
        for name, uid, key, h, mine, more in added:
            if h is None and self._free:
                h = self._free.pop()
            if h is None:
                h = len(self._names)
                self._names.append(name)
                self._uids.append(uid)
                self._keys.append(key)
                self._sizes.append(len(mine))
            else:
                self._names[h], self._uids[h], self._keys[h], self._sizes[h] = name, uid, key, len(mine)
            self._ids[name], self._held[name] = h, key
            for run in more:
                plus[run].append(h)
            recount.add(h)
        # The texts added are recounted, the pairs of those taken out are gone. A pair of texts
        # that did not change only changes count where a run they share crosses MAX_HOLDERS (either
        # way): recount the holders of such runs.
        fallen = []
        for run, holders in before.items():
            out, into = minus.get(run, ()), plus.get(run, ())
            if holders is None:
                count = crowd[run] - len(out) + len(into)
                if count > MAX_HOLDERS:
                    crowd[run] = count
                else:
                    del crowd[run]
                    fallen.append(run)
                continue
            was = len(holders)
            count = was - len(out) + len(into)
            if count > MAX_HOLDERS:
                crowd[run] = count
                over[run] = array("i")  # hides the run's entry in the arrays until they are rewritten
                if was >= 2:
                    recount.update(h for h in holders if h not in out)
                continue
            for h in out:
                holders.remove(h)
            holders.extend(into)
            over[run] = holders
        if fallen:
            found = _Finder(self).locate(fallen, single=False)  # the holders as they are now
            for run in fallen:
                over[run] = holders = found.get(run) or array("i")
                if len(holders) >= 2:
                    recount.update(holders)
        for h in recount:
            self._recount(h, dirty)
        for h in dirty:
            if h in partners:
                self._related[h] = self._ranked(h)
            else:
                self._related.pop(h, None)
        if len(over) > self.MERGE_AT:
            self._merge()

    def _holders(self, run: int):
        """The holders of a run held by 2..MAX_HOLDERS texts, or touched since the last merge;
        None for a run held by one text or none. The overlay's own array, or a copy of the CSR's."""
        holders = self._over.get(run)
        if holders is None:
            m_runs = self._m_runs
            j = bisect_left(m_runs, run)
            if j < len(m_runs) and m_runs[j] == run:
                holders = array("i")
                holders.frombytes(self._m_hold[self._m_start[j]:self._m_start[j + 1]].cast("B"))
        return holders

    def _recount(self, h: int, dirty: set):
        """Count the runs h shares with each other text from scratch; keep the pairs that qualify."""
        over, crowd, partners, sizes = self._over, self._crowd, self._partners, self._sizes
        m_runs, m_start, m_hold = self._m_runs, self._m_start, self._m_hold
        counts: Counter = Counter()
        for run in self._distinct(self._keys[h]):
            if run in crowd:
                continue
            holders = over.get(run)
            if holders is None:
                j = bisect_left(m_runs, run)
                if j == len(m_runs) or m_runs[j] != run:
                    continue  # held by h alone
                holders = m_hold[m_start[j]:m_start[j + 1]]
            if len(holders) >= 2:
                counts.update(holders)
        del counts[h]
        size = sizes[h]
        mine = {p: count for p, count in counts.items()
                if count >= MIN_SHARED and count >= MIN_SHARE * min(size, sizes[p])}
        old = partners.get(h, {})
        for p in old.keys() - mine.keys():
            self._unpair(p, h, dirty)
        for p, count in mine.items():
            if old.get(p) != count:
                partners.setdefault(p, {})[h] = count
                dirty.add(p)
        if mine:
            partners[h] = mine
        else:
            partners.pop(h, None)
        dirty.add(h)

    def _distinct(self, key) -> set:
        return set(array("q", self._runs[key]))

    def _unpair(self, p: int, h: int, dirty: set):
        """Take h out of p's partners."""
        theirs = self._partners[p]
        del theirs[h]
        if not theirs:
            del self._partners[p]
        dirty.add(p)

    def _merge(self):
        """Fold the overlay into the arrays: copy the slices between the entries it changes."""
        m_runs, m_start, m_hold = self._m_runs, self._m_start, self._m_hold
        out_m, out_counts, out_hold = array("q"), array("i"), array("i")
        m_at = 0
        for run, holders in chain(sorted(self._over.items()), [(None, None)]):
            m_to = len(m_runs) if run is None else bisect_left(m_runs, run, m_at)
            out_m.frombytes(m_runs[m_at:m_to].cast("B"))
            out_counts.extend(map(sub, m_start[m_at + 1:m_to + 1], m_start[m_at:m_to]))
            out_hold.frombytes(m_hold[m_start[m_at]:m_start[m_to]].cast("B"))
            if run is None:
                break
            m_at = m_to + (m_to < len(m_runs) and m_runs[m_to] == run)  # its old entry, dropped
            if len(holders) >= 2:
                out_m.append(run)
                out_counts.append(len(holders))
                out_hold.extend(holders)
        tags = self._s_tags
        change = Counter(run >> _TAG for run, holders in self._over.items() if len(holders) == 1)
        change.subtract(run >> _TAG for run in self._lifted)
        out_tags = array("i")
        at = 0
        for tag in sorted(change):
            j = bisect_left(tags, tag, at)
            k = bisect_right(tags, tag, j)
            out_tags.frombytes(tags[at:j].cast("B"))
            out_tags.extend(repeat(tag, k - j + change[tag]))
            at = k
        out_tags.frombytes(tags[at:].cast("B"))
        self._base = {"s_tags": out_tags, "m_runs": out_m,
                      "m_start": array("i", accumulate(out_counts, initial=0)), "m_hold": out_hold}
        self._over, self._lifted = {}, set()
        self._view()

    def _ranked(self, h: int) -> tuple:
        uids = self._uids
        found = sorted([(-count, uids[p]) for p, count in self._partners[h].items()])
        return tuple(uid for _, uid in found[:MAX_RELATED])


class _Finder:
    """Find which texts hold some runs by searching their runs bytes: ~11 ms a run at 10,000
    texts; past SEARCHES runs, one pass over every text's runs (~0.3 s) finds the rest at once."""

    SEARCHES = 16

    def __init__(self, index: RelatedIndex):
        self._runs, self._keys = index._runs, index._keys

    def locate(self, runs: list, single: bool) -> dict:
        """Map each run held by some text to an array of its holders (the holders as they are now:
        texts taken out are not, texts added are once given an id). With `single`, each run is held
        by one text at most, and a holder found is tried first for the other runs (a passage pasted
        from another text leaves several of its runs there)."""
        found: dict = {}
        recent: list = []  # (holder, its runs)
        rest = []
        searches = 0
        for run in runs:
            holder = next((h for h, theirs in recent if run in theirs), None)
            if holder is not None:
                found[run] = array("i", (holder,))
            elif searches == self.SEARCHES:
                rest.append(run)
            else:
                searches += 1
                holders = found[run] = self._search(run)
                if single and holders:
                    recent.append((holders[0], set(array("q", self._runs[self._keys[holders[0]]]))))
        if rest:
            wanted = set(rest)
            for key, runs_bytes in self._runs.items():
                hits = wanted.intersection(array("q", runs_bytes))
                if hits:
                    holders = self._holders(key)
                    for run in hits:
                        found.setdefault(run, array("i")).extend(holders)
        return found

    def _search(self, run: int) -> array:
        needle = run.to_bytes(8, sys.byteorder, signed=True)
        found = array("i")
        for key, runs in self._runs.items():
            at = runs.find(needle)
            while at > 0 and at % 8:  # a match across two runs
                at = runs.find(needle, at + 1)
            if at >= 0:
                found.extend(self._holders(key))
        return found

    def _holders(self, key) -> list:
        """The holders with that text now (none for the text of one taken out, or not yet added)."""
        return list(compress(range(len(self._keys)), map(operator.eq, self._keys, repeat(key))))


_VIEWS = {"_s_tags": "i", "_m_runs": "q", "_m_start": "i", "_m_hold": "i"}
_TAG = 34  # run >> _TAG: the tag of a run held by one text (30 bits: half the room of a run)


def _starts(ordered, np):
    """Where each run of equal values of a sorted array starts."""
    if not len(ordered):
        return np.empty(0, np.intp)
    return np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))


def _counted(pieces: list, np, at_least: int = 1) -> tuple:
    """np.unique(np.concatenate(pieces), return_counts=True) for int64 arrays, keeping the values
    found at least `at_least` times, in half the memory: the pieces are moved into one array (each
    freed once copied, and that memory given back as it goes), which is sorted in place (the pairs
    of texts sharing a run: 80 MB at 50,000 questions)."""
    values = np.empty(sum(map(len, pieces)), np.int64)
    at = freed = 0
    while pieces:
        piece = pieces.pop()
        values[at:at + len(piece)] = piece
        at += len(piece)
        freed += len(piece)
        del piece
        if freed > 1 << 21:  # 16 MB: the pieces lie in memory that glibc keeps unless told
            release_freed_memory()
            freed = 0
    values.sort()
    starts = _starts(values, np)
    counts = np.diff(starts, append=len(values))
    often = counts >= at_least
    return values[starts[often]], counts[often]


def _has(ordered, value: int) -> bool:
    j = bisect_left(ordered, value)
    return j < len(ordered) and ordered[j] == value


_FORMAT = 1  # of RelatedIndex's state: a pickled index of another format starts over


def _params() -> tuple:
    """What the stored runs and pairs depend on, besides the texts."""
    return (_FORMAT, SHINGLE_WORDS, SAMPLE, MIN_SHARED, MIN_SHARE, MAX_HOLDERS, MAX_RELATED, sys.version_info[:2])


def _names(uids: list) -> list:
    """Tell repeated uids apart by rank, as find_related tells texts apart by position."""
    if len(set(uids)) == len(uids):
        return list(uids)
    seen: Counter = Counter()
    names = []
    for uid in uids:
        names.append((uid, seen[uid]) if seen[uid] else uid)
        seen[uid] += 1
    return names


def shingles(text: str) -> list[int]:
    """Hash every run of SHINGLE_WORDS consecutive words of a text, in order."""
    return _windows(_codes(folded_words(text)))


def sampled_shingles(text: str) -> list[int]:
    """The runs kept for the index: those whose first word's CRC is 0 modulo SAMPLE (stable everywhere)."""
    codes = _codes(folded_words(text))
    keep = map(operator.not_, map(SAMPLE.__rmod__, codes))  # codes[i] % SAMPLE == 0, computed in C
    return list(map(hash, compress(_runs(codes), keep)))


SAMPLE_IN_PROCESSES_FROM = 500  # texts to sample: below, forking costs more than it saves
_SAMPLING: list = []  # the texts, inherited by the sampling processes as they fork


def sampled_in_processes(texts: list[str], indices: list[int], jobs: int) -> dict[int, bytes]:
    """The sampled runs of texts[i] for each i of `indices` (the bytes of an array('q')), made by
    `jobs` forked processes: a first build's sampling took 1.4 s at 10,000 questions in one
    process. Each process sends back a few hundred texts' runs at a time; they are made here, in
    this process, as the index that keeps them is (made earlier, among the records, and freed
    among them once the index is saved, they kept 15 MB more in the build's process). {} when
    there are too few texts to be worth it, or no processes can fork: the caller samples them."""
    if jobs < 2 or len(indices) < SAMPLE_IN_PROCESSES_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return {}
    global _SAMPLING
    _SAMPLING = texts
    chunks = [indices[start:start + 256] for start in range(0, len(indices), 256)]
    made: dict[int, bytes] = {}
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for chunk, (joined, ends) in zip(chunks, pool.imap(_sample_chunk, chunks)):
                with memoryview(joined) as view:  # each text's bytes made here, where the index is
                    made.update(zip(chunk, (view[start:end].tobytes() for start, end in zip([0, *ends], ends))))
    except OSError:  # no process could start: sampled here, one by one
        return {}
    finally:
        _SAMPLING = []
    return made


def _sample_chunk(indices: list[int]) -> tuple[bytes, list[int]]:
    """The runs of these texts end to end, and where each ends."""
    runs = [array("q", sampled_shingles(_SAMPLING[i])).tobytes() for i in indices]
    return b"".join(runs), list(accumulate(map(len, runs)))


def _codes(folded_words: list[str]) -> list[int]:
    """A stable number per word (CRC-32: the same in every process, unlike str hashes)."""
    return list(map(_code, folded_words))


_fold_word = lru_cache(maxsize=1 << 16)(fold)  # words, one by one: a vocabulary again


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
    words = [(i, m.start(1), m.end(1), _fold_word(m[1])) for i in range(0, len(parts), 2)
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

