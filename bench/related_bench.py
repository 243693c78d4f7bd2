#!/usr/bin/env python3
"""Related questions at scale: find_related against RelatedIndex, side by side in one run.

    python bench/related_bench.py [QUESTIONS_DIR] [--rounds R] [--edits K] [--question-text]

QUESTIONS_DIR defaults to the 10,000-question corpus `bench/run.py --questions 10000` leaves in
bench/work/q10000-s1/dossier/content/questions. Each record's text is taken, crudely, as the bytes
after its front matter (the second `---` line). With --question-text, it is the question's text as
the build reads it (dossier.records), without the answer: shorter texts, the ones the build indexes.
The sampled runs of every text are computed once, outside the timings, as the build's memo would
hand them back. Each round then times:

- find_related (full, fed by that memo),
- RelatedIndex().related(...) on an empty index (the first build),
- pickle.dumps / pickle.loads of the index (size in MB),
- related(...) on the unpickled index after one text is edited (a sentence appended to a text
  that has related questions),
- the same edit undone,
- related(...) with nothing changed,

and checks each result against find_related. The best of R rounds is printed. Then K edits in a
row on one index give the median time of an edit and the worst. The edits alternate between a new
sentence appended to a text and a passage of another text pasted into it. The worst includes any
folding of the overlay into the arrays (every MERGE_AT touched runs). The last result is checked
too, and the index is pickled again with its overlay.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import random
import statistics
import sys
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dossier.passages import RelatedIndex, find_related, sampled_shingles  # noqa: E402

DEFAULT = ROOT / "bench/work/q10000-s1/dossier/content/questions"
SENTENCE = ("\n\nLe député souhaite enfin connaître le calendrier précis des mesures envisagées par le "
            "Gouvernement pour répondre aux inquiétudes exprimées par les acteurs de terrain.\n")


def load(folder: Path) -> tuple[list[str], list[str]]:
    uids, texts = [], []
    for path in sorted(folder.glob("*.md")):
        raw = path.read_bytes()
        parts = raw.split(b"\n---\n", 1)  # the front matter opens with ---, the second --- closes it
        uids.append(path.stem)
        texts.append(parts[1].decode("utf-8") if len(parts) > 1 else "")
    return uids, texts


def load_question_texts(folder: Path) -> tuple[list[str], list[str]]:
    from dossier.errors import Problems
    from dossier.records import load_records

    questions = [q for q, _ in load_records(folder.parent, Problems()).questions] if folder.is_dir() else []
    return [q.uid for q in questions], [q.question_text or "" for q in questions]


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).digest()


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--question-text", action="store_true")
    args = parser.parse_args()
    uids, texts = (load_question_texts if args.question_text else load)(args.folder)
    if not uids:
        sys.exit(f"no question records in {args.folder}: make them with python bench/run.py --questions 10000")
    print(f"{len(uids)} texts from {args.folder}", flush=True)
    memo_store: dict = {}  # key -> bytes of array("q"), as the build's memo keeps them

    def memo(kind, key, compute):
        if key not in memo_store:
            memo_store[key] = compute()
        return memo_store[key]

    def sampled_for(current: list[str]):
        return lambda i: array("q", memo("shingles", digest(current[i]),
                                         lambda: array("q", sampled_shingles(current[i])).tobytes()))

    elapsed, _ = timed(lambda: [sampled_for(texts)(i) for i in range(len(texts))])
    print(f"sampling every text once (not timed below): {elapsed:.2f} s", flush=True)
    keys = [digest(t) for t in texts]
    # The text to edit: one with related questions, so the edit moves pairs, not just runs.
    expected = find_related(uids, texts, memo)
    target = uids.index(next(iter(expected))) if expected else 0
    edited = texts[:target] + [texts[target] + SENTENCE] + texts[target + 1:]
    edited_keys = keys[:target] + [digest(edited[target])] + keys[target + 1:]
    sampled_for(edited)(target)  # sampled beforehand, as the build's memo would have it
    best: dict[str, float] = {}

    def note(label: str, seconds: float) -> None:
        best[label] = min(best.get(label, seconds), seconds)

    for _ in range(args.rounds):
        elapsed, full = timed(find_related, uids, texts, memo)
        note("find_related, full (memo)", elapsed)
        index = RelatedIndex()
        elapsed, first = timed(index.related, uids, keys, sampled_for(texts))
        note("RelatedIndex, first call", elapsed)
        assert first == full and list(first) == list(full)
        elapsed, blob = timed(pickle.dumps, index, pickle.HIGHEST_PROTOCOL)
        note("pickle.dumps", elapsed)
        size = len(blob)
        elapsed, index = timed(pickle.loads, blob)
        note("pickle.loads", elapsed)
        elapsed, after = timed(index.related, uids, edited_keys, sampled_for(edited))
        note("related, one text edited", elapsed)
        assert after == find_related(uids, edited, memo)
        elapsed, undone = timed(index.related, uids, keys, sampled_for(texts))
        note("related, edit undone", elapsed)
        assert undone == full
        elapsed, same = timed(index.related, uids, keys, sampled_for(texts))
        note("related, nothing changed", elapsed)
        assert same == full
    width = max(map(len, best))
    for label, seconds in best.items():
        print(f"{label:<{width}}  {seconds * 1000:9.1f} ms")
    print(f"{'pickle size':<{width}}  {size / 1e6:9.1f} MB")
    print(f"{'unpickle + one edit':<{width}}  "
          f"{(best['pickle.loads'] + best['related, one text edited']) * 1000:9.1f} ms")
    edits(index, uids, list(texts), args.edits, sampled_for, memo)


def edits(index, uids: list[str], texts: list[str], count: int, sampled_for, memo) -> None:
    """Edit random texts one after the other; time each update of the index (the edited text's
    runs are sampled beforehand, as the build's memo would have them)."""
    chance = random.Random(1)
    times: dict[str, list] = {"sentence appended": [], "passage pasted": []}
    merges = 0
    for n in range(count):
        target, source = chance.randrange(len(texts)), chance.randrange(len(texts))
        kind = "passage pasted" if n % 2 else "sentence appended"
        sentence = f"\n\nPhrase nouvelle numéro {n} ajoutée à la question.\n"
        texts[target] += texts[source][-600:] if n % 2 else sentence
        keys = [digest(t) for t in texts]
        sampled = sampled_for(texts)
        sampled(target)
        before = len(index._over)
        elapsed, found = timed(index.related, uids, keys, sampled)
        merges += len(index._over) < before
        times[kind].append(elapsed)
    assert found == find_related(uids, texts, memo)
    every = [t for kind in times.values() for t in kind]
    print(f"{count} edits in a row: " + ", ".join(f"{kind} median {statistics.median(t) * 1000:.1f} ms"
                                                  for kind, t in times.items())
          + f"; worst {max(every) * 1000:.1f} ms ({merges} merge{'s' * (merges != 1)} of the overlay)")
    dumped, blob = timed(pickle.dumps, index, pickle.HIGHEST_PROTOCOL)
    loaded, _ = timed(pickle.loads, blob)
    print(f"then, with {len(index._over)} runs in the overlay: pickle.dumps {dumped * 1000:.1f} ms, "
          f"pickle.loads {loaded * 1000:.1f} ms, {len(blob) / 1e6:.1f} MB")

if __name__ == "__main__":
    main()
