"""Text helpers and derived facts: French dates, months, slugs, Markdown escaping, typography, status."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from dossier.config import Config, Legislature
from dossier.errors import Problems
from dossier.importers.lines import escape_markdown
from dossier.indexes import question_status
from dossier.model import Author, Question, Source
from dossier import render
from dossier.render import NBSP, NNBSP, french_typography, sanitised_html
from dossier.text import add_months, fold, folded_words, format_french_date, parse_french_date, slugify

D = dt.date

# ---------------------------------------------------------------- French dates


@pytest.mark.parametrize(("text", "day"), [
    ("21 mai 2024", D(2024, 5, 21)),
    ("1er août 2024", D(2024, 8, 1)),
    ("1 aout 2024", D(2024, 8, 1)),
    ("11 juin 2024", D(2024, 6, 11)),
    ("3 Février 2025", D(2025, 2, 3)),
    ("31 décembre 2023", D(2023, 12, 31)),
    ("21\u00a0mai  2024", D(2024, 5, 21)),
    ("21/05/2024", D(2024, 5, 21)),
    ("1/2/2024", D(2024, 2, 1)),
])
def test_parse_french_date(text, day):
    assert parse_french_date(text) == day


@pytest.mark.parametrize("text", ["", "mai 2024", "21 mayo 2024", "2024-05-21", "31/02/2024", "30 février 2024",
                                  "21 mai 24", "le 21 mai 2024"])
def test_parse_french_date_refuses(text):
    with pytest.raises(ValueError):
        parse_french_date(text)


@pytest.mark.parametrize(("day", "text"), [
    (D(2024, 6, 1), "1er juin 2024"),
    (D(2024, 5, 21), "21 mai 2024"),
    (D(2024, 8, 2), "2 août 2024"),
    (D(2025, 12, 31), "31 décembre 2025"),
])
def test_format_french_date(day, text):
    assert format_french_date(day) == text
    assert parse_french_date(text) == day


@pytest.mark.parametrize(("day", "months", "result"), [
    (D(2024, 5, 21), 2, D(2024, 7, 21)),
    (D(2024, 12, 31), 2, D(2025, 2, 28)),
    (D(2023, 12, 31), 2, D(2024, 2, 29)),  # leap year
    (D(2024, 3, 31), 1, D(2024, 4, 30)),
    (D(2024, 11, 15), 2, D(2025, 1, 15)),
    (D(2024, 1, 31), 12, D(2025, 1, 31)),
    (D(2024, 1, 31), 0, D(2024, 1, 31)),
])
def test_add_months_clamps_to_the_end_of_the_month(day, months, result):
    assert add_months(day, months) == result


@pytest.mark.parametrize(("text", "slug"), [
    ("Julie Delpech", "julie-delpech"),
    ("Élisabeth Borne", "elisabeth-borne"),
    ("Jean-Luc Mélenchon", "jean-luc-melenchon"),
    ("  Marie-Noëlle   Battistel ", "marie-noelle-battistel"),
    ("Secrétariat d'État au numérique", "secretariat-d-etat-au-numerique"),
    ("Cœur & Lætitia", "coeur-laetitia"),
    ("QE n° 17939", "qe-n-17939"),
])
def test_slugify(text, slug):
    assert slugify(text) == slug


# Windows-1252 text (folded byte by byte), characters that fold to several (…, ½, ™), combining
# marks of decomposed text, characters beyond Windows-1252 (narrow no-break space, ligatures, Greek).
_FOLD_ALPHABET = [chr(c) for c in range(0x20, 0x180)] + list("’…œŒ€«»–—“”‘™½¼¾µßİ\u202f\u00a0\u0301\u0327\u2009ﬁΣ")


@pytest.mark.parametrize("keep", ["", "*"])
def test_folded_words_are_the_words_of_the_folded_text(keep):
    words = re.compile(rf"[\w{re.escape(keep)}]+")
    assert folded_words("L’Œuvre « É-santé » : 12,5 € … ½ dose, d'optique*", keep) == \
        words.findall(fold("L’Œuvre « É-santé » : 12,5 € … ½ dose, d'optique*"))
    assert folded_words("Électricité", keep) == ["electricite"]
    rng = random.Random(6)
    for _ in range(30_000):
        text = "".join(rng.choice(_FOLD_ALPHABET) for _ in range(rng.randint(1, 12)))
        assert folded_words(text, keep) == words.findall(fold(text)), repr(text)


# ---------------------------------------------------------------- Markdown escaping


def rendered_text(markdown_text: str) -> str:
    return BeautifulSoup(str(sanitised_html(markdown_text)), "html.parser").get_text()


TRICKY_TEXTS = [
    "une solution de type *blockchain* et un _autre_ mot, __init__ compris",
    "# pas un titre",
    "1. pas une liste",
    "2024. Une année difficile",
    "1) pas une liste non plus",
    "- pas un tiret de liste",
    "+ pas un plus de liste",
    "> pas une citation",
    "[pas un lien](https://exemple.org)",
    "![pas une image](x.png)",
    "`pas du code`",
    "~~~ pas un bloc de code",
    "``` pas un bloc de code non plus",
    "C:\\dossiers\\santé et 1986\\. déjà échappé",
    "<script>alert('x')</script> et <b>pas gras</b>",
    "A & B, &amp; reste &amp;, &#169; reste &#169;, &copy et &nbsp;",
    "5 < 6 > 4 et <!-- pas un commentaire -->",
    "<https://exemple.org> n'est pas un lien",
    "***",
    "___",
    "- - -",
    "50 % * 2 = 100 %",
    "M. Dupont : « oui » ; pourquoi ? parce que !",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_escaped_markdown_renders_back_to_the_same_text(text):
    assert rendered_text(escape_markdown(text)) == text


@pytest.mark.parametrize("text", ["---", "----------", "Titre\n===", "Titre\n---",
                                  "colonne | autre\n--- | ---", "| a | b |\n|:-|-:|\n| 1 | 2 |"])
def test_escaped_rules_underlines_and_tables_render_back_to_the_same_text(text):
    assert rendered_text(escape_markdown(text)) == text


def test_record_markdown_is_commonmark_with_pipe_tables():
    html = str(sanitised_html("Les points :\n- un\n  - deux\n\n| A | B |\n|:--|--:|\n| 1 | 2 |\n\n```\nx < 1\n```"))
    assert html.startswith("<p>Les points :</p>\n<ul>\n<li>un\n<ul>\n<li>deux</li>")  # a list may follow a line
    assert "<th>A</th>" in html and "<td>2</td>" in html and "align" not in html
    assert html.endswith("<pre><code>x &lt; 1\n</code></pre>")


def test_converting_markdown_frees_what_it_makes():
    """The preview converts texts for hours: a converter that keeps its syntax trees (cmark-gfm's
    Python wrapper did, 16 KB a text) would grow it by a gigabyte over a legislature's texts."""
    def resident_mib() -> float:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    text = "Mme la ministre, *quelles mesures* ?\n\n" * 40 + "| A | B |\n|---|---|\n| 1 | 2 |\n"
    for i in range(500):
        sanitised_html(f"{text}{i}")
    before = resident_mib()
    for i in range(5000):
        sanitised_html(f"{text}{i + 500}")
    assert resident_mib() - before < 15


def test_raw_html_in_records_is_sanitised_not_dropped():
    html = str(sanitised_html('<table><tr><td colspan="2" style="color:red">1</td></tr></table>\n\n<script>x()</script>'))
    assert html == '<table><tbody><tr><td colspan="2">1</td></tr></tbody></table>'


# ---------------------------------------------------------------- French typography


@pytest.mark.parametrize("markup", [
    "<p>Madame la ministre</p>\n<p>Elle demande</p>\n<table><tr><td>12</td></tr></table>",
    "<p>Un &quot;mot&quot; &gt; 3 et \"cité\" &amp; plus</p>\n<p>n° 12, « oui » : l'État ; non !</p>",
    "<p><em>mot</em> ? et <strong>gras</strong>: fin</p>", "\n", "", "sans balise ni signe",
])
def test_runs_the_rules_leave_alone_are_skipped_for_the_same_markup(markup):
    parts = render._TAG_SPLIT.split(markup)  # the reference: every run through the rules
    expected = "".join(render._typography("\x00" + part)[1:] if i % 2 == 0 and i else
                       render._typography(part) if i % 2 == 0 else part for i, part in enumerate(parts))
    assert str(render._typography_of(markup)) == expected


def test_templates_are_read_once_in_a_build_and_again_when_changed_in_the_preview(tmp_path):
    from dossier.render import make_environment

    template = tmp_path / "t.html"
    template.write_text("un", encoding="utf-8")
    build_env, preview_env = make_environment(tmp_path), make_environment(tmp_path, reload=True)
    assert build_env.get_template("t.html").render() == preview_env.get_template("t.html").render() == "un"
    template.write_text("deux", encoding="utf-8")
    later = template.stat().st_mtime + 5
    os.utime(template, (later, later))
    assert build_env.get_template("t.html").render() == "un"
    assert preview_env.get_template("t.html").render() == "deux"


def test_calls_from_templates_give_context_to_the_callables_that_ask_for_it_and_only_those(tmp_path, monkeypatch):
    import functools
    import types

    import jinja2

    from dossier.render import make_environment

    env = make_environment(tmp_path)

    @jinja2.pass_context
    def who(context, suffix=""):
        return context["name"] + suffix

    class Holder:
        @jinja2.pass_environment
        def environment_is(self, environment):
            return environment is env

        def plain(self, value):
            return value * 2

    def stop():
        raise StopIteration

    class Passing:  # a callable whose class asks for the context
        jinja_pass_arg = jinja2.utils._PassArg.context

        def __call__(self, *args):
            return "+".join("context" if isinstance(a, jinja2.runtime.Context) else a for a in args)

    marked = functools.partial(lambda context, x: context["name"] + x)
    marked.jinja_pass_arg = jinja2.utils._PassArg.context
    passing = Passing()
    env.globals.update(who=who, holder=Holder(), partial=functools.partial(str.upper, "abc"), marked=marked,
                       stop=stop, passing=passing, bound=types.MethodType(passing, "#"))
    template = env.from_string(
        "{% macro m(x) %}[{{ x }}]{% endmacro %}"
        "{% for i in [1] %}{% set name = 'boucle' %}{{ who('!') }} {{ marked('?') }}{% endfor %} {{ who() }} "
        "{{ holder.environment_is() }} {{ holder.plain(2) }} {{ partial() }} {{ m(1) }} {{ '2024-05-21'.split('-') | "
        "join('/') }} {{ d.get('a') }} {{ stop() is undefined }} {{ passing() }} {{ bound() }}")
    expected = "boucle! boucle? page True 4 ABC [1] 2024/05/21 1 True context #+context"
    assert template.render(name="page", d={"a": 1}) == expected
    asked = []  # Jinja's own call (which asks each callable) is left to those that may want a context
    slow_call = jinja2.runtime.Context.call
    monkeypatch.setattr(jinja2.runtime.Context, "call", lambda self, f, *a, **k: asked.append(f) or slow_call(self, f, *a, **k))
    assert template.render(name="page", d={"a": 1}) == expected
    assert [getattr(f, "__func__", f) for f in asked] == [who, marked, who, Holder.environment_is, passing, passing]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none(), st.booleans(),
                          st.text().map(Markup)), max_size=5))
def test_what_templates_write_out_is_escaped_as_markupsafe_escapes_it(values):
    from markupsafe import escape

    from dossier.render import make_environment

    env = make_environment(Path("."))
    template = env.from_string("{% for v in values %}[{{ v }}]{% endfor %}{% set all %}{{ values | join }}{% endset %}{{ all }}")
    expected = "".join(f"[{escape(v)}]" for v in values) + str(escape(Markup("").join(values)))
    assert template.render(values=values) == expected


def test_templates_write_out_strings_without_making_a_markup_of_each(monkeypatch):
    import jinja2

    from dossier.render import make_environment

    class Html:
        def __html__(self):
            return "<b>gras</b>"

    class Number:  # what __html__ gives is taken as markupsafe.escape takes it
        def __html__(self):
            return 5

    env = make_environment(Path("."))
    template = env.from_string("{% for v in values %}{{ v }}|{% endfor %}")
    made = []
    monkeypatch.setattr(Markup, "__new__", lambda cls, *a, **k: made.append(a) or str.__new__(cls, *a))
    assert template.render(values=["<a & b>", 3, Html(), "l’État"]) == "&lt;a &amp; b&gt;|3|<b>gras</b>|l’État|"
    assert made == []
    monkeypatch.undo()
    assert template.render(values=[Number()]) == "5|"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ nothing }}").render()


FOLDERS = st.lists(st.sampled_from(["questions", "question", "questionsx", "deputes", "q", "16-qe-1", "feed.xml", ""]),
                   max_size=4)


@settings(max_examples=500, deadline=None)
@given(FOLDERS, FOLDERS, st.sampled_from(["", "#reponse", "#"]), st.sampled_from(["", "https:", "mailto:", "/"]))
def test_a_page_links_with_its_own_url_function_as_relative_url_does(page, target, fragment, prefix):
    from dossier.render import _relative_to, relative_url

    page_url = "/" + "".join(f"{folder}/" for folder in page if folder)
    target_url = prefix + "/" + "/".join(target) + fragment
    assert _relative_to(page_url)(target_url) == relative_url(page_url, target_url)
    assert _relative_to(page_url + "feed.xml")(target_url) == relative_url(page_url + "feed.xml", target_url)


def test_typography_of_plain_text():
    assert french_typography("Question : réponse ; oui ! non ? « de regroupement » l'État") == (
        f"Question{NBSP}: réponse{NNBSP}; oui{NNBSP}! non{NNBSP}? «{NBSP}de regroupement{NBSP}» l’État")


def test_typography_escapes_plain_text():
    assert french_typography("<b>l'avis</b> ?") == Markup(f"&lt;b&gt;l’avis&lt;/b&gt;{NNBSP}?")


def test_typography_leaves_tags_untouched():
    html = Markup('<a href="/x?a=1" title="l\'avis : oui ?">l\'avis : oui ?</a>')
    assert french_typography(html) == Markup(f'<a href="/x?a=1" title="l\'avis : oui ?">l’avis{NBSP}: oui{NNBSP}?</a>')


def test_typography_keeps_existing_spaces_and_urls():
    assert french_typography(f"«{NBSP}déjà{NBSP}»") == f"«{NBSP}déjà{NBSP}»"
    assert french_typography("https://exemple.org:8080/ à 10:30") == "https://exemple.org:8080/ à 10:30"


def test_typography_after_an_inline_tag():
    assert french_typography(Markup("de type <em>blockchain</em> ?")) == Markup(
        f"de type <em>blockchain</em>{NNBSP}?")


# ---------------------------------------------------------------- status

CONFIG = Config(
    path=Path("config.yaml"), title="Test", description="", base_url=None, topics=(),
    legislatures=(Legislature(16, D(2022, 6, 22), D(2024, 6, 9), "dissolution", {}),
                  Legislature(17, D(2024, 7, 18), None, None, {})),
)


def make_question(legislature=16, date_question=D(2024, 5, 21), **facts) -> Question:
    return Question(legislature=legislature, type="QE", numero=1, author=Author(name="Julie Delpech"),
                    date_question=date_question, sources=[Source(kind="nosdeputes-text")],
                    question_text="Mme Julie Delpech interroge.", **facts)


def status(q: Question, as_of: dt.date = D(2026, 5, 22)):
    problems = Problems()
    result = question_status(q, CONFIG, as_of, problems)
    assert problems.errors == [] and problems.warnings == []
    return result


def test_answered_in_time():
    s = status(make_question(17, D(2024, 8, 1), date_reponse=D(2024, 9, 15), answer_text="Réponse."))
    assert (s.code, s.inferred, s.motif, s.date_cloture, s.lapsed_on) == ("repondue", False, None, None, None)
    assert (s.deadline, s.delay_days, s.late) == (D(2024, 10, 1), 45, False)


def test_answered_late():
    s = status(make_question(17, D(2024, 8, 1), date_reponse=D(2024, 11, 5)))
    assert (s.code, s.deadline, s.delay_days, s.late) == ("repondue", D(2024, 10, 1), 96, True)


def test_withdrawn_with_a_date():
    s = status(make_question(16, D(2024, 5, 21), date_cloture=D(2024, 6, 11), motif_cloture="Fin de mandat"))
    assert (s.code, s.inferred, s.motif, s.date_cloture) == ("retiree", False, "Fin de mandat", D(2024, 6, 11))
    assert (s.lapsed_on, s.lapse_reason, s.deadline, s.delay_days, s.late) == (None, None, D(2024, 7, 21), 21, False)


@pytest.mark.parametrize(("as_of", "delay", "late"), [
    (D(2024, 11, 15), 45, False),
    (D(2024, 12, 1), 61, False),  # the deadline day itself is still in time
    (D(2024, 12, 2), 62, True),
])
def test_pending_in_a_running_legislature(as_of, delay, late):
    s = status(make_question(17, D(2024, 10, 1)), as_of)
    assert (s.code, s.inferred, s.motif, s.date_cloture, s.lapsed_on) == ("en_attente", False, None, None, None)
    assert (s.deadline, s.delay_days, s.late) == (D(2024, 12, 1), delay, late)


def test_pending_when_the_legislature_ended_has_lapsed():
    s = status(make_question(16, D(2024, 5, 21)))
    assert (s.code, s.inferred, s.motif, s.date_cloture) == ("retiree", True, "Fin de mandat", None)
    assert (s.lapsed_on, s.lapse_reason) == (D(2024, 6, 9), "dissolution")
    assert (s.deadline, s.delay_days, s.late) == (D(2024, 7, 21), 19, False)  # counted to the end, not to as_of


def test_lapsed_after_the_deadline_is_late():
    s = status(make_question(16, D(2024, 3, 1)))
    assert (s.code, s.inferred, s.deadline, s.delay_days, s.late) == ("retiree", True, D(2024, 5, 1), 100, True)


def test_pending_before_the_legislature_ended_is_pending():
    s = status(make_question(16, D(2024, 5, 21)), as_of=D(2024, 6, 1))
    assert (s.code, s.inferred, s.delay_days, s.late) == ("en_attente", False, 11, False)


def test_a_legislature_missing_from_the_calendar_is_warned():
    problems = Problems()
    s = question_status(make_question(15), CONFIG, D(2026, 5, 22), problems, Path("q.md"))
    assert s.code == "en_attente"
    assert [str(w) for w in problems.warnings] == [
        "q.md: legislature 15 is not in the calendar of config.yaml: a lapse at its end cannot be inferred"]


def test_feed_and_entry_ids_are_name_based_uuids():
    """Atom ids are RFC 4122 version 5 UUIDs in the feeds' namespace (made without uuid.UUID, see feeds._uuid5)."""
    import uuid

    from dossier.feeds import _NAMESPACE, _uuid5

    rng = random.Random(5)
    for _ in range(20_000):
        name = "".join(rng.choice("aé:/-0123456789 QE€𝄞") for _ in range(rng.randint(0, 30)))
        assert _uuid5(name) == str(uuid.uuid5(_NAMESPACE, name))
