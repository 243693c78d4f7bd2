"""Smoke test of the benchmark harness: a tiny corpus, the dossier only, one round, in a temporary folder.

Hugo and Pelican are not needed (nor installed) here; the full comparison is run by hand (bench/README.md).
"""

from __future__ import annotations

import json
from collections import Counter

from bench import corpus
from bench.run import main
from dossier.records import load_records
from dossier.errors import Problems


def test_corpus_is_reproducible_and_reads_as_records(tmp_path):
    first, again = corpus.generate(40, seed=7, deputies=12), corpus.generate(40, seed=7, deputies=12)
    assert first == again
    corpus.write_dossier(first, tmp_path)
    problems = Problems()
    records = load_records(tmp_path / "content", problems)
    assert not problems.errors and len(records.questions) == 40 and len(records.deputies) == 12
    texts = [q.question_text for q, _ in records.questions]
    assert all(1500 <= len(t) <= 3000 for t in texts)
    assert any(c in "".join(texts) for c in "éèàç")
    kinds = Counter("repondue" if q.answer_text else "retiree" if q.date_cloture else "other"
                    for q, _ in records.questions)
    assert kinds["repondue"] and kinds["retiree"] and kinds["other"]
    assert {q.legislature for q, _ in records.questions} == {15, 16, 17}


def test_harness_builds_the_dossier_and_writes_the_json(tmp_path, capsys):
    result_file = tmp_path / "result.json"
    status = main(["--questions", "30", "--deputies", "10", "--tools", "dossier", "--runs", "2",
                   "--json", str(result_file), "--work", str(tmp_path / "work")])
    assert status == 0
    assert not (tmp_path / "work" / "discarded").exists()  # emptied once every build was timed
    results = json.loads(result_file.read_text(encoding="utf-8"))
    assert results["questions"] == 30
    assert set(results["tools"]) == {"dossier"}
    figures = results["tools"]["dossier"]
    for key in ("cold_s", "noop_s", "edit_s", "peak_mib"):
        assert isinstance(figures[key], float) and figures[key] > 0, key
    assert figures["files"] > 30
    assert results["floor"]["copy_s"] > 0
    assert "dossier" in capsys.readouterr().out


def test_ratios_are_taken_within_each_round_and_shown_against_the_goals():
    from bench.run import ratios_to_hugo, report

    hugo = {"cold_s": [2.0, 4.0], "noop_s": [2.0, 4.0], "edit_s": [2.0, 4.0], "cold_mib": [100.0, 100.0]}
    mine = {"cold_s": [1.0, 4.0], "noop_s": [0.1, 0.2], "edit_s": [0.2, 0.4], "cold_mib": [20.0, 30.0]}
    assert ratios_to_hugo(mine, hugo) == {"cold_s": 0.75, "noop_s": 0.05, "edit_s": 0.1, "peak_mib": 0.25}
    figures = {"cold_s": 1, "noop_s": 1, "edit_s": 1, "peak_mib": 1, "files": 3, "output_mib": 1.0}
    results = {"questions": 2, "deputies": 1, "runs": 2, "cores": 2, "load_average": [1.0, 1.0, 1.0],
               "floor": {"copy_s": 0.5, "of": "dossier"},
               "tools": {"dossier": {**figures, "ratio_to_hugo": ratios_to_hugo(mine, hugo)},
                         "hugo": {**figures, "ratio_to_hugo": ratios_to_hugo(hugo, hugo)}}}
    table = report(results)
    assert "dossier       0.75     0.05     0.10      0.25" in table
    assert "≤0.8" in table


def test_folders_done_with_are_moved_aside_until_the_builds_are_timed(tmp_path):
    """A cold build is not timed just after a deletion (on a file system without a journal, new
    inodes are found one by one past those freed in the last minutes)."""
    from bench.run import Graveyard
    from bench.tools import TOOLS

    site = tmp_path / "dossier"
    (site / "content").mkdir(parents=True)
    (site / "site" / "questions").mkdir(parents=True)
    inode = (site / "site").stat().st_ino
    graveyard = Graveyard(tmp_path / "discarded")
    TOOLS["dossier"].clean(site, graveyard)
    assert [p.name for p in site.iterdir()] == ["content"]
    [moved] = graveyard.folder.iterdir()
    assert moved.stat().st_ino == inode and (moved / "questions").is_dir()
    graveyard.empty()
    assert not graveyard.folder.exists()
