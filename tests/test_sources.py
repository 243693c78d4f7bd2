"""Importers for AN pages (every layout), AN XML, AN open data: the model field by field, then golden records.

Real pages are under tests/fixtures/sources/an/ (copied unchanged from ../shared/fixtures/an/);
hand-written samples of layouts and formats with no real sample here are under
tests/fixtures/sources/handmade/. Golden records are regenerated like tests/test_importers.py's:

    UPDATE_GOLDEN=1 python -m pytest tests/test_sources.py
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, snapshot
from test_importers import GOLDEN, UPDATE_GOLDEN, run_import
from dossier.model import Author, Question, Source
from dossier.records import read_record

AN = FIXTURES / "sources" / "an"
HANDMADE = FIXTURES / "sources" / "handmade"
DYN = AN / "an_dyn_16_qe_200.html"
LEGACY = AN / "an_legacy_14_qe_3200.html"
FICHE = HANDMADE / "an_fiche_11_qe_450.html"
XML_QE = HANDMADE / "an_xml_13_qe_64212.xml"
XML_QOSD = HANDMADE / "an_xml_14_qosd_1187.xml"
OPENDATA = HANDMADE / "an_opendata_15_qe_1520.json"
FONTANEL = """\
---
slug: claire-fontanel
name: Claire Fontanel
civility: Mme
legislature: 15
id_an: PA999001
departement: Gironde
---
"""


def imported_one(tmp_path: Path, source: Path, key: str, files: dict | None = None) -> tuple[Question, object]:
    content = tmp_path / "content"
    for name, text in (files or {}).items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    result, problems = run_import(content, [source])
    assert problems.errors == [], [str(e) for e in problems.errors]
    return read_record(content / "questions" / f"{key}.md", Question), content


def test_current_page_16_qe_200(tmp_path):
    q, _ = imported_one(tmp_path, DYN, "16-qe-200")
    assert (q.legislature, q.type, q.numero, q.title) == (16, "QE", 200, "Agriculture biologique")
    assert q.author == Author(name="Marie-Pierre Rixain", civility="Mme", id_an="PA722252", group="Renaissance")
    assert q.extra == {"region": "Ile-de-France"}  # the page gives the region, not the department
    assert (q.rubrique, q.tete_analyse, q.analyses) == ("Agriculture", None, [])
    assert q.ministere_interroge == q.ministere_attributaire == "Agriculture et souveraineté alimentaire"
    assert (q.date_question, q.page_question) == (dt.date(2022, 7, 26), 3501)
    assert (q.date_reponse, q.page_reponse) == (dt.date(2022, 9, 27), 4253)
    assert (q.date_signalement, q.dates_renouvellement, q.date_changement_attribution) == (None, [], None)
    assert (q.date_cloture, q.motif_cloture) == (None, None)
    assert q.question_text.startswith("Mme Marie-Pierre Rixain appelle l'attention de M. le ministre")
    assert q.question_text.endswith("en matière d'agriculture biologique et de transition agro-écologique.")
    assert q.answer_text.startswith("Le secteur biologique a connu, entre 2015 et 2020")
    assert q.answer_text.endswith("renouer avec la croissance observée ces dernières années.")
    assert q.sources == [Source(kind="an-html", file="sources/an_dyn_16_qe_200.html",
                                url="https://www.assemblee-nationale.fr/dyn/16/questions/QANR5L16QE200")]


def test_legacy_page_14_qe_3200(tmp_path):
    q, _ = imported_one(tmp_path, LEGACY, "14-qe-3200")
    assert (q.legislature, q.type, q.numero) == (14, "QE", 3200)
    assert q.author == Author(name="Philippe Le Ray", civility="M.", group="Union pour un Mouvement Populaire",
                              departement="Morbihan")
    assert (q.rubrique, q.tete_analyse, q.analyses) == ("État", "financement", ["rapport. propositions."])
    assert q.title == "rapport. propositions."  # the AN's heading for a question is its analyse
    assert q.ministere_interroge == q.ministere_attributaire == "Économie et finances"
    assert (q.date_question, q.page_question, q.date_reponse, q.page_reponse) == (
        dt.date(2012, 8, 21), 4774, dt.date(2013, 2, 5), 1324)
    assert (q.date_signalement, q.dates_renouvellement, q.date_changement_attribution) == (None, [], None)
    assert (q.date_cloture, q.motif_cloture) == (None, None)
    assert q.question_text.startswith("M. Philippe Le Ray attire l'attention de M. le ministre de l'économie")
    assert q.question_text.endswith("entend mettre en œuvre cette recommandation.")
    assert q.answer_text.startswith("Comme le ministre de l'économie et des finances l'a souligné")
    assert q.answer_text.endswith("de leur caractère stratégique et de leur rentabilité.")
    assert q.sources[0].url == "https://questions.assemblee-nationale.fr/q14/14-3200QE.htm"


def test_oldest_fiche_question_layout_in_latin_1(tmp_path):
    q, _ = imported_one(tmp_path, FICHE, "11-qe-450")
    assert (q.legislature, q.type, q.numero) == (11, "QE", 450)
    assert q.author == Author(name="Anne-Sophie Durand-Lefèvre", civility="Mme", group="Socialiste",
                              departement="Seine-et-Marne")  # family name first on the page
    assert (q.ministere_interroge, q.ministere_attributaire) == ("économie, finances et industrie", "budget")
    assert q.date_changement_attribution == dt.date(1997, 7, 15)
    assert (q.rubrique, q.tete_analyse, q.analyses) == ("impôts et taxes", "taxe professionnelle",
                                                       ["écrêtement. bases. communes"])
    assert (q.date_question, q.page_question, q.date_reponse, q.page_reponse) == (
        dt.date(1997, 6, 30), 2254, dt.date(1997, 9, 29), 3170)
    assert q.question_text.endswith("des compensations versées en 1996.")
    assert '<th colspan="2">Montant (MF)</th>' in q.answer_text
    assert q.answer_text.endswith("Le Gouvernement n'envisage pas de modifier ce dispositif.")


def test_xml_export_with_attribution_change_renewal_and_table(tmp_path):
    q, _ = imported_one(tmp_path, XML_QE, "13-qe-64212")
    assert q.author == Author(name="Maëlle Kerjean", civility="Mme", id_an="PA330927",
                              group="Socialiste, radical, citoyen et divers gauche", group_abbr="SRC",
                              departement="Finistère", circonscription="Finistère (2e circonscription)")
    assert (q.ministere_interroge, q.ministere_attributaire) == ("Santé et sports", "Économie, industrie et emploi")
    assert q.date_changement_attribution == dt.date(2010, 2, 2)
    assert (q.date_signalement, q.dates_renouvellement) == (dt.date(2010, 3, 23), [dt.date(2010, 2, 16)])
    assert (q.date_cloture, q.motif_cloture) == (dt.date(2010, 4, 6), "Réponse publiée")
    assert (q.date_reponse, q.page_reponse) == (dt.date(2010, 4, 6), 3962)
    assert "<tr><td>2010</td><td>18</td></tr>" in q.answer_text
    assert q.analyses == ["systèmes d'information", "sécurité"]


def test_xml_oral_question_type_is_read_not_assumed(tmp_path):
    q, _ = imported_one(tmp_path, XML_QOSD, "14-qosd-1187")
    assert (q.type, q.page_question, q.tete_analyse, q.answer_text) == ("QOSD", None, None, None)


def test_opendata_author_resolved_through_the_registry(tmp_path):
    q, _ = imported_one(tmp_path, OPENDATA, "15-qe-1520", {"deputies/claire-fontanel.md": FONTANEL})
    assert q.author == Author(name="Claire Fontanel", civility="Mme", slug="claire-fontanel", id_an="PA999001",
                              group="La République en Marche", group_abbr="LREM", departement="Gironde")
    assert (q.ministere_interroge, q.ministere_attributaire) == ("Solidarités et santé", "Numérique")
    assert q.date_changement_attribution == dt.date(2017, 11, 14)  # DD/MM/YYYY in the same file as ISO dates
    assert q.extra == {"attributions": ["Solidarités et santé", "Numérique"]}
    assert (q.date_reponse, q.page_reponse) == (dt.date(2018, 1, 16), 402)


def test_opendata_author_unknown_to_the_registry_is_refused(tmp_path):
    content = tmp_path / "content"
    _, problems = run_import(content, [OPENDATA])
    assert [str(e) for e in problems.errors] == [
        "sources/an_opendata_15_qe_1520.json: author PA999001 of QANR5L15QE1520 is not in the deputies registry "
        "(content/deputies/ or a deputies file imported alongside)"]
    assert not (content / "questions").exists()


def _archive(tmp_path: Path, count: int, bad: bool = False) -> Path:
    data = json.loads(OPENDATA.read_text(encoding="utf-8"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in range(1, count + 1):
            data["question"]["uid"] = f"QANR5L15QE{n}"
            data["question"]["identifiant"]["numero"] = str(n)
            zf.writestr(f"json/QANR5L15QE{n}.json", json.dumps(data))
        if bad:
            zf.writestr("json/QANR5L15QE999999.json", "{\"question\": {\"uid\": \"QANR5L15QE999999\"")
    path = tmp_path / "Questions_ecrites.json.zip"
    path.write_bytes(buffer.getvalue())
    return path


def test_archive_streams_every_member_and_reports_bad_ones(tmp_path):
    path = _archive(tmp_path, 30, bad=True)
    content = tmp_path / "content"
    (content / "deputies").mkdir(parents=True)
    (content / "deputies" / "claire-fontanel.md").write_text(FONTANEL, encoding="utf-8")
    seen = []
    _, problems = run_import(content, [path], progress=lambda *args: seen.append(args))
    assert [str(e) for e in problems.errors] == [
        f"{path}:json/QANR5L15QE999999.json:1: invalid JSON: Expecting ',' delimiter"]
    assert len(list((content / "questions").glob("*.md"))) == 30
    total = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    assert [count for count, _, _ in seen] == list(range(1, 32)) + [31]  # questions, then the end
    assert seen[-1] == (31, total, total) and all(done < total for _, done, _ in seen[:-1])
    q = read_record(content / "questions" / "15-qe-7.md", Question)
    assert q.sources == [Source(kind="an-opendata", file="sources/Questions_ecrites.json.zip",
                                url="https://www.assemblee-nationale.fr/dyn/15/questions/QANR5L15QE7")]
    before = snapshot(content)
    _, again = run_import(content, [path])
    assert snapshot(content) == before and again.warnings == []


@pytest.mark.parametrize(("source", "key", "files"), [
    (DYN, "16-qe-200", None), (LEGACY, "14-qe-3200", None), (FICHE, "11-qe-450", None),
    (XML_QE, "13-qe-64212", None), (XML_QOSD, "14-qosd-1187", None),
    (OPENDATA, "15-qe-1520", {"deputies/claire-fontanel.md": FONTANEL}),
])
def test_golden_record(tmp_path, source, key, files):
    _, content = imported_one(tmp_path, source, key, files)
    actual = (content / "questions" / f"{key}.md").read_bytes()
    golden = GOLDEN / f"{key}.md"
    if UPDATE_GOLDEN:
        golden.write_bytes(actual)
    assert golden.is_file(), f"{golden} is missing: run UPDATE_GOLDEN=1 python -m pytest tests/test_sources.py"
    assert actual == golden.read_bytes(), f"{key} differs from {golden} (UPDATE_GOLDEN=1 regenerates it)"
