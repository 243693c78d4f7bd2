"""Importers on the real saved pages: the model first, field by field, then golden records byte for byte.

The sources under tests/fixtures/sources/ are the project's seed pages and the NosDéputés deputies
file, unchanged. They are imported with the real import (`dossier.imports.import_paths`, the
project's config.yaml) into a temporary content folder; the records written must equal the golden
files under tests/golden/ byte for byte.

To regenerate the golden files after a deliberate change of the record format or of an importer,
run, then review the diff before committing:

    UPDATE_GOLDEN=1 python -m pytest tests/test_importers.py
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, snapshot
from dossier import model
from dossier.config import load_config
from dossier.errors import DossierError, Problems
from dossier.importers import an_markdown, describe_known, find_importer, nosdeputes_deputes, nosdeputes_text
from dossier.importers.labels import LABELS
from dossier.imports import import_paths
from dossier.model import Author, Deputy, Question, Source
from dossier.records import read_record

SOURCES = FIXTURES / "sources"
NOSDEPUTES_PAGE = SOURCES / "000_23207a8713ae3daa.txt"  # QE 17941, Julie Delpech (NosDéputés, text)
AN_PAGE = SOURCES / "001_8d25431fb4687b74.txt"  # QE 17939, Vincent Rolland (AN, Markdown)
DEPUTIES_JSON = SOURCES / "deputes_leg16.json"  # NosDéputés /deputes/json, 599 deputies
ALL_SOURCES = [NOSDEPUTES_PAGE, AN_PAGE, DEPUTIES_JSON]
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"

BOILERPLATE = ("Photo issue", "Être alerté", "par e-mail", "pas encore de réponse", "Aucun commentaire",
               "Inscription", "Connexion")


def run_import(content: Path, paths=ALL_SOURCES, **options):
    """Import with the project's config; return the result and the problems reported."""
    problems = Problems()
    result = import_paths(list(paths), content, load_config(ROOT / "config.yaml"), problems, **options)
    return result, problems


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """The content folder after one import of the three real sources (read only: do not edit)."""
    content = tmp_path_factory.mktemp("imported") / "content"
    result, problems = run_import(content)
    assert problems.errors == [] and problems.warnings == []
    assert result.deputies_not_cited == 597
    return content


def question(content: Path, key: str) -> Question:
    return read_record(content / "questions" / f"{key}.md", Question)


def deputy(content: Path, slug: str) -> Deputy:
    return read_record(content / "deputies" / f"{slug}.md", Deputy)


# ---------------------------------------------------------------- the model, field by field


def test_question_17939_from_the_an_page(imported):
    q = question(imported, "16-qe-17939")
    assert (q.legislature, q.type, q.numero) == (16, "QE", 17939)
    assert q.uid == "QANR5L16QE17939"
    assert q.title == "Protection des données personnelles de santé dans le cadre des cyber-attaques"
    assert q.author == Author(name="Vincent Rolland", civility="M.", group="Les Républicains",
                              departement="Savoie", circonscription="Savoie (2e circonscription)")
    assert q.rubrique == "Numérique"
    assert q.ministere_interroge == "Santé et prévention"
    assert q.ministere_attributaire == "Santé et prévention"
    assert (q.date_question, q.page_question) == (dt.date(2024, 5, 21), 3999)
    assert (q.date_cloture, q.motif_cloture) == (dt.date(2024, 6, 11), "Fin de mandat")
    assert (q.date_reponse, q.page_reponse, q.answer_text) == (None, None, None)
    assert q.question_text.startswith("M. Vincent Rolland interroge")
    assert "*blockchain*" in q.question_text  # the AN page is Markdown: its emphasis is kept
    assert q.question_text.endswith("afin de répondre de manière efficace aux cyber-attaques.")
    assert q.sources == [Source(kind="an-markdown", file="sources/001_8d25431fb4687b74.txt")]
    assert (q.tags, q.summary, q.notes, q.extra) == ([], None, None, {})


def test_question_17941_from_the_nosdeputes_page(imported):
    q = question(imported, "16-qe-17941")
    assert (q.legislature, q.type, q.numero) == (16, "QE", 17941)  # legislature from the calendar
    assert q.author == Author(name="Julie Delpech", civility="Mme")
    assert q.ministere_interroge == "Secrétariat d'État au numérique"
    assert q.date_question == dt.date(2024, 5, 21)
    assert (q.date_reponse, q.answer_text) == (None, None)
    assert (q.date_cloture, q.motif_cloture) == (None, None)
    # what the page does not give stays unknown
    assert (q.title, q.rubrique, q.ministere_attributaire, q.page_question) == (None, None, None, None)
    assert q.question_text.startswith("Mme Julie Delpech interroge")
    assert q.question_text.endswith("plateformes de tiers-payant.")
    assert q.sources == [Source(kind="nosdeputes-text", file="sources/000_23207a8713ae3daa.txt")]


def test_no_boilerplate_of_the_nosdeputes_page_in_the_record(imported):
    record = (imported / "questions" / "16-qe-17941.md").read_text(encoding="utf-8")
    for words in BOILERPLATE:
        assert words not in record


def test_the_nosdeputes_page_does_not_state_the_legislature():
    [q] = nosdeputes_text.parse("sources/x.txt", NOSDEPUTES_PAGE.read_text(encoding="utf-8"))
    assert q.legislature is None  # the import resolves it from date_question and the calendar


@pytest.mark.parametrize(("slug", "facts"), [
    ("julie-delpech", ("Julie Delpech", "Mme", "REN", "Sarthe", 1, "PA794982")),
    ("vincent-rolland", ("Vincent Rolland", "M.", "LR", "Savoie", 2, "PA266808")),
])
def test_cited_deputies(imported, slug, facts):
    d = deputy(imported, slug)
    assert (d.name, d.civility, d.group_abbr, d.departement, d.num_circonscription, d.id_an) == facts
    assert d.slug == slug and d.legislature == 16 and d.mandat_debut == dt.date(2022, 6, 22)
    assert d.sources == [Source(kind="nosdeputes-deputes-json", file="sources/deputes_leg16.json",
                                url=f"https://www.nosdeputes.fr/{slug}/json")]


def test_only_cited_deputies_are_written(imported):
    assert sorted(p.name for p in (imported / "deputies").iterdir()) == ["julie-delpech.md", "vincent-rolland.md"]


def test_all_deputies_on_request(tmp_path):
    result, problems = run_import(tmp_path / "content", all_deputies=True)
    assert problems.errors == [] and result.deputies_not_cited == 0
    assert len(list((tmp_path / "content" / "deputies").glob("*.md"))) == 599


@pytest.mark.parametrize("importer", [an_markdown, nosdeputes_text])
def test_parsed_record_survives_writing_and_reading(imported, importer):
    """What the importer returns is what the build reads back, once the legislature is resolved."""
    source = AN_PAGE if importer is an_markdown else NOSDEPUTES_PAGE
    [parsed] = importer.parse(f"sources/{source.name}", source.read_text(encoding="utf-8"))
    parsed = dataclasses.replace(parsed, legislature=16)
    assert question(imported, parsed.key) == parsed


# ---------------------------------------------------------------- golden records


@pytest.mark.parametrize("name", ["questions/16-qe-17939.md", "questions/16-qe-17941.md",
                                  "deputies/julie-delpech.md", "deputies/vincent-rolland.md"])
def test_golden_record(imported, name):
    actual = (imported / name).read_bytes()
    golden = GOLDEN / Path(name).name
    if UPDATE_GOLDEN:
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(actual)
    assert golden.is_file(), f"{golden} is missing: run UPDATE_GOLDEN=1 python -m pytest tests/test_importers.py"
    assert actual == golden.read_bytes(), f"{name} differs from {golden} (UPDATE_GOLDEN=1 regenerates it)"


def test_import_writes_the_records_and_copies_the_sources_unchanged(imported):
    assert sorted(snapshot(imported)) == [
        "deputies/julie-delpech.md", "deputies/vincent-rolland.md",
        "questions/16-qe-17939.md", "questions/16-qe-17941.md",
        "sources/000_23207a8713ae3daa.txt", "sources/001_8d25431fb4687b74.txt", "sources/deputes_leg16.json",
    ]
    for source in ALL_SOURCES:
        assert (imported / "sources" / source.name).read_bytes() == source.read_bytes()


# ---------------------------------------------------------------- re-import


def test_reimport_is_a_no_op(tmp_path):
    content = tmp_path / "content"
    first, _ = run_import(content)
    before = snapshot(content)
    second, problems = run_import(content)
    assert snapshot(content) == before
    assert second.written == []
    assert sorted(second.unchanged) == sorted(first.written) and len(second.unchanged) == 7
    assert problems.errors == [] and problems.warnings == []


def test_reimport_keeps_hand_edits(tmp_path):
    content = tmp_path / "content"
    run_import(content)
    record = content / "questions" / "16-qe-17939.md"
    edited = (record.read_text(encoding="utf-8")
              .replace("rubrique: Numérique\n", "rubrique: Santé\n")
              .replace("tags: []\n", "tags:\n- tiers-payant\n")
              .replace("summary: null\n", "summary: Résumé écrit à la main.\n"))
    record.write_text(edited, encoding="utf-8")
    result, problems = run_import(content)
    q = read_record(record, Question)
    assert (q.rubrique, q.tags, q.summary) == ("Santé", ["tiers-payant"], "Résumé écrit à la main.")
    assert record.read_text(encoding="utf-8") == edited and record in result.unchanged
    assert [str(w) for w in problems.warnings] == [
        f"{record}: 'rubrique' differs from the source ('Numérique'); kept the record's value 'Santé'"]
    assert problems.errors == []


# ---------------------------------------------------------------- files that are no source

NOT_A_SOURCE = ("not a source this tool can read; looked for: "
                "an-markdown (a Markdown 'Données clés' section with '**Auteur :**'); "
                "an-html (an assemblee-nationale.fr question page ('Données clés' box, QANR5L… identifier)); "
                "an-html (a legacy AN question page ('Question N° … de …', 'Ministère interrogé', 'Texte de la question')); "
                "nosdeputes-html (a NosDéputés question page (h1 'Question N° … au …', div#question "
                "'Question soumise le …')); "
                "nosdeputes-text ('Question N° … au …' and 'Question soumise le …' lines); "
                "an-text (an AN question page as text ('Question N° … de …' and 'Texte de la question', "
                "or 'Question écrite n°…', 'Question de :' and 'Données clés')); "
                'an-xml (XML with a root <QUESTION TYPE=…> holding <LEGISLATURE> and <DEPOT NUMERO=…>); '
                'an-opendata (AN open-data JSON: {"question": {"uid": "QANR5L…", …}} (or a zip archive of them)); '
                'nosdeputes-api (NosDéputés API output: {"questionecrite": {…}} (JSON) or a <questionecrite> root '
                '(XML)); '
                "nosdeputes-deputes-json (JSON with a 'deputes' list of {'depute': {…}} items)")

NON_SOURCES = [
    pytest.param("empty.txt", b"", "empty file", id="empty"),
    pytest.param("blank.txt", b" \n\n\t\n", "empty file", id="blank"),
    pytest.param("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10", "binary file, not a saved page", id="binary"),
    pytest.param("page.html", "<!doctype html>\n<html lang=\"fr\"><head><title>Météo</title></head>\n"
                 "<body><h1>Prévisions</h1><p>Question du jour : pleuvra-t-il ?</p></body></html>\n".encode(),
                 NOT_A_SOURCE, id="html-of-another-site"),
    pytest.param("questions.json", b'{"questions": [{"question": {"numero": 1}}]}\n', NOT_A_SOURCE,
                 id="json-without-deputes"),
]


def test_the_refusal_lists_every_importer():
    assert describe_known() in NOT_A_SOURCE


@pytest.mark.parametrize(("name", "data", "message"), NON_SOURCES)
def test_a_file_that_is_no_source_is_refused(tmp_path, name, data, message):
    bad = tmp_path / "in" / name
    bad.parent.mkdir()
    bad.write_bytes(data)
    content = tmp_path / "content"
    result, problems = run_import(content, [bad])
    assert [str(e) for e in problems.errors] == [f"{bad}: {message}"]
    assert all(isinstance(e, DossierError) and e.path == bad for e in problems.errors)
    assert result.written == [] and not content.exists()


def test_other_files_of_the_same_call_still_import(tmp_path):
    (tmp_path / "in").mkdir()
    bad = []
    for param in NON_SOURCES:
        name, data, _ = param.values
        (tmp_path / "in" / name).write_bytes(data)
        bad.append(tmp_path / "in" / name)
    content = tmp_path / "content"
    _, problems = run_import(content, bad + ALL_SOURCES)
    assert sorted(str(e.path) for e in problems.errors) == sorted(str(p) for p in bad)
    assert sorted(snapshot(content)) == [
        "deputies/julie-delpech.md", "deputies/vincent-rolland.md",
        "questions/16-qe-17939.md", "questions/16-qe-17941.md",
        "sources/000_23207a8713ae3daa.txt", "sources/001_8d25431fb4687b74.txt", "sources/deputes_leg16.json",
    ]


def test_every_source_is_recognised_by_its_own_importer():
    assert find_importer(AN_PAGE.read_text(encoding="utf-8")) is an_markdown
    assert find_importer(NOSDEPUTES_PAGE.read_text(encoding="utf-8")) is nosdeputes_text
    assert find_importer(DEPUTIES_JSON.read_text(encoding="utf-8")) is nosdeputes_deputes


def test_ministry_after_aux():
    page = NOSDEPUTES_PAGE.read_text(encoding="utf-8").replace("au Secrétariat d'état au numérique", "aux Armées")
    [q] = nosdeputes_text.parse("sources/x.txt", page)
    assert q.ministere_interroge == "Armées"


def test_every_analyse_line_is_kept():
    page = AN_PAGE.read_text(encoding="utf-8").replace(
        "**Rubrique :** Numérique\n", "**Rubrique :** Numérique\n\n**Analyse :** Cybersécurité\n\n"
        "**Analyse :** Données de santé\n")
    [q] = an_markdown.parse("sources/x.txt", page)
    assert q.analyses == ["Cybersécurité", "Données de santé"]


# ---------------------------------------------------------------- the label table

QUESTION_FIELDS = {f.name for f in model.record_fields(Question)}
AUTHOR_FIELDS = {f.name for f in model.record_fields(Author)}
SET_BY_THE_IMPORTER = {"legislature", "title", "author", "sources", "extra"}  # an_markdown.parse gives these itself
SAMPLE_VALUES = ("Question écrite", "M. Vincent Rolland", "Savoie (2e circonscription) - Les Républicains", "17939",
                 "21 mai 2024, page 3999", "11 juin 2024 (Fin de mandat)", "21 mai 2024", "Numérique")


@pytest.mark.parametrize("label", sorted(LABELS))
def test_every_label_target_is_a_model_field(label):
    targets, _ = LABELS[label]
    for target in targets:
        if target.startswith("author."):
            assert target.removeprefix("author.") in AUTHOR_FIELDS, target
        else:
            assert target in QUESTION_FIELDS and target not in SET_BY_THE_IMPORTER, target


@pytest.mark.parametrize("label", sorted(LABELS))
def test_every_label_reader_fills_all_its_targets(label):
    """A reader returning fewer values than its targets would drop fields silently (zip stops short)."""
    targets, reader = LABELS[label]
    for value in SAMPLE_VALUES:
        try:
            values = reader(value)
        except ValueError:
            continue
        assert len(values) == len(targets), (label, value, values)
        return
    pytest.fail(f"no sample value is readable by the reader of '{label}'")
