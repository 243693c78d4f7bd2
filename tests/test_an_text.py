"""AN question pages saved as plain text: every fact equals the same page's HTML record, then golden records.

The text samples under tests/fixtures/sources/handmade/ are derived from the HTML pages beside them
(the real current and legacy pages: BeautifulSoup's get_text('\\n'), label and value on separate
lines, as a browser's copy can give them; the oldest "FICHE QUESTION" page: one line per block,
label and value on one line, as a browser's "save as text" gives them). Golden records:

    UPDATE_GOLDEN=1 python -m pytest tests/test_an_text.py
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import snapshot
from test_importers import AN_PAGE, GOLDEN, NOT_A_SOURCE, UPDATE_GOLDEN, run_import
from test_sources import DYN, FICHE, HANDMADE, LEGACY
from dossier.errors import DossierError
from dossier.importers import an_markdown, an_text, find_importer
from dossier.model import Question, Source
from dossier.records import read_record

DYN_TEXT = HANDMADE / "an_dyn_16_qe_200.txt"
LEGACY_TEXT = HANDMADE / "an_legacy_14_qe_3200.txt"
FICHE_TEXT = HANDMADE / "an_fiche_11_qe_450.txt"
PAIRS = [(DYN_TEXT, DYN, "16-qe-200"), (LEGACY_TEXT, LEGACY, "14-qe-3200"), (FICHE_TEXT, FICHE, "11-qe-450")]


def import_all(tmp_path: Path, sources: list[Path]) -> Path:
    content = tmp_path / "content"
    _, problems = run_import(content, sources)
    assert problems.errors == [] and problems.warnings == [], [str(e) for e in problems.errors + problems.warnings]
    return content


@pytest.mark.parametrize(("text", "page", "key"), PAIRS, ids=["current", "legacy", "fiche"])
def test_every_fact_of_the_text_equals_the_html_page(tmp_path, text, page, key):
    from_text = read_record(import_all(tmp_path / "t", [text]) / "questions" / f"{key}.md", Question)
    from_html = read_record(import_all(tmp_path / "h", [page]) / "questions" / f"{key}.md", Question)
    assert from_text.sources == [Source(kind="an-text", file=f"sources/{text.name}")]
    # the PA id is in a link of the current page, not in its words; tables become plain lines in text
    expected = dataclasses.replace(from_html, author=dataclasses.replace(from_html.author, id_an=None),
                                   sources=from_text.sources, answer_text=from_text.answer_text)
    assert from_text == expected
    assert "Imprimer" not in from_text.answer_text and "Retour" not in from_text.answer_text


@pytest.mark.parametrize(("text", "page", "key"), PAIRS, ids=["current", "legacy", "fiche"])
def test_text_and_html_of_one_page_make_one_record(tmp_path, text, page, key):
    content = import_all(tmp_path, [page, text])
    assert sorted(p.name for p in (content / "questions").iterdir()) == [f"{key}.md"]
    q = read_record(content / "questions" / f"{key}.md", Question)
    assert [s.kind for s in q.sources] == ["an-html", "an-text"]


def test_the_oldest_layout_as_text_reads_family_name_first_and_the_change_of_attribution(tmp_path):
    q = read_record(import_all(tmp_path, [FICHE_TEXT]) / "questions" / "11-qe-450.md", Question)
    assert (q.author.name, q.author.civility, q.author.group, q.author.departement) == (
        "Anne-Sophie Durand-Lefèvre", "Mme", "Socialiste", "Seine-et-Marne")
    assert (q.ministere_interroge, q.ministere_attributaire, str(q.date_changement_attribution)) == (
        "économie, finances et industrie", "budget", "1997-07-15")
    assert "Année Montant (MF)" in q.answer_text


def test_labels_split_over_lines_are_joined_back():
    assert an_text.joined_lines(["Question publiée au JO le :", "21/08/2012", "page :", "4774",
                                 "Rubrique >", "État", "Dates :", "Question publiée le", "26 juillet 2022"]) == [
        "Question publiée au JO le : 21/08/2012 page : 4774", "Rubrique > État", "Dates :",
        "Question publiée le 26 juillet 2022"]


def test_a_withdrawn_current_page_as_text(tmp_path):
    text = DYN_TEXT.read_text(encoding="utf-8").replace(" Réponse publiée le \n27 septembre 2022",
                                                         " Question retirée le \n11 juin 2024 (Fin de mandat)")
    [q] = an_text.parse("sources/q.txt", text)
    assert (str(q.date_cloture), q.motif_cloture) == ("2024-06-11", "Fin de mandat")


def test_detection_leaves_html_and_markdown_to_their_importers():
    assert not an_text.detect(DYN.read_text(encoding="utf-8"))
    assert not an_text.detect(LEGACY.read_text(encoding="utf-8"))
    assert find_importer(AN_PAGE.read_text(encoding="utf-8")) is an_markdown
    for text, _, _ in PAIRS:
        assert find_importer(text.read_text(encoding="utf-8")) is an_text


@pytest.mark.parametrize(("old", "new", "message"), [
    ("du 26 juillet 2022, page 3501", "du 32 juillet 2022, page 3501", ": not a date: '32 juillet 2022'"),
    ("21/08/2012", "31/02/2012", ":181: 'Question publiée au JO le': not a date: '31/02/2012'"),
])
def test_a_text_that_cannot_be_read_right_is_refused_by_name(tmp_path, old, new, message):
    source = DYN_TEXT if "juillet" in old else LEGACY_TEXT
    bad = tmp_path / "in" / "page.txt"
    bad.parent.mkdir()
    bad.write_text(source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    content = tmp_path / "content"
    _, problems = run_import(content, [bad])
    assert [str(e) for e in problems.errors] == [f"{bad}{message}"]  # the line is the label's, in the file
    assert not content.exists()


def test_a_text_that_is_no_question_is_refused(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("Données clés\nQuestion de : personne\nRien d'autre.\n", encoding="utf-8")
    _, problems = run_import(tmp_path / "content", [bad])
    assert [str(e) for e in problems.errors] == [f"{bad}: {NOT_A_SOURCE}"]


@pytest.mark.parametrize(("text", "key"), [(t, k) for t, _, k in PAIRS])
def test_golden_record(tmp_path, text, key):
    content = import_all(tmp_path, [text])
    assert sorted(snapshot(content)) == [f"questions/{key}.md", f"sources/{text.name}"]
    actual = (content / "questions" / f"{key}.md").read_bytes()
    golden = GOLDEN / f"{text.stem}.txt.md"  # named by source: {key}.md is the HTML page's record
    if UPDATE_GOLDEN:
        golden.write_bytes(actual)
    assert golden.is_file(), f"{golden} is missing: run UPDATE_GOLDEN=1 python -m pytest tests/test_an_text.py"
    assert actual == golden.read_bytes(), f"{key} differs from {golden} (UPDATE_GOLDEN=1 regenerates it)"


def test_parse_refuses_with_dossier_error_only():
    with pytest.raises(DossierError):
        an_text.parse("sources/q.txt", "Question N° 3 de M. X (A - B)\nMinistère interrogé > Y\n")
