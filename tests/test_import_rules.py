"""Import rules across sources: bad input refused by name, merges and disagreements, hand corrections kept.

The property tests (no input crashes an importer with anything but DossierError) are in
tests/test_importer_properties.py."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import snapshot
from test_importers import NOT_A_SOURCE, run_import
from test_sources import DYN, LEGACY, XML_QE
from dossier.model import Question
from dossier.records import read_record

DEPUTY_PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Mme Marie-Pierre Rixain
- Assemblée nationale</title></head><body><h1>Mme Marie-Pierre Rixain</h1><p>Députée de l'Essonne (4e circonscription)</p>
<h2>Questions écrites</h2><ul><li><a href="/dyn/16/questions/QANR5L16QE200">Question n°200</a></li></ul></body></html>"""
SEARCH_PAGE = """<html><head><meta charset="utf-8"></head><body><h1>Recherche de questions</h1>
<div class="result">Question N° 3200 de M. Philippe Le Ray (UMP - Morbihan) - Ministère interrogé : Économie</div>
<div class="result">Question N° 3201 de M. X (UMP - Ain)</div></body></html>"""


@pytest.mark.parametrize(("name", "data", "message"), [
    pytest.param("depute.html", DEPUTY_PAGE.encode(), NOT_A_SOURCE, id="deputy-page"),
    pytest.param("recherche.html", SEARCH_PAGE.encode(), NOT_A_SOURCE, id="search-page"),
    pytest.param("q.html", DYN.read_bytes()[:30000], "truncated page: no closing </html> (save the whole page again)",
                 id="truncated-current-page"),
    pytest.param("q.htm", LEGACY.read_bytes()[:27500], "truncated page: no closing </html> (save the whole page again)",
                 id="truncated-legacy"),
    pytest.param("q.xml", XML_QE.read_bytes()[:600], "invalid XML: unclosed token: line 21, column 4",
                 id="truncated-xml"),
])
def test_bad_input_is_refused_by_name_and_nothing_is_written(tmp_path, name, data, message):
    bad = tmp_path / "in" / name
    bad.parent.mkdir()
    bad.write_bytes(data)
    content = tmp_path / "content"
    result, problems = run_import(content, [bad, LEGACY])
    where = f"{bad}:21: " if name == "q.xml" else f"{bad}: "
    assert [str(e) for e in problems.errors] == [where + message]
    assert sorted(snapshot(content)) == ["questions/14-qe-3200.md", "sources/an_legacy_14_qe_3200.html"]


def test_a_page_whose_identifier_contradicts_its_text_is_refused(tmp_path):
    page = tmp_path / "q.html"
    page.write_bytes(DYN.read_bytes().replace("Question écrite n°200".encode(), "Question écrite n°201".encode()))
    _, problems = run_import(tmp_path / "content", [page])
    assert [e.message for e in problems.errors] == [
        "the page's identifier says (16, 'QE', 200) but its text says (16, 'QE', 201)"]


def test_windows_1252_page_without_declaration_is_decoded(tmp_path):
    page = tmp_path / "q.html"
    text = LEGACY.read_text(encoding="utf-8").replace('<meta charset="utf-8"/>', "").replace("charset=utf-8", "")
    page.write_bytes(text.encode("cp1252", errors="replace"))
    content = tmp_path / "content"
    _, problems = run_import(content, [page])
    assert problems.errors == []
    q = read_record(content / "questions" / "14-qe-3200.md", Question)
    assert (q.rubrique, q.ministere_interroge) == ("État", "Économie et finances")


def _xml_with(tmp_path, name: str, old: str, new: str):
    path = tmp_path / name
    path.write_bytes(XML_QE.read_bytes().replace(old.encode("latin-1"), new.encode("latin-1")))
    return path


def test_two_sources_of_one_question_make_one_record_and_disagreements_are_reported(tmp_path):
    other = _xml_with(tmp_path, "other.xml", "<PAGE_JO_REPONSE>3962", "<PAGE_JO_REPONSE>3963")
    content = tmp_path / "content"
    _, problems = run_import(content, [XML_QE, other])
    q = read_record(content / "questions" / "13-qe-64212.md", Question)
    assert [s.file for s in q.sources] == ["sources/an_xml_13_qe_64212.xml", "sources/other.xml"]
    assert q.page_reponse == 3962
    assert [e.message for e in problems.warnings] == [
        "QANR5L13QE64212: sources disagree on 'page_reponse': 3962 vs 3963; kept the first"]


def test_reimport_never_changes_a_corrected_field_nor_editorial_work(tmp_path):
    content = tmp_path / "content"
    run_import(content, [XML_QE])
    record = content / "questions" / "13-qe-64212.md"
    edited = (record.read_text(encoding="utf-8").replace("rubrique: santé\n", "rubrique: Santé publique\n")
              .replace("corrected: []\n", "corrected:\n- rubrique\n").replace("notes: null\n", "notes: vérifié\n"))
    record.write_text(edited, encoding="utf-8")
    later = _xml_with(tmp_path, "later.xml", "<PAGE_JO_REPONSE>3962</PAGE_JO_REPONSE>", "<PAGE_JO_REPONSE>3962</PAGE_JO_REPONSE>")
    _, problems = run_import(content, [later])
    q = read_record(record, Question)
    assert (q.rubrique, q.notes, q.corrected) == ("Santé publique", "vérifié", ["rubrique"])
    assert problems.warnings == []  # a declared correction is not a disagreement
    assert [s.file for s in q.sources] == ["sources/an_xml_13_qe_64212.xml", "sources/later.xml"]


def test_an_undeclared_difference_is_kept_and_reported(tmp_path):
    content = tmp_path / "content"
    run_import(content, [XML_QE])
    record = content / "questions" / "13-qe-64212.md"
    record.write_text(record.read_text(encoding="utf-8").replace("page_question: 10763", "page_question: 10764"),
                      encoding="utf-8")
    _, problems = run_import(content, [XML_QE])
    assert read_record(record, Question).page_question == 10764
    assert [e.message for e in problems.warnings] == [
        "'page_question' differs from the source (10763); kept the record's value 10764"]


def test_a_later_answer_fills_a_pending_record(tmp_path):
    content = tmp_path / "content"
    pending = tmp_path / "pending.xml"
    text = XML_QE.read_bytes()
    pending.write_bytes(text[:text.index(b"<CLOTURE>")] + b"</QUESTION>\n")
    run_import(content, [pending])
    assert read_record(content / "questions" / "13-qe-64212.md", Question).date_reponse is None
    _, problems = run_import(content, [XML_QE])
    q = read_record(content / "questions" / "13-qe-64212.md", Question)
    assert (q.date_reponse, problems.warnings) == (dt.date(2010, 4, 6), [])
