"""Shared fixtures: small throw-away projects written into tmp_path, and the minimal valid texts.

`make_site(tmp_path, files)` writes a project (config.yaml, content/..., and the real templates) the way
mkdocs' `tests/base.py: tempdir(files=...)` does; each failure test starts from the minimal texts
below and breaks one thing. Nothing here touches the network or the working directory.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so that `pytest tests` works as well as `python -m pytest tests`
    sys.path.insert(0, str(ROOT))

from dossier.errors import BuildFailed  # noqa: E402
from dossier.pipeline import build  # noqa: E402

TEMPLATES = ROOT / "templates"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = dt.date(2026, 5, 22)  # fixed "today" of the test builds

# Line numbers matter: the failure tests assert messages verbatim, "file:line: message".
MINIMAL_CONFIG = """\
title: Dossier de test
description: Un petit site pour les tests.
legislatures:
  16:
    start: 2022-06-22
    end: 2024-06-09
    end_reason: dissolution
  17:
    start: 2024-07-18
topics:
  - slug: donnees-sante
    title: Données de santé
    keywords:
      - données de santé
  - slug: tiers-payant
    parent: donnees-sante
    title: Tiers payant
    keywords: [tiers payant]
"""
#            line  1: title               6: end (legislature 16)     11: - slug: donnees-sante
#            line 16: parent: donnees-sante

MINIMAL_QUESTION = """\
---
legislature: 16
type: QE
numero: 17941
title: Sécurité des données de santé
author:
  name: Julie Delpech
  civility: Mme
rubrique: Numérique
ministere_interroge: Secrétariat d'État au numérique
date_question: 2024-05-21
sources:
- kind: nosdeputes-text
  file: sources/000_23207a8713ae3daa.txt
---

## Texte de la question

Mme Julie Delpech interroge Mme la secrétaire d'État sur la sécurité des données de santé et le tiers payant.
"""
#            line 1: ---   4: numero   5: title   9: rubrique   11: date_question   15: ---
QUESTION_FILE = "content/questions/16-qe-17941.md"


def make_site(tmp_path: Path, files: dict[str, str], templates: bool = True) -> Path:
    """Write a project of the given files (path relative to the project -> text); return its root.

    The real templates/ are copied in unless `templates` is false or the files give templates.
    """
    root = tmp_path / "project"
    root.mkdir()
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if templates and not (root / "templates").exists():
        shutil.copytree(TEMPLATES, root / "templates")
    return root


def build_site(root: Path, out_dir: Path | None = None, **options):
    """Build a test project with the fixed as-of date."""
    return build(root / "config.yaml", out_dir, as_of=AS_OF, **options)


def build_errors(root: Path, out_dir: Path | None = None) -> list[str]:
    """Build a project that must fail; return its errors as 'path:line: message' strings."""
    with pytest.raises(BuildFailed) as failed:
        build_site(root, out_dir)
    return [str(err) for err in failed.value.errors]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (hidden ones included), relative path -> bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def minimal_config() -> str:
    return MINIMAL_CONFIG


@pytest.fixture
def minimal_question() -> str:
    return MINIMAL_QUESTION


@pytest.fixture
def minimal_files() -> dict[str, str]:
    """The smallest valid project: the minimal config and one question record."""
    return {"config.yaml": MINIMAL_CONFIG, QUESTION_FILE: MINIMAL_QUESTION}


@pytest.fixture(name="make_site")
def make_site_fixture():
    """The make_site(tmp_path, files) helper, for tests that prefer a fixture to an import."""
    return make_site
