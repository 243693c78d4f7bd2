"""A fixture site with every status (answered on time, answered late, pending, withdrawn): model first, then pages."""

from __future__ import annotations

import base64

import pytest

from conftest import AS_OF, MINIMAL_CONFIG, build_site, make_site
from dossier.config import load_config
from dossier.errors import Problems
from dossier.indexes import build_site_data
from dossier.records import load_records
from dossier.stats import compute_stats


def _question(numero: int, legislature: int, front: str, answer: str = "") -> str:
    body = f"\n## Texte de la question\n\nM. Jean Martin interroge le ministre sur la question numéro {numero}.\n"
    if answer:
        body += f"\n## Texte de la réponse\n\n{answer}\n"
    return (f"---\nlegislature: {legislature}\ntype: QE\nnumero: {numero}\ntitle: Question {numero}\n"
            f"author:\n  name: Jean Martin\n  civility: M.\n{front}sources:\n- kind: an-markdown\n---\n{body}")


ANSWER_WITH_TABLE = "Voici les chiffres.\n\n| Année | Dossiers |\n|---|---|\n| 2023 | 12 |\n| 2024 | 30 |"
FILES = {
    "config.yaml": MINIMAL_CONFIG,
    "content/questions/16-qe-1.md": _question(1, 16, "rubrique: Santé\nministere_interroge: Santé\n"
                                              "ministere_attributaire: Santé\ndate_question: 2024-01-10\n"
                                              "date_reponse: 2024-02-20\npage_reponse: 123\n", ANSWER_WITH_TABLE),
    "content/questions/16-qe-2.md": _question(2, 16, "rubrique: Santé\nministere_interroge: Numérique\n"
                                              "ministere_attributaire: Santé\ndate_question: 2023-01-10\n"
                                              "date_reponse: 2023-06-01\n", "Réponse tardive."),
    "content/questions/17-qe-3.md": _question(3, 17, "ministere_interroge: Numérique\ndate_question: 2025-01-15\n"),
    "content/questions/16-qe-4.md": _question(4, 16, "ministere_interroge: Numérique\ndate_question: 2023-02-01\n"
                                              "date_cloture: 2023-09-01\nmotif_cloture: Retrait\n"),
}
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_site(tmp_path_factory.mktemp("pages"), FILES)
    (root / "content" / "deputies" / "photos").mkdir(parents=True)
    (root / "content" / "deputies" / "photos" / "jean-martin.png").write_bytes(PNG)
    build_site(root, search=False)
    return root


def _page(project, path: str) -> str:
    return (project / "site" / path).read_text(encoding="utf-8")


def test_statuses_and_delays(project):
    site = build_site_data(load_config(project / "config.yaml"), load_records(project / "content", Problems()),
                           AS_OF, Problems())
    status = {v.record.numero: v.status for v in site.questions.values()}
    assert (status[1].code, status[1].delay_days, status[1].late) == ("repondue", 41, False)
    assert (status[2].code, status[2].late) == ("repondue", True)
    assert (status[3].code, status[3].inferred, status[3].late) == ("en_attente", False, True)
    assert status[3].delay_days == (AS_OF - status[3].deadline).days + 59  # 15 Jan 2025 + 2 months = 15 Mar
    assert (status[4].code, status[4].motif, status[4].late) == ("retiree", "Retrait", True)
    stats = compute_stats(site)
    assert (stats.overall.total, stats.overall.due, stats.overall.on_time) == (4, 4, 1)
    assert stats.overall.median_delay == (41 + 142) / 2
    assert [(r.label, r.total) for r in stats.by_ministry] == [("Numérique", 2), ("Santé", 2)]
    assert dict(stats.delays)["un à deux mois"] == 1 and dict(stats.delays)["trois à six mois"] == 1


def test_an_author_without_a_deputy_record_is_shown_as_their_last_question_names_them(tmp_path, monkeypatch):
    """A deputy known only from their questions takes the facts of the last in file order (here a
    group that changed from one question to the next), and one Person is made per deputy, not per
    question."""
    import dossier.indexes as indexes

    files = {name: text.replace("  civility: M.\n", f"  civility: M.\n  group: Groupe {name[-4]}\n")
             for name, text in FILES.items()}
    root = make_site(tmp_path, files)
    made = []
    person = indexes._person
    monkeypatch.setattr(indexes, "_person", lambda *args: made.append(args) or person(*args))
    site = build_site_data(load_config(root / "config.yaml"), load_records(root / "content", Problems()),
                           AS_OF, Problems())
    (person, uids), = site.deputies.values()
    assert person.group == "Groupe 3" and len(uids) == 4  # content/questions/17-qe-3.md: the last file
    assert len(made) == 1


def test_statistics_page_has_charts_with_text_and_tables(project):
    html = _page(project, "statistiques/index.html")
    assert html.count('<svg class="chart" role="img"') == 3
    assert "<desc id=\"graphique-statuts-desc\">Répondues : 2 ; En attente : 1 ; Retirées : 1.</desc>" in html
    assert "25\u202f% <span class=\"muted\">(1/4)</span>" in html
    assert "<script" not in html


def test_ministry_pages_split_asked_and_answering(project):
    html = _page(project, "ministeres/sante/index.html")
    assert "Questions adressées à ce ministère (1)" in html
    assert "Questions dont il a la charge de répondre (2)" in html
    assert _page(project, "rubriques/sante/index.html").count('class="question-title"') == 2


def test_answer_table_is_kept(project):
    html = _page(project, "questions/16-qe-1/index.html")
    assert "<table>" in html and "<td>2024</td>" in html
    assert "respecté" in html and "41\u00a0jours" in html


def test_pending_question_counts_days_to_the_build_date(project):
    html = _page(project, "questions/17-qe-3/index.html")
    assert "Sans réponse depuis 492\u00a0jours au 22 mai 2026." in html
    assert "<strong>dépassé</strong>" in html
    assert "toujours sans réponse" in html


def test_deputy_photo_is_published_locally(project):
    assert (project / "site" / "deputes" / "jean-martin" / "photo.png").read_bytes() == PNG
    html = _page(project, "deputes/jean-martin/index.html")
    assert '<img class="deputy-photo" src="photo.png" alt="Portrait de Jean Martin"' in html


def test_a_build_with_nothing_changed_writes_nothing(tmp_path):
    root = make_site(tmp_path, FILES)
    out = root / "site"
    assert not build_site(root, out, search=False, force=False).unchanged
    marker = out / "index.html"
    before = marker.stat().st_mtime_ns
    assert build_site(root, out, search=False, force=False).unchanged
    assert marker.stat().st_mtime_ns == before


@pytest.mark.parametrize("change", ["record", "template", "config", "date", "option", "output"])
def test_any_change_of_input_rebuilds(tmp_path, change):
    """A stale fingerprint can never leave stale pages: every kind of input counts."""
    root = make_site(tmp_path, FILES)
    out = root / "site"
    build_site(root, out, search=False, force=False)
    record = root / "content/questions/16-qe-1.md"
    options = {"search": False, "force": False}
    if change == "record":
        record.write_text(record.read_text(encoding="utf-8").replace("Question 1\n", "Question un\n"), encoding="utf-8")
    elif change == "template":
        (root / "templates/404.html").write_text((root / "templates/404.html").read_text(encoding="utf-8") + "\n")
    elif change == "config":
        (root / "config.yaml").write_text(MINIMAL_CONFIG.replace("Dossier de test", "Dossier d'essai"), encoding="utf-8")
    elif change == "option":
        options["base_url"] = "https://example.org/"
    elif change == "output":
        (out / "index.html").unlink()
        out.rename(root / "elsewhere")
    if change == "date":
        from dossier.pipeline import build
        result = build(root / "config.yaml", out, as_of=AS_OF.replace(day=23), **options)
    else:
        result = build_site(root, out, **options)
    assert not result.unchanged
    if change == "record":
        assert "Question un" in (out / "questions/16-qe-1/index.html").read_text(encoding="utf-8")


def test_same_rubrique_list_takes_the_first_ten_others_in_rubrique_order():
    from dossier.indexes import Group

    group = Group("rubriques", "sante", "Santé", tuple(f"Q{i}" for i in range(15)))
    assert group.asked_besides(("Q0", "Q3"), 10) == ["Q1", "Q2", "Q4", "Q5", "Q6", "Q7", "Q8", "Q9", "Q10", "Q11"]
    assert group.asked_besides(group.asked, 10) == []
    assert group.asked_besides(("Q14",), 100) == [f"Q{i}" for i in range(14)]


def test_latest_events_are_newest_first_and_a_limit_takes_the_head_of_that_order():
    import datetime as dt
    from types import SimpleNamespace

    from dossier.events import Event, latest_events

    day, later = dt.date(2024, 5, 21), dt.date(2024, 6, 11)
    views = [SimpleNamespace(events=(Event(day, "publication", "A"), Event(later, "retrait", "A"))),
             SimpleNamespace(events=(Event(day, "publication", "B"), Event(day, "signalement", "B"))),
             SimpleNamespace(events=(Event(later, "reponse", "C"),))]
    every = latest_events(views)
    assert [(e.uid, e.kind) for e in every] == [("A", "retrait"), ("C", "reponse"), ("B", "signalement"),
                                                 ("B", "publication"), ("A", "publication")]
    for limit in range(1, 6):
        assert latest_events(iter(views), limit) == every[:limit]


def test_a_link_costs_a_call_not_a_copy_of_the_context(tmp_path, monkeypatch):
    """url(), absolute_url() and question_html() are bound to each page (render.page_functions):
    Jinja would copy a context function's whole context at each call from a loop (~40 a page)."""
    import jinja2.runtime

    copies = []
    derived = jinja2.runtime.Context.derived
    monkeypatch.setattr(jinja2.runtime.Context, "derived", lambda self, *a, **k: copies.append(1) or derived(self, *a, **k))
    result = build_site(make_site(tmp_path, FILES), jobs=1, cache=False)
    assert result.pages > 15 and copies == []


def test_lists_of_questions_are_streamed_into_the_page_and_the_old_macro_still_makes_them(tmp_path, monkeypatch):
    """Pages include partials/question_list.html: a macro gathers its whole output before handing it
    back (a topic page of 10,000 questions was held several times over while it rendered). A
    template that calls the question_list macro still gets the same list."""
    import jinja2.runtime

    gathered = []
    invoke = jinja2.runtime.Macro._invoke
    monkeypatch.setattr(jinja2.runtime.Macro, "_invoke", lambda self, *a: gathered.append(invoke(self, *a)) or gathered[-1])
    root = make_site(tmp_path, FILES)
    result = build_site(root, jobs=1, cache=False)
    ministry = (result.out_dir / "ministeres/numerique/index.html").read_text(encoding="utf-8")
    assert ministry.count('<h3 class="question-title">') == 3
    assert not [out for out in gathered if 'class="question-title"' in out]
    group = root / "templates" / "group.html"
    group.write_text(group.read_text(encoding="utf-8").replace(
        '{% from "macros.html" import status_counts with context %}',
        '{% from "macros.html" import status_counts, question_list with context %}').replace(
        '{% with uids = group.asked, heading_level = 3 %}{% include "partials/question_list.html" %}{% endwith %}',
        '{{ question_list(site, group.asked) }}').replace(
        '{% with uids = group.asked, heading_level = 2 %}{% include "partials/question_list.html" %}{% endwith +%}',
        '{{ question_list(site, group.asked, 2) }}'), encoding="utf-8")
    again = build_site(root, tmp_path / "again", jobs=1, cache=False)
    for name in ("ministeres/numerique/index.html", "rubriques/sante/index.html"):
        assert (again.out_dir / name).read_bytes() == (result.out_dir / name).read_bytes()
    assert '<h2 class="question-title">' in (again.out_dir / "rubriques/sante/index.html").read_text(encoding="utf-8")


def test_templates_compiled_by_a_build_serve_the_next_until_their_source_changes(tmp_path, monkeypatch):
    import jinja2

    root = make_site(tmp_path, FILES)
    first = build_site(root, jobs=1)
    compiled = list(first.out_dir.with_name(".site.cache").glob("templates-*/*.cache"))
    assert len(compiled) >= 5
    compiles = []
    compile_ = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, *a, **k: compiles.append(a[1:2]) or compile_(self, *a, **k))
    (root / "content/questions/16-qe-2.md").write_text(FILES["content/questions/16-qe-2.md"].replace("tardive", "tardive, enfin"),
                                                       encoding="utf-8")
    build_site(root, jobs=1, force=False)
    assert compiles == []  # every template the pages need came compiled from the last build
    question = root / "templates" / "question.html"
    question.write_text(question.read_text(encoding="utf-8").replace("Texte de la réponse", "Réponse du ministre"),
                        encoding="utf-8")
    build_site(root, jobs=1, force=False)
    assert compiles == [("question.html",)]
    assert "Réponse du ministre" in (first.out_dir / "questions/16-qe-2/index.html").read_text(encoding="utf-8")


def test_templates_are_compiled_once_before_the_rendering_processes_fork(tmp_path, monkeypatch):
    import os

    import jinja2

    from dossier import pipeline
    from dossier.cache import code_digest

    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 1)  # the fixture site's pages, in processes
    log = tmp_path / "compiled.log"
    compile_ = jinja2.Environment.compile

    def noted(self, source, name=None, *args, **kwargs):
        with log.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {name}\n")
        return compile_(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", noted)
    root = make_site(tmp_path, FILES)
    stale = root / ".site.cache" / "templates-of-another-version"
    stale.mkdir(parents=True)
    build_site(root, jobs=2)
    compiled = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert {pid for pid, _ in compiled} == {str(os.getpid())}  # in the build's own process, not in those it forks
    names = [name for _, name in compiled]
    assert len(names) == len(set(names)) and {"base.html", "macros.html", "question.html"} <= set(names)
    assert not stale.exists()  # compiled by another version of the code or of Jinja: removed
    assert [folder.name for folder in (root / ".site.cache").glob("templates-*")] == \
        [f"templates-{code_digest()[:20]}-jinja{jinja2.__version__}"]
