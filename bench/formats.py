"""Write the benchmark corpus for Hugo and for Pelican: same questions, deputies and home page.

Both get, beside the content, the templates of bench/hugo/ or bench/pelican/ (pages of the same
weight as the dossier's: one per question, per deputy, the lists and a home page) and the dossier's
own style sheet. Hugo and Pelican do not compute a question's status from the legislature calendar
as the dossier does, so the status, delay and deadline are written into their front matter here.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from bench.corpus import BUILD_DATE, REPO, Corpus, circonscription, front_matter, question_key

HERE = Path(__file__).resolve().parent
LEGISLATURE_ENDS = {15: dt.date(2022, 6, 21), 16: dt.date(2024, 6, 9)}  # as config.yaml says
STYLE = REPO / "templates" / "static" / "style.css"


def status(q: dict) -> dict:
    """The status fields the dossier derives: code, inferred lapse, delay in days, deadline, lateness."""
    inferred = False
    if q["answer_text"] or q["date_reponse"]:
        code, end = "repondue", q["date_reponse"]
    elif q["date_cloture"]:
        code, end = "retiree", q["date_cloture"]
    elif LEGISLATURE_ENDS.get(q["legislature"], BUILD_DATE) < BUILD_DATE:
        code, end, inferred = "retiree", LEGISLATURE_ENDS[q["legislature"]], True
    else:
        code, end = "en_attente", BUILD_DATE
    asked = q["date_question"]
    month = asked.month + 2
    year, month = asked.year + (month - 1) // 12, (month - 1) % 12 + 1
    deadline = dt.date(year, month, min(asked.day, 28))
    return {"statut": code, "statut_deduit": inferred, "date_cloture": q["date_cloture"] or (end if inferred else None),
            "delai": (end - asked).days, "echeance": deadline, "en_retard": end > deadline}


def _body(q: dict) -> str:
    body = f"## Texte de la question\n\n{q['question_text']}\n"
    if q["answer_text"]:
        body += f"\n## Texte de la réponse\n\n{q['answer_text']}\n"
    return body


def _facts(q: dict) -> dict:
    a = q["author"]
    facts = {"legislature": q["legislature"], "qtype": q["type"], "numero": q["numero"],
             "uid": f"QANR5L{q['legislature']}{q['type']}{q['numero']}", "auteur": a["name"],
             "civility": a["civility"], "groupe": a["group"], "groupe_abbr": a["group_abbr"],
             "circonscription": a["circonscription"]}
    for key in ("rubrique", "tete_analyse", "ministere_interroge", "ministere_attributaire", "page_question",
                "date_signalement", "date_reponse", "page_reponse", "motif_cloture"):
        facts[key] = q[key]
    facts.update(status(q))
    return facts


# ---------------------------------------------------------------- Hugo


def write_hugo(corpus: Corpus, dest: Path) -> Path:
    """Write a Hugo site (config, layouts, content); return its folder."""
    dest.mkdir(parents=True, exist_ok=True)
    _fresh_copy(HERE / "hugo" / "layouts", dest / "layouts")
    shutil.copyfile(HERE / "hugo" / "hugo.toml", dest / "hugo.toml")
    (dest / "static" / "static").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(STYLE, dest / "static" / "static" / "style.css")
    content = dest / "content"
    for folder in ("questions", "deputes"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    home_title, home_body = _home_page()
    _write(content / "_index.md", {"title": home_title}, home_body)
    _write(content / "questions" / "_index.md", {"title": "Questions"}, "")
    _write(content / "deputes" / "_index.md", {"title": "Députés"}, "")
    for q in corpus.questions:
        data = {"title": q["title"], "date": q["date_question"], "deputes": [q["author"]["slug"]]}
        data.update(_facts(q))
        data.update({"analyses": q["analyses"], "dates_renouvellement": q["dates_renouvellement"],
                     "sources": q["sources"]})
        _write(content / "questions" / f"{question_key(q)}.md", data, _body(q))
    for d in corpus.deputies:
        data = {k: d[k] for k in ("civility", "group", "group_abbr", "url_an", "url_nosdeputes")}
        data["title"] = d["name"]
        data["circonscription"] = circonscription(d)
        (content / "deputes" / d["slug"]).mkdir(exist_ok=True)
        _write(content / "deputes" / d["slug"] / "_index.md", data, d["body"])
    return dest


def _write(path: Path, data: dict, body: str) -> None:
    lines = ["---"] + front_matter(data, list(data)) + ["---", ""]
    path.write_text("\n".join(lines) + body, encoding="utf-8")


# ---------------------------------------------------------------- Pelican


def write_pelican(corpus: Corpus, dest: Path) -> Path:
    """Write a Pelican site (settings, theme, content); return its folder."""
    dest.mkdir(parents=True, exist_ok=True)
    _fresh_copy(HERE / "pelican" / "theme", dest / "theme")
    shutil.copyfile(HERE / "pelican" / "pelicanconf.py", dest / "pelicanconf.py")
    (dest / "theme" / "static").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(STYLE, dest / "theme" / "static" / "style.css")
    content = dest / "content"
    for folder in ("questions", "pages"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    home_title, home_body = _home_page()
    _write_pelican(content / "pages" / "index.md", {"title": home_title, "save_as": "index.html", "url": ""},
                   home_body)
    for q in corpus.questions:
        data = {"title": q["title"], "date": q["date_question"], "slug": question_key(q),
                "author": q["author"]["name"]}
        data.update(_facts(q))
        data["analyses"] = ", ".join(q["analyses"])
        data["date_renouvellement"] = q["dates_renouvellement"][0] if q["dates_renouvellement"] else None
        data["source_url"], data["source_file"] = q["sources"][0]["url"], q["sources"][0]["file"]
        _write_pelican(content / "questions" / f"{question_key(q)}.md", data, _body(q))
    return dest


def _write_pelican(path: Path, data: dict, body: str) -> None:
    """Pelican's Markdown metadata: 'Key: value' lines, then a blank line, then the text."""
    lines = [f"{key.capitalize()}: {_pelican_value(value)}" for key, value in data.items()
             if value is not None and value is not False]
    path.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")


def _pelican_value(value) -> str:
    if isinstance(value, bool):
        return "true"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


# ---------------------------------------------------------------- shared


def _home_page() -> tuple[str, str]:
    """The dossier's own home page: its title and Markdown body."""
    text = (REPO / "content" / "pages" / "index.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    title = next(line.split(":", 1)[1].strip() for line in front.splitlines() if line.startswith("title:"))
    return title, body.lstrip("\n")


def _fresh_copy(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)

