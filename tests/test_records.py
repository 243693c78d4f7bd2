"""Records: one small site per expected failure, each error asserted verbatim ("file:line: message").

Every site starts from the minimal valid project of conftest.py and breaks one thing; the build
must stop with `BuildFailed` listing exactly the expected errors, having written nothing.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import MINIMAL_QUESTION, QUESTION_FILE, build_errors, build_site, make_site, snapshot
from dossier.errors import BuildFailed, DossierError
from dossier.model import Author, Question, Source
from dossier.pipeline import MARKER
from dossier.records import read_record


def with_question(minimal_files: dict, text: str) -> dict:
    return {**minimal_files, QUESTION_FILE: text}


def test_the_minimal_site_is_valid(tmp_path, minimal_files):
    root = make_site(tmp_path, minimal_files)
    q = read_record(root / QUESTION_FILE, Question)
    assert (q.uid, q.key, q.author, q.date_question) == (
        "QANR5L16QE17941", "16-qe-17941", Author(name="Julie Delpech", civility="Mme"), dt.date(2024, 5, 21))
    assert q.sources == [Source(kind="nosdeputes-text", file="sources/000_23207a8713ae3daa.txt")]
    assert q.question_text.startswith("Mme Julie Delpech interroge") and q.answer_text is None
    result = build_site(root)
    assert result.warnings == []
    assert (root / "site" / MARKER).is_file()
    assert (root / "site" / "questions" / "16-qe-17941" / "index.html").is_file()


# Each case: the change made to the minimal record, then the errors expected ({q} is the record's path).
BROKEN_RECORDS = [
    pytest.param("rubrique: Numérique\n", "rubrique: Numérique: Santé\n",
                 ["{q}:9: invalid YAML: mapping values are not allowed here"], id="broken-yaml"),
    pytest.param("rubrique: Numérique\n", "rubrique: Numérique\ntitle: Un autre titre\n",
                 ["{q}:10: duplicate key 'title' (first set on line 5)"], id="duplicate-key"),
    pytest.param("numero: 17941\n", "",
                 ["{q}:1: missing required field 'numero'"], id="missing-numero"),
    pytest.param("  name: Julie Delpech\n", "",
                 ["{q}:6: missing required field 'author.name'"], id="missing-author-name"),
    pytest.param("date_question: 2024-05-21\n", "date_question: 2024-02-31\n",
                 ["{q}:11: 'date_question' is not a date (YYYY-MM-DD): '2024-02-31'"], id="impossible-date"),
    pytest.param("date_question: 2024-05-21\n", "date_question: 31/02/2024\n",
                 ["{q}:11: 'date_question' is not a date (YYYY-MM-DD): '31/02/2024'"], id="french-date"),
    pytest.param("rubrique: Numérique\n", "rubrique: Numérique\ncouleur: bleu\n",
                 ["{q}:10: unknown field 'couleur' (put anything else under 'extra:')"], id="unknown-key"),
    pytest.param("  civility: Mme\n", "  civility: Mme\n  couleur: bleu\n",
                 ["{q}:9: unknown field 'author.couleur' (put anything else under 'extra:')"], id="unknown-author-key"),
    pytest.param("numero: 17941\n", "numero: '17941'\n",
                 ["{q}:4: 'numero' must be a whole number: '17941'"], id="quoted-number"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BROKEN_RECORDS)
def test_broken_record(tmp_path, minimal_files, old, new, expected):
    assert old in MINIMAL_QUESTION
    root = make_site(tmp_path, with_question(minimal_files, MINIMAL_QUESTION.replace(old, new)))
    q = root / QUESTION_FILE
    assert build_errors(root) == [e.format(q=q) for e in expected]
    assert not (root / "site").exists() and not (root / ".site.new").exists()


def test_two_records_for_one_question_name_both_files(tmp_path, minimal_files):
    root = make_site(tmp_path, {**minimal_files, "content/questions/copie.md": MINIMAL_QUESTION})
    first, second = root / QUESTION_FILE, root / "content/questions/copie.md"
    assert build_errors(root) == [f"{first}: question QANR5L16QE17941 has 2 records: {first}, {second}"]


def test_every_broken_record_is_reported_at_once(tmp_path, minimal_files):
    other = MINIMAL_QUESTION.replace("numero: 17941", "numero: 17939").replace("2024-05-21", "21/05/2024")
    broken = MINIMAL_QUESTION.replace("rubrique: Numérique\n", "rubrique: Numérique\ncouleur: bleu\n")
    root = make_site(tmp_path, {**with_question(minimal_files, broken), "content/questions/16-qe-17939.md": other})
    assert build_errors(root) == [
        f"{root / 'content/questions/16-qe-17939.md'}:11: 'date_question' is not a date (YYYY-MM-DD): '21/05/2024'",
        f"{root / QUESTION_FILE}:10: unknown field 'couleur' (put anything else under 'extra:')",
    ]


def test_anything_goes_under_extra(tmp_path, minimal_files):
    text = MINIMAL_QUESTION.replace("rubrique: Numérique\n", "rubrique: Numérique\nextra:\n  couleur: bleu\n")
    root = make_site(tmp_path, with_question(minimal_files, text))
    assert read_record(root / QUESTION_FILE, Question).extra == {"couleur": "bleu"}
    build_site(root)


def test_yes_and_no_stay_text(tmp_path, minimal_files):
    text = MINIMAL_QUESTION.replace("rubrique: Numérique\n", "rubrique: no\nsummary: yes\nnotes: off\n")
    root = make_site(tmp_path, with_question(minimal_files, text))
    q = read_record(root / QUESTION_FILE, Question)
    assert (q.rubrique, q.summary, q.notes) == ("no", "yes", "off")
    build_site(root)
    [record] = json.loads((root / "site" / "data" / "questions.json").read_text(encoding="utf-8"))
    assert record["rubrique"] == "no"


def test_true_is_not_text(tmp_path, minimal_files):
    root = make_site(tmp_path, with_question(minimal_files, MINIMAL_QUESTION.replace("rubrique: Numérique",
                                                                                     "rubrique: true")))
    assert build_errors(root) == [f"{root / QUESTION_FILE}:9: 'rubrique' must be text, not true/false: True (quote it)"]


def test_a_leading_zero_does_not_change_a_number(tmp_path, minimal_files):
    root = make_site(tmp_path, with_question(minimal_files, MINIMAL_QUESTION.replace("numero: 17941", "numero: 012")))
    try:
        q = read_record(root / QUESTION_FILE, Question)
    except DossierError:
        return  # refusing it is a fix too
    assert q.numero == 12


# ---------------------------------------------------------------- the output folder


def test_a_failing_build_leaves_the_previous_site_untouched(tmp_path, minimal_files):
    root = make_site(tmp_path, minimal_files)
    build_site(root)
    site = root / "site"
    (site / "written-by-hand.txt").write_text("still here\n", encoding="utf-8")
    before = snapshot(site)
    assert MARKER in before and "index.html" in before and "data/questions.json" in before

    (root / QUESTION_FILE).write_text(MINIMAL_QUESTION.replace("2024-05-21", "2024-02-31"), encoding="utf-8")
    with pytest.raises(BuildFailed):
        build_site(root)
    assert snapshot(site) == before
    assert sorted(p.name for p in root.iterdir()) == [".site.cache", "config.yaml", "content", "site",
                                                      "templates"]


def test_a_successful_build_replaces_its_own_previous_site(tmp_path, minimal_files):
    root = make_site(tmp_path, minimal_files)
    build_site(root)
    (root / "site" / "written-by-hand.txt").write_text("replaced\n", encoding="utf-8")
    build_site(root)
    assert not (root / "site" / "written-by-hand.txt").exists()
    assert (root / "site" / MARKER).is_file()


def test_the_build_refuses_a_folder_it_did_not_build(tmp_path, minimal_files):
    root = make_site(tmp_path, minimal_files)
    out = tmp_path / "my-documents"
    out.mkdir()
    (out / "thesis.txt").write_text("months of work\n", encoding="utf-8")
    assert build_errors(root, out) == [
        f"refusing to replace {out}: it exists and was not built by this tool (no {MARKER} file); "
        "remove it or choose another --out"]
    assert snapshot(out) == {"thesis.txt": b"months of work\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-documents", "project"]


def test_the_build_accepts_an_empty_folder(tmp_path, minimal_files):
    root = make_site(tmp_path, minimal_files)
    out = tmp_path / "public"
    out.mkdir()
    build_site(root, out)
    assert (out / MARKER).is_file()


def test_records_pickle_as_tuples_and_come_back_equal():
    """The record cache pickles records by their fields (model.Record): texts with accents, nested
    records, lists and dates come back equal, and no record gets a __dict__ of its own to do so."""
    import pickle

    question = Question(legislature=16, type="QE", numero=17939, title="Cybersécurité des données de santé",
                        author=Author(name="Vincent Rolland", civility="M.", group="Les Républicains"),
                        date_question=dt.date(2024, 5, 21), analyses=["Protection des données"],
                        sources=[Source(kind="an-markdown", file="sources/17939.md")],
                        extra={"clé": "valeur"}, question_text="M. le député appelle l’attention…",
                        answer_text=None)
    state = question.__getstate__()
    assert isinstance(state, tuple) and b"M. le d\xc3\xa9put\xc3\xa9 appelle l\xe2\x80\x99attention\xe2\x80\xa6" in state
    again = pickle.loads(pickle.dumps(question, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == question and type(again.question_text) is str and again.author == question.author
    with pytest.raises(ValueError):  # a state of another shape (another version of the fields) is refused
        Question.__new__(Question).__setstate__(state[:-1])


def test_records_kept_from_the_published_questions_file_are_read_in_runs(tmp_path, monkeypatch):
    """Records of the published data/questions.json that lay there one after the other are read as
    one part (of at most RUN_MAX bytes); records between them made anew, records of a spool and
    records in another order stay parts of their own; the bytes are the same."""
    from dossier import opendata
    from dossier.opendata import Parts, Spool, Stored, _json_list_parts, _published_runs

    items = [f' {{"numero": {n}, "texte": "é{"x" * n}"}}'.encode("utf-8") for n in range(8)]
    published_parts, offsets = _json_list_parts(items)
    path = tmp_path / "questions.json"
    path.write_bytes(b"".join(published_parts))
    spool = Spool(tmp_path)
    with path.open("rb") as published:
        kept = [Stored(published, start, end - start) for start, end in offsets]
        new = [kept[0], kept[1], kept[2], b' {"numero": 3}', kept[4], kept[5], kept[7], kept[6],
               spool.add(items[0]), spool.add(items[1])]
        parts, _ = _json_list_parts(new)
        runs = _published_runs(parts, published)
        stored = [(p.start, p.start + p.length) for p in runs if isinstance(p, Stored) and p.file is published]
        assert stored == [(offsets[0][0], offsets[2][1]), (offsets[4][0], offsets[5][1]), offsets[7], offsets[6]]
        assert b"".join(Parts(runs).pieces()) == b"".join(Parts(parts).pieces())
        monkeypatch.setattr(opendata, "RUN_MAX", offsets[1][1] - offsets[0][0])  # records 0 and 1, no more
        stored = [(p.start, p.start + p.length) for p in _published_runs(parts, published) if isinstance(p, Stored)
                  and p.file is published]
        assert stored == [(offsets[0][0], offsets[1][1]), offsets[2], offsets[4], offsets[5], offsets[7], offsets[6]]
        monkeypatch.setattr(opendata, "RUN_MAX", 1)  # nothing joined
        assert _published_runs(parts, published) == parts
    spool.close()


def test_spooled_parts_are_written_as_they_were_given(tmp_path):
    from dossier.opendata import Parts, Spool

    spool = Spool(tmp_path)
    parts = Parts([b"[\n", spool.add("« données de santé »".encode("utf-8")), b",\n", spool.add(b""),
                   spool.add(b"x" * 100_000), b"\n]\n"])
    assert [len(part) for part in parts] == [2, 24, 2, 0, 100_000, 3]
    assert b"".join(parts.pieces()) == b"[\n" + "« données de santé »".encode("utf-8") + b",\n" + b"x" * 100_000 + b"\n]\n"
    spool.close()
    assert list(tmp_path.iterdir()) == []  # an unnamed file: nothing left beside the output
