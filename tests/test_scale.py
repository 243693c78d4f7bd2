"""What makes large dossiers fast must never change what is published.

Rendering in several processes gives the very bytes of one process; a rebuild keeps the files that
did not change (same inode, same time) and rewrites those that did.
"""

from __future__ import annotations

import os

import pytest

from bench import corpus
from dossier import pipeline
from dossier.cli import ProgressBar
from dossier.errors import BuildFailed

from conftest import build_site, snapshot


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated dossier of 60 questions (tables, withdrawals, copied questions), as the benchmark makes."""
    root = tmp_path_factory.mktemp("generated")
    corpus.write_dossier(corpus.generate(60, seed=3, deputies=15), root)
    return root


def test_the_output_is_the_same_for_any_number_of_processes(generated, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 0)
    monkeypatch.setattr(pipeline, "BATCH", 7)  # many batches, finishing in any order
    one = build_site(generated, tmp_path / "one", jobs=1, search=False)
    three = build_site(generated, tmp_path / "three", jobs=3, search=False)
    assert one.pages > 100
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "three")


def test_an_error_in_a_rendering_process_is_reported_as_in_one_process(tmp_path, monkeypatch):
    project = tmp_path / "project"
    corpus.write_dossier(corpus.generate(20, seed=3, deputies=5), project)
    template = project / "templates" / "deputy.html"
    template.write_text(template.read_text(encoding="utf-8").replace("{{ person.name", "{{ person.nom", 1),
                        encoding="utf-8")
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 0)
    messages = []
    for jobs in (1, 2):
        with pytest.raises(BuildFailed) as failed:
            build_site(project, tmp_path / f"out{jobs}", jobs=jobs, search=False)
        messages.append([str(e) for e in failed.value.errors])
    assert messages[0] == messages[1] and "templates/deputy.html:" in messages[0][0]
    assert not (tmp_path / "out2").exists()


def test_a_rebuild_keeps_unchanged_files_and_rewrites_changed_ones(generated, tmp_path):
    out = tmp_path / "site"
    first = build_site(generated, out, search=False)
    assert first.changed == first.files
    before = {name: os.stat(out / name) for name in ("index.html", "deputes/index.html", "static/style.css")}
    record = sorted((generated / "content" / "questions").glob("*.md"))[0]
    original = record.read_text(encoding="utf-8")
    record.write_text(original.replace("\n## Texte de la question\n", "\n## Texte de la question\n\nAjout.\n", 1),
                      encoding="utf-8")
    try:
        again = build_site(generated, out, search=False)
    finally:
        record.write_text(original, encoding="utf-8")
    assert 0 < again.changed < again.files / 4
    for name, stat in before.items():
        assert (os.stat(out / name).st_ino, os.stat(out / name).st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns), name
    question_pages = [p for p in out.glob("questions/*/index.html") if "Ajout." in p.read_text(encoding="utf-8")]
    assert len(question_pages) == 1


def test_the_progress_bar_stays_quiet_for_short_work_then_draws_and_ends_its_line(capsys, monkeypatch):
    bar = ProgressBar("Rendering", "pages")
    bar(10, 100)
    bar.close()
    assert capsys.readouterr().err == ""  # under a second: nothing drawn
    monkeypatch.setattr(ProgressBar, "DELAY", 0)
    bar = ProgressBar("Rendering", "pages")
    bar(50, 200)
    bar(200, 200)
    bar.close()
    err = capsys.readouterr().err
    assert "\rRendering [#######" in err and " 25 % - 50 pages" in err and "100 % - 200 pages" in err
    assert err.endswith("\n")
