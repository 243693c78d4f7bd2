"""Related questions by shared passages, and the highlighting of what they share."""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sys
from array import array
from collections import Counter
from itertools import chain
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from dossier import passages
from dossier.passages import MAX_HOLDERS, RelatedIndex, find_related, highlight, sampled_shingles

SHARED = ("Des négociations sont en cours depuis plus de quatre ans entre le ministère de la santé, la CNAM, "
          "la CNIL, les assureurs et les opticiens pour renforcer la sécurité des données de santé des assurés.")


def _text(n: int, extra: str = "") -> str:
    words = " ".join(f"mot{n}x{i}" for i in range(120))  # words of this question only
    return f"{words} {extra}"


def test_questions_sharing_a_passage_are_related_both_ways():
    related = find_related(["A", "B", "C"], [_text(1, SHARED), _text(2, SHARED), _text(3)])
    assert related == {"A": ("B",), "B": ("A",)}


def test_a_formula_found_in_many_questions_relates_nothing():
    formula = "sur les mesures que le Gouvernement entend prendre pour remédier à cette situation préoccupante"
    n = MAX_HOLDERS + 5
    related = find_related([f"Q{i}" for i in range(n)], [_text(i, formula) for i in range(n)])
    assert related == {}


def test_related_is_independent_of_order():
    texts = [_text(1, SHARED), _text(2), _text(3, SHARED)]
    assert find_related(["A", "B", "C"], texts) == {"A": ("C",), "C": ("A",)}
    assert find_related(["C", "B", "A"], texts[::-1]) == {"A": ("C",), "C": ("A",)}


def test_highlight_marks_shared_runs_without_breaking_markup():
    html = Markup("<p>Avant. " + SHARED.replace("CNAM", "<em>CNAM</em>") + " Après &amp; fin.</p>")
    marked = str(highlight(html, ["Autre texte. " + SHARED]))
    assert marked.startswith("<p>Avant. <mark>Des négociations")
    assert "<em><mark>CNAM</mark></em>" in marked  # marks stay inside the inline element
    assert marked.endswith("assurés</mark>. Après &amp; fin.</p>")


def test_highlight_without_shared_runs_changes_nothing():
    html = Markup("<p>Rien de commun ici, vraiment rien du tout entre ces deux textes-là.</p>")
    assert highlight(html, ["Un tout autre propos qui ne partage aucune suite de huit mots."]) == html


# ---------------------------------------------------------------- RelatedIndex: find_related, kept between builds

FORMULA = "sur les mesures que le Gouvernement entend prendre pour remédier à cette situation préoccupante"
PASSAGES = (SHARED, FORMULA) + tuple(  # shared passages of several lengths, words of their own
    " ".join(f"passage{j}mot{i}" for i in range(length)) for j, length in enumerate((9, 16, 30, 60)))


def _corpus_text(spec) -> str:
    n, length, passages = spec
    words = " ".join(f"mot{n}x{i}" for i in range(length))
    return " ".join([words] + [PASSAGES[j] for j in sorted(passages)])


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).digest()


def _call(index, uids, texts, calls=None):
    keys = [_key(t) for t in texts]

    def sampled(i):
        if calls is not None:
            calls.append(i)
        return array("q", sampled_shingles(texts[i]))

    return index.related(uids, keys, sampled)


def test_related_index_gives_find_related_and_samples_only_new_keys():
    uids = ["A", "B", "C", "D"]
    texts = [_text(1, SHARED), _text(2, SHARED), _text(3), _text(4, SHARED)]
    index, calls = RelatedIndex(), []
    assert _call(index, uids, texts, calls) == find_related(uids, texts)
    assert calls == [0, 1, 2, 3]
    # C edited to share the passage, D renamed E (same text), B's text given to F too, G new.
    uids = ["E", "A", "F", "B", "C", "G"]
    texts = [texts[3], texts[0], texts[1], texts[1], _text(3, SHARED), _text(7, SHARED)]
    calls.clear()
    related = _call(index, uids, texts, calls)
    assert related == find_related(uids, texts) and list(related) == list(find_related(uids, texts))
    assert sorted(calls) == [4, 5]  # only the texts whose key the index had never seen
    calls.clear()
    assert _call(pickle.loads(pickle.dumps(index)), uids, texts, calls) == find_related(uids, texts)
    assert calls == []


def test_related_index_made_a_few_pairs_at_a_time_and_pickled_as_the_build_does_gives_find_related(monkeypatch):
    monkeypatch.setattr(passages, "PAIRS_AT_ONCE", 1)  # one shared run's pairs at a time
    uids = [f"Q{i}" for i in range(8)]
    texts = [_text(i, SHARED) if i % 4 else _text(i) for i in range(8)]
    index, calls = RelatedIndex(), []
    assert _call(index, uids, texts, calls) == find_related(uids, texts) != {}
    index = pickle.loads(pickle.dumps(index, protocol=5))  # arrays written from their own memory
    texts[0] = _text(0, SHARED)
    assert _call(index, uids, texts, calls) == find_related(uids, texts)


def test_related_index_is_unchanged_when_sampled_fails():
    uids, texts = ["A", "B", "C"], [_text(1, SHARED), _text(2), _text(3, SHARED)]
    index = RelatedIndex()
    _call(index, uids, texts)

    def failing(i):
        raise OSError("cache unreadable")

    with pytest.raises(OSError):
        index.related(uids, [_key(t) for t in texts[:2]] + [_key(_text(4))], failing)
    texts[1] = _text(2, SHARED)
    assert _call(index, uids, texts) == find_related(uids, texts)


def test_related_index_with_a_formula_crossing_max_holders():
    n = MAX_HOLDERS + 1
    uids = [f"Q{i}" for i in range(n)]
    index = RelatedIndex()
    for without in [(), (0,), (), (3,), (3, 4), (4,), ()]:  # the formula in n texts, then n - 1, ...
        texts = [_corpus_text((i, 40, set() if i in without else {1})) for i in range(n)]
        related = _call(index, uids, texts)
        assert related == find_related(uids, texts)
        assert bool(related) == (n - len(without) <= MAX_HOLDERS)  # a formula in more texts relates none


def test_related_index_with_repeated_uids_follows_find_related():
    uids = ["A", "B", "A", "C", "B"]
    texts = [_text(1, SHARED), _text(2), _text(3, SHARED), _text(4, SHARED), _text(5, SHARED)]
    index = RelatedIndex()
    assert _call(index, uids, texts) == find_related(uids, texts)
    texts[1] = _text(2, SHARED)
    related = _call(index, uids, texts)
    assert related == find_related(uids, texts) and list(related) == list(find_related(uids, texts))


def test_related_index_starts_over_when_the_constants_change():
    uids, texts = ["A", "B", "C"], [_text(1, SHARED), _text(2, SHARED), _text(3, SHARED)]
    index = RelatedIndex()
    assert _call(index, uids, texts) == {"A": ("B", "C"), "B": ("A", "C"), "C": ("A", "B")}
    with mock.patch.object(passages, "MAX_RELATED", 1):
        calls: list = []
        related = _call(index, uids, texts, calls)
        assert related == find_related(uids, texts) == {"A": ("B",), "B": ("A",), "C": ("A",)}
        assert calls == [0, 1, 2]  # runs kept under other constants are not trusted
        calls.clear()
        stale = pickle.dumps(index)
    assert _call(pickle.loads(stale), uids, texts, calls) == find_related(uids, texts)  # back to 10
    assert calls == [0, 1, 2]
    with pytest.raises(ValueError):
        index.related(uids, [b"k"], lambda i: [])


def test_related_index_with_two_texts_edited_in_one_call():
    """A keeps a passage only it held while its own words change; B gains that passage in the same call."""
    uids = ["A", "B", "C"]
    texts = [_corpus_text((1, 40, {3})), _corpus_text((2, 40, set())), _corpus_text((3, 40, set()))]
    index = RelatedIndex()
    index.REBUILD_SHARE = 10.0  # an update, however many texts changed
    assert _call(index, uids, texts) == {}
    texts[:2] = [_corpus_text((1, 60, {3})), _corpus_text((2, 40, {3}))]
    assert _call(index, uids, texts) == find_related(uids, texts) == {"A": ("B",), "B": ("A",)}


def test_related_index_ignores_a_run_found_across_two_runs_of_another_text():
    """Runs are found in the bytes of every text's runs: a match must start on a run."""
    def run(data: bytes) -> int:
        return int.from_bytes(data, sys.byteorder, signed=True)

    passage = [bytes([65 + i]) * 8 for i in range(4)]  # runs held by Z, then by Y too
    straddling = [run(bytes(4) + p[:4]) for p in passage] + [run(p[4:] + bytes(4)) for p in passage]
    # X: each run of the passage astride two of its runs (p[:4] ending one, p[4:] starting the next)
    runs = {"X": [straddling[i // 2 + 4 * (i % 2)] for i in range(8)],
            "Z": [run(p) for p in passage] + [1, 2], "Y": [run(p) for p in passage] + [3, 4]}
    assert array("q", runs["X"]).tobytes().find(passage[0]) == 4
    for searches in (16, 0):
        with mock.patch.object(passages, "_TAG", 62), mock.patch.object(passages._Finder, "SEARCHES", searches):
            index = RelatedIndex()
            index.REBUILD_SHARE = 10.0  # an update, however large the change
            assert index.related(["X", "Z"], [b"x", b"z"], lambda i: runs["XZ"[i]]) == {}
            related = index.related(["X", "Z", "Y"], [b"x", b"z", b"y"], lambda i: runs["XZY"[i]])
            assert related == {"Z": ("Y",), "Y": ("Z",)}


_SPEC = st.tuples(st.integers(0, 40), st.integers(0, 250),  # (words of its own, how many, passages)
                  st.frozensets(st.integers(0, len(PASSAGES) - 1), max_size=3))
_ONE = st.one_of(
    st.tuples(st.just("add"), _SPEC, st.integers(0, 100)),
    st.tuples(st.just("remove"), st.integers(0, 100)),
    st.tuples(st.just("toggle"), st.integers(0, 100), st.integers(0, len(PASSAGES) - 1)),
    st.tuples(st.just("toggle"), st.integers(0, 100), st.just(1)),  # the formula, in or out of one text
    st.tuples(st.just("resize"), st.integers(0, 100), st.integers(0, 250)),
    st.tuples(st.just("copy"), st.integers(0, 100), st.integers(0, 100)),
    st.tuples(st.just("rename"), st.integers(0, 100)),
    st.tuples(st.just("repeat_uid"), st.integers(0, 100)),
    st.tuples(st.just("shuffle"), st.randoms(use_true_random=False)),
    st.tuples(st.just("many"), st.integers(0, 100), st.integers(0, 40)),
)
_OPS = st.lists(st.one_of(_ONE, st.tuples(st.just("batch"), st.lists(_ONE, min_size=2, max_size=4))),
                min_size=1, max_size=25)  # a batch: several edits seen by one call (a git pull, say)


@pytest.mark.parametrize("limits", [None, (3, 2)], ids=["constants", "small-limits"])
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.lists(_SPEC, min_size=0, max_size=24), formula=st.integers(16, 24), ops=_OPS,
       merge_at=st.sampled_from([0, 40, 1 << 30]), rebuild_share=st.sampled_from([0.3, 10.0, 10.0]),
       tag=st.sampled_from([passages._TAG, 61]), searches=st.sampled_from([0, 1, 16]),
       pickles=st.lists(st.booleans(), min_size=26, max_size=26))
def test_related_index_equals_find_related_after_any_edits(limits, start, formula, ops, merge_at, rebuild_share,
                                                            tag, searches, pickles):
    """Random edits of a small corpus; after each, the index gives exactly what find_related gives.

    `limits` (MAX_HOLDERS, MAX_RELATED) small makes runs cross MAX_HOLDERS all the time; with the real
    constants, `formula` more texts holding the formula at the start let edits take it across. `tag`
    61 makes the tags of runs held by one text collide, `searches` 0 finds holders in one pass."""
    patches = [mock.patch.object(passages, "_TAG", tag), mock.patch.object(passages._Finder, "SEARCHES", searches)]
    if limits:
        patches += [mock.patch.object(passages, "MAX_HOLDERS", limits[0]),
                    mock.patch.object(passages, "MAX_RELATED", limits[1])]
    with contextlib.ExitStack() as stack:
        for patch in patches:
            stack.enter_context(patch)
        start = start + [(41 + i, 20, frozenset({1})) for i in range(0 if limits else formula)]
        entries = [[f"Q{i}", spec] for i, spec in enumerate(start)]  # [uid, (n, length, passages)]
        index = RelatedIndex()
        index.MERGE_AT, index.REBUILD_SHARE = merge_at, rebuild_share
        held: set = set()
        for step, op in enumerate([("start",)] + ops):
            _apply(entries, op, step)
            uids = [uid for uid, _ in entries]
            texts = [_corpus_text(spec) for _, spec in entries]
            calls: list = []
            related = _call(index, uids, texts, calls)
            expected = find_related(uids, texts)
            assert related == expected and list(related) == list(expected), op
            keys = [_key(t) for t in texts]
            called = [keys[i] for i in calls]
            assert len(set(called)) == len(called) and not held & set(called), op  # new keys only, once
            held = set(keys)
            assert set(index._runs) == held  # and it forgets the runs of texts no longer there
            if not index._over:
                _check_arrays(index, texts)
            if pickles[step]:
                index = pickle.loads(pickle.dumps(index))


def _check_arrays(index, texts: list[str]) -> None:
    """With the overlay folded in, the arrays are those a full count gives: no tag left behind."""
    counts = Counter(chain.from_iterable(set(sampled_shingles(t)) for t in texts))
    tags = sorted(run >> passages._TAG for run, n in counts.items() if n == 1)
    assert list(index._s_tags) == tags
    assert list(index._m_runs) == sorted(run for run, n in counts.items() if 2 <= n <= passages.MAX_HOLDERS)
    assert index._crowd == {run: n for run, n in counts.items() if n > passages.MAX_HOLDERS}


def _apply(entries: list, op: tuple, step: int) -> None:
    kind = op[0]
    if kind == "batch":
        for one in op[1]:
            _apply(entries, one, step)
        return
    pick = (lambda k: entries[k % len(entries)]) if entries else None
    if kind == "add":
        entries.insert(op[2] % (len(entries) + 1), [f"N{step}", op[1]])
    elif not entries:
        return
    elif kind == "remove":
        del entries[op[1] % len(entries)]
    elif kind == "toggle":
        entry = pick(op[1])
        n, length, found = entry[1]
        entry[1] = (n, length, found ^ {op[2]})
    elif kind == "resize":
        entry = pick(op[1])
        entry[1] = (entry[1][0], op[2], entry[1][2])
    elif kind == "copy":
        pick(op[2])[1] = pick(op[1])[1]
    elif kind == "rename":
        pick(op[1])[0] = f"R{step}"
    elif kind == "repeat_uid":
        entry = pick(op[1])
        entries.append([entry[0], (step + 100, 30, frozenset({0}))])
    elif kind == "shuffle":
        op[1].shuffle(entries)
    elif kind == "many":  # the formula into (or out of) many texts at once
        for entry in entries[op[1] % len(entries):][:op[2]]:
            n, length, found = entry[1]
            entry[1] = (n, length, found ^ {1})


@pytest.mark.parametrize("title", [None, "Cybersécurité", "STRASSE ß et l’ŒUVRE"])
def test_what_is_derived_ahead_is_what_the_index_computes(title):
    from pathlib import Path

    from dossier.config import load_config
    from dossier.indexes import _matched_rules, _topic_words, _topics_key, derived_from_text
    from dossier.model import Author, Question

    topics = load_config(Path(__file__).parent.parent / "config.yaml").topics
    text = "Les données de santé des patients ont subi un piratage : la cybersécurité des hôpitaux. " * 8
    q = Question(legislature=16, type="QE", numero=1, title=title, author=Author(name="Jean Martin"),
                 question_text=text)
    words = _topic_words(q)
    assert derived_from_text(topics, q) == [("topics", _topics_key(topics, q), _matched_rules(topics, words))]
    assert _matched_rules(topics, words)
    # kept under the rules, the title and the text: another of any of them is another key
    from dataclasses import replace
    keys = {_topics_key(topics, q), _topics_key(topics[:-1], q),
            _topics_key(topics, replace(q, title=(title or "") + "x")),
            _topics_key(topics, replace(q, question_text=text + "x")), _topics_key(topics, replace(q, numero=2))}
    assert len(keys) == 4
