"""End to end: build the shipped dossier as a user does, then check its open data and its pages.

The shipped config.yaml, content/ and templates/ are built into a temporary folder with a fixed
SOURCE_DATE_EPOCH; nothing is written in the working tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from dossier.pipeline import MARKER, build

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCHEMA = SHARED / "schema" / "dossier-data.schema.json"
AUDIT = SHARED / "tools" / "site-audit.sh"
EPOCH = "1779408000"  # 2026-05-22


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build(ROOT / "config.yaml", out)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    return out


def _load(site: Path, name: str):
    return json.loads((site / "data" / name).read_text(encoding="utf-8"))


def _by_uid(site: Path) -> dict:
    return {q["uid"]: q for q in _load(site, "questions.json")}


def _shared(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI runs with ../shared beside the project")
        pytest.skip(f"{path} not found (../shared is not beside the project)")
    return path


def test_open_data_matches_the_schema(built):
    schema = json.loads(_shared(SCHEMA).read_text(encoding="utf-8"))
    for name, definition in (("questions.json", "question"), ("deputies.json", "deputy"), ("topics.json", "topic")):
        item_schema = {"$ref": f"#/$defs/{definition}", **{k: v for k, v in schema.items() if k != "$ref"}}
        items = _load(built, name)
        assert items, name
        for item in items:
            jsonschema.validate(item, item_schema)


def test_question_17939_facts(built):
    q = _by_uid(built)["QANR5L16QE17939"]
    assert (q["author"]["name"], q["author"]["civility"], q["author"]["group"], q["author"]["circonscription"]) == (
        "Vincent Rolland", "M.", "Les Républicains", "Savoie (2e circonscription)")
    assert q["author"]["departement"] == "Savoie" and q["author"]["id_an"] == "PA266808"
    assert q["rubrique"] == "Numérique"
    assert q["ministere_interroge"] == q["ministere_attributaire"] == "Santé et prévention"
    assert (q["date_question"], q["page_question"]) == ("2024-05-21", 3999)
    assert (q["status"], q["status_inferred"], q["date_cloture"], q["motif_cloture"]) == (
        "retiree", False, "2024-06-11", "Fin de mandat")
    assert q["date_reponse"] is None and q["answer_text"] is None
    assert q["title"] == "Protection des données personnelles de santé dans le cadre des cyber-attaques"
    assert q["question_text"].startswith("M. Vincent Rolland interroge M. le ministre délégué")


def test_question_17941_facts(built):
    q = _by_uid(built)["QANR5L16QE17941"]
    assert (q["author"]["name"], q["author"]["civility"]) == ("Julie Delpech", "Mme")
    # group and circonscription come from the NosDéputés deputies file
    assert (q["author"]["group"], q["author"]["group_abbr"]) == ("Renaissance", "REN")
    assert q["author"]["circonscription"] == "Sarthe (1re circonscription)"
    assert q["ministere_interroge"] == "Secrétariat d'État au numérique"
    assert q["date_question"] == "2024-05-21" and q["legislature"] == 16
    # pending when the 16th legislature ended (dissolution of 9 June 2024): lapsed, and said so
    assert (q["status"], q["status_inferred"], q["motif_cloture"]) == ("retiree", True, "Fin de mandat")
    assert q["date_cloture"] is None  # no source gives the date: not invented
    assert q["delai_reponse_jours"] == 19 and q["hors_delai"] is False
    # facts the page does not give stay null
    assert q["rubrique"] is None and q["ministere_attributaire"] is None and q["page_question"] is None
    for boilerplate in ("Photo issue", "Être alerté", "e-mail", "pas encore de réponse", "commentaire", "Connexion"):
        assert boilerplate not in q["question_text"]


def test_both_questions_in_the_health_data_topic_and_related(built):
    topics = {t["slug"]: t for t in _load(built, "topics.json")}
    assert set(topics["cybersecurite-donnees-sante"]["questions"]) == {"QANR5L16QE17939", "QANR5L16QE17941"}
    questions = _by_uid(built)
    assert questions["QANR5L16QE17939"]["related"] == ["QANR5L16QE17941"]
    assert questions["QANR5L16QE17941"]["related"] == ["QANR5L16QE17939"]


def test_every_url_in_the_open_data_is_a_built_page(built):
    urls = []
    for name in ("questions.json", "deputies.json", "topics.json"):
        for item in _load(built, name):
            urls.append(item["url"])
            if "author" in item:
                urls.append(item["author"]["url"])
    for url in urls:
        page = built / url.lstrip("/")
        assert (page / "index.html" if url.endswith("/") else page).is_file(), url


def test_question_page_shows_the_facts(built):
    html = (built / "questions" / "16-qe-17941" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert "Statut déduit" in html and "9 juin 2024" in html
    assert "21 mai 2024" in html
    assert 'href="../../deputes/julie-delpech/"' in html
    assert "Secrétariat d’État au numérique" in html  # typographic apostrophe in display
    assert "<span class=\"unknown\">inconnue</span>" in html  # rubrique unknown
    rolland = (built / "questions" / "16-qe-17939" / "index.html").read_text(encoding="utf-8")
    assert "11 juin 2024 (fin de mandat)" in rolland
    assert "page 3999" in rolland


def test_deputy_and_topic_pages(built):
    deputy = (built / "deputes" / "vincent-rolland" / "index.html").read_text(encoding="utf-8")
    assert "Les Républicains" in deputy and "Savoie (2e circonscription)" in deputy
    assert "../../questions/16-qe-17939/" in deputy
    topic = (built / "themes" / "cybersecurite-donnees-sante" / "index.html").read_text(encoding="utf-8")
    assert "16-qe-17939" in topic and "16-qe-17941" in topic


def test_two_builds_are_byte_identical(built, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = tmp_path / "site"
    build(ROOT / "config.yaml", again)
    first = {p.relative_to(built): p.read_bytes() for p in sorted(built.rglob("*")) if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in sorted(again.rglob("*")) if p.is_file()}
    assert first == second


def test_no_request_to_a_third_party(built):
    for page in built.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for attr in ("src=", "<link "):
            for chunk in html.split(attr)[1:]:
                assert "http" not in chunk.split(">")[0] or 'rel="canonical"' in chunk.split(">")[0], page


def test_command_line_builds_and_reports(tmp_path):
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Built ") and f" pages into {out} in " in run.stdout
    assert " new or changed, 0 unchanged." in run.stdout
    again = subprocess.run([sys.executable, "build.py", "--out", str(out), "--force"], cwd=ROOT, capture_output=True,
                           text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, check=True)
    assert " files, 0 new or changed, " in again.stdout  # the same site: every file kept as it was
    unchanged = subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, capture_output=True,
                               text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, check=True)
    assert unchanged.stdout.startswith(f"Nothing changed since the last build: {out} is up to date")
    refused = subprocess.run([sys.executable, "build.py", "--jobs", "0"], cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode == 2 and "--jobs: must be a whole number of at least 1: '0'" in refused.stderr
    assert (out / MARKER).is_file() and (out / "index.html").is_file()


def test_help_lists_commands_and_options():
    run = subprocess.run([sys.executable, "build.py", "--help"], cwd=ROOT, capture_output=True, text=True, check=True)
    for word in ("build", "import", "--config", "--out", "--base-url"):
        assert word in run.stdout


def test_shared_passages_are_highlighted_on_both_pages(built):
    passage = "<mark>impliquant le piratage de plus de 33 millions de dossiers de patients</mark>"
    for key, other in (("16-qe-17939", "17941"), ("16-qe-17941", "17939")):
        html = (built / "questions" / key / "index.html").read_text(encoding="utf-8")
        assert passage in html
        assert f"QE n°&nbsp;{other}</a>" in html


def test_feeds_follow_each_question_deputy_and_topic(built):
    for feed in ("feed.xml", "questions/16-qe-17941/feed.xml", "deputes/julie-delpech/feed.xml",
                 "themes/cybersecurite-donnees-sante/feed.xml"):
        xml = (built / feed).read_text(encoding="utf-8")
        assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"')
    question = (built / "questions" / "16-qe-17939" / "feed.xml").read_text(encoding="utf-8")
    assert question.count("<entry>") == 2 and "Question retirée le 11 juin 2024, page" not in question
    assert "Question retirée le 11 juin 2024 (Fin de mandat)." in question
    page = (built / "questions" / "16-qe-17939" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" title="Suivre cette question" href="feed.xml">' in page


def test_open_data_per_question_and_csv(built):
    one = json.loads((built / "questions" / "16-qe-17939" / "question.json").read_text(encoding="utf-8"))
    assert one == _by_uid(built)["QANR5L16QE17939"]
    csv_text = (built / "data" / "questions.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("uid,legislature,type,numero,url,title,author.name")
    assert len(csv_text.splitlines()) == 3


def _audit(site: Path, base_url: str | None = None):
    audit = _shared(AUDIT)
    run = subprocess.run(["bash", str(audit), str(site)] + ([base_url] if base_url else []),
                         capture_output=True, text=True, check=False, timeout=900)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    assert run.stdout.strip().splitlines()[-1].endswith(" 0 failed")
    return run


def test_site_audit_passes(built, tmp_path):
    """The independent audit: Nu HTML checker, links and fragments, feeds, sitemap."""
    site = tmp_path / "audited"
    shutil.copytree(built, site)
    _audit(site)


def test_site_audit_passes_under_a_sub_path(tmp_path, monkeypatch):
    """Built for https://example.org/dossier/: canonical links, feeds and sitemap use that address."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = tmp_path / "site"
    build(ROOT / "config.yaml", site, base_url="https://example.org/dossier/")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/dossier/questions/16-qe-17939/</loc>" in sitemap
    assert "Sitemap: https://example.org/dossier/sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
    page = (site / "questions" / "16-qe-17939" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/dossier/questions/16-qe-17939/">' in page
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert 'href="/dossier/static/style.css"' in not_found  # served at any depth: absolute paths
    _audit(site, "https://example.org/dossier/")
