"""The preview's updates of the last build (dossier/session.py) publish what a full build would."""

from __future__ import annotations

import pytest

from bench import corpus
from dossier.session import Session

from conftest import build_site, snapshot
from test_scale import EDITS


def _questions(root):
    return sorted((root / "content" / "questions").glob("*.md"))


def _share_a_passage(root):
    """Copy a long run of one question's text into another: their related questions change."""
    files = _questions(root)
    source = files[3].read_text(encoding="utf-8").split("## Texte de la question\n\n", 1)[1][:400]
    text = files[7].read_text(encoding="utf-8")
    files[7].write_text(text.replace("## Texte de la question\n\n", "## Texte de la question\n\n" + source + " ", 1),
                        encoding="utf-8")


ALL_EDITS = EDITS | {"a passage shared": _share_a_passage}


@pytest.mark.parametrize("edit", list(ALL_EDITS))
def test_an_update_or_a_build_in_a_session_gives_the_site_a_full_build_gives(edit, tmp_path):
    root = tmp_path / "dossier"
    corpus.write_dossier(corpus.generate(40, seed=5, deputies=10), root)
    out, session = tmp_path / "site", Session()
    build_site(root, out, search=False, session=session)
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    ALL_EDITS[edit](root)
    changed = [p for p in root.rglob("*") if p.is_file() and before.get(p) != p.stat().st_mtime_ns]
    changed += [p for p in before if not p.exists()]
    result = session.quick(changed, out)
    if edit.endswith("text"):
        assert result is not None and 1 <= result.rendered <= 3  # the question and those quoting it
    else:
        assert result is None  # the structure changed: a full build
        build_site(root, out, search=False, session=session)
    build_site(root, tmp_path / "full", search=False, cache=False)
    assert snapshot(out) == snapshot(tmp_path / "full")
    # and the session goes on from there
    EDITS["an answer's text"](root)
    changed = [p for p in _questions(root) if "Une précision." in p.read_text(encoding="utf-8")]
    assert session.quick(changed, out) is not None
    build_site(root, tmp_path / "full2", search=False, cache=False)
    assert snapshot(out) == snapshot(tmp_path / "full2")


def test_a_save_that_changes_nothing_is_an_update_that_writes_nothing(tmp_path):
    root = tmp_path / "dossier"
    corpus.write_dossier(corpus.generate(20, seed=5, deputies=6), root)
    session = Session()
    build_site(root, tmp_path / "site", search=False, session=session)
    record = _questions(root)[0]
    record.write_bytes(record.read_bytes())
    result = session.quick([record], tmp_path / "site")
    assert result is not None and result.changed == 0 and result.rendered == 0


def test_a_broken_record_is_left_to_the_full_build_that_reports_it(tmp_path):
    root = tmp_path / "dossier"
    corpus.write_dossier(corpus.generate(20, seed=5, deputies=6), root)
    session = Session()
    build_site(root, tmp_path / "site", search=False, session=session)
    record = _questions(root)[0]
    record.write_text(record.read_text(encoding="utf-8").replace("\n---\n", "\n", 1), encoding="utf-8")
    assert session.quick([record], tmp_path / "site") is None


@pytest.mark.parametrize("failing_write", [1, 2])
def test_an_update_that_fails_to_publish_leaves_nothing_a_later_build_would_keep(failing_write, tmp_path,
                                                                                 monkeypatch):
    """A save whose files could not all be written (a full disk), after an update that succeeded:
    the preview drops its session, saving the record of what is published. That record must not say
    the pages show the new text (they were kept by the next build), nor place the questions' records
    where they are not in the half-written data/questions.json (its next version was not valid
    JSON). The next build publishes what a full build does."""
    from dossier import pipeline

    root = tmp_path / "dossier"
    corpus.write_dossier(corpus.generate(40, seed=5, deputies=10), root)
    out, session = tmp_path / "site", Session()
    build_site(root, out, search=False, session=session)
    EDITS["an answer's text"](root)
    answered = [p for p in _questions(root) if "Une précision." in p.read_text(encoding="utf-8")]
    assert session.quick(answered, out) is not None
    edited = _questions(root)[0]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("## Texte de la question\n\n", "## Texte de la question\n\nPhrase ajoutée. ", 1),
                      encoding="utf-8")
    written, write = [], pipeline._write_whole

    def full_disk(target, data):
        written.append(target)
        if len(written) == failing_write:
            raise OSError(28, "No space left on device")
        write(target, data)
    monkeypatch.setattr(pipeline, "_write_whole", full_disk)
    with pytest.raises(OSError):
        session.quick([edited], out)
    monkeypatch.setattr(pipeline, "_write_whole", write)
    session.forget()  # as the preview does after an error
    build_site(root, out, search=False)
    build_site(root, tmp_path / "full", search=False, cache=False)
    assert snapshot(out) == snapshot(tmp_path / "full")
