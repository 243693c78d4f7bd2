"""NosDéputés question pages (HTML) and per-question API output (JSON, XML): the model, then golden records.

No real sample of these formats is here: the samples under tests/fixtures/sources/handmade/ are
written by hand, the HTML page after seed 000 (the text of the same page) and NosDéputés' layout.
Golden records are regenerated like the others:

    UPDATE_GOLDEN=1 python -m pytest tests/test_nosdeputes.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import snapshot
from test_importers import GOLDEN, NOSDEPUTES_PAGE, UPDATE_GOLDEN, run_import
from test_sources import HANDMADE
from dossier.errors import DossierError
from dossier.importers import find_importer, nosdeputes_api, nosdeputes_html
from dossier.model import Author, Question, Source
from dossier.records import read_record

ND_HTML = HANDMADE / "nosdeputes_html_16_qe_17941.html"  # the page of seed 000, as HTML
ND_JSON = HANDMADE / "nosdeputes_api_16_qe_15234.json"  # answered
ND_XML = HANDMADE / "nosdeputes_api_15_qe_40112.xml"  # withdrawn at the end of the mandate
AN_URL = "https://questions.assemblee-nationale.fr/q16/16-17941QE.htm"


def import_one(tmp_path: Path, source: Path, key: str) -> tuple[Question, Path]:
    content = tmp_path / "content"
    _, problems = run_import(content, [source])
    assert problems.errors == [] and problems.warnings == [], [str(e) for e in problems.errors + problems.warnings]
    return read_record(content / "questions" / f"{key}.md", Question), content


def html_variant(tmp_path: Path, old: str, new: str) -> Path:
    page = tmp_path / "in" / "page.html"
    page.parent.mkdir(exist_ok=True)
    text = ND_HTML.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new), encoding="utf-8")
    return page


def parse_html(text: str) -> Question:
    [q] = nosdeputes_html.parse("sources/page.html", text)
    return q


# ---------------------------------------------------------------- the HTML page


def test_html_page_gives_the_facts_of_the_text_and_its_addresses(tmp_path):
    q, _ = import_one(tmp_path, ND_HTML, "16-qe-17941")
    assert (q.legislature, q.type, q.numero) == (16, "QE", 17941)  # from the canonical and AN links
    assert q.author == Author(name="Julie Delpech", civility="Mme")
    assert q.ministere_interroge == "Secrétariat d'État au numérique"
    assert q.date_question == dt.date(2024, 5, 21)
    assert (q.date_reponse, q.answer_text, q.date_cloture, q.motif_cloture) == (None, None, None, None)
    assert (q.title, q.rubrique, q.ministere_attributaire, q.page_question) == (None, None, None, None)
    assert q.question_text.startswith("Mme Julie Delpech interroge Mme la secrétaire d'État")
    assert q.question_text.endswith("plateformes de tiers-payant.")
    assert q.sources == [Source(kind="nosdeputes-html", file=f"sources/{ND_HTML.name}", url=AN_URL)]


def test_html_alert_box_and_comments_are_not_content(tmp_path):
    _, content = import_one(tmp_path, ND_HTML, "16-qe-17941")
    record = (content / "questions" / "16-qe-17941.md").read_text(encoding="utf-8")
    for words in ("Photo issue", "Être alerté", "e-mail", "pas encore de réponse", "Aucun commentaire",
                  "Inscription", "Connexion", "Rechercher", "Mentions légales"):
        assert words not in record


def test_text_and_html_of_one_question_make_one_record(tmp_path):
    content = tmp_path / "content"
    _, problems = run_import(content, [NOSDEPUTES_PAGE, ND_HTML])
    assert problems.errors == [] and problems.warnings == []
    assert sorted(p.name for p in (content / "questions").iterdir()) == ["16-qe-17941.md"]
    q = read_record(content / "questions" / "16-qe-17941.md", Question)
    assert q.sources == [Source(kind="nosdeputes-text", file=f"sources/{NOSDEPUTES_PAGE.name}"),
                         Source(kind="nosdeputes-html", file=f"sources/{ND_HTML.name}", url=AN_URL)]
    assert q.author == Author(name="Julie Delpech", civility="Mme")
    _, again = run_import(content, [ND_HTML, NOSDEPUTES_PAGE])
    assert again.warnings == [] and again.errors == []


def test_html_answered_question(tmp_path):
    q = parse_html(html_variant(tmp_path, "<p>Cette question n&#039;a pas encore de réponse.</p>",
                                "<h3>Réponse émise le 9 juillet 2024</h3>\n<p>La sécurité des données de santé "
                                "est une priorité.</p>\n<p>Un <em>plan</em> sera présenté.</p>").read_text())
    assert q.date_reponse == dt.date(2024, 7, 9)
    assert q.answer_text == "La sécurité des données de santé est une priorité.\n\nUn *plan* sera présenté."
    assert (q.date_cloture, q.motif_cloture) == (None, None)


def test_html_withdrawn_question(tmp_path):
    q = parse_html(html_variant(tmp_path, "<p>Cette question n&#039;a pas encore de réponse.</p>",
                                "<p>Retirée le 9 juin 2024 (fin de mandat)</p>").read_text())
    assert (q.date_cloture, q.motif_cloture, q.date_reponse, q.answer_text) == (
        dt.date(2024, 6, 9), "Fin de mandat", None, None)


def test_html_without_addresses_leaves_the_legislature_to_the_calendar(tmp_path):
    text = ND_HTML.read_text(encoding="utf-8")
    text = text.replace('<link rel="canonical" href="https://www.nosdeputes.fr/16/question/QE/17941" />', "")
    text = text.replace(AN_URL, "/16/questions")
    q = parse_html(text)
    assert (q.legislature, q.type, q.sources[0].url) == (None, "QE", "/16/questions")


@pytest.mark.parametrize(("old", "new", "message"), [
    (AN_URL, AN_URL.replace("17941", "17942"),
     f"the address {AN_URL.replace('17941', '17942')} is of question 17942, not 17941"),
    ("https://www.nosdeputes.fr/16/question/QE/17941", "https://www.nosdeputes.fr/17/question/QE/17941",
     f"the page's addresses disagree: {AN_URL}, https://www.nosdeputes.fr/17/question/QE/17941"),
    ('<div id="reponse">', '<div id="autre">',
     "no div#reponse found (the answer, or 'Cette question n'a pas encore de réponse.')"),
    ("Cette question n&#039;a pas encore de réponse.", "Réponse en préparation",
     "unrecognised answer line: 'Réponse en préparation' (looked for 'Réponse émise le …', "
     "'Cette question n'a pas encore de réponse.' or 'Retirée le … (motif)')"),
    ("<h2>Question soumise le 21 mai 2024</h2>", "<h2>Question soumise le 31 février 2024</h2>",
     "not a date: '31 février 2024'"),
])
def test_html_page_that_cannot_be_read_right_is_refused_by_name(tmp_path, old, new, message):
    page = html_variant(tmp_path, old, new)
    content = tmp_path / "content"
    _, problems = run_import(content, [page])
    assert [str(e) for e in problems.errors] == [f"{page}: {message}"]
    assert not content.exists()


# ---------------------------------------------------------------- the API, JSON and XML


def test_api_json_answered_question(tmp_path):
    q, _ = import_one(tmp_path, ND_JSON, "16-qe-15234")
    assert (q.legislature, q.type, q.numero) == (16, "QE", 15234)
    assert q.author == Author(name="Hélène Marchetti", civility="Mme", slug="helene-marchetti", group_abbr="LIOT")
    assert (q.ministere_interroge, q.ministere_attributaire) == ("Santé et prévention", "Santé et prévention")
    assert (q.rubrique, q.tete_analyse, q.analyses) == (
        "santé", "données", ["sécurité des systèmes d'information hospitaliers"])
    assert q.title == "sécurité des systèmes d'information hospitaliers"
    assert (q.date_question, q.date_reponse) == (dt.date(2024, 2, 13), dt.date(2024, 4, 30))
    assert (q.page_question, q.page_reponse, q.date_cloture, q.motif_cloture) == (None, None, None, None)
    assert q.question_text.count("\n\n") == 1 and q.question_text.endswith("cybersécurité des établissements.")
    assert q.answer_text.endswith("sensibilisation et *exercices de crise*.")
    assert q.sources == [Source(kind="nosdeputes-api", file=f"sources/{ND_JSON.name}",
                                url="https://questions.assemblee-nationale.fr/q16/16-15234QE.htm")]


def test_api_xml_withdrawn_question_of_an_archived_legislature(tmp_path):
    q, _ = import_one(tmp_path, ND_XML, "15-qe-40112")
    assert (q.legislature, q.type, q.numero) == (15, "QE", 40112)
    assert q.author == Author(name="Thomas Berthier", civility="M.", slug="thomas-berthier", group_abbr="MODEM")
    assert (q.ministere_interroge, q.ministere_attributaire) == (
        "Solidarités et santé", "Transformation et fonction publiques")
    assert (q.date_cloture, q.motif_cloture, q.date_reponse, q.answer_text) == (
        dt.date(2022, 6, 21), "Fin de mandat", None, None)
    assert r"\[\*Cloud Act\*\]" in q.question_text  # plain text: Markdown characters escaped


def _api(**changes) -> str:
    import json
    data = json.loads(ND_JSON.read_text(encoding="utf-8"))
    data["questionecrite"].update(changes)
    return json.dumps(data, ensure_ascii=False)


def test_api_values_that_do_not_split_as_documented_are_kept_whole_not_guessed():
    [q] = nosdeputes_api.parse("sources/q.json", _api(ministere="Armées / Intérieur / Outre-mer",
                                                      themes="santé / a / b / c"))
    assert (q.ministere_interroge, q.ministere_attributaire, q.rubrique, q.analyses) == (None, None, None, [])
    assert q.extra == {"ministere": "Armées / Intérieur / Outre-mer", "themes": "santé / a / b / c"}


def test_api_author_from_the_question_when_no_parlementaire():
    [q] = nosdeputes_api.parse("sources/q.json", _api(parlementaire=None, parlementaire_slug=None))
    assert q.author == Author(name="Hélène Marchetti", civility="Mme", group_abbr="LIOT")


@pytest.mark.parametrize(("changes", "message"), [
    ({"numero": "15235"}, "the address https://questions.assemblee-nationale.fr/q16/16-15234QE.htm is of question "
                          "15234, not 15235"),
    ({"legislature": 15}, "'legislature' is 15 but the addresses say 16"),
    ({"date": "13/02/20"}, "'date' is not a date: '13/02/20'"),
    ({"parlementaire": None, "question": "Question sur la cybersécurité."},
     "no author: no 'parlementaire' and the question does not open with "
     "'M./Mme First Family interroge|attire|appelle …'"),
])
def test_api_output_that_cannot_be_read_right_is_refused(changes, message):
    with pytest.raises(DossierError) as err:
        nosdeputes_api.parse("sources/q.json", _api(**changes))
    assert err.value.message == message


def test_every_nosdeputes_sample_is_recognised_by_its_own_importer():
    assert find_importer(ND_HTML.read_text(encoding="utf-8")) is nosdeputes_html
    assert find_importer(ND_JSON.read_text(encoding="utf-8")) is nosdeputes_api
    assert find_importer(ND_XML.read_text(encoding="utf-8")) is nosdeputes_api


# ---------------------------------------------------------------- golden records


@pytest.mark.parametrize(("source", "key"), [(ND_HTML, "16-qe-17941"), (ND_JSON, "16-qe-15234"),
                                             (ND_XML, "15-qe-40112")])
def test_golden_record(tmp_path, source, key):
    _, content = import_one(tmp_path, source, key)
    assert sorted(snapshot(content)) == [f"questions/{key}.md", f"sources/{source.name}"]
    actual = (content / "questions" / f"{key}.md").read_bytes()
    golden = GOLDEN / f"{source.stem}.md"  # named by source: 16-qe-17941.md is the text page's record
    if UPDATE_GOLDEN:
        golden.write_bytes(actual)
    assert golden.is_file(), f"{golden} is missing: run UPDATE_GOLDEN=1 python -m pytest tests/test_nosdeputes.py"
    assert actual == golden.read_bytes(), f"{key} differs from {golden} (UPDATE_GOLDEN=1 regenerates it)"
