"""Question, Deputy, Source and Page records: the one place where record fields are defined.

Each field's metadata says how it is read from front matter (`kind`) and whether a record must
give it (`required`). Records are the contract between importers and the build: importers return
these objects, `records.py` reads and writes them, the build only ever sees them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

QUESTION_TYPES = {"QE": "question écrite", "QOSD": "question orale sans débat", "QG": "question au Gouvernement"}
CIVILITIES = ("M.", "Mme")
SOURCE_KINDS = ("an-html", "an-markdown", "an-text", "an-xml", "an-opendata", "nosdeputes-text", "nosdeputes-html",
                "nosdeputes-api", "nosdeputes-deputes-json")


class Record:
    """Pickled as the tuple of its fields' values, strings as UTF-8 bytes (the record cache holds
    10,000s of records).

    Python's default would read and restore each record's __dict__, and reading it makes every
    record keep a dict of its own from then on (~400 bytes each). And a string that pickle writes
    keeps its UTF-8 form beside it for as long as it lives (CPython caches it): for the texts of
    10,000 questions, 40 MB more in the build that saves the cache. Bytes made here go when the
    pickle is written."""

    __slots__ = ()

    def __getstate__(self) -> tuple:
        return tuple(value.encode("utf-8") if type(value) is str else value
                     for value in map(self.__getattribute__, _field_names(type(self))))

    def __setstate__(self, state: tuple) -> None:
        for name, value in zip(_field_names(type(self)), state, strict=True):
            object.__setattr__(self, name, value.decode("utf-8") if type(value) is bytes else value)


_FIELD_NAMES: dict = {}


def _field_names(cls) -> tuple:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def spec(kind: str, doc: str, required: bool = False, default=None):
    """Declare a record field: how front matter gives it, what it means, whether it is required."""
    meta = {"kind": kind, "doc": doc, "required": required}
    if isinstance(default, (list, dict)):
        return field(default_factory=type(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Source(Record):
    """Where a record's facts were read: the importer, the saved file, the page's address."""

    kind: str = spec("source_kind", "importer that read it, e.g. an-markdown", required=True)
    file: str | None = spec("str", "saved source file, relative to the content folder")
    url: str | None = spec("url", "address the page was published at, when known")


@dataclass(frozen=True)
class Author(Record):
    """The deputy who asked, as the question's source names them (group at the time of asking)."""

    name: str = spec("str", "first name then family name, without civility", required=True)
    civility: str | None = spec("civility", "M. or Mme")
    slug: str | None = spec("slug", "deputy page slug; derived from the name when absent")
    id_an: str | None = spec("str", "PA identifier at the Assemblée nationale, e.g. PA266808")
    group: str | None = spec("str", "political group, full name")
    group_abbr: str | None = spec("str", "political group, abbreviation")
    departement: str | None = spec("str", "department of the circonscription")
    circonscription: str | None = spec("str", "e.g. 'Savoie (2e circonscription)'")


@dataclass(frozen=True)
class Question(Record):
    """One parliamentary question, as read from its sources and corrected by hand."""

    legislature: int = spec("int", "legislature number, e.g. 16", required=True)
    type: str = spec("question_type", "QE, QOSD or QG", required=True)
    numero: int = spec("int", "question number within the legislature and type", required=True)
    title: str | None = spec("str", "analyse or heading the question is known by")
    author: Author = spec("author", "the deputy who asked", required=True)
    rubrique: str | None = spec("str", "rubrique of the AN indexation")
    tete_analyse: str | None = spec("str", "tête d'analyse of the AN indexation")
    analyses: list = spec("list_str", "analyses of the AN indexation", default=[])
    ministere_interroge: str | None = spec("str", "ministry the question was put to")
    ministere_attributaire: str | None = spec("str", "ministry in charge of answering")
    date_question: dt.date | None = spec("date", "publication of the question in the Journal officiel")
    page_question: int | None = spec("int", "JO page of the question")
    date_reponse: dt.date | None = spec("date", "publication of the answer in the Journal officiel")
    page_reponse: int | None = spec("int", "JO page of the answer")
    date_signalement: dt.date | None = spec("date", "question signalled to the Government")
    dates_renouvellement: list = spec("list_date", "renewals of the question", default=[])
    date_changement_attribution: dt.date | None = spec("date", "last change of the ministry in charge")
    date_cloture: dt.date | None = spec("date", "closing (withdrawal) date")
    motif_cloture: str | None = spec("str", "closing reason, e.g. 'Fin de mandat'")
    tags: list = spec("list_str", "topic slugs set by hand, added to keyword matches", default=[])
    summary: str | None = spec("str", "editorial summary shown above the text")
    notes: str | None = spec("str", "editor's notes, not published")
    corrected: list = spec("list_str", "fields corrected by hand: a re-import never changes them", default=[])
    sources: list = spec("sources", "where the facts were read", required=True, default=[])
    extra: dict = spec("dict", "anything else, kept as is", default={})
    # From the body, not the front matter:
    question_text: str = ""  # Markdown of the question
    answer_text: str | None = None  # Markdown of the answer, if any

    @property
    def uid(self) -> str:
        return f"QANR5L{self.legislature}{self.type}{self.numero}"

    @property
    def key(self) -> str:
        """File stem of the record, e.g. 16-qe-17939."""
        return f"{self.legislature}-{self.type.lower()}-{self.numero}"


@dataclass(frozen=True)
class Deputy(Record):
    """A deputy, as given by the NosDéputés registry or written by hand."""

    slug: str = spec("slug", "page slug, e.g. julie-delpech", required=True)
    name: str = spec("str", "first name then family name", required=True)
    first_name: str | None = spec("str", "first name")
    family_name: str | None = spec("str", "family name")
    civility: str | None = spec("civility", "M. or Mme")
    legislature: int | None = spec("int", "legislature of the mandate described")
    id_an: str | None = spec("str", "PA identifier at the Assemblée nationale, e.g. PA266808")
    group: str | None = spec("str", "political group, full name")
    group_abbr: str | None = spec("str", "political group, abbreviation")
    departement: str | None = spec("str", "department of the circonscription")
    num_departement: str | None = spec("str", "department code, e.g. 73")
    num_circonscription: int | None = spec("int", "number of the circonscription in the department")
    mandat_debut: dt.date | None = spec("date", "start of the mandate")
    mandat_fin: dt.date | None = spec("date", "end of the mandate, when it ended early")
    url_an: str | None = spec("url", "the deputy's page at the Assemblée nationale")
    url_nosdeputes: str | None = spec("url", "the deputy's page at NosDéputés")
    sources: list = spec("sources", "where the facts were read", default=[])
    extra: dict = spec("dict", "anything else, kept as is", default={})
    body: str = ""  # Markdown shown on the deputy page


@dataclass(frozen=True)
class Page(Record):
    """An editorial page of the dossier (Markdown under content/pages/)."""

    title: str = spec("str", "page title", required=True)
    description: str | None = spec("str", "one-line summary for search engines")
    body: str = ""


def record_fields(cls) -> list:
    """Return the front-matter fields of a record class, in record order."""
    return [f for f in fields(cls) if "kind" in f.metadata]
