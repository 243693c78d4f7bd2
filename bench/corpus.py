"""Generate a realistic corpus of questions and deputies, reproducibly from a seed, as project records.

The corpus is a list of plain dicts (one per question, one per deputy) that `write_dossier` turns into
a project folder the real build reads (config.yaml, content/, templates/), and that `bench/formats.py`
turns into the same content for Hugo and Pelican. Nothing is downloaded: the prose is built from the
word lists of `bench/vocabulary.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bench import vocabulary as V

REPO = Path(__file__).resolve().parent.parent
DEPUTIES = 600
BUILD_DATE = dt.date(2026, 9, 1)  # the benchmark's "today" (SOURCE_DATE_EPOCH of every build)
PERIODS = {15: (dt.date(2017, 7, 4), dt.date(2022, 5, 31)), 16: (dt.date(2022, 7, 5), dt.date(2024, 6, 4)),
           17: (dt.date(2024, 10, 1), dt.date(2026, 8, 25))}
LEGISLATURE_WEIGHTS = {15: 0.35, 16: 0.30, 17: 0.35}
TYPE_WEIGHTS = {"QE": 0.94, "QOSD": 0.04, "QG": 0.02}
CAMPAIGN_SHARE = 0.04  # questions copied by another deputy, as happens in real question campaigns
TABLE_SHARE = 0.2  # answers that carry a Markdown table
_OPENING_END = re.compile(r"(?<![MP])(?<!Mme)\. ")  # end of the first sentence, not of "M." or "Mme"


@dataclass(frozen=True)
class Corpus:
    """The generated records: `questions` and `deputies` are lists of field dicts in record order."""

    seed: int
    questions: list
    deputies: list


def generate(n: int, seed: int = 1, deputies: int = DEPUTIES) -> Corpus:
    """Generate n questions by about 600 deputies; the same arguments always give the same corpus."""
    rng = random.Random(seed)
    deputies = _deputies(rng, deputies)
    by_leg: dict[int, list] = {}
    for d in deputies:
        by_leg.setdefault(d["legislature"], []).append(d)
    questions = [_question(rng, by_leg) for _ in range(n)]
    _number(rng, questions)
    _copy_campaigns(rng, questions)
    return Corpus(seed, questions, deputies)


# ---------------------------------------------------------------- deputies


def slugify(text: str) -> str:
    """'Hélène Le Gall' -> 'helene-le-gall' (the project's own slug rule)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def _deputies(rng: random.Random, count: int) -> list[dict]:
    names, deputies = set(), []
    legislatures = list(PERIODS)
    while len(deputies) < max(count, len(legislatures)):
        civility = rng.choice(["M.", "Mme"])
        first = rng.choice(V.FIRST_NAMES_M if civility == "M." else V.FIRST_NAMES_F)
        family = rng.choice(V.FAMILY_NAMES)
        name = f"{first} {family}"
        if slugify(name) in names:
            continue
        names.add(slugify(name))
        leg = legislatures[len(deputies) % len(legislatures)]
        abbr, group = rng.choice(V.GROUPS[leg])
        code, dep = rng.choice(V.DEPARTEMENTS)
        pa = 700000 + len(deputies) * 37 + rng.randint(0, 30)
        slug = slugify(name)
        circo = rng.randint(1, 9)
        body = ""
        if rng.random() < 0.3:
            body = (f"{'Députée' if civility == 'Mme' else 'Député'} de la {_ordinal(circo)} circonscription "
                    f"({dep}), membre de la commission des affaires sociales. {_sentence(rng)}")
        deputies.append({
            "slug": slug, "name": name, "first_name": first, "family_name": family, "civility": civility,
            "legislature": leg, "id_an": f"PA{pa}", "group": group, "group_abbr": abbr, "departement": dep,
            "num_departement": code, "num_circonscription": circo, "mandat_debut": PERIODS[leg][0],
            "mandat_fin": None, "url_an": f"https://www2.assemblee-nationale.fr/deputes/fiche/OMC_PA{pa}",
            "url_nosdeputes": f"https://www.nosdeputes.fr/{slug}",
            "sources": [{"kind": "nosdeputes-deputes-json", "file": f"sources/nosdeputes/deputes_leg{leg}.json",
                         "url": f"https://www.nosdeputes.fr/{slug}/json"}],
            "extra": {}, "body": body,
        })
    return sorted(deputies, key=lambda d: d["slug"])


# ---------------------------------------------------------------- questions


def _question(rng: random.Random, by_leg: dict) -> dict:
    leg = _weighted(rng, LEGISLATURE_WEIGHTS)
    qtype = _weighted(rng, TYPE_WEIGHTS)
    d = rng.choice(by_leg[leg])
    start, end = PERIODS[leg]
    asked = start + dt.timedelta(days=rng.randint(0, (end - start).days))
    ministry, addressee = rng.choice(V.MINISTRIES)
    attributaire = ministry if rng.random() < 0.8 else rng.choice(V.MINISTRIES)[0]
    q = {
        "legislature": leg, "type": qtype, "numero": 0,
        "title": f"{rng.choice(V.TITLE_HEADS)} {rng.choice(V.COMPLEMENTS)}",
        "author": {"name": d["name"], "civility": d["civility"], "slug": d["slug"], "group": d["group"],
                   "group_abbr": d["group_abbr"], "departement": d["departement"],
                   "circonscription": circonscription(d)},
        "rubrique": rng.choice(V.RUBRIQUES), "tete_analyse": rng.choice(V.TETES_ANALYSE),
        "analyses": [rng.choice(V.TITLE_HEADS) + " " + rng.choice(V.COMPLEMENTS)],
        "ministere_interroge": ministry, "ministere_attributaire": attributaire,
        "date_question": asked, "page_question": rng.randint(1000, 11000),
        "date_reponse": None, "page_reponse": None,
        "date_signalement": asked + dt.timedelta(days=rng.randint(70, 120)) if rng.random() < 0.05 else None,
        "dates_renouvellement": [], "date_changement_attribution": None, "date_cloture": None,
        "motif_cloture": None, "tags": [], "summary": None, "notes": None, "sources": [], "extra": {},
        "question_text": _question_text(rng, d, addressee), "answer_text": None,
    }
    if attributaire != ministry:
        q["date_changement_attribution"] = asked + dt.timedelta(days=rng.randint(10, 60))
    _settle(rng, q, end)
    return q


def _settle(rng: random.Random, q: dict, end: dt.date) -> None:
    """Answer (60 %), withdraw (10 %) or leave pending; pending ones of past legislatures will lapse."""
    roll, asked = rng.random(), q["date_question"]
    last = min(end, BUILD_DATE - dt.timedelta(days=1))
    if roll < 0.6 and asked < last:
        q["date_reponse"] = min(last, asked + dt.timedelta(days=rng.randint(20, 400)))
        q["page_reponse"] = rng.randint(1000, 11000)
        q["answer_text"] = _answer_text(rng)
    elif roll < 0.7 and asked < last:
        q["date_cloture"] = min(last, asked + dt.timedelta(days=rng.randint(20, 500)))
        q["motif_cloture"] = rng.choice(V.MOTIFS_CLOTURE)
    elif rng.random() < 0.1:
        q["dates_renouvellement"] = [asked + dt.timedelta(days=rng.randint(90, 200))]


def _number(rng: random.Random, questions: list) -> None:
    """Number each legislature's questions of each type in order of publication, with gaps."""
    counters: dict = {}
    for q in sorted(questions, key=lambda q: (q["date_question"], q["title"], q["question_text"][:40])):
        key = (q["legislature"], q["type"])
        counters[key] = counters.get(key, 0) + rng.randint(1, 3)
        q["numero"] = counters[key]
        url = f"https://questions.assemblee-nationale.fr/q{q['legislature']}/{q['legislature']}-{q['numero']}{q['type']}.htm"
        q["sources"] = [{"kind": "an-markdown", "file": f"sources/{question_key(q)}.md", "url": url}]


def _copy_campaigns(rng: random.Random, questions: list) -> None:
    """Let a few deputies put the same question as another one (only the opening line differs)."""
    for i, q in enumerate(questions):
        if i and rng.random() < CAMPAIGN_SHARE:
            model = questions[rng.randrange(max(0, i - 200), i)]
            opening = _OPENING_END.split(q["question_text"], 1)[0]
            q["question_text"] = opening + ". " + _OPENING_END.split(model["question_text"], 1)[1]
            q["title"] = model["title"]


def question_key(q: dict) -> str:
    """File stem of a question record, e.g. 16-qe-17939."""
    return f"{q['legislature']}-{q['type'].lower()}-{q['numero']}"


def circonscription(d: dict) -> str:
    """A deputy's circonscription as question pages name it, e.g. 'Savoie (2e circonscription)'."""
    return f"{d['departement']} ({_ordinal(d['num_circonscription'])} circonscription)"


def _ordinal(n: int) -> str:
    return f"{n}re" if n == 1 else f"{n}e"


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# ---------------------------------------------------------------- prose


def _noun_phrase(rng: random.Random, complement: float = 0.7) -> tuple[str, str]:
    word, gender, vowel = rng.choice(V.NOUNS)
    text = ("l'" if vowel else "la " if gender == "f" else "le ") + word
    if rng.random() < 0.55:
        text += " " + rng.choice(V.ADJECTIVES)[gender == "f"]
    if rng.random() < complement:
        text += " " + rng.choice(V.COMPLEMENTS)
    return text, gender


def _sentence(rng: random.Random) -> str:
    subject, gender = _noun_phrase(rng)
    obj, _ = _noun_phrase(rng)
    adv = rng.choice(V.ADVERBIALS)
    pattern = rng.randrange(5)
    if pattern == 0:
        text = f"{subject} {rng.choice(V.VERBS)} {obj} {adv}"
    elif pattern == 1:
        text = f"{adv}, {subject} {rng.choice(V.VERBS)} {obj}"
    elif pattern == 2:
        count = f"{rng.randint(2, 950)} {rng.randint(100, 999)}"
        unit = rng.choice(["assurés", "patients", "établissements", "communes", "professionnels", "dossiers"])
        text = f"{subject} concerne désormais plus de {count} {unit} {adv}"
    elif pattern == 3:
        adjective = rng.choice(V.ADJECTIVES)[gender == "f"]
        text = f"{subject} reste {adjective} {adv}, alors que {obj} {rng.choice(V.VERBS)} {_noun_phrase(rng, 0.3)[0]}"
    else:
        text = f"les représentants {rng.choice(V.COMPLEMENTS)} dénoncent {obj} et {subject} {adv}"
    text = rng.choice(V.CONNECTORS) + text
    return text[0].upper() + text[1:] + "."


def _paragraphs(rng: random.Random, sentences: list[str]) -> str:
    paragraphs, i = [], 0
    while i < len(sentences):
        size = rng.randint(2, 5)
        paragraphs.append(" ".join(sentences[i:i + size]))
        i += size
    return "\n\n".join(paragraphs)


def _question_text(rng: random.Random, d: dict, addressee: str) -> str:
    verb = rng.choice(["attire l'attention de", "interroge", "appelle l'attention de"])
    subject, _ = _noun_phrase(rng, 1.0)
    sentences = [f"{d['civility']} {d['name']} {verb} {addressee} sur {subject}."]
    pronoun = "Elle" if d["civility"] == "Mme" else "Il"
    closing = (f"{pronoun} lui demande {rng.choice(['donc', 'par conséquent', 'en conséquence'])} de bien vouloir "
               f"lui indiquer les mesures que le Gouvernement entend prendre pour {rng.choice(V.INFINITIVES)}.")
    target = rng.randint(1500, 3000) - len(closing)
    length = len(sentences[0])
    while length < target:
        sentences.append(_sentence(rng))
        length += len(sentences[-1]) + 1
    while length > 3000 - len(closing) and len(sentences) > 2:
        length -= len(sentences.pop()) + 1
    return _paragraphs(rng, sentences + [closing])


def _answer_text(rng: random.Random) -> str:
    sentences = [rng.choice(V.ANSWER_OPENINGS)]
    target = rng.randint(1500, 3000)
    length = len(sentences[0])
    while length < target:
        if rng.random() < 0.3:
            thing, _ = _noun_phrase(rng)
            sentence = f"Le Gouvernement {rng.choice(V.ANSWER_VERBS)} {thing} {rng.choice(V.ADVERBIALS)}."
        else:
            sentence = _sentence(rng)
        sentences.append(sentence)
        length += len(sentence) + 1
    text = _paragraphs(rng, sentences)
    if rng.random() < TABLE_SHARE:
        head, _, tail = text.partition("\n\n")
        text = f"{head}\n\n{_table(rng)}\n\n{tail}" if tail else f"{head}\n\n{_table(rng)}"
    return text


def _table(rng: random.Random) -> str:
    what = rng.choice(["signalements d'incidents", "établissements contrôlés", "dossiers traités",
                       "mises en demeure", "professionnels formés"])
    rows = [f"Le tableau ci-dessous présente l'évolution du nombre de {what} :", "",
            "| Année | Nombre | Dont outre-mer | Évolution |", "| --- | ---: | ---: | ---: |"]
    value = rng.randint(200, 20000)
    for year in range(rng.choice([2019, 2020, 2021]), 2025):
        change = rng.randint(-15, 40)
        value = max(1, value * (100 + change) // 100)
        rows.append(f"| {year} | {value:,} | {value // rng.randint(8, 30):,} | {change:+d} % |".replace(",", " "))
    return "\n".join(rows)


# ---------------------------------------------------------------- writing the project's records

QUESTION_FIELDS = ["legislature", "type", "numero", "title", "author", "rubrique", "tete_analyse", "analyses",
                   "ministere_interroge", "ministere_attributaire", "date_question", "page_question",
                   "date_reponse", "page_reponse", "date_signalement", "dates_renouvellement",
                   "date_changement_attribution", "date_cloture", "motif_cloture", "tags", "summary", "notes",
                   "sources", "extra"]
AUTHOR_FIELDS = ["name", "civility", "slug", "group", "group_abbr", "departement", "circonscription"]
DEPUTY_FIELDS = ["slug", "name", "first_name", "family_name", "civility", "legislature", "id_an", "group",
                 "group_abbr", "departement", "num_departement", "num_circonscription", "mandat_debut",
                 "mandat_fin", "url_an", "url_nosdeputes", "sources", "extra"]
SOURCE_FIELDS = ["kind", "file", "url"]


_PLAIN = re.compile(r"[^\W\d_][^:#\n\"\[\]{}]*(?<! )")  # text YAML reads back as text without quotes
_RESERVED = {"null", "true", "false", "yes", "no", "on", "off", "y", "n"}


def scalar(value) -> str:
    """One YAML scalar as the records write it: dates bare, text plain where safe, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, (bool, int)):
        return json.dumps(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def front_matter(data: dict, order: list, nested: dict | None = None) -> list[str]:
    """YAML lines of a mapping in the given key order; nested mappings and lists of mappings indented."""
    lines = []
    for key in order:
        value = data[key]
        if isinstance(value, dict) and value:
            lines.append(f"{key}:")
            lines += [f"  {k}: {scalar(value[k])}" for k in (nested or {}).get(key, list(value))]
        elif isinstance(value, list) and value:
            lines.append(f"{key}:")
            for item in value:
                if isinstance(item, dict):
                    keys = (nested or {}).get(key, list(item))
                    lines += [("- " if i == 0 else "  ") + f"{k}: {scalar(item[k])}" for i, k in enumerate(keys)]
                else:
                    lines.append(f"- {scalar(item)}")
        else:
            lines.append(f"{key}: {'{}' if value == {} else '[]' if value == [] else scalar(value)}")
    return lines


def question_record(q: dict) -> str:
    """A question as the project's record text: front matter, then the question and answer headings."""
    lines = ["---"] + front_matter(q, QUESTION_FIELDS, {"author": AUTHOR_FIELDS, "sources": SOURCE_FIELDS})
    body = f"## Texte de la question\n\n{q['question_text']}\n"
    if q["answer_text"]:
        body += f"\n## Texte de la réponse\n\n{q['answer_text']}\n"
    return "\n".join(lines) + "\n---\n\n" + body


def deputy_record(d: dict) -> str:
    """A deputy as the project's record text."""
    lines = ["---"] + front_matter(d, DEPUTY_FIELDS, {"sources": SOURCE_FIELDS})
    return "\n".join(lines) + "\n---\n" + (f"\n{d['body']}\n" if d["body"] else "")


def write_dossier(corpus: Corpus, dest: Path) -> Path:
    """Write the corpus as a project folder (config, content, templates); return its config.yaml."""
    content = dest / "content"
    for folder in ("questions", "deputies", "pages"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "config.yaml", dest / "config.yaml")
    shutil.copyfile(REPO / "content" / "pages" / "index.md", content / "pages" / "index.md")
    if (dest / "templates").exists():
        shutil.rmtree(dest / "templates")
    shutil.copytree(REPO / "templates", dest / "templates")
    for q in corpus.questions:
        (content / "questions" / f"{question_key(q)}.md").write_text(question_record(q), encoding="utf-8")
    for d in corpus.deputies:
        (content / "deputies" / f"{d['slug']}.md").write_text(deputy_record(d), encoding="utf-8")
    return dest / "config.yaml"
