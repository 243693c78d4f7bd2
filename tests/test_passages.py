"""Related questions by shared passages, and the highlighting of what they share."""

from __future__ import annotations

from markupsafe import Markup

from dossier.passages import MAX_HOLDERS, find_related, highlight

SHARED = ("Des négociations sont en cours depuis plus de quatre ans entre le ministère de la santé, la CNAM, "
          "la CNIL, les assureurs et les opticiens pour renforcer la sécurité des données de santé des assurés.")


def _text(n: int, extra: str = "") -> str:
    words = " ".join(f"mot{n}x{i}" for i in range(120))  # words of this question only
    return f"{words} {extra}"


def test_questions_sharing_a_passage_are_related_both_ways():
    related = find_related(["A", "B", "C"], [_text(1, SHARED), _text(2, SHARED), _text(3)])
    assert related == {"A": ("B",), "B": ("A",)}


def test_a_formula_found_in_many_questions_relates_nothing():
    formula = "sur les mesures que le Gouvernement entend prendre pour remédier à cette situation préoccupante"
    n = MAX_HOLDERS + 5
    related = find_related([f"Q{i}" for i in range(n)], [_text(i, formula) for i in range(n)])
    assert related == {}


def test_related_is_independent_of_order():
    texts = [_text(1, SHARED), _text(2), _text(3, SHARED)]
    assert find_related(["A", "B", "C"], texts) == {"A": ("C",), "C": ("A",)}
    assert find_related(["C", "B", "A"], texts[::-1]) == {"A": ("C",), "C": ("A",)}


def test_highlight_marks_shared_runs_without_breaking_markup():
    html = Markup("<p>Avant. " + SHARED.replace("CNAM", "<em>CNAM</em>") + " Après &amp; fin.</p>")
    marked = str(highlight(html, ["Autre texte. " + SHARED]))
    assert marked.startswith("<p>Avant. <mark>Des négociations")
    assert "<em><mark>CNAM</mark></em>" in marked  # marks stay inside the inline element
    assert marked.endswith("assurés</mark>. Après &amp; fin.</p>")


def test_highlight_without_shared_runs_changes_nothing():
    html = Markup("<p>Rien de commun ici, vraiment rien du tout entre ces deux textes-là.</p>")
    assert highlight(html, ["Un tout autre propos qui ne partage aucune suite de huit mots."]) == html
