"""What makes large dossiers fast must never change what is published.

Rendering in several processes gives the very bytes of one process; a rebuild keeps the files that
did not change (same inode, same time) and rewrites those that did.
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import io
import os
import pickle
import shutil
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from bench import corpus
from dossier import cache, indexes, pipeline
from dossier.cache import RecordStore
from dossier.cli import ProgressBar
from dossier.model import Author, Question
from dossier.opendata import _json, _json_list
from dossier.errors import BuildFailed
from dossier.pagecache import page_reads, start_page, tracked
from dossier.records import parse_record

from conftest import AS_OF, build_site, snapshot


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
    assert one.pages == three.pages > 100 and one.files == three.files
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "three")


def test_records_parsed_ahead_in_processes_are_read_and_reported_as_in_one(generated, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "PARSE_AHEAD_FROM", 0)
    root = tmp_path / "dossier"
    shutil.copytree(generated, root)
    _edit(root, "questions", 3, "\nnumero: ", "\nnumero: douze ")
    _edit(root, "deputies", 2, "\nname: ", "\nnom: X\nname: ")
    parsed_here: list = []  # files parsed in the build's own process (the parsing processes count apart)
    monkeypatch.setattr(cache, "parse_record", lambda data, path, cls: parsed_here.append(path.name)
                        or parse_record(data, path, cls))
    errors, here = {}, {}
    for jobs in (1, 3):
        parsed_here.clear()
        with pytest.raises(BuildFailed) as failed:
            build_site(root, tmp_path / f"site-{jobs}", search=False, jobs=jobs)
        errors[jobs], here[jobs] = [str(err) for err in failed.value.errors], sorted(parsed_here)
    assert errors[1] == errors[3] and len(errors[3]) == 2
    pages = sorted(p.name for p in (root / "content" / "pages").glob("*.md"))  # never parsed ahead
    assert len(here[1]) > 60 and here[3] == sorted(pages + [e.split(":")[0].rsplit("/", 1)[-1] for e in errors[3]])
    shutil.rmtree(root)
    shutil.copytree(generated, root)
    build_site(root, tmp_path / "site-3", search=False, jobs=3)  # the cache holds the records of the good files
    build_site(root, tmp_path / "full", search=False, cache=False)
    assert snapshot(tmp_path / "site-3") == snapshot(tmp_path / "full")


def test_topics_are_matched_where_records_are_parsed(generated, tmp_path, monkeypatch):
    """A first build's topic matching runs in the parsing processes; the build's own process takes
    their results, for the same bytes as matching itself."""
    monkeypatch.setattr(cache, "PARSE_AHEAD_FROM", 0)
    builder, here = os.getpid(), []
    real = indexes._matched_rules
    monkeypatch.setattr(indexes, "_matched_rules", lambda *args: (os.getpid() == builder and here.append(1)) or real(*args))
    build_site(generated, tmp_path / "two", jobs=2, search=False)
    assert here == []
    build_site(generated, tmp_path / "one", jobs=1, search=False)
    assert len(here) == 60
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    build_site(generated, tmp_path / "uncached", jobs=2, search=False, cache=False)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "uncached")


def test_passages_new_to_the_index_are_sampled_in_processes(generated, tmp_path, monkeypatch):
    from dossier import passages

    monkeypatch.setattr(passages, "SAMPLE_IN_PROCESSES_FROM", 0)
    builder, here = os.getpid(), []
    real = indexes.sampled_shingles
    monkeypatch.setattr(indexes, "sampled_shingles", lambda text: (os.getpid() == builder and here.append(1)) or real(text))
    build_site(generated, tmp_path / "two", jobs=2, search=False)
    assert here == []
    build_site(generated, tmp_path / "one", jobs=1, search=False)
    assert len(here) == 60
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_sampling_in_processes_gives_what_sampling_here_gives(monkeypatch):
    from array import array

    from dossier import passages

    texts = ["", "un deux", *(f"Le texte numéro {n} parle des données de santé et du piratage des hôpitaux " * 9
                                 for n in range(600))]
    expected = {i: array("q", passages.sampled_shingles(texts[i])).tobytes() for i in range(2, 602, 3)}
    expected.update({0: b"", 1: b""})
    assert passages.sampled_in_processes(texts, list(range(499)), 2) == {}  # too few: sampled by the caller
    monkeypatch.setattr(passages, "SAMPLE_IN_PROCESSES_FROM", 0)
    assert passages.sampled_in_processes(texts, sorted(expected), 2) == expected
    assert passages.sampled_in_processes(texts, sorted(expected), 1) == {}


def test_what_fails_ahead_is_done_in_the_build_s_own_process(generated, tmp_path, monkeypatch):
    """A derivation that fails in a parsing process, or sampling processes that cannot start, cost
    time, not the build: the values are computed where they are used."""
    from dossier import passages

    monkeypatch.setattr(cache, "PARSE_AHEAD_FROM", 0)
    monkeypatch.setattr(passages, "SAMPLE_IN_PROCESSES_FROM", 0)
    monkeypatch.setattr(pipeline, "derived_from_text", lambda topics, record: 1 / 0)

    def no_processes(*args, **kwargs):
        raise OSError("no process can start here")

    monkeypatch.setattr(passages, "multiprocessing", SimpleNamespace(
        get_all_start_methods=lambda: ["fork"], get_context=lambda method: SimpleNamespace(Pool=no_processes)))
    build_site(generated, tmp_path / "failed-ahead", jobs=2, search=False)
    build_site(generated, tmp_path / "plain", jobs=1, search=False, cache=False)
    assert snapshot(tmp_path / "failed-ahead") == snapshot(tmp_path / "plain")


def test_a_value_derived_ahead_is_taken_once_and_kept(tmp_path):
    store = RecordStore(tmp_path / "records.cache")
    store.ahead[("topics", b"k")] = ("sante",)
    assert store.memo("topics", b"k", lambda: pytest.fail("computed")) == ("sante",)
    assert store.ahead == {}
    store.save()
    again = RecordStore(tmp_path / "records.cache")
    assert again.memo("topics", b"k", lambda: pytest.fail("computed")) == ("sante",)


def test_a_staged_file_is_written_new_and_never_into_a_published_one(tmp_path):
    published, staged = tmp_path / "published.html", tmp_path / "staged.html"
    published.write_bytes(b"published")
    stat = pipeline._write_new(staged, b"new")
    assert staged.read_bytes() == b"new" and (stat.st_size, stat.st_ino) == (3, staged.stat().st_ino)
    staged.unlink()
    os.link(published, staged)  # kept unchanged, then made again (pages rendered again after an error)
    pipeline._write_new(staged, pipeline.Parts([b"made ", b"again"]))
    assert staged.read_bytes() == b"made again" and published.read_bytes() == b"published"


def test_a_file_that_cannot_be_written_whole_leaves_nothing_beside_its_target(tmp_path):
    from dossier.opendata import Parts, Stored

    gone = (tmp_path / "gone").open("wb")
    gone.close()  # its bytes cannot be read: as a full disk, an error midway
    (tmp_path / "data.json").write_bytes(b"as published")
    with pytest.raises(ValueError):
        pipeline._write_whole(tmp_path / "data.json", Parts([b"[\n", Stored(gone, 0, 10)]))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.json", "gone"]
    assert (tmp_path / "data.json").read_bytes() == b"as published"


def test_a_page_made_of_parts_is_written_unjoined_and_linked_when_the_published_one_is_the_same(tmp_path):
    """The largest pages (a topic page of 20 MB at 50,000 questions) go to the file part after part:
    joined first, they were held twice. Without a record of the published site, a page is still
    compared with its published file and linked when the same, whether made of parts or not."""
    template = jinja2.Environment().from_string("{% for i in range(10000) %}<li>{{ i }}</li>{% endfor %}")
    parts = pipeline._rendered(template, {}, joined=False)
    assert isinstance(parts, pipeline.Parts) and len(parts) > 1
    whole = pipeline._rendered(template, {})
    assert whole == b"".join(parts) and whole.startswith(b"<li>0</li>")
    published, staged = tmp_path / "published", tmp_path / "staged"
    published.write_bytes(whole)
    assert pipeline._link_if_same(published, staged, parts) and staged.stat().st_ino == published.stat().st_ino
    staged.unlink()
    assert not pipeline._link_if_same(published, staged, pipeline.Parts([*parts[:-1], b"<li>autre</li>"]))
    assert not pipeline._link_if_same(published, staged, pipeline.Parts([b"x", pipeline.Stored(None, 0, 1)]))
    assert not staged.exists()


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


def test_after_a_failure_the_rendering_processes_skip_what_they_have_not_begun_and_are_waited_for(monkeypatch):
    """Stopping the processes at once (Pool.terminate) could stop one while it sent its pages back,
    holding the lock of the results' pipe: the build then waited for ever (seen once in the test
    suite). Every batch is now waited for, those not begun skipped; an error raised in a process is
    raised here once they all are."""
    import multiprocessing
    import time

    done = multiprocessing.get_context("fork").Value("i", 0)

    def render(env, site, plan, problems, records, skip=frozenset(), reads=None, sink=None):
        with done.get_lock():
            done.value += 1
        if plan[0] == 0:
            problems.error("the first page fails")
        elif plan[0] == 1 and site == "raise":
            raise RuntimeError("a bug")
        time.sleep(0.02)
        return {page: b"" for page in plan}
    monkeypatch.setattr(pipeline, "render_pages", render)  # in the processes, which fork from here
    monkeypatch.setattr(pipeline, "BATCH", 1)
    env = jinja2.Environment(loader=jinja2.DictLoader({}))
    assert pipeline._render_in_processes(env, None, list(range(200)), None, 2, None, frozenset(), False, None) is None
    assert done.value < 20  # the batches begun before the failure was known, not the 200
    done.value = 0
    with pytest.raises(RuntimeError, match="a bug"):
        pipeline._render_in_processes(env, "raise", list(range(1, 201)), None, 2, None, frozenset(), False, None)
    assert done.value < 20
    done.value = 0
    assert len(pipeline._render_in_processes(env, None, list(range(1, 41)), None, 2, None, frozenset(), False,
                                             None)[0]) == 40 == done.value


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


def test_the_questions_file_is_hashed_only_when_it_may_be_unchanged(generated, tmp_path, monkeypatch):
    """After a text edit, a question's record differs from its part of the published
    data/questions.json: the file is written unhashed (its digest recorded as unknown). When no
    record differs, it is hashed, and kept if the same. Either way it is what a full build writes."""
    out = tmp_path / "site"
    build_site(generated, out, search=False)
    record = sorted((generated / "content" / "questions").glob("*.md"))[1]
    original = record.read_text(encoding="utf-8")
    calls = []  # hashed or not, each time data/questions.json is written aside
    digest = pipeline._file_digest
    aside = pipeline._written_aside

    def noted(target, data, hashed=False):
        if target == out / "data" / "questions.json":
            calls.append(hashed)
        return aside(target, data, hashed)
    monkeypatch.setattr(pipeline, "_written_aside", noted)
    record.write_text(original.replace("\n## Texte de la question\n", "\n## Texte de la question\n\nAjout.\n", 1),
                      encoding="utf-8")
    try:
        build_site(generated, out, search=False)
        files = pickle.loads((tmp_path / ".site.cache" / "pages").read_bytes())[2]
        assert calls == [False] and files["data/questions.json"][0] is None
        build_site(generated, tmp_path / "full", search=False, cache=False)
        data = "data/questions.json"
        assert (out / data).read_bytes() == (tmp_path / "full" / data).read_bytes()
        (out / "deputes" / "index.html").write_bytes(b"edited by hand")  # a build in place, no record made anew
        build_site(generated, out, search=False)
        assert calls == [False, True]
        files = pickle.loads((tmp_path / ".site.cache" / "pages").read_bytes())[2]
        assert files["data/questions.json"][0] == digest((out / "data" / "questions.json").read_bytes())
    finally:
        record.write_text(original, encoding="utf-8")


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


def test_the_record_cache_changes_nothing_and_is_never_stale(generated, tmp_path):
    build_site(generated, tmp_path / "plain", cache=False, search=False)
    assert not (tmp_path / ".plain.cache").exists()
    build_site(generated, tmp_path / "site", search=False)  # fills the cache
    cache_file = tmp_path / ".site.cache" / "records"
    assert cache_file.is_file()
    build_site(generated, tmp_path / "site", search=False)  # reads every record from it
    assert snapshot(tmp_path / "plain") == snapshot(tmp_path / "site")
    store = RecordStore(cache_file)
    record = sorted((generated / "content" / "questions").glob("*.md"))[0]
    store.read(record, Question)
    assert (store.hits, store.misses) == (1, 0)

    # A record edited after the cache was written is read again, even with the same size and time.
    original = record.read_bytes()
    stat = os.stat(record)
    edited = original.replace(b"## Texte de la question\n\n", b"## Texte de la question\n\nZ", 1)[:-1]
    assert len(edited) == len(original)  # one byte in, the final newline out
    try:
        record.write_bytes(edited)
        os.utime(record, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        build_site(generated, tmp_path / "site", search=False)
        assert any("<p>Z" in p.read_text(encoding="utf-8") for p in (tmp_path / "site").glob("questions/*/index.html"))
    finally:
        record.write_bytes(original)

    # A cache written by other code, or damaged, is not used at all.
    version, entries, memos, whole = pickle.loads(cache_file.read_bytes())  # the first part (one here)
    forged = {key: (digest, None, front) for key, (digest, _, front) in entries.items()}
    cache_file.write_bytes(pickle.dumps(("another version", forged, {key: b"" for key in memos}, whole)))
    build_site(generated, tmp_path / "site", search=False)
    assert snapshot(tmp_path / "plain") == snapshot(tmp_path / "site")
    cache_file.write_bytes(b"\x80\x05 not a pickle")
    build_site(generated, tmp_path / "site", search=False)
    assert snapshot(tmp_path / "plain") == snapshot(tmp_path / "site")


EDITS = {
    "a question's text": lambda root: _edit(root, "questions", 0, "## Texte de la question\n\n",
                                            "## Texte de la question\n\nUne phrase ajoutée. "),
    "an answer's text": lambda root: _edit(root, "questions", 5, "## Texte de la réponse\n\n",
                                           "## Texte de la réponse\n\nUne précision. "),
    "a question's rubrique": lambda root: _edit(root, "questions", 1, "\nrubrique: ", "\nrubrique: Santé "),
    "a deputy": lambda root: _edit(root, "deputies", 0, "\nname: ", "\nname: Jean-"),
    "a template": lambda root: _replace(root / "templates" / "deputy.html", "</h1>", " (député)</h1>"),
    "the config": lambda root: _replace(root / "config.yaml", "\ntitle: ", "\ntitle: Nouveau "),
    "a new question": lambda root: _copy_question(root),
    "a question removed": lambda root: sorted((root / "content" / "questions").glob("*.md"))[-1].unlink(),
}


def _replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edit(root, folder: str, index: int, old: str, new: str) -> None:
    files = [p for p in sorted((root / "content" / folder).glob("*.md")) if old in p.read_text(encoding="utf-8")]
    _replace(files[index], old, new)


def _copy_question(root) -> None:
    first = sorted((root / "content" / "questions").glob("*.md"))[0]
    text = first.read_text(encoding="utf-8")
    numero = next(line for line in text.splitlines() if line.startswith("numero: "))
    copy = text.replace(numero, "numero: 999999", 1)
    (root / "content" / "questions" / "17-qe-999999.md").write_text(copy, encoding="utf-8")


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_rebuild_renders_what_an_edit_touches_and_publishes_what_a_full_build_would(edit, tmp_path):
    """Whatever the edit, the site built from the cache of the last build is the site a full build makes."""
    root = tmp_path / "dossier"
    corpus.write_dossier(corpus.generate(40, seed=5, deputies=10), root)
    monkeypatched = pipeline.PARALLEL_FROM
    pipeline.PARALLEL_FROM = 0  # rendering processes too: they note what each page reads
    try:
        first = build_site(root, tmp_path / "site", search=False, jobs=2)
        EDITS[edit](root)
        again = build_site(root, tmp_path / "site", search=False, jobs=2)
    finally:
        pipeline.PARALLEL_FROM = monkeypatched
    build_site(root, tmp_path / "full", search=False, cache=False)
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "full")
    assert first.rendered == first.pages
    if edit.endswith("text"):
        assert again.rendered <= 3  # the question, and the questions quoting it (lists show no text)
    elif edit in ("a template", "the config", "a deputy", "a question's rubrique"):
        assert again.rendered == again.pages


def test_a_build_leaves_the_garbage_collector_as_it_found_it(generated, tmp_path):
    """The build pauses the collector and freezes its long-lived objects (pipeline._sparing_collector):
    afterwards, on or off, nothing stays frozen; a failed build too."""
    assert gc.isenabled() and gc.get_freeze_count() == 0
    build_site(generated, tmp_path / "on", search=False)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        build_site(generated, tmp_path / "off", search=False, jobs=2)
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("not a site", encoding="utf-8")
    with pytest.raises(BuildFailed):  # refused once rendering starts, its objects frozen
        build_site(generated, tmp_path / "other", search=False)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_index_of_shared_passages_is_kept_by_the_builds_that_succeed(generated, tmp_path):
    """Saved aside once made (it is not held while pages render), put in place when the build is done."""
    root = tmp_path / "dossier"
    shutil.copytree(generated, root)
    build_site(root, tmp_path / "site", search=False)
    kept, aside = tmp_path / ".site.cache" / "related", tmp_path / ".site.cache" / "related.new"
    first = kept.read_bytes()
    assert not aside.exists()
    _edit(root, "questions", 0, "## Texte de la question\n\n", "## Texte de la question\n\nUne phrase ajoutée. ")
    template = root / "templates" / "question.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("</h1>", "{{ no_such_thing }}</h1>", 1), encoding="utf-8")
    with pytest.raises(BuildFailed):
        build_site(root, tmp_path / "site", search=False)
    assert kept.read_bytes() == first
    template.write_text(good, encoding="utf-8")
    build_site(root, tmp_path / "site", search=False)
    assert kept.read_bytes() != first and not aside.exists()


def test_views_handed_to_pages_note_the_texts_read_and_give_everything_else():
    """While pages render, site.questions hands out stand-ins: reading a text is noted (the page then
    depends on it), any other attribute is the view's or the record's own."""
    record = Question(legislature=16, type="QE", numero=7, author=Author(name="Julie Delpech"),
                      question_text="Le texte.", answer_text="La réponse.")
    views = {record.uid: SimpleNamespace(record=record, title="Un titre", related=())}
    questions = tracked(views)
    start_page({})
    view = questions[record.uid]
    assert questions[record.uid] is view and questions.values() == [view]
    assert (view.title, view.related, view.record.numero, view.record.uid, view.record.author.name) \
        == ("Un titre", (), 7, "QANR5L16QE7", "Julie Delpech")
    assert page_reads() == ()
    assert view.record.answer_text == "La réponse."
    assert page_reads() == (record.uid,)
    assert view.record.question_text == "Le texte." and page_reads() == (record.uid,)
    assert isinstance(view.record, Question) and views[record.uid].record is record  # the original is left as it was
    assert pickle.loads(pickle.dumps(questions)) == views
    # Copied or pickled, a handed record is the record itself (its texts read); it is as frozen as the record.
    for make in (copy.copy, copy.deepcopy, lambda r: pickle.loads(pickle.dumps(r))):
        start_page({})
        made = make(view.record)
        assert type(made) is Question and made == record and page_reads() == (record.uid,)
    changed = dataclasses.replace(view.record, answer_text="Une autre réponse.")
    assert (changed.answer_text, changed.numero, record.answer_text) == ("Une autre réponse.", 7, "La réponse.")
    for name in ("numero", "not_a_field"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(view.record, name, 1)
    assert not hasattr(record, "not_a_field")


def test_a_published_file_edited_by_hand_is_rendered_again(generated, tmp_path):
    out = tmp_path / "site"
    build_site(generated, out, search=False)
    page = out / "deputes" / "index.html"
    original = page.read_bytes()
    data = os.stat(out / "data" / "questions.json")
    page.write_bytes(original.replace(b"</main>", b"<p>ajout</p></main>"))
    again = build_site(generated, out, search=False)
    assert page.read_bytes() == original and again.rendered == 1
    # data/questions.json, the same bytes, was hashed as written aside, and that copy dropped
    assert (os.stat(out / "data" / "questions.json").st_ino, os.stat(out / "data" / "questions.json").st_mtime_ns) \
        == (data.st_ino, data.st_mtime_ns)
    assert not list(out.rglob("*.partial"))


def test_the_questions_file_made_from_the_question_files_is_what_json_dumps_makes():
    items = [{"a": "ligne 1\nligne 2 « é »", "b": [1, [2, {"c": None}], []], "d": {}},
             {"a": "", "b": [], "d": {"e": [True, False]}}]
    assert _json_list([_json(item) for item in items]) == _json(items)
    assert _json_list([]) == _json([])
    assert _json_list([_json(items[0])]) == _json(items[:1])


def test_the_input_scan_reads_only_the_files_that_changed(generated, tmp_path, monkeypatch):
    from dossier import freshness

    monkeypatch.setattr(freshness, "RACY_NS", 0)  # files written just now count as settled
    out = tmp_path / "site"
    first = freshness.InputScan(generated / "config.yaml", out)
    assert first.hashed == len(first.entries) > 60
    first.save()
    assert freshness.InputScan(generated / "config.yaml", out).hashed == 0
    record = sorted((generated / "content" / "questions").glob("*.md"))[0]
    original = record.read_bytes()
    stat = os.stat(record)
    try:
        record.write_bytes(original.replace(b"## Texte de la question\n\n", b"## Texte de la question\n\nZ", 1)[:-1])
        os.utime(record, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time: the ctime tells
        again = freshness.InputScan(generated / "config.yaml", out)
        assert again.hashed == 1 and again.digests[str(record)] != first.digests[str(record)]
        assert again.fingerprint(()) != first.fingerprint(())
    finally:
        record.write_bytes(original)


def test_a_first_build_reads_each_record_file_once_and_saves_the_scan_a_full_one_makes(generated, tmp_path, monkeypatch):
    from dossier import freshness

    monkeypatch.setattr(freshness, "RACY_NS", 0)  # files written just now count as settled
    out = tmp_path / "site"
    scan = freshness.InputScan(generated / "config.yaml", out, defer_records=True)
    deferred = [path for path, digest in scan.digests.items() if digest is None]
    assert len(deferred) == 60 + 15 and scan.hashed == len(scan.entries) - len(deferred)
    monkeypatch.chdir(generated)  # as `python build.py` runs: config.yaml, paths spelt content/...
    here = freshness.InputScan(Path("config.yaml"), Path("site"), defer_records=True)
    assert sum(digest is None for digest in here.digests.values()) == 60 + 15
    monkeypatch.chdir(tmp_path)
    build_site(generated, out, search=False, inputs=scan, force=False)
    assert scan.digests == freshness.InputScan(generated / "config.yaml", tmp_path / "elsewhere").digests
    again = freshness.InputScan(generated / "config.yaml", out, defer_records=True)  # a scan to compare with: none deferred
    assert again.hashed == 0
    assert freshness.is_up_to_date(out, again.fingerprint(freshness.build_options(None, False, AS_OF, False)))


def test_a_record_edited_between_the_scan_and_its_reading_is_published_as_read(generated, tmp_path):
    from dossier import freshness

    root = tmp_path / "dossier"
    shutil.copytree(generated, root)
    out = tmp_path / "site"
    scan = freshness.InputScan(root / "config.yaml", out, defer_records=True)
    record = sorted((root / "content" / "questions").glob("*.md"))[5]
    record.write_text(record.read_text(encoding="utf-8") + "\nPrécision tardive.\n", encoding="utf-8")
    build_site(root, out, search=False, inputs=scan, force=False)
    build_site(root, out, search=False, force=False)
    fresh = build_site(root, tmp_path / "fresh", search=False, cache=False)
    assert b"Pr\xc3\xa9cision tardive" in b"".join(snapshot(fresh.out_dir).values())
    assert snapshot(out) == snapshot(fresh.out_dir)


@pytest.mark.parametrize("chunk", [RecordStore.SAVE_CHUNK, 7])  # a whole save in one pickle, or in several
def test_record_cache_changes_are_appended_and_a_damaged_tail_costs_only_a_rewrite(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(RecordStore, "SAVE_CHUNK", chunk)
    root = tmp_path / "dossier"
    corpus.write_dossier(corpus.generate(30, seed=9, deputies=8), root)
    cache_file = tmp_path / ".site.cache" / "records"
    build_site(root, tmp_path / "site", search=False)
    whole = cache_file.stat().st_size
    EDITS["a question's text"](root)
    build_site(root, tmp_path / "site", search=False)
    appended = cache_file.stat().st_size
    assert whole < appended < whole * 1.2  # the edited record and its derived values, after the rest
    with cache_file.open("r+b") as f:
        f.truncate(appended - 5)  # as if the last build was stopped while appending
    EDITS["an answer's text"](root)
    build_site(root, tmp_path / "site", search=False)
    build_site(root, tmp_path / "full", search=False, cache=False)
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "full")
    data, parts = io.BytesIO(cache_file.read_bytes()), []
    while data.tell() < len(data.getvalue()):
        parts.append(pickle.load(data))
    assert all(whole for _, _, _, whole in parts)  # written afresh: parts of a whole save only
    entries, memos = (sum(len(part[k]) for part in parts) for k in (1, 2))
    assert entries >= 30 and len(parts) == -(-max(entries, memos) // chunk)
