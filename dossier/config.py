"""Load config.yaml once into a frozen, validated Config; every unknown or bad key is reported."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from . import frontmatter
from .errors import DossierError, Problems
from .text import fold

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Legislature:
    """One legislature of the calendar: its dates and its political groups."""

    number: int
    start: dt.date
    end: dt.date | None  # None while it runs
    end_reason: str | None  # e.g. "dissolution"
    groups: dict  # abbreviation -> full name


@dataclass(frozen=True)
class Topic:
    """A dossier topic: questions join it by keyword rules on their title and text, or by tag."""

    slug: str
    title: str
    description: str
    parent: str | None
    rules: tuple  # of tuples of folded terms; a rule matches when all its terms occur


@dataclass(frozen=True)
class Config:
    """Site settings, legislature calendar and topics, as validated from config.yaml."""

    path: Path
    title: str
    description: str
    base_url: str | None
    legislatures: tuple  # of Legislature, by number
    topics: tuple  # of Topic, in config order

    def legislature(self, number: int) -> Legislature | None:
        return next((leg for leg in self.legislatures if leg.number == number), None)

    def legislature_on(self, day: dt.date) -> Legislature | None:
        """Return the legislature running on a given day, if the calendar knows it."""
        for leg in self.legislatures:
            if leg.start <= day and (leg.end is None or day <= leg.end):
                return leg
        return None


SITE_KEYS = {"title", "description", "base_url", "legislatures", "topics"}
LEGISLATURE_KEYS = {"start", "end", "end_reason", "groups"}
TOPIC_KEYS = {"slug", "title", "description", "parent", "keywords"}


def load_config(path: Path, base_url: str | None = None) -> Config:
    """Read and validate config.yaml; raise BuildFailed listing every problem."""
    problems = Problems()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        problems.error(f"cannot read the configuration: {exc.strerror}", path)
        problems.raise_if_any()
    try:
        data, lines = frontmatter.load_yaml(text, path)
    except DossierError as err:
        problems.add(err)
        problems.raise_if_any()
    if not isinstance(data, dict):
        problems.error("the configuration must be a mapping of 'key: value' lines", path, 1)
        problems.raise_if_any()
    reader = _Reader(path, lines, problems)
    reader.unknown(data, SITE_KEYS, ())
    config = Config(
        path=path,
        title=reader.text(data, "title", (), required=True),
        description=reader.text(data, "description", ()) or "",
        base_url=_base_url(reader, base_url if base_url is not None else reader.text(data, "base_url", ())),
        legislatures=_legislatures(reader, data.get("legislatures")),
        topics=_topics(reader, data.get("topics")),
    )
    problems.raise_if_any()
    return config


class _Reader:
    """Typed lookups in the parsed YAML that report problems with the key's line."""

    def __init__(self, path: Path, lines: dict, problems: Problems):
        self.path, self.lines, self.problems = path, lines, problems

    def line(self, where: tuple) -> int:
        while where and where not in self.lines:
            where = where[:-1]
        return self.lines.get(where, 1)

    def fail(self, message: str, where: tuple) -> None:
        self.problems.error(message, self.path, self.line(where))

    def unknown(self, data: dict, known: set, where: tuple) -> None:
        for key in data:
            if key not in known:
                name = ".".join(str(p) for p in where + (key,))
                self.fail(f"unknown configuration key '{name}' (known here: {', '.join(sorted(known))})",
                          where + (key,))

    def text(self, data: dict, key: str, where: tuple, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"missing required key '{_name(where, key)}'", where)
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"'{_name(where, key)}' must be non-empty text: {value!r}", where + (key,))
            return None
        return value.strip()

    def date(self, data: dict, key: str, where: tuple, required: bool = False) -> dt.date | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"missing required key '{_name(where, key)}'", where)
            return None
        try:
            if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return dt.date.fromisoformat(value)
        except ValueError:
            pass
        self.fail(f"'{_name(where, key)}' is not a date (YYYY-MM-DD): '{value}'", where + (key,))
        return None


def _name(where: tuple, key: str) -> str:
    return ".".join(str(p) for p in where + (key,))


def _base_url(reader: _Reader, value: str | None) -> str | None:
    if value is None:
        return None
    if not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
        reader.fail(f"'base_url' must be an absolute http(s) address: '{value}'", ("base_url",))
        return None
    return value if value.endswith("/") else value + "/"


def _legislatures(reader: _Reader, data) -> tuple:
    if data is None:
        return ()
    if not isinstance(data, dict):
        reader.fail("'legislatures' must map legislature numbers to their dates", ("legislatures",))
        return ()
    found = []
    for number, item in data.items():
        where = ("legislatures", str(number))  # key paths hold keys as written in the YAML
        if not isinstance(number, int) or isinstance(number, bool) or number < 1 or not isinstance(item, dict):
            reader.fail(f"'legislatures.{number}' must be a legislature number holding start, end…", where)
            continue
        reader.unknown(item, LEGISLATURE_KEYS, where)
        groups = item.get("groups") or {}
        if not isinstance(groups, dict) or not all(isinstance(v, str) for v in groups.values()):
            reader.fail(f"'legislatures.{number}.groups' must map abbreviations to names", where + ("groups",))
            groups = {}
        start = reader.date(item, "start", where, required=True)
        end = reader.date(item, "end", where)
        if start and end and end < start:
            reader.fail(f"legislature {number} ends before it starts", where + ("end",))
        found.append(Legislature(number, start or dt.date.min, end, reader.text(item, "end_reason", where),
                                 {str(k): v for k, v in groups.items()}))
    return tuple(sorted(found, key=lambda leg: leg.number))


def _topics(reader: _Reader, data) -> tuple:
    if data is None:
        return ()
    if not isinstance(data, list):
        reader.fail("'topics' must be a list of topics", ("topics",))
        return ()
    topics = []
    for i, item in enumerate(data):
        where = ("topics", i)
        if not isinstance(item, dict):
            reader.fail(f"'topics.{i}' must be a mapping with slug, title, keywords", where)
            continue
        reader.unknown(item, TOPIC_KEYS, where)
        slug = reader.text(item, "slug", where, required=True) or f"topic-{i}"
        if not _SLUG.match(slug):
            reader.fail(f"topic slug must be made of a-z, 0-9 and '-': '{slug}'", where + ("slug",))
        topics.append(Topic(slug, reader.text(item, "title", where, required=True) or slug,
                            reader.text(item, "description", where) or "", reader.text(item, "parent", where),
                            _rules(reader, item.get("keywords"), where + ("keywords",))))
    _check_topic_links(reader, topics)
    return tuple(topics)


def _rules(reader: _Reader, data, where: tuple) -> tuple:
    """Keywords: a list whose items are a term or a list of terms that must all occur."""
    if data is None:
        return ()
    if not isinstance(data, list):
        reader.fail("'keywords' must be a list of terms (or of lists of terms that must all occur)", where)
        return ()
    rules = []
    for i, item in enumerate(data):
        terms = item if isinstance(item, list) else [item]
        if not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            reader.fail(f"keyword {i + 1} must be a term or a list of terms: {item!r}", where + (i,))
            continue
        rules.append(tuple(fold(t.strip()) for t in terms))
    return tuple(rules)


def _check_topic_links(reader: _Reader, topics: list) -> None:
    slugs = [t.slug for t in topics]
    for i, topic in enumerate(topics):
        if slugs.count(topic.slug) > 1 and slugs.index(topic.slug) != i:
            reader.fail(f"topic '{topic.slug}' is defined twice", ("topics", i, "slug"))
        if topic.parent is not None and topic.parent not in slugs:
            reader.fail(f"topic '{topic.slug}' has an unknown parent '{topic.parent}'", ("topics", i, "parent"))
