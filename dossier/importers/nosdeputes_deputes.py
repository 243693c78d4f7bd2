"""Importer for the NosDéputés deputies API output (`/deputes/json`) into deputy records."""

from __future__ import annotations

import datetime as dt
import json
import re

from ..errors import DossierError
from ..model import Deputy, Source

KIND = "nosdeputes-deputes-json"
LOOKS_FOR = "JSON with a 'deputes' list of {'depute': {…}} items"
_CIVILITY = {"H": "M.", "F": "Mme"}


def detect(text: str) -> bool:
    head = text.lstrip()[:200]
    return head.startswith("{") and re.search(r'"deputes"\s*:\s*\[', head) is not None


def parse(path: str, text: str) -> list[Deputy]:
    """Read every deputy of the file; the legislature is resolved later from the mandate's start."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DossierError(f"invalid JSON: {exc.msg}", path, exc.lineno) from None
    items = data.get("deputes") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise DossierError("no 'deputes' list in the JSON", path)
    return [_deputy(path, i, item) for i, item in enumerate(items)]


def _deputy(path: str, index: int, item) -> Deputy:
    d = item.get("depute") if isinstance(item, dict) else None
    if not isinstance(d, dict) or not d.get("slug") or not d.get("nom"):
        raise DossierError(f"deputes[{index}] has no 'depute' with 'slug' and 'nom'", path)
    return Deputy(
        slug=d["slug"],
        name=d["nom"],
        first_name=d.get("prenom") or None,
        family_name=d.get("nom_de_famille") or None,
        civility=_CIVILITY.get(d.get("sexe")),
        id_an=f"PA{d['id_an']}" if d.get("id_an") else None,
        group_abbr=d.get("groupe_sigle") or None,
        departement=d.get("nom_circo") or None,
        num_departement=d.get("num_deptmt") or None,
        num_circonscription=d.get("num_circo") or None,
        mandat_debut=_date(d.get("mandat_debut"), path, index),
        mandat_fin=_date(d.get("mandat_fin"), path, index),
        url_an=d.get("url_an") or None,
        url_nosdeputes=d.get("url_nosdeputes") or None,
        sources=[Source(kind=KIND, file=path, url=d.get("url_nosdeputes_api") or None)],
    )


def _date(value, path: str, index: int) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DossierError(f"deputes[{index}]: not a date: {value!r}", path) from None
